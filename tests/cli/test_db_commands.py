"""``planner db check`` and how database trouble reads: damage, backups, read-only files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hardening import cases_db, tools
from hardening.tools import Kit, make_kit

import planner.cli.main as cli_main


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory, mlp_model_path: Path) -> Kit:
    return make_kit(tmp_path_factory.mktemp("kit"), mlp_model_path)


def _damaged(kit: Kit, folder: Path) -> Path:
    database = folder / "planner.db"
    database.write_bytes(kit.large_database.read_bytes())
    cases_db.DAMAGE["points interior page"](database, 0)
    return database


def test_check_of_a_sound_database(kit: Kit, tmp_path: Path, capsys) -> None:
    database = tools.copy_database(kit, tmp_path)
    before = tools.dump(database)
    assert cli_main.main(["--db", str(database), "db", "check"]) == 0
    assert (
        "ok (SQLite found no damage, and every stored value reads back)" in capsys.readouterr().out
    )
    assert tools.dump(database) == before


def test_damage_is_found_and_commands_point_to_the_check(kit: Kit, tmp_path: Path, capsys) -> None:
    database = _damaged(kit, tmp_path)
    backup = tmp_path / "planner.schema3-backup-20260101T000000Z.db"
    backup.write_bytes(b"")
    assert cli_main.main(["--db", str(database), "db", "info"]) == 0
    capsys.readouterr()
    assert cli_main.main(["--db", str(database), "show", kit.run_id]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is damaged" in err and "db check" in err
    assert str(backup) in err, "the pre-upgrade backup is named as the way back"
    assert cli_main.main(["--db", str(database), "db", "check"]) == 1
    out = capsys.readouterr().out
    assert "damaged; the check reports:" in out and "page" in out
    assert "To recover: restore the copy made before the last upgrade" in out


@pytest.mark.parametrize("command", ["import", "profile"])
def test_commands_that_write_refuse_a_damaged_file_and_leave_it_as_it_was(
    kit: Kit, tmp_path: Path, capsys, command: str
) -> None:
    """Reading commands already refused damage; import and profile added to the file."""
    database = _damaged(kit, tmp_path)
    before = database.read_bytes()
    argv = [str(kit.bundle)] if command == "import" else [str(kit.model), "--budget", "2s"]
    assert cli_main.main(["--db", str(database), command, *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is damaged" in err and "db check" in err
    assert database.read_bytes() == before


def test_without_a_backup_the_hint_is_sqlite_recover(kit: Kit, tmp_path: Path, capsys) -> None:
    database = _damaged(kit, tmp_path)
    out = ["--out", str(tmp_path / "r.csv")]
    assert cli_main.main(["--db", str(database), "report", "--format", "csv", *out]) == 2
    assert cli_main.main(["--db", str(database), "db", "check"]) == 1
    assert ".recover" in capsys.readouterr().out


def _report_is_refused_as_damage(database: Path, folder: Path, capsys) -> None:
    for fmt in ("csv", "pdf"):
        out = ["--out", str(folder / f"r.{fmt}")]
        assert cli_main.main(["--db", str(database), "report", "--format", fmt, *out]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "is damaged (" in err and "db check" in err, err
        assert ".recover" in err, "the way back is named"


@pytest.mark.parametrize("damage", ["garbled", "zeroed"])
def test_damage_inside_a_long_value_is_found_by_check_and_report(
    kit: Kit, tmp_path: Path, capsys, damage: str
) -> None:
    """SQLite's integrity check passes a damaged overflow page; reading the value fails."""
    database = tools.copy_database(kit, tmp_path)
    [page, *_] = cases_db.overflow_pages(database, "plans")
    if damage == "garbled":
        cases_db.garble(database, [page])
    else:
        cases_db.zero(database, [page])
    assert tools.integrity(database) == "ok"
    _report_is_refused_as_damage(database, tmp_path, capsys)
    assert cli_main.main(["--db", str(database), "db", "check"]) == 1
    out = capsys.readouterr().out
    assert "damaged; the check reports:" in out and "plans.result_json of row 1: " in out


def test_stored_text_that_is_not_utf8_is_damage(kit: Kit, tmp_path: Path, capsys) -> None:
    database = tools.copy_database(kit, tmp_path)
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE plans SET result_json = CAST(x'7bff22' AS TEXT)")
    conn.close()
    _report_is_refused_as_damage(database, tmp_path, capsys)
    assert cli_main.main(["--db", str(database), "db", "check"]) == 1
    out = capsys.readouterr().out
    assert "plans.result_json of row 1: text that is not UTF-8" in out


def test_check_of_a_missing_file_is_one_line(tmp_path: Path, capsys) -> None:
    assert cli_main.main(["--db", str(tmp_path / "none.db"), "db", "check"]) == 2
    assert "no database file at" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


def test_read_only_database_is_read_and_says_so(kit: Kit, tmp_path: Path, capsys) -> None:
    if not tools.can_make_read_only(tmp_path):
        pytest.skip("this machine cannot make a file read-only for planner")
    database = tools.copy_database(kit, tmp_path)
    with tools.read_only(database):
        assert cli_main.main(["--db", str(database), "db", "info"]) == 0
        assert "Opened read-only" in capsys.readouterr().out
        assert cli_main.main(["--db", str(database), "import", str(kit.bundle)]) == 2
        err = capsys.readouterr().err
    assert "is read-only" in err and "runs, show, report" in err and "--db" in err
