"""The isolated process backend: crashes, hangs, cancel and memory limits become results."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from planner.core.run import FailureKind
from planner.profiling.backends import describe_exit
from planner.profiling.crash_log import LOG_DIR_ENV
from planner.profiling.messages import PointFinished, RunFailed, RunFinished
from planner.profiling.runner import ProfileRunner


def test_process_run_completes(mlp_model_path, quick) -> None:
    runner = ProfileRunner(quick(mlp_model_path, point_cap_s=0.3), backend="process")
    result = runner.result()
    assert result.status == "completed" and len(result.points) == 1
    assert result.points[0].stats.count > 100 and result.id == runner.run_id


@pytest.mark.parametrize(
    ("hook", "reason"),
    [
        ("exit", "worker exited unexpectedly with code 3"),
        ("segfault", "worker crashed with a segmentation fault (SIGSEGV)"),
        ("abort", "worker aborted (SIGABRT)"),
    ],
)
def test_worker_crash_keeps_finished_points(mlp_model_path, quick, hook: str, reason: str) -> None:
    config = quick(
        mlp_model_path, scenario="offline", batch_sizes=(1, 2), point_cap_s=0.2, test_hook=hook
    )
    runner = ProfileRunner(config)
    runner.start()
    messages = list(runner.messages())
    assert isinstance(messages[-1], RunFailed) and messages[-1].reason == reason
    result = runner.result()
    assert result.status == "failed" and result.failure_reason == reason
    assert len(result.points) == 1 and result.points[0].batch == 1
    assert result.model_name == "mlp" and result.session_create_ms is not None


def test_bug_in_worker_is_an_internal_error_with_a_crash_log(
    mlp_model_path, quick, tmp_path, monkeypatch
) -> None:
    # Was reported as "RuntimeError: ..." like a model failure; a planner bug must say it
    # is one and leave its traceback in a log (issue 10, item 2).
    monkeypatch.setenv(LOG_DIR_ENV, str(tmp_path))
    config = quick(
        mlp_model_path, scenario="offline", batch_sizes=(1, 2), point_cap_s=0.2, test_hook="raise"
    )
    result = ProfileRunner(config).result()
    assert result.status == "failed" and result.failure_kind == FailureKind.INTERNAL
    assert result.failure_reason.startswith(
        "internal error in planner: RuntimeError: test hook raised inside the worker"
    )
    log = Path(result.failure_detail)
    assert log.parent == tmp_path and log.name in result.failure_reason
    assert "fire_test_hook" in log.read_text() and "Traceback" in log.read_text()
    assert len(result.points) == 1 and result.model_name == "mlp"


def test_hung_worker_fails_at_deadline(mlp_model_path, quick) -> None:
    config = quick(mlp_model_path, point_cap_s=0.2, test_hook="hang", deadline_s=4.0)
    started = time.monotonic()
    result = ProfileRunner(config).result()
    assert result.status == "failed" and "4 s deadline" in result.failure_reason
    assert len(result.points) == 1
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("backend", ["process", "inprocess"])
def test_cancel_mid_run_keeps_finished_points(mlp_model_path, quick, backend: str) -> None:
    config = quick(
        mlp_model_path, scenario="offline", batch_sizes=(1, 2, 4), point_cap_s=1.0, ci_tolerance=0.0
    )
    runner = ProfileRunner(config, backend=backend)
    runner.start()
    after_cancel: list[object] | None = None
    for message in runner.messages():
        if after_cancel is not None:
            after_cancel.append(message)
        elif isinstance(message, PointFinished):
            runner.cancel()
            after_cancel = []
        last = message
    assert isinstance(last, RunFinished)
    # The point under way never finishes (ci_tolerance 0 keeps it running to its 1 s cap):
    # cancel stops it where it is, whatever the machine's speed.
    assert after_cancel is not None
    assert not any(isinstance(m, PointFinished) for m in after_cancel)
    result = runner.result()
    assert result.status == "cancelled" and len(result.points) == 1


def test_memory_limit_turns_allocation_failure_into_failed_run(cnn_model_path, quick) -> None:
    config = quick(cnn_model_path, batch_sizes=(512,), memory_limit_bytes=1_500_000_000)
    result = ProfileRunner(config).result()
    assert result.status == "failed" and result.failure_reason.startswith("out of memory")


def test_describe_exit() -> None:
    assert describe_exit(-9) == "worker was killed (SIGKILL), most likely out of memory"
    assert describe_exit(0) == "worker exited without reporting a result"
    assert describe_exit(-200) == "worker was killed by signal 200"
