"""Profiling runs one after another, each stored as its messages arrive.

GUI thread, except the runs themselves: each goes to a
:class:`~planner.gui.profile_bridge.ProfileBridge` QThread whose worker runs in a child
process; the slots here store every message through
:class:`~planner.services.profiles.RunRecorder` on the GUI thread's connection and then
pass it on. The Profile page and the Models page (profiling new variants) each have one;
the window's context lets one of them run at a time, so two runs never skew each other.

Machine id: ``prepare_run`` is given the Machine page's id so it never probes hardware on
this thread. When none is known yet, the bridge collects the inventory on its thread
before starting the worker, and :meth:`RunQueue._on_inventory_collected` stores it here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from planner.core.machine import Inventory
from planner.core.run import RunConfig
from planner.gui.context import AppContext
from planner.gui.profile_bridge import ProfileBridge
from planner.profiling.messages import Message, RunFailed, RunFinished
from planner.services.profiles import PreparedRun, RunRecorder, prepare_run
from planner.storage.machines import MachineRepository

BUSY = (
    "Another profile is running in this window (the Profile page or Make variants…): start "
    "this one when it has finished, so the two do not skew each other's measurements"
)


class RunQueue(QObject):
    """Runs configurations in order; every signal arrives on the GUI thread.

    ``run_starting(config)`` before each run, ``message_stored(message)`` for each worker
    message once stored, ``run_ended(RunFinished | RunFailed)`` after ``runs_changed``,
    ``problem_posted(text)`` for a run that could not be prepared, stored or driven, and
    ``idle()`` when nothing is left to run.
    """

    run_starting = Signal(object)
    message_stored = Signal(object)
    run_ended = Signal(object)
    problem_posted = Signal(str)
    idle = Signal()

    def __init__(
        self,
        context: AppContext,
        machine_id_provider: Callable[[], str | None] = lambda: None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._machine_id_provider = machine_id_provider
        self.backend = "process"  # the profiling backend; tests may run "inprocess"
        self._queue: list[RunConfig] = []
        self._prepared: PreparedRun | None = None
        self._recorder: RunRecorder | None = None
        self.bridge: ProfileBridge | None = None

    @property
    def running(self) -> bool:
        return self.bridge is not None

    def start(self, configs: list[RunConfig]) -> None:
        """Queue ``configs`` behind any run in progress; start at once when idle."""
        self._queue.extend(configs)
        if not self.running:
            self._start_next()

    def cancel(self) -> bool:
        """Drop the queued runs and stop the current one after its window; True if one ran."""
        self._queue.clear()
        if self.bridge is None:
            return False
        self.bridge.cancel()
        return True

    def shutdown(self) -> None:
        """Cancel and wait for the run's thread (call when the window closes)."""
        self.cancel()
        if self.bridge is not None:
            self.bridge.wait(30_000)

    def _start_next(self) -> None:
        if self._queue and not self._context.claim_profiling(self):
            self._queue.clear()
            self.problem_posted.emit(BUSY)
        if not self._queue:
            self._context.release_profiling(self)
            self.idle.emit()
            return
        config = self._queue.pop(0)
        machine_id = self._machine_id_provider()
        try:
            self._prepared = prepare_run(self._context.opened, config, machine_id or "")
            bridge = ProfileBridge(config, probe_machine=machine_id is None, backend=self.backend)
        except Exception as exc:  # noqa: BLE001 - one-line PlannerError, shown by the page
            self._queue.clear()
            self.problem_posted.emit(str(exc))
            self._start_next()
            return
        self._recorder = None
        self.bridge = bridge
        bridge.inventory_collected.connect(self._on_inventory_collected)
        bridge.inventory_failed.connect(self._on_inventory_failed)
        bridge.message_received.connect(self._on_message_received)
        bridge.run_ended.connect(self._on_run_ended)
        bridge.bridge_failed.connect(self._on_bridge_failed)
        bridge.finished.connect(self._on_bridge_finished)
        self.run_starting.emit(config)
        bridge.start()

    def _on_inventory_collected(self, inventory: Inventory) -> None:
        try:
            machine_id = MachineRepository(self._context.db).save_inventory(inventory)
        except Exception as exc:  # noqa: BLE001 - the run is stored without its machine
            self._on_inventory_failed(str(exc))
            return
        if self._prepared is not None:
            self._prepared = replace(self._prepared, machine_id=machine_id)

    def _on_inventory_failed(self, message: str) -> None:
        if self._prepared is not None:
            self._prepared = replace(self._prepared, machine_id=None)
        self._context.post_status(
            f"Machine inventory unavailable, run stored without it: {message}"
        )

    def _on_message_received(self, message: Message) -> None:
        try:
            if self._recorder is None:
                assert self._prepared is not None and self.bridge is not None
                run_id = self.bridge.run_id
                self._recorder = RunRecorder(self._context.opened, self._prepared, run_id)
            self._recorder.record(message)
        except Exception as exc:  # noqa: BLE001 - stop the run rather than lose track of it
            self.problem_posted.emit(f"Could not store the run: {exc}")
            if self.bridge is not None:
                self.bridge.cancel()
            return
        self.message_stored.emit(message)

    def _on_run_ended(self, message: RunFinished | RunFailed) -> None:
        self._context.runs_changed.emit()
        self.run_ended.emit(message)

    def _on_bridge_failed(self, message: str) -> None:
        self._queue.clear()
        self.problem_posted.emit(f"The run could not be driven: {message}")

    def _on_bridge_finished(self) -> None:
        if self.bridge is not None:
            self.bridge.wait()
            self.bridge.deleteLater()
        self.bridge = None
        self._start_next()
