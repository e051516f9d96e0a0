"""Kill -9 of ``planner profile``: the run reads interrupted and keeps its finished points.

A few trials in CI; ``tests/stress/kill9_profile.py`` runs many more.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from stress.kill9_profile import trial

from planner.models.samples import bundled_sample_paths


@pytest.mark.parametrize("kill_after_points", [0, 1, 2])
def test_kill_9_keeps_every_printed_point_and_marks_the_run(
    tmp_path: Path, kill_after_points: int
) -> None:
    model = next(p for p in bundled_sample_paths() if p.name == "mlp.onnx")
    result = trial(tmp_path / "p.db", model, kill_after_points)
    assert result.status == "interrupted"
    assert result.printed_points >= kill_after_points
    assert result.stored_points >= result.printed_points
    assert result.worker_exited
