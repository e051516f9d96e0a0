"""Importing planner and ONNX Runtime writes nothing into the user's home folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_planner_switches_off_onnxruntime_telemetry_before_it_loads(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "ORT_DISABLE_TELEMETRY"}
    env.update(HOME=str(home), TMPDIR=str(tmp_path))
    code = "import planner, onnxruntime; import planner.models.inspect"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
    assert list(home.rglob("*")) == []
