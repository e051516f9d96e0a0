"""Bar charts of a plan: cost per 1k inferences and margin, and the sensitivity tornado.

GUI thread only. Bars carry tooltips with their exact values (``BarTips``); the tornado
draws each input's low and high case as a horizontal bar from the base difference.
"""

from __future__ import annotations

import math

import pyqtgraph as pg

from planner.core.formatting import money
from planner.core.plan_result import PlanResult, SensitivityResult
from planner.gui.charts_common import (
    Bar,
    BarTips,
    category_ticks,
    color,
    ink,
    muted_ink,
    style_plot,
)

_WIDTH = 0.38


class CostPerThousandChart(pg.PlotWidget):
    """Cost per 1k inferences of each option, and the margin per 1k when a price is set."""

    def __init__(self) -> None:
        super().__init__()
        style_plot(self, "option", "per 1k inferences")
        self.tips = BarTips(self)
        self.cost_bars: pg.BarGraphItem | None = None
        self.margin_bars: pg.BarGraphItem | None = None

    def show_result(self, result: PlanResult) -> None:
        self.clear()
        self.cost_bars = self.margin_bars = None
        currency = result.currency
        self.getPlotItem().setLabel("left", f"per 1k inferences ({currency})")
        names = [o.name for o in result.options]
        costs = [o.cost_per_1k if math.isfinite(o.cost_per_1k) else 0.0 for o in result.options]
        margins = [o.margin_per_1k for o in result.options]
        has_margin = any(m is not None for m in margins)
        shift = _WIDTH / 2 if has_margin else 0.0
        xs = [i - shift for i in range(len(names))]
        self.cost_bars = pg.BarGraphItem(
            x=xs, height=costs, width=_WIDTH, brush=color(0, 200), name="cost per 1k"
        )
        self.addItem(self.cost_bars)
        bars = [
            Bar(x - _WIDTH / 2, x + _WIDTH / 2, 0.0, c, f"{n}\ncost per 1k: {money(c, currency)}")
            for x, c, n in zip(xs, costs, names, strict=True)
        ]
        if has_margin:
            values = [0.0 if m is None else m for m in margins]
            mx = [i + shift for i in range(len(names))]
            self.margin_bars = pg.BarGraphItem(
                x=mx, height=values, width=_WIDTH, brush=color(2, 200), name="margin per 1k"
            )
            self.addItem(self.margin_bars)
            bars += [
                Bar(
                    x - _WIDTH / 2,
                    x + _WIDTH / 2,
                    0.0,
                    m,
                    f"{n}\nmargin per 1k: {money(m, currency)}",
                )
                for x, m, n in zip(mx, values, names, strict=True)
            ]
        self.tips.set_bars(bars)
        category_ticks(self, names)


class TornadoChart(pg.PlotWidget):
    """Sensitivity of total(a) - total(b) to each input, largest swing on top."""

    def __init__(self) -> None:
        super().__init__()
        style_plot(self, "difference in total cost", "input")
        self.tips = BarTips(self)
        self.low_bars: pg.BarGraphItem | None = None
        self.high_bars: pg.BarGraphItem | None = None
        self.title = ""

    def show_sensitivity(self, sensitivity: SensitivityResult | None, currency: str) -> None:
        self.clear()
        self.low_bars = self.high_bars = None
        self.tips.set_bars([])
        if sensitivity is None or not sensitivity.items:
            self.title = "Sensitivity needs at least two options."
            self.setTitle(self.title, color=muted_ink())
            return
        a, b, base = sensitivity.option_a, sensitivity.option_b, sensitivity.base_diff
        self.title = f"total({a}) − total({b}); base {money(base, currency)}"
        self.setTitle(self.title, color=ink(), size="9pt")
        self.getPlotItem().setLabel("bottom", f"difference in total cost ({currency})")
        items = sensitivity.items
        ys = [len(items) - 1 - i for i in range(len(items))]
        lows = [item.diff_low for item in items]
        highs = [item.diff_high for item in items]
        self.low_bars = _horizontal(ys, base, lows, color(0, 200), "input at low")
        self.high_bars = _horizontal(ys, base, highs, color(1, 200), "input at high")
        self.addItem(self.low_bars)
        self.addItem(self.high_bars)
        self.addItem(pg.InfiniteLine(pos=base, angle=90, pen=pg.mkPen(ink())))
        bars = []
        for y, item in zip(ys, items, strict=True):
            for value, end in ((item.low, item.diff_low), (item.high, item.diff_high)):
                text = (
                    f"{item.input} at {value:g}: difference {money(end, currency)} "
                    f"({money(end - base, currency)} from base)"
                )
                bars.append(Bar(min(base, end), max(base, end), y - 0.3, y + 0.3, text))
        self.tips.set_bars(bars)
        ticks = [f"{item.input} [{item.low:g}, {item.high:g}]" for item in reversed(items)]
        category_ticks(self, ticks, axis="left")


def _horizontal(
    ys: list[int], base: float, ends: list[float], brush: object, name: str
) -> pg.BarGraphItem:
    x0 = [min(base, end) for end in ends]
    width = [abs(end - base) for end in ends]
    return pg.BarGraphItem(x0=x0, width=width, y=ys, height=0.6, brush=brush, name=name)
