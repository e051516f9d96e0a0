"""Monthly cost components per option kind, vectorised over draws and months.

Pure numpy; any thread. Each function takes a resolved option, the demand series and the
factors, and returns (draws, months) arrays. On-prem lives in ``onprem_costs``. Cloud
follows the hourly profile or a fixed fleet per month; reserved fleets are billed for
every reserved month (``commitments``). A managed API is billed per request. Every kind
carries its operations staff.
"""

from __future__ import annotations

import numpy as np

from planner.core.plan import ApiOption, CloudOption, OnPremOption, Option, Scenario
from planner.core.units import DAYS_PER_MONTH, HOURS_PER_MONTH
from planner.planning.commitments import reserve
from planner.planning.demand import DemandSeries, Factors, demand_series
from planner.planning.onprem_costs import onprem_costs
from planner.planning.option_arrays import NONE, OptionArrays, staff, units_for

_GUARD = 1e-12


def _hourly_fleet(
    o: CloudOption, d: DemandSeries, cap: np.ndarray, util: np.ndarray, detail: bool
) -> tuple[np.ndarray, np.ndarray | None]:
    """Instance-hours a month and peak utilisation of a fleet following the hourly profile.

    Instances in hour h: ceil(load x weight_h) + redundancy, summed over the day with
    each distinct weight counted once per hour that has it: one (draws, months) pass per
    distinct weight. Float64 throughout: a float32 fleet overflows to infinity (and loses
    whole instances past 2**24) at the loads a long horizon's growth reaches.
    """
    weights, counts = np.unique(d.profile, return_counts=True)
    # Loads a hair over a whole number of instances (rounding in the profile's weights and
    # the divisions) must not round up to one more: the relative guard covers float64
    # rounding at any load, and stays under one instance for fleets below 1e12.
    per_unit = d.avg * (d.burst / (cap * util) * (1.0 - _GUARD))
    per_day = np.full(per_unit.shape, 24.0 * o.redundancy)
    needed = np.empty_like(per_unit)
    for weight, hours in zip(weights, counts, strict=True):
        np.multiply(per_unit, weight, out=needed)
        np.ceil(needed, out=needed)
        needed *= hours
        per_day += needed
    hours = per_day * DAYS_PER_MONTH
    if not detail:
        return hours, None
    busiest = per_unit * weights[-1]
    util_peak = busiest / (np.ceil(busiest) + o.redundancy) * util
    return hours, util_peak


def _egress(o: CloudOption, d: DemandSeries) -> np.ndarray:
    if o.egress_kb_per_request == 0 or o.egress_per_gb == 0:
        return NONE
    billed: np.ndarray = d.inferences * (o.egress_kb_per_request / 1e6)  # GB a month
    billed -= o.egress_free_gb_per_month
    np.maximum(billed, 0.0, out=billed)
    billed *= o.egress_per_gb
    return billed


def _cloud_energy(
    o: CloudOption, d: DemandSeries, f: Factors, hours: np.ndarray, cap: np.ndarray
) -> np.ndarray | None:
    perf = o.performance
    if perf.load_w is None:
        return None
    idle_w = perf.idle_w if perf.idle_w is not None else perf.load_w
    busy_hours = d.avg / cap * HOURS_PER_MONTH
    kwh: np.ndarray = (
        (hours * idle_w + (perf.load_w - idle_w) * busy_hours) * (o.pue / 1000.0) * f("pue")
    )
    return kwh


def cloud_costs(o: CloudOption, d: DemandSeries, f: Factors, detail: bool = True) -> OptionArrays:
    cap = o.performance.capacity * f("capacity")
    util = np.minimum(o.target_utilization * f("utilization"), 1.0)
    price = d.price_trend * (o.price_per_hour * f("cloud_price"))
    owed: np.ndarray | None = None
    if o.scaling == "hourly":
        hours, util_peak = _hourly_fleet(o, d, cap, util, detail)
        units = hours / HOURS_PER_MONTH if detail else None
    else:
        units = units_for(d.peak, cap, util, o.redundancy)
        if o.term_months:
            reserved = reserve(units, o.term_months, d.never_falls)
            units = reserved.units
            owed = reserved.months_beyond * HOURS_PER_MONTH * price[:, -1]
        hours = units * HOURS_PER_MONTH
        util_peak = d.peak / (units * cap) if detail else None
    licence = o.gpus_per_unit * o.licence_per_gpu_hour
    compute = hours * price
    commitment = NONE
    if owed is not None and detail:
        commitment = np.zeros(compute.shape)
        commitment[:, -1] = owed
    elif owed is not None:
        compute[:, -1] += owed  # Monte Carlo needs the total only
    components = {
        "cloud_compute": compute,
        "commitment": commitment,
        "staff": staff(o.staff_fte, o.staff_cost_per_year, f, "staff_rented"),
        "licences": hours * licence if licence else NONE,
        "egress": _egress(o, d),
    }
    if not detail:
        return OptionArrays(components, units, None, None, None, None)
    util_avg = d.avg * HOURS_PER_MONTH / (hours * cap)
    kwh = _cloud_energy(o, d, f, hours, cap)
    return OptionArrays(components, units, kwh, util_avg, util_peak, None)


def api_costs(o: ApiOption, d: DemandSeries, f: Factors) -> OptionArrays:
    price = d.price_trend * (o.price_per_request * f("api_price"))
    fees = d.inferences * price
    components = {
        "api_fees": fees,
        "staff": staff(o.staff_fte, o.staff_cost_per_year, f, "staff_rented"),
    }
    return OptionArrays(components, None, None, None, None, None)


def option_costs(o: Option, d: DemandSeries, f: Factors, detail: bool = True) -> OptionArrays:
    """Cost arrays of one option; ``detail=False`` skips what only the plan's charts need."""
    if isinstance(o, OnPremOption):
        return onprem_costs(o, d, f, detail)
    if isinstance(o, CloudOption):
        return cloud_costs(o, d, f, detail)
    return api_costs(o, d, f)


def evaluate(
    scenario: Scenario,
    factors: Factors,
    options: tuple[Option, ...] | None = None,
    *,
    detail: bool = True,
) -> tuple[DemandSeries, list[OptionArrays]]:
    """Demand and cost arrays of ``options`` (default: all) for every draw of ``factors``.

    ``detail=False`` (Monte Carlo, sensitivity) computes costs only: no utilisation and no
    energy beyond what a cost needs.
    """
    d = demand_series(scenario.demand, factors)
    chosen = scenario.options if options is None else options
    return d, [option_costs(o, d, factors, detail) for o in chosen]
