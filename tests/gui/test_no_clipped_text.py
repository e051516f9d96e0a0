"""At 1100×720 no page clips a label or a table header, and money axes carry a currency.

A label whose text is wider than the room it has is elided or cut by Qt without any
error; this test measures every visible label and header section of each page (after
the page has data, as a user would see it) against the space Qt gave it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QWidget

from planner.gui.main_window import PAGE_TITLES, MainWindow
from planner.services.database import open_prepared

WINDOW = (1100, 720)


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


@pytest.mark.parametrize("title", PAGE_TITLES)
def test_no_label_or_header_is_clipped_at_1100_by_720(qtbot, window, title: str) -> None:
    window.navigation.setCurrentRow(PAGE_TITLES.index(title))
    page = window.pages.currentWidget()
    qtbot.waitExposed(page)
    qtbot.wait(50)
    problems = clipped_labels(page) + clipped_headers(page)
    assert not problems, f"{title}: " + "; ".join(problems)
