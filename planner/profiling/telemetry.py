"""Background telemetry during each point: GPU (NVML), RAPL package energy, worker process.

A ``TelemetrySampler`` lives in the profiling worker process. ``start()``/``stop()`` are
called by the measuring thread around a point; between them one daemon sampler thread
reads NVML every ``gpu_period_s`` (~50 ms) and RAPL plus process RSS/CPU every
``period_s`` (~100 ms). It holds the GIL only for the few microseconds of each reading.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import numpy as np
import psutil

from planner.core.errors import HardwareError
from planner.core.run import TelemetrySeries
from planner.hardware.energy import counter_update_period
from planner.hardware.nvml import NvmlSession
from planner.hardware.rapl import RaplCounter

Reading = tuple[str, str, Callable[[], float | None]]


class TelemetrySampler:
    """Samples GPU, RAPL and process telemetry on a background thread during one point."""

    def __init__(
        self,
        nvml: NvmlSession | None,
        gpu_indices: tuple[int, ...],
        rapl: tuple[RaplCounter, ...],
        period_s: float = 0.1,
        gpu_period_s: float = 0.05,
    ) -> None:
        self._nvml = nvml
        self._gpus = gpu_indices if nvml is not None else ()
        self._rapl = rapl
        self._period = period_s
        self._gpu_period = gpu_period_s
        self._process = psutil.Process()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._data: dict[tuple[str, str], tuple[list[float], list[float]]] = {}
        self._t0 = 0.0
        self.peak_rss_bytes = 0

    def start(self) -> None:
        """Begin sampling for a new point (series restart at t = 0)."""
        self._data = {}
        self._stop.clear()
        self._t0 = time.monotonic()
        self._process.cpu_percent(None)
        self._thread = threading.Thread(target=self._loop, name="telemetry", daemon=True)
        self._thread.start()

    def stop(self) -> tuple[TelemetrySeries, ...]:
        """Stop sampling and return the point's series (one last reading of each first)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._read(self._slow_readings() + self._gpu_readings())
        return tuple(
            TelemetrySeries(name, unit, np.asarray(t), np.asarray(v, dtype=np.float64))
            for (name, unit), (t, v) in self._data.items()
        )

    def _loop(self) -> None:
        slow, fast = self._slow_readings(), self._gpu_readings()
        ratio = max(1, round(self._period / self._gpu_period)) if fast else 1
        tick = self._gpu_period if fast else self._period
        count = 0
        while True:
            self._read(fast + (slow if count % ratio == 0 else []))
            count += 1
            if self._stop.wait(tick):
                return

    def _read(self, readings: list[Reading]) -> None:
        t = time.monotonic() - self._t0
        for name, unit, read in readings:
            value = read()
            if value is None:
                continue
            times, values = self._data.setdefault((name, unit), ([], []))
            times.append(t)
            values.append(value)

    def _rss(self) -> float:
        rss = self._process.memory_info().rss
        self.peak_rss_bytes = max(self.peak_rss_bytes, rss)
        return float(rss)

    def _slow_readings(self) -> list[Reading]:
        readings: list[Reading] = [
            ("process.rss", "bytes", self._rss),
            ("process.cpu", "%", lambda: self._process.cpu_percent(None)),
        ]
        for counter in self._rapl:
            readings.append((f"rapl.{counter.domain.name}.energy", "J", counter.read_joules))
        return readings

    def _gpu_readings(self) -> list[Reading]:
        readings: list[Reading] = []
        for index in self._gpus:
            cache: dict[str, float | None] = {}
            readings += [
                (f"gpu{index}.power", "W", self._gpu_field(index, "power_w", cache, True)),
                (f"gpu{index}.energy", "J", self._gpu_field(index, "energy_j", cache)),
                (f"gpu{index}.util", "%", self._gpu_field(index, "gpu_util_pct", cache)),
                (f"gpu{index}.memory", "bytes", self._gpu_field(index, "mem_used_bytes", cache)),
            ]
        return readings

    def _gpu_field(
        self, index: int, field: str, cache: dict[str, float | None], refresh: bool = False
    ) -> Callable[[], float | None]:
        """Reader of one field; the ``refresh`` reader takes a new sample for all four."""

        def read() -> float | None:
            if refresh:
                cache.clear()
                try:
                    sample = self._nvml.sample(index) if self._nvml else None
                except HardwareError:
                    sample = None
                for key in ("power_w", "energy_j", "gpu_util_pct", "mem_used_bytes"):
                    cache[key] = getattr(sample, key) if sample is not None else None
            value = cache.get(field)
            return float(value) if value is not None else None

        return read


def measure_counter_period(
    nvml: NvmlSession, index: int, poll_s: float = 0.002, limit_s: float = 0.6
) -> float | None:
    """Update period of GPU ``index``'s energy counter, polled fast for up to ``limit_s``."""
    times: list[float] = []
    values: list[float] = []
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        sample = nvml.sample(index)
        if sample.energy_j is None:
            return None
        times.append(sample.t)
        values.append(sample.energy_j)
        time.sleep(poll_s)
    return counter_update_period(np.asarray(times), np.asarray(values))
