"""The table of stored models on the Models page: one row per model, sortable.

GUI thread only. Each row keeps its :class:`~planner.core.model.ModelInfo` in the first
cell, so the page shows details for the selected row without a database query.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from planner.core.formatting import flops, shape, size
from planner.core.model import ModelInfo
from planner.core.text import printable
from planner.gui.table_items import cell

INFO_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = (
    "model",
    "kind",
    "parameters",
    "size",
    "FLOPs / inference",
    "note",
    "inputs",
    "dynamic dims",
    "sha256",
    "path",
)
#: Columns whose text can run long (a decoder's dozen inputs, a folder's note): capped,
#: the rest of the text in the cell's tooltip, so the figures after them show.
CAPPED = {COLUMNS.index("inputs"): 260, COLUMNS.index("note"): 200}


class ModelsTable(QTableWidget):
    """Read-only, single-selection table of models."""

    def __init__(self) -> None:
        super().__init__(0, len(COLUMNS))
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column, width in CAPPED.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)

    def show_models(self, models: list[ModelInfo], select_sha256: str | None = None) -> None:
        """Replace the rows; select ``select_sha256``, else keep the current selection."""
        current = self.selected_model()
        wanted = select_sha256 or (current.sha256 if current else None)
        self.setSortingEnabled(False)
        self.setRowCount(len(models))
        for row, info in enumerate(models):
            for column, text in enumerate(_cells(info)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 0:
                    item.setData(INFO_ROLE, info)
                self.setItem(row, column, item)
        self.setSortingEnabled(True)
        for row in range(self.rowCount()):
            if cell(self, row, 0).data(INFO_ROLE).sha256 == wanted:
                self.selectRow(row)
                return
        if self.rowCount():
            self.selectRow(0)

    def selected_model(self) -> ModelInfo | None:
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        if not rows:
            return None
        info: ModelInfo = cell(self, rows[0].row(), 0).data(INFO_ROLE)
        return info

    def names(self) -> list[str]:
        return [cell(self, row, 0).text() for row in range(self.rowCount())]


def kind_text(info: ModelInfo) -> str:
    """'ONNX graph', or 'decoder (llama)' for an ONNX Runtime GenAI folder."""
    gen = info.generative
    return "ONNX graph" if gen is None else f"decoder ({gen.model_type})"


def _cells(info: ModelInfo) -> tuple[str, ...]:
    inputs = "; ".join(f"{spec.name} [{shape(spec.shape)}]" for spec in info.inputs)
    if info.generative is not None:
        counted = f"~{flops(2 * info.generative.parameters)} per token"
    else:
        counted = "not counted" if info.flops is None else flops(info.flops)
    if info.uncounted_ops and info.flops is not None and info.generative is None:
        counted = f"≥ {counted}"
    return (
        printable(info.name),
        kind_text(info),
        f"{info.parameters:,}",
        size(info.size_bytes),
        counted,
        info.generative.note if info.generative is not None and info.generative.note else "",
        inputs,
        ", ".join(info.dynamic_dims) or "none",
        info.sha256[:16],
        info.path,
    )
