"""A model family compared in the app: a scenario to price it, the headline, table and notes.

GUI thread, except building the comparison: reading each member's run and pricing it
with a scenario (one plan a member) takes tens of milliseconds for a small family and
grows with the runs' samples, so a one-thread pool builds the
:class:`~planner.core.variant_table.FamilyTable` through a read-only connection of its
own (``family_table_from_file``) and hands it back as a queued signal. Each request has
a number; a table that a newer request has overtaken is dropped, so a quick change of
selection or scenario never shows an old family. The table is the one ``planner
variants`` prints and the PDF shows (``planner.services.variant_table``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from planner.core.text import printable
from planner.core.variant_table import FamilyTable
from planner.gui.context import AppContext
from planner.gui.variants_view import VariantsTable
from planner.services.scenarios import stored_scenarios
from planner.services.variant_table import family_table_from_file

NO_SCENARIO = "none (no cost column)"
UNPROFILED = (
    "Rows without figures are not profiled yet: Make variants… profiles new ones, or "
    "profile them on the Profile page."
)


class _Relay(QObject):
    """Carries a table from the pool thread back to the GUI thread (queued signals)."""

    built = Signal(int, object)
    failed = Signal(int, str)


class _Build(QRunnable):
    """One family table, built on the pool's thread."""

    def __init__(self, relay: _Relay, number: int, db: Path, parent: str, scenario: str | None):
        super().__init__()
        self._relay, self._number = relay, number
        self._db, self._parent, self._scenario = db, parent, scenario

    def run(self) -> None:
        try:
            table = family_table_from_file(self._db, self._parent, self._scenario)
        except Exception as exc:  # noqa: BLE001 - shown under the table, never a crash
            self._relay.failed.emit(self._number, str(exc))
            return
        self._relay.built.emit(self._number, table)


class VariantsPanel(QWidget):
    """The family of ``show_family(parent_id)``; ``table_shown`` after each table arrives."""

    table_shown = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._parent_id: str | None = None
        self._number = 0
        self._pending = False
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay()
        self._relay.built.connect(self._on_built)
        self._relay.failed.connect(self._on_failed)
        self.scenario_combo = QComboBox()
        self.scenario_combo.setToolTip(
            "Price each model with a stored scenario's first on-prem or cloud option"
        )
        self.scenario_combo.activated.connect(lambda _index: self.refresh())
        self.state_label = QLabel()
        self.headline_label = QLabel()
        self.headline_label.setWordWrap(True)
        self.headline_label.setStyleSheet("font-weight: bold;")
        self.headline_label.hide()
        self.table = VariantsTable()
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet("color: palette(placeholder-text);")
        row = QHBoxLayout()
        row.addWidget(QLabel("Price with scenario:"))
        row.addWidget(self.scenario_combo, 1)
        row.addWidget(self.state_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.headline_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notes_label)
        context.plans_changed.connect(self.reload_scenarios)
        context.runs_changed.connect(self.refresh)
        self.reload_scenarios()

    @property
    def busy(self) -> bool:
        """A table is on its way."""
        return self._pending

    def reload_scenarios(self) -> None:
        """List the stored scenarios again, keeping the one chosen if it still exists."""
        chosen = self.scenario_combo.currentData()
        self.scenario_combo.clear()
        self.scenario_combo.addItem(NO_SCENARIO, None)
        for stored in stored_scenarios(self._context.opened):
            self.scenario_combo.addItem(printable(stored.name), stored.id)
        index = self.scenario_combo.findData(chosen)
        self.scenario_combo.setCurrentIndex(max(index, 0))
        if index < 0 and chosen is not None:
            self.refresh()

    def choose_scenario(self, scenario_id: str | None) -> None:
        """Price with ``scenario_id`` (None: no cost column), as if picked in the list."""
        self.scenario_combo.setCurrentIndex(max(self.scenario_combo.findData(scenario_id), 0))
        self.refresh()

    def show_family(self, parent_id: str | None) -> None:
        """Compare the family of ``parent_id`` (None: clear the table)."""
        if parent_id != self._parent_id:
            self._parent_id = parent_id
            self._show(None)
        self.refresh()

    def refresh(self) -> None:
        """Build the current family's table again (runs or the scenario changed)."""
        self._number += 1
        self._pending = self._parent_id is not None
        if self._parent_id is None:
            self.state_label.clear()
            self._show(None)
            return
        scenario = self.scenario_combo.currentData()
        self.state_label.setText("pricing…" if scenario else "comparing…")
        job = _Build(
            self._relay, self._number, self._context.opened.path, self._parent_id, scenario
        )
        self._pool.start(job)

    def _on_built(self, number: int, table: FamilyTable) -> None:
        if self._current(number):
            self._show(table)
            self.table_shown.emit()

    def _on_failed(self, number: int, message: str) -> None:
        if self._current(number):
            self._show(None)
            self.notes_label.setText(f"Could not compare the family: {printable(message)}")
            self.table_shown.emit()

    def _current(self, number: int) -> bool:
        """Whether ``number`` answers the newest request (which then is answered)."""
        if number != self._number:
            return False
        self._pending = False
        self.state_label.clear()
        return True

    def _show(self, table: FamilyTable | None) -> None:
        self.table.show_table(table)
        headline = None if table is None else table.headline
        self.headline_label.setText(printable(headline or ""))
        self.headline_label.setVisible(bool(headline))
        lines: list[str] = []
        if table is not None:
            lines = [*table.reading, *table.notes] + ([UNPROFILED] if table.unprofiled else [])
        self.notes_label.setText("\n".join(printable(line) for line in lines))
