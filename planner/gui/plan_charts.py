"""Line charts of a plan over time: cumulative cost, monthly cost by component, units.

GUI thread only. Each chart redraws from a PlanResult handed to ``show_result``; the
cumulative chart draws the plan's view (net present value or nominal), marks every
month in which the cheaper option of a break-even pair changes, and has a crosshair
whose label gives each option's exact cumulative cost at the month under the mouse.
Money axes tick in the plan's currency (``250 k USD``). Options the page hides (one
that dwarfs the rest, or one the user unticked) are left out of the drawing and of
the axis range; legends live outside the plot (the page's option boxes, or a
:class:`~planner.gui.chart_legend.ChartLegend` for components).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from planner.core.cost_components import component_colour, component_label, ordered_components
from planner.core.formatting import money
from planner.core.plan_result import PlanResult
from planner.gui.chart_legend import ChartLegend, LegendEntry
from planner.gui.charts_common import (
    Crosshair,
    color,
    ink,
    money_axes,
    paper,
    set_money_currency,
    style_plot,
)


def _months(result: PlanResult) -> np.ndarray:
    return np.arange(1, result.months + 1, dtype=float)


def _label(name: str, estimated: bool) -> str:
    return f"{name} (estimate)" if estimated else name


class CumulativeChart(pg.PlotWidget):
    """Cumulative cost per option, break-even markers, and a crosshair with exact values."""

    def __init__(self) -> None:
        super().__init__(axisItems=money_axes())
        style_plot(self, "month", "cumulative cost")
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.breakeven_lines: list[pg.InfiniteLine] = []
        self.hidden: set[str] = set()
        self._labels: list[str] = []
        self._result: PlanResult | None = None
        self.crosshair = Crosshair(self, self.describe)

    def show_result(self, result: PlanResult, hidden: set[str] | None = None) -> None:
        self._result = result
        self.hidden = set(hidden or ())
        view = "present value" if result.view == "npv" else "cost"
        self.getPlotItem().setLabel("left", f"cumulative {view} ({result.currency})")
        set_money_currency(self, result.currency)
        months = _months(result)
        labels = [_label(o.name, o.estimated) for o in result.options]
        if labels == self._labels:
            for option in result.options:
                self.curves[option.name].setData(months, option.cumulative_in(result.view))
        else:
            self._redraw(result, months, labels)
        for name, curve in self.curves.items():
            curve.setVisible(name not in self.hidden)
        self._mark_breakeven(result)
        self.enableAutoRange()

    def _redraw(self, result: PlanResult, months: np.ndarray, labels: list[str]) -> None:
        self.clear()
        self.crosshair.attach()
        self._labels = labels
        self.breakeven_lines = []
        self.curves = {}
        for i, option in enumerate(result.options):
            self.curves[option.name] = self.plot(
                months,
                option.cumulative_in(result.view),
                pen=pg.mkPen(color(i), width=2),
                name=labels[i],
            )

    def _mark_breakeven(self, result: PlanResult) -> None:
        for line in self.breakeven_lines:
            self.removeItem(line)
        self.breakeven_lines = []
        crossings = [
            (b, month)
            for b in result.breakeven
            if not {b.onprem, b.alternative} & self.hidden
            for month in b.crossings
        ]
        for k, (crossing, month) in enumerate(crossings):
            cheaper = any(first == month for first, _ in crossing.intervals)
            who = crossing.onprem if cheaper else crossing.alternative
            line = pg.InfiniteLine(
                pos=month,
                angle=90,
                movable=False,
                pen=pg.mkPen(ink(), width=1, style=Qt.PenStyle.DotLine),
                label=f"month {month}: {who} cheaper",
                labelOpts={
                    "position": 0.92 - 0.09 * (k % 6),
                    "color": ink(),
                    "fill": paper() + "c0",
                },
            )
            line.setToolTip(
                f"{crossing.onprem} vs {crossing.alternative}: {who} is cheaper from month {month}"
            )
            self.addItem(line)
            self.breakeven_lines.append(line)

    def describe(self, x: float) -> str:
        """Exact cumulative costs at the month nearest ``x`` ('' outside the horizon)."""
        result = self._result
        if result is None or not result.months:
            return ""
        month = int(round(x))
        if not 1 <= month <= result.months:
            return ""
        lines = [f"month {month}"]
        for option in result.options:
            value = float(option.cumulative_in(result.view)[month - 1])
            lines.append(f"{option.name}: {money(value, result.currency)}")
        return "\n".join(lines)


class ComponentsChart(QWidget):
    """Monthly cost of one option, stacked by component (hardware, energy, staff, ...)."""

    def __init__(self) -> None:
        super().__init__()
        self.option_combo = QComboBox()
        self.option_combo.currentTextChanged.connect(self._on_option_chosen)
        self.plot = pg.PlotWidget(axisItems=money_axes())
        style_plot(self.plot, "month", "monthly cost")
        self.legend = ChartLegend()
        self.layers: dict[str, pg.PlotDataItem] = {}
        self._result: PlanResult | None = None
        self.crosshair = Crosshair(self.plot, self.describe)
        row = QHBoxLayout()
        row.addWidget(QLabel("Option:"))
        row.addWidget(self.option_combo, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.legend)

    def show_result(self, result: PlanResult) -> None:
        self._result = result
        chosen = self.option_combo.currentText()
        names = [o.name for o in result.options]
        self.option_combo.blockSignals(True)
        self.option_combo.clear()
        self.option_combo.addItems(names)
        self.option_combo.setCurrentIndex(names.index(chosen) if chosen in names else 0)
        self.option_combo.blockSignals(False)
        self._draw()

    def _on_option_chosen(self, _name: str) -> None:
        self._draw()

    def _draw(self) -> None:
        self.plot.clear()
        self.crosshair.attach()
        self.layers = {}
        result = self._result
        name = self.option_combo.currentText()
        if result is None or not name:
            return
        option = result.option(name)
        self.plot.getPlotItem().setLabel("left", f"monthly cost ({result.currency})")
        set_money_currency(self.plot, result.currency)
        months = _months(result)
        base = np.zeros(result.months)
        lower = self.plot.plot(months, base, pen=None)
        components = ordered_components(option.components)
        for component in components:
            top = base + np.asarray(option.components[component], dtype=float)
            pen = pg.mkPen(_component_colour(component), width=1)
            upper = self.plot.plot(months, top, pen=pen, name=component_label(component))
            fill = pg.FillBetweenItem(lower, upper, brush=_component_colour(component, 120))
            self.plot.addItem(fill)
            self.layers[component] = upper
            lower, base = upper, top
        self.legend.set_entries(
            [LegendEntry(component_label(c), _component_colour(c)) for c in components]
        )
        self.plot.enableAutoRange()

    def describe(self, x: float) -> str:
        result = self._result
        name = self.option_combo.currentText()
        month = int(round(x))
        if result is None or not name or not 1 <= month <= result.months:
            return ""
        option = result.option(name)
        lines = [f"{name}, month {month}"]
        for component in ordered_components(option.components):
            value = float(option.components[component][month - 1])
            lines.append(f"{component_label(component)}: {money(value, result.currency)}")
        lines.append(f"total: {money(float(option.monthly_total[month - 1]), result.currency)}")
        return "\n".join(lines)


def _component_colour(component: str, alpha: int = 255) -> QColor:
    chosen = QColor(component_colour(component))
    chosen.setAlpha(alpha)
    return chosen


class UnitsChart(pg.PlotWidget):
    """Units (servers or instances) each option needs per month."""

    def __init__(self) -> None:
        super().__init__()
        style_plot(self, "month", "units needed (servers or instances)")
        self.curves: dict[str, pg.PlotDataItem] = {}
        self._result: PlanResult | None = None
        self.crosshair = Crosshair(self, self.describe)

    def show_result(self, result: PlanResult, hidden: set[str] | None = None) -> None:
        self._result = result
        self.clear()
        self.crosshair.attach()
        self.curves = {}
        months = _months(result)
        for i, option in enumerate(result.options):
            if option.units is None:
                continue
            self.curves[option.name] = self.plot(
                months, option.units, pen=pg.mkPen(color(i), width=2), name=option.name
            )
            self.curves[option.name].setVisible(option.name not in (hidden or ()))
        self.enableAutoRange()

    def describe(self, x: float) -> str:
        result = self._result
        month = int(round(x))
        if result is None or not 1 <= month <= result.months:
            return ""
        lines = [f"month {month}"]
        for option in result.options:
            if option.units is not None:
                lines.append(f"{option.name}: {float(option.units[month - 1]):.2f} units")
        return "\n".join(lines)
