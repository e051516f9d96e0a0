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

from planner.core.run import LatencyStats


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
