"""Latency statistics and confidence intervals: pure functions over numpy arrays.

Runs on whichever thread calls it (the worker process between windows, or tests).
Percentiles use numpy's default ``linear`` method (``np.percentile(x, q)``). A percentile
is reported only when enough samples exist to trust it (MLPerf's early-stopping counts:
p90 needs 64 samples, p99 662, p99.9 6,600; p95 follows the same 6.6/(1-p) rule).
"""

from __future__ import annotations

import math

import numpy as np

from planner.core.run import LatencyStats

#: Percentile name -> (percentile, minimum samples needed to report it).
PERCENTILES: dict[str, tuple[float, int]] = {
    "p50": (50.0, 1),
    "p90": (90.0, 64),
    "p95": (95.0, 132),
    "p99": (99.0, 662),
    "p999": (99.9, 6600),
}

#: Two-sided 95% Student t quantiles for 1..30 degrees of freedom.
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


def min_samples_for(percentile: float) -> int:
    """Samples needed before ``percentile`` (e.g. 99.0) is reported."""
    for q, needed in PERCENTILES.values():
        if math.isclose(q, percentile):
            return needed
    return max(1, math.ceil(6.62 / max(1e-9, 1.0 - percentile / 100.0)))


def latency_stats(samples_ms: np.ndarray) -> LatencyStats:
    """Summary statistics of latency samples (ms); percentiles withheld when samples are few."""
    x = np.asarray(samples_ms, dtype=np.float64)
    n = int(x.size)
    unavailable: dict[str, str] = {}
    values: dict[str, float | None] = {}
    qs = [q for q, needed in PERCENTILES.values() if n >= needed]
    computed = iter(np.percentile(x, qs)) if qs else iter(())
    for name, (_q, needed) in PERCENTILES.items():
        if n >= needed:
            values[name] = float(next(computed))
        else:
            values[name] = None
            unavailable[name] = f"needs at least {needed} samples, have {n}"
    if n < 2:
        unavailable["std"] = f"needs at least 2 samples, have {n}"
    return LatencyStats(
        count=n,
        mean=float(x.mean()) if n else None,
        std=float(x.std(ddof=1)) if n >= 2 else None,
        min=float(x.min()) if n else None,
        max=float(x.max()) if n else None,
        unavailable=unavailable,
        **values,
    )


def percentile_or_none(samples_ms: np.ndarray, percentile: float) -> float | None:
    """One percentile, or None when there are too few samples to report it."""
    if samples_ms.size < min_samples_for(percentile):
        return None
    return float(np.percentile(np.asarray(samples_ms, dtype=np.float64), percentile))


def median_ci(samples: np.ndarray, z: float = 1.96) -> tuple[float, float, float] | None:
    """Distribution-free 95% confidence interval of the median: (median, low, high).

    Uses the order statistics at ranks n/2 -/+ z*sqrt(n)/2 (normal approximation to the
    binomial). None with fewer than 8 samples, where the interval is the whole range.
    """
    n = int(samples.size)
    if n < 8:
        return None
    half = z * math.sqrt(n) / 2.0
    lo_rank = max(0, math.floor(n / 2.0 - half) - 1)
    hi_rank = min(n - 1, math.ceil(n / 2.0 + half) - 1)
    mid = (n - 1) // 2
    part = np.partition(samples, sorted({lo_rank, mid, hi_rank}))
    if n % 2 == 0:
        median = 0.5 * (float(part[mid]) + float(np.min(part[mid + 1 :])))
    else:
        median = float(part[mid])
    return median, float(part[lo_rank]), float(part[hi_rank])


def relative_halfwidth(low: float, high: float, centre: float) -> float:
    """Half the interval width as a fraction of its centre (inf when the centre is 0)."""
    if centre <= 0.0:
        return math.inf
    return 0.5 * (high - low) / centre


def mean_ci_halfwidth(values: np.ndarray) -> float:
    """Relative half-width of the 95% t-interval of the mean of ``values`` (batch means)."""
    k = int(values.size)
    if k < 2:
        return math.inf
    mean = float(np.mean(values))
    if mean <= 0.0:
        return math.inf
    t = _T975[k - 2] if k - 1 <= len(_T975) else 1.96
    return t * float(np.std(values, ddof=1)) / math.sqrt(k) / mean
