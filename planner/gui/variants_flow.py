"""Make variants of a model from the app, store them, then profile the family.

GUI thread, except the work itself: the variants are made on a
:class:`~planner.gui.variants_view.VariantWorker` QThread (each in a child process) and
stored here, on the GUI thread, which owns the connection; then a
:class:`~planner.gui.run_queue.RunQueue` profiles the parent and each new variant with
the sweep ``planner variants`` uses (each run in a worker process, stored as it goes), so
the comparison fills in without a trip to the Profile page. ``cancel`` lets the variant
being made finish and skips the rest, and stops profiling after the current
measurement window; whatever was made or measured is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from planner.core.run import RunConfig, RunStatus
from planner.core.variant import VariantOutcome
from planner.gui.context import AppContext
from planner.gui.run_queue import RunQueue
from planner.gui.variants_view import VariantWorker
from planner.profiling.messages import Message, Progress, RunFailed, RunFinished
from planner.services.failures import describe_failure
from planner.services.variants import (
    DEFAULT_BUDGET_S,
    KindParams,
    default_folder,
    family_configs,
    store_outcomes,
)


class VariantsFlow(QObject):
    """``line_posted`` while it works, ``problem_posted`` for errors, ``finished(summary)``
    once making (and profiling, when asked) has ended."""

    line_posted = Signal(str)
    problem_posted = Signal(str)
    finished = Signal(str)

    def __init__(
        self,
        context: AppContext,
        machine_id_provider: Callable[[], str | None] = lambda: None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.budget_s = DEFAULT_BUDGET_S  # profiling time per model, as planner variants
        self._worker: VariantWorker | None = None
        self._profile = False
        self._cancelled = False
        self._configs: list[RunConfig] = []
        self._summary = ""
        self._ended = 0  # runs that ended, however
        self._profiled = 0  # runs that completed
        self.runs = RunQueue(context, machine_id_provider, parent=self)
        self.runs.run_starting.connect(self._on_run_starting)
        self.runs.message_stored.connect(self._on_message_stored)
        self.runs.run_ended.connect(self._on_run_ended)
        self.runs.problem_posted.connect(self.problem_posted)
        self.runs.idle.connect(self._on_profiled)

    @property
    def busy(self) -> bool:
        return self._worker is not None or self.runs.running

    def start(self, parent_path: Path, kinds: list[str], params: KindParams, profile: bool) -> None:
        """Make ``kinds`` of ``parent_path`` (then profile the family if ``profile``)."""
        folder = default_folder(self._context.opened, parent_path)
        worker = VariantWorker(parent_path, kinds, folder, params)
        worker.line_posted.connect(self.line_posted)
        worker.outcomes_made.connect(lambda outcomes: self._on_made(parent_path, outcomes))
        worker.making_failed.connect(self.problem_posted)
        worker.finished.connect(self._on_worker_finished)
        self._worker, self._profile, self._cancelled = worker, profile, False
        self._configs, self._summary, self._ended, self._profiled = [], "", 0, 0
        worker.start()

    def cancel(self) -> None:
        """Stop after the variant being made, or after the current measurement window."""
        self._cancelled = True
        if self._worker is not None:
            self._worker.cancel()
        self.runs.cancel()

    def shutdown(self) -> None:
        """Cancel and wait for the threads (call when the window closes)."""
        self.cancel()
        if self._worker is not None:
            self._worker.wait()
        self.runs.shutdown()

    def _on_made(self, parent_path: Path, outcomes: list[VariantOutcome]) -> None:
        try:
            stored = store_outcomes(self._context.opened, parent_path, outcomes)
        except Exception as exc:  # noqa: BLE001 - shown inline with its crash log, never a crash
            self.problem_posted.emit(describe_failure(exc))
            return
        self._context.models_changed.emit()
        made = [v for v in stored if v.outcome.made]
        self._summary = f"{len(made)} of {len(stored)} variant(s) made"
        if self._profile and made and not self._cancelled:
            parent = stored[0].parent_model_id
            self._configs = family_configs(self._context.opened, parent, self.budget_s, made)

    def _on_worker_finished(self) -> None:
        if self._worker is not None:
            self._worker.wait()
            self._worker.deleteLater()
        self._worker = None
        if self._configs and not self._cancelled:
            self.runs.start(self._configs)
        else:
            self._finish()

    def _on_run_starting(self, config: RunConfig) -> None:
        self.line_posted.emit(f"Profiling {self._position(config)}…")

    def _on_message_stored(self, message: Message) -> None:
        if isinstance(message, Progress) and self._configs:
            config = self._configs[min(self._ended, len(self._configs) - 1)]
            self.line_posted.emit(
                f"Profiling {self._position(config)}: {message.fraction:.0%}, {message.label}"
            )

    def _on_run_ended(self, message: RunFinished | RunFailed) -> None:
        self._ended += 1
        self._profiled += message.result.status == RunStatus.COMPLETED
        if isinstance(message, RunFailed):
            name = Path(message.result.config.model_path).name
            self.problem_posted.emit(f"Profiling {name} failed: {message.reason}")

    def _on_profiled(self) -> None:
        measured = f"{self._profiled} of {len(self._configs)} model(s) profiled"
        self._summary += f"; {measured}" + (" (cancelled)" if self._cancelled else "")
        self._finish()

    def _finish(self) -> None:
        if self._cancelled and not self._configs:
            self._summary += " (cancelled)"
        self.finished.emit(self._summary)

    def _position(self, config: RunConfig) -> str:
        index = min(self._ended + 1, len(self._configs))
        return f"{Path(config.model_path).name} ({index} of {len(self._configs)})"
