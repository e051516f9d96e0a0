"""The Plan page's chrome: scenario bar (new, load, save, duplicate, compare), empty state,
editor tabs and error line.

GUI thread only. File dialogs live only in the ``_on_*_clicked`` slots here; each hands a
path to a page method (``load_scenario_file``, ``save_scenario_file``) that tests call
directly, so no test opens a modal dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.core.text import printable
from planner.services.scenarios import stored_scenarios
from planner.storage.database import OpenedDatabase

if TYPE_CHECKING:
    from planner.gui.plan_page import PlanPage

_FILTER = "Scenario files (*.toml);;All files (*)"
NO_RUNS = (
    "No measured runs yet. A plan sizes servers from a profile: go to the Profile page, "
    "pick a model and press Start (single-stream, concurrency or server). You can also "
    "start from the example or load a scenario file."
)
HAS_RUNS = (
    "No scenario open: plan the latest run (this machine against a cloud instance and a "
    "managed API), start from the example, load a scenario file, or open a stored one."
)
ONLY_OFFLINE = (
    "Your runs are offline runs, which measure throughput but not the latency a request "
    "sees. Profile with the single-stream, concurrency or server scenario to plan, or "
    "start from the example."
)
SAVED = "Saved: the Reports page can report this plan."
UNSAVED = "Not saved yet: press Save to use this plan on the Reports page."
CHANGED = "Changed since saved: press Save to report these changes."


def error_label() -> QLabel:
    """The red line where the page shows the latest problem (hidden when there is none)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #c62828; font-weight: bold;")
    label.hide()
    return label


def editor_tabs(form: QWidget, text: QPlainTextEdit) -> QTabWidget:
    """The scenario editor: the form (scrolling) and the TOML text."""
    tabs = QTabWidget()
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(form)
    tabs.addTab(scroll, "Form")
    tabs.addTab(text, "TOML (advanced)")
    return tabs


def _button(text: str, slot: object) -> QPushButton:
    button = QPushButton(text)
    button.clicked.connect(slot)
    return button


def _fill_stored(combo: QComboBox, opened: OpenedDatabase) -> None:
    combo.clear()
    for stored in stored_scenarios(opened):
        combo.addItem(printable(f"{stored.name}  ({stored.computed_at[:16]})"), stored.id)
    combo.setEnabled(combo.count() > 0)
    combo.setPlaceholderText("no stored scenarios")
    # With a placeholder set, Qt leaves the index at -1 when items arrive: pick the newest.
    combo.setCurrentIndex(0 if combo.count() else -1)


class PlanToolbar(QWidget):
    """Two rows of scenario actions above the editor, and whether the plan is saved."""

    def __init__(self, page: PlanPage) -> None:
        super().__init__()
        self._page = page
        self.open_combo = QComboBox()
        self.open_combo.setMinimumContentsLength(14)
        self.open_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.open_combo.activated.connect(self._on_open_chosen)
        self.compare_combo = QComboBox()
        self.compare_combo.setMinimumContentsLength(10)
        self.compare_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.stored_combo = QComboBox()
        self.stored_combo.setMinimumContentsLength(12)
        self.stored_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        first = QHBoxLayout()
        first.addWidget(QLabel("Scenario:"))
        first.addWidget(self.open_combo, 1)
        first.addWidget(_button("Duplicate", page.duplicate_scenario))
        first.addWidget(_button("Save", page.save_scenario))
        first.addWidget(_button("Save as file…", self._on_save_file_clicked))
        first.addWidget(QLabel("Compare with:"))
        first.addWidget(self.compare_combo, 1)
        first.addWidget(_button("Compare", self._on_compare_clicked))
        self.saved_label = QLabel(UNSAVED)
        self.saved_label.setWordWrap(True)
        self.starter_button = _button("Plan the latest run", lambda: page.start_from_run())
        self.starter_button.setToolTip(
            "A new scenario: this machine against a cloud instance and a managed API, saved"
        )
        second = QHBoxLayout()
        second.addWidget(self.starter_button)
        second.addWidget(_button("New from example", page.load_example))
        second.addWidget(_button("Load file…", self._on_load_clicked))
        second.addWidget(self.stored_combo, 1)
        second.addWidget(_button("Open stored", self._on_open_stored_clicked))
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.addLayout(first)
        rows.addLayout(second)
        rows.addWidget(self.saved_label)

    def set_can_start(self, plannable: bool) -> None:
        """Offer "Plan the latest run" only when a run can be planned."""
        self.starter_button.setEnabled(plannable)

    def show_saved(self, saved_text: str | None, current_text: str) -> None:
        """Whether the open scenario is stored as shown (what Reports will use)."""
        if saved_text is None:
            self.saved_label.setText(UNSAVED)
        else:
            self.saved_label.setText(SAVED if saved_text == current_text else CHANGED)

    def set_open_names(self, names: list[str], current: int) -> None:
        for combo in (self.open_combo, self.compare_combo):
            combo.blockSignals(True)
            chosen = combo.currentIndex()
            combo.clear()
            combo.addItems(names)
            combo.setCurrentIndex(current if combo is self.open_combo else max(chosen, 0))
            combo.blockSignals(False)

    def refresh_stored(self, opened: OpenedDatabase) -> None:
        _fill_stored(self.stored_combo, opened)

    def _on_open_chosen(self, index: int) -> None:
        self._page.switch_to(index)

    def _on_compare_clicked(self) -> None:
        self._page.compare(self.compare_combo.currentIndex())

    def _on_open_stored_clicked(self) -> None:
        scenario_id = self.stored_combo.currentData()
        if scenario_id:
            self._page.load_stored_scenario(str(scenario_id))

    def _on_load_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load scenario", "", _FILTER)
        if path:
            self._page.load_scenario_file(Path(path))

    def _on_save_file_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save scenario as", "scenario.toml", _FILTER)
        if path:
            self._page.save_scenario_file(Path(path))


class EmptyState(QWidget):
    """What the page shows before any scenario is open: what to do next."""

    def __init__(self, page: PlanPage) -> None:
        super().__init__()
        self._page = page
        self.message = QLabel(NO_RUNS)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.message.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.message.setFont(font)
        self.stored_combo = QComboBox()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.starter_button = _button("Plan the latest run", lambda: page.start_from_run())
        self.starter_button.setToolTip("This machine against a cloud instance and a managed API")
        buttons.addWidget(self.starter_button)
        buttons.addWidget(_button("Start from the example", page.load_example))
        buttons.addWidget(_button("Load scenario file…", self._on_load_clicked))
        buttons.addWidget(self.stored_combo)
        buttons.addWidget(_button("Open stored", self._on_open_stored_clicked))
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addStretch(2)

    def set_has_runs(self, has_runs: bool, plannable: bool) -> None:
        self.message.setText(HAS_RUNS if plannable else ONLY_OFFLINE if has_runs else NO_RUNS)
        self.starter_button.setEnabled(plannable)

    def refresh_stored(self, opened: OpenedDatabase) -> None:
        _fill_stored(self.stored_combo, opened)

    def _on_load_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load scenario", "", _FILTER)
        if path:
            self._page.load_scenario_file(Path(path))

    def _on_open_stored_clicked(self) -> None:
        scenario_id = self.stored_combo.currentData()
        if scenario_id:
            self._page.load_stored_scenario(str(scenario_id))
