"""Reading stored values back: damage that SQLite's own check cannot see.

Runs on the thread that owns the connection. ``PRAGMA integrity_check`` verifies the
b-tree structure but not what the cells hold, so a garbled or zeroed page of a long
value (an overflow page) passes it; the damage shows only when the value is read, as
text that is not UTF-8 or JSON that no longer parses. Repositories decode stored JSON
through :func:`stored_json`, which raises :class:`DamagedValueError` (a
``sqlite3.DatabaseError``, so everything that turns SQLite errors into the damaged
database message turns this one too); :func:`unreadable_values` is the full read that
``planner db check`` adds to SQLite's check.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: How Python's sqlite3 module reports stored text that is not UTF-8.
_NOT_UTF8 = re.compile(r"^Could not decode to UTF-8 column '([^']*)'")


class DamagedValueError(sqlite3.DatabaseError):
    """A value planner stored cannot be read back: the file was damaged since."""


def stored_json(text: str, where: str) -> Any:
    """Decode JSON planner stored at ``where`` (``table.column``); damage raises."""
    try:
        return json.loads(text)
    except (ValueError, TypeError, RecursionError):
        raise DamagedValueError(f"{where} holds text that is not JSON") from None


@contextmanager
def stored_shape(where: str) -> Iterator[None]:
    """Building a record from JSON planner stored at ``where``: a missing or unknown key,
    or a value of the wrong type, means the stored value was changed or damaged since
    planner wrote it, and raises :class:`DamagedValueError` rather than a bare error."""
    try:
        yield
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        detail = f"{type(exc).__name__}: {exc}"[:160]
        raise DamagedValueError(f"{where} holds a record planner cannot read ({detail})") from None


def damage_in_value(exc: sqlite3.Error) -> str | None:
    """What ``exc`` says about a damaged stored value, in words, or None if nothing.

    Python's message for text that is not UTF-8 quotes the whole garbled value; only
    the column is kept.
    """
    if isinstance(exc, DamagedValueError):
        return str(exc)
    match = _NOT_UTF8.match(str(exc)) if isinstance(exc, sqlite3.OperationalError) else None
    return f"column {match.group(1)} holds text that is not UTF-8" if match else None


def unreadable_values(conn: sqlite3.Connection, limit: int) -> list[str]:
    """Read every value of every table; list (up to ``limit``) those that cannot be read.

    Text must be UTF-8, and a ``*_json`` column must parse; blobs are read whole, which
    makes SQLite walk every overflow page. Raises sqlite3.DatabaseError where SQLite
    itself cannot read a page.
    """
    problems: list[str] = []
    tables = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    for (table,) in tables:
        problems += _unreadable_in(conn, table, limit - len(problems))
        if len(problems) >= limit:
            break
    return problems[:limit]


def _unreadable_in(conn: sqlite3.Connection, table: str, limit: int) -> list[str]:
    columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
    selected = ", ".join(f'"{name}", typeof("{name}")' for name in columns)
    cursor = conn.cursor()
    cursor.row_factory = None
    # Bytes, not str: text that is not UTF-8 is then found per value, not as an error.
    conn.text_factory = bytes
    try:
        problems: list[str] = []
        for rowid, *cells in cursor.execute(f'SELECT rowid, {selected} FROM "{table}"'):
            for name, value, kind in zip(columns, cells[::2], cells[1::2], strict=True):
                problem = _problem(value, kind.decode(), name.endswith("_json"))
                if problem:
                    problems.append(f"{table}.{name} of row {rowid}: {problem}")
                    if len(problems) >= limit:
                        return problems
        return problems
    finally:
        conn.text_factory = str


def _problem(value: object, kind: str, is_json: bool) -> str | None:
    if kind != "text" or not isinstance(value, bytes):
        return None
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        return "text that is not UTF-8"
    if not is_json:
        return None
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return "text that is not JSON"
    return None
