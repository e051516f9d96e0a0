"""Benchmark: planner vs MLPerf LoadGen on the same model, session and feeds.

Goals: SingleStream p90 within ±5% of LoadGen's; Offline samples/s >= LoadGen's.
Both sides drive one shared session with the same feeds, in short paired windows that
alternate (LoadGen, planner, planner, LoadGen, ...); each pair gives one ratio planner /
LoadGen and the result is their median with its 95% CI and the spread of single pairs
(see ``_paired.py``: unpaired rounds swing ±30% on a shared VM). LoadGen's logs go to a
temporary folder with the trace disabled, and ``offline_expected_qps`` is set above the
real throughput (measured first) so the Offline run is valid. LoadGen's own per-query
cost (an SUT that answers without inferring) is measured once and reported beside.
``--probe`` also reports, for the SingleStream callback, the thread it runs on and that
thread's CPU affinity. Run: ``python tests/benchmarks/bench_loadgen.py [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading

import mlperf_loadgen as lg
import numpy as np
from _loadgen_log import summary_value
from _models import bare_session, build_models
from _paired import paired

from planner.core.run import RunConfig
from planner.profiling.measure import PointContext, PointSpec, measure_point

SAMPLES = 1024


def run_loadgen(
    session, feeds: dict, scenario: str, seconds: float, expected_qps: float, infer: bool = True
) -> float:
    """LoadGen's SingleStream p90 (ms) or Offline samples/s on ``session``.

    With ``infer=False`` the SUT answers at once without running the model: its p90 is
    LoadGen's own per-query cost (the Python callback and completion round trip).
    """

    def issue(queries: list) -> None:
        for query in queries:
            if infer:
                session.run(None, feeds)
            if scenario == "SingleStream":
                lg.QuerySamplesComplete([lg.QuerySampleResponse(query.id, 0, 0)])
        if scenario == "Offline":
            lg.QuerySamplesComplete([lg.QuerySampleResponse(q.id, 0, 0) for q in queries])

    min_queries = 100 if scenario == "SingleStream" else 1
    outdir = _loadgen_test(issue, scenario, seconds, min_queries, expected_qps)
    if scenario == "SingleStream":
        return summary_value(outdir, "90.00 percentile latency (ns)") / 1e6
    return summary_value(outdir, "Samples per second")


def _loadgen_test(
    issue, scenario: str, seconds: float, min_queries: int, expected_qps: float
) -> str:
    """One LoadGen performance test of ``issue``; the folder holding its logs."""
    settings = lg.TestSettings()
    settings.scenario = getattr(lg.TestScenario, scenario)
    settings.mode = lg.TestMode.PerformanceOnly
    settings.min_duration_ms = int(seconds * 1000)
    settings.min_query_count = min_queries
    settings.single_stream_expected_latency_ns = int(1e9 / expected_qps)
    settings.offline_expected_qps = expected_qps
    log = lg.LogSettings()
    outdir = tempfile.mkdtemp(prefix="loadgen-")
    log.log_output.outdir = outdir
    log.log_output.copy_summary_to_stdout = False
    log.enable_trace = False
    sut = lg.ConstructSUT(issue, lambda: None)
    qsl = lg.ConstructQSL(SAMPLES, SAMPLES, lambda _s: None, lambda _s: None)
    lg.StartTestWithLogSettings(sut, qsl, settings, log)
    lg.DestroyQSL(qsl)
    lg.DestroySUT(sut)
    return outdir


def run_planner(config: RunConfig, session, feeds: dict, scenario: str, seconds: float):
    """Planner's p90 (ms) and throughput (inferences/s) for one point on ``session``."""
    ctx = PointContext(
        run=session.run,
        feeds=feeds,
        config=config,
        sampler=None,
        energy=lambda _t, _n, _d: None,
        should_stop=lambda: False,
        on_window=lambda _report: None,
    )
    point = measure_point(PointSpec(scenario, 1, 1), ctx, seconds)
    assert point is not None
    return float(np.percentile(point.samples_ms, 90)), point.throughput_ips


def probe_threads(session, feeds: dict) -> str:
    """Which thread runs LoadGen's SingleStream callback, its CPU affinity, OS threads."""
    seen: list[str] = []
    outside = len(os.listdir("/proc/self/task"))

    def issue(queries: list) -> None:
        if not seen:
            seen.append(
                f"callback on {threading.current_thread().name!r} (native id "
                f"{threading.get_native_id()}), affinity {sorted(os.sched_getaffinity(0))}, "
                f"{len(os.listdir('/proc/self/task'))} OS threads (outside LoadGen {outside})"
            )
        for query in queries:
            session.run(None, feeds)
            lg.QuerySamplesComplete([lg.QuerySampleResponse(query.id, 0, 0)])

    _loadgen_test(issue, "SingleStream", 0.2, 10, 1000.0)
    main_thread = (
        f"planner on {threading.current_thread().name!r} (native id "
        f"{threading.get_native_id()}), affinity {sorted(os.sched_getaffinity(0))}"
    )
    return f"{seen[0]}; {main_thread}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="8 pairs of 1 s, not 16 of 2 s")
    parser.add_argument("--threads", type=int, default=None, help="intra-op threads")
    parser.add_argument("--models", default="mlp,mlp_wide,cnn", help="comma-separated")
    parser.add_argument("--probe", action="store_true", help="report callback thread/affinity")
    args = parser.parse_args()
    pairs, seconds = (8, 1.0) if args.quick else (16, 2.0)
    print(f"pairs={pairs} seconds/window={seconds} intra_op_threads={args.threads}")
    chosen = set(args.models.split(","))
    for name, path in build_models().items():
        if name not in chosen:
            continue
        config = RunConfig(str(path), intra_op_threads=args.threads, ci_tolerance=0.0)
        session, feeds = bare_session(config)
        if args.probe:
            print(f"{name}: {probe_threads(session, feeds)}")
        _p90, qps = run_planner(config, session, feeds, "single-stream", 1.0)
        harness = run_loadgen(session, feeds, "SingleStream", 1.0, qps, infer=False)
        single = paired(
            lambda: run_loadgen(session, feeds, "SingleStream", seconds, qps),  # noqa: B023
            lambda: run_planner(config, session, feeds, "single-stream", seconds)[0],  # noqa: B023
            pairs,
        )
        print(f"{name} SingleStream p90 planner / LoadGen: {single.describe()}; "
              f"LoadGen empty-SUT p90 {harness * 1000:.2f} us")  # fmt: skip
        offline = paired(
            lambda: run_loadgen(session, feeds, "Offline", seconds, qps * 1.5),  # noqa: B023
            lambda: run_planner(config, session, feeds, "offline", seconds)[1],  # noqa: B023
            pairs,
        )
        print(f"{name} Offline samples/s planner / LoadGen: {offline.describe()}")


if __name__ == "__main__":
    main()
