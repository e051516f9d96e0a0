"""Planning inputs: measured points, provenance, catalogue rows, options and scenarios.

Frozen dataclasses shared by planning (which resolves and computes), storage (which keeps
catalogue rows) and the outputs; results live in ``plan_result``. Money is in the
scenario's currency once a scenario is resolved; rates are per second, times per month.
No logic beyond small derived properties; safe on any thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

LATENCY_KEYS = ("p50", "p90", "p95", "p99", "p99.9", "mean")
ProvenanceKind = Literal["measured", "estimated", "catalogue", "user"]


@dataclass(frozen=True)
class TokenFigures:
    """What a generative point measured, in the form capacity sizing reads (ms, per second).

    ``ttft_ms`` and ``tpot_ms`` hold the percentiles the samples supported (p50, p90, ...).
    """

    prompt_tokens: int
    output_tokens: int
    sequences: int
    ttft_ms: Mapping[str, float]
    tpot_ms: Mapping[str, float]
    output_tokens_per_s: float
    input_tokens_per_s: float


@dataclass(frozen=True)
class MeasuredPoint:
    """One operating point of a profiling run, as storage returns it."""

    run_id: str
    scenario: str  # "server" | "concurrency" | "offline" | "single-stream"
    concurrency: int
    batch: int
    target_rate: float | None
    throughput: float  # inferences/s
    latency_ms: Mapping[str, float]  # LATENCY_KEYS present when measured
    latency_cv: float | None
    power_w: float | None
    energy_method: str
    machine: str
    stable: bool = True  # False when the profiler marked the point UNSTABLE
    device: str = ""  # what ran the model: a GPU model ("NVIDIA L40S") or "CPU: <model>"
    energy_estimated: bool = False  # power_w is a profiling estimate (TDP), not a meter's
    energy_detail: str = ""  # how an estimate was made (TDP, its source, utilisation)
    tokens: TokenFigures | None = None  # a generative point: throughput is output tokens/s
    model_note: str = ""  # what the measured model says of itself ("random weights: ...")
    context_length: int | None = None  # a decoder's tokens per sequence at most
    assumed_dims: str = ""  # "batch=1, height=640*, width=640*" when planner chose sizes
    model_sha256: str = ""  # the measured ONNX file; "" when the caller did not say
    model_name: str = ""


@dataclass(frozen=True)
class Provenance:
    """Where a figure comes from: a measured run, an estimate method, a catalogue row, the user."""

    kind: ProvenanceKind
    detail: str
    source: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class HardwareRow:
    name: str
    kind: str  # "gpu" | "server" | "cpu" | "accelerator"
    price: float
    currency: str
    power_w: float
    idle_w: float | None
    gpu_count: int
    fp16_tflops: float | None
    fp32_tflops: float | None
    memory_bw_gbs: float | None
    source: str
    date: str
    verified: bool
    gpu_model: str = ""  # server rows: the GPU each holds (a ``gpu`` row's name)
    cpu: str = ""  # server rows: CPU model and sockets, as the vendor names them
    memory_gb: float | None = None
    threads: int | None = None  # hardware threads (cores x SMT); a CPU instance's vCPUs share them

    @property
    def device(self) -> str:
        """What runs a model on this hardware: its GPU model, or "CPU" for CPU-only rows.

        A GPU server stored without ``gpu_model`` (a catalogue from before the column)
        answers with its name, which names its GPUs ("8x NVIDIA H100 SXM server").
        """
        if self.gpu_count == 0 and self.kind != "gpu":
            return "CPU"
        return self.gpu_model or self.name


@dataclass(frozen=True)
class CloudPriceRow:
    provider: str
    instance: str
    region: str
    gpu: str
    gpu_count: int
    pricing: str  # "on-demand" | "reserved-1y" | "reserved-3y" | "spot"
    price_per_hour: float
    currency: str
    source: str
    date: str
    verified: bool
    vcpus: int | None = None  # from the provider's instance specifications; None: not known


@dataclass(frozen=True)
class ApiPriceRow:
    provider: str
    product: str
    unit: str  # "1k_requests" | "1m_input_tokens" | "1m_output_tokens"
    price: float
    currency: str
    source: str
    date: str
    verified: bool


@dataclass(frozen=True)
class CostDefaultRow:
    key: str
    value: float
    low: float
    high: float
    unit: str
    currency: str | None
    source: str
    date: str
    verified: bool


@dataclass(frozen=True)
class CarbonRow:
    code: str
    country: str
    g_co2_per_kwh: float
    year: int
    source: str
    verified: bool

    @property
    def date(self) -> str:
        return str(self.year)


CatalogRow = HardwareRow | CloudPriceRow | ApiPriceRow | CostDefaultRow | CarbonRow


def row_provenance(row: CatalogRow, detail: str) -> Provenance:
    """Provenance of a figure taken from a catalogue row; unverified rows say so."""
    note = "" if row.verified else " (unverified)"
    return Provenance("catalogue", detail + note, row.source, row.date)


@dataclass(frozen=True)
class TokenDemand:
    """A generative service's requests: tokens in and out, and the latency it promises.

    Targets are at the demand's ``latency_percentile``; a price charged is per 1M output
    tokens (for margins).
    """

    input_tokens: float
    output_tokens: float
    ttft_target_ms: float | None = None
    tpot_target_ms: float | None = None
    price_per_1m_tokens: float | None = None


@dataclass(frozen=True)
class Demand:
    avg_rate: float  # requests/s, one inference per request
    peak_factor: float
    growth_per_year: float
    horizon_months: int
    latency_percentile: str
    latency_target_ms: float
    hourly_profile: tuple[float, ...] | None = None  # 24 relative weights
    price_per_1k: float | None = None
    tokens: TokenDemand | None = None  # requests of a generative model (LLM)
    provenance: tuple[Provenance, ...] = ()  # how avg_rate was derived (tokens_per_day)

    @property
    def profile(self) -> np.ndarray:
        """Hourly weights normalised to mean 1 (all ones without a profile)."""
        if self.hourly_profile is None:
            return np.ones(24)
        weights = np.asarray(self.hourly_profile, dtype=float)
        normalised: np.ndarray = weights / weights.mean()
        return normalised

    @property
    def effective_peak_factor(self) -> float:
        """Peak over average: the larger of peak_factor and the profile's busiest hour."""
        return max(self.peak_factor, float(self.profile.max()))


@dataclass(frozen=True)
class MeasuredLoad:
    """A unit's load watts taken from a run's energy figure: a meter's, or a TDP estimate.

    Kept beside the performance so that a figure derived from it (the provisioned power
    of an on-prem option without hardware) still says which it was: only a meter's
    reading may be called measured.
    """

    watts: float
    method: str  # the run's energy method ("RAPL counter", "TDP estimate", ...)
    run_id: str
    estimated: bool  # no meter: a profiling estimate


@dataclass(frozen=True)
class Performance:
    """Capacity of one unit (server or instance) at the latency target."""

    capacity: float  # inferences/s per unit meeting the latency target
    load_w: float | None  # per unit at the operating point
    idle_w: float | None
    latency_cv: float | None
    estimated: bool
    method: str
    provenance: tuple[Provenance, ...]
    warnings: tuple[str, ...] = ()  # what a reader must know before trusting the capacity
    measured_load: MeasuredLoad | None = None  # load_w when a run's power gave it


@dataclass(frozen=True)
class OnPremOption:
    name: str
    performance: Performance
    unit_price: float
    unit_power_w: float  # provisioned (nameplate) power, for colocation
    gpus_per_unit: int
    integration_share: float
    depreciation_years: float
    capex_mode: str  # "cash" | "straight-line"
    support_pct: float
    staff_fte: float
    staff_cost_per_year: float
    licence_per_gpu_year: float
    licence_fixed_per_year: float
    pue: float
    tariff_per_kwh: float
    facility: str  # "colocation" | "owned"
    colocation_per_kw_month: float
    facility_per_month: float
    redundancy: int
    target_utilization: float
    carbon_g_per_kwh: float | None
    residual_share: float = 1.0  # share of straight-line book value recovered at horizon end
    provenance: Mapping[str, Provenance] = field(default_factory=dict)
    kind: str = "on-prem"


@dataclass(frozen=True)
class CloudOption:
    name: str
    performance: Performance
    pricing: str
    price_per_hour: float
    gpus_per_unit: int
    scaling: str  # "hourly" | "fixed"
    egress_kb_per_request: float
    egress_per_gb: float
    egress_free_gb_per_month: float
    licence_per_gpu_hour: float
    redundancy: int
    target_utilization: float
    pue: float
    carbon_g_per_kwh: float | None
    staff_fte: float = 0.0
    staff_cost_per_year: float = 0.0
    term_months: int = 0  # reserved commitment per reservation; 0 = none (on demand, spot)
    provenance: Mapping[str, Provenance] = field(default_factory=dict)
    kind: str = "cloud"


@dataclass(frozen=True)
class ApiOption:
    name: str
    price_per_request: float
    staff_fte: float = 0.0
    staff_cost_per_year: float = 0.0
    provenance: Mapping[str, Provenance] = field(default_factory=dict)
    kind: str = "api"


Option = OnPremOption | CloudOption | ApiOption


VIEWS = ("npv", "nominal")


@dataclass(frozen=True)
class Finance:
    """How money at different months is compared: the decision view and the discount rate.

    ``view`` "npv" ranks options by net present value, each month's cost discounted by
    ``(1 + discount_rate) ** (-m / 12)`` with m the 0-based month (costs fall at the start
    of a month, so month 1 is undiscounted); "nominal" ranks by the plain sum.
    """

    view: str = "nominal"
    discount_rate: float = 0.0
    provenance: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class Uncertainty:
    """Ranges for Monte Carlo (triangular, mode at the base value) and sensitivity."""

    seed: int
    draws: int
    monte_carlo: Mapping[str, tuple[float, float]]
    sensitivity: Mapping[str, tuple[float, float]]
    compare: tuple[str, str] | None = None


@dataclass(frozen=True)
class Scenario:
    name: str
    currency: str
    demand: Demand
    options: tuple[Option, ...]
    uncertainty: Uncertainty
    country: str | None = None
    run_ids: tuple[str, ...] = ()
    finance: Finance = field(default_factory=Finance)
