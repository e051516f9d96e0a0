"""The PDF report's text as HTML for QTextDocument: one function per section.

Pure string building (no Qt); any thread. Every figure is formatted with
:mod:`planner.core.formatting`, so the PDF shows the plan's numbers exactly as
``planner plan`` does, and every table or figure names where its figures came from.
Where pages break is the writer's business (:mod:`~planner.reports.pdf_paging`): a
section marked ``new_page`` starts one unless that would leave the page before it mostly
empty, table headers repeat on each page, and a figure is one paragraph (image, caption
and source) so it moves to the next page whole. Shapes read ``batch × 3 × 128 × 128``;
every capacity figure names the machine it was measured on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planner.core.formatting import (
    flops,
    shape,
    size,
    summary_cell,
    when,
)
from planner.core.model import ModelInfo
from planner.core.text import html_text as escape
from planner.reports.report_data import ReportData
from planner.reports.token_figures import Figure

CSS = """
h1 { font-size: 17pt; color: #1f3b63; margin-top: 6px; }
h1.title { font-size: 24pt; margin-top: 40px; }
h2 { font-size: 12pt; color: #1f3b63; margin-top: 10px; }
table { border-collapse: collapse; }
th { background-color: #e8edf3; font-weight: bold; text-align: left; }
td, th { padding: 2px 4px; font-size: 8pt; }
table.facts td { font-size: 10pt; padding: 3px 10px 3px 0px; }
.subtitle { font-size: 14pt; color: #333333; }
.caption { font-size: 8pt; color: #333333; }
.source { font-size: 7pt; color: #666666; }
"""


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A full-width table; its header row repeats on every page the table spans."""
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return (
        '<table border="1" cellspacing="0" width="100%">'
        f"<thead><tr>{head}</tr></thead>{body}</table>"
    )


def section(title: str, body: str, *, new_page: bool = True) -> str:
    """A titled section. ``new_page``: it starts a new page, unless the page before would be
    left mostly empty (see :mod:`~planner.reports.pdf_paging`); without it the section
    follows the previous one on its page."""
    style = ' style="page-break-before: always"' if new_page else ""
    return f"<h1{style}>{escape(title)}</h1>{body}"


def figure_html(number: int, fig: Figure) -> str:
    """The image, its caption and its source in one paragraph, kept on one page."""
    return (
        f'<p><img src="{fig.key}" width="{fig.chart.width}" height="{fig.chart.height}"><br>'
        f'<span class="caption">Figure {number}. {escape(fig.caption)}</span><br>'
        f'<span class="source">Source: {escape(fig.source)}</span></p>'
    )


def inventory(data: ReportData) -> str:
    rows = []
    sites = {r.machine.id: r.site for r in data.runs if r.machine}
    for m in data.machines:
        inv = m.inventory
        gpus = ", ".join(g.name or f"GPU {g.index}" for g in inv.gpus) or "none"
        rows.append(
            [
                m.hostname,
                sites.get(m.id) or "recorded here",
                inv.cpu.model_name or "unknown",
                f"{inv.cpu.physical_cores}/{inv.cpu.logical_cores}",
                size(inv.memory.total_bytes),
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
        "Machines and models",
        "<h2>Machine inventory</h2>" + body + "<p class='source'>Source: stored inventories "
        "(planner hardware, or imported assessment bundles).</p>",
        new_page=False,
    )


def models(data: ReportData) -> str:
    rows = [
        [
            m.info.name,
            m.info.sha256[:12],
            size(m.info.size_bytes),
            f"{m.info.parameters:,}",
            _flops(m.info),
            m.info.opset,
            _inputs(m.info),
        ]
        for m in data.models
    ]
    body = table(["model", "sha256", "size", "parameters", "FLOPs", "opset", "inputs"], rows)
    notes = "".join(
        f"<p class='source'>{escape(m.info.name)}: {escape(m.info.generative.note)}</p>"
        for m in data.models
        if m.info.generative is not None and m.info.generative.note
    )
    return (
        "<h2>Models</h2>"
        + body
        + notes
        + "<p class='source'>Source: ONNX inspection of each file.</p>"
    )


def _flops(info: ModelInfo) -> str:
    """As the app and ``planner inspect`` show it: ``319 MFLOP per inference``."""
    if info.generative is not None:
        return f"~{flops(2 * info.generative.parameters)} per token"
    return "—" if info.flops is None else f"{flops(info.flops)} per inference"


def _inputs(info: ModelInfo) -> str:
    """Each input with its shape; a decoder's cache inputs summarised in one phrase."""
    gen = info.generative
    if gen is not None:
        return (
            f"{gen.model_type} decoder: {gen.layers} layers, {gen.kv_heads} key/value heads, "
            f"vocabulary {gen.vocab_size:,}, context {gen.context_length:,} tokens, KV cache "
            f"{size(gen.kv_bytes_per_token)} per token"
        )
    return "; ".join(f"{t.name} [{shape(t.shape)}]" for t in info.inputs)


def results(data: ReportData, figures: list[Figure], first: int) -> str:
    rows = [
        [
            r.run.id[:8],
            r.run.model_name,
            r.run.config.scenario,
            r.run.config.provider,
            r.run.status,
            len(r.run.points),
            when(r.run.started_at),
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
    how = {
        o.name: [p.detail for p in o.provenance if "capacity" in p.detail]
        for o in data.plan.result.options
    }
    rows = [
        [
            o.name,
            summary_cell(o, "capacity_per_unit"),
            _measured_on(data, how.get(o.name, [])),
            summary_cell(o, "units_max"),
            "; ".join(how.get(o.name, [])),
        ]
        for o in data.summary.options
        if o.kind != "api"
    ]
    # In words: a narrow column may wrap a header at any space, but "requests/s" broke
    # at its slash.
    per = (
        "requests a second"
        if data.summary.output_tokens_per_request is not None
        else "inferences a second"
    )
    body = table(
        ["option", f"capacity per unit ({per})", "measured on", "units (max)", "how"], rows
    )
    return section("Capacity sizing", body + (figure_html(number, figure) if figure else ""))


def _measured_on(data: ReportData, details: list[str]) -> str:
    """The machines of the runs a capacity figure names (its provenance cites run ids)."""
    text = " ".join(details)
    found = dict.fromkeys(r.machine_description for r in data.runs if r.run.id in text)
    return "; ".join(found) or "no run in this report"


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
