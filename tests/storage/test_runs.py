"""Runs round-trip through SQLite with samples and telemetry; partial runs survive.

A running run whose recording process is gone reads ``interrupted``, keeping its points.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from builders import make_inventory, make_model_info, make_point, make_run

from planner.core.errors import StorageError
from planner.core.model import InputSettings
from planner.storage.database import open_database
from planner.storage.input_settings import InputSettingsRepository
from planner.storage.machines import MachineRepository
from planner.storage.models import ModelRepository
from planner.storage.run_owners import RunOwner
from planner.storage.runs import RunRepository


@pytest.fixture
def stores(tmp_path: Path):
    opened = open_database(tmp_path / "planner.db")
    machine_id = MachineRepository(opened.db).save_inventory(make_inventory())
    model_id = ModelRepository(opened.db).upsert(make_model_info())
    yield RunRepository(opened.db), machine_id, model_id, opened
    opened.close()


def _assert_same_point(a, b) -> None:
    assert a.to_dict(include_samples=False) == b.to_dict(include_samples=False)
    assert a.samples_ms.dtype == np.float32
    np.testing.assert_array_equal(a.samples_ms, b.samples_ms)


def test_complete_run_round_trips(stores) -> None:
    runs, machine_id, model_id, _ = stores
    run = make_run()
    runs.save(run, machine_id, model_id)
    loaded = runs.load(run.id)
    assert loaded.to_dict(include_samples=False) == run.to_dict(include_samples=False)
    for a, b in zip(loaded.points, run.points, strict=True):
        _assert_same_point(a, b)
    assert runs.machine_of(run.id) == machine_id
    [summary] = runs.all()
    assert (summary.model_name, summary.point_count, summary.status) == ("mlp", 2, "completed")


def test_samples_are_a_float32_blob(stores) -> None:
    runs, machine_id, model_id, opened = stores
    runs.save(make_run(points=1), machine_id, model_id)
    count, encoding, size = opened.db.execute(
        "SELECT count, encoding, length(data) FROM samples"
    ).fetchone()
    assert (count, encoding, size) == (1000, "float32-le", 4000)


def test_points_written_before_a_crash_are_kept(stores) -> None:
    runs, machine_id, model_id, _ = stores
    run = make_run(points=0)
    runs.begin(run.id, machine_id, model_id, run.config, run.started_at)
    runs.add_point(run.id, 0, make_point(0))
    partial = runs.load(run.id)
    assert partial.status == "running"
    assert len(partial.points) == 1
    failed = dataclasses.replace(
        run, status="failed", failure_reason="worker crashed (signal 11)", points=()
    )
    runs.finish(failed)
    loaded = runs.load(run.id)
    assert (loaded.status, loaded.failure_reason) == ("failed", "worker crashed (signal 11)")
    assert len(loaded.points) == 1


def test_short_ids_resolve_like_git(stores) -> None:
    runs, machine_id, model_id, _ = stores
    runs.save(make_run("abcd1111-0000-0000-0000-000000000000", 0), machine_id, model_id)
    runs.save(make_run("abcd2222-0000-0000-0000-000000000000", 0), machine_id, model_id)
    assert runs.resolve_id("ABCD1") == "abcd1111-0000-0000-0000-000000000000"
    with pytest.raises(StorageError, match="ambiguous"):
        runs.resolve_id("abcd")
    with pytest.raises(StorageError, match="no run"):
        runs.resolve_id("ffff")
    with pytest.raises(StorageError, match="too short"):
        runs.resolve_id("ab")
    with pytest.raises(StorageError, match="no run"):
        runs.resolve_id("ab%_")


def test_same_model_file_is_one_model(stores) -> None:
    _, _, model_id, opened = stores
    models = ModelRepository(opened.db)
    moved = make_model_info(path="/elsewhere/mlp.onnx")
    assert models.upsert(moved) == model_id
    assert models.get(model_id).info.path == "/elsewhere/mlp.onnx"
    assert len(models.all()) == 1


def _dead_owner() -> RunOwner:
    """The identity of a process that has exited (a real child, waited for)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return RunOwner(child.pid, 1.0, socket.gethostname())


def test_run_of_a_dead_process_is_interrupted_with_its_points(stores) -> None:
    runs, machine_id, model_id, _ = stores
    run = make_run(points=0)
    provenance = dataclasses.replace(run, status="running")
    runs.begin(run.id, machine_id, model_id, run.config, run.started_at, provenance, _dead_owner())
    runs.add_point(run.id, 0, make_point(0))
    [summary] = runs.all()
    assert summary.status == "interrupted" and summary.point_count == 1
    assert "ended before the run did; the 1 point(s) it finished are kept" in (
        summary.failure_reason
    )
    loaded = runs.load(run.id)
    assert loaded.status == "interrupted" and len(loaded.points) == 1
    assert loaded.model_name == run.model_name and loaded.dims_used == run.dims_used


def test_run_of_this_live_process_stays_running(stores) -> None:
    runs, machine_id, model_id, _ = stores
    run = make_run(points=0)
    runs.begin(run.id, machine_id, model_id, run.config, run.started_at)
    assert runs.mark_interrupted() == []
    assert runs.load(run.id).status == "running"


def test_pid_reused_by_another_process_counts_as_gone(stores) -> None:
    runs, machine_id, model_id, _ = stores
    run = make_run(points=0)
    impostor = RunOwner(os.getpid(), RunOwner.current().started - 3600.0, socket.gethostname())
    runs.begin(run.id, machine_id, model_id, run.config, run.started_at, owner=impostor)
    assert runs.mark_interrupted() == [run.id]


def test_another_hosts_run_is_left_alone(stores) -> None:
    runs, machine_id, model_id, _ = stores
    run = make_run(points=0)
    elsewhere = RunOwner(1, 1.0, "some-other-host.invalid")
    runs.begin(run.id, machine_id, model_id, run.config, run.started_at, owner=elsewhere)
    assert runs.mark_interrupted() == [] and runs.load(run.id).status == "running"


def test_running_rows_from_before_owners_were_recorded_are_interrupted(stores) -> None:
    runs, machine_id, model_id, opened = stores
    run = make_run(points=0)
    runs.begin(run.id, machine_id, model_id, run.config, run.started_at)
    opened.db.execute("UPDATE runs SET owner_pid = NULL")
    assert runs.mark_interrupted() == [run.id]
    assert "an older planner" in runs.load(run.id).failure_reason


def test_input_settings_round_trip_and_replace(stores) -> None:
    _runs, _machine, _model, opened = stores
    repo = InputSettingsRepository(opened.db)
    assert repo.get("a" * 64) is None
    first = InputSettings({"h": 640, "w": 640}, {"ids": (0, 30522)}, ("x.npz",))
    repo.save("a" * 64, first)
    assert repo.get("a" * 64) == first
    repo.save("a" * 64, InputSettings({"h": 320}))
    assert repo.get("a" * 64) == InputSettings({"h": 320})
    assert repo.delete("a" * 64) and not repo.delete("a" * 64)
