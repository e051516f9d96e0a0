"""The profiling procedure: set up, sweep the scenario's points, emit messages, return a result.

Runs on one thread of the worker process (or of the parent, for the in-process backend).
Long work is a plain function that checks ``should_stop()`` between windows and points
and reports through ``emit`` (pymeasure style); it knows nothing about queues or Qt.

Errors end the run with a reason a user can act on, sorted by
:mod:`planner.profiling.failures`: the model, inputs, provider or budget (the user's to
fix), ONNX Runtime rejecting the synthesized inputs (node, likely cause, what to try; the
raw text kept as the run's detail), or a bug in planner (crash log, never disguised as a
model problem). A run that measured no point never ends ``completed``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from types import ModuleType

from planner.core.errors import PlannerError
from planner.core.model import ModelInfo
from planner.core.run import FailureKind, PointResult, RunConfig, RunResult, RunStatus
from planner.models.inputs import input_assumptions
from planner.profiling.budget import (
    budget_failure_text,
    point_cap_within,
    point_minimum_s,
    sample_advice,
)
from planner.profiling.failures import (
    RunFailure,
    describe_runtime_error,
    internal_failure,
    is_runtime_error,
    out_of_memory,
)
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


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def empty_result(config: RunConfig, run_id: str, started: RunStarted | None) -> RunResult:
    """A result with provenance from ``started`` (if any) and no points yet.

    Before ``started`` exists the model is named after its file, so a run that failed
    during set-up still says which model it was.
    """
    return RunResult(
        id=run_id,
        config=config,
        model_sha256=started.model_sha256 if started else "",
        model_name=started.model_name if started else Path(config.model_path).stem,
        model_path=config.model_path,
        status=RunStatus.FAILED.value,
        failure_reason="",
        started_at=started.started_at if started else utc_now(),
        finished_at="",
        session_create_ms=started.session_create_ms if started else None,
        first_inference_ms=started.first_inference_ms if started else None,
        versions=dict(started.versions) if started else versions(),
        dims_used=dict(started.dims_used) if started else {},
        points=(),
        assumed=dict(started.assumed) if started else {},
        provider_nodes=dict(started.provider_nodes) if started else {},
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
        self._info: ModelInfo | None = None
        self._assumed: dict[str, str] | None = None
        self._run: Callable | None = None
        self._latency_s = 0.0
        self._setup_s = 0.0
        self._notes: list[str] = []
        self._instruments: Instruments | None = None

    def execute(self) -> RunResult:
        failure: RunFailure | None = None
        try:
            self._start()
            self._measure_all()
        except Exception as exc:  # noqa: BLE001 - sorted into user, runtime and internal errors
            failure = self._failure(exc)
        if self._instruments is not None:
            self._instruments.close()
        if failure is None and not self._points and not self._should_stop():
            text = budget_failure_text(self.config, self._latency_s, self._setup_s)
            failure = RunFailure(text, FailureKind.BUDGET)
        if failure is not None:
            result = self._result(RunStatus.FAILED.value, failure)
            self._emit(RunFailed(str(failure), result))
            return result
        status = RunStatus.CANCELLED if self._should_stop() else RunStatus.COMPLETED
        result = self._result(status.value, None)
        self._emit(RunFinished(result))
        return result

    def _start(self) -> None:
        """Build the session, run it once (bounded by the budget), announce the run."""
        cfg = self.config
        built = build_session(cfg)
        self._info = built.info
        first_feeds = feeds_for(cfg, built.info, cfg.batch_sizes[0])
        self._assumed = input_assumptions(
            cfg.model_path, cfg.batch_sizes[0], cfg.dims, cfg.int_ranges, cfg.input_files
        )
        spent = perf_counter() - self._t0
        if spent >= cfg.time_budget_s:
            raise RunFailure(
                f"slower than the budget: loading the model took {spent:.3g} s of the "
                f"{cfg.time_budget_s:.3g} s budget; give a larger --budget",
                FailureKind.BUDGET,
            )
        first_ms = timed_first_run(built.session, first_feeds, cfg.time_budget_s - spent)
        self._latency_s = first_ms / 1000.0
        self._sweep = plan_sweep(cfg, built.session.run, built.info, feeds_for)
        self._setup_s = perf_counter() - self._t0
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
            assumed=self._assumed,
            provider_nodes=dict(built.provider_nodes),
        )
        self._run = built.session.run
        self._instruments = open_instruments(cfg, self._nvml_module)
        self._instruments.notes.extend(built.notes)
        self._emit(self._started)

    def _measure_all(self) -> None:
        assert self._sweep is not None and self._instruments is not None
        deadline = self._t0 + self.config.time_budget_s
        for spec in self._sweep:
            if self._should_stop():
                return
            remaining = deadline - perf_counter()
            if remaining < point_minimum_s(self.config, self._latency_s):
                if self._points:
                    self._notes.append(f"time budget {self.config.time_budget_s:.3g} s reached")
                return
            cap_s = point_cap_s(spec, self.config)
            cap_s = point_cap_within(cap_s, remaining, self.config, self._latency_s)
            point = self._measure(spec, self._instruments, cap_s)
            if point is None:
                return
            self._points.append(point)
            self._sweep.record(point)
            if point.stats.p50 is not None:
                self._latency_s = point.stats.p50 / 1000.0
            advice = sample_advice(point, spec.concurrency)
            if advice is not None:
                self._notes.append(advice)
            self._emit(PointFinished(len(self._points) - 1, point))

    def _measure(
        self, spec: PointSpec, instruments: Instruments, cap_s: float
    ) -> PointResult | None:
        assert self._sweep is not None and self._run is not None
        index = len(self._points)
        self._emit(PointStarted(index, spec.label))
        ctx = PointContext(
            run=self._run,
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

    def _result(self, status: str, failure: RunFailure | None) -> RunResult:
        base = empty_result(self.config, self.run_id, self._started)
        notes = list(self._instruments.notes) if self._instruments else []
        if self._sweep is not None:
            notes += self._sweep.notes
        notes += self._notes
        if self._started is None and self._info is not None:
            base = self._unstarted(base, self._info)
        return replace(
            base,
            status=status,
            failure_reason=str(failure) if failure else "",
            failure_kind=(failure.kind if failure else FailureKind.NONE).value,
            failure_detail=failure.detail if failure else "",
            finished_at=utc_now(),
            points=tuple(self._points),
            max_rate_within_slo=self._sweep.best_rate() if self._sweep else None,
            notes=tuple(notes),
        )

    def _unstarted(self, base: RunResult, info: ModelInfo) -> RunResult:
        """``base`` with the inspected model and dims, for a run that failed before starting.

        ONNX Runtime can reject the inputs on the first inference (a YOLO neck at 100x100),
        before ``RunStarted``; the failed run still records which model and dims it tried.
        """
        assumed = self._assumed if self._assumed is not None else info.dims_assumed
        return replace(
            base,
            model_name=info.name,
            model_sha256=info.sha256,
            dims_used=dict(info.dims_used),
            assumed=dict(assumed),
        )

    def _failure(self, exc: Exception) -> RunFailure:
        """Sort an error into the user's, ONNX Runtime's or planner's own (see module doc)."""
        if isinstance(exc, RunFailure):
            return exc
        if isinstance(exc, PlannerError):
            return RunFailure(str(exc), FailureKind.SETUP)
        if isinstance(exc, MemoryError):
            return out_of_memory(str(exc), self.config.memory_limit_bytes)
        if is_runtime_error(exc):
            return describe_runtime_error(exc, self._dims_text(), self.config.memory_limit_bytes)
        return internal_failure(exc, self.run_id)

    def _dims_text(self) -> str:
        info = self._info
        if info is None or not info.dims_used:
            return "all dimensions fixed"
        return "dims " + ", ".join(
            f"{key}={value}" + (" assumed" if key in info.dims_assumed else "")
            for key, value in info.dims_used.items()
        )
