"""Report tests: a database holding a measured run and a computed plan.

Offscreen Qt and the session's QApplication come from ``tests/conftest.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import store_run

from planner.cli.plan_service import ComputedPlan, plan_from_text
from planner.cli.seed import seed_database
from planner.storage.database import open_database

SCENARIO = """
name = "report test"
currency = "USD"
country = "USA"

[demand]
average_rate = 50.0
peak_factor = 2.0
growth_per_year = 0.2
horizon_months = 36
latency_percentile = "p99"
latency_target_ms = 50.0
price_per_1k = 0.5

[[options]]
kind = "on-prem"
name = "=HYPERLINK(\\"http://x\\") server"
runs = ["RUN"]
unit_price = 8000.0
unit_power_w = 300
staff_fte = 0.1

[[options]]
kind = "cloud"
name = "g6e on demand"
runs = ["RUN"]
provider = "aws"
instance = "g6e.xlarge"
region = "us-east-1"
pricing = "on-demand"

[[options]]
kind = "api"
name = "managed API"
price_per_1k_requests = 0.4
"""


@pytest.fixture
def planned_db(tmp_path: Path) -> tuple[Path, ComputedPlan]:
    """A seeded database with one concurrency run and one stored plan over it."""
    path = tmp_path / "planner.db"
    opened = open_database(path)
    seed_database(opened)
    run = store_run(opened, points=4, scenario="concurrency")
    computed = plan_from_text(opened, SCENARIO.replace("RUN", run.id[:8]), None)
    opened.close()
    return path, computed
