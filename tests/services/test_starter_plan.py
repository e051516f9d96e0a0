"""The first-launch scenario plans this machine against a cloud instance and an API."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest
from builders import make_inventory, make_model_info, make_run, store_run

from planner.core.units import SECONDS_PER_MONTH
from planner.planning.starter import starter_for_run, starter_scenario_toml
from planner.services.plans import compute_from_text
from planner.services.seeding import seed_database
from planner.storage.database import open_database
from planner.storage.machines import MachineRepository
from planner.storage.models import ModelRepository
from planner.storage.runs import RunRepository


def test_starter_scenario_computes_with_sourced_defaults(tmp_path: Path) -> None:
    opened = open_database(tmp_path / "p.db")
    seed_database(opened)
    run = store_run(opened, points=1, scenario="single-stream")

    _spec, used, result = compute_from_text(opened, starter_scenario_toml(run.id, "mlp", 50.0))
    opened.close()

    assert used == (run.id,)
    kinds = [o.kind for o in result.options]
    assert kinds == ["on-prem", "cloud", "api"]
    onprem, cloud, api = result.options
    assert onprem.total > 0 and cloud.total > 0
    # Catalogue fee 0.5 per 1k plus the API's default staff, 0.1 FTE x 200,000 a year over
    # 36 months, spread over the requests served at 20/s growing 30% a year.
    served = sum(20.0 * 1.3 ** (m / 12) * SECONDS_PER_MONTH for m in range(36))
    assert api.cost_per_1k == pytest.approx(0.5 + 0.1 * 200_000 * 3 / served * 1000)
    # Both priced machines stand in for the measured one, and the plan says so.
    assert all(any("representative" in w for w in o.warnings) for o in (onprem, cloud))
    onprem_sources = {p.source for p in onprem.provenance if p.kind == "catalogue"}
    assert any("placeholder" in (s or "") for s in onprem_sources)
    # A single-stream run: capacity is a queueing estimate from it, labelled so.
    assert any(p.kind == "estimated" and run.id in p.detail for p in onprem.provenance)


def test_a_run_without_p99_everywhere_plans_at_p90(tmp_path: Path) -> None:
    """A short or slow point has no p99: the starter then names p90, which every point
    measured, instead of a p99 target capacity cannot be read against."""
    opened = open_database(tmp_path / "p.db")
    seed_database(opened)
    run = make_run(points=3, scenario="concurrency")
    short = dataclasses.replace(run.points[2].stats, p99=None)
    run = dataclasses.replace(
        run, points=(*run.points[:2], dataclasses.replace(run.points[2], stats=short))
    )
    machine_id = MachineRepository(opened.db).save_inventory(make_inventory())
    model_id = ModelRepository(opened.db).upsert(make_model_info())
    RunRepository(opened.db).save(run, machine_id, model_id)
    starter = starter_for_run(run)
    assert 'latency_percentile = "p90"' in starter.toml
    assert "the worst p90 this run measured" in starter.notes[0]
    _spec, _used, result = compute_from_text(opened, starter.toml)
    assert math.isfinite(result.options[0].total) and result.options[0].total > 0
    opened.close()
