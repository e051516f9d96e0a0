"""Start the desktop app: QApplication, database, main window. GUI thread only.

A database that cannot be opened (not planner's, newer, damaged, read-only, locked) is
reported in a message box and on stderr as one line, then the app exits with status 2;
nothing is written to the file. While another process holds the write lock (a long
``planner import``), a write waits and says so in the status bar instead of failing. Damage
found later, in a value a page reads, and any other exception that escapes a slot, is said
once in a message box (:mod:`planner.gui.uncaught`); the window stays up.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from planner import __version__
from planner.core.errors import PlannerError
from planner.core.text import printable
from planner.gui.main_window import MainWindow
from planner.gui.uncaught import UncaughtErrors
from planner.services.seeding import seed_database
from planner.storage.database import open_database
from planner.storage.health import user_error
from planner.storage.transaction import set_wait_notice

ORGANIZATION = "planner"
APPLICATION = "planner"


def create_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, named so QSettings keeps window state per user."""
    existing = QApplication.instance()
    app = (
        existing
        if isinstance(existing, QApplication)
        else QApplication(argv if argv is not None else sys.argv[:1])
    )
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    # Matches packaging/planner.desktop, so Wayland shells show the menu entry's icon.
    app.setDesktopFileName(APPLICATION)
    return app


def run_gui(db_path: Path) -> int:
    app = create_application()
    try:
        opened = open_database(db_path)
        seed_database(opened)
    except Exception as exc:  # noqa: BLE001 - only user-fixable errors are caught below
        known = exc if isinstance(exc, PlannerError) else user_error(exc, db_path)
        if known is None:
            raise
        message = printable(str(known))
        print(f"planner: error: {message}", file=sys.stderr)
        QMessageBox.critical(None, "planner cannot open its database", message)
        return 2
    errors = UncaughtErrors(db_path)
    errors.install()
    try:
        window = MainWindow(opened)
        errors.window = window
        set_wait_notice(lambda waited: _show_waiting(window, waited))
        window.show()
        window.build_pages_when_idle()
        return app.exec()
    finally:
        set_wait_notice(None)
        errors.uninstall()
        opened.close()


def _show_waiting(window: QMainWindow, waited_s: float) -> None:
    """Say why the app is not answering; repaint without taking user input meanwhile."""
    window.statusBar().showMessage(
        f"Waiting for another planner process to finish writing ({waited_s:.0f} s so far)…"
    )
    QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
