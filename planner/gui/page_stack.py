"""A stack of pages built the first time each is shown. GUI thread only.

The window's first paint waits for nothing but the page it opens on: every other page,
and the heavy modules behind it (pyqtgraph, the plan engine's charts), is imported and
built when the user first goes to it, or earlier, one page per event-loop turn while the
window sits idle after its first paint (:meth:`LazyPages.build_rest_when_idle`), so that
going to a page later costs no wait at all. Until then a page is an empty placeholder at
its place in the stack, so indices, navigation rows and shortcuts never shift.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QTimer, Signal
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
        self._idle_steps: deque[Callable[[], object]] = deque()
        self._idle_gap_ms = 0
        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.timeout.connect(self._next_idle_step)

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

    def build_rest_when_idle(
        self, delay_ms: int, gap_ms: int, first: Callable[[], object] | None = None
    ) -> None:
        """Build every page not built yet, one per step: ``first`` (an import, say), then
        the pages in order, ``delay_ms`` from now and ``gap_ms`` apart, so input arriving
        meanwhile waits for one step at most. A page the user opens first is simply built
        then, and its step does nothing."""
        pending = [i for i in range(self.count()) if i not in self._built]
        self._idle_steps = deque([first] if first else [])
        self._idle_steps.extend(partial(self.page, i) for i in pending)
        self._idle_timer.setInterval(delay_ms)
        self._idle_gap_ms = gap_ms
        self._idle_timer.start()

    def _next_idle_step(self) -> None:
        if not self._idle_steps:
            return
        self._idle_steps.popleft()()
        if self._idle_steps:
            self._idle_timer.setInterval(self._idle_gap_ms)
            self._idle_timer.start()

    def built(self) -> dict[int, QWidget]:
        """The pages built so far, by index."""
        return dict(self._built)

    def setCurrentIndex(self, index: int) -> None:  # noqa: N802 - Qt override
        if 0 <= index < self.count():
            self.page(index)
        super().setCurrentIndex(index)
