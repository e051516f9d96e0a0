"""The PDF report's methodology section and the appendix of measured points (HTML).

Pure string building; any thread. The methodology is written from the stored run
configurations and points, so it says how *these* measurements were taken, including
the dims each run fed, the ones planner assumed starred and explained.
"""

from __future__ import annotations

from planner.core.formatting import MISSING, assumption_texts, energy_cell, fmt, size
from planner.core.run import PointResult
from planner.core.text import html_text as escape
from planner.reports.pdf_sections import section, table
from planner.reports.report_data import ReportData


def methodology(data: ReportData) -> str:
    points = [p for r in data.runs for p in r.run.points]
    stable = sum(p.stable for p in points)
    methods = sorted({p.energy.method for p in points})
    parts = [
        "<h2>Latency and throughput</h2>",
        "<p>Each point runs the model through ONNX Runtime on synthetic inputs after a warm-up, "
        "timing every request; latency percentiles come from the raw samples, which are kept "
        "(float32) and shown in the appendix and the CDF. Throughput is completed inferences "
        "per second over the measured windows.</p>",
        *_generative_method(data),
        "<h2>Stability</h2>",
        f"<p>A point is stable when successive measurement windows agree within the run's "
        f"tolerance; {stable} of {len(points)} points were stable. Each point's stop reason is "
        f"listed in the appendix.</p>",
    ]
    configs = [
        [
            r.run.id[:8],
            fmt(r.run.config.warmup_s, "rate"),
            fmt(r.run.config.window_s, "rate"),
            r.run.config.min_windows,
            r.run.config.min_samples,
            f"±{r.run.config.ci_tolerance:.1%}",
            fmt(r.run.config.point_cap_s, "rate"),
            r.dims or MISSING,
        ]
        for r in data.runs
    ]
    parts.append(
        table(
            [
                "run",
                "warm-up s",
                "window s",
                "min windows",
                "min samples",
                "median CI",
                "cap per point s",
                "dims (* assumed)",
            ],
            configs,
        )
        + _assumed_notes(data)
    )
    parts += [
        "<h2>Energy</h2>",
        f"<p>Energy methods in these runs: {escape(', '.join(methods) or 'none')}. "
        "An NVML energy counter or RAPL counter is read as a difference over the point; "
        "sampled NVML power is integrated over time; a TDP figure is an estimate and is "
        "labelled so. Points without a readable meter carry no energy figure.</p>",
        "<h2>Estimates</h2>",
    ]
    estimates = []
    if data.plan is not None:
        estimates = [
            f"{o.name}: {p.detail}"
            for o in data.plan.result.options
            for p in o.provenance
            if p.kind == "estimated" or "estimate" in p.detail
        ]
    parts.append(
        "<ul>" + "".join(f"<li>{escape(e)}</li>" for e in dict.fromkeys(estimates)) + "</ul>"
        if estimates
        else "<p>No figure in this plan is an estimate.</p>"
    )
    parts.append(
        "<p>Costs: monthly demand grows as the scenario states; units are sized for the peak "
        "at the target utilisation plus redundancy; break-even is the first month in which "
        "cumulative on-prem cost is at or below the alternative's. Monte Carlo draws each "
        "uncertain input from a triangular distribution around its base value.</p>"
    )
    return section("Methodology", "".join(parts))


def _assumed_notes(data: ReportData) -> str:
    """The footnote to the dims' stars: what each run assumed and why, as ``planner show``.

    Without it a convention's size (640 for a detector side) would read as one given.
    """
    return "".join(
        f"<p class='source'>* Run {escape(r.run.id[:8])} assumed "
        f"{escape('; '.join(assumption_texts(r.run.assumed)))} (not given).</p>"
        for r in data.runs
        if r.run.assumed
    )


def _generative_method(data: ReportData) -> list[str]:
    if not any(p.tokens is not None for r in data.runs for p in r.run.points):
        return []
    return [
        "<h2>Generative models</h2>",
        "<p>A generative run decodes fixed prompt and output lengths greedily through ONNX "
        "Runtime GenAI, with a given number of sequences at once. Time to first token (TTFT) "
        "runs from the request's start to its first output token, prefill included; time per "
        "output token (TPOT) is each request's mean gap after the first token. Throughput is "
        "output tokens per second over all sequences, and energy is per output token. A plan "
        "in tokens sizes each server by the most sequences whose TTFT and TPOT meet the "
        "targets at the demand's percentile.</p>",
    ]


def appendix(data: ReportData) -> str:
    token_rows = [
        _token_row(item.run.id[:8], point)
        for item in data.runs
        for point in item.run.points
        if point.tokens is not None
    ]
    rows = []
    for item in data.runs:
        for point in item.run.points:
            if point.tokens is not None:
                continue
            s = point.stats
            rows.append(
                [
                    item.run.id[:8],
                    point.label,
                    fmt(point.throughput_ips, "throughput"),
                    fmt(s.p50, "latency_ms"),
                    fmt(s.p90, "latency_ms"),
                    fmt(s.p99, "latency_ms"),
                    s.count,
                    "yes" if point.stable else "no",
                    point.energy.method,
                    energy_cell(point.energy.joules_per_inference),
                    point.stop_reason,
                ]
            )
    body = table(
        [
            "run",
            "point",
            "inf/s",
            "p50 ms",
            "p90 ms",
            "p99 ms",
            "samples",
            "stable",
            "energy",
            "mJ/inf",
            "stop reason",
        ],
        rows,
    )
    if token_rows:
        body = (
            (body if rows else "")
            + "<h2>Generative points</h2>"
            + table(
                [
                    "run",
                    "point",
                    "requests",
                    "TTFT p50 ms",
                    "TTFT p90 ms",
                    "TPOT p50 ms",
                    "TPOT p90 ms",
                    "out tok/s",
                    "in tok/s",
                    "KV cache",
                    "stable",
                    "mJ/token",
                ],
                token_rows,
            )
        )
    return section(
        "Appendix: measured points",
        body + "<p class='source'>Source: stored "
        "runs; the CSV report holds the same points at full precision.</p>",
        new_page=False,
    )


def _token_row(run: str, point: PointResult) -> list[object]:
    t = point.tokens
    assert t is not None
    return [
        run,
        point.label,
        t.requests,
        fmt(t.ttft.p50, "latency_ms"),
        fmt(t.ttft.p90, "latency_ms"),
        fmt(t.tpot.p50, "latency_ms"),
        fmt(t.tpot.p90, "latency_ms"),
        fmt(t.output_tokens_per_s, "throughput"),
        fmt(t.input_tokens_per_s, "throughput"),
        size(t.kv_cache_bytes),
        "yes" if point.stable else "no",
        energy_cell(point.energy.joules_per_inference),
    ]
