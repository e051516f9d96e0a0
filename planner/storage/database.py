"""Open the planner SQLite file safely: validate, back up, migrate, configure.

Runs on whichever thread owns the connection (the GUI thread, or the CLI's main thread).
A file that is not a planner database, is corrupt, or was written by a newer planner is
refused *before* anything is written to it: it is inspected through a read-only
connection first, because even switching on WAL mode would change the file. A path that
is a pipe or a device is refused before anything opens it (opening a FIFO blocks for
ever). A file planner may not write (read-only mount, immutable or read-only file) is
refused by :func:`open_database` with the commands that still work, and opened by
:func:`open_database_read_only` for those commands.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from planner.core.errors import StorageError
from planner.core.files import check_input_file, path_kind
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
    read_only: bool = False

    def close(self) -> None:
        self.db.conn.close()


def open_database(path: Path) -> OpenedDatabase:
    """Open (creating if needed) and migrate the planner database at ``path``."""
    path = Path(path)
    exists = _existing_regular_file(path)
    found_version = _inspect_existing(path) if exists else 0
    if exists and not is_writable(path):
        raise StorageError(read_only_message(path))
    if found_version > SCHEMA_VERSION:
        raise StorageError(
            f"{path} was written by a newer planner (schema {found_version}; this planner "
            f"knows up to {SCHEMA_VERSION}): upgrade planner or choose another file with --db"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot create the folder for {path}: {exc.strerror}") from exc
    if not exists and not os.access(path.parent, os.W_OK | os.X_OK):
        raise StorageError(
            f"cannot create the database {path}: its folder is read-only; "
            "choose another place with --db or PLANNER_DB"
        )
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


def open_database_read_only(path: Path) -> OpenedDatabase:
    """Open an existing, current planner database for reading only; nothing is written.

    For commands that only read (listing, showing, reporting) when the file cannot be
    written; a file that would need migrating first is refused, naming the fix.
    """
    path = Path(path)
    if not _existing_regular_file(path):
        raise StorageError(f"no planner database at {path}: check --db or PLANNER_DB")
    found_version = _inspect_existing(path)
    if found_version != SCHEMA_VERSION:
        raise StorageError(
            f"{path} is read-only and holds schema {found_version}, which this planner must "
            f"upgrade to {SCHEMA_VERSION} before reading it: copy it to a writable folder "
            "and open the copy with --db"
        )
    conn = connect_read_only(path)
    conn.execute("PRAGMA query_only = ON")
    return OpenedDatabase(
        db=sqlite_utils.Database(conn),
        path=path,
        schema_version=SCHEMA_VERSION,
        migrated_from=None,
        backup_path=None,
        created=False,
        read_only=True,
    )


#: Commands that work on a database planner cannot write.
READ_ONLY_COMMANDS = "runs, show, report, catalog list, catalog export, db info and db check"


def read_only_message(path: Path, detail: str = "") -> str:
    """One line: the file cannot be written, what still works, and how to get a writable one."""
    why = f" ({detail})" if detail else ""
    return f"{path} is read-only{why}: {read_only_advice()}"


def read_only_advice() -> str:
    return (
        f"planner cannot change it, but {READ_ONLY_COMMANDS} still work; to change it, "
        "copy it to a writable folder and use the copy with --db"
    )


def is_writable(path: Path) -> bool:
    """Whether planner may write ``path`` and create its -wal and -shm files beside it.

    ``os.access`` sees read-only mounts and immutable files even for root, where
    permission bits alone would not stop a write.
    """
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _existing_regular_file(path: Path) -> bool:
    """True for a regular file, False when nothing is there; a folder, pipe or device raises."""
    try:
        if path_kind(path) == "absent":
            return False
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc.strerror}") from exc
    check_input_file(path, "database", StorageError)
    return True


def _inspect_existing(path: Path) -> int:
    """Return the schema version of an existing file, or raise if it is not ours."""
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
        conn = connect_read_only(path)
        try:
            return _read_version(conn, path)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StorageError(
            f"{path} is damaged or unreadable ({exc}): restore it from a backup or "
            "choose another file with --db"
        ) from exc


def connect_read_only(path: Path) -> sqlite3.Connection:
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
    source = connect_read_only(path)
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
