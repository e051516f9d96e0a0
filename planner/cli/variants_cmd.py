"""``planner variants MODEL [--kinds ...]``: make, profile and compare model variants.

Main thread of the CLI process. Each variant is made in a child process and stored with
its recipe and fidelity; the parent and every made variant are then profiled with the
same sweep (unless ``--no-profile``), and a table compares size, latency, throughput,
energy, fidelity and, with ``--scenario``, the cost per 1k inferences (per 1M output
tokens for a generative model). The table's columns come from
:mod:`planner.services.variant_table`, which the app and the PDF use as well.
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
from planner.core.parsing import parse_duration
from planner.core.text import printable_lines
from planner.profiling.messages import Message, Progress
from planner.services.variant_comparison import Comparison, ComparisonRow, compare, headline
from planner.services.variant_table import comparison_table
from planner.services.variants import (
    DEFAULT_BUDGET_S,
    DEFAULT_KINDS,
    KindParams,
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
    parser.add_argument(
        "--fp16-block-ops",
        metavar="OP[,OP]",
        help="fp16: op types to keep in float32 as well as the usual ones (e.g. Pow,Softmax)",
    )
    parser.add_argument(
        "--per-tensor", action="store_true", help="int8-static: one scale per weight tensor"
    )
    parser.add_argument(
        "--int4-block-size", type=int, metavar="N", help="int4-weights: block size (default 32)"
    )
    parser.add_argument(
        "--int4-asymmetric", action="store_true", help="int4-weights: with zero points"
    )
    budget = f"{DEFAULT_BUDGET_S:g}s"
    parser.add_argument(
        "--budget", default=budget, help=f"profiling time per model (default {budget})"
    )
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
            opened,
            args.model,
            kinds,
            say,
            kind_params=kind_params(args),
            inputs=args.input or None,
            samples=args.samples,
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


def kind_params(args: argparse.Namespace) -> KindParams:
    """The recipe flags given, each for the one kind it applies to."""
    params: dict[str, dict[str, object]] = {"fp16": {}, "int8-static": {}, "int4-weights": {}}
    if args.fp16_block_ops is not None:
        params["fp16"]["block_ops"] = args.fp16_block_ops
    if args.per_tensor:
        params["int8-static"]["per_channel"] = False
    if args.int4_block_size is not None:
        params["int4-weights"]["block_size"] = args.int4_block_size
    if args.int4_asymmetric:
        params["int4-weights"]["symmetric"] = False
    return params


def _printer(quiet: bool) -> Callable[[str], None]:
    def say(line: str) -> None:
        print(printable_lines(line), file=sys.stderr if quiet else sys.stdout)

    return say


def _progress(progress: TerminalProgress) -> Callable[[Message], None]:
    def on_message(message: Message) -> None:
        if isinstance(message, Progress):
            progress.update(message.fraction, message.eta_s, message.label)

    return on_message


def format_comparison(comparison: Comparison) -> str:
    """The family table as aligned text: headline, table, how to read it, notes."""
    table = comparison_table(comparison)
    grid = [list(table.header), *(list(row) for row in table.rows)]
    widths = [max(len(line[i]) for line in grid) for i in range(len(table.header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in grid]
    lines.insert(1, "-" * len(lines[0]))
    lead = [table.headline, ""] if table.headline else []
    return "\n".join(lead + lines + ["", *table.reading, *table.notes])


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    return {
        "headline": headline(comparison),
        "currency": comparison.currency,
        "rows": [_row_json(r, comparison.generative) for r in comparison.rows],
    }


def _row_json(row: ComparisonRow, tokens: bool) -> dict[str, Any]:
    """A generative member's energy is per output token and its cost per 1M of them."""
    joules, cost = row.best_point_value("joules"), row.cost
    return {
        "label": row.label,
        "model_id": None if row.model is None else row.model.id,
        "run_id": None if row.run is None else row.run.id,
        "size_bytes": row.size_bytes,
        "p50_ms": row.best_point_value("p50"),
        "p99_ms": row.best_point_value("p99"),
        "peak_throughput": row.best_point_value("throughput"),
        "joules_per_inference": None if tokens else joules,
        "joules_per_output_token": joules if tokens else None,
        "cost_per_1k": None if tokens else cost,
        "cost_per_1m_output_tokens": cost if tokens else None,
        "variant": None if row.variant is None else row.variant.outcome.to_dict(),
    }
