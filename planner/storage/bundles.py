"""Write an assessment bundle: a database's measurements as one portable SQLite file.

Runs on the thread that owns the source connection (the CLI main thread). The bundle is
built in a temporary file beside the target and renamed over it only when complete and
sealed with its checksum, so a reader never sees a half-written bundle and an
interrupted export leaves no file behind. A run still marked ``running`` (its profile was
interrupted) is exported as ``cancelled`` with the points it finished.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from planner.core.errors import InputError, StorageError
from planner.core.text import check_name, invisible_char
from planner.storage.bundle_schema import (
    CHECKSUM_KEY,
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_NOTES_CHARS,
    MAX_SITE_CHARS,
    META_TABLE,
    TABLES,
    TABLES_BY_NAME,
    content_checksum,
)
from planner.storage.database import OpenedDatabase

INTERRUPTED_REASON = "interrupted before it finished; the bundle keeps the points measured"


@dataclass(frozen=True)
class BundleSite:
    """Who and where: written into the bundle's header."""

    site: str
    notes: str
    machine_fingerprint: str
    planner_version: str


@dataclass(frozen=True)
class WrittenBundle:
    path: Path
    bundle_id: str
    checksum: str
    counts: dict[str, int]


def write_bundle(opened: OpenedDatabase, out: Path, site: BundleSite) -> WrittenBundle:
    """Export every run of ``opened`` (with its machines and models) to ``out``."""
    _check_header_text(site)
    out = Path(out)
    if out.is_dir():
        raise InputError(f"{out} is a folder: give a file name for the bundle")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    except OSError as exc:
        raise StorageError(f"cannot write in {out.parent}: {exc.strerror}") from exc
    os.close(handle)
    temp = Path(temp_name)
    try:
        bundle_id, checksum, counts = _fill(opened.db.conn, temp, site)
        os.replace(temp, out)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return WrittenBundle(out, bundle_id, checksum, counts)


def _check_header_text(site: BundleSite) -> None:
    """Refuse at input what an importer would refuse: empty, long or invisible characters."""
    if not site.site.strip() or len(site.site) > MAX_SITE_CHARS:
        raise InputError(f"--site must be 1 to {MAX_SITE_CHARS} characters")
    check_name(site.site, "--site", MAX_SITE_CHARS)
    if len(site.notes) > MAX_NOTES_CHARS:
        raise InputError(f"--notes must be at most {MAX_NOTES_CHARS} characters")
    hidden = invisible_char(site.notes) or next(
        (c for c in site.notes if c < " " and c not in "\n\t" or c == "\x7f"), None
    )
    if hidden is not None:
        raise InputError(
            f"--notes contains the invisible or control character U+{ord(hidden):04X}; "
            "retype the notes without it"
        )


def _fill(
    source: sqlite3.Connection, temp: Path, site: BundleSite
) -> tuple[str, str, dict[str, Any]]:
    bundle_id = str(uuid.uuid4())
    conn = sqlite3.connect(temp, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("BEGIN")
        for table in TABLES:
            conn.execute(table.ddl)
        counts = _copy_content(source, conn, site.machine_fingerprint)
        header = {
            "format": FORMAT_NAME,
            "format_version": str(FORMAT_VERSION),
            "bundle_id": bundle_id,
            "planner_version": site.planner_version,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine_fingerprint": site.machine_fingerprint,
            "site": site.site.strip(),
            "notes": site.notes,
        }
        conn.executemany(f"INSERT INTO {META_TABLE}(key, value) VALUES (?, ?)", header.items())
        checksum = content_checksum(conn)
        conn.execute(
            f"INSERT INTO {META_TABLE}(key, value) VALUES (?, ?)", (CHECKSUM_KEY, checksum)
        )
        conn.execute("COMMIT")
    finally:
        conn.close()
    return bundle_id, checksum, counts


def _copy_content(
    source: sqlite3.Connection, dest: sqlite3.Connection, fingerprint: str
) -> dict[str, int]:
    """Copy runs, everything they refer to, the assessed machine, and the variant families
    of the measured models (both sides of each variant); count rows per table."""
    runs = [_closed(row) for row in _rows(source, "runs", "ORDER BY rowid")]
    assessed = _rows(source, "machines", "WHERE fingerprint = ?", (fingerprint,))
    machine_ids = sorted(
        {row["machine_id"] for row in runs if row["machine_id"]} | {m["id"] for m in assessed}
    )
    measured = sorted({row["model_id"] for row in runs})
    variants = [
        row
        for row in _rows(source, "variants", "ORDER BY rowid")
        if row["parent_model_id"] in measured or row["model_id"] in measured
    ]
    families = {row["parent_model_id"] for row in variants} | {
        row["model_id"] for row in variants if row["model_id"]
    }
    model_ids = sorted(set(measured) | families)
    run_ids = [row["id"] for row in runs]
    selected = {
        "machines": _rows_in(source, "machines", "id", machine_ids),
        "inventories": _rows_in(source, "inventories", "machine_id", machine_ids),
        "models": _rows_in(source, "models", "id", model_ids),
        "variants": variants,
        "runs": runs,
        "points": _rows_in(source, "points", "run_id", run_ids),
    }
    point_ids = [row["id"] for row in selected["points"]]
    selected["samples"] = _rows_in(source, "samples", "point_id", point_ids)
    selected["telemetry"] = _rows_in(source, "telemetry", "point_id", point_ids)
    for name, rows in selected.items():
        columns = TABLES_BY_NAME[name].column_names
        dest.executemany(
            f"INSERT INTO {name}({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            ([row[c] for c in columns] for row in rows),
        )
    return {name: len(rows) for name, rows in selected.items()}


def _closed(run: dict[str, Any]) -> dict[str, Any]:
    if run["status"] != "running":
        return run
    return {**run, "status": "cancelled", "failure_reason": INTERRUPTED_REASON}


def _rows(
    source: sqlite3.Connection, table: str, where: str, params: tuple[Any, ...] = ()
) -> list[dict[str, Any]]:
    columns = TABLES_BY_NAME[table].column_names
    cursor = source.execute(f"SELECT {', '.join(columns)} FROM {table} {where}", params)
    return [dict(zip(columns, row, strict=True)) for row in cursor]


def _rows_in(
    source: sqlite3.Connection, table: str, column: str, ids: list[str]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for start in range(0, len(ids), 500):
        chunk = tuple(ids[start : start + 500])
        where = f"WHERE {column} IN ({', '.join('?' * len(chunk))}) ORDER BY rowid"
        rows.extend(_rows(source, table, where, chunk))
    return rows
