"""``planner inspect`` on real ONNX files, and its one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.cli.main import main
from planner.models.samples import bundled_sample_paths


def _transformer() -> Path:
    return next(p for p in bundled_sample_paths() if p.name == "transformer_block.onnx")


def test_inspect_json_uses_given_dims(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(_transformer()), "--dim", "seq=64", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["dims_used"] == {"batch": 1, "seq": 64}
    assert [i["name"] for i in data["inputs"]] == ["input_ids", "attention_mask"]
    assert len(data["sha256"]) == 64


def test_inspect_table_names_the_essentials(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(_transformer())]) == 0
    out = capsys.readouterr().out
    for expected in ("SHA-256", "Parameters", "FLOPs", "input_ids", "seq=128"):
        assert expected in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dim", "nope=3"], "has no dynamic dimension 'nope'"),
        (["--dim", "seq"], "--dim seq: use NAME=VALUE"),
        (["--dim", "seq=x"], "must be a whole number"),
    ],
)
def test_bad_options_are_one_line_errors(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["inspect", str(_transformer()), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_not_onnx_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "model.onnx"
    bad.write_text("not a model")
    assert main(["inspect", str(bad)]) == 2
    assert "is not an ONNX model" in capsys.readouterr().err
