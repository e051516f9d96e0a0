"""The stored plan's summary equals `planner plan`'s, field for field."""

from __future__ import annotations

from planner.core.plan_result import PlanResult
from planner.planning.summary import plan_summary as summarize
from planner.reports.report_data import load_report_data
from planner.services.plans import plan_summary
from planner.storage.database import open_database


def test_summary_of_a_stored_plan_matches_plan_summary(planned_db) -> None:
    path, computed = planned_db
    opened = open_database(path)
    data = load_report_data(opened)
    opened.close()
    assert data.plan is not None and data.plan.id == computed.plan_id
    assert data.summary == plan_summary(computed.result)
    assert summarize(PlanResult.from_dict(computed.result.to_dict())) == plan_summary(
        computed.result
    )
