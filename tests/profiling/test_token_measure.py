"""Token points: figures worked by hand from known generations, and real ones on the sample."""

from __future__ import annotations

import numpy as np
import pytest

from planner.core.generative import GenerationRecord
from planner.models.genai_inspect import inspect_genai_folder
from planner.models.genai_runtime import load_decoder
from planner.models.genai_sample import sample_folder
from planner.profiling.genai_probe import probe_genai
from planner.profiling.stability import StabilityRule
from planner.profiling.token_measure import TokenPointSpec, measure_token_point, token_stats

GENAI = probe_genai()
needs_genai = pytest.mark.skipif(not GENAI.available, reason=f"onnxruntime-genai: {GENAI.reason}")


def _record(times_s: tuple[float, ...], sequences: int) -> GenerationRecord:
    return GenerationRecord(5, tuple(range(len(times_s))), 0.001, times_s, sequences)


def test_figures_from_two_batched_generations_match_the_definitions() -> None:
    spec = TokenPointSpec(prompt_tokens=5, output_tokens=4, sequences=2)
    records = [_record((0.010, 0.012, 0.014, 0.016), 2), _record((0.020, 0.023, 0.026, 0.029), 2)]
    stats = token_stats(records, spec, kv_bytes_per_token=2048, wall_s=1.0)
    assert stats.requests == 4
    assert stats.ttft_samples_ms == pytest.approx((10.0, 10.0, 20.0, 20.0))
    # TPOT per request: (last - first) / (tokens - 1): 2 ms and 3 ms.
    assert stats.tpot.mean == pytest.approx(2.5)
    # ITL: one sample per decode step of each generation (3 + 3 gaps).
    assert stats.itl.count == 6 and stats.itl.mean == pytest.approx(2.5)
    assert stats.e2e.max == pytest.approx(29.0)
    busy = 0.016 + 0.029
    assert stats.output_tokens_per_s == pytest.approx(4 * 4 / busy)
    assert stats.input_tokens_per_s == pytest.approx(4 * 5 / busy)
    assert stats.kv_cache_bytes == 2048 * (5 + 4) * 2


@needs_genai
def test_a_real_point_on_the_sample_decoder_reports_token_figures() -> None:
    info = inspect_genai_folder(sample_folder())
    decoder = load_decoder(info, intra_op_threads=1)
    spec = TokenPointSpec(prompt_tokens=16, output_tokens=24, sequences=2)
    rule = StabilityRule(min_windows=3, min_samples=64, ci_tolerance=0.05)
    measured = measure_token_point(decoder, spec, rule, cap_s=3.0, should_stop=lambda: False)
    stats = measured.stats
    assert measured.generations >= 3
    assert stats.requests == 2 * measured.generations
    assert measured.itl_samples_ms.size == measured.generations * 23 == stats.itl.count
    assert stats.ttft.p50 is not None and stats.ttft.p50 > 0
    assert stats.output_tokens_per_s > 0 and stats.input_tokens_per_s > 0
    assert measured.stable or "time cap" in measured.stop_reason


@needs_genai
def test_a_stop_request_ends_the_point_with_what_it_has() -> None:
    info = inspect_genai_folder(sample_folder())
    decoder = load_decoder(info, intra_op_threads=1)
    calls = iter([False, True])
    measured = measure_token_point(
        decoder,
        TokenPointSpec(8, 8, 1),
        StabilityRule(),
        cap_s=60.0,
        should_stop=lambda: next(calls),
    )
    assert measured.generations == 1 and "stopped on request" in measured.stop_reason
    assert np.all(measured.itl_samples_ms > 0)
