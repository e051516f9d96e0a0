"""At 1100×720 no page clips a label or a table header, and money axes carry a currency.

A label whose text is wider than the room it has is elided or cut by Qt without any
error; these tests measure every visible label and header section of each page, empty
and with data (a classic run, a real generative run, a computed and stored plan), against
the space Qt gave it, check that no page forces the window past 720 pixels, and that
every chart axis labelled in a currency ticks in it (``250 k USD``, never ``2.5e+05``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyqtgraph as pg
import pytest
from builders import store_run
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QScrollArea, QWidget

from planner.gui.main_window import PAGE_TITLES, MainWindow
from planner.services.database import open_prepared
from planner.storage.database import open_database

WINDOW = (1100, 720)
NEWEST = "2030-01-01T00:00:00+00:00"  # the classic run is the latest, so "latest" plans it


def clipped_labels(root: QWidget) -> list[str]:
    """Visible one-line labels whose text needs more width than they were given."""
    found = []
    for label in root.findChildren(QLabel):
        if not label.isVisibleTo(root) or label.wordWrap() or not label.text():
            continue
        if label.textFormat() == Qt.TextFormat.RichText or "<" in label.text():
            continue
        needed = max(
            label.fontMetrics().horizontalAdvance(line) for line in label.text().split("\n")
        )
        if needed > label.contentsRect().width() + 1:
            found.append(f"{label.text()!r} needs {needed}px, has {label.contentsRect().width()}px")
    return found


def clipped_headers(root: QWidget) -> list[str]:
    """Header sections of visible tables whose title is wider than the section."""
    found = []
    for view in root.findChildren(QAbstractItemView):
        header = getattr(view, "horizontalHeader", lambda: None)()
        if header is None or not view.isVisibleTo(root) or view.model() is None:
            continue
        metrics = header.fontMetrics()
        for section in range(header.count()):
            if header.isSectionHidden(section):
                continue
            title = str(view.model().headerData(section, Qt.Orientation.Horizontal) or "")
            room = header.sectionSize(section) - 2 * header.style().pixelMetric(
                header.style().PixelMetric.PM_HeaderMargin
            )
            if metrics.horizontalAdvance(title) > room + 1:
                found.append(
                    f"header {title!r} needs {metrics.horizontalAdvance(title)}px, has {room}px"
                )
    return found


@pytest.fixture
def window(qtbot, tmp_path: Path):
    opened = open_prepared(str(tmp_path / "planner.db"))
    win = MainWindow(opened)
    qtbot.addWidget(win)
    win.resize(*WINDOW)
    win.show()
    yield win
    win.close()
    opened.close()


def clipped_on_page(qtbot, window: MainWindow, title: str) -> list[str]:
    """Show the page called ``title`` and list what it clips."""
    window.navigation.setCurrentRow(PAGE_TITLES.index(title))
    page = window.pages.currentWidget()
    qtbot.waitExposed(page)
    qtbot.wait(50)
    return clipped_labels(page) + clipped_headers(page)


@pytest.mark.parametrize("title", PAGE_TITLES)
def test_no_label_or_header_is_clipped_at_1100_by_720(qtbot, window, title: str) -> None:
    problems = clipped_on_page(qtbot, window, title)
    assert not problems, f"{title}: " + "; ".join(problems)


def money_axis_problems(root: QWidget, currency: str) -> list[str]:
    """Axes labelled in ``currency`` whose ticks do not read as money in it.

    Every visible plot under ``root`` is laid out at its size; each axis whose label names
    the currency must tick, at its current range, with figures ending in the currency.
    """
    problems = []
    for plot in root.findChildren(pg.PlotWidget):
        item = plot.getPlotItem()
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            if f"({currency})" not in (axis.labelText or "") or not axis.isVisible():
                continue
            low, high = axis.range
            values = [v for _, level in axis.tickValues(low, high, 400) for v in level]
            texts = axis.tickStrings(values, 1.0, 1.0)
            if not texts or not all(text.endswith(f" {currency}") for text in texts):
                problems.append(f"{axis.labelText}: ticks {texts[:4]}")
    return problems


@pytest.fixture
def planned_window(qtbot, tmp_path: Path, generative_template):
    """The window over a database with a classic run, a generative run and a stored plan."""
    template, _ = generative_template
    shutil.copy(template, tmp_path / "planner.db")
    opened = open_database(tmp_path / "planner.db")
    run = store_run(opened, points=4, scenario="concurrency", started_at=NEWEST)
    win = MainWindow(opened)
    qtbot.addWidget(win)
    win.resize(*WINDOW)
    win.show()
    with qtbot.waitSignal(win.plan_page.uncertainty_computed, timeout=20_000):
        win.plan_page.start_from_run(run.id)
    win.results_page.select_runs([run.id])
    yield win, run.id
    win.close()
    opened.close()


@pytest.mark.parametrize("title", PAGE_TITLES)
def test_pages_with_data_clip_nothing_at_1100_by_720(qtbot, planned_window, title: str) -> None:
    window, _ = planned_window
    problems = clipped_on_page(qtbot, window, title)
    assert not problems, f"{title}: " + "; ".join(problems)
    assert window.height() <= WINDOW[1], f"{title} forces the window taller than 720"


def test_the_scenario_form_fits_its_column_without_scrolling_sideways(
    qtbot, planned_window
) -> None:
    """The Load value sits beside its kind: a wide kind list pushed it off to the right."""
    window, _ = planned_window
    window.show_page(window.plan_page)
    qtbot.wait(50)
    form = window.plan_page.form
    outer = form.parentWidget()
    while outer is not None and not isinstance(outer, QScrollArea):
        outer = outer.parentWidget()
    assert outer is not None and outer.horizontalScrollBar().maximum() == 0
    rate = form.rate_edit
    corner = rate.mapTo(window, rate.rect().topRight())
    assert rate.isVisible() and corner.x() <= window.width()


def test_every_money_axis_ticks_in_the_currency(qtbot, planned_window) -> None:
    window, _ = planned_window
    window.show_page(window.plan_page)
    tabs = window.plan_page.results.tabs
    checked = 0
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        qtbot.wait(30)
        tab = tabs.widget(index)
        assert not money_axis_problems(tab, "USD"), tabs.tabText(index)
        checked += sum(
            "(USD)" in (p.getPlotItem().getAxis(a).labelText or "")
            for p in tab.findChildren(pg.PlotWidget)
            for a in ("left", "bottom")
        )
    assert checked >= 5  # cumulative, components, unit cost, tornado, Monte Carlo


def test_results_and_profile_charts_with_data_clip_nothing(qtbot, planned_window) -> None:
    window, _ = planned_window
    results = window.results_page
    window.show_page(results)
    qtbot.wait(50)
    legends = results.charts.curve_legend.names() + results.charts.cdf_legend.names()
    assert legends and all(legend for legend in legends)
    assert not clipped_labels(results) and not clipped_headers(results)


def test_results_with_a_generative_run_clip_nothing(
    qtbot, planned_window, generative_template
) -> None:
    """The token row (tokens/s against sequences, the TPOT distribution) and the E2E
    columns fit the smallest window without pushing it taller."""
    window, _ = planned_window
    results = window.results_page
    window.show_page(results)
    results.select_runs([generative_template[1]])
    qtbot.wait(50)
    assert all(box.isVisibleTo(results) for box in results.charts.token_row)
    assert not clipped_labels(results) and not clipped_headers(results)
    assert window.height() <= WINDOW[1]
