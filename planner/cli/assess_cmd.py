"""``planner assess``: inventory this machine, profile models within a budget, write a bundle.

Main thread of the CLI process; no network and no display needed. A progress bar shows
on a terminal; Ctrl-C stops profiling and still writes the bundle of what was finished.
"""

from __future__ import annotations

import argparse
import socket
from pathlib import Path

from planner.cli.progress import TerminalProgress
from planner.core.parsing import parse_duration
from planner.core.text import check_name
from planner.services.assessment import AssessRequest, assess, default_models


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "assess", help="profile this machine headless and write a portable assessment bundle"
    )
    parser.add_argument(
        "--model",
        action="append",
        metavar="FILE",
        help="ONNX model to profile (repeatable; default: the bundled sample models)",
    )
    parser.add_argument(
        "--budget", default="2m", help="total profiling time, e.g. 90s, 5m (default 2m)"
    )
    parser.add_argument("--site", help="site name recorded in the bundle (default: host name)")
    parser.add_argument("--notes", default="", help="free-text notes recorded in the bundle")
    parser.add_argument("--out", required=True, type=Path, help="bundle file to write")
    parser.set_defaults(handler=_assess)


def _assess(args: argparse.Namespace) -> int:
    request = AssessRequest(
        models=default_models(args.model),
        budget_s=parse_duration(args.budget, "--budget"),
        site=check_name(args.site or socket.gethostname(), "--site"),
        notes=args.notes,
        out=args.out,
    )
    progress = TerminalProgress()
    try:
        outcome = assess(request, progress.update, progress.message)
    finally:
        progress.close()
    counts = outcome.bundle.counts
    if outcome.interrupted:
        skipped = ", ".join(p.name for p in outcome.skipped) or "none"
        print(f"Interrupted: the bundle holds what was finished (models not profiled: {skipped}).")
    print(
        f"Wrote {outcome.bundle.path}: {counts['runs']} run(s), {counts['points']} point(s), "
        f"site {request.site!r}, checksum {outcome.bundle.checksum}"
    )
    return 0
