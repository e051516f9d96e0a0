"""Plan results: per-option monthly series, break-evens, sensitivity and Monte Carlo.

Frozen dataclasses produced by planning (which computes them) and read by the CLI, the
GUI and reports. ``PlanResult.to_dict()`` is the JSON form storage keeps (non-finite
numbers become null) and ``PlanResult.from_dict`` reads it back as the same typed
object (null becomes NaN in arrays), so every output reads attributes, never keys.
No logic beyond JSON conversion; safe on any thread.
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


def _array(values: Any) -> np.ndarray:
    return np.asarray([np.nan if v is None else v for v in values], dtype=float)


def _optional_array(values: Any) -> np.ndarray | None:
    return None if values is None else _array(values)


def _number(value: Any) -> float:
    return math.nan if value is None else float(value)


def _option_from_dict(data: Mapping[str, Any]) -> OptionResult:
    return OptionResult(
        name=str(data["name"]),
        kind=str(data["kind"]),
        estimated=bool(data["estimated"]),
        capacity_per_unit=data["capacity_per_unit"],
        units=_optional_array(data["units"]),
        components={str(k): _array(v) for k, v in data["components"].items()},
        monthly_total=_array(data["monthly_total"]),
        cumulative=_array(data["cumulative"]),
        total=_number(data["total"]),
        cost_per_1k=_number(data["cost_per_1k"]),
        cost_per_1m=_number(data["cost_per_1m"]),
        margin_per_1k=data["margin_per_1k"],
        energy_kwh=_optional_array(data["energy_kwh"]),
        co2_kg=_optional_array(data["co2_kg"]),
        utilization_avg=_optional_array(data["utilization_avg"]),
        utilization_peak=_optional_array(data["utilization_peak"]),
        provenance=tuple(Provenance(**p) for p in data["provenance"]),
    )


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
        return dict(_jsonable(self))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PlanResult:
        """The inverse of :meth:`to_dict` (None read back as NaN inside arrays)."""
        sensitivity = data.get("sensitivity")
        monte_carlo = data.get("monte_carlo")
        return cls(
            scenario=str(data["scenario"]),
            currency=str(data["currency"]),
            months=int(data["months"]),
            avg_rate=_array(data["avg_rate"]),
            peak_rate=_array(data["peak_rate"]),
            inferences=_array(data["inferences"]),
            options=tuple(_option_from_dict(o) for o in data["options"]),
            breakeven=tuple(
                BreakEven(str(b["onprem"]), str(b["alternative"]), b["month"])
                for b in data["breakeven"]
            ),
            sensitivity=None if sensitivity is None else _sensitivity_from_dict(sensitivity),
            monte_carlo=None if monte_carlo is None else _monte_carlo_from_dict(monte_carlo),
        )


def _sensitivity_from_dict(data: Mapping[str, Any]) -> SensitivityResult:
    items = tuple(
        SensitivityItem(
            str(i["input"]),
            _number(i["low"]),
            _number(i["high"]),
            _number(i["diff_low"]),
            _number(i["diff_high"]),
        )
        for i in data["items"]
    )
    return SensitivityResult(
        str(data["option_a"]), str(data["option_b"]), _number(data["base_diff"]), items
    )


def _monte_carlo_from_dict(data: Mapping[str, Any]) -> MonteCarloResult:
    def bands(key: str) -> dict[str, np.ndarray]:
        return {str(k): _array(v) for k, v in data[key].items()}

    return MonteCarloResult(
        draws=int(data["draws"]),
        seed=int(data["seed"]),
        cumulative_p10=bands("cumulative_p10"),
        cumulative_p50=bands("cumulative_p50"),
        cumulative_p90=bands("cumulative_p90"),
        prob_cheapest={str(k): _number(v) for k, v in data["prob_cheapest"].items()},
    )


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
