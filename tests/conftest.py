"""Shared pytest set-up: headless Qt with a desktop-sized screen, small ONNX models, and
a measured generative run to copy (GUI and CLI tests read the same one).

Qt runs on the offscreen platform with a 1920x1200 screen (the plugin's default is
800x600, smaller than the main window). One QApplication is created for the whole
session, before any test, so reports (which need only a QGuiApplication) and widgets
share it instead of racing to create different application types.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from planner.core.generative import GenerativeSettings
from planner.core.run import RunConfig, Scenario
from planner.models.builders import (
    build_cnn,
    build_mlp,
    build_transformer_block,
    save_model,
)
from planner.models.genai_sample import sample_folder
from planner.services.profiles import prepare_run, run_profile
from planner.services.seeding import seed_database
from planner.storage.database import OpenedDatabase, open_database

SCREEN_CONFIG = Path(__file__).with_name("offscreen_screen.json")
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREEN_CONFIG}"


def pytest_configure(config: pytest.Config) -> None:
    from PySide6.QtWidgets import QApplication

    config.planner_qapp = QApplication.instance() or QApplication(["planner-tests"])


@pytest.fixture(scope="session")
def built_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A session-wide folder holding the built test models."""
    return tmp_path_factory.mktemp("built_models")


@pytest.fixture(scope="session")
def mlp_model_path(built_models_dir: Path) -> Path:
    """MLP: input x float32 [batch, 128] -> y [batch, 10]."""
    return save_model(build_mlp(), built_models_dir / "mlp.onnx")


@pytest.fixture(scope="session")
def cnn_model_path(built_models_dir: Path) -> Path:
    """CNN: input image float32 [batch, 3, 128, 128] -> logits [batch, 10]."""
    return save_model(build_cnn(), built_models_dir / "cnn.onnx")


@pytest.fixture(scope="session")
def transformer_model_path(built_models_dir: Path) -> Path:
    """Transformer block: input_ids, attention_mask int64 [batch, seq] -> [batch, seq, 64]."""
    return save_model(build_transformer_block(), built_models_dir / "transformer_block.onnx")


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
