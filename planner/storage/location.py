"""Where the database lives: ``--db PATH``, then ``PLANNER_DB``, then the user data directory.

Pure path logic, callable from any thread; creates nothing on disk.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

ENV_VAR = "PLANNER_DB"
DEFAULT_FILENAME = "planner.db"


def default_database_path() -> Path:
    """The per-user default: ``<user data dir>/planner/planner.db``."""
    return user_data_path("planner", appauthor=False) / DEFAULT_FILENAME


def resolve_database_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Pick the database file the user asked for, in order of precedence.

    An explicit ``--db`` wins over the environment variable, which wins over the default,
    so a script can pin a file while a person's desktop keeps its own.
    """
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    return default_database_path()
