"""Live charts of a running profile: latency over time, its histogram, throughput, power.

GUI thread only. Legends and captions sit outside the plots (nothing covers data, and a
caption wraps instead of being cut); without a power meter the power panel is a note
saying why, not an empty 0–1 plot. Slots feed :class:`LiveBuffers` as messages arrive
(cheap appends); a QTimer redraws at most :data:`MAX_FPS` times a second, one changed
plot per frame, so a burst of messages never costs more than one plot's paint. While
the run goes on, the per-sample curve shows a min/max envelope of each point (at most
:data:`ENVELOPE_BINS` bins), which paints in a few milliseconds; when the run ends it
shows every sample, with pyqtgraph's peak downsampling and clip-to-view so a million
samples pan and zoom smoothly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QGridLayout, QLabel, QStackedWidget, QWidget

from planner.core.run import PointResult
from planner.gui.chart_legend import ChartLegend, LegendEntry
from planner.gui.charts_common import CompactAxis, captioned, color, style_plot

MAX_FPS = 30
HISTOGRAM_BINS = 60
ENVELOPE_BINS = 1000
PLOT_ORDER = ("latency", "histogram", "throughput", "power")
NO_POWER = "Power appears here when a meter measures it (NVIDIA NVML or RAPL)."
HISTOGRAM = "Latency histogram of the latest point"


@dataclass
class LiveBuffers:
    """Everything the live charts show; appended to by the page's slots."""

    window_t: list[float] = field(default_factory=list)
    window_p50: list[float] = field(default_factory=list)
    sample_t: list[np.ndarray] = field(default_factory=list)
    sample_ms: list[np.ndarray] = field(default_factory=list)
    envelope_t: list[np.ndarray] = field(default_factory=list)
    envelope_ms: list[np.ndarray] = field(default_factory=list)
    point_labels: list[str] = field(default_factory=list)
    point_throughput: list[float] = field(default_factory=list)
    point_stable: list[bool] = field(default_factory=list)
    power_t: list[np.ndarray] = field(default_factory=list)
    power_w: list[np.ndarray] = field(default_factory=list)
    energy_notes: list[str] = field(default_factory=list)
    latest_samples: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    latest_label: str = ""

    @property
    def sample_count(self) -> int:
        return sum(len(chunk) for chunk in self.sample_ms)


def envelope(
    t: np.ndarray, values: np.ndarray, bins: int = ENVELOPE_BINS
) -> tuple[np.ndarray, np.ndarray]:
    """Min and max of ``values`` in up to ``bins`` equal runs, interleaved (peak shape)."""
    if len(values) <= 2 * bins:
        return t, values
    size = len(values) // bins
    used = size * bins
    blocks = values[:used].reshape(bins, size)
    y = np.empty(2 * bins, dtype=values.dtype)
    y[0::2] = blocks.min(axis=1)
    y[1::2] = blocks.max(axis=1)
    x = np.repeat(t[:used:size], 2)
    return x, y


def power_series(point: PointResult) -> tuple[np.ndarray, np.ndarray] | None:
    """Watts over the point's time: a power series, else the rate of an energy counter."""
    for series in point.telemetry:
        if series.unit == "W" and len(series.t):
            return series.t, series.values
    for series in point.telemetry:
        if series.unit == "J" and len(series.t) > 1:
            dt = np.diff(series.t)
            watts = np.diff(series.values) / np.where(dt > 0, dt, np.nan)
            return series.t[1:], watts
    return None


class LiveCharts(QWidget):
    """Four plots fed during a run; ``reset`` before each run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buffers = LiveBuffers()
        self.frames_drawn = 0
        self._dirty: set[str] = set()
        self.latency_plot = pg.PlotWidget()
        style_plot(self.latency_plot, "time since run start (s)", "latency (ms)")
        self.samples_curve = self._curve(self.latency_plot, 0, "per inference", alpha=90)
        self.window_curve = self.latency_plot.plot(
            [], [], pen=pg.mkPen(color(3), width=2), name="p50 per window"
        )
        self.latency_legend = ChartLegend()
        self.latency_legend.set_entries(
            [LegendEntry("each inference", color(0)), LegendEntry("p50 per window", color(3))]
        )
        self.histogram_plot = pg.PlotWidget(axisItems={"left": CompactAxis("left")})
        style_plot(self.histogram_plot, "latency (ms)", "inferences")
        self.histogram_curve = self.histogram_plot.plot(
            [], [], stepMode="center", fillLevel=0, brush=color(0, 120), pen=pg.mkPen(color(0))
        )
        self.histogram_caption = QLabel(HISTOGRAM)
        self.throughput_plot = pg.PlotWidget(axisItems={"left": CompactAxis("left")})
        style_plot(self.throughput_plot, "point", "inferences/s")
        self.throughput_bars = pg.BarGraphItem(x=[], height=[], width=0.6)
        self.throughput_plot.addItem(self.throughput_bars)
        self.throughput_caption = QLabel("Throughput per point (pale bars: unstable)")
        self.power_plot = pg.PlotWidget()
        style_plot(self.power_plot, "time since run start (s)", "power (W)")
        self.power_curve = self._curve(self.power_plot, 2, None)
        self.energy_label = QLabel(NO_POWER)
        self.energy_label.setWordWrap(True)
        self.energy_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.power_panel = QStackedWidget()
        self.power_panel.addWidget(self.energy_label)
        self.power_panel.addWidget(self.power_plot)
        layout = QGridLayout(self)
        layout.addWidget(
            captioned(QLabel("Latency over the run"), self.latency_plot, self.latency_legend), 0, 0
        )
        layout.addWidget(captioned(self.histogram_caption, self.histogram_plot), 0, 1)
        layout.addWidget(captioned(self.throughput_caption, self.throughput_plot), 1, 0)
        layout.addWidget(captioned(QLabel("Power"), self.power_panel), 1, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(1000 // MAX_FPS)
        self.timer.timeout.connect(self._on_frame)

    def _curve(
        self, plot: pg.PlotWidget, index: int, name: str | None, alpha: int = 255
    ) -> pg.PlotDataItem:
        curve = plot.plot([], [], pen=pg.mkPen(color(index, alpha)), name=name)
        curve.setDownsampling(auto=True, method="peak")
        curve.setClipToView(True)
        return curve

    def reset(self) -> None:
        """Empty every buffer and plot; start the frame timer."""
        self.buffers = LiveBuffers()
        self._dirty = set(PLOT_ORDER)
        self.histogram_caption.setText(HISTOGRAM)
        self.energy_label.setText(NO_POWER)
        self.power_panel.setCurrentWidget(self.energy_label)
        self.timer.start()

    def stop(self) -> None:
        """Stop the timer and draw what is left, now with every sample (the run ended)."""
        self.timer.stop()
        for name in PLOT_ORDER:
            if name in self._dirty:
                self._draw(name)
        self._dirty.clear()
        buffers = self.buffers
        self.samples_curve.setData(_joined(buffers.sample_t), _joined(buffers.sample_ms))

    def add_window(self, t: float, p50_ms: float | None) -> None:
        if p50_ms is None:
            return
        self.buffers.window_t.append(t)
        self.buffers.window_p50.append(p50_ms)
        self._dirty.add("latency")

    def add_point(self, point: PointResult, t_start: float, t_end: float) -> None:
        """A finished point: its samples spread over its time span, throughput, power."""
        buffers = self.buffers
        samples = np.asarray(point.samples_ms, dtype=np.float32)
        times = np.linspace(t_start, t_end, len(samples), dtype=np.float64)
        buffers.sample_t.append(times)
        buffers.sample_ms.append(samples)
        low_t, low_ms = envelope(times, samples)
        buffers.envelope_t.append(low_t)
        buffers.envelope_ms.append(low_ms)
        buffers.latest_samples = samples
        buffers.latest_label = point.label
        buffers.point_labels.append(point.label)
        buffers.point_throughput.append(point.throughput_ips)
        buffers.point_stable.append(point.stable)
        power = power_series(point)
        if power is not None:
            buffers.power_t.append(power[0] + t_start)
            buffers.power_w.append(power[1])
        else:
            buffers.energy_notes.append(energy_note(point))
        self._dirty |= set(PLOT_ORDER)

    def _on_frame(self) -> None:
        """Redraw the first plot whose data changed: one plot per frame bounds each paint."""
        for name in PLOT_ORDER:
            if name in self._dirty:
                self._dirty.discard(name)
                self._draw(name)
                self.frames_drawn += 1
                return

    def _draw(self, name: str) -> None:
        buffers = self.buffers
        if name == "latency":
            self.window_curve.setData(buffers.window_t, buffers.window_p50)
            self.samples_curve.setData(_joined(buffers.envelope_t), _joined(buffers.envelope_ms))
        elif name == "histogram":
            self._draw_histogram()
        elif name == "throughput":
            self._draw_throughput()
        else:
            self._draw_power()

    def _draw_histogram(self) -> None:
        samples = self.buffers.latest_samples
        if samples.size == 0:
            self.histogram_curve.setData([], [])
            return
        high = float(np.percentile(samples, 99.9))
        low = float(samples.min())
        counts, edges = np.histogram(samples, bins=HISTOGRAM_BINS, range=(low, max(high, low)))
        self.histogram_curve.setData(edges, counts)
        self.histogram_caption.setText(
            f"Latency histogram of {self.buffers.latest_label} (up to p99.9)"
        )

    def _draw_throughput(self) -> None:
        buffers = self.buffers
        x = np.arange(len(buffers.point_throughput))
        brushes = [color(1) if stable else color(1, 40) for stable in buffers.point_stable]
        self.throughput_bars.setOpts(
            x=x, height=buffers.point_throughput, width=0.6, brushes=brushes, pen=color(1)
        )
        names, ticks = tick_labels(buffers.point_labels)
        item = self.throughput_plot.getPlotItem()
        item.getAxis("bottom").setTicks([list(enumerate(ticks))])
        item.setLabel("bottom", names)

    def _draw_power(self) -> None:
        buffers = self.buffers
        self.power_curve.setData(_joined(buffers.power_t), _joined(buffers.power_w))
        if buffers.power_w:
            self.power_panel.setCurrentWidget(self.power_plot)
        elif buffers.energy_notes:
            self.energy_label.setText(
                "No power meter measured this run, so there is no power chart; "
                + "; ".join(dict.fromkeys(buffers.energy_notes))
                + "."
            )


def tick_labels(labels: list[str]) -> tuple[str, list[str]]:
    """Point labels as an axis name and short ticks: 'batch 1', 'batch 8' → ('batch',
    ['1', '8']), so neighbouring ticks never run into each other."""
    heads = {label.rpartition(" ")[0] for label in labels}
    if len(heads) == 1 and "" not in heads:
        return heads.pop(), [label.rpartition(" ")[2] for label in labels]
    return "point", labels


def energy_note(point: PointResult) -> str:
    """How a point's energy was got when no power series came with it."""
    energy = point.energy
    if energy.estimated:
        return f"energy per inference is an estimate ({energy.method})"
    return f"energy unavailable ({energy.reason or energy.method})"


def _joined(chunks: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(chunks) if chunks else np.zeros(0)
