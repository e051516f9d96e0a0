"""The report's figures of generative runs: TPOT against output rate, TTFT, energy.

Runs on the report-building thread (needs a QGuiApplication, as charts do). A generative
point's throughput is output tokens per second and its energy is per output token, so
these runs get their own figures instead of sharing the classic latency–throughput axes.
Also home of :class:`Figure`, the captioned image every report figure is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.reports.charts import Chart, Line, line_chart, message_chart
from planner.reports.report_data import ReportRun

CDF_POINTS = 400


@dataclass(frozen=True)
class Figure:
    key: str
    chart: Chart
    caption: str
    source: str


def is_generative(item: ReportRun) -> bool:
    return any(p.tokens is not None for p in item.run.points)


def _label(item: ReportRun) -> str:
    return f"{item.run.model_name} {item.run.id[:8]}"


def token_figures(runs: list[ReportRun], source: str) -> list[Figure]:
    """TPOT p50 against output tokens/s, the TTFT CDF and energy per output token."""
    if not runs:
        return []
    tpot = []
    ttft = []
    energy = []
    for item in runs:
        points = [p for p in item.run.points if p.tokens is not None]
        rates = np.array([p.tokens.output_tokens_per_s for p in points if p.tokens])
        tpot.append(
            Line(
                _label(item),
                rates,
                np.array(
                    [
                        np.nan if p.tokens.tpot.p50 is None else p.tokens.tpot.p50
                        for p in points
                        if p.tokens
                    ]
                ),
                markers=True,
            )
        )
        for point in points:
            assert point.tokens is not None
            if point.tokens.ttft_samples_ms:
                q = np.linspace(0.0, 1.0, CDF_POINTS)
                values = np.quantile(np.asarray(point.tokens.ttft_samples_ms, dtype=float), q)
                ttft.append(Line(f"{item.run.id[:8]} {point.label}", values, q))
        joules = [p for p in points if p.energy.joules_per_inference is not None]
        if joules:
            energy.append(
                Line(
                    f"{_label(item)} ({joules[0].energy.method})",
                    np.array([p.tokens.output_tokens_per_s for p in joules if p.tokens]),
                    np.array([(p.energy.joules_per_inference or 0.0) * 1000 for p in joules]),
                    markers=True,
                )
            )
    figures = [
        Figure(
            "fig-tpot",
            line_chart(
                "Time per output token against output rate",
                "output tokens/s",
                "TPOT p50 (ms)",
                tpot,
            ),
            "Generative runs: each marker is one point (prompt and output lengths, sequences "
            "decoding together); further right serves more tokens, higher waits longer per "
            "token.",
            source,
        ),
        Figure(
            "fig-ttft",
            line_chart("Time to first token", "TTFT (ms)", "share of requests", ttft)
            if ttft
            else message_chart("Time to first token", "the runs kept no TTFT samples"),
            "TTFT distribution of each generative point: the share of requests whose first "
            "token came within a time.",
            source,
        ),
    ]
    if energy:
        figures.append(
            Figure(
                "fig-token-energy",
                line_chart(
                    "Energy per output token", "output tokens/s", "mJ per output token", energy
                ),
                "Energy per output token at each generative point; the legend names the meter "
                "or estimate used.",
                source,
            )
        )
    return figures
