"""Every older schema migrates to the latest, after a backup copy of the file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from builders import make_inventory

from planner.storage import migrations
from planner.storage.database import open_database
from planner.storage.machines import MachineRepository


def _database_at_version(path: Path, version: int) -> None:
    """Build a file as planner at ``version`` would have left it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    for migration in migrations.MIGRATIONS[:version]:
        migration(conn)
    conn.execute(
        "INSERT INTO planner_meta(key, value) VALUES ('schema_version', ?)", (str(version),)
    )
    conn.execute("COMMIT")
    conn.close()


@pytest.mark.parametrize("version", range(1, migrations.SCHEMA_VERSION))
def test_old_file_is_backed_up_then_migrated_keeping_data(tmp_path: Path, version: int) -> None:
    path = tmp_path / "planner.db"
    _database_at_version(path, version)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO machines(id, fingerprint, hostname, first_seen, last_seen) "
        "VALUES ('m1', 'fp', 'old-host', '2026-01-01', '2026-01-01')"
    )
    conn.commit()
    conn.close()
    before = path.read_bytes()

    opened = open_database(path)
    try:
        assert opened.migrated_from == version
        assert opened.schema_version == migrations.SCHEMA_VERSION
        assert opened.backup_path is not None
        assert opened.backup_path.parent == tmp_path
        assert f"schema{version}-backup" in opened.backup_path.name
        backup = sqlite3.connect(opened.backup_path)
        assert backup.execute("SELECT value FROM planner_meta WHERE key='schema_version'")
        assert backup.execute("SELECT hostname FROM machines").fetchall() == [("old-host",)]
        backup.close()
        assert len(before) > 0
        assert {"runs", "points", "samples"} <= set(opened.db.table_names())
        assert opened.db.execute("SELECT hostname FROM machines").fetchall() == [("old-host",)]
        MachineRepository(opened.db).save_inventory(make_inventory())
    finally:
        opened.close()


def test_each_migration_moves_the_file_exactly_one_version(tmp_path: Path) -> None:
    """Each migration changes the schema, and none drops a table an earlier one made."""
    schemas: list[dict[str, str]] = []
    for version in range(1, migrations.SCHEMA_VERSION + 1):
        path = tmp_path / f"v{version}.db"
        _database_at_version(path, version)
        conn = sqlite3.connect(path)
        schema = dict(conn.execute("SELECT name, coalesce(sql, '') FROM sqlite_master"))
        conn.close()
        if schemas:
            assert set(schemas[-1]) <= set(schema), f"migration {version} dropped a table"
            assert schema != schemas[-1], f"migration {version} changed nothing"
        schemas.append(schema)
    assert len(migrations.MIGRATIONS) == migrations.SCHEMA_VERSION
