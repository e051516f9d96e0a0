"""Measuring one generative operating point: prompt length × output length × sequences.

Runs in the profiling worker process. Each generation is one window: ``sequences``
prompts of ``prompt_tokens`` ids decoded greedily to exactly ``output_tokens`` tokens
(``planner.profiling.token_loop``). Generations repeat until the same stability rule as
classic points holds (median CI of the inter-token gaps, batch-means CI of the output
token rate over generations), or the point's time cap or a stop request ends it. Nothing
here runs inside a generation's timed loop.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from planner.core.generative import GenerationRecord
from planner.core.token_stats import TokenStats
from planner.models.genai_runtime import LoadedDecoder, prompt_token_ids
from planner.profiling.stability import StabilityRule, check_stability
from planner.profiling.stats import latency_stats
from planner.profiling.token_loop import generate_concurrent

JUDGE_INTERVAL_S = 0.25
"""Stability is judged at most this often: judging sorts every gap so far, and doing that
after each short generation costs more than the generation and leaves the next one's first
token to start on cold caches (measured against MLPerf LoadGen: TTFT p90 8% high)."""


@dataclass(frozen=True)
class TokenPointSpec:
    prompt_tokens: int
    output_tokens: int
    sequences: int

    @property
    def label(self) -> str:
        seqs = "sequence" if self.sequences == 1 else "sequences"
        return f"prompt {self.prompt_tokens}, output {self.output_tokens}, {self.sequences} {seqs}"


@dataclass(frozen=True)
class TokenMeasurement:
    """A measured token point: its figures, the per-step gaps (ms) and how it ended."""

    stats: TokenStats
    itl_samples_ms: np.ndarray
    stable: bool
    stop_reason: str
    generations: int
    duration_s: float


def measure_token_point(
    decoder: LoadedDecoder,
    spec: TokenPointSpec,
    rule: StabilityRule,
    cap_s: float,
    should_stop: Callable[[], bool],
    seed: int = 0,
    on_generation: Callable[[int, float], None] | None = None,
    min_requests: int = 1,
) -> TokenMeasurement:
    """Generate until stable, capped or stopped; one warm-up generation is not counted.

    ``min_requests`` keeps a stable point going until that many requests are measured
    (TTFT and TPOT percentiles, one sample per request, need them: p90 needs 64).
    ``on_generation(count, elapsed_s)`` is called after each generation (for progress).
    """
    prompts = prompt_token_ids(decoder.info, spec.prompt_tokens, seed, spec.sequences)
    generate_concurrent(decoder, prompts, spec.output_tokens)
    records: list[GenerationRecord] = []
    gap_chunks: list[np.ndarray] = []
    started = time.perf_counter()
    judged = started
    reason = "stopped before the first generation"
    stable = False
    while not should_stop():
        record = generate_concurrent(decoder, prompts, spec.output_tokens)[0]
        records.append(record)
        gap_chunks.append(np.diff(np.asarray(record.token_times_s)) * 1000.0)
        now = time.perf_counter()
        if on_generation is not None:
            on_generation(len(records), now - started)
        capped = now - started >= cap_s
        if now - judged < JUDGE_INTERVAL_S and not capped:
            continue
        judged = now
        verdict = check_stability(rule, np.concatenate(gap_chunks), _token_rates(records, spec))
        requests = len(records) * spec.sequences
        stable, reason = verdict.stable and requests >= min_requests, verdict.reason
        if verdict.stable and not stable:
            reason = f"{requests} of {min_requests} requests for the target percentile; {reason}"
        if stable:
            break
        if capped:
            reason = f"time cap {cap_s:.3g} s reached before stable ({reason})"
            break
    else:
        if records:
            reason = f"stopped on request after {len(records)} generation(s)"
    duration = time.perf_counter() - started
    return TokenMeasurement(
        stats=token_stats(records, spec, decoder.info.kv_bytes_per_token, duration),
        itl_samples_ms=_gaps_ms(records),
        stable=stable,
        stop_reason=reason,
        generations=len(records),
        duration_s=duration,
    )


def _gaps_ms(records: list[GenerationRecord]) -> np.ndarray:
    if not records:
        return np.zeros(0, dtype=np.float64)
    return np.concatenate([np.diff(np.asarray(r.token_times_s)) for r in records]) * 1000.0


def _token_rates(records: list[GenerationRecord], spec: TokenPointSpec) -> np.ndarray:
    """Output tokens per second of each generation, all its sequences counted."""
    return np.array([spec.sequences * spec.output_tokens / r.e2e_s for r in records])


def token_stats(
    records: list[GenerationRecord], spec: TokenPointSpec, kv_bytes_per_token: int, wall_s: float
) -> TokenStats:
    """The point's figures from its generations (every sequence of a batch is a request).

    The sequences of one generation advance together, so they share TTFT, TPOT and E2E;
    each counts as a request, as in a batched server.
    """
    per_request = spec.sequences
    ttft = np.repeat([r.ttft_s * 1000.0 for r in records], per_request)
    tpot = np.repeat([(r.tpot_s or 0.0) * 1000.0 for r in records], per_request)
    e2e = np.repeat([r.e2e_s * 1000.0 for r in records], per_request)
    busy_s = sum(r.e2e_s for r in records) or wall_s or 1.0
    requests = len(records) * per_request
    return TokenStats(
        prompt_tokens=spec.prompt_tokens,
        output_tokens=spec.output_tokens,
        sequences=spec.sequences,
        requests=requests,
        ttft=latency_stats(ttft),
        tpot=latency_stats(tpot) if spec.output_tokens > 1 else latency_stats(np.zeros(0)),
        itl=latency_stats(_gaps_ms(records)),
        e2e=latency_stats(e2e),
        input_tokens_per_s=requests * spec.prompt_tokens / busy_s,
        output_tokens_per_s=requests * spec.output_tokens / busy_s,
        kv_cache_bytes=kv_bytes_per_token * (spec.prompt_tokens + spec.output_tokens) * per_request,
        ttft_samples_ms=tuple(float(v) for v in ttft),
    )
