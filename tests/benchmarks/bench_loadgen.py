"""Benchmark: planner vs MLPerf LoadGen on the same model and session settings.

Goals: SingleStream p90 within ±5% of LoadGen's; Offline samples/s >= LoadGen's.
LoadGen's SUT calls the same kind of session with the same options and feeds; its logs go
to a temporary folder with the trace disabled, and ``offline_expected_qps`` is set above
the real throughput (measured first) so the Offline run is valid. Run:
``python tests/benchmarks/bench_loadgen.py [--quick]``.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

import mlperf_loadgen as lg
import numpy as np
from _models import bare_session, build_models

from planner.core.run import RunConfig
from planner.profiling.runner import ProfileRunner

SAMPLES = 1024


def _summary_value(outdir: str, label: str) -> float:
    text = (Path(outdir) / "mlperf_log_summary.txt").read_text()
    match = re.search(rf"^{re.escape(label)}\s*:\s*([0-9.e+]+)", text, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"{label!r} not in LoadGen summary")
    return float(match.group(1))


def run_loadgen(
    config: RunConfig, scenario: str, seconds: float, expected_qps: float, infer: bool = True
) -> float:
    """LoadGen's SingleStream p90 (ms) or Offline samples/s.

    With ``infer=False`` the SUT answers at once without running the model: its p90 is
    LoadGen's own per-query cost (the Python callback and completion round trip), which
    the SingleStream comparison subtracts so that both sides time the same inference.
    """
    session, feeds = bare_session(config)

    def issue(queries: list) -> None:
        for query in queries:
            if infer:
                session.run(None, feeds)
            if scenario == "SingleStream":
                lg.QuerySamplesComplete([lg.QuerySampleResponse(query.id, 0, 0)])
        if scenario == "Offline":
            lg.QuerySamplesComplete([lg.QuerySampleResponse(q.id, 0, 0) for q in queries])

    settings = lg.TestSettings()
    settings.scenario = getattr(lg.TestScenario, scenario)
    settings.mode = lg.TestMode.PerformanceOnly
    settings.min_duration_ms = int(seconds * 1000)
    settings.min_query_count = 100 if scenario == "SingleStream" else 1
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
    if scenario == "SingleStream":
        return _summary_value(outdir, "90.00 percentile latency (ns)") / 1e6
    return _summary_value(outdir, "Samples per second")


def run_planner(config: RunConfig) -> tuple[float, float]:
    """Planner's p90 (ms) and throughput (inferences/s) for one point."""
    point = ProfileRunner(config, backend="inprocess").result().points[0]
    return float(np.percentile(point.samples_ms, 90)), point.throughput_ips


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="3 s per run instead of 10 s")
    parser.add_argument("--threads", type=int, default=None, help="intra-op threads")
    args = parser.parse_args()
    seconds = 3.0 if args.quick else 10.0
    print(f"seconds per run={seconds} intra_op_threads={args.threads}")
    for name, path in build_models().items():
        base = dict(intra_op_threads=args.threads, time_budget_s=seconds + 30)
        single = RunConfig(str(path), point_cap_s=seconds, ci_tolerance=0.0, **base)
        p90, qps = run_planner(single)
        lg_p90 = run_loadgen(single, "SingleStream", seconds, qps)
        harness = run_loadgen(single, "SingleStream", min(seconds, 3.0), qps, infer=False)
        print(f"{name} SingleStream p90: planner {p90:.4f} ms, LoadGen {lg_p90:.4f} ms, "
              f"diff {100 * (p90 / lg_p90 - 1):+.1f}%; LoadGen empty-SUT p90 "
              f"{harness * 1000:.2f} us, diff without it "
              f"{100 * (p90 / (lg_p90 - harness) - 1):+.1f}%")  # fmt: skip
        offline = RunConfig(str(path), scenario="offline", point_cap_s=seconds, **base)
        _p90, planner_qps = run_planner(offline)
        lg_qps = run_loadgen(offline, "Offline", seconds, planner_qps * 1.2)
        print(f"{name} Offline samples/s: planner {planner_qps:.1f}, LoadGen {lg_qps:.1f}, "
              f"ratio {planner_qps / lg_qps:.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
