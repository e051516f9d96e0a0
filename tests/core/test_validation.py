"""The one number check: finite, in range, whole where a count is meant; one-line refusals."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.core.errors import InputError
from planner.core.validation import (
    COUNT,
    FRACTION,
    POSITIVE,
    Limits,
    check_number,
    check_optional,
    check_whole,
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
