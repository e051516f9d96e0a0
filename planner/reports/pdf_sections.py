"""The PDF report's text as HTML for QTextDocument: one function per section.

Pure string building (no Qt); any thread. Every figure is formatted with
:mod:`planner.core.formatting`, so the PDF shows the plan's numbers exactly as
``planner plan`` does, and every table or figure names where its figures came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planner.core.decision import VIEW_WORDS, decision_lines
from planner.core.formatting import (
    confidence_level,
    money,
    per_1k,
    probability,
    summary_cell,
)
from planner.core.plan_summary import breakeven_sentence
from planner.core.text import html_text as escape
from planner.reports.figures import Figure
from planner.reports.report_data import ReportData

CSS = """
h1 { font-size: 17pt; color: #1f3b63; margin-top: 6px; }
h2 { font-size: 12pt; color: #1f3b63; margin-top: 10px; }
table { border-collapse: collapse; }
th { background-color: #e8edf3; font-weight: bold; text-align: left; }
td, th { padding: 2px 4px; font-size: 8pt; }
.caption { font-size: 8pt; color: #333333; }
.source { font-size: 7pt; color: #666666; }
.cover { font-size: 13pt; }
"""
_SUMMARY_COLUMNS = (
    ("units", "units_max"),
    ("total", "total_cost"),
    ("per 1k", "cost_per_1k"),
    ("per 1M", "cost_per_1m"),
    ("margin/1k", "margin_per_1k"),
    ("energy kWh", "energy_kwh"),
    ("CO2 kg", "co2_kg"),
)


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f'<table border="1" cellspacing="0" width="100%"><tr>{head}</tr>{body}</table>'


def section(title: str, body: str) -> str:
    return f'<h1 style="page-break-before: always">{escape(title)}</h1>{body}'


def figure_html(number: int, fig: Figure) -> str:
    return (
        f'<p align="center"><img src="{fig.key}" width="{fig.chart.width}" '
        f'height="{fig.chart.height}"></p>'
        f'<p class="caption">Figure {number}. {escape(fig.caption)}</p>'
        f'<p class="source">Source: {escape(fig.source)}</p>'
    )


def cover(data: ReportData, author: str, site: str) -> str:
    plan = data.plan
    lines = [
        f"<p class='cover'><b>Site:</b> {escape(site)}</p>",
        f"<p class='cover'><b>Date:</b> {escape(data.generated_at[:10])}</p>",
        f"<p class='cover'><b>Author:</b> {escape(author)}</p>",
    ]
    if plan is not None:
        lines.append(
            f"<p>Scenario <b>{escape(plan.scenario_name)}</b> (scenario {plan.scenario_id[:8]}, "
            f"plan {plan.id[:8]}, computed {escape(plan.computed_at)})</p>"
        )
    lines.append(f"<p>{len(data.runs)} profiling run(s) on {len(data.machines)} machine(s).</p>")
    return "<h1>Inference capacity assessment</h1><br>" + "".join(lines)


def executive_summary(data: ReportData) -> str:
    summary = data.summary
    if summary is None:
        return section(
            "Executive summary",
            "<p>No plan is stored, so this report holds measurements only. "
            "Compute one with <i>planner plan SCENARIO</i> to add costs.</p>",
        )
    cur = summary.currency
    best = summary.recommended
    odds = (summary.prob_cheapest or {}).get(best.name)
    decision = "".join(f"<p>{escape(line)}</p>" for line in decision_lines(summary.decision, cur))
    parts = [
        f"<div>{decision}</div>",
        f"<p><b>Recommended option: {escape(best.name)}</b> — the lowest "
        f"{VIEW_WORDS[summary.decision.view]} over {summary.months} months; total cost "
        f"{money(best.total_cost, cur)}, {per_1k(best.cost_per_1k, cur)} per 1k inferences.</p>",
    ]
    for b in summary.breakeven:
        parts.append(
            f"<p>Break-even of {escape(b.onprem)} against {escape(b.alternative)}: "
            f"{escape(breakeven_sentence(b, cur))}.</p>"
        )
    if odds is not None:
        parts.append(
            f"<p>Confidence: {escape(best.name)} is cheapest in {probability(odds)} of the "
            f"Monte Carlo draws ({confidence_level(odds)} confidence).</p>"
        )
    else:
        parts.append("<p>Confidence: no Monte Carlo run was stored with this plan.</p>")
    rows = [
        [o.name + (" *" if o.estimated else "")]
        + [summary_cell(o, field) for _, field in _SUMMARY_COLUMNS]
        for o in summary.options
    ]
    parts.append(table(["option", *(h for h, _ in _SUMMARY_COLUMNS)], rows))
    parts.append(
        f"<p class='source'>Money in {cur}. * capacity estimated (see Methodology). "
        f"Source: plan {data.plan.id[:8] if data.plan else ''}.</p>"
    )
    if summary.prob_cheapest:
        odds_text = ", ".join(
            f"{escape(k)} {probability(v)}" for k, v in summary.prob_cheapest.items()
        )
        parts.append(f"<p>Probability of being cheapest (Monte Carlo): {odds_text}</p>")
    return section("Executive summary", "".join(parts))


def inventory(data: ReportData) -> str:
    rows = []
    sites = {r.machine.id: r.site for r in data.runs if r.machine}
    for m in data.machines:
        inv = m.inventory
        gpus = ", ".join(g.name or f"GPU {g.index}" for g in inv.gpus) or "none"
        memory = inv.memory.total_bytes
        rows.append(
            [
                m.hostname,
                sites.get(m.id) or "this site",
                inv.cpu.model_name or "unknown",
                f"{inv.cpu.physical_cores}/{inv.cpu.logical_cores}",
                "—" if memory is None else f"{memory / 1024**3:.0f} GiB",
                gpus,
                f"{inv.software.os_release or inv.software.os_name}",
                inv.software.onnxruntime_version or "—",
                "yes" if inv.nvml.available else f"no ({inv.nvml.reason})",
                "yes" if inv.rapl.available else f"no ({inv.rapl.reason})",
            ]
        )
    body = table(
        ["host", "site", "CPU", "cores", "memory", "GPUs", "OS", "ONNX Runtime", "NVML", "RAPL"],
        rows,
    )
    return section(
        "Machine inventory",
        body + "<p class='source'>Source: stored inventories "
        "(planner hardware, or imported assessment bundles).</p>",
    )


def models(data: ReportData) -> str:
    rows = [
        [
            m.info.name,
            m.info.sha256[:12],
            f"{m.info.size_bytes:,}",
            f"{m.info.parameters:,}",
            "—" if m.info.flops is None else f"{m.info.flops:,}",
            m.info.opset,
            ", ".join(f"{t.name} {list(t.shape)}" for t in m.info.inputs),
        ]
        for m in data.models
    ]
    body = table(
        ["model", "sha256", "bytes", "parameters", "FLOPs/inference", "opset", "inputs"], rows
    )
    return section("Models", body + "<p class='source'>Source: ONNX inspection of each file.</p>")


def results(data: ReportData, figures: list[Figure], first: int) -> str:
    rows = [
        [
            r.run.id[:8],
            r.run.model_name,
            r.run.config.scenario,
            r.run.config.provider,
            r.run.status,
            len(r.run.points),
            r.run.started_at,
            r.machine_label,
        ]
        for r in data.runs
    ]
    body = table(
        ["run", "model", "scenario", "provider", "status", "points", "started", "machine"], rows
    )
    body += "".join(figure_html(first + i, f) for i, f in enumerate(figures))
    return section("Profiling results", body)


def capacity(data: ReportData, figure: Figure | None, number: int) -> str:
    if data.plan is None or data.summary is None:
        return ""
    methods = {
        o.name: "; ".join(p.detail for p in o.provenance if p.kind in ("measured", "estimated"))
        for o in data.plan.result.options
    }
    rows = [
        [
            o.name,
            summary_cell(o, "capacity_per_unit"),
            summary_cell(o, "units_max"),
            methods.get(o.name, ""),
        ]
        for o in data.summary.options
        if o.kind != "api"
    ]
    body = table(["option", "capacity per unit (inferences/s)", "units (max)", "how"], rows)
    return section("Capacity sizing", body + (figure_html(number, figure) if figure else ""))


def costs(figures: list[Figure], first: int) -> str:
    if not figures:
        return ""
    return section("Costs", "".join(figure_html(first + i, f) for i, f in enumerate(figures)))


def assumptions(data: ReportData) -> str:
    if data.plan is None:
        return ""
    result = data.plan.result
    rows = [
        ["(plan)", p.kind, p.detail, p.source or "—", p.date or "—"] for p in result.assumptions
    ]
    rows += [
        [o.name, p.kind, p.detail, p.source or "—", p.date or "—"]
        for o in result.options
        for p in o.provenance
    ]
    return section("Assumptions", table(["option", "kind", "figure", "source", "date"], rows))
