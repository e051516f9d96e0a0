"""Opening the database a front end asked for, prepared (migrated and seeded) for use.

Runs on the thread that will own the connection. Seeding (sample models, catalogues)
happens here, so the CLI and the app see the same prepared file.
"""

from __future__ import annotations

from planner.services.seeding import seed_database
from planner.storage.database import OpenedDatabase, open_database
from planner.storage.location import resolve_database_path


def open_prepared(explicit: str | None) -> OpenedDatabase:
    """Open, migrate and (once) seed ``explicit`` or the default database."""
    opened = open_database(resolve_database_path(explicit))
    try:
        seed_database(opened)
    except BaseException:
        opened.close()
        raise
    return opened
