"""Chart text fits its plot: category labels their slots, an empty plot's message its width."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics

from planner.gui.charts_common import category_ticks, no_data_text

NAMES = [
    "2x L40S servers, colocated",
    "AWS g6e.xlarge on demand",
    "AWS g6e.xlarge 1-year reserved",
]


def _labels(plot: pg.PlotWidget) -> list[str]:
    axis = plot.getPlotItem().getAxis("bottom")
    return [text for _, text in axis._tickLevels[0]]


def test_long_names_are_cut_in_the_middle_to_their_slot_and_refit_on_resize(qtbot) -> None:
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(420, 300)
    plot.show()
    plot.getPlotItem().setXRange(-0.5, 2.5, padding=0)
    category_ticks(plot, NAMES)
    qtbot.waitExposed(plot)
    axis = plot.getPlotItem().getAxis("bottom")
    metrics = QFontMetrics(axis.style.get("tickFont") or axis.font())
    slot = plot.getPlotItem().vb.width() / 3
    narrow = _labels(plot)
    assert len(narrow) == 3 and all("…" in text for text in narrow)
    assert narrow[1].startswith("AWS") and narrow[1].endswith("demand")
    assert narrow[2].endswith("served")
    assert all(metrics.horizontalAdvance(text) <= slot for text in narrow)
    plot.resize(1400, 300)
    qtbot.waitUntil(lambda: _labels(plot) == NAMES, timeout=3_000)


def test_an_empty_plots_message_wraps_inside_a_narrow_plot(qtbot) -> None:
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(220, 200)
    plot.show()
    qtbot.waitExposed(plot)
    text = no_data_text(plot, "Select runs in the table to compare their points here")
    view = plot.getPlotItem().vb
    qtbot.waitUntil(lambda: text.textItem.boundingRect().width() <= view.width())
    assert text.textItem.boundingRect().height() > 1.5 * QFontMetrics(text.textItem.font()).height()
