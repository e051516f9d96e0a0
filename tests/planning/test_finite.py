"""A total that overflows is refused in one line: never stored, never ranked as costliest.

These scenarios are built directly, past the scenario file's limits, so that only the
engine's own guard stands between an overflow and the plan."""

from __future__ import annotations

import warnings

import pytest
from planning.plan_builders import api, cloud, perf, scenario, with_uncertainty

from planner.core.errors import ScenarioError
from planner.planning.engine import compute_plan


def test_an_infinite_total_is_refused_naming_the_option() -> None:
    dear = cloud(price_per_hour=1e300, performance=perf(1e-10))
    with pytest.raises(ScenarioError, match="option 'cloud': total cost is not a finite") as info:
        compute_plan(scenario(dear, api(), avg_rate=1e9), sensitivity=False, monte_carlo=False)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("analysis", ["monte_carlo", "sensitivity"])
def test_draws_that_overflow_are_refused_not_ranked(analysis: str) -> None:
    """The plan itself is finite; growth drawn at the top of its range overflows."""
    base = scenario(cloud(price_per_hour=1e290), api(), draws=20, avg_rate=1e9, horizon_months=1200)
    grown = with_uncertainty(base, **{analysis: {"growth": (0.0, 10.0)}})
    assert compute_plan(base, sensitivity=False, monte_carlo=False).option("cloud").total < 1e304
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the refusal is the message, not numpy's warning
        with pytest.raises(ScenarioError, match="is not a finite number"):
            compute_plan(grown)
