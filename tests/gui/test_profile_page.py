"""The Profile page end to end: a real worker process, stored runs, cancel, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from planner.core.errors import InputError
from planner.gui.context import AppContext
from planner.gui.profile_page import ProfilePage
from planner.gui.results_page import ResultsPage
from planner.models.samples import bundled_sample_paths
from planner.services.seeding import seed_database
from planner.storage.database import open_database
from planner.storage.runs import RunRepository

RUN_TIMEOUT_MS = 90_000


@pytest.fixture
def context(tmp_path: Path):
    opened = open_database(tmp_path / "p.db")
    seed_database(opened)
    yield AppContext(opened)
    opened.close()


@pytest.fixture
def page(qtbot, context: AppContext):
    widget = ProfilePage(context)
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()


def _configure(page: ProfilePage, batches: str, budget: float, cap: float) -> None:
    mlp = next(p for p in bundled_sample_paths() if p.name == "mlp.onnx")
    page.form.select_model(str(mlp.resolve()))
    page.form.scenario_combo.setCurrentText("offline")
    page.form.batch_edit.setText(batches)
    page.form.intra_spin.setValue(1)
    page.form.budget_spin.setValue(budget)
    page.form.point_cap_spin.setValue(cap)


def test_a_profile_runs_live_is_stored_and_shows_in_results(qtbot, page, context) -> None:
    statuses: list[str] = []
    context.status_posted.connect(statuses.append)
    _configure(page, "1,2", budget=3.0, cap=1.0)
    results = ResultsPage(context)
    qtbot.addWidget(results)
    with qtbot.waitSignals([page.run_ended, context.runs_changed], timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
        assert page.running and not page.start_button.isEnabled()
    qtbot.waitUntil(lambda: not page.running, timeout=10_000)
    stored = RunRepository(context.db).all()
    assert len(stored) == 1 and stored[0].status == "completed"
    assert stored[0].point_count == 2 and stored[0].machine_id is not None
    assert f"Run {stored[0].id[:8]} completed: 2 points" in statuses
    buffers = page.charts.buffers
    assert buffers.window_p50 and buffers.sample_count > 0
    assert buffers.point_labels == ["batch 1", "batch 2"]
    assert page.charts.frames_drawn >= 1
    assert results.runs_table.rowCount() == 1
    results.select_runs([stored[0].id])
    assert results.points_table.rowCount() == 2
    assert page.start_button.isEnabled() and page.error_label.isHidden()


def test_cancel_keeps_the_finished_points(qtbot, page, context) -> None:
    _configure(page, "1,2,4,8,16,32,64,128", budget=60.0, cap=4.0)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(page.charts.buffers.point_labels), timeout=RUN_TIMEOUT_MS)
    with qtbot.waitSignal(page.run_ended, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    run = RunRepository(context.db).all()[0]
    assert run.status == "cancelled"
    assert 1 <= run.point_count < 8
    assert "cancelled" in page.info_label.text()


def test_a_dim_the_model_lacks_is_an_inline_error(qtbot, page, context) -> None:
    _configure(page, "1", budget=3.0, cap=1.0)
    page.form.dims_edit.setText("seq=64")
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert not page.running
    assert "no dynamic dimension 'seq'" in page.error_label.text()
    assert RunRepository(context.db).all() == []


def test_bad_field_values_are_inline_errors(qtbot, page) -> None:
    _configure(page, "one,two", budget=3.0, cap=1.0)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert not page.running and "batch sizes" in page.error_label.text()
    page.form.batch_edit.setText("1")
    page.form.scenario_combo.setCurrentText("server")
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert "arrival rates" in page.error_label.text()


def test_no_models_says_where_to_add_them(qtbot, tmp_path: Path) -> None:
    opened = open_database(tmp_path / "empty.db")
    page = ProfilePage(AppContext(opened))
    qtbot.addWidget(page)
    assert "Models page" in page.info_label.text()
    assert not page.start_button.isEnabled()
    opened.close()


def test_server_scenario_takes_rates_or_a_p99_target_to_search(page) -> None:
    page.form.scenario_combo.setCurrentText("server")
    page.form.rates_edit.setText("")
    with pytest.raises(InputError, match="arrival rates .* or a p99 target"):
        page.form.configs()
    page.form.slo_spin.setValue(5.0)
    [config] = page.form.configs()[:1]
    assert (config.scenario, config.slo_ms, config.target_rates) == ("server", 5.0, ())
