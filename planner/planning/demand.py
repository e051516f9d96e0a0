"""Demand over the horizon and the factors that perturb a plan, as (draws, months) arrays.

Pure numpy; any thread. Month m (0-based) has average rate avg · (1 + growth)^(m/12) and
peak = average × peak factor; a deterministic plan is one draw with neutral factors.
Monte Carlo and sensitivity pass many draws at once, one row per draw.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from planner.core.plan import Demand
from planner.core.units import SECONDS_PER_MONTH

NEUTRAL = {
    "utilization": 1.0,  # multiplier on each option's target utilization (capped at 1)
    "tariff": 1.0,  # multiplier on electricity tariffs
    "pue": 1.0,  # multiplier on PUE
    "growth": 0.0,  # added to the yearly demand growth
    "cloud_drift": 0.0,  # yearly change of cloud and API prices (-0.1 = 10% cheaper a year)
    "cloud_price": 1.0,  # multiplier on cloud instance prices
    "api_price": 1.0,  # multiplier on managed-API prices
    "hardware_price": 1.0,  # multiplier on server purchase prices
    "support": 1.0,  # multiplier on support % of capex
    "staff_onprem": 1.0,  # multiplier on on-prem staff cost
    "staff_rented": 1.0,  # multiplier on cloud and managed-API staff cost
    "lifetime": 1.0,  # multiplier on depreciation years (hardware life)
    "peak": 1.0,  # multiplier on the peak-to-average factor
    "capacity": 1.0,  # multiplier on measured or estimated capacity per unit
    "discount_rate": 0.0,  # added to the yearly discount rate (npv figures only)
}
"""Perturbable inputs and their neutral values; the ADDITIVE ones add, others multiply."""
ADDITIVE = frozenset({"growth", "cloud_drift", "discount_rate"})


@dataclass(frozen=True)
class Factors:
    """Per-draw values of the perturbable inputs; absent names take their neutral value."""

    draws: int = 1
    values: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.values) - set(NEUTRAL)
        if unknown:
            raise ValueError(f"unknown factors {sorted(unknown)}")

    def varies(self, name: str) -> bool:
        """True when some draw sets ``name`` (else every draw has its neutral value)."""
        return name in self.values

    def __call__(self, name: str) -> np.ndarray:
        """The factor as a (draws, 1) column, ready to broadcast against months."""
        value = self.values.get(name)
        if value is None:
            return np.full((self.draws, 1), NEUTRAL[name])
        return np.asarray(value, dtype=float).reshape(self.draws, 1)


@dataclass(frozen=True)
class DemandSeries:
    months: np.ndarray  # (M,) 0-based month index
    avg: np.ndarray  # (D, M) average requests/s
    peak: np.ndarray  # (D, M) peak requests/s for sizing
    burst: np.ndarray  # (D, 1) peak over the busiest hour of the profile
    profile: np.ndarray  # (24,) hourly weights, mean 1
    drift: np.ndarray  # (D, 1) yearly change of cloud and API prices
    never_falls: bool  # no draw's demand falls from one month to the next

    @functools.cached_property
    def inferences(self) -> np.ndarray:
        """(D, M) requests per month (computed when an option needs it)."""
        served: np.ndarray = self.avg * SECONDS_PER_MONTH
        return served

    @functools.cached_property
    def price_trend(self) -> np.ndarray:
        """(D, M) cloud and API price multiplier from the yearly drift."""
        return compounded(self.drift, self.months)


def compounded(yearly: np.ndarray, months: np.ndarray) -> np.ndarray:
    """(1 + yearly) ** (months / 12) for a (D, 1) column and 0-based months 0..M-1.

    Few draws: exp(log1p(yearly) m / 12). Many draws (Monte Carlo): each month is the
    previous one times the monthly ratio, one contiguous row at a time, then transposed:
    a few times faster than an exponential per element, and equal to 1e-13 relative.
    """
    rates = np.log1p(np.asarray(yearly, dtype=float).reshape(-1))
    if rates.size < 64:
        grown: np.ndarray = np.exp(rates[:, None] * (months / 12.0))
        return grown
    ratio = np.exp(rates / 12.0)
    by_month = np.empty((months.size, rates.size))
    by_month[0] = 1.0
    for m in range(1, months.size):
        np.multiply(by_month[m - 1], ratio, out=by_month[m])
    return np.ascontiguousarray(by_month.T)


def demand_series(demand: Demand, factors: Factors) -> DemandSeries:
    months = np.arange(demand.horizon_months, dtype=float)
    growth = np.maximum(demand.growth_per_year + factors("growth"), -0.99)
    avg = demand.avg_rate * compounded(growth, months)
    peak_factor = demand.effective_peak_factor * factors("peak")
    peak = avg * peak_factor
    burst = np.maximum(peak_factor / demand.profile.max(), 1.0)
    drift = np.maximum(factors("cloud_drift"), -0.99)
    never_falls = bool(growth.min() >= 0.0)
    return DemandSeries(months, avg, peak, burst, demand.profile, drift, never_falls)
