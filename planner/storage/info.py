"""Summary of a database for ``planner db info``: path, schema version, row counts."""

from __future__ import annotations

from dataclasses import dataclass

from planner.storage.database import OpenedDatabase
from planner.storage.migrations import META_TABLE


@dataclass(frozen=True)
class DatabaseInfo:
    path: str
    schema_version: int
    size_bytes: int
    row_counts: dict[str, int]


def database_info(opened: OpenedDatabase) -> DatabaseInfo:
    """Count the rows of every planner table (the header table excluded).

    The size includes the write-ahead log, which holds recent writes until SQLite folds
    them into the main file.
    """
    db = opened.db
    names = sorted(name for name in db.table_names() if name != META_TABLE)
    counts = {name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}
    files = (opened.path, opened.path.with_name(opened.path.name + "-wal"))
    size = sum(f.stat().st_size for f in files if f.exists())
    return DatabaseInfo(
        path=str(opened.path),
        schema_version=opened.schema_version,
        size_bytes=size,
        row_counts=counts,
    )
