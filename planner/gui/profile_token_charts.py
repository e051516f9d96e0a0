"""Live charts of a generative run: TTFT and TPOT distributions, output tokens/s.

GUI thread only. Fed one finished point at a time (``PointFinished``, a few per run, so
each is drawn at once, no frame timer): the time-to-first-token histogram of the latest
point (its requests' TTFTs), the histogram of its gaps between tokens (what TPOT
averages per request), and output tokens per second against the number of sequences
decoding together, each prompt+output length its own line, unstable points hollow.
Captions above the plots say which point is shown.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from planner.core.formatting import duration_ms, rate
from planner.core.run import PointResult
from planner.gui.chart_legend import ChartLegend, LegendEntry
from planner.gui.charts_common import CompactAxis, captioned, color, style_plot
from planner.gui.profile_charts import HISTOGRAM_BINS
from planner.gui.token_rates import X_LABEL, Y_LABEL, plot_rate_line, rate_lines

TTFT = "Time to first token (TTFT) of the latest point"
TPOT = "Time between tokens of the latest point (TPOT averages these per request)"
RATE = "Output tokens/s against sequences decoding together (hollow: unstable)"


def histogram(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bin edges and counts of ``samples`` up to their 99.9th percentile; a few dozen
    requests get fewer bins (about two per bin), so their shape is not a comb."""
    values = np.asarray(samples, dtype=np.float64)
    low = float(values.min())
    high = max(float(np.percentile(values, 99.9)), low)
    bins = int(min(HISTOGRAM_BINS, max(8, values.size // 2)))
    counts, edges = np.histogram(values, bins=bins, range=(low, high))
    return edges, counts


def _histogram_plot(
    x_label: str, y_label: str, index: int
) -> tuple[pg.PlotWidget, pg.PlotDataItem]:
    plot = pg.PlotWidget(axisItems={"left": CompactAxis("left")})
    style_plot(plot, x_label, y_label)
    curve = plot.plot(
        [], [], stepMode="center", fillLevel=0, brush=color(index, 120), pen=pg.mkPen(color(index))
    )
    return plot, curve


class TokenCharts(QWidget):
    """TTFT and TPOT histograms and the token-rate curve; ``reset`` before each run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[PointResult] = []
        self.ttft_plot, self.ttft_curve = _histogram_plot("TTFT (ms)", "requests", 0)
        self.tpot_plot, self.tpot_curve = _histogram_plot("time between tokens (ms)", "tokens", 2)
        self.rate_plot = pg.PlotWidget(axisItems={"left": CompactAxis("left")})
        style_plot(self.rate_plot, X_LABEL, Y_LABEL)
        self.rate_curves: dict[str, pg.PlotDataItem] = {}
        self.ttft_caption = QLabel(TTFT)
        self.tpot_caption = QLabel(TPOT)
        self.legend = ChartLegend()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout = QGridLayout(self)
        layout.addWidget(captioned(self.ttft_caption, self.ttft_plot), 0, 0)
        layout.addWidget(captioned(self.tpot_caption, self.tpot_plot), 0, 1)
        layout.addWidget(captioned(QLabel(RATE), self.rate_plot, self.legend), 1, 0)
        layout.addWidget(self.summary, 1, 1)

    def reset(self) -> None:
        self.points = []
        self.rate_plot.clear()
        self.rate_curves = {}
        self.ttft_curve.setData([], [])
        self.tpot_curve.setData([], [])
        self.ttft_caption.setText(TTFT)
        self.tpot_caption.setText(TPOT)
        self.legend.set_entries([])
        self.summary.setText("Token figures appear here as each point finishes.")

    def add_point(self, point: PointResult) -> None:
        tokens = point.tokens
        if tokens is None:
            return
        self.points.append(point)
        if tokens.ttft_samples_ms:
            self.ttft_curve.setData(*histogram(np.asarray(tokens.ttft_samples_ms)))
            self.ttft_caption.setText(f"TTFT of {point.label} ({tokens.requests} requests)")
        if point.samples_ms.size:
            self.tpot_curve.setData(*histogram(point.samples_ms))
            self.tpot_caption.setText(
                f"Time between tokens of {point.label} (TPOT p50 {duration_ms(tokens.tpot.p50)})"
            )
        self._draw_rates()
        self.summary.setText(
            f"{point.label}: {rate(tokens.output_tokens_per_s, ' output tokens/s')}, "
            f"{rate(tokens.input_tokens_per_s, ' prompt tokens/s')}; TTFT p50 "
            f"{duration_ms(tokens.ttft.p50)}, TPOT p50 {duration_ms(tokens.tpot.p50)}"
            + ("" if point.stable else f"; UNSTABLE: {point.stop_reason}")
        )

    def _draw_rates(self) -> None:
        self.rate_plot.clear()
        self.rate_curves = {}
        entries = []
        for index, (name, points) in enumerate(rate_lines(self.points).items()):
            self.rate_curves[name] = plot_rate_line(self.rate_plot, points, color(index))
            entries.append(LegendEntry(f"prompt+output {name}", color(index)))
        self.legend.set_entries(entries)
        self.rate_plot.enableAutoRange()
