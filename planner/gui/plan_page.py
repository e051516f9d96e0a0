"""The Plan page: edit a scenario and see its costs recompute live; save, load, compare.

GUI thread only. The scenario is a dict edited by the form (or as TOML text); every
change restarts a 150 ms single-shot timer for the deterministic plan (well under a
millisecond of work) and a 400 ms one for sensitivity and Monte Carlo (about 120 ms for
10k draws), both computed on the GUI thread through ``compute_from_text``, which stores
nothing. Problems are shown in a red line on the page, never raised out of a slot.
"""

from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QPlainTextEdit,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from planner.core.errors import PlannerError
from planner.core.plan_result import PlanResult
from planner.gui.context import AppContext
from planner.gui.plan_results import PlanResults
from planner.gui.plan_toolbar import EmptyState, PlanToolbar, editor_tabs, error_label
from planner.gui.scenario_form import ScenarioForm
from planner.planning.scenario_writer import to_toml
from planner.services import scenarios as plan_scenarios
from planner.services.catalogs import load_catalog
from planner.services.plans import ComputedPlan, compute_from_text, plan_from_text

PLAN_DELAY_MS = 150
RISK_DELAY_MS = 400
TEXT_DELAY_MS = 300


def _timer(parent: QWidget, delay: int, slot: Any) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(delay)
    timer.timeout.connect(slot)
    return timer


class PlanPage(QWidget):
    """Scenario editor (form and TOML), result charts, and scenario management."""

    plan_computed = Signal(object)
    uncertainty_computed = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.scenarios: list[dict[str, Any]] = []
        self.sources: list[str | None] = []
        self.current = -1
        self.result: PlanResult | None = None
        self.error = ""
        self.longest_stall_ms = 0.0
        self._plan_timer = _timer(self, PLAN_DELAY_MS, self._on_plan_due)
        self._risk_timer = _timer(self, RISK_DELAY_MS, self._on_risk_due)
        self._text_timer = _timer(self, TEXT_DELAY_MS, self._on_text_due)
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
        splitter.setStretchFactor(1, 2)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(splitter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.error_label)
        layout.addWidget(self.stack, 1)
        context.runs_changed.connect(self._on_data_changed)
        context.catalog_changed.connect(self._on_data_changed)
        context.plans_changed.connect(self._on_plans_changed)
        context.runs_sent_to_plan.connect(self.use_runs)
        self._on_data_changed()
        self._on_plans_changed()

    @property
    def scenario(self) -> dict[str, Any]:
        return copy.deepcopy(self.scenarios[self.current]) if self.scenarios else {}

    def open_scenario(self, scenario: dict[str, Any], source: str | None = None) -> None:
        """Add ``scenario`` to the open scenarios, show it and compute it."""
        self.scenarios.append(copy.deepcopy(scenario))
        self.sources.append(source)
        self.toolbar.set_open_names(self._names(), len(self.scenarios) - 1)
        self.switch_to(len(self.scenarios) - 1)

    def switch_to(self, index: int) -> None:
        if not 0 <= index < len(self.scenarios):
            return
        self.current = index
        self.stack.setCurrentIndex(1)
        self.form.set_scenario(self.scenarios[index])
        self._show_text()
        self._schedule()

    def start_from_run(self, run_id: str | None = None) -> None:
        """Open the first-plan scenario for ``run_id`` (default: the newest run it can use)."""
        runs = plan_scenarios.plannable_runs(self.context.opened)
        chosen = run_id or (runs[0].id if runs else None)
        if chosen is None:
            self._show_error(plan_scenarios.NO_PLANNABLE_RUN)
            return
        opened = self.context.opened
        self._attempt(lambda: self.open_scenario(plan_scenarios.starter_scenario(opened, chosen)))

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
        self.open_scenario(doc)

    def save_scenario(self) -> ComputedPlan | None:
        """Store the scenario and its plan (with Monte Carlo) in the database."""
        if not self.scenarios:
            return None
        try:
            text = to_toml(self.scenarios[self.current])
            saved = plan_from_text(self.context.opened, text, self.sources[self.current])
        except PlannerError as exc:
            self._show_error(f"not saved: {exc}")
            return None
        self.context.plans_changed.emit()
        self.context.post_status(
            f"Saved scenario {saved.result.scenario!r}, plan {saved.plan_id[:8]}"
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
                (self._names()[i], self._compute(self.scenarios[i], uncertainty=False))
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
        """Stop pending recomputes (call before the database closes)."""
        for timer in (self._plan_timer, self._risk_timer, self._text_timer):
            timer.stop()

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

    def _compute(self, scenario: dict[str, Any], *, uncertainty: bool) -> PlanResult:
        started = time.perf_counter()
        try:
            _, _, result = compute_from_text(
                self.context.opened,
                to_toml(scenario),
                monte_carlo=uncertainty,
                sensitivity=uncertainty,
            )
        finally:
            stall = (time.perf_counter() - started) * 1000
            self.longest_stall_ms = max(self.longest_stall_ms, stall)
        return result

    def _schedule(self) -> None:
        self._plan_timer.start()
        self._risk_timer.start()
        self.results.show_uncertainty_pending()

    def _show_text(self) -> None:
        self.text.blockSignals(True)
        self.text.setPlainText(to_toml(self.scenarios[self.current]))
        self.text.blockSignals(False)

    def _show_error(self, message: str) -> None:
        self.error = message
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def _on_plan_due(self) -> None:
        if not self.scenarios:
            return
        self._show_error("")
        if not self._attempt(self._show_plan):
            self._risk_timer.stop()

    def _show_plan(self) -> None:
        self.result = self._compute(self.scenarios[self.current], uncertainty=False)
        self.results.show_plan(self.result)
        self.plan_computed.emit(self.result)

    def _on_risk_due(self) -> None:
        if not self.error and self.scenarios:
            self._attempt(self._show_uncertainty)

    def _show_uncertainty(self) -> None:
        result = self._compute(self.scenarios[self.current], uncertainty=True)
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
            self._plan_timer.stop()
            self._risk_timer.stop()
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
        runs = plan_scenarios.completed_runs(self.context.opened)
        self.form.set_context(load_catalog(self.context.opened), runs)
        self.empty.set_has_runs(bool(runs))
        if self.scenarios:
            self._schedule()

    def _on_plans_changed(self) -> None:
        self.toolbar.refresh_stored(self.context.opened)
        self.empty.refresh_stored(self.context.opened)
