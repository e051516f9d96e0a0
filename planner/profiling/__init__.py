"""Profiling engine: scenarios, load generation, stability, statistics, telemetry, worker."""
