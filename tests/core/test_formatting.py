"""One formatting for every figure: the stored plan's summary equals `planner plan`'s."""

from __future__ import annotations

import math

import pytest

from planner.core.formatting import (
    MISSING,
    compact,
    duration_ms,
    duration_s,
    fmt,
    given,
    money,
    money_tick,
    percent,
    rate,
    shape,
    size,
    summary_cell,
    watts,
)


def test_formats_match_the_cli_table_precision() -> None:
    assert fmt(94812.64, "money") == "94,813"
    assert money(94812.64, "USD") == "94,813 USD"
    assert fmt(0.015173985, "per_1k") == "0.0152"
    assert fmt(15.173985, "per_1m") == "15.17"
    assert fmt(None, "money") == MISSING and fmt(math.nan, "per_1k") == MISSING
    assert summary_cell({"units_max": 2.0}, "units_max") == "2"


def test_small_unit_costs_keep_three_significant_digits() -> None:
    assert money(0.01234, "USD") == "0.0123 USD"
    assert money(0.0009996, "EUR") == "0.00100 EUR"
    assert money(12.345, "USD") == "12.35 USD"
    assert money(1234567.0, "USD") == "1,234,567 USD"
    assert money(-0.00123, "USD") == "-0.00123 USD"
    assert money(math.inf, "USD") == MISSING


def test_watts_read_without_exponents_and_with_separators() -> None:
    assert watts(1.18125) == "1.18 W" and watts(0.85) == "0.85 W"
    assert watts(42.5) == "42.5 W" and watts(250.0) == "250 W"
    assert watts(1400) == "1,400 W" and watts(1_234_567.0) == "1,234,567 W"
    assert watts(None) == MISSING and watts(math.nan) == MISSING


def test_axis_ticks_are_compact_with_the_currency() -> None:
    assert money_tick(1_400_000, "USD") == "1.4 M USD"
    assert money_tick(250_000, "EUR") == "250 k EUR"
    assert money_tick(0, "USD") == "0 USD"
    assert compact(12.5) == "12.5" and compact(0.05) == "0.05"


def test_durations_sizes_rates_and_shapes_read_as_people_write_them() -> None:
    assert duration_ms(3.3) == "3.30 ms" and duration_ms(2310) == "2.31 s"
    assert duration_s(125) == "2 min 5 s" and duration_s(3790) == "1 h 3 min"
    assert size(402_634) == "393.2 KiB" and size(512) == "512 B"
    assert rate(1957.2) == "1,957/s" and rate(150.73) == "150.7/s"
    assert percent(0.37) == "37%"
    assert shape(["batch", 3, 128, 128]) == "batch × 3 × 128 × 128"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (200000.0, "200,000"),
        (0.0, "0"),
        (184, "184"),
        (0.35, "0.35"),
        (1234567.891, "1,234,567.891"),
        (True, "True"),
        ("on-demand", "on-demand"),
        (float("nan"), "—"),
    ],
)
def test_a_given_value_reads_as_typed_without_float_noise(value: object, shown: str) -> None:
    assert given(value) == shown
