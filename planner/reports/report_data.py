"""Gather what a report shows from storage: the plan, its runs, machines, models and sites.

Runs on the thread that owns the connection (CLI main thread, GUI thread). Reports draw
only on stored data (the plan's stored result and the stored runs), the same data the
app shows, so the figures agree. ``summary_of`` rebuilds ``planner plan``'s summary from
a stored result, field for field. The comparison of each variant family is added by
``planner.services.reports``, which can price it (pricing is a service, above reports).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from planner.core.errors import InputError, StorageError
from planner.core.formatting import dims_text, size
from planner.core.plan_summary import PlanSummary
from planner.core.run import RunResult
from planner.core.variant_table import FamilyTable
from planner.planning.summary import plan_summary
from planner.storage.bundle_import import ImportRepository, StoredImport
from planner.storage.database import OpenedDatabase
from planner.storage.machines import MachineRepository, StoredMachine
from planner.storage.models import ModelRepository, StoredModel
from planner.storage.plans import PlanRepository, StoredPlan
from planner.storage.runs import RunRepository
from planner.storage.variants import StoredVariant, VariantRepository


@dataclass(frozen=True)
class ReportRun:
    """A stored run with the machine and site it was measured on."""

    run: RunResult
    machine: StoredMachine | None
    site: str | None

    @property
    def machine_label(self) -> str:
        if self.machine is None:
            return "unknown machine"
        return f"{self.machine.hostname} (machine {self.machine.id[:8]})"

    @property
    def dims(self) -> str | None:
        """The dims the run fed, assumed ones starred; None for a generative run (tokens)."""
        if self.run.config.generative is not None:
            return None
        return dims_text(self.run.dims_used, self.run.assumed)

    @property
    def machine_description(self) -> str:
        """'vm (machine af7fcec9): AMD EPYC, 2 cores, 23.5 GiB, CPUExecutionProvider'."""
        provider = self.run.config.provider
        if self.machine is None:
            return f"unknown machine ({provider})"
        inv = self.machine.inventory
        gpus = ", ".join(g.name or f"GPU {g.index}" for g in inv.gpus)
        parts = [
            inv.cpu.model_name or "unknown CPU",
            *([f"{inv.cpu.logical_cores} cores"] if inv.cpu.logical_cores else []),
            size(inv.memory.total_bytes),
            *([gpus] if gpus else []),
            provider,
        ]
        where = f" at {self.site}" if self.site else ""
        return f"{self.machine_label}{where}: {', '.join(parts)}"


@dataclass(frozen=True)
class ReportData:
    generated_at: str
    plan: StoredPlan | None
    summary: PlanSummary | None
    scenario_text: str | None
    runs: tuple[ReportRun, ...]
    machines: tuple[StoredMachine, ...]
    models: tuple[StoredModel, ...]
    imports: tuple[StoredImport, ...]
    variants: tuple[StoredVariant, ...] = ()
    variant_families: tuple[FamilyTable, ...] = ()  # see planner.services.reports

    @property
    def sites(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.site for r in self.runs if r.site))


def load_report_data(
    opened: OpenedDatabase, scenario: str | None = None, run_refs: tuple[str, ...] = ()
) -> ReportData:
    """The plan asked for (default: the latest) and its runs (or the runs asked for)."""
    plan = _pick_plan(PlanRepository(opened.db), scenario)
    runs_repo = RunRepository(opened.db)
    listed = runs_repo.all()
    if run_refs:
        run_ids = tuple(runs_repo.resolve_id(ref) for ref in run_refs)
    elif plan is not None:
        run_ids = plan.run_ids
    else:
        run_ids = tuple(r.id for r in listed if r.reportable)
    if plan is None and not run_ids:
        raise InputError(
            "nothing to report: no stored plan or run; run `planner plan` or `planner import`"
        )
    machines = MachineRepository(opened.db)
    sites = ImportRepository(opened.db)
    runs = []
    for run_id in run_ids:
        machine_id = runs_repo.machine_of(run_id)
        machine = machines.get(machine_id) if machine_id else None
        site = sites.site_of_machine(machine_id) if machine_id else None
        runs.append(ReportRun(runs_repo.load(run_id), machine, site))
    used_machines = {r.machine.id for r in runs if r.machine}
    model_ids = {r.model_id for r in listed if r.id in set(run_ids)}
    texts = PlanRepository(opened.db).scenario_text(plan.scenario_id) if plan else None
    variants = tuple(
        v
        for v in VariantRepository(opened.db).all()
        if v.parent_model_id in model_ids or v.model_id in model_ids
    )
    return ReportData(
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        plan=plan,
        summary=plan_summary(plan.result) if plan else None,
        scenario_text=texts[1] if texts else None,
        runs=tuple(runs),
        machines=tuple(m for m in machines.all() if m.id in used_machines),
        models=tuple(m for m in ModelRepository(opened.db).all() if m.id in model_ids),
        imports=tuple(sites.all()),
        variants=variants,
    )


def _pick_plan(plans: PlanRepository, scenario: str | None) -> StoredPlan | None:
    stored = plans.plans()
    if scenario is None:
        return stored[0] if stored else None
    prefix = scenario.strip().lower()
    if len(prefix) < 4:
        raise InputError(f"scenario id {scenario!r} is too short: give at least 4 characters")
    matching = [p for p in stored if p.scenario_id.startswith(prefix) or p.id.startswith(prefix)]
    if not matching:
        raise StorageError(f"no plan for scenario {scenario!r}: compute one with `planner plan`")
    if len({p.scenario_id for p in matching}) > 1:
        raise StorageError(f"scenario id {scenario!r} is ambiguous: give more characters")
    return matching[0]
