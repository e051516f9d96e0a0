"""Benchmark: planner's measuring engine vs a bare ``session.run`` loop (goal <= 1.02x).

Both sides time the same session with the same feeds in the same process, in short
paired windows that alternate (bare, planner, planner, bare, ...): the result is the
median of the per-pair ratios planner p50 / bare p50 with its 95% CI and the spread of
single pairs (see ``_paired.py``; unpaired rounds swing ±30% on a shared VM). The planner
side is :func:`planner.profiling.measure.measure_point` with the run's real instruments
(telemetry sampler thread included), i.e. exactly what a point runs. Run:
``python tests/benchmarks/bench_overhead.py [--quick] [--threads N]``.
"""

from __future__ import annotations

import argparse

import numpy as np
from _models import bare_loop_ms, bare_session, build_models
from _paired import paired

from planner.core.run import RunConfig
from planner.profiling.instruments import open_instruments
from planner.profiling.measure import PointContext, PointSpec, measure_point


def planner_p50(config: RunConfig, session, feeds: dict, seconds: float) -> float:
    """p50 (ms) of one single-stream point measured by planner's engine for ``seconds``."""
    instruments = open_instruments(config)
    ctx = PointContext(
        run=session.run,
        feeds=feeds,
        config=config,
        sampler=instruments.sampler,
        energy=instruments.energy,
        should_stop=lambda: False,
        on_window=lambda _report: None,
    )
    point = measure_point(PointSpec("single-stream", 1, 1), ctx, seconds)
    instruments.close()
    assert point is not None and point.stats.p50 is not None
    return point.stats.p50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="8 pairs of 0.5 s, not 16 of 1 s")
    parser.add_argument("--threads", type=int, default=None, help="intra-op threads")
    args = parser.parse_args()
    pairs, seconds = (8, 0.5) if args.quick else (16, 1.0)
    print(f"pairs={pairs} seconds/window={seconds} intra_op_threads={args.threads}")
    for name, path in build_models().items():
        config = RunConfig(str(path), intra_op_threads=args.threads, ci_tolerance=0.0)
        session, feeds = bare_session(config)
        result = paired(
            lambda: float(np.median(bare_loop_ms(session, feeds, seconds))),  # noqa: B023
            lambda: planner_p50(config, session, feeds, seconds),  # noqa: B023
            pairs,
        )
        print(f"{name}: planner p50 / bare p50: {result.describe()}")


if __name__ == "__main__":
    main()
