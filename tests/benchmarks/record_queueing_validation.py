"""Record a concurrency sweep and a server-rate ladder of the test CNN for the queueing check.

Run: python tests/benchmarks/record_queueing_validation.py [OUT.json]
Writes the measured points (as planning reads them) of a closed-loop sweep at concurrency 1
and of server runs with one worker (the same set-up) at 30-100% of the sweep's throughput,
with the machine's load, to
tests/planning/data/queueing_validation.json; tests/planning/test_queueing_validation.py
checks the queueing estimate against them. Takes about a minute; run on a quiet machine.
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import sys
import tempfile
from pathlib import Path
from typing import Any

from planner.core.run import RunConfig, RunResult
from planner.models.builders import build_cnn, save_model
from planner.profiling.runner import ProfileRunner
from planner.services.plans import measured_points

OUT = Path(__file__).resolve().parents[1] / "planning" / "data" / "queueing_validation.json"
SETTINGS: dict[str, Any] = {"warmup_s": 0.2, "window_s": 0.25, "intra_op_threads": 1}


def _run(model: Path, **settings: Any) -> RunResult:
    runner = ProfileRunner(RunConfig(str(model), **(SETTINGS | settings)), backend="inprocess")
    runner.start()
    list(runner.messages())
    return runner.result()


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    model = save_model(build_cnn(), Path(tempfile.mkdtemp()) / "cnn.onnx")
    sweep = _run(model, scenario="concurrency", concurrency=(1,), time_budget_s=10, point_cap_s=6)
    top = sweep.points[0].throughput_ips
    rates = tuple(round(top * share, 1) for share in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0))
    server = _run(model, scenario="server", target_rates=rates, time_budget_s=80, point_cap_s=6)
    points = measured_points(sweep, "recorded") + measured_points(server, "recorded")
    record = {
        "model": "planner.models.builders.build_cnn (test CNN, batch 1, 1 intra-op thread)",
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs",
        "load_average": os.getloadavg(),
        "points": [dataclasses.asdict(p) for p in points],
    }
    out.write_text(json.dumps(record, indent=1) + "\n")
    print(f"{len(points)} points written to {out}")


if __name__ == "__main__":
    main()
