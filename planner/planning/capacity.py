"""Capacity of one measured set-up at a latency target, and its scaling to other hardware.

Pure functions; any thread. Server-scenario points give capacity directly: the highest
rate that meets the target with every lower measured rate (a monotone envelope, so one
lucky point above a miss does not count). Without them, each concurrency-sweep point
is treated as c parallel slots serving Poisson arrivals: the predicted percentile is the
measured percentile plus the Erlang C / Allen–Cunneen wait at that percentile, and the
capacity is the highest arrival rate that keeps it within the target (an estimate).
UNSTABLE points never set capacity silently: they are left out, or used with a warning.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from planner.core.errors import ScenarioError
from planner.core.formatting import rate
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
    warnings: tuple[str, ...] = ()


def queueing_capacity(point: MeasuredPoint, percentile: str, target_ms: float) -> float:
    """Highest Poisson inference rate at which the predicted percentile stays within target."""
    service_ms = point.latency_ms.get(percentile)
    if service_ms is None or service_ms > target_ms or point.throughput <= 0:
        return 0.0
    c = max(point.concurrency, 1)
    batch = max(point.batch, 1)
    mu = point.throughput / batch / c  # requests/s per in-flight slot
    # Service CV floored at 1 (M/M/c): measured CVs below 1 made the Allen-Cunneen tail
    # optimistic against server-scenario runs of the same set-up (test_queueing_validation).
    cs2 = max(point.latency_cv**2 if point.latency_cv is not None else 1.0, 1.0)
    budget_s = (target_ms - service_ms) / 1000.0
    q = PERCENTILES[percentile]
    lo, hi = 0.0, c * mu
    for _ in range(3):
        grid = np.linspace(lo, hi, 513)
        ok = wait_quantile(c, grid, mu, q, cs2) <= budget_s
        best = int(np.flatnonzero(ok).max())
        lo, hi = grid[best], grid[min(best + 1, grid.size - 1)]
    return float(lo * batch)


def offered_rate(point: MeasuredPoint) -> float:
    """The arrival rate a server point was measured at (its throughput when none was set)."""
    return point.target_rate if point.target_rate is not None else point.throughput


def server_capacity(
    points: Sequence[MeasuredPoint], percentile: str, target_ms: float
) -> CapacityEstimate:
    """Monotone envelope of server points: the highest rate that, with every lower measured
    rate, meets the target. A miss caps capacity below it even if a higher rate met the
    target again (one lucky point is not a capacity). UNSTABLE points count as misses when
    they miss, and set capacity only when no stable point meets the target (with a warning).
    """
    ordered = sorted(points, key=offered_rate)
    meets = [p.latency_ms[percentile] <= target_ms for p in ordered]
    first_miss = meets.index(False) if False in meets else len(ordered)
    defended = ordered[:first_miss]
    label = f"{percentile} <= {target_ms:g} ms"
    if not any(meets):
        raise ScenarioError(
            f"no server-scenario point meets {label}; relax the target or measure lower rates"
        )
    if not defended:
        low = ordered[0]
        raise ScenarioError(
            f"the lowest measured server rate, {offered_rate(low):g}/s, misses {label} "
            f"({low.latency_ms[percentile]:.3g} ms); measure lower rates or relax the target"
        )
    warnings: list[str] = []
    stable = [p for p in defended if p.stable]
    best = max(stable or defended, key=lambda p: p.throughput)
    if not stable:
        warnings.append(
            f"capacity rests on an UNSTABLE server point ({rate(best.throughput)}, run "
            f"{best.run_id[:8]}): its figures did not settle; measure it again"
        )
    elif any(not p.stable and p.throughput > best.throughput for p in defended):
        warnings.append(
            f"a higher UNSTABLE server point was left out; capacity is the highest stable "
            f"point ({rate(best.throughput)})"
        )
    if any(meets[first_miss:]):
        warnings.append(
            f"a server rate above {offered_rate(ordered[first_miss]):g}/s met {label} again "
            "after a miss; not used (capacity is the highest rate with every lower rate meeting "
            "the target)"
        )
    method = f"server scenario, measured: highest rate meeting {label} at every lower rate"
    if first_miss == len(ordered):
        method += " (every measured rate met it; capacity may be higher)"
    return CapacityEstimate(best.throughput, best, False, method, tuple(warnings))


def sweep_capacity(
    points: Sequence[MeasuredPoint], percentile: str, target_ms: float
) -> CapacityEstimate:
    """Queueing estimate from a concurrency sweep (stable points first), labelled an estimate."""
    usable = [p for p in points if p.stable] or list(points)
    rated = [(queueing_capacity(p, percentile, target_ms), p) for p in usable]
    rate, best = max(rated, key=lambda rp: rp[0])
    if rate <= 0:
        raise ScenarioError(
            f"no concurrency point has {percentile} <= {target_ms:g} ms; "
            "relax the target or measure at lower concurrency"
        )
    method = (
        "queueing estimate: Erlang C with Allen-Cunneen (service CV at least 1) from a "
        f"concurrency-{best.concurrency} sweep point"
    )
    warnings = () if best.stable else ("the sweep point behind the estimate is UNSTABLE",)
    return CapacityEstimate(rate, best, True, method, warnings)


def one_model(points: Sequence[MeasuredPoint]) -> None:
    """Refuse, in one line naming them, runs that measured different models.

    An option's capacity is taken from the best of its points; runs of two models would
    size one model's fleet with the other's speed. Points without a sha256 (built by a
    caller that did not say) are not compared.
    """
    models: dict[str, tuple[str, str]] = {}
    for p in points:
        if p.model_sha256:
            models.setdefault(p.run_id, (p.model_name or "unnamed model", p.model_sha256))
    if len({sha for _, sha in models.values()}) > 1:
        runs = ", ".join(
            f"run {run[:8]} measured {name} (sha256 {sha[:12]})"
            for run, (name, sha) in models.items()
        )
        raise ScenarioError(
            f"an option's runs measure different models: {runs}; use runs of one model"
        )


def capacity_from_points(
    points: Sequence[MeasuredPoint], percentile: str, target_ms: float
) -> CapacityEstimate:
    """Capacity of one measured set-up; raises ScenarioError when nothing meets the target.

    Measured server points beat a queueing estimate; where both exist, an estimate more
    than 10% above the measurement is named in a warning, since it contradicts it.
    """
    if percentile not in PERCENTILES:
        raise ScenarioError(
            f"latency percentile {percentile!r} unknown; use one of {', '.join(PERCENTILES)}"
        )
    one_model(points)
    if len({p.machine for p in points}) > 1:
        raise ScenarioError("an option's runs come from several machines; use runs of one machine")
    server = [p for p in points if p.scenario == "server" and percentile in p.latency_ms]
    sweep = [p for p in points if p.scenario in ("concurrency", "single-stream")]
    if server:
        measured = server_capacity(server, percentile, target_ms)
        return _flag_estimate(measured, sweep, percentile, target_ms)
    if not sweep:
        raise ScenarioError(
            "runs have no server or concurrency points (offline runs have no latency under "
            "load); measure a server scenario or a concurrency sweep"
        )
    return sweep_capacity(sweep, percentile, target_ms)


def _flag_estimate(
    measured: CapacityEstimate,
    sweep: Sequence[MeasuredPoint],
    percentile: str,
    target_ms: float,
) -> CapacityEstimate:
    if not sweep:
        return measured
    try:
        estimate = sweep_capacity(sweep, percentile, target_ms).throughput
    except ScenarioError:
        return measured
    if estimate <= measured.throughput * 1.1:
        return measured
    note = (
        f"the queueing estimate from the sweep ({rate(estimate)}) is "
        f"{estimate / measured.throughput - 1:.0%} above the measured server capacity "
        f"({rate(measured.throughput)}); the measurement is used"
    )
    return dataclasses.replace(measured, warnings=(*measured.warnings, note))


def _per_device(row: HardwareRow, column: str) -> float | None:
    """A catalogue figure per GPU (server rows hold the sum over their GPUs)."""
    value: float | None = getattr(row, column)
    return None if value is None else value / max(row.gpu_count, 1)


def scale_performance(
    perf: Performance, measured: HardwareRow, target: HardwareRow, basis: str
) -> Performance:
    """Estimate capacity on ``target`` from ``measured`` by the ratio of a catalogue figure.

    The ratio is per device (a server row's figure divided by its GPU count), so
    ``replicas_per_unit`` keeps meaning copies of the measured set-up in one unit. Power
    is left to the caller: measured watts do not transfer between machines.
    """
    if basis not in SCALE_BASES:
        raise ScenarioError(f"scale_by {basis!r} unknown; use one of {', '.join(SCALE_BASES)}")
    column, label = SCALE_BASES[basis]
    have, want = _per_device(measured, column), _per_device(target, column)
    if have is None or want is None:
        raise ScenarioError(
            f"{label} unknown for {measured.name if have is None else target.name}; "
            "add it to the hardware catalogue or choose another scale_by"
        )
    ratio = want / have
    detail = (
        f"estimate: capacity scaled by {label} per device {want:g}/{have:g} = {ratio:.3g} "
        f"({target.name} vs measured {measured.name})"
    )
    return dataclasses.replace(
        perf,
        capacity=perf.capacity * ratio,
        estimated=True,
        method=detail,
        provenance=(*perf.provenance, Provenance("estimated", detail, target.source, target.date)),
    )
