"""Building the ONNX Runtime session and the input feeds for a run.

Runs in the profiling worker (process or in-process thread) before anything is timed, so
bad models, dims or providers fail the run with a one-line reason before measurement.
"""

from __future__ import annotations

import platform
import time
from dataclasses import dataclass

import numpy as np
import onnxruntime as ort

import planner
from planner.core.errors import ProfilingError
from planner.core.model import ModelInfo
from planner.core.run import RunConfig
from planner.hardware.providers import usable_providers
from planner.models.inputs import synthesize_inputs
from planner.models.inspect import inspect_model

_OPT_LEVELS = {
    "disable": ort.GraphOptimizationLevel.ORT_DISABLE_ALL,
    "basic": ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
    "extended": ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
    "all": ort.GraphOptimizationLevel.ORT_ENABLE_ALL,
}


@dataclass(frozen=True)
class Built:
    """A ready session with its creation time and the model's description."""

    session: ort.InferenceSession
    info: ModelInfo
    session_create_ms: float


def session_options(config: RunConfig) -> ort.SessionOptions:
    """ORT options from the run configuration (threads, graph optimization)."""
    options = ort.SessionOptions()
    options.graph_optimization_level = _OPT_LEVELS[config.graph_optimization]
    if config.intra_op_threads is not None:
        options.intra_op_num_threads = config.intra_op_threads
    if config.inter_op_threads is not None:
        options.inter_op_num_threads = config.inter_op_threads
        options.execution_mode = ort.ExecutionMode.ORT_PARALLEL
    options.log_severity_level = 3
    return options


def providers_for(config: RunConfig) -> list[str]:
    """The requested provider (CPU as fallback for unsupported nodes), if this host has it."""
    available = usable_providers()
    if config.provider not in available:
        raise ProfilingError(
            f"execution provider {config.provider} is not available here; "
            f"available: {', '.join(available)}"
        )
    extra = ["CPUExecutionProvider"] if config.provider != "CPUExecutionProvider" else []
    return [config.provider, *extra]


def build_session(config: RunConfig) -> Built:
    """Inspect the model (ModelError on bad input) and create its session, timed."""
    info = inspect_model(config.model_path, config.dims, batch=config.batch_sizes[0])
    providers = providers_for(config)
    options = session_options(config)
    t0 = time.perf_counter_ns()
    try:
        session = ort.InferenceSession(config.model_path, options, providers=providers)
    except Exception as exc:  # ORT raises its own exception types for unloadable models
        raise ProfilingError(f"ONNX Runtime cannot load {info.name}: {_first_line(exc)}") from exc
    return Built(session, info, (time.perf_counter_ns() - t0) / 1e6)


def feeds_for(config: RunConfig, info: ModelInfo, batch: int) -> dict[str, np.ndarray]:
    """Synthesized (or file-provided) inputs for one batch size."""
    return synthesize_inputs(
        info,
        batch,
        dims=config.dims,
        int_ranges=config.int_ranges,
        input_files=config.input_files,
        seed=config.seed,
    )


def timed_first_run(session: ort.InferenceSession, feeds: dict[str, np.ndarray]) -> float:
    """Milliseconds of the very first inference (allocations and lazy init included)."""
    t0 = time.perf_counter_ns()
    session.run(None, feeds)
    return (time.perf_counter_ns() - t0) / 1e6


def versions() -> dict[str, str]:
    """Software versions recorded with every run."""
    return {
        "planner": planner.__version__,
        "onnxruntime": ort.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]
