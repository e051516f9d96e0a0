"""Ordered schema migrations. Migration N brings a database from version N-1 to N.

Runs inside the single write transaction opened by ``database._migrate``, on the thread
that opens the database. Migrations are append-only: never edit one that has shipped;
add the next instead, so every existing file follows the same path to the latest schema.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

APP_ID = "planner"
META_TABLE = "planner_meta"


def _v1_machines(conn: sqlite3.Connection) -> None:
    """The header table, machines and their inventories."""
    conn.execute(f"CREATE TABLE {META_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute(
        f"INSERT INTO {META_TABLE}(key, value) VALUES ('app', ?), ('created_at', ?)",
        (APP_ID, datetime.now(UTC).isoformat(timespec="seconds")),
    )
    conn.execute(
        """CREATE TABLE machines (
            id TEXT PRIMARY KEY,
            fingerprint TEXT NOT NULL UNIQUE,
            hostname TEXT NOT NULL,
            label TEXT,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL
        )"""
    )
    conn.execute(
        """CREATE TABLE inventories (
            id TEXT PRIMARY KEY,
            machine_id TEXT NOT NULL REFERENCES machines(id) ON DELETE CASCADE,
            content_hash TEXT NOT NULL,
            collected_at TEXT NOT NULL,
            inventory_json TEXT NOT NULL,
            UNIQUE (machine_id, content_hash)
        )"""
    )


def _v2_runs(conn: sqlite3.Connection) -> None:
    """Models, profiling runs, their points, raw latency samples and telemetry series.

    Samples and telemetry are float blobs (little-endian) rather than a row per value:
    a million samples is a 4 MB float32 blob, where rows would be ten times larger and slower.
    Points carry the headline numbers as columns so lists and filters need no JSON parsing.
    """
    conn.execute(
        """CREATE TABLE models (
            id TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            path TEXT NOT NULL,
            size_bytes INTEGER NOT NULL,
            added_at TEXT NOT NULL,
            info_json TEXT NOT NULL
        )"""
    )
    conn.execute(
        """CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            machine_id TEXT REFERENCES machines(id),
            model_id TEXT NOT NULL REFERENCES models(id),
            scenario TEXT NOT NULL,
            provider TEXT NOT NULL,
            status TEXT NOT NULL,
            failure_reason TEXT NOT NULL DEFAULT '',
            started_at TEXT NOT NULL,
            finished_at TEXT,
            config_json TEXT NOT NULL,
            summary_json TEXT NOT NULL DEFAULT '{}'
        )"""
    )
    conn.execute("CREATE INDEX runs_by_model ON runs(model_id, started_at)")
    conn.execute(
        """CREATE TABLE points (
            id TEXT PRIMARY KEY,
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            scenario TEXT NOT NULL,
            batch INTEGER NOT NULL,
            concurrency INTEGER NOT NULL,
            target_rate REAL,
            throughput_ips REAL,
            p50_ms REAL,
            p90_ms REAL,
            p99_ms REAL,
            stable INTEGER NOT NULL,
            energy_method TEXT NOT NULL,
            joules_per_inference REAL,
            avg_power_w REAL,
            point_json TEXT NOT NULL,
            UNIQUE (run_id, seq)
        )"""
    )
    conn.execute(
        """CREATE TABLE samples (
            point_id TEXT PRIMARY KEY REFERENCES points(id) ON DELETE CASCADE,
            count INTEGER NOT NULL,
            encoding TEXT NOT NULL,
            data BLOB NOT NULL
        )"""
    )
    conn.execute(
        """CREATE TABLE telemetry (
            id TEXT PRIMARY KEY,
            point_id TEXT NOT NULL REFERENCES points(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            unit TEXT NOT NULL,
            count INTEGER NOT NULL,
            t_data BLOB NOT NULL,
            v_data BLOB NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX telemetry_by_point ON telemetry(point_id)")


def _v3_catalogue_and_plans(conn: sqlite3.Connection) -> None:
    """Price, hardware, default and carbon catalogues; scenarios and computed plans.

    Catalogue rows are kept as validated JSON under their kind and natural key, with
    ``origin`` telling a row shipped with planner from one a user imported or edited.
    """
    conn.execute(
        """CREATE TABLE catalog_rows (
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            origin TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            row_json TEXT NOT NULL,
            PRIMARY KEY (kind, key)
        )"""
    )
    conn.execute(
        """CREATE TABLE scenarios (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            source_path TEXT,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    conn.execute(
        """CREATE TABLE plans (
            id TEXT PRIMARY KEY,
            scenario_id TEXT NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,
            computed_at TEXT NOT NULL,
            planner_version TEXT NOT NULL,
            run_ids_json TEXT NOT NULL,
            result_json TEXT NOT NULL
        )"""
    )


def _v4_sites_and_imports(conn: sqlite3.Connection) -> None:
    """Imported assessment bundles, and the site each machine was assessed at.

    One ``imports`` row per bundle (keyed by the bundle's own id, so importing it again
    adds nothing); ``machines.site`` is NULL for machines inventoried here.
    """
    conn.execute(
        """CREATE TABLE imports (
            id TEXT PRIMARY KEY,
            site TEXT NOT NULL,
            notes TEXT NOT NULL,
            bundle_created_at TEXT NOT NULL,
            planner_version TEXT NOT NULL,
            machine_fingerprint TEXT NOT NULL,
            checksum TEXT NOT NULL,
            source_file TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            counts_json TEXT NOT NULL
        )"""
    )
    conn.execute("ALTER TABLE machines ADD COLUMN site TEXT")
    conn.execute("ALTER TABLE runs ADD COLUMN import_id TEXT REFERENCES imports(id)")


def _v5_run_owner(conn: sqlite3.Connection) -> None:
    """Which process records a running run, so a run whose process died reads ``interrupted``.

    ``owner_pid`` and ``owner_started`` (the process's start time, seconds since the
    epoch) identify the recording process even after its pid is reused; ``owner_host``
    keeps a database shared between machines from judging another host's processes.
    """
    conn.execute("ALTER TABLE runs ADD COLUMN owner_pid INTEGER")
    conn.execute("ALTER TABLE runs ADD COLUMN owner_started REAL")
    conn.execute("ALTER TABLE runs ADD COLUMN owner_host TEXT")


def _v6_model_input_settings(conn: sqlite3.Connection) -> None:
    """Per-model input settings (dims, integer ranges, input files), keyed by model sha256."""
    conn.execute(
        """CREATE TABLE model_input_settings (
            sha256 TEXT PRIMARY KEY,
            settings_json TEXT NOT NULL,
            saved_at TEXT NOT NULL
        )"""
    )


def _v7_variants(conn: sqlite3.Connection) -> None:
    """Variants of a model (quantized, float16, pruned), each with the recipe and fidelity.

    A made variant is also a model (``model_id``), so it is profiled and planned like any
    other; a failed one keeps its reason and no model. The outcome (recipe, sizes and
    fidelity per output) is JSON; the headline fidelity figures are columns for listing.
    """
    conn.execute(
        """CREATE TABLE variants (
            id TEXT PRIMARY KEY,
            parent_model_id TEXT NOT NULL REFERENCES models(id) ON DELETE CASCADE,
            model_id TEXT REFERENCES models(id) ON DELETE SET NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT,
            created_at TEXT NOT NULL,
            cosine REAL,
            max_abs_error REAL,
            top1_agreement REAL,
            outcome_json TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX variants_by_parent ON variants(parent_model_id)")


Migration = Callable[[sqlite3.Connection], None]

MIGRATIONS: tuple[Migration, ...] = (
    _v1_machines,
    _v2_runs,
    _v3_catalogue_and_plans,
    _v4_sites_and_imports,
    _v5_run_owner,
    _v6_model_input_settings,
    _v7_variants,
)
SCHEMA_VERSION = len(MIGRATIONS)
