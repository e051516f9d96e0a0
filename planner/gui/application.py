"""Start the desktop app: QApplication, database, main window. GUI thread only.

A database that cannot be opened is reported in a message box and on stderr as one line,
then the app exits with status 2; nothing is written to the file.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from planner import __version__
from planner.core.errors import PlannerError
from planner.gui.main_window import MainWindow
from planner.services.seeding import seed_database
from planner.storage.database import open_database

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
    except PlannerError as exc:
        print(f"planner: error: {exc}", file=sys.stderr)
        QMessageBox.critical(None, "planner cannot open its database", str(exc))
        return 2
    window = MainWindow(opened)
    window.show()
    try:
        return app.exec()
    finally:
        opened.close()
