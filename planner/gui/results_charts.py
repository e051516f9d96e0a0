"""Side-by-side comparison charts of stored runs for the Results page.

GUI thread only. Given loaded :class:`~planner.core.run.RunResult` objects, draws
latency–throughput curves (p50 solid, p99 dashed; unstable points hollow), latency CDFs
from the stored samples (each curve cut to at most :data:`CDF_POINTS` points), and energy
per inference against throughput, one line per run with its meter in the legend. Each
run keeps one colour across the plots, and every legend sits under its plot.

When every selected run is generative the same three plots speak tokens: time per
output token (p50 solid, p90 dashed) against output tokens/s, the CDF of time to first
token, and energy per output token.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from planner.core.run import PointResult, RunResult
from planner.core.text import printable
from planner.gui.chart_legend import ChartLegend, LegendEntry
from planner.gui.charts_common import (
    captioned,
    color,
    hide_axes,
    no_data_text,
    style_plot,
)
from planner.gui.results_tables import all_generative

CDF_POINTS = 5000
SELECT_RUNS = "Select runs in the table to compare them"
STYLES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine)
CLASSIC = {
    "curve": ("Latency against throughput", "throughput (inferences/s)", "latency (ms)"),
    "cdf": ("Latency CDF of each point", "latency (ms)", "share of inferences"),
    "energy": ("Energy per inference", "throughput (inferences/s)", "energy (mJ/inference)"),
}
TOKENS = {
    "curve": ("Time per output token against output rate", "output tokens/s", "TPOT (ms)"),
    "cdf": ("Time-to-first-token CDF of each point", "TTFT (ms)", "share of requests"),
    "energy": ("Energy per output token", "output tokens/s", "energy (mJ/output token)"),
}


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
    if tokens and point.tokens is not None:
        return np.asarray(point.tokens.ttft_samples_ms, dtype=np.float64)
    return np.asarray(point.samples_ms)


class CompareCharts(QWidget):
    """Three plots, their legends, and a note about unstable points and missing energy."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.curve_plot = pg.PlotWidget()
        self.cdf_plot = pg.PlotWidget()
        self.energy_plot = pg.PlotWidget()
        self.captions = {name: QLabel() for name in CLASSIC}
        self.curve_legend = ChartLegend()
        self.cdf_legend = ChartLegend()
        self.energy_legend = ChartLegend()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.tokens = False
        for plot in (self.curve_plot, self.cdf_plot, self.energy_plot):
            style_plot(plot, "", "")
        layout = QGridLayout(self)
        layout.addWidget(
            captioned(self.captions["curve"], self.curve_plot, self.curve_legend), 0, 0
        )
        layout.addWidget(captioned(self.captions["cdf"], self.cdf_plot, self.cdf_legend), 0, 1)
        layout.addWidget(
            captioned(self.captions["energy"], self.energy_plot, self.energy_legend), 1, 0
        )
        layout.addWidget(self.note, 1, 1)
        self.curves: dict[str, list[pg.PlotDataItem]] = {}
        self.cdf_curves: dict[str, list[pg.PlotDataItem]] = {}
        self.show_runs([])

    def _label(self, tokens: bool) -> None:
        words = TOKENS if tokens else CLASSIC
        for name, plot in (
            ("curve", self.curve_plot),
            ("cdf", self.cdf_plot),
            ("energy", self.energy_plot),
        ):
            caption, x_label, y_label = words[name]
            self.captions[name].setText(caption)
            plot.getPlotItem().setLabel("bottom", x_label)
            plot.getPlotItem().setLabel("left", y_label)

    def show_runs(self, runs: Sequence[RunResult]) -> None:
        """Redraw every plot for ``runs`` (empty: a hint to select some)."""
        plots = (self.curve_plot, self.cdf_plot, self.energy_plot)
        for plot in plots:
            plot.clear()
            hide_axes(plot, not runs)
        for legend in (self.curve_legend, self.cdf_legend, self.energy_legend):
            legend.set_entries([])
        self.curves, self.cdf_curves = {}, {}
        self.tokens = all_generative(runs)
        self._label(self.tokens)
        if not runs:
            for plot in plots:
                no_data_text(plot, SELECT_RUNS)
            self.note.setText(SELECT_RUNS + ".")
            return
        curve_entries: list[LegendEntry] = []
        cdf_entries: list[LegendEntry] = []
        for index, run in enumerate(runs):
            curve_entries += self._draw_latency_throughput(index, run)
            cdf_entries += self._draw_cdfs(index, run)
        self.curve_legend.set_entries(curve_entries)
        self.cdf_legend.set_entries(cdf_entries)
        self._draw_energy(runs)
        self.note.setText(_notes(runs, self.tokens))
        for plot in plots:
            plot.getPlotItem().enableAutoRange()

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

    def _draw_cdfs(self, index: int, run: RunResult) -> list[LegendEntry]:
        items, entries = [], []
        for number, point in enumerate(run.points):
            x, y = cdf_curve(_distribution(point, self.tokens))
            if x.size == 0:
                continue
            style = STYLES[number % 3]
            unstable = "" if point.stable else " (unstable)"
            item = self.cdf_plot.plot(
                x,
                y,
                pen=pg.mkPen(color(index), width=2, style=style),
                name=f"{run.id[:8]} {point.label}{unstable}",
            )
            item.setClipToView(True)
            items.append(item)
            entries.append(LegendEntry(item.name(), color(index), dashed=number % 3 > 0))
        self.cdf_curves[run.id] = items
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
            methods = ", ".join(dict.fromkeys(_method(p) for p in measured))
            entries.append(LegendEntry(f"{run.id[:8]} ({methods})", color(index)))
        self.energy_legend.set_entries(entries)
        if not entries:
            hide_axes(self.energy_plot, True)
            no_data_text(self.energy_plot, "No energy measured for these runs (see note)")


def _method(point: PointResult) -> str:
    method = point.energy.method
    return f"{method}, estimated" if point.energy.estimated and "estimate" not in method else method


def _notes(runs: Sequence[RunResult], tokens: bool) -> str:
    lines = []
    unstable = [
        f"{run.id[:8]} {point.label}" for run in runs for point in run.points if not point.stable
    ]
    if unstable:
        lines.append("Unstable points (hollow markers): " + ", ".join(unstable))
    else:
        lines.append("Every point met its stability rule (filled markers).")
    missing = {
        point.energy.reason or point.energy.method
        for run in runs
        for point in run.points
        if point.energy.joules_per_inference is None
    }
    if missing:
        lines.append("Energy unavailable: " + "; ".join(sorted(missing)))
    generative = [r for r in runs if any(p.tokens is not None for p in r.points)]
    if generative and not tokens:
        lines.append(
            "Token charts (TTFT, TPOT, tokens/s) show when only generative runs are selected."
        )
    return "\n".join(lines)
