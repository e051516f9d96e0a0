"""Fitting points into a run's time budget, and advice when a model is too slow for it.

Pure arithmetic, called by the procedure between points (never inside a timed window).
A point needs a warm-up and at least one sample; a fast model also needs its minimum
windows. A slow model still gets every point the budget can hold, each with the
statistics its samples support, and a note saying which point cap and budget would give
the missing percentiles.
"""

from __future__ import annotations

import math

from planner.core.run import PointResult, RunConfig
from planner.profiling.measure import SLOW_WARMUP_S
from planner.profiling.stats import PERCENTILES

P90_SAMPLES = PERCENTILES["p90"][1]


def warmup_estimate_s(config: RunConfig, latency_s: float) -> float:
    """Expected warm-up time: the runs :func:`planner.profiling.measure.warm_up` makes."""
    latency = max(latency_s, 1e-6)
    runs = max(math.ceil(config.warmup_s / latency), min(3, math.ceil(SLOW_WARMUP_S / latency)))
    return runs * latency


def point_minimum_s(config: RunConfig, latency_s: float) -> float:
    """Least time a point needs to report a p50: warm-up plus windows or one sample."""
    windows = config.min_windows * config.window_s
    return warmup_estimate_s(config, latency_s) + max(windows, 1.2 * latency_s)


def point_cap_within(
    cap_s: float, remaining_s: float, config: RunConfig, latency_s: float
) -> float:
    """The point's measuring cap, shortened so warm-up and measurement end within budget."""
    room = remaining_s - warmup_estimate_s(config, latency_s)
    return max(min(cap_s, room), latency_s)


def sample_advice(point: PointResult, concurrency: int) -> str | None:
    """A note when a point got too few samples for p90, with the cap that would give them."""
    count = point.stats.count
    if count >= P90_SAMPLES or point.stats.p50 is None:
        return None
    latency_s = point.stats.p50 / 1000.0
    cap = math.ceil(P90_SAMPLES * latency_s / max(concurrency, 1) * 1.2) + 1
    return (
        f"{point.label}: {count} samples in {point.duration_s:.3g} s at "
        f"{point.stats.p50:.4g} ms per inference, so only p50 and throughput are reported; "
        f"p90 needs {P90_SAMPLES} samples: give --point-cap {cap}s and a --budget that "
        "holds every point at that cap"
    )


def budget_failure_text(config: RunConfig, latency_s: float, spent_s: float) -> str:
    """Why no point fitted, with the budget that would fit one."""
    need = point_minimum_s(config, latency_s)
    budget = math.ceil((spent_s + need) * 1.5)
    return (
        f"slower than the budget: no point fitted in the {config.time_budget_s:.3g} s budget; "
        f"one inference takes {latency_s * 1000:.4g} ms and a point needs about {need:.3g} s "
        f"after {spent_s:.3g} s of set-up; give --budget {budget}s or more"
    )
