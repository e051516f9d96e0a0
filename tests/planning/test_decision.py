"""The decision summary: recommendation in the plan's view, margin, pay-off months,
confidence, what could flip it; and plans stored before it existed still read back."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from planning.plan_builders import cloud, npv, onprem, scenario

from planner.core.decision import decision_lines
from planner.core.plan_result import PlanResult
from planner.core.units import HOURS_PER_MONTH
from planner.planning.decision import decide
from planner.planning.engine import compute_plan
from planner.planning.summary import plan_summary

RATE = 0.10
DISCOUNT = np.array([(1 + RATE) ** (-m / 12) for m in range(12)])


def _flat(per_month: float) -> object:
    return cloud(price_per_hour=per_month / HOURS_PER_MONTH)


def test_recommendation_margin_and_payoff_by_hand() -> None:
    # On-prem: 12,000 in month 1, 100 a month of staff, 9,000 of book value credited in
    # month 12. Cloud: 1,000 a month. Present values at 10% a year, month m weighs DISCOUNT[m].
    box = onprem(unit_price=12_000.0, staff_fte=1.0, staff_cost_per_year=1_200.0)
    p = compute_plan(scenario(box, _flat(1_000.0), finance=npv(RATE), draws=500))
    d = decide(p)
    onprem_monthly = np.full(12, 100.0)
    onprem_monthly[0] += 12_000.0
    onprem_monthly[-1] -= 9_000.0
    onprem_pv, cloud_pv = onprem_monthly @ DISCOUNT, 1_000.0 * DISCOUNT.sum()
    assert d.view == "npv" and d.recommended == "onprem" and d.runner_up == "cloud"
    assert d.advantage == pytest.approx(cloud_pv - onprem_pv)
    assert d.advantage_share == pytest.approx((cloud_pv - onprem_pv) / cloud_pv)
    # Cumulative: on-prem 12,100 + 100 a month (present values) against 1,000 a month;
    # on-prem is cheaper or equal only from the month the cloud's running sum catches up.
    cum_onprem = np.cumsum(onprem_monthly * DISCOUNT)
    cum_cloud = np.cumsum(1_000.0 * DISCOUNT)
    first = int(np.argmax(cum_onprem <= cum_cloud)) + 1
    assert np.all(cum_onprem[first - 1 :] <= cum_cloud[first - 1 :])
    assert d.intervals == ((first, 12),)
    assert d.confidence == p.monte_carlo.prob_cheapest["onprem"]
    lines = decision_lines(d, "USD")
    assert lines[0].startswith("Decision (net present value at 10.0% a year): onprem, cheaper")
    # Only the 9,000 credited in month 12 brings on-prem under the cloud: month 12 alone.
    assert first == 12
    assert lines[1] == (
        "Pays off: cheaper than cloud in month 12 of the cumulative curve "
        "(residual value credited at the horizon end only); dearer in the other months."
    )


def test_payoff_states_the_intervals_of_a_recrossing_curve_and_no_other_horizon() -> None:
    # On-prem: 10,000 bought in months 1, 13, 25 (1-year life), nothing credited; cloud:
    # 900 a month. Cumulative on-prem 10k, 20k, 30k; cloud 900·m: on-prem at most the
    # cloud in month 12 (10,800), months 23-24 (20,700, 21,600) and 34-36 (30,600..32,400).
    # A 24-month plan would keep on-prem too (20,000 < 21,600): "a horizon shorter than 34
    # months reverses the verdict" would be false, so nothing is said about other horizons.
    box = onprem(unit_price=10_000.0, depreciation_years=1.0, residual_share=0.0)
    p = compute_plan(scenario(box, _flat(900.0), horizon_months=36), monte_carlo=False)
    d = decide(p)
    assert d.recommended == "onprem" and d.intervals == ((12, 12), (23, 24), (34, 36))
    assert decision_lines(d, "USD")[1] == (
        "Pays off: cheaper than cloud in months 12, 23-24 and 34-36 of the cumulative "
        "curve; dearer in the other months."
    )


def test_payoff_wording_of_hand_built_intervals() -> None:
    d = decide(compute_plan(scenario(onprem(), _flat(10_000.0)), monte_carlo=False))
    recrossing = dataclasses.replace(
        d, months=120, intervals=((1, 44), (90, 120)), residual_at_end=True
    )
    assert decision_lines(recrossing, "USD")[1] == (
        "Pays off: cheaper than cloud in months 1-44 and 90-120 of the cumulative curve "
        "(residual value credited at the horizon end only); dearer in the other months."
    )
    last = dataclasses.replace(d, months=120, intervals=((120, 120),), residual_at_end=False)
    assert decision_lines(last, "USD")[1] == (
        "Pays off: cheaper than cloud in month 120 of the cumulative curve; "
        "dearer in the other months."
    )
    every = dataclasses.replace(d, months=120, intervals=((1, 120),), residual_at_end=False)
    assert decision_lines(every, "USD")[1] == (
        "Pays off: cheaper than cloud in every month of the cumulative curve."
    )


def test_discounting_can_change_the_choice_and_says_so() -> None:
    # On-prem: 12,000 up front, 1-year life (nothing left at month 12). Cloud: 1,001 a month,
    # 12,012 nominal: on-prem is cheaper by 12 nominally; at 10% the cloud's payments are
    # worth 1,001 · sum(DISCOUNT) < 12,000 today, so the cloud is recommended.
    box = onprem(unit_price=12_000.0, depreciation_years=1.0)
    p = compute_plan(scenario(box, _flat(1_001.0), finance=npv(RATE), draws=200))
    d = decide(p)
    assert 1_001.0 * DISCOUNT.sum() < 12_000.0
    assert d.recommended == "cloud" and d.nominal_choice == "onprem"
    assert "Without discounting, onprem would be cheapest." in decision_lines(d, "USD")


def test_flip_inputs_come_from_the_tornado_of_the_decision_pair() -> None:
    box = onprem(
        unit_price=12_000.0, tariff_per_kwh=0.3, staff_fte=0.5, staff_cost_per_year=9_000.0
    )
    p = compute_plan(scenario(box, _flat(1_400.0), finance=npv(RATE), draws=200))
    d = decide(p)
    assert {p.sensitivity.option_a, p.sensitivity.option_b} == {d.recommended, d.runner_up}
    assert 1 <= len(d.flip_inputs) <= 2
    worst = [min(f.advantage_low, f.advantage_high) for f in d.flip_inputs]
    assert worst == sorted(worst)
    others = [i for i in p.sensitivity.items if i.input not in {f.input for f in d.flip_inputs}]
    sign = 1.0 if p.sensitivity.option_a == d.runner_up else -1.0
    assert all(sign * min(i.diff_low, i.diff_high) >= worst[-1] for i in others if i.swing)


def _old_format(result: PlanResult) -> dict:
    """The JSON a plan had before present values and break-even intervals existed."""
    data = json.loads(json.dumps(result.to_dict()))
    for key in ("view", "discount_rate", "assumptions"):
        del data[key]
    for option in data["options"]:
        for key in ("npv", "cumulative_npv", "residual_value", "warnings"):
            del option[key]
    data["breakeven"] = [
        {"onprem": b["onprem"], "alternative": b["alternative"], "month": b["month"]}
        for b in data["breakeven"]
    ]
    del data["monte_carlo"]["view"]
    return data


def test_a_plan_stored_before_npv_reads_back_and_decides_nominally() -> None:
    box = onprem(unit_price=12_000.0, staff_fte=1.0, staff_cost_per_year=1_200.0)
    fresh = compute_plan(scenario(box, _flat(1_000.0), finance=npv(RATE), draws=200))
    old = PlanResult.from_dict(_old_format(fresh))
    assert old.view == "nominal" and np.isnan(old.option("onprem").npv)
    (b,) = old.breakeven
    assert b.month == fresh.breakeven[0].month and b.intervals == ((b.month, 12),)
    summary = plan_summary(old)
    assert summary.decision.view == "nominal" and summary.decision.recommended == "onprem"
    json.dumps(summary.to_dict(), allow_nan=False)
