"""Monte Carlo over uncertain inputs: cumulative-cost bands and the chance each option wins.

Pure numpy; any thread; seeded and reproducible (numpy PCG64). Each input is drawn from a
triangular distribution between its low and high with the mode at its neutral value, so
the median draw is close to the deterministic plan. All draws are evaluated at once, and
bands and odds are in the plan's view (net present value or nominal).
"""

from __future__ import annotations

import numpy as np

from planner.core.plan import Scenario
from planner.core.plan_result import MonteCarloResult
from planner.planning.costs import evaluate
from planner.planning.demand import NEUTRAL, Factors
from planner.planning.finance import cumulative_in_view

DEFAULT_MONTE_CARLO: dict[str, tuple[float, float]] = {
    "utilization": (0.85, 1.1),
    "tariff": (0.8, 1.4),
    "growth": (-0.1, 0.1),
    "cloud_drift": (-0.1, 0.05),
    "hardware_price": (0.9, 1.2),
}
"""Default ranges (multipliers, or additions for growth and cloud_drift)."""


def draw_factors(ranges: dict[str, tuple[float, float]], draws: int, seed: int) -> Factors:
    """Triangular draws (low, neutral, high) for each input, from one seeded generator."""
    rng = np.random.Generator(np.random.PCG64(seed))
    values = {}
    for name in sorted(ranges):
        low, high = ranges[name]
        values[name] = (
            np.full(draws, low) if low == high else rng.triangular(low, NEUTRAL[name], high, draws)
        )
    return Factors(draws, values)


def _bands(cumulative: np.ndarray) -> np.ndarray:
    """(3, M) 10th, 50th and 90th percentiles over draws of a (D, M) cumulative cost.

    Linear interpolation between order statistics, as ``np.percentile``; selecting the
    needed order statistics on the month-major copy is about twice as fast as sorting.
    """
    draws = cumulative.shape[0]
    by_month = np.ascontiguousarray(cumulative.T)
    positions = np.array([0.1, 0.5, 0.9]) * (draws - 1)
    low = np.floor(positions).astype(int)
    high = np.minimum(low + 1, draws - 1)
    by_month.partition(np.unique(np.concatenate([low, high])), axis=1)
    fraction = (positions - low)[:, None]
    return np.asarray(by_month[:, low].T * (1.0 - fraction) + by_month[:, high].T * fraction)


def run_monte_carlo(scenario: Scenario) -> MonteCarloResult:
    """Bands of cumulative cost and each option's odds of being cheapest, in the plan's view."""
    u = scenario.uncertainty
    factors = draw_factors(dict(u.monte_carlo), u.draws, u.seed)
    _, arrays = evaluate(scenario, factors)
    names = [o.name for o in scenario.options]
    cumulative = [cumulative_in_view(a.monthly_total, scenario.finance, factors) for a in arrays]
    bands = [_bands(c) for c in cumulative]
    totals = np.stack([c[:, -1] for c in cumulative], axis=1)
    wins = np.bincount(totals.argmin(axis=1), minlength=len(names)) / u.draws
    return MonteCarloResult(
        draws=u.draws,
        seed=u.seed,
        cumulative_p10={n: b[0] for n, b in zip(names, bands, strict=True)},
        cumulative_p50={n: b[1] for n, b in zip(names, bands, strict=True)},
        cumulative_p90={n: b[2] for n, b in zip(names, bands, strict=True)},
        prob_cheapest={n: float(w) for n, w in zip(names, wins, strict=True)},
        view=scenario.finance.view,
    )
