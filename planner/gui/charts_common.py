"""Shared pyqtgraph pieces for the charts: plots, colours, crosshair, bar tooltips.

GUI thread only. Backgrounds and text follow the application palette, which follows the
system's light or dark scheme. Charts never use pyqtgraph's global configuration, so pages can style
their plots independently; the SVG exporter is not used (it fails on Qt 6.12).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

_PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
)


def _role(role: QPalette.ColorRole) -> str:
    return QGuiApplication.palette().color(role).name()


def paper() -> str:
    """Chart background: the palette's base colour, so dark themes get dark charts."""
    return _role(QPalette.ColorRole.Base)


def ink() -> str:
    """Text and axes on charts, from the palette (dark on light themes, light on dark)."""
    return _role(QPalette.ColorRole.Text)


def muted_ink() -> str:
    """Secondary chart text (placeholders, 'computing…')."""
    return _role(QPalette.ColorRole.PlaceholderText)


def color(index: int, alpha: int = 255) -> QColor:
    """The index-th series colour (repeats after ten)."""
    chosen = QColor(_PALETTE[index % len(_PALETTE)])
    chosen.setAlpha(alpha)
    return chosen


def style_plot(plot: pg.PlotWidget, x_label: str, y_label: str, *, legend: bool = True) -> None:
    """White background, a grid and labelled axes (units in the labels)."""
    plot.setBackground(paper())
    item = plot.getPlotItem()
    item.showGrid(x=True, y=True, alpha=0.25)
    item.setLabel("bottom", x_label)
    item.setLabel("left", y_label)
    for name in ("bottom", "left"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(ink()))
        axis.setTextPen(pg.mkPen(ink()))
        # Units are in the label; an automatic "(x0.001)" rescale would contradict them.
        axis.enableAutoSIPrefix(False)
    if legend:
        item.addLegend(offset=(10, 10), labelTextColor=ink())


class Crosshair:
    """A vertical line following the mouse over a plot, with a label from ``describe(x)``."""

    def __init__(self, plot: pg.PlotWidget, describe: Callable[[float], str]) -> None:
        self._plot = plot
        self._describe = describe
        self.line = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen(muted_ink(), style=Qt.PenStyle.DashLine)
        )
        fill = QColor(paper())
        fill.setAlpha(220)
        self.label = pg.TextItem(anchor=(0, 0), color=ink(), fill=fill)
        self.attach()
        plot.scene().sigMouseMoved.connect(self._on_mouse_moved)

    def attach(self) -> None:
        """Add the line and label to the plot (again after ``plot.clear()``)."""
        self.line.hide()
        self.label.hide()
        self._plot.addItem(self.line, ignoreBounds=True)
        self._plot.addItem(self.label, ignoreBounds=True)

    def move_to(self, x: float) -> str:
        """Put the crosshair at ``x`` and return the label text shown there."""
        text = self._describe(x)
        self.line.setPos(x)
        self.line.setVisible(bool(text))
        self.label.setText(text)
        (_, _), (_, y_top) = self._plot.getPlotItem().viewRange()
        self.label.setPos(x, y_top)
        self.label.setVisible(bool(text))
        return text

    def _on_mouse_moved(self, position: QPointF) -> None:
        box = self._plot.getPlotItem().vb.sceneBoundingRect()
        if not box.contains(position):
            self.line.hide()
            self.label.hide()
            return
        point = self._plot.getPlotItem().vb.mapSceneToView(position)
        self.move_to(point.x())


@dataclass(frozen=True)
class Bar:
    """One bar in data coordinates and the tooltip it shows."""

    x0: float
    x1: float
    y0: float
    y1: float
    text: str


class BarTips:
    """Tooltips for bars: hovering a bar sets the plot's tooltip to that bar's text."""

    def __init__(self, plot: pg.PlotWidget) -> None:
        self._plot = plot
        self.bars: list[Bar] = []
        plot.scene().sigMouseMoved.connect(self._on_mouse_moved)

    def set_bars(self, bars: Sequence[Bar]) -> None:
        self.bars = list(bars)

    def text_at(self, x: float, y: float) -> str:
        """The tooltip of the bar under (x, y) in data coordinates, or ''."""
        for bar in self.bars:
            low, high = sorted((bar.y0, bar.y1))
            if bar.x0 <= x <= bar.x1 and low <= y <= high:
                return bar.text
        return ""

    def _on_mouse_moved(self, position: QPointF) -> None:
        point = self._plot.getPlotItem().vb.mapSceneToView(position)
        self._plot.setToolTip(self.text_at(point.x(), point.y()))


def category_ticks(plot: pg.PlotWidget, names: Sequence[str], axis: str = "bottom") -> None:
    """Label integer positions 0..n-1 of ``axis`` with ``names``."""
    plot.getPlotItem().getAxis(axis).setTicks([[(i, name) for i, name in enumerate(names)]])


def no_data_text(plot: pg.PlotWidget, message: str) -> pg.TextItem:
    """A centred grey message on an empty plot (the caller removes it with ``plot.clear``)."""
    text = pg.TextItem(message, color=muted_ink(), anchor=(0.5, 0.5))
    plot.addItem(text, ignoreBounds=True)
    text.setPos(0.5, 0.5)
    plot.getPlotItem().vb.setRange(xRange=(0, 1), yRange=(0, 1))
    return text
