"""The Profile page: choose models and settings, run with one click, watch it live, cancel.

GUI thread, except the run itself: a :class:`~planner.gui.run_queue.RunQueue` hands each
run to a worker process and stores its messages on the GUI thread's connection (probing
the machine off this thread when the Machine page knows none yet); the slots here append
each stored message to the live charts, which redraw on their own frame timer.
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

from planner.core.run import RunConfig, Scenario
from planner.gui.context import AppContext
from planner.gui.profile_charts import LiveCharts
from planner.gui.profile_form import ProfileForm
from planner.gui.profile_points import PointLog, assumed_text, run_summary
from planner.gui.profile_token_charts import TokenCharts
from planner.gui.run_queue import RunQueue
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
    save_input_settings,
    saved_input_settings,
    warm_up_generative,
)
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
        self.runs = RunQueue(context, machine_id_provider, parent=self)
        self.runs.run_starting.connect(self._on_run_starting)
        self.runs.message_stored.connect(self._show)
        self.runs.run_ended.connect(self._on_run_ended)
        self.runs.problem_posted.connect(self._on_problem_posted)
        self.runs.idle.connect(lambda: self._set_running(False))
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
        return self.runs.running

    def shutdown(self) -> None:
        """Cancel a running profile and wait for its thread (call when the window closes)."""
        self.runs.shutdown()

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
            configs = self.form.configs()
            if self.form.save_inputs_check.isChecked():
                settings = self.form.input_settings()
                for info in self.form.selected_models():
                    save_input_settings(self._context.opened, info.path, settings)
                self.form.refresh()
        except Exception as exc:  # noqa: BLE001 - shown inline, never a crash
            self.show_error(str(exc))
            return
        self.runs.start(configs)

    def _on_run_starting(self, config: RunConfig) -> None:
        self.charts.reset()
        self.token_charts.reset()
        self.point_log.clear()
        self._planned = ()
        generative = config.scenario == Scenario.GENERATIVE
        self.chart_stack.setCurrentWidget(self.token_charts if generative else self.charts)
        self._set_running(True)
        self.info_label.setText(f"Starting {config.scenario} run of {config.model_path}…")

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running and self.form.model_list.count() > 0)
        self.cancel_button.setEnabled(running)
        self.form.setEnabled(not running)

    def _on_cancel_clicked(self) -> None:
        if self.runs.cancel():
            self.cancel_button.setEnabled(False)
            self.info_label.setText("Cancelling after the current measurement window…")

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
        self.run_ended.emit(result.id)

    def _on_problem_posted(self, message: str) -> None:
        self.charts.stop()
        self.show_error(message)
