"""A model file whose name holds terminal escapes and bidi controls is shown escaped.

``inspect`` prints the name in its table, ``profile`` in its "Profiling ..." line and its
run summary, ``runs`` and ``show`` from the database: none may pass a control or format
character through to the terminal.
"""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import pytest

from planner.cli.main import main

HOSTILE = "ev\x1b[31mil\u202eX\u061c\u00ad\U000e0001.onnx"
FAST = ["--budget", "4s", "--point-cap", "1s", "--intra-op", "1"]


def _raw_controls(text: str) -> set[str]:
    """Characters a terminal would obey or that reorder or hide text (line breaks pass)."""
    return {c for c in text if c != "\n" and unicodedata.category(c) in ("Cc", "Cf")}


@pytest.fixture
def hostile_model(tmp_path: Path, mlp_model_path: Path) -> Path:
    return Path(shutil.copyfile(mlp_model_path, tmp_path / HOSTILE))


def test_inspect_escapes_the_file_name(
    hostile_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["inspect", str(hostile_model)]) == 0
    out = capsys.readouterr().out
    assert not _raw_controls(out)
    assert "ev\\u001b[31mil\\u202eX\\u061c\\u00ad\\U000e0001" in out


def test_profile_runs_and_show_escape_the_file_name(
    hostile_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "p.db")
    assert main(["--db", db, "profile", str(hostile_model), "--scenario", "offline", *FAST]) == 0
    captured = capsys.readouterr()
    assert "Profiling ev\\u001b[31mil\\u202eX" in captured.err
    assert not _raw_controls(captured.out + captured.err)
    assert main(["--db", db, "runs", "--json"]) == 0
    [run] = json.loads(capsys.readouterr().out)
    for argv in (["runs"], ["show", run["id"]]):
        assert main(["--db", db, *argv]) == 0
        captured = capsys.readouterr()
        assert "ev\\u001b[31mil" in captured.out and not _raw_controls(captured.out), argv
