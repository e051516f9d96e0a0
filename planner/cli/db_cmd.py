"""``planner db info``: where the database is, its schema version and what it holds."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from planner.cli.context import open_for
from planner.storage.info import database_info


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("db", help="inspect the database")
    actions = parser.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    info = actions.add_parser("info", help="path, schema version and row counts")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(handler=_info)


def _info(args: argparse.Namespace) -> int:
    opened = open_for(args)
    try:
        info = database_info(opened)
    finally:
        opened.close()
    if args.json:
        print(json.dumps(asdict(info), indent=2))
        return 0
    print(f"Database:       {info.path}")
    print(f"Schema version: {info.schema_version}")
    print(f"Size:           {info.size_bytes / 1024:.0f} KiB")
    if opened.backup_path:
        print(f"Migrated from schema {opened.migrated_from}; backup at {opened.backup_path}")
    width = max((len(name) for name in info.row_counts), default=0)
    print("Rows:")
    for name, count in info.row_counts.items():
        print(f"  {name:<{width}}  {count:>8}")
    return 0
