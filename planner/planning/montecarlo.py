"""Monte Carlo over uncertain inputs: cumulative-cost bands and the chance each option wins.

Pure numpy; any thread; seeded and reproducible (numpy PCG64). Each input is drawn from a
triangular distribution between its low and high with the mode at its neutral value, so
the median draw is close to the deterministic plan. All draws are evaluated at once, and
bands and odds are in the plan's view (net present value or nominal). The odds use every
draw's total; the bands are exact at up to 24 months (every month of a horizon up to two
years) and interpolated between them.
"""

from __future__ import annotations

import numpy as np

from planner.core.plan import Scenario
from planner.core.plan_result import MonteCarloResult
from planner.planning.costs import evaluate
from planner.planning.demand import NEUTRAL, Factors
from planner.planning.finance import draw_discount_factors, in_view
from planner.planning.finite import require_finite

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


BAND_MONTHS = 24
"""Months at which bands are exact order statistics; others are interpolated between them."""


def band_months(months: int) -> np.ndarray:
    """0-based months where bands are computed exactly: at most BAND_MONTHS, evenly spread,
    always the first and the last (every month for horizons up to BAND_MONTHS)."""
    if months <= BAND_MONTHS:
        return np.arange(months)
    return np.unique(np.rint(np.linspace(0, months - 1, BAND_MONTHS)).astype(int))


def _cumulative_at(
    monthly: np.ndarray, exact: np.ndarray, discount: np.ndarray | None
) -> np.ndarray:
    """(E, D) cumulative cost at the ``exact`` months (the last one last), discounted in npv.

    Month-major copy, then the months between consecutive exact months are summed as
    contiguous rows and accumulated: no BLAS call (whose worker threads would compete with
    this one on a small machine) and no pass over every month's cumulative cost.
    """
    by_month = np.ascontiguousarray(monthly.T)
    if discount is not None:
        by_month *= discount.T if discount.ndim == 2 else discount[:, None]
    out = np.empty((exact.size, monthly.shape[0]))
    running = np.zeros(monthly.shape[0])
    first = 0
    for row, last in enumerate(exact):
        running += by_month[first : last + 1].sum(axis=0)
        out[row] = running
        first = last + 1
    return out


def _bands(cumulative: np.ndarray, exact: np.ndarray, months: int) -> np.ndarray:
    """(3, M) 10th, 50th and 90th percentiles over draws of cumulative cost.

    ``cumulative`` (E, D) holds the cumulative cost at the ``exact`` months; order statistics
    are selected within each row, as ``np.percentile`` (linear) does, and the months between
    are interpolated linearly (the bands are drawn as curves, and selection is most of Monte
    Carlo's time on long horizons). Selection reorders the rows in place.
    """
    draws = cumulative.shape[1]
    positions = np.array([0.1, 0.5, 0.9]) * (draws - 1)
    low = np.floor(positions).astype(int)
    high = np.minimum(low + 1, draws - 1)
    cumulative.partition(np.unique(np.concatenate([low, high])), axis=1)
    fraction = (positions - low)[:, None]
    at_exact = cumulative[:, low].T * (1.0 - fraction) + cumulative[:, high].T * fraction
    every = np.arange(months)
    return np.stack([np.interp(every, exact, band) for band in at_exact])


def run_monte_carlo(scenario: Scenario) -> MonteCarloResult:
    """Bands of cumulative cost and each option's odds of being cheapest, in the plan's view."""
    u = scenario.uncertainty
    factors = draw_factors(dict(u.monte_carlo), u.draws, u.seed)
    _, arrays = evaluate(scenario, factors, detail=False)
    names = [o.name for o in scenario.options]
    discount = None
    if scenario.finance.view == "npv":
        discount = draw_discount_factors(scenario.finance, scenario.demand.horizon_months, factors)
    months = scenario.demand.horizon_months
    exact = band_months(months)
    cumulative = [_cumulative_at(in_view(a, scenario.finance), exact, discount) for a in arrays]
    for name, c in zip(names, cumulative, strict=True):
        require_finite(c[-1], f"option {name!r}: total cost in a Monte Carlo draw")
    totals = np.stack([c[-1] for c in cumulative], axis=1)
    bands = [_bands(c, exact, months) for c in cumulative]
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
