"""Which points a run measures, in order: fixed sweeps, stall stops, the server rate search.

Runs in the profiling worker on the procedure's thread. A :class:`Sweep` is an iterator of
:class:`PointSpec`; the procedure calls :meth:`Sweep.record` after each point so the next
choice (stop on a stalled sweep, bisect the arrival rate) can use its result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from time import perf_counter_ns

import numpy as np

from planner.core.model import ModelInfo
from planner.core.run import PointResult, RunConfig
from planner.profiling.loops import RunFn, stream_window
from planner.profiling.measure import PointSpec, SampleBuffers, warm_up
from planner.profiling.stability import StallRule
from planner.profiling.stats import percentile_or_none

FeedsFn = Callable[[RunConfig, ModelInfo, int], dict[str, np.ndarray]]
PROBE_S = 0.5


class Sweep:
    """The run's points; iterate once, calling :meth:`record` after each measured point."""

    def __init__(self, config: RunConfig, run: RunFn, info: ModelInfo, feeds_fn: FeedsFn) -> None:
        self.config = config
        self.notes: list[str] = []
        self._run = run
        self._info = info
        self._feeds_fn = feeds_fn
        self._feeds: dict[int, dict[str, np.ndarray]] = {}
        self._throughputs: list[float] = []
        self._verdicts: list[tuple[float, bool]] = []
        self._stall = StallRule(config.stall_gain, config.stall_steps)
        self.workers = max(config.concurrency)

    def feeds(self, batch: int) -> dict[str, np.ndarray]:
        """Inputs for ``batch``, synthesized once per batch size."""
        if batch not in self._feeds:
            self._feeds[batch] = self._feeds_fn(self.config, self._info, batch)
        return self._feeds[batch]

    def _fixed(self) -> list[PointSpec]:
        cfg, batch = self.config, self.config.batch_sizes[0]
        if cfg.scenario in ("single-stream", "offline"):
            return [PointSpec(cfg.scenario, b, 1) for b in cfg.batch_sizes]
        if cfg.scenario == "concurrency":
            return [PointSpec("concurrency", batch, c) for c in cfg.concurrency]
        return [PointSpec("server", batch, self.workers, r) for r in cfg.target_rates]

    def planned_labels(self) -> tuple[str, ...]:
        if self._searching:
            return tuple(f"rate search {k + 1}" for k in range(self.config.rate_search_steps))
        return tuple(spec.label for spec in self._fixed())

    def planned_count(self) -> int:
        return len(self.planned_labels())

    @property
    def _searching(self) -> bool:
        cfg = self.config
        return cfg.scenario == "server" and not cfg.target_rates and cfg.slo_ms is not None

    def __iter__(self) -> Iterator[PointSpec]:
        if self._searching:
            yield from self._search()
            return
        stall_applies = self.config.scenario in ("offline", "concurrency")
        specs = self._fixed()
        for k, spec in enumerate(specs):
            yield spec
            if stall_applies and k + 1 < len(specs) and self._stall.stalled(self._throughputs):
                self.notes.append(f"sweep stopped after {spec.label}: {self._stall.describe()}")
                return

    def record(self, point: PointResult) -> None:
        """Remember a measured point (throughput for the stall rule, SLO verdict for search)."""
        self._throughputs.append(point.throughput_ips)
        if point.scenario == "server" and self.config.slo_ms is not None:
            self._verdicts.append((float(point.target_rate or 0.0), self._meets_slo(point)))

    def _meets_slo(self, point: PointResult) -> bool:
        cfg = self.config
        value = percentile_or_none(point.samples_ms, cfg.slo_percentile)
        overloaded = point.stop_reason.startswith("overloaded")
        passed = value is not None and value <= float(cfg.slo_ms or 0.0) and not overloaded
        shown = f"{value:.3f} ms" if value is not None else "not enough samples"
        verdict = "meets" if passed else "misses"
        if overloaded:
            verdict += " (overloaded: the queue kept growing)"
        self.notes.append(
            f"{point.label}: p{cfg.slo_percentile:g} {shown} {verdict} SLO {cfg.slo_ms:g} ms"
        )
        return passed

    def best_rate(self) -> float | None:
        """Highest tested arrival rate that met the SLO (None without an SLO or a pass)."""
        passing = [rate for rate, passed in self._verdicts if passed]
        return max(passing) if passing else None

    def _search(self) -> Iterator[PointSpec]:
        capacity = probe_capacity(self._run, self.feeds(self.config.batch_sizes[0]), self.workers)
        self.notes.append(
            f"rate search by bisection between 0 and measured capacity {capacity:.1f}/s "
            f"({self.workers} worker(s), {PROBE_S:g} s probe)"
        )
        low, high = 0.0, capacity * 1.05
        for _ in range(self.config.rate_search_steps):
            rate = round((low + high) / 2, 3)
            yield PointSpec("server", self.config.batch_sizes[0], self.workers, rate)
            if self._verdicts and self._verdicts[-1][1]:
                low = rate
            else:
                high = rate


def probe_capacity(run: RunFn, feeds: dict[str, np.ndarray], streams: int) -> float:
    """Requests per second with ``streams`` closed-loop streams over a short probe window."""
    latency_s = warm_up(run, feeds, 0.1)
    bufs = SampleBuffers(streams, int(PROBE_S / max(latency_s, 1e-7) * 2) + 64)
    start = perf_counter_ns()
    window = stream_window(run, feeds, bufs.bufs, bufs.ends, int(PROBE_S * 1e9))
    elapsed = (perf_counter_ns() - start) / 1e9
    return sum(window.ends) / elapsed


def plan_sweep(config: RunConfig, run: RunFn, info: ModelInfo, feeds_fn: FeedsFn) -> Sweep:
    return Sweep(config, run, info, feeds_fn)
