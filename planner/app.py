"""Composition root: ``planner`` with a subcommand runs headless, without one opens the app.

Main thread. Qt is imported only on the GUI path, so headless commands start fast and
work on machines with no display.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.cli.main import build_parser, run_command
from planner.storage.location import resolve_database_path


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is not None:
        return run_command(args)
    from planner.gui.application import run_gui

    return run_gui(resolve_database_path(args.db))
