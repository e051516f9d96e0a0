"""Running one parsed command: user errors become one line, crashes a pointer to a traceback.

Main thread of the CLI process. Shared by the ``planner`` CLI and the ``planner-assess``
site kit, so it imports no command module: the kit must stay free of the report (Qt)
modules that ``planner.cli.main`` registers. Where a crash's traceback goes is the
caller's choice: the CLI keeps it in a log file in the user's log folder, the kit (which
writes nothing but its bundle) prints it.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable

from planner.core.errors import PlannerError
from planner.services.failures import CrashReporter, describe_failure, write_crash_log

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
    try:
        return handler(args)
    except PlannerError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence for the user
        print(f"{prog}: {describe_failure(exc, report_crash)}", file=sys.stderr)
        return 70
