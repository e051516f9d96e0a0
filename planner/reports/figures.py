"""The report's figures, each painted from stored data and captioned with where it came from.

Runs on the report-building thread (needs a QGuiApplication, as charts do). Profiling
figures read the stored runs; cost figures read the stored plan result, the same data
the app's charts show. Money axes tick in the plan's currency. An option that dwarfs the
others (:func:`~planner.reports.chart_scale.dwarfing`) is left out of the line charts,
and the caption says so and gives its total; the break-even caption states every on-prem
pair in words, including pairs whose curves never cross. Generative runs get token
figures: time per output token against output tokens/s, and the TTFT distribution.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from planner.core.cost_components import component_colour, component_label, ordered_components
from planner.core.formatting import money, money_tick, when
from planner.core.plan_result import PlanResult
from planner.core.plan_summary import breakeven_sentence
from planner.core.sensitivity_labels import input_range
from planner.reports.chart_scale import dwarfing
from planner.reports.charts import Chart, Line, Marker, line_chart, message_chart, stacked_bars
from planner.reports.charts import tornado as tornado_chart
from planner.reports.report_data import ReportData, ReportRun
from planner.reports.token_figures import Figure, is_generative, token_figures

MAX_CDF_LINES = 6
CDF_POINTS = 400
CDF_TOP = 0.999  # the slowest 0.1% would stretch the axis; the appendix lists maxima


def _run_label(item: ReportRun) -> str:
    return f"{item.run.model_name} {item.run.id[:8]}"


def _runs_source(data: ReportData) -> str:
    ids = ", ".join(r.run.id[:8] for r in data.runs)
    machines = ", ".join(dict.fromkeys(r.machine_label for r in data.runs))
    return f"measured: stored runs {ids} on {machines}"


def _plan_source(data: ReportData) -> str:
    plan = data.plan
    assert plan is not None
    return (
        f"plan {plan.id[:8]} computed {when(plan.computed_at)} from scenario "
        f"'{plan.scenario_name}' (planner {plan.planner_version})"
    )


def profiling_figures(data: ReportData) -> list[Figure]:
    measured = [r for r in data.runs if r.run.points]
    if not measured:
        chart = message_chart("Profiling results", "no measured points in the selected runs")
        return [Figure("fig-none", chart, "No measured points.", "stored runs")]
    source = _runs_source(data)
    generative = [r for r in measured if is_generative(r)]
    runs = [r for r in measured if not is_generative(r)]
    if not runs:
        return token_figures(generative, source)
    return _classic_figures(runs, source) + token_figures(generative, source)


def _classic_figures(runs: list[ReportRun], source: str) -> list[Figure]:
    lat = [
        Line(
            _run_label(r),
            np.array([p.throughput_ips for p in r.run.points]),
            np.array([np.nan if p.stats.p99 is None else p.stats.p99 for p in r.run.points]),
            markers=True,
        )
        for r in runs
    ]
    figures = [
        Figure(
            "fig-latency-throughput",
            line_chart(
                "p99 latency against throughput",
                "throughput (inferences/s)",
                "p99 latency (ms)",
                lat,
            ),
            "Latency–throughput: each marker is one measured point (p99 of its samples).",
            source,
        ),
        Figure(
            "fig-cdf",
            _cdf(runs),
            "Latency CDF: share of requests at or below a latency (up to the 99.9th percentile).",
            source,
        ),
        _energy(runs, source),
    ]
    return figures


def _cdf(runs: list[ReportRun]) -> Chart:
    lines: list[Line] = []
    for item in runs:
        for point in item.run.points:
            if point.samples_ms.size and len(lines) < MAX_CDF_LINES:
                q = np.linspace(0, CDF_TOP, CDF_POINTS)
                values = np.quantile(point.samples_ms.astype(float), q)
                lines.append(Line(f"{item.run.id[:8]} {point.label}", values, q))
    if not lines:
        return message_chart("Latency CDF", "the selected runs kept no raw latency samples")
    return line_chart("Latency CDF", "latency (ms)", "share of requests", lines)


def _energy(runs: list[ReportRun], source: str) -> Figure:
    lines = []
    reasons = []
    for item in runs:
        measured = [p for p in item.run.points if p.energy.joules_per_inference is not None]
        reasons += [
            f"{p.energy.method}: {p.energy.reason}"
            for p in item.run.points
            if p.energy.joules_per_inference is None
        ]
        if measured:
            methods = ", ".join(dict.fromkeys(p.energy.method for p in measured))
            lines.append(
                Line(
                    f"{_run_label(item)} ({methods})",
                    np.array([p.throughput_ips for p in measured]),
                    np.array([(p.energy.joules_per_inference or 0.0) * 1000 for p in measured]),
                    markers=True,
                )
            )
    if lines:
        chart = line_chart(
            "Energy per inference", "throughput (inferences/s)", "mJ per inference", lines
        )
        caption = "Energy per inference at each point; the legend names the meter used."
    else:
        why = "; ".join(dict.fromkeys(reasons)) or "no meter"
        chart = message_chart("Energy per inference", f"not measured ({why})")
        caption = f"Energy per inference was not measured: {why}."
    return Figure("fig-energy", chart, caption, source)


def plan_figures(data: ReportData) -> list[Figure]:
    if data.plan is None:
        return []
    result = data.plan.result
    source = _plan_source(data)
    months = np.arange(1, result.months + 1)
    figures = [_capacity(result, months, source), _cumulative(result, months, source)]
    figures.append(_breakdown(result, source))
    sens = result.sensitivity
    if sens and sens.items:
        base = sens.base_diff
        items = [
            (input_range(i.input, i.low, i.high), i.diff_low - base, i.diff_high - base)
            for i in sens.items[:10]
        ]
        figures.append(
            Figure(
                "fig-tornado",
                tornado_chart(
                    "Sensitivity of the difference in total cost",
                    f"change in the total-cost difference ({result.currency}); base "
                    f"{money(base, result.currency)}",
                    items,
                    partial(money_tick, currency=result.currency),
                ),
                f"Tornado: how far each input, at the low and high end of its range, moves "
                f"the difference in total cost, {sens.option_a} minus {sens.option_b}.",
                source,
            )
        )
    if result.monte_carlo:
        figures.append(_monte_carlo(result, months, source))
    return figures


def _left_out(result: PlanResult, peaks: dict[str, float]) -> tuple[set[str], str]:
    """Options a line chart leaves out, and the caption sentence that says so."""
    big = dwarfing(peaks)
    if not big:
        return big, ""
    named = ", ".join(f"{n} ({money(peaks[n], result.currency)})" for n in sorted(big))
    return big, f" Not drawn, so the others stay readable: {named}; see the tables."


def _cumulative(result: PlanResult, months: np.ndarray, source: str) -> Figure:
    cur = result.currency
    view = "present value" if result.view == "npv" else "cost"
    peaks = {o.name: float(np.nanmax(o.cumulative_in(result.view))) for o in result.options}
    hidden, note = _left_out(result, peaks)
    lines = [
        Line(o.name, months, o.cumulative_in(result.view))
        for o in result.options
        if o.name not in hidden
    ]
    markers = [
        Marker(month, f"month {month}")
        for b in result.breakeven
        if not {b.onprem, b.alternative} & hidden
        for month in b.crossings
    ]
    pairs = " ".join(
        f"{b.onprem} against {b.alternative}: {breakeven_sentence(b, cur)}."
        for b in result.breakeven
    )
    chart = line_chart(
        "Cumulative cost",
        "month",
        f"cumulative {view} ({cur})",
        lines,
        markers,
        y_text=partial(money_tick, currency=cur),
    )
    caption = (
        f"Cumulative {view} per option; dashed lines mark each month in which the cheaper "
        f"of an on-prem option and an alternative changes.{note} Break-even: "
        + (pairs or "no on-prem option.")
    )
    return Figure("fig-cumulative", chart, caption, source)


def _breakdown(result: PlanResult, source: str) -> Figure:
    components = ordered_components(c for o in result.options for c in o.components)
    stacks = [
        (
            component_label(c),
            [float(np.nansum(o.components.get(c, np.zeros(1)))) for o in result.options],
        )
        for c in components
    ]
    chart = stacked_bars(
        "Cost breakdown over the horizon",
        f"total ({result.currency})",
        [o.name for o in result.options],
        stacks,
        y_text=partial(money_tick, currency=result.currency),
        colours=[component_colour(c) for c in components],
    )
    return Figure(
        "fig-breakdown",
        chart,
        "Total cost per option split into its components; a bar far taller than the rest "
        "is drawn broken, with its total written on it.",
        source,
    )


def _monte_carlo(result: PlanResult, months: np.ndarray, source: str) -> Figure:
    mc = result.monte_carlo
    assert mc is not None
    peaks = {name: float(np.nanmax(values)) for name, values in mc.cumulative_p90.items()}
    hidden, note = _left_out(result, peaks)
    bands = [
        Line(
            name,
            months,
            mc.cumulative_p50[name],
            band=(mc.cumulative_p10[name], mc.cumulative_p90[name]),
        )
        for name in mc.cumulative_p50
        if name not in hidden
    ]
    chart = line_chart(
        "Monte Carlo: median and 10–90% band",
        "month",
        f"cumulative cost ({result.currency})",
        bands,
        y_text=partial(money_tick, currency=result.currency),
    )
    caption = f"Cumulative cost over {mc.draws:,} Monte Carlo draws (seed {mc.seed}).{note}"
    return Figure("fig-montecarlo", chart, caption, source)


def _capacity(result: PlanResult, months: np.ndarray, source: str) -> Figure:
    lines = [
        Line(o.name, months, o.units, markers=True) for o in result.options if o.units is not None
    ]
    if not lines:
        chart = message_chart("Units needed", "no option with servers or instances")
    else:
        chart = line_chart("Units needed per month", "month", "units", lines)
    return Figure(
        "fig-capacity",
        chart,
        "Servers or instances needed each month to serve the peak at the target "
        "utilisation, redundancy included.",
        source,
    )
