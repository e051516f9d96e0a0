"""Shared pyqtgraph pieces for the charts: plots, colours, money axes, crosshair, bar
tooltips, captions, and a vertical scroll for a grid of charts.

GUI thread only. Backgrounds and text follow the application palette, which follows the
system's light or dark scheme. Charts never use pyqtgraph's global configuration, so pages can style
their plots independently; the SVG exporter is not used (it fails on Qt 6.12).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QGuiApplication, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from planner.core.formatting import compact, money_tick
from planner.core.series_colours import SERIES_COLOURS

_PALETTE = SERIES_COLOURS


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
    """The index-th series colour (repeats after twelve)."""
    chosen = QColor(_PALETTE[index % len(_PALETTE)])
    chosen.setAlpha(alpha)
    return chosen


class MoneyAxis(pg.AxisItem):
    """An axis whose ticks read as money: ``250 k USD``, ``1.4 M USD`` (never ``1.4e+06``).

    The currency is set with :meth:`set_currency` when a plan arrives; until then ticks
    are compact figures without one.
    """

    def __init__(self, orientation: str, currency: str = "") -> None:
        super().__init__(orientation)
        self.currency = currency

    def set_currency(self, currency: str) -> None:
        if currency != self.currency:
            self.currency = currency
            self.picture = None
            self.update()

    def tickStrings(  # noqa: N802 - pyqtgraph's name
        self, values: list[float], scale: float, spacing: float
    ) -> list[str]:
        if not self.currency:
            return [compact(v * scale) for v in values]
        return [money_tick(v * scale, self.currency) for v in values]


class CompactAxis(pg.AxisItem):
    """Ticks as short figures (``12 k``, ``1.5 M``) for counts and rates."""

    def tickStrings(  # noqa: N802 - pyqtgraph's name
        self, values: list[float], scale: float, spacing: float
    ) -> list[str]:
        return [compact(v * scale) for v in values]


def money_axes(*, left: bool = True, bottom: bool = False) -> dict[str, pg.AxisItem]:
    """``axisItems`` for a PlotWidget whose left (and/or bottom) axis shows money."""
    axes: dict[str, pg.AxisItem] = {}
    if left:
        axes["left"] = MoneyAxis("left")
    if bottom:
        axes["bottom"] = MoneyAxis("bottom")
    return axes


def set_money_currency(plot: pg.PlotWidget, currency: str) -> None:
    """Give every money axis of ``plot`` the plan's currency."""
    for name in ("left", "bottom"):
        axis = plot.getPlotItem().getAxis(name)
        if isinstance(axis, MoneyAxis):
            axis.set_currency(currency)


def style_plot(plot: pg.PlotWidget, x_label: str, y_label: str) -> None:
    """Palette background, a grid and labelled axes (units in the labels).

    No in-plot legend: legends sit outside the data, in a
    :class:`~planner.gui.chart_legend.ChartLegend` under the plot or the Plan page's
    option boxes, so they never cover a curve or get cut.
    """
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
    """Label integer positions 0..n-1 of ``axis`` with ``names``.

    On the bottom axis each name is cut in its middle ("AWS g6e…on demand") to the
    width of its slot, both ends being what tells options apart, again on
    every resize, because pyqtgraph drops a tick label that would overlap its neighbour:
    three long option names under three bars left one label for three bars.
    """
    item = plot.getPlotItem()
    if axis != "bottom":
        item.getAxis(axis).setTicks([[(i, name) for i, name in enumerate(names)]])
        return
    fitter = getattr(plot, "_category_fitter", None)
    if fitter is None:
        fitter = _CategoryFitter(item)
        plot._category_fitter = fitter  # lives as long as the plot
    fitter.names = list(names)
    fitter.fit()


class _CategoryFitter:
    """Keeps the bottom axis' category labels cut to their slots as the plot resizes."""

    def __init__(self, item: pg.PlotItem) -> None:
        self.names: list[str] = []
        self._item = item
        item.vb.sigResized.connect(self.fit)
        item.vb.sigXRangeChanged.connect(self.fit)

    def fit(self, *_args: object) -> None:
        axis = self._item.getAxis("bottom")
        low, high = self._item.vb.viewRange()[0]
        per_unit = self._item.vb.width() / max(high - low, 1e-9)
        room = max(int(per_unit) - 8, 12)
        metrics = QFontMetrics(axis.style.get("tickFont") or axis.font())
        ticks = [
            (i, metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, room))
            for i, name in enumerate(self.names)
        ]
        axis.setTicks([ticks])


def hide_axes(plot: pg.PlotWidget, hidden: bool) -> None:
    """Hide (or show again) a plot's axes and grid, for a chart that only says why it is empty."""
    item = plot.getPlotItem()
    for name in ("left", "bottom"):
        item.showAxis(name, not hidden)
    item.showGrid(x=not hidden, y=not hidden, alpha=0.25)


def no_data_text(plot: pg.PlotWidget, message: str) -> pg.TextItem:
    """A centred grey message on an empty plot (the caller removes it with ``plot.clear``),
    wrapped to the plot's width on every resize, so a narrow plot never cuts it."""
    text = pg.TextItem(message, color=muted_ink(), anchor=(0.5, 0.5))
    plot.addItem(text, ignoreBounds=True)
    text.setPos(0.5, 0.5)
    view = plot.getPlotItem().vb
    view.setRange(xRange=(0, 1), yRange=(0, 1))

    def wrap(*_args: object) -> None:
        text.setTextWidth(max(int(view.width() * 0.9), 60))

    view.sigResized.connect(wrap)
    wrap()
    return text


def captioned(caption: QLabel, plot: QWidget, legend: QWidget | None = None) -> QWidget:
    """A plot with a wrapping caption above it (and a legend below), as one widget."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    caption.setWordWrap(True)
    layout.addWidget(caption)
    layout.addWidget(plot, 1)
    if legend is not None:
        layout.addWidget(legend)
    return box


class ScrolledPlot(pg.PlotWidget):
    """A plot that prefers its least height, for charts inside a :class:`VerticalScroll`.

    A scroll area sizes its widget by preferred heights, and pyqtgraph's (about 480 px,
    varying) would make even three plots scroll; these fill the room there is and scroll
    only when their least heights, captions and legends do not fit.
    """

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(super().sizeHint().width(), self.minimumSizeHint().height())


class VerticalScroll(QScrollArea):
    """Scrolls ``widget`` up and down, never sideways, on the background around it.

    It asks for the width ``widget`` needs, as the bare widget would, so a splitter gives
    its charts and their unbreakable legend names that width rather than cutting them.
    """

    def __init__(self, widget: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._inner = widget  # before setWidget, which starts filtering its events
        self.setWidget(widget)
        self.viewport().setAutoFillBackground(False)
        widget.setAutoFillBackground(False)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(
            self._inner.minimumSizeHint().width() + bar, super().minimumSizeHint().height()
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """The widget's layout changed (new legends): ask the splitter for room again."""
        if watched is self._inner and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)
