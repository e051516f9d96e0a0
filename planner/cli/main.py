"""The ``planner`` argument parser and the headless dispatcher.

Runs on the main thread of the CLI process. Every subcommand module exposes
``register(subparsers)`` and sets ``handler`` on its parser; ``run_command`` turns
:class:`PlannerError` into one line on stderr (exit 2) and any unexpected exception into
one line that points at a log file holding the traceback, so users never see one.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from platformdirs import user_log_path

from planner import __version__
from planner.cli import (
    assess_cmd,
    catalog_cmd,
    db_cmd,
    hardware_cmd,
    import_cmd,
    inspect_cmd,
    plan_cmd,
    profile_cmd,
    report_cmd,
    runs_cmd,
)
from planner.core.errors import PlannerError

Handler = Callable[[argparse.Namespace], int]
COMMAND_MODULES = (
    hardware_cmd,
    db_cmd,
    inspect_cmd,
    profile_cmd,
    runs_cmd,
    plan_cmd,
    catalog_cmd,
    report_cmd,
    assess_cmd,
    import_cmd,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planner",
        description="On-prem AI inference capacity planning. Without a command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"planner {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="database file (default: $PLANNER_DB, else planner.db in the user data folder)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def run_command(args: argparse.Namespace) -> int:
    """Run the parsed subcommand; never let a traceback reach the terminal."""
    handler: Handler = args.handler
    try:
        return handler(args)
    except PlannerError as exc:
        print(f"planner: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("planner: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence for the user
        log = _write_crash_log()
        print(
            f"planner: internal error: {type(exc).__name__}: {exc} "
            f"(please report it with the log {log})",
            file=sys.stderr,
        )
        return 70


def main(argv: Sequence[str] | None = None) -> int:
    """Headless entry: parse and run a subcommand (the GUI entry lives in planner.app)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return run_command(args)


def _write_crash_log() -> Path:
    folder = user_log_path("planner", appauthor=False)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"crash-{stamp}.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(traceback.format_exc(), encoding="utf-8")
    except OSError:
        return Path("(log could not be written)")
    return path
