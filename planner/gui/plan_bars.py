"""Bar charts of a plan: unit cost and margin per option, and the sensitivity tornado.

GUI thread only. Bars carry tooltips with their exact values (``BarTips``); money axes
tick in the plan's currency. The unit-cost chart speaks the plan's unit: per 1k
inferences, or per 1M output tokens when the demand counts tokens. The tornado draws
each input's low and high case as a horizontal bar from the base difference, with the
inputs named for people (``staff cost ×0.75 to ×1.25``) and what it compares in a
wrapping caption above the plot instead of a plot title that would be cut.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from planner.core.formatting import money
from planner.core.plan_result import OptionResult, PlanResult, SensitivityResult
from planner.core.sensitivity_labels import input_end, input_label, input_range
from planner.gui.chart_legend import ChartLegend, LegendEntry
from planner.gui.charts_common import (
    Bar,
    BarTips,
    category_ticks,
    color,
    ink,
    money_axes,
    set_money_currency,
    style_plot,
)

_WIDTH = 0.38
NO_SENSITIVITY = "Sensitivity needs at least two options."


def unit_costs(result: PlanResult) -> tuple[str, list[float | None], list[float | None]]:
    """The plan's unit (``1k inferences`` or ``1M output tokens``), costs and margins."""
    if result.output_tokens_per_request is not None:
        return (
            "1M output tokens",
            [o.cost_per_1m_output_tokens for o in result.options],
            [o.margin_per_1m_tokens for o in result.options],
        )
    return (
        "1k inferences",
        [o.cost_per_1k for o in result.options],
        [o.margin_per_1k for o in result.options],
    )


def _finite(value: float | None) -> float:
    return value if value is not None and math.isfinite(value) else 0.0


class CostPerThousandChart(pg.PlotWidget):
    """Cost per unit of each shown option, and the margin per unit when a price is set."""

    def __init__(self) -> None:
        super().__init__(axisItems=money_axes())
        style_plot(self, "option", "per 1k inferences")
        self.tips = BarTips(self)
        self.legend = ChartLegend()
        self.cost_bars: pg.BarGraphItem | None = None
        self.margin_bars: pg.BarGraphItem | None = None
        self.unit = "1k inferences"

    def show_result(self, result: PlanResult, hidden: set[str] | None = None) -> None:
        self.clear()
        self.cost_bars = self.margin_bars = None
        currency = result.currency
        self.unit, all_costs, all_margins = unit_costs(result)
        self.getPlotItem().setLabel("left", f"per {self.unit} ({currency})")
        set_money_currency(self, currency)
        shown = [
            (o, c, m)
            for o, c, m in zip(result.options, all_costs, all_margins, strict=True)
            if o.name not in (hidden or ())
        ]
        names = [o.name for o, _, _ in shown]
        has_margin = any(m is not None for _, _, m in shown)
        shift = _WIDTH / 2 if has_margin else 0.0
        xs = [i - shift for i in range(len(names))]
        costs = [_finite(c) for _, c, _ in shown]
        self.cost_bars = pg.BarGraphItem(x=xs, height=costs, width=_WIDTH, brush=color(0, 200))
        self.addItem(self.cost_bars)
        bars = [
            self._bar(x, c, n, "cost", currency) for x, c, n in zip(xs, costs, names, strict=True)
        ]
        entries = [LegendEntry(f"cost per {self.unit}", color(0))]
        if has_margin:
            margins = [_finite(m) for _, _, m in shown]
            mx = [i + shift for i in range(len(names))]
            self.margin_bars = pg.BarGraphItem(
                x=mx, height=margins, width=_WIDTH, brush=color(2, 200)
            )
            self.addItem(self.margin_bars)
            bars += [
                self._bar(x, m, n, "margin", currency)
                for x, m, n in zip(mx, margins, names, strict=True)
            ]
            entries.append(LegendEntry(f"margin per {self.unit} (price − cost)", color(2)))
        self.tips.set_bars(bars)
        self.legend.set_entries(entries)
        category_ticks(self, names)
        self.enableAutoRange()

    def _bar(self, x: float, value: float, name: str, what: str, currency: str) -> Bar:
        text = f"{name}\n{what} per {self.unit}: {money(value, currency)}"
        return Bar(x - _WIDTH / 2, x + _WIDTH / 2, 0.0, value, text)


class TornadoChart(QWidget):
    """Sensitivity of total(a) - total(b) to each input, largest swing on top."""

    def __init__(self) -> None:
        super().__init__()
        self.caption = QLabel(NO_SENSITIVITY)
        self.caption.setWordWrap(True)
        self.plot = pg.PlotWidget(axisItems=money_axes(left=False, bottom=True))
        style_plot(self.plot, "difference in total cost", "")
        self.legend = ChartLegend()
        self.tips = BarTips(self.plot)
        self.low_bars: pg.BarGraphItem | None = None
        self.high_bars: pg.BarGraphItem | None = None
        self.title = NO_SENSITIVITY
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.legend)

    def getPlotItem(self) -> pg.PlotItem:  # noqa: N802 - pyqtgraph's name
        return self.plot.getPlotItem()

    def show_sensitivity(self, sensitivity: SensitivityResult | None, currency: str) -> None:
        plot = self.plot
        plot.clear()
        self.low_bars = self.high_bars = None
        self.tips.set_bars([])
        if sensitivity is None or not sensitivity.items:
            self.title = NO_SENSITIVITY
            self.caption.setText(self.title)
            self.legend.set_entries([])
            return
        a, b, base = sensitivity.option_a, sensitivity.option_b, sensitivity.base_diff
        self.title = (
            f"How each input moves total({a}) − total({b}); at the base values the "
            f"difference is {money(base, currency)} (the black line)."
        )
        self.caption.setText(self.title)
        plot.getPlotItem().setLabel("bottom", f"difference in total cost ({currency})")
        set_money_currency(plot, currency)
        items = sensitivity.items
        ys = [len(items) - 1 - i for i in range(len(items))]
        lows = [item.diff_low for item in items]
        highs = [item.diff_high for item in items]
        self.low_bars = _horizontal(ys, base, lows, color(0, 200))
        self.high_bars = _horizontal(ys, base, highs, color(1, 200))
        plot.addItem(self.low_bars)
        plot.addItem(self.high_bars)
        plot.addItem(pg.InfiniteLine(pos=base, angle=90, pen=pg.mkPen(ink())))
        bars = []
        for y, item in zip(ys, items, strict=True):
            for value, end in ((item.low, item.diff_low), (item.high, item.diff_high)):
                text = (
                    f"{input_label(item.input)} {input_end(item.input, value)}: difference "
                    f"{money(end, currency)} ({money(end - base, currency)} from base)"
                )
                bars.append(Bar(min(base, end), max(base, end), y - 0.3, y + 0.3, text))
        self.tips.set_bars(bars)
        ticks = [input_range(item.input, item.low, item.high) for item in reversed(items)]
        category_ticks(plot, ticks, axis="left")
        self.legend.set_entries(
            [
                LegendEntry("input at the low end of its range", color(0)),
                LegendEntry("input at the high end", color(1)),
            ]
        )
        plot.enableAutoRange()


def _horizontal(ys: list[int], base: float, ends: list[float], brush: object) -> pg.BarGraphItem:
    x0 = [min(base, end) for end in ends]
    width = [abs(end - base) for end in ends]
    return pg.BarGraphItem(x0=x0, width=width, y=ys, height=0.6, brush=brush)


def option_peaks(result: PlanResult) -> dict[str, float]:
    """Each option's largest cumulative cost in the plan's view (what decides hiding)."""
    return {o.name: _peak(o, result.view) for o in result.options}


def _peak(option: OptionResult, view: str) -> float:
    values = option.cumulative_in(view)
    finite = values[[math.isfinite(v) for v in values]] if values.size else values
    return float(finite.max()) if finite.size else math.nan
