"""Measuring one operating point: warm-up, short windows until stable or capped, summary.

Runs in the profiling worker on the procedure's thread; the timed work happens in
:mod:`planner.profiling.loops`. Between windows (never inside one) it grows sample buffers,
checks stability, calls the progress callback and checks for cancellation.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from time import perf_counter, perf_counter_ns

import numpy as np
import psutil

from planner.core.run import EnergyResult, PointResult, RunConfig, TelemetrySeries, point_label
from planner.profiling.arrivals import poisson_schedule
from planner.profiling.loops import ArrivalClock, RunFn, server_window, stream_window
from planner.profiling.stability import StabilityRule, Verdict, check_stability
from planner.profiling.stats import latency_stats, min_samples_for
from planner.profiling.telemetry import TelemetrySampler

SATURATED_PCT = 80.0
#: Warm-up stops after this long even before 3 runs: a slow model is warm after one.
SLOW_WARMUP_S = 1.0
EnergyFn = Callable[[tuple[TelemetrySeries, ...], int, float], EnergyResult]


@dataclass(frozen=True)
class PointSpec:
    """What to measure: scenario, batch size, streams (or server workers), arrival rate."""

    scenario: str
    batch: int
    concurrency: int
    target_rate: float | None = None

    @property
    def label(self) -> str:
        return point_label(self.scenario, self.batch, self.concurrency, self.target_rate)


@dataclass(frozen=True)
class WindowReport:
    """State after a window, for progress messages."""

    elapsed_s: float
    samples: int
    p50_ms: float | None
    throughput_ips: float
    median_ci_pct: float | None


@dataclass
class PointContext:
    """What measuring a point needs from the run around it."""

    run: RunFn
    feeds: dict[str, np.ndarray]
    config: RunConfig
    sampler: TelemetrySampler | None
    energy: EnergyFn
    should_stop: Callable[[], bool]
    on_window: Callable[[WindowReport], None]


class SampleBuffers:
    """One preallocated int64 nanosecond buffer per driver thread, grown between windows."""

    def __init__(self, threads: int, capacity: int) -> None:
        self.bufs = [np.zeros(max(capacity, 64), dtype=np.int64) for _ in range(threads)]
        self.ends = tuple(0 for _ in range(threads))

    def ensure_free(self, free: int) -> None:
        for k, (buf, end) in enumerate(zip(self.bufs, self.ends, strict=True)):
            if buf.shape[0] - end < free:
                grown = np.zeros(max(2 * buf.shape[0], end + free), dtype=np.int64)
                grown[:end] = buf[:end]
                self.bufs[k] = grown

    @property
    def count(self) -> int:
        return sum(self.ends)

    def samples(self) -> np.ndarray:
        if len(self.bufs) == 1:
            return self.bufs[0][: self.ends[0]]
        return np.concatenate([b[:e] for b, e in zip(self.bufs, self.ends, strict=True)])


def warm_up(run: RunFn, feeds: dict[str, np.ndarray], seconds: float) -> float:
    """Run back to back for ``seconds`` and 3 times, or once past ``SLOW_WARMUP_S``.

    Returns the mean latency in seconds. A 2 s model warms up in one run, not three.
    """
    count, t0 = 0, perf_counter()
    while True:
        run(None, feeds)
        count += 1
        elapsed = perf_counter() - t0
        if elapsed >= seconds and (count >= 3 or elapsed >= SLOW_WARMUP_S):
            return elapsed / count


def rule_for(spec: PointSpec, config: RunConfig) -> StabilityRule:
    """Server points need enough samples for the SLO percentile; their rate is an input."""
    if spec.scenario != "server":
        return StabilityRule(
            config.min_windows, config.min_samples, config.ci_tolerance, config.throughput_tolerance
        )
    needed = max(config.min_samples, min_samples_for(config.slo_percentile))
    return StabilityRule(config.min_windows, needed, config.ci_tolerance, math.inf)


def point_cap_s(spec: PointSpec, config: RunConfig) -> float:
    """Time cap of a point; a server point gets long enough to collect its SLO percentile."""
    if spec.scenario != "server" or not spec.target_rate:
        return config.point_cap_s
    needed = rule_for(spec, config).min_samples
    return max(config.point_cap_s, 1.2 * needed / spec.target_rate + config.window_s)


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Keep Python's cycle collector out of the timed windows.

    A full collection over a large heap (ONNX, numpy, Qt in the GUI) stalls every thread
    for tens of milliseconds and would show up as latency that the model never had.
    Inference outputs are freed by reference counting, so nothing accumulates; garbage
    from before the point is collected first, and the collector is restored afterwards.
    """
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def measure_point(spec: PointSpec, ctx: PointContext, cap_s: float) -> PointResult | None:
    """Measure ``spec`` for at most ``cap_s`` seconds; None when cancelled."""
    cfg = ctx.config
    latency_s = warm_up(ctx.run, ctx.feeds, cfg.warmup_s)
    window_ns = int(cfg.window_s * 1e9)
    server = spec.scenario == "server"
    per_window = (
        int(
            (spec.target_rate or 0.0) * cfg.window_s * 3
            if server
            else cfg.window_s / max(latency_s, 1e-7) * 1.5
        )
        + 64
    )
    bufs = SampleBuffers(spec.concurrency, int(per_window * cap_s / cfg.window_s))
    clock = _arrival_clock(spec, cfg, cap_s) if server else None
    rule = rule_for(spec, cfg)
    if ctx.sampler is not None:
        ctx.sampler.start()
    t_start, last_end = perf_counter(), 0
    tputs: list[float] = []
    wall_ns = driver_ns = overruns = 0
    with cyclic_gc_paused():
        while True:
            bufs.ensure_free(per_window)
            starts = bufs.ends
            if clock is not None:
                now = perf_counter_ns()
                clock.origin_ns += now - last_end if last_end else now - clock.origin_ns
                window = server_window(ctx.run, ctx.feeds, clock, bufs.bufs, starts, window_ns)
            else:
                window = stream_window(ctx.run, ctx.feeds, bufs.bufs, starts, window_ns)
            last_end = perf_counter_ns()
            bufs.ends = window.ends
            wall_ns, driver_ns = wall_ns + window.wall_ns, driver_ns + window.driver_ns
            tputs.append((bufs.count - sum(starts)) * spec.batch / (window.wall_ns / 1e9))
            overrun = server and window.wall_ns > 1.5 * window_ns
            overruns = overruns + 1 if overrun else 0
            verdict = check_stability(rule, bufs.samples(), np.asarray(tputs))
            elapsed = perf_counter() - t_start
            ctx.on_window(_report(elapsed, bufs.count, spec.batch, wall_ns, verdict))
            next_window_s = max(cfg.window_s, wall_ns / 1e9 / max(bufs.count, 1) * spec.concurrency)
            reason = _stop_reason(verdict, elapsed, cap_s, overruns, spec, next_window_s)
            if reason is not None:
                break
            if ctx.should_stop():
                if ctx.sampler is not None:
                    ctx.sampler.stop()
                return None
    return _summarize(spec, ctx, bufs, verdict, reason, len(tputs), wall_ns, driver_ns, elapsed)


def _arrival_clock(spec: PointSpec, cfg: RunConfig, cap_s: float) -> ArrivalClock:
    rate = float(spec.target_rate or 0.0)
    count = int(rate * (cap_s + cfg.window_s) * 1.5) + 1000
    return ArrivalClock(poisson_schedule(rate, count, cfg.seed), perf_counter_ns())


def _stop_reason(
    verdict: Verdict,
    elapsed: float,
    cap_s: float,
    overruns: int,
    spec: PointSpec,
    next_window_s: float,
) -> str | None:
    """Why the point stops now, or None to measure another window.

    A window lasts at least one inference, so a model slower than a window stops when
    the next inference would end past the cap, not after it. Overload is a server-only
    verdict: only there do windows run long because a queue grows.
    """
    if verdict.stable:
        return verdict.reason
    if overruns >= 2 and spec.target_rate is not None:
        return f"overloaded: arrivals at {spec.target_rate:g}/s queue faster than they drain"
    if elapsed >= cap_s or elapsed + next_window_s > cap_s + 0.5 * next_window_s:
        return f"time cap {cap_s:.3g} s reached before stable ({verdict.reason})"
    return None


def _report(elapsed: float, count: int, batch: int, wall_ns: int, verdict: Verdict) -> WindowReport:
    return WindowReport(
        elapsed_s=elapsed,
        samples=count,
        p50_ms=verdict.median / 1e6 if verdict.median is not None else None,
        throughput_ips=count * batch / (wall_ns / 1e9) if wall_ns else 0.0,
        median_ci_pct=100 * verdict.median_ci if math.isfinite(verdict.median_ci) else None,
    )


def _summarize(
    spec: PointSpec,
    ctx: PointContext,
    bufs: SampleBuffers,
    verdict: Verdict,
    reason: str,
    windows: int,
    wall_ns: int,
    driver_ns: int,
    elapsed: float,
) -> PointResult:
    samples_ms = bufs.samples() / 1e6
    inferences = bufs.count * spec.batch
    telemetry = ctx.sampler.stop() if ctx.sampler is not None else ()
    rss = ctx.sampler.peak_rss_bytes if ctx.sampler is not None else 0
    loadgen_pct = 100.0 * driver_ns / wall_ns if wall_ns else 0.0
    return PointResult(
        scenario=spec.scenario,
        batch=spec.batch,
        concurrency=spec.concurrency,
        target_rate=spec.target_rate,
        stats=latency_stats(samples_ms),
        throughput_ips=inferences / (wall_ns / 1e9) if wall_ns else 0.0,
        samples_ms=samples_ms.astype(np.float32),
        stable=verdict.stable,
        stop_reason=reason,
        windows=windows,
        duration_s=elapsed,
        loadgen_cpu_pct=loadgen_pct,
        loadgen_saturated=loadgen_pct > SATURATED_PCT,
        peak_rss_bytes=max(rss, psutil.Process().memory_info().rss),
        telemetry=telemetry,
        energy=ctx.energy(telemetry, inferences, elapsed),
        median_ci_pct=100 * verdict.median_ci if math.isfinite(verdict.median_ci) else None,
    )
