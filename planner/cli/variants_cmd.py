"""``planner variants MODEL [--kinds ...]``: make, profile and compare model variants.

Main thread of the CLI process. Each variant is made in a child process and stored with
its recipe and fidelity; the parent and every made variant are then profiled with the
same sweep (unless ``--no-profile``), and a table compares size, latency, throughput,
energy, fidelity and, with ``--scenario``, the cost per 1k inferences.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from planner.cli.context import open_for
from planner.cli.progress import TerminalProgress
from planner.core.files import read_user_text
from planner.core.formatting import MISSING, money, rate, size
from planner.core.parsing import parse_duration
from planner.core.text import printable, printable_lines
from planner.profiling.messages import Message, Progress
from planner.services.variants import (
    DEFAULT_KINDS,
    Comparison,
    ComparisonRow,
    compare,
    headline,
    make_variants,
    profile_family,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "variants", help="make quantized/float16/pruned variants, profile and compare them"
    )
    parser.add_argument("model", type=Path, help="the parent ONNX model")
    parser.add_argument(
        "--kinds",
        default=",".join(DEFAULT_KINDS),
        help="comma-separated: int8-dynamic, int8-static, fp16, int4-weights, prune-SHARE "
        f"(default {','.join(DEFAULT_KINDS)})",
    )
    parser.add_argument("--input", action="append", metavar="FILE", help="inputs (as profile)")
    parser.add_argument("--samples", type=int, default=8, help="synthesized samples (default 8)")
    parser.add_argument("--budget", default="20s", help="profiling time per model (default 20s)")
    parser.add_argument("--no-profile", action="store_true", help="make and compare only")
    parser.add_argument("--scenario", type=Path, help="price each model with this scenario")
    parser.add_argument("--json", action="store_true", help="print the comparison as JSON")
    parser.set_defaults(handler=_variants)


def _variants(args: argparse.Namespace) -> int:
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    budget = parse_duration(args.budget, "--budget")
    scenario = read_user_text(args.scenario, "scenario") if args.scenario else None
    say = _printer(args.json)
    opened = open_for(args)
    try:
        make_variants(
            opened, args.model, kinds, say, inputs=args.input or None, samples=args.samples
        )
        if not args.no_profile:
            progress = TerminalProgress()
            try:
                profile_family(opened, args.model, budget, _progress(progress))
            finally:
                progress.close()
        comparison = compare(opened, args.model, scenario)
    finally:
        opened.close()
    if args.json:
        print(json.dumps(comparison_json(comparison), allow_nan=False))
    else:
        print(printable_lines(format_comparison(comparison)))
    return 0


def _printer(quiet: bool) -> Callable[[str], None]:
    def say(line: str) -> None:
        print(printable_lines(line), file=sys.stderr if quiet else sys.stdout)

    return say


def _progress(progress: TerminalProgress) -> Callable[[Message], None]:
    def on_message(message: Message) -> None:
        if isinstance(message, Progress):
            progress.update(message.fraction, message.eta_s, message.label)

    return on_message


COLUMNS = ("model", "status", "size", "p50 ms", "p99 ms", "peak/s", "mJ/inf", "cosine", "top-1")


def _cells(row: ComparisonRow, currency: str | None, tokens: bool) -> list[str]:
    variant = row.variant
    fidelity = None if variant is None else variant.outcome.fidelity
    status = "parent" if variant is None else variant.outcome.status.value
    joules = row.best_point_value("joules")
    cells = [
        printable(row.label if row.model is None else f"{row.label} ({row.model.info.name})"),
        status,
        MISSING if row.size_bytes is None else size(row.size_bytes),
        _ms(row.best_point_value("p50")),
        _ms(row.best_point_value("p99")),
        rate(row.best_point_value("throughput"), ""),
        MISSING if joules is None else f"{joules * 1000:.3f}",
        MISSING if fidelity is None or fidelity.cosine is None else f"{fidelity.cosine:.5f}",
        MISSING
        if fidelity is None or fidelity.top1_agreement is None
        else f"{fidelity.top1_agreement:.0%}",
    ]
    if tokens:
        agreement = None if fidelity is None else fidelity.token_agreement
        cells.append(MISSING if agreement is None else f"{agreement:.0%}")
    if currency is not None:
        cells.append(money(row.cost_per_1k, currency) if row.cost_per_1k is not None else MISSING)
    return cells


def _ms(value: float | None) -> str:
    return MISSING if value is None else f"{value:.3f}"


def format_comparison(comparison: Comparison) -> str:
    tokens = any(
        r.variant is not None
        and r.variant.outcome.fidelity is not None
        and r.variant.outcome.fidelity.token_agreement is not None
        for r in comparison.rows
    )
    header = list(COLUMNS) + (["tokens agree"] if tokens else [])
    header += [f"per 1k ({comparison.currency})"] if comparison.currency else []
    table = [header] + [_cells(r, comparison.currency, tokens) for r in comparison.rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in table]
    lines.insert(1, "-" * len(lines[0]))
    notes = [
        f"{r.label}: {printable(r.variant.outcome.reason or '')}"
        for r in comparison.variants
        if r.variant is not None and not r.variant.outcome.made
    ]
    notes += [f"{r.label}: not priced ({r.cost_note})" for r in comparison.rows if r.cost_note]
    summary = headline(comparison)
    lead = [summary, ""] if summary else []
    tail = ["", "Latency and energy at the lowest concurrency point; peak over the sweep."]
    if tokens:
        tail.append(
            "Generative models: latency and energy are per output token, peak is output "
            "tokens/s, and tokens agree is the share of greedy steps matching the original "
            "(teacher forced)."
        )
    return "\n".join(lead + lines + tail + notes)


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    return {
        "headline": headline(comparison),
        "currency": comparison.currency,
        "rows": [_row_json(r) for r in comparison.rows],
    }


def _row_json(row: ComparisonRow) -> dict[str, Any]:
    return {
        "label": row.label,
        "model_id": None if row.model is None else row.model.id,
        "run_id": None if row.run is None else row.run.id,
        "size_bytes": row.size_bytes,
        "p50_ms": row.best_point_value("p50"),
        "p99_ms": row.best_point_value("p99"),
        "peak_throughput": row.best_point_value("throughput"),
        "joules_per_inference": row.best_point_value("joules"),
        "cost_per_1k": row.cost_per_1k,
        "variant": None if row.variant is None else row.variant.outcome.to_dict(),
    }
