"""Parsing of NAME=VALUE, lists and durations, with one-line errors."""

from __future__ import annotations

import pytest

from planner.core.errors import InputError
from planner.core.parsing import (
    parse_dims,
    parse_duration,
    parse_positive_floats,
    parse_positive_ints,
    parse_ranges,
)


def test_good_values() -> None:
    assert parse_dims(["seq=256", "input:1=512"]) == {"seq": 256, "input:1": 512}
    assert parse_ranges(["input_ids=0:30522"]) == {"input_ids": (0, 30522)}
    assert parse_positive_ints("1, 2,4", "--batch") == (1, 2, 4)
    assert parse_positive_floats("10,2.5", "--rate") == (10.0, 2.5)
    assert [parse_duration(t, "--budget") for t in ("90", "90s", "2m", "1h")] == [
        90.0,
        90.0,
        120.0,
        3600.0,
    ]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: parse_dims(["seq=0"]), "at least 1"),
        (lambda: parse_dims(["=3"]), "use NAME=VALUE"),
        (lambda: parse_ranges(["ids=5:5"]), "HIGH must be greater than LOW"),
        (lambda: parse_ranges(["ids=a:b"]), "whole numbers"),
        (lambda: parse_positive_ints("1,x", "--batch"), "--batch 1,x: give whole numbers"),
        (lambda: parse_positive_ints("0", "--batch"), "at least 1"),
        (lambda: parse_positive_ints(",", "--batch"), "at least one value"),
        (lambda: parse_positive_floats("-1", "--rate"), "greater than 0"),
        (lambda: parse_duration("soon", "--budget"), "use seconds or a unit"),
        (lambda: parse_duration("0s", "--budget"), "must be positive"),
    ],
)
def test_bad_values_name_the_option_and_the_fix(call, message: str) -> None:
    with pytest.raises(InputError, match=message):
        call()
