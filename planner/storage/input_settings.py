"""Per-model input settings: the dims, integer ranges and input files a user saved once.

Runs on the thread that owns the connection. Keyed by the model's sha256, so the settings
follow the model's content wherever the file is moved, and are reused by ``planner
profile``, ``planner assess`` and the GUI's Profile page.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlite_utils

from planner.core.model import InputSettings
from planner.storage.readback import stored_json
from planner.storage.transaction import write_transaction


class InputSettingsRepository:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def save(self, sha256: str, settings: InputSettings) -> None:
        """Store ``settings`` for the model ``sha256`` (replacing earlier ones)."""
        saved_at = datetime.now(UTC).isoformat(timespec="seconds")
        with write_transaction(self._db.conn) as conn:
            conn.execute(
                "INSERT INTO model_input_settings(sha256, settings_json, saved_at) "
                "VALUES (?, ?, ?) ON CONFLICT(sha256) DO UPDATE SET "
                "settings_json = excluded.settings_json, saved_at = excluded.saved_at",
                (sha256, json.dumps(settings.to_dict(), sort_keys=True), saved_at),
            )

    def get(self, sha256: str) -> InputSettings | None:
        """The saved settings of model ``sha256``, or None."""
        row = self._db.execute(
            "SELECT settings_json FROM model_input_settings WHERE sha256 = ?", [sha256]
        ).fetchone()
        return (
            InputSettings.from_dict(stored_json(row[0], "model_input_settings.settings_json"))
            if row
            else None
        )

    def delete(self, sha256: str) -> bool:
        """Forget the settings of model ``sha256``; True when there were some."""
        with write_transaction(self._db.conn) as conn:
            cursor = conn.execute("DELETE FROM model_input_settings WHERE sha256 = ?", [sha256])
            return cursor.rowcount > 0
