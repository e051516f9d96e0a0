"""First-run preparation of a database: bundled sample models and shipped catalogues.

Runs on the thread that owns the connection, from the CLI and from the GUI at start-up.
Seeding is idempotent and versioned by a header key, so a file is prepared once, a newer
planner can add what it ships, and nothing a user edited is overwritten.
"""

from __future__ import annotations

from planner.cli.catalog_service import seed_catalogs
from planner.models.inspect import inspect_model
from planner.models.samples import bundled_sample_paths
from planner.storage.database import OpenedDatabase
from planner.storage.meta import get_meta, set_meta
from planner.storage.models import ModelRepository

SEED_KEY = "seeded_samples"
SEED_VERSION = "2"


def seed_database(opened: OpenedDatabase) -> None:
    """Register the bundled sample models and shipped catalogue rows once per version."""
    if get_meta(opened.db, SEED_KEY) == SEED_VERSION:
        return
    models = ModelRepository(opened.db)
    for path in bundled_sample_paths():
        models.upsert(inspect_model(path))
    seed_catalogs(opened)
    set_meta(opened.db, SEED_KEY, SEED_VERSION)
