"""Poisson arrival schedules: rate, dispersion, reproducibility."""

from __future__ import annotations

import numpy as np
import pytest

from planner.profiling.arrivals import poisson_schedule


def test_poisson_schedule_statistics() -> None:
    schedule = poisson_schedule(200.0, 20_000, seed=3)
    gaps = np.diff(schedule) / 1e9
    assert schedule.dtype == np.int64 and np.all(gaps >= 0)
    assert gaps.mean() == pytest.approx(1 / 200.0, rel=0.03)
    assert gaps.std() / gaps.mean() == pytest.approx(1.0, abs=0.03)
    counts = np.bincount((schedule // 100_000_000).astype(int))[:-1]
    assert counts.var() / counts.mean() == pytest.approx(1.0, abs=0.15)


def test_poisson_schedule_is_reproducible_and_validated() -> None:
    assert np.array_equal(poisson_schedule(50, 100, 1), poisson_schedule(50, 100, 1))
    assert not np.array_equal(poisson_schedule(50, 100, 1), poisson_schedule(50, 100, 2))
    with pytest.raises(ValueError):
        poisson_schedule(0.0, 10, 0)
