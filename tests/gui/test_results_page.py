"""The Results page over stored runs: tables, filter, comparison charts, Send to plan."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from builders import make_inventory, make_model_info, make_run
from PySide6.QtGui import QColor

from planner.gui.context import AppContext
from planner.gui.results_charts import CDF_POINTS, cdf_curve, point_shade
from planner.gui.results_page import EMPTY, ResultsPage
from planner.storage.database import open_database
from planner.storage.machines import MachineRepository
from planner.storage.models import ModelRepository
from planner.storage.runs import RunRepository

RUN_A = "aaaaaaaa-0000-0000-0000-000000000001"
RUN_B = "bbbbbbbb-0000-0000-0000-000000000002"


@pytest.fixture
def context(tmp_path: Path):
    opened = open_database(tmp_path / "p.db")
    yield AppContext(opened)
    opened.close()


def _store_two_runs(context: AppContext) -> None:
    machine_id = MachineRepository(context.db).save_inventory(make_inventory())
    model_id = ModelRepository(context.db).upsert(make_model_info())
    runs = RunRepository(context.db)
    first = make_run(RUN_A, points=2)
    second = make_run(RUN_B, points=3, scenario="concurrency")
    unstable = replace(second.points[1], stable=False)
    second = replace(second, points=(second.points[0], unstable, second.points[2]))
    runs.save(first, machine_id, model_id)
    runs.save(replace(second, started_at="2026-11-27T10:00:00+00:00"), machine_id, model_id)


def test_empty_database_says_what_to_do(qtbot, context) -> None:
    page = ResultsPage(context)
    qtbot.addWidget(page)
    assert page.info_label.text() == EMPTY
    assert not page.send_button.isEnabled()


def test_runs_appear_on_runs_changed_and_compare_side_by_side(qtbot, context) -> None:
    page = ResultsPage(context)
    qtbot.addWidget(page)
    _store_two_runs(context)
    context.runs_changed.emit()
    table = page.runs_table
    assert table.rowCount() == 2
    row = [table.item(0, c).text() for c in range(table.columnCount())]
    assert row[0] == "mlp" and row[1] == "test-host (this site)" and row[2] == "concurrency"
    assert row[4] == "completed" and row[6] == "3"
    page.select_runs([RUN_A, RUN_B])
    assert sorted(page.selected_ids()) == [RUN_A, RUN_B]
    assert page.points_table.rowCount() == 5
    charts = page.charts
    assert set(charts.curves) == {RUN_A, RUN_B}
    for items in charts.curves.values():
        assert [i.name().rsplit(" ", 1)[1] for i in items] == ["p50", "p99"]
    assert len(charts.curves[RUN_B][0].getData()[0]) == 3
    assert len(charts.cdf_curves[RUN_A]) == 2 and len(charts.cdf_curves[RUN_B]) == 3
    assert "bbbbbbbb concurrency 2" in charts.note.text()
    axis = charts.curve_plot.getPlotItem().getAxis("bottom").labelText
    assert axis == "throughput (inferences/s)"
    assert charts.curve_plot.getPlotItem().getAxis("left").labelText == "latency (ms)"
    assert "NO" in [page.points_table.item(r, 7).text() for r in range(5)]
    assert not any(box.isVisibleTo(page) for box in charts.token_row)  # token plots only
    assert charts.rate_curves == {} and charts.gap_curves == {}


def test_send_to_plan_emits_the_selected_ids(qtbot, context) -> None:
    _store_two_runs(context)
    page = ResultsPage(context)
    qtbot.addWidget(page)
    page.select_runs([RUN_A, RUN_B])
    assert page.send_button.isEnabled()
    with qtbot.waitSignal(context.runs_sent_to_plan) as blocker:
        page.send_button.click()
    assert sorted(blocker.args[0]) == [RUN_A, RUN_B]


def test_filter_hides_runs_that_do_not_match(qtbot, context) -> None:
    _store_two_runs(context)
    page = ResultsPage(context)
    qtbot.addWidget(page)
    page.filter_edit.setText("concurrency")
    hidden = [page.runs_table.isRowHidden(r) for r in range(2)]
    assert sorted(hidden) == [False, True]
    assert page.info_label.text().startswith("1 of 2 runs shown")
    page.filter_edit.setText("nothing-like-this")
    assert "clear the filter" in page.info_label.text()


def test_cdf_curves_are_cut_to_five_thousand_points() -> None:
    samples = np.random.default_rng(0).lognormal(size=1_000_000).astype(np.float32)
    x, y = cdf_curve(samples)
    assert len(x) <= CDF_POINTS and x[0] == samples.min() and x[-1] == samples.max()
    assert y[-1] == 1.0 and np.all(np.diff(x) >= 0)


def test_every_point_of_a_run_has_its_own_look_in_the_cdf_legend() -> None:
    base = QColor("#1f77b4")
    shades = [point_shade(base, n, 4).name() for n in range(4)]
    looks = {(shade, n % 3) for n, shade in enumerate(shades)}
    assert len(set(shades)) == 4 and len(looks) == 4
    assert point_shade(base, 0, 1).name() == base.name()
