"""A provider that did not run the model fails the run; nodes per provider are recorded.

No GPU here: the CUDA fallback is faked at the ``session.get_providers()`` boundary
(``FakeFallbackSession``) around a real CPU session, and the loader's message comes from a
fake provider library file. The real fallback, with ``onnxruntime-gpu`` on a machine
without CUDA, is checked by ``tests/gpu_fallback/check_cuda_fallback.sh``.
"""

from __future__ import annotations

from pathlib import Path

import onnxruntime as ort
import pytest

from planner.core.run import FailureKind, RunConfig
from planner.hardware.providers import CPU, provider_load_error
from planner.profiling.failures import RunFailure
from planner.profiling.runner import ProfileRunner
from planner.profiling.session import (
    check_providers,
    provider_node_counts,
    session_options,
)

CUDA = "CUDAExecutionProvider"
MISSING = "libcublasLt.so.13: cannot open shared object file: No such file or directory"


class FakeFallbackSession:
    """FAKE: a real CPU session that says what onnxruntime-gpu says without CUDA libraries."""

    def __init__(self, path: Path) -> None:
        options = session_options(RunConfig(str(path)))
        self._real = ort.InferenceSession(str(path), options, providers=[CPU])

    def get_providers(self) -> list[str]:
        return [CPU]

    def get_provider_graph_assignment_info(self):
        return self._real.get_provider_graph_assignment_info()


def test_silent_cpu_fallback_fails_with_the_missing_library(mlp_model_path: Path) -> None:
    session = FakeFallbackSession(mlp_model_path)
    nodes = provider_node_counts(session)
    with pytest.raises(RunFailure) as failed:
        check_providers(CUDA, session.get_providers(), nodes, lambda _p: MISSING)
    assert failed.value.kind == FailureKind.PROVIDER and failed.value.detail == MISSING
    text = str(failed.value)
    assert text.startswith(f"{CUDA} was requested but ONNX Runtime ran the model on {CPU}")
    assert MISSING in text and f"--provider {CPU}" in text


def test_requested_provider_with_no_nodes_is_a_fallback_too() -> None:
    nodes = {CPU: 12, CUDA: 0}
    with pytest.raises(RunFailure, match="ran the model on CPUExecutionProvider instead"):
        check_providers(CUDA, [CUDA, CPU], nodes, lambda _p: None)


def test_partial_placement_is_a_note_not_a_failure() -> None:
    notes = check_providers(CUDA, [CUDA, CPU], {CUDA: 9, CPU: 3}, lambda _p: None)
    assert notes == (f"{CUDA} took 9 of 12 nodes; 3 ran on CPU",)
    assert check_providers(CPU, [CPU], {CPU: 5}, lambda _p: None) == ()
    assert check_providers(CUDA, [CUDA, CPU], {}, lambda _p: None) == ()


def test_real_cpu_run_records_its_nodes(mlp_model_path: Path, quick) -> None:
    result = ProfileRunner(quick(mlp_model_path), backend="inprocess").result()
    assert result.status == "completed"
    assert set(result.provider_nodes) == {CPU} and result.provider_nodes[CPU] >= 3


def test_provider_library_that_cannot_load_gives_the_loaders_message(tmp_path: Path) -> None:
    assert provider_load_error(CUDA, tmp_path).endswith("is not installed in " + str(tmp_path))
    real = Path(ort.__file__).parent / "capi" / "libonnxruntime_providers_shared.so"
    (tmp_path / "libonnxruntime_providers_shared.so").write_bytes(real.read_bytes())
    (tmp_path / "libonnxruntime_providers_cuda.so").write_bytes(b"FAKE: not a shared object")
    message = provider_load_error(CUDA, tmp_path)
    assert message is not None and "libonnxruntime_providers_cuda.so" in message
    assert provider_load_error(CPU, tmp_path) is None
