"""The Models page: the models planner knows, their inspection, and adding ONNX files.

GUI thread, except the inspection itself: reading and hashing an ONNX file can take
seconds for a large model, so it runs on a :class:`ModelInspector` QThread and comes back
as a signal; the result is stored on the GUI thread, which owns the connection. Files come
from the Add dialog or by dropping ``.onnx`` files on the page; both go through
:meth:`ModelsPage.add_model_file`. A file that fails inspection shows its one-line error
and stores nothing. Variants of the selected model are made on a
:class:`~planner.gui.variants_view.VariantWorker` QThread, and the selected model's family
is compared below its details.
"""

from __future__ import annotations

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
from planner.core.variant import VariantOutcome
from planner.gui.context import AppContext
from planner.gui.models_table import ModelsTable
from planner.gui.variants_panel import VariantsPanel
from planner.gui.variants_view import VariantDialog, VariantWorker
from planner.models.inspect import inspect_model
from planner.services.failures import describe_failure
from planner.services.model_text import format_model_info
from planner.services.variant_comparison import family_parent
from planner.services.variants import KindParams, default_folder, store_outcomes
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

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
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
        self.variants = VariantsPanel(context)
        self._variant_worker: VariantWorker | None = None
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
        return self._inspector is not None or self._variant_worker is not None

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
        if self._variant_worker is not None:
            self._variant_worker.wait()

    def make_variants(self, kinds: list[str], params: KindParams | None = None) -> None:
        """Make ``kinds`` of the selected model on a worker thread; results come back here."""
        info = self.table.selected_model()
        if info is None or self._variant_worker is not None or not kinds:
            return
        folder = default_folder(self._context.opened, Path(info.path))
        worker = VariantWorker(Path(info.path), kinds, folder, params or {})
        worker.line_posted.connect(self.info_label.setText)
        worker.outcomes_made.connect(
            lambda outcomes, p=info.path: self._on_variants_made(p, outcomes)
        )
        worker.making_failed.connect(self._on_variants_failed)
        worker.finished.connect(self._on_variant_worker_finished)
        self._variant_worker = worker
        self.variants_button.setEnabled(False)
        worker.start()

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
        self.variants_button.setEnabled(info is not None and self._variant_worker is None)
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
            self.make_variants(dialog.kinds(), dialog.kind_params())

    def _on_variants_made(self, parent_path: str, outcomes: list[VariantOutcome]) -> None:
        try:
            stored = store_outcomes(self._context.opened, Path(parent_path), outcomes)
        except Exception as exc:  # noqa: BLE001 - shown inline with its crash log, never a crash
            self._on_variants_failed(describe_failure(exc))
            return
        made = sum(1 for v in stored if v.outcome.made)
        self._context.post_status(f"{made} of {len(stored)} variant(s) made; profile them next")
        self._context.models_changed.emit()

    def _on_variants_failed(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _on_variant_worker_finished(self) -> None:
        if self._variant_worker is not None:
            self._variant_worker.wait()
            self._variant_worker.deleteLater()
        self._variant_worker = None
        self.info_label.setText(HINT)
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
