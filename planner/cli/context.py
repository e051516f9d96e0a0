"""Open the database a command asked for (``--db``, ``PLANNER_DB`` or the default).

Main thread of the CLI process. Commands that only read are listed here, so that they
work on a database planner may not write (a read-only mount, an immutable file).
"""

from __future__ import annotations

import argparse

from planner.services.database import open_prepared
from planner.storage.database import OpenedDatabase

#: (command, action) pairs that never write; None stands for a command without actions.
READING_COMMANDS = frozenset(
    {
        ("runs", None),
        ("show", None),
        ("report", None),
        ("catalog", "list"),
        ("catalog", "export"),
        ("db", "info"),
    }
)


def open_for(args: argparse.Namespace) -> OpenedDatabase:
    """Open, migrate and (once) seed the database the user selected."""
    return open_prepared(getattr(args, "db", None), reading=_only_reads(args))


def _only_reads(args: argparse.Namespace) -> bool:
    command = getattr(args, "command", None)
    action = getattr(args, f"{command}_action", None)
    return (command, action) in READING_COMMANDS
