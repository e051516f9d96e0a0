"""The database's health: an integrity check, the backups beside it, and errors in words.

Runs on the calling thread (the CLI main thread, the GUI thread). SQLite reports a
damaged page, a read-only file or a lock held too long only when a statement meets it,
possibly long after the file opened cleanly; :func:`user_error` turns such an error into
one line that says what happened and what to do (run ``planner db check``, restore a
backup, copy a read-only file), so it never reaches the user as an internal error; a
stored value that cannot be read back (see :mod:`planner.storage.readback`) counts as
damage too. :func:`check_integrity` is ``planner db check``: it reads the file without
changing it, runs SQLite's check and then reads every stored value.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from planner.core.errors import StorageError
from planner.storage.database import (
    SQLITE_HEADER,
    connect_read_only,
    read_only_advice,
    read_only_message,
)
from planner.storage.readback import damage_in_value, unreadable_values

#: Problems listed by ``planner db check`` at most.
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class IntegrityReport:
    path: Path
    problems: tuple[str, ...]
    backups: tuple[Path, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def backups_of(path: Path) -> tuple[Path, ...]:
    """The copies planner made before each migration, newest first."""
    pattern = f"{path.stem}.schema*-backup-*{path.suffix or '.db'}"
    return tuple(sorted(path.parent.glob(pattern), key=lambda p: p.name, reverse=True))


def recovery_hint(path: Path) -> str:
    """How to get a sound database back: the newest backup, or SQLite's recovery."""
    backups = backups_of(path)
    if backups:
        return (
            f"restore the copy made before the last upgrade ({backups[0]}) by copying it over "
            "the damaged file (work since then is lost), or import your bundles into a new "
            "database with --db"
        )
    return (
        f"no pre-upgrade backup lies beside it: restore it from your own backup, or save what "
        f"SQLite can read with `sqlite3 {path} .recover | sqlite3 recovered.db`"
    )


def check_integrity(path: Path) -> IntegrityReport:
    """Run ``PRAGMA integrity_check`` on ``path`` read-only; StorageError if there is no file."""
    path = Path(path)
    if not path.is_file():
        raise StorageError(f"no database file at {path}: check --db or PLANNER_DB")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            return IntegrityReport(path, ("it is not a SQLite database",), backups_of(path))
    problems: tuple[str, ...]
    try:
        conn = connect_read_only(path)
        try:
            rows = conn.execute(f"PRAGMA integrity_check({MAX_PROBLEMS})").fetchall()
            lines = [line for row in rows for line in str(row[0]).splitlines()]
            problems = tuple(line for line in lines if line != "ok")[:MAX_PROBLEMS]
            if not problems:
                problems = tuple(unreadable_values(conn, MAX_PROBLEMS))
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        problems = (f"SQLite cannot read it: {exc}",)
    return IntegrityReport(path, problems, backups_of(path))


def refuse_if_damaged(conn: sqlite3.Connection, path: Path) -> None:
    """Before a command writes: StorageError (the damaged-database line) when SQLite's
    quick check finds the file's structure broken, so nothing is added to a damaged file.

    ``quick_check`` reads every page once without cross-checking indexes: milliseconds
    for a few MB, about a second for a few hundred.
    """
    try:
        rows = conn.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.DatabaseError as exc:  # so broken that the check itself cannot run
        raise user_error(exc, path) or StorageError(f"{path} cannot be read: {exc}") from None
    found = str(rows[0][0]) if rows else "ok"
    if found != "ok":
        raise StorageError(
            f"the database {path} is damaged ({found.splitlines()[0]}): run "
            f"`planner --db {path} db check` to see where; {recovery_hint(path)}"
        )


def user_error(exc: BaseException, path: Path) -> StorageError | None:
    """The one-line message for a SQLite error met while using ``path``, or None.

    Only conditions of the file or its surroundings are translated (damage, no write
    access, a lock held too long, a full disk, an I/O error); anything else, such as a
    mistake in a statement, is a programming error and stays one.
    """
    if not isinstance(exc, sqlite3.Error):
        return None
    name = getattr(exc, "sqlite_errorname", "") or ""
    damage = damage_in_value(exc)
    if damage or name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return StorageError(
            f"the database {path} is damaged ({damage or exc}): run "
            f"`planner --db {path} db check` to see where; {recovery_hint(path)}"
        )
    if name.startswith("SQLITE_READONLY"):
        return StorageError(read_only_message(path, str(exc)))
    if name.startswith("SQLITE_CANTOPEN"):
        return StorageError(
            f"cannot open {path} or create its -wal and -shm files beside it ({exc}); "
            f"if its folder is read-only, {read_only_advice()}"
        )
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StorageError(
            f"the database {path} stayed locked by another planner process ({exc}); "
            "try again when it has finished"
        )
    if name.startswith("SQLITE_FULL"):
        return StorageError(f"the disk holding {path} is full; free space and try again")
    if name.startswith("SQLITE_IOERR"):
        return StorageError(
            f"reading or writing {path} failed ({exc}): check the disk, then run "
            f"`planner --db {path} db check`"
        )
    return None
