"""Plan recomputation for the Plan page: resolve on the GUI thread, compute on a worker.

Resolving a scenario reads the database (runs, catalogues), which belongs to the GUI
thread, so :class:`ScenarioResolver` does it there, with the measured points and the
catalogue cached until ``runs_changed`` or ``catalog_changed`` (a few milliseconds per
edit). Computing is pure numpy over the resolved scenario: the deterministic plan takes
milliseconds, sensitivity and 10,000 Monte Carlo draws about a hundred, so
:class:`PlanWorker` runs both on a one-thread pool and hands results back as queued
signals. Each request has a number; a result that a newer request of the same kind has
overtaken is dropped, so fast typing never shows an old plan.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from planner.core.errors import PlannerError
from planner.core.plan import MeasuredLoad, MeasuredPoint, Scenario
from planner.core.plan_result import PlanResult
from planner.planning.catalog import Catalog
from planner.planning.engine import compute_plan
from planner.planning.resolve import measured_load, resolve_scenario
from planner.planning.scenario_file import ScenarioSpec, parse_scenario
from planner.planning.scenario_writer import to_toml
from planner.services.catalogs import load_catalog
from planner.services.plans import points_for
from planner.storage.database import OpenedDatabase

PLAN = "plan"
UNCERTAINTY = "uncertainty"
PLAN_DELAY_MS = 150
RISK_DELAY_MS = 400


def single_shot(parent: QObject, delay_ms: int, slot: Callable[[], None]) -> QTimer:
    """A single-shot timer of ``delay_ms`` calling ``slot``: each restart debounces."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(delay_ms)
    timer.timeout.connect(slot)
    return timer


class ScenarioResolver:
    """Scenario dicts to resolved scenarios, with stored runs and catalogue cached."""

    def __init__(self, opened: OpenedDatabase) -> None:
        self._opened = opened
        self._catalog: Catalog | None = None
        self._points: dict[tuple[str, bool], list[MeasuredPoint]] = {}
        self._run_ids: dict[tuple[str, bool], str] = {}

    def forget_runs(self) -> None:
        self._points.clear()
        self._run_ids.clear()

    def forget_catalog(self) -> None:
        self._catalog = None

    def catalog(self) -> Catalog:
        """The catalogues as stored (read once, until :meth:`forget_catalog`)."""
        if self._catalog is None:
            self._catalog = load_catalog(self._opened)
        return self._catalog

    def resolve(self, scenario: dict[str, Any]) -> Scenario:
        """The scenario with every default, run and price filled in; PlannerError if not."""
        return self.resolve_with_runs(scenario)[0]

    def resolve_with_runs(self, scenario: dict[str, Any]) -> tuple[Scenario, tuple[str, ...]]:
        """As :meth:`resolve`, with the ids of the stored runs its references resolved to."""
        spec = parse_scenario(to_toml(scenario))
        points = self._points_of(spec)
        kind = spec.demand.tokens is not None
        run_ids = tuple(self._run_ids[(r, kind)] for r in spec.required_run_ids)
        return resolve_scenario(spec, self.catalog(), points), run_ids

    def measured_load(self, scenario: dict[str, Any], index: int) -> MeasuredLoad | None:
        """The load power option ``index`` takes from its runs (for the form's hints), or
        None when it has none or the scenario does not resolve yet (mid-edit)."""
        try:
            spec = parse_scenario(to_toml(scenario))
            return measured_load(spec, index, self.catalog(), self._points_of(spec))
        except PlannerError:
            return None

    def _points_of(self, spec: ScenarioSpec) -> dict[str, list[MeasuredPoint]]:
        """The measured points of every run ``spec`` refers to, read once and cached by
        reference and demand kind ("latest" is the newest run of the demand's kind)."""
        kind = spec.demand.tokens is not None
        missing = tuple(r for r in spec.required_run_ids if (r, kind) not in self._points)
        if missing:
            found, used = points_for(self._opened, missing, kind)
            self._points.update({(r, kind): found[r] for r in missing})
            self._run_ids.update({(r, kind): u for r, u in zip(missing, used, strict=True)})
        return {r: self._points[(r, kind)] for r in spec.required_run_ids}


class _Relay(QObject):
    """Carries a result from the pool thread back to the GUI thread (queued signals)."""

    computed = Signal(str, int, object)
    failed = Signal(str, int, str)


class _Task(QRunnable):
    """One plan computation on the pool's thread."""

    def __init__(self, relay: _Relay, kind: str, number: int, scenario: Scenario) -> None:
        super().__init__()
        self._relay, self._kind, self._number, self._scenario = relay, kind, number, scenario

    def run(self) -> None:
        uncertain = self._kind == UNCERTAINTY
        try:
            result = compute_plan(self._scenario, sensitivity=uncertain, monte_carlo=uncertain)
        except PlannerError as exc:
            self._relay.failed.emit(self._kind, self._number, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - shown on the page, never a crash
            text = f"unexpected {type(exc).__name__}: {exc}"
            self._relay.failed.emit(self._kind, self._number, text)
            return
        self._relay.computed.emit(self._kind, self._number, result)


class PlanWorker(QObject):
    """``plan_ready(kind, result)`` / ``plan_failed(kind, message)`` for the newest request.

    Computations run one at a time on a private one-thread pool; destroying the worker
    waits for the one in progress, so no thread outlives the page.
    """

    plan_ready = Signal(str, object)
    plan_failed = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._latest: dict[str, int] = {}
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay()
        self._relay.computed.connect(self._on_computed)
        self._relay.failed.connect(self._on_failed)

    def submit(self, kind: str, scenario: Scenario) -> None:
        """Compute ``scenario`` (``PLAN``: deterministic; ``UNCERTAINTY``: with risk)."""
        number = self._latest.get(kind, 0) + 1
        self._latest[kind] = number
        self._pool.start(_Task(self._relay, kind, number, scenario))

    def cancel(self, kind: str) -> None:
        """Drop whatever result of ``kind`` is on its way."""
        self._latest[kind] = self._latest.get(kind, 0) + 1

    def pending(self, kind: str, number: int) -> bool:
        return self._latest.get(kind) == number

    def stop(self) -> None:
        """Drop queued work and wait for the computation in progress, if any."""
        self._latest.clear()
        self._pool.clear()
        self._pool.waitForDone()

    def _on_computed(self, kind: str, number: int, result: PlanResult) -> None:
        if self.pending(kind, number):
            self.plan_ready.emit(kind, result)

    def _on_failed(self, kind: str, number: int, message: str) -> None:
        if self.pending(kind, number):
            self.plan_failed.emit(kind, message)


class Recompute(QObject):
    """Debounced recomputation of whatever scenario ``current()`` returns.

    ``schedule()`` after every edit restarts both timers; when one fires the scenario is
    resolved on this (GUI) thread and computed by the worker. ``plan_ready`` and
    ``uncertainty_ready`` carry results, ``failed`` a one-line problem (the risk
    computation is skipped after a failed plan). ``longest_stall_ms`` is the longest
    this thread spent resolving, for the responsiveness benchmark and tests.
    """

    plan_ready = Signal(object)
    uncertainty_ready = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        opened: OpenedDatabase,
        current: Callable[[], dict[str, Any] | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.resolver = ScenarioResolver(opened)
        self.longest_stall_ms = 0.0
        self._current = current
        self._failed = False
        self._worker = PlanWorker(self)
        self._submitted: tuple[str, tuple[str, ...]] = ("", ())
        self._complete: tuple[str, tuple[str, ...], PlanResult] | None = None
        self._worker.plan_ready.connect(self._on_ready)
        self._worker.plan_failed.connect(self._on_failed)
        self._timers = {
            PLAN: single_shot(self, PLAN_DELAY_MS, lambda: self._on_due(PLAN)),
            UNCERTAINTY: single_shot(self, RISK_DELAY_MS, lambda: self._on_due(UNCERTAINTY)),
        }

    def schedule(self) -> None:
        for timer in self._timers.values():
            timer.start()

    def cancel(self) -> None:
        """Forget pending recomputes (the scenario cannot be read, say)."""
        for kind, timer in self._timers.items():
            timer.stop()
            self._worker.cancel(kind)

    def resolve(self, scenario: dict[str, Any]) -> Scenario:
        """Resolve on this thread, timing it as a stall of the event loop."""
        started = time.perf_counter()
        try:
            return self.resolver.resolve(scenario)
        finally:
            self.note_stall(started)

    def complete_plan(self, text: str) -> tuple[tuple[str, ...], PlanResult] | None:
        """The run ids and the plan with Monte Carlo already computed from exactly ``text``
        (the scenario as TOML) with today's runs and catalogue, or None: Save stores it
        instead of computing it again on this thread."""
        if self._complete is None or self._complete[0] != text:
            return None
        return self._complete[1], self._complete[2]

    def forget_runs(self) -> None:
        """Stored runs changed: read them again, and no computed plan is current."""
        self.resolver.forget_runs()
        self._complete = None

    def forget_catalog(self) -> None:
        """The catalogue changed: read it again, and no computed plan is current."""
        self.resolver.forget_catalog()
        self._complete = None

    def deterministic(self, scenario: dict[str, Any]) -> PlanResult:
        """``scenario``'s plan without risk, here and now (milliseconds: for Compare)."""
        return compute_plan(self.resolve(scenario), sensitivity=False, monte_carlo=False)

    def note_stall(self, started: float) -> None:
        stall = (time.perf_counter() - started) * 1000
        self.longest_stall_ms = max(self.longest_stall_ms, stall)

    def shutdown(self) -> None:
        for timer in self._timers.values():
            timer.stop()
        self._worker.stop()

    def _on_due(self, kind: str) -> None:
        scenario = self._current()
        if scenario is None or (kind == UNCERTAINTY and self._failed):
            return
        if kind == PLAN:
            self._failed = False
        try:
            started = time.perf_counter()
            try:
                resolved, run_ids = self.resolver.resolve_with_runs(scenario)
            finally:
                self.note_stall(started)
            if kind == UNCERTAINTY:
                self._submitted = (to_toml(scenario), run_ids)
            self._worker.submit(kind, resolved)
        except PlannerError as exc:
            self._fail(kind, str(exc))
        except Exception as exc:  # noqa: BLE001 - shown on the page, never a crash
            self._fail(kind, f"unexpected {type(exc).__name__}: {exc}")

    def _fail(self, kind: str, message: str) -> None:
        if kind == PLAN:
            self._failed = True
            self._timers[UNCERTAINTY].stop()
            self._worker.cancel(UNCERTAINTY)
        self.failed.emit(message)

    def _on_ready(self, kind: str, result: PlanResult) -> None:
        """Hand the result to the page; drawing it counts as this thread's time too."""
        started = time.perf_counter()
        if kind == UNCERTAINTY:
            self._complete = (*self._submitted, result)
        (self.plan_ready if kind == PLAN else self.uncertainty_ready).emit(result)
        self.note_stall(started)

    def _on_failed(self, kind: str, message: str) -> None:
        self._fail(kind, message)
