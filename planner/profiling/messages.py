"""Typed messages from a profiling run to its listener (CLI progress bar, GUI QThread).

Created in the worker (process or in-process thread), pickled over a multiprocessing
queue, read by the parent. Frozen dataclasses only, never dicts. ``Progress`` is sent at
most once per measurement window (~4 per second), so listeners never need to throttle.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.core.run import PointResult, RunResult


@dataclass(frozen=True)
class RunStarted:
    """The session is built and warm: provenance known, measurement about to begin.

    ``assumed``: each dim or input value planner chose by convention, with its reason;
    ``provider_nodes``: graph nodes per execution provider.
    """

    run_id: str
    model_name: str
    model_sha256: str
    started_at: str
    session_create_ms: float
    first_inference_ms: float
    versions: dict[str, str]
    dims_used: dict[str, int]
    planned_points: tuple[str, ...]
    assumed: dict[str, str] = field(default_factory=dict)
    provider_nodes: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class PointStarted:
    index: int
    label: str


@dataclass(frozen=True)
class Progress:
    """Latest state of the current point; ``fraction`` and ``eta_s`` are for the whole run."""

    fraction: float
    eta_s: float
    label: str
    samples: int
    p50_ms: float | None
    throughput_ips: float
    median_ci_pct: float | None


@dataclass(frozen=True)
class PointFinished:
    index: int
    point: PointResult


@dataclass(frozen=True)
class RunFinished:
    """Terminal: the run completed or was cancelled; ``result.status`` says which."""

    result: RunResult


@dataclass(frozen=True)
class RunFailed:
    """Terminal: the run failed; ``result`` keeps every point finished before the failure."""

    reason: str
    result: RunResult


Message = RunStarted | PointStarted | Progress | PointFinished | RunFinished | RunFailed
TERMINAL = (RunFinished, RunFailed)
