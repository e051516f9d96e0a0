"""Monthly cost components per option kind, vectorised over draws and months.

Pure numpy; any thread. Each function takes a resolved option, the demand series and the
factors, and returns (draws, months) arrays. On-prem is sized for the month's peak and
never sells hardware before the horizon ends (units only grow); the hardware's
straight-line book value at horizon end, times ``residual_share``, is credited in the last
month ("residual"), so cash and straight-line capex give the same nominal total and
differ only in timing. Cloud follows the hourly profile or a fixed fleet per month;
reserved fleets are billed for every reserved month (``commitments``). A managed API is
billed per request. Every kind carries its operations staff.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.core.plan import ApiOption, CloudOption, OnPremOption, Option, Scenario
from planner.core.units import DAYS_PER_MONTH, HOURS_PER_MONTH
from planner.planning.commitments import reserve
from planner.planning.demand import DemandSeries, Factors, demand_series

_EPS = 1e-9


@dataclass(frozen=True)
class OptionArrays:
    components: dict[str, np.ndarray]  # (D, M) cost per component
    units: np.ndarray | None  # (D, M)
    energy_kwh: np.ndarray | None  # (D, M) facility energy
    util_avg: np.ndarray | None  # (D, M) average load / capacity in service
    util_peak: np.ndarray | None  # (D, M) peak load / capacity in service
    book_value: np.ndarray | None  # (D, 1) hardware book value at horizon end (on-prem)

    @property
    def monthly_total(self) -> np.ndarray:
        parts = iter(self.components.values())
        total = np.array(next(parts), dtype=float)
        for part in parts:
            total += part
        return total


def units_for(rate: np.ndarray, capacity: np.ndarray, util: np.ndarray, spare: int) -> np.ndarray:
    """Units serving ``rate`` at ``util`` of ``capacity`` each, plus ``spare`` for redundancy."""
    units: np.ndarray = np.ceil(rate / (capacity * util) - _EPS) + spare
    return units


def _with_refresh(purchases: np.ndarray, life: np.ndarray) -> np.ndarray:
    """Purchases plus the replacement of each unit every ``life`` months (per-draw life)."""
    total = purchases.copy()
    months = np.arange(purchases.shape[1])
    k = 1
    while True:
        idx = months - k * life.astype(int)
        valid = idx >= 0
        if not valid.any():
            return total
        total += np.where(valid, np.take_along_axis(purchases, np.maximum(idx, 0), axis=1), 0.0)
        k += 1


def _last_month(values: np.ndarray, months: int) -> np.ndarray:
    """(D, M) zeros holding (D,) ``values`` in the horizon's last month."""
    out = np.zeros((values.shape[0], months))
    out[:, -1] = values
    return out


def _staff(fte: float, cost_per_year: float, f: Factors, shape: tuple[int, int]) -> np.ndarray:
    return np.broadcast_to(fte * cost_per_year / 12.0 * f("staff"), shape)


def onprem_costs(o: OnPremOption, d: DemandSeries, f: Factors) -> OptionArrays:
    perf = o.performance
    cap = perf.capacity * f("capacity")
    util = np.minimum(o.target_utilization * f("utilization"), 1.0)
    units = np.maximum.accumulate(units_for(d.peak, cap, util, o.redundancy), axis=1)
    hw_price = o.unit_price * f("hardware_price")
    unit_cost = hw_price * (1.0 + o.integration_share)
    life = np.maximum(np.rint(o.depreciation_years * 12.0 * f("lifetime")), 1.0)
    straight = units * (unit_cost / life)
    cash = unit_cost * _with_refresh(np.diff(units, axis=1, prepend=0.0), life)
    # Book value at horizon end: what was paid minus what straight-line charged so far.
    book = cash.sum(axis=1) - straight.sum(axis=1)
    if o.capex_mode == "straight-line":
        capex, residual = straight, (1.0 - o.residual_share) * book  # loss on disposal
    else:
        capex, residual = cash, -o.residual_share * book
    load_w = perf.load_w if perf.load_w is not None else o.unit_power_w
    idle_w = perf.idle_w if perf.idle_w is not None else load_w
    it_w = units * idle_w + (load_w - idle_w) * d.avg / cap
    kwh = it_w * (HOURS_PER_MONTH / 1000.0 * o.pue) * f("pue")
    if o.facility == "colocation":
        facility = units * (o.unit_power_w / 1000.0 * o.colocation_per_kw_month)
    else:
        facility = np.broadcast_to(o.facility_per_month, units.shape)
    components = {
        "capex": capex,
        "residual": _last_month(residual, units.shape[1]),
        "power": kwh * (o.tariff_per_kwh * f("tariff")),
        "facility": facility,
        "support": units * (hw_price * o.support_pct * f("support") / 12.0),
        "staff": _staff(o.staff_fte, o.staff_cost_per_year, f, units.shape),
        "licences": units * (o.gpus_per_unit * o.licence_per_gpu_year / 12.0)
        + o.licence_fixed_per_year / 12.0,
    }
    in_service = units * cap
    return OptionArrays(
        components, units, kwh, d.avg / in_service, d.peak / in_service, book[:, None]
    )


def _hourly_fleet(
    o: CloudOption, d: DemandSeries, cap: np.ndarray, util: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Instance-hours a month and peak utilisation of a fleet following the hourly profile."""
    weights, counts = np.unique(d.profile.astype(np.float32), return_counts=True)
    per_unit = (d.avg * (d.burst / (cap * util))).astype(np.float32)
    shape = np.multiply(per_unit[:, :, None], weights)
    shape -= np.float32(_EPS)
    np.ceil(shape, out=shape)
    per_day = shape @ counts.astype(np.float32) + np.float32(24 * o.redundancy)
    busiest = per_unit * weights[-1]
    util_peak = busiest / (np.ceil(busiest - np.float32(_EPS)) + o.redundancy) * util
    return per_day.astype(float) * DAYS_PER_MONTH, util_peak


def cloud_costs(o: CloudOption, d: DemandSeries, f: Factors) -> OptionArrays:
    perf = o.performance
    cap = perf.capacity * f("capacity")
    util = np.minimum(o.target_utilization * f("utilization"), 1.0)
    price = o.price_per_hour * f("cloud_price") * (1.0 + f("cloud_drift")) ** (d.months / 12.0)
    months = d.avg.shape[1]
    owed = np.zeros((d.avg.shape[0], months))
    if o.scaling == "hourly":
        hours, util_peak = _hourly_fleet(o, d, cap, util)
        units = hours / HOURS_PER_MONTH
    else:
        units = units_for(d.peak, cap, util, o.redundancy)
        if o.term_months:
            reserved = reserve(units, o.term_months)
            units = reserved.units
            owed[:, -1] = reserved.months_beyond * HOURS_PER_MONTH * price[:, -1]
        hours = units * HOURS_PER_MONTH
        util_peak = d.peak / (units * cap)
    egress_gb = d.inferences * (o.egress_kb_per_request / 1e6)
    components = {
        "cloud_compute": hours * price,
        "commitment": owed,
        "staff": _staff(o.staff_fte, o.staff_cost_per_year, f, units.shape),
        "licences": hours * (o.gpus_per_unit * o.licence_per_gpu_hour),
        "egress": np.maximum(egress_gb - o.egress_free_gb_per_month, 0.0) * o.egress_per_gb,
    }
    kwh = None
    if perf.load_w is not None:
        idle_w = perf.idle_w if perf.idle_w is not None else perf.load_w
        busy_hours = d.avg / cap * HOURS_PER_MONTH
        kwh = (hours * idle_w + (perf.load_w - idle_w) * busy_hours) * (o.pue / 1000.0) * f("pue")
    util_avg = d.avg * HOURS_PER_MONTH / (hours * cap)
    return OptionArrays(components, units, kwh, util_avg, util_peak, None)


def api_costs(o: ApiOption, d: DemandSeries, f: Factors) -> OptionArrays:
    price = o.price_per_request * f("api_price") * (1.0 + f("cloud_drift")) ** (d.months / 12.0)
    fees = d.inferences * price
    components = {
        "api_fees": fees,
        "staff": _staff(o.staff_fte, o.staff_cost_per_year, f, fees.shape),
    }
    return OptionArrays(components, None, None, None, None, None)


def option_costs(o: Option, d: DemandSeries, f: Factors) -> OptionArrays:
    if isinstance(o, OnPremOption):
        return onprem_costs(o, d, f)
    if isinstance(o, CloudOption):
        return cloud_costs(o, d, f)
    return api_costs(o, d, f)


def evaluate(
    scenario: Scenario, factors: Factors, options: tuple[Option, ...] | None = None
) -> tuple[DemandSeries, list[OptionArrays]]:
    """Demand and cost arrays of ``options`` (default: all) for every draw of ``factors``."""
    d = demand_series(scenario.demand, factors)
    chosen = scenario.options if options is None else options
    return d, [option_costs(o, d, factors) for o in chosen]
