"""Benchmark: planner single-stream p50 vs a bare ``session.run`` loop (goal <= 1.02x).

Same model, same session options, same process; bare and planner measurements alternate
for several rounds so machine drift hits both. Run:
``python tests/benchmarks/bench_overhead.py [--quick]``.
"""

from __future__ import annotations

import argparse

import numpy as np
from _models import bare_loop_ms, bare_session, build_models

from planner.core.run import RunConfig
from planner.profiling.runner import ProfileRunner


def planner_p50(config: RunConfig) -> tuple[float, int]:
    result = ProfileRunner(config, backend="inprocess").result()
    point = result.points[0]
    return float(point.stats.p50), point.stats.count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2 rounds of 1 s instead of 5 of 3 s")
    parser.add_argument("--threads", type=int, default=None, help="intra-op threads")
    args = parser.parse_args()
    rounds, seconds = (2, 1.0) if args.quick else (5, 3.0)
    print(f"rounds={rounds} seconds/measurement={seconds} intra_op_threads={args.threads}")
    for name, path in build_models().items():
        config = RunConfig(
            str(path),
            intra_op_threads=args.threads,
            point_cap_s=seconds,
            time_budget_s=seconds + 30,
            ci_tolerance=0.0,
        )
        session, feeds = bare_session(config)
        bare, planned = [], []
        for _ in range(rounds):
            bare.append(float(np.median(bare_loop_ms(session, feeds, seconds))))
            planned.append(planner_p50(config)[0])
        b, p = float(np.median(bare)), float(np.median(planned))
        rounds_text = ", ".join(f"{x / y:.3f}" for x, y in zip(planned, bare, strict=True))
        print(
            f"{name}: bare p50 {b * 1000:.2f} us, planner p50 {p * 1000:.2f} us, "
            f"ratio {p / b:.4f} (per round: {rounds_text})"
        )


if __name__ == "__main__":
    main()
