"""A new database is seeded once with the bundled sample models."""

from __future__ import annotations

from pathlib import Path

from planner.cli.seed import seed_database
from planner.storage.database import open_database
from planner.storage.models import ModelRepository


def test_samples_are_seeded_once(tmp_path: Path) -> None:
    opened = open_database(tmp_path / "planner.db")
    seed_database(opened)
    models = ModelRepository(opened.db)
    names = sorted(m.info.name for m in models.list())
    assert names == ["cnn", "mlp", "transformer_block"]
    first_ids = sorted(m.id for m in models.list())
    seed_database(opened)
    assert sorted(m.id for m in models.list()) == first_ids
    opened.close()
