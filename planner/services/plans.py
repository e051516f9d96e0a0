"""Compute a plan from a scenario file and the measured runs it names, and store both.

Runs on the thread that owns the connection (CLI main thread, GUI thread). Measured
points come from storage and are handed to the pure planning engine as
:class:`MeasuredPoint`; a run reference in a scenario may be a full id, a unique prefix,
or ``latest`` (the newest completed run in the database).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path

from planner import __version__
from planner.core.errors import ScenarioError
from planner.core.files import read_user_text
from planner.core.formatting import dims_text
from planner.core.latency import LatencyStats
from planner.core.machine import Inventory
from planner.core.plan import MeasuredPoint, TokenFigures
from planner.core.plan_result import PlanResult
from planner.core.plan_summary import PlanSummary
from planner.core.run import PointResult, RunResult, RunStatus, Scenario
from planner.planning.engine import compute_plan
from planner.planning.resolve import resolve_scenario
from planner.planning.scenario_file import ScenarioSpec, parse_scenario
from planner.planning.summary import plan_summary as summarize
from planner.profiling.energy import GPU_PROVIDERS
from planner.services.catalogs import load_catalog
from planner.storage.database import OpenedDatabase
from planner.storage.machines import MachineRepository
from planner.storage.models import ModelRepository
from planner.storage.plans import PlanRepository
from planner.storage.runs import RunRepository

GENERATIVE = Scenario.GENERATIVE.value
LATEST = "latest"


@dataclass(frozen=True)
class ComputedPlan:
    scenario_id: str
    plan_id: str
    run_ids: tuple[str, ...]
    result: PlanResult


def measured_points(
    run: RunResult,
    machine: str,
    device: str = "",
    model_note: str = "",
    context_length: int | None = None,
) -> list[MeasuredPoint]:
    """The points of a stored run in the form the planning engine reads.

    ``device`` names what ran the model (a GPU model, or "CPU: <model>"), so that planning
    can refuse to size other hardware with this run unless the scenario says how;
    ``model_note`` is what the model says of itself, which the plan repeats, and
    ``context_length`` a decoder's longest sequence, which a token demand must fit.
    """
    return [
        dataclasses.replace(
            _measured(run.id, point, machine, device),
            model_note=model_note,
            context_length=context_length,
        )
        for point in run.points
    ]


def _decoder_facts(models: ModelRepository, run: RunResult) -> tuple[str, int | None]:
    """What a generative model folder says of itself ("random weights: ...") and its
    context length; nothing for other models."""
    stored = models.by_sha256(run.model_sha256)
    generative = stored.info.generative if stored is not None else None
    if generative is None:
        return "", None
    return generative.note, generative.context_length


def run_device(provider: str, inventory: Inventory | None) -> str:
    """The device a run measured: its GPU's model on a GPU provider, else the CPU model."""
    if inventory is None:
        return ""
    if provider in GPU_PROVIDERS:
        names = [g.name for g in inventory.gpus if g.name]
        return names[0] if names else ""
    return f"CPU: {inventory.cpu.model_name or 'unknown model'}"


def _percentiles(stats: LatencyStats) -> dict[str, float]:
    """The percentiles (and mean) the samples supported, keyed as scenarios name them."""
    values = {
        "p50": stats.p50,
        "p90": stats.p90,
        "p95": stats.p95,
        "p99": stats.p99,
        "p99.9": stats.p999,
        "mean": stats.mean,
    }
    return {k: v for k, v in values.items() if v is not None}


def _token_figures(point: PointResult) -> TokenFigures | None:
    tokens = point.tokens
    if tokens is None:
        return None
    return TokenFigures(
        prompt_tokens=tokens.prompt_tokens,
        output_tokens=tokens.output_tokens,
        sequences=tokens.sequences,
        ttft_ms=_percentiles(tokens.ttft),
        tpot_ms=_percentiles(tokens.tpot),
        output_tokens_per_s=tokens.output_tokens_per_s,
        input_tokens_per_s=tokens.input_tokens_per_s,
    )


def _sound_figures(run_id: str, point: PointResult) -> None:
    """A stored point's throughput and latencies must be finite, non-negative numbers:
    the profiler never measures anything else, so another value means the stored run was
    changed or damaged, and planning on it would mislead (or fail far from here)."""
    stats = point.stats
    figures = {"throughput": point.throughput_ips} | {
        name: getattr(stats, name) for name in ("p50", "p90", "p95", "p99", "mean")
    }
    for name, value in figures.items():
        if value is not None and not (math.isfinite(value) and value >= 0):
            raise ScenarioError(
                f"run {run_id[:8]}, point {point.label}: its stored {name} is {value!r}, which "
                "no measurement gives: the stored run was changed or damaged; run "
                "`planner db check`, or profile the model again and plan with the new run"
            )


def _measured(run_id: str, point: PointResult, machine: str, device: str) -> MeasuredPoint:
    _sound_figures(run_id, point)
    stats = point.stats
    latency = _percentiles(stats)
    cv = stats.std / stats.mean if stats.std is not None and stats.mean else None
    return MeasuredPoint(
        run_id=run_id,
        scenario=point.scenario,
        concurrency=point.concurrency,
        batch=point.batch,
        target_rate=point.target_rate,
        throughput=point.throughput_ips,
        latency_ms=latency,
        latency_cv=cv,
        power_w=point.energy.avg_power_w,
        energy_method=point.energy.method,
        machine=machine,
        stable=point.stable,
        device=device,
        energy_estimated=point.energy.estimated,
        energy_detail=point.energy.detail,
        tokens=_token_figures(point),
    )


def resolve_run_reference(
    runs: RunRepository, reference: str, generative: bool | None = None
) -> str:
    """A run id for ``reference``: an id or its prefix, or "latest", the newest run that
    can be planned; of the demand's kind when ``generative`` says which (a demand in
    tokens takes the newest generative run, one in requests the newest other run)."""
    if reference.strip().lower() != LATEST:
        return runs.resolve_id(reference)
    plannable = [
        r
        for r in runs.all()
        if r.plannable and (generative is None or (r.scenario == GENERATIVE) == generative)
    ]
    if not plannable:
        kind = {None: "", True: " generative", False: " non-generative"}[generative]
        of_kind = " of that kind" if kind else ""
        raise ScenarioError(
            f"the scenario asks for the latest{kind} run but the database has no completed "
            f"run{of_kind} with latency under load; profile a model first (single-stream, "
            "concurrency or server scenario, or a generative model folder for a demand in "
            "tokens) on the Profile page or with planner profile"
        )
    return plannable[0].id


def plan_from_file(opened: OpenedDatabase, path: Path) -> ComputedPlan:
    text = read_user_text(path, "scenario", ScenarioError)
    return plan_from_text(opened, text, str(path))


def compute_from_text(
    opened: OpenedDatabase, text: str, *, monte_carlo: bool = True, sensitivity: bool = True
) -> tuple[ScenarioSpec, tuple[str, ...], PlanResult]:
    """Parse, resolve against stored runs and catalogues, and compute; stores nothing.

    The GUI calls this on every edit (without Monte Carlo for speed); the CLI through
    :func:`plan_from_text`, which also stores the scenario and the plan.
    """
    spec = parse_scenario(text)
    points, used = points_for(opened, spec.required_run_ids, spec.demand.tokens is not None)
    scenario = resolve_scenario(spec, load_catalog(opened), points)
    result = compute_plan(scenario, sensitivity=sensitivity, monte_carlo=monte_carlo)
    return spec, used, result


def points_for(
    opened: OpenedDatabase, references: tuple[str, ...], generative: bool | None = None
) -> tuple[dict[str, list[MeasuredPoint]], tuple[str, ...]]:
    """Measured points for each run reference, and the run ids they resolved to ("latest"
    of the demand's kind, see :func:`resolve_run_reference`)."""
    runs = RunRepository(opened.db)
    machines = MachineRepository(opened.db)
    models = ModelRepository(opened.db)
    points: dict[str, list[MeasuredPoint]] = {}
    used: list[str] = []
    for reference in references:
        run_id = resolve_run_reference(runs, reference, generative)
        run = runs.load(run_id)
        if run.status != RunStatus.COMPLETED:
            raise ScenarioError(f"run {run_id[:8]} is {run.status}, not completed; use another")
        label, inventory = _machine(machines, runs, run_id)
        device = run_device(run.config.provider, inventory)
        measured = measured_points(run, label, device, *_decoder_facts(models, run))
        points[reference] = [
            dataclasses.replace(
                p,
                model_sha256=run.model_sha256,
                model_name=run.model_name,
                assumed_dims=dims_text(run.dims_used, run.assumed) if run.assumed else "",
            )
            for p in measured
        ]
        used.append(run_id)
    return points, tuple(used)


def plan_from_text(opened: OpenedDatabase, text: str, source: str | None) -> ComputedPlan:
    """Compute the plan and store the scenario text and the result."""
    _, used, result = compute_from_text(opened, text)
    return store_plan(opened, text, source, used, result)


def store_plan(
    opened: OpenedDatabase,
    text: str,
    source: str | None,
    used: tuple[str, ...],
    result: PlanResult,
) -> ComputedPlan:
    """Store the scenario text and a complete plan computed from it (runs ``used``).

    The GUI calls this directly when its worker has already computed the plan, with
    Monte Carlo, from exactly this text.
    """
    store = PlanRepository(opened.db)
    scenario_id = store.save_scenario(result.scenario, text, source)
    plan_id = store.save_plan(scenario_id, used, result, __version__)
    return ComputedPlan(scenario_id, plan_id, used, result)


def _machine(
    machines: MachineRepository, runs: RunRepository, run_id: str
) -> tuple[str, Inventory | None]:
    """A label for the run's machine and its stored inventory (None when unknown)."""
    machine_id = runs.machine_of(run_id)
    stored = machines.get(machine_id) if machine_id else None
    if machine_id is None or stored is None:
        return "unknown machine", None
    return f"host {stored.hostname}, machine {machine_id[:8]}", stored.inventory


def plan_summary(result: PlanResult) -> PlanSummary:
    """The headline figures of a computed plan (see planning.summary)."""
    return summarize(result)
