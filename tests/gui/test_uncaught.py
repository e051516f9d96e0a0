"""An exception that escapes a slot or a page's construction is said once, never a crash."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from builders import store_run, three_option_scenario
from PySide6.QtCore import QTimer

from planner.gui.main_window import MainWindow
from planner.gui.uncaught import UncaughtErrors
from planner.services.plans import plan_from_text
from planner.services.seeding import seed_database
from planner.storage.database import open_database


@pytest.fixture
def handler(qtbot, tmp_path: Path):
    errors = UncaughtErrors(tmp_path / "p.db")
    errors.install()
    yield errors
    errors.uninstall()


def test_a_damaged_value_read_by_pages_is_said_once_with_its_recovery(
    qtbot, tmp_path: Path, handler: UncaughtErrors
) -> None:
    path = tmp_path / "p.db"
    opened = open_database(path)
    seed_database(opened)
    run = store_run(opened)
    plan_from_text(opened, three_option_scenario(run.id), None)
    raw = sqlite3.connect(path)
    raw.execute("UPDATE plans SET result_json = CAST(x'7bff22' AS TEXT)")
    raw.commit()
    raw.close()
    window = MainWindow(opened)
    handler.window = window
    qtbot.addWidget(window)
    window.show()
    for title in ("Plan", "Reports", "Machine", "Plan"):
        window.navigation.setCurrentRow(window.pages.index_of(title))
    qtbot.waitUntil(lambda: bool(handler.shown), timeout=5_000)
    assert len(handler.shown) == 1, handler.shown
    [message] = handler.shown
    assert f"the database {path} is damaged" in message and "db check" in message
    assert "internal error" not in message
    assert window.isVisible() and window.statusBar().currentMessage() == message
    window.close()
    opened.close()


def test_a_bug_in_a_slot_is_an_internal_error_with_its_crash_log(
    qtbot, tmp_path: Path, handler: UncaughtErrors, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANNER_LOG_DIR", str(tmp_path / "logs"))

    def buggy() -> None:
        raise ZeroDivisionError("a planner bug")

    QTimer.singleShot(0, buggy)
    qtbot.waitUntil(lambda: bool(handler.shown), timeout=5_000)
    [message] = handler.shown
    assert message.startswith("internal error: ZeroDivisionError: a planner bug")
    [log] = (tmp_path / "logs").iterdir()
    assert "buggy" in log.read_text() and str(log) in message
