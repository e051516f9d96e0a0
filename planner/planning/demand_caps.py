"""The peak-demand cap, checked at a scenario's base values and at its uncertainty extremes.

Pure functions; any thread. No fleet is sized for more than MAX_PEAK_RATE requests/s, and
past it the fleet sizes and totals stop meaning anything (or overflow). Sensitivity moves
each input to its low and high one at a time and Monte Carlo can draw every high at once,
so a cap checked at the base growth alone would let a range carry demand past it: each
range is checked the way its analysis uses it.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping

from planner.core.errors import ScenarioError
from planner.core.plan import Demand
from planner.planning.demand import NEUTRAL
from planner.planning.scenario_fields import MAX_PEAK_RATE

_RAISE_PEAK = ("growth", "peak")
"""The factors whose high end raises peak demand (added growth, peak-factor multiplier)."""

_FIX = "lower growth_per_year, peak_factor or horizon_months"


def _beyond_cap(demand: Demand, growth: float = 0.0, peak: float = 1.0) -> bool:
    """True when the peak rate at horizon end, with ``growth`` added and the peak factor
    times ``peak`` (as ``demand.demand_series`` applies them), exceeds MAX_PEAK_RATE."""
    yearly = max(demand.growth_per_year + growth, -0.99)
    log_peak = math.log(
        demand.avg_rate * demand.effective_peak_factor * peak
    ) + demand.horizon_months / 12.0 * math.log1p(yearly)
    return log_peak > math.log(MAX_PEAK_RATE)


def check_peak(demand: Demand, where: str) -> None:
    """Refuse base demand that compounds beyond what any fleet could be sized for."""
    if _beyond_cap(demand):
        raise ScenarioError(
            f"{where}: demand grows beyond {MAX_PEAK_RATE:,.0f} requests/s at peak within "
            f"{demand.horizon_months} months; {_FIX}"
        )


def check_peak_ranges(
    demand: Demand,
    ranges: Mapping[str, tuple[float, float]],
    given: Collection[str],
    where: str,
    *,
    together: bool,
) -> None:
    """Refuse ``ranges`` whose highs take peak demand beyond the cap.

    ``together``: the highs can coincide in one draw (Monte Carlo); else each is checked
    alone (sensitivity). ``given`` names the ranges the file sets; the others are defaults.
    """
    raising = [k for k in _RAISE_PEAK if k in ranges and ranges[k][1] > NEUTRAL[k]]
    for group in [raising] if together else [[k] for k in raising]:
        highs = {k: ranges[k][1] for k in group}
        if group and _beyond_cap(demand, **highs):
            named = " and ".join(
                f"{k} = [{ranges[k][0]:g}, {ranges[k][1]:g}]"
                + ("" if k in given else " (the default)")
                for k in group
            )
            raise ScenarioError(
                f"{where}: {named} takes demand beyond {MAX_PEAK_RATE:,.0f} requests/s at peak "
                f"within {demand.horizon_months} months; narrow it there, or {_FIX}"
            )
