"""The decision a plan supports, in a form a finance reader can sign, and its wording.

Frozen dataclasses built by ``planning.decision.decide`` from a PlanResult and read by
the CLI (printed first), the Plan page and the PDF, which all show :func:`decision_lines`
so the sentences read the same everywhere. Safe on any thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.core.formatting import confidence_level, money, probability
from planner.core.sensitivity_labels import input_end, input_label

VIEW_WORDS = {"npv": "net present value", "nominal": "nominal totals, not discounted"}


@dataclass(frozen=True)
class FlipInput:
    """One tornado input and what its ends do to the recommendation's advantage.

    ``advantage_low``/``advantage_high``: runner-up minus recommended cost with the input at
    its low/high end; a negative value means the runner-up would then be cheaper.
    """

    input: str
    low: float
    high: float
    advantage_low: float
    advantage_high: float

    @property
    def flips(self) -> bool:
        return min(self.advantage_low, self.advantage_high) < 0


@dataclass(frozen=True)
class DecisionSummary:
    view: str  # "npv" or "nominal"
    discount_rate: float
    months: int
    recommended: str | None
    runner_up: str | None
    advantage: float | None  # runner-up minus recommended cost, in the view
    advantage_share: float | None  # advantage over the runner-up's cost
    intervals: tuple[tuple[int, int], ...]  # months the recommendation is cheaper or equal
    nominal_choice: str | None  # cheapest by nominal totals when that differs
    confidence: float | None  # share of Monte Carlo draws in which it is cheapest
    draws: int | None
    flip_inputs: tuple[FlipInput, ...]  # the two inputs closest to flipping it
    flip_note: str  # why there are no flip inputs, or ""
    warnings: tuple[str, ...]
    residual_at_end: bool = False  # either option's cumulative curve gains a resale credit


def _months(intervals: tuple[tuple[int, int], ...]) -> str:
    """'month 12', 'months 1-44 and 90-120', 'months 12, 23-24 and 34-36'."""
    spans = [f"{first}" if first == last else f"{first}-{last}" for first, last in intervals]
    many = len(spans) > 1 or intervals[0][0] != intervals[0][1]
    listed = spans[0] if len(spans) == 1 else ", ".join(spans[:-1]) + f" and {spans[-1]}"
    return f"{'months' if many else 'month'} {listed}"


def _view(d: DecisionSummary) -> str:
    if d.view == "npv":
        return f"{VIEW_WORDS['npv']} at {d.discount_rate:.1%} a year"
    return VIEW_WORDS["nominal"]


def _payoff(d: DecisionSummary) -> str:
    """What the intervals show on this horizon's cumulative curve, and nothing more.

    A plan of another horizon credits the residual value in another month and may buy
    other hardware, so the intervals cannot say what a shorter horizon would decide: no
    sentence claims it.
    """
    note = " (residual value credited at the horizon end only)" if d.residual_at_end else ""
    curve = f"of the cumulative curve{note}"
    if not d.intervals:
        return f"Pays off: cheaper than {d.runner_up} in no month {curve}."
    if d.intervals == ((1, d.months),):
        return f"Pays off: cheaper than {d.runner_up} in every month {curve}."
    return (
        f"Pays off: cheaper than {d.runner_up} in {_months(d.intervals)} {curve}; "
        "dearer in the other months."
    )


def _flips(d: DecisionSummary, currency: str) -> str:
    if not d.flip_inputs:
        return f"Could flip it: {d.flip_note}"
    parts = []
    for item in d.flip_inputs:
        worst = min((item.advantage_low, item.low, "low"), (item.advantage_high, item.high, "high"))
        if item.flips:
            parts.append(
                f"{input_label(item.input)} at its {worst[2]} end "
                f"({input_end(item.input, worst[1])}) makes {d.runner_up} "
                f"cheaper by {money(-worst[0], currency)}"
            )
        else:
            parts.append(
                f"{input_label(item.input)} at its {worst[2]} end "
                f"({input_end(item.input, worst[1])}) leaves an advantage of "
                f"{money(worst[0], currency)}"
            )
    lead = "Could flip it" if any(i.flips for i in d.flip_inputs) else "Nearest to flipping it"
    return f"{lead}: " + "; ".join(parts) + "."


def decision_lines(d: DecisionSummary, currency: str) -> list[str]:
    """The decision summary as sentences: verdict, pay-off, confidence, flips, warnings."""
    if d.recommended is None:
        return ["Decision: no option has a finite cost; see the errors above."]
    if d.runner_up is None or d.advantage is None:
        return [f"Decision ({_view(d)}): {d.recommended} is the only option; nothing to compare."]
    share = "" if d.advantage_share is None else f" ({d.advantage_share:.1%})"
    lines = [
        f"Decision ({_view(d)}): {d.recommended}, cheaper than {d.runner_up} by "
        f"{money(d.advantage, currency)}{share} over {d.months} months.",
        _payoff(d),
    ]
    if d.confidence is None:
        lines.append("Confidence: no Monte Carlo run with this plan.")
    else:
        lines.append(
            f"Confidence: cheapest in {probability(d.confidence)} of {d.draws:,} Monte Carlo "
            f"draws ({confidence_level(d.confidence)})."
        )
    lines.append(_flips(d, currency))
    if d.nominal_choice is not None:
        lines.append(f"Without discounting, {d.nominal_choice} would be cheapest.")
    lines.extend(f"Assumption: {w}" for w in d.warnings)
    return lines
