"""The headline figures of a plan, one row per option: what every output shows first.

Frozen dataclasses built by ``planning.summary.plan_summary`` from a :class:`PlanResult`
(fresh or read back from storage, which give the same summary) and read by the CLI
table, ``--json``, the app and the reports, so all of them agree. Non-finite figures
are None. Safe on any thread.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from planner.core.decision import DecisionSummary
from planner.core.formatting import breakeven_text, money
from planner.core.plan_result import BreakEven, jsonable

#: What the "~" after an energy figure means, under every table that marks one.
ESTIMATED_ENERGY = (
    "~ energy estimated (TDP estimate, catalogue or nameplate power, or a cloud instance's "
    "share of a catalogue server), not metered"
)


@dataclass(frozen=True)
class OptionSummary:
    name: str
    kind: str
    estimated: bool
    units_max: float | None
    capacity_per_unit: float | None
    total_cost: float | None
    cost_per_1k: float | None
    cost_per_1m: float | None
    margin_per_1k: float | None
    energy_kwh: float | None
    co2_kg: float | None
    npv: float | None = None
    residual_value: float | None = None
    energy_estimated: bool = False  # not metered: TDP, catalogue, nameplate or instance share
    cost_per_1m_output_tokens: float | None = None  # a demand in tokens
    margin_per_1m_tokens: float | None = None
    cost_per_1m_tokens: float | None = None  # prompt and output tokens together

    @property
    def energy_mark(self) -> str:
        """ "~" after an energy figure no meter read (see ESTIMATED_ENERGY), else ""."""
        return "~" if self.energy_estimated and self.energy_kwh is not None else ""


@dataclass(frozen=True)
class PlanSummary:
    scenario: str
    currency: str
    months: int
    options: tuple[OptionSummary, ...]
    breakeven: tuple[BreakEven, ...]
    prob_cheapest: Mapping[str, float] | None
    decision: DecisionSummary
    view: str = "nominal"
    output_tokens_per_request: float | None = None  # set when the demand counts tokens
    input_tokens_per_request: float | None = None  # prompt tokens, likewise

    def option(self, name: str) -> OptionSummary:
        return next(o for o in self.options if o.name == name)

    @property
    def recommended(self) -> OptionSummary:
        """The decision's recommendation (the lowest total in the plan's view)."""
        if self.decision.recommended is not None:
            return self.option(self.decision.recommended)
        return min(self.options, key=lambda o: (o.total_cost is None, o.total_cost or 0.0))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (non-finite figures become None)."""
        return dict(jsonable(self))


def breakeven_sentence(b: BreakEven, currency: str) -> str:
    """'month 14 (cheaper from then to the horizon end)', or every interval when it reverses.

    Starts with :func:`breakeven_text` of the break-even month, so the month reads as in
    the summary table; then the intervals and who is cheaper at the horizon end, by how much.
    """
    head = breakeven_text(b.month)
    if b.month is not None and len(b.intervals) == 1:
        return f"{head} (cheaper from then to the horizon end)"
    spans = ", ".join(f"{a}-{z}" if a != z else f"{a}" for a, z in b.intervals)
    where = f"on-prem cheaper in months {spans}" if spans else "on-prem never cheaper"
    if not math.isfinite(b.difference_at_horizon):
        return f"{head} ({where})"
    who = b.onprem if b.onprem_cheaper_at_horizon else b.alternative
    gap = money(abs(b.difference_at_horizon), currency)
    return f"{head} ({where}; at month {b.horizon} {who} is cheaper by {gap})"


def tokens_note(summary: PlanSummary) -> str:
    """What 'per 1M tokens, prompt and output together' divides by, for a plan in tokens."""
    given = summary.input_tokens_per_request
    prompt = "prompt tokens" if given is None else f"{given:g} prompt tokens"
    output = summary.output_tokens_per_request or 0.0
    return f"per million tokens, prompt and output together ({prompt} + {output:g} output each)"
