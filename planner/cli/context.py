"""Open the database a command asked for (``--db``, ``PLANNER_DB`` or the default).

Main thread of the CLI process. First-run seeding (sample models, catalogues) happens
here, so every command sees the same prepared file.
"""

from __future__ import annotations

import argparse

from planner.cli.seed import seed_database
from planner.storage.database import OpenedDatabase, open_database
from planner.storage.location import resolve_database_path


def open_for(args: argparse.Namespace) -> OpenedDatabase:
    """Open, migrate and (once) seed the database the user selected."""
    opened = open_database(resolve_database_path(getattr(args, "db", None)))
    try:
        seed_database(opened)
    except BaseException:
        opened.close()
        raise
    return opened
