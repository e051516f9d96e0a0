"""Model variants as a use case: make them, keep them, measure them, compare them.

Runs on the thread that owns the connection (CLI main thread); making a variant blocks
while a child process works (``planner.models.variants``), and profiling goes through the
same profile service as ``planner profile``. A made variant is registered as a model of
its own, so its runs are ordinary runs that reports and plans can use; the comparison
puts the parent and its variants side by side with their latest plannable runs.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.core.errors import InputError, PlannerError
from planner.core.generative import GenerativeSettings
from planner.core.run import RunConfig, RunResult, Scenario
from planner.core.variant import VariantOutcome
from planner.models.genai_inspect import describe_model
from planner.models.genai_variants import make_folder_variant
from planner.models.variants import make_variant
from planner.planning.scenario_writer import to_toml
from planner.profiling.genai_probe import probe_genai
from planner.profiling.messages import Message
from planner.services.plans import compute_from_text
from planner.services.profiles import prepare_run, run_profile
from planner.services.scenarios import scenario_from_text, with_runs
from planner.storage.database import OpenedDatabase
from planner.storage.models import ModelRepository, StoredModel
from planner.storage.runs import RunRepository
from planner.storage.variants import StoredVariant, VariantRepository

LineFn = Callable[[str], None]
DEFAULT_KINDS = ("int8-dynamic", "int8-static", "fp16")
COMPARISON_SWEEP = (1, 2, 4)


@dataclass(frozen=True)
class ComparisonRow:
    """One model of a family: the parent (``variant`` None) or one of its variants."""

    label: str
    model: StoredModel | None
    variant: StoredVariant | None
    run: RunResult | None
    cost_per_1k: float | None = None
    cost_note: str = ""

    @property
    def size_bytes(self) -> int | None:
        if self.model is not None:
            return self.model.info.size_bytes
        return None if self.variant is None else self.variant.outcome.size_bytes

    def best_point_value(self, attribute: str) -> float | None:
        """A figure of the run's lowest-concurrency point (``p50``, ``p99``) or its peak."""
        if self.run is None or not self.run.points:
            return None
        if attribute == "throughput":
            return max(p.throughput_ips for p in self.run.points)
        first = min(self.run.points, key=lambda p: (p.concurrency, p.batch))
        if attribute == "joules":
            return first.energy.joules_per_inference
        value: float | None = getattr(first.stats, attribute)
        return value


@dataclass(frozen=True)
class Comparison:
    parent: ComparisonRow
    variants: tuple[ComparisonRow, ...]
    currency: str | None = None

    @property
    def rows(self) -> tuple[ComparisonRow, ...]:
        return (self.parent, *self.variants)


def default_folder(opened: OpenedDatabase, parent_path: Path) -> Path:
    """Where variants of ``parent_path`` are kept: beside the database, one folder a model."""
    return opened.path.parent / "variants" / Path(parent_path).stem


def make_outcomes(
    parent_path: Path, kinds: Sequence[str], out_dir: Path, on_line: LineFn, **options: Any
) -> list[VariantOutcome]:
    """Make each kind of variant; touches no database, so any thread may call it."""
    if not kinds:
        raise InputError("give at least one variant kind, e.g. --kinds int8-dynamic,fp16")
    folder = Path(parent_path).is_dir()
    if folder:
        genai = probe_genai()
        if not genai.available:
            raise InputError(
                f"variants of a generative model need onnxruntime-genai: {genai.reason}"
            )
    outcomes = []
    for kind in kinds:
        on_line(f"making {kind} of {Path(parent_path).name} …")
        make = make_folder_variant if folder else make_variant
        outcome = make(Path(parent_path), kind, out_dir, **options)
        outcomes.append(outcome)
        on_line(describe_outcome(outcome))
    return outcomes


def store_outcomes(
    opened: OpenedDatabase, parent_path: Path, outcomes: Sequence[VariantOutcome]
) -> list[StoredVariant]:
    """Register the parent and every made variant as models; keep every attempt."""
    models = ModelRepository(opened.db)
    parent = models.upsert(describe_model(parent_path))
    store = VariantRepository(opened.db)
    ids = [store.save(parent, outcome, _register(models, outcome)) for outcome in outcomes]
    return [v for v in store.of_parent(parent) if v.id in ids]


def make_variants(
    opened: OpenedDatabase,
    parent_path: Path,
    kinds: Sequence[str],
    on_line: LineFn,
    out_dir: Path | None = None,
    **options: Any,
) -> list[StoredVariant]:
    """Make each kind of variant of ``parent_path``, register and store every outcome."""
    folder = out_dir or default_folder(opened, parent_path)
    outcomes = make_outcomes(parent_path, kinds, folder, on_line, **options)
    return store_outcomes(opened, parent_path, outcomes)


def _register(models: ModelRepository, outcome: VariantOutcome) -> str | None:
    if not outcome.made or outcome.path is None:
        return None
    return models.upsert(describe_model(outcome.path))


def variant_label(outcome: VariantOutcome) -> str:
    """How a variant is named to people: its kind, with the share for pruning."""
    share = outcome.recipe.prune_share
    return f"{outcome.kind}-{share:.0%}" if share is not None else outcome.kind.value


def describe_outcome(outcome: VariantOutcome) -> str:
    """One line: what was made (size, cosine) or why it failed."""
    if not outcome.made:
        return f"  {variant_label(outcome)}: failed: {outcome.reason}"
    fidelity = outcome.fidelity
    cosine = "—" if fidelity is None or fidelity.cosine is None else f"{fidelity.cosine:.5f}"
    return f"  {variant_label(outcome)}: made {Path(outcome.path or '').name}, cosine {cosine}"


def profile_family(
    opened: OpenedDatabase,
    parent_path: Path,
    budget_s: float,
    on_message: Callable[[Message], None] | None = None,
    backend: str = "process",
) -> list[RunResult]:
    """Profile the parent and every made variant with the same concurrency sweep."""
    models = ModelRepository(opened.db)
    parent = models.by_sha256(describe_model(parent_path).sha256)
    if parent is None:
        raise InputError(f"{parent_path} has no variants yet; make some first")
    family = [parent, *_variant_models(opened, parent.id)]
    results = []
    for model in family:
        prepared = prepare_run(opened, _family_config(model, budget_s))
        results.append(run_profile(opened, prepared, on_message, backend=backend))
    return results


def _family_config(model: StoredModel, budget_s: float) -> RunConfig:
    """The same sweep for every member: concurrency, or sequences of 64+64 tokens."""
    cap = max(budget_s / len(COMPARISON_SWEEP), 0.5)
    if model.info.generative is not None:
        return RunConfig(
            model_path=model.info.path,
            scenario=Scenario.GENERATIVE.value,
            concurrency=COMPARISON_SWEEP,
            time_budget_s=budget_s,
            point_cap_s=cap,
            generative=GenerativeSettings((64,), (64,)),
        )
    return RunConfig(
        model_path=model.info.path,
        scenario=Scenario.CONCURRENCY.value,
        concurrency=COMPARISON_SWEEP,
        time_budget_s=budget_s,
        point_cap_s=cap,
    )


def _variant_models(opened: OpenedDatabase, parent_id: str) -> list[StoredModel]:
    models = ModelRepository(opened.db)
    variants = VariantRepository(opened.db).of_parent(parent_id)
    found = (models.get(v.model_id) for v in variants if v.model_id is not None)
    return [m for m in found if m is not None]


def compare(
    opened: OpenedDatabase, parent_path: Path, scenario_text: str | None = None
) -> Comparison:
    """The parent and its variants with their latest plannable runs (and, with a
    scenario, the cost per 1k inferences of its first measured option on each run)."""
    parent = ModelRepository(opened.db).by_sha256(describe_model(parent_path).sha256)
    if parent is None:
        raise InputError(f"{parent_path} is not a stored model; make variants of it first")
    return compare_family(opened, parent.id, scenario_text)


def family_parent(opened: OpenedDatabase, model_id: str) -> str | None:
    """The parent of ``model_id``'s family: itself if it has variants, its parent if it is
    one, else None."""
    variants = VariantRepository(opened.db)
    parent = variants.parent_of(model_id)
    if parent is not None:
        return parent
    return model_id if variants.of_parent(model_id) else None


def compare_family(
    opened: OpenedDatabase, parent_id: str, scenario_text: str | None = None
) -> Comparison:
    """:func:`compare` for a stored parent model."""
    models = ModelRepository(opened.db)
    parent = models.get(parent_id)
    if parent is None:
        raise InputError(f"model {parent_id[:8]} no longer exists")
    latest = _latest_runs(opened)
    rows = [ComparisonRow("parent", parent, None, latest.get(parent.id))]
    for variant in VariantRepository(opened.db).of_parent(parent.id):
        model = models.get(variant.model_id) if variant.model_id else None
        run = latest.get(variant.model_id) if variant.model_id else None
        rows.append(ComparisonRow(variant_label(variant.outcome), model, variant, run))
    currency = None
    if scenario_text is not None:
        rows, currency = _with_costs(opened, rows, scenario_text)
    return Comparison(rows[0], tuple(rows[1:]), currency)


def _latest_runs(opened: OpenedDatabase) -> dict[str, RunResult]:
    runs = RunRepository(opened.db)
    latest: dict[str, RunResult] = {}
    for summary in runs.all():  # newest first
        if summary.plannable and summary.model_id not in latest:
            latest[summary.model_id] = runs.load(summary.id)
    return latest


def _with_costs(
    opened: OpenedDatabase, rows: list[ComparisonRow], scenario_text: str
) -> tuple[list[ComparisonRow], str | None]:
    doc = scenario_from_text(scenario_text)
    measured = [o for o in doc.get("options", []) if o.get("kind") != "api"]
    if not measured:
        raise InputError("the scenario has no on-prem or cloud option to price the variants with")
    doc["options"] = [measured[0]]
    priced: list[ComparisonRow] = []
    currency = None
    for row in rows:
        if row.run is None:
            priced.append(dataclasses.replace(row, cost_note="not profiled"))
            continue
        text = to_toml(with_runs(copy.deepcopy(doc), [row.run.id]))
        try:
            _spec, _used, result = compute_from_text(
                opened, text, monte_carlo=False, sensitivity=False
            )
        except PlannerError as exc:
            priced.append(dataclasses.replace(row, cost_note=str(exc)))
            continue
        currency = result.currency
        cost = result.options[0].cost_per_1k
        priced.append(dataclasses.replace(row, cost_per_1k=cost))
    return priced, currency


def headline(comparison: Comparison) -> str | None:
    """The plain sentence a summary leads with: the best variant measured against the parent.

    By cost per 1k inferences when every row is priced, else by peak throughput.
    """
    parent = comparison.parent
    made = [r for r in comparison.variants if r.run is not None and r.variant is not None]
    if parent.run is None or not made:
        return None
    if parent.cost_per_1k and all(r.cost_per_1k is not None for r in made):
        best = min(made, key=lambda r: r.cost_per_1k or 0.0)
        ratio, measure = (best.cost_per_1k or 0.0) / parent.cost_per_1k, "cost per 1k inferences"
    else:
        base = parent.best_point_value("throughput")
        if not base:
            return None
        best = max(made, key=lambda r: r.best_point_value("throughput") or 0.0)
        ratio, measure = (best.best_point_value("throughput") or 0.0) / base, "peak throughput"
    assert best.variant is not None
    fidelity = best.variant.outcome.fidelity
    cosine = "—" if fidelity is None or fidelity.cosine is None else f"{fidelity.cosine:.4f}"
    direction = "cuts" if ratio < 1 else "raises"
    return f"{best.label} {direction} {measure} by {abs(ratio - 1):.0%} at cosine {cosine}"
