"""Plans name each field as the form does, so a reader can find what to change."""

from __future__ import annotations

from planning.plan_builders import powered_point, shipped_catalog

from planner.core.plan import Provenance
from planner.planning.field_labels import labelled
from planner.planning.resolve import resolve_scenario
from planner.planning.scenario_file import parse_scenario

SCENARIO = """
name = "labels"
currency = "USD"
[demand]
average_rate = 10.0
horizon_months = 12
latency_percentile = "p99"
latency_target_ms = 50.0
[[options]]
kind = "cloud"
name = "rented"
runs = ["r1"]
price_per_hour = 1.0
"""


def test_a_field_reads_by_its_name_with_its_key_where_they_differ() -> None:
    catalogue = Provenance("catalogue", "4 years", "10-K filings", "2026-01-21")
    assert labelled("depreciation_years", catalogue).detail == (
        "Service life (depreciation_years): 4 years"
    )
    given = Provenance("user", "unit_price = 8000 from the scenario file")
    assert labelled("unit_price", given).detail == "Unit price = 8000 from the scenario file"
    rule = Provenance("user", "host_w not set: 0 W")
    assert labelled("host_w", rule).detail == "Host power (host_w) not set: 0 W"
    assert labelled("carbon", rule) is rule  # not a form field: as it was


def test_a_queueing_estimate_of_capacity_is_estimated_not_measured() -> None:
    points = {"r1": [powered_point("r1", None, estimated=False)]}
    scenario = resolve_scenario(parse_scenario(SCENARIO), shipped_catalog(), points)
    option = scenario.options[0]
    [capacity] = [p for p in option.performance.provenance if "capacity from runs" in p.detail]
    assert capacity.kind == "estimated" and "queueing estimate" in capacity.detail
    details = [p.detail for p in option.provenance.values()]
    assert "Price (price_per_hour) = 1 USD from the scenario file" in details
