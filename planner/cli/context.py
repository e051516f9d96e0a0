"""Open the database a command asked for (``--db``, ``PLANNER_DB`` or the default).

Main thread of the CLI process. Seeding of catalogues and sample models on first run
happens here too as later features land, so every command sees the same prepared file.
"""

from __future__ import annotations

import argparse

from planner.storage.database import OpenedDatabase, open_database
from planner.storage.location import resolve_database_path


def open_for(args: argparse.Namespace) -> OpenedDatabase:
    return open_database(resolve_database_path(getattr(args, "db", None)))
