"""``planner plan SCENARIO_FILE [--json]``: the decision, then capacity and cost per option.

Main thread of the CLI process. The scenario and the computed plan are stored; the
output starts with the decision summary (what is recommended in which view, by how
much, when it pays off, how sure, what could flip it, which assumptions it rests on),
then the table of headline figures; ``--json`` adds the monthly series and provenance.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from planner.cli.context import open_for
from planner.core.decision import decision_lines
from planner.core.formatting import fmt, probability, summary_cell
from planner.core.plan_result import PlanResult
from planner.core.plan_summary import (
    ESTIMATED_ENERGY,
    PlanSummary,
    breakeven_sentence,
    tokens_note,
)
from planner.core.text import printable_lines
from planner.services.plans import plan_from_file, plan_summary

TABLE_FIELDS = (
    "units_max",
    "total_cost",
    "cost_per_1k",
    "cost_per_1m",
    "margin_per_1k",
    "energy_kwh",
    "co2_kg",
)


# The option column grows to the longest name up to this, so the table stays readable in
# a terminal; a longer name is cut with "…" (the decision and provenance lines name it whole).
NAME_WIDTH_MAX = 60


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("plan", help="compute capacity and cost for a scenario file")
    parser.add_argument("scenario", type=Path, help="scenario TOML (see resources/scenarios)")
    parser.add_argument("--json", action="store_true", help="print JSON with monthly series")
    parser.set_defaults(handler=_plan)


def _plan(args: argparse.Namespace) -> int:
    opened = open_for(args)
    try:
        computed = plan_from_file(opened, args.scenario)
    finally:
        opened.close()
    summary = plan_summary(computed.result)
    if args.json:
        payload = {
            "scenario_id": computed.scenario_id,
            "plan_id": computed.plan_id,
            "run_ids": list(computed.run_ids),
            "summary": summary.to_dict(),
            "result": computed.result.to_dict(),
        }
        print(json.dumps(payload, allow_nan=False))
        return 0
    print(printable_lines(format_summary(summary, computed.result)))
    print(f"\nStored as plan {computed.plan_id} (scenario {computed.scenario_id}).")
    return 0


def _fit(name: str, width: int) -> str:
    """``name`` in at most ``width`` characters, its end replaced by "…" when cut."""
    return name if len(name) <= width else name[: width - 1] + "…"


def format_summary(summary: PlanSummary, full: PlanResult) -> str:
    cur = summary.currency
    lines = [f"{summary.scenario} — {summary.months} months, money in {cur}", ""]
    lines += decision_lines(summary.decision, cur)
    lines.append("")
    tokens = summary.output_tokens_per_request is not None
    per_1k, per_1m, margin = (
        ("1M in+out", "1M out tok", "margin/1M") if tokens else ("per 1k", "per 1M", "margin/1k")
    )
    width = min(NAME_WIDTH_MAX, max([len("option")] + [len(o.name) + 2 for o in summary.options]))
    header = (
        f"{'option':<{width}} {'units':>6} {'total':>14} {'NPV':>14} {per_1k:>9} {per_1m:>11} "
        f"{margin:>10} {'energy kWh':>11} {'CO2 kg':>9}"
    )
    lines += [header, "-" * len(header)]
    for o in summary.options:
        name = _fit(o.name, width - 2) + (" *" if o.estimated else "")
        cells = [summary_cell(o, field) for field in TABLE_FIELDS]
        if tokens:
            cells[2] = fmt(o.cost_per_1m_tokens, "per_1m")
            cells[3] = fmt(o.cost_per_1m_output_tokens, "per_1m")
            cells[4] = fmt(o.margin_per_1m_tokens, "per_1m")
        energy = cells[5] + o.energy_mark
        lines.append(
            f"{name:<{width}} {cells[0]:>6} {cells[1]:>14} {fmt(o.npv, 'money'):>14} "
            f"{cells[2]:>9} {cells[3]:>11} {cells[4]:>10} {energy:>11} {cells[6]:>9}"
        )
    if tokens:
        lines.append(
            "1M out tok: the whole cost over the output tokens alone (the prompt's cost is "
            f"inside it, as in an API's blended price); 1M in+out: {tokens_note(summary)}"
        )
    if any(o.estimated for o in summary.options):
        lines.append("* capacity estimated (see provenance in --json)")
    if any(o.energy_mark for o in summary.options):
        lines.append(ESTIMATED_ENERGY)
    lines.append("")
    for b in summary.breakeven:
        lines.append(
            f"Break-even of {b.onprem} against {b.alternative}: {breakeven_sentence(b, cur)}"
        )
    if summary.prob_cheapest:
        odds = ", ".join(f"{k} {probability(v)}" for k, v in summary.prob_cheapest.items())
        lines.append(f"Probability of being cheapest (Monte Carlo): {odds}")
    lines.append("")
    lines.append("Where the figures come from:")
    for p in full.assumptions:
        dated = f" ({p.source}, {p.date})" if p.source else ""
        lines.append(f"  plan: {p.kind}: {p.detail}{dated}")
    for option in full.options:
        for p in option.provenance:
            dated = f" ({p.source}, {p.date})" if p.source else ""
            lines.append(f"  {option.name}: {p.kind}: {p.detail}{dated}")
    return "\n".join(lines)
