"""Crash logs: one file per crash even within one second, and only the newest kept."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

import pytest

import planner.cli.main as cli_main
from planner.profiling import crash_log


class _FrozenClock(datetime):
    """Every crash happens in the same microsecond, the worst case for unique names."""

    @classmethod
    def now(cls, tz=None):  # noqa: ANN001, ANN206 - datetime's signature
        return datetime(2026, 11, 29, 12, 0, 0, tzinfo=UTC)


def _crash(_args: argparse.Namespace) -> int:
    raise RuntimeError("boom")


def _logs(state: Path) -> list[Path]:
    return sorted(state.rglob("crash-*.log"))


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.delenv("PLANNER_LOG_DIR", raising=False)
    monkeypatch.setattr(crash_log, "datetime", _FrozenClock)
    return tmp_path


def test_two_crashes_in_one_instant_keep_two_logs(
    state: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = argparse.Namespace(handler=_crash, db=None)
    assert cli_main.run_command(args) == 70
    assert cli_main.run_command(args) == 70
    logs = _logs(state)
    assert len(logs) == 2
    assert all("RuntimeError: boom" in log.read_text() for log in logs)
    err = capsys.readouterr().err
    assert all(str(log) in err for log in logs)


def test_only_the_newest_logs_are_kept(
    state: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(crash_log, "KEPT_CRASH_LOGS", 3)
    old = state / "planner" / "log"
    old.mkdir(parents=True)
    for day in range(1, 6):
        (old / f"crash-202601{day:02d}T000000Z.log").write_text("old")
    assert cli_main.run_command(argparse.Namespace(handler=_crash, db=None)) == 70
    names = [log.name for log in _logs(state)]
    assert len(names) == 3
    assert any(name.startswith("crash-20261129T120000") for name in names)
    assert "crash-20260105T000000Z.log" in names and "crash-20260101T000000Z.log" not in names
