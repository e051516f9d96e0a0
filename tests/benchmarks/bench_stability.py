"""Benchmark: time to a stable 6-point sweep, adaptive rule vs fixed 3 x 5 s windows.

The adaptive rule (planner's default: 0.25 s windows, stop when the median's 95% CI is
within ±1% and the batch-means throughput CI within ±2%) is compared with a fixed
perf_analyzer-style rule of three 5 s windows per point. Each is repeated to get the
run-to-run spread of every point's p50 ((max - min) / median). Goals: half the time or
less, spread <= 3%. Run: ``python tests/benchmarks/bench_stability.py [--quick]``
(``--quick`` uses the MLP only and 3 x 1 s fixed windows).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _models import build_models

from planner.core.run import RunConfig, RunResult
from planner.profiling.runner import ProfileRunner

BATCHES = (1, 2, 4, 8, 16, 32)


def sweep(config: RunConfig) -> tuple[float, RunResult]:
    started = time.perf_counter()
    result = ProfileRunner(config, backend="inprocess").result()
    return time.perf_counter() - started, result


def spread(results: list[RunResult]) -> float:
    """Worst per-point (max - min) / median of p50 across repeated runs, in percent."""
    p50 = np.array([[p.stats.p50 for p in r.points] for r in results])
    return float(np.max((p50.max(axis=0) - p50.min(axis=0)) / np.median(p50, axis=0)) * 100)


def report(label: str, runs: list[tuple[float, RunResult]]) -> float:
    times = [t for t, _ in runs]
    stable = sum(p.stable for _, r in runs for p in r.points)
    total = sum(len(r.points) for _, r in runs)
    worst = spread([r for _, r in runs])
    print(
        f"  {label}: mean sweep time {np.mean(times):.1f} s, p50 spread {worst:.2f}%, "
        f"stable points {stable}/{total}"
    )
    return float(np.mean(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="intra-op threads (0: ORT default)")
    args = parser.parse_args()
    window = 1.0 if args.quick else 5.0
    models = build_models()
    if args.quick:
        models = {"mlp": models["mlp"]}
    for name, path in models.items():
        common = dict(
            scenario="offline",
            batch_sizes=BATCHES,
            stall_steps=0,
            time_budget_s=600.0,
            intra_op_threads=args.threads or None,
        )
        adaptive = RunConfig(str(path), point_cap_s=3 * window, **common)
        fixed = RunConfig(
            str(path), window_s=window, point_cap_s=3 * window, ci_tolerance=0.0, **common
        )
        print(f"{name}, offline batches {BATCHES}, {args.repeats} repeats, threads {args.threads}:")
        t_adaptive = report("adaptive", [sweep(adaptive) for _ in range(args.repeats)])
        t_fixed = report(f"fixed 3 x {window:g} s", [sweep(fixed) for _ in range(args.repeats)])
        print(f"  time ratio adaptive/fixed {t_adaptive / t_fixed:.2f}")


if __name__ == "__main__":
    main()
