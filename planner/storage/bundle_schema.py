"""The assessment-bundle file format: its tables, limits and content checksum.

Pure definitions plus one hashing function; used by the bundle writer and by the
validator that reads untrusted bundles, on whichever thread calls them. A bundle is a
SQLite file holding exactly these tables, created from the DDL generated here, so a
reader can demand that ``sqlite_master`` matches it statement for statement.

Checksum: sha256 over every table in ``TABLES`` order (``bundle_meta`` without its
``checksum`` row), rows ordered by primary key, each value written with a type tag and,
for text and blobs, its length; stored as ``sha256:<hex>`` under the ``checksum`` key.
"""

from __future__ import annotations

import hashlib
import sqlite3
import struct
from dataclasses import dataclass

FORMAT_NAME = "planner-assessment-bundle"
#: Version 2 added the ``variants`` table; version 1 bundles (without it) still import.
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
META_TABLE = "bundle_meta"
CHECKSUM_KEY = "checksum"
META_KEYS = (
    "format",
    "format_version",
    "bundle_id",
    "planner_version",
    "created_at",
    "machine_fingerprint",
    "site",
    "notes",
    CHECKSUM_KEY,
)

MAX_BUNDLE_BYTES = 1 << 30
MAX_BLOB_BYTES = 64 << 20
MAX_JSON_CHARS = 1 << 20
MAX_SHORT_TEXT = 256
MAX_SITE_CHARS = 200
MAX_NOTES_CHARS = 10_000
MAX_REASON_CHARS = 4_000
MAX_PATH_CHARS = 4_096


@dataclass(frozen=True)
class Column:
    """One column: SQL type, whether NULL is allowed, and the longest text accepted."""

    name: str
    sql_type: str  # TEXT | INTEGER | REAL | BLOB
    nullable: bool = False
    max_chars: int = MAX_SHORT_TEXT


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    unique: tuple[str, ...] = ()
    max_rows: int = 1_000_000

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def ddl(self) -> str:
        parts = [f"{c.name} {c.sql_type}{'' if c.nullable else ' NOT NULL'}" for c in self.columns]
        parts.append(f"PRIMARY KEY ({', '.join(self.key)})")
        parts.extend(f"UNIQUE ({name})" for name in self.unique)
        return f"CREATE TABLE {self.name} ({', '.join(parts)})"


def _text(name: str, nullable: bool = False, max_chars: int = MAX_SHORT_TEXT) -> Column:
    return Column(name, "TEXT", nullable, max_chars)


def _json(name: str) -> Column:
    return Column(name, "TEXT", False, MAX_JSON_CHARS)


def _int(name: str) -> Column:
    return Column(name, "INTEGER")


def _real(name: str) -> Column:
    return Column(name, "REAL", nullable=True)


def _blob(name: str) -> Column:
    return Column(name, "BLOB")


TABLES: tuple[Table, ...] = (
    Table(
        META_TABLE,
        (_text("key"), _text("value", max_chars=MAX_NOTES_CHARS)),
        ("key",),
        max_rows=len(META_KEYS),
    ),
    Table(
        "machines",
        (
            _text("id"),
            _text("fingerprint"),
            _text("hostname"),
            _text("label", nullable=True),
            _text("first_seen"),
            _text("last_seen"),
        ),
        ("id",),
        unique=("fingerprint",),
        max_rows=1_000,
    ),
    Table(
        "inventories",
        (
            _text("id"),
            _text("machine_id"),
            _text("content_hash"),
            _text("collected_at"),
            _json("inventory_json"),
        ),
        ("id",),
        max_rows=10_000,
    ),
    Table(
        "models",
        (
            _text("id"),
            _text("sha256"),
            _text("name"),
            _text("path", max_chars=MAX_PATH_CHARS),
            _int("size_bytes"),
            _text("added_at"),
            _json("info_json"),
        ),
        ("id",),
        unique=("sha256",),
        max_rows=10_000,
    ),
    Table(
        "runs",
        (
            _text("id"),
            _text("machine_id", nullable=True),
            _text("model_id"),
            _text("scenario"),
            _text("provider"),
            _text("status"),
            _text("failure_reason", max_chars=MAX_REASON_CHARS),
            _text("started_at"),
            _text("finished_at", nullable=True),
            _json("config_json"),
            _json("summary_json"),
        ),
        ("id",),
        max_rows=100_000,
    ),
    Table(
        "points",
        (
            _text("id"),
            _text("run_id"),
            _int("seq"),
            _text("scenario"),
            _int("batch"),
            _int("concurrency"),
            _real("target_rate"),
            _real("throughput_ips"),
            _real("p50_ms"),
            _real("p90_ms"),
            _real("p99_ms"),
            _int("stable"),
            _text("energy_method"),
            _real("joules_per_inference"),
            _real("avg_power_w"),
            _json("point_json"),
        ),
        ("id",),
    ),
    Table(
        "samples",
        (_text("point_id"), _int("count"), _text("encoding"), _blob("data")),
        ("point_id",),
    ),
    Table(
        "telemetry",
        (
            _text("id"),
            _text("point_id"),
            _text("name"),
            _text("unit"),
            _int("count"),
            _blob("t_data"),
            _blob("v_data"),
        ),
        ("id",),
        max_rows=5_000_000,
    ),
    Table(
        "variants",
        (
            _text("id"),
            _text("parent_model_id"),
            _text("model_id", nullable=True),
            _text("kind"),
            _text("status"),
            _text("reason", nullable=True, max_chars=MAX_REASON_CHARS),
            _text("created_at"),
            _real("cosine"),
            _real("max_abs_error"),
            _real("top1_agreement"),
            _json("outcome_json"),
        ),
        ("id",),
        max_rows=10_000,
    ),
)
TABLES_BY_NAME = {table.name: table for table in TABLES}
_ADDED_IN = {"variants": 2}


def tables_for(version: int) -> tuple[Table, ...]:
    """The tables a bundle of format ``version`` holds."""
    return tuple(t for t in TABLES if _ADDED_IN.get(t.name, 1) <= version)


def content_checksum(conn: sqlite3.Connection, version: int = FORMAT_VERSION) -> str:
    """``sha256:<hex>`` of the content of a bundle of format ``version`` (see the module
    docstring)."""
    digest = hashlib.sha256()
    for table in tables_for(version):
        digest.update(b"T" + _encode(table.name))
        where = f" WHERE key != '{CHECKSUM_KEY}'" if table.name == META_TABLE else ""
        sql = (
            f"SELECT {', '.join(table.column_names)} FROM {table.name}{where} "
            f"ORDER BY {', '.join(table.key)}"
        )
        for row in conn.execute(sql):
            digest.update(b"R")
            for value in row:
                digest.update(_encode(value))
    return f"sha256:{digest.hexdigest()}"


def _encode(value: object) -> bytes:
    if value is None:
        return b"N"
    if isinstance(value, int):
        return b"I" + struct.pack("<q", value)
    if isinstance(value, float):
        return b"F" + struct.pack("<d", value)
    if isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        return b"S" + struct.pack("<Q", len(data)) + data
    if isinstance(value, bytes):
        return b"B" + struct.pack("<Q", len(value)) + value
    raise TypeError(f"unexpected value type {type(value).__name__}")
