"""A new database is seeded once with the bundled sample models."""

from __future__ import annotations

from pathlib import Path

from planner.services.seeding import seed_database
from planner.storage.database import open_database
from planner.storage.models import ModelRepository


def test_samples_are_seeded_once(tmp_path: Path) -> None:
    opened = open_database(tmp_path / "planner.db")
    seed_database(opened)
    models = ModelRepository(opened.db)
    names = sorted(m.info.name for m in models.all())
    assert names == ["cnn", "mlp", "tiny_decoder", "transformer_block"]
    first_ids = sorted(m.id for m in models.all())
    seed_database(opened)
    assert sorted(m.id for m in models.all()) == first_ids
    opened.close()


def test_rows_shipped_by_a_newer_planner_are_added_without_touching_user_rows(
    tmp_path: Path,
) -> None:
    from planner.services.catalogs import row_key, rows_of
    from planner.storage.catalog import CatalogRepository
    from planner.storage.meta import set_meta

    opened = open_database(tmp_path / "planner.db")
    seed_database(opened)
    shipped = rows_of(opened, "cloud")
    edited = dict(shipped[0].__dict__, price_per_hour=9.99)
    CatalogRepository(opened.db).upsert("cloud", [(row_key("cloud", shipped[0]), edited)])
    opened.db.execute("DELETE FROM catalog_rows WHERE kind = 'cloud' AND origin = 'shipped'")
    set_meta(opened.db, "seeded_from", "an older planner's files")
    seed_database(opened)
    again = {row_key("cloud", r): r for r in rows_of(opened, "cloud")}
    assert len(again) == len(shipped)
    assert again[row_key("cloud", shipped[0])].price_per_hour == 9.99
    opened.close()


def test_rows_still_as_shipped_take_a_newer_planners_values_and_user_rows_keep_theirs(
    tmp_path: Path,
) -> None:
    """A row stored by an older planner (another price, no vcpus column) takes the newer
    shipped files' values; a row the user imported keeps the user's values."""
    import json

    from planner.services.catalogs import row_key, rows_of
    from planner.storage.catalog import CatalogRepository
    from planner.storage.meta import set_meta

    opened = open_database(tmp_path / "planner.db")
    seed_database(opened)
    shipped = {row_key("cloud", r): r for r in rows_of(opened, "cloud")}
    first, second = list(shipped)[:2]
    for key in (first, second):
        older = dict(shipped[key].__dict__, price_per_hour=0.01)
        del older["vcpus"]
        opened.db.execute(
            "UPDATE catalog_rows SET row_json = ? WHERE kind = 'cloud' AND key = ?",
            [json.dumps(older), key],
        )
    edited = dict(shipped[second].__dict__, vcpus=None, price_per_hour=9.99)
    CatalogRepository(opened.db).upsert("cloud", [(second, edited)])
    set_meta(opened.db, "seeded_from", "an older planner's files")
    seed_database(opened)
    again = {row_key("cloud", r): r for r in rows_of(opened, "cloud")}
    assert again[first] == shipped[first]
    assert again[second].price_per_hour == 9.99 and again[second].vcpus is None
    opened.close()
