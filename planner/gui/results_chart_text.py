"""The words of the Results page's comparison charts: captions, axis labels and the note.

Pure text over loaded runs, used on the GUI thread by
:class:`~planner.gui.results_charts.CompareCharts`. Each caption-and-axes triple is
keyed by the plot it labels; the token words replace the classic ones when every
selected run is generative, and name two plots only generative runs have.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.core.run import PointResult, RunResult
from planner.gui.token_rates import X_LABEL, Y_LABEL

CLASSIC = {
    "curve": ("Latency against throughput", "throughput (inferences/s)", "latency (ms)"),
    "cdf": ("Latency CDF of each point", "latency (ms)", "share of inferences"),
    "energy": ("Energy per inference", "throughput (inferences/s)", "energy (mJ/inference)"),
}
TOKENS = {
    "curve": ("Time per output token against output rate", "output tokens/s", "TPOT (ms)"),
    "cdf": ("Time-to-first-token CDF of each point", "TTFT (ms)", "share of requests"),
    "energy": ("Energy per output token", "output tokens/s", "energy (mJ/output token)"),
    "rate": (
        "Output tokens/s against sequences decoding together, one line per run and "
        "prompt+output length (hollow: unstable)",
        X_LABEL,
        Y_LABEL,
    ),
    "gaps": (
        "Time-per-output-token distribution: CDF of the gaps between output tokens of "
        "each point (TPOT is their mean per request), up to the highest p99; zoom out "
        "for the tail",
        "time between tokens (ms)",
        "share of token gaps",
    ),
}


def energy_method(point: PointResult) -> str:
    """A point's energy method, saying "estimated" once."""
    method = point.energy.method
    return f"{method}, estimated" if point.energy.estimated and "estimate" not in method else method


def notes(runs: Sequence[RunResult], tokens: bool) -> str:
    """Which points are unstable, why energy is missing, and when token charts show."""
    lines = []
    unstable = [
        f"{run.id[:8]} {point.label}" for run in runs for point in run.points if not point.stable
    ]
    if unstable:
        lines.append("Unstable points (hollow markers): " + ", ".join(unstable))
    else:
        lines.append("Every point met its stability rule (filled markers).")
    missing = {
        point.energy.reason or point.energy.method
        for run in runs
        for point in run.points
        if point.energy.joules_per_inference is None
    }
    if missing:
        lines.append("Energy unavailable: " + "; ".join(sorted(missing)))
    generative = [r for r in runs if any(p.tokens is not None for p in r.points)]
    if generative and not tokens:
        lines.append(
            "Token charts (TTFT, TPOT, tokens/s) show when only generative runs are selected."
        )
    return "\n".join(lines)
