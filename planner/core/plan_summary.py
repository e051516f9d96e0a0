"""The headline figures of a plan, one row per option: what every output shows first.

Frozen dataclasses built by ``planning.summary.plan_summary`` from a :class:`PlanResult`
(fresh or read back from storage, which give the same summary) and read by the CLI
table, ``--json``, the app and the reports, so all of them agree. Non-finite figures
are None. Safe on any thread.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from planner.core.plan_result import BreakEven


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


@dataclass(frozen=True)
class PlanSummary:
    scenario: str
    currency: str
    months: int
    options: tuple[OptionSummary, ...]
    breakeven: tuple[BreakEven, ...]
    prob_cheapest: Mapping[str, float] | None

    def option(self, name: str) -> OptionSummary:
        return next(o for o in self.options if o.name == name)

    @property
    def recommended(self) -> OptionSummary:
        """The option with the lowest total cost (options without a total come last)."""
        return min(
            self.options,
            key=lambda o: (o.total_cost is None, o.total_cost or 0.0),
        )

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["prob_cheapest"] = None if self.prob_cheapest is None else dict(self.prob_cheapest)
        return data
