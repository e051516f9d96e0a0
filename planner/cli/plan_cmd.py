"""``planner plan SCENARIO_FILE [--json]``: capacity and total cost per option.

Main thread of the CLI process. The scenario and the computed plan are stored; the
table shows the headline figures, ``--json`` adds the monthly series and provenance.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from planner.cli.context import open_for
from planner.core.formatting import breakeven_text, probability, summary_cell
from planner.core.plan_result import PlanResult
from planner.core.plan_summary import PlanSummary
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


def format_summary(summary: PlanSummary, full: PlanResult) -> str:
    cur = summary.currency
    lines = [f"{summary.scenario} — {summary.months} months, money in {cur}", ""]
    header = (
        f"{'option':<34} {'units':>6} {'total':>14} {'per 1k':>9} {'per 1M':>11} "
        f"{'margin/1k':>10} {'energy kWh':>11} {'CO2 kg':>9}"
    )
    lines += [header, "-" * len(header)]
    for o in summary.options:
        name = o.name + (" *" if o.estimated else "")
        cells = [summary_cell(o, field) for field in TABLE_FIELDS]
        lines.append(
            f"{name[:34]:<34} {cells[0]:>6} {cells[1]:>14} {cells[2]:>9} {cells[3]:>11} "
            f"{cells[4]:>10} {cells[5]:>11} {cells[6]:>9}"
        )
    if any(o.estimated for o in summary.options):
        lines.append("* capacity estimated (see provenance in --json)")
    lines.append("")
    for b in summary.breakeven:
        lines.append(f"Break-even of {b.onprem} against {b.alternative}: {breakeven_text(b.month)}")
    if summary.prob_cheapest:
        odds = ", ".join(f"{k} {probability(v)}" for k, v in summary.prob_cheapest.items())
        lines.append(f"Probability of being cheapest (Monte Carlo): {odds}")
    lines.append("")
    lines.append("Where the figures come from:")
    for option in full.options:
        for p in option.provenance:
            dated = f" ({p.source}, {p.date})" if p.source else ""
            lines.append(f"  {option.name}: {p.kind}: {p.detail}{dated}")
    return "\n".join(lines)
