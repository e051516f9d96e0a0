"""GUI tests: QSettings kept in a temporary folder, never the user's; a measured
generative run to copy.

Offscreen Qt and the shared QApplication are set up in ``tests/conftest.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from planner.core.generative import GenerativeSettings
from planner.core.run import RunConfig, Scenario
from planner.models.genai_sample import sample_folder
from planner.services.profiles import prepare_run, run_profile
from planner.services.seeding import seed_database
from planner.storage.database import OpenedDatabase, open_database


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory: pytest.TempPathFactory, qapp) -> None:
    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    qapp.setOrganizationName("planner-tests")
    qapp.setApplicationName("planner-tests")


def _tiny_decoder() -> Path:
    return sample_folder()


@pytest.fixture(scope="session")
def tiny_decoder() -> Path:
    """The bundled generative sample (random weights, for timing only)."""
    return _tiny_decoder()


@pytest.fixture(scope="session")
def generative_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A seeded database holding one real generative run of the bundled tiny decoder
    (ONNX Runtime GenAI in a worker process: 16 prompt and 8 output tokens, 1 and 2
    sequences), and the run's id. Tests copy the file, never change it."""
    path = tmp_path_factory.mktemp("generative") / "planner.db"
    opened = open_database(path)
    seed_database(opened)
    config = RunConfig(
        str(_tiny_decoder()),
        scenario=Scenario.GENERATIVE.value,
        concurrency=(1, 2),
        time_budget_s=10.0,
        point_cap_s=2.0,
        generative=GenerativeSettings(prompt_tokens=(16,), output_tokens=(8,)),
    )
    result = run_profile(opened, prepare_run(opened, config))
    opened.close()
    assert result.status == "completed" and len(result.points) == 2, result.failure_reason
    return path, result.id


@pytest.fixture
def generative_db(generative_template, tmp_path: Path) -> tuple[OpenedDatabase, str]:
    """An open copy of the generative template database, and its run's id."""
    template, run_id = generative_template
    shutil.copy(template, tmp_path / "planner.db")
    opened = open_database(tmp_path / "planner.db")
    yield opened, run_id
    opened.close()
