"""Fixtures of the hostile-input campaign: the kit every trial copies from."""

from __future__ import annotations

from pathlib import Path

import pytest
from hardening.tools import Kit, make_kit


@pytest.fixture(scope="session")
def kit(tmp_path_factory: pytest.TempPathFactory, mlp_model_path: Path) -> Kit:
    """A seeded database with a run and a plan, its bundle, and a 30-run database."""
    return make_kit(tmp_path_factory.mktemp("kit"), mlp_model_path)
