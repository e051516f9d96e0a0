"""Every default hint the scenario form shows is the value scenario resolution uses,
written as the shared formatter writes it (money, watts)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from builders import make_inventory, make_model_info, make_run
from planning.plan_builders import powered_point, shipped_catalog

from planner.core.formatting import amount, watts
from planner.core.plan import MeasuredPoint
from planner.core.run import EnergyResult
from planner.gui.context import AppContext
from planner.gui.plan_fields import LABELS, default_hint
from planner.gui.plan_page import PlanPage
from planner.planning.defaults import (
    SCENARIO_FIELDS,
    DefaultContext,
    field_default,
    scenario_default,
)
from planner.planning.field_labels import labelled
from planner.planning.resolve import measured_load, resolve_scenario
from planner.planning.scenario_file import OPTION_KEYS, ScenarioSpec, parse_scenario
from planner.services.seeding import seed_database
from planner.storage.database import open_database
from planner.storage.machines import MachineRepository
from planner.storage.models import ModelRepository
from planner.storage.runs import RunRepository

#: Option fields that resolution turns into an attribute of another name.
_ATTRIBUTE = {"capex": "capex_mode"}
#: Fields a resolved option does not keep as an attribute (they select catalogue rows or
#: shape other figures), checked through what they select instead.
_NOT_ATTRIBUTES = {
    "currency",
    "hardware",
    "measured_on",
    "representative",
    "scale_by",
    "country",
    "provider",
    "instance",
    "region",
    "product",
    "replicas_per_unit",
    "host_w",
    "idle_w",
    "price_per_1k_requests",
    "price_per_1m_input_tokens",
    "price_per_1m_output_tokens",
    "input_tokens_per_request",
    "output_tokens_per_request",
}
_SCENARIO = """
name = "hints"
currency = "USD"
country = "DEU"
[demand]
average_rate = 20.0
latency_percentile = "p99"
latency_target_ms = 100.0
horizon_months = 12
[[options]]
kind = "on-prem"
name = "server"
runs = ["r1"]
hardware = "2x NVIDIA L40S server"
representative = true
[[options]]
kind = "on-prem"
name = "this machine"
runs = ["r1"]
unit_price = 3000.0
[[options]]
kind = "cloud"
name = "reserved"
runs = ["r1"]
instance = "g6e.xlarge"
pricing = "reserved-1y"
representative = true
[[options]]
kind = "cloud"
name = "on demand"
runs = ["r1"]
instance = "g6e.xlarge"
representative = true
[[options]]
kind = "api"
name = "endpoint"
price_per_1k_requests = 0.5
"""


#: Watts the run's point drew (a TDP estimate unless a test says otherwise).
_LOAD_W = 42.5


def _points(estimated: bool = True) -> dict[str, list[MeasuredPoint]]:
    return {"r1": [powered_point("r1", _LOAD_W, estimated)]}


def _resolved(text: str = _SCENARIO, estimated: bool = True):
    spec = parse_scenario(text)
    catalog = shipped_catalog()
    return spec, catalog, resolve_scenario(spec, catalog, _points(estimated))


def _context(spec: ScenarioSpec, name: str, estimated: bool = True) -> DefaultContext:
    """The context the scenario form builds for option ``name``: with its runs' load."""
    catalog = shipped_catalog()
    index = next(i for i, o in enumerate(spec.options) if o.name == name)
    load = measured_load(spec, index, catalog, _points(estimated))
    return DefaultContext(catalog, spec.currency, spec.country, load)


def _shown(key: str, used: Any, currency: str | None) -> str:
    """``used`` as a hint writes it: money and watts through the shared formatter."""
    if currency is not None:
        return amount(used)
    if key == "unit_power_w":
        return watts(used)
    return f"{used:g}" if isinstance(used, float) else str(used)


def _hint_cases() -> list[tuple[str, str]]:
    """Every field the form shows for each option, where the option leaves it out."""
    spec, _catalog, _scenario = _resolved()
    return [
        (option.name, key)
        for option in spec.options
        for key in OPTION_KEYS[option.kind]
        if key in LABELS and key not in option.values and key not in _NOT_ATTRIBUTES
    ]


@pytest.mark.parametrize(("option_name", "key"), _hint_cases())
def test_the_hint_names_the_value_the_plan_uses(option_name: str, key: str) -> None:
    spec, catalog, scenario = _resolved()
    option_spec = next(o for o in spec.options if o.name == option_name)
    resolved = next(o for o in scenario.options if o.name == option_name)
    used = getattr(resolved, _ATTRIBUTE.get(key, key))
    context = _context(spec, option_name)
    hint = default_hint(option_spec.kind, key, option_spec.values, context)
    found = field_default(option_spec.kind, key, option_spec.values, context)
    assert found is not None
    shown = _shown(key, used, found.currency)
    assert hint.text.startswith("default "), hint.text
    assert shown in hint.text, f"{key}: plan uses {used!r}, hint says {hint.text!r}"


def test_an_estimated_reserved_price_keeps_the_instance_gpu_count() -> None:
    _spec, catalog, scenario = _resolved()
    reserved = next(o for o in scenario.options if o.name == "reserved")
    on_demand_row = catalog.cloud_row("g6e.xlarge", "on-demand", None, None)
    assert on_demand_row is not None
    assert reserved.gpus_per_unit == on_demand_row.gpu_count
    discount = catalog.default("reserved-1y_discount")
    assert discount is not None
    expected = on_demand_row.price_per_hour * (1 - discount.value)
    assert reserved.price_per_hour == pytest.approx(expected)


@pytest.mark.parametrize("key", SCENARIO_FIELDS)
def test_scenario_wide_defaults_are_the_values_the_plan_uses(key: str) -> None:
    _spec, catalog, scenario = _resolved()
    found = scenario_default(key, catalog)
    assert getattr(scenario.finance, key) == found.value
    assert labelled(key, found.provenance) in scenario.finance.provenance


@pytest.mark.parametrize(
    ("estimated", "wording"),
    [
        (True, "estimated load power: TDP estimate of run r1, not metered"),
        (False, "measured load power: RAPL counter of run r1"),
    ],
)
def test_the_unit_power_hint_names_the_runs_load_watts(estimated: bool, wording: str) -> None:
    spec, _catalog, scenario = _resolved(estimated=estimated)
    option = next(o for o in scenario.options if o.name == "this machine")
    values = next(o for o in spec.options if o.name == "this machine").values
    hint = default_hint("on-prem", "unit_power_w", values, _context(spec, option.name, estimated))
    assert option.unit_power_w == _LOAD_W
    assert hint.text == f"default 42.5 W ({wording})"
    assert option.provenance["unit_power_w"].kind == ("estimated" if estimated else "measured")


def test_replicas_and_host_watts_change_the_load_the_hint_names() -> None:
    text = _SCENARIO.replace(
        "unit_price = 3000.0", "unit_price = 3000.0\nreplicas_per_unit = 2\nhost_w = 15", 1
    )
    spec, _catalog, scenario = _resolved(text)
    option = next(o for o in scenario.options if o.name == "this machine")
    values = next(o for o in spec.options if o.name == "this machine").values
    hint = default_hint("on-prem", "unit_power_w", values, _context(spec, option.name))
    assert option.unit_power_w == 2 * _LOAD_W + 15 == 100.0
    assert hint.text.startswith("default 100 W (estimated load power")


def test_power_rule_hints_are_what_the_plan_uses() -> None:
    """replicas_per_unit, host_w and idle_w shape power rather than being kept as they are:
    each hint is checked against the power the plan uses."""
    spec, catalog, scenario = _resolved()
    context = _context(spec, "this machine")
    hints = {
        key: default_hint("on-prem", key, {"runs": ["r1"]}, context).text
        for key in ("replicas_per_unit", "host_w", "idle_w")
    }
    assert hints["replicas_per_unit"] == "default 1 (one copy of the measured set-up per unit)"
    assert hints["host_w"] == "default 0 W"
    assert hints["idle_w"] == (
        "default the catalogue's idle figure for the hardware, else load watts (conservative)"
    )
    machine = next(o for o in scenario.options if o.name == "this machine").performance
    assert machine.load_w == 1 * _LOAD_W + 0.0 and machine.idle_w == machine.load_w
    server = next(o for o in scenario.options if o.name == "server").performance
    row = catalog.hardware_row("2x NVIDIA L40S server")
    assert row is not None and row.idle_w is not None
    assert (server.load_w, server.idle_w) == (row.power_w, row.idle_w)


def _store_estimated_run(path: Path) -> tuple[Any, str]:
    """A database with one concurrency run whose every point drew 42.5 W by TDP estimate."""
    opened = open_database(path)
    seed_database(opened)
    energy = EnergyResult("TDP estimate", avg_power_w=_LOAD_W, estimated=True, detail="TDP x CPU")
    run = make_run(points=4, scenario="concurrency")
    run = dataclasses.replace(
        run, points=tuple(dataclasses.replace(p, energy=energy) for p in run.points)
    )
    machine_id = MachineRepository(opened.db).save_inventory(make_inventory())
    model_id = ModelRepository(opened.db).upsert(make_model_info())
    RunRepository(opened.db).save(run, machine_id, model_id)
    return opened, run.id


def test_the_form_hint_names_the_load_watts_of_the_stored_run(qtbot, tmp_path: Path) -> None:
    opened, run_id = _store_estimated_run(tmp_path / "p.db")
    page = PlanPage(AppContext(opened))
    qtbot.addWidget(page)
    doc = {
        "name": "hints",
        "currency": "USD",
        "demand": {"average_rate": 20.0, "latency_target_ms": 100.0, "horizon_months": 12},
        "options": [{"kind": "on-prem", "name": "box", "runs": [run_id], "unit_price": 3000.0}],
    }
    try:
        with qtbot.waitSignal(page.plan_computed, timeout=5_000) as computed:
            page.open_scenario(doc)
        hint = page.form.editor.hints["unit_power_w"].text()
        expected = f"default 42.5 W (estimated load power: TDP estimate of run {run_id[:8]}"
        assert hint == expected + ", not metered)"
        provisioned = [
            p for p in computed.args[0].options[0].provenance if "unit_power_w" in p.detail
        ]
        assert [p.kind for p in provisioned] == ["estimated"]
        page.form.editor.set_value("host_w", 7.5)
        assert page.form.editor.hints["unit_power_w"].text().startswith("default 50 W (")
    finally:
        page.shutdown()
        opened.close()
