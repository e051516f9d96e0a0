"""Catalogues between the shipped CSV files, the database and the planning engine.

Runs on the thread that owns the connection. Planning validates rows (all or nothing),
storage keeps them under their natural key, and this module joins the two: seeding a new
database from ``resources/``, importing and exporting user CSV files, and loading the
:class:`Catalog` a plan is computed with.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.core.errors import CatalogError
from planner.core.files import read_user_text, write_user_text
from planner.core.plan import CatalogRow
from planner.core.resources import resources_dir
from planner.planning.catalog import (
    CATALOG_FILES,
    OPTIONAL_COLUMNS,
    SCHEMAS,
    Catalog,
    catalog_to_csv,
    check_stored_row,
    parse_catalog_csv,
)
from planner.storage.catalog import CatalogRepository, ImportCounts
from planner.storage.database import OpenedDatabase

KINDS = tuple(CATALOG_FILES)


def row_key(kind: str, row: CatalogRow) -> str:
    """The natural key of a row (e.g. provider|instance|region|pricing), case-folded."""
    return "|".join(str(getattr(row, name)).lower() for name in SCHEMAS[kind][2])


def seed_catalogs(opened: OpenedDatabase) -> int:
    """Add every shipped row whose key is absent and refresh rows still as shipped; user rows
    are never overwritten."""
    repo = CatalogRepository(opened.db)
    added = 0
    for kind, relative in CATALOG_FILES.items():
        rows = parse_catalog_csv(kind, (resources_dir() / relative).read_text(encoding="utf-8"))
        added += repo.seed(kind, [(row_key(kind, r), dataclasses.asdict(r)) for r in rows])
    return added


def detect_kind(text: str) -> str:
    """The catalogue kind whose columns the file's header lists."""
    header = next(
        (line for line in text.splitlines() if line.strip() and not line.startswith("#")), ""
    )
    columns = {c.strip() for c in header.split(",")}
    for kind, (_cls, schema, _key) in SCHEMAS.items():
        names = {name for name, _ in schema}
        if names - OPTIONAL_COLUMNS.get(kind, frozenset()) <= columns <= names:
            return kind
    raise UnknownCatalogHeader(
        "cannot tell which catalogue this file is from its header: its columns match none "
        f"of {', '.join(KINDS)}; export a catalogue of that kind to see the columns it needs"
    )


class UnknownCatalogHeader(CatalogError):
    """A CSV header that names no catalogue; each front end says how to name the kind."""


def import_catalog(
    opened: OpenedDatabase, path: Path, kind: str | None
) -> tuple[str, ImportCounts]:
    text = read_user_text(path, "catalogue", CatalogError)
    kind = kind or detect_kind(text)
    rows = parse_catalog_csv(kind, text)
    counts = CatalogRepository(opened.db).upsert(
        kind, [(row_key(kind, r), dataclasses.asdict(r)) for r in rows]
    )
    return kind, counts


def rows_of(opened: OpenedDatabase, kind: str) -> tuple[CatalogRow, ...]:
    """The stored rows of ``kind``, each held to the import rules (CatalogError if one fails)."""
    return tuple(
        check_stored_row(kind, stored.key, stored.values)
        for stored in CatalogRepository(opened.db).rows(kind)
    )


@dataclass(frozen=True)
class ListedRow:
    """A stored row as listed: its values, and why plans cannot use it (None when they can)."""

    values: dict[str, Any]
    problem: str | None


def list_rows(opened: OpenedDatabase, kind: str) -> tuple[ListedRow, ...]:
    """Every stored row of ``kind``, including rows that break the import rules.

    A row stored before the rules (a price of infinity, a name with control characters)
    is listed with the reason, so a user sees what to replace; its non-finite numbers are
    shown as empty.
    """
    listed = []
    for stored in CatalogRepository(opened.db).rows(kind):
        try:
            row = check_stored_row(kind, stored.key, stored.values)
        except CatalogError as exc:
            listed.append(ListedRow(_finite_only(stored.values), str(exc)))
        else:
            listed.append(ListedRow(dataclasses.asdict(row), None))
    return tuple(listed)


def _finite_only(values: dict[str, Any]) -> dict[str, Any]:
    return {
        k: None if isinstance(v, float) and not math.isfinite(v) else v for k, v in values.items()
    }


def export_catalog(opened: OpenedDatabase, kind: str) -> str:
    return catalog_to_csv(rows_of(opened, kind), kind)


def export_catalog_file(opened: OpenedDatabase, kind: str, path: Path) -> int:
    """Write catalogue ``kind`` to ``path`` (a regular file in an existing folder); row count."""
    rows = rows_of(opened, kind)
    write_user_text(path, catalog_to_csv(rows, kind), "catalogue", CatalogError)
    return len(rows)


def load_catalog(opened: OpenedDatabase) -> Catalog:
    return Catalog.from_rows({kind: rows_of(opened, kind) for kind in KINDS})
