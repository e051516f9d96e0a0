"""Scenario TOML parsing and resolution against the shipped catalogue."""

from __future__ import annotations

import pytest
from planning.plan_builders import ROOT, shipped_catalog

from planner.core.errors import ScenarioError
from planner.core.plan import CloudOption, MeasuredPoint, OnPremOption
from planner.planning.engine import compute_plan
from planner.planning.resolve import resolve_scenario
from planner.planning.scenario_file import parse_scenario

EXAMPLE = (ROOT / "resources/scenarios/example.toml").read_text()
POINTS = {
    "<run-id>": [
        MeasuredPoint(
            "<run-id>",
            "server",
            8,
            1,
            r,
            r,
            {"p99": 20 + r / 10},
            0.4,
            250.0,
            "nvml-energy",
            "lab-1",
            device="NVIDIA T4",
        )
        for r in (100.0, 300.0, 600.0, 1200.0)
    ]
}

MINIMAL = """
currency = "EUR"
[exchange_rates]
USD = 0.9
[demand]
daily_volume = 8_640_000
horizon_months = 24
latency_target_ms = 100
[[options]]
kind = "on-prem"
name = "box"
runs = ["r1"]
unit_price = 1000
currency = "USD"
unit_power_w = 300
[[options]]
kind = "cloud"
name = "g6 spot"
runs = ["r1"]
instance = "g6.xlarge"
pricing = "spot"
measured_on = "NVIDIA T4"
scale_by = "fp16_flops"
"""


def test_example_parses_resolves_and_plans() -> None:
    spec = parse_scenario(EXAMPLE)
    assert spec.required_run_ids == ("<run-id>",)
    assert len(spec.options) == 4 and spec.demand.horizon_months == 48
    scenario = resolve_scenario(spec, shipped_catalog(), POINTS)
    plan = compute_plan(scenario)
    assert [o.name for o in plan.options] == [o.name for o in spec.options]
    reserved = plan.option("AWS g6e.xlarge 1-year reserved")
    assert any(p.kind == "estimated" and "reserved-1y" in p.detail for p in reserved.provenance)
    assert plan.sensitivity.items[0].swing >= plan.sensitivity.items[-1].swing


def test_daily_volume_currency_and_estimate() -> None:
    spec = parse_scenario(MINIMAL)
    assert spec.demand.avg_rate == pytest.approx(100.0)  # 8,640,000 / 86,400 s
    s = resolve_scenario(spec, shipped_catalog(), {"r1": POINTS["<run-id>"]})
    box, g6 = s.options
    assert isinstance(box, OnPremOption) and isinstance(g6, CloudOption)
    assert box.unit_price == pytest.approx(900.0)  # 1000 USD · 0.9
    assert box.tariff_per_kwh == pytest.approx(0.12 * 0.9)  # catalogue default converted
    # Spot: 0.805 · (1 - 0.41) USD · 0.9 EUR/USD.
    assert g6.price_per_hour == pytest.approx(0.805 * 0.59 * 0.9)
    # Estimate: capacity 600/s (p99 20 + 600/10 = 80 ms <= 100)
    # scaled by L4 / T4 FP16 (121 / 65), labelled.
    assert g6.performance.estimated and g6.performance.capacity == pytest.approx(600 * 121 / 65)
    # Power: the instance's share of the catalogue's 1x L4 server (422 W, idle 127 W): its
    # card, 72 W, plus the server's host per GPU, (422 - 1 x 72) / 1 = 350 W.
    assert g6.performance.load_w == 72.0 + (422.0 - 72.0) / 1
    assert g6.performance.idle_w == 127.0 / 1 * 1


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (
            ("latency_target_ms = 100", "latency_target_ms = 100\ncolour = 1"),
            "unknown key 'colour'",
        ),
        (("daily_volume = 8_640_000", "daily_volume = 1\naverage_rate = 3"), "exactly one"),
        (('runs = ["r1"]\nunit_price', "unit_price"), "runs is missing"),
        (('pricing = "spot"', 'pricing = "cheap"'), "pricing must be one of"),
        (("unit_price = 1000", "unit_price = -5"), "unit_price = -5 is out of range"),
        (("[demand]", "[demand]\nhourly_profile = [1, 2]"), "24 numbers"),
        (('currency = "EUR"', 'currency = "EURO"'), "unknown currency"),
        (("horizon_months = 24", ""), "horizon_months is missing"),
        (('scale_by = "fp16_flops"', ""), "both measured_on and scale_by"),
    ],
)
def test_parse_errors_are_one_line(change: tuple[str, str], match: str) -> None:
    with pytest.raises(ScenarioError, match=match) as info:
        parse_scenario(MINIMAL.replace(*change, 1))
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "option",
    [
        'kind = "api"\nname = "api"\nprice_per_1k_requests = 1\ncurrency = "JPY"',
        'kind = "on-prem"\nname = "api"\nruns = ["r1"]\nunit_price = 9\nunit_power_w = 9\n'
        'currency = "JPY"',
        'kind = "cloud"\nname = "api"\nruns = ["r1"]\nprice_per_hour = 1\ncurrency = "JPY"',
    ],
)
def test_a_missing_exchange_rate_names_the_option_once(option: str) -> None:
    spec = parse_scenario(MINIMAL.split("[[options]]")[0] + f"[[options]]\n{option}\n")
    with pytest.raises(ScenarioError) as info:
        resolve_scenario(spec, shipped_catalog(), {"r1": POINTS["<run-id>"]})
    assert str(info.value) == (
        "option 'api': no exchange rate from JPY to EUR: add JPY = <rate> under [exchange_rates]"
    )


def test_resolution_errors() -> None:
    spec = parse_scenario(MINIMAL)
    with pytest.raises(ScenarioError, match="run 'r1' not found"):
        resolve_scenario(spec, shipped_catalog(), {})
    no_rate = parse_scenario(MINIMAL.replace("USD = 0.9", ""))
    with pytest.raises(ScenarioError, match="no exchange rate from USD to EUR"):
        resolve_scenario(no_rate, shipped_catalog(), {"r1": POINTS["<run-id>"]})
    reserved = parse_scenario(MINIMAL.replace('"spot"', '"reserved-1y"\nscaling = "hourly"'))
    with pytest.raises(ScenarioError, match="reserved instances bill every hour"):
        resolve_scenario(reserved, shipped_catalog(), {"r1": POINTS["<run-id>"]})
