"""A model's family side by side: the parent and its variants, measured, priced, summed up.

Runs on the thread that owns the connection it is given (the CLI's main thread, the
GUI's comparison worker with its own read-only connection, the report builder). Each
member shows its latest plannable run; with a scenario, each member is priced with the
scenario's first measured option sized from that member's run alone. A generative family
is priced per 1M output tokens and its energy is per output token, as its runs measure
in tokens; every other family per 1k inferences.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path

from planner.core.errors import InputError, PlannerError
from planner.core.run import RunResult
from planner.models.genai_inspect import describe_model
from planner.planning.scenario_writer import to_toml
from planner.services.plans import compute_from_text
from planner.services.scenarios import scenario_from_text, with_runs
from planner.services.variants import variant_label
from planner.storage.database import OpenedDatabase
from planner.storage.models import ModelRepository, StoredModel
from planner.storage.runs import RunRepository
from planner.storage.variants import StoredVariant, VariantRepository

PER_1K = "1k inferences"
PER_1M_OUTPUT_TOKENS = "1M output tokens"


@dataclass(frozen=True)
class ComparisonRow:
    """One model of a family: the parent (``variant`` None) or one of its variants.

    ``cost`` is per 1k inferences, or per 1M output tokens in a generative family (see
    :attr:`Comparison.cost_unit`); ``cost_note`` says why a priced family left it empty.
    """

    label: str
    model: StoredModel | None
    variant: StoredVariant | None
    run: RunResult | None
    cost: float | None = None
    cost_note: str = ""

    @property
    def size_bytes(self) -> int | None:
        if self.model is not None:
            return self.model.info.size_bytes
        return None if self.variant is None else self.variant.outcome.size_bytes

    def best_point_value(self, attribute: str) -> float | None:
        """A figure of the run's lowest-concurrency point (``p50``, ``p99``, ``joules``) or
        its peak (``throughput``); per output token for a generative run."""
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
    priced_with: str | None = None  # the scenario and option that priced it, in words

    @property
    def rows(self) -> tuple[ComparisonRow, ...]:
        return (self.parent, *self.variants)

    @property
    def generative(self) -> bool:
        """A generative family: its runs measure per output token, its cost per 1M of them."""
        model = self.parent.model
        return model is not None and model.info.generative is not None

    @property
    def cost_unit(self) -> str:
        return PER_1M_OUTPUT_TOKENS if self.generative else PER_1K


def compare(
    opened: OpenedDatabase, parent_path: Path, scenario_text: str | None = None
) -> Comparison:
    """The parent and its variants with their latest plannable runs (and, with a
    scenario, the cost of its first measured option on each run)."""
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
    variants = VariantRepository(opened.db).of_parent(parent.id)
    latest = _latest_runs(opened, {parent.id, *(v.model_id for v in variants if v.model_id)})
    rows = [ComparisonRow("parent", parent, None, latest.get(parent.id))]
    for variant in variants:
        model = models.get(variant.model_id) if variant.model_id else None
        run = latest.get(variant.model_id) if variant.model_id else None
        rows.append(ComparisonRow(variant_label(variant.outcome), model, variant, run))
    comparison = Comparison(rows[0], tuple(rows[1:]))
    if scenario_text is None:
        return comparison
    return _with_costs(opened, comparison, scenario_text)


def _latest_runs(opened: OpenedDatabase, model_ids: set[str]) -> dict[str, RunResult]:
    """The newest plannable run of each of ``model_ids``; only those runs are loaded."""
    runs = RunRepository(opened.db)
    latest: dict[str, str] = {}
    for summary in runs.all():  # newest first
        if summary.plannable and summary.model_id in model_ids:
            latest.setdefault(summary.model_id, summary.id)
    return {model_id: runs.load(run_id) for model_id, run_id in latest.items()}


def _with_costs(opened: OpenedDatabase, comparison: Comparison, scenario_text: str) -> Comparison:
    doc = scenario_from_text(scenario_text)
    measured = [o for o in doc.get("options", []) if o.get("kind") != "api"]
    if not measured:
        raise InputError("the scenario has no on-prem or cloud option to price the variants with")
    doc["options"] = [measured[0]]
    priced: list[ComparisonRow] = []
    currency = None
    for row in comparison.rows:
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
        option = result.options[0]
        cost = option.cost_per_1m_output_tokens if comparison.generative else option.cost_per_1k
        if cost is None or not math.isfinite(cost):
            note = "the scenario's demand gives no output tokens to price per 1M output tokens"
            priced.append(dataclasses.replace(row, cost_note=note))
            continue
        priced.append(dataclasses.replace(row, cost=cost))
    priced_with = f"scenario '{doc.get('name', '')}', option '{measured[0].get('name', '')}'"
    return Comparison(priced[0], tuple(priced[1:]), currency, priced_with)


def _cosine(row: ComparisonRow) -> float:
    fidelity = row.variant.outcome.fidelity if row.variant is not None else None
    return fidelity.cosine if fidelity is not None and fidelity.cosine is not None else -1.0


def headline(comparison: Comparison) -> str | None:
    """The plain sentence a summary leads with: the best variant measured against the parent.

    By cost (per 1k inferences, or per 1M output tokens) when every row is priced, else by
    peak throughput; among variants of equal cost, the most faithful, then the fastest.
    """
    parent = comparison.parent
    made = [r for r in comparison.variants if r.run is not None and r.variant is not None]
    if parent.run is None or not made:
        return None
    if parent.cost and all(r.cost is not None for r in made):
        # Equal costs (within 0.5%) go to the more faithful, then the faster variant.
        cheapest = min(r.cost or 0.0 for r in made)
        tied = [r for r in made if (r.cost or 0.0) <= cheapest * 1.005]
        best = max(tied, key=lambda r: (_cosine(r), r.best_point_value("throughput") or 0.0))
        ratio, measure = (best.cost or 0.0) / parent.cost, f"cost per {comparison.cost_unit}"
    else:
        base = parent.best_point_value("throughput")
        if not base:
            return None
        best = max(made, key=lambda r: r.best_point_value("throughput") or 0.0)
        ratio, measure = (best.best_point_value("throughput") or 0.0) / base, "peak throughput"
    assert best.variant is not None
    fidelity = best.variant.outcome.fidelity
    cosine = "—" if fidelity is None or fidelity.cosine is None else f"{fidelity.cosine:.4f}"
    if abs(ratio - 1) < 0.005:  # "by 0%" would read as a change
        return f"{best.label} matches the parent's {measure} (within 0.5%) at cosine {cosine}"
    direction = "cuts" if ratio < 1 else "raises"
    return f"{best.label} {direction} {measure} by {abs(ratio - 1):.0%} at cosine {cosine}"
