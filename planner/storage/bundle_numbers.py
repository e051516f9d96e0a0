"""The numbers inside a bundle's JSON: finite everywhere, and in range where they size work.

Pure functions over parsed JSON, called by the bundle validator on the importing thread.
JSON itself can carry infinity without naming it (``1e400`` parses as ``inf``) and
integers of any length, so :func:`finite_float` and :func:`bounded_int` are the parser's
hooks: one non-finite or oversized number anywhere refuses the bundle. Fields that size
work or memory when a run is shown, reported or planned (batch sizes, concurrency,
dimensions, rates, durations) are further held to the ranges the command line accepts,
through :mod:`planner.core.validation`. Failures raise ``ValueError`` with the reason;
the caller turns it into the bundle's one-line refusal.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from planner.core.errors import InputError
from planner.core.parsing import (
    COUNT_LIMITS,
    DIM_LIMITS,
    DURATION_LIMITS,
    INT64_LIMITS,
    PERCENTILE_LIMITS,
    RATE_LIMITS,
    SLO_MS_LIMITS,
    THREAD_LIMITS,
)
from planner.core.validation import FRACTION, Limits, check_number

_ANY_COUNT = Limits(low=0, high=1_000_000, whole=True, why="a count of steps or samples")
_PERIOD = Limits(low=0, low_open=True, high=3600, why="seconds")
_GRACE = Limits(low=0, high=3600, why="seconds")
_SEED = Limits(low=0, high=2**63 - 1, whole=True, why="a random seed")
_BYTES = Limits(low=0, high=1e15, whole=True, why="bytes")
_DIM_USED = Limits(low=0, high=DIM_LIMITS.high, whole=True, why=DIM_LIMITS.why)
#: The range of each numeric field of a run configuration (lists: of each item).
CONFIG_LIMITS: Mapping[str, Limits] = {
    "batch_sizes": COUNT_LIMITS,
    "concurrency": COUNT_LIMITS,
    "target_rates": RATE_LIMITS,
    "intra_op_threads": THREAD_LIMITS,
    "inter_op_threads": THREAD_LIMITS,
    "time_budget_s": DURATION_LIMITS,
    "point_cap_s": DURATION_LIMITS,
    "warmup_s": _GRACE,
    "window_s": _PERIOD,
    "min_windows": _ANY_COUNT,
    "min_samples": _ANY_COUNT,
    "ci_tolerance": FRACTION,
    "throughput_tolerance": FRACTION,
    "seed": _SEED,
    "slo_percentile": PERCENTILE_LIMITS,
    "slo_ms": SLO_MS_LIMITS,
    "rate_search_steps": _ANY_COUNT,
    "stall_gain": Limits(low=0, high=1000, why="a relative gain"),
    "stall_steps": _ANY_COUNT,
    "telemetry_period_s": _PERIOD,
    "gpu_period_s": _PERIOD,
    "memory_limit_bytes": _BYTES,
    "deadline_s": DURATION_LIMITS,
    "cancel_grace_s": _GRACE,
}
#: Largest integer a bundle may hold anywhere (SQLite's and numpy's 64-bit integers).
MAX_INT = 2**63 - 1


def finite_float(text: str) -> float:
    """JSON ``parse_float`` hook: the number, unless it overflows to infinity."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:30]} is not finite")
    return value


def bounded_int(text: str) -> int:
    """JSON ``parse_int`` hook: the integer, unless it exceeds 64 bits."""
    if len(text) > 20:
        raise ValueError(f"the integer {text[:30]}... is too large")
    value = int(text)
    if abs(value) > MAX_INT:
        raise ValueError(f"the integer {text} is too large")
    return value


def check_config(where: str, config: Any) -> None:
    """Each numeric field of a run configuration within :data:`CONFIG_LIMITS`."""
    if not isinstance(config, dict):
        raise ValueError(f"{where} is not an object")
    for key, limits in CONFIG_LIMITS.items():
        value = config.get(key)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if item is not None:
                _checked(item, f"{where}.{key}", limits)
    check_dims(f"{where}.dims", config.get("dims", {}), DIM_LIMITS)
    ranges = config.get("int_ranges", {})
    if not isinstance(ranges, dict):
        raise ValueError(f"{where}.int_ranges is not an object")
    for name, bounds in ranges.items():
        if not isinstance(bounds, list) or len(bounds) != 2:
            raise ValueError(f"{where}.int_ranges.{name[:40]} is not a pair")
        for bound in bounds:
            _checked(bound, f"{where}.int_ranges.{name[:40]}", INT64_LIMITS)


def check_dims(where: str, dims: Any, limits: Limits = _DIM_USED) -> None:
    """A mapping of dimension names to whole sizes within ``limits``."""
    if not isinstance(dims, dict):
        raise ValueError(f"{where} is not an object")
    for name, size in dims.items():
        _checked(size, f"{where}.{str(name)[:40]}", limits)


def check_point_counts(where: str, point: Mapping[str, Any]) -> None:
    """A point's batch and concurrency as the command line would accept them."""
    for key in ("batch", "concurrency"):
        _checked(point.get(key), f"{where} {key}", COUNT_LIMITS)


def _checked(value: Any, field: str, limits: Limits) -> None:
    try:
        check_number(value, field, limits)
    except InputError as exc:
        raise ValueError(str(exc)) from None
