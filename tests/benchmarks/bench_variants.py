"""Benchmark: every variant of the bundled CNN and transformer block against its parent.

For each sample and kind, makes the variant with :func:`make_variant` (timed, child
process included), then measures parent and variant p50 latency in paired rounds on
single-threaded CPU sessions: each round times both models for one window each, in
alternating order (A B, then B A), so drift of a shared machine hits both. The latency
ratio is the median of the per-round ratios (variant p50 / parent p50; above 1 means the
variant is slower). Run: ``python tests/benchmarks/bench_variants.py [--quick]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort

from planner.core.variant import VariantOutcome
from planner.models.inputs import synthesize_inputs
from planner.models.samples import bundled_sample_paths
from planner.models.variants import make_variant

KINDS = ("int8-dynamic", "int8-static", "fp16", "int4-weights", "prune-0.5")
SAMPLES = ("cnn", "transformer_block")
Timing = tuple[float, float, float]
COLUMNS = (
    ("model", 17), ("variant", 12), ("status", 6), ("make s", 6), ("recipe s", 8), ("size KiB", 8),
    ("size x", 6), ("zip x", 6), ("parent ms", 9), ("variant ms", 10), ("latency x", 9),
    ("max abs", 8), ("mean abs", 8), ("cosine", 8), ("top-1", 5), ("NaN/Inf", 7),
)  # fmt: skip


def single_thread_session(path: str) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def window_p50_ms(session: ort.InferenceSession, feeds: dict, seconds: float) -> float:
    samples: list[int] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(samples) < 5:
        started = time.perf_counter_ns()
        session.run(None, feeds)
        samples.append(time.perf_counter_ns() - started)
    return float(np.median(samples)) / 1e6


def paired_p50(
    parent: str, variant: str, rounds: int, seconds: float
) -> tuple[float, float, float]:
    """(parent p50 ms, variant p50 ms, median per-round latency ratio variant/parent)."""
    sessions = single_thread_session(parent), single_thread_session(variant)
    feeds = synthesize_inputs(parent, batch=1)
    for session in sessions:
        for _ in range(10):
            session.run(None, feeds)
    parents, variants = [], []
    for index in range(rounds):
        order = (0, 1) if index % 2 == 0 else (1, 0)
        p50 = {which: window_p50_ms(sessions[which], feeds, seconds) for which in order}
        parents.append(p50[0])
        variants.append(p50[1])
    ratios = np.asarray(variants) / np.asarray(parents)
    return float(np.median(parents)), float(np.median(variants)), float(np.median(ratios))


def row(
    model: str, kind: str, outcome: VariantOutcome, make_s: float, timing: Timing | None
) -> list[str]:
    fidelity = outcome.fidelity
    recipe_s = "-" if outcome.recipe_seconds is None else f"{outcome.recipe_seconds:.2f}"
    cells = [model, kind, outcome.status.value, f"{make_s:.2f}", recipe_s]
    if outcome.size_bytes is not None:
        cells += [
            f"{outcome.size_bytes / 1024:.0f}",
            f"{outcome.size_bytes / outcome.parent_size_bytes:.2f}",
        ]
    else:
        cells += ["-", "-"]
    if outcome.compressed_size_bytes:
        cells.append(f"{outcome.compressed_size_bytes / outcome.parent_compressed_size_bytes:.2f}")
    else:
        cells.append("-")
    cells += [f"{timing[0]:.3f}", f"{timing[1]:.3f}", f"{timing[2]:.2f}"] if timing else ["-"] * 3
    if fidelity is None:
        return cells + ["-"] * 5
    top1 = "-" if fidelity.top1_agreement is None else f"{fidelity.top1_agreement:.2f}"
    return cells + [
        _g(fidelity.max_abs_error), _g(fidelity.mean_abs_error),
        "-" if fidelity.cosine is None else f"{fidelity.cosine:.5f}", top1,
        f"{fidelity.nan_count}/{fidelity.inf_count}",
    ]  # fmt: skip


def _g(value: float | None) -> str:
    return "-" if value is None else f"{value:.2e}"


def _line(cells: list[str]) -> str:
    return "  ".join(
        c.rjust(w) if i > 2 else c.ljust(w)
        for i, (c, (_, w)) in enumerate(zip(cells, COLUMNS, strict=True))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="3 rounds of 0.2 s, not 6 of 0.5 s")
    args = parser.parse_args()
    rounds, seconds = (3, 0.2) if args.quick else (6, 0.5)
    out_dir = Path(tempfile.mkdtemp(prefix="planner-variants-"))
    paths = {p.stem: p for p in bundled_sample_paths()}
    print(f"onnxruntime {ort.__version__}; {rounds} paired rounds of {seconds} s per model; "
          "single-threaded CPU sessions, batch 1, default dims")  # fmt: skip
    print(_line([name for name, _ in COLUMNS]))
    notes: list[str] = []
    for model in SAMPLES:
        for kind in KINDS:
            started = time.perf_counter()
            outcome = make_variant(paths[model], kind, out_dir)
            make_s = time.perf_counter() - started
            timing = None
            if outcome.made:
                timing = paired_p50(str(paths[model]), outcome.path, rounds, seconds)
            else:
                notes.append(f"{model} {kind}: {outcome.reason}")
            print(_line(row(model, kind, outcome, make_s, timing)), flush=True)
    print("make s: make_variant's wall time (child process, recipe, fidelity check); "
          "recipe s: the recipe alone")  # fmt: skip
    print("size x: variant/parent bytes; zip x: the same after deflate (pruning only); "
          "latency x: variant p50 / parent p50, above 1 is slower")  # fmt: skip
    for note in notes:
        print("failed:", note)


if __name__ == "__main__":
    main()
