"""Catalogue rows (prices, hardware, cost defaults, carbon) keyed by kind and natural key.

Runs on the thread that owns the connection. Storage does not validate rows: planning
does, before they get here. Shipped rows are inserted where no row with that key exists,
and replace a row a newer planner shipped differently (a corrected price, a new column)
only while it is still as shipped: re-seeding never overwrites what a user imported or
edited. An import replaces rows with the same key and adds the rest, all in one
transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from planner.storage.readback import stored_json
from planner.storage.transaction import write_transaction

SHIPPED = "shipped"
USER = "user"


@dataclass(frozen=True)
class StoredCatalogRow:
    kind: str
    key: str
    origin: str
    updated_at: str
    values: dict[str, Any]


@dataclass(frozen=True)
class ImportCounts:
    added: int
    replaced: int


class CatalogRepository:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def seed(self, kind: str, rows: Sequence[tuple[str, dict[str, Any]]]) -> int:
        """Insert shipped rows whose key is not present yet, and refresh stored rows that are
        still as shipped but differ; return how many were added or refreshed."""
        now = _now()
        with write_transaction(self._db.conn) as conn:
            before = conn.total_changes
            conn.executemany(
                "INSERT INTO catalog_rows(kind, key, origin, updated_at, row_json) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(kind, key) DO UPDATE SET "
                "row_json = excluded.row_json, updated_at = excluded.updated_at "
                "WHERE catalog_rows.origin = excluded.origin "
                "AND catalog_rows.row_json != excluded.row_json",
                [(kind, key, SHIPPED, now, _json(values)) for key, values in rows],
            )
            return conn.total_changes - before

    def upsert(self, kind: str, rows: Sequence[tuple[str, dict[str, Any]]]) -> ImportCounts:
        """Add or replace user rows, all or nothing."""
        now = _now()
        added = replaced = 0
        with write_transaction(self._db.conn) as conn:
            for key, values in rows:
                exists = conn.execute(
                    "SELECT 1 FROM catalog_rows WHERE kind = ? AND key = ?", (kind, key)
                ).fetchone()
                conn.execute(
                    "INSERT OR REPLACE INTO catalog_rows(kind, key, origin, updated_at, row_json) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (kind, key, USER, now, _json(values)),
                )
                replaced += bool(exists)
                added += not exists
        return ImportCounts(added=added, replaced=replaced)

    def rows(self, kind: str | None = None) -> list[StoredCatalogRow]:
        where, params = ("WHERE kind = ?", [kind]) if kind else ("", [])
        return [
            StoredCatalogRow(
                kind=row["kind"],
                key=row["key"],
                origin=row["origin"],
                updated_at=row["updated_at"],
                values=stored_json(row["row_json"], "catalog_rows.row_json"),
            )
            for row in self._db.query(
                f"SELECT * FROM catalog_rows {where} ORDER BY kind, key", params
            )
        ]


def _json(values: dict[str, Any]) -> str:
    return json.dumps(values, sort_keys=True)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
