"""The Models page over a real database: seeded samples, adding files, bad files, drops."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from planner.gui.context import AppContext
from planner.gui.models_page import ModelsPage
from planner.models.builders import build_mlp, save_model
from planner.services.seeding import seed_database
from planner.storage.database import open_database
from planner.storage.models import ModelRepository


@pytest.fixture
def page(qtbot, tmp_path: Path):
    opened = open_database(tmp_path / "p.db")
    seed_database(opened)
    context = AppContext(opened)
    widget = ModelsPage(context)
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()
    opened.close()


def test_seeded_samples_are_listed_with_their_inspection(page: ModelsPage) -> None:
    assert sorted(page.table.names()) == ["cnn", "mlp", "tiny_decoder", "transformer_block"]
    text = page.details.toPlainText()
    assert "SHA-256" in text and "Parameters" in text and "Dynamic dimensions" in text


def test_adding_a_file_stores_it_and_announces_it(qtbot, page: ModelsPage, tmp_path) -> None:
    path = save_model(
        build_mlp(in_features=32, hidden=16, out_features=4, hidden_layers=1), tmp_path / "m.onnx"
    )
    with qtbot.waitSignals([page.model_added, page._context.models_changed], timeout=30_000):
        page.add_model_file(path)
    assert "m" in page.table.names()
    assert page.table.selected_model().name == "m"
    assert "m.onnx" in page.details.toPlainText()
    assert page.error_label.isHidden()


def test_a_bad_file_shows_its_error_and_stores_nothing(qtbot, page: ModelsPage, tmp_path) -> None:
    bad = tmp_path / "broken.onnx"
    bad.write_text("this is not an ONNX model")
    before = len(ModelRepository(page._context.db).all())
    with qtbot.waitSignal(page.model_rejected, timeout=30_000) as blocker:
        page.add_model_file(bad)
    assert blocker.args[0].startswith("broken.onnx: ")
    assert "\n" not in blocker.args[0]
    assert page.error_label.isVisible() or not page.isVisible()
    assert page.error_label.text() == blocker.args[0]
    assert len(ModelRepository(page._context.db).all()) == before


def test_dropping_onnx_files_adds_them_and_ignores_others(qtbot, page: ModelsPage, tmp_path):
    model = save_model(
        build_mlp(in_features=8, hidden=8, out_features=2, hidden_layers=1), tmp_path / "d.onnx"
    )
    other = tmp_path / "notes.txt"
    other.write_text("x")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(model)), QUrl.fromLocalFile(str(other))])
    event = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(page.model_added, timeout=30_000):
        page.dropEvent(event)
    assert "d" in page.table.names()
    assert "notes" not in page.table.names()
