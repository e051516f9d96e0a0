"""Running one parsed command: user errors become one line, crashes a pointer to a traceback.

Main thread of the CLI process. Shared by the ``planner`` CLI and the ``planner-assess``
site kit, so it imports no command module: the kit must stay free of the report (Qt)
modules that ``planner.cli.main`` registers. :class:`PlannerError` becomes one line on
stderr (exit 2); a database that is damaged, read-only or locked becomes the line that
says what to do (exit 2); any other exception is a bug in planner: one line naming where
its traceback went (exit 70). Where that is is the caller's choice: the CLI keeps it in a
crash log of its own (see :mod:`planner.profiling.crash_log`), the kit (which writes
nothing but its bundle) prints it. Messages are printed with control and bidi characters
escaped, because they may quote names from a file or a database.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable

from planner.core.errors import PlannerError
from planner.core.text import printable
from planner.services.failures import CrashReporter, describe_failure, write_crash_log
from planner.storage.health import user_error
from planner.storage.location import resolve_database_path
from planner.storage.transaction import set_wait_notice

Handler = Callable[[argparse.Namespace], int]


def print_crash_traceback(exc: BaseException) -> str:
    """Print the traceback on stderr: for a run that must leave no file behind."""
    traceback.print_exception(exc, file=sys.stderr)
    return "the traceback above"


def run_command(
    args: argparse.Namespace,
    report_crash: CrashReporter = write_crash_log,
    prog: str = "planner",
) -> int:
    """Run the parsed command (``args.handler``); never let a bare traceback end the run."""
    handler: Handler = args.handler
    set_wait_notice(lambda waited_s: _print_wait(prog, waited_s))
    try:
        return handler(args)
    except PlannerError as exc:
        return _refuse(prog, str(exc))
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence for the user
        database = getattr(args, "db", None) if hasattr(args, "db") else None
        known = user_error(exc, resolve_database_path(database)) if hasattr(args, "db") else None
        if known is not None:
            return _refuse(prog, str(known))
        print(printable(f"{prog}: {describe_failure(exc, report_crash)}"), file=sys.stderr)
        return 70
    finally:
        set_wait_notice(None)


def _refuse(prog: str, message: str) -> int:
    print(f"{prog}: error: {printable(message)}", file=sys.stderr)
    return 2


def _print_wait(prog: str, waited_s: float) -> None:
    print(
        f"{prog}: waiting for another planner process to finish writing to the database "
        f"({waited_s:.0f} s so far)",
        file=sys.stderr,
        flush=True,
    )
