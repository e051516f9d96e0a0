"""Output tokens/s against sequences decoding together: one line per prompt+output length.

GUI thread only. Shared by the Profile page's live token charts and the Results page's
comparison, so a generative run's rate curve reads the same on both: points grouped by
their prompt+output lengths (a rate only compares at equal lengths), ordered by the
number of sequences, unstable points hollow.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from planner.core.run import PointResult

X_LABEL = "sequences decoding together"
Y_LABEL = "output tokens/s"


def _sequences(point: PointResult) -> int:
    return point.tokens.sequences if point.tokens is not None else 0


def rate_lines(points: Iterable[PointResult]) -> dict[str, list[PointResult]]:
    """Generative ``points`` by their lengths ("16+8 tokens"), each ordered by sequences."""
    lines: dict[str, list[PointResult]] = defaultdict(list)
    for point in points:
        if point.tokens is not None:
            tokens = point.tokens
            lines[f"{tokens.prompt_tokens}+{tokens.output_tokens} tokens"].append(point)
    return {name: sorted(line, key=_sequences) for name, line in lines.items()}


def plot_rate_line(
    plot: pg.PlotWidget,
    points: list[PointResult],
    colour: QColor,
    style: Qt.PenStyle = Qt.PenStyle.SolidLine,
) -> pg.PlotDataItem:
    """Draw one line of :func:`rate_lines` on ``plot``: filled markers where stable."""
    return plot.plot(
        [_sequences(p) for p in points],
        [p.tokens.output_tokens_per_s if p.tokens else 0.0 for p in points],
        pen=pg.mkPen(colour, width=2, style=style),
        symbol="o",
        symbolPen=pg.mkPen(colour, width=2),
        symbolBrush=[pg.mkBrush(colour) if p.stable else pg.mkBrush(None) for p in points],
    )
