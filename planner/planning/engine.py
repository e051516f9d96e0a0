"""Plan computation: a resolved Scenario to a PlanResult (costs, break-even, risk).

Pure functions over numpy; any thread. The deterministic plan is draw 0 of
``costs.evaluate`` with neutral factors; sensitivity and Monte Carlo reuse the same
vectorised code with other factors. Every option gets nominal and net-present-value
totals; break-evens, sensitivity and Monte Carlo use the scenario's decision view. The
NPV discounts money in the months it is paid (``OptionArrays.cash_flow``), so cash and
straight-line capex, which book the same money at different times, share one NPV.
"""

from __future__ import annotations

import numpy as np

from planner.core.plan import OnPremOption, Option, Provenance, Scenario
from planner.core.plan_result import OptionResult, PlanResult
from planner.planning.breakeven import breakeven
from planner.planning.carbon import emissions_kg
from planner.planning.costs import evaluate
from planner.planning.demand import DemandSeries, Factors
from planner.planning.finance import discount_factors
from planner.planning.finite import require_finite
from planner.planning.montecarlo import run_monte_carlo
from planner.planning.option_arrays import OptionArrays
from planner.planning.sensitivity import run_sensitivity


def _provenance(option: Option) -> tuple[Provenance, ...]:
    items = list(option.provenance.values())
    perf = getattr(option, "performance", None)
    if perf is not None:
        items.extend(perf.provenance)
    return tuple(dict.fromkeys(items))


def _result(scenario: Scenario, option: Option, d: DemandSeries, a: OptionArrays) -> OptionResult:
    components = {k: np.array(np.broadcast_to(v, d.avg.shape)[0]) for k, v in a.components.items()}
    monthly = sum(components.values(), np.zeros(d.avg.shape[1]))
    paid = monthly if a.paid is None else np.asarray(a.paid[0])
    discounted = paid * discount_factors(monthly.size, scenario.finance.discount_rate)
    total = float(monthly.sum())
    require_finite(np.array([total, discounted.sum()]), f"option {option.name!r}: total cost")
    served = float(d.inferences[0].sum())
    per_1k = total / served * 1000.0 if served > 0 else float("nan")
    price = scenario.demand.price_per_1k
    tokens = scenario.demand.tokens
    per_1m_tokens = per_1m_all_tokens = None
    if tokens is not None:
        generated = served * tokens.output_tokens
        every = served * (tokens.input_tokens + tokens.output_tokens)
        per_1m_tokens = total / generated * 1e6 if generated > 0 else float("nan")
        per_1m_all_tokens = total / every * 1e6 if every > 0 else float("nan")
    perf = getattr(option, "performance", None)
    kwh = None if a.energy_kwh is None else a.energy_kwh[0]
    g = getattr(option, "carbon_g_per_kwh", None)
    return OptionResult(
        name=option.name,
        kind=option.kind,
        estimated=bool(perf is not None and perf.estimated),
        capacity_per_unit=None if perf is None else perf.capacity,
        units=None if a.units is None else a.units[0],
        components=components,
        monthly_total=monthly,
        cumulative=np.cumsum(monthly),
        total=total,
        cost_per_1k=per_1k,
        cost_per_1m=per_1k * 1000.0,
        margin_per_1k=None if price is None else price - per_1k,
        energy_kwh=kwh,
        co2_kg=None if kwh is None or g is None else emissions_kg(kwh, g),
        utilization_avg=None if a.util_avg is None else a.util_avg[0],
        utilization_peak=None if a.util_peak is None else a.util_peak[0],
        provenance=_provenance(option),
        npv=float(discounted.sum()),
        cumulative_npv=np.cumsum(discounted),
        residual_value=_residual(option, a),
        warnings=() if perf is None else perf.warnings,
        cost_per_1m_output_tokens=per_1m_tokens,
        margin_per_1m_tokens=(
            None
            if tokens is None or tokens.price_per_1m_tokens is None or per_1m_tokens is None
            else tokens.price_per_1m_tokens - per_1m_tokens
        ),
        cost_per_1m_tokens=per_1m_all_tokens,
    )


def _residual(option: Option, a: OptionArrays) -> float:
    """Value of the hardware in service at horizon end that the plan credits (on-prem)."""
    if not isinstance(option, OnPremOption) or a.book_value is None:
        return 0.0
    return float(option.residual_share * a.book_value[0, 0])


def compute_plan(
    scenario: Scenario, *, sensitivity: bool = True, monte_carlo: bool = True
) -> PlanResult:
    """Deterministic plan, plus tornado data and Monte Carlo bands when asked.

    A total that overflows is refused in one line (``finite``), so numpy's own overflow
    warning would only repeat it, in words no user can act on: it is silenced here.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        return _plan(scenario, sensitivity, monte_carlo)


def _plan(scenario: Scenario, sensitivity: bool, monte_carlo: bool) -> PlanResult:
    d, arrays = evaluate(scenario, Factors())
    results = tuple(
        _result(scenario, o, d, a) for o, a in zip(scenario.options, arrays, strict=True)
    )
    view = scenario.finance.view
    pairs = tuple(
        breakeven(a.name, b.name, a.cumulative_in(view), b.cumulative_in(view), view)
        for o, a in zip(scenario.options, results, strict=True)
        if isinstance(o, OnPremOption)
        for b in results
        if b.name != a.name
    )
    return PlanResult(
        scenario=scenario.name,
        currency=scenario.currency,
        months=scenario.demand.horizon_months,
        avg_rate=d.avg[0],
        peak_rate=d.peak[0],
        inferences=d.inferences[0],
        options=results,
        breakeven=pairs,
        sensitivity=run_sensitivity(scenario) if sensitivity else None,
        monte_carlo=run_monte_carlo(scenario) if monte_carlo else None,
        view=view,
        discount_rate=scenario.finance.discount_rate,
        assumptions=(*scenario.demand.provenance, *scenario.finance.provenance),
        output_tokens_per_request=(
            None if scenario.demand.tokens is None else scenario.demand.tokens.output_tokens
        ),
        input_tokens_per_request=(
            None if scenario.demand.tokens is None else scenario.demand.tokens.input_tokens
        ),
    )
