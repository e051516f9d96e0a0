"""The PDF report's first two sections as HTML: the cover and the executive summary.

Pure string building (no Qt); any thread. The cover is a page a reader can act on: title,
scenario, site, author and date, the decision in words with its headline figures, and the
machines the capacity was measured on. An author or site nobody gave reads "not given",
never the operating-system user or a made-up site. The executive summary carries the
option table (in tokens when the plan counts them), every break-even pair, the Monte
Carlo odds and the assumptions the decision rests on.
"""

from __future__ import annotations

from planner.core.decision import VIEW_WORDS, decision_lines
from planner.core.formatting import (
    MISSING,
    confidence_level,
    fmt,
    money,
    per_1k,
    percent,
    probability,
    summary_cell,
    when,
)
from planner.core.plan_summary import (
    ESTIMATED_ENERGY,
    OptionSummary,
    PlanSummary,
    breakeven_sentence,
    tokens_note,
)
from planner.core.text import html_text as escape
from planner.reports.pdf_sections import section, table
from planner.reports.report_data import ReportData

TITLE = "Inference capacity assessment"
ASSUMPTION = "Assumption: "
NO_PLAN = (
    "No plan is stored for this report, so it holds measurements only. A plan saved on the "
    "Plan page adds capacity, costs and a recommendation."
)
_COLUMNS = (
    ("units", "units_max"),
    ("total", "total_cost"),
    ("NPV", "npv"),
    ("residual", "residual_value"),
    ("per 1k", "cost_per_1k"),
    ("per 1M", "cost_per_1m"),
    ("margin/1k", "margin_per_1k"),
    ("energy kWh", "energy_kwh"),
    ("CO2 kg", "co2_kg"),
)
#: The columns a plan in tokens shows instead, by field.
_TOKEN_COLUMNS = {
    "cost_per_1k": ("per 1M in+out tok.", "cost_per_1m_tokens"),
    "cost_per_1m": ("per 1M out tok.", "cost_per_1m_output_tokens"),
    "margin_per_1k": ("margin/1M tok.", "margin_per_1m_tokens"),
}


def given(text: str, what: str) -> str:
    """``text``, or '<what> not given' when it is empty."""
    return text.strip() or f"{what} not given"


def unit_cost(summary: PlanSummary, option: OptionSummary) -> tuple[str, str]:
    """The plan's unit and the option's cost per unit: per 1M output tokens for a plan
    in tokens, else per 1k inferences."""
    if summary.output_tokens_per_request is not None:
        return "per 1M output tokens", money(option.cost_per_1m_output_tokens, summary.currency)
    return "per 1k inferences", per_1k(option.cost_per_1k, summary.currency)


def _facts(rows: list[tuple[str, str]]) -> str:
    body = "".join(
        f"<tr><td class='key'><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in rows
    )
    return f"<table class='facts' cellspacing='0' cellpadding='3'>{body}</table>"


def cover(data: ReportData, author: str, site: str) -> str:
    plan = data.plan
    facts = [
        ("Site", given(site, "site")),
        ("Author", given(author, "author")),
        ("Date", data.generated_at[:10]),
    ]
    if plan is not None:
        facts.append(
            (
                "Plan",
                f"{plan.id[:8]}, computed {when(plan.computed_at)} "
                f"(planner {plan.planner_version})",
            )
        )
    facts.append(
        ("Measurements", f"{len(data.runs)} profiling run(s) on {len(data.machines)} machine(s)")
    )
    parts = [
        f"<h1 class='title'>{TITLE}</h1>",
        f"<p class='subtitle'>{escape(plan.scenario_name) if plan else 'Measurements'}</p>",
        _facts(facts),
        _decision(data),
        _measured_on(data),
    ]
    return "".join(parts)


def _decision(data: ReportData) -> str:
    summary = data.summary
    if summary is None:
        return f"<h2>Decision</h2><p>{escape(NO_PLAN)}</p>"
    cur = summary.currency
    best = summary.recommended
    lines = decision_lines(summary.decision, cur)
    verdict = "".join(f"<p>{escape(line)}</p>" for line in lines if not line.startswith(ASSUMPTION))
    unit, cost = unit_cost(summary, best)
    odds = (summary.prob_cheapest or {}).get(best.name)
    headline = [
        ("Recommended", best.name),
        ("Total cost", f"{money(best.total_cost, cur)} over {summary.months} months"),
        (f"Cost {unit}", cost),
        (
            "Confidence",
            "no Monte Carlo stored"
            if odds is None
            else f"cheapest in {probability(odds)} of draws ({confidence_level(odds)})",
        ),
    ]
    return "<h2>Decision</h2>" + verdict + _facts(headline)


def _measured_on(data: ReportData) -> str:
    machines = dict.fromkeys(r.machine_description for r in data.runs)
    if not machines:
        return ""
    items = "".join(f"<li>{escape(m)}</li>" for m in machines)
    return (
        "<h2>Capacity measured on</h2><ul>" + items + "</ul><p class='source'>Every capacity "
        "figure in this report comes from runs on these machines (see Capacity sizing).</p>"
    )


def executive_summary(data: ReportData) -> str:
    summary = data.summary
    if summary is None:
        return section("Executive summary", f"<p>{escape(NO_PLAN)}</p>", new_page=False)
    cur = summary.currency
    best = summary.recommended
    unit, cost = unit_cost(summary, best)
    parts = [
        f"<p><b>Recommended option: {escape(best.name)}</b> — the lowest "
        f"{VIEW_WORDS[summary.decision.view]} over {summary.months} months; total cost "
        f"{money(best.total_cost, cur)}, {cost} {unit}.</p>",
        _options_table(summary),
        f"<p class='source'>Money in {cur}. * capacity estimated (see Methodology). "
        f"{_energy_note(summary)}"
        f"Source: plan {data.plan.id[:8] if data.plan else ''}.</p>",
    ]
    parts += [
        f"<p>Break-even of {escape(b.onprem)} against {escape(b.alternative)}: "
        f"{escape(breakeven_sentence(b, cur))}.</p>"
        for b in summary.breakeven
    ]
    odds = (summary.prob_cheapest or {}).get(best.name)
    if odds is None:
        parts.append("<p>Confidence: no Monte Carlo run was stored with this plan.</p>")
    else:
        parts.append(
            f"<p>Confidence: {escape(best.name)} is cheapest in {probability(odds)} of the "
            f"Monte Carlo draws ({confidence_level(odds)} confidence).</p>"
        )
    if summary.prob_cheapest:
        odds_text = ", ".join(
            f"{escape(k)} {probability(v)}" for k, v in summary.prob_cheapest.items()
        )
        parts.append(f"<p>Probability of being cheapest (Monte Carlo): {odds_text}</p>")
    assumed = [
        line.removeprefix(ASSUMPTION)
        for line in decision_lines(summary.decision, cur)
        if line.startswith(ASSUMPTION)
    ]
    if assumed:
        items = "".join(f"<li>{escape(a)}</li>" for a in assumed)
        parts.append(f"<h2>The decision assumes</h2><ul>{items}</ul>")
    return section("Executive summary", "".join(parts), new_page=False)


def _options_table(summary: PlanSummary) -> str:
    tokens = summary.output_tokens_per_request is not None
    columns = [
        _TOKEN_COLUMNS.get(field, (head, field)) if tokens else (head, field)
        for head, field in _COLUMNS
    ]
    rows = [
        [o.name + (" *" if o.estimated else "")] + [_cell(o, field) for _, field in columns]
        for o in summary.options
    ]
    rate = percent(summary.decision.discount_rate, 1)
    header = ["option", *(f"NPV at {rate}" if f == "npv" else h for h, f in columns)]
    notes = [
        f"NPV: net present value, each month's cost discounted at {rate} a year to the "
        "first month.",
        f"Residual: the book value of on-prem hardware still in service at month "
        f"{summary.months}, credited in that month, so the total and the NPV already "
        "include it.",
    ]
    if tokens:
        notes.append(f"Per 1M in+out tok.: {tokens_note(summary)}")
    return table(header, rows) + "".join(f"<p class='source'>{escape(n)}</p>" for n in notes)


def _cell(option: OptionSummary, field: str) -> str:
    if field in ("cost_per_1m_tokens", "cost_per_1m_output_tokens", "margin_per_1m_tokens"):
        return fmt(getattr(option, field), "per_1m")
    if field == "residual_value" and option.kind != "on-prem":
        return MISSING  # only owned hardware has a value left at the horizon end
    return summary_cell(option, field) + (option.energy_mark if field == "energy_kwh" else "")


def _energy_note(summary: PlanSummary) -> str:
    return f"{ESTIMATED_ENERGY}. " if any(o.energy_mark for o in summary.options) else ""
