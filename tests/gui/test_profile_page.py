"""The Profile page end to end: a real worker process, stored runs, cancel, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

import planner.services.input_memory as input_memory
from planner.core.errors import InputError
from planner.gui.context import AppContext
from planner.gui.profile_charts import HISTOGRAM
from planner.gui.profile_form import MODEL_ROLE
from planner.gui.profile_generative import SCENARIO_HELP
from planner.gui.profile_page import ProfilePage
from planner.gui.profile_points import points_text
from planner.gui.results_page import ResultsPage
from planner.hardware.providers import CPU
from planner.models import class_builders as cb
from planner.models.builders import save_model
from planner.models.inspect import inspect_model
from planner.models.samples import bundled_sample_paths
from planner.services.seeding import seed_database
from planner.storage.database import open_database
from planner.storage.input_settings import InputSettingsRepository
from planner.storage.models import ModelRepository
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


def test_a_batch_too_large_for_memory_is_an_inline_error(
    qtbot, page, context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(input_memory, "memory_available_bytes", lambda: 16 * 1024**2)
    _configure(page, "65536", budget=3.0, cap=1.0)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert not page.running and page.start_button.isEnabled()
    shown = page.error_label.text()
    assert shown.startswith("batch size 65536 needs 32.0 MiB of input data, but only 16.0 MiB")
    assert shown.endswith("choose a smaller batch size"), "no CLI flag in the GUI"
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


def _add_class_models(context: AppContext, page: ProfilePage, folder: Path) -> None:
    models = ModelRepository(context.db)
    for build, name in ((cb.build_unsizable, "unsizable"), (cb.build_yolo_style, "yolo")):
        models.upsert(inspect_model(save_model(build(), folder / f"{name}.onnx")))
    page.form.refresh()


def _select(page: ProfilePage, name: str) -> str:
    items = [page.form.model_list.item(row) for row in range(page.form.model_list.count())]
    path = next(i.data(MODEL_ROLE).path for i in items if i.data(MODEL_ROLE).name == name)
    page.form.select_model(path)
    return path


def test_dims_hint_names_assumptions_and_what_is_required(page, context, tmp_path) -> None:
    _add_class_models(context, page, tmp_path)
    _select(page, "yolo")
    hint = page.form.dims_edit.placeholderText()
    assert "height=640: image height, detector convention (assumed)" in hint
    _select(page, "unsizable")
    assert page.form.dims_edit.placeholderText() == "x:1=? (required)"
    assert page.form.providers() == (CPU,)


def test_saved_inputs_are_stored_shown_and_the_run_uses_them(
    qtbot, page, context, tmp_path
) -> None:
    _add_class_models(context, page, tmp_path)
    path = _select(page, "unsizable")
    page.form.dims_edit.setText("x:1=7")
    page.form.save_inputs_check.setChecked(True)
    page.form.budget_spin.setValue(3.0)
    page.form.point_cap_spin.setValue(0.5)
    with qtbot.waitSignal(page.run_ended, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.running, timeout=10_000)
    sha256 = inspect_model(path).sha256
    assert InputSettingsRepository(context.db).get(sha256).dims == {"x:1": 7}
    [run] = RunRepository(context.db).all()
    assert run.status == "completed"
    assert RunRepository(context.db).load(run.id).dims_used == {"batch": 1, "x:1": 7}
    _select(page, "unsizable")
    assert "unsizable: dims x:1=7" in page.form.saved_label.text()


def test_the_assumed_sizes_are_named_while_and_after_running(
    qtbot, page, context, tmp_path
) -> None:
    _add_class_models(context, page, tmp_path)
    _select(page, "yolo")
    page.form.budget_spin.setValue(3.0)
    page.form.point_cap_spin.setValue(0.5)
    with qtbot.waitSignal(page.run_ended, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.running, timeout=10_000)
    text = page.info_label.text()
    assert "Assumed (give them to change): height=640: image height" in text


def test_the_form_explains_each_scenario_and_enables_only_its_fields(qtbot, page) -> None:
    form = page.form
    page.show()
    expected = {
        "single-stream": (False, False),
        "offline": (False, False),
        "concurrency": (True, False),
        "server": (True, True),
    }
    for scenario, (concurrency, server) in expected.items():
        form.scenario_combo.setCurrentText(scenario)
        assert form.scenario_help.text() == SCENARIO_HELP[scenario]
        assert form.concurrency_edit.isEnabled() == concurrency
        assert form.rates_edit.isEnabled() == form.slo_spin.isEnabled() == server
    assert "generative" not in [
        form.scenario_combo.itemText(i) for i in range(form.scenario_combo.count())
    ]


def test_points_are_listed_live_and_the_budget_names_what_it_skipped(qtbot, page) -> None:
    _configure(page, "1,2,4,8,16,32,64,128", budget=2.5, cap=1.0)
    with qtbot.waitSignal(page.run_ended, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.running, timeout=10_000)
    lines = page.point_log.lines()
    assert lines and all(
        re.match(r"batch \d+: .+/s, p\d+ .+ ms, (stable|UNSTABLE)", t) for t in lines
    )
    info = page.info_label.text()
    assert "not measured: " in info and "batch 128" in info and "time budget 2.5 s" in info
    assert re.search(r"completed: \d+ points?;", info)
    charts = page.charts
    assert charts.throughput_plot.getPlotItem().getAxis("bottom").labelText == "batch"
    assert charts.power_panel.currentWidget() is charts.energy_label
    assert "No power meter measured this run" in charts.energy_label.text()
    charts.reset()
    assert charts.histogram_caption.text() == HISTOGRAM  # nothing stale from the last run


def test_one_point_reads_in_the_singular() -> None:
    assert points_text(1) == "1 point" and points_text(3) == "3 points"
