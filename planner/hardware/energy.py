"""Names of the energy measurement methods, and the arithmetic shared by the energy meters.

Every energy figure the app stores or shows carries one of these method names (see
ARCHITECTURE.md, Provenance). Pure functions; safe on any thread.
"""

from __future__ import annotations

import numpy as np

NVML_ENERGY_COUNTER = "NVML energy counter"
NVML_POWER_INTEGRATED = "integrated NVML power"
RAPL_COUNTER = "RAPL counter"
TDP_ESTIMATE = "TDP estimate"
UNAVAILABLE = "unavailable"

ENERGY_METHODS = (
    NVML_ENERGY_COUNTER,
    NVML_POWER_INTEGRATED,
    RAPL_COUNTER,
    TDP_ESTIMATE,
    UNAVAILABLE,
)


def integrate_power(times_s: np.ndarray, watts: np.ndarray) -> float:
    """Energy in joules from power samples, by the trapezoid rule.

    ``times_s`` must be increasing (e.g. ``time.monotonic()`` values). Fewer than two samples
    cover no time and give 0 J.
    """
    times = np.asarray(times_s, dtype=np.float64)
    power = np.asarray(watts, dtype=np.float64)
    if times.shape != power.shape or times.ndim != 1:
        raise ValueError(
            f"times and watts must be 1-D and equal length: {times.shape}, {power.shape}"
        )
    if times.size < 2:
        return 0.0
    if np.any(np.diff(times) < 0):
        raise ValueError("sample times must not decrease")
    return float(np.sum((power[1:] + power[:-1]) * 0.5 * np.diff(times)))


def counter_update_period(times_s: np.ndarray, counter_values: np.ndarray) -> float | None:
    """Median time between changes of a polled counter (e.g. NVML's energy counter), in seconds.

    Poll the counter much faster than it updates; a window shorter than this period may read
    as zero energy, so runs and power polling intervals should be sized from it. ``None`` when
    the counter changed fewer than twice.
    """
    times = np.asarray(times_s, dtype=np.float64)
    values = np.asarray(counter_values, dtype=np.float64)
    if times.shape != values.shape or times.ndim != 1:
        raise ValueError("times and counter values must be 1-D and equal length")
    change_times = times[1:][np.diff(values) != 0]
    if change_times.size < 2:
        return None
    return float(np.median(np.diff(change_times)))
