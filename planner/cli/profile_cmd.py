"""``planner profile MODEL.onnx [options] [--json]``: measure, store, summarise.

Main thread of the CLI process. The run executes in a worker process; this thread shows
a progress bar with an ETA, stores each finished point at once, and turns Ctrl-C into a
graceful cancel that keeps the points already measured.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

from planner.cli.context import open_for
from planner.cli.progress import TerminalProgress
from planner.cli.run_text import format_point_line, format_run
from planner.core.errors import InputError
from planner.core.parsing import (
    PERCENTILE_LIMITS,
    SEED_LIMITS,
    SLO_MS_LIMITS,
    THREAD_LIMITS,
    number_flag,
    parse_dims,
    parse_duration,
    parse_positive_floats,
    parse_positive_ints,
    parse_ranges,
    whole_flag,
)
from planner.core.run import GRAPH_OPTIMIZATIONS, SCENARIOS, RunConfig, lacks_server_load
from planner.core.text import printable_lines
from planner.profiling.messages import Message, PointFinished, Progress, RunFailed, RunStarted
from planner.services.profiles import prepare_run, run_profile


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("profile", help="measure an ONNX model and store the run")
    p.add_argument("model", help="path to an .onnx file")
    p.add_argument("--provider", default="CPUExecutionProvider", help="ONNX Runtime provider")
    p.add_argument("--scenario", choices=SCENARIOS, default="single-stream")
    p.add_argument("--batch", default="1", metavar="N[,N...]", help="batch sizes (offline)")
    p.add_argument("--concurrency", default=None, metavar="N[,N...]", help="parallel streams")
    p.add_argument("--rate", default=None, metavar="R[,R...]", help="server arrival rates /s")
    p.add_argument(
        "--slo",
        default=None,
        metavar="MS",
        type=number_flag(SLO_MS_LIMITS),
        help="server latency target",
    )
    p.add_argument(
        "--slo-percentile",
        default=99.0,
        type=number_flag(PERCENTILE_LIMITS),
        help="percentile for --slo",
    )
    p.add_argument(
        "--intra-op", type=whole_flag(THREAD_LIMITS), default=None, help="intra-op threads"
    )
    p.add_argument(
        "--inter-op", type=whole_flag(THREAD_LIMITS), default=None, help="inter-op threads"
    )
    p.add_argument("--opt-level", choices=GRAPH_OPTIMIZATIONS, default="all")
    p.add_argument("--dim", action="append", metavar="NAME=VALUE", help="dynamic dimension")
    p.add_argument("--range", action="append", metavar="NAME=LOW:HIGH", help="integer inputs")
    p.add_argument("--input", action="append", metavar="FILE", help="inputs: X.npz or NAME=X.npy")
    p.add_argument("--budget", default="60s", help="time budget for the run (default 60s)")
    p.add_argument("--point-cap", default="10s", help="time cap per point (default 10s)")
    p.add_argument("--seed", type=whole_flag(SEED_LIMITS), default=0)
    p.add_argument("--json", action="store_true", help="print JSON, one object per point")
    p.set_defaults(handler=_profile)


def config_from_args(args: argparse.Namespace) -> RunConfig:
    concurrency = (
        parse_positive_ints(args.concurrency, "--concurrency")
        if args.concurrency
        else ((1, 2, 4, 8) if args.scenario == "concurrency" else (1,))
    )
    rates = parse_positive_floats(args.rate, "--rate") if args.rate else ()
    if lacks_server_load(args.scenario, rates, args.slo):
        raise InputError("the server scenario needs --rate R[,R...] or --slo MS to search for")
    for name in ("intra_op", "inter_op"):
        value = getattr(args, name)
        if value is not None and value < 0:
            raise InputError(f"--{name.replace('_', '-')} must be 0 (runtime default) or more")
    try:
        return RunConfig(
            model_path=args.model,
            scenario=args.scenario,
            provider=args.provider,
            batch_sizes=parse_positive_ints(args.batch, "--batch"),
            concurrency=concurrency,
            intra_op_threads=args.intra_op,
            inter_op_threads=args.inter_op,
            graph_optimization=args.opt_level,
            dims=parse_dims(args.dim),
            int_ranges=parse_ranges(args.range),
            input_files=tuple(args.input or ()),
            time_budget_s=parse_duration(args.budget, "--budget"),
            point_cap_s=parse_duration(args.point_cap, "--point-cap"),
            seed=args.seed,
            target_rates=rates,
            slo_percentile=args.slo_percentile,
            slo_ms=args.slo,
        )
    except ValueError as exc:
        raise InputError(str(exc)) from None


def _profile(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    progress = TerminalProgress()
    opened = open_for(args)
    try:
        prepared = prepare_run(opened, config)
        result = run_profile(opened, prepared, _progress_printer(progress))
    finally:
        progress.close()
        opened.close()
    if args.json:
        print(
            json.dumps(
                {
                    "run": {
                        k: v
                        for k, v in result.to_dict(include_samples=False).items()
                        if k != "points"
                    },
                    "points": [p.to_dict(include_samples=False) for p in result.points],
                },
                allow_nan=False,
            )
        )
    else:
        print(printable_lines(format_run(result)))
    return {"completed": 0, "cancelled": 130}.get(result.status, 3)


def _progress_printer(progress: TerminalProgress) -> Callable[[Message], None]:
    def on_message(message: Message) -> None:
        if isinstance(message, RunStarted):
            defaults = ", ".join(f"{k}={v}" for k, v in message.dims_used.items())
            progress.message(
                f"Profiling {message.model_name} (run {message.run_id[:8]}); "
                f"session {message.session_create_ms:.1f} ms, first inference "
                f"{message.first_inference_ms:.2f} ms; dims {defaults or 'fixed'}"
            )
        elif isinstance(message, Progress):
            p50 = f"p50 {message.p50_ms:.3f} ms" if message.p50_ms is not None else "p50 —"
            progress.update(
                message.fraction,
                message.eta_s,
                f"{message.label}: {p50}, {message.throughput_ips:,.0f}/s",
            )
        elif isinstance(message, PointFinished):
            progress.message(format_point_line(message.point))
        elif isinstance(message, RunFailed):
            progress.message(f"Run failed: {message.reason}")

    return on_message
