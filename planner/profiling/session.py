"""Building the ONNX Runtime session and the input feeds for a run.

Runs in the profiling worker (process or in-process thread) before anything is timed, so
bad models, dims or providers fail the run with a one-line reason before measurement.

Provider check: ONNX Runtime falls back to CPU without raising when a provider's library
cannot load. After the session is created, :func:`check_providers` compares
``session.get_providers()`` with the request, and the graph assignment ONNX Runtime
records (``session.record_ep_graph_assignment_info``, read through
``get_provider_graph_assignment_info``) gives the nodes each provider took; a request
that got no node fails the run with the loader's reason.
"""

from __future__ import annotations

import platform
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import onnxruntime as ort

import planner
from planner.core.errors import ProfilingError
from planner.core.model import ModelInfo
from planner.core.run import FailureKind, RunConfig
from planner.hardware.providers import CPU, provider_load_error, usable_providers
from planner.models.inputs import dims_with_files, synthesize_inputs
from planner.models.inspect import inspect_model
from planner.profiling.failures import RunFailure

ASSIGNMENT_KEY = "session.record_ep_graph_assignment_info"

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
    provider_nodes: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


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
    options.add_session_config_entry(ASSIGNMENT_KEY, "1")
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


def inspect_for_run(config: RunConfig) -> ModelInfo:
    """The model as ``config`` feeds it: dims from the options and from the input files.

    A run's recorded dims, assumptions and FLOPs come from this, so an ``--input`` array
    of [1, 3, 48, 192] records 48x192, not the conventions' sizes for those dims.
    """
    batch = config.batch_sizes[0]
    dims = dims_with_files(config.model_path, batch, config.dims, config.input_files)
    return inspect_model(config.model_path, dims, batch=batch)


def build_session(config: RunConfig) -> Built:
    """Inspect the model (ModelError on bad input) and create its session, timed."""
    info = inspect_for_run(config)
    providers = providers_for(config)
    options = session_options(config)
    t0 = time.perf_counter_ns()
    try:
        session = ort.InferenceSession(config.model_path, options, providers=providers)
    except Exception as exc:  # ORT raises its own exception types for unloadable models
        kind = FailureKind.SETUP if config.provider == CPU else FailureKind.PROVIDER
        raise RunFailure(
            f"ONNX Runtime cannot load {info.name} on {config.provider}: {_first_line(exc)}",
            kind,
            str(exc),
        ) from exc
    created_ms = (time.perf_counter_ns() - t0) / 1e6
    nodes = provider_node_counts(session)
    notes = check_providers(config.provider, session.get_providers(), nodes, provider_load_error)
    return Built(session, info, created_ms, nodes, notes)


def provider_node_counts(session: ort.InferenceSession) -> dict[str, int]:
    """Graph nodes per provider, from ONNX Runtime's recorded assignment ({} if unrecorded)."""
    reader = getattr(session, "get_provider_graph_assignment_info", None)
    if reader is None:
        return {}
    counts: dict[str, int] = {}
    try:
        subgraphs = reader()
    except Exception:  # noqa: BLE001 - an ORT without the record: counts stay unknown
        return {}
    for subgraph in subgraphs:
        counts[subgraph.ep_name] = counts.get(subgraph.ep_name, 0) + len(subgraph.get_nodes())
    return counts


def check_providers(
    requested: str,
    active: Sequence[str],
    nodes: dict[str, int],
    load_error: Callable[[str], str | None],
) -> tuple[str, ...]:
    """RunFailure when ``requested`` did not run the model; notes on a partial placement.

    ``active`` is ``session.get_providers()``; ``nodes`` the nodes per provider (empty
    when unknown); ``load_error`` says why a provider's library did not load.
    """
    took = nodes.get(requested, 0)
    if requested in active and (took > 0 or not nodes):
        total = sum(nodes.values())
        if requested != CPU and took < total:
            return (f"{requested} took {took} of {total} nodes; {total - took} ran on CPU",)
        return ()
    why = load_error(requested) or "ONNX Runtime gave no reason (check its log output)"
    where = ", ".join(p for p in active if nodes.get(p, 1)) or CPU
    raise RunFailure(
        f"{requested} was requested but ONNX Runtime ran the model on {where} instead: {why}; "
        f"install what the provider needs, or profile with --provider {CPU}",
        FailureKind.PROVIDER,
        why,
    )


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


def timed_first_run(
    session: ort.InferenceSession, feeds: dict[str, np.ndarray], limit_s: float | None = None
) -> float:
    """Milliseconds of the very first inference (allocations and lazy init included).

    With ``limit_s``, ONNX Runtime is told to stop (``RunOptions.terminate``, checked
    between nodes) once the limit passes, and the run fails as slower than the budget.
    """
    options = ort.RunOptions()
    timer = threading.Timer(limit_s, _terminate, (options,)) if limit_s is not None else None
    if timer is not None:
        timer.daemon = True
        timer.start()
    t0 = time.perf_counter_ns()
    try:
        session.run(None, feeds, options)
    except Exception as exc:
        if timer is not None and options.terminate:
            raise RunFailure(
                f"slower than the budget: one inference did not finish in the {limit_s:.3g} s "
                "left of the time budget; give a larger --budget",
                FailureKind.BUDGET,
                str(exc),
            ) from exc
        raise
    finally:
        if timer is not None:
            timer.cancel()
    return (time.perf_counter_ns() - t0) / 1e6


def _terminate(options: ort.RunOptions) -> None:
    options.terminate = True


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
