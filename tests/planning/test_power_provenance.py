"""Power in a plan's provenance: only a meter's reading is "measured"; a TDP estimate, a
catalogue or a nameplate figure makes the option's energy an estimate on every surface."""

from __future__ import annotations

import pytest
from planning.plan_builders import powered_point, shipped_catalog

from planner.cli.plan_cmd import format_summary
from planner.core.plan import MeasuredPoint
from planner.core.plan_summary import ESTIMATED_ENERGY
from planner.planning.engine import compute_plan
from planner.planning.resolve import resolve_scenario
from planner.planning.scenario_file import parse_scenario
from planner.planning.summary import plan_summary

_NO_HARDWARE = """
name = "cpu box"
currency = "USD"
[demand]
average_rate = 5.0
latency_percentile = "p99"
latency_target_ms = 100.0
horizon_months = 12
[[options]]
kind = "on-prem"
name = "this machine"
runs = ["run-0001-abcdef"]
unit_price = 3000.0
"""


def _points(estimated: bool, power_w: float | None = 1.18125) -> dict[str, list[MeasuredPoint]]:
    return {"run-0001-abcdef": [powered_point("run-0001-abcdef", power_w, estimated)]}


def _plan(estimated: bool):
    spec = parse_scenario(_NO_HARDWARE)
    scenario = resolve_scenario(spec, shipped_catalog(), _points(estimated))
    return scenario, compute_plan(scenario, sensitivity=False, monte_carlo=False)


@pytest.mark.parametrize(
    ("estimated", "kind", "detail"),
    [
        (True, "estimated", "load 1.18 W estimated, not measured (TDP estimate of run run-0001)"),
        (False, "measured", "measured load 1.18 W (RAPL counter of run run-0001)"),
    ],
)
def test_only_a_metered_load_reads_measured_wherever_it_is_used(
    estimated: bool, kind: str, detail: str
) -> None:
    scenario, plan = _plan(estimated)
    provisioned = scenario.options[0].provenance["unit_power_w"]
    expected = f"Provisioned power (unit_power_w) not set: {detail}"
    assert (provisioned.kind, provisioned.detail) == (kind, expected)
    powers = [p for p in plan.options[0].provenance if " W" in p.detail]
    assert estimated == all(p.kind != "measured" for p in powers)
    summary = plan_summary(plan)
    assert summary.options[0].energy_estimated == estimated
    table = format_summary(summary, plan)
    [row] = [line for line in table.splitlines() if line.startswith("this machine")]
    assert row.split()[-2].endswith("~") == estimated  # the energy cell
    assert (ESTIMATED_ENERGY in table) == estimated
    assert f"  this machine: {kind}: {expected}" in table


def test_nameplate_power_is_not_metered_energy() -> None:
    text = _NO_HARDWARE + "unit_power_w = 400\n"
    unmetered = _points(estimated=False, power_w=None)
    scenario = resolve_scenario(parse_scenario(text), shipped_catalog(), unmetered)
    plan = compute_plan(scenario, sensitivity=False, monte_carlo=False)
    assert plan_summary(plan).options[0].energy_estimated
