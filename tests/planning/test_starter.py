"""The starter scenario says, in words, every figure it chose for the user."""

from __future__ import annotations

import tomllib

from builders import make_run

from planner.planning.starter import LATENCY_SLACK, MIN_TARGET_MS, starter_for_run


def test_the_latency_target_is_explained_with_the_measurement_it_comes_from() -> None:
    run = make_run(points=3, scenario="concurrency")
    starter = starter_for_run(run)
    doc = tomllib.loads(starter.toml)
    worst = max(p.stats.p99 or p.stats.p90 or 0.0 for p in run.points)
    target = doc["demand"]["latency_target_ms"]
    assert target == max(MIN_TARGET_MS, round(worst * LATENCY_SLACK, 1))
    head, _, why = starter.notes[0].partition(": ")
    assert head.startswith("Latency target") and f"{LATENCY_SLACK:g} × the worst" in why
    if target == MIN_TARGET_MS:
        assert "raised to the 10 ms floor" in why
    assert any(note.startswith("Demand placeholders") for note in starter.notes)
    assert [o["kind"] for o in doc["options"]] == ["on-prem", "cloud", "api"]
    assert "input_tokens_per_request" not in doc["demand"]
