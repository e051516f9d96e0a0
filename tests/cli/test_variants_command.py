"""`planner variants` recipe flags: each reaches the recipe of its kind, and the FP16 NaN
failure names the flag that fixes it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import overflowing_model

import planner.cli.main as cli_main
from planner.core.resources import resources_dir


def _variants(tmp_path: Path, model: Path, *flags: str) -> int:
    db = tmp_path / "planner.db"
    return cli_main.main(["--db", str(db), "variants", str(model), "--no-profile", *flags])


def test_the_fp16_failure_names_the_flag_and_the_flag_fixes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = overflowing_model(tmp_path / "overflow.onnx")
    assert _variants(tmp_path, model, "--kinds", "fp16") == 0
    failed = capsys.readouterr().out
    assert "fp16: failed" in failed and "planner variants --fp16-block-ops OP[,OP]" in failed
    flags = ("--kinds", "fp16", "--fp16-block-ops", "LayerNormalization", "--json")
    assert _variants(tmp_path, model, *flags) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    recipe = rows[-1]["variant"]["recipe"]
    assert rows[-1]["variant"]["status"] == "made"
    assert "LayerNormalization" in recipe["fp16_block_list"]


def test_int8_and_int4_flags_reach_their_recipes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mlp = resources_dir() / "models" / "mlp.onnx"
    kinds = ("--kinds", "int8-static,int4-weights", "--samples", "2")
    flags = ("--per-tensor", "--int4-block-size", "64", "--int4-asymmetric", "--json")
    assert _variants(tmp_path, mlp, *kinds, *flags) == 0
    static, int4 = (
        row["variant"]["recipe"] for row in json.loads(capsys.readouterr().out)["rows"][1:]
    )
    assert static["kind"] == "int8-static" and static["per_channel"] is False
    assert int4["block_size"] == 64 and int4["symmetric"] is False


def test_a_recipe_flag_for_a_kind_not_asked_for_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mlp = resources_dir() / "models" / "mlp.onnx"
    flags = ("--kinds", "int8-dynamic", "--fp16-block-ops", "Pow")
    assert _variants(tmp_path, mlp, *flags) == 2
    assert "block_ops applies to fp16 variants" in capsys.readouterr().err


def test_a_bad_block_list_fails_before_any_variant_is_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mlp = resources_dir() / "models" / "mlp.onnx"
    flags = ("--kinds", "int8-dynamic,fp16", "--fp16-block-ops", "Pow;Softmax")
    assert _variants(tmp_path, mlp, *flags) == 2
    captured = capsys.readouterr()
    assert "block_ops must be op type names" in captured.err and "making" not in captured.out


def test_a_missing_parent_is_refused_once_before_anything_is_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _variants(tmp_path, tmp_path / "cnn") == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "model not found" in captured.err
    assert "making" not in captured.out and not (tmp_path / "variants").exists()
