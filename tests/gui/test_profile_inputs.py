"""Profile page: assumed and missing dims are shown, input settings are saved and reused."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from planner.gui.context import AppContext
from planner.gui.profile_form import MODEL_ROLE
from planner.gui.profile_page import ProfilePage
from planner.hardware.providers import CPU
from planner.models import class_builders as cb
from planner.models.builders import save_model
from planner.models.inspect import inspect_model
from planner.storage.database import open_database
from planner.storage.input_settings import InputSettingsRepository
from planner.storage.models import ModelRepository
from planner.storage.runs import RunRepository

RUN_TIMEOUT_MS = 90_000


@pytest.fixture
def context(tmp_path: Path):
    opened = open_database(tmp_path / "p.db")
    models = ModelRepository(opened.db)
    for build, name in ((cb.build_unsizable, "unsizable"), (cb.build_yolo_style, "yolo")):
        models.upsert(inspect_model(save_model(build(), tmp_path / f"{name}.onnx")))
    yield AppContext(opened)
    opened.close()


@pytest.fixture
def page(qtbot, context: AppContext):
    widget = ProfilePage(context)
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()


def _select(page: ProfilePage, name: str) -> str:
    items = [page.form.model_list.item(row) for row in range(page.form.model_list.count())]
    path = next(i.data(MODEL_ROLE).path for i in items if i.data(MODEL_ROLE).name == name)
    page.form.select_model(path)
    return path


def test_dims_hint_names_assumptions_and_what_is_required(page) -> None:
    _select(page, "yolo")
    hint = page.form.dims_edit.placeholderText()
    assert "height=640: image height, detector convention (assumed)" in hint
    _select(page, "unsizable")
    assert page.form.dims_edit.placeholderText() == "x:1=? (required)"
    assert page.form.providers() == (CPU,)


def test_saved_inputs_are_stored_shown_and_the_run_uses_them(qtbot, page, context) -> None:
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


def test_the_assumed_sizes_are_named_while_and_after_running(qtbot, page, context) -> None:
    _select(page, "yolo")
    page.form.budget_spin.setValue(3.0)
    page.form.point_cap_spin.setValue(0.5)
    with qtbot.waitSignal(page.run_ended, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.running, timeout=10_000)
    text = page.info_label.text()
    assert "Assumed (give them to change): height=640: image height" in text
