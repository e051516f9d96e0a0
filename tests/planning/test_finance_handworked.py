"""Hand-worked net present value, residual value, re-crossing break-evens and reserved terms.

Every expectation is computed here from first principles (prices, months, the discount
formula), never copied from the planner's output.
"""

from __future__ import annotations

import numpy as np
import pytest
from planning.plan_builders import api, cloud, npv, onprem, perf, scenario

from planner.core.plan_result import PlanResult
from planner.core.plan_summary import breakeven_sentence
from planner.core.units import HOURS_PER_MONTH
from planner.planning.breakeven import cheaper_intervals
from planner.planning.commitments import reserve
from planner.planning.engine import compute_plan


def _plan(*options: object, **kw: object) -> PlanResult:
    return compute_plan(scenario(*options, **kw), sensitivity=False, monte_carlo=False)


def _box(**kw: object) -> object:
    """One 12,000 server (no integration), 4-year life, 100 a month of staff, nothing else."""
    base = dict(unit_price=12_000.0, staff_fte=1.0, staff_cost_per_year=1_200.0)
    base.update(kw)
    return onprem(**base)


def test_npv_and_residual_value_by_hand() -> None:
    r = _plan(_box(), horizon_months=12, finance=npv(0.10)).option("onprem")
    # Cash in month 1: 12,000. After 12 of 48 months the book value is 12,000 · 36/48 =
    # 9,000, credited in month 12. Nominal: 12,000 + 12 · 100 - 9,000 = 4,200.
    assert r.residual_value == pytest.approx(9_000.0)
    assert r.components["residual"][-1] == pytest.approx(-9_000.0)
    assert r.total == pytest.approx(4_200.0)
    # NPV: month m (0-based) weighs 1.1^(-m/12); the purchase is undiscounted and the
    # credit falls in month 12 (m = 11).
    staff = sum(100.0 * 1.1 ** (-m / 12) for m in range(12))
    expected = 12_000.0 + staff - 9_000.0 * 1.1 ** (-11 / 12)
    assert r.npv == pytest.approx(expected)
    assert r.cumulative_npv[-1] == pytest.approx(expected)


def test_cash_and_straight_line_agree_in_nominal_terms() -> None:
    # Straight-line: 12,000 / 48 = 250 a month for 12 months = 3,000; the 9,000 of book
    # value left is not charged. Cash: 12,000 - 9,000. Both 4,200 with staff 1,200.
    cash = _plan(_box(), horizon_months=12).option("onprem")
    line = _plan(_box(capex_mode="straight-line"), horizon_months=12).option("onprem")
    assert cash.total == pytest.approx(line.total) == pytest.approx(4_200.0)
    # A resale share of 0.5 recovers 4,500: cash 12,000 - 4,500 + 1,200 = 8,700, and the
    # straight-line plan charges the 4,500 loss on disposal: 3,000 + 4,500 + 1,200.
    half = _plan(_box(residual_share=0.5), horizon_months=12).option("onprem")
    half_line = _plan(_box(residual_share=0.5, capex_mode="straight-line"), horizon_months=12)
    assert half.total == pytest.approx(8_700.0)
    assert half_line.option("onprem").total == pytest.approx(8_700.0)


def test_cash_and_straight_line_share_one_npv() -> None:
    # The 12,000 leaves in month 1 whichever way the accounts book it: discounting the
    # straight-line instalments instead would price a loan nobody granted.
    for share in (1.0, 0.5):
        cash = _plan(_box(residual_share=share), horizon_months=12, finance=npv(0.10))
        line = _box(residual_share=share, capex_mode="straight-line")
        spread = _plan(line, horizon_months=12, finance=npv(0.10)).option("onprem")
        assert spread.npv == pytest.approx(cash.option("onprem").npv)
        credit = share * 9_000.0 * 1.1 ** (-11 / 12)
        staff = sum(100.0 * 1.1 ** (-m / 12) for m in range(12))
        assert spread.npv == pytest.approx(12_000.0 + staff - credit)
        # The nominal view still books 250 a month.
        assert spread.components["capex"][0] == pytest.approx(250.0)


def test_npv_of_two_servers_and_their_replacement_by_hand() -> None:
    # 200 req/s on 100/s servers: 2 servers of 10,000 bought in month 1 (m = 0), 2-year
    # life, so both are bought again in month 25 (m = 24). At month 30 the replacements
    # have served 6 of 24 months: book value 2 · 10,000 · 18/24 = 15,000, credited in
    # month 30 (m = 29). Discount 8% a year; nothing else costs money.
    expected = 20_000.0 + 20_000.0 * 1.08 ** (-24 / 12) - 15_000.0 * 1.08 ** (-29 / 12)
    for mode in ("cash", "straight-line"):
        box = onprem(unit_price=10_000.0, depreciation_years=2.0, capex_mode=mode)
        p = _plan(box, horizon_months=30, avg_rate=200.0, finance=npv(0.08))
        r = p.option("onprem")
        assert r.npv == pytest.approx(expected)
        assert r.cumulative_npv[-1] == pytest.approx(expected)
        # Nominal: 40,000 paid less 15,000 credited.
        assert r.total == pytest.approx(25_000.0)


def test_the_npv_verdict_does_not_depend_on_the_capex_convention() -> None:
    # On-prem: one 36,000 server, 3-year life, over 36 months: nothing left at the end.
    # Cloud: 1,000 a month. At 10% a year the cloud's NPV is sum 1,000 · 1.1^(-m/12),
    # m = 0..35, about 31,435 < 36,000: cloud wins, in either capex mode. (Discounting
    # straight-line's 1,000 instalments would have tied on-prem with the cloud exactly.)
    cloud_npv = sum(1_000.0 * 1.1 ** (-m / 12) for m in range(36))
    rental = cloud(price_per_hour=1_000.0 / HOURS_PER_MONTH)
    for mode in ("cash", "straight-line"):
        box = onprem(unit_price=36_000.0, depreciation_years=3.0, capex_mode=mode)
        p = _plan(box, rental, horizon_months=36, finance=npv(0.10))
        assert p.option("cloud").npv == pytest.approx(cloud_npv)
        assert p.option("onprem").npv == pytest.approx(36_000.0)


def test_a_one_month_horizon_charges_one_month_of_the_hardware() -> None:
    # Bought in month 1 and valued at 12,000 · 47/48 at the end of it: 250 net, not 12,000.
    r = _plan(_box(staff_fte=0.0), horizon_months=1).option("onprem")
    assert r.total == pytest.approx(12_000.0 / 48)


def test_residual_after_a_refresh() -> None:
    # 1-year life over 30 months: bought in months 1, 13 and 25 (36,000). The last copy has
    # served 6 of its 12 months: book value 6,000.
    r = _plan(_box(staff_fte=0.0, depreciation_years=1.0), horizon_months=30).option("onprem")
    assert np.flatnonzero(r.components["capex"]).tolist() == [0, 12, 24]
    assert r.residual_value == pytest.approx(6_000.0)
    assert r.total == pytest.approx(30_000.0)


def test_break_even_that_reverses_is_not_a_break_even() -> None:
    # On-prem: 10,000 bought in months 1, 13, 25 and 37 (1-year life), nothing credited
    # (residual_share 0); cloud: 900 a month. Cumulative on-prem 10k, 20k, 30k, 40k;
    # cloud 900·m. On-prem <= cloud in month 12 (10,800), 23-24 (20,700 and 21,600) and
    # 34-36 (30,600 .. 32,400); in month 37 on-prem pays 40,000 against 33,300.
    box = onprem(unit_price=10_000.0, depreciation_years=1.0, residual_share=0.0)
    rental = cloud(price_per_hour=900.0 / HOURS_PER_MONTH)
    p = _plan(box, rental, horizon_months=37)
    (b,) = p.breakeven
    assert b.intervals == ((12, 12), (23, 24), (34, 36))
    assert b.month is None and not b.onprem_cheaper_at_horizon
    assert b.difference_at_horizon == pytest.approx(33_300.0 - 40_000.0)
    assert b.crossings == (12, 13, 23, 25, 34, 37)
    sentence = breakeven_sentence(b, "USD")
    assert sentence.startswith("not within the horizon")
    assert "12, 23-24, 34-36" in sentence and "cloud is cheaper by 6,700 USD" in sentence
    # Over 36 months the last interval lasts to the end: a break-even in month 34.
    assert _plan(box, rental, horizon_months=36).breakeven[0].month == 34


def test_cheaper_intervals_by_hand() -> None:
    a = np.array([5.0, 4.0, 3.0, 6.0, 1.0])
    b = np.array([4.0, 4.0, 4.0, 4.0, 4.0])
    assert cheaper_intervals(a, b) == ((2, 3), (5, 5))
    assert cheaper_intervals(b, b) == ((1, 5),)
    assert cheaper_intervals(b + 1, b) == ()


def test_a_reservation_is_billed_for_its_full_term() -> None:
    # 100 req/s on 100/s instances: one instance. A 1-year reservation over a 1-month
    # horizon: 730 h in month 1 plus the 11 months still owed, 11 · 730 h, at 1.0/h.
    reserved = cloud(pricing="reserved-1y", term_months=12)
    r = _plan(reserved, horizon_months=1).option("cloud")
    assert r.components["cloud_compute"][0] == pytest.approx(HOURS_PER_MONTH)
    assert r.components["commitment"][0] == pytest.approx(11 * HOURS_PER_MONTH)
    assert r.total == pytest.approx(12 * HOURS_PER_MONTH)


def test_a_reserved_fleet_never_shrinks_below_its_commitment() -> None:
    # Demand 300/s falling 90% a year on 100/s instances: 3 needed in month 1, 1 from
    # month 9 on (300 · 0.1^(8/12) = 64.6/s). A 3-year reservation keeps 3 for 36 months.
    three_year = cloud(pricing="reserved-3y", term_months=36)
    r = _plan(three_year, avg_rate=300.0, growth_per_year=-0.9, horizon_months=36)
    assert r.option("cloud").units.tolist() == [3.0] * 36
    on_demand = _plan(cloud(), avg_rate=300.0, growth_per_year=-0.9, horizon_months=36)
    assert on_demand.option("cloud").units[8] == 1.0
    # A 1-year reservation: 3 for the first year, then 1 renewed each year, none owed.
    one_year = cloud(pricing="reserved-1y", term_months=12)
    r1 = _plan(one_year, avg_rate=300.0, growth_per_year=-0.9, horizon_months=36)
    assert r1.option("cloud").units.tolist() == [3.0] * 12 + [1.0] * 24
    assert r1.option("cloud").components["commitment"].sum() == 0.0


def test_reservations_follow_growth_in_tranches() -> None:
    # Needed: 1 instance in months 1-6, 2 in months 7-18 (0-based 6..17); 1-year terms.
    # Month 1 reserves 1 (months 1-12); month 7 reserves 1 more (months 7-18); month 13
    # renews the first (months 13-24), which runs 6 months past an 18-month horizon.
    needed = np.array([[1.0] * 6 + [2.0] * 12])
    done = reserve(needed, 12)
    assert done.units.tolist() == [[1.0] * 6 + [2.0] * 12]
    assert done.months_beyond.tolist() == [6.0]


def test_every_option_kind_carries_its_staff() -> None:
    # 0.25 FTE at 120,000 a year = 2,500 a month on the cloud; 0.1 FTE = 1,000 on the API.
    p = _plan(
        cloud(staff_fte=0.25, staff_cost_per_year=120_000.0),
        api(0.0, staff_fte=0.1, staff_cost_per_year=120_000.0),
    )
    assert p.option("cloud").components["staff"] == pytest.approx(np.full(12, 2_500.0))
    assert p.option("api").components["staff"] == pytest.approx(np.full(12, 1_000.0))
    assert p.option("api").total == pytest.approx(12_000.0)


def test_cloud_energy_from_catalogue_power_is_utilisation_weighted() -> None:
    # 100 req/s on one 200/s instance (fixed): 730 h powered, busy 100/200 of them.
    # 300 W load, 100 W idle: (730 · 100 + 200 · 365) Wh = 146 kWh; PUE 1.2 -> 175.2 kWh.
    r = _plan(cloud(performance=perf(200.0), pue=1.2, carbon_g_per_kwh=369.0)).option("cloud")
    assert r.energy_kwh == pytest.approx(np.full(12, 175.2))
    assert r.co2_kg == pytest.approx(np.full(12, 175.2 * 0.369))
