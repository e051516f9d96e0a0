"""Scenarios (the TOML text as given) and the plans computed from them.

Runs on the thread that owns the connection. A scenario is stored once per distinct text
and name; every computation adds a plan row with the run ids it used and its full result,
so a report can later show exactly what was computed and from which measurements.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlite_utils

from planner.core.plan_result import PlanResult
from planner.storage.readback import stored_json
from planner.storage.transaction import write_transaction


@dataclass(frozen=True)
class StoredPlan:
    id: str
    scenario_id: str
    scenario_name: str
    computed_at: str
    planner_version: str
    run_ids: tuple[str, ...]
    result: PlanResult


class PlanRepository:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def save_scenario(self, name: str, text: str, source_path: str | None) -> str:
        """Store the scenario text (once per identical name and text); return its id."""
        digest = hashlib.sha256(f"{name}\0{text}".encode()).hexdigest()
        scenario_id = str(uuid.UUID(digest[:32]))
        with write_transaction(self._db.conn) as conn:
            conn.execute(
                "INSERT OR IGNORE INTO scenarios(id, name, source_path, text, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (scenario_id, name, source_path, text, _now()),
            )
        return scenario_id

    def save_plan(
        self,
        scenario_id: str,
        run_ids: tuple[str, ...],
        result: PlanResult,
        planner_version: str,
    ) -> str:
        plan_id = str(uuid.uuid4())
        with write_transaction(self._db.conn) as conn:
            conn.execute(
                "INSERT INTO plans(id, scenario_id, computed_at, planner_version, run_ids_json, "
                "result_json) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    plan_id,
                    scenario_id,
                    _now(),
                    planner_version,
                    json.dumps(list(run_ids)),
                    json.dumps(result.to_dict(), allow_nan=False),
                ),
            )
        return plan_id

    def scenario_text(self, scenario_id: str) -> tuple[str, str] | None:
        row = self._db.execute(
            "SELECT name, text FROM scenarios WHERE id = ?", [scenario_id]
        ).fetchone()
        return (row[0], row[1]) if row else None

    def plans(self) -> list[StoredPlan]:
        rows = self._db.query(
            "SELECT plans.*, scenarios.name AS scenario_name FROM plans "
            "JOIN scenarios ON scenarios.id = plans.scenario_id ORDER BY computed_at DESC"
        )
        return [
            StoredPlan(
                id=row["id"],
                scenario_id=row["scenario_id"],
                scenario_name=row["scenario_name"],
                computed_at=row["computed_at"],
                planner_version=row["planner_version"],
                run_ids=tuple(stored_json(row["run_ids_json"], "plans.run_ids_json")),
                result=PlanResult.from_dict(stored_json(row["result_json"], "plans.result_json")),
            )
            for row in rows
        ]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
