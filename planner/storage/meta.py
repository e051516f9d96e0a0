"""Small named settings kept in the database header table (e.g. what has been seeded).

Runs on the thread that owns the connection.
"""

from __future__ import annotations

import sqlite_utils

from planner.storage.migrations import META_TABLE
from planner.storage.transaction import write_transaction


def get_meta(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.execute(f"SELECT value FROM {META_TABLE} WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(db: sqlite_utils.Database, key: str, value: str) -> None:
    with write_transaction(db.conn) as conn:
        conn.execute(f"INSERT OR REPLACE INTO {META_TABLE}(key, value) VALUES (?, ?)", [key, value])
