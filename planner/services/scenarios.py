"""Where the Plan page's scenarios come from: the example, files, stored scenarios, runs.

GUI thread (it reads the database the GUI thread owns); no Qt. Scenarios are handled as
dicts with the structure of the TOML file; loading checks that structure enough for the
form to show it, and the page's recompute reports everything else inline.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.core.errors import ScenarioError
from planner.core.files import read_user_text
from planner.core.resources import resources_dir
from planner.planning.scenario_writer import to_toml
from planner.planning.starter import starter_for_run
from planner.storage.database import OpenedDatabase
from planner.storage.plans import PlanRepository
from planner.storage.runs import RunRepository, RunSummary

EXAMPLE_RUN = "<run-id>"
NO_PLANNABLE_RUN = (
    "No run with latency under load yet: profile a model with the single-stream, "
    "concurrency or server scenario first"
)


@dataclass(frozen=True)
class StoredScenario:
    id: str
    name: str
    computed_at: str


def scenario_from_text(text: str) -> dict[str, Any]:
    """A scenario dict from TOML text, with the tables the form needs checked."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"scenario is not valid TOML: {exc}") from None
    if not isinstance(doc.get("demand", {}), dict):
        raise ScenarioError("[demand] must be a table")
    options = doc.get("options", [])
    if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
        raise ScenarioError("options must be [[options]] tables")
    return doc


def read_scenario_file(path: Path) -> dict[str, Any]:
    return scenario_from_text(read_user_text(path, "scenario", ScenarioError))


def write_scenario_file(path: Path, scenario: dict[str, Any]) -> None:
    try:
        path.write_text(to_toml(scenario), encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"cannot write {path}: {exc.strerror}") from None


def example_scenario() -> dict[str, Any]:
    """The documented example, its placeholder run ids replaced by ``latest``."""
    doc = read_scenario_file(resources_dir() / "scenarios" / "example.toml")
    return with_runs(doc, ["latest"], only_placeholders=True)


def starter_plan(opened: OpenedDatabase, run_id: str) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The first-plan scenario for a run and, in words, every figure it chose (see
    ``planning.starter``: the latency target, or a generative run's tokens and targets)."""
    starter = starter_for_run(RunRepository(opened.db).load(run_id))
    return scenario_from_text(starter.toml), starter.notes


def with_runs(
    scenario: dict[str, Any], run_ids: list[str], *, only_placeholders: bool = False
) -> dict[str, Any]:
    """The scenario with the runs of its measured (on-prem and cloud) options set."""
    for option in scenario.get("options", []):
        if option.get("kind") == "api":
            continue
        if only_placeholders and option.get("runs") not in ([EXAMPLE_RUN], None):
            continue
        option["runs"] = list(run_ids)
    return scenario


def plannable_runs(opened: OpenedDatabase) -> list[RunSummary]:
    """Runs a plan can size servers from (see ``planner.core.run.is_plannable``), newest first."""
    return [r for r in RunRepository(opened.db).all() if r.plannable]


def completed_runs(opened: OpenedDatabase) -> list[RunSummary]:
    """Runs a report or comparison can show: completed, with at least one point, newest first."""
    return [r for r in RunRepository(opened.db).all() if r.reportable]


def stored_scenarios(opened: OpenedDatabase) -> list[StoredScenario]:
    """Scenarios that have a stored plan, newest plan first, each once."""
    seen: dict[str, StoredScenario] = {}
    for plan in PlanRepository(opened.db).plans():
        if plan.scenario_id not in seen:
            seen[plan.scenario_id] = StoredScenario(
                plan.scenario_id, plan.scenario_name, plan.computed_at
            )
    return list(seen.values())


def stored_scenario(opened: OpenedDatabase, scenario_id: str) -> dict[str, Any]:
    return scenario_from_text(stored_scenario_text(opened, scenario_id))


def stored_scenario_text(opened: OpenedDatabase, scenario_id: str) -> str:
    """The TOML text of a stored scenario, as it was saved."""
    found = PlanRepository(opened.db).scenario_text(scenario_id)
    if found is None:
        raise ScenarioError(f"stored scenario {scenario_id[:8]} no longer exists")
    return found[1]


def copy_name(name: str, taken: set[str]) -> str:
    """'name (copy)', 'name (copy 2)', ... not in ``taken``."""
    candidate, number = f"{name} (copy)", 2
    while candidate in taken:
        candidate = f"{name} (copy {number})"
        number += 1
    return candidate
