"""Profiling run configuration and results: frozen dataclasses shared by every layer.

Pure data, no threads or processes of its own. Built by the CLI/GUI (``RunConfig``), by
the profiling worker (``PointResult``, ``RunResult``) and by storage when reading back.
``to_dict``/``from_dict`` give JSON-ready dicts; latency samples (float32 arrays) can be
left out of ``to_dict`` so storage keeps them as a separate blob.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any

import numpy as np

from planner.core.errors import InputError
from planner.core.generative import GenerativeSettings
from planner.core.latency import LatencyStats, json_number
from planner.core.token_stats import TokenStats


class Scenario(StrEnum):
    """How load is applied, named as in MLPerf LoadGen."""

    SINGLE_STREAM = "single-stream"
    OFFLINE = "offline"
    CONCURRENCY = "concurrency"
    SERVER = "server"
    GENERATIVE = "generative"  # a decoder's token stream: prompt x output x sequences


class RunStatus(StrEnum):
    """Where a run stands; ``RUNNING`` only while the process recording it lives.

    ``INTERRUPTED``: the process that recorded the run died (killed, crashed, power cut)
    before it could store an ending; the points it finished are kept.
    """

    RUNNING = "running"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


class FailureKind(StrEnum):
    """Why a failed run failed, so front ends can tell the user's model from planner's bugs.

    ``RUNTIME``: ONNX Runtime rejected the model or its inputs (raw text in
    ``failure_detail``); ``PROVIDER``: the execution provider did not run the model;
    ``BUDGET``: the model is slower than the time budget allows; ``SETUP``: the model,
    dims or inputs cannot be used; ``WORKER``: the worker process died or hung;
    ``INTERNAL``: a bug in planner (``failure_detail`` names the crash log).
    """

    NONE = ""
    SETUP = "setup"
    RUNTIME = "runtime"
    PROVIDER = "provider"
    BUDGET = "budget"
    WORKER = "worker"
    INTERNAL = "internal"


SCENARIOS = tuple(s.value for s in Scenario)
GRAPH_OPTIMIZATIONS = ("disable", "basic", "extended", "all")
RUN_STATUSES = (
    RunStatus.COMPLETED.value,
    RunStatus.CANCELLED.value,
    RunStatus.FAILED.value,
    RunStatus.INTERRUPTED.value,
)
TEST_HOOKS = ("exit", "abort", "segfault", "hang", "raise")
PERCENTILE_NAMES = ("p50", "p90", "p95", "p99", "p999")


def is_reportable(status: str, point_count: int) -> bool:
    """A run a report or a comparison can show: it completed and measured something."""
    return status == RunStatus.COMPLETED and point_count > 0


def is_plannable(status: str, scenario: str, point_count: int) -> bool:
    """A run a plan can size servers from: reportable, with latency measured under load.

    An offline run measures throughput with every sample queued at once, so it says
    nothing about the latency a request sees; capacity at a latency target needs one of
    the other scenarios.
    """
    return is_reportable(status, point_count) and scenario != Scenario.OFFLINE


def lacks_server_load(scenario: str, target_rates: tuple[float, ...], slo_ms: float | None) -> bool:
    """True for a server run with neither arrival rates to measure nor a target to search.

    The one rule; each front end phrases the refusal in its own terms (flags, fields).
    """
    return scenario == Scenario.SERVER and not target_rates and slo_ms is None


def point_label(scenario: str, batch: int, concurrency: int, target_rate: float | None) -> str:
    """How a point is named to people: by what the sweep varies in its scenario."""
    if scenario == Scenario.GENERATIVE:
        return f"{concurrency} sequence{'' if concurrency == 1 else 's'}"
    if scenario == "server":
        return f"rate {target_rate:g}/s"
    if scenario == "concurrency":
        return f"concurrency {concurrency}"
    return f"batch {batch}"


@dataclass(frozen=True)
class RunConfig:
    """Everything that defines a profiling run; stored with the run for provenance."""

    model_path: str
    scenario: str = "single-stream"
    provider: str = "CPUExecutionProvider"
    batch_sizes: tuple[int, ...] = (1,)
    concurrency: tuple[int, ...] = (1,)
    intra_op_threads: int | None = None
    inter_op_threads: int | None = None
    graph_optimization: str = "all"
    dims: dict[str, int] = field(default_factory=dict)
    int_ranges: dict[str, tuple[int, int]] = field(default_factory=dict)
    input_files: tuple[str, ...] = ()
    time_budget_s: float = 120.0
    point_cap_s: float = 10.0
    warmup_s: float = 0.2
    window_s: float = 0.25
    min_windows: int = 3
    min_samples: int = 64
    ci_tolerance: float = 0.01
    throughput_tolerance: float = 0.02
    seed: int = 0
    target_rates: tuple[float, ...] = ()
    slo_percentile: float = 99.0
    slo_ms: float | None = None
    rate_search_steps: int = 6
    stall_gain: float = 0.05
    stall_steps: int = 4
    telemetry_period_s: float = 0.1
    gpu_period_s: float = 0.05
    memory_limit_bytes: int | None = None
    deadline_s: float | None = None
    cancel_grace_s: float = 5.0
    test_hook: str | None = None
    generative: GenerativeSettings | None = None

    def __post_init__(self) -> None:
        if self.scenario not in SCENARIOS:
            raise InputError(f"unknown scenario {self.scenario!r}; use one of {SCENARIOS}")
        if self.graph_optimization not in GRAPH_OPTIMIZATIONS:
            raise InputError(f"unknown graph optimization {self.graph_optimization!r}")
        if self.test_hook is not None and self.test_hook not in TEST_HOOKS:
            raise InputError(f"unknown test hook {self.test_hook!r}")
        if not self.batch_sizes or min(self.batch_sizes) < 1:
            raise InputError("batch sizes must be positive integers")
        if not self.concurrency or min(self.concurrency) < 1:
            raise InputError("concurrency levels must be positive integers")
        if lacks_server_load(self.scenario, self.target_rates, self.slo_ms):
            raise InputError("the server scenario needs target rates or an SLO (slo_ms)")
        if (self.scenario == Scenario.GENERATIVE) != (self.generative is not None):
            raise InputError(
                "the generative scenario, and only it, takes prompt and output token lengths"
            )

    @property
    def effective_deadline_s(self) -> float:
        """Wall-clock limit after which the parent stops the worker.

        The worker keeps every point, and its first inference, within the budget itself;
        the grace covers process start-up and one inference ONNX Runtime could not stop
        mid-node. Past it, the worker is hung or one node is slower than the budget.
        """
        if self.deadline_s is not None:
            return self.deadline_s
        return self.time_budget_s + max(30.0, 0.1 * self.time_budget_s)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("batch_sizes", "concurrency", "input_files", "target_rates"):
            data[key] = list(data[key])
        data["int_ranges"] = {k: list(v) for k, v in self.int_ranges.items()}
        data["generative"] = None if self.generative is None else self.generative.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunConfig:
        known = {f.name for f in fields(cls)}
        kw = {k: v for k, v in data.items() if k in known}
        for key in ("batch_sizes", "concurrency", "input_files", "target_rates"):
            if key in kw:
                kw[key] = tuple(kw[key])
        if "int_ranges" in kw:
            kw["int_ranges"] = {k: (int(v[0]), int(v[1])) for k, v in kw["int_ranges"].items()}
        if kw.get("generative") is not None:
            kw["generative"] = GenerativeSettings.from_dict(kw["generative"])
        return cls(**kw)


@dataclass(frozen=True, eq=False)
class TelemetrySeries:
    """One sampled quantity during a point: times in seconds from point start."""

    name: str
    unit: str
    t: np.ndarray
    values: np.ndarray

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "unit": self.unit,
            "t": [float(x) for x in self.t],
            "values": [json_number(x) for x in self.values],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TelemetrySeries:
        values = [np.nan if v is None else v for v in data["values"]]
        return cls(
            data["name"],
            data["unit"],
            np.asarray(data["t"], dtype=np.float64),
            np.asarray(values, dtype=np.float64),
        )


@dataclass(frozen=True)
class EnergyResult:
    """Energy for one point, with the method that produced it (or why there is none).

    ``estimated`` is true when no meter measured the energy (a TDP estimate); ``detail``
    then says how it was estimated (TDP, its source, the utilisation it was scaled by).
    A measured figure and an estimate are never mixed in one result.
    """

    method: str
    energy_j: float | None = None
    joules_per_inference: float | None = None
    avg_power_w: float | None = None
    inferences_per_joule: float | None = None
    reason: str = ""
    estimated: bool = False
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("energy_j", "joules_per_inference", "avg_power_w", "inferences_per_joule"):
            data[key] = json_number(data[key])
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EnergyResult:
        return cls(**data)


@dataclass(frozen=True, eq=False)
class PointResult:
    """One measured operating point (a batch size, concurrency level or arrival rate)."""

    scenario: str
    batch: int
    concurrency: int
    target_rate: float | None
    stats: LatencyStats
    throughput_ips: float
    samples_ms: np.ndarray
    stable: bool
    stop_reason: str
    windows: int
    duration_s: float
    loadgen_cpu_pct: float
    loadgen_saturated: bool
    peak_rss_bytes: int
    telemetry: tuple[TelemetrySeries, ...] = ()
    energy: EnergyResult = field(default_factory=lambda: EnergyResult("unavailable"))
    median_ci_pct: float | None = None
    tokens: TokenStats | None = None

    @property
    def label(self) -> str:
        """Short human label, e.g. ``batch 8``, ``concurrency 4``, ``rate 120/s``."""
        if self.tokens is not None:
            t = self.tokens
            seqs = "sequence" if t.sequences == 1 else "sequences"
            return f"{t.prompt_tokens}+{t.output_tokens} tokens, {t.sequences} {seqs}"
        return point_label(self.scenario, self.batch, self.concurrency, self.target_rate)

    def to_dict(self, include_samples: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("stats", "samples_ms", "telemetry", "energy", "tokens")
        }
        data["throughput_ips"] = json_number(self.throughput_ips)
        data["median_ci_pct"] = json_number(self.median_ci_pct)
        data["stats"] = self.stats.to_dict()
        data["telemetry"] = [s.to_dict() for s in self.telemetry]
        data["energy"] = self.energy.to_dict()
        data["tokens"] = None if self.tokens is None else self.tokens.to_dict()
        if include_samples:
            data["samples_ms"] = [float(x) for x in self.samples_ms]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], samples_ms: np.ndarray | None = None) -> PointResult:
        kw = dict(data)
        kw["stats"] = LatencyStats.from_dict(data["stats"])
        kw["telemetry"] = tuple(TelemetrySeries.from_dict(s) for s in data.get("telemetry", ()))
        kw["energy"] = EnergyResult.from_dict(data["energy"])
        tokens = data.get("tokens")
        kw["tokens"] = None if tokens is None else TokenStats.from_dict(tokens)
        raw = samples_ms if samples_ms is not None else data.get("samples_ms", ())
        kw["samples_ms"] = np.asarray(raw, dtype=np.float32)
        return cls(**kw)


@dataclass(frozen=True, eq=False)
class RunResult:
    """A whole run: its configuration, provenance, status and measured points.

    ``assumed`` maps each input dimension (or input value) planner chose without being
    told to the reason, e.g. ``{"height": "640: image side, detector convention"}``;
    ``provider_nodes`` counts the graph nodes each execution provider took.
    """

    id: str
    config: RunConfig
    model_sha256: str
    model_name: str
    model_path: str
    status: str
    failure_reason: str
    started_at: str
    finished_at: str
    session_create_ms: float | None
    first_inference_ms: float | None
    versions: dict[str, str]
    dims_used: dict[str, int]
    points: tuple[PointResult, ...]
    max_rate_within_slo: float | None = None
    notes: tuple[str, ...] = ()
    assumed: dict[str, str] = field(default_factory=dict)
    failure_kind: str = FailureKind.NONE.value
    failure_detail: str = ""
    provider_nodes: dict[str, int] = field(default_factory=dict)

    def to_dict(self, include_samples: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("config", "points")
        }
        data["config"] = self.config.to_dict()
        data["points"] = [p.to_dict(include_samples) for p in self.points]
        data["notes"] = list(self.notes)
        for key in ("session_create_ms", "first_inference_ms", "max_rate_within_slo"):
            data[key] = json_number(data[key])
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunResult:
        kw = dict(data)
        kw["config"] = RunConfig.from_dict(data["config"])
        kw["points"] = tuple(PointResult.from_dict(p) for p in data["points"])
        kw["notes"] = tuple(data.get("notes", ()))
        return cls(**kw)
