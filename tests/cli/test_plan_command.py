"""``planner plan`` from a scenario file over runs stored in a real database."""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path

import pytest
from builders import store_run, three_option_scenario

from planner.cli.main import main
from planner.core.units import SECONDS_PER_MONTH
from planner.services.seeding import seed_database
from planner.storage.database import open_database
from planner.storage.plans import PlanRepository


@pytest.fixture
def db_with_run(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "planner.db"
    opened = open_database(path)
    seed_database(opened)
    run = store_run(opened, points=4, scenario="concurrency")
    opened.close()
    return path, run.id


def _scenario(tmp_path: Path, reference: str) -> Path:
    path = tmp_path / "scenario.toml"
    path.write_text(three_option_scenario(reference))
    return path


def test_plan_json_has_every_option_and_is_stored(
    db_with_run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, run_id = db_with_run
    assert main(["--db", str(db), "plan", str(_scenario(tmp_path, run_id[:8])), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    names = [o["name"] for o in payload["summary"]["options"]]
    assert names == ["this server", "g6e on demand", "managed API"]
    assert payload["run_ids"] == [run_id]
    api = payload["summary"]["options"][2]
    # Fees 0.4 per 1k plus the API's default staff (0.1 FTE x 200,000 a year, catalogue):
    # 60,000 over 36 months, spread over every request served at 50/s growing 20% a year.
    served = sum(50.0 * 1.2 ** (m / 12) * SECONDS_PER_MONTH for m in range(36))
    per_1k = 0.4 + 0.1 * 200_000 * 3 / served * 1000
    assert api["cost_per_1k"] == pytest.approx(per_1k)
    assert api["margin_per_1k"] == pytest.approx(0.5 - per_1k)
    decision = payload["summary"]["decision"]
    assert decision["view"] == "npv" and decision["recommended"] == "this server"
    months = payload["result"]["months"]
    assert len(payload["result"]["options"][0]["cumulative"]) == months == 36
    opened = open_database(db)
    [stored] = PlanRepository(opened.db).plans()
    assert stored.id == payload["plan_id"] and stored.run_ids == (run_id,)
    assert stored.result.options[0].total == payload["summary"]["options"][0]["total_cost"]
    opened.close()


def test_plan_table_names_provenance_and_latest_resolves(
    db_with_run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, run_id = db_with_run
    assert main(["--db", str(db), "plan", str(_scenario(tmp_path, "latest"))]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[2].startswith("Decision (net present value at 8.0% a year): this server")
    assert lines[3].startswith("Pays off: cheaper than")
    assert any(line.startswith("Confidence: cheapest in") for line in lines[:8])
    assert "representative = true" in out  # the cloud option's assumption, stated
    assert "this server: user: Hardware not set: unit_price buys units of the measured" in out
    assert "Break-even of this server against g6e on demand" in out
    assert "Where the figures come from:" in out
    assert run_id[:8] in out or run_id in out
    assert "instances.vantage.sh" in out


def test_long_option_names_stay_whole_and_keep_their_estimate_mark(
    db_with_run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = db_with_run
    long_name = "g6e on demand (assumed to serve as this machine, same software stack)"
    path = _scenario(tmp_path, "latest")
    path.write_text(path.read_text().replace('"g6e on demand"', f'"{long_name}"'))
    assert main(["--db", str(db), "plan", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("option "))
    rows = lines[header + 2 : header + 5]
    assert rows[0].startswith("this server ")
    assert rows[1].startswith(long_name[:57] + "… *")  # cut to 60 columns, mark kept
    units_end = lines[header].index("units") + len("units")
    assert all(row[units_end - 1] != " " and row[units_end] == " " for row in rows)


def test_a_run_from_other_hardware_is_refused(
    db_with_run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = db_with_run
    path = _scenario(tmp_path, "latest")
    path.write_text(path.read_text().replace("representative = true\n", ""))
    assert main(["--db", str(db), "plan", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "the run was measured on CPU: Test CPU @ 2.0GHz" in err
    assert "prices aws g6e.xlarge (1 x NVIDIA L40S)" in err and "representative = true" in err


@pytest.mark.parametrize("table", ["sensitivity", "monte_carlo"])
def test_a_range_that_overflows_demand_is_a_one_line_error_and_nothing_is_stored(
    db_with_run, tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str
) -> None:
    """Was exit 70, 'internal error: ValueError: Out of range float values are not JSON
    compliant' (sensitivity) or a numpy overflow warning and wrong odds (Monte Carlo)."""
    db, _ = db_with_run
    path = _scenario(tmp_path, "latest")
    text = path.read_text().replace("growth_per_year = 0.2", "growth_per_year = 0.0")
    text = text.replace("horizon_months = 36", "horizon_months = 1200")
    path.write_text(f"{text}\n[uncertainty]\ndraws = 100\n[uncertainty.{table}]\ngrowth = [0, 3]\n")
    assert main(["--db", str(db), "plan", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Warning" not in err
    assert f"[uncertainty.{table}]: growth = [0, 3] takes demand beyond" in err
    opened = open_database(db)
    assert PlanRepository(opened.db).plans() == []
    opened.close()


def test_unknown_run_is_a_one_line_error(
    db_with_run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = db_with_run
    assert main(["--db", str(db), "plan", str(_scenario(tmp_path, "ffffffff"))]) == 2
    err = capsys.readouterr().err
    assert "no run with id 'ffffffff'" in err and err.count("\n") == 1


def test_missing_scenario_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "p.db"), "plan", str(tmp_path / "nope.toml")]) == 2
    assert "scenario file not found" in capsys.readouterr().err


def _edit_points(db: Path, edit) -> None:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, point_json FROM points").fetchall()
        for point_id, text in rows:
            conn.execute(
                "UPDATE points SET point_json = ? WHERE id = ?",
                (json.dumps(edit(json.loads(text))), point_id),
            )
    conn.close()


def test_a_stored_point_with_an_infinite_figure_is_refused_not_planned(
    db_with_run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No measurement gives Infinity; a changed or damaged stored point is named, never
    planned on (it ended in an internal error)."""
    db, run_id = db_with_run
    _edit_points(db, lambda point: point | {"throughput_ips": math.inf})
    assert main(["--db", str(db), "plan", str(_scenario(tmp_path, run_id))]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "its stored throughput is inf" in err and "db check" in err


def test_a_stored_point_of_another_shape_is_damage_not_an_internal_error(
    db_with_run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, run_id = db_with_run
    _edit_points(db, lambda point: point | {"added_by_hand": 1})
    assert main(["--db", str(db), "plan", str(_scenario(tmp_path, run_id))]) == 2
    err = capsys.readouterr().err
    assert "is damaged (points.point_json holds a record planner cannot read" in err
    assert "internal error" not in err and err.count("\n") == 1
