"""``planner profile MODEL.onnx|GENAI_FOLDER [options] [--json]``: measure, store, summarise.

A folder in the ONNX Runtime GenAI layout is a generative model: it is measured per
token (``--prompt-tokens``, ``--output-tokens``, ``--sequences``; TTFT and TPOT targets
with ``--ttft-target``/``--tpot-target`` report the goodput), and the classic options
that do not apply to it are refused.

Main thread of the CLI process. The run executes in a worker process; this thread shows
a progress bar with an ETA, stores each finished point at once, and turns Ctrl-C into a
graceful cancel that keeps the points already measured.

Input settings saved for the model (``--save-inputs``) are used unless
``--ignore-saved-inputs``; flags given now win over them. Exit status: 0 completed,
130 cancelled, 70 an internal error in planner (with a crash log), 3 any other failure.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Mapping
from pathlib import Path

from planner.cli.context import open_for
from planner.cli.progress import TerminalProgress
from planner.cli.run_text import format_dims, format_point_line, format_run
from planner.core.errors import InputError
from planner.core.generative import GenerativeSettings
from planner.core.model import InputSettings
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
from planner.core.run import (
    GRAPH_OPTIMIZATIONS,
    SCENARIOS,
    FailureKind,
    RunConfig,
    Scenario,
    lacks_server_load,
)
from planner.core.text import printable_lines
from planner.core.validation import POSITIVE, check_number
from planner.profiling.messages import Message, PointFinished, Progress, RunFailed, RunStarted
from planner.services.input_memory import InputMemoryError
from planner.services.profiles import prepare_run, run_profile, save_input_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("profile", help="measure an ONNX model and store the run")
    p.add_argument("model", help="path to an .onnx file, or an ONNX Runtime GenAI folder")
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
    p.add_argument(
        "--save-inputs",
        action="store_true",
        help="save this run's --dim/--range/--input for the model; reused by profile, "
        "assess and the app",
    )
    p.add_argument(
        "--ignore-saved-inputs", action="store_true", help="do not use saved input settings"
    )
    g = p.add_argument_group("generative models (an ONNX Runtime GenAI folder)")
    g.add_argument("--prompt-tokens", default="128", metavar="N[,N...]", help="prompt lengths")
    g.add_argument("--output-tokens", default="128", metavar="N[,N...]", help="output lengths")
    g.add_argument("--sequences", default="1,2,4", metavar="N[,N...]", help="sequences at once")
    g.add_argument("--ttft-target", type=float, default=None, metavar="MS", help="goodput TTFT")
    g.add_argument("--tpot-target", type=float, default=None, metavar="MS", help="goodput TPOT")
    g.add_argument("--target-percentile", type=float, default=90.0, help="for the targets")
    p.add_argument("--seed", type=whole_flag(SEED_LIMITS), default=0)
    p.add_argument("--json", action="store_true", help="print JSON, one object per point")
    p.set_defaults(handler=_profile)


def config_from_args(args: argparse.Namespace) -> RunConfig:
    if Path(args.model).is_dir():
        return generative_config(args)
    flags = _given(args, _GENERATIVE_ONLY)
    if flags:
        raise InputError(
            f"{args.model} is an ONNX model file, not a generative model folder: "
            f"{_do_not_apply(flags)}; give an ONNX Runtime GenAI folder to profile in tokens"
        )
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


#: Classic options a generative run does not take, with their defaults.
_CLASSIC_ONLY = {
    "scenario": "single-stream",
    "batch": "1",
    "concurrency": None,
    "rate": None,
    "slo": None,
    "dim": None,
    "range": None,
    "input": None,
    "save_inputs": False,
}


#: Generative options a classic model does not take, with their defaults.
_GENERATIVE_ONLY = {
    "prompt_tokens": "128",
    "output_tokens": "128",
    "sequences": "1,2,4",
    "ttft_target": None,
    "tpot_target": None,
    "target_percentile": 90.0,
}


def _given(args: argparse.Namespace, defaults: Mapping[str, object]) -> str:
    """The options among ``defaults`` that the user changed, as flags ("" when none)."""
    given = [name for name, default in defaults.items() if getattr(args, name) != default]
    return ", ".join("--" + name.replace("_", "-") for name in given)


def _do_not_apply(flags: str) -> str:
    return f"{flags} {'does' if ', ' not in flags else 'do'} not apply"


def generative_config(args: argparse.Namespace) -> RunConfig:
    """A token sweep of the GenAI folder ``args.model``; classic-only options are refused."""
    flags = _given(args, _CLASSIC_ONLY)
    if flags:
        raise InputError(
            f"{args.model} is a generative model folder: {_do_not_apply(flags)}; use "
            "--prompt-tokens, --output-tokens and --sequences"
        )
    for name in ("ttft_target", "tpot_target"):
        value = getattr(args, name)
        if value is not None:
            check_number(value, "--" + name.replace("_", "-"), POSITIVE)
    if args.target_percentile not in (50.0, 90.0, 95.0, 99.0, 99.9):
        raise InputError("--target-percentile must be 50, 90, 95, 99 or 99.9")
    settings = GenerativeSettings(
        prompt_tokens=parse_positive_ints(args.prompt_tokens, "--prompt-tokens"),
        output_tokens=parse_positive_ints(args.output_tokens, "--output-tokens"),
        ttft_target_ms=args.ttft_target,
        tpot_target_ms=args.tpot_target,
        target_percentile=args.target_percentile,
    )
    return RunConfig(
        model_path=args.model,
        scenario=Scenario.GENERATIVE.value,
        provider=args.provider,
        concurrency=parse_positive_ints(args.sequences, "--sequences"),
        intra_op_threads=args.intra_op,
        time_budget_s=parse_duration(args.budget, "--budget"),
        point_cap_s=parse_duration(args.point_cap, "--point-cap"),
        seed=args.seed,
        generative=settings,
    )


def _profile(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    progress = TerminalProgress()
    planned: list[str] = []
    opened = open_for(args)
    try:
        if args.save_inputs:
            saved = InputSettings(config.dims, config.int_ranges, config.input_files)
            save_input_settings(opened, config.model_path, saved)
            progress.message(f"Saved input settings for {args.model}: {saved.describe()}")
        try:
            prepared = prepare_run(opened, config, use_saved_inputs=not args.ignore_saved_inputs)
        except InputMemoryError as exc:
            raise InputMemoryError(f"{exc} with --batch") from exc
        if prepared.saved_inputs is not None and not args.save_inputs:
            progress.message(f"Using saved input settings: {prepared.saved_inputs.describe()}")
        result = run_profile(opened, prepared, _progress_printer(progress, planned))
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
        skipped = unmeasured(planned, result.points)
        if skipped:
            print(f"Not measured: {', '.join(skipped)} ({skip_reason(result.notes)})")
    if result.failure_kind == FailureKind.INTERNAL:
        return 70
    return {"completed": 0, "cancelled": 130}.get(result.status, 3)


def unmeasured(planned: list[str], points: tuple[object, ...]) -> list[str]:
    """Planned points the run never reached: points are measured in the planned order."""
    return planned[len(points) :]


def skip_reason(notes: tuple[str, ...]) -> str:
    """Why a sweep ended early, from the run's notes (the budget, a stalled sweep)."""
    why = [n for n in notes if "budget" in n or "stopped" in n]
    advice = "; give a larger --budget" if any("budget" in n for n in why) else ""
    return "; ".join(why) + advice if why else "the run ended first"


def _progress_printer(progress: TerminalProgress, planned: list[str]) -> Callable[[Message], None]:
    def on_message(message: Message) -> None:
        if isinstance(message, RunStarted):
            planned[:] = message.planned_points
            progress.message(
                f"Profiling {message.model_name} (run {message.run_id[:8]}); "
                f"session {message.session_create_ms:.1f} ms, first inference "
                f"{message.first_inference_ms:.2f} ms"
            )
            for line in format_dims(message.dims_used, message.assumed):
                progress.message(line)
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
