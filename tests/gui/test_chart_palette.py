"""Charts follow the application palette, so a dark system theme gets dark charts."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette

from planner.gui.charts_common import ink, paper, style_plot


def test_charts_take_background_and_text_from_the_palette(qtbot, qapp) -> None:
    original = qapp.palette()
    dark = QPalette(original)
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#eeeeee"))
    qapp.setPalette(dark)
    try:
        plot = pg.PlotWidget()
        qtbot.addWidget(plot)
        style_plot(plot, "month", "cost (USD)")
        assert (paper(), ink()) == ("#1e1e1e", "#eeeeee")
        assert plot.backgroundBrush().color().name() == "#1e1e1e"
        axis = plot.getPlotItem().getAxis("left")
        assert axis.textPen().color().name() == "#eeeeee"
    finally:
        qapp.setPalette(original)
