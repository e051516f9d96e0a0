"""Side-by-side comparison charts of stored runs for the Results page.

GUI thread only. Given loaded :class:`~planner.core.run.RunResult` objects, draws
latency–throughput curves (p50 solid, p99 dashed; unstable points hollow), latency CDFs
from the stored samples (each curve cut to at most :data:`CDF_POINTS` points), and energy
per inference with its method. Each run keeps one colour across the three plots.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from planner.core.run import RunResult
from planner.core.text import printable
from planner.gui.charts_common import category_ticks, color, no_data_text, style_plot

CDF_POINTS = 5000
SELECT_RUNS = "Select runs in the table to compare them"


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


class CompareCharts(QWidget):
    """Three plots and a note about unstable points and missing energy."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.curve_plot = pg.PlotWidget()
        style_plot(self.curve_plot, "throughput (inferences/s)", "latency (ms)")
        self.cdf_plot = pg.PlotWidget()
        style_plot(self.cdf_plot, "latency (ms)", "fraction of inferences (0–1)")
        self.energy_plot = pg.PlotWidget()
        style_plot(self.energy_plot, "point", "energy per inference (mJ)", legend=False)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QGridLayout(self)
        layout.addWidget(self.curve_plot, 0, 0)
        layout.addWidget(self.cdf_plot, 0, 1)
        layout.addWidget(self.energy_plot, 1, 0)
        layout.addWidget(self.note, 1, 1)
        self.curves: dict[str, list[pg.PlotDataItem]] = {}
        self.cdf_curves: dict[str, list[pg.PlotDataItem]] = {}
        self.show_runs([])

    def show_runs(self, runs: Sequence[RunResult]) -> None:
        """Redraw every plot for ``runs`` (empty: a hint to select some)."""
        for plot in (self.curve_plot, self.cdf_plot, self.energy_plot):
            plot.clear()
        self.curves, self.cdf_curves = {}, {}
        if not runs:
            for plot in (self.curve_plot, self.cdf_plot, self.energy_plot):
                no_data_text(plot, SELECT_RUNS)
            self.note.setText(SELECT_RUNS + ".")
            return
        for index, run in enumerate(runs):
            self._draw_latency_throughput(index, run)
            self._draw_cdfs(index, run)
        self._draw_energy(runs)
        self.note.setText(_notes(runs))
        for plot in (self.curve_plot, self.cdf_plot):
            plot.getPlotItem().enableAutoRange()

    def _draw_latency_throughput(self, index: int, run: RunResult) -> None:
        points = [p for p in run.points if p.stats.p50 is not None]
        pen = color(index)
        hollow = [pg.mkBrush(None) if not p.stable else pg.mkBrush(pen) for p in points]
        x = [p.throughput_ips for p in points]
        items = []
        for name, values, style in (
            ("p50", [p.stats.p50 for p in points], Qt.PenStyle.SolidLine),
            ("p99", [p.stats.p99 for p in points], Qt.PenStyle.DashLine),
        ):
            kept = [
                (a, b, brush)
                for a, b, brush in zip(x, values, hollow, strict=True)
                if b is not None
            ]
            item = self.curve_plot.plot(
                [k[0] for k in kept],
                [k[1] for k in kept],
                pen=pg.mkPen(pen, width=2, style=style),
                symbol="o" if name == "p50" else "t",
                symbolPen=pg.mkPen(pen, width=2),
                symbolBrush=[k[2] for k in kept],
                name=f"{run_name(run)} {name}",
            )
            items.append(item)
        self.curves[run.id] = items

    def _draw_cdfs(self, index: int, run: RunResult) -> None:
        items = []
        for number, point in enumerate(run.points):
            x, y = cdf_curve(point.samples_ms)
            if x.size == 0:
                continue
            style = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine)[number % 3]
            item = self.cdf_plot.plot(
                x,
                y,
                pen=pg.mkPen(color(index), width=2, style=style),
                name=f"{run.id[:8]} {point.label}" + ("" if point.stable else " (unstable)"),
            )
            item.setClipToView(True)
            items.append(item)
        self.cdf_curves[run.id] = items

    def _draw_energy(self, runs: Sequence[RunResult]) -> None:
        names: list[str] = []
        heights: list[float] = []
        brushes = []
        for index, run in enumerate(runs):
            for point in run.points:
                joules = point.energy.joules_per_inference
                if joules is None:
                    continue
                names.append(f"{run.id[:8]} {point.label}\n{point.energy.method}")
                heights.append(joules * 1000.0)
                brushes.append(pg.mkBrush(color(index) if point.stable else color(index, 60)))
        if not heights:
            no_data_text(self.energy_plot, "No energy measured for these runs (see note)")
            return
        bars = pg.BarGraphItem(
            x=np.arange(len(heights)), height=heights, width=0.6, brushes=brushes
        )
        self.energy_plot.addItem(bars)
        category_ticks(self.energy_plot, names)
        self.energy_plot.getPlotItem().enableAutoRange()


def _notes(runs: Sequence[RunResult]) -> str:
    lines = []
    unstable = [
        f"{run.id[:8]} {point.label}" for run in runs for point in run.points if not point.stable
    ]
    if unstable:
        lines.append(
            "Unstable points (hollow markers, marked in the legend): " + ", ".join(unstable)
        )
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
    lines.append("Latency–throughput: circles p50 (solid), triangles p99 (dashed).")
    return "\n".join(lines)
