"""Assessment bundles imported in the app: File menu, drops, repeats and corrupt files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from builders import make_inventory, make_model_info, make_run
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from planner.gui import bundle_import
from planner.gui.main_window import MainWindow
from planner.storage.bundles import BundleSite, write_bundle
from planner.storage.database import open_database
from planner.storage.machines import MachineRepository
from planner.storage.models import ModelRepository
from planner.storage.runs import RunRepository

RUN_ID = "dddddddd-0000-4000-8000-000000000004"
SITE = BundleSite("Plant 7, Lyon", "rack B2", "e" * 64, "0.1.0")


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A bundle from another site's database: one machine, one model, one run of 3 points."""
    opened = open_database(tmp_path / "site.db")
    machine_id = MachineRepository(opened.db).save_inventory(
        make_inventory(fingerprint="e" * 64, hostname="lyon-gpu-01")
    )
    model_id = ModelRepository(opened.db).upsert(make_model_info(sha256="1" * 64))
    RunRepository(opened.db).save(make_run(RUN_ID, points=3), machine_id, model_id)
    out = write_bundle(opened, tmp_path / "lyon.plannerbundle", SITE).path
    opened.close()
    return out


@pytest.fixture
def window(qtbot, tmp_path: Path):
    opened = open_database(tmp_path / "office.db")
    main = MainWindow(opened)
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()
    opened.close()


def _dump(window: MainWindow) -> str:
    conn = sqlite3.connect(window.context.opened.path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def _results_rows(window: MainWindow) -> dict[str, str]:
    table = window.results_page.runs_table
    return {
        table.item(r, 0).data(Qt.ItemDataRole.UserRole): table.item(r, 1).text()
        for r in range(table.rowCount())
    }


def _mime(*paths: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def _drop(target: QWidget, *paths: Path) -> bool:
    """Drag the files onto ``target`` and drop them; return whether the drag was accepted.

    Qt hands a drag that a widget ignores on to its parents, as it does for a real drag.
    """
    mime = _mime(*paths)
    actions = Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(10, 10), actions, mime, buttons, keys)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    QApplication.sendEvent(target, QDropEvent(QPointF(10, 10), actions, mime, buttons, keys))
    return True


def test_menu_import_shows_the_run_with_its_site_in_results(
    qtbot, window, bundle, monkeypatch
) -> None:
    monkeypatch.setattr(
        bundle_import.QFileDialog,
        "getOpenFileNames",
        lambda *args, **kwargs: ([str(bundle)], ""),
    )
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    with qtbot.waitSignal(window.context.models_changed):
        window.import_action.trigger()
    assert _results_rows(window)[RUN_ID] == "lyon-gpu-01 @ Plant 7, Lyon"
    message = window.statusBar().currentMessage()
    assert message.startswith("lyon.plannerbundle (site 'Plant 7, Lyon'")
    assert "added 1 machine, 1 model, 1 run, 3 points" in message
    box = window.bundle_importer.summary_box
    assert box.isVisible() and not box.isModal() and box.icon() == QMessageBox.Icon.Information
    assert "added 1 machine" in box.informativeText()


def test_importing_the_same_bundle_again_adds_nothing_and_says_so(qtbot, window, bundle) -> None:
    [first] = window.bundle_importer.import_paths([bundle])
    assert first.accepted and first.added_anything
    before = _dump(window)
    with qtbot.assertNotEmitted(window.context.runs_changed):
        [again] = window.bundle_importer.import_paths([bundle])
    assert again.accepted and not again.added_anything
    assert again.message.endswith("already imported, nothing added")
    assert window.statusBar().currentMessage() == again.message
    assert _dump(window) == before


def test_a_bundle_dropped_on_a_page_is_imported_by_the_window(qtbot, window, bundle) -> None:
    window.show_page(window.models_page)  # the Models page takes .onnx drops, not bundles
    with qtbot.waitSignal(window.context.runs_changed):
        assert _drop(window.models_page, bundle)
    assert _results_rows(window)[RUN_ID] == "lyon-gpu-01 @ Plant 7, Lyon"


def test_the_window_leaves_other_files_to_the_pages(window, tmp_path: Path) -> None:
    model = tmp_path / "mlp.onnx"
    model.write_bytes(b"not imported here")
    before = _dump(window)
    assert not _drop(window, model)
    assert bundle_import.bundle_paths(_mime(model, tmp_path / "a.db")) == [tmp_path / "a.db"]
    assert _dump(window) == before


def test_a_corrupt_bundle_shows_its_reason_and_changes_nothing(
    qtbot, window, bundle, tmp_path: Path
) -> None:
    corrupt = tmp_path / "cut.plannerbundle"
    data = bundle.read_bytes()
    corrupt.write_bytes(data[: len(data) // 2 + 100])
    before = _dump(window)
    with qtbot.assertNotEmitted(window.context.runs_changed):
        [outcome] = window.bundle_importer.import_paths([corrupt])
    assert not outcome.accepted
    assert outcome.message.startswith("bundle cut.plannerbundle rejected: ")
    assert "\n" not in outcome.message
    assert window.statusBar().currentMessage() == outcome.message
    box = window.bundle_importer.summary_box
    assert box.icon() == QMessageBox.Icon.Warning and outcome.message in box.informativeText()
    assert _dump(window) == before
    assert RUN_ID not in _results_rows(window)


def test_a_bad_bundle_does_not_stop_the_good_one(qtbot, window, bundle, tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with qtbot.waitSignal(window.context.runs_changed):
        assert _drop(window, empty, bundle)
    assert RUN_ID in _results_rows(window)
    assert window.statusBar().currentMessage().startswith("Imported 1 of 2 bundles; 1 rejected")
    text = window.bundle_importer.summary_box.informativeText()
    assert "bundle empty.db rejected: " in text and "added 1 machine" in text
