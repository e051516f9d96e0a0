"""Shared pytest set-up: headless Qt with a desktop-sized screen, and small ONNX models.

Qt runs on the offscreen platform with a 1920x1200 screen (the plugin's default is
800x600, smaller than the main window). One QApplication is created for the whole
session, before any test, so reports (which need only a QGuiApplication) and widgets
share it instead of racing to create different application types.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planner.models.builders import (
    build_cnn,
    build_mlp,
    build_transformer_block,
    save_model,
)

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
