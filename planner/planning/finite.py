"""The engine's last guard: a total that is not a finite number is refused, never stored or ranked.

Pure numpy; any thread. The scenario file's limits keep every input finite and in range,
and the demand cap holds at the uncertainty extremes; this guard catches any combination
of extremes that still overflows, so an infinite total can neither reach the plan store
(JSON has no infinity) nor count as "most expensive" in Monte Carlo's odds.
"""

from __future__ import annotations

import numpy as np

from planner.core.errors import ScenarioError


def require_finite(values: float | np.ndarray, what: str) -> None:
    """ScenarioError naming ``what`` when any of ``values`` is NaN or infinite."""
    if not np.isfinite(values).all():
        raise ScenarioError(
            f"{what} is not a finite number: the scenario's figures are too large to compute; "
            "lower its demand, growth, horizon or prices, or narrow its [uncertainty] ranges"
        )
