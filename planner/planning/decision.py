"""The decision summary of a plan: what it recommends, by how much, when, how sure, what flips it.

Pure functions; any thread. Built from a PlanResult (fresh or read back from storage), so
the CLI, the Plan page and the PDF state the same decision. Options are ranked by their
total in the plan's view; a stored plan without present values falls back to nominal.
"""

from __future__ import annotations

import math

from planner.core.decision import DecisionSummary, FlipInput
from planner.core.plan_result import OptionResult, PlanResult, SensitivityResult
from planner.planning.breakeven import cheaper_intervals


def _view(result: PlanResult) -> str:
    if result.view == "npv" and all(math.isfinite(o.npv) for o in result.options):
        return "npv"
    return "nominal"


def _ranked(result: PlanResult, view: str) -> list[OptionResult]:
    finite = [o for o in result.options if math.isfinite(o.total_in(view))]
    return sorted(finite, key=lambda o: o.total_in(view))


def _flip_inputs(
    sensitivity: SensitivityResult | None, best: str, runner: str
) -> tuple[tuple[FlipInput, ...], str]:
    """The two tornado inputs closest to flipping ``best`` over ``runner``, or why none."""
    if sensitivity is None:
        return (), "no sensitivity analysis with this plan."
    pair = (sensitivity.option_a, sensitivity.option_b)
    if set(pair) != {best, runner}:
        return (), (
            f"the tornado compares {pair[0]} with {pair[1]} ([uncertainty] compare), "
            "not the two cheapest options."
        )
    sign = 1.0 if pair == (runner, best) else -1.0  # advantage = runner - best
    items = [
        FlipInput(i.input, i.low, i.high, sign * i.diff_low, sign * i.diff_high)
        for i in sensitivity.items
        if i.swing > 0
    ]
    items.sort(key=lambda f: min(f.advantage_low, f.advantage_high))
    if not items:
        return (), "no tested input changes the comparison."
    return tuple(items[:2]), ""


def _warnings(options: list[OptionResult]) -> tuple[str, ...]:
    notes: list[str] = []
    for option in options:
        notes.extend(f"{option.name}: {w}" for w in option.warnings)
        unverified = [p for p in option.provenance if "(unverified)" in p.detail]
        if unverified:
            notes.append(
                f"{option.name} uses {len(unverified)} unverified catalogue figures "
                "(marked in the provenance); replace them with your own"
            )
    return tuple(notes)


def decide(result: PlanResult) -> DecisionSummary:
    """The recommendation in the plan's view and what supports or threatens it."""
    view = _view(result)
    ranked = _ranked(result, view)
    best = ranked[0] if ranked else None
    runner = ranked[1] if len(ranked) > 1 else None
    nominal = _ranked(result, "nominal")
    nominal_choice = None
    if best is not None and nominal and nominal[0].name != best.name:
        nominal_choice = nominal[0].name
    mc = result.monte_carlo
    advantage = (
        None if best is None or runner is None else (runner.total_in(view) - best.total_in(view))
    )
    flips: tuple[FlipInput, ...] = ()
    note = ""
    if best is not None and runner is not None:
        flips, note = _flip_inputs(result.sensitivity, best.name, runner.name)
    return DecisionSummary(
        view=view,
        discount_rate=result.discount_rate,
        months=result.months,
        recommended=None if best is None else best.name,
        runner_up=None if runner is None else runner.name,
        advantage=advantage,
        advantage_share=(
            None
            if advantage is None or runner is None or runner.total_in(view) <= 0
            else advantage / runner.total_in(view)
        ),
        intervals=(
            ()
            if best is None or runner is None
            else cheaper_intervals(best.cumulative_in(view), runner.cumulative_in(view))
        ),
        nominal_choice=nominal_choice if view == "npv" else None,
        confidence=None if mc is None or best is None else mc.prob_cheapest.get(best.name),
        draws=None if mc is None else mc.draws,
        flip_inputs=flips,
        flip_note=note,
        warnings=_warnings([o for o in (best, runner) if o is not None]),
        residual_at_end=any(o is not None and o.residual_value != 0 for o in (best, runner)),
    )
