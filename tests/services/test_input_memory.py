"""A batch too large for memory is refused in one line before its inputs are drawn."""

from __future__ import annotations

from pathlib import Path

import pytest

import planner.services.input_memory as input_memory
import planner.services.profiles as profiles
from planner.core.run import RunConfig
from planner.models.inspect import inspect_model
from planner.services.input_memory import InputMemoryError, check_input_memory
from planner.services.profiles import prepare_run
from planner.storage.database import open_database
from planner.storage.models import ModelRepository

GIB = 1024**3


def _available(monkeypatch: pytest.MonkeyPatch, value: int | None) -> None:
    monkeypatch.setattr(input_memory, "memory_available_bytes", lambda: value)


def test_the_sweep_is_refused_naming_batch_bytes_and_memory(
    monkeypatch: pytest.MonkeyPatch, cnn_model_path: Path
) -> None:
    info = inspect_model(cnn_model_path)
    _available(monkeypatch, 8 * GIB)
    config = RunConfig(str(cnn_model_path), scenario="offline", batch_sizes=(1, 8192, 16384))
    with pytest.raises(InputMemoryError) as caught:
        check_input_memory(config, info)
    assert str(caught.value) == (
        "batch size 16384 needs 3.0 GiB of input data (4.5 GiB for all 3 batch sizes, which "
        "a run keeps), but only 8.0 GiB of memory is available and the model needs room of "
        "its own: choose a smaller batch size"
    )
    check_input_memory(RunConfig(str(cnn_model_path), batch_sizes=(1, 8192)), info)
    _available(monkeypatch, None)  # psutil cannot tell: the run may try
    check_input_memory(config, info)


def test_a_memory_error_while_drawing_inputs_is_the_same_refusal(
    monkeypatch: pytest.MonkeyPatch, cnn_model_path: Path, tmp_path: Path
) -> None:
    def out_of_memory(*_args: object) -> None:
        raise MemoryError("Unable to allocate 12.0 GiB")

    _available(monkeypatch, 1024 * GIB)
    monkeypatch.setattr(profiles, "feeds_for", out_of_memory)
    opened = open_database(tmp_path / "p.db")
    config = RunConfig(str(cnn_model_path), scenario="offline", batch_sizes=(65536,))
    try:
        with pytest.raises(InputMemoryError, match=r"^batch size 65536 needs 12\.0 GiB of input"):
            prepare_run(opened, config, machine_id="m")
        assert ModelRepository(opened.db).all() == []
    finally:
        opened.close()
