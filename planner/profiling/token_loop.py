"""Timed greedy generation with ONNX Runtime GenAI: the token loop of generative profiling.

Runs inside the profiling worker process, on its main thread. ``onnxruntime_genai`` is
imported only inside the functions that need it, and only after
:func:`planner.profiling.genai_probe.probe_genai` has said it loads (a failing native
library kills the importing process).

Each generation is greedy with ``min_length = max_length = prompt + output``, so the runtime
masks the end-of-sequence token and every run produces exactly the requested number of tokens
(runs stay comparable). Concurrent sequences run as one batch through a single generator:
measured here, that is where onnxruntime-genai gives real concurrency on CPU (four sequences
took about twice the output tokens per second of one), while one generator per thread did not
beat running them one after another: its Python binding keeps the GIL during each call. For
the same reason, any Python thread busy in the worker during the loop delays tokens. The
timed loop does nothing but call the runtime and store a clock reading in a preallocated
list; records are assembled afterwards.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from planner.core.errors import ProfilingError
from planner.core.generative import GenerationRecord, GenerativeModelInfo
from planner.models.genai_runtime import LoadedDecoder


def generate_one(
    decoder: LoadedDecoder, prompt: np.ndarray, output_tokens: int
) -> GenerationRecord:
    """One greedy generation of exactly ``output_tokens`` tokens after ``prompt`` (1-D ids)."""
    return generate_concurrent(decoder, np.asarray(prompt).reshape(1, -1), output_tokens)[0]


def generate_concurrent(
    decoder: LoadedDecoder, prompts: np.ndarray, output_tokens: int
) -> tuple[GenerationRecord, ...]:
    """Generate for every row of ``prompts`` [sequences, length] at once, as one batch.

    The sequences advance together, so their records share one set of times and differ
    in their output ids.
    """
    batch = _checked_prompts(decoder.info, prompts, output_tokens)
    sequences, prompt_tokens = batch.shape
    start, prefill, stamps, generator = _timed_generation(decoder.model, batch, output_tokens)
    times = tuple(stamp - start for stamp in stamps)
    records = []
    for index in range(sequences):
        output = generator.get_sequence(index)[prompt_tokens:]
        if output.size != output_tokens:
            raise ProfilingError(
                f"the runtime produced {output.size} of {output_tokens} tokens for sequence "
                f"{index}; this onnxruntime-genai does not honour min_length"
            )
        records.append(
            GenerationRecord(
                prompt_tokens=prompt_tokens,
                output_ids=tuple(int(token) for token in output),
                prefill_s=prefill - start,
                token_times_s=times,
                sequences=sequences,
            )
        )
    return tuple(records)


def _timed_generation(
    model: Any, batch: np.ndarray, output_tokens: int
) -> tuple[float, float, list[float], Any]:
    """Run the generation; return start, end of prefill, token clock readings, generator."""
    import onnxruntime_genai as og

    sequences, prompt_tokens = batch.shape
    total = prompt_tokens + output_tokens
    stamps = [0.0] * output_tokens
    clock = time.perf_counter
    start = clock()
    params = og.GeneratorParams(model)
    params.set_search_options(
        max_length=total, min_length=total, do_sample=False, batch_size=sequences
    )
    generator = og.Generator(model, params)
    try:
        generator.append_tokens(batch)
        prefill = clock()
        for index in range(output_tokens):
            generator.generate_next_token()
            stamps[index] = clock()
    except RuntimeError as error:
        raise ProfilingError(f"generation failed in ONNX Runtime GenAI: {error}") from error
    return start, prefill, stamps, generator


def _checked_prompts(
    info: GenerativeModelInfo, prompts: np.ndarray, output_tokens: int
) -> np.ndarray:
    batch = np.ascontiguousarray(prompts, dtype=np.int32)
    if batch.ndim != 2 or batch.shape[0] < 1 or batch.shape[1] < 1:
        raise ProfilingError(
            f"prompts must be [sequences, length] with at least one token, not {prompts.shape}"
        )
    if output_tokens < 1:
        raise ProfilingError(f"output length must be at least 1 token, not {output_tokens}")
    if batch.shape[1] + output_tokens > info.context_length:
        raise ProfilingError(
            f"prompt ({batch.shape[1]}) plus output ({output_tokens}) tokens exceed the context "
            f"length {info.context_length} of {info.name}; shorten one of them"
        )
    if batch.min() < 0 or batch.max() >= info.vocab_size:
        raise ProfilingError(f"prompt token ids must lie in [0, {info.vocab_size}) for {info.name}")
    return batch
