"""Stored values that cannot be read back are damage: in words, and found by the full read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from planner.storage.health import user_error
from planner.storage.readback import DamagedValueError, stored_json, unreadable_values


def _conn_with_bad_values() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE plans (id TEXT, result_json TEXT, data BLOB)")
    conn.execute("INSERT INTO plans VALUES ('a', '{\"x\": NaN}', x'ff00')")
    conn.execute("INSERT INTO plans VALUES ('b', CAST(x'7bff' AS TEXT), x'00')")
    conn.execute("INSERT INTO plans VALUES (CAST(x'c3' AS TEXT), '{\"x\": 1', NULL)")
    return conn


def test_stored_json_that_does_not_parse_is_damage() -> None:
    assert stored_json('{"a": [1, NaN]}', "plans.result_json")["a"][0] == 1
    for text in ('{"a": ', "\x00" * 8, None):
        with pytest.raises(DamagedValueError, match=r"^plans\.result_json holds text that is not"):
            stored_json(text, "plans.result_json")  # type: ignore[arg-type]


def test_text_that_is_not_utf8_reads_as_damage_without_quoting_it(tmp_path: Path) -> None:
    conn = _conn_with_bad_values()
    with pytest.raises(sqlite3.OperationalError) as caught:
        conn.execute("SELECT result_json FROM plans WHERE id = 'b'").fetchall()
    message = str(user_error(caught.value, tmp_path / "p.db"))
    assert "is damaged (column result_json holds text that is not UTF-8)" in message
    assert "db check" in message and "{" not in message


def test_a_value_that_is_not_json_reads_as_damage(tmp_path: Path) -> None:
    message = str(user_error(DamagedValueError("runs.config_json holds"), tmp_path / "p.db"))
    assert "is damaged (runs.config_json holds)" in message and ".recover" in message


def test_the_full_read_names_each_unreadable_value() -> None:
    conn = _conn_with_bad_values()
    assert unreadable_values(conn, 20) == [
        "plans.result_json of row 2: text that is not UTF-8",
        "plans.id of row 3: text that is not UTF-8",
        "plans.result_json of row 3: text that is not JSON",
    ]
    assert len(unreadable_values(conn, 2)) == 2
    assert conn.execute("SELECT id FROM plans WHERE rowid = 1").fetchone() == ("a",)
