"""Sensitivity (tornado data): each uncertain input to its low and high, one at a time.

Pure numpy; any thread. The measure is the difference in total cost over the horizon,
in the plan's view (net present value or nominal), between two options: those named in
``[uncertainty] compare``, else the two cheapest (the recommendation and its runner-up),
so the tornado shows which inputs could flip the decision. All 2n+1 cases are evaluated
in one vectorised pass.
"""

from __future__ import annotations

import numpy as np

from planner.core.plan import Scenario
from planner.core.plan_result import SensitivityItem, SensitivityResult
from planner.planning.costs import evaluate
from planner.planning.demand import NEUTRAL, Factors
from planner.planning.finance import totals_in_view
from planner.planning.finite import require_finite

DEFAULT_SENSITIVITY: dict[str, tuple[float, float]] = {
    "utilization": (0.8, 1.15),
    "tariff": (0.7, 1.5),
    "pue": (1.2 / 1.5, 1.6 / 1.5),  # PUE 1.2-1.6 around 1.5 (FIELD_NOTES, Uptime Institute)
    "growth": (-0.1, 0.1),
    "cloud_drift": (-0.1, 0.05),
    "cloud_price": (0.8, 1.1),
    "api_price": (0.8, 1.2),
    "hardware_price": (0.85, 1.2),
    "support": (10 / 15, 20 / 15),  # support 10-20% around 15%
    "staff_onprem": (0.75, 1.25),  # apart, so the tornado shows staff when it decides
    "staff_rented": (0.75, 1.25),
    "lifetime": (0.75, 1.25),  # 3-5 years around 4
    "peak": (0.8, 1.25),
    "capacity": (0.85, 1.1),
    "discount_rate": (-0.04, 0.04),  # cost of capital 4-12% around 8% (field notes: 8-10%)
}
"""Default low/high of each input (multipliers, or additions for growth and cloud_drift)."""


def comparison_pair(scenario: Scenario, totals: np.ndarray) -> tuple[int, int] | None:
    """Indices of the options compared: scenario.uncertainty.compare, else the two cheapest."""
    names = [o.name for o in scenario.options]
    if scenario.uncertainty.compare is not None:
        name_a, name_b = scenario.uncertainty.compare
        return names.index(name_a), names.index(name_b)
    if len(names) < 2:
        return None
    first, second = (int(i) for i in np.argsort(totals, kind="stable")[:2])
    return first, second


def run_sensitivity(scenario: Scenario) -> SensitivityResult | None:
    """Tornado data ranked by swing of total(a) - total(b); None with fewer than two options."""
    neutral = Factors()
    _, base = evaluate(scenario, neutral, detail=False)
    totals = np.array([totals_in_view(a, scenario.finance, neutral)[0] for a in base])
    pair = comparison_pair(scenario, totals)
    if pair is None:
        return None
    ranges = dict(scenario.uncertainty.sensitivity)
    names = list(ranges)
    rows = 1 + 2 * len(names)
    values = {}
    for i, name in enumerate(names):
        column = np.full(rows, NEUTRAL[name])
        column[1 + 2 * i], column[2 + 2 * i] = ranges[name]
        values[name] = column
    chosen = (scenario.options[pair[0]], scenario.options[pair[1]])
    factors = Factors(rows, values)
    _, arrays = evaluate(scenario, factors, chosen, detail=False)
    diff = totals_in_view(arrays[0], scenario.finance, factors) - totals_in_view(
        arrays[1], scenario.finance, factors
    )
    require_finite(diff, f"sensitivity: total cost of {chosen[0].name!r} or {chosen[1].name!r}")
    items = [
        SensitivityItem(name, *ranges[name], float(diff[1 + 2 * i]), float(diff[2 + 2 * i]))
        for i, name in enumerate(names)
    ]
    items.sort(key=lambda item: item.swing, reverse=True)
    return SensitivityResult(chosen[0].name, chosen[1].name, float(diff[0]), tuple(items))
