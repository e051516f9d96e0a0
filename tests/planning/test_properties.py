"""Property tests: monotonicity, break-even consistency, Monte Carlo reproducibility."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from planning.plan_builders import api, cloud, onprem, perf, scenario, with_uncertainty

from planner.core.plan_result import PlanResult
from planner.planning.breakeven import breakeven_month
from planner.planning.costs import evaluate
from planner.planning.engine import compute_plan
from planner.planning.montecarlo import draw_factors, run_monte_carlo

rates = st.floats(1.0, 5000.0)
growth = st.floats(-0.5, 2.0)
prices = st.floats(0.01, 100.0)


def _det(*options: object, **kw: object) -> PlanResult:
    return compute_plan(scenario(*options, **kw), sensitivity=False, monte_carlo=False)


def _options(price: float) -> tuple[object, ...]:
    return (
        onprem(
            performance=perf(150.0),
            unit_price=price * 1000,
            tariff_per_kwh=0.1,
            redundancy=1,
            target_utilization=0.7,
        ),
        cloud(price_per_hour=price, scaling="hourly", redundancy=1),
        api(price / 1000),
    )


@settings(max_examples=40, deadline=None)
@given(rates, st.floats(1.01, 3.0), prices, growth)
def test_cost_grows_with_demand_and_price(rate: float, k: float, price: float, g: float) -> None:
    kw = dict(horizon_months=36, growth_per_year=g, peak_factor=2.0)
    base = _det(*_options(price), avg_rate=rate, **kw)
    more_demand = _det(*_options(price), avg_rate=rate * k, **kw)
    dearer = _det(*_options(price * k), avg_rate=rate, **kw)
    for a, b, c in zip(base.options, more_demand.options, dearer.options, strict=True):
        assert b.total >= a.total - 1e-6
        assert c.total >= a.total - 1e-6


@settings(max_examples=40, deadline=None)
@given(rates, growth, st.integers(0, 3), st.floats(0.3, 1.0))
def test_units_never_fall_as_demand_grows(rate: float, g: float, spare: int, u: float) -> None:
    o = onprem(performance=perf(80.0), redundancy=spare, target_utilization=u)
    r = _det(o, avg_rate=rate, growth_per_year=g, horizon_months=60).option("onprem")
    assert np.all(np.diff(r.units) >= 0)
    assert r.units.min() >= spare + 1
    assert np.all(r.utilization_peak <= u + 1e-9)


@settings(max_examples=40, deadline=None)
@given(rates, growth, prices, st.floats(0.5, 2.0))
def test_breakeven_consistent_with_cumulative(
    rate: float, g: float, price: float, life: float
) -> None:
    # Lives of 6 to 24 months over 48 months: hardware is bought again, curves can re-cross.
    options = (
        dataclasses.replace(_options(price)[0], depreciation_years=life),
        *_options(price)[1:],
    )
    p = _det(*options, avg_rate=rate, growth_per_year=g, horizon_months=48)
    for b in p.breakeven:
        a, alt = p.option(b.onprem).cumulative, p.option(b.alternative).cumulative
        cheaper = np.zeros(48, dtype=bool)
        for first, last in b.intervals:
            cheaper[first - 1 : last] = True
        assert np.array_equal(cheaper, a <= alt)
        assert b.month == breakeven_month(a, alt)
        if b.month is None:
            assert a[-1] > alt[-1]  # never reports a crossing that later reverses
        else:
            assert np.all(a[b.month - 1 :] <= alt[b.month - 1 :])
            assert b.month == 1 or a[b.month - 2] > alt[b.month - 2]


def test_monte_carlo_median_near_deterministic_and_seeded() -> None:
    # 430 req/s keeps unit counts away from a ceil() boundary at the neutral values.
    s = scenario(*_options(2.0), avg_rate=430.0, horizon_months=36, draws=4000, seed=7)
    s = with_uncertainty(
        s,
        monte_carlo={
            "tariff": (0.8, 1.2),
            "hardware_price": (0.9, 1.1),
            "cloud_drift": (-0.05, 0.05),
            "growth": (-0.05, 0.05),
            "utilization": (0.95, 1.05),
        },
    )
    mc = run_monte_carlo(s)
    det = _det(*s.options, avg_rate=430.0, horizon_months=36)
    for o in det.options:
        assert mc.cumulative_p50[o.name][-1] == pytest.approx(o.total, rel=0.03)
        assert mc.cumulative_p10[o.name][-1] <= mc.cumulative_p50[o.name][-1]
        assert mc.cumulative_p50[o.name][-1] <= mc.cumulative_p90[o.name][-1]
    assert sum(mc.prob_cheapest.values()) == pytest.approx(1.0)
    again = run_monte_carlo(s)
    assert again.prob_cheapest == mc.prob_cheapest
    assert np.array_equal(again.cumulative_p50["cloud"], mc.cumulative_p50["cloud"])
    other = run_monte_carlo(
        dataclasses.replace(s, uncertainty=dataclasses.replace(s.uncertainty, seed=8))
    )
    assert not np.array_equal(other.cumulative_p50["cloud"], mc.cumulative_p50["cloud"])


def test_sensitivity_base_matches_plan() -> None:
    p = compute_plan(scenario(*_options(2.0), avg_rate=400.0, draws=100))
    s = p.sensitivity
    assert s.base_diff == pytest.approx(p.option(s.option_a).total - p.option(s.option_b).total)
    swings = [i.swing for i in s.items]
    assert swings == sorted(swings, reverse=True)


def test_monte_carlo_fast_path_totals_equal_the_detailed_plan() -> None:
    # Monte Carlo sums running costs in fewer array passes and folds the residual and the
    # reserved months into capex and compute; every draw's total must equal the detailed
    # breakdown's.
    options = (
        onprem(licence_per_gpu_year=4500.0, facility="colocation", colocation_per_kw_month=184.0),
        onprem(name="line", capex_mode="straight-line", residual_share=0.4, depreciation_years=1.0),
        cloud(name="hourly", scaling="hourly", egress_kb_per_request=2.0, egress_per_gb=0.09),
        cloud(name="reserved", pricing="reserved-1y", term_months=12, licence_per_gpu_hour=1.0),
        api(0.0004, staff_fte=0.1, staff_cost_per_year=100_000.0),
    )
    profile = tuple(0.5 + (h % 6) / 5 for h in range(24))
    for growth_range in ((-0.1, 0.1), (-0.8, 0.0)):  # demand that falls takes the slow paths
        s = scenario(*options, horizon_months=30, hourly_profile=profile, growth_per_year=0.0)
        ranges = dict(s.uncertainty.monte_carlo) | {"growth": growth_range, "lifetime": (0.5, 1.5)}
        factors = draw_factors(ranges, 300, 5)
        _, detailed = evaluate(s, factors)
        _, fast = evaluate(s, factors, detail=False)
        for a, b in zip(detailed, fast, strict=True):
            assert np.allclose(a.monthly_total, b.monthly_total, rtol=1e-9)
            assert np.allclose(a.cash_flow, b.cash_flow, rtol=1e-9)
