"""``planner assess``: inventory this machine, profile models within a budget, write a bundle.

Main thread of the CLI process; no network and no display needed. A progress bar shows
on a terminal; Ctrl-C stops profiling and still writes the bundle of what was finished.
The site kit (``planner-assess``) takes the same flags through :func:`add_assess_arguments`
and runs :func:`run_assess`, so both write the same bundle the same way.
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path

from planner.cli.progress import TerminalProgress
from planner.core.parsing import parse_duration
from planner.core.text import check_name, printable
from planner.services.assessment import (
    AssessRequest,
    assess,
    default_models,
    default_providers,
    saved_settings_for,
)
from planner.storage.location import resolve_database_path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "assess", help="profile this machine headless and write a portable assessment bundle"
    )
    add_assess_arguments(parser, out_required=True)
    parser.set_defaults(handler=run_assess)


def add_assess_arguments(parser: argparse.ArgumentParser, *, out_required: bool) -> None:
    """The assess flags; the kit makes ``--out`` optional so ``hardware`` can go without it."""
    parser.add_argument(
        "--model",
        action="append",
        metavar="PATH",
        help=(
            "ONNX model file or ONNX Runtime GenAI folder to profile, or a bundled sample "
            "by name: mlp, cnn, transformer_block, tiny_decoder (a generative decoder) "
            "(repeatable; default: mlp, cnn and transformer_block)"
        ),
    )
    parser.add_argument(
        "--budget", default="2m", help="total profiling time, e.g. 90s, 5m (default 2m)"
    )
    parser.add_argument("--site", help="site name recorded in the bundle (default: host name)")
    parser.add_argument("--notes", default="", help="free-text notes recorded in the bundle")
    parser.add_argument("--out", required=out_required, type=Path, help="bundle file to write")
    parser.add_argument(
        "--force", action="store_true", help="replace the bundle file if it already exists"
    )
    parser.add_argument(
        "--provider",
        action="append",
        metavar="NAME",
        help="execution provider to profile on (repeatable; default: every usable "
        "accelerator provider and CPUExecutionProvider)",
    )


#: Exit status when the bundle was written but holds no measured point.
NOTHING_MEASURED = 3


def run_assess(args: argparse.Namespace) -> int:
    """Assess this machine as ``args`` asks and print what the bundle holds.

    Input settings the user saved are read from the database of ``planner`` (``--db``);
    the site kit has no database and passes none, so it reads and writes nothing there.
    """
    models = default_models(args.model)
    saved = (
        saved_settings_for(resolve_database_path(args.db), models) if hasattr(args, "db") else None
    )
    request = AssessRequest(
        models=models,
        budget_s=parse_duration(args.budget, "--budget"),
        site=check_name(args.site or socket.gethostname(), "--site"),
        notes=args.notes,
        out=args.out,
        overwrite=args.force,
        providers=default_providers(args.provider),
        saved_inputs=saved,
    )
    progress = TerminalProgress()
    try:
        outcome = assess(request, progress.update, progress.message)
    finally:
        progress.close()
    counts = outcome.bundle.counts
    if outcome.interrupted:
        skipped = ", ".join(p.name for p in outcome.skipped) or "none"
        print(
            printable(
                f"Interrupted: the bundle holds what was finished (models not profiled: {skipped})."
            )
        )
    print(
        printable(
            f"Wrote {outcome.bundle.path}: {counts['runs']} run(s), {counts['points']} point(s), "
            f"site {request.site!r}, checksum {outcome.bundle.checksum}"
        )
    )
    if counts["points"] == 0:
        print(
            "No point was measured: the bundle holds only this machine and the "
            "failed runs' reasons; give a larger --budget or check the models",
            file=sys.stderr,
        )
        return NOTHING_MEASURED
    return 0
