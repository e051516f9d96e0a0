"""Every number and name in a scenario is checked at the edge, and nothing reaches an
internal error: a one-line ScenarioError naming the key and its range, or a plan whose
JSON is finite. The fuzz test feeds random values into every numeric field."""

from __future__ import annotations

import json
import math
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from planning.plan_builders import cloud, perf, scenario, shipped_catalog
from planning.test_scenario_file import POINTS

from planner.core.errors import PlannerError, ScenarioError
from planner.core.validation import Limits
from planner.planning.demand import ADDITIVE, NEUTRAL
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
            "kind": "cloud",
            "name": "on demand",
            "runs": ["<run-id>"],
            "instance": "g4dn.xlarge",
            "scaling": "hourly",
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
        ({"input_tokens_per_request": 0.0}, 3, "needs input_tokens_per_request > 0"),
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
        (
            {"target_utilization": 1e-300},
            1,
            r"option 'reserved': target_utilization = 1e-300 is out of range; give a number "
            r"from 0.01 to 1 \(share of capacity at the SLO, 1% at least\)$",
        ),
        ({"target_utilization": 0.009}, 0, "target_utilization = 0.009 is out of range"),
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


def test_the_lowest_target_utilization_sizes_a_hundred_times_the_load() -> None:
    """The bound itself plans: at 1% a unit serving 100/s takes 1/s, so 100/s needs 100."""
    _plan_json(_toml({"target_utilization": 0.01}, 1))
    rented = cloud(performance=perf(100.0), target_utilization=0.01)
    result = compute_plan(scenario(rented, avg_rate=100.0), sensitivity=False, monte_carlo=False)
    assert result.options[0].units == pytest.approx([100 / (100 * 0.01)] * 12)


def test_draws_times_months_is_capped() -> None:
    change = {"uncertainty.draws": 10_000, "demand.horizon_months": 1_200}
    text = _toml(change | {"demand.growth_per_year": 0.0})
    with pytest.raises(ScenarioError, match="draws x horizon_months = 12,000,000 exceeds"):
        parse_scenario(text)


_VALUES = st.one_of(
    st.floats(min_value=0.0, max_value=1e4),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([0, 0.0, -1, 1e-300, 1e308, True, "12"]),
)


def _long_horizon(sensitivity: Any = None, monte_carlo: Any = None, growth: float = 0.0) -> str:
    """BASE over 100 years at ``growth``, with the [uncertainty] tables given."""
    doc = json.loads(json.dumps(BASE))
    doc["demand"] |= {"horizon_months": 1200, "growth_per_year": growth}
    tables = {"sensitivity": sensitivity, "monte_carlo": monte_carlo}
    doc["uncertainty"] |= {k: v for k, v in tables.items() if v is not None}
    return to_toml(doc)


@pytest.mark.parametrize("table", ["sensitivity", "monte_carlo"])
def test_a_growth_range_past_the_peak_cap_is_refused_naming_it(table: str) -> None:
    """Base growth 0 is within the cap; the range's high end (+300% a year) is not."""
    text = _long_horizon(**{table: {"growth": [0, 3]}})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ScenarioError) as info:
            _plan_json(text)
    assert str(info.value) == (
        f"[uncertainty.{table}]: growth = [0, 3] takes demand beyond 1,000,000,000 requests/s "
        "at peak within 1200 months; narrow it there, or lower growth_per_year, peak_factor "
        "or horizon_months"
    )


def test_a_default_range_past_the_cap_says_it_is_the_default() -> None:
    # 80 requests/s at peak x 1.15 ** 100 is within the cap; x 1.25 ** 100 is not.
    with pytest.raises(ScenarioError, match=r"growth = \[-0.1, 0.1\] \(the default\) takes"):
        parse_scenario(_long_horizon(growth=0.15))


def test_monte_carlo_checks_the_highs_together_sensitivity_one_at_a_time() -> None:
    """4 ** 10 more requests, or 100 x the peak, each stays under the cap over ten years;
    a Monte Carlo draw can have both, a sensitivity case only one."""
    ranges = {"growth": [0, 3], "peak": [1, 100]}
    doc = json.loads(json.dumps(BASE))
    doc["demand"] |= {"horizon_months": 120, "growth_per_year": 0.0}
    doc["uncertainty"]["sensitivity"] = ranges
    parse_scenario(to_toml(doc))
    doc["uncertainty"]["monte_carlo"] = ranges
    with pytest.raises(ScenarioError, match=r"growth = \[0, 3\] and peak = \[1, 100\] takes"):
        parse_scenario(to_toml(doc))


def _accepted_range(key: str) -> st.SearchStrategy[list[float]]:
    """[low, high] ranges the file accepts for ``key``, out to the bounds of its kind."""
    if key == "discount_rate":
        low, high = st.floats(-0.5, 0.0), st.floats(0.0, 0.5)
    elif key in ADDITIVE:
        low, high = st.floats(-0.99, 0.0), st.floats(0.0, 10.0)
    else:
        low, high = st.floats(0.01, 1.0), st.floats(1.0, 100.0)
    return st.tuples(low, high).map(list)


_TABLE = st.lists(st.sampled_from(sorted(NEUTRAL)), max_size=4, unique=True).flatmap(
    lambda keys: st.fixed_dictionaries({k: _accepted_range(k) for k in keys})
)
_RANGES = st.one_of(st.lists(_VALUES, min_size=2, max_size=2), *map(_accepted_range, NEUTRAL))
RANGE_TABLES = ("sensitivity", "monte_carlo")
_Path = tuple[str | int, ...]
_FIELDS: list[tuple[_Path, st.SearchStrategy[Any]]] = [
    *(
        (("options", option, key), _VALUES)
        for option, table in enumerate(BASE["options"])
        for key, spec in OPTION_KEYS[table["kind"]].items()
        if isinstance(spec, Limits) and key != "replicas_per_unit"
    ),
    *((("demand", key), _VALUES) for key, spec in DEMAND_KEYS.items() if isinstance(spec, Limits)),
    *((("uncertainty", table, key), _RANGES) for table in RANGE_TABLES for key in NEUTRAL),
    (("exchange_rates", "USD"), _VALUES),
    (("exchange_rates", "GBP"), _VALUES),
    (("discount_rate",), _VALUES),
    (("discount_rate",), st.floats(0.0, 1.0)),
]


def _set(doc: dict[str, Any], path: _Path, value: Any) -> None:
    """Set ``value`` at ``path`` in ``doc``, making the tables on the way."""
    table: Any = doc
    for part in path[:-1]:
        table = table[part] if isinstance(part, int) else table.setdefault(part, {})
    table[path[-1]] = value


_CHANGES = st.integers(0, len(_FIELDS) - 1).flatmap(
    lambda i: st.tuples(st.just(_FIELDS[i][0]), _FIELDS[i][1])
)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.sampled_from([12, 120, 600, 1200]),
    st.floats(-0.5, 0.5),
    _TABLE,
    _TABLE,
    st.lists(_CHANGES, max_size=3),
)
def test_fuzzed_values_never_reach_an_internal_error(
    horizon: int,
    growth: float,
    sensitivity: dict[str, Any],
    monte_carlo: dict[str, Any],
    changes: list[tuple[_Path, Any]],
) -> None:
    """Every number in the file (options, demand, [uncertainty] ranges, exchange rates,
    discount rate): finite figures or one PlannerError line, never another exception or a
    warning. Each example draws a horizon, a growth and both range tables (where ranges
    carry demand past the peak cap), then changes up to three other numbers."""
    doc = json.loads(json.dumps(BASE))
    doc["demand"] |= {"horizon_months": horizon, "growth_per_year": growth}
    doc["uncertainty"] |= {"sensitivity": sensitivity, "monte_carlo": monte_carlo}
    for path, value in changes:
        _set(doc, path, value)
    if "average_rate" in doc["demand"] and "daily_volume" in doc["demand"]:
        del doc["demand"]["average_rate"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            _plan_json(to_toml(doc))
        except PlannerError as exc:
            assert "\n" not in str(exc)
