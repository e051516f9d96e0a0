"""Property tests: every entry point for numbers, fed NaN, infinities, huge, negative and
zero values (and anything else hypothesis draws), refuses in one line naming the field or
returns finite values within the field's range; nothing else ever escapes."""

from __future__ import annotations

import argparse
import math

import pytest
from hardening.cases import NUMERIC_COLUMNS, csv_of, shipped_row
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core.errors import CatalogError, InputError
from planner.core.parsing import (
    DURATION_LIMITS,
    RATE_LIMITS,
    SLO_MS_LIMITS,
    THREAD_LIMITS,
    number_flag,
    parse_dims,
    parse_duration,
    parse_positive_floats,
    parse_positive_ints,
    whole_flag,
)
from planner.planning.catalog import parse_catalog_csv
from planner.planning.catalog_fields import COLUMN_LIMITS
from planner.storage.bundle_numbers import CONFIG_LIMITS, check_config

SPECIAL = st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -1e308, -1.0, 0.0, -0.0, 1e-320])
NUMBERS = SPECIAL | st.floats() | st.integers(min_value=-(10**40), max_value=10**40)
TEXTS = st.sampled_from(["nan", "inf", "-inf", "1e400", "-1e400", "Infinity", "1" + "0" * 40])
NUMBER_TEXTS = TEXTS | NUMBERS.map(repr) | st.text(max_size=12)


def _one_line(error: Exception, *needles: str) -> None:
    message = str(error)
    assert "\n" not in message and any(n in message for n in needles), message


@settings(max_examples=300, deadline=None)
@given(
    place=st.sampled_from([(k, c) for k, cols in NUMERIC_COLUMNS.items() for c in cols]),
    text=NUMBER_TEXTS,
)
def test_catalogue_cells(place: tuple[str, str], text: str) -> None:
    kind, column = place
    header, row = shipped_row(kind)
    row[header.index(column)] = text
    try:
        [parsed] = parse_catalog_csv(kind, csv_of(header, row))
    except CatalogError as error:
        _one_line(error, column, "line")
        return
    value = getattr(parsed, column)
    if value is None:  # an optional column left empty
        return
    assert math.isfinite(value)
    if column in COLUMN_LIMITS:
        assert COLUMN_LIMITS[column].admits(value)


@settings(max_examples=300, deadline=None)
@given(key=st.sampled_from(sorted(CONFIG_LIMITS)), value=NUMBERS)
def test_bundle_run_configuration(key: str, value: float) -> None:
    config = {key: [value] if key in ("batch_sizes", "concurrency", "target_rates") else value}
    try:
        check_config("run config", config)
    except ValueError as error:
        _one_line(error, key)
        return
    assert math.isfinite(value) and CONFIG_LIMITS[key].admits(value)


@settings(max_examples=200, deadline=None)
@given(text=NUMBER_TEXTS)
def test_list_and_duration_flags(text: str) -> None:
    for parse, limits in (
        (lambda t: parse_positive_floats(t, "--rate"), RATE_LIMITS),
        (lambda t: parse_duration(t, "--rate"), DURATION_LIMITS),
    ):
        try:
            values = parse(text)
        except InputError as error:
            _one_line(error, "--rate")
            continue
        for value in values if isinstance(values, tuple) else (values,):
            assert math.isfinite(value) and limits.admits(value)
    try:
        counts = parse_positive_ints(text, "--rate") + tuple(parse_dims([f"seq={text}"]).values())
    except InputError as error:
        _one_line(error, "--rate", "--dim")
    else:
        assert all(1 <= c <= 1 << 20 for c in counts)


@settings(max_examples=200, deadline=None)
@given(text=NUMBER_TEXTS)
def test_single_number_flags(text: str) -> None:
    for convert, limits in (
        (number_flag(SLO_MS_LIMITS), SLO_MS_LIMITS),
        (whole_flag(THREAD_LIMITS), THREAD_LIMITS),
    ):
        try:
            value = convert(text)
        except argparse.ArgumentTypeError as error:
            assert "\n" not in str(error)
            continue
        assert math.isfinite(value) and limits.admits(value)


@pytest.mark.parametrize("flag", ["--rate", "--budget"])
@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "1e400"])
def test_non_finite_flag_values_name_the_flag(flag: str, text: str) -> None:
    parse = parse_positive_floats if flag == "--rate" else parse_duration
    with pytest.raises(InputError, match=rf"^{flag} .*(not finite|not a number)"):
        parse(text, flag)
