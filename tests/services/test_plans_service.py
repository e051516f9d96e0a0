"""The plans service reads what the planning engine needs from a real database."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from builders import store_run

from planner.models.genai_inspect import genai_model_info
from planner.models.genai_sample import DESCRIPTION, sample_folder
from planner.services.plans import points_for
from planner.storage.database import open_database
from planner.storage.models import ModelRepository


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
