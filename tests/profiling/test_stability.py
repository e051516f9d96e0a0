"""The stability rule on synthetic sample streams, and the sweep stall rule."""

from __future__ import annotations

import numpy as np

from planner.profiling.stability import StabilityRule, StallRule, check_stability

RULE = StabilityRule(min_windows=3, min_samples=64, ci_tolerance=0.01, throughput_tolerance=0.02)


def _windows(rng: np.random.Generator, sd: float, count: int) -> tuple[np.ndarray, np.ndarray]:
    samples = rng.normal(1.0, sd, 2000 * count)
    throughputs = 1000.0 * (1.0 + rng.normal(0.0, sd / 10, count))
    return samples, throughputs


def test_quiet_stream_is_stable_after_three_windows() -> None:
    samples, tputs = _windows(np.random.default_rng(0), 0.02, 3)
    verdict = check_stability(RULE, samples, tputs)
    assert verdict.stable
    assert verdict.reason.startswith("stable: median CI ±")
    assert "after 3 windows" in verdict.reason


def test_noisy_stream_is_not_stable() -> None:
    rng = np.random.default_rng(0)
    samples = rng.lognormal(0.0, 1.5, 300)
    verdict = check_stability(RULE, samples, np.array([1000.0, 700.0, 1300.0]))
    assert not verdict.stable
    assert verdict.median_ci > 0.01 and verdict.throughput_ci > 0.02


def test_needs_min_windows_and_samples() -> None:
    samples, tputs = _windows(np.random.default_rng(0), 0.001, 2)
    assert check_stability(RULE, samples, tputs).reason == "2 of 3 windows"
    few = check_stability(RULE, np.ones(20), np.full(3, 1000.0))
    assert not few.stable and few.reason.startswith("20 of 64 samples")


def test_throughput_drift_blocks_stability() -> None:
    samples = np.random.default_rng(3).normal(1.0, 0.01, 6000)
    verdict = check_stability(RULE, samples, np.array([1000.0, 900.0, 800.0]))
    assert verdict.median_ci < 0.01 and not verdict.stable


def test_stall_rule() -> None:
    rule = StallRule(min_gain=0.05, steps=4)
    assert not rule.stalled([100, 180, 300])
    assert not rule.stalled([100, 180, 300, 310, 320, 330])
    assert rule.stalled([100, 180, 300, 301, 302, 303, 304])
    assert not rule.stalled([100, 180, 300, 301, 302, 303, 330])
    assert StallRule(0.05, 2).stalled([100, 200, 201, 202])
    assert "5%" in rule.describe() and "4 steps" in rule.describe()
