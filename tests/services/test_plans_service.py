"""The plans service reads what the planning engine needs from a real database."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from builders import (
    make_inventory,
    make_model_info,
    make_run,
    store_run,
    store_token_run,
    three_option_scenario,
    token_scenario,
)

from planner.core.errors import ScenarioError
from planner.models.genai_inspect import genai_model_info
from planner.models.genai_sample import DESCRIPTION, sample_folder
from planner.services.plans import compute_from_text, points_for
from planner.services.seeding import seed_database
from planner.storage.database import open_database
from planner.storage.machines import MachineRepository
from planner.storage.models import ModelRepository
from planner.storage.runs import RunRepository

NEWER = "2026-11-27T10:00:00+00:00"


def test_points_carry_what_the_measured_model_says_of_itself(tmp_path: Path) -> None:
    opened = open_database(tmp_path / "p.db")
    run = store_run(opened, points=2)
    points, used = points_for(opened, (run.id[:8],))
    assert used == (run.id,) and all(p.model_note == "" for p in points[run.id[:8]])
    decoder = genai_model_info(sample_folder())
    assert decoder.generative is not None and decoder.generative.note == DESCRIPTION
    ModelRepository(opened.db).upsert(dataclasses.replace(decoder, sha256=run.model_sha256))
    points, _ = points_for(opened, ("latest",))
    assert [p.model_note for p in points["latest"]] == [DESCRIPTION, DESCRIPTION]
    context = decoder.generative.context_length
    assert [p.context_length for p in points["latest"]] == [context, context]
    opened.close()


def test_latest_is_the_newest_run_of_the_demands_kind(tmp_path: Path) -> None:
    opened = open_database(tmp_path / "p.db")
    seed_database(opened)
    tokens = store_token_run(opened)
    newer = store_run(opened, run_id="b" * 8 + "-0000-0000-0000-" + "0" * 12, started_at=NEWER)
    _spec, used, _result = compute_from_text(opened, token_scenario("latest"))
    assert used == (tokens.id,)
    _spec, used, _result = compute_from_text(opened, three_option_scenario("latest"))
    assert used == (newer.id,)
    opened.close()


def test_latest_of_a_kind_with_no_such_run_says_which_kind(tmp_path: Path) -> None:
    opened = open_database(tmp_path / "p.db")
    seed_database(opened)
    store_run(opened)
    with pytest.raises(ScenarioError, match="latest generative run"):
        compute_from_text(opened, token_scenario("latest"))
    opened.close()


def test_points_name_the_model_their_run_measured(tmp_path: Path) -> None:
    # capacity_from_points compares the sha256 to refuse runs of different models.
    opened = open_database(tmp_path / "p.db")
    run = store_run(opened, points=2)
    points, _ = points_for(opened, (run.id,))
    assert run.model_sha256 and run.model_name
    assert {(p.model_sha256, p.model_name) for p in points[run.id]} == {
        (run.model_sha256, run.model_name)
    }
    opened.close()


def test_a_plan_says_when_its_run_measured_at_assumed_input_sizes(tmp_path: Path) -> None:
    opened = open_database(tmp_path / "p.db")
    seed_database(opened)
    run = dataclasses.replace(
        make_run(points=3, scenario="concurrency"),
        dims_used={"batch": 1, "height": 640, "width": 640},
        assumed={"height": "640: detector convention", "width": "640: detector convention"},
    )
    machine_id = MachineRepository(opened.db).save_inventory(make_inventory())
    model_id = ModelRepository(opened.db).upsert(make_model_info())
    RunRepository(opened.db).save(run, machine_id, model_id)
    _spec, _used, result = compute_from_text(opened, three_option_scenario(run.id))
    expected = (
        f"run {run.id[:8]} measured at input sizes planner assumed "
        "(batch=1, height=640*, width=640*; * assumed)"
    )
    assert any(w.startswith(expected) for w in result.options[0].warnings)
    opened.close()
