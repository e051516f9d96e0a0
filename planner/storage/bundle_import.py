"""Merge a validated assessment bundle into the planner database, and list what came in.

Runs on the thread that owns the connection. The whole merge is one write transaction:
a bundle is added completely or not at all. Machines and models are matched by their
natural keys (fingerprint, file sha256), so a machine or model already known keeps its
id; runs and their points keep the bundle's UUIDs and are inserted only when new, so
importing the same bundle twice adds nothing. Points are only ever attached to runs
this import added, never to runs already in the database.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from planner.core.errors import StorageError
from planner.storage.bundle_schema import TABLES_BY_NAME
from planner.storage.bundle_validate import BundleHeader, OpenedBundle, open_bundle
from planner.storage.database import OpenedDatabase
from planner.storage.readback import stored_json
from planner.storage.transaction import write_transaction


@dataclass(frozen=True)
class ImportCounts:
    machines: int = 0
    inventories: int = 0
    models: int = 0
    runs: int = 0
    points: int = 0


@dataclass(frozen=True)
class ImportOutcome:
    path: Path
    header: BundleHeader
    added: ImportCounts
    already_imported: bool


@dataclass(frozen=True)
class StoredImport:
    id: str
    site: str
    notes: str
    bundle_created_at: str
    imported_at: str
    machine_fingerprint: str
    source_file: str
    added: ImportCounts


def import_bundle(opened: OpenedDatabase, path: Path) -> ImportOutcome:
    """Validate ``path`` and merge it; raise StorageError (nothing written) if it is bad."""
    bundle = open_bundle(path)
    try:
        with write_transaction(opened.db.conn) as conn:
            return _merge(conn, bundle)
    finally:
        bundle.close()


class ImportRepository:
    """The imports recorded so far, newest first (sites for the Results page)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def all(self) -> list[StoredImport]:
        return [
            StoredImport(
                id=row["id"],
                site=row["site"],
                notes=row["notes"],
                bundle_created_at=row["bundle_created_at"],
                imported_at=row["imported_at"],
                machine_fingerprint=row["machine_fingerprint"],
                source_file=row["source_file"],
                added=ImportCounts(**stored_json(row["counts_json"], "imports.counts_json")),
            )
            for row in self._db.query("SELECT * FROM imports ORDER BY imported_at DESC, id")
        ]

    def site_of_machine(self, machine_id: str) -> str | None:
        row = self._db.execute("SELECT site FROM machines WHERE id = ?", [machine_id]).fetchone()
        return row[0] if row else None


def _merge(conn: sqlite3.Connection, bundle: OpenedBundle) -> ImportOutcome:
    header = bundle.header
    known = conn.execute("SELECT 1 FROM imports WHERE id = ?", (header.bundle_id,)).fetchone()
    if known:
        return ImportOutcome(bundle.path, header, ImportCounts(), already_imported=True)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    conn.execute(
        "INSERT INTO imports(id, site, notes, bundle_created_at, planner_version, "
        "machine_fingerprint, checksum, source_file, imported_at, counts_json) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '{}')",
        (
            header.bundle_id,
            header.site,
            header.notes,
            header.created_at,
            header.planner_version,
            header.machine_fingerprint,
            header.checksum,
            bundle.path.name,
            now,
        ),
    )
    machines, added_machines = _match(conn, bundle, "machines", "fingerprint", header.site)
    inventories = 0
    for row in bundle.rows("inventories"):
        row["machine_id"] = machines[row["machine_id"]]
        inventories += _insert(conn, "inventories", row)
    models, added_models = _match(conn, bundle, "models", "sha256", None)
    new_runs: set[str] = set()
    for row in bundle.rows("runs"):
        row["machine_id"] = machines.get(row["machine_id"]) if row["machine_id"] else None
        row["model_id"] = models[row["model_id"]]
        if _insert(conn, "runs", row, import_id=header.bundle_id):
            new_runs.add(row["id"])
    points = _insert_children(conn, bundle, new_runs)
    for row in bundle.rows("variants"):
        row["parent_model_id"] = models[row["parent_model_id"]]
        row["model_id"] = models[row["model_id"]] if row["model_id"] else None
        _insert(conn, "variants", row)
    counts = ImportCounts(added_machines, inventories, added_models, len(new_runs), points)
    conn.execute(
        "UPDATE imports SET counts_json = ? WHERE id = ?",
        (json.dumps(asdict(counts)), header.bundle_id),
    )
    return ImportOutcome(bundle.path, header, counts, already_imported=False)


def _match(
    conn: sqlite3.Connection, bundle: OpenedBundle, table: str, natural: str, site: str | None
) -> tuple[dict[str, str], int]:
    """Map each bundle id to the database id of the same natural key, adding the new ones."""
    mapping: dict[str, str] = {}
    added = 0
    for row in bundle.rows(table):
        found = conn.execute(
            f"SELECT id FROM {table} WHERE {natural} = ?", (row[natural],)
        ).fetchone()
        if found:
            mapping[row["id"]] = found[0]
            continue
        clash = conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row["id"],)).fetchone()
        if clash:
            raise StorageError(
                f"bundle {bundle.path.name} rejected: its {table} id {row['id']} is already "
                f"used by another {natural}"
            )
        extra = {"site": site} if table == "machines" else {}
        _insert(conn, table, row, **extra)
        mapping[row["id"]] = row["id"]
        added += 1
    return mapping, added


def _insert_children(conn: sqlite3.Connection, bundle: OpenedBundle, new_runs: set[str]) -> int:
    new_points: set[str] = set()
    for row in bundle.rows("points"):
        if row["run_id"] in new_runs and _insert(conn, "points", row):
            new_points.add(row["id"])
    for table in ("samples", "telemetry"):
        for row in bundle.rows(table):
            if row["point_id"] in new_points:
                _insert(conn, table, row)
    return len(new_points)


def _insert(conn: sqlite3.Connection, table: str, row: dict[str, Any], **extra: object) -> int:
    values = {name: row[name] for name in TABLES_BY_NAME[table].column_names} | extra
    names = ", ".join(values)
    marks = ", ".join("?" * len(values))
    cursor = conn.execute(
        f"INSERT OR IGNORE INTO {table}({names}) VALUES ({marks})", tuple(values.values())
    )
    return cursor.rowcount
