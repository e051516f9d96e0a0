"""Capacity at the latency target: the monotone envelope of server points, UNSTABLE points,
queueing estimates flagged against measurements, power per unit, and scaling."""

from __future__ import annotations

import dataclasses

import pytest
from planning.plan_builders import shipped_catalog

from planner.core.errors import ScenarioError
from planner.core.plan import Demand, MeasuredPoint
from planner.planning.capacity import capacity_from_points, queueing_capacity, scale_performance
from planner.planning.hardware_match import Match, Target
from planner.planning.performance import PowerInputs, unit_performance
from planner.planning.queueing import wait_quantile


def _pt(
    scenario: str,
    thr: float,
    p99: float,
    c: int = 1,
    machine: str = "m",
    stable: bool = True,
    rate: float | None = None,
) -> MeasuredPoint:
    return MeasuredPoint(
        "run-1",
        scenario,
        c,
        1,
        rate,
        thr,
        {"p99": p99, "mean": p99 / 2},
        0.5,
        200.0,
        "nvml-energy",
        machine,
        stable=stable,
        device="NVIDIA L4",
    )


def _demand(target_ms: float) -> Demand:
    return Demand(10.0, 1.0, 0.0, 12, "p99", target_ms)


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
    # The point's CV is 0.5 (Cs² 0.25) but the service CV is floored at 1: Cs² = 1.
    predicted = 15.0 + 1000 * float(wait_quantile(4, est.throughput, 100.0, 0.99, cs2=1.0))
    beyond = 15.0 + 1000 * float(wait_quantile(4, est.throughput * 1.01, 100.0, 0.99, cs2=1.0))
    assert predicted <= 100.0 < beyond
    assert queueing_capacity(point, "p99", 200.0) > est.throughput
    assert queueing_capacity(point, "p99", 10.0) == 0.0


def test_envelope_needs_every_lower_rate_to_meet_the_target() -> None:
    # The case at a 5 ms target: 500/s and 1,000/s missed, 1,957/s met. The lowest
    # rate misses, so no rate is defended: refused, instead of taking the lucky 1,957/s.
    points = [
        _pt("server", 500, 6.1, rate=500),
        _pt("server", 1000, 5.4, rate=1000),
        _pt("server", 1957, 4.9, rate=1957),
    ]
    with pytest.raises(ScenarioError, match="lowest measured server rate, 500/s, misses"):
        capacity_from_points(points, "p99", 5.0)
    # 100 met, 200 missed, 300 met: capacity is 100/s; the 300/s point is named, not used.
    lucky = [_pt("server", t, p, rate=t) for t, p in ((100, 4.0), (200, 6.0), (300, 4.5))]
    est = capacity_from_points(lucky, "p99", 5.0)
    assert est.throughput == 100 and any("met p99 <= 5 ms again" in w for w in est.warnings)


def test_unstable_points_never_set_capacity_silently() -> None:
    # 9.76 ms against 10 ms meets, but the point is UNSTABLE: the stable 100/s is used.
    points = [_pt("server", 100, 5.0, rate=100), _pt("server", 200, 9.76, rate=200, stable=False)]
    est = capacity_from_points(points, "p99", 10.0)
    assert est.throughput == 100 and "UNSTABLE" in est.warnings[0]
    # An unstable miss still caps capacity (conservative).
    capped = points[:1] + [_pt("server", 150, 12.0, rate=150, stable=False)] + points[1:]
    assert capacity_from_points(capped, "p99", 10.0).throughput == 100
    # Only unstable points meet: used, with a warning that says so.
    alone = capacity_from_points([points[1]], "p99", 10.0)
    assert alone.throughput == 200 and "rests on an UNSTABLE" in alone.warnings[0]


def test_an_estimate_above_the_measurement_is_flagged() -> None:
    # Sweep point: 4 slots at 400/s, p99 15 ms; with a 100 ms target the queueing estimate
    # is far above the 120/s the server run defends (it missed at 240/s).
    sweep = _pt("concurrency", 400.0, 15.0, c=4)
    server = [_pt("server", 120, 60.0, rate=120), _pt("server", 240, 140.0, rate=240)]
    estimate = capacity_from_points([sweep], "p99", 100.0).throughput
    est = capacity_from_points([sweep, *server], "p99", 100.0)
    assert est.throughput == 120 and not est.estimated
    share = estimate / 120 - 1
    assert f"{share:.0%} above the measured server capacity" in est.warnings[-1]


def test_unit_performance_replicas_and_power() -> None:
    target = Target("NVIDIA L4 server", "NVIDIA L4", None)
    power = PowerInputs(replicas=8, host_w=400.0, idle_w=None, nameplate_w=None)
    perf = unit_performance(
        [_pt("server", 100, 20)], _demand(50.0), target, Match("measured"), power, None
    )
    # 8 replicas · 100/s; 8 · 200 W + 400 W host; no idle figure -> idle at load power.
    assert perf.capacity == 800 and perf.load_w == 2000.0 and perf.idle_w == 2000.0
    assert perf.provenance[0].kind == "measured" and "run-1" in perf.provenance[0].detail
    assert any("idle time charged at load power" in p.detail for p in perf.provenance)


def test_catalogue_power_when_the_run_is_only_representative() -> None:
    row = shipped_catalog().hardware_row("2x NVIDIA L40S server")
    target = Target(row.name, row.device, row)
    power = PowerInputs(replicas=2, host_w=50.0, idle_w=None, nameplate_w=None)
    how = Match("representative", warning="representative")
    perf = unit_performance([_pt("server", 100, 20)], _demand(50.0), target, how, power, None)
    # The measured 200 W does not transfer: catalogue 1400 W load, 420 W idle, + 50 W host.
    assert perf.load_w == 1450.0 and perf.idle_w == 470.0
    assert perf.capacity == 200 and "representative" in perf.warnings


def test_scaled_estimate_uses_catalogue_ratio_per_device() -> None:
    cat = shipped_catalog()
    l4, l40s = cat.hardware_row("NVIDIA L4"), cat.hardware_row("NVIDIA L40S")
    power = PowerInputs(replicas=1, host_w=0.0, idle_w=None, nameplate_w=None)
    target = Target(l40s.name, l40s.device, l40s)
    base = unit_performance(
        [_pt("server", 100, 20)], _demand(50.0), target, Match("measured"), power, None
    )
    est = scale_performance(base, l4, l40s, "fp16_flops")
    # 100/s · 362 / 121 TFLOPS.
    assert est.capacity == pytest.approx(100 * 362 / 121)
    assert est.estimated and est.provenance[-1].kind == "estimated"
    # A server row's figure is per device: 724 TFLOPS over 2 GPUs is 362 per GPU.
    server = cat.hardware_row("2x NVIDIA L40S server")
    assert scale_performance(base, l4, server, "fp16_flops").capacity == pytest.approx(est.capacity)
    with pytest.raises(ScenarioError, match="scale_by"):
        scale_performance(base, l4, l40s, "vibes")


def test_runs_of_different_models_are_refused_in_one_line() -> None:
    def of(run: str, name: str, sha: str, thr: float) -> MeasuredPoint:
        point = dataclasses.replace(_pt("server", thr, 10.0), run_id=run)
        return dataclasses.replace(point, model_name=name, model_sha256=sha)

    cnn = of("aaaaaaaa-1", "cnn", "c" * 64, 100.0)
    mlp = of("bbbbbbbb-2", "mlp", "d" * 64, 900.0)
    with pytest.raises(ScenarioError) as refused:
        capacity_from_points([cnn, mlp], "p99", 50.0)
    message = str(refused.value)
    assert message == (
        "an option's runs measure different models: run aaaaaaaa measured cnn (sha256 "
        "cccccccccccc), run bbbbbbbb measured mlp (sha256 dddddddddddd); use runs of one model"
    )
    # Two runs of the same file (renamed between runs) stay one model: 900/s is used.
    again = dataclasses.replace(mlp, model_sha256="c" * 64, model_name="cnn-v2")
    assert capacity_from_points([cnn, again], "p99", 50.0).throughput == 900.0
