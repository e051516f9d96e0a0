"""Shared helpers for the profiling benchmarks: build the test models, time a bare loop."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort

from planner.core.run import RunConfig
from planner.models.builders import build_cnn, build_mlp, save_model
from planner.models.inspect import inspect_model
from planner.profiling.session import feeds_for, session_options


def build_models() -> dict[str, Path]:
    """Test models in a temporary folder: the bundled MLP (about 0.01 ms), a wider MLP
    (about 0.1 ms, the issue's small-model case) and the CNN (a few ms)."""
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-"))
    wide = build_mlp(in_features=512, hidden=1024, hidden_layers=2)
    return {
        "mlp": save_model(build_mlp(), folder / "mlp.onnx"),
        "mlp_wide": save_model(wide, folder / "mlp_wide.onnx"),
        "cnn": save_model(build_cnn(), folder / "cnn.onnx"),
    }


def bare_session(config: RunConfig) -> tuple[ort.InferenceSession, dict[str, np.ndarray]]:
    """A session with the planner's options for ``config``, and the planner's feeds."""
    session = ort.InferenceSession(
        config.model_path, session_options(config), providers=[config.provider]
    )
    info = inspect_model(config.model_path, config.dims, config.batch_sizes[0])
    return session, feeds_for(config, info, config.batch_sizes[0])


def bare_loop_ms(session: ort.InferenceSession, feeds: dict, seconds: float) -> np.ndarray:
    """Latencies (ms) of a plain ``session.run`` loop after a short warm-up."""
    for _ in range(10):
        session.run(None, feeds)
    samples: list[int] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t0 = time.perf_counter_ns()
        session.run(None, feeds)
        samples.append(time.perf_counter_ns() - t0)
    return np.asarray(samples) / 1e6
