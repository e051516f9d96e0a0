"""Import assessment bundles into the app: File menu, drag and drop, and what each one did.

GUI thread only. Each bundle goes through :func:`planner.services.bundles.import_bundle_file`,
the function ``planner import`` uses: it validates the whole file read-only, then merges it
in one transaction (all or nothing). That runs on the GUI thread on purpose: a bundle
written by ``planner assess`` with a 10 s budget (three sample models, six points,
600 KB) validates and merges in about 4 ms, far below what a user can notice, and the
connection stays on the thread that owns it. A wait cursor covers the rare large bundle.

Every bundle gets one line, the CLI's: what it added, "already imported, nothing added",
or its one-line rejection reason. Lines go to the status bar and to a non-modal summary
box; ``runs_changed`` and ``models_changed`` are emitted when anything was added.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from planner.core.text import printable
from planner.gui.context import AppContext
from planner.services.bundles import describe_import, import_bundle_file
from planner.storage.health import user_error

#: What a bundle file may be called: ``planner assess --out`` takes any name; these are
#: the names the docs and tests use, and SQLite's usual suffixes.
BUNDLE_SUFFIXES = (".plannerbundle", ".planner", ".sqlite", ".db")
FILE_FILTER = "Assessment bundles (*.plannerbundle *.planner *.sqlite *.db);;All files (*)"


@dataclass(frozen=True)
class BundleOutcome:
    """What importing one bundle did, in one line."""

    path: Path
    message: str
    accepted: bool
    added_anything: bool


def is_bundle_name(path: Path) -> bool:
    return path.suffix.lower() in BUNDLE_SUFFIXES


def bundle_paths(mime: QMimeData) -> list[Path]:
    """The local files in a drag whose names are bundle names (others are left to pages)."""
    if not mime.hasUrls():
        return []
    local = (Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile())
    return [path for path in local if is_bundle_name(path)]


def import_one(context: AppContext, path: Path) -> BundleOutcome:
    """Validate and merge one bundle; never raises."""
    try:
        outcome = import_bundle_file(context.opened, path)
    except Exception as exc:  # noqa: BLE001 - every failure is one line, never a crash
        known = user_error(exc, context.opened.path)
        message = str(known or exc).strip() or type(exc).__name__
        if known is None and path.name not in message:
            message = f"bundle {path.name} rejected: {message}"
        return BundleOutcome(path, printable(message), accepted=False, added_anything=False)
    added = outcome.added
    anything = not outcome.already_imported and any(
        (added.machines, added.inventories, added.models, added.runs, added.points)
    )
    return BundleOutcome(path, describe_import(outcome), accepted=True, added_anything=anything)


class BundleImporter(QObject):
    """The window's import action: asks for files, imports them, reports each one."""

    imports_finished = Signal(list)

    def __init__(self, context: AppContext, window: QWidget) -> None:
        super().__init__(window)
        self._context = context
        self._window = window
        self.summary_box = QMessageBox(window)
        self.summary_box.setWindowTitle("Import assessment bundles")
        self.summary_box.setStandardButtons(QMessageBox.StandardButton.Close)
        self.summary_box.setModal(False)

    def choose_and_import(self) -> list[BundleOutcome]:
        """Ask for bundle files (File → Import assessment bundle…) and import them."""
        paths, _ = QFileDialog.getOpenFileNames(
            self._window, "Import assessment bundles", "", FILE_FILTER
        )
        return self.import_paths(Path(p) for p in paths)

    def import_paths(self, paths: Iterable[Path]) -> list[BundleOutcome]:
        """Import each bundle in turn (a rejected one does not stop the others)."""
        paths = list(paths)
        if not paths:
            return []
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            outcomes = [import_one(self._context, Path(path)) for path in paths]
        finally:
            QGuiApplication.restoreOverrideCursor()
        for path, outcome in zip(paths, outcomes, strict=True):
            self._context.post_status(outcome.message)
            if outcome.accepted:
                self._context.remember_file(str(path))
        if any(o.added_anything for o in outcomes):
            self._context.runs_changed.emit()
            self._context.models_changed.emit()
        if len(outcomes) > 1:
            accepted = sum(o.accepted for o in outcomes)
            self._context.post_status(
                f"Imported {accepted} of {len(outcomes)} bundles; "
                f"{len(outcomes) - accepted} rejected (see the summary)"
            )
        self._show_summary(outcomes)
        self.imports_finished.emit(outcomes)
        return outcomes

    def _show_summary(self, outcomes: list[BundleOutcome]) -> None:
        rejected = [o for o in outcomes if not o.accepted]
        box = self.summary_box
        box.setIcon(QMessageBox.Icon.Warning if rejected else QMessageBox.Icon.Information)
        box.setText(
            f"{len(outcomes) - len(rejected)} of {len(outcomes)} bundle(s) accepted, "
            f"{len(rejected)} rejected."
        )
        box.setInformativeText("\n\n".join(o.message for o in outcomes))
        box.show()
