"""``planner db info|check``: where the database is, what it holds, and whether it is sound.

Main thread of the CLI process. ``db check`` reads the file without migrating, seeding or
otherwise changing it, so it can be run on a damaged or read-only database; it exits 1
when SQLite finds damage or a stored value cannot be read back, and then says how to
recover.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from planner.cli.context import open_for
from planner.core.text import printable
from planner.storage.health import check_integrity, recovery_hint
from planner.storage.info import database_info
from planner.storage.location import resolve_database_path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("db", help="inspect the database")
    actions = parser.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    info = actions.add_parser("info", help="path, schema version and row counts")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(handler=_info)
    check = actions.add_parser("check", help="check the file for damage (changes nothing)")
    check.set_defaults(handler=_check)


def _info(args: argparse.Namespace) -> int:
    opened = open_for(args)
    try:
        info = database_info(opened)
    finally:
        opened.close()
    if args.json:
        print(json.dumps(asdict(info), indent=2))
        return 0
    print(f"Database:       {printable(info.path)}")
    print(f"Schema version: {info.schema_version}")
    print(f"Size:           {info.size_bytes / 1024:.0f} KiB")
    if opened.backup_path:
        backup = printable(str(opened.backup_path))
        print(f"Migrated from schema {opened.migrated_from}; backup at {backup}")
    width = max((len(name) for name in info.row_counts), default=0)
    print("Rows:")
    for name, count in info.row_counts.items():
        print(f"  {name:<{width}}  {count:>8}")
    if opened.read_only:
        print("Opened read-only: planner may not write this file.")
    return 0


def _check(args: argparse.Namespace) -> int:
    report = check_integrity(resolve_database_path(args.db))
    where = printable(str(report.path))
    if report.ok:
        print(f"{where}: ok (SQLite found no damage, and every stored value reads back)")
        return 0
    print(f"{where}: damaged; the check reports:")
    for problem in report.problems:
        print(f"  {printable(problem)}")
    print(f"To recover: {printable(recovery_hint(report.path))}.")
    return 1
