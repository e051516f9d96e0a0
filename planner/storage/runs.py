"""Profiling runs, their points, raw latency samples and telemetry.

Runs on the thread that owns the connection (the CLI main thread, or the GUI thread fed
by the worker listener). A run is written as it happens: ``begin`` when it starts,
``add_point`` for each finished point (each in its own transaction, so a crash later keeps
it), ``finish`` with the final status. ``save`` writes a complete result in one go.

``begin`` records the recording process (pid, start time, host). A ``running`` run whose
process is gone — killed, crashed, the machine lost power — can never finish, so listing
or loading runs first marks it ``interrupted``, keeping the points it stored.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

import numpy as np
import sqlite_utils

from planner.core.errors import StorageError
from planner.core.run import (
    PointResult,
    RunConfig,
    RunResult,
    TelemetrySeries,
    is_plannable,
    is_reportable,
)
from planner.storage.readback import stored_json, stored_shape
from planner.storage.run_owners import RunOwner, mark_orphans_interrupted
from planner.storage.transaction import write_transaction

SAMPLE_ENCODING = "float32-le"
SAMPLE_DTYPE = np.dtype("<f4")
SERIES_DTYPE = np.dtype("<f8")
_SUMMARY_EXCLUDED = ("id", "config", "points", "status", "failure_reason")


@dataclass(frozen=True)
class RunSummary:
    """One row of ``planner runs``: the run without its points."""

    id: str
    machine_id: str | None
    model_id: str
    model_name: str
    scenario: str
    provider: str
    status: str
    failure_reason: str
    started_at: str
    finished_at: str | None
    point_count: int

    @property
    def reportable(self) -> bool:
        return is_reportable(self.status, self.point_count)

    @property
    def plannable(self) -> bool:
        return is_plannable(self.status, self.scenario, self.point_count)


class RunRepository:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def begin(
        self,
        run_id: str,
        machine_id: str | None,
        model_id: str,
        config: RunConfig,
        started_at: str,
        provenance: RunResult | None = None,
        owner: RunOwner | None = None,
    ) -> None:
        """Insert the ``running`` row, owned by this process unless ``owner`` says otherwise.

        ``provenance`` (a result without points) stores what is known at the start —
        model, versions, dims and assumptions — so an interrupted run still shows them.
        """
        owner = owner or RunOwner.current()
        summary = _summary(provenance) if provenance is not None else {}
        with write_transaction(self._db.conn) as conn:
            conn.execute(
                "INSERT INTO runs(id, machine_id, model_id, scenario, provider, status, "
                "started_at, config_json, summary_json, owner_pid, owner_started, owner_host) "
                "VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    machine_id,
                    model_id,
                    config.scenario,
                    config.provider,
                    started_at,
                    json.dumps(config.to_dict(), sort_keys=True),
                    json.dumps(summary, sort_keys=True),
                    owner.pid,
                    owner.started,
                    owner.host,
                ),
            )

    def mark_interrupted(self) -> list[str]:
        """Mark every ``running`` run whose recording process is gone; their ids."""
        return mark_orphans_interrupted(self._db.conn)

    def add_point(self, run_id: str, seq: int, point: PointResult) -> str:
        with write_transaction(self._db.conn) as conn:
            return _insert_point(conn, run_id, seq, point)

    def finish(self, result: RunResult) -> None:
        """Record the final status and the run-level figures of ``result``."""
        with write_transaction(self._db.conn) as conn:
            _finish(conn, result)

    def save(self, result: RunResult, machine_id: str | None, model_id: str) -> None:
        """Write a complete run with all its points in one transaction."""
        with write_transaction(self._db.conn) as conn:
            conn.execute(
                "INSERT INTO runs(id, machine_id, model_id, scenario, provider, status, "
                "started_at, config_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    result.id,
                    machine_id,
                    model_id,
                    result.config.scenario,
                    result.config.provider,
                    result.status,
                    result.started_at,
                    json.dumps(result.config.to_dict(), sort_keys=True),
                ),
            )
            for seq, point in enumerate(result.points):
                _insert_point(conn, result.id, seq, point)
            _finish(conn, result)

    def all(self) -> list[RunSummary]:
        """Every run, newest first (runs whose process died are marked interrupted first)."""
        self.mark_interrupted()
        rows = self._db.query(
            "SELECT runs.*, models.name AS model_name, "
            "(SELECT count(*) FROM points WHERE points.run_id = runs.id) AS point_count "
            "FROM runs JOIN models ON models.id = runs.model_id ORDER BY started_at DESC"
        )
        return [
            RunSummary(
                id=row["id"],
                machine_id=row["machine_id"],
                model_id=row["model_id"],
                model_name=row["model_name"],
                scenario=row["scenario"],
                provider=row["provider"],
                status=row["status"],
                failure_reason=row["failure_reason"],
                started_at=row["started_at"],
                finished_at=row["finished_at"],
                point_count=row["point_count"],
            )
            for row in rows
        ]

    def resolve_id(self, prefix: str) -> str:
        """The full id of the one run whose id starts with ``prefix`` (as ``git`` does)."""
        cleaned = prefix.strip().lower()
        if len(cleaned) < 4:
            raise StorageError(f"run id {prefix!r} is too short: give at least 4 characters")
        matches = [
            row[0]
            for row in self._db.execute(
                "SELECT id FROM runs WHERE id LIKE ? ESCAPE '\\' LIMIT 3",
                [cleaned.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"],
            ).fetchall()
        ]
        if not matches:
            raise StorageError(f"no run with id {prefix!r}: `planner runs` lists them")
        if len(matches) > 1:
            raise StorageError(f"run id {prefix!r} is ambiguous: give more characters")
        return str(matches[0])

    def machine_of(self, run_id: str) -> str | None:
        row = self._db.execute("SELECT machine_id FROM runs WHERE id = ?", [run_id]).fetchone()
        return row[0] if row else None

    def load(self, run_id: str) -> RunResult:
        """The run with every point, its samples and its telemetry."""
        self.mark_interrupted()
        rows = list(self._db.query("SELECT * FROM runs WHERE id = ?", [run_id]))
        if not rows:
            raise StorageError(f"no run with id {run_id!r}: `planner runs` lists them")
        row = rows[0]
        data: dict[str, Any] = stored_json(row["summary_json"], "runs.summary_json")
        data.setdefault("finished_at", row["finished_at"] or "")
        data.update(
            id=row["id"],
            config=stored_json(row["config_json"], "runs.config_json"),
            status=row["status"],
            failure_reason=row["failure_reason"],
            started_at=row["started_at"],
            points=[],
        )
        for key, default in _RUNNING_DEFAULTS.items():
            data.setdefault(key, default)
        with stored_shape("runs.summary_json or runs.config_json"):
            result = RunResult.from_dict(data)
        points = tuple(self._load_point(p) for p in self._points_of(run_id))
        return RunResult(**{**_fields(result), "points": points})

    def _points_of(self, run_id: str) -> list[dict[str, Any]]:
        sql = "SELECT id, point_json FROM points WHERE run_id = ? ORDER BY seq"
        return list(self._db.query(sql, [run_id]))

    def _load_point(self, row: dict[str, Any]) -> PointResult:
        sample_row = self._db.execute(
            "SELECT data FROM samples WHERE point_id = ?", [row["id"]]
        ).fetchone()
        samples = (
            np.frombuffer(sample_row[0], dtype=SAMPLE_DTYPE).astype(np.float32)
            if sample_row
            else np.zeros(0, dtype=np.float32)
        )
        series = tuple(
            TelemetrySeries(
                name=t["name"],
                unit=t["unit"],
                t=np.frombuffer(t["t_data"], dtype=SERIES_DTYPE).copy(),
                values=np.frombuffer(t["v_data"], dtype=SERIES_DTYPE).copy(),
            )
            for t in self._db.query(
                "SELECT * FROM telemetry WHERE point_id = ? ORDER BY rowid", [row["id"]]
            )
        )
        data = stored_json(row["point_json"], "points.point_json")
        data["telemetry"] = []
        with stored_shape("points.point_json"):
            point = PointResult.from_dict(data, samples_ms=samples)
        return PointResult(**{**_fields(point), "telemetry": series})


_RUNNING_DEFAULTS: dict[str, Any] = {
    "model_sha256": "",
    "model_name": "",
    "model_path": "",
    "session_create_ms": None,
    "first_inference_ms": None,
    "versions": {},
    "dims_used": {},
}


def _fields(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}


def _insert_point(conn: sqlite3.Connection, run_id: str, seq: int, point: PointResult) -> str:
    point_id = f"{run_id}:{seq}"
    stats = point.stats
    data = point.to_dict(include_samples=False)
    data.pop("telemetry")
    conn.execute(
        "INSERT INTO points(id, run_id, seq, scenario, batch, concurrency, target_rate, "
        "throughput_ips, p50_ms, p90_ms, p99_ms, stable, energy_method, joules_per_inference, "
        "avg_power_w, point_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            point_id,
            run_id,
            seq,
            point.scenario,
            point.batch,
            point.concurrency,
            point.target_rate,
            data["throughput_ips"],
            stats.p50,
            stats.p90,
            stats.p99,
            int(point.stable),
            point.energy.method,
            data["energy"]["joules_per_inference"],
            data["energy"]["avg_power_w"],
            json.dumps(data, sort_keys=True),
        ),
    )
    samples = np.ascontiguousarray(point.samples_ms, dtype=SAMPLE_DTYPE)
    conn.execute(
        "INSERT INTO samples(point_id, count, encoding, data) VALUES (?, ?, ?, ?)",
        (point_id, int(samples.size), SAMPLE_ENCODING, samples.tobytes()),
    )
    for index, series in enumerate(point.telemetry):
        conn.execute(
            "INSERT INTO telemetry(id, point_id, name, unit, count, t_data, v_data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                f"{point_id}:{index}",
                point_id,
                series.name,
                series.unit,
                int(len(series.t)),
                np.ascontiguousarray(series.t, dtype=SERIES_DTYPE).tobytes(),
                np.ascontiguousarray(series.values, dtype=SERIES_DTYPE).tobytes(),
            ),
        )
    return point_id


def _summary(result: RunResult) -> dict[str, Any]:
    summary = result.to_dict(include_samples=False)
    for key in _SUMMARY_EXCLUDED:
        summary.pop(key, None)
    return summary


def _finish(conn: sqlite3.Connection, result: RunResult) -> None:
    summary = _summary(result)
    conn.execute(
        "UPDATE runs SET status = ?, failure_reason = ?, finished_at = ?, summary_json = ? "
        "WHERE id = ?",
        (
            result.status,
            result.failure_reason,
            result.finished_at,
            json.dumps(summary, sort_keys=True),
            result.id,
        ),
    )
