"""Opening, creating, refusing and migrating real SQLite files."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from planner.core.errors import StorageError
from planner.storage import migrations
from planner.storage.database import open_database
from planner.storage.info import database_info
from planner.storage.location import ENV_VAR, resolve_database_path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


def test_new_database_is_created_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    opened = open_database(tmp_path / "sub" / "planner.db")
    try:
        conn = opened.db.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert opened.schema_version == migrations.SCHEMA_VERSION
        assert opened.created and opened.migrated_from is None and opened.backup_path is None
        assert {"machines", "inventories"} <= set(opened.db.table_names())
    finally:
        opened.close()


def test_reopening_changes_nothing_and_makes_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "planner.db"
    open_database(path).close()
    before = _siblings(path)
    opened = open_database(path)
    opened.close()
    assert opened.backup_path is None
    assert _siblings(path) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello, I am a text file\n", "is not a SQLite database"),
        (b"SQLite format 3\x00" + b"\xff" * 2000, "damaged or unreadable"),
    ],
)
def test_foreign_and_corrupt_files_are_refused_untouched(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "other.db"
    path.write_bytes(content)
    with pytest.raises(StorageError, match=message):
        open_database(path)
    assert path.read_bytes() == content
    assert _siblings(path) == {"other.db"}


def test_a_sqlite_file_of_another_application_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    digest = _digest(path)
    with pytest.raises(StorageError, match="is not a planner database.*customers"):
        open_database(path)
    assert _digest(path) == digest
    assert _siblings(path) == {"shop.db"}


def test_a_file_from_a_newer_planner_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "planner.db"
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE planner_meta SET value = '999' WHERE key = 'schema_version'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    digest = _digest(path)
    before = _siblings(path)
    with pytest.raises(StorageError, match="newer planner.*schema 999.*upgrade planner"):
        open_database(path)
    assert _digest(path) == digest
    assert _siblings(path) == before


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="is a folder"):
        open_database(tmp_path)


def test_info_counts_rows(tmp_path: Path) -> None:
    opened = open_database(tmp_path / "planner.db")
    try:
        info = database_info(opened)
    finally:
        opened.close()
    assert info.schema_version == migrations.SCHEMA_VERSION
    assert info.row_counts["machines"] == 0
    assert "planner_meta" not in info.row_counts


def test_path_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env.db"))
    assert resolve_database_path(tmp_path / "flag.db") == tmp_path / "flag.db"
    assert resolve_database_path(None) == tmp_path / "env.db"
    monkeypatch.delenv(ENV_VAR)
    assert resolve_database_path(None).name == "planner.db"
