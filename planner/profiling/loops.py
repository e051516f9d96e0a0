"""Timed load-generation loops: one measurement window of each driver kind.

Runs in the profiling worker process, on the calling thread (single stream) or on short-lived
driver threads (concurrency, server); ONNX Runtime releases the GIL inside ``session.run``.
The hot loops time with ``perf_counter_ns`` and only write an int64 into a preallocated
buffer per request: no allocation of arrays, no logging, no messages.

Load-generator cost is the drivers' wall time outside ``session.run`` (and outside
deliberate waits for the next Poisson arrival), as a percentage of one core.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from time import perf_counter_ns, sleep
from typing import Any

import numpy as np

RunFn = Callable[[Any, dict[str, np.ndarray]], Any]


@dataclass(frozen=True)
class Window:
    """What one window produced: new samples live in the buffers between the old/new ends."""

    ends: tuple[int, ...]
    wall_ns: int
    driver_ns: int

    @property
    def driver_pct(self) -> float:
        return 100.0 * self.driver_ns / self.wall_ns if self.wall_ns > 0 else 0.0


def stream_loop(run: RunFn, feeds: dict[str, np.ndarray], buf: np.ndarray, i: int, end: int) -> int:
    """Issue requests back to back until ``end`` (perf_counter_ns) or the buffer is full."""
    clock = perf_counter_ns
    n = buf.shape[0]
    while i < n:
        t0 = clock()
        run(None, feeds)
        t1 = clock()
        buf[i] = t1 - t0
        i += 1
        if t1 >= end:
            break
    return i


def stream_window(
    run: RunFn,
    feeds: dict[str, np.ndarray],
    bufs: list[np.ndarray],
    starts: tuple[int, ...],
    duration_ns: int,
) -> Window:
    """One window of ``len(bufs)`` closed-loop streams (1 = single stream, on this thread)."""
    ends = list(starts)
    spans = [0] * len(bufs)
    bounds = [0, 0]

    def open_window() -> None:
        bounds[0] = perf_counter_ns()
        bounds[1] = bounds[0] + duration_ns

    def drive(k: int) -> None:
        t0 = perf_counter_ns()
        ends[k] = stream_loop(run, feeds, bufs[k], starts[k], bounds[1])
        spans[k] = perf_counter_ns() - t0

    if len(bufs) == 1:
        open_window()
        drive(0)
    else:
        _run_threads(drive, len(bufs), on_all_started=open_window)
    wall = perf_counter_ns() - bounds[0]
    busy = sum(int(b[s:e].sum()) for b, s, e in zip(bufs, starts, ends, strict=True))
    return Window(tuple(ends), wall, max(0, sum(spans) - busy))


@dataclass
class ArrivalClock:
    """Shared Poisson schedule state for server windows (guarded by ``lock``)."""

    schedule_ns: np.ndarray
    origin_ns: int
    cursor: int = 0

    def __post_init__(self) -> None:
        self.lock = threading.Lock()

    def take(self, end: int) -> int:
        """Due time of the next arrival before ``end``, claiming it; -1 when none is left."""
        with self.lock:
            k = self.cursor
            if k >= self.schedule_ns.shape[0]:
                return -1
            due = self.origin_ns + int(self.schedule_ns[k])
            if due >= end:
                return -1
            self.cursor = k + 1
            return due


def server_loop(
    run: RunFn, feeds: dict[str, np.ndarray], clock: ArrivalClock, buf: np.ndarray, i: int, end: int
) -> tuple[int, int]:
    """Serve arrivals due before ``end``; latency counts from the due time (queueing included).

    Returns the new buffer end and the nanoseconds spent in ``run`` or waiting for arrivals.
    """
    now = perf_counter_ns
    n = buf.shape[0]
    excluded = 0
    while i < n:
        due = clock.take(end)
        if due < 0:
            break
        t0 = now()
        if due > t0:
            sleep((due - t0) * 1e-9)
        run(None, feeds)
        t1 = now()
        buf[i] = t1 - due
        i += 1
        excluded += t1 - t0
    return i, excluded


def server_window(
    run: RunFn,
    feeds: dict[str, np.ndarray],
    clock: ArrivalClock,
    bufs: list[np.ndarray],
    starts: tuple[int, ...],
    duration_ns: int,
) -> Window:
    """One window of Poisson arrivals served by ``len(bufs)`` worker threads."""
    ends = list(starts)
    driver = [0] * len(bufs)
    begin = perf_counter_ns()
    end = begin + duration_ns

    def drive(k: int) -> None:
        t0 = perf_counter_ns()
        ends[k], excluded = server_loop(run, feeds, clock, bufs[k], starts[k], end)
        driver[k] = perf_counter_ns() - t0 - excluded

    _run_threads(drive, len(bufs))
    wall = perf_counter_ns() - begin
    return Window(tuple(ends), wall, max(0, sum(driver)))


def _run_threads(
    target: Callable[[int], None],
    count: int,
    on_all_started: Callable[[], None] | None = None,
) -> None:
    """Run ``target(k)`` on ``count`` threads; re-raise the first driver error here.

    With ``on_all_started``, every thread waits until all have started, that callback runs
    once, and then all begin together: a closed-loop window then opens when its streams
    can actually issue requests, not while threads are still being created.
    """
    errors: list[BaseException] = []
    barrier = threading.Barrier(count, action=on_all_started) if on_all_started else None

    def guarded(k: int) -> None:
        try:
            if barrier is not None:
                barrier.wait()
            target(k)
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(k,), daemon=True) for k in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
