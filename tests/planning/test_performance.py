"""Which power figure sizes an option's energy: a meter, then the user's own unit_power_w,
then a run's estimate or the catalogue; and what an option without hardware stands for."""

from __future__ import annotations

import dataclasses

import pytest
from planning.plan_builders import shipped_catalog
from planning.test_scenario_file import POINTS

from planner.core.plan import OnPremOption
from planner.planning.resolve import resolve_scenario
from planner.planning.scenario_file import parse_scenario

_BOX = """
[demand]
average_rate = 100
horizon_months = 12
latency_target_ms = 100
[[options]]
kind = "on-prem"
name = "box"
runs = ["<run-id>"]
unit_price = 1000
"""


def _box(extra: str = "", *, estimated: bool, device: str = "CPU: Test CPU") -> OnPremOption:
    points = {
        run: [
            dataclasses.replace(
                p,
                device=device,
                energy_method="TDP estimate" if estimated else "nvml-energy",
                energy_estimated=estimated,
            )
            for p in measured
        ]
        for run, measured in POINTS.items()
    }
    [option] = resolve_scenario(parse_scenario(_BOX + extra), shipped_catalog(), points).options
    assert isinstance(option, OnPremOption)
    return option


def _power_details(option: OnPremOption) -> list[str]:
    return [p.detail for p in option.performance.provenance if p.detail.startswith("power:")]


def test_an_option_without_hardware_states_that_it_buys_the_measured_machine() -> None:
    note = _box("unit_power_w = 300\n", estimated=True).provenance["hardware"]
    assert note.detail.startswith("Hardware not set: unit_price buys units of the measured")
    assert "(lab-1)" in note.detail


def test_the_users_unit_power_w_outranks_a_tdp_estimate() -> None:
    """The runs' 250 W is a TDP-share estimate; the option says 300 W per unit."""
    box = _box("unit_power_w = 300\n", estimated=True)
    assert box.performance.load_w == box.performance.idle_w == 300.0
    [detail] = _power_details(box)
    assert detail.startswith("power: nameplate unit_power_w 300 W")
    assert _box(estimated=True).performance.load_w == 250.0  # without it: the estimate


def test_a_meter_reading_still_outranks_unit_power_w() -> None:
    """unit_power_w is the provisioned figure; a meter on this hardware measured its use."""
    box = _box("unit_power_w = 300\n", estimated=False)
    assert box.performance.load_w == 250.0
    assert _power_details(box)[0].startswith("power: measured 250 W per replica")
    assert box.unit_power_w == 300.0  # still what colocation is billed for


def test_the_users_unit_power_w_outranks_the_catalogue_nameplate() -> None:
    extra = 'hardware = "1x NVIDIA L4 server"\nrepresentative = true\nunit_power_w = 300\n'
    box = _box(extra, estimated=False)
    assert box.performance.load_w == pytest.approx(300.0)
    assert "hardware" not in box.provenance  # no measured-machine assumption
    catalogue = _box('hardware = "1x NVIDIA L4 server"\nrepresentative = true\n', estimated=False)
    assert catalogue.performance.load_w == pytest.approx(422.0)  # the row's nameplate
