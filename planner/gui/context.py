"""What every page of the window shares: the open database and change notifications.

GUI thread only. Pages never talk to each other directly: a page that changes data
(a finished run, an imported catalogue, a saved plan) emits the matching signal here,
and pages that show that data refresh themselves from the database.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from planner.storage.database import OpenedDatabase


class AppContext(QObject):
    """The window's shared state; created once by the main window."""

    runs_changed = Signal()
    models_changed = Signal()
    catalog_changed = Signal()
    plans_changed = Signal()
    status_posted = Signal(str)
    runs_sent_to_plan = Signal(list)
    file_used = Signal(str)

    def __init__(self, opened: OpenedDatabase) -> None:
        super().__init__()
        self.opened = opened
        self._profiler: object | None = None

    def claim_profiling(self, owner: object) -> bool:
        """Let ``owner`` profile unless another owner is: one run at a time in the window,
        so two runs never share the machine and skew each other's figures."""
        if self._profiler not in (None, owner):
            return False
        self._profiler = owner
        return True

    def release_profiling(self, owner: object) -> None:
        if self._profiler is owner:
            self._profiler = None

    @property
    def db(self):
        """The sqlite-utils database (for storage repositories only)."""
        return self.opened.db

    def remember_file(self, path: str) -> None:
        """Add a file the user opened, saved or imported to File > Open Recent."""
        self.file_used.emit(str(path))

    def post_status(self, message: str) -> None:
        """Show a message in the window's status bar."""
        self.status_posted.emit(message)
