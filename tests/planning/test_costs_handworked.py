"""Hand-worked cost cases: the arithmetic is written out next to each expectation."""

from __future__ import annotations

import numpy as np
import pytest
from planning.plan_builders import api, cloud, onprem, perf, scenario

from planner.core.plan_result import PlanResult
from planner.core.units import HOURS_PER_MONTH, SECONDS_PER_MONTH
from planner.planning.breakeven import breakeven_month
from planner.planning.engine import compute_plan


def _plan(*options: object, **demand_kw: object) -> PlanResult:
    return compute_plan(scenario(*options, **demand_kw), sensitivity=False, monte_carlo=False)


def test_month_is_an_average_calendar_month() -> None:
    assert pytest.approx(730.0) == HOURS_PER_MONTH  # 365 · 24 / 12
    assert pytest.approx(2_628_000.0) == SECONDS_PER_MONTH


def test_onprem_components_by_hand() -> None:
    o = onprem(
        performance=perf(100.0, load_w=300.0, idle_w=100.0),
        unit_price=10_000.0,
        integration_share=0.2,
        support_pct=0.15,
        staff_fte=0.5,
        staff_cost_per_year=200_000.0,
        licence_per_gpu_year=4500.0,
        pue=1.5,
        tariff_per_kwh=0.12,
        facility="colocation",
        colocation_per_kw_month=184.0,
        unit_power_w=500.0,
        redundancy=1,
        target_utilization=0.75,
        carbon_g_per_kwh=369.0,
    )
    r = _plan(o, avg_rate=150.0).option("onprem")
    # Units: ceil(150 / (100 · 0.75)) = 2, plus N+1 -> 3.
    assert r.units.tolist() == [3.0] * 12
    c = r.components
    # Capex (cash): 3 · 10,000 · 1.2 = 36,000 in month 1, nothing after (life 48 > 12 months).
    assert c["capex"][0] == pytest.approx(36_000.0) and c["capex"][1:].sum() == 0
    # Support: 3 · 10,000 · 0.15 / 12 = 375 a month.
    assert c["support"] == pytest.approx(np.full(12, 375.0))
    # Power: IT watts = 3 idle · 100 + (300 - 100) · 150/100 busy = 600 W;
    # 0.6 kW · 730 h · PUE 1.5 = 657 kWh; · 0.12 = 78.84 a month.
    assert r.energy_kwh == pytest.approx(np.full(12, 657.0))
    assert c["power"] == pytest.approx(np.full(12, 78.84))
    # CO2: 657 kWh · 369 g/kWh = 242.433 kg.
    assert r.co2_kg == pytest.approx(np.full(12, 242.433))
    # Colocation: 3 units · 0.5 kW · 184 = 276; staff 0.5 · 200,000 / 12; licences 3 · 4500 / 12.
    assert c["facility"] == pytest.approx(np.full(12, 276.0))
    assert c["staff"] == pytest.approx(np.full(12, 100_000 / 12))
    assert c["licences"] == pytest.approx(np.full(12, 1125.0))
    # Utilization reached: 150 / (3 · 100) = 0.5 on average (peak factor 1).
    assert r.utilization_avg == pytest.approx(np.full(12, 0.5))


def test_straight_line_and_refresh() -> None:
    # Straight line: 3 units · 12,000 / 48 months = 750 a month.
    o = onprem(
        unit_price=10_000.0,
        integration_share=0.2,
        capex_mode="straight-line",
        redundancy=1,
        target_utilization=0.75,
    )
    assert _plan(o, avg_rate=150.0).option("onprem").components["capex"] == pytest.approx(
        np.full(12, 750.0)
    )
    # Cash with a 1-year life over 30 months: bought in months 1, 13 and 25.
    o = onprem(unit_price=1000.0, depreciation_years=1.0)
    capex = _plan(o, avg_rate=100.0, horizon_months=30).option("onprem").components["capex"]
    assert np.flatnonzero(capex).tolist() == [0, 12, 24]


def test_cloud_cost_per_million_by_hand() -> None:
    # Fully used fleet: 1000 req/s over 500/s instances -> 2 instances, no spare.
    # Cost per 1M = 1e6 / throughput · price per hour / 3600 = 1e6 / 500 · 2.0 / 3600 = 1.1111.
    r = _plan(cloud(performance=perf(500.0), price_per_hour=2.0), avg_rate=1000.0).option("cloud")
    assert r.cost_per_1m == pytest.approx(1e6 / 500 * 2.0 / 3600)
    # Monthly: 2 instances · 730 h · 2.0 = 2920.
    assert r.components["cloud_compute"] == pytest.approx(np.full(12, 2920.0))


def test_cloud_hourly_autoscaling_by_hand() -> None:
    # Half the hours at 0.5x, half at 1.5x the average of 100 req/s; capacity 100/s:
    # 12 hours · 1 instance + 12 hours · 2 instances = 36 instance-hours a day,
    # · 365/12 days = 1095 h a month at 1.0/h. A fixed fleet needs 2 · 730 = 1460 h.
    profile = (0.5,) * 12 + (1.5,) * 12
    hourly = _plan(cloud(scaling="hourly"), hourly_profile=profile).option("cloud")
    fixed = _plan(cloud(scaling="fixed"), hourly_profile=profile).option("cloud")
    assert hourly.components["cloud_compute"] == pytest.approx(np.full(12, 1095.0))
    assert fixed.components["cloud_compute"] == pytest.approx(np.full(12, 1460.0))


def test_egress_by_hand() -> None:
    # 1000 req/s · 2,628,000 s = 2.628e9 requests · 2 kB = 5256 GB; minus 100 free = 5156 GB
    # · 0.09 = 464.04 a month.
    o = cloud(
        performance=perf(1000.0),
        egress_kb_per_request=2.0,
        egress_per_gb=0.09,
        egress_free_gb_per_month=100.0,
    )
    r = _plan(o, avg_rate=1000.0).option("cloud")
    assert r.components["egress"] == pytest.approx(np.full(12, 464.04))


def test_api_and_margin_by_hand() -> None:
    # 0.5 per 1k requests -> 0.0005 per request; charged 0.8 per 1k -> margin 0.3 per 1k.
    r = _plan(api(0.0005), price_per_1k=0.8).option("api")
    assert r.cost_per_1k == pytest.approx(0.5) and r.cost_per_1m == pytest.approx(500.0)
    assert r.margin_per_1k == pytest.approx(0.3)
    # Growth 20% a year: month 13's rate is 1.2x month 1's.
    g = _plan(api(0.0005), growth_per_year=0.2, horizon_months=13).option("api")
    assert g.monthly_total[12] / g.monthly_total[0] == pytest.approx(1.2)


def test_breakeven_by_hand() -> None:
    # On-prem: 10,000 up front then 100 a month; cloud 2,000 a month.
    # Cumulative on-prem 10000, 10100, ..., 10500 in month 6; cloud 2000·m = 12000 in
    # month 6 -> month 6 is the first with on-prem <= cloud (month 5: 10400 > 10000).
    onprem_cum = np.cumsum([10_000.0] + [100.0] * 11)
    cloud_cum = np.cumsum([2_000.0] * 12)
    assert breakeven_month(onprem_cum, cloud_cum) == 6
    assert breakeven_month(cloud_cum / 10, onprem_cum) == 1
    assert breakeven_month(onprem_cum + 1e6, cloud_cum) is None


def test_plan_breakeven_pairs_and_json() -> None:
    import json

    p = compute_plan(scenario(onprem(), cloud(price_per_hour=5.0), api(), draws=200))
    assert {(b.onprem, b.alternative) for b in p.breakeven} == {
        ("onprem", "cloud"),
        ("onprem", "api"),
    }
    d = json.loads(json.dumps(p.to_dict()))
    assert len(d["options"][0]["components"]["capex"]) == 12
    assert d["monte_carlo"]["draws"] == 200 and d["sensitivity"]["items"][0]["swing"] >= 0


def test_a_huge_hourly_fleet_is_counted_to_the_instance() -> None:
    """2**24 + 1 instances in every hour: float32 rounds that count down, and overflows to
    infinity at 1e39 instances (a long horizon's growth over a tiny capacity)."""
    count = 2**24 + 1
    fleet = cloud(scaling="hourly", performance=perf(1.0))
    billed = _plan(fleet, avg_rate=float(count)).option("cloud").components["cloud_compute"]
    assert billed == pytest.approx(np.full(12, count * HOURS_PER_MONTH), rel=1e-12)
    vast = cloud(scaling="hourly", performance=perf(1e-30))
    plan = _plan(vast, avg_rate=1e9)
    assert plan.option("cloud").total == pytest.approx(1e39 * HOURS_PER_MONTH * 12)
