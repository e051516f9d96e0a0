"""``planner profile``, ``runs`` and ``show`` on real models in a real worker process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import planner.services.input_memory as input_memory
import planner.services.profiles as profiles
from planner.cli.main import main
from planner.core.run import RunConfig
from planner.models.genai_sample import sample_folder
from planner.models.samples import bundled_sample_paths
from planner.services.profiles import prepare_run, run_profile
from planner.storage.database import open_database
from planner.storage.runs import RunRepository

FAST = ["--budget", "4s", "--point-cap", "1s", "--intra-op", "1"]


def _sample(name: str) -> str:
    return str(next(p for p in bundled_sample_paths() if p.name == name))


def _run_count(db: Path) -> int:
    opened = open_database(db)
    try:
        return len(RunRepository(opened.db).all())
    finally:
        opened.close()


def test_profile_stores_the_run_and_show_reads_it_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "p.db")
    model = _sample("transformer_block.onnx")
    argv = ["--db", db, "profile", model, "--scenario", "offline", "--batch", "1,2"]
    assert main([*argv, "--dim", "seq=32", *FAST, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [p["batch"] for p in payload["points"]] == [1, 2]
    assert payload["run"]["dims_used"] == {"batch": 1, "seq": 32}
    assert payload["run"]["status"] == "completed"
    run_id = payload["run"]["id"]

    assert main(["--db", db, "runs", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert (listed["id"], listed["point_count"]) == (run_id, 2)

    assert main(["--db", db, "show", run_id[:8], "--json", "--samples"]) == 0
    shown = json.loads(capsys.readouterr().out)
    first = shown["points"][0]
    assert len(first["samples_ms"]) == first["stats"]["count"]
    assert first["stats"]["p50"] == pytest.approx(payload["points"][0]["stats"]["p50"])
    assert shown["config"]["dims"] == {"seq": 32}

    assert main(["--db", db, "show", run_id[:8]]) == 0
    text = capsys.readouterr().out
    assert "batch 2" in text and "offline" in text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--dim", "nope=3"], "has no dynamic dimension 'nope'"),
        (["--provider", "CUDAExecutionProvider"], "is not usable here"),
        (["--scenario", "server"], "needs --rate"),
        (["--batch", "0"], "at least 1"),
        (["--budget", "soon"], "use seconds or a unit"),
        (["--range", "input_ids=5:1"], "HIGH must be greater than LOW"),
    ],
)
def test_bad_input_is_refused_before_any_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    db = tmp_path / "p.db"
    model = _sample("transformer_block.onnx")
    assert main(["--db", str(db), "profile", model, *FAST, *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert _run_count(db) == 0


def test_a_crashing_worker_becomes_a_stored_failed_run_keeping_its_point(tmp_path: Path) -> None:
    opened = open_database(tmp_path / "p.db")
    config = RunConfig(
        _sample("mlp.onnx"),
        scenario="offline",
        batch_sizes=(1, 2),
        time_budget_s=4,
        point_cap_s=0.5,
        warmup_s=0.02,
        window_s=0.05,
        test_hook="segfault",
    )
    result = run_profile(opened, prepare_run(opened, config))
    assert result.status == "failed"
    assert "segmentation fault" in result.failure_reason
    stored = RunRepository(opened.db).load(result.id)
    assert stored.status == "failed" and len(stored.points) == 1
    opened.close()


@pytest.mark.parametrize(
    ("generative", "extra", "message"),
    [
        (False, ["--prompt-tokens", "64"], "--prompt-tokens does not apply; give an ONNX Runtime"),
        (False, ["--sequences", "2", "--ttft-target", "50"], "--sequences, --ttft-target do not"),
        (True, ["--batch", "2"], "generative model folder: --batch does not apply; use"),
        (True, ["--batch", "2", "--dim", "x=1"], "--batch, --dim do not apply"),
    ],
)
def test_options_of_the_other_kind_of_model_are_refused_not_ignored(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    generative: bool,
    extra: list[str],
    message: str,
) -> None:
    db = tmp_path / "p.db"
    model = str(sample_folder()) if generative else _sample("mlp.onnx")
    assert main(["--db", str(db), "profile", model, "--budget", "2s", *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert _run_count(db) == 0


@pytest.mark.parametrize("how", ["estimated", "memory error"])
def test_a_batch_too_large_for_memory_is_refused_naming_the_flag(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    """The audit's ``--batch 65536`` under ``ulimit -v``: one line, exit 2, nothing stored."""

    def out_of_memory(*_args: object) -> None:
        raise MemoryError("Unable to allocate 32.0 MiB")

    if how == "estimated":
        monkeypatch.setattr(input_memory, "memory_available_bytes", lambda: 16 * 1024**2)
    else:
        monkeypatch.setattr(profiles, "feeds_for", out_of_memory)
    db = tmp_path / "p.db"
    model = _sample("mlp.onnx")
    argv = ["--db", str(db), "profile", model, "--scenario", "offline", "--batch", "65536"]
    assert main([*argv, *FAST]) == 2
    err = capsys.readouterr().err
    assert err.startswith("planner: error: batch size 65536 needs 32.0 MiB of input data")
    assert err.count("\n") == 1 and err.endswith("choose a smaller batch size with --batch\n")
    assert _run_count(db) == 0
