"""SQLite errors met while using a database, in words: only conditions of the file map."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from planner.storage.database import open_database
from planner.storage.health import backups_of, check_integrity, user_error


def _error(conn: sqlite3.Connection, sql: str) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as caught:
        conn.execute(sql)
    return caught.value


def test_a_statement_mistake_stays_a_programming_error(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "x.db")
    assert user_error(_error(conn, "SELECT * FROM no_such_table"), tmp_path / "x.db") is None
    assert user_error(ValueError("x"), tmp_path / "x.db") is None


def test_a_lock_held_too_long_reads_as_busy(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    open_database(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    waiter = sqlite3.connect(path, timeout=0, isolation_level=None)
    message = str(user_error(_error(waiter, "BEGIN IMMEDIATE"), path))
    holder.execute("ROLLBACK")
    assert "stayed locked by another planner process" in message and str(path) in message


def test_a_read_only_connection_reads_as_read_only(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    open_database(path).close()
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    message = str(user_error(_error(conn, "DELETE FROM planner_meta"), path))
    assert "is read-only" in message and "db check" in message


def test_backups_are_listed_newest_first(tmp_path: Path) -> None:
    path = tmp_path / "planner.db"
    older = tmp_path / "planner.schema2-backup-20260101T000000Z.db"
    newer = tmp_path / "planner.schema3-backup-20260201T000000Z.db"
    for backup in (older, newer):
        backup.write_bytes(b"")
    (tmp_path / "other.schema3-backup-20260301T000000Z.db").write_bytes(b"")
    assert backups_of(path) == (newer, older)


def test_integrity_of_a_foreign_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("hello")
    report = check_integrity(path)
    assert not report.ok and report.problems == ("it is not a SQLite database",)
