"""Per-unit performance of an option: capacity at the latency target and power, with provenance.

Pure functions; any thread. Capacity comes from ``capacity`` (measured, or a labelled
queueing estimate), applied to the option's hardware as ``hardware_match`` allows. Power
is taken, in order, from the run's meter ("measured"; only where the run measured the
option's own hardware), from the user's own unit_power_w, from the run's power estimate
("estimated": a TDP share, again only on the option's own hardware), from a rented
instance's estimated share of a catalogue server (``instance_power``), or from the
hardware catalogue (load and idle, with source and date); each says which. A figure the
user gives outranks every estimate and default, but not a meter. ``host_w`` is added to
load and idle power alike (an instance's estimate applies it itself). Without an idle
figure, idle time is charged at load power, and says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from planner.core.errors import ScenarioError
from planner.core.formatting import watts
from planner.core.plan import (
    Demand,
    MeasuredLoad,
    MeasuredPoint,
    Performance,
    Provenance,
    ProvenanceKind,
    row_provenance,
)
from planner.planning.capacity import (
    CapacityEstimate,
    capacity_from_points,
    one_model,
    scale_performance,
)
from planner.planning.hardware_match import Match, Target
from planner.planning.instance_power import InstancePower
from planner.planning.token_capacity import token_capacity

#: How every provenance line of a unit's load power begins; the plan summary finds the
#: power behind an option's energy by it (a stored plan keeps only its provenance).
POWER = "power:"


@dataclass(frozen=True)
class PowerInputs:
    """What the option says about power: replicas, extra host watts, idle and nameplate."""

    replicas: int
    host_w: float
    idle_w: float | None  # set by the user
    nameplate_w: float | None  # on-prem unit_power_w when the user set it
    instance: InstancePower | None = None  # a cloud instance's estimate, host_w applied


@dataclass(frozen=True)
class Power:
    load_w: float | None
    idle_w: float | None
    provenance: tuple[Provenance, ...]
    measured: MeasuredLoad | None = None  # load_w came from a run's meter or TDP estimate


def _measured_power(est: CapacityEstimate, power: PowerInputs) -> Power | None:
    point = est.point
    if point.power_w is None:
        return None
    load = point.power_w * power.replicas + power.host_w
    how = "estimated" if point.energy_estimated else "measured"
    detail = (
        f"{POWER} {how} {watts(point.power_w)} per replica ({point.energy_method}, run "
        f"{point.run_id[:8]}) x {power.replicas} + host {watts(power.host_w)} = {watts(load)}"
    )
    if point.energy_estimated and point.energy_detail:
        detail += f"; {point.energy_detail}"
    kind: ProvenanceKind = "estimated" if point.energy_estimated else "measured"
    found = _with_idle(load, None, power, (Provenance(kind, detail),))
    source = MeasuredLoad(load, point.energy_method, point.run_id, point.energy_estimated)
    return dataclasses.replace(found, measured=source)


def _catalogue_power(target: Target, power: PowerInputs) -> Power | None:
    row = target.row
    if row is None:
        return None
    load = row.power_w * target.count + power.host_w
    idle = None if row.idle_w is None else row.idle_w * target.count + power.host_w
    count = f"{target.count} x " if target.count > 1 else ""
    detail = f"{POWER} catalogue nameplate {count}{watts(row.power_w)} ({row.name})"
    if idle is not None:
        detail += f", idle {count}{watts(row.idle_w)}"
    if power.host_w:
        detail += f", + host {watts(power.host_w)}"
    return _with_idle(load, idle, power, (row_provenance(row, detail),))


def _instance_power(power: PowerInputs) -> Power | None:
    """A cloud instance's share of a catalogue server, or why it has none."""
    share = power.instance
    if share is None:
        return None
    if share.load_w is None:
        return Power(None, None, (share.provenance,))
    prov = dataclasses.replace(share.provenance, detail=f"{POWER} {share.provenance.detail}")
    return _with_idle(share.load_w, share.idle_w, power, (prov,))


def _nameplate_power(power: PowerInputs) -> Power | None:
    if power.nameplate_w is None:
        return None
    load = power.nameplate_w + power.host_w
    detail = (
        f"{POWER} nameplate unit_power_w {watts(power.nameplate_w)} + host {watts(power.host_w)} "
        "at full load (set in the option; no meter reading of this hardware)"
    )
    return _with_idle(load, None, power, (Provenance("user", detail),))


def _with_idle(
    load: float, idle: float | None, power: PowerInputs, prov: tuple[Provenance, ...]
) -> Power:
    if power.idle_w is not None:
        note = Provenance("user", f"idle power {watts(power.idle_w)} per unit (idle_w)")
        return Power(load, power.idle_w, (*prov, note))
    if idle is None:
        note = Provenance(
            "estimated", "idle power unknown: idle time charged at load power (conservative)"
        )
        return Power(load, load, (*prov, note))
    return Power(load, idle, prov)


def unit_power(est: CapacityEstimate, how: Match, target: Target, power: PowerInputs) -> Power:
    """Load and idle watts per unit and where they come from (see the module docstring)."""
    measured = _measured_power(est, power) if how.how == "measured" else None
    if measured is not None and not est.point.energy_estimated:
        return measured
    found = (
        _nameplate_power(power)
        or measured
        or _instance_power(power)
        or _catalogue_power(target, power)
    )
    if found is not None:
        return found
    return Power(None, None, (Provenance("estimated", "energy not estimated: no power figure"),))


def _capacity(points: Sequence[MeasuredPoint], demand: Demand) -> CapacityEstimate:
    """Requests per second one unit serves: token targets for a generative demand.

    A measured model that warns about itself (planner's sample decoder: random weights,
    for timing only), and a run measured at input sizes planner assumed, pass that on to
    the plan as warnings.
    """
    if demand.tokens is not None:
        one_model(points)
        est = token_capacity(points, demand.tokens, demand.latency_percentile)
    elif any(p.tokens is not None for p in points):
        raise ScenarioError(
            "the option's runs are generative: give input_tokens_per_request, "
            "output_tokens_per_request and ttft_target_ms or tpot_target_ms under [demand]"
        )
    else:
        est = capacity_from_points(points, demand.latency_percentile, demand.latency_target_ms)
    notes = tuple(
        f"the measured model says of itself: {note}"
        for note in dict.fromkeys(p.model_note for p in points if p.model_note)
    ) + tuple(
        f"run {run[:8]} measured at input sizes planner assumed ({dims}; * assumed): "
        "measure at your real sizes to confirm"
        for run, dims in dict.fromkeys((p.run_id, p.assumed_dims) for p in points if p.assumed_dims)
    )
    return dataclasses.replace(est, warnings=(*est.warnings, *notes)) if notes else est


def unit_performance(
    points: Sequence[MeasuredPoint],
    demand: Demand,
    target: Target,
    how: Match,
    power: PowerInputs,
    scale_by: str | None,
) -> Performance:
    """Capacity and power of one unit of ``target`` from the option's measured points."""
    est = _capacity(points, demand)
    runs = sorted({p.run_id for p in points})
    # A queueing estimate rests on measured points but is not itself measured.
    kind: ProvenanceKind = "estimated" if est.estimated else "measured"
    prov = [Provenance(kind, f"capacity from runs {', '.join(runs)}: {est.method}")]
    warnings = list(est.warnings)
    if est.estimated:
        warnings.append(f"capacity is an estimate ({est.method.split(':')[0]}), not measured")
    if how.warning is not None:
        warnings.append(how.warning)
        prov.append(Provenance("user", how.warning))
    perf = Performance(
        capacity=est.throughput * power.replicas,
        load_w=None,
        idle_w=None,
        latency_cv=est.point.latency_cv,
        estimated=est.estimated,
        method=est.method,
        provenance=tuple(prov),
        warnings=tuple(warnings),
    )
    if how.how == "scaled":
        if how.measured_row is None or target.row is None or scale_by is None:
            raise ScenarioError("scale_by needs measured_on and the option's hardware")
        perf = scale_performance(perf, how.measured_row, target.row, scale_by)
        note = f"capacity scaled to {target.label}: {perf.method}"
        perf = dataclasses.replace(perf, warnings=(*perf.warnings, note))
    found = unit_power(est, how, target, power)
    return dataclasses.replace(
        perf,
        load_w=found.load_w,
        idle_w=found.idle_w,
        provenance=(*perf.provenance, *found.provenance),
        measured_load=found.measured,
    )
