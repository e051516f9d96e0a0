"""The Models page: the models planner knows, their inspection, and adding ONNX files.

GUI thread, except the inspection itself: reading and hashing an ONNX file can take
seconds for a large model, so it runs on a :class:`ModelInspector` QThread and comes back
as a signal; the result is stored on the GUI thread, which owns the connection. Files come
from the Add dialog or by dropping ``.onnx`` files on the page; both go through
:meth:`ModelsPage.add_model_file`. A file that fails inspection shows its one-line error
and stores nothing. Variants of the selected model are made and then profiled by a
:class:`~planner.gui.variants_flow.VariantsFlow` (threads and worker processes, with a
Cancel button), and the selected model's family is compared below its details.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFontDatabase
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from planner.core.model import ModelInfo
from planner.gui.context import AppContext
from planner.gui.models_table import ModelsTable
from planner.gui.variants_flow import VariantsFlow
from planner.gui.variants_panel import VariantsPanel
from planner.gui.variants_view import VariantDialog
from planner.models.inspect import inspect_model
from planner.services.model_text import format_model_info
from planner.services.variant_comparison import family_parent
from planner.services.variants import KindParams
from planner.storage.models import ModelRepository

EMPTY = "No models yet: press Add model… or drop .onnx files here."
HINT = "Drop .onnx files here, or press Add model…"


class ModelInspector(QThread):
    """Inspects one file off the GUI thread."""

    inspected = Signal(object)
    inspection_failed = Signal(str, str)

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def run(self) -> None:
        try:
            info = inspect_model(self.path)
        except Exception as exc:  # noqa: BLE001 - ModelError is one line; others shown too
            self.inspection_failed.emit(self.path, str(exc))
            return
        self.inspected.emit(info)


class ModelsPage(QWidget):
    """Lists stored models; ``model_added(id)`` or ``model_rejected(error)`` per added file."""

    model_added = Signal(str)
    model_rejected = Signal(str)

    def __init__(
        self,
        context: AppContext,
        machine_id_provider: Callable[[], str | None] = lambda: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._repository = ModelRepository(context.db)
        self._pending: list[str] = []
        self._inspector: ModelInspector | None = None
        self.setAcceptDrops(True)
        self.add_button = QPushButton("Add model…")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.variants_button = QPushButton("Make variants…")
        self.variants_button.setToolTip(
            "Quantized, float16 or pruned copies of the selected model, checked against it"
        )
        self.variants_button.setEnabled(False)
        self.variants_button.clicked.connect(self._on_variants_clicked)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop making or profiling variants; what is done is kept")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.variants = VariantsPanel(context)
        self.flow = VariantsFlow(context, machine_id_provider, parent=self)
        self.flow.line_posted.connect(self._on_flow_line)
        self.flow.problem_posted.connect(self._on_variants_failed)
        self.flow.finished.connect(self._on_flow_finished)
        self.info_label = QLabel(HINT)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.hide()
        self.table = ModelsTable()
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        header = QHBoxLayout()
        header.addWidget(self.info_label, 1)
        header.addWidget(self.variants_button)
        header.addWidget(self.cancel_button)
        header.addWidget(self.add_button)
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.details)
        side.addWidget(self.variants)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.error_label)
        layout.addWidget(splitter, 1)
        context.models_changed.connect(self.refresh)
        self.refresh()

    @property
    def busy(self) -> bool:
        return self._inspector is not None or self.flow.busy

    def refresh(self, select_sha256: str | None = None) -> None:
        """Reload the table from the database."""
        stored = self._repository.all()
        self.table.show_models([s.info for s in stored], select_sha256)
        if not self.busy:
            self.info_label.setText(HINT if stored else EMPTY)
        if not stored:
            self.details.setPlainText(EMPTY)

    def add_model_file(self, path: str | Path) -> None:
        """Inspect ``path`` and store it; queued behind any inspection in progress."""
        self._pending.append(str(path))
        self._inspect_next()

    def shutdown(self) -> None:
        """Wait for an inspection or variants in progress (call when the window closes)."""
        self._pending.clear()
        if self._inspector is not None:
            self._inspector.wait(30_000)
        self.flow.shutdown()

    def make_variants(
        self, kinds: list[str], params: KindParams | None = None, profile: bool = True
    ) -> None:
        """Make ``kinds`` of the selected model, then profile the family if ``profile``;
        the work runs off this thread and its results come back here."""
        info = self.table.selected_model()
        if info is None or self.flow.busy or not kinds:
            return
        self.error_label.hide()
        self.variants_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.flow.start(Path(info.path), kinds, params or {}, profile)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if _onnx_paths(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = _onnx_paths(event)
        for path in paths:
            self.add_model_file(path)
        if paths:
            event.acceptProposedAction()

    def _on_add_clicked(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Add ONNX models", "", "ONNX models (*.onnx);;All files (*)"
        )
        for path in paths:
            self.add_model_file(path)

    def _inspect_next(self) -> None:
        if self._inspector is not None or not self._pending:
            return
        path = self._pending.pop(0)
        self.info_label.setText(f"Inspecting {Path(path).name}…")
        inspector = ModelInspector(path)
        inspector.inspected.connect(self._on_inspected)
        inspector.inspection_failed.connect(self._on_inspection_failed)
        inspector.finished.connect(self._on_inspector_finished)
        self._inspector = inspector
        inspector.start()

    def _on_inspected(self, info: ModelInfo) -> None:
        try:
            model_id = self._repository.upsert(info)
        except Exception as exc:  # noqa: BLE001 - shown inline, never a crash
            self._on_inspection_failed(info.path, f"could not store it: {exc}")
            return
        self.error_label.hide()
        self.refresh(select_sha256=info.sha256)
        self._context.post_status(f"Model {info.name} added ({info.sha256[:12]})")
        self._context.models_changed.emit()
        self._context.remember_file(info.path)
        self.model_added.emit(model_id)

    def _on_inspection_failed(self, path: str, message: str) -> None:
        text = f"{Path(path).name}: {message}"
        self.error_label.setText(text)
        self.error_label.show()
        self._context.post_status(text)
        self.model_rejected.emit(text)

    def _on_inspector_finished(self) -> None:
        if self._inspector is not None:
            self._inspector.wait()
            self._inspector.deleteLater()
        self._inspector = None
        if self._pending:
            self._inspect_next()
        else:
            self.info_label.setText(HINT)

    def _on_selection_changed(self) -> None:
        info = self.table.selected_model()
        self.variants_button.setEnabled(info is not None and not self.flow.busy)
        if info is not None:
            self.details.setPlainText(format_model_info(info))
        self._show_family(info)

    def _show_family(self, info: ModelInfo | None) -> None:
        stored = None if info is None else self._repository.by_sha256(info.sha256)
        parent = None if stored is None else family_parent(self._context.opened, stored.id)
        self.variants.show_family(parent)

    def _on_variants_clicked(self) -> None:
        info = self.table.selected_model()
        if info is None:
            return
        dialog = VariantDialog(info.name, self)
        if dialog.exec() == VariantDialog.DialogCode.Accepted:
            self.make_variants(
                dialog.kinds(), dialog.kind_params(), dialog.profile_check.isChecked()
            )

    def _on_flow_line(self, line: str) -> None:
        self.info_label.setText(line.strip())

    def _on_cancel_clicked(self) -> None:
        self.flow.cancel()
        self.cancel_button.setEnabled(False)
        self.info_label.setText("Cancelling after the variant or measurement window in progress…")

    def _on_variants_failed(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _on_flow_finished(self, summary: str) -> None:
        if summary:
            self._context.post_status(summary)
        self.cancel_button.hide()
        self.info_label.setText(summary or HINT)
        self._on_selection_changed()


def _onnx_paths(event: QDragEnterEvent | QDropEvent) -> list[str]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [
        url.toLocalFile()
        for url in mime.urls()
        if url.isLocalFile() and url.toLocalFile().lower().endswith(".onnx")
    ]
