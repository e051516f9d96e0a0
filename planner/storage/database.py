"""Open the planner SQLite file safely: validate, back up, migrate, configure.

Runs on whichever thread owns the connection (the GUI thread, or the CLI's main thread).
A file that is not a planner database, is corrupt, or was written by a newer planner is
refused *before* anything is written to it: it is inspected through a read-only
connection first, because even switching on WAL mode would change the file.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from planner.core.errors import StorageError
from planner.storage.migrations import APP_ID, META_TABLE, MIGRATIONS, SCHEMA_VERSION
from planner.storage.transaction import write_transaction

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class OpenedDatabase:
    """A ready connection plus what happened while opening it."""

    db: sqlite_utils.Database
    path: Path
    schema_version: int
    migrated_from: int | None
    backup_path: Path | None
    created: bool

    def close(self) -> None:
        self.db.conn.close()


def open_database(path: Path) -> OpenedDatabase:
    """Open (creating if needed) and migrate the planner database at ``path``."""
    path = Path(path)
    found_version = _inspect_existing(path) if path.exists() else 0
    if found_version > SCHEMA_VERSION:
        raise StorageError(
            f"{path} was written by a newer planner (schema {found_version}; this planner "
            f"knows up to {SCHEMA_VERSION}): upgrade planner or choose another file with --db"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot create the folder for {path}: {exc.strerror}") from exc
    backup = _backup(path, found_version) if 0 < found_version < SCHEMA_VERSION else None
    conn = _connect(path)
    try:
        _migrate(conn, found_version)
    except sqlite3.Error as exc:
        conn.close()
        raise StorageError(f"migrating {path} failed and was rolled back: {exc}") from exc
    return OpenedDatabase(
        db=sqlite_utils.Database(conn),
        path=path,
        schema_version=SCHEMA_VERSION,
        migrated_from=found_version if 0 < found_version < SCHEMA_VERSION else None,
        backup_path=backup,
        created=found_version == 0,
    )


def _inspect_existing(path: Path) -> int:
    """Return the schema version of an existing file, or raise if it is not ours."""
    if path.is_dir():
        raise StorageError(f"{path} is a folder, not a database file: give a file path with --db")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc.strerror}") from exc
    if not header:
        return 0
    if header != SQLITE_HEADER:
        raise StorageError(
            f"{path} is not a SQLite database: choose another file with --db or PLANNER_DB"
        )
    try:
        conn = _read_only(path)
        try:
            return _read_version(conn, path)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StorageError(
            f"{path} is damaged or unreadable ({exc}): restore it from a backup or "
            "choose another file with --db"
        ) from exc


def _read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write and, with no WAL in use, leaves no -wal/-shm files.

    ``immutable=1`` skips locking and shared memory; it is only safe while no other
    connection has a write-ahead log open, which the absence of the -wal file shows.
    """
    in_use = path.with_name(path.name + "-wal").exists()
    flag = "mode=ro" if in_use else "immutable=1"
    return sqlite3.connect(f"{path.resolve().as_uri()}?{flag}", uri=True)


def _read_version(conn: sqlite3.Connection, path: Path) -> int:
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables:
        return 0
    if META_TABLE not in tables:
        shown = ", ".join(sorted(tables)[:5])
        raise StorageError(
            f"{path} is not a planner database (it holds tables {shown}): "
            "choose another file with --db or PLANNER_DB"
        )
    rows = dict(conn.execute(f"SELECT key, value FROM {META_TABLE}").fetchall())
    if rows.get("app") != APP_ID or not str(rows.get("schema_version", "")).isdigit():
        raise StorageError(
            f"{path} has a damaged planner header: restore it from a backup or choose another file"
        )
    return int(rows["schema_version"])


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def _backup(path: Path, version: int) -> Path:
    """Copy the file with SQLite's backup API (consistent even with a WAL) before migrating."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.stem}.schema{version}-backup-{stamp}{path.suffix or '.db'}")
    source = _read_only(path)
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()
    return target


def _migrate(conn: sqlite3.Connection, found_version: int) -> None:
    """Apply every migration after ``found_version`` in one transaction."""
    if found_version == SCHEMA_VERSION:
        return
    with write_transaction(conn):
        current = _version_under_lock(conn)
        for version, migration in enumerate(MIGRATIONS, start=1):
            if version > current:
                migration(conn)
        conn.execute(
            f"INSERT OR REPLACE INTO {META_TABLE}(key, value) VALUES ('schema_version', ?)",
            (str(SCHEMA_VERSION),),
        )


def _version_under_lock(conn: sqlite3.Connection) -> int:
    """Re-read the version inside the write lock: another process may have migrated first."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (META_TABLE,)
    ).fetchone()
    if not exists:
        return 0
    row = conn.execute(f"SELECT value FROM {META_TABLE} WHERE key='schema_version'").fetchone()
    return int(row[0]) if row else 0
