"""Poisson arrival schedules for the server scenario.

Computed in the worker process before a window starts, so the timed loop only reads a
preallocated array. Pure functions.
"""

from __future__ import annotations

import numpy as np


def poisson_schedule(rate_per_s: float, count: int, seed: int) -> np.ndarray:
    """Arrival times in nanoseconds from the start, for ``count`` requests at ``rate_per_s``.

    Inter-arrival gaps are exponential with mean ``1/rate`` (a Poisson process), so the
    schedule is reproducible for a given seed.
    """
    if rate_per_s <= 0:
        raise ValueError(f"arrival rate must be positive, got {rate_per_s}")
    if count < 0:
        raise ValueError(f"count must be non-negative, got {count}")
    gaps = np.random.default_rng(seed).exponential(1.0 / rate_per_s, size=count)
    return np.cumsum(gaps * 1e9).astype(np.int64)
