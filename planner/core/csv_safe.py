"""The one way planner writes CSV: cells a spreadsheet would run as a formula are neutralised.

Pure functions; any thread. Every CSV planner writes (report tables, catalogue exports, the
catalogue page's edit check) goes through :func:`csv_text` or :func:`write_csv_file`, so a
name such as ``=HYPERLINK(...)`` or ``-2+3`` reaches a spreadsheet as text, never as a
formula. A text cell that starts with ``= + - @``, a tab or a carriage return gets a
leading apostrophe, as spreadsheets themselves mark text; numbers are left alone, so
negative numbers stay numbers. :func:`restore` undoes the mark exactly, which lets a
catalogue exported by planner be imported back unchanged.

Files are UTF-8 *without* a byte-order mark and end lines with ``\\n``: a BOM makes the
first header read ``\\ufeffrun_id`` in the csv module, pandas and most scripts, while
spreadsheets that need it can import the file as UTF-8 explicitly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from planner.core.errors import InputError
from planner.core.files import check_output_file

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
APOSTROPHE = "'"
ENCODING = "utf-8"
LINE_END = "\n"


def _guarded(text: str) -> bool:
    """Whether ``text`` gets the mark: it looks like a formula, or like an already marked one.

    Marking apostrophe-led formulas too (``'=x`` is written ``''=x``) keeps
    :func:`restore` exact: it drops one apostrophe only where this added one.
    """
    if text.startswith(FORMULA_STARTS):
        return True
    return text.startswith(APOSTROPHE) and _guarded(text[1:])


def neutralise(cell: Any) -> Any:
    """A cell that is safe to open in a spreadsheet; non-text values are returned as they are."""
    if isinstance(cell, str) and _guarded(cell):
        return APOSTROPHE + cell
    return cell


def restore(cell: str) -> str:
    """The text that :func:`neutralise` was given (a cell read back from a planner CSV)."""
    if cell.startswith(APOSTROPHE) and _guarded(cell[1:]):
        return cell[1:]
    return cell


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The table as CSV text, every cell neutralised."""
    out = io.StringIO()
    _write(out, header, rows)
    return out.getvalue()


def write_csv_file(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write the table to ``path`` (UTF-8, no BOM); InputError naming the fix if it cannot."""
    check_output_file(path, "CSV")
    try:
        with path.open("w", encoding=ENCODING, newline="") as handle:
            _write(handle, header, rows)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from exc


def _write(handle: Any, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    writer = csv.writer(handle, lineterminator=LINE_END)
    writer.writerow([neutralise(h) for h in header])
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
