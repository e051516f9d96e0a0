"""Plan results: per-option monthly series, break-evens, sensitivity and Monte Carlo.

Frozen dataclasses produced by planning (which computes them) and read by the CLI, the
GUI and reports; ``PlanResult.to_dict()`` is the JSON form that storage keeps and every
output formats. No logic beyond JSON conversion; safe on any thread.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from planner.core.plan import Provenance


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
