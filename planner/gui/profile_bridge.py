"""The Qt bridge to a profiling worker: a QThread that turns runner messages into signals.

:meth:`ProfileBridge.run` executes on the bridge's own thread. It owns the
:class:`~planner.profiling.runner.ProfileRunner` (every runner call happens there), polls it
every 0.1 s and emits each message as ``message_received``, the terminal one also as
``run_ended``. It never touches widgets or the database: slots on the GUI thread store the
messages and update charts.

When the page knows no machine id yet (the Machine page has not finished its probe), the
bridge first collects the inventory on its thread and hands it over as
``inventory_collected`` (stored by the GUI thread), so the GUI thread never probes hardware.
``cancel`` may be called from any thread; the bridge thread passes it on to the runner.
An unexpected error in the bridge itself ends as ``bridge_failed`` with a one-line reason.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QThread, Signal

from planner.core.machine import Inventory
from planner.core.run import RunConfig
from planner.hardware.inventory import collect_inventory
from planner.profiling.messages import TERMINAL
from planner.profiling.runner import ProfileRunner

POLL_S = 0.1
Collector = Callable[[], Inventory]


class ProfileBridge(QThread):
    """One run: optional inventory probe, then the runner's messages as signals."""

    inventory_collected = Signal(object)
    inventory_failed = Signal(str)
    message_received = Signal(object)
    run_ended = Signal(object)
    bridge_failed = Signal(str)

    def __init__(
        self,
        config: RunConfig,
        *,
        probe_machine: bool = False,
        backend: str = "process",
        collector: Collector = collect_inventory,
    ) -> None:
        super().__init__()
        self.runner = ProfileRunner(config, backend=backend)
        self.run_id = self.runner.run_id
        self._probe_machine = probe_machine
        self._collector = collector
        self._cancel_requested = threading.Event()

    def cancel(self) -> None:
        """Ask the run to stop after its current window; finished points are kept."""
        self._cancel_requested.set()

    def run(self) -> None:
        if self._probe_machine:
            try:
                self.inventory_collected.emit(self._collector())
            except Exception as exc:  # noqa: BLE001 - reported, the run goes on unattributed
                self.inventory_failed.emit(f"{type(exc).__name__}: {exc}")
        try:
            self._listen()
        except Exception as exc:  # noqa: BLE001 - the page shows it; the thread ends cleanly
            self.bridge_failed.emit(f"{type(exc).__name__}: {exc}")

    def _listen(self) -> None:
        runner = self.runner
        runner.start()
        cancelled = False
        while not runner.done:
            if self._cancel_requested.is_set() and not cancelled:
                runner.cancel()
                cancelled = True
            message = runner.poll(POLL_S)
            if message is None:
                continue
            self.message_received.emit(message)
            if isinstance(message, TERMINAL):
                self.run_ended.emit(message)
