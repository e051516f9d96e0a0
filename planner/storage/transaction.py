"""An explicit write transaction for the autocommit connections that storage opens.

Connections are opened with ``isolation_level=None`` so that migrations and multi-row
writes control their own transactions; ``BEGIN IMMEDIATE`` takes the write lock up
front, so a concurrent writer (the CLI beside the GUI) waits on the busy timeout instead
of failing half-way. Nothing is ever half-written: any exception rolls back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
