"""Slow models: points complete with what their samples support, the budget holds.

The property test drives :func:`measure_point` with a run function that sleeps (no CPU,
so it can span 0.01 ms to 2 s per inference without loading the machine); the rest run
real ONNX Runtime sessions on convolution models built to take ~0.3 s and ~2 s.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

from planner.core.run import EnergyResult, FailureKind, RunConfig, RunResult
from planner.models.builders import save_model
from planner.models.class_builders import build_slow_conv
from planner.profiling.arrivals import poisson_schedule
from planner.profiling.measure import PointContext, PointSpec, measure_point
from planner.profiling.runner import ProfileRunner
from planner.profiling.stability import Verdict

LATENCIES_S = (1e-5, 1e-3, 0.05, 0.3, 2.0)
SPECS = (
    PointSpec("single-stream", 1, 1),
    PointSpec("concurrency", 1, 2),
    PointSpec("server", 1, 2, 5.0),
)


def _sleeper(latency_s: float):
    def run(_outputs, _feeds):
        time.sleep(latency_s)

    return run


@pytest.mark.parametrize("latency_s", LATENCIES_S)
@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.label)
def test_any_latency_gives_a_point_with_p50_and_throughput(
    latency_s: float, spec: PointSpec
) -> None:
    config = RunConfig("unused.onnx", warmup_s=0.02, window_s=0.05, point_cap_s=0.4)
    ctx = PointContext(
        run=_sleeper(latency_s),
        feeds={"x": np.zeros(1, dtype=np.float32)},
        config=config,
        sampler=None,
        energy=lambda _t, _n, _d: EnergyResult("unavailable"),
        should_stop=lambda: False,
        on_window=lambda _report: None,
    )
    started = time.perf_counter()
    point = measure_point(spec, ctx, cap_s=0.4)
    measured_s = time.perf_counter() - started
    assert point is not None
    if spec.target_rate is not None and point.stats.count == 0:
        # Arrivals are due on window time only (the gaps between windows are left out),
        # so a loaded machine can spend the cap before its windows reach the first
        # arrival. Real runs never meet this: point_cap_s stretches a server point's cap
        # to the arrivals its percentile needs. Assert that this is what happened.
        first_due_s = poisson_schedule(spec.target_rate, 1, config.seed)[0] / 1e9
        assert point.windows * config.window_s <= first_due_s + 1e-3
        return
    assert point.stats.p50 is not None and point.throughput_ips > 0
    assert point.stats.count == point.samples_ms.size >= 1
    warm_s = latency_s * max(1, min(3, int(np.ceil(1.0 / latency_s))))
    # Never more than half an inference past the cap (plus scheduling slack).
    assert measured_s <= warm_s + max(0.4, latency_s) + 0.5 * latency_s + 0.3
    if spec.scenario != "server":
        assert not point.stop_reason.startswith("overloaded")


def test_stop_reason_of_an_overrun_stream_point_is_no_type_error() -> None:
    # Issue 10, item 1: a 270 ms single-stream point formatted target_rate=None.
    from planner.profiling.measure import _stop_reason

    verdict = Verdict(False, 1.0, 0.5, 0.5, "3 of 64 samples")
    reason = _stop_reason(verdict, 0.9, 10.0, 5, PointSpec("single-stream", 1, 1), 0.3)
    assert reason is None
    capped = _stop_reason(verdict, 9.9, 10.0, 5, PointSpec("single-stream", 1, 1), 0.3)
    assert capped is not None and capped.startswith("time cap 10 s")


@pytest.fixture(scope="module")
def slow_300ms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_model(build_slow_conv(832), tmp_path_factory.mktemp("slow") / "slow_300ms.onnx")


def _one_inference_s(path: Path, side: int = 832) -> float:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feeds = {"image": np.zeros((1, 3, side, side), dtype=np.float32)}
    session.run(None, feeds)
    started = time.perf_counter()
    session.run(None, feeds)
    return time.perf_counter() - started


def _profiled(config: RunConfig) -> tuple[RunResult, float]:
    """The run's result and the seconds it took."""
    started = time.monotonic()
    result = ProfileRunner(config, backend="inprocess").result()
    return result, time.monotonic() - started


def test_a_300_ms_model_completes_within_its_budget(slow_300ms: Path) -> None:
    config = RunConfig(str(slow_300ms), time_budget_s=8.0, point_cap_s=3.0)
    result, elapsed = _profiled(config)
    assert result.status == "completed", result.failure_reason
    [point] = result.points
    assert point.stats.p50 is not None and point.stats.p50 > 50
    assert point.throughput_ips > 0 and point.stats.p90 is None
    assert elapsed <= config.time_budget_s + 1.0
    assert any("p90 needs 64 samples: give --point-cap" in note for note in result.notes)


def test_a_2_s_model_completes_within_its_budget(tmp_path: Path) -> None:
    """About 2 s per inference here; the budget and cap follow what one inference takes
    right now, so a busy machine (5-10 s per inference) stretches them instead of
    turning the run into an over-budget failure."""
    model = save_model(build_slow_conv(1664), tmp_path / "slow_2s.onnx")
    latency = _one_inference_s(model, side=1664)
    config = RunConfig(
        str(model), time_budget_s=max(20.0, 8 * latency), point_cap_s=max(5.0, 2.5 * latency)
    )
    result, elapsed = _profiled(config)
    assert result.status == "completed", result.failure_reason
    [point] = result.points
    assert point.stats.p50 is not None and point.stats.p50 > 300
    assert point.throughput_ips > 0 and point.stats.p90 is None
    # At most one inference past the budget: the last sample is never cut short.
    assert elapsed <= config.time_budget_s + point.stats.p50 / 1000 + 1.0
    assert any("p90 needs 64 samples: give --point-cap" in note for note in result.notes)


def test_a_model_slower_than_the_budget_fails_promptly_never_completes(slow_300ms: Path) -> None:
    latency = _one_inference_s(slow_300ms)
    config = RunConfig(str(slow_300ms), time_budget_s=0.25 * latency, point_cap_s=3.0)
    started = time.monotonic()
    result = ProfileRunner(config, backend="inprocess").result()
    assert time.monotonic() - started < 2.0 * latency + 1.0
    assert result.status == "failed" and result.failure_kind == FailureKind.BUDGET
    assert result.failure_reason.startswith("slower than the budget: one inference did not")
    assert result.points == () and result.model_name == "slow_300ms"


def test_no_point_fitting_the_budget_is_a_failure_with_the_budget_to_give(
    slow_300ms: Path,
) -> None:
    # Room for the first inference, not for a point (warm-up and a sample): was
    # "completed" with 0 points and exit 0 (issue 12, item 5).
    latency = _one_inference_s(slow_300ms)
    config = RunConfig(str(slow_300ms), time_budget_s=1.6 * latency + 0.1, point_cap_s=3.0)
    result = ProfileRunner(config, backend="inprocess").result()
    assert result.status == "failed" and result.failure_kind == FailureKind.BUDGET
    assert "no point fitted in the" in result.failure_reason
    assert "give --budget" in result.failure_reason and result.points == ()
