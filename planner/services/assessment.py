"""Headless site assessment: inventory, profile within a budget, write one bundle.

Runs on the CLI main thread. Profiles go into a temporary planner database through the
same profile service the ``profile`` command uses; that database is then exported as the
bundle. Ctrl-C during a profile cancels it (its finished points are kept), skips the
remaining models and still writes the bundle of what was done; the bundle file appears
only when complete (written beside the target, then renamed). The target is checked
before any profiling starts, so an existing bundle (kept unless the caller asks to
replace it) or an unwritable folder costs the user no measuring time.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from planner import __version__
from planner.core.errors import InputError
from planner.core.run import RunConfig, RunResult
from planner.hardware.inventory import collect_inventory
from planner.models.samples import bundled_sample_paths
from planner.profiling.messages import Message, PointFinished, Progress, RunStarted
from planner.services.profiles import prepare_run, run_profile
from planner.storage.bundles import BundleSite, WrittenBundle, write_bundle
from planner.storage.database import open_database
from planner.storage.machines import MachineRepository

CONCURRENCY_SWEEP = (1, 2, 4, 8)
MAX_POINT_S = 10.0


@dataclass(frozen=True)
class AssessRequest:
    models: tuple[Path, ...]
    budget_s: float
    site: str
    notes: str
    out: Path
    overwrite: bool = False


@dataclass(frozen=True)
class AssessOutcome:
    bundle: WrittenBundle
    runs: tuple[RunResult, ...]
    interrupted: bool
    skipped: tuple[Path, ...]


ProgressFn = Callable[[float, float | None, str], None]
LineFn = Callable[[str], None]


def assessment_config(model: Path, budget_s: float) -> RunConfig:
    """A concurrency sweep that fits ``budget_s`` (the engine stops at the budget)."""
    return RunConfig(
        model_path=str(model),
        scenario="concurrency",
        concurrency=CONCURRENCY_SWEEP,
        time_budget_s=budget_s,
        point_cap_s=min(MAX_POINT_S, max(budget_s / len(CONCURRENCY_SWEEP), 0.5)),
    )


def assess(
    request: AssessRequest, on_progress: ProgressFn, on_line: LineFn, backend: str = "process"
) -> AssessOutcome:
    check_bundle_target(request.out, request.overwrite)
    inventory = collect_inventory()
    per_model = request.budget_s / max(len(request.models), 1)
    runs: list[RunResult] = []
    interrupted = False
    with tempfile.TemporaryDirectory(prefix="planner-assess-") as folder:
        opened = open_database(Path(folder) / "assessment.db")
        try:
            MachineRepository(opened.db).save_inventory(inventory)
            prepared = [
                prepare_run(opened, assessment_config(m, per_model)) for m in request.models
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
    skipped = tuple(request.models[len(runs) :])
    return AssessOutcome(bundle, tuple(runs), interrupted, skipped)


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
            point = message.point
            p99 = "—" if point.stats.p99 is None else f"{point.stats.p99:.3f} ms"
            on_line(f"  {name} {point.label}: {point.throughput_ips:,.1f} inf/s, p99 {p99}")

    return listen


def _run_line(result: RunResult) -> str:
    reason = f" ({result.failure_reason})" if result.failure_reason else ""
    return f"{result.model_name}: {result.status}, {len(result.points)} point(s){reason}"


def default_models(given: Sequence[str] | None) -> tuple[Path, ...]:
    """The models the user named, or the bundled samples."""
    if given:
        return tuple(Path(m) for m in given)
    return tuple(bundled_sample_paths())
