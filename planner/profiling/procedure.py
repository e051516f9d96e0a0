"""The profiling procedure: set up, sweep the scenario's points, emit messages, return a result.

Runs on one thread of the worker process (or of the parent, for the in-process backend).
Long work is a plain function that checks ``should_stop()`` between windows and points
and reports through ``emit`` (pymeasure style); it knows nothing about queues or Qt.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from time import perf_counter
from types import ModuleType

from planner.core.errors import PlannerError
from planner.core.run import PointResult, RunConfig, RunResult
from planner.profiling.instruments import Instruments, open_instruments
from planner.profiling.measure import (
    PointContext,
    PointSpec,
    WindowReport,
    measure_point,
    point_cap_s,
)
from planner.profiling.messages import (
    Message,
    PointFinished,
    PointStarted,
    Progress,
    RunFailed,
    RunFinished,
    RunStarted,
)
from planner.profiling.session import build_session, feeds_for, timed_first_run, versions
from planner.profiling.sweep import Sweep, plan_sweep

Emit = Callable[[Message], None]
_ALLOC_SIZE = re.compile(r"buffer of size (\d+)")


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def empty_result(config: RunConfig, run_id: str, started: RunStarted | None) -> RunResult:
    """A result with provenance from ``started`` (if any) and no points yet."""
    return RunResult(
        id=run_id,
        config=config,
        model_sha256=started.model_sha256 if started else "",
        model_name=started.model_name if started else "",
        model_path=config.model_path,
        status="failed",
        failure_reason="",
        started_at=started.started_at if started else utc_now(),
        finished_at="",
        session_create_ms=started.session_create_ms if started else None,
        first_inference_ms=started.first_inference_ms if started else None,
        versions=dict(started.versions) if started else versions(),
        dims_used=dict(started.dims_used) if started else {},
        points=(),
    )


class Procedure:
    """One run: call :meth:`execute` once; it returns the result it also emitted."""

    def __init__(
        self,
        config: RunConfig,
        emit: Emit,
        should_stop: Callable[[], bool],
        run_id: str | None = None,
        nvml_module: ModuleType | None = None,
    ) -> None:
        self.config = config
        self.run_id = run_id or str(uuid.uuid4())
        self._emit = emit
        self._should_stop = should_stop
        self._nvml_module = nvml_module
        self._points: list[PointResult] = []
        self._started: RunStarted | None = None
        self._t0 = perf_counter()
        self._sweep: Sweep | None = None

    def execute(self) -> RunResult:
        instruments: Instruments | None = None
        try:
            built = build_session(self.config)
            first_feeds = feeds_for(self.config, built.info, self.config.batch_sizes[0])
            first_ms = timed_first_run(built.session, first_feeds)
            instruments = open_instruments(self.config, self._nvml_module)
            self._sweep = plan_sweep(self.config, built.session.run, built.info, feeds_for)
            self._started = RunStarted(
                run_id=self.run_id,
                model_name=built.info.name,
                model_sha256=built.info.sha256,
                started_at=utc_now(),
                session_create_ms=built.session_create_ms,
                first_inference_ms=first_ms,
                versions=versions(),
                dims_used=dict(built.info.dims_used),
                planned_points=self._sweep.planned_labels(),
            )
            self._emit(self._started)
            self._measure_all(built.session.run, instruments)
        except PlannerError as exc:
            return self._fail(str(exc), instruments)
        except Exception as exc:  # ORT raises its own RuntimeError-like types from session.run
            return self._fail(describe_error(exc, self.config.memory_limit_bytes), instruments)
        if instruments is not None:
            instruments.close()
        status = "cancelled" if self._should_stop() else "completed"
        result = self._result(status, "", instruments)
        self._emit(RunFinished(result))
        return result

    def _measure_all(self, run: Callable, instruments: Instruments) -> None:
        assert self._sweep is not None
        deadline = self._t0 + self.config.time_budget_s
        minimum = self.config.warmup_s + self.config.min_windows * self.config.window_s
        for spec in self._sweep:
            if self._should_stop():
                return
            remaining = deadline - perf_counter()
            if remaining < minimum:
                self._sweep.notes.append(f"time budget {self.config.time_budget_s:g} s reached")
                return
            cap_s = min(point_cap_s(spec, self.config), remaining)
            point = self._measure(spec, run, instruments, cap_s)
            if point is None:
                return
            self._points.append(point)
            self._sweep.record(point)
            self._emit(PointFinished(len(self._points) - 1, point))

    def _measure(
        self, spec: PointSpec, run: Callable, instruments: Instruments, cap_s: float
    ) -> PointResult | None:
        assert self._sweep is not None
        index = len(self._points)
        self._emit(PointStarted(index, spec.label))
        ctx = PointContext(
            run=run,
            feeds=self._sweep.feeds(spec.batch),
            config=self.config,
            sampler=instruments.sampler,
            energy=instruments.energy,
            should_stop=self._should_stop,
            on_window=lambda report: self._progress(spec, report, cap_s),
        )
        return measure_point(spec, ctx, cap_s)

    def _progress(self, spec: PointSpec, report: WindowReport, cap_s: float) -> None:
        assert self._sweep is not None
        done = len(self._points) + min(1.0, report.elapsed_s / cap_s)
        planned = max(self._sweep.planned_count(), done)
        elapsed = perf_counter() - self._t0
        budget_left = max(0.0, self.config.time_budget_s - elapsed)
        eta = min(budget_left, elapsed / done * (planned - done)) if done else budget_left
        self._emit(
            Progress(
                fraction=min(1.0, max(done / planned, elapsed / self.config.time_budget_s)),
                eta_s=eta,
                label=spec.label,
                samples=report.samples,
                p50_ms=report.p50_ms,
                throughput_ips=report.throughput_ips,
                median_ci_pct=report.median_ci_pct,
            )
        )

    def _result(self, status: str, reason: str, instruments: Instruments | None) -> RunResult:
        base = empty_result(self.config, self.run_id, self._started)
        notes = list(instruments.notes) if instruments else []
        if self._sweep is not None:
            notes += self._sweep.notes
        return replace(
            base,
            status=status,
            failure_reason=reason,
            finished_at=utc_now(),
            points=tuple(self._points),
            max_rate_within_slo=self._sweep.best_rate() if self._sweep else None,
            notes=tuple(notes),
        )

    def _fail(self, reason: str, instruments: Instruments | None) -> RunResult:
        if instruments is not None:
            instruments.close()
        result = self._result("failed", reason, instruments)
        self._emit(RunFailed(reason, result))
        return result


def describe_error(exc: BaseException, memory_limit: int | None) -> str:
    """One line for an unexpected error; allocation failures are named as out of memory."""
    text = str(exc)
    size = _ALLOC_SIZE.search(text)
    if isinstance(exc, MemoryError) or "Failed to allocate memory" in text:
        what = f"could not allocate {int(size.group(1)):,} bytes" if size else "ran out of memory"
        limit = f" (memory limit {memory_limit:,} bytes)" if memory_limit else ""
        return f"out of memory: ONNX Runtime {what}{limit}"
    first = text.strip().splitlines()[0][:300] if text.strip() else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__
