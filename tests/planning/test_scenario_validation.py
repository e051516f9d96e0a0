"""Every number and name in a scenario is checked at the edge, and nothing reaches an
internal error: a one-line ScenarioError naming the key and its range, or a plan whose
JSON is finite. The fuzz test feeds random values into every numeric field."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from planning.plan_builders import shipped_catalog
from planning.test_scenario_file import POINTS

from planner.core.errors import PlannerError, ScenarioError
from planner.planning.engine import compute_plan
from planner.planning.resolve import resolve_scenario
from planner.planning.scenario_fields import DEMAND_KEYS, OPTION_KEYS
from planner.planning.scenario_file import parse_scenario
from planner.planning.scenario_writer import to_toml
from planner.planning.summary import plan_summary

BASE: dict[str, Any] = {
    "name": "fuzz",
    "currency": "EUR",
    "country": "DEU",
    "exchange_rates": {"USD": 0.9},
    "demand": {
        "average_rate": 40.0,
        "peak_factor": 2.0,
        "growth_per_year": 0.3,
        "horizon_months": 24,
        "latency_target_ms": 150.0,
        "price_per_1k": 0.2,
    },
    "options": [
        {
            "kind": "on-prem",
            "name": "server",
            "runs": ["<run-id>"],
            "hardware": "1x NVIDIA L4 server",
            "measured_on": "NVIDIA T4",
            "scale_by": "fp16_flops",
            "depreciation_years": 4.0,
            "pue": 1.5,
            "tariff_per_kwh": 0.12,
            "staff_fte": 0.25,
        },
        {
            "kind": "cloud",
            "name": "reserved",
            "runs": ["<run-id>"],
            "instance": "g4dn.xlarge",
            "pricing": "reserved-1y",
            "scaling": "fixed",
            "egress_kb_per_request": 2.0,
        },
        {
            "kind": "api",
            "name": "tokens",
            "price_per_1m_input_tokens": 0.15,
            "input_tokens_per_request": 800.0,
        },
    ],
    "uncertainty": {"seed": 3, "draws": 200},
}


def _toml(change: dict[str, Any] | None = None, option: int | None = None) -> str:
    doc = json.loads(json.dumps(BASE))
    target = doc if option is None else doc["options"][option]
    for key, value in (change or {}).items():
        if "." in key:
            table, inner = key.split(".")
            target[table][inner] = value
        else:
            target[key] = value
    return to_toml(doc)


def _plan_json(text: str) -> None:
    """Parse, resolve and compute; every figure that comes out must be finite JSON."""
    spec = parse_scenario(text)
    scenario = resolve_scenario(spec, shipped_catalog(), POINTS)
    result = compute_plan(scenario)
    json.dumps(result.to_dict(), allow_nan=False)
    json.dumps(plan_summary(result).to_dict(), allow_nan=False)


def test_the_base_scenario_plans() -> None:
    _plan_json(_toml())


@pytest.mark.parametrize(
    ("change", "option", "match"),
    [
        ({"exchange_rates.USD": 0.0}, None, "USD = 0.0 is out of range"),
        ({"depreciation_years": 0.0}, 0, "depreciation_years = 0.0 is out of range"),
        ({"pue": 0.0}, 0, "pue = 0.0 is out of range; give a number from 1 to 5"),
        ({"unit_power_w": 0.0}, 0, "unit_power_w = 0.0 is out of range"),
        ({"input_tokens_per_request": 0.0}, 2, "needs input_tokens_per_request > 0"),
        ({"demand.hourly_profile": [1.0] * 23 + [math.inf]}, None, "hourly_profile.23. = inf"),
        ({"draws": 0}, "u", "draws = 0 is out of range"),
        ({"draws": 1e9}, "u", "draws = 1000000000.0 is out of range"),
        ({"demand.average_rate": math.inf}, None, "average_rate = inf is not finite"),
        ({"tariff_per_kwh": math.inf}, 0, "tariff_per_kwh = inf is not finite"),
        ({"demand.growth_per_year": math.nan}, None, "growth_per_year = nan is not finite"),
        ({"demand.horizon_months": 100_000}, None, "horizon_months = 100000 is out of range"),
        ({"replicas_per_unit": 0}, 0, "replicas_per_unit = 0 is out of range"),
        ({"redundancy": 9_200_000_000_000_000_000}, 1, "redundancy = 9200000000000000000 is"),
        ({"staff_fte": True}, 0, "staff_fte = True is not a number"),
        ({"name": "evil\u202ename"}, 0, "contains the invisible or control character U\\+202E"),
        ({"demand.growth_per_year": 10.0, "demand.horizon_months": 1200}, None, "grows beyond"),
    ],
)
def test_bad_values_are_one_line_errors_naming_the_key(
    change: dict[str, Any], option: int | str | None, match: str
) -> None:
    if option == "u":
        change = {f"uncertainty.{k}": v for k, v in change.items()}
        option = None
    text = _toml(change, option if isinstance(option, int) else None)
    with pytest.raises(ScenarioError, match=match) as info:
        _plan_json(text)
    assert "\n" not in str(info.value)


def test_draws_times_months_is_capped() -> None:
    change = {"uncertainty.draws": 10_000, "demand.horizon_months": 1_200}
    text = _toml(change | {"demand.growth_per_year": 0.0})
    with pytest.raises(ScenarioError, match="draws x horizon_months = 12,000,000 exceeds"):
        parse_scenario(text)


_NUMERIC = [
    (option, key)
    for option, table in enumerate(BASE["options"])
    for key, spec in OPTION_KEYS[table["kind"]].items()
    if type(spec).__name__ == "Limits" and key not in ("replicas_per_unit",)
] + [
    (None, f"demand.{key}") for key, spec in DEMAND_KEYS.items() if type(spec).__name__ == "Limits"
]
_VALUES = st.one_of(
    st.floats(min_value=0.0, max_value=1e4),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([0, 0.0, -1, 1e-300, 1e308, True, "12"]),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.sampled_from(_NUMERIC), _VALUES), min_size=1, max_size=4))
def test_fuzzed_values_never_reach_an_internal_error(
    changes: list[tuple[tuple[int | None, str], Any]],
) -> None:
    doc = json.loads(json.dumps(BASE))
    for (option, key), value in changes:
        if option is None:
            table, inner = key.split(".")
            doc[table][inner] = value
        else:
            doc["options"][option][key] = value
    if "average_rate" in doc["demand"] and "daily_volume" in doc["demand"]:
        del doc["demand"]["average_rate"]
    try:
        _plan_json(to_toml(doc))
    except PlannerError as exc:
        assert "\n" not in str(exc)
