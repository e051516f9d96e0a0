"""The report's "Model variants" section: each variant against its parent. GUI thread.

Lists every variant attempt of a model in the report (made or failed, with the reason),
its size against the parent's, its fidelity, and, where the report holds runs of both,
the ratio of the variant's median latency to the parent's at the lowest concurrency.
"""

from __future__ import annotations

from planner.core.formatting import MISSING, size
from planner.core.run import RunResult
from planner.reports.pdf_sections import section, table
from planner.reports.report_data import ReportData

_HEADER = ("parent", "variant", "status", "size", "size vs parent", "cosine", "max abs error")
_HEADER_TAIL = ("top-1", "p50 vs parent")


def variants_section(data: ReportData) -> str:
    if not data.variants:
        return ""
    runs_by_sha = {r.run.model_sha256: r.run for r in data.runs}
    rows = []
    for stored in data.variants:
        outcome = stored.outcome
        fidelity = outcome.fidelity
        parent_run = runs_by_sha.get(outcome.parent_sha256 or "")
        variant_run = runs_by_sha.get(outcome.sha256 or "")
        share = None
        if outcome.size_bytes and outcome.parent_size_bytes:
            share = outcome.size_bytes / outcome.parent_size_bytes
        rows.append(
            [
                outcome.parent_path.rsplit("/", 1)[-1],
                outcome.kind.value,
                outcome.status.value if outcome.made else f"failed: {outcome.reason}",
                MISSING if outcome.size_bytes is None else size(outcome.size_bytes),
                MISSING if share is None else f"{share:.0%}",
                _figure(None if fidelity is None else fidelity.cosine, ".5f"),
                _figure(None if fidelity is None else fidelity.max_abs_error, ".3g"),
                _figure(None if fidelity is None else fidelity.top1_agreement, ".0%"),
                _latency_ratio(parent_run, variant_run),
            ]
        )
    note = (
        "<p class='source'>Fidelity compares the variant's outputs with the parent's on the "
        "same inputs (see each recipe's inputs label in the appendix). Latency ratios use "
        "runs in this report; pruning shrinks only the compressed size and does not speed up "
        "dense kernels.</p>"
    )
    body = table([*_HEADER, *_HEADER_TAIL], rows) + note
    return section("Model variants", body, new_page=False)


def _figure(value: float | None, spec: str) -> str:
    return MISSING if value is None else format(value, spec)


def _latency_ratio(parent: RunResult | None, variant: RunResult | None) -> str:
    if parent is None or variant is None or not parent.points or not variant.points:
        return MISSING
    first_parent = min(parent.points, key=lambda p: (p.concurrency, p.batch)).stats.p50
    first_variant = min(variant.points, key=lambda p: (p.concurrency, p.batch)).stats.p50
    if not first_parent or first_variant is None:
        return MISSING
    return f"{first_variant / first_parent:.2f}×"
