"""Every default hint the scenario form shows is the value scenario resolution uses,
written as the shared formatter writes it (money, watts)."""

from __future__ import annotations

from typing import Any

import pytest
from planning.plan_builders import shipped_catalog

from planner.core.formatting import amount, watts
from planner.core.plan import MeasuredPoint
from planner.gui.plan_fields import LABELS, default_hint
from planner.planning.defaults import (
    SCENARIO_FIELDS,
    DefaultContext,
    field_default,
    scenario_default,
)
from planner.planning.resolve import resolve_scenario
from planner.planning.scenario_file import OPTION_KEYS, parse_scenario

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


def _points() -> dict[str, list[MeasuredPoint]]:
    point = MeasuredPoint(
        run_id="r1",
        scenario="concurrency",
        concurrency=1,
        batch=1,
        target_rate=None,
        throughput=50.0,
        latency_ms={"p50": 10.0, "p99": 20.0},
        latency_cv=0.2,
        power_w=None,
        energy_method="unavailable",
        machine="test machine",
    )
    return {"r1": [point]}


def _resolved():
    spec = parse_scenario(_SCENARIO)
    catalog = shipped_catalog()
    return spec, catalog, resolve_scenario(spec, catalog, _points())


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
    context = DefaultContext(catalog, spec.currency, spec.country)
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
    assert found.provenance in scenario.finance.provenance
