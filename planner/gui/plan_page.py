"""The Plan page: edit a scenario and see its costs recompute live; save, load, compare.

GUI thread, except the computing: the scenario is a dict edited by the form (or as TOML
text); every change restarts a 150 ms single-shot timer for the deterministic plan and
a 400 ms one for sensitivity and Monte Carlo. When a timer fires, the scenario is
resolved here (it reads stored runs and catalogues, cached; a few milliseconds) and
computed on a :class:`~planner.gui.plan_compute.PlanWorker` thread, so no edit stalls
the window while 10,000 draws are drawn. Problems are shown in a red line on the page,
never raised out of a slot.

"Plan the latest run" opens the starter scenario and stores it with its plan at once,
so the Reports page can use it; afterwards the toolbar says whether the open scenario
has changes the stored plan lacks.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPlainTextEdit, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from planner.core.errors import PlannerError
from planner.core.plan_result import PlanResult
from planner.gui.context import AppContext
from planner.gui.plan_compute import Recompute, single_shot
from planner.gui.plan_notes import staff_note
from planner.gui.plan_results import PlanResults
from planner.gui.plan_toolbar import EmptyState, PlanToolbar, editor_tabs, error_label
from planner.gui.scenario_form import ScenarioForm
from planner.planning.scenario_writer import to_toml
from planner.services import scenarios as plan_scenarios
from planner.services.plans import ComputedPlan, plan_from_text, store_plan

TEXT_DELAY_MS = 300


class PlanPage(QWidget):
    """Scenario editor (form and TOML), result charts, and scenario management."""

    plan_computed = Signal(object)
    uncertainty_computed = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.scenarios: list[dict[str, Any]] = []
        self.sources: list[str | None] = []
        self.notes: list[tuple[str, ...]] = []
        self.saved: list[str | None] = []
        self.current = -1
        self.result: PlanResult | None = None
        self.error = ""
        self.recompute = Recompute(context.opened, self._current_scenario, self)
        self.recompute.plan_ready.connect(self._on_plan_ready)
        self.recompute.uncertainty_ready.connect(self._on_uncertainty_ready)
        self.recompute.failed.connect(self._show_error)
        self._text_timer = single_shot(self, TEXT_DELAY_MS, self._on_text_due)
        self.toolbar = PlanToolbar(self)
        self.empty = EmptyState(self)
        self.error_label = error_label()
        self.form = ScenarioForm()
        self.form.scenario_edited.connect(self._on_form_edited)
        self.text = QPlainTextEdit()
        self.text.textChanged.connect(self._on_text_changed)
        self.results = PlanResults()
        self.editor_tabs = editor_tabs(self.form, self.text)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.editor_tabs)
        splitter.addWidget(self.results)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([460, 540])
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(splitter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.error_label)
        layout.addWidget(self.stack, 1)
        self.toolbar.hide()
        context.runs_changed.connect(self._on_data_changed)
        context.catalog_changed.connect(self._on_catalog_changed)
        context.plans_changed.connect(self._on_plans_changed)
        context.runs_sent_to_plan.connect(self.use_runs)
        self._on_data_changed()
        self._on_plans_changed()

    @property
    def scenario(self) -> dict[str, Any]:
        return copy.deepcopy(self.scenarios[self.current]) if self.scenarios else {}

    @property
    def longest_stall_ms(self) -> float:
        """The longest the GUI thread spent on one recompute (resolving, drawing)."""
        return self.recompute.longest_stall_ms

    def _current_scenario(self) -> dict[str, Any] | None:
        return self.scenarios[self.current] if self.scenarios else None

    def open_scenario(
        self, scenario: dict[str, Any], source: str | None = None, notes: tuple[str, ...] = ()
    ) -> None:
        """Add ``scenario`` to the open scenarios, show it and compute it."""
        self.scenarios.append(copy.deepcopy(scenario))
        self.sources.append(source)
        self.notes.append(tuple(notes))
        self.saved.append(None)
        self.toolbar.set_open_names(self._names(), len(self.scenarios) - 1)
        self.switch_to(len(self.scenarios) - 1)

    def switch_to(self, index: int) -> None:
        if not 0 <= index < len(self.scenarios):
            return
        self.current = index
        self.stack.setCurrentIndex(1)
        self.toolbar.show()
        self.form.set_scenario(self.scenarios[index])
        self._show_text()
        self._show_notes()
        self._schedule()

    def start_from_run(self, run_id: str | None = None) -> None:
        """Open and store the first-plan scenario for ``run_id`` (default: the newest run
        it can use), so the Reports page has a plan at once."""
        runs = plan_scenarios.plannable_runs(self.context.opened)
        chosen = run_id or (runs[0].id if runs else None)
        if chosen is None:
            self._show_error(plan_scenarios.NO_PLANNABLE_RUN)
            return
        opened = self.context.opened

        def open_starter() -> None:
            scenario, notes = plan_scenarios.starter_plan(opened, chosen)
            self.open_scenario(scenario, None, notes)

        if self._attempt(open_starter):
            self.save_scenario()

    def load_example(self) -> None:
        self._attempt(lambda: self.open_scenario(plan_scenarios.example_scenario(), None))

    def load_scenario_file(self, path: Path) -> None:
        read = plan_scenarios.read_scenario_file
        if self._attempt(lambda: self.open_scenario(read(path), str(path))):
            self.context.remember_file(str(path))

    def load_stored_scenario(self, scenario_id: str) -> None:
        opened = self.context.opened
        self._attempt(
            lambda: self.open_scenario(plan_scenarios.stored_scenario(opened, scenario_id))
        )

    def duplicate_scenario(self) -> None:
        if not self.scenarios:
            return
        doc = self.scenario
        doc["name"] = plan_scenarios.copy_name(str(doc.get("name", "scenario")), set(self._names()))
        self.open_scenario(doc, None, self.notes[self.current])

    def save_scenario(self) -> ComputedPlan | None:
        """Store the scenario and its plan (with Monte Carlo) in the database.

        The plan the worker computed for exactly this text is stored as it is; only a
        Save before it arrives computes here, on the GUI thread.
        """
        if not self.scenarios:
            return None
        opened, source = self.context.opened, self.sources[self.current]
        try:
            text = to_toml(self.scenarios[self.current])
            ready = self.recompute.complete_plan(text)
            if ready is None:
                saved = plan_from_text(opened, text, source)
            else:
                saved = store_plan(opened, text, source, *ready)
        except PlannerError as exc:
            self._show_error(f"not saved: {exc}")
            return None
        self.saved[self.current] = text
        self._show_saved_state()
        self.context.plans_changed.emit()
        self.context.post_status(
            f"Saved scenario {saved.result.scenario!r}, plan {saved.plan_id[:8]}: "
            "the Reports page can report it"
        )
        return saved

    def save_scenario_file(self, path: Path) -> ComputedPlan | None:
        """Write the scenario as TOML to ``path``, then store it like ``save_scenario``."""
        if not self.scenarios:
            return None
        try:
            plan_scenarios.write_scenario_file(path, self.scenarios[self.current])
        except PlannerError as exc:
            self._show_error(str(exc))
            return None
        self.sources[self.current] = str(path)
        self.context.remember_file(str(path))
        return self.save_scenario()

    def compare(self, other: int) -> bool:
        """Show the current scenario's totals next to open scenario ``other``'s."""
        if not (0 <= other < len(self.scenarios) and self.scenarios):
            return False
        try:
            pair = [
                (self._names()[i], self.recompute.deterministic(self.scenarios[i]))
                for i in (self.current, other)
            ]
        except PlannerError as exc:
            self._show_error(f"cannot compare: {exc}")
            return False
        self.results.compare.show_comparison(pair[0], pair[1])
        self.results.setCurrentWidget(self.results.compare)
        return True

    def _names(self) -> list[str]:
        return [str(s.get("name", "scenario")) for s in self.scenarios]

    def shutdown(self) -> None:
        """Stop pending recomputes and the worker thread (call before the database closes)."""
        self._text_timer.stop()
        self.recompute.shutdown()

    def _attempt(self, action: Any) -> bool:
        try:
            action()
        except PlannerError as exc:
            self._show_error(str(exc))
            return False
        except Exception as exc:  # noqa: BLE001 - shown inline, never a crash
            self._show_error(f"unexpected {type(exc).__name__}: {exc}")
            return False
        return True

    def _schedule(self) -> None:
        self.recompute.schedule()
        self.results.show_uncertainty_pending()
        self._show_saved_state()

    def _show_text(self) -> None:
        self.text.blockSignals(True)
        self.text.setPlainText(to_toml(self.scenarios[self.current]))
        self.text.blockSignals(False)

    def _show_notes(self) -> None:
        notes = list(self.notes[self.current])
        staff = staff_note(self.scenarios[self.current], self.recompute.resolver.catalog())
        self.results.set_notes(notes + ([staff] if staff else []))

    def _show_saved_state(self) -> None:
        if self.scenarios:
            text = to_toml(self.scenarios[self.current])
            self.toolbar.show_saved(self.saved[self.current], text)

    def _show_error(self, message: str) -> None:
        self.error = message
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def _on_plan_ready(self, result: PlanResult) -> None:
        self._show_error("")
        self.result = result
        self.results.show_plan(result)
        self.plan_computed.emit(result)

    def _on_uncertainty_ready(self, result: PlanResult) -> None:
        self.results.show_uncertainty(result)
        self.uncertainty_computed.emit(result)

    def _on_form_edited(self, scenario: dict[str, Any]) -> None:
        self.scenarios[self.current] = scenario
        self.toolbar.set_open_names(self._names(), self.current)
        self._show_text()
        self._schedule()

    def _on_text_changed(self) -> None:
        self._text_timer.start()

    def _on_text_due(self) -> None:
        try:
            doc = plan_scenarios.scenario_from_text(self.text.toPlainText())
        except PlannerError as exc:
            self.recompute.cancel()
            self._show_error(str(exc))
            return
        self.scenarios[self.current] = doc
        self.form.set_scenario(doc)
        self.toolbar.set_open_names(self._names(), self.current)
        self._schedule()

    def use_runs(self, run_ids: list) -> None:
        """Plan with ``run_ids``: a starter plan, or the open scenario's measured options."""
        ids = [str(r) for r in run_ids]
        if not self.scenarios:
            self.start_from_run(ids[0])
            return
        self.scenarios[self.current] = plan_scenarios.with_runs(self.scenarios[self.current], ids)
        self.switch_to(self.current)
        self.context.post_status(f"Plan uses run {', '.join(i[:8] for i in ids)}")

    def _on_data_changed(self) -> None:
        self.recompute.forget_runs()
        runs = plan_scenarios.completed_runs(self.context.opened)
        plannable = bool(plan_scenarios.plannable_runs(self.context.opened))
        resolver = self.recompute.resolver
        self.form.set_context(resolver.catalog(), runs, resolver.measured_load)
        self.empty.set_has_runs(bool(runs), plannable)
        self.toolbar.set_can_start(plannable)
        if self.scenarios:
            self._schedule()

    def _on_catalog_changed(self) -> None:
        self.recompute.forget_catalog()
        self._on_data_changed()

    def _on_plans_changed(self) -> None:
        self.toolbar.refresh_stored(self.context.opened)
        self.empty.refresh_stored(self.context.opened)
