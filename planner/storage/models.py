"""Models known to planner, identified by the sha256 of their ONNX file.

Runs on the thread that owns the connection. The same file added twice (or from another
path) is one model; its latest path and name are kept, so a moved file still matches.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from planner.core.model import ModelInfo
from planner.storage.readback import stored_json
from planner.storage.transaction import write_transaction


@dataclass(frozen=True)
class StoredModel:
    id: str
    added_at: str
    info: ModelInfo


class ModelRepository:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def upsert(self, info: ModelInfo) -> str:
        """Store ``info`` (or refresh its path and name) and return the model id."""
        conn = self._db.conn
        payload = json.dumps(info.to_dict(), sort_keys=True)
        with write_transaction(conn):
            row = conn.execute("SELECT id FROM models WHERE sha256 = ?", (info.sha256,)).fetchone()
            if row:
                conn.execute(
                    "UPDATE models SET name = ?, path = ?, info_json = ? WHERE id = ?",
                    (info.name, info.path, payload, row[0]),
                )
                return str(row[0])
            model_id = str(uuid.uuid4())
            conn.execute(
                "INSERT INTO models(id, sha256, name, path, size_bytes, added_at, info_json) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    model_id,
                    info.sha256,
                    info.name,
                    info.path,
                    info.size_bytes,
                    datetime.now(UTC).isoformat(timespec="seconds"),
                    payload,
                ),
            )
        return model_id

    def all(self) -> list[StoredModel]:
        return [_stored(row) for row in self._db.query("SELECT * FROM models ORDER BY name")]

    def get(self, model_id: str) -> StoredModel | None:
        rows = list(self._db.query("SELECT * FROM models WHERE id = ?", [model_id]))
        return _stored(rows[0]) if rows else None

    def by_sha256(self, sha256: str) -> StoredModel | None:
        rows = list(self._db.query("SELECT * FROM models WHERE sha256 = ?", [sha256]))
        return _stored(rows[0]) if rows else None


def _stored(row: dict[str, Any]) -> StoredModel:
    return StoredModel(
        id=row["id"],
        added_at=row["added_at"],
        info=ModelInfo.from_dict(stored_json(row["info_json"], "models.info_json")),
    )
