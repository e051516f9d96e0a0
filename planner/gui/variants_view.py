"""Model variants in the app: a dialog to make them, a worker that makes them, a table.

GUI thread, except :class:`VariantWorker`, whose ``run`` makes the variant files on its
own QThread (each in a child process); it touches no database, and the page that
started it stores the outcomes on the GUI thread, which owns the connection. The table
shows a :class:`~planner.core.variant_table.FamilyTable` as it comes, so its columns are
those of ``planner variants``.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.core.variant_table import FamilyTable
from planner.services.variants import DEFAULT_BUDGET_S, DEFAULT_KINDS, KindParams, make_outcomes

#: What the dialog offers, with a short reason a planner would pick each.
KIND_CHOICES = (
    ("int8-dynamic", "INT8 dynamic: MatMul/Gemm weights, no calibration"),
    ("int8-static", "INT8 static (QDQ, per channel): calibrated on synthesized inputs"),
    ("fp16", "FP16: half-size weights; often slower on CPUs"),
    ("int4-weights", "INT4 weight-only MatMul: for transformer and decoder models"),
    ("prune-0.5", "Prune 50% of weights: smaller when compressed, not faster"),
)
NO_FAMILY = "No variants for this model yet: select it on the Models page and press Make variants…"


class VariantDialog(QDialog):
    """Asks which kinds to make and how; read ``kinds()``, ``kind_params()`` and
    ``profile_check`` after ``exec()`` is accepted."""

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
        self.block_ops_edit = QLineEdit()
        self.block_ops_edit.setPlaceholderText("e.g. Pow,Softmax")
        self.block_ops_edit.setToolTip(
            "Op types the FP16 variant keeps in float32 besides the usual ones: those where "
            "values grow past float16's 65504 and turn into NaN or infinity"
        )
        form = QFormLayout()
        form.addRow("FP16 block list:", self.block_ops_edit)
        layout.addLayout(form)
        self.profile_check = QCheckBox(
            f"Profile the original and each new variant ({DEFAULT_BUDGET_S:g} s each, "
            "can be cancelled)"
        )
        self.profile_check.setChecked(True)
        layout.addWidget(self.profile_check)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def kinds(self) -> list[str]:
        return [kind for kind, box in self.boxes.items() if box.isChecked()]

    def kind_params(self) -> KindParams:
        """The FP16 block list typed, for the FP16 variant only (checked when it is made)."""
        text = self.block_ops_edit.text().strip()
        return {"fp16": {"block_ops": text}} if text and "fp16" in self.kinds() else {}


class VariantWorker(QThread):
    """Makes the variants off the GUI thread; reports each line and then every outcome.

    ``cancel`` (any thread) lets the variant being made finish and skips the rest.
    """

    line_posted = Signal(str)
    outcomes_made = Signal(object)
    making_failed = Signal(str)

    def __init__(
        self, parent_path: Path, kinds: list[str], out_dir: Path, params: KindParams
    ) -> None:
        super().__init__()
        self.parent_path, self.kinds, self.out_dir = parent_path, kinds, out_dir
        self.params = params
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    def run(self) -> None:
        try:
            outcomes = make_outcomes(
                self.parent_path,
                self.kinds,
                self.out_dir,
                self.line_posted.emit,
                kind_params=self.params,
                should_stop=self._stop.is_set,
            )
        except Exception as exc:  # noqa: BLE001 - bad arguments arrive as one line
            self.making_failed.emit(str(exc))
            return
        self.outcomes_made.emit(outcomes)


class VariantsTable(QTableWidget):
    """The parent and its variants side by side (the CLI's comparison, as a table); each
    row's tooltip says how the variant was made and checked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 0, parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.show_table(None)

    def show_table(self, family: FamilyTable | None) -> None:
        header = () if family is None else family.header
        self.setRowCount(0)
        self.setColumnCount(len(header))
        self.setHorizontalHeaderLabels(list(header))
        if family is not None:
            self.setRowCount(len(family.rows))
            for index, (row, detail) in enumerate(zip(family.rows, family.details, strict=True)):
                for column, text in enumerate(row):
                    item = QTableWidgetItem(text)
                    item.setToolTip(detail)
                    self.setItem(index, column, item)
        self.setToolTip("" if self.rowCount() else NO_FAMILY)

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
