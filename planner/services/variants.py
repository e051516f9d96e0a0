"""Model variants as a use case: make them, keep them, and profile the family.

Runs on the thread that owns the connection (CLI main thread, GUI thread), except
:func:`make_outcomes`, which touches no database (the app calls it on a worker thread);
making a variant blocks while a child process works (``planner.models.variants``), and
profiling goes through the same profile service as ``planner profile``. A made variant
is registered as a model of its own, so its runs are ordinary runs that reports and
plans can use; :mod:`planner.services.variant_comparison` puts the family side by side.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from planner.core.errors import InputError, ModelError
from planner.core.generative import GenerativeSettings
from planner.core.run import RunConfig, RunResult, Scenario
from planner.core.variant import VariantOutcome, parse_kind
from planner.models.genai_inspect import describe_model
from planner.models.genai_variants import make_folder_variant
from planner.models.variants import make_variant, variant_request
from planner.profiling.genai_probe import probe_genai
from planner.profiling.messages import Message
from planner.services.profiles import prepare_run, run_profile
from planner.storage.database import OpenedDatabase
from planner.storage.models import ModelRepository, StoredModel
from planner.storage.variants import StoredVariant, VariantRepository

LineFn = Callable[[str], None]
DEFAULT_KINDS = ("int8-dynamic", "int8-static", "fp16")
COMPARISON_SWEEP = (1, 2, 4)
#: Profiling time per family member unless told otherwise (``planner variants --budget``).
DEFAULT_BUDGET_S = 20.0
#: Parameters of one kind of recipe, keyed by the kind's name (``{"fp16": {"block_ops":
#: ("Pow",)}}``); each goes only to variants of that kind.
KindParams = Mapping[str, Mapping[str, Any]]


def default_folder(opened: OpenedDatabase, parent_path: Path) -> Path:
    """Where variants of ``parent_path`` are kept: beside the database, one folder a model."""
    return opened.path.parent / "variants" / Path(parent_path).stem


def make_outcomes(
    parent_path: Path,
    kinds: Sequence[str],
    out_dir: Path,
    on_line: LineFn,
    *,
    kind_params: KindParams | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    **options: Any,
) -> list[VariantOutcome]:
    """Make each kind of variant; touches no database, so any thread may call it.

    ``options`` go to every kind (inputs, samples), ``kind_params`` to one kind each; all
    are checked before the first variant is made. ``should_stop`` is asked before each
    kind; once true, the kinds left are not made.
    """
    if not kinds:
        raise InputError("give at least one variant kind, e.g. --kinds int8-dynamic,fp16")
    parsed = [parse_kind(kind)[0].value for kind in kinds]
    params = dict(kind_params or {})
    for kind, given in params.items():
        if given and kind not in parsed:
            raise InputError(
                f"{', '.join(given)} applies to {kind} variants, but the kinds asked for "
                f"({', '.join(kinds)}) do not include {kind}"
            )
    for kind, name in zip(kinds, parsed, strict=True):  # a typo fails now, not hours later
        variant_request(parent_path, kind, out_dir, **options, **params.get(name, {}))
    folder = Path(parent_path).is_dir()
    if folder:
        genai = probe_genai()
        if not genai.available:
            raise InputError(
                f"variants of a generative model need onnxruntime-genai: {genai.reason}"
            )
    outcomes: list[VariantOutcome] = []
    for kind, name in zip(kinds, parsed, strict=True):
        if should_stop():
            on_line(f"stopped before {', '.join(kinds[len(outcomes) :])}")
            break
        on_line(f"making {kind} of {Path(parent_path).name} …")
        make = make_folder_variant if folder else make_variant
        outcome = make(Path(parent_path), kind, out_dir, **options, **params.get(name, {}))
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
    """Make each kind of variant of ``parent_path``, register and store every outcome.

    A parent that is not there is refused once, before any folder or attempt is made.
    """
    if not Path(parent_path).exists():
        raise ModelError(
            f"model not found: {parent_path}; give an ONNX model file or a GenAI model folder"
        )
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
    parent = ModelRepository(opened.db).by_sha256(describe_model(parent_path).sha256)
    if parent is None:
        raise InputError(f"{parent_path} has no variants yet; make some first")
    results = []
    for config in family_configs(opened, parent.id, budget_s):
        prepared = prepare_run(opened, config)
        results.append(run_profile(opened, prepared, on_message, backend=backend))
    return results


def family_configs(
    opened: OpenedDatabase,
    parent_id: str,
    budget_s: float,
    variants: Sequence[StoredVariant] | None = None,
) -> list[RunConfig]:
    """Runs that profile the parent and its made ``variants`` (default: all of them) with
    the same sweep, parent first, so they are measured under the same conditions."""
    models = ModelRepository(opened.db)
    chosen = VariantRepository(opened.db).of_parent(parent_id) if variants is None else variants
    found = [models.get(parent_id), *(models.get(v.model_id) for v in chosen if v.model_id)]
    return [_family_config(m, budget_s) for m in found if m is not None]


def _family_config(model: StoredModel, budget_s: float) -> RunConfig:
    """The same sweep for every member: concurrency, or sequences of 64+64 tokens."""
    decoder = model.info.generative is not None
    return RunConfig(
        model_path=model.info.path,
        scenario=(Scenario.GENERATIVE if decoder else Scenario.CONCURRENCY).value,
        concurrency=COMPARISON_SWEEP,
        time_budget_s=budget_s,
        point_cap_s=max(budget_s / len(COMPARISON_SWEEP), 0.5),
        generative=GenerativeSettings((64,), (64,)) if decoder else None,
    )
