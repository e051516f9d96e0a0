"""A stack of pages built the first time each is shown. GUI thread only.

The window's first paint waits for nothing but the page it opens on: every other page,
and the heavy modules behind it (pyqtgraph, the plan engine's charts), is imported and
built when the user first goes to it. Until then a page is an empty placeholder at its
place in the stack, so indices, navigation rows and shortcuts never shift.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

PageFactory = Callable[[], QWidget]


class LazyPages(QStackedWidget):
    """``page_built(index, widget)`` fires once per page, right after it is built."""

    page_built = Signal(int, QWidget)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._factories: list[PageFactory] = []
        self._titles: list[str] = []
        self._built: dict[int, QWidget] = {}

    def add(self, title: str, factory: PageFactory) -> int:
        """Reserve a place for a page; it is built on first :meth:`page` or display."""
        self._factories.append(factory)
        self._titles.append(title)
        return self.addWidget(QWidget())

    def title(self, index: int) -> str:
        return self._titles[index]

    def index_of(self, title: str) -> int:
        return self._titles.index(title)

    def page(self, index: int) -> QWidget:
        """The page at ``index``, built now if it has not been yet."""
        if index not in self._built:
            widget = self._factories[index]()
            placeholder = self.widget(index)
            showing = self.currentIndex() == index
            self.insertWidget(index, widget)
            if placeholder is not None:
                self.removeWidget(placeholder)
                placeholder.deleteLater()
            if showing:
                super().setCurrentIndex(index)
            self._built[index] = widget
            self.page_built.emit(index, widget)
        return self._built[index]

    def built(self) -> dict[int, QWidget]:
        """The pages built so far, by index."""
        return dict(self._built)

    def setCurrentIndex(self, index: int) -> None:  # noqa: N802 - Qt override
        if 0 <= index < self.count():
            self.page(index)
        super().setCurrentIndex(index)
