"""The queueing estimate from a concurrency sweep, checked against a server-scenario run.

Real ONNX Runtime sessions on the bundled test CNN, in-process backend, short windows
(about 8 s an attempt). The stated error, on the conservative side: at a p90 target of
5 x the sweep's p90, a server run with Poisson arrivals at 80% of the estimated rate
meets the target, so the estimate is at most 25% above what an open-loop server run of
the same set-up sustains. When the estimate kept a regular sweep's low service CV
(Allen-Cunneen with Cs < 1), server runs at the estimated rate missed the target on a
quiet machine (p90 20.9 ms against 18.4 ms at 216/s; 33.9 against 22.7 at 188/s); with
the CV floored at 1 the estimate is lower and passes. On a busy machine open-loop
latencies measure the scheduler, not the model: a sweep whose p90 is more than 1.5 x
its p50 (a quiet run of this model: about 1.05) is measured again, up to three times;
the test is skipped, saying why, when every sweep is that noisy, and fails only when
server runs after quiet sweeps all miss the target.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner.core.plan import MeasuredPoint
from planner.core.run import RunConfig, RunResult
from planner.planning.capacity import sweep_capacity
from planner.profiling.runner import ProfileRunner
from planner.services.plans import measured_points

_QUICK: dict[str, Any] = {
    "warmup_s": 0.05,
    "window_s": 0.1,
    "intra_op_threads": 1,
    "telemetry_period_s": 0.05,
}
_QUIET_TAIL = 1.5  # p90 / p50 of a sweep point taken on a quiet machine is about 1.05


def _run(model: Path, **settings: Any) -> RunResult:
    runner = ProfileRunner(RunConfig(str(model), **(_QUICK | settings)), backend="inprocess")
    runner.start()
    list(runner.messages())
    result = runner.result()
    assert result.status == "completed", result.failure_reason
    return result


def _sweep_point(model: Path) -> MeasuredPoint:
    sweep = _run(
        model, scenario="concurrency", concurrency=(1,), time_budget_s=3.0, point_cap_s=1.0
    )
    (point,) = measured_points(sweep, "this machine")
    return point


def _p90_at_80_percent(model: Path, estimate: float) -> float | None:
    """The server point's p90, or None when a busy machine left too few samples for one."""
    server = _run(
        model, scenario="server", target_rates=(0.8 * estimate,), time_budget_s=5.0, point_cap_s=2.0
    )
    (point,) = measured_points(server, "this machine")
    return point.latency_ms.get("p90")


def test_estimate_is_on_the_conservative_side_of_server_runs(cnn_model_path: Path) -> None:
    misses = []
    for _ in range(3):
        point = _sweep_point(cnn_model_path)
        sweep_p90 = point.latency_ms.get("p90")  # None: too few samples within the cap
        if sweep_p90 is None or sweep_p90 > _QUIET_TAIL * point.latency_ms["p50"]:
            continue  # a busy moment: the sweep itself shows the scheduler's delays
        target_ms = 5.0 * point.latency_ms["p90"]
        estimate = sweep_capacity([point], "p90", target_ms).throughput
        assert 0 < estimate < point.throughput
        p90 = _p90_at_80_percent(cnn_model_path, estimate)
        if p90 is None:
            continue  # too few requests finished within the cap for a p90
        if p90 <= target_ms:
            return
        misses.append((round(estimate), round(p90, 2), round(target_ms, 2)))
    if not misses:
        pytest.skip("machine too busy: every sweep had p90 above 1.5 x p50 or too few samples")
    raise AssertionError(f"(estimate/s, p90 at 80% ms, target ms) missed: {misses}")
