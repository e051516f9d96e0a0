"""Latency statistics against numpy, and percentile availability thresholds."""

from __future__ import annotations

import numpy as np
import pytest

from planner.profiling.stats import (
    PERCENTILES,
    latency_stats,
    mean_ci_halfwidth,
    median_ci,
    min_samples_for,
    percentile_or_none,
)


def test_stats_match_numpy_on_known_data() -> None:
    data = np.random.default_rng(1).lognormal(0.0, 0.5, 10_000)
    stats = latency_stats(data)
    assert stats.count == data.size
    assert stats.mean == pytest.approx(data.mean())
    assert stats.std == pytest.approx(data.std(ddof=1))
    assert stats.min == data.min() and stats.max == data.max()
    for name, (q, _needed) in PERCENTILES.items():
        assert getattr(stats, name) == pytest.approx(np.percentile(data, q))
    assert stats.unavailable == {}


@pytest.mark.parametrize(
    ("name", "needed"), [("p90", 64), ("p95", 132), ("p99", 662), ("p999", 6600)]
)
def test_percentile_withheld_below_threshold(name: str, needed: int) -> None:
    below = latency_stats(np.arange(needed - 1, dtype=np.float64))
    at = latency_stats(np.arange(needed, dtype=np.float64))
    assert getattr(below, name) is None
    assert f"needs at least {needed} samples" in below.unavailable[name]
    assert getattr(at, name) == pytest.approx(
        np.percentile(np.arange(needed), PERCENTILES[name][0])
    )


def test_empty_and_single_sample() -> None:
    empty = latency_stats(np.array([]))
    assert empty.count == 0 and empty.mean is None and empty.p50 is None
    one = latency_stats(np.array([2.0]))
    assert one.p50 == 2.0 and one.std is None and "std" in one.unavailable


def test_min_samples_for_known_and_other_percentiles() -> None:
    assert min_samples_for(99.0) == 662
    assert min_samples_for(99.9) == 6600
    assert min_samples_for(80.0) == 34
    assert percentile_or_none(np.ones(10), 99.0) is None
    assert percentile_or_none(np.ones(700), 99.0) == 1.0


def test_median_ci_brackets_median_and_covers_truth() -> None:
    rng = np.random.default_rng(7)
    covered = 0
    for _ in range(400):
        sample = rng.exponential(1.0, 400)
        median, low, high = median_ci(sample)
        assert low <= median <= high
        assert median == pytest.approx(np.median(sample))
        covered += low <= np.log(2.0) <= high
    assert 0.92 <= covered / 400 <= 0.98
    assert median_ci(np.ones(5)) is None


def test_mean_ci_halfwidth() -> None:
    assert mean_ci_halfwidth(np.array([100.0])) == float("inf")
    values = np.array([99.0, 100.0, 101.0])
    expected = 4.303 * np.std(values, ddof=1) / np.sqrt(3) / 100.0
    assert mean_ci_halfwidth(values) == pytest.approx(expected)
