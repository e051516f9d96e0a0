"""What the window does with an exception no slot caught: say it once, never crash.

GUI thread. Qt calls Python slots, event handlers and lazily built pages from its event
loop; an exception escaping one of them would otherwise only print a traceback to a
terminal the user may not have, and leave a page half built with no word. Installed by
:func:`planner.gui.application.run_gui`, the handler turns it into one line in a message
box and the status bar: a damaged, locked or read-only database as the storage layer
words it (with its recovery steps), any other :class:`PlannerError` as its own line, and
anything else as an internal error whose traceback goes to a crash log. Each distinct
message is shown once, so a page that fails on every visit does not stack dialogs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox

from planner.core.errors import PlannerError
from planner.core.text import printable
from planner.services.failures import describe_failure
from planner.storage.health import user_error

Hook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


class UncaughtErrors:
    """``sys.excepthook`` while the app runs; :meth:`uninstall` puts the old one back."""

    def __init__(self, db_path: Path) -> None:
        self.window: QMainWindow | None = None  # set once built: its status bar repeats it
        self._db_path = db_path
        self.shown: list[str] = []
        self._previous: Hook = sys.excepthook

    def install(self) -> None:
        sys.excepthook = self.handle

    def uninstall(self) -> None:
        sys.excepthook = self._previous

    def message_for(self, exc: BaseException) -> str:
        """The one line the user reads for ``exc``."""
        if not isinstance(exc, PlannerError):
            exc = user_error(exc, self._db_path) or exc
        return printable(describe_failure(exc))

    def handle(
        self, kind: type[BaseException], exc: BaseException, trace: TracebackType | None
    ) -> None:
        if not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit: not ours
            self._previous(kind, exc, trace)
            return
        message = self.message_for(exc)
        if self.window is not None:
            self.window.statusBar().showMessage(message)
        if message in self.shown:
            return
        self.shown.append(message)
        print(f"planner: error: {message}", file=sys.stderr)
        box = QMessageBox(
            QMessageBox.Icon.Warning, "planner", message, QMessageBox.StandardButton.Ok
        )
        if self.window is not None:
            box.setParent(self.window, box.windowFlags())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not exec(): a handler must not start a nested event loop
