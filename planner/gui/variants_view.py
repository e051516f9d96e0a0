"""Model variants in the app: a dialog to make them, a worker that makes them, a table.

GUI thread, except :class:`VariantWorker`, whose ``run`` makes the variant files on its
own QThread (each in a child process); it touches no database, and the page that
started it stores the outcomes on the GUI thread, which owns the connection.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.core.formatting import MISSING, rate, size
from planner.core.text import printable
from planner.core.variant import VariantKind
from planner.services.variants import DEFAULT_KINDS, Comparison, ComparisonRow, make_outcomes

#: What the dialog offers, with a short reason a planner would pick each.
KIND_CHOICES = (
    ("int8-dynamic", "INT8 dynamic: MatMul/Gemm weights, no calibration"),
    ("int8-static", "INT8 static (QDQ, per channel): calibrated on synthesized inputs"),
    ("fp16", "FP16: half-size weights; often slower on CPUs"),
    ("int4-weights", "INT4 weight-only MatMul: for transformer and decoder models"),
    ("prune-0.5", "Prune 50% of weights: smaller when compressed, not faster"),
)
COLUMNS = ("Model", "Status", "Size", "p50 ms", "Peak/s", "Cosine", "Max abs err", "Top-1")
NO_FAMILY = "No variants for this model yet: select it on the Models page and press Make variants…"


class VariantDialog(QDialog):
    """Asks which kinds to make; ``kinds()`` after ``exec()`` is accepted."""

    def __init__(self, model_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Make variants of {model_name}")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Each variant is checked against the original's outputs."))
        self.boxes: dict[str, QCheckBox] = {}
        for kind, text in KIND_CHOICES:
            box = QCheckBox(text)
            box.setChecked(kind in DEFAULT_KINDS)
            self.boxes[kind] = box
            layout.addWidget(box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def kinds(self) -> list[str]:
        return [kind for kind, box in self.boxes.items() if box.isChecked()]


class VariantWorker(QThread):
    """Makes the variants off the GUI thread; reports each line and then every outcome."""

    line_posted = Signal(str)
    outcomes_made = Signal(object)
    making_failed = Signal(str)

    def __init__(self, parent_path: Path, kinds: list[str], out_dir: Path) -> None:
        super().__init__()
        self.parent_path, self.kinds, self.out_dir = parent_path, kinds, out_dir

    def run(self) -> None:
        try:
            outcomes = make_outcomes(
                self.parent_path, self.kinds, self.out_dir, self.line_posted.emit
            )
        except Exception as exc:  # noqa: BLE001 - bad arguments arrive as one line
            self.making_failed.emit(str(exc))
            return
        self.outcomes_made.emit(outcomes)


class VariantsTable(QTableWidget):
    """The parent and its variants side by side (the CLI's comparison, as a table)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(COLUMNS)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.show_comparison(None)

    def show_comparison(self, comparison: Comparison | None) -> None:
        rows = [] if comparison is None else list(comparison.rows)
        self.setRowCount(len(rows))
        for index, row in enumerate(rows):
            for column, text in enumerate(_cells(row)):
                item = QTableWidgetItem(text)
                if row.variant is not None and row.variant.outcome.reason:
                    item.setToolTip(printable(row.variant.outcome.reason))
                self.setItem(index, column, item)
        self.setToolTip("" if rows else NO_FAMILY)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        """An empty table says how to fill it instead of showing bare headers."""
        super().paintEvent(event)
        if self.rowCount():
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().placeholderText().color())
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(self.viewport().rect().adjusted(12, 0, -12, 0), flags, NO_FAMILY)
        painter.end()


def _cells(row: ComparisonRow) -> list[str]:
    outcome = None if row.variant is None else row.variant.outcome
    fidelity = None if outcome is None else outcome.fidelity
    p50 = row.best_point_value("p50")

    def figure(value: float | None, spec: str) -> str:
        return MISSING if value is None else format(value, spec)

    name = row.label if row.model is None else f"{row.label} ({row.model.info.name})"
    status = "original" if outcome is None else outcome.status.value
    if outcome is not None and outcome.kind == VariantKind.PRUNE and outcome.made:
        status += " (smaller zipped, not faster)"
    return [
        printable(name),
        status if outcome is None or outcome.made else f"failed: {outcome.reason}",
        MISSING if row.size_bytes is None else size(row.size_bytes),
        figure(p50, ".3f"),
        rate(row.best_point_value("throughput"), "") if row.run is not None else "not profiled",
        figure(None if fidelity is None else fidelity.cosine, ".5f"),
        figure(None if fidelity is None else fidelity.max_abs_error, ".3g"),
        figure(None if fidelity is None else fidelity.top1_agreement, ".0%"),
    ]
