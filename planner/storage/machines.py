"""Machines and their inventories: store each machine once, each changed inventory once.

Runs on the thread that owns the connection. A machine is identified by its stable
fingerprint; a new inventory row is written only when the inventory's content hash
differs from every one stored for that machine, so re-running ``planner hardware`` on an
unchanged machine adds nothing.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from planner.core.machine import Inventory
from planner.storage.readback import stored_json
from planner.storage.transaction import write_transaction


@dataclass(frozen=True)
class StoredMachine:
    """A machine row with its most recent inventory."""

    id: str
    fingerprint: str
    hostname: str
    first_seen: str
    last_seen: str
    inventory: Inventory


class MachineRepository:
    """Reads and writes ``machines`` and ``inventories``."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def save_inventory(self, inventory: Inventory) -> str:
        """Record ``inventory`` and return its machine's id (new or existing)."""
        conn = self._db.conn
        seen = inventory.collected_at
        with write_transaction(conn):
            row = conn.execute(
                "SELECT id FROM machines WHERE fingerprint = ?", (inventory.fingerprint,)
            ).fetchone()
            if row:
                machine_id = str(row[0])
                conn.execute(
                    "UPDATE machines SET last_seen = max(last_seen, ?), hostname = ? WHERE id = ?",
                    (seen, inventory.hostname, machine_id),
                )
            else:
                machine_id = str(uuid.uuid4())
                conn.execute(
                    "INSERT INTO machines(id, fingerprint, hostname, first_seen, last_seen) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (machine_id, inventory.fingerprint, inventory.hostname, seen, seen),
                )
            conn.execute(
                "INSERT OR IGNORE INTO inventories"
                "(id, machine_id, content_hash, collected_at, inventory_json)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    str(uuid.uuid4()),
                    machine_id,
                    inventory.content_hash(),
                    seen,
                    json.dumps(inventory.to_dict(), sort_keys=True),
                ),
            )
        return machine_id

    def all(self) -> list[StoredMachine]:
        """Every machine with its latest inventory, most recently seen first."""
        return [
            self._with_inventory(row)
            for row in self._db.query("SELECT * FROM machines ORDER BY last_seen DESC")
        ]

    def get(self, machine_id: str) -> StoredMachine | None:
        rows = list(self._db.query("SELECT * FROM machines WHERE id = ?", [machine_id]))
        return self._with_inventory(rows[0]) if rows else None

    def inventory_count(self, machine_id: str) -> int:
        return int(
            self._db.execute(
                "SELECT count(*) FROM inventories WHERE machine_id = ?", [machine_id]
            ).fetchone()[0]
        )

    def _with_inventory(self, row: dict[str, Any]) -> StoredMachine:
        latest = self._db.execute(
            "SELECT inventory_json FROM inventories WHERE machine_id = ? "
            "ORDER BY collected_at DESC LIMIT 1",
            [row["id"]],
        ).fetchone()
        return StoredMachine(
            id=row["id"],
            fingerprint=row["fingerprint"],
            hostname=row["hostname"],
            first_seen=row["first_seen"],
            last_seen=row["last_seen"],
            inventory=Inventory.from_dict(stored_json(latest[0], "inventories.inventory_json")),
        )
