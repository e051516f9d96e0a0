"""Stability and sweep-stop rules: when a point has been measured enough, when a sweep stalls.

Pure logic, evaluated in the worker process between measurement windows (never inside
the timed loop). A point is stable when, after at least ``min_windows`` windows and
``min_samples`` samples, both

* the distribution-free 95% CI of the median latency is within ``ci_tolerance``, and
* the 95% batch-means CI of throughput (windows as batches) is within ``throughput_tolerance``.

This replaces perf_analyzer's "3 windows within ±10%" with intervals that are tighter
(1-2%) and usually reached sooner, because windows are short (~0.25 s).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.profiling.stats import mean_ci_halfwidth, median_ci, relative_halfwidth


@dataclass(frozen=True)
class StabilityRule:
    """Tolerances for declaring a point stable."""

    min_windows: int = 3
    min_samples: int = 64
    ci_tolerance: float = 0.01
    throughput_tolerance: float = 0.02


@dataclass(frozen=True)
class Verdict:
    """Outcome of one stability check."""

    stable: bool
    median: float | None
    median_ci: float
    throughput_ci: float
    reason: str


def check_stability(
    rule: StabilityRule, samples: np.ndarray, window_throughputs: np.ndarray
) -> Verdict:
    """Judge the samples and per-window throughputs measured so far."""
    windows = int(window_throughputs.size)
    ci = median_ci(samples) if samples.size else None
    med_hw = relative_halfwidth(ci[1], ci[2], ci[0]) if ci else float("inf")
    median = ci[0] if ci else None
    tput_hw = mean_ci_halfwidth(window_throughputs)
    summary = f"median CI ±{_pct(med_hw)}"
    if rule.throughput_tolerance != float("inf"):
        summary += f", throughput CI ±{_pct(tput_hw)}"
    if windows < rule.min_windows:
        return Verdict(False, median, med_hw, tput_hw, f"{windows} of {rule.min_windows} windows")
    if samples.size < rule.min_samples:
        return Verdict(
            False,
            median,
            med_hw,
            tput_hw,
            f"{samples.size} of {rule.min_samples} samples; {summary}",
        )
    stable = med_hw <= rule.ci_tolerance and tput_hw <= rule.throughput_tolerance
    prefix = "stable" if stable else "not stable"
    return Verdict(stable, median, med_hw, tput_hw, f"{prefix}: {summary} after {windows} windows")


def _pct(fraction: float) -> str:
    return "inf%" if fraction == float("inf") else f"{100.0 * fraction:.1f}%"


@dataclass(frozen=True)
class StallRule:
    """Stop a sweep when throughput gained less than ``min_gain`` over ``steps`` steps."""

    min_gain: float = 0.05
    steps: int = 4

    def stalled(self, throughputs: list[float]) -> bool:
        """True when the best of the last ``steps`` points beats the best before by < min_gain."""
        if self.steps < 1 or len(throughputs) <= self.steps:
            return False
        before = max(throughputs[: -self.steps])
        recent = max(throughputs[-self.steps :])
        return before > 0 and recent < before * (1.0 + self.min_gain)

    def describe(self) -> str:
        return f"throughput gain < {100 * self.min_gain:g}% over {self.steps} steps"
