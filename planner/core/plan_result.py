"""Plan results: per-option monthly series, break-evens, sensitivity and Monte Carlo.

Frozen dataclasses produced by planning (which computes them) and read by the CLI, the
GUI and reports. ``PlanResult.to_dict()`` is the JSON form storage keeps (non-finite
numbers become null) and ``PlanResult.from_dict`` reads it back as the same typed
object (null becomes NaN in arrays), so every output reads attributes, never keys.
Plans stored before net present value and break-even intervals existed read back with
the nominal view, NaN present values and one interval per break-even month.
No logic beyond JSON conversion and small derived properties; safe on any thread.
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
    npv: float  # net present value of the monthly costs at the plan's discount rate
    cumulative_npv: np.ndarray  # cumulative discounted cost per month
    residual_value: float  # book value of hardware in service at horizon end (on-prem)
    warnings: tuple[str, ...]  # assumptions a reader must know (estimates, representatives)
    cost_per_1m_output_tokens: float | None = None  # a demand in tokens: total / output tokens
    margin_per_1m_tokens: float | None = None  # price charged per 1M output tokens minus cost
    cost_per_1m_tokens: float | None = None  # a demand in tokens: total / (prompt + output)

    def cumulative_in(self, view: str) -> np.ndarray:
        """Cumulative cost in ``view`` ("npv": discounted, else nominal)."""
        return self.cumulative_npv if view == "npv" else self.cumulative

    def total_in(self, view: str) -> float:
        """Total cost over the horizon in ``view`` ("npv": net present value, else nominal)."""
        return self.npv if view == "npv" else self.total


def _array(values: Any) -> np.ndarray:
    return np.asarray([np.nan if v is None else v for v in values], dtype=float)


def _optional_array(values: Any) -> np.ndarray | None:
    return None if values is None else _array(values)


def _number(value: Any) -> float:
    return math.nan if value is None else float(value)


def _option_from_dict(data: Mapping[str, Any]) -> OptionResult:
    cumulative = _array(data["cumulative"])
    return OptionResult(
        name=str(data["name"]),
        kind=str(data["kind"]),
        estimated=bool(data["estimated"]),
        capacity_per_unit=data["capacity_per_unit"],
        units=_optional_array(data["units"]),
        components={str(k): _array(v) for k, v in data["components"].items()},
        monthly_total=_array(data["monthly_total"]),
        cumulative=cumulative,
        total=_number(data["total"]),
        cost_per_1k=_number(data["cost_per_1k"]),
        cost_per_1m=_number(data["cost_per_1m"]),
        margin_per_1k=data["margin_per_1k"],
        energy_kwh=_optional_array(data["energy_kwh"]),
        co2_kg=_optional_array(data["co2_kg"]),
        utilization_avg=_optional_array(data["utilization_avg"]),
        utilization_peak=_optional_array(data["utilization_peak"]),
        provenance=tuple(Provenance(**p) for p in data["provenance"]),
        npv=_number(data.get("npv")),
        cumulative_npv=_array(data.get("cumulative_npv", [None] * cumulative.size)),
        residual_value=_number(data.get("residual_value", 0.0)),
        warnings=tuple(str(w) for w in data.get("warnings", ())),
        cost_per_1m_output_tokens=_optional_number(data.get("cost_per_1m_output_tokens")),
        margin_per_1m_tokens=_optional_number(data.get("margin_per_1m_tokens")),
        cost_per_1m_tokens=_optional_number(data.get("cost_per_1m_tokens")),
    )


def _optional_number(value: Any) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class BreakEven:
    """Where an on-prem option's cumulative cost is at most an alternative's, month by month.

    With hardware bought again at end of life the two curves can cross more than once,
    so the comparison is a list of intervals, not one month: ``intervals`` holds 1-based
    inclusive (first, last) months in which on-prem is cheaper or equal, in ``view``.
    """

    onprem: str
    alternative: str
    intervals: tuple[tuple[int, int], ...]
    horizon: int
    difference_at_horizon: float  # alternative minus on-prem at the horizon end
    view: str = "nominal"

    @property
    def month(self) -> int | None:
        """The break-even month: on-prem stays cheaper from it to the horizon end; else None.

        A crossing that later reverses is not a break-even, so it never appears here.
        """
        if self.intervals and self.intervals[-1][1] == self.horizon:
            return self.intervals[-1][0]
        return None

    @property
    def crossings(self) -> tuple[int, ...]:
        """Months in which the cheaper of the two changes: each interval's first month and
        the month after its last (when that is within the horizon)."""
        months: list[int] = []
        for first, last in self.intervals:
            months.append(first)
            if last < self.horizon:
                months.append(last + 1)
        return tuple(months)

    @property
    def onprem_cheaper_at_horizon(self) -> bool:
        return bool(self.intervals) and self.intervals[-1][1] == self.horizon


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
    view: str = "nominal"  # the view the bands and the odds are in


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
    view: str = "nominal"  # how options are ranked: "npv" or "nominal"
    discount_rate: float = 0.0  # per year, for the npv view and every npv figure
    assumptions: tuple[Provenance, ...] = ()  # scenario-wide figures (discount rate, view)
    output_tokens_per_request: float | None = None  # set when the demand counts tokens
    input_tokens_per_request: float | None = None  # prompt tokens, likewise

    def option(self, name: str) -> OptionResult:
        return next(o for o in self.options if o.name == name)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: arrays become lists, NaN and infinities become None."""
        return dict(jsonable(self))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PlanResult:
        """The inverse of :meth:`to_dict` (None read back as NaN inside arrays)."""
        sensitivity = data.get("sensitivity")
        monte_carlo = data.get("monte_carlo")
        months = int(data["months"])
        return cls(
            scenario=str(data["scenario"]),
            currency=str(data["currency"]),
            months=months,
            avg_rate=_array(data["avg_rate"]),
            peak_rate=_array(data["peak_rate"]),
            inferences=_array(data["inferences"]),
            options=tuple(_option_from_dict(o) for o in data["options"]),
            breakeven=tuple(_breakeven_from_dict(b, months) for b in data["breakeven"]),
            sensitivity=None if sensitivity is None else _sensitivity_from_dict(sensitivity),
            monte_carlo=None if monte_carlo is None else _monte_carlo_from_dict(monte_carlo),
            view=str(data.get("view", "nominal")),
            discount_rate=_number(data.get("discount_rate", 0.0)),
            assumptions=tuple(Provenance(**p) for p in data.get("assumptions", ())),
            output_tokens_per_request=_optional_number(data.get("output_tokens_per_request")),
            input_tokens_per_request=_optional_number(data.get("input_tokens_per_request")),
        )


def _breakeven_from_dict(data: Mapping[str, Any], months: int) -> BreakEven:
    """A stored break-even; a plan stored with one month only reads as one interval to the end."""
    if "intervals" in data:
        intervals = tuple((int(a), int(b)) for a, b in data["intervals"])
    else:
        intervals = ((int(data["month"]), months),) if data.get("month") else ()
    return BreakEven(
        onprem=str(data["onprem"]),
        alternative=str(data["alternative"]),
        intervals=intervals,
        horizon=int(data.get("horizon", months)),
        difference_at_horizon=_number(data.get("difference_at_horizon")),
        view=str(data.get("view", "nominal")),
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
        view=str(data.get("view", "nominal")),
    )


def jsonable(value: Any) -> Any:
    """JSON-ready form of plan objects: dataclasses and mappings to dicts, arrays to lists,
    non-finite floats to None; break-evens gain their month and crossings, tornado items
    their swing."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, SensitivityItem):
            out["swing"] = value.swing
        if isinstance(value, BreakEven):
            out["month"] = value.month
            out["crossings"] = list(value.crossings)
        return out
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value
