"""Reading cells of a filled table widget. GUI thread.

Qt returns None for a cell that holds no item; in our tables every cell is filled when a
row is added, so a missing one is a programming error and says so.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """The item at ``row``, ``column`` (RuntimeError if the row was never filled)."""
    item = table.item(row, column)
    if item is None:
        raise RuntimeError(f"table row {row} has no item in column {column}")
    return item
