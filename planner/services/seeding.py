"""First-run preparation of a database: bundled sample models and shipped catalogues.

Runs on the thread that owns the connection, from the CLI and from the GUI at start-up.
The database remembers a digest of what was shipped when it was last seeded; when the
shipped files change (a newer planner with new or corrected catalogue rows or samples),
seeding runs again. It is idempotent and never overwrites a row a user imported or edited.
"""

from __future__ import annotations

import hashlib

from planner.core.resources import resources_dir
from planner.models.genai_inspect import describe_model
from planner.models.genai_sample import sample_folder
from planner.models.inspect import inspect_model
from planner.models.samples import bundled_sample_paths
from planner.planning.catalog import CATALOG_FILES
from planner.services.catalogs import seed_catalogs
from planner.storage.database import OpenedDatabase
from planner.storage.meta import get_meta, set_meta
from planner.storage.models import ModelRepository

SEED_KEY = "seeded_from"


def shipped_digest() -> str:
    """sha256 over the shipped catalogue files and sample models, in a fixed order."""
    digest = hashlib.sha256()
    folder = resources_dir()
    for path in [folder / relative for relative in CATALOG_FILES.values()]:
        digest.update(path.read_bytes())
    for path in (*bundled_sample_paths(), *sorted(sample_folder().iterdir())):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def seed_database(opened: OpenedDatabase) -> None:
    """Register the bundled sample models and shipped catalogue rows not yet present."""
    shipped = shipped_digest()
    if get_meta(opened.db, SEED_KEY) == shipped:
        return
    models = ModelRepository(opened.db)
    for path in bundled_sample_paths():
        models.upsert(inspect_model(path))
    models.upsert(describe_model(sample_folder()))
    seed_catalogs(opened)
    set_meta(opened.db, SEED_KEY, shipped)
