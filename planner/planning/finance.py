"""Time value of money: discount factors and totals in the plan's view (npv or nominal).

Pure numpy; any thread. Month m (0-based) is discounted by ``(1 + r) ** (-m / 12)``: a
month's costs fall at its start, so the first month is undiscounted. ``r`` is the
scenario's yearly discount rate plus the ``discount_rate`` factor of a draw (sensitivity).
"""

from __future__ import annotations

import numpy as np

from planner.core.plan import Finance
from planner.planning.demand import Factors
from planner.planning.option_arrays import OptionArrays


def discount_factors(months: int, rate: float | np.ndarray) -> np.ndarray:
    """(M,) factors for one rate, or (D, M) for a (D, 1) column of rates."""
    years = np.arange(months, dtype=float) / 12.0
    factors: np.ndarray = np.power(1.0 + np.asarray(rate, dtype=float), -years)
    return factors


def draw_discount_factors(finance: Finance, months: int, factors: Factors) -> np.ndarray:
    """Discount factors per draw: (M,) when no draw changes the rate, else (D, M)."""
    if not factors.varies("discount_rate"):
        return discount_factors(months, finance.discount_rate)
    return discount_factors(
        months, np.maximum(finance.discount_rate + factors("discount_rate"), -0.99)
    )


def in_view(arrays: OptionArrays, finance: Finance) -> np.ndarray:
    """(D, M) monthly costs in the plan's view: as booked (nominal), or as paid (npv)."""
    return arrays.cash_flow if finance.view == "npv" else arrays.monthly_total


def totals_in_view(arrays: OptionArrays, finance: Finance, factors: Factors) -> np.ndarray:
    """(D,) total over the horizon of an option's monthly costs, in the plan's view."""
    monthly = in_view(arrays, finance)
    if finance.view != "npv":
        total: np.ndarray = monthly.sum(axis=1)
        return total
    weights = draw_discount_factors(finance, monthly.shape[1], factors)
    return np.asarray((monthly * weights).sum(axis=1))
