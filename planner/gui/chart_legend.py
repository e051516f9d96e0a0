"""Legends outside the data, and the row of option switches shared by a plan's charts.

GUI thread only. pyqtgraph draws its legend inside the plot, where it covers curves and
is cut off when names are long; a :class:`ChartLegend` is a wrapping label under the
plot instead, so every name is readable at any window size. :class:`OptionToggles` is
the legend of every chart that draws one series per plan option: a check box per
option in the option's colour. An option whose costs dwarf the others' (a managed API
at 12 M against servers at 150 k) starts hidden with a note saying why, so the rest of
the chart stays readable; ticking it shows it again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QCheckBox, QLabel, QLayout, QLayoutItem, QVBoxLayout, QWidget

from planner.core.formatting import money_tick
from planner.core.text import html_text as escape
from planner.gui.charts_common import color
from planner.reports.chart_scale import dwarfing

_SWATCH = (22, 12)


@dataclass(frozen=True)
class LegendEntry:
    """One series: its name, colour and line style (dashed for a second statistic)."""

    name: str
    color: QColor
    dashed: bool = False


def swatch(chosen: QColor, dashed: bool = False) -> QIcon:
    """A short line in ``chosen`` colour, as drawn in the chart."""
    pixmap = QPixmap(*_SWATCH)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    pen = QPen(chosen, 3, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
    painter.setPen(pen)
    painter.drawLine(1, _SWATCH[1] // 2, _SWATCH[0] - 1, _SWATCH[1] // 2)
    painter.end()
    return QIcon(pixmap)


class ChartLegend(QLabel):
    """A wrapping line of colour keys and names under a chart."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.entries: list[LegendEntry] = []

    def set_entries(self, entries: Sequence[LegendEntry]) -> None:
        self.entries = list(entries)
        keys = []
        for entry in self.entries:
            mark = "╍╍" if entry.dashed else "━━"
            keys.append(
                f"<span style='color:{entry.color.name()}; font-weight:bold'>{mark}</span>"
                f"&nbsp;{escape(entry.name).replace(' ', '&nbsp;')}"
            )
        # Spaces inside a name do not break, so a line wraps only between entries, after
        # the em space that parts them: it hangs at a line's end, where a space and a
        # no-break space made blank and indented lines at some widths.
        self.setText("&emsp;".join(keys))
        self.setVisible(bool(self.entries))

    def names(self) -> list[str]:
        return [entry.name for entry in self.entries]


class FlowLayout(QLayout):
    """Widgets left to right, wrapping onto the next line when the row is full.

    Long option names then never widen the page or get cut: a row that does not fit
    moves down, as words do in a paragraph.
    """

    def __init__(self, spacing: int = 8) -> None:
        super().__init__()
        self._items: list[QLayoutItem] = []
        self._spacing = spacing

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt override
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt override
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt override
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt override
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() and line > 0:
                x, y, line = rect.x(), y + line + self._spacing // 2, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y()


class OptionToggles(QWidget):
    """One check box per plan option, coloured as its series; ``toggled`` on any change."""

    toggled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.boxes: dict[str, QCheckBox] = {}
        self._chosen: dict[str, bool] = {}
        self._row = FlowLayout()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._row)
        layout.addWidget(self.note)

    def set_options(self, totals: Mapping[str, float], currency: str) -> None:
        """Show a box per option; an option that dwarfs the rest starts unticked.

        A box the user ticked or unticked keeps that choice while the option exists.
        """
        names = list(totals)
        if names != list(self.boxes):
            self._rebuild(names)
        big = dwarfing(totals)
        hidden_by_rule = []
        for name, box in self.boxes.items():
            shown = self._chosen.get(name, name not in big)
            box.blockSignals(True)
            box.setChecked(shown)
            box.blockSignals(False)
            if name in big and name not in self._chosen:
                hidden_by_rule.append(f"{name} ({money_tick(totals[name], currency)})")
        self.note.setText(
            "Hidden so the other options stay readable: "
            + ", ".join(hidden_by_rule)
            + " costs far more than the rest. Tick it to show it."
            if hidden_by_rule
            else ""
        )
        self.note.setVisible(bool(hidden_by_rule))

    def hidden(self) -> set[str]:
        return {name for name, box in self.boxes.items() if not box.isChecked()}

    def _rebuild(self, names: list[str]) -> None:
        while self._row.count():
            item = self._row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.boxes = {}
        self._chosen = {k: v for k, v in self._chosen.items() if k in names}
        self._row.addWidget(QLabel("Show:"))
        for index, name in enumerate(names):
            box = QCheckBox(name)
            box.setIcon(swatch(color(index)))
            box.setToolTip(f"Show or hide {name} in the cost charts")
            box.toggled.connect(lambda on, n=name: self._on_toggled(n, on))
            self._row.addWidget(box)
            self.boxes[name] = box

    def _on_toggled(self, name: str, shown: bool) -> None:
        self._chosen[name] = shown
        self.note.hide()
        self.toggled.emit()
