"""Erlang C and Allen–Cunneen against hand arithmetic and a published call-centre example."""

from __future__ import annotations

import math

import numpy as np
import pytest

from planner.planning.queueing import (
    allen_cunneen_factor,
    erlang_c,
    mean_wait,
    wait_probability,
    wait_quantile,
)


def test_mm1_wait_probability_is_utilisation() -> None:
    # M/M/1: C(1, a) = a (an arrival waits exactly when the one server is busy).
    assert float(erlang_c(1, 0.7)) == pytest.approx(0.7)


def test_mm2_closed_form() -> None:
    # M/M/2: C = 2ρ² / (1 + ρ). a = 1, ρ = 0.5 -> 2 * 0.25 / 1.5 = 1/3.
    assert float(erlang_c(2, 1.0)) == pytest.approx(1.0 / 3.0)


def test_call_centre_example_matches_published_value() -> None:
    # Published worked example ("Erlang C Formula - Made Simple", Call Centre Helper):
    # 100 calls in 30 minutes, average handling time 180 s, 11 agents.
    # a = λ·AHT = (100 / 1800 s) · 180 s = 10 erlangs; published P(wait) = 68.21%,
    # service level within 20 s = 1 - P(wait)·e^{-(c - a)·t/AHT} = 39.0%.
    lam, aht, c = 100 / 1800, 180.0, 11
    a = lam * aht
    # By hand from the formula: C = (a^c/c! · c/(c-a)) / (Σ_{k<c} a^k/k! + a^c/c! · c/(c-a)).
    top = a**c / math.factorial(c) * c / (c - a)
    by_hand = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    assert float(erlang_c(c, a)) == pytest.approx(by_hand, rel=1e-12)
    assert float(erlang_c(c, a)) == pytest.approx(0.6821, abs=5e-5)
    p_late = wait_probability(c, lam, 1 / aht, 20.0)
    assert 1 - p_late == pytest.approx(0.390, abs=5e-4)
    # Mean wait = C / (cμ - λ) = 0.6821 / (11/180 - 10/180) s = 0.6821 · 180 s ≈ 122.8 s.
    assert mean_wait(c, lam, 1 / aht) == pytest.approx(by_hand * 180.0)


def test_overloaded_queue() -> None:
    assert float(erlang_c(3, 3.0)) == 1.0
    assert mean_wait(3, 3.0, 1.0) == math.inf


def test_allen_cunneen_factor() -> None:
    # Poisson arrivals (Ca² = 1), service CV 0.5 (Cs² = 0.25): (1 + 0.25) / 2 = 0.625.
    assert allen_cunneen_factor(1.0, 0.25) == pytest.approx(0.625)


def test_wait_quantile_mm1_by_hand() -> None:
    # M/M/1, λ = 8, μ = 10: P(W > t) = 0.8·e^{-2t}; the 99th percentile solves
    # 0.8·e^{-2t} = 0.01 -> t = ln(80) / 2 ≈ 2.191.
    t = float(wait_quantile(1, 8.0, 10.0, 0.99))
    assert t == pytest.approx(math.log(80) / 2)
    # With Cs² = 0.25 the decay slows by κ = 0.625: t = 0.625 · ln(80) / 2.
    t_ac = float(wait_quantile(1, 8.0, 10.0, 0.99, cs2=0.25))
    assert t_ac == pytest.approx(0.625 * math.log(80) / 2)
    # Light load: P(wait) = 0.05 <= 1 - 0.9, so the 90th percentile wait is 0.
    assert float(wait_quantile(1, 0.5, 10.0, 0.9)) == 0.0


def test_wait_quantile_vectorised_and_monotone() -> None:
    lam = np.linspace(0.0, 39.0, 40)
    t = wait_quantile(4, lam, 10.0, 0.99)
    assert np.all(np.diff(t) >= 0)
    assert float(wait_quantile(4, 40.0, 10.0, 0.99)) == math.inf
