"""Token figures of one generative operating point, as MLPerf and vLLM define them.

Pure data, safe on any thread or process; built by ``planner.profiling.token_measure`` in
the worker, carried by a point's ``tokens`` field, stored with the run. Times are in ms:

* TTFT: request start (generator set-up included) to the first output token;
* TPOT: mean time per output token after the first, one value per request;
* ITL: each gap between consecutive tokens, one sample per decode step;
* E2E: request start to its last token.

Throughputs count tokens of every sequence over wall time. The KV cache figure is the
peak the point's sequences hold: bytes per token × (prompt + output) × sequences.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planner.core.latency import LatencyStats


@dataclass(frozen=True)
class TokenStats:
    prompt_tokens: int
    output_tokens: int
    sequences: int
    requests: int
    ttft: LatencyStats
    tpot: LatencyStats
    itl: LatencyStats
    e2e: LatencyStats
    input_tokens_per_s: float
    output_tokens_per_s: float
    kv_cache_bytes: int
    ttft_samples_ms: tuple[float, ...] = field(default=(), repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "output_tokens": self.output_tokens,
            "sequences": self.sequences,
            "requests": self.requests,
            "ttft": self.ttft.to_dict(),
            "tpot": self.tpot.to_dict(),
            "itl": self.itl.to_dict(),
            "e2e": self.e2e.to_dict(),
            "input_tokens_per_s": self.input_tokens_per_s,
            "output_tokens_per_s": self.output_tokens_per_s,
            "kv_cache_bytes": self.kv_cache_bytes,
            "ttft_samples_ms": list(self.ttft_samples_ms),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TokenStats:
        return cls(
            prompt_tokens=int(data["prompt_tokens"]),
            output_tokens=int(data["output_tokens"]),
            sequences=int(data["sequences"]),
            requests=int(data["requests"]),
            ttft=LatencyStats.from_dict(data["ttft"]),
            tpot=LatencyStats.from_dict(data["tpot"]),
            itl=LatencyStats.from_dict(data["itl"]),
            e2e=LatencyStats.from_dict(data["e2e"]),
            input_tokens_per_s=float(data["input_tokens_per_s"]),
            output_tokens_per_s=float(data["output_tokens_per_s"]),
            kv_cache_bytes=int(data["kv_cache_bytes"]),
            ttft_samples_ms=tuple(float(v) for v in data.get("ttft_samples_ms", ())),
        )

    @property
    def requests_per_s(self) -> float:
        """Completed requests per second: output tokens per second over tokens per request."""
        return self.output_tokens_per_s / self.output_tokens if self.output_tokens else 0.0


_PERCENTILE_FIELDS = {50.0: "p50", 90.0: "p90", 95.0: "p95", 99.0: "p99", 99.9: "p999"}


def latency_at(stats: LatencyStats, percentile: float) -> float | None:
    """The ``percentile`` (50, 90, 95, 99 or 99.9) of ``stats``; None when not reported."""
    name = _PERCENTILE_FIELDS.get(float(percentile))
    if name is None:
        raise ValueError(f"percentile {percentile} is not one planner reports")
    value: float | None = getattr(stats, name)
    return value


def target_verdict(
    stats: TokenStats,
    ttft_target_ms: float | None,
    tpot_target_ms: float | None,
    percentile: float,
) -> str | None:
    """Why the point misses its TTFT/TPOT targets at ``percentile``; None when it meets them.

    A percentile the samples cannot support counts as a miss, with that reason: goodput is
    claimed only for what was measured.
    """
    checks = (("TTFT", stats.ttft, ttft_target_ms), ("TPOT", stats.tpot, tpot_target_ms))
    for name, figures, target in checks:
        if target is None:
            continue
        value = latency_at(figures, percentile)
        if value is None:
            return f"{name} p{percentile:g} not reported ({figures.count} requests)"
        if value > target:
            return f"{name} p{percentile:g} {value:.3g} ms > {target:g} ms"
    return None
