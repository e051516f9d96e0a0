"""The File > Open Recent list: scenario, model and bundle files the user worked with.

GUI thread only. Pages report a file they opened, saved or imported through
``AppContext.remember_file``; this keeps the ten most recent in QSettings (so the list
survives restarts), rebuilds the menu, and reopens a chosen file on the page its type
belongs to. A file that no longer exists is dropped from the list with a status message.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

SETTINGS_KEY = "recent_files"
LIMIT = 10

Opener = Callable[[Path], None]


class RecentFiles:
    """Keeps the list and its menu; ``openers`` maps a file suffix to the page that opens it."""

    def __init__(
        self, menu: QMenu, openers: dict[str, Opener], on_missing: Callable[[str], None]
    ) -> None:
        self.menu = menu
        self._openers = openers
        self._on_missing = on_missing
        self._rebuild()

    @property
    def paths(self) -> list[str]:
        value = QSettings().value(SETTINGS_KEY, [])
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    def remember(self, path: str) -> None:
        resolved = str(Path(path).resolve())
        if Path(resolved).suffix.lower() not in self._openers:
            return
        paths = [resolved, *(p for p in self.paths if p != resolved)][:LIMIT]
        QSettings().setValue(SETTINGS_KEY, paths)
        self._rebuild()

    def open(self, path: str) -> None:
        file = Path(path)
        if not file.is_file():
            QSettings().setValue(SETTINGS_KEY, [p for p in self.paths if p != path])
            self._rebuild()
            self._on_missing(f"{path} no longer exists; removed it from the recent files")
            return
        self._openers[file.suffix.lower()](file)

    def _rebuild(self) -> None:
        self.menu.clear()
        for index, path in enumerate(self.paths):
            action = QAction(f"&{(index + 1) % 10} {Path(path).name}", self.menu)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open(p))
            self.menu.addAction(action)
        self.menu.setEnabled(bool(self.paths))
