"""Benchmark: planner's token loop TPOT p50 vs a bare onnxruntime_genai loop (goal <= 1.03x).

Both sides decode the same prompt greedily to the same fixed length on the same loaded model
(the bundled tiny decoder, random weights, CPU). The bare side is the loop onnxruntime-genai's
own end-to-end benchmark uses: ``append_tokens``, then ``generate_next_token`` until
``is_done()``, timing each call. Rounds alternate the sides (A B, B A, ...) so drift hits
both; each round's ratio is planner p50 / bare p50 over that round's inter-token gaps.
Run: ``python tests/benchmarks/bench_genai_tpot.py [--quick] [--threads N]``.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np

from planner.models.genai_inspect import inspect_genai_folder
from planner.models.genai_runtime import load_decoder, prompt_token_ids
from planner.models.genai_sample import sample_folder
from planner.profiling.token_loop import generate_one


def bare_gaps(model: Any, prompt: np.ndarray, output_tokens: int) -> list[float]:
    """Inter-token gaps of one generation written directly against onnxruntime_genai."""
    import onnxruntime_genai as og

    total = prompt.size + output_tokens
    params = og.GeneratorParams(model)
    params.set_search_options(max_length=total, min_length=total, do_sample=False)
    generator = og.Generator(model, params)
    generator.append_tokens(prompt)
    generator.generate_next_token()
    gaps = []
    last = time.perf_counter()
    while not generator.is_done():
        generator.generate_next_token()
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    return gaps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="6 rounds instead of 20")
    parser.add_argument("--threads", type=int, default=1, help="intra-op threads (default 1)")
    parser.add_argument("--prompt", type=int, default=64, help="prompt tokens")
    parser.add_argument("--output", type=int, default=128, help="output tokens")
    parser.add_argument("--runs", type=int, default=5, help="generations per side per round")
    args = parser.parse_args()
    rounds = 6 if args.quick else 20
    info = inspect_genai_folder(sample_folder())
    decoder = load_decoder(info, intra_op_threads=args.threads)
    prompt = prompt_token_ids(info, args.prompt, seed=0)[0]

    def planner_side() -> float:
        gaps = [
            g
            for _ in range(args.runs)
            for g in generate_one(decoder, prompt, args.output).inter_token_s
        ]
        return float(np.median(gaps))

    def bare_side() -> float:
        gaps = [g for _ in range(args.runs) for g in bare_gaps(decoder.model, prompt, args.output)]
        return float(np.median(gaps))

    planner_side(), bare_side()  # warm both paths
    ratios, planner_p50, bare_p50 = [], [], []
    for index in range(rounds):
        if index % 2:
            b, p = bare_side(), planner_side()
        else:
            p, b = planner_side(), bare_side()
        planner_p50.append(p)
        bare_p50.append(b)
        ratios.append(p / b)
    low, mid, high = np.percentile(ratios, [25, 50, 75])
    print(
        f"{info.name} (random weights), prompt {args.prompt}, output {args.output}, "
        f"threads {args.threads}, {rounds} rounds x {args.runs} generations per side"
    )
    print(
        f"TPOT p50: planner {np.median(planner_p50) * 1e3:.4f} ms, "
        f"bare {np.median(bare_p50) * 1e3:.4f} ms"
    )
    print(
        f"ratio planner/bare: median {mid:.4f}, IQR {low:.4f}-{high:.4f}, "
        f"range {min(ratios):.4f}-{max(ratios):.4f} (goal <= 1.03)"
    )


if __name__ == "__main__":
    main()
