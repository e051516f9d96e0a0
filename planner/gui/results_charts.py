"""Side-by-side comparison charts of stored runs for the Results page.

GUI thread only. Given loaded :class:`~planner.core.run.RunResult` objects, draws
latency–throughput curves (p50 solid, p99 dashed; unstable points hollow), latency CDFs
from the stored samples (each curve cut to at most :data:`CDF_POINTS` points), and energy
per inference against throughput, one line per run with its meter in the legend. Each
run keeps one colour across the plots, and every legend sits under its plot.

When every selected run is generative the same three plots speak tokens: time per
output token (p50 solid, p90 dashed) against output tokens/s, the CDF of time to first
token, and energy per output token. A row of two token plots joins them: output tokens/s
against sequences decoding together (one line per run and prompt+output length, on the
same axes for every run), and under the TTFT CDF the CDF of the stored gaps between
output tokens, since a per-request TPOT mean hides the slow steps a reader waits on.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from planner.core.run import PointResult, RunResult
from planner.core.text import printable
from planner.gui.chart_legend import ChartLegend, LegendEntry
from planner.gui.charts_common import (
    ScrolledPlot,
    captioned,
    color,
    hide_axes,
    no_data_text,
    style_plot,
)
from planner.gui.results_chart_text import CLASSIC, TOKENS, energy_method, notes
from planner.gui.results_tables import all_generative
from planner.gui.token_rates import plot_rate_line, rate_lines

CDF_POINTS = 5000
TOKEN_PLOT_HEIGHT = 160
"""Each plot's least height when the token row shows: five plots and their legends then
scroll in a small window instead of squashing into unreadable slivers."""
GAP_VIEW_PERCENTILE = 99.0
SELECT_RUNS = "Select runs in the table to compare them"
STYLES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine)


def point_shade(base: QColor, number: int, count: int) -> QColor:
    """Point ``number`` of ``count`` in its run's colour: darkest first, lightest last."""
    if count <= 1:
        return QColor(base)
    factor = 70 + int(round(110 * number / (count - 1)))  # 70% (darker) to 180% (lighter)
    return base.darker(int(10000 / factor)) if factor < 100 else base.lighter(factor)


def cdf_curve(samples: np.ndarray, limit: int = CDF_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """Sorted latencies and their cumulative fraction, at most ``limit`` points (ends kept)."""
    ordered = np.sort(np.asarray(samples, dtype=np.float64))
    n = ordered.size
    if n == 0:
        return ordered, ordered
    fraction = np.arange(1, n + 1, dtype=np.float64) / n
    if n <= limit:
        return ordered, fraction
    index = np.unique(np.linspace(0, n - 1, limit).round().astype(np.int64))
    return ordered[index], fraction[index]


def run_name(run: RunResult) -> str:
    return printable(f"{run.model_name} {run.config.scenario} {run.id[:8]}")


def _rate(point: PointResult, tokens: bool) -> float:
    return point.tokens.output_tokens_per_s if tokens and point.tokens else point.throughput_ips


def _latencies(point: PointResult, tokens: bool) -> tuple[float | None, float | None]:
    """The two statistics of the latency curve: p50/p99, or TPOT p50/p90 for tokens."""
    if tokens and point.tokens is not None:
        return point.tokens.tpot.p50, point.tokens.tpot.p90
    return point.stats.p50, point.stats.p99


def _distribution(point: PointResult, tokens: bool) -> np.ndarray:
    """A point's TTFTs when ``tokens``, else its stored samples: latencies, or the gaps
    between a generative point's output tokens."""
    if tokens and point.tokens is not None:
        return np.asarray(point.tokens.ttft_samples_ms, dtype=np.float64)
    return np.asarray(point.samples_ms)


class CompareCharts(QWidget):
    """Three plots (five for tokens), their legends, and a note about unstable points and
    missing energy."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.curve_plot, self.cdf_plot, self.energy_plot = (ScrolledPlot() for _ in range(3))
        self.rate_plot, self.gap_plot = ScrolledPlot(), ScrolledPlot()
        self.plots = {
            "curve": self.curve_plot,
            "cdf": self.cdf_plot,
            "energy": self.energy_plot,
            "rate": self.rate_plot,
            "gaps": self.gap_plot,
        }
        self.captions = {name: QLabel() for name in self.plots}
        self.legends = {name: ChartLegend() for name in self.plots}
        self.curve_legend, self.cdf_legend = self.legends["curve"], self.legends["cdf"]
        self.energy_legend = self.legends["energy"]
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.tokens = False
        boxes = {}
        for name, plot in self.plots.items():
            style_plot(plot, "", "")
            boxes[name] = captioned(self.captions[name], plot, self.legends[name])
        self.token_row = (boxes["rate"], boxes["gaps"])
        layout = QGridLayout(self)
        layout.addWidget(boxes["curve"], 0, 0)
        layout.addWidget(boxes["cdf"], 0, 1)
        layout.addWidget(boxes["rate"], 1, 0)
        layout.addWidget(boxes["gaps"], 1, 1)
        layout.addWidget(boxes["energy"], 2, 0)
        layout.addWidget(self.note, 2, 1)
        self.curves: dict[str, list[pg.PlotDataItem]] = {}
        self.cdf_curves: dict[str, list[pg.PlotDataItem]] = {}
        self.gap_curves: dict[str, list[pg.PlotDataItem]] = {}
        self.rate_curves: dict[str, list[pg.PlotDataItem]] = {}
        self.show_runs([])

    def _label(self, tokens: bool) -> None:
        """Words for the mode; the token row shows only when the plots speak tokens."""
        for box in self.token_row:
            box.setVisible(tokens)
        for plot in self.plots.values():
            plot.setMinimumHeight(TOKEN_PLOT_HEIGHT if tokens else 0)
        for name, (caption, x_label, y_label) in (TOKENS if tokens else CLASSIC).items():
            self.captions[name].setText(caption)
            self.plots[name].getPlotItem().setLabel("bottom", x_label)
            self.plots[name].getPlotItem().setLabel("left", y_label)

    def show_runs(self, runs: Sequence[RunResult]) -> None:
        """Redraw every plot for ``runs`` (empty: a hint to select some)."""
        for plot in self.plots.values():
            plot.clear()
            hide_axes(plot, not runs)
        for legend in self.legends.values():
            legend.set_entries([])
        self.curves, self.cdf_curves, self.gap_curves, self.rate_curves = {}, {}, {}, {}
        self.tokens = all_generative(runs)
        self._label(self.tokens)
        if not runs:
            for plot in self.plots.values():
                no_data_text(plot, SELECT_RUNS)
            self.note.setText(SELECT_RUNS + ".")
            return
        entries: dict[str, list[LegendEntry]] = {name: [] for name in self.plots}
        for index, run in enumerate(runs):
            entries["curve"] += self._draw_latency_throughput(index, run)
            entries["cdf"] += self._draw_cdfs(self.cdf_plot, self.cdf_curves, index, run)
            if self.tokens:
                entries["gaps"] += self._draw_cdfs(self.gap_plot, self.gap_curves, index, run)
                entries["rate"] += self._draw_rates(index, run)
        for name in ("curve", "cdf", "gaps", "rate"):
            self.legends[name].set_entries(entries[name])
        if self.tokens and not entries["gaps"]:
            hide_axes(self.gap_plot, True)
            no_data_text(self.gap_plot, "No gaps between tokens: each output was one token")
        self._draw_energy(runs)
        self.note.setText(notes(runs, self.tokens))
        for plot in self.plots.values():
            plot.getPlotItem().enableAutoRange()
        if self.tokens and entries["gaps"]:
            self.gap_plot.setXRange(*_gap_view(runs))

    def _draw_latency_throughput(self, index: int, run: RunResult) -> list[LegendEntry]:
        pen = color(index)
        names = ("TPOT p50", "TPOT p90") if self.tokens else ("p50", "p99")
        items, entries = [], []
        for which, (name, style) in enumerate(zip(names, STYLES[:2], strict=True)):
            kept = [
                (_rate(p, self.tokens), _latencies(p, self.tokens)[which], p.stable)
                for p in run.points
            ]
            kept = [(x, y, stable) for x, y, stable in kept if y is not None]
            item = self.curve_plot.plot(
                [k[0] for k in kept],
                [k[1] for k in kept],
                pen=pg.mkPen(pen, width=2, style=style),
                symbol="o" if which == 0 else "t",
                symbolPen=pg.mkPen(pen, width=2),
                symbolBrush=[pg.mkBrush(pen) if k[2] else pg.mkBrush(None) for k in kept],
                name=f"{run_name(run)} {name}",
            )
            items.append(item)
            entries.append(LegendEntry(item.name(), pen, dashed=which == 1))
        self.curves[run.id] = items
        return entries

    def _draw_cdfs(
        self,
        plot: pg.PlotWidget,
        store: dict[str, list[pg.PlotDataItem]],
        index: int,
        run: RunResult,
    ) -> list[LegendEntry]:
        """One CDF per point on ``plot`` (kept in ``store``): TTFTs on the token CDF plot,
        else the stored samples (latencies, or gaps between tokens)."""
        ttft = self.tokens and plot is self.cdf_plot
        items, entries = [], []
        count = len(run.points)
        for number, point in enumerate(run.points):
            x, y = cdf_curve(_distribution(point, ttft))
            if x.size == 0:
                continue
            # The run's colour, darker to lighter along its points, and a line style: no
            # two points of a run look alike however many there are.
            shade = point_shade(color(index), number, count)
            style = STYLES[number % 3]
            unstable = "" if point.stable else " (unstable)"
            item = plot.plot(
                x,
                y,
                pen=pg.mkPen(shade, width=2, style=style),
                name=f"{run.id[:8]} {point.label}{unstable}",
            )
            item.setClipToView(True)
            items.append(item)
            entries.append(LegendEntry(item.name(), shade, dashed=number % 3 > 0))
        store[run.id] = items
        return entries

    def _draw_rates(self, index: int, run: RunResult) -> list[LegendEntry]:
        """Output tokens/s against sequences: a line per prompt+output length of ``run``."""
        items, entries = [], []
        for number, (name, points) in enumerate(rate_lines(run.points).items()):
            style = STYLES[number % 3]
            items.append(plot_rate_line(self.rate_plot, points, color(index), style))
            entries.append(
                LegendEntry(f"{run_name(run)} {name}", color(index), dashed=number % 3 > 0)
            )
        self.rate_curves[run.id] = items
        return entries

    def _draw_energy(self, runs: Sequence[RunResult]) -> None:
        entries = []
        for index, run in enumerate(runs):
            measured = [p for p in run.points if p.energy.joules_per_inference is not None]
            if not measured:
                continue
            x = [_rate(p, self.tokens) for p in measured]
            y = [float(p.energy.joules_per_inference or 0.0) * 1000.0 for p in measured]
            self.energy_plot.plot(
                x,
                y,
                pen=pg.mkPen(color(index), width=2),
                symbol="o",
                symbolPen=pg.mkPen(color(index)),
                symbolBrush=[pg.mkBrush(color(index) if p.stable else None) for p in measured],
            )
            methods = ", ".join(dict.fromkeys(energy_method(p) for p in measured))
            entries.append(LegendEntry(f"{run.id[:8]} ({methods})", color(index)))
        self.energy_legend.set_entries(entries)
        if not entries:
            hide_axes(self.energy_plot, True)
            no_data_text(self.energy_plot, "No energy measured for these runs (see note)")


def _gap_view(runs: Sequence[RunResult]) -> tuple[float, float]:
    """The gap CDF's x range: from the shortest gap to the highest 99th percentile of any
    point (the percentile TPOT targets use), so a few stalls (a 5 ms step among 0.2 ms
    ones) do not flatten the body of every curve into the left edge."""
    gaps = [p.samples_ms for run in runs for p in run.points if p.samples_ms.size]
    low = min(float(g.min()) for g in gaps)
    return low, max(float(np.percentile(g, GAP_VIEW_PERCENTILE)) for g in gaps)
