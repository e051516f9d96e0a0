"""Scenario dicts written as TOML read back equal, and through parse_scenario."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import pytest

from planner.core.errors import ScenarioError
from planner.planning.scenario_file import parse_scenario
from planner.planning.scenario_writer import to_toml

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "scenarios" / "example.toml"


def test_example_scenario_round_trips() -> None:
    doc = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    text = to_toml(doc)
    assert tomllib.loads(text) == doc
    assert parse_scenario(text) == parse_scenario(EXAMPLE.read_text(encoding="utf-8"))


def test_tables_after_scalars_whatever_the_dict_order() -> None:
    doc = {"demand": {"average_rate": 1.0}, "name": "late scalar", "options": [{"kind": "api"}]}
    text = to_toml(doc)
    assert text.index("name =") < text.index("[demand]") < text.index("[[options]]")
    assert tomllib.loads(text) == doc


def test_awkward_strings_keys_and_numbers() -> None:
    doc = {
        "name": 'quote " backslash \\ tab \t newline \n bell \x07 é',
        "odd key.with dots": 1,
        "big": 1e300,
        "tiny": 1e-7,
        "whole_float": 3.0,
        "negative": -2,
        "flag": False,
        "nested": {"inline": [[1, 2], ["a"]], "inner": {"x": 0.5}},
        "skipped": None,
    }
    back = tomllib.loads(to_toml(doc))
    expected = {k: v for k, v in doc.items() if v is not None}
    assert back == expected
    assert isinstance(back["whole_float"], float)


def test_infinities_and_nan_are_toml_floats() -> None:
    back = tomllib.loads(to_toml({"a": math.inf, "b": -math.inf, "c": math.nan}))
    assert back["a"] == math.inf and back["b"] == -math.inf and math.isnan(back["c"])


def test_array_of_tables_with_sub_tables() -> None:
    doc = {"options": [{"name": "a", "extra": {"k": 1}}, {"name": "b"}]}
    assert tomllib.loads(to_toml(doc)) == doc


def test_unwritable_value_is_a_scenario_error() -> None:
    with pytest.raises(ScenarioError, match="cannot write a set"):
        to_toml({"bad": {1, 2}})
