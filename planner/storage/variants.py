"""Model variants: which model each was made from, how, and how close it stays.

Runs on the thread that owns the connection. Each attempt to make a variant is kept, made
or failed, so a comparison can show what was tried; the made ones point at the model row
of the variant file.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from planner.core.variant import VariantOutcome
from planner.storage.readback import stored_json
from planner.storage.transaction import write_transaction


@dataclass(frozen=True)
class StoredVariant:
    id: str
    parent_model_id: str
    model_id: str | None
    created_at: str
    outcome: VariantOutcome


class VariantRepository:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def save(self, parent_model_id: str, outcome: VariantOutcome, model_id: str | None) -> str:
        """Store one attempt (made or failed) and return its id."""
        variant_id = str(uuid.uuid4())
        fidelity = outcome.fidelity
        with write_transaction(self._db.conn) as conn:
            conn.execute(
                "INSERT INTO variants(id, parent_model_id, model_id, kind, status, reason, "
                "created_at, cosine, max_abs_error, top1_agreement, outcome_json) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    variant_id,
                    parent_model_id,
                    model_id,
                    outcome.kind.value,
                    outcome.status.value,
                    outcome.reason,
                    datetime.now(UTC).isoformat(timespec="microseconds"),
                    None if fidelity is None else fidelity.cosine,
                    None if fidelity is None else fidelity.max_abs_error,
                    None if fidelity is None else fidelity.top1_agreement,
                    json.dumps(outcome.to_dict(), allow_nan=False),
                ),
            )
        return variant_id

    def of_parent(self, parent_model_id: str) -> list[StoredVariant]:
        """Every attempt made from ``parent_model_id``, oldest first."""
        rows = self._db.query(
            "SELECT * FROM variants WHERE parent_model_id = ? ORDER BY created_at, id",
            [parent_model_id],
        )
        return [_stored(row) for row in rows]

    def all(self) -> list[StoredVariant]:
        rows = self._db.query("SELECT * FROM variants ORDER BY created_at, id")
        return [_stored(row) for row in rows]

    def parent_of(self, model_id: str) -> str | None:
        """The model ``model_id`` was made from, if it is a variant."""
        row = self._db.execute(
            "SELECT parent_model_id FROM variants WHERE model_id = ?", [model_id]
        ).fetchone()
        return None if row is None else str(row[0])


def _stored(row: dict[str, Any]) -> StoredVariant:
    return StoredVariant(
        id=row["id"],
        parent_model_id=row["parent_model_id"],
        model_id=row["model_id"],
        created_at=row["created_at"],
        outcome=VariantOutcome.from_dict(stored_json(row["outcome_json"], "variants.outcome_json")),
    )
