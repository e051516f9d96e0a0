"""The one number check: finite, in range, whole where a count is meant; one-line refusals."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.core.errors import InputError
from planner.core.parsing import INT64_LIMITS, parse_positive_floats
from planner.core.validation import (
    COUNT,
    FRACTION,
    POSITIVE,
    Limits,
    check_number,
    check_optional,
    check_whole,
    problem,
)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, 1e400, "12", True, None, [1]])
def test_non_numbers_and_non_finite_values_are_refused_naming_the_field(bad: object) -> None:
    with pytest.raises(InputError, match=r"^demand\.average_rate = .* give a number above 0$"):
        check_number(bad, "demand.average_rate", POSITIVE)


def test_ranges_are_stated_in_words() -> None:
    horizon = Limits(low=1, high=1200, whole=True, why="100 years of months")
    expected = r"a whole number from 1 to 1,200 \(100 years of months\)"
    with pytest.raises(InputError, match=expected):
        check_whole(100_000, "horizon_months", horizon)
    with pytest.raises(InputError, match="from 0 to 1"):
        check_number(1.5, "pue share", FRACTION)
    with pytest.raises(InputError, match="whole number of at least 1"):
        check_whole(2.5, "replicas_per_unit", COUNT)
    assert check_whole(3.0, "replicas_per_unit") == 3
    assert check_optional(None, "idle_w") is None


@given(st.floats(allow_nan=True, allow_infinity=True) | st.integers())
def test_anything_accepted_is_finite_and_within_its_limits(value: float) -> None:
    limits = Limits(low=0.0, high=1e9)
    try:
        accepted = check_number(value, "x", limits)
    except InputError as error:
        assert "\n" not in str(error) and str(error).startswith("x = ")
    else:
        assert math.isfinite(accepted) and 0.0 <= accepted <= 1e9


def test_a_whole_number_beyond_64_bits_is_out_of_range_not_infinite() -> None:
    reason = problem(99999999999999999999, INT64_LIMITS)
    assert reason is not None and reason.startswith("is out of range")
    assert "9,223,372,036,854,775,807 (64-bit" in reason  # the exact bound, not a float's


def test_an_arrival_rate_too_slow_to_time_is_refused() -> None:
    with pytest.raises(
        InputError, match=r"--rate = 1e-09 is out of range; give a number from 0.001"
    ):
        parse_positive_floats("1e-9", "--rate")
    assert parse_positive_floats("0.001,5", "--rate") == (0.001, 5.0)
