"""Monthly costs of an on-prem option: capex with refresh and residual value, running costs.

Pure numpy; any thread. Units are sized for the month's peak and never fall. Cash capex
buys units when needed and again at end of life; straight-line spreads each unit over
its life. The hardware's straight-line book value at horizon end (paid minus charged),
times ``residual_share``, is credited in the last month ("residual"); under
straight-line the unrecovered share is charged as a loss on disposal, so both capex modes
give the same nominal total and differ only in the months they book it. The money itself
is paid when a unit is bought, in either mode: that series (``OptionArrays.paid``) is the
one net present value discounts, so the accounting convention cannot move the NPV. Running
costs are linear in the units in service and in the requests served, so Monte Carlo
(``detail=False``) sums them in two array operations; the plan (``detail=True``) keeps
each component.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.core.plan import OnPremOption
from planner.core.units import HOURS_PER_MONTH
from planner.planning.demand import DemandSeries, Factors
from planner.planning.option_arrays import OptionArrays, staff, sum_components, units_for


@dataclass(frozen=True)
class _Rates:
    """Per draw: monthly kWh and money per unit in service, and per request/s served."""

    idle_kwh: np.ndarray  # kWh a month per unit in service (idle power, PUE included)
    busy_kwh: np.ndarray  # extra kWh a month per request/s served
    tariff: np.ndarray
    facility: np.ndarray | float  # per unit a month (colocation); 0 when owned
    facility_fixed: float  # a month (owned facility)
    support: np.ndarray  # per unit a month
    licence: float  # per unit a month
    licence_fixed: float  # a month


def _rates(o: OnPremOption, cap: np.ndarray, hw_price: np.ndarray, f: Factors) -> _Rates:
    perf = o.performance
    load_w = perf.load_w if perf.load_w is not None else o.unit_power_w
    idle_w = perf.idle_w if perf.idle_w is not None else load_w
    kwh_per_w = HOURS_PER_MONTH / 1000.0 * o.pue * f("pue")
    colocation = o.facility == "colocation"
    return _Rates(
        idle_kwh=idle_w * kwh_per_w,
        busy_kwh=(load_w - idle_w) / cap * kwh_per_w,
        tariff=o.tariff_per_kwh * f("tariff"),
        facility=o.unit_power_w / 1000.0 * o.colocation_per_kw_month if colocation else 0.0,
        facility_fixed=0.0 if colocation else o.facility_per_month,
        support=hw_price * o.support_pct * f("support") / 12.0,
        licence=o.gpus_per_unit * o.licence_per_gpu_year / 12.0,
        licence_fixed=o.licence_fixed_per_year / 12.0,
    )


def _with_refresh(purchases: np.ndarray, life: np.ndarray) -> np.ndarray:
    """Purchases plus the replacement of each unit every ``life`` months (per-draw life)."""
    total = purchases.copy()
    if life.min() == life.max():  # one life for every draw: shift by slices (the common case)
        step = int(life.flat[0])
        for shift in range(step, purchases.shape[1], step):
            total[:, shift:] += purchases[:, :-shift]
        return total
    months = np.arange(purchases.shape[1])
    k = 1
    while True:
        idx = months - k * life.astype(int)
        valid = idx >= 0
        if not valid.any():
            return total
        total += np.where(valid, np.take_along_axis(purchases, np.maximum(idx, 0), axis=1), 0.0)
        k += 1


@dataclass(frozen=True)
class _Capex:
    """Hardware money: (D, M) monthly charges and (D,) last-month entries (credit < 0)."""

    booked: np.ndarray  # as the capex mode books it
    booked_last: np.ndarray
    paid: np.ndarray  # in the months the units are bought (cash), whatever the mode
    paid_last: np.ndarray  # the resale credit
    book: np.ndarray  # (D,) book value at horizon end

    @property
    def spread(self) -> bool:
        """Whether booking moves money away from the months it is paid (straight-line)."""
        return self.booked is not self.paid


def _capex(o: OnPremOption, units: np.ndarray, unit_cost: np.ndarray, life: np.ndarray) -> _Capex:
    per_month = unit_cost / life
    bought = np.empty_like(units)
    bought[:, 0] = units[:, 0]
    np.subtract(units[:, 1:], units[:, :-1], out=bought[:, 1:])
    cash = unit_cost * _with_refresh(bought, life)
    book = cash.sum(axis=1) - units.sum(axis=1) * per_month[:, 0]
    credit = -o.residual_share * book
    if o.capex_mode == "straight-line":  # the unrecovered book value is a loss on disposal
        return _Capex(units * per_month, (1.0 - o.residual_share) * book, cash, credit, book)
    return _Capex(cash, credit, cash, credit, book)


def _with_last(monthly: np.ndarray, last: np.ndarray) -> np.ndarray:
    """A copy of (D, M) ``monthly`` with (D,) ``last`` added to its last month."""
    total = monthly.copy()
    total[:, -1] += last
    return total


def _last_only(months: int, last: np.ndarray) -> np.ndarray:
    """(D, M) zeros but for (D,) ``last`` in the last month."""
    return _with_last(np.zeros((last.shape[0], months)), last)


def onprem_costs(o: OnPremOption, d: DemandSeries, f: Factors, detail: bool = True) -> OptionArrays:
    cap = o.performance.capacity * f("capacity")
    util = np.minimum(o.target_utilization * f("utilization"), 1.0)
    units = units_for(d.peak, cap, util, o.redundancy)
    if not d.never_falls:  # hardware is kept: units only grow
        units = np.maximum.accumulate(units, axis=1)
    hw_price = o.unit_price * f("hardware_price")
    life = np.maximum(np.rint(o.depreciation_years * 12.0 * f("lifetime")), 1.0)
    c = _capex(o, units, hw_price * (1.0 + o.integration_share), life)
    r = _rates(o, cap, hw_price, f)
    staffing = staff(o.staff_fte, o.staff_cost_per_year, f, "staff_onprem")
    fixed = np.full((1, 1), r.facility_fixed + r.licence_fixed)
    book = c.book[:, None]
    if not detail:
        per_unit = r.idle_kwh * r.tariff + r.facility + r.support + r.licence
        running = units * per_unit + d.avg * (r.busy_kwh * r.tariff)
        parts = {"running": running, "staff": staffing, "fixed": fixed}
        booked = {**parts, "capex": _with_last(c.booked, c.booked_last)}
        paid = {**parts, "capex": _with_last(c.paid, c.paid_last)}
        cash = sum_components(paid) if c.spread else None
        return OptionArrays(booked, units, None, None, None, book, cash)
    kwh = units * r.idle_kwh + d.avg * r.busy_kwh
    months = units.shape[1]
    components = {
        "capex": c.booked,
        "residual": _last_only(months, c.booked_last),
        "power": kwh * r.tariff,
        "facility": units * r.facility + r.facility_fixed,
        "support": units * r.support,
        "staff": staffing,
        "licences": units * r.licence + r.licence_fixed,
    }
    as_paid = {**components, "capex": c.paid, "residual": _last_only(months, c.paid_last)}
    cash = sum_components(as_paid) if c.spread else None
    in_service = units * cap
    return OptionArrays(components, units, kwh, d.avg / in_service, d.peak / in_service, book, cash)
