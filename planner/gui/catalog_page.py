"""The Catalogue page: one editable table per catalogue kind, CSV import and export.

GUI thread only (it owns the connection's reads and writes). An edit is validated by
writing the whole catalogue with the edited cell as CSV and parsing it back with
``parse_catalog_csv``, so the table enforces exactly what an import does; a valid edit is
stored with ``CatalogRepository.upsert`` and announced with ``context.catalog_changed``,
an invalid one is shown beside the table, its row marked, and nothing is written.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.core.csv_safe import csv_text
from planner.core.errors import PlannerError
from planner.core.text import printable
from planner.gui.catalog_model import CatalogModel
from planner.gui.context import AppContext
from planner.planning.catalog import parse_catalog_csv
from planner.services.catalogs import (
    KINDS,
    UnknownCatalogHeader,
    export_catalog_file,
    import_catalog,
    row_key,
)
from planner.storage.catalog import CatalogRepository

TITLES = {
    "hardware": "Hardware",
    "cloud": "Cloud instances",
    "api": "Managed APIs",
    "defaults": "Cost defaults",
    "carbon": "Carbon intensity",
}
_LINE = re.compile(r"line (\d+)")
_ERROR_STYLE = "color: #c62828; font-weight: bold;"
_FILTER = "CSV files (*.csv);;All files (*)"


class CatalogTab(QWidget):
    """The table of one catalogue kind, with its validation message under it."""

    def __init__(self, kind: str, context: AppContext) -> None:
        super().__init__()
        self.kind = kind
        self._context = context
        self.model = CatalogModel(kind, self._commit)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(_ERROR_STYLE)
        self.error_label.hide()
        note = QLabel(
            "Double-click a cell to edit it; key columns name the row and are fixed. "
            "Tinted rows are unverified: check their source."
        )
        note.setStyleSheet("color: #666;")
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error_label)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(CatalogRepository(self._context.db).rows(self.kind))
        self.view.resizeColumnsToContents()

    def edit(self, row: int, column: str, text: str) -> bool:
        """Edit one cell as the user would; True when stored."""
        index = self.model.index(row, self.model.columns.index(column))
        return self.model.setData(index, text)

    def _commit(self, row: int, column: int, text: str) -> str | None:
        cells = [list(r) for r in self.model.cells]
        cells[row][column] = text
        try:
            rows = parse_catalog_csv(self.kind, csv_text(self.model.columns, cells))
            edited = rows[row]
            CatalogRepository(self._context.db).upsert(
                self.kind, [(row_key(self.kind, edited), dataclasses.asdict(edited))]
            )
        except PlannerError as exc:
            message = _LINE.sub(lambda m: f"table row {int(m.group(1)) - 1}", str(exc))
            self.error_label.setText(f"Not saved: {printable(message)}")
            self.error_label.show()
            return message
        self.error_label.hide()
        self.reload()
        self._context.catalog_changed.emit()
        self._context.post_status(f"{TITLES[self.kind]}: row {row + 1} saved")
        return None


class CatalogPage(QWidget):
    """All catalogues, one tab each, with CSV import and export."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.tabs = QTabWidget()
        self.kind_tabs: dict[str, CatalogTab] = {}
        for kind in KINDS:
            tab = CatalogTab(kind, context)
            self.kind_tabs[kind] = tab
            self.tabs.addTab(tab, TITLES.get(kind, kind))
        import_button = QPushButton("Import CSV…")
        import_button.clicked.connect(self._on_import_clicked)
        export_button = QPushButton("Export CSV…")
        export_button.clicked.connect(self._on_export_clicked)
        self.message = QLabel()
        self.message.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(import_button)
        bar.addWidget(export_button)
        bar.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        context.catalog_changed.connect(self._on_catalog_changed)

    def import_csv(self, path: Path, kind: str | None = None) -> bool:
        """Import a catalogue CSV (all rows or none); the kind comes from its header."""
        try:
            kind, counts = import_catalog(self.context.opened, path, kind)
        except UnknownCatalogHeader as exc:
            hint = "Export CSV… writes the open tab's catalogue with the header it needs"
            self._say(f"Not imported: {printable(str(exc))}. {hint}.", error=True)
            return False
        except PlannerError as exc:
            self._say(f"Not imported: {printable(str(exc))}", error=True)
            return False
        self.tabs.setCurrentWidget(self.kind_tabs[kind])
        self._say(
            f"Imported {printable(path.name)} into {TITLES[kind]}: "
            f"{counts.added} added, {counts.replaced} replaced."
        )
        self.context.catalog_changed.emit()
        return True

    def export_csv(self, kind: str, path: Path) -> bool:
        try:
            export_catalog_file(self.context.opened, kind, path)
        except PlannerError as exc:
            self._say(f"Not exported: {exc}", error=True)
            return False
        self._say(f"Exported {TITLES[kind]} to {printable(str(path))}.")
        return True

    def current_kind(self) -> str:
        widget = self.tabs.currentWidget()
        return widget.kind if isinstance(widget, CatalogTab) else KINDS[0]

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(_ERROR_STYLE if error else "color: #2e7d32;")
        if not error:
            self.context.post_status(text)

    def _on_catalog_changed(self) -> None:
        for tab in self.kind_tabs.values():
            tab.reload()

    def _on_import_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import catalogue", "", _FILTER)
        if path:
            self.import_csv(Path(path))

    def _on_export_clicked(self) -> None:
        kind = self.current_kind()
        default = f"{kind}.csv"
        path, _ = QFileDialog.getSaveFileName(self, f"Export {TITLES[kind]}", default, _FILTER)
        if path:
            self.export_csv(kind, Path(path))
