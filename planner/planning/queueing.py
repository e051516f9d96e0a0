"""Queueing formulas for sizing from concurrency sweeps: Erlang C (M/M/c) and Allen–Cunneen.

Pure numpy functions; any thread. ``a = λ/μ`` is the offered load in erlangs, ``c`` the
number of parallel servers (in-flight slots). Waits are in the time unit of ``1/μ``.
Allen–Cunneen approximates a G/G/c queue by scaling M/M/c waits by ``(Ca² + Cs²)/2``,
with Ca, Cs the coefficients of variation of inter-arrival and service times.
"""

from __future__ import annotations

import numpy as np


def erlang_b(c: int, a: np.ndarray | float) -> np.ndarray:
    """Blocking probability of M/M/c/c, by the stable recursion B(k) = aB(k-1)/(k + aB(k-1))."""
    load = np.asarray(a, dtype=float)
    b = np.ones_like(load)
    for k in range(1, c + 1):
        b = load * b / (k + load * b)
    return b


def erlang_c(c: int, a: np.ndarray | float) -> np.ndarray:
    """Probability an arrival waits in M/M/c with offered load ``a``; 1 where a >= c."""
    if c < 1:
        raise ValueError("erlang_c needs at least one server")
    load = np.asarray(a, dtype=float)
    b = erlang_b(c, load)
    rho = load / c
    with np.errstate(divide="ignore", invalid="ignore"):
        p = b / (1.0 - rho * (1.0 - b))
    return np.where(load >= c, 1.0, p)


def wait_probability(c: int, lam: float, mu: float, t: float) -> float:
    """P(wait > t) for M/M/c: C(c, a) · exp(-(cμ - λ) t)."""
    if lam >= c * mu:
        return 1.0
    return float(erlang_c(c, lam / mu) * np.exp(-(c * mu - lam) * t))


def mean_wait(c: int, lam: float, mu: float) -> float:
    """Mean wait in queue for M/M/c: C(c, a) / (cμ - λ); infinite when unstable."""
    if lam >= c * mu:
        return float("inf")
    return float(erlang_c(c, lam / mu) / (c * mu - lam))


def allen_cunneen_factor(ca2: float, cs2: float) -> float:
    """Scale applied to M/M/c waits for a G/G/c queue: (Ca² + Cs²) / 2."""
    return (ca2 + cs2) / 2.0


def wait_quantile(
    c: int, lam: np.ndarray | float, mu: float, q: float, cs2: float = 1.0, ca2: float = 1.0
) -> np.ndarray:
    """Wait exceeded with probability 1-q, from the tail P(W > t) ≈ C·exp(-(cμ-λ)t/κ).

    κ is the Allen–Cunneen factor (1 for M/M/c). Infinite where λ >= cμ.
    """
    rate = np.asarray(lam, dtype=float)
    kappa = allen_cunneen_factor(ca2, cs2)
    prob = erlang_c(c, rate / mu)
    decay = np.maximum(c * mu - rate, 0.0) / kappa
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.log(np.maximum(prob, 1e-300) / (1.0 - q)) / decay
    t = np.where(prob <= 1.0 - q, 0.0, t)
    return np.where(rate >= c * mu, np.inf, t)
