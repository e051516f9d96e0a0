"""Open the database a command asked for (``--db``, ``PLANNER_DB`` or the default).

Main thread of the CLI process.
"""

from __future__ import annotations

import argparse

from planner.services.database import open_prepared
from planner.storage.database import OpenedDatabase


def open_for(args: argparse.Namespace) -> OpenedDatabase:
    """Open, migrate and (once) seed the database the user selected."""
    return open_prepared(getattr(args, "db", None))
