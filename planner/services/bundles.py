"""Importing assessment bundles, and how an import is described to the user.

Runs on the thread that owns the connection (CLI main thread, GUI thread). Validation and
the merge itself live in ``planner.storage.bundle_import``; this module is the use case
both front ends call, so a bundle reads the same in the terminal and in the app.
"""

from __future__ import annotations

from pathlib import Path

from planner.core.text import printable
from planner.storage.bundle_import import ImportOutcome, import_bundle
from planner.storage.database import OpenedDatabase


def import_bundle_file(opened: OpenedDatabase, path: Path) -> ImportOutcome:
    """Validate ``path`` completely, then merge it in one transaction (StorageError if bad)."""
    return import_bundle(opened, path)


def describe_import(outcome: ImportOutcome) -> str:
    """One line saying what an import added (names escaped: they come from another site)."""
    header = outcome.header
    where = printable(f"{outcome.path.name} (site {header.site!r}, created {header.created_at})")
    if outcome.already_imported:
        return f"{where}: already imported, nothing added"
    added = outcome.added
    return (
        f"{where}: added {_n(added.machines, 'machine')}, {_n(added.models, 'model')}, "
        f"{_n(added.runs, 'run')}, {_n(added.points, 'point')}"
    )


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
