"""``planner runs [--json]`` and ``planner show RUN_ID [--json]``.

Main thread of the CLI process. The runs table shows each start time whole, to the
second, with its time zone (``2026-11-29 01:19:24 UTC``), never cut mid-offset.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from datetime import datetime, timedelta

from planner.cli.context import open_for
from planner.cli.run_text import format_run
from planner.core.text import printable, printable_lines
from planner.storage.runs import RunRepository


def register(subparsers: argparse._SubParsersAction) -> None:
    runs = subparsers.add_parser("runs", help="list stored profiling runs")
    runs.add_argument("--json", action="store_true", help="print JSON")
    runs.set_defaults(handler=_runs)
    show = subparsers.add_parser("show", help="show one run with its points")
    show.add_argument("run_id", help="run id or a unique prefix of one")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.add_argument("--samples", action="store_true", help="include raw samples in JSON")
    show.set_defaults(handler=_show)


def _runs(args: argparse.Namespace) -> int:
    opened = open_for(args)
    try:
        runs = RunRepository(opened.db).all()
    finally:
        opened.close()
    if args.json:
        print(json.dumps([asdict(r) for r in runs]))
        return 0
    if not runs:
        print("No runs yet: measure one with `planner profile MODEL.onnx`.")
        return 0
    print(f"{'run':<10} {'started':<25} {'model':<20} {'scenario':<14} {'status':<11} points")
    for r in runs:
        print(
            f"{r.id[:8]:<10} {started(r.started_at):<25} {printable(r.model_name)[:20]:<20} "
            f"{r.scenario:<14} {r.status:<11} {r.point_count}"
        )
    return 0


def started(iso: str) -> str:
    """An ISO time to the second with its zone: '2026-11-29 01:19:24 UTC' or '... +05:30'."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    offset = moment.utcoffset()
    if offset is None:
        zone = ""
    elif offset == timedelta(0):
        zone = " UTC"
    else:
        zone = " " + moment.isoformat()[-6:]
    return f"{moment:%Y-%m-%d %H:%M:%S}{zone}"


def _show(args: argparse.Namespace) -> int:
    opened = open_for(args)
    try:
        repo = RunRepository(opened.db)
        run = repo.load(repo.resolve_id(args.run_id))
    finally:
        opened.close()
    if args.json:
        print(json.dumps(run.to_dict(include_samples=args.samples), allow_nan=False))
    else:
        print(printable_lines(format_run(run)))
    return 0
