"""The headline figures of a plan, one row per option: what every output shows.

Pure (any thread). Computed from a :class:`PlanResult`; a stored plan is read back as
the same typed result, so a stored plan and a fresh one give the same summary.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from planner.core.plan_result import OptionResult, PlanResult
from planner.core.plan_summary import OptionSummary, PlanSummary
from planner.planning.decision import decide
from planner.planning.performance import POWER


def plan_summary(result: PlanResult) -> PlanSummary:
    """Per option: units, capacity, total, cost per 1k/1M, margin, energy, CO2; break-evens."""
    monte_carlo = result.monte_carlo
    return PlanSummary(
        scenario=result.scenario,
        currency=result.currency,
        months=result.months,
        options=tuple(_option(o) for o in result.options),
        breakeven=result.breakeven,
        prob_cheapest=None if monte_carlo is None else dict(monte_carlo.prob_cheapest),
        decision=decide(result),
        view=result.view,
        output_tokens_per_request=result.output_tokens_per_request,
        input_tokens_per_request=result.input_tokens_per_request,
    )


def _option(option: OptionResult) -> OptionSummary:
    return OptionSummary(
        name=option.name,
        kind=option.kind,
        estimated=option.estimated,
        units_max=_reduce(option.units, np.max),
        capacity_per_unit=_finite(option.capacity_per_unit),
        total_cost=_finite(option.total),
        cost_per_1k=_finite(option.cost_per_1k),
        cost_per_1m=_finite(option.cost_per_1m),
        margin_per_1k=_finite(option.margin_per_1k),
        energy_kwh=_reduce(option.energy_kwh, np.sum),
        co2_kg=_reduce(option.co2_kg, np.sum),
        npv=_finite(option.npv),
        residual_value=_finite(option.residual_value),
        energy_estimated=_energy_estimated(option),
        cost_per_1m_output_tokens=_finite(option.cost_per_1m_output_tokens),
        margin_per_1m_tokens=_finite(option.margin_per_1m_tokens),
        cost_per_1m_tokens=_finite(option.cost_per_1m_tokens),
    )


def _energy_estimated(option: OptionResult) -> bool:
    """True when no meter read the power behind the energy: a TDP estimate, a catalogue
    or nameplate figure. Only RAPL or NVML readings make energy measured."""
    return any(p.detail.startswith(POWER) and p.kind != "measured" for p in option.provenance)


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _reduce(values: np.ndarray | None, how: Callable[[np.ndarray], Any]) -> float | None:
    """``how`` over a monthly series; None when the series is absent or not all finite."""
    if values is None or values.size == 0:
        return None
    return _finite(float(how(values)))
