"""The ``planner`` argument parser and the headless dispatcher.

Runs on the main thread of the CLI process. Every subcommand module exposes
``register(subparsers)`` and sets ``handler`` on its parser; :func:`run_command` (in
:mod:`planner.cli.dispatch`) turns :class:`PlannerError` into one line on stderr (exit 2)
and any unexpected exception into one line that points at a log file holding the
traceback, so users never see one.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

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
    variants_cmd,
)
from planner.cli.dispatch import run_command

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
    variants_cmd,
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


def main(argv: Sequence[str] | None = None) -> int:
    """Headless entry: parse and run a subcommand (the GUI entry lives in planner.app)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return run_command(args)
