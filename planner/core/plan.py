"""Planning inputs and results: measured points, catalogue rows, scenarios, plan results.

Frozen dataclasses shared by planning (which computes), storage (which persists runs and
catalogue rows), cli and reports (which show results). Money is in the scenario's
currency once a scenario is resolved; rates are per second, times per month. No logic
beyond small derived properties and JSON conversion; safe on any thread.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

LATENCY_KEYS = ("p50", "p90", "p95", "p99", "p99.9", "mean")
ProvenanceKind = Literal["measured", "estimated", "catalogue", "user"]


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
class Demand:
    avg_rate: float  # requests/s, one inference per request
    peak_factor: float
    growth_per_year: float
    horizon_months: int
    latency_percentile: str
    latency_target_ms: float
    hourly_profile: tuple[float, ...] | None = None  # 24 relative weights
    price_per_1k: float | None = None

    @property
    def profile(self) -> np.ndarray:
        """Hourly weights normalised to mean 1 (all ones without a profile)."""
        if self.hourly_profile is None:
            return np.ones(24)
        weights = np.asarray(self.hourly_profile, dtype=float)
        return weights / weights.mean()

    @property
    def effective_peak_factor(self) -> float:
        """Peak over average: the larger of peak_factor and the profile's busiest hour."""
        return max(self.peak_factor, float(self.profile.max()))


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
    provenance: Mapping[str, Provenance] = field(default_factory=dict)
    kind: str = "cloud"


@dataclass(frozen=True)
class ApiOption:
    name: str
    price_per_request: float
    provenance: Mapping[str, Provenance] = field(default_factory=dict)
    kind: str = "api"


Option = OnPremOption | CloudOption | ApiOption


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


@dataclass(frozen=True)
class OptionResult:
    name: str
    kind: str
    estimated: bool
    capacity_per_unit: float | None
    units: np.ndarray | None  # per month (on-prem, cloud fixed) or mean per month (hourly)
    components: Mapping[str, np.ndarray]  # monthly cost per component
    monthly_total: np.ndarray
    cumulative: np.ndarray
    total: float
    cost_per_1k: float
    cost_per_1m: float
    margin_per_1k: float | None
    energy_kwh: np.ndarray | None
    co2_kg: np.ndarray | None
    utilization_avg: np.ndarray | None
    utilization_peak: np.ndarray | None
    provenance: tuple[Provenance, ...]


@dataclass(frozen=True)
class BreakEven:
    onprem: str
    alternative: str
    month: int | None  # 1-based; None when never within the horizon


@dataclass(frozen=True)
class SensitivityItem:
    input: str
    low: float
    high: float
    diff_low: float
    diff_high: float

    @property
    def swing(self) -> float:
        return abs(self.diff_high - self.diff_low)


@dataclass(frozen=True)
class SensitivityResult:
    option_a: str
    option_b: str
    base_diff: float  # total(a) - total(b)
    items: tuple[SensitivityItem, ...]  # ranked by swing, largest first


@dataclass(frozen=True)
class MonteCarloResult:
    draws: int
    seed: int
    cumulative_p10: Mapping[str, np.ndarray]
    cumulative_p50: Mapping[str, np.ndarray]
    cumulative_p90: Mapping[str, np.ndarray]
    prob_cheapest: Mapping[str, float]


@dataclass(frozen=True)
class PlanResult:
    scenario: str
    currency: str
    months: int
    avg_rate: np.ndarray
    peak_rate: np.ndarray
    inferences: np.ndarray
    options: tuple[OptionResult, ...]
    breakeven: tuple[BreakEven, ...]
    sensitivity: SensitivityResult | None
    monte_carlo: MonteCarloResult | None

    def option(self, name: str) -> OptionResult:
        return next(o for o in self.options if o.name == name)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: arrays become lists, NaN and infinities become None."""
        return _jsonable(self)


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, SensitivityItem):
            out["swing"] = value.swing
        return out
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value
