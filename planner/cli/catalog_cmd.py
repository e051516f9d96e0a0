"""``planner catalog list|import|export``: the price, hardware, default and carbon tables."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from planner.cli.context import open_for
from planner.core.text import printable
from planner.services.catalogs import (
    KINDS,
    ListedRow,
    UnknownCatalogHeader,
    export_catalog_file,
    import_catalog,
    list_rows,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("catalog", help="list, import or export catalogues")
    actions = parser.add_subparsers(dest="catalog_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="show catalogue rows with source and date")
    listing.add_argument("--kind", choices=KINDS, help="only this catalogue")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_list)
    importing = actions.add_parser("import", help="add or replace rows from a CSV file")
    importing.add_argument("file", type=Path)
    importing.add_argument("--kind", choices=KINDS, help="catalogue (default: from the header)")
    importing.set_defaults(handler=_import)
    exporting = actions.add_parser("export", help="write one catalogue as CSV")
    exporting.add_argument("file", type=Path)
    exporting.add_argument("--kind", choices=KINDS, required=True)
    exporting.set_defaults(handler=_export)


def _list(args: argparse.Namespace) -> int:
    opened = open_for(args)
    try:
        kinds = [args.kind] if args.kind else list(KINDS)
        tables = {kind: list_rows(opened, kind) for kind in kinds}
    finally:
        opened.close()
    if args.json:
        listing = {
            kind: [{**r.values, **({"problem": r.problem} if r.problem else {})} for r in rows]
            for kind, rows in tables.items()
        }
        print(json.dumps(listing, allow_nan=False))
        return 0
    for kind, rows in tables.items():
        print(f"{kind} ({len(rows)} rows)")
        for row in rows:
            print(f"  {_describe(row)}")
    return 0


def _describe(row: ListedRow) -> str:
    values = dict(row.values)
    source = values.pop("source", "")
    date = values.pop("date", values.pop("year", ""))
    verified = values.pop("verified", False)
    body = ", ".join(f"{k}={v}" for k, v in values.items() if v is not None)
    mark = "" if verified else " [unverified]"
    problem = f" [not used by plans: {row.problem}]" if row.problem else ""
    return printable(f"{body}  — {source}, {date}{mark}{problem}")


def _import(args: argparse.Namespace) -> int:
    opened = open_for(args)
    try:
        kind, counts = import_catalog(opened, args.file, args.kind)
    except UnknownCatalogHeader as exc:
        raise UnknownCatalogHeader(
            f"{exc}; or name it with --kind ({', '.join(KINDS)}); "
            "`planner catalog export --kind KIND FILE` writes one"
        ) from exc
    finally:
        opened.close()
    print(f"{kind} catalogue: {counts.added} rows added, {counts.replaced} replaced")
    return 0


def _export(args: argparse.Namespace) -> int:
    opened = open_for(args)
    try:
        count = export_catalog_file(opened, args.kind, args.file)
    finally:
        opened.close()
    print(f"{args.kind} catalogue written to {printable(str(args.file))} ({count} rows)")
    return 0
