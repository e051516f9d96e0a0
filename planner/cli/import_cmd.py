"""``planner import BUNDLE ...``: validate assessment bundles and merge them into the database.

Main thread of the CLI process. Each bundle is checked completely before anything is
written and merged in one transaction; a bad bundle is reported in one line and the
others are still imported. Exit status 2 when any bundle was rejected.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.cli.context import open_for
from planner.core.errors import StorageError
from planner.core.text import printable
from planner.services.bundles import describe_import, import_bundle_file


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("import", help="merge assessment bundles into the database")
    parser.add_argument("bundles", nargs="+", type=Path, metavar="BUNDLE", help="bundle file(s)")
    parser.set_defaults(handler=_import)


def _import(args: argparse.Namespace) -> int:
    opened = open_for(args)
    rejected = 0
    try:
        for path in args.bundles:
            try:
                outcome = import_bundle_file(opened, path)
            except StorageError as exc:
                print(f"planner: error: {printable(str(exc))}", file=sys.stderr)
                rejected += 1
                continue
            print(describe_import(outcome))
    finally:
        opened.close()
    return 2 if rejected else 0
