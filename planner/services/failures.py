"""What a front end says when something fails: the user's problem, or planner's own bug.

Any thread. A :class:`PlannerError` is a problem the user can act on and reads as its one
line. Anything else is a bug in planner: its traceback goes to a crash log in the user's
log folder and the message says "internal error" and where the log is, so a planner bug
is never mistaken for a problem with the user's model or file.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable

from planner.core.errors import PlannerError
from planner.profiling import crash_log

CrashReporter = Callable[[BaseException], str]
"""Keeps the traceback of an exception; returns where it went, for the user."""


def write_crash_log(exc: BaseException) -> str:
    """Keep ``exc``'s traceback in a crash log of its own; say where, for the message."""
    written = crash_log.write_crash_log("".join(traceback.format_exception(exc)))
    return "a log that could not be written" if written is None else f"the log {written}"


def describe_failure(exc: BaseException, report: CrashReporter = write_crash_log) -> str:
    """One line for the user: the error itself, or 'internal error' with its log."""
    if isinstance(exc, PlannerError):
        return str(exc)
    where = report(exc)
    return f"internal error: {type(exc).__name__}: {exc} (please report it with {where})"
