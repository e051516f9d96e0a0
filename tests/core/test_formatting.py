"""One formatting for every figure: the stored plan's summary equals `planner plan`'s."""

from __future__ import annotations

import math

from planner.core.formatting import MISSING, fmt, money, summary_cell


def test_formats_match_the_cli_table_precision() -> None:
    assert fmt(94812.64, "money") == "94,813"
    assert money(94812.64, "USD") == "94,813 USD"
    assert fmt(0.015173985, "per_1k") == "0.0152"
    assert fmt(15.173985, "per_1m") == "15.17"
    assert fmt(None, "money") == MISSING and fmt(math.nan, "per_1k") == MISSING
    assert summary_cell({"units_max": 2.0}, "units_max") == "2"
