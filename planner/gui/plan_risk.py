"""Monte Carlo chart: P10-P90 bands and P50 lines of cumulative cost, and P(cheapest).

GUI thread only. Redrawn from a PlanResult computed with Monte Carlo (the page computes
it off the GUI thread, on a longer debounce than the deterministic plan); without one
it says so. The bands' axis ticks in the plan's currency, options the page hides are
left out of the bands (their odds bar stays), and what the draws were is said in a
caption line above the plot rather than in a title that would be cut.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from planner.core.plan_result import PlanResult
from planner.gui.charts_common import (
    Bar,
    BarTips,
    category_ticks,
    color,
    money_axes,
    set_money_currency,
    style_plot,
)

PENDING = "Monte Carlo: computing…"
NOT_COMPUTED = "Monte Carlo not computed."
_PERCENT_TICKS = [[(p / 100, f"{p}%") for p in (0, 25, 50, 75, 100)]]


class MonteCarloChart(QWidget):
    """Bands of cumulative cost per option (upper plot) and P(cheapest) bars (lower plot)."""

    def __init__(self) -> None:
        super().__init__()
        self.caption = QLabel(PENDING)
        self.caption.setWordWrap(True)
        self.plot = pg.PlotWidget(axisItems=money_axes())
        style_plot(self.plot, "month", "cumulative cost, P10-P90 band and P50")
        self.odds = pg.PlotWidget()
        style_plot(self.odds, "", "P(cheapest)")
        self.odds.getPlotItem().getAxis("left").setTicks(_PERCENT_TICKS)
        self.tips = BarTips(self.odds)
        self.bands: dict[str, pg.FillBetweenItem] = {}
        self.medians: dict[str, pg.PlotDataItem] = {}
        self.odds_bars: pg.BarGraphItem | None = None
        self.summary = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        # Tall enough for its rotated "P(cheapest)" axis name and a row of option names.
        self.odds.setMinimumHeight(130)
        layout.addWidget(self.plot, 3)
        layout.addWidget(self.odds, 1)

    def show_pending(self) -> None:
        """Clear the chart while a new Monte Carlo is on its way."""
        self.plot.clear()
        self.odds.clear()
        self.bands, self.medians, self.odds_bars = {}, {}, None
        self.tips.set_bars([])
        self.caption.setText(PENDING)

    def show_result(self, result: PlanResult, hidden: set[str] | None = None) -> None:
        self.show_pending()
        mc = result.monte_carlo
        if mc is None:
            self.caption.setText(NOT_COMPUTED)
            return
        view = "present value" if mc.view == "npv" else "cost"
        # Short enough for the plot's height at 1100 x 720; the caption says "cumulative".
        self.plot.getPlotItem().setLabel("left", f"{view} ({result.currency})")
        set_money_currency(self.plot, result.currency)
        months = np.arange(1, result.months + 1, dtype=float)
        for i, option in enumerate(result.options):
            name = option.name
            if name in (hidden or ()):
                continue
            low = self.plot.plot(months, mc.cumulative_p10[name], pen=pg.mkPen(color(i, 90)))
            high = self.plot.plot(months, mc.cumulative_p90[name], pen=pg.mkPen(color(i, 90)))
            band = pg.FillBetweenItem(low, high, brush=color(i, 60))
            self.plot.addItem(band)
            self.bands[name] = band
            self.medians[name] = self.plot.plot(
                months, mc.cumulative_p50[name], pen=pg.mkPen(color(i), width=2), name=name
            )
        self.plot.enableAutoRange()
        self._draw_odds(result)
        self.caption.setText(
            f"Cumulative {view} to each month over {mc.draws:,} draws (seed {mc.seed}): shaded "
            f"bands hold 80% of the draws, lines are medians. Cheapest over the horizon: "
            f"{self.summary}."
        )

    def _draw_odds(self, result: PlanResult) -> None:
        mc = result.monte_carlo
        assert mc is not None
        names = [o.name for o in result.options]
        odds = [float(mc.prob_cheapest.get(n, 0.0)) for n in names]
        self.odds_bars = pg.BarGraphItem(
            x=list(range(len(names))),
            height=odds,
            width=0.6,
            brushes=[color(i) for i in range(len(names))],
        )
        self.odds.addItem(self.odds_bars)
        self.odds.getPlotItem().setYRange(0, 1)
        category_ticks(self.odds, names)
        self.tips.set_bars(
            [
                Bar(i - 0.3, i + 0.3, 0.0, p, f"{n}: cheapest in {p:.1%} of draws")
                for i, (n, p) in enumerate(zip(names, odds, strict=True))
            ]
        )
        self.summary = "; ".join(f"{n}: {p:.0%}" for n, p in zip(names, odds, strict=True))
