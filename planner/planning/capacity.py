"""Per-unit capacity at a latency target, from measured points or scaled estimates.

Pure functions; any thread. Server-scenario points give capacity directly (highest
throughput whose percentile meets the target). Without them, each concurrency-sweep point
is treated as c parallel slots serving Poisson arrivals: the predicted percentile is the
measured percentile plus the Erlang C / Allen–Cunneen wait at that percentile, and the
capacity is the highest arrival rate that keeps it within the target (an estimate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from planner.core.errors import ScenarioError
from planner.core.plan import HardwareRow, MeasuredPoint, Performance, Provenance
from planner.planning.queueing import wait_quantile

PERCENTILES = {"p50": 0.5, "p90": 0.9, "p95": 0.95, "p99": 0.99, "p99.9": 0.999}
SCALE_BASES = {
    "fp16_flops": ("fp16_tflops", "peak FP16 FLOP/s"),
    "fp32_flops": ("fp32_tflops", "peak FP32 FLOP/s"),
    "memory_bandwidth": ("memory_bw_gbs", "memory bandwidth"),
}


@dataclass(frozen=True)
class CapacityEstimate:
    throughput: float  # inferences/s of one measured set-up meeting the target
    point: MeasuredPoint
    estimated: bool
    method: str


def queueing_capacity(point: MeasuredPoint, percentile: str, target_ms: float) -> float:
    """Highest Poisson inference rate at which the predicted percentile stays within target."""
    service_ms = point.latency_ms.get(percentile)
    if service_ms is None or service_ms > target_ms or point.throughput <= 0:
        return 0.0
    c = max(point.concurrency, 1)
    batch = max(point.batch, 1)
    mu = point.throughput / batch / c  # requests/s per in-flight slot
    cs2 = point.latency_cv**2 if point.latency_cv is not None else 1.0
    budget_s = (target_ms - service_ms) / 1000.0
    q = PERCENTILES[percentile]
    lo, hi = 0.0, c * mu
    for _ in range(3):
        grid = np.linspace(lo, hi, 513)
        ok = wait_quantile(c, grid, mu, q, cs2) <= budget_s
        best = int(np.flatnonzero(ok).max())
        lo, hi = grid[best], grid[min(best + 1, grid.size - 1)]
    return float(lo * batch)


def capacity_from_points(
    points: Sequence[MeasuredPoint], percentile: str, target_ms: float
) -> CapacityEstimate:
    """Capacity of one measured set-up; raises ScenarioError when nothing meets the target."""
    if percentile not in PERCENTILES:
        raise ScenarioError(
            f"latency percentile {percentile!r} unknown; use one of {', '.join(PERCENTILES)}"
        )
    if len({p.machine for p in points}) > 1:
        raise ScenarioError("an option's runs come from several machines; use runs of one machine")
    server = [p for p in points if p.scenario == "server" and percentile in p.latency_ms]
    if server:
        meeting = [p for p in server if p.latency_ms[percentile] <= target_ms]
        if not meeting:
            raise ScenarioError(
                f"no server-scenario point meets {percentile} <= {target_ms:g} ms; "
                "relax the target or measure lower rates"
            )
        best = max(meeting, key=lambda p: p.throughput)
        return CapacityEstimate(best.throughput, best, False, "server scenario, measured")
    sweep = [p for p in points if p.scenario in ("concurrency", "single-stream")]
    if not sweep:
        raise ScenarioError(
            "runs have no server or concurrency points (offline runs have no latency under "
            "load); measure a server scenario or a concurrency sweep"
        )
    rated = [(queueing_capacity(p, percentile, target_ms), p) for p in sweep]
    rate, best = max(rated, key=lambda rp: rp[0])
    if rate <= 0:
        raise ScenarioError(
            f"no concurrency point has {percentile} <= {target_ms:g} ms; "
            "relax the target or measure at lower concurrency"
        )
    cv = "measured latency CV" if best.latency_cv is not None else "CV 1 assumed"
    method = f"queueing estimate: M/G/c Erlang C with Allen-Cunneen ({cv}) from a sweep point"
    return CapacityEstimate(rate, best, True, method)


def measured_performance(
    points: Sequence[MeasuredPoint],
    percentile: str,
    target_ms: float,
    replicas: int,
    host_w: float,
    idle_w: float | None,
) -> Performance:
    """Performance of a unit holding ``replicas`` copies of the measured set-up."""
    est = capacity_from_points(points, percentile, target_ms)
    runs = sorted({p.run_id for p in points})
    prov = [Provenance("measured", f"capacity from runs {', '.join(runs)}: {est.method}")]
    load_w = None
    if est.point.power_w is not None:
        load_w = est.point.power_w * replicas + host_w
        prov.append(
            Provenance(
                "measured",
                f"power {est.point.power_w:.0f} W per replica "
                f"({est.point.energy_method}, run {est.point.run_id})",
            )
        )
    return Performance(
        capacity=est.throughput * replicas,
        load_w=load_w,
        idle_w=idle_w,
        latency_cv=est.point.latency_cv,
        estimated=est.estimated,
        method=est.method,
        provenance=tuple(prov),
    )


def scale_performance(
    perf: Performance, measured: HardwareRow, target: HardwareRow, basis: str
) -> Performance:
    """Estimate capacity on ``target`` from ``measured`` by the ratio of a catalogue figure.

    Power becomes the target's catalogue figures (TDP, idle when known): measured watts
    do not transfer between machines.
    """
    if basis not in SCALE_BASES:
        raise ScenarioError(f"scale_by {basis!r} unknown; use one of {', '.join(SCALE_BASES)}")
    column, label = SCALE_BASES[basis]
    have, want = getattr(measured, column), getattr(target, column)
    if have is None or want is None:
        raise ScenarioError(
            f"{label} unknown for {measured.name if have is None else target.name}; "
            "add it to the hardware catalogue or choose another scale_by"
        )
    ratio = want / have
    detail = (
        f"estimate: capacity scaled by {label} ratio {want:g}/{have:g} = {ratio:.3g} "
        f"({target.name} vs measured {measured.name}); power from catalogue TDP"
    )
    return Performance(
        capacity=perf.capacity * ratio,
        load_w=None,
        idle_w=None,
        latency_cv=perf.latency_cv,
        estimated=True,
        method=detail,
        provenance=(*perf.provenance, Provenance("estimated", detail, target.source, target.date)),
    )
