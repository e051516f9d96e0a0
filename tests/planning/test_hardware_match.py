"""A run sizes only the hardware it measured, unless the option says how to use it."""

from __future__ import annotations

import dataclasses
import re

import pytest
from planning.plan_builders import shipped_catalog
from planning.test_scenario_file import EXAMPLE, POINTS

from planner.core.errors import ScenarioError
from planner.core.plan import MeasuredPoint
from planner.planning.engine import compute_plan
from planner.planning.hardware_match import CPU, Target, gpu_name, runs_on, same_gpu
from planner.planning.resolve import resolve_scenario
from planner.planning.scenario_file import parse_scenario

CPU_RUN = "CPU: Intel(R) Xeon(R) Platinum 8480+"


def _points(device: str) -> dict[str, list[MeasuredPoint]]:
    return {k: [dataclasses.replace(p, device=device) for p in v] for k, v in POINTS.items()}


def test_gpu_names_match_by_full_model_name() -> None:
    assert same_gpu("NVIDIA H100 80GB HBM3", "NVIDIA H100 SXM")  # NVML's name of the SXM5
    assert gpu_name("NVIDIA A100-SXM4-40GB") == gpu_name("NVIDIA A100 SXM 40GB") == "a100 sxm 40gb"
    assert same_gpu("NVIDIA A100 80GB PCIe", "nvidia a100-pcie-80 GB") and same_gpu(
        "Tesla T4", "T4"
    )
    assert gpu_name("8x NVIDIA H100 SXM server") == "h100 sxm"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("NVIDIA H100 SXM", "NVIDIA H100 PCIe"),
        ("NVIDIA H100 80GB HBM3", "NVIDIA H100 PCIe"),
        ("NVIDIA H100 PCIe", "NVIDIA H100 NVL"),
        ("NVIDIA A100-SXM4-40GB", "NVIDIA A100-SXM4-80GB"),
        ("NVIDIA A100 SXM 40GB", "NVIDIA A100 80GB PCIe"),
        ("AMD Instinct MI300X", "AMD Instinct MI250X"),
        ("Intel(R) Data Center GPU Max 1550", "Intel(R) Data Center GPU Max 1100"),
        ("NVIDIA L4", "NVIDIA L40S"),
    ],
)
def test_another_form_factor_memory_size_or_model_is_another_gpu(one: str, other: str) -> None:
    assert not same_gpu(one, other)
    assert not runs_on(one, Target(other, other, None))


def test_a_server_row_names_its_gpus() -> None:
    # A server row stored before the gpu_model column existed still names its GPUs.
    old_row = dataclasses.replace(
        shipped_catalog().hardware_row("8x NVIDIA H100 SXM server"), gpu_model=""
    )
    assert runs_on("NVIDIA H100 80GB HBM3", Target(old_row.name, old_row.device, old_row))
    l40s = Target("2x NVIDIA L40S server", "NVIDIA L40S", None)
    assert runs_on("NVIDIA L40S", l40s) and not runs_on("NVIDIA L4", l40s)
    assert not runs_on(CPU_RUN, l40s) and not runs_on("", l40s)
    assert runs_on(CPU_RUN, Target("the measured machine", None, None))


def test_cpu_hardware_matches_only_the_named_cpu() -> None:
    named = Target("Xeon box", CPU, None, cpu="Intel(R) Xeon(R) Platinum 8480+")
    assert runs_on(CPU_RUN, named)
    assert not runs_on("CPU: AMD EPYC 9654", named)
    generic = shipped_catalog().hardware_row("Generic 1-socket CPU server")
    assert not runs_on(CPU_RUN, Target(generic.name, generic.device, generic, cpu=generic.cpu))


def test_the_example_plans_as_shipped_with_a_run_from_any_machine() -> None:
    spec = parse_scenario(EXAMPLE)
    plan = compute_plan(resolve_scenario(spec, shipped_catalog(), _points(CPU_RUN)))
    server = plan.option("2x L40S servers, colocated")
    assert any("representative of 2x NVIDIA L40S server" in w for w in server.warnings)
    assert any(p.detail.startswith("power: catalogue nameplate 1,400 W") for p in server.provenance)


def test_a_mismatched_option_is_refused_with_the_way_out() -> None:
    text = EXAMPLE.replace("representative = true       # the run stands for one GPU", "#", 1)
    spec = parse_scenario(text)
    with pytest.raises(ScenarioError) as info:
        resolve_scenario(spec, shipped_catalog(), _points(CPU_RUN))
    message = str(info.value)
    assert message.startswith("option '2x L40S servers, colocated': the run was measured on")
    assert re.search(r"prices 2x NVIDIA L40S server; .*measured_on \+ scale_by", message)
    assert "representative = true" in message and "\n" not in message


def test_a_run_on_the_same_gpu_uses_its_measured_power() -> None:
    text = EXAMPLE.replace("representative = true       # the run stands for one GPU", "#", 1)
    scenario = resolve_scenario(parse_scenario(text), shipped_catalog(), _points("NVIDIA L40S"))
    server = scenario.options[0]
    # Measured 250 W per replica, 2 replicas, no host watts; no idle measurement, so the
    # server's catalogue idle is not mixed in: idle time is charged at load power.
    assert server.performance.load_w == 500.0 and server.performance.idle_w == 500.0
    assert not server.performance.warnings


def test_measured_on_must_name_the_measured_hardware() -> None:
    text = EXAMPLE.replace(
        "representative = true       # the run stands for one GPU of this server (see above)",
        'measured_on = "NVIDIA T4"\nscale_by = "fp16_flops"',
        1,
    )
    spec = parse_scenario(text)
    scaled = resolve_scenario(spec, shipped_catalog(), _points("Tesla T4")).options[0]
    # Per device: one L40S (362 TFLOPS) over one T4 (65): 2 replicas x 1200/s x 362/65.
    assert scaled.performance.capacity == pytest.approx(2 * 1200 * 362 / 65)
    assert scaled.performance.estimated
    with pytest.raises(ScenarioError, match="measured_on says 'NVIDIA T4' but the run was"):
        resolve_scenario(spec, shipped_catalog(), _points(CPU_RUN))


def test_an_on_prem_option_prices_a_server_not_a_card() -> None:
    text = EXAMPLE.replace('hardware = "2x NVIDIA L40S server"', 'hardware = "NVIDIA L40S"', 1)
    with pytest.raises(ScenarioError, match="'NVIDIA L40S' is a bare card; price a whole server"):
        resolve_scenario(parse_scenario(text), shipped_catalog(), _points(CPU_RUN))


def test_an_estimated_power_is_labelled_an_estimate_in_the_plan() -> None:
    """A GPU run whose energy is a TDP estimate: its power is used, marked estimated."""
    text = EXAMPLE.replace("representative = true       # the run stands for one GPU", "#", 1)
    estimated = {
        run: [
            dataclasses.replace(
                p,
                device="NVIDIA L40S",
                energy_method="TDP estimate",
                energy_estimated=True,
                energy_detail="estimate: GPU TDP x utilisation",
            )
            for p in points
        ]
        for run, points in POINTS.items()
    }
    scenario = resolve_scenario(parse_scenario(text), shipped_catalog(), estimated)
    power = [p for p in scenario.options[0].performance.provenance if "power:" in p.detail]
    assert [p.kind for p in power] == ["estimated"]
    assert power[0].detail.startswith("power: estimated 250 W per replica")
    assert "GPU TDP x utilisation" in power[0].detail


_AZURE_A100 = """
[demand]
average_rate = 100
horizon_months = 12
latency_target_ms = 100
[[options]]
kind = "cloud"
name = "a100"
runs = ["<run-id>"]
provider = "azure"
instance = "NC24ads_A100_v4"
"""


def test_an_sxm_run_does_not_size_a_pcie_instance_unless_representative() -> None:
    """An A100 SXM4 80GB run and Azure's A100 80GB PCIe instance share only the model word."""
    points = _points("NVIDIA A100-SXM4-80GB")
    with pytest.raises(ScenarioError, match="the run was measured on NVIDIA A100-SXM4-80GB"):
        resolve_scenario(parse_scenario(_AZURE_A100), shipped_catalog(), points)
    text = _AZURE_A100 + "representative = true\n"
    [option] = resolve_scenario(parse_scenario(text), shipped_catalog(), points).options
    assert any("representative of azure NC24ads_A100_v4" in w for w in option.performance.warnings)
    [same] = resolve_scenario(
        parse_scenario(_AZURE_A100), shipped_catalog(), _points("NVIDIA A100 80GB PCIe")
    ).options
    assert not same.performance.warnings
