"""The Reports page over a real database: choices, preview figures, PDF and CSV export."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from builders import store_run

from planner.core.formatting import breakeven_text, money, per_1k, probability
from planner.core.plan_summary import OptionSummary, PlanSummary
from planner.gui.context import AppContext
from planner.gui.reports_page import EMPTY, NO_PLAN_ITEM, NO_RUNS_TICKED, ReportsPage
from planner.gui.reports_preview import CONFIDENCE, NO_PLAN
from planner.services.plans import ComputedPlan, plan_from_text, plan_summary
from planner.services.seeding import seed_database
from planner.storage.database import open_database

SCENARIO = """
name = "NAME"
currency = "USD"
country = "USA"

[demand]
average_rate = 40.0
peak_factor = 2.0
growth_per_year = 0.1
horizon_months = 24
latency_percentile = "p99"
latency_target_ms = 50.0
price_per_1k = 0.5

[[options]]
kind = "on-prem"
name = "rack server"
runs = ["RUN"]
unit_price = 6000.0
unit_power_w = 250
staff_fte = 0.05

[[options]]
kind = "api"
name = "managed API"
price_per_1k_requests = 0.3
"""


def _plan(context: AppContext, run_id: str, name: str = "office pilot") -> ComputedPlan:
    text = SCENARIO.replace("RUN", run_id[:8]).replace("NAME", name)
    return plan_from_text(context.opened, text, None)


def _best(computed: ComputedPlan) -> tuple[PlanSummary, OptionSummary]:
    summary = plan_summary(computed.result)
    return summary, min(summary.options, key=lambda o: o.total_cost or 0.0)


def _pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(str(path))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _plan_id_named(page: ReportsPage, scenario_name: str) -> str:
    combo = page.plan_combo
    [index] = [i for i in range(combo.count()) if scenario_name in combo.itemText(i)]
    return combo.itemData(index)


@pytest.fixture
def context(tmp_path: Path):
    opened = open_database(tmp_path / "planner.db")
    seed_database(opened)  # as the app does: catalogues and sample models, no runs
    yield AppContext(opened)
    opened.close()


@pytest.fixture
def planned(context: AppContext) -> tuple[AppContext, str, ComputedPlan]:
    run = store_run(context.opened, points=4, scenario="concurrency")
    return context, run.id, _plan(context, run.id)


def _page(qtbot, context: AppContext) -> ReportsPage:
    page = ReportsPage(context)
    qtbot.addWidget(page)
    page.show()
    return page


def test_empty_database_shows_what_to_do(qtbot, context) -> None:
    page = _page(qtbot, context)
    assert page.empty_label.isVisible() and page.empty_label.text() == EMPTY
    assert "Profile a model, then build a plan on the Plan page" in EMPTY
    assert not page.body.isVisible() and not page.export_button.isEnabled()
    assert not page.error_label.isVisible()


def test_lists_the_plan_and_previews_its_key_figures(qtbot, planned) -> None:
    context, run_id, computed = planned
    page = _page(qtbot, context)
    assert page.plan_combo.count() == 1 and "office pilot" in page.plan_combo.currentText()
    assert page.plan_combo.currentData() == computed.plan_id
    assert page.ticked_run_ids() == [run_id]
    summary, best = _best(computed)
    currency = summary.currency
    labels = {name: label.text() for name, label in page.preview.figure_labels.items()}
    assert labels["Recommended option"] == best.name
    assert labels["Decision"].startswith(
        f"Decision (net present value at 8.0% a year): {best.name}"
    )
    assert labels["Total cost"].startswith(money(best.total_cost, currency))
    assert labels["Cost per 1k inferences"] == per_1k(best.cost_per_1k, currency)
    for b in summary.breakeven:
        assert breakeven_text(b.month) in labels["Break-even"]
    odds = probability(summary.prob_cheapest[best.name])
    assert f"cheapest in {odds} of the Monte Carlo draws" in labels[CONFIDENCE]
    text = page.preview.text()
    assert f"Recommended option: {best.name}" in text
    assert money(best.total_cost, currency) in text
    assert "Executive summary" in text and "Machine inventory" in text
    assert not page.error_label.isVisible()


def test_export_pdf_holds_the_recommended_total(qtbot, planned, tmp_path: Path) -> None:
    context, _run_id, computed = planned
    page = _page(qtbot, context)
    page.author_edit.setText("Ada Analyst")
    page.site_edit.setText("Plant 7")
    [written] = page.export_to(tmp_path / "report.pdf", "pdf")
    assert written == tmp_path / "report.pdf" and written.stat().st_size > 0
    summary, best = _best(computed)
    text = _pdf_text(written)
    assert money(best.total_cost, summary.currency) in text
    assert "Ada Analyst" in text and "Plant 7" in text
    assert "report.pdf" in page.done_label.text()


def test_export_csv_writes_the_five_tables(qtbot, planned, tmp_path: Path) -> None:
    context, run_id, _computed = planned
    page = _page(qtbot, context)
    written = page.export_to(tmp_path / "report.csv", "csv")
    names = sorted(p.name for p in written)
    tables = ("assumptions", "monthly", "options", "points", "runs")
    assert names == [f"report_{t}.csv" for t in tables]
    assert run_id in (tmp_path / "report_runs.csv").read_text(encoding="utf-8-sig")


def test_export_error_is_shown_inline(qtbot, planned, tmp_path: Path) -> None:
    context, _run_id, _computed = planned
    page = _page(qtbot, context)
    assert page.export_to(tmp_path / "missing" / "report.pdf", "pdf") == []
    assert page.error_label.isVisible()
    assert page.error_label.text().startswith("Could not export the report: cannot write")


def test_new_plans_appear_on_plans_changed_and_choosing_one_ticks_its_runs(qtbot, planned) -> None:
    context, run_id, _first = planned
    page = _page(qtbot, context)
    other = store_run(context.opened, points=3, run_id="cccccccc-0000-4000-8000-000000000003")
    second = _plan(context, other.id, name="second site")
    context.runs_changed.emit()
    context.plans_changed.emit()
    qtbot.waitUntil(lambda: page.plan_combo.count() == 2)
    # the choice made before the refresh is kept
    assert page.plan_combo.currentData() == _plan_id_named(page, "office pilot")
    page.plan_combo.setCurrentIndex(page.plan_combo.findData(second.plan_id))
    assert page.ticked_run_ids() == [other.id]
    _summary, best = _best(second)
    assert page.preview.figure_labels["Recommended option"].text() == best.name
    page.set_ticked_runs([])
    assert "0 profiling run(s)" in page.preview.text()
    assert run_id not in page.ticked_run_ids()


def test_runs_without_a_plan_report_measurements_only(qtbot, context, tmp_path: Path) -> None:
    run = store_run(context.opened, points=2, scenario="concurrency")
    page = _page(qtbot, context)
    assert page.plan_combo.currentText() == NO_PLAN_ITEM and not page.plan_combo.isEnabled()
    assert page.ticked_run_ids() == [run.id]
    assert page.preview.no_plan_label.isVisible() and page.preview.no_plan_label.text() == NO_PLAN
    assert not page.preview.figures_frame.isVisible()
    assert "No plan is stored" in page.preview.text()
    page.set_ticked_runs([])
    assert page.error_label.isVisible() and NO_RUNS_TICKED in page.error_label.text()
    assert page.export_to(tmp_path / "r.pdf", "pdf") == []
    assert not (tmp_path / "r.pdf").exists()
