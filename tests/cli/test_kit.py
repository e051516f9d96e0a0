"""``planner-assess``, the site kit's entry, run as a user runs it (a real process).

The kit promises a customer's server that it writes nothing but its bundle and a temp
folder it removes; the runs below give it an empty HOME and temp folder of its own and
check both are empty afterwards (ONNX Runtime's telemetry files included).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import planner.cli.main as cli_main
from planner import __version__
from planner.cli.dispatch import print_crash_traceback, run_command
from planner.cli.kit_commands import run_kit
from planner.storage.bundle_schema import FORMAT_VERSION


def kit(*args: str, home: Path, tmp: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {"PATH": os.defpath, "HOME": str(home), "TMPDIR": str(tmp)}
    argv = [sys.executable, "-m", "planner.cli.kit_main", *args]
    return subprocess.run(
        argv, capture_output=True, text=True, env=env, cwd=cwd, timeout=180, check=False
    )


@pytest.fixture
def places(tmp_path: Path) -> dict[str, Path]:
    folders = {name: tmp_path / name for name in ("home", "tmp", "out")}
    for folder in folders.values():
        folder.mkdir()
    return folders


def _left_behind(*folders: Path) -> list[str]:
    return [str(p) for folder in folders for p in folder.rglob("*")]


def test_version_names_the_bundle_format(places: dict[str, Path]) -> None:
    done = kit("--version", home=places["home"], tmp=places["tmp"], cwd=places["out"])
    assert done.returncode == 0
    expected = f"planner-assess {__version__} (bundle format {FORMAT_VERSION})"
    assert done.stdout.strip() == expected


def test_hardware_json_prints_the_inventory_and_writes_nothing(places: dict[str, Path]) -> None:
    done = kit("hardware", "--json", home=places["home"], tmp=places["tmp"], cwd=places["out"])
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert len(data["fingerprint"]) == 64 and "CPUExecutionProvider" in data["providers"]
    assert "machine_id" not in data, "the kit records no machine"
    assert _left_behind(places["home"], places["tmp"], places["out"]) == []


def test_assess_writes_only_the_bundle(places: dict[str, Path], mlp_model_path: Path) -> None:
    bundle = places["out"] / "site.bundle"
    args = ("--out", str(bundle), "--model", str(mlp_model_path), "--budget", "2s", "--site", "K")
    done = kit(*args, home=places["home"], tmp=places["tmp"], cwd=places["out"])
    assert done.returncode == 0, done.stderr
    assert f"Wrote {bundle}" in done.stdout
    assert _left_behind(places["home"], places["tmp"]) == []
    assert _left_behind(places["out"]) == [str(bundle)]
    conn = sqlite3.connect(bundle)
    try:
        meta = dict(conn.execute("SELECT key, value FROM bundle_meta"))
    finally:
        conn.close()
    assert meta["format_version"] == str(FORMAT_VERSION) and meta["site"] == "K"


def test_without_out_or_command_it_says_what_to_give(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        run_kit([])
    assert stopped.value.code == 2
    assert "give --out BUNDLE" in capsys.readouterr().err


@pytest.mark.parametrize("entry", ["kit", "cli"])
def test_an_existing_bundle_is_kept_unless_forced(
    entry: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "site.bundle"
    bundle.write_bytes(b"an earlier assessment")
    args = ["--out", str(bundle), "--budget", "1s"]
    status = run_kit(args) if entry == "kit" else cli_main.main(["assess", *args])
    assert status == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already exists" in err and "--force" in err
    assert bundle.read_bytes() == b"an earlier assessment"


def test_force_replaces_an_existing_bundle(
    tmp_path: Path, mlp_model_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "site.bundle"
    bundle.write_bytes(b"an earlier assessment")
    args = ["--out", str(bundle), "--model", str(mlp_model_path), "--budget", "3s", "--force"]
    assert run_kit(args) == 0, capsys.readouterr().err
    assert bundle.read_bytes().startswith(b"SQLite format 3\x00")


def test_a_crash_prints_its_traceback_and_keeps_no_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path))

    def broken(args: argparse.Namespace) -> int:
        raise RuntimeError("a programming error")

    args = argparse.Namespace(handler=broken)
    assert run_command(args, report_crash=print_crash_traceback, prog="planner-assess") == 70
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError: a programming error" in err
    assert err.splitlines()[-1] == (
        "planner-assess: internal error: RuntimeError: a programming error "
        "(please report it with the traceback above)"
    )
    assert list(tmp_path.iterdir()) == []


def test_assess_profiles_the_bundled_decoder_by_name(places: dict[str, Path]) -> None:
    """The one-file kit carries the samples; a consultant reaches them by name, the
    generative decoder included (its points in tokens: the generative probe and worker run
    in spawned children, as they must inside a frozen kit)."""
    bundle = places["out"] / "site.bundle"
    args = ("--out", str(bundle), "--model", "tiny_decoder", "--budget", "4s")
    done = kit(*args, home=places["home"], tmp=places["tmp"], cwd=places["out"])
    assert done.returncode == 0, done.stderr
    assert "tiny_decoder: completed" in done.stderr  # progress goes to stderr
    assert "output tokens/s, TTFT p90" in done.stderr
    conn = sqlite3.connect(bundle)
    try:
        (tokens,) = conn.execute("SELECT COUNT(*) FROM points WHERE point_json LIKE '%ttft%'")
    finally:
        conn.close()
    assert tokens[0] >= 1
    assert _left_behind(places["home"], places["tmp"]) == []
