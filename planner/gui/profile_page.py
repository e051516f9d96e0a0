"""The Profile page: choose models and settings, run with one click, watch it live, cancel.

GUI thread, except the run itself: a :class:`~planner.gui.profile_bridge.ProfileBridge`
QThread owns the worker and emits its messages; the slots here store each one through
:class:`~planner.services.profiles.RunRecorder` on the GUI thread's connection and append
to the live charts, which redraw on their own frame timer.

Machine id: ``prepare_run`` is given the Machine page's id so it never probes hardware on
this thread. When none is known yet, the bridge collects the inventory on its thread before
starting the worker, and :meth:`ProfilePage._on_inventory_collected` stores it here.
Several selected models (and providers) run one after another. With "save inputs"
ticked, the dims, ranges and input files are saved for each model before the runs start.
Dims planner assumed are named with their reason while the run goes and when it ends.
Each finished point is listed as it arrives (UNSTABLE ones in red, with the reason), and
points the budget left unmeasured are named when the run ends. A generative run shows
token charts (TTFT and TPOT distributions, output tokens/s against sequences) instead
of the latency charts. Errors never escape a slot: they show in the red line under the
buttons and in the status bar.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from planner.core.machine import Inventory
from planner.core.run import RunConfig, Scenario
from planner.gui.context import AppContext
from planner.gui.profile_bridge import ProfileBridge
from planner.gui.profile_charts import LiveCharts
from planner.gui.profile_form import ProfileForm
from planner.gui.profile_points import PointLog, assumed_text, run_summary
from planner.gui.profile_token_charts import TokenCharts
from planner.profiling.messages import (
    Message,
    PointFinished,
    PointStarted,
    Progress,
    RunFailed,
    RunFinished,
    RunStarted,
)
from planner.services.profiles import (
    PreparedRun,
    RunRecorder,
    prepare_run,
    save_input_settings,
    saved_input_settings,
    warm_up_generative,
)
from planner.storage.machines import MachineRepository
from planner.storage.models import ModelRepository

NO_MODELS = "No models yet: add an ONNX file on the Models page."
READY = "Choose models and settings, then press Start."


class ProfilePage(QWidget):
    """Runs profiles and shows them live; ``run_ended(run_id)`` after each stored run."""

    run_ended = Signal(str)

    def __init__(
        self,
        context: AppContext,
        machine_id_provider: Callable[[], str | None] = lambda: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        warm_up_generative()  # the first generative Start then finds the probe answered
        self._context = context
        self._machine_id_provider = machine_id_provider
        self.bridge: ProfileBridge | None = None
        self._queue: list[RunConfig] = []
        self._prepared: PreparedRun | None = None
        self._recorder: RunRecorder | None = None
        self._t0 = 0.0
        self._point_t0 = 0.0
        self._planned: tuple[str, ...] = ()
        self.form = ProfileForm(
            ModelRepository(context.db), lambda sha: saved_input_settings(context.opened, sha)
        )
        self.start_button = QPushButton("Start")
        self.start_button.clicked.connect(self._on_start_clicked)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setFormat("idle")
        self.info_label = QLabel()
        self.info_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.hide()
        self.charts = LiveCharts()
        self.token_charts = TokenCharts()
        self.chart_stack = QStackedWidget()
        self.chart_stack.addWidget(self.charts)
        self.chart_stack.addWidget(self.token_charts)
        self.point_log = PointLog()
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)
        form_area = QScrollArea()
        form_area.setWidgetResizable(True)
        form_area.setFrameShape(QFrame.Shape.NoFrame)
        form_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        form_area.setWidget(self.form)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(form_area, 1)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.info_label)
        left_layout.addWidget(self.error_label)
        left_layout.addWidget(self.point_log)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.chart_stack)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        context.models_changed.connect(self._on_models_changed)
        self._on_models_changed()

    @property
    def running(self) -> bool:
        return self.bridge is not None

    def shutdown(self) -> None:
        """Cancel a running profile and wait for its thread (call when the window closes)."""
        self._queue.clear()
        if self.bridge is not None:
            self.bridge.cancel()
            self.bridge.wait(30_000)

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
        if message:
            self._context.post_status(message)

    def _on_models_changed(self) -> None:
        self.form.refresh()
        empty = self.form.model_list.count() == 0
        self.start_button.setEnabled(not empty and not self.running)
        if not self.running:
            self.info_label.setText(NO_MODELS if empty else READY)

    def _on_start_clicked(self) -> None:
        self.show_error("")
        try:
            self._queue = self.form.configs()
            if self.form.save_inputs_check.isChecked():
                settings = self.form.input_settings()
                for info in self.form.selected_models():
                    save_input_settings(self._context.opened, info.path, settings)
                self.form.refresh()
        except Exception as exc:  # noqa: BLE001 - shown inline, never a crash
            self._queue = []
            self.show_error(str(exc))
            return
        self._start_next()

    def _start_next(self) -> None:
        if not self._queue:
            self._set_running(False)
            return
        config = self._queue.pop(0)
        machine_id = self._machine_id_provider()
        try:
            self._prepared = prepare_run(self._context.opened, config, machine_id or "")
            self.bridge = ProfileBridge(config, probe_machine=machine_id is None)
        except Exception as exc:  # noqa: BLE001 - one-line PlannerError, shown inline
            self._queue.clear()
            self._set_running(False)
            self.show_error(str(exc))
            return
        self._recorder = None
        bridge = self.bridge
        bridge.inventory_collected.connect(self._on_inventory_collected)
        bridge.inventory_failed.connect(self._on_inventory_failed)
        bridge.message_received.connect(self._on_message_received)
        bridge.run_ended.connect(self._on_run_ended)
        bridge.bridge_failed.connect(self._on_bridge_failed)
        bridge.finished.connect(self._on_bridge_finished)
        self.charts.reset()
        self.token_charts.reset()
        self.point_log.clear()
        self._planned = ()
        generative = config.scenario == Scenario.GENERATIVE
        self.chart_stack.setCurrentWidget(self.token_charts if generative else self.charts)
        self._set_running(True)
        self.info_label.setText(f"Starting {config.scenario} run of {config.model_path}…")
        bridge.start()

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running and self.form.model_list.count() > 0)
        self.cancel_button.setEnabled(running)
        self.form.setEnabled(not running)

    def _on_cancel_clicked(self) -> None:
        self._queue.clear()
        if self.bridge is not None:
            self.bridge.cancel()
            self.cancel_button.setEnabled(False)
            self.info_label.setText("Cancelling after the current measurement window…")

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
            self._record(message)
            self._show(message)
        except Exception as exc:  # noqa: BLE001 - stop the run rather than lose track of it
            self.show_error(f"Could not store the run: {exc}")
            if self.bridge is not None:
                self.bridge.cancel()

    def _record(self, message: Message) -> None:
        if self._recorder is None:
            assert self._prepared is not None and self.bridge is not None
            self._recorder = RunRecorder(self._context.opened, self._prepared, self.bridge.run_id)
        self._recorder.record(message)

    def _show(self, message: Message) -> None:
        now = time.monotonic()
        if isinstance(message, RunStarted):
            self._t0 = now
            self._planned = message.planned_points
            points = ", ".join(message.planned_points)
            assumed = assumed_text(message.assumed)
            self.info_label.setText(f"Running {message.model_name}: {points}{assumed}")
        elif isinstance(message, PointStarted):
            self._point_t0 = now
        elif isinstance(message, Progress):
            self.progress.setValue(round(message.fraction * 1000))
            self.progress.setFormat(f"%p%  {message.label}  ETA {message.eta_s:.0f} s")
            self.charts.add_window(now - self._t0, message.p50_ms)
        elif isinstance(message, PointFinished):
            self.charts.add_point(message.point, self._point_t0 - self._t0, now - self._t0)
            self.token_charts.add_point(message.point)
            self.point_log.add_point(message.point)

    def _on_run_ended(self, message: RunFinished | RunFailed) -> None:
        result = message.result
        text = run_summary(result, self._planned)
        if isinstance(message, RunFailed):
            text += f" ({message.reason})"
            self.show_error(text)
        else:
            self._context.post_status(text)
        self.info_label.setText(text + assumed_text(result.assumed))
        if result.status == "completed":
            self.progress.setValue(1000)
        self.progress.setFormat(f"%p%  {result.status}")
        self.charts.stop()
        self._context.runs_changed.emit()
        self.run_ended.emit(result.id)

    def _on_bridge_failed(self, message: str) -> None:
        self._queue.clear()
        self.charts.stop()
        self.show_error(f"The run could not be driven: {message}")

    def _on_bridge_finished(self) -> None:
        if self.bridge is not None:
            self.bridge.wait()
            self.bridge.deleteLater()
        self.bridge = None
        self._start_next()
