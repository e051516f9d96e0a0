"""The CSV table of measured points: one row per point of every run in the report.

Pure function over stored runs; any thread. Measurements keep full precision. A classic
point fills the inference columns (``throughput_ips``, the latency percentiles in ms,
``joules_per_inference``); a generative point leaves them empty and fills the token
columns instead (TTFT and TPOT percentiles, tokens and requests per second, joules per
output token), so no figure sits under a header that names another quantity: a
generative point's throughput counts output tokens and its latency samples are the gaps
between tokens (``itl_*``), not inferences.
"""

from __future__ import annotations

from typing import Any

from planner.core.run import PointResult
from planner.core.token_stats import TokenStats

_POINT_STATS = ("mean", "p50", "p90", "p95", "p99", "p999")
_INFERENCE_HEADER = ("throughput_ips", *(f"{name}_ms" for name in _POINT_STATS), "samples")
_TOKEN_HEADER = (
    "prompt_tokens",
    "output_tokens",
    "sequences",
    "requests",
    "ttft_p50_ms",
    "ttft_p90_ms",
    "ttft_p99_ms",
    "tpot_p50_ms",
    "tpot_p90_ms",
    "itl_p50_ms",
    "itl_p99_ms",
    "output_tokens_per_s",
    "input_tokens_per_s",
    "requests_per_s",
    "kv_cache_bytes",
    "joules_per_output_token",
)
HEADER = [
    "run_id",
    "seq",
    "label",
    "scenario",
    "batch",
    "concurrency",
    "target_rate_ips",
    *_INFERENCE_HEADER,
    "stable",
    "stop_reason",
    "energy_method",
    "joules_per_inference",
    "avg_power_w",
    *_TOKEN_HEADER,
]


def point_row(run_id: str, seq: int, point: PointResult) -> list[Any]:
    """The point's cells in :data:`HEADER` order."""
    tokens = point.tokens
    return [
        run_id,
        seq,
        point.label,
        point.scenario,
        point.batch,
        point.concurrency,
        point.target_rate,
        *(_inference_cells(point) if tokens is None else [None] * len(_INFERENCE_HEADER)),
        point.stable,
        point.stop_reason,
        point.energy.method,
        point.energy.joules_per_inference if tokens is None else None,
        point.energy.avg_power_w,
        *([None] * len(_TOKEN_HEADER) if tokens is None else _token_cells(point, tokens)),
    ]


def _inference_cells(point: PointResult) -> list[Any]:
    stats = point.stats
    return [point.throughput_ips, *(getattr(stats, name) for name in _POINT_STATS), stats.count]


def _token_cells(point: PointResult, t: TokenStats) -> list[Any]:
    return [
        t.prompt_tokens,
        t.output_tokens,
        t.sequences,
        t.requests,
        t.ttft.p50,
        t.ttft.p90,
        t.ttft.p99,
        t.tpot.p50,
        t.tpot.p90,
        t.itl.p50,
        t.itl.p99,
        t.output_tokens_per_s,
        t.input_tokens_per_s,
        t.requests_per_s,
        t.kv_cache_bytes,
        point.energy.joules_per_inference,  # a generative point's energy is per output token
    ]
