"""`planner assess` and `planner import` end to end, through the CLI entry point."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from builders import make_run

import planner.cli.main as cli_main
from planner.services import assessment
from planner.storage.bundle_import import ImportRepository
from planner.storage.database import open_database
from planner.storage.runs import RunRepository


def _dump(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def test_assess_this_machine_then_import_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "here.plannerbundle"
    args = ["--db", str(tmp_path / "unused.db"), "assess", "--budget", "10s"]
    args += ["--site", "Lab 3", "--notes", "short smoke test", "--out", str(bundle)]
    assert cli_main.main(args) == 0
    out = capsys.readouterr().out
    assert f"Wrote {bundle}" in out and "site 'Lab 3'" in out and "sha256:" in out
    assert not list(tmp_path.glob("*.part"))
    db = tmp_path / "office.db"
    assert cli_main.main(["--db", str(db), "import", str(bundle)]) == 0
    first = capsys.readouterr().out
    # the office database already knows the bundled samples (seeded), matched by sha256
    assert "site 'Lab 3'" in first and "added 1 machine, 0 models, 3 runs" in first
    before = _dump(db)
    assert cli_main.main(["--db", str(db), "import", str(bundle)]) == 0
    assert "already imported, nothing added" in capsys.readouterr().out
    assert _dump(db) == before
    opened = open_database(db)
    runs = RunRepository(opened.db).all()
    [record] = ImportRepository(opened.db).all()
    opened.close()
    assert record.site == "Lab 3" and record.notes == "short smoke test"
    assert {r.model_name for r in runs} >= {"mlp", "cnn"}
    assert all(r.point_count >= 1 for r in runs if r.status == "completed")


def test_ctrl_c_still_writes_the_bundle_of_what_was_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[str] = []

    def fake_run_profile(opened, prepared, listener, backend="process"):
        calls.append(prepared.config.model_path)
        if len(calls) > 1:
            raise KeyboardInterrupt
        run = make_run("12345678-0000-4000-8000-000000000000")
        RunRepository(opened.db).save(run, prepared.machine_id, prepared.model_id)
        return run

    monkeypatch.setattr(assessment, "run_profile", fake_run_profile)
    bundle = tmp_path / "cut.bundle"
    assert cli_main.main(["assess", "--budget", "30s", "--site", "S", "--out", str(bundle)]) == 0
    out = capsys.readouterr().out
    assert "Interrupted" in out and "cnn.onnx" in out and "1 run(s)" in out
    db = tmp_path / "p.db"
    assert cli_main.main(["--db", str(db), "import", str(bundle)]) == 0
    assert "1 run," in capsys.readouterr().out


def test_import_reports_a_bad_bundle_and_imports_the_good_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.bundle"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    db = tmp_path / "p.db"
    assert cli_main.main(["--db", str(db), "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("planner: error: bundle bad.bundle rejected:") and err.count("\n") == 1


def test_assess_rejects_a_missing_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.bundle"
    args = ["assess", "--model", str(tmp_path / "nope.onnx"), "--out", str(out)]
    assert cli_main.main(args) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert not out.exists()


def test_an_assessment_that_measured_nothing_says_so_and_exits_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A budget too small for any point still leaves a valid bundle (the machine and the
    failed runs' reasons), but the exit status and a line say nothing was measured."""
    bundle = tmp_path / "tiny.plannerbundle"
    args = ["--db", str(tmp_path / "unused.db"), "assess", "--budget", "0.3s", "--out", str(bundle)]
    assert cli_main.main([*args, "--model", "cnn"]) == 3
    captured = capsys.readouterr()
    assert "0 point(s)" in captured.out and bundle.is_file()
    assert "No point was measured" in captured.err and "--budget" in captured.err
