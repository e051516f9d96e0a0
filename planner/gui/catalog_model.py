"""Table model of one catalogue kind: its rows as text cells, editable except the key.

GUI thread only. The model does not validate or store: ``setData`` hands the edit to a
``commit`` callback (the catalogue tab) which validates the whole catalogue with the edit
and stores it, or returns an error message; a rejected edit leaves the cell as it was and
marks the row. Unverified rows are tinted and say so in their tooltip.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from planner.core.text import printable
from planner.planning.catalog import SCHEMAS
from planner.storage.catalog import StoredCatalogRow

Commit = Callable[[int, int, str], str | None]
EXTRA_COLUMNS = ("origin", "updated")
_UNVERIFIED = QColor("#fff4d6")
_ERROR = QColor("#ffd6d6")
_READ_ONLY = QColor("#f2f2f2")
#: Text on the light tints above stays dark, also when a dark system theme is in use.
_TINTED_TEXT = QColor("#1a1a1a")
_Index = QModelIndex | QPersistentModelIndex


def cell_text(value: Any) -> str:
    """A stored value as the text the catalogue CSV holds (exact, unlike '%g')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


class CatalogModel(QAbstractTableModel):
    """Rows of one kind; columns are the CSV columns, then origin and last update."""

    def __init__(self, kind: str, commit: Commit) -> None:
        super().__init__()
        self.kind = kind
        self._commit = commit
        _, schema, key = SCHEMAS[kind]
        self.columns = [name for name, _ in schema]
        self.key_columns = set(key)
        self.cells: list[list[str]] = []
        self.extras: list[tuple[str, str]] = []
        self.error_row: int | None = None

    def set_rows(self, stored: list[StoredCatalogRow]) -> None:
        self.beginResetModel()
        self.cells = [[cell_text(r.values.get(c)) for c in self.columns] for r in stored]
        self.extras = [(r.origin, r.updated_at) for r in stored]
        self.error_row = None
        self.endResetModel()

    def verified(self, row: int) -> bool:
        if "verified" not in self.columns:
            return True
        return self.cells[row][self.columns.index("verified")] == "yes"

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.cells)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.columns) + len(EXTRA_COLUMNS)

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        names = [*self.columns, *EXTRA_COLUMNS]
        name = names[section]
        return f"{name} (key)" if name in self.key_columns else name

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editable(index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _editable(self, column: int) -> bool:
        return column < len(self.columns) and self.columns[column] not in self.key_columns

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column < len(self.columns):
                text = self.cells[row][column]
            else:
                text = self.extras[row][column - len(self.columns)]
            # Shown escaped: a stored name may hold control or bidi characters (old data).
            return printable(text) if role == Qt.ItemDataRole.DisplayRole else text
        if role == Qt.ItemDataRole.ForegroundRole and self._tinted(row, column):
            return QBrush(_TINTED_TEXT)
        if role == Qt.ItemDataRole.BackgroundRole:
            if row == self.error_row:
                return QBrush(_ERROR)
            if not self.verified(row):
                return QBrush(_UNVERIFIED)
            return None if self._editable(column) else QBrush(_READ_ONLY)
        if role == Qt.ItemDataRole.ToolTipRole and not self.verified(row):
            return "unverified: check the source before relying on this row"
        return None

    def _tinted(self, row: int, column: int) -> bool:
        return row == self.error_row or not self.verified(row) or not self._editable(column)

    def setData(  # noqa: N802 - Qt API
        self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self._editable(index.column()):
            return False
        text = str(value).strip()
        if text == self.cells[index.row()][index.column()]:
            return False
        error = self._commit(index.row(), index.column(), text)
        if error is not None:
            self.mark_error(index.row())
            return False
        return True

    def mark_error(self, row: int | None) -> None:
        previous, self.error_row = self.error_row, row
        for marked in {previous, row} - {None}:
            if marked is not None and 0 <= marked < len(self.cells):
                self.dataChanged.emit(
                    self.index(marked, 0), self.index(marked, self.columnCount() - 1)
                )
