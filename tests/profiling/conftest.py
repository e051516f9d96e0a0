"""Fast run settings for profiling tests (short windows and caps)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner.core.run import RunConfig


def quick_config(model: Path | str, **changes: Any) -> RunConfig:
    """A RunConfig that measures each point in well under a second."""
    settings: dict[str, Any] = {
        "time_budget_s": 6.0,
        "point_cap_s": 0.5,
        "warmup_s": 0.02,
        "window_s": 0.05,
        "intra_op_threads": 1,
        "telemetry_period_s": 0.05,
    }
    settings.update(changes)
    return RunConfig(str(model), **settings)


@pytest.fixture
def quick() -> Any:
    return quick_config
