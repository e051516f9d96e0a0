"""``planner profile``/``inspect`` on the real-model classes, saved input settings, headless.

Real worker processes on small models built to look like real ones (see
``planner.models.class_builders``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from planner.cli.main import main
from planner.models import class_builders as cb
from planner.models.builders import save_model
from planner.models.inspect import inspect_model
from planner.storage.database import open_database
from planner.storage.models import ModelRepository

FAST = ["--budget", "4s", "--point-cap", "0.5s", "--intra-op", "1"]


def test_headless_commands_do_not_load_qt() -> None:
    code = "import sys, planner.cli.main; print(any(m.startswith('PySide6') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_assumed_dims_show_in_profile_show_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "p.db")
    model = str(save_model(cb.build_yolo_style(), tmp_path / "yolo.onnx"))
    assert main(["--db", db, "profile", model, *FAST, "--json"]) == 0
    run = json.loads(capsys.readouterr().out)["run"]
    assert run["dims_used"] == {"batch": 1, "height": 640, "width": 640}
    assert run["assumed"]["height"] == "640: image height, detector convention"
    assert run["provider_nodes"]["CPUExecutionProvider"] > 0
    assert main(["--db", db, "show", run["id"][:8]]) == 0
    text = capsys.readouterr().out
    assert "Dims       batch=1, height=640*, width=640*" in text
    assert "  * width=640: image width, detector convention (assumed)" in text


def test_negative_paddle_dims_inspect_with_positive_flops(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = str(save_model(cb.build_paddle_recognizer(), tmp_path / "rec.onnx"))
    assert main(["inspect", model, "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["flops"] > 0 and info["dims_used"] == {"x:0": 1, "x:3": 320}
    assert main(["inspect", model]) == 0
    assert "assumed x:3=320: width of a 48-pixel text line" in capsys.readouterr().out


def test_saved_input_settings_are_reused_until_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "p.db")
    model = str(save_model(cb.build_unsizable(), tmp_path / "unsizable.onnx"))
    assert main(["--db", db, "profile", model, *FAST]) == 2
    refused = capsys.readouterr().err
    assert "--dim x:1=N" in refused and refused.count("\n") == 1
    assert main(["--db", db, "profile", model, *FAST, "--dim", "x:1=7", "--save-inputs"]) == 0
    assert "Saved input settings" in capsys.readouterr().err
    assert main(["--db", db, "profile", model, *FAST, "--json"]) == 0
    captured = capsys.readouterr()
    assert "Using saved input settings: dims x:1=7" in captured.err
    assert json.loads(captured.out)["run"]["dims_used"] == {"batch": 1, "x:1": 7}
    assert main(["--db", db, "profile", model, *FAST, "--ignore-saved-inputs"]) == 2


def test_too_short_audio_fails_with_node_cause_and_flag_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "p.db")
    model = str(save_model(cb.build_streaming_vad(), tmp_path / "vad.onnx"))
    assert main(["--db", db, "profile", model, *FAST, "--dim", "samples=8"]) == 3
    out = capsys.readouterr().out
    assert "[failed]: ONNX Runtime failed in Pad node 'Pad_1'" in out
    assert "Likely cause: the input is shorter than the model's reflect padding" in out
    assert "ONNX Runtime said: [ONNXRuntimeError]" in out and "Traceback" not in out


@pytest.mark.parametrize("named", [False, True], ids=["unnamed", "named"])
def test_dims_from_input_files_are_recorded_as_fed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], named: bool
) -> None:
    # Audit: a [1, 3, 48, 192] --input on a [-1, 3, -1, -1] detector ran at 48x192 but
    # stored the detector convention 640x640, with nothing marked assumed.
    db = str(tmp_path / "p.db")
    model = str(save_model(cb.build_text_detector(named=named), tmp_path / "det.onnx"))
    array = tmp_path / "x.npy"
    np.save(array, np.zeros((1, 3, 48, 192), dtype=np.float32))
    assert main(["--db", db, "profile", model, *FAST, "--input", f"x={array}", "--json"]) == 0
    run = json.loads(capsys.readouterr().out)["run"]
    batch, height, width = (
        [f"p2o.DynamicDimension.{k}" for k in range(3)] if named else ["x:0", "x:2", "x:3"]
    )
    fed = {height: 48, width: 192}
    assert run["dims_used"] == {batch: 1, **fed} and run["assumed"] == {}
    assert main(["--db", db, "show", run["id"][:8]]) == 0
    assert f"Dims       {batch}=1, {height}=48, {width}=192\n" in capsys.readouterr().out
    opened = open_database(db)
    try:
        stored = ModelRepository(opened.db).by_sha256(run["model_sha256"])
    finally:
        opened.close()
    assert stored is not None and stored.info.flops == inspect_model(model, fed).flops
    assert stored.info.flops != inspect_model(model).flops


def test_a_run_failing_on_its_first_inference_keeps_its_dims(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Audit: the failed run stored dims {} and `show` said "Dims fixed".
    db = str(tmp_path / "p.db")
    model = str(save_model(cb.build_yolo_style(), tmp_path / "yolo.onnx"))
    sides = ["--dim", "height=100", "--dim", "width=100"]
    assert main(["--db", db, "profile", model, *FAST, *sides, "--json"]) == 3
    run = json.loads(capsys.readouterr().out)["run"]
    assert run["status"] == "failed" and "Concat" in run["failure_reason"]
    assert run["dims_used"] == {"batch": 1, "height": 100, "width": 100}
    assert run["model_name"] == "yolo" and len(run["model_sha256"]) == 64
    assert main(["--db", db, "show", run["id"][:8]]) == 0
    assert "Dims       batch=1, height=100, width=100\n" in capsys.readouterr().out
