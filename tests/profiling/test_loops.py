"""Hot loops and buffers with a fake ``session.run``: counts, queueing latency, growth.

The loops run on a FAKE clock (``fakes.virtual_clock``) where a request takes exactly the
time the fake ``session.run`` spends, so the counts and latencies asserted here follow
from what the loops do with time, not from how fast (or how loaded) this machine is.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
from fakes.virtual_clock import VirtualClock

from planner.profiling.arrivals import poisson_schedule
from planner.profiling.loops import ArrivalClock, _run_threads, server_window, stream_window
from planner.profiling.measure import SampleBuffers


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> VirtualClock:
    return VirtualClock().install(monkeypatch)


def _worker(clock: VirtualClock, seconds: float):
    def run(_outputs: object, _feeds: dict) -> None:
        clock.spend(seconds)

    return run


def test_stream_window_single_and_parallel(clock: VirtualClock) -> None:
    bufs = SampleBuffers(1, 1000)
    window = stream_window(_worker(clock, 0.002), {}, bufs.bufs, bufs.ends, 50_000_000)
    assert 10 <= window.ends[0] <= 26
    assert np.all(bufs.bufs[0][: window.ends[0]] >= 2_000_000)
    assert window.driver_pct < 20
    four = SampleBuffers(4, 1000)
    window = stream_window(_worker(clock, 0.002), {}, four.bufs, four.ends, 50_000_000)
    assert all(10 <= end <= 26 for end in window.ends)


def test_stream_window_stops_when_buffer_full() -> None:
    bufs = SampleBuffers(1, 64)
    window = stream_window(lambda _o, _f: None, {}, bufs.bufs, bufs.ends, 10_000_000_000)
    assert window.ends == (64,)


def test_server_latency_includes_queueing(clock: VirtualClock) -> None:
    schedule = np.arange(1, 21, dtype=np.int64) * 1_000_000
    arrivals = ArrivalClock(schedule, clock.now())
    bufs = SampleBuffers(1, 100)
    window = server_window(_worker(clock, 0.004), {}, arrivals, bufs.bufs, bufs.ends, 30_000_000)
    lat_ms = bufs.bufs[0][: window.ends[0]] / 1e6
    assert window.ends[0] == 20
    assert lat_ms[0] < 6 and lat_ms[-1] > 40
    assert np.all(np.diff(lat_ms) > 0)


def test_server_light_load_latency_is_service_time(clock: VirtualClock) -> None:
    arrivals = ArrivalClock(poisson_schedule(50.0, 1000, 0), clock.now())
    bufs = SampleBuffers(2, 100)
    window = server_window(_worker(clock, 0.001), {}, arrivals, bufs.bufs, bufs.ends, 300_000_000)
    lat_ms = np.concatenate([b[:e] for b, e in zip(bufs.bufs, window.ends, strict=True)]) / 1e6
    assert 5 <= lat_ms.size <= 40
    assert np.median(lat_ms) < 3.0
    assert window.driver_pct < 20


def test_arrival_clock_does_not_lose_arrivals_between_windows() -> None:
    clock = ArrivalClock(np.array([10, 20, 30], dtype=np.int64), 0)
    assert clock.take(15) == 10
    assert clock.take(15) == -1
    assert clock.take(40) == 20 and clock.take(40) == 30 and clock.take(40) == -1


def test_sample_buffers_grow_and_concatenate() -> None:
    bufs = SampleBuffers(2, 64)
    bufs.bufs[0][:3] = [1, 2, 3]
    bufs.ends = (3, 0)
    bufs.ensure_free(100)
    assert bufs.bufs[0].shape[0] >= 103 and list(bufs.bufs[0][:3]) == [1, 2, 3]
    bufs.bufs[1][:2] = [7, 8]
    bufs.ends = (3, 2)
    assert list(bufs.samples()) == [1, 2, 3, 7, 8] and bufs.count == 5


def test_the_cycle_collector_is_paused_only_while_a_point_is_timed() -> None:
    import gc

    from planner.profiling.measure import cyclic_gc_paused

    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_parallel_streams_start_together_when_threads_are_slow_to_start(
    clock: VirtualClock,
) -> None:
    four = SampleBuffers(4, 1000)
    window = stream_window(_worker(clock, 0.002), {}, four.bufs, four.ends, 50_000_000)
    assert window.wall_ns == 50_000_000, "the window lasts its duration, from its opening"
    assert max(window.ends) - min(window.ends) <= 2


def test_the_window_opens_once_every_stream_thread_has_started() -> None:
    """The mechanism behind starting together: a barrier, whose action opens the window."""
    events: list[object] = []
    lock = threading.Lock()

    def target(k: int) -> None:
        with lock:
            events.append(k)

    def open_window() -> None:
        with lock:
            events.append("open")

    _run_threads(target, 4, on_all_started=open_window)
    assert events[0] == "open" and sorted(events[1:]) == [0, 1, 2, 3]
