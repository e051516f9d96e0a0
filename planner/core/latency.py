"""Latency statistics of one measured operating point: pure data, safe on any thread.

Shared by classic points (``planner.core.run``) and token points
(``planner.core.token_stats``); built by ``planner.profiling.stats``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any


def json_number(value: float | None) -> float | None:
    """Float for JSON: NaN and infinities become None."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class LatencyStats:
    """Summary of latency samples in milliseconds; a percentile is None with too few samples."""

    count: int
    mean: float | None
    std: float | None
    min: float | None
    max: float | None
    p50: float | None
    p90: float | None
    p95: float | None
    p99: float | None
    p999: float | None
    unavailable: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            f.name: json_number(getattr(self, f.name)) for f in fields(self)[1:-1]
        }
        return {"count": self.count, **data, "unavailable": dict(self.unavailable)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LatencyStats:
        return cls(**{**data, "unavailable": dict(data.get("unavailable", {}))})
