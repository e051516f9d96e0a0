"""What ``planner profile``, ``runs`` and ``show`` print reads at a glance.

A budget that runs out names the points it never measured; ``runs`` shows each start to
the second with its time zone; an energy note shared by every point is said once; a
generative point's line gives its end-to-end latency.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

from builders import make_run, store_run

from planner.cli import main as cli_main
from planner.cli.profile_cmd import skip_reason, unmeasured
from planner.cli.run_text import format_point_line, format_run
from planner.cli.runs_cmd import started
from planner.core.run import EnergyResult
from planner.models.samples import bundled_sample_paths
from planner.storage.database import open_database
from planner.storage.runs import RunRepository


def test_a_budget_that_runs_out_names_the_points_it_skipped(tmp_path: Path, capsys) -> None:
    mlp = next(p for p in bundled_sample_paths() if p.name == "mlp.onnx")
    args = ["--db", str(tmp_path / "p.db"), "profile", str(mlp), "--scenario", "offline"]
    args += ["--batch", "1,2,4,8,16,32,64,128", "--budget", "2.5s", "--point-cap", "1s"]
    assert cli_main.main([*args, "--intra-op", "1"]) == 0
    out = capsys.readouterr().out
    match = re.search(r"Not measured: (.+) \((.+)\)$", out, re.MULTILINE)
    assert match is not None, out
    skipped = match.group(1).split(", ")
    assert skipped[-1] == "batch 128" and all(s.startswith("batch ") for s in skipped)
    assert "time budget 2.5 s reached" in match.group(2) and "--budget" in match.group(2)


def test_unmeasured_is_the_tail_of_the_plan() -> None:
    planned = ["batch 1", "batch 2", "batch 4"]
    assert unmeasured(planned, ("p1",)) == ["batch 2", "batch 4"]
    assert unmeasured(planned, ("p1", "p2", "p3")) == []
    assert skip_reason(("sweep stopped after batch 2: gains under 5%",)) == (
        "sweep stopped after batch 2: gains under 5%"
    )
    assert skip_reason(()) == "the run ended first"


def test_runs_shows_whole_start_times_with_their_zone(tmp_path: Path, capsys) -> None:
    opened = open_database(tmp_path / "p.db")
    store_run(opened, started_at="2026-11-29T01:19:24.123456+00:00")
    opened.close()
    assert cli_main.main(["--db", str(tmp_path / "p.db"), "runs"]) == 0
    out = capsys.readouterr().out
    assert "2026-11-29 01:19:24 UTC" in out and ".123456" not in out
    assert started("2026-11-29T06:49:24+05:30") == "2026-11-29 06:49:24 +05:30"
    assert started("not a time") == "not a time"


def test_an_energy_note_shared_by_every_point_is_said_once() -> None:
    unavailable = EnergyResult("unavailable", reason="no meter readable")
    run = make_run(points=3)
    run = replace(run, points=tuple(replace(p, energy=unavailable) for p in run.points))
    text = format_run(run)
    assert text.count("no meter readable") == 1
    assert "Energy of every point: energy unavailable: no meter readable" in text


def test_an_estimate_says_so_once_and_a_meter_reading_not_at_all() -> None:
    point = make_run(points=1).points[0]
    tdp = EnergyResult("TDP estimate", 1.0, 0.0012, 15.0, 833.0, estimated=True)
    line = format_point_line(replace(point, energy=tdp))
    assert line.endswith("1.200 mJ/inf (TDP estimate)")
    rapl = EnergyResult("RAPL", 1.0, 0.0012, 15.0, 833.0)
    assert format_point_line(replace(point, energy=rapl)).endswith("mJ/inf (RAPL)")
    other = EnergyResult("catalogue power", 1.0, 0.0012, 15.0, 833.0, estimated=True)
    assert format_point_line(replace(point, energy=other)).endswith("(catalogue power, estimated)")


def test_a_generative_point_line_gives_end_to_end_latency(
    tmp_path: Path, capsys, generative_template
) -> None:
    template, run_id = generative_template
    db = tmp_path / "p.db"
    shutil.copy(template, db)
    assert cli_main.main(["--db", str(db), "show", run_id]) == 0
    out = capsys.readouterr().out
    opened = open_database(db)
    run = RunRepository(opened.db).load(run_id)
    opened.close()
    for point in run.points:
        assert point.tokens is not None
        e2e = point.tokens.e2e
        line = next(text for text in out.splitlines() if text.strip().startswith(point.label))
        assert f"E2E p50 {e2e.p50:.3f} p90 {e2e.p90:.3f}" in line
