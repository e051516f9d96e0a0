"""Benchmark of the planning engine: prints timings, not a test.

Run: python tests/benchmarks/bench_planning.py
Goals: full deterministic recompute of a 60-month, 4-option scenario (the example: a
server, an on-demand and a reserved cloud fleet, an API) <= 5 ms; 10,000-draw Monte
Carlo <= 100 ms; sensitivity (tornado) reported for information. On a shared machine
compare minimums, and compare against the previous commit in the same minute.
"""

from __future__ import annotations

import pathlib
import statistics
import time
from collections.abc import Callable

from planner.core.plan import MeasuredPoint, Scenario
from planner.planning.catalog import CATALOG_FILES, Catalog
from planner.planning.engine import compute_plan
from planner.planning.montecarlo import run_monte_carlo
from planner.planning.resolve import resolve_scenario
from planner.planning.scenario_file import parse_scenario
from planner.planning.sensitivity import run_sensitivity

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _scenario() -> Scenario:
    catalog = Catalog.from_texts(
        {k: (ROOT / "resources" / p).read_text() for k, p in CATALOG_FILES.items()}
    )
    text = (ROOT / "resources/scenarios/example.toml").read_text()
    text = text.replace("horizon_months = 48", "horizon_months = 60")
    spec = parse_scenario(text)
    points = {
        "<run-id>": [
            MeasuredPoint(
                "<run-id>",
                "server",
                8,
                1,
                rate,
                rate * 0.99,
                {"p99": 20 + rate / 20},
                0.5,
                200 + rate / 4,
                "nvml-energy",
                "bench",
                device="NVIDIA L40S",
            )
            for rate in (100.0, 200.0, 400.0, 800.0, 1600.0)
        ]
    }
    return resolve_scenario(spec, catalog, points)


def _time(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(samples), min(samples)


def main() -> None:
    scenario = _scenario()
    assert len(scenario.options) == 4 and scenario.demand.horizon_months == 60
    plan_ms = _time(lambda: compute_plan(scenario, sensitivity=False, monte_carlo=False), 200)
    mc_ms = _time(lambda: run_monte_carlo(scenario), 20)
    sens_ms = _time(lambda: run_sensitivity(scenario), 50)
    full_ms = _time(lambda: compute_plan(scenario), 10)
    print(
        f"deterministic plan, 60 months x 4 options: median {plan_ms[0]:.2f} ms "
        f"(min {plan_ms[1]:.2f}; goal <= 5 ms)"
    )
    print(
        f"Monte Carlo, {scenario.uncertainty.draws} draws: median {mc_ms[0]:.1f} ms "
        f"(min {mc_ms[1]:.1f}; goal <= 100 ms)"
    )
    print(
        f"sensitivity, {len(scenario.uncertainty.sensitivity)} inputs: median {sens_ms[0]:.2f} ms"
    )
    print(f"plan + sensitivity + Monte Carlo: median {full_ms[0]:.1f} ms")


if __name__ == "__main__":
    main()
