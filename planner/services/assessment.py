"""Headless site assessment: inventory, profile within a budget, write one bundle.

Runs on the CLI main thread. Profiles go into a temporary planner database through the
same profile service the ``profile`` command uses; that database is then exported as the
bundle. Each model is profiled on every requested provider; by default on every usable
accelerator provider (its library loads here) and on CPU, so a GPU site's bundle holds
GPU runs. Input settings saved for a model in the user's own database are used.

Ctrl-C during a profile cancels it (its finished points are kept), skips the remaining
models and still writes the bundle of what was done; the bundle file appears only when
complete (written beside the target, then renamed). The target is checked before any
profiling starts, so an existing bundle (kept unless the caller asks to replace it) or an
unwritable folder costs the user no measuring time.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from planner import __version__
from planner.core.errors import InputError
from planner.core.formatting import MISSING, latency_cell
from planner.core.generative import GenerativeSettings
from planner.core.model import InputSettings
from planner.core.run import PointResult, RunConfig, RunResult, Scenario
from planner.hardware.inventory import collect_inventory
from planner.hardware.providers import CPU, accelerator_providers
from planner.models.genai_sample import SAMPLE_FOLDER, sample_folder
from planner.models.inspect import inspect_model
from planner.models.samples import bundled_sample_paths
from planner.profiling.messages import Message, PointFinished, Progress, RunStarted
from planner.services.profiles import prepare_run, run_profile, with_saved_inputs
from planner.storage.bundles import BundleSite, WrittenBundle, write_bundle
from planner.storage.database import open_database
from planner.storage.input_settings import InputSettingsRepository
from planner.storage.machines import MachineRepository

CONCURRENCY_SWEEP = (1, 2, 4, 8)
GENERATIVE_SEQUENCES = (1, 2, 4)
MAX_POINT_S = 10.0


@dataclass(frozen=True)
class AssessRequest:
    models: tuple[Path, ...]
    budget_s: float
    site: str
    notes: str
    out: Path
    overwrite: bool = False
    providers: tuple[str, ...] = ()
    saved_inputs: dict[str, InputSettings] | None = None


@dataclass(frozen=True)
class AssessOutcome:
    bundle: WrittenBundle
    runs: tuple[RunResult, ...]
    interrupted: bool
    skipped: tuple[Path, ...]


ProgressFn = Callable[[float, float | None, str], None]
LineFn = Callable[[str], None]


def assessment_config(model: Path, budget_s: float, provider: str = CPU) -> RunConfig:
    """A concurrency sweep that fits ``budget_s`` (the engine stops at the budget); for a
    generative model folder, a token sweep of 128+128 tokens over 1, 2 and 4 sequences."""
    if model.is_dir():
        return RunConfig(
            model_path=str(model),
            scenario=Scenario.GENERATIVE.value,
            provider=CPU,
            concurrency=GENERATIVE_SEQUENCES,
            time_budget_s=budget_s,
            point_cap_s=min(MAX_POINT_S, max(budget_s / len(GENERATIVE_SEQUENCES), 0.5)),
            generative=GenerativeSettings((128,), (128,)),
        )
    return RunConfig(
        model_path=str(model),
        scenario="concurrency",
        provider=provider,
        concurrency=CONCURRENCY_SWEEP,
        time_budget_s=budget_s,
        point_cap_s=min(MAX_POINT_S, max(budget_s / len(CONCURRENCY_SWEEP), 0.5)),
    )


def default_providers(given: Sequence[str] | None) -> tuple[str, ...]:
    """The providers the user named, else every usable accelerator provider, then CPU."""
    if given:
        return tuple(dict.fromkeys(given))
    return (*accelerator_providers(), CPU)


def assess(
    request: AssessRequest, on_progress: ProgressFn, on_line: LineFn, backend: str = "process"
) -> AssessOutcome:
    check_bundle_target(request.out, request.overwrite)
    inventory = collect_inventory()
    providers = request.providers or default_providers(None)
    pairs = [(m, p) for m in request.models for p in _providers_for(m, providers)]
    per_run = request.budget_s / max(len(pairs), 1)
    runs: list[RunResult] = []
    interrupted = False
    with tempfile.TemporaryDirectory(prefix="planner-assess-") as folder:
        opened = open_database(Path(folder) / "assessment.db")
        try:
            MachineRepository(opened.db).save_inventory(inventory)
            prepared = [
                prepare_run(opened, _config(request, model, per_run, provider))
                for model, provider in pairs
            ]
            for index, item in enumerate(prepared):
                listener = _listener(index, len(prepared), on_progress, on_line)
                try:
                    result = run_profile(opened, item, listener, backend=backend)
                except KeyboardInterrupt:
                    interrupted = True
                    break
                runs.append(result)
                on_line(_run_line(result))
                if result.status == "cancelled":
                    interrupted = True
                    break
            site = BundleSite(request.site, request.notes, inventory.fingerprint, __version__)
            bundle = write_bundle(opened, request.out, site)
        finally:
            opened.close()
    attempted = {model for model, _provider in pairs[: len(runs)]}
    skipped = tuple(m for m in request.models if m not in attempted)
    return AssessOutcome(bundle, tuple(runs), interrupted, skipped)


def _providers_for(model: Path, providers: Sequence[str]) -> tuple[str, ...]:
    """Generative folders run on the CPU build of onnxruntime-genai; others on every one."""
    return (CPU,) if model.is_dir() else tuple(providers)


def check_bundle_target(out: Path, overwrite: bool) -> None:
    """Refuse a target that would fail or destroy a bundle, before any time is spent."""
    if out.is_dir():
        raise InputError(f"{out} is a folder: give a file name for the bundle")
    if out.exists() and not overwrite:
        raise InputError(f"{out} already exists: choose another --out, or --force to replace it")
    folder = out.parent
    if not folder.is_dir():
        raise InputError(f"the folder {folder} does not exist: create it or choose another --out")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"cannot write in {folder}: choose another --out")


def saved_settings_for(database: Path, models: Sequence[Path]) -> dict[str, InputSettings]:
    """Input settings the user saved for ``models`` in ``database`` (none if it is absent)."""
    if not database.is_file():
        return {}
    opened = open_database(database)
    try:
        repo = InputSettingsRepository(opened.db)
        found = {}
        for model in (m for m in models if not m.is_dir()):
            sha256 = inspect_model(model).sha256
            settings = repo.get(sha256)
            if settings is not None:
                found[sha256] = settings
        return found
    finally:
        opened.close()


def _config(request: AssessRequest, model: Path, budget_s: float, provider: str) -> RunConfig:
    config = assessment_config(model, budget_s, provider)
    if model.is_dir():
        return config
    saved = (request.saved_inputs or {}).get(inspect_model(model).sha256)
    return with_saved_inputs(config, saved) if saved is not None else config


def _listener(
    index: int, total: int, on_progress: ProgressFn, on_line: LineFn
) -> Callable[[Message], None]:
    name = ""

    def listen(message: Message) -> None:
        nonlocal name
        if isinstance(message, RunStarted):
            name = message.model_name
        elif isinstance(message, Progress):
            overall = (index + message.fraction) / total
            on_progress(overall, None, f"{name} {message.label} ({index + 1}/{total})")
        elif isinstance(message, PointFinished):
            on_line(f"  {name} {message.point.label}: {_point_figures(message.point)}")

    return listen


def _point_figures(point: PointResult) -> str:
    """Throughput and tail latency of a finished point, in tokens for a generative one."""
    tokens = point.tokens
    if tokens is not None:
        return (
            f"{tokens.output_tokens_per_s:,.1f} output tokens/s, TTFT p90 "
            f"{_ms(tokens.ttft.p90)}, TPOT p90 {_ms(tokens.tpot.p90)}"
        )
    return f"{point.throughput_ips:,.1f} inf/s, p99 {_ms(point.stats.p99)}"


def _ms(value: float | None) -> str:
    return MISSING if value is None else f"{latency_cell(value)} ms"


def _run_line(result: RunResult) -> str:
    reason = f" ({result.failure_reason})" if result.failure_reason else ""
    return f"{result.model_name}: {result.status}, {len(result.points)} point(s){reason}"


def default_models(given: Sequence[str] | None) -> tuple[Path, ...]:
    """The models the user named, or the bundled classic samples.

    A name that is no file or folder here but names a bundled sample (``mlp``, ``cnn``,
    ``transformer_block``, ``tiny_decoder``) means that sample: the site kit carries them,
    and a consultant has no other path to them inside the one-file executable.
    """
    if given:
        return tuple(_model_or_sample(m) for m in given)
    return tuple(bundled_sample_paths())


def bundled_sample_names() -> dict[str, Path]:
    """Each bundled sample by the name ``--model`` accepts: the file's stem, the folder's."""
    named = {path.stem: path for path in bundled_sample_paths()}
    named[SAMPLE_FOLDER] = sample_folder()
    return named


def _model_or_sample(given: str) -> Path:
    path = Path(given)
    if path.exists():
        return path
    return bundled_sample_names().get(given, path)
