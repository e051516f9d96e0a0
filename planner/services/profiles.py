"""Drive one profiling run and store it as it happens: the same path for CLI and GUI.

Runs on the caller's listening thread: the CLI main thread, or the GUI's QThread listener
(which must then give this module its own database connection, since a connection
belongs to one thread). Bad input (model, dims, input files, provider) is checked here,
before a worker starts, and raised as a one-line error — a dimension no convention can
size is refused here, naming the ``--dim`` options to give; everything after that ends
as a stored run — completed, cancelled or failed — with every point finished before the
end, each committed as it arrives (a killed process leaves an ``interrupted`` run).

Saved input settings (:class:`~planner.core.model.InputSettings`, per model sha256) fill
whatever the caller did not give: flags win key by key, input files as a whole. Batch
sizes whose inputs would not fit in memory are refused before any is drawn (see
:mod:`planner.services.input_memory`).
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from planner.core.errors import ProfilingError
from planner.core.model import InputSettings
from planner.core.run import RunConfig, RunResult, Scenario
from planner.hardware.inventory import collect_inventory
from planner.hardware.providers import CPU, usable_providers
from planner.models.genai_inspect import describe_model
from planner.models.inspect import inspect_model
from planner.profiling.genai_probe import probe_genai, probe_genai_in_background
from planner.profiling.messages import Message, PointFinished, RunFailed, RunFinished, RunStarted
from planner.profiling.procedure import empty_result
from planner.profiling.runner import ProfileRunner
from planner.profiling.session import feeds_for, inspect_for_run
from planner.services.input_memory import check_input_memory, out_of_memory_refused
from planner.storage.database import OpenedDatabase
from planner.storage.input_settings import InputSettingsRepository
from planner.storage.machines import MachineRepository
from planner.storage.models import ModelRepository
from planner.storage.runs import RunRepository

OnMessage = Callable[[Message], None]


@dataclass(frozen=True)
class PreparedRun:
    """A validated configuration with the ids it will be stored under.

    ``machine_id`` is None when the machine's inventory could not be recorded; the run
    is then stored without its machine, and says so.
    """

    config: RunConfig
    model_id: str
    machine_id: str | None
    saved_inputs: InputSettings | None = None


def warm_up_generative() -> None:
    """Find out in the background whether generative models can run here, so the first
    generative Start does not wait for that probe on the caller's (GUI) thread."""
    probe_genai_in_background()


def prepare_run(
    opened: OpenedDatabase,
    config: RunConfig,
    machine_id: str | None = None,
    use_saved_inputs: bool = True,
) -> PreparedRun:
    """Validate everything a worker would trip over, record model and machine.

    ``machine_id`` skips probing the machine again when the caller has just recorded its
    inventory (the GUI's Machine page), which keeps the GUI thread responsive.
    ``use_saved_inputs`` fills dims, ranges and files from the model's saved settings;
    ``PreparedRun.saved_inputs`` says which were used.
    """
    if config.scenario == Scenario.GENERATIVE or Path(config.model_path).is_dir():
        return _prepare_generative(opened, config, machine_id)
    providers = usable_providers()
    if config.provider not in providers:
        raise ProfilingError(
            f"execution provider {config.provider} is not usable here; "
            f"choose one of: {', '.join(providers)}"
        )
    info = inspect_for_run(config)
    saved = InputSettingsRepository(opened.db).get(info.sha256) if use_saved_inputs else None
    if saved is not None and not saved.empty:
        config = with_saved_inputs(config, saved)
        info = inspect_for_run(config)
    check_input_memory(config, info)
    with out_of_memory_refused(config, info):
        for batch in sorted({config.batch_sizes[0], config.batch_sizes[-1]}):
            feeds_for(config, info, batch)
    model_id = ModelRepository(opened.db).upsert(info)
    if machine_id is None:
        machine_id = MachineRepository(opened.db).save_inventory(collect_inventory())
    return PreparedRun(config, model_id, machine_id, saved)


def _prepare_generative(
    opened: OpenedDatabase, config: RunConfig, machine_id: str | None
) -> PreparedRun:
    """A decoder folder: onnxruntime-genai must load here, and runs use the CPU build."""
    if config.scenario != Scenario.GENERATIVE:
        raise ProfilingError(
            f"{config.model_path} is a folder: profile it with the generative scenario "
            "(chosen by itself when a decoder folder is given to the Profile page or "
            "to planner profile)"
        )
    genai = probe_genai()
    if not genai.available:
        raise ProfilingError(f"generative models cannot be profiled here: {genai.reason}")
    if config.provider != CPU:
        raise ProfilingError(
            f"generative models are profiled on {CPU} in this build; onnxruntime-genai's "
            "GPU package (onnxruntime-genai-cuda) is needed for another provider"
        )
    info = describe_model(config.model_path)
    model_id = ModelRepository(opened.db).upsert(info)
    if machine_id is None:
        machine_id = MachineRepository(opened.db).save_inventory(collect_inventory())
    return PreparedRun(config, model_id, machine_id, None)


def with_saved_inputs(config: RunConfig, saved: InputSettings) -> RunConfig:
    """``config`` with ``saved`` filling what it lacks (its own values win key by key)."""
    return replace(
        config,
        dims={**saved.dims, **config.dims},
        int_ranges={**saved.int_ranges, **config.int_ranges},
        input_files=config.input_files or saved.input_files,
    )


def save_input_settings(
    opened: OpenedDatabase, model_path: str, settings: InputSettings
) -> InputSettings:
    """Check ``settings`` against the model (they must feed it), then save them."""
    config = RunConfig(
        model_path,
        dims=dict(settings.dims),
        int_ranges=dict(settings.int_ranges),
        input_files=settings.input_files,
    )
    info = inspect_model(model_path, config.dims)
    feeds_for(config, info, 1)
    InputSettingsRepository(opened.db).save(info.sha256, settings)
    return settings


def saved_input_settings(opened: OpenedDatabase, sha256: str) -> InputSettings | None:
    """The settings saved for the model ``sha256``, or None."""
    return InputSettingsRepository(opened.db).get(sha256)


class RunRecorder:
    """Stores each message's effect: run row on start, each point, final status."""

    def __init__(self, opened: OpenedDatabase, prepared: PreparedRun, run_id: str) -> None:
        self._runs = RunRepository(opened.db)
        self._prepared = prepared
        self._run_id = run_id
        self._begun = False

    def record(self, message: Message) -> None:
        if isinstance(message, RunStarted):
            self._begin(message)
        elif isinstance(message, PointFinished):
            self._runs.add_point(self._run_id, message.index, message.point)
        elif isinstance(message, RunFinished | RunFailed):
            self._end(message.result)

    def _begin(self, started: RunStarted) -> None:
        prepared = self._prepared
        provenance = replace(empty_result(prepared.config, self._run_id, started), status="running")
        self._runs.begin(
            self._run_id,
            prepared.machine_id,
            prepared.model_id,
            prepared.config,
            started.started_at,
            provenance,
        )
        self._begun = True

    def _end(self, result: RunResult) -> None:
        if self._begun:
            self._runs.finish(result)
        else:
            self._runs.save(result, self._prepared.machine_id, self._prepared.model_id)


def run_profile(
    opened: OpenedDatabase,
    prepared: PreparedRun,
    on_message: OnMessage | None = None,
    backend: str = "process",
) -> RunResult:
    """Run to the end, storing as it goes; Ctrl-C cancels gracefully, a second one forces."""
    runner = ProfileRunner(prepared.config, backend=backend)
    recorder = RunRecorder(opened, prepared, runner.run_id)
    with _worker_ignores_ctrl_c():
        runner.start()
    while not runner.done:
        try:
            message = runner.poll(0.1)
        except KeyboardInterrupt:
            runner.cancel()
            continue
        if message is None:
            continue
        recorder.record(message)
        if on_message is not None:
            on_message(message)
    return runner.result()


@contextmanager
def _worker_ignores_ctrl_c() -> Iterator[None]:
    """Start the child with SIGINT ignored, so Ctrl-C reaches only this process.

    The terminal sends SIGINT to the whole process group; the parent turns it into a
    graceful cancel, so the worker must not die of it first. A spawned Python child
    keeps an ignored SIGINT, and the parent's own handler is restored right after.
    """
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread (GUI listener): nothing to shield
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
