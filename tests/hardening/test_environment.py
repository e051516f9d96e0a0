"""Campaign: pipes and devices as files, damaged and read-only databases, hostile names,
two writers, and ``kill -9`` during an import.

Each trial must end in a one-line refusal (naming the path, the damage and what to do, or
the read-only state and the commands that still work) or in success, never in an internal
error or a hang; nothing may be half-imported. CI runs three kill trials;
``campaign.py`` runs forty.
"""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path

import pytest
from hardening import cases_db, cases_env, tools
from hardening.cases import Trial
from hardening.tools import ACCEPTED, Kit

TRIALS = [
    *cases_env.path_trials(),
    *cases_db.damaged_database_trials(),
    *cases_env.text_trials(),
]
READ_ONLY = cases_db.read_only_trials()


@pytest.mark.parametrize("trial", TRIALS, ids=[f"{t.category}: {t.name}" for t in TRIALS])
def test_hostile_surroundings_end_in_a_clean_refusal(
    trial: Trial, kit: Kit, tmp_path: Path
) -> None:
    assert trial.run(kit, tmp_path) in trial.allowed


@pytest.mark.parametrize("trial", READ_ONLY, ids=[t.name for t in READ_ONLY])
def test_read_only_database_reads_and_refuses_writes(
    trial: Trial, kit: Kit, tmp_path: Path
) -> None:
    if not tools.can_make_read_only(tmp_path):
        pytest.skip("this machine cannot make a file read-only for planner")
    assert trial.run(kit, tmp_path) in trial.allowed


def test_a_writer_waits_for_another_process_lock_and_says_so(kit: Kit, tmp_path: Path) -> None:
    assert cases_env.two_writers_trial(kit, tmp_path) == ACCEPTED


@pytest.fixture(scope="module")
def big_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tools.make_big_bundle(tmp_path_factory.mktemp("big"), runs=300)


@pytest.mark.parametrize("delay_s", [0.4, 0.8, 1.1])
def test_kill_9_during_import_leaves_all_or_nothing(
    big_bundle: Path, tmp_path: Path, delay_s: float
) -> None:
    assert cases_env.kill_import_trial(big_bundle, 300, tmp_path, delay_s) == ACCEPTED


def test_a_stored_plan_with_nan_does_not_break_the_default_report(
    kit: Kit, tmp_path: Path, qapp
) -> None:
    """Plans stored before the scenario checks may hold NaN; the latest one is reported."""
    database = tools.copy_database(kit, tmp_path)
    conn = sqlite3.connect(database)
    with conn:
        [(text,)] = conn.execute("SELECT result_json FROM plans").fetchall()
        result = json.loads(text)
        result["options"][0]["total"] = math.nan
        result["options"][0]["cumulative"][3] = math.nan
        result["monte_carlo"]["prob_cheapest"] = {
            k: math.nan for k in result["monte_carlo"]["prob_cheapest"]
        }
        conn.execute("UPDATE plans SET result_json = ?", (json.dumps(result),))
    conn.close()
    for fmt, out in (("csv", tmp_path / "r.csv"), ("pdf", tmp_path / "r.pdf")):
        outcome = tools.run_cli(
            ["--db", str(database), "report", "--format", fmt, "--out", str(out)]
        )
        assert outcome.verdict == ACCEPTED, outcome.err
