"""Report tests: databases holding measured runs and a computed plan, in inferences or tokens.

Offscreen Qt and the session's QApplication come from ``tests/conftest.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import store_run, store_token_run, three_option_scenario, token_scenario

from planner.services.plans import ComputedPlan, plan_from_text
from planner.services.seeding import seed_database
from planner.storage.database import open_database


@pytest.fixture
def planned_db(tmp_path: Path) -> tuple[Path, ComputedPlan]:
    """A seeded database with one concurrency run and one stored plan over it."""
    path = tmp_path / "planner.db"
    opened = open_database(path)
    seed_database(opened)
    run = store_run(opened, points=4, scenario="concurrency")
    scenario = three_option_scenario(run.id[:8], "report test", '=HYPERLINK(\\"http://x\\") server')
    computed = plan_from_text(opened, scenario, None)
    opened.close()
    return path, computed


@pytest.fixture
def token_planned_db(tmp_path: Path) -> tuple[Path, ComputedPlan]:
    """A seeded database with one generative run and a plan in tokens over it."""
    path = tmp_path / "tokens.db"
    opened = open_database(path)
    seed_database(opened)
    run = store_token_run(opened)
    computed = plan_from_text(opened, token_scenario(run.id[:8]), None)
    opened.close()
    return path, computed
