"""Cloud energy and CO2: a rented instance is charged its share of a whole catalogue server,
labelled an estimate with its method and rows, so it compares with an on-prem server.

Expected figures are worked by hand from the shipped catalogue rows they name.
"""

from __future__ import annotations

import dataclasses

import pytest
from planning.plan_builders import shipped_catalog

from planner.cli.plan_cmd import format_summary
from planner.core.plan import CloudOption, MeasuredPoint
from planner.planning.catalog import Catalog
from planner.planning.engine import compute_plan
from planner.planning.resolve import resolve_scenario
from planner.planning.scenario_file import parse_scenario
from planner.planning.starter import starter_scenario_toml
from planner.planning.summary import plan_summary

RUN = "run-0001-abcdef"
HOURS = 365 / 12 * 24  # a month of 365/12 days


def _point(device: str = "CPU: Test CPU") -> MeasuredPoint:
    """A server-scenario point: 100/s met p99 20 ms, so one unit serves 100/s (measured)."""
    return MeasuredPoint(
        run_id=RUN,
        scenario="server",
        concurrency=1,
        batch=1,
        target_rate=100.0,
        throughput=100.0,
        latency_ms={"p50": 10.0, "p99": 20.0},
        latency_cv=0.2,
        power_w=None,
        energy_method="none",
        machine="test machine",
        device=device,
    )


def _scenario(instance: str, extra: str = "") -> str:
    return f"""
name = "cloud energy"
currency = "USD"
[demand]
average_rate = 40.0
latency_percentile = "p99"
latency_target_ms = 100.0
horizon_months = 1
[[options]]
kind = "cloud"
name = "rented"
runs = ["{RUN}"]
provider = "aws"
instance = "{instance}"
region = "us-east-1"
scaling = "fixed"
redundancy = 0
target_utilization = 0.8
pue = 1.2
representative = true
{extra}
"""


def _cloud(instance: str, extra: str = "", catalog: Catalog | None = None) -> CloudOption:
    spec = parse_scenario(_scenario(instance, extra))
    scenario = resolve_scenario(spec, catalog or shipped_catalog(), {RUN: [_point()]})
    option = scenario.options[0]
    assert isinstance(option, CloudOption)
    return option


def _power_line(option: CloudOption) -> str:
    [line] = [p for p in option.performance.provenance if p.detail.startswith("power:")]
    assert line.kind == "estimated"
    return f"{line.detail} ({line.source}, {line.date})"


def test_a_cpu_instance_draws_its_vcpus_share_of_a_cpu_server() -> None:
    # c7i.2xlarge: 8 vCPUs; the Generic 2-socket CPU server: 700 W, idle 210 W, 128 threads.
    option = _cloud("c7i.2xlarge")
    load, idle = 700 * 8 / 128, 210 * 8 / 128  # 43.75 W and 13.125 W
    assert option.performance.load_w == pytest.approx(load)
    assert option.performance.idle_w == pytest.approx(idle)
    line = _power_line(option)
    assert "8 vCPUs of aws c7i.2xlarge / 128 threads of Generic 2-socket CPU server" in line
    assert "aws c7i.2xlarge; Generic 2-socket CPU server" in line  # the rows it used
    assert "unknown / 2026-11-28" in line  # and their dates, in order
    assert "(unverified)" in line

    plan = compute_plan(
        resolve_scenario(
            parse_scenario(_scenario("c7i.2xlarge")), shipped_catalog(), {RUN: [_point()]}
        ),
        sensitivity=False,
        monte_carlo=False,
    )
    # One instance (40/s over 100/s x 0.8) all month, busy 40% of it; PUE 1.2.
    kwh = (HOURS * idle + (load - idle) * 0.4 * HOURS) * 1.2 / 1000
    [result] = plan.options
    assert result.energy_kwh is not None and result.energy_kwh[0] == pytest.approx(kwh)
    # us-east-1 is in the United States: 369 gCO2/kWh (Our World in Data, 2023).
    assert result.co2_kg is not None and result.co2_kg[0] == pytest.approx(kwh * 369 / 1000)
    assert plan_summary(plan).options[0].energy_estimated


def test_a_gpu_instance_draws_its_cards_and_a_host_share_of_a_server_with_that_gpu() -> None:
    # g6e.xlarge: 1 x L40S (350 W); 2x NVIDIA L40S server: 1,400 W, idle 420 W, 2 GPUs.
    option = _cloud("g6e.xlarge")
    host_per_gpu = (1400 - 2 * 350) / 2
    assert option.performance.load_w == pytest.approx(1 * 350 + 1 * host_per_gpu)
    assert option.performance.idle_w == pytest.approx(420 / 2 * 1)
    assert "2x NVIDIA L40S server" in _power_line(option)
    # Eight H100s rented draw what the catalogue's 8x H100 server draws: they compare.
    big = _cloud("p5.48xlarge")
    assert big.performance.load_w == pytest.approx(8 * 700 + 8 * (10200 - 8 * 700) / 8)
    assert big.performance.idle_w == pytest.approx(3060)


def test_the_users_host_and_idle_watts_override_the_estimate() -> None:
    # host_w replaces the host share: 350 W card + 100 W; the server's idle no longer applies.
    option = _cloud("g6e.xlarge", "host_w = 100")
    assert option.performance.load_w == pytest.approx(350 + 100)
    assert option.performance.idle_w == pytest.approx(350 + 100)  # idle charged at load
    option = _cloud("g6e.xlarge", "host_w = 100\nidle_w = 150")
    assert option.performance.idle_w == 150
    # A CPU instance's share already holds its host: host_w is added to it.
    option = _cloud("c7i.2xlarge", "host_w = 10")
    assert option.performance.load_w == pytest.approx(700 * 8 / 128 + 10)
    assert option.performance.idle_w == pytest.approx(210 * 8 / 128 + 10)


def test_without_vcpus_or_a_server_row_the_energy_says_why_it_is_missing() -> None:
    shipped = shipped_catalog()
    unknown = tuple(
        dataclasses.replace(r, vcpus=None) if r.instance == "c7i.2xlarge" else r
        for r in shipped.cloud
    )
    option = _cloud("c7i.2xlarge", catalog=dataclasses.replace(shipped, cloud=unknown))
    assert option.performance.load_w is None
    reasons = [p.detail for p in option.performance.provenance if "not estimated" in p.detail]
    assert reasons == [
        "energy not estimated: the cloud catalogue gives no vcpus for aws c7i.2xlarge; "
        "add them to its row"
    ]
    # No server row holds a T4: a bare card is no server's share.
    option = _cloud("g4dn.xlarge")
    assert option.performance.load_w is None
    assert any(
        "no server row of the hardware catalogue holds NVIDIA T4" in p.detail
        for p in option.performance.provenance
    )
    assert _cloud("g4dn.xlarge", "host_w = 80").performance.load_w == pytest.approx(70 + 80)


def test_the_starter_plan_shows_the_cloud_instances_energy_and_co2_as_estimates() -> None:
    spec = parse_scenario(starter_scenario_toml(RUN, "model", 100.0))
    scenario = resolve_scenario(spec, shipped_catalog(), {RUN: [_point()]})
    plan = compute_plan(scenario, sensitivity=False, monte_carlo=False)
    summary = plan_summary(plan)
    cloud = next(o for o in summary.options if o.name.startswith("c7i.2xlarge"))
    assert cloud.energy_kwh is not None and cloud.energy_kwh > 0 and cloud.energy_estimated
    table = format_summary(summary, plan).splitlines()
    [row] = [line for line in table if line.startswith(cloud.name)]
    energy, co2 = row.split()[-2:]
    assert energy.endswith("~") and co2 != "—"
