"""Energy method names and the power-integration arithmetic."""

from __future__ import annotations

import numpy as np
import pytest

from planner.hardware import energy


def test_method_names_are_the_documented_labels() -> None:
    assert energy.NVML_ENERGY_COUNTER == "NVML energy counter"
    assert energy.NVML_POWER_INTEGRATED == "integrated NVML power"
    assert energy.RAPL_COUNTER == "RAPL counter"
    assert energy.TDP_ESTIMATE == "TDP estimate"
    assert energy.UNAVAILABLE == "unavailable"
    assert len(set(energy.ENERGY_METHODS)) == 5


def test_constant_power_integrates_to_power_times_time() -> None:
    times = np.linspace(0.0, 10.0, 201)
    assert energy.integrate_power(times, np.full_like(times, 300.0)) == pytest.approx(3000.0)


def test_linear_ramp_is_exact_under_the_trapezoid_rule() -> None:
    times = np.array([0.0, 0.5, 2.0])
    watts = np.array([0.0, 50.0, 200.0])
    assert energy.integrate_power(times, watts) == pytest.approx(200.0)


def test_fewer_than_two_samples_give_zero() -> None:
    assert energy.integrate_power(np.array([1.0]), np.array([100.0])) == 0.0
    assert energy.integrate_power(np.array([]), np.array([])) == 0.0


def test_mismatched_or_unordered_samples_are_rejected() -> None:
    with pytest.raises(ValueError):
        energy.integrate_power(np.array([0.0, 1.0]), np.array([1.0]))
    with pytest.raises(ValueError):
        energy.integrate_power(np.array([1.0, 0.0]), np.array([1.0, 1.0]))


def test_counter_update_period_is_the_median_gap_between_changes() -> None:
    times = np.arange(0.0, 1.0, 0.01)
    counter = np.floor(times / 0.1)  # steps every 100 ms
    assert energy.counter_update_period(times, counter) == pytest.approx(0.1, abs=0.011)
    assert energy.counter_update_period(times, np.zeros_like(times)) is None
