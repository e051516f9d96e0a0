"""The ``planner`` argument parser and the headless dispatcher.

Runs on the main thread of the CLI process. Every subcommand module exposes
``register(subparsers)`` and sets ``handler`` on its parser; ``run_command`` turns
:class:`PlannerError` into one line on stderr (exit 2), a database that is damaged,
read-only or locked into the line that says what to do (also exit 2), and any other
exception into one line that points at a log file holding the traceback, so users never
see one. Each crash gets its own log (time, process id and a random tag in the name) and
only the newest :data:`KEPT_CRASH_LOGS` are kept. Messages are printed with control and
bidi characters escaped, because they may quote names from a file or a database.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
import uuid
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
from planner.core.text import printable
from planner.storage.health import user_error
from planner.storage.location import resolve_database_path
from planner.storage.transaction import set_wait_notice

Handler = Callable[[argparse.Namespace], int]
KEPT_CRASH_LOGS = 20
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
    set_wait_notice(_print_wait)
    try:
        return handler(args)
    except PlannerError as exc:
        return _refuse(str(exc))
    except KeyboardInterrupt:
        print("planner: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence for the user
        known = user_error(exc, resolve_database_path(getattr(args, "db", None)))
        if known is not None:
            return _refuse(str(known))
        log = _write_crash_log()
        print(
            printable(
                f"planner: internal error: {type(exc).__name__}: {exc} "
                f"(please report it with the log {log})"
            ),
            file=sys.stderr,
        )
        return 70
    finally:
        set_wait_notice(None)


def _refuse(message: str) -> int:
    print(f"planner: error: {printable(message)}", file=sys.stderr)
    return 2


def _print_wait(waited_s: float) -> None:
    print(
        "planner: waiting for another planner process to finish writing to the database "
        f"({waited_s:.0f} s so far)",
        file=sys.stderr,
        flush=True,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Headless entry: parse and run a subcommand (the GUI entry lives in planner.app)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return run_command(args)


def _write_crash_log() -> Path:
    """Write the traceback to a log of its own; keep only the newest logs."""
    folder = user_log_path("planner", appauthor=False)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S-%fZ")
    path = folder / f"crash-{stamp}-{os.getpid()}-{uuid.uuid4().hex[:8]}.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(traceback.format_exc(), encoding="utf-8")
    except OSError:
        return Path("(log could not be written)")
    _prune_crash_logs(folder)
    return path


def _prune_crash_logs(folder: Path) -> None:
    """Delete all but the newest KEPT_CRASH_LOGS logs (names start with their UTC time)."""
    logs = sorted(folder.glob("crash-*.log"), key=lambda p: p.name, reverse=True)
    for old in logs[KEPT_CRASH_LOGS:]:
        old.unlink(missing_ok=True)
