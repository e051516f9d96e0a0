"""The report use case: the stored plan and runs, with each reported family compared.

Runs on the thread that owns the connection (CLI main thread, GUI thread). The reports
layer gathers what is stored; this adds what only a service can compute: the comparison
of each model family in the report, built from the same column definition as
``planner variants`` and the app, and priced with the plan's scenario when there is one.
"""

from __future__ import annotations

import dataclasses

from planner.reports.report_data import ReportData, load_report_data
from planner.services.variant_table import family_table
from planner.storage.database import OpenedDatabase


def load_report(
    opened: OpenedDatabase, scenario: str | None = None, run_refs: tuple[str, ...] = ()
) -> ReportData:
    """:func:`~planner.reports.report_data.load_report_data` plus the variant families."""
    data = load_report_data(opened, scenario, run_refs)
    parents = dict.fromkeys(v.parent_model_id for v in data.variants)
    families = tuple(family_table(opened, p, data.scenario_text) for p in parents)
    return dataclasses.replace(data, variant_families=families)
