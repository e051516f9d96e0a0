"""``ProfileRunner``: start a run, read its messages, cancel it, get its result.

Used on the parent's listening thread (the CLI main thread, or the GUI's QThread listener),
never on the GUI thread itself, because :meth:`poll` blocks up to its timeout. The runner
turns a worker that crashes, hangs past its deadline or ignores a cancel into a terminal
message, so a listener always ends with exactly one ``RunFinished`` or ``RunFailed``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from time import monotonic
from types import ModuleType

from planner.core.errors import ProfilingError
from planner.core.run import FailureKind, PointResult, RunConfig, RunResult
from planner.profiling.backends import InProcessBackend, ProcessBackend
from planner.profiling.messages import (
    TERMINAL,
    Message,
    PointFinished,
    RunFailed,
    RunFinished,
    RunStarted,
)
from planner.profiling.procedure import empty_result, utc_now


class ProfileRunner:
    """One profiling run. ``backend`` is ``"process"`` (isolated) or ``"inprocess"`` (tests)."""

    def __init__(
        self,
        config: RunConfig,
        backend: str = "process",
        run_id: str | None = None,
        nvml_module: ModuleType | None = None,
    ) -> None:
        self.config = config
        self.run_id = run_id or str(uuid.uuid4())
        if backend == "process":
            self._backend: ProcessBackend | InProcessBackend = ProcessBackend(config, self.run_id)
        elif backend == "inprocess":
            self._backend = InProcessBackend(config, self.run_id, nvml_module)
        else:
            raise ProfilingError(f"unknown runner backend {backend!r}; use process or inprocess")
        self.started: RunStarted | None = None
        self.points: list[PointResult] = []
        self._terminal: RunFinished | RunFailed | None = None
        self._start_time: float | None = None
        self._cancel_time: float | None = None

    @property
    def done(self) -> bool:
        return self._terminal is not None

    def start(self) -> None:
        """Start the worker; messages become available through :meth:`poll`."""
        if self._start_time is not None:
            raise ProfilingError("this run has already been started")
        self._start_time = monotonic()
        self._backend.start()

    def cancel(self) -> None:
        """Ask the worker to stop after the current window; finished points are kept."""
        if self._cancel_time is None and not self.done:
            self._cancel_time = monotonic()
            self._backend.request_stop()

    def poll(self, timeout: float = 0.1) -> Message | None:
        """The next message, waiting up to ``timeout`` s; None when none arrived (or done)."""
        if self._start_time is None:
            raise ProfilingError("start the run before polling it")
        if self.done:
            return None
        message = self._backend.receive(timeout)
        if message is None:
            message = self._watchdog()
        if message is not None:
            self._track(message)
        return message

    def messages(self, timeout: float = 0.1) -> Iterator[Message]:
        """Every message until (and including) the terminal one."""
        while not self.done:
            message = self.poll(timeout)
            if message is not None:
                yield message

    def result(self) -> RunResult:
        """Block until the run ends and return its result (also for failed runs)."""
        if self._start_time is None:
            self.start()
        for _ in self.messages():
            pass
        assert self._terminal is not None
        return self._terminal.result

    def _track(self, message: Message) -> None:
        if isinstance(message, RunStarted):
            self.started = message
        elif isinstance(message, PointFinished):
            self.points.append(message.point)
        elif isinstance(message, TERMINAL):
            self._terminal = message
            self._backend.close()

    def _watchdog(self) -> Message | None:
        """A synthesized terminal message when the worker died, hung, or ignored a cancel."""
        assert self._start_time is not None
        now = monotonic()
        if not self._backend.alive():
            late = self._backend.receive(0.05)
            return late if late is not None else self._failed(self._backend.exit_reason())
        if self._cancel_time is not None and now - self._cancel_time > self.config.cancel_grace_s:
            self._backend.force_stop()
            return RunFinished(self._partial("cancelled", ""))
        limit = self.config.effective_deadline_s
        if now - self._start_time > limit:
            self._backend.force_stop()
            return self._failed(
                f"run did not finish within its {limit:g} s deadline (hung, or one inference "
                "is slower than the time budget)"
            )
        return None

    def _failed(self, reason: str) -> RunFailed:
        return RunFailed(reason, self._partial("failed", reason, FailureKind.WORKER))

    def _partial(self, status: str, reason: str, kind: FailureKind = FailureKind.NONE) -> RunResult:
        base = empty_result(self.config, self.run_id, self.started)
        return replace(
            base,
            status=status,
            failure_reason=reason,
            failure_kind=kind.value,
            finished_at=utc_now(),
            points=tuple(self.points),
        )
