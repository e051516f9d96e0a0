"""Benchmark: planner's TTFT and TPOT against MLPerf LoadGen with token latencies.

Both sides decode the bundled tiny decoder greedily, one sequence at a time (LoadGen's
SingleStream), with the same prompt length, output length and thread count. LoadGen's SUT
runs its own onnxruntime-genai loop and reports the first token through
``FirstTokenComplete`` before ``QuerySamplesComplete`` (``use_token_latencies``); planner
measures with ``measure_token_point``. Rounds alternate the two sides (A B A B …) and the
figures are the median of the per-round ratios with their spread, since one round on a
shared VM swings by tens of per cent. Goal: within ±5%.
Run: ``python tests/benchmarks/bench_genai_loadgen.py [--rounds 6] [--seconds 4]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile

import mlperf_loadgen as lg
import numpy as np
from _loadgen_log import summary_value

from planner.models.genai_inspect import inspect_genai_folder
from planner.models.genai_runtime import LoadedDecoder, load_decoder, prompt_token_ids
from planner.models.genai_sample import sample_folder
from planner.profiling.stability import StabilityRule
from planner.profiling.token_measure import TokenPointSpec, measure_token_point

SAMPLES = 64


def loadgen_side(
    decoder: LoadedDecoder, spec: TokenPointSpec, seconds: float
) -> tuple[float, float]:
    """LoadGen's TTFT p90 and TPOT p50 (ms) for one SingleStream run."""
    import onnxruntime_genai as og

    prompt = prompt_token_ids(decoder.info, spec.prompt_tokens, seed=0)
    total = spec.prompt_tokens + spec.output_tokens

    def issue(queries: list) -> None:
        for query in queries:
            params = og.GeneratorParams(decoder.model)
            params.set_search_options(max_length=total, min_length=total, do_sample=False)
            generator = og.Generator(decoder.model, params)
            generator.append_tokens(prompt)
            generator.generate_next_token()
            lg.FirstTokenComplete([lg.QuerySampleResponse(query.id, 0, 0)])
            for _ in range(spec.output_tokens - 1):
                generator.generate_next_token()
            lg.QuerySamplesComplete([lg.QuerySampleResponse(query.id, 0, 0, spec.output_tokens)])

    settings = lg.TestSettings()
    settings.scenario = lg.TestScenario.SingleStream
    settings.mode = lg.TestMode.PerformanceOnly
    settings.use_token_latencies = True
    settings.min_duration_ms = int(seconds * 1000)
    settings.min_query_count = 20
    settings.single_stream_expected_latency_ns = 10_000_000
    log = lg.LogSettings()
    outdir = tempfile.mkdtemp(prefix="loadgen-genai-")
    log.log_output.outdir = outdir
    log.log_output.copy_summary_to_stdout = False
    log.enable_trace = False
    sut = lg.ConstructSUT(issue, lambda: None)
    qsl = lg.ConstructQSL(SAMPLES, SAMPLES, lambda _s: None, lambda _s: None)
    lg.StartTestWithLogSettings(sut, qsl, settings, log)
    lg.DestroyQSL(qsl)
    lg.DestroySUT(sut)
    ttft = summary_value(outdir, "90.00 percentile first token latency (ns)") / 1e6
    tpot = summary_value(outdir, "50.00 percentile time to output token (ns)") / 1e6
    return ttft, tpot


def planner_side(
    decoder: LoadedDecoder, spec: TokenPointSpec, seconds: float
) -> tuple[float, float]:
    """Planner's TTFT p90 and TPOT p50 (ms) for one point of the same shape."""
    rule = StabilityRule(min_windows=10**9)  # run to the cap, as LoadGen runs its duration
    measured = measure_token_point(decoder, spec, rule, cap_s=seconds, should_stop=lambda: False)
    ttft = float(np.percentile(np.asarray(measured.stats.ttft_samples_ms), 90))
    assert measured.stats.tpot.p50 is not None
    return ttft, measured.stats.tpot.p50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--prompt", type=int, default=64)
    parser.add_argument("--output", type=int, default=64)
    args = parser.parse_args()
    decoder = load_decoder(inspect_genai_folder(sample_folder()), intra_op_threads=1)
    spec = TokenPointSpec(args.prompt, args.output, 1)
    ttft_ratios, tpot_ratios = [], []
    for round_number in range(args.rounds):
        sides = [planner_side, loadgen_side]
        if round_number % 2:
            sides.reverse()
        results = {side.__name__: side(decoder, spec, args.seconds) for side in sides}
        (p_ttft, p_tpot), (l_ttft, l_tpot) = results["planner_side"], results["loadgen_side"]
        ttft_ratios.append(p_ttft / l_ttft)
        tpot_ratios.append(p_tpot / l_tpot)
        print(
            f"round {round_number + 1}: TTFT p90 planner {p_ttft:.3f} ms, LoadGen {l_ttft:.3f} ms; "
            f"TPOT planner {p_tpot:.4f} ms, LoadGen {l_tpot:.4f} ms"
        )
    for name, ratios in (("TTFT p90", ttft_ratios), ("TPOT p50", tpot_ratios)):
        print(
            f"{name} planner/LoadGen: median {statistics.median(ratios):.3f} "
            f"(range {min(ratios):.3f}-{max(ratios):.3f} over {len(ratios)} paired rounds)"
        )


if __name__ == "__main__":
    main()
