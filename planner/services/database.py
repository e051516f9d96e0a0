"""Opening the database a front end asked for, prepared (migrated and seeded) for use.

Runs on the thread that will own the connection. Seeding (sample models, catalogues)
happens here, so the CLI and the app see the same prepared file. A command that only
reads opens a database planner cannot write read-only instead of failing.
"""

from __future__ import annotations

from planner.services.seeding import seed_database
from planner.storage.database import (
    OpenedDatabase,
    is_writable,
    open_database,
    open_database_read_only,
)
from planner.storage.health import refuse_if_damaged
from planner.storage.location import resolve_database_path


def open_prepared(explicit: str | None, reading: bool = False) -> OpenedDatabase:
    """Open, migrate and (once) seed ``explicit`` or the default database.

    With ``reading`` (the caller never writes), an existing file planner may not write is
    opened read-only and left exactly as it is; otherwise a damaged file is refused
    before anything is written.
    """
    path = resolve_database_path(explicit)
    if reading and path.is_file() and not is_writable(path):
        return open_database_read_only(path)
    opened = open_database(path)
    try:
        if not reading:
            refuse_if_damaged(opened.db.conn, opened.path)
        seed_database(opened)
    except BaseException:
        opened.close()
        raise
    return opened
