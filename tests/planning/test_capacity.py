"""Capacity at the latency target: measured server points, queueing estimates, scaling."""

from __future__ import annotations

import pytest
from planning.plan_builders import shipped_catalog

from planner.core.errors import ScenarioError
from planner.core.plan import MeasuredPoint
from planner.planning.capacity import (
    capacity_from_points,
    measured_performance,
    queueing_capacity,
    scale_performance,
)
from planner.planning.queueing import wait_quantile


def _pt(scenario: str, thr: float, p99: float, c: int = 1, machine: str = "m") -> MeasuredPoint:
    return MeasuredPoint(
        "run-1",
        scenario,
        c,
        1,
        None,
        thr,
        {"p99": p99, "mean": p99 / 2},
        0.5,
        200.0,
        "nvml-energy",
        machine,
    )


def test_server_points_pick_highest_meeting_target() -> None:
    points = [_pt("server", 100, 20), _pt("server", 200, 40), _pt("server", 300, 90)]
    est = capacity_from_points(points, "p99", 50.0)
    assert est.throughput == 200 and not est.estimated


def test_nothing_meets_target() -> None:
    with pytest.raises(ScenarioError, match="no server-scenario point meets"):
        capacity_from_points([_pt("server", 100, 80)], "p99", 50.0)
    with pytest.raises(ScenarioError, match="offline"):
        capacity_from_points([_pt("offline", 100, 80)], "p99", 50.0)
    with pytest.raises(ScenarioError, match="several machines"):
        capacity_from_points([_pt("server", 1, 1, machine="a"), _pt("server", 1, 1)], "p99", 5)


def test_queueing_estimate_meets_target_at_its_capacity() -> None:
    # 4 slots, 400 inf/s -> μ = 100/s per slot; p99 service 15 ms; target 100 ms.
    point = _pt("concurrency", 400.0, 15.0, c=4)
    est = capacity_from_points([point], "p99", 100.0)
    assert est.estimated and "Erlang C" in est.method
    assert 0 < est.throughput < 400.0
    predicted = 15.0 + 1000 * float(wait_quantile(4, est.throughput, 100.0, 0.99, cs2=0.25))
    beyond = 15.0 + 1000 * float(wait_quantile(4, est.throughput * 1.01, 100.0, 0.99, cs2=0.25))
    assert predicted <= 100.0 < beyond
    assert queueing_capacity(point, "p99", 200.0) > est.throughput
    assert queueing_capacity(point, "p99", 10.0) == 0.0


def test_measured_performance_replicas_and_power() -> None:
    perf = measured_performance([_pt("server", 100, 20)], "p99", 50.0, 8, 400.0, None)
    # 8 replicas · 100/s; 8 · 200 W + 400 W host.
    assert perf.capacity == 800 and perf.load_w == 2000.0
    assert perf.provenance[0].kind == "measured" and "run-1" in perf.provenance[0].detail


def test_scaled_estimate_uses_catalogue_ratio() -> None:
    cat = shipped_catalog()
    l4, l40s = cat.hardware_row("NVIDIA L4"), cat.hardware_row("NVIDIA L40S")
    base = measured_performance([_pt("server", 100, 20)], "p99", 50.0, 1, 0.0, None)
    est = scale_performance(base, l4, l40s, "fp16_flops")
    # 100/s · 362 / 121 TFLOPS.
    assert est.capacity == pytest.approx(100 * 362 / 121)
    assert est.estimated and est.provenance[-1].kind == "estimated"
    with pytest.raises(ScenarioError, match="scale_by"):
        scale_performance(base, l4, l40s, "vibes")
