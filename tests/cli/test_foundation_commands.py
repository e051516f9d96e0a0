"""The headless commands of the foundation, run as a user runs them (a real process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from planner import __version__


def planner(*args: str, db: Path, env_db: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PLANNER_DB"}
    if env_db is not None:
        env["PLANNER_DB"] = str(env_db)
    argv = [sys.executable, "-m", "planner", *(["--db", str(db)] if db else []), *args]
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)


def test_version(tmp_path: Path) -> None:
    result = planner("--version", db=tmp_path / "x.db")
    assert result.returncode == 0
    assert result.stdout.strip() == f"planner {__version__}"


def test_hardware_table_and_json_and_db_info(tmp_path: Path) -> None:
    db = tmp_path / "planner.db"
    table = planner("hardware", db=db)
    assert table.returncode == 0, table.stderr
    assert "CPU" in table.stdout and "Execution providers" in table.stdout
    assert "NVML library not found" in table.stdout
    as_json = planner("hardware", "--json", db=db)
    data = json.loads(as_json.stdout)
    assert data["nvml"] == {
        "available": False,
        "reason": "NVML library not found (no NVIDIA driver installed)",
    }
    assert data["gpus"] == []
    assert "CPUExecutionProvider" in data["providers"]
    assert "AzureExecutionProvider" not in data["providers"]
    info = json.loads(planner("db", "info", "--json", db=db).stdout)
    assert info["path"] == str(db)
    assert info["row_counts"]["machines"] == 1
    assert info["row_counts"]["inventories"] == 1


def test_environment_variable_selects_the_database(tmp_path: Path) -> None:
    env_db = tmp_path / "from-env.db"
    result = planner("db", "info", "--json", db=None, env_db=env_db)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["path"] == str(env_db)
    assert env_db.exists()


def test_bad_database_gives_one_line_error_and_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("not a database")
    result = planner("db", "info", db=bad)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("planner: error: ")
    assert "is not a SQLite database" in result.stderr
    assert "Traceback" not in result.stderr
    assert bad.read_text() == "not a database"
