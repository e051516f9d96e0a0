"""``planner assess`` profiles on the usable providers and uses saved input settings."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from planner.core.errors import ModelError
from planner.core.model import InputSettings
from planner.hardware.providers import CPU, provider_load_error
from planner.models.builders import save_model
from planner.models.class_builders import build_unsizable
from planner.models.inspect import inspect_model
from planner.models.samples import bundled_sample_paths
from planner.services.assessment import (
    AssessRequest,
    assess,
    bundled_sample_names,
    default_models,
    default_providers,
    saved_settings_for,
)
from planner.services.profiles import save_input_settings
from planner.storage.database import open_database


def test_default_providers_are_the_accelerators_that_load_then_cpu() -> None:
    providers = default_providers(None)
    assert providers[-1] == CPU
    assert all(provider_load_error(p) is None for p in providers)
    assert default_providers(["X", "X", CPU]) == ("X", CPU)


def test_assess_uses_the_input_settings_saved_in_the_users_database(tmp_path: Path) -> None:
    model = save_model(build_unsizable(), tmp_path / "unsizable.onnx")
    user_db = tmp_path / "user.db"
    assert saved_settings_for(user_db, [model]) == {}
    assert not user_db.exists()
    opened = open_database(user_db)
    save_input_settings(opened, str(model), InputSettings({"x:1": 7}))
    opened.close()
    saved = saved_settings_for(user_db, [model])
    assert saved == {inspect_model(model).sha256: InputSettings({"x:1": 7})}
    request = AssessRequest(
        models=(model,),
        budget_s=3.0,
        site="lab",
        notes="",
        out=tmp_path / "a.bundle",
        providers=(CPU,),
        saved_inputs=saved,
    )
    outcome = assess(request, lambda *_: None, lambda _line: None, backend="inprocess")
    [run] = outcome.runs
    assert run.status == "completed" and run.dims_used == {"batch": 1, "x:1": 7}
    assert run.config.provider == CPU and outcome.bundle.path.exists()
    unsaved = dataclasses.replace(request, saved_inputs=None, out=tmp_path / "b.bundle")
    with pytest.raises(ModelError, match="--dim x:1=N"):
        assess(unsaved, lambda *_: None, lambda _line: None, backend="inprocess")


def test_models_named_as_bundled_samples_resolve_unless_a_path_of_that_name_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    samples = bundled_sample_names()
    assert set(samples) == {"mlp", "cnn", "transformer_block", "tiny_decoder"}
    assert samples["tiny_decoder"].is_dir() and samples["mlp"].is_file()
    monkeypatch.chdir(tmp_path)
    assert default_models(["tiny_decoder", "cnn"]) == (samples["tiny_decoder"], samples["cnn"])
    (tmp_path / "mlp").write_bytes(b"the user's own file")
    assert default_models(["mlp", "other.onnx"]) == (Path("mlp"), Path("other.onnx"))
    assert default_models(None) == bundled_sample_paths()
