"""Assessment bundles: round trip, idempotent import, and hostile or malformed bundles."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from builders import make_inventory, make_model_info, make_run

from planner.core.errors import InputError, StorageError
from planner.storage import bundle_schema
from planner.storage.bundle_import import ImportCounts, ImportRepository, import_bundle
from planner.storage.bundles import BundleSite, write_bundle
from planner.storage.database import open_database
from planner.storage.machines import MachineRepository
from planner.storage.models import ModelRepository
from planner.storage.runs import RunRepository

RUN_A = "aaaaaaaa-0000-4000-8000-000000000001"
RUN_B = "bbbbbbbb-0000-4000-8000-000000000002"
SITE = BundleSite("Plant 7, Lyon", "rack B2\nfront row", "f" * 64, "0.1.0")
COMPARED = {
    "machines": "fingerprint, hostname, label, first_seen, last_seen",
    "inventories": "content_hash, collected_at, inventory_json",
    "models": "id, sha256, name, path, size_bytes, info_json",
    "runs": "id, model_id, scenario, provider, status, failure_reason, started_at, "
    "finished_at, config_json, summary_json",
    "points": "*",
    "samples": "*",
    "telemetry": "*",
}


def _source(tmp_path: Path, model_name: str = "mlp") -> Path:
    path = tmp_path / "source.db"
    opened = open_database(path)
    machine_id = MachineRepository(opened.db).save_inventory(make_inventory())
    model_id = ModelRepository(opened.db).upsert(make_model_info(name=model_name))
    runs = RunRepository(opened.db)
    runs.save(make_run(RUN_A, points=3, scenario="concurrency"), machine_id, model_id)
    runs.save(make_run(RUN_B, points=2), machine_id, model_id)
    opened.close()
    return path


def _bundle(tmp_path: Path, **source_kw: str) -> Path:
    opened = open_database(_source(tmp_path, **source_kw))
    out = tmp_path / "site.plannerbundle"
    write_bundle(opened, out, SITE)
    opened.close()
    return out


def _content(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {
            table: sorted(conn.execute(f"SELECT {cols} FROM {table}").fetchall(), key=repr)
            for table, cols in COMPARED.items()
        }
    finally:
        conn.close()


def _dump(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def _tamper(bundle: Path, *statements: str, reseal: bool = True) -> Path:
    conn = sqlite3.connect(bundle, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    if reseal:
        checksum = bundle_schema.content_checksum(conn)
        conn.execute("UPDATE bundle_meta SET value = ? WHERE key = 'checksum'", (checksum,))
    conn.close()
    return bundle


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "target.db"
    open_database(path).close()
    return path


def test_round_trip_then_second_import_adds_nothing(tmp_path: Path, target: Path) -> None:
    bundle = _bundle(tmp_path)
    opened = open_database(target)
    first = import_bundle(opened, bundle)
    assert first.added == ImportCounts(machines=1, inventories=1, models=1, runs=2, points=5)
    assert first.header.site == "Plant 7, Lyon" and first.header.notes == "rack B2\nfront row"
    assert first.header.checksum.startswith("sha256:") and not first.already_imported
    opened.close()
    before = _dump(target)
    opened = open_database(target)
    second = import_bundle(opened, bundle)
    assert second.already_imported and second.added == ImportCounts()
    [record] = ImportRepository(opened.db).all()
    assert record.site == "Plant 7, Lyon" and record.added.points == 5
    [machine] = MachineRepository(opened.db).all()
    assert ImportRepository(opened.db).site_of_machine(machine.id) == "Plant 7, Lyon"
    loaded = RunRepository(opened.db).load(RUN_A)
    opened.close()
    assert _dump(target) == before
    assert _content(target) == _content(tmp_path / "source.db")
    original = make_run(RUN_A, points=3, scenario="concurrency")
    assert np.array_equal(loaded.points[2].samples_ms, original.points[2].samples_ms)
    assert loaded.points[1].stats == original.points[1].stats


def test_runs_already_present_are_not_duplicated_and_machines_match_by_fingerprint(
    tmp_path: Path,
) -> None:
    bundle = _bundle(tmp_path)
    _tamper(
        bundle,
        "UPDATE bundle_meta SET value = 'c0ffee00-0000-4000-8000-000000000000' "
        "WHERE key = 'bundle_id'",
    )
    opened = open_database(tmp_path / "source.db")
    outcome = import_bundle(opened, bundle)
    assert outcome.added == ImportCounts()
    assert len(MachineRepository(opened.db).all()) == 1
    opened.close()


def test_interrupted_run_is_exported_as_cancelled(tmp_path: Path, target: Path) -> None:
    opened = open_database(tmp_path / "live.db")
    machine_id = MachineRepository(opened.db).save_inventory(make_inventory())
    model_id = ModelRepository(opened.db).upsert(make_model_info())
    run = make_run(RUN_A, points=2)
    runs = RunRepository(opened.db)
    runs.begin(run.id, machine_id, model_id, run.config, run.started_at)
    runs.add_point(run.id, 0, run.points[0])
    written = write_bundle(opened, tmp_path / "partial.bundle", SITE)
    opened.close()
    assert written.counts["runs"] == 1 and written.counts["points"] == 1
    opened = open_database(target)
    import_bundle(opened, written.path)
    loaded = RunRepository(opened.db).load(RUN_A)
    opened.close()
    assert loaded.status == "cancelled" and "interrupted" in loaded.failure_reason
    assert len(loaded.points) == 1
    assert not list(tmp_path.glob("*.part"))


def test_site_name_is_required(tmp_path: Path) -> None:
    opened = open_database(_source(tmp_path))
    with pytest.raises(InputError, match="--site"):
        write_bundle(opened, tmp_path / "x.bundle", dataclasses.replace(SITE, site=" "))
    opened.close()
    assert not (tmp_path / "x.bundle").exists()


def _truncate(bundle: Path) -> Path:
    data = bundle.read_bytes()
    bundle.write_bytes(data[: len(data) // 2 + 100])
    return bundle


def _truncate_at_page(bundle: Path) -> Path:
    data = bundle.read_bytes()
    bundle.write_bytes(data[: 4096 * 3])
    return bundle


HOSTILE = {
    "truncated": (_truncate, "truncated"),
    "truncated at a page": (_truncate_at_page, "damaged"),
    "not sqlite": (lambda b: (b.write_text("hello"), b)[1], "not a SQLite file"),
    "wrong format version": (
        lambda b: _tamper(b, "UPDATE bundle_meta SET value = '3' WHERE key = 'format_version'"),
        "format version '3' is not supported",
    ),
    "variant of a model the bundle lacks": (
        lambda b: _tamper(
            b,
            "INSERT INTO variants VALUES ('00000000-0000-4000-8000-000000000001', "
            "'00000000-0000-4000-8000-000000000002', NULL, 'fp16', 'failed', 'x', "
            "'2026-01-01T00:00:00', NULL, NULL, NULL, '{}')",
        ),
        "refers to a parent model the bundle lacks",
    ),
    "extra table": (
        lambda b: _tamper(b, "CREATE TABLE evil (x TEXT)"),
        "unexpected table 'evil'",
    ),
    "trigger": (
        lambda b: _tamper(
            b, "CREATE TRIGGER wipe AFTER INSERT ON runs BEGIN DELETE FROM models; END"
        ),
        "holds a trigger 'wipe'",
    ),
    "view": (lambda b: _tamper(b, "CREATE VIEW v AS SELECT 1"), "holds a view 'v'"),
    "extra index": (lambda b: _tamper(b, "CREATE INDEX i ON runs(status)"), "holds a index"),
    "missing column": (
        lambda b: _tamper(b, "ALTER TABLE models DROP COLUMN path", reseal=False),
        "table models lacks the column 'path'",
    ),
    "extra column": (
        lambda b: _tamper(b, "ALTER TABLE runs ADD COLUMN payload TEXT"),
        "unexpected column 'payload'",
    ),
    "checksum mismatch": (
        lambda b: _tamper(b, "UPDATE runs SET provider = 'CUDAExecutionProvider'", reseal=False),
        "checksum mismatch",
    ),
    "negative latency": (
        lambda b: _tamper(b, "UPDATE points SET p99_ms = -3.5 WHERE seq = 1"),
        "p99_ms = -3.5 is outside",
    ),
    "absurd throughput": (
        lambda b: _tamper(b, "UPDATE points SET throughput_ips = 1e30"),
        "throughput_ips = 1e+30 is outside",
    ),
    "NaN in JSON": (
        lambda b: _tamper(
            b,
            "UPDATE points SET point_json = "
            'replace(point_json, \'"p50": \', \'"p50": NaN, "x": \')',
        ),
        "is not valid JSON (NaN is not allowed)",
    ),
    "NaN latency samples": (
        lambda b: _tamper(
            b, "UPDATE samples SET data = CAST(X'0000C07F' || substr(data, 5) AS BLOB)"
        ),
        "NaN or infinite latencies",
    ),
    "text as number": (
        lambda b: _tamper(b, "UPDATE points SET batch = 'many'"),
        "points.batch holds str",
    ),
    "oversized text": (
        lambda b: _tamper(b, f"UPDATE models SET name = '{'x' * 300}'"),
        "models.name holds 300 characters (at most 256)",
    ),
    "oversized notes": (
        lambda b: _tamper(b, f"UPDATE bundle_meta SET value = '{'n' * 20000}' WHERE key='notes'"),
        "holds 20000 characters",
    ),
    "terminal escape in site": (
        lambda b: _tamper(b, "UPDATE bundle_meta SET value = char(27) || '[2J' WHERE key='site'"),
        "site holds control characters",
    ),
    "dangling run": (
        lambda b: _tamper(b, "DELETE FROM models"),
        "refers to a model the bundle lacks",
    ),
    "malformed config": (
        lambda b: _tamper(b, 'UPDATE runs SET config_json = \'{"scenario": "x"}\''),
        "runs.config_json does not describe valid content",
    ),
    "infinity written as 1e400 in config": (
        lambda b: _tamper(
            b,
            "UPDATE runs SET config_json = replace(config_json, '\"point_cap_s\": 10.0', "
            "'\"point_cap_s\": 1e400')",
        ),
        "runs.config_json is not valid JSON (the number 1e400 is not finite)",
    ),
    "absurd batch in config": (
        lambda b: _tamper(
            b, "UPDATE runs SET config_json = json_set(config_json, '$.batch_sizes[0]', 1e23)"
        ),
        "config.batch_sizes = 1e+23 is out of range",
    ),
    "absurd dims_used": (
        lambda b: _tamper(
            b, "UPDATE runs SET summary_json = json_set(summary_json, '$.dims_used.seq', 1e12)"
        ),
        "dims_used.seq = 1000000000000.0 is out of range",
    ),
    "point batch beyond its column": (
        lambda b: _tamper(b, "UPDATE points SET point_json = json_set(point_json, '$.batch', 1e9)"),
        "point_json batch = 1000000000.0 is out of range",
    ),
    "bidi override in site": (
        lambda b: _tamper(
            b, "UPDATE bundle_meta SET value = 'Lab' || char(8238) || 'x' WHERE key='site'"
        ),
        "site holds the invisible character U+202E",
    ),
    "unknown header key": (
        lambda b: _tamper(b, "INSERT INTO bundle_meta VALUES ('extra', '')"),
        "header keys are not the expected ones ('extra')",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_bad_bundles_are_rejected_whole(tmp_path: Path, target: Path, case: str) -> None:
    damage, reason = HOSTILE[case]
    bundle = damage(_bundle(tmp_path))
    before = _dump(target)
    opened = open_database(target)
    with pytest.raises(StorageError) as caught:
        import_bundle(opened, bundle)
    opened.close()
    message = str(caught.value)
    assert message.startswith(f"bundle {bundle.name} rejected: ") and "\n" not in message
    assert reason in message
    assert _dump(target) == before


def test_a_planner_database_is_not_a_bundle(tmp_path: Path, target: Path) -> None:
    opened = open_database(target)
    with pytest.raises(StorageError, match="not a planner assessment bundle"):
        import_bundle(opened, _source(tmp_path))
    opened.close()


def test_row_counts_are_capped(
    tmp_path: Path, target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = _bundle(tmp_path)
    capped = tuple(
        dataclasses.replace(t, max_rows=1) if t.name == "runs" else t for t in bundle_schema.TABLES
    )
    monkeypatch.setattr(bundle_schema, "TABLES", capped)
    opened = open_database(target)
    with pytest.raises(StorageError, match="table runs has 2 rows \\(at most 1\\)"):
        import_bundle(opened, bundle)
    opened.close()


def test_oversized_file_is_refused_before_opening(
    tmp_path: Path, target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = _bundle(tmp_path)
    monkeypatch.setattr(bundle_schema, "MAX_BUNDLE_BYTES", 1024)
    opened = open_database(target)
    with pytest.raises(StorageError, match="more than the 1024 allowed"):
        import_bundle(opened, bundle)
    opened.close()


def test_sql_looking_strings_are_stored_verbatim(tmp_path: Path, target: Path) -> None:
    hostile = "x'); DROP TABLE runs; --"
    bundle = _bundle(tmp_path, model_name=hostile)
    _tamper(
        bundle,
        "UPDATE bundle_meta SET value = 'Robert''); DROP TABLE machines;--' WHERE key = 'site'",
    )
    opened = open_database(target)
    outcome = import_bundle(opened, bundle)
    assert outcome.header.site == "Robert'); DROP TABLE machines;--"
    [model] = ModelRepository(opened.db).all()
    assert model.info.name == hostile
    assert len(RunRepository(opened.db).all()) == 2
    assert MachineRepository(opened.db).all()[0].hostname == "test-host"
    opened.close()


def test_variant_families_travel_and_compare_the_same_after_import(tmp_path: Path) -> None:
    """A bundle carries each measured model's variants (both sides); comparisons survive."""
    from planner.core.resources import resources_dir
    from planner.services.database import open_prepared
    from planner.services.variant_comparison import compare
    from planner.services.variants import make_variants, profile_family

    source = open_prepared(str(tmp_path / "site.db"))
    mlp = resources_dir() / "models" / "mlp.onnx"
    make_variants(source, mlp, ["fp16", "int4-weights"], lambda _line: None, samples=2)
    profile_family(source, mlp, 1.0, backend="inprocess")
    before = compare(source, mlp)
    site = BundleSite("Plant 7", "", "f" * 64, "test")
    written = write_bundle(source, tmp_path / "site.bundle", site)
    source.close()
    assert written.counts["variants"] == 2
    target = open_prepared(str(tmp_path / "office.db"))
    import_bundle(target, written.path)
    after = compare(target, mlp)
    target.close()
    assert [r.label for r in after.rows] == [r.label for r in before.rows]
    assert [r.run.id if r.run else None for r in after.rows] == [
        r.run.id if r.run else None for r in before.rows
    ]
    assert [r.variant.outcome for r in after.variants] == [
        r.variant.outcome for r in before.variants
    ]


def test_a_format_1_bundle_without_variants_still_imports(tmp_path: Path, target: Path) -> None:
    bundle = _bundle(tmp_path)
    conn = sqlite3.connect(bundle, isolation_level=None)
    conn.execute("DROP TABLE variants")
    conn.execute("UPDATE bundle_meta SET value = '1' WHERE key = 'format_version'")
    checksum = bundle_schema.content_checksum(conn, version=1)
    conn.execute("UPDATE bundle_meta SET value = ? WHERE key = 'checksum'", (checksum,))
    conn.close()
    opened = open_database(target)
    outcome = import_bundle(opened, bundle)
    opened.close()
    assert outcome.header.format_version == 1 and outcome.added.runs == 2
