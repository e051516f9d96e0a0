"""The welcome panel: ticks what is done, offers the next step, navigates, then steps aside."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from planner.gui.main_window import MainWindow
from planner.services.database import open_prepared


def test_a_new_user_is_shown_the_next_step_and_taken_there(qtbot, tmp_path: Path) -> None:
    opened = open_prepared(str(tmp_path / "planner.db"))
    window = MainWindow(opened)
    qtbot.addWidget(window)
    window.show()
    welcome = window.welcome
    assert welcome.isVisible()
    assert welcome.done() == (True, False, False, False)  # bundled samples are models
    assert [m.text() for m in welcome.marks] == ["✓", "2", "3", "4"]
    assert welcome.buttons[1].isDefault() and not welcome.buttons[3].isEnabled()
    qtbot.mouseClick(welcome.buttons[1], Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.profile_page
    window.close()
    opened.close()
