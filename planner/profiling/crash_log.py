"""Crash logs: the traceback of a bug in planner, kept where a user can send it.

Any thread or process (the CLI, the app, the profiling worker). Each crash gets a log of
its own, named by its UTC time to the microsecond, the process id and a random tag, so
two crashes in the same second never overwrite each other; only the newest
:data:`KEPT_CRASH_LOGS` are kept. ``$PLANNER_LOG_DIR`` overrides the user log folder.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

from platformdirs import user_log_path

LOG_DIR_ENV = "PLANNER_LOG_DIR"
KEPT_CRASH_LOGS = 20


def log_folder() -> Path:
    return Path(os.environ.get(LOG_DIR_ENV) or user_log_path("planner", appauthor=False))


def write_crash_log(text: str, tag: str = "") -> Path | None:
    """Write ``text`` to a new crash log and prune old ones; None when it cannot be written."""
    folder = log_folder()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S-%fZ")
    suffix = f"-{tag}" if tag else ""
    path = folder / f"crash-{stamp}-{os.getpid()}-{uuid.uuid4().hex[:8]}{suffix}.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError:
        return None
    prune_crash_logs(folder)
    return path


def prune_crash_logs(folder: Path) -> None:
    """Delete all but the newest KEPT_CRASH_LOGS logs (names start with their UTC time)."""
    logs = sorted(folder.glob("crash-*.log"), key=lambda p: p.name, reverse=True)
    for old in logs[KEPT_CRASH_LOGS:]:
        old.unlink(missing_ok=True)
