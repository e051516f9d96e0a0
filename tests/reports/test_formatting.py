"""One formatting for every figure: the stored plan's summary equals `planner plan`'s."""

from __future__ import annotations

import math

from planner.cli.plan_service import plan_summary
from planner.planning.summary import plan_summary as summarize
from planner.reports.formatting import MISSING, fmt, money, summary_cell
from planner.reports.report_data import load_report_data
from planner.storage.database import open_database


def test_summary_of_a_stored_plan_matches_plan_summary(planned_db) -> None:
    path, computed = planned_db
    opened = open_database(path)
    data = load_report_data(opened)
    opened.close()
    assert data.plan is not None and data.plan.id == computed.plan_id
    assert data.summary == plan_summary(computed.result)
    assert summarize(computed.result.to_dict()) == plan_summary(computed.result)


def test_formats_match_the_cli_table_precision() -> None:
    assert fmt(94812.64, "money") == "94,813"
    assert money(94812.64, "USD") == "94,813 USD"
    assert fmt(0.015173985, "per_1k") == "0.0152"
    assert fmt(15.173985, "per_1m") == "15.17"
    assert fmt(None, "money") == MISSING and fmt(math.nan, "per_1k") == MISSING
    assert summary_cell({"units_max": 2.0}, "units_max") == "2"
