"""Open an untrusted assessment bundle read-only and prove it is what it claims to be.

Runs on the importing thread. A bundle comes from elsewhere, so nothing in it is
honoured: it is opened ``immutable`` and query-only with an untrusted schema, its
``sqlite_master`` must match the bundle format's DDL statement for statement (no views,
triggers or extra tables, whose code could otherwise run), row counts and sizes are
capped, the content checksum must match, and every row must pass the value checks.
Any failure raises one :class:`StorageError` line: ``bundle NAME rejected: reason``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.core.errors import InputError, StorageError
from planner.core.files import check_input_file
from planner.storage import bundle_schema as fmt
from planner.storage import bundle_values as check
from planner.storage.bundle_values import BundleInvalid

SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class BundleHeader:
    """The bundle's ``bundle_meta`` rows, validated."""

    bundle_id: str
    format_version: int
    planner_version: str
    created_at: str
    machine_fingerprint: str
    site: str
    notes: str
    checksum: str


@dataclass
class OpenedBundle:
    """A validated bundle: its read-only connection and header. Close it when done."""

    path: Path
    conn: sqlite3.Connection
    header: BundleHeader

    def rows(self, table: str) -> Iterator[dict[str, Any]]:
        """The rows of ``table``; none when the bundle's format version lacks it."""
        if table not in {t.name for t in fmt.tables_for(self.header.format_version)}:
            return
        spec = fmt.TABLES_BY_NAME[table]
        sql = f"SELECT {', '.join(spec.column_names)} FROM {table} ORDER BY {', '.join(spec.key)}"
        for values in self.conn.execute(sql):
            yield dict(zip(spec.column_names, values, strict=True))

    def close(self) -> None:
        self.conn.close()


def open_bundle(path: Path) -> OpenedBundle:
    """Validate the bundle at ``path`` and return it open; raise a one-line reason if bad."""
    path = Path(path)
    try:
        _check_file(path)
        conn = _connect(path)
    except BundleInvalid as exc:
        raise StorageError(f"bundle {path.name} rejected: {exc}") from None
    try:
        header = _validate(conn)
    except BundleInvalid as exc:
        conn.close()
        raise StorageError(f"bundle {path.name} rejected: {exc}") from None
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StorageError(
            f"bundle {path.name} rejected: the file is damaged or truncated ({exc})"
        ) from None
    return OpenedBundle(path, conn, header)


def _check_file(path: Path) -> None:
    """A regular file of plausible size and header; a FIFO or device is never opened."""
    try:
        check_input_file(path, "bundle")
    except InputError as exc:
        raise BundleInvalid(str(exc)) from None
    size = path.stat().st_size
    if size > fmt.MAX_BUNDLE_BYTES:
        raise BundleInvalid(f"it is {size} bytes, more than the {fmt.MAX_BUNDLE_BYTES} allowed")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BundleInvalid("it is not a SQLite file")
    if size % 512:
        raise BundleInvalid("the file is truncated (its size is not a whole number of pages)")


def _connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, fmt.MAX_BLOB_BYTES + 1024)
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.Error as exc:
        raise BundleInvalid(f"SQLite cannot open it ({exc})") from None
    return conn


def _validate(conn: sqlite3.Connection) -> BundleHeader:
    problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
    if problems != ["ok"]:
        raise BundleInvalid(f"the file is damaged ({problems[0][:100]})")
    entries = conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    _check_meta_table(entries)
    header = _read_header(conn)
    tables = fmt.tables_for(header.format_version)
    _check_schema(conn, entries, tables)
    for table in tables:
        count = conn.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0]
        if count > table.max_rows:
            raise BundleInvalid(f"table {table.name} has {count} rows (at most {table.max_rows})")
    actual = fmt.content_checksum(conn, header.format_version)
    if actual != header.checksum:
        raise BundleInvalid("checksum mismatch: the content was changed or damaged after export")
    _check_rows(conn, header.format_version)
    return header


def _check_meta_table(entries: list[tuple[Any, ...]]) -> None:
    meta = [e for e in entries if e[1] == fmt.META_TABLE]
    if not meta:
        raise BundleInvalid("it is not a planner assessment bundle (no bundle_meta table)")
    expected = fmt.TABLES_BY_NAME[fmt.META_TABLE].ddl
    if meta[0][0] != "table" or meta[0][2] != expected:
        raise BundleInvalid("its bundle_meta table is not defined as the bundle format defines it")


def _read_header(conn: sqlite3.Connection) -> BundleHeader:
    meta: dict[str, str] = {}
    for key, value in conn.execute(f"SELECT key, value FROM {fmt.META_TABLE}"):
        check.check_text("a header key", key, fmt.MAX_SHORT_TEXT)
        check.check_text(f"header {key}", value, fmt.MAX_NOTES_CHARS, multiline=key == "notes")
        meta[key] = value
    if meta.get("format") != fmt.FORMAT_NAME:
        raise BundleInvalid("it is not a planner assessment bundle (wrong format name)")
    version = meta.get("format_version", "")
    if not version.isdigit() or int(version) not in fmt.READABLE_VERSIONS:
        readable = " and ".join(str(v) for v in fmt.READABLE_VERSIONS)
        raise BundleInvalid(
            f"bundle format version {version[:20]!r} is not supported "
            f"(this planner reads versions {readable}); update planner to import it"
        )
    if set(meta) != set(fmt.META_KEYS):
        missing = sorted(set(fmt.META_KEYS) - set(meta)) or sorted(set(meta) - set(fmt.META_KEYS))
        raise BundleInvalid(f"its header keys are not the expected ones ({missing[0][:40]!r})")
    check.check_uuid("bundle_id", meta["bundle_id"])
    check.check_time("created_at", meta["created_at"])
    check.check_hex64("machine_fingerprint", meta["machine_fingerprint"])
    check.check_text("header planner_version", meta["planner_version"], 40)
    check.check_text("header site", meta["site"], fmt.MAX_SITE_CHARS)
    if not meta["site"].strip():
        raise BundleInvalid("its site name is empty")
    if not meta["checksum"].startswith("sha256:"):
        raise BundleInvalid("its checksum is not a sha256 digest")
    return BundleHeader(
        bundle_id=meta["bundle_id"],
        format_version=int(version),
        planner_version=meta["planner_version"],
        created_at=meta["created_at"],
        machine_fingerprint=meta["machine_fingerprint"],
        site=meta["site"],
        notes=meta["notes"],
        checksum=meta["checksum"],
    )


def _check_schema(
    conn: sqlite3.Connection, entries: list[tuple[Any, ...]], tables: tuple[fmt.Table, ...]
) -> None:
    names = {table.name for table in tables}
    for kind, name, sql in entries:
        if kind == "index" and name.startswith("sqlite_autoindex_") and sql is None:
            continue
        if kind != "table":
            raise BundleInvalid(f"it holds a {kind} {name[:60]!r}; bundles hold only tables")
        if name not in names:
            raise BundleInvalid(f"it holds an unexpected table {name[:60]!r}")
    present = {name: sql for kind, name, sql in entries if kind == "table"}
    for table in tables:
        if table.name not in present:
            raise BundleInvalid(f"it lacks the table {table.name!r}")
        if present[table.name] == table.ddl:
            continue
        columns = [row[1] for row in conn.execute(f"PRAGMA table_xinfo({table.name})")]
        for name in table.column_names:
            if name not in columns:
                raise BundleInvalid(f"table {table.name} lacks the column {name!r}")
        extra = [name for name in columns if name not in table.column_names]
        if extra:
            raise BundleInvalid(f"table {table.name} has an unexpected column {extra[0][:60]!r}")
        raise BundleInvalid(f"table {table.name} is not defined as the bundle format defines it")


def _check_rows(conn: sqlite3.Connection, version: int) -> None:
    def rows(name: str) -> Iterator[dict[str, Any]]:
        spec = fmt.TABLES_BY_NAME[name]
        for values in conn.execute(f"SELECT {', '.join(spec.column_names)} FROM {name}"):
            yield check.typed_row(spec, values)

    machine_ids: set[str] = set()
    for row in rows("machines"):
        check.check_uuid("machines.id", row["id"])
        check.check_hex64("machines.fingerprint", row["fingerprint"])
        machine_ids.add(row["id"])
    for row in rows("inventories"):
        check.check_inventory(row, machine_ids)
    model_ids: set[str] = set()
    for row in rows("models"):
        check.check_model(row)
        model_ids.add(row["id"])
    run_ids: set[str] = set()
    for row in rows("runs"):
        check.check_run(row, machine_ids, model_ids)
        run_ids.add(row["id"])
    point_ids: set[str] = set()
    for row in rows("points"):
        check.check_point(row, run_ids)
        point_ids.add(row["id"])
    for row in rows("samples"):
        check.check_samples(row, point_ids)
    for row in rows("telemetry"):
        check.check_telemetry(row, point_ids)
    if version >= 2:
        for row in rows("variants"):
            check.check_variant(row, model_ids)
