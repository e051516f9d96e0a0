"""An explicit write transaction for the autocommit connections that storage opens.

Connections are opened with ``isolation_level=None`` so that migrations and multi-row
writes control their own transactions; ``BEGIN IMMEDIATE`` takes the write lock up
front, so a concurrent writer (the CLI beside the GUI) waits instead of failing
half-way. Nothing is ever half-written: any exception rolls back.

Waiting: an import of a large bundle holds the write lock for as long as its single
transaction takes (tens of seconds for a gigabyte), longer than the connection's busy
timeout. A writer that meets the lock does not give up at the timeout: it reports that
it is waiting through the notice a front end installed with :func:`set_wait_notice` (the
CLI prints a line, the app shows it in the status bar) and tries again, until
:data:`MAX_WAIT_S` have passed. Runs on the thread that owns the connection.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from planner.core.errors import StorageError

#: How long a writer waits for another process's write lock in all, in seconds.
MAX_WAIT_S = 600.0

WaitNotice = Callable[[float], None]
"""Called with the seconds waited so far each time the busy timeout passes."""

_notice: list[WaitNotice] = []


def set_wait_notice(notice: WaitNotice | None) -> None:
    """Install (or, with None, remove) the process's waiting notice."""
    _notice.clear()
    if notice is not None:
        _notice.append(notice)


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    _begin_waiting(conn)
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _begin_waiting(conn: sqlite3.Connection) -> None:
    """``BEGIN IMMEDIATE``, retried with a notice while another process holds the lock."""
    started = time.monotonic()
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc):
                raise
            waited = time.monotonic() - started
            if waited >= MAX_WAIT_S:
                raise StorageError(
                    f"another planner process has been writing to the database for over "
                    f"{waited / 60:.0f} minutes (a large import?); try again when it has finished"
                ) from exc
            for notice in _notice:
                notice(waited)


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    return (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in (
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
    )
