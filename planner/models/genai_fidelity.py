"""How far a generative variant's next-token choices drift from its parent's.

Runs in a child process that may import ``onnxruntime_genai`` (started by
:mod:`planner.models.genai_variants`). Both models read the same fixed prompts and then
the parent's greedy tokens one at a time (teacher forcing): at each step the variant's
greedy choice is compared with the parent's, and the log-probability each model gives
the parent's token is recorded. Feeding one token at a time (``append_tokens``) is the
same greedy decoding the runtime does; it lets the variant follow the parent's path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.models.genai_inspect import inspect_genai_folder
from planner.models.genai_runtime import LoadedDecoder, load_decoder, prompt_token_ids

PROMPTS = 4
PROMPT_TOKENS = 16
OUTPUT_TOKENS = 16


@dataclass(frozen=True)
class TokenFidelity:
    agreement: float  # share of steps where the variant's greedy token is the parent's
    logprob_gap: float  # mean parent minus variant log-probability of the parent's token
    prompts: int
    steps: int


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits.astype(np.float64) - float(np.max(logits))
    result: np.ndarray = shifted - np.log(np.sum(np.exp(shifted)))
    return result


def _steps(
    decoder: LoadedDecoder, prompt: np.ndarray, forced: list[int] | None
) -> list[np.ndarray]:
    """Log-probabilities at each step: greedy when ``forced`` is None, else fed ``forced``."""
    import onnxruntime_genai as og

    params = og.GeneratorParams(decoder.model)
    params.set_search_options(max_length=prompt.size + OUTPUT_TOKENS + 1, do_sample=False)
    generator = og.Generator(decoder.model, params)
    generator.append_tokens(prompt.reshape(1, -1))
    steps = []
    for index in range(OUTPUT_TOKENS):
        logprobs = _log_softmax(np.asarray(generator.get_logits())[0, -1])
        steps.append(logprobs)
        token = int(np.argmax(logprobs)) if forced is None else forced[index]
        generator.append_tokens(np.array([[token]], dtype=np.int32))
    return steps


def token_fidelity(parent_folder: str, variant_folder: str, seed: int = 0) -> TokenFidelity:
    """Teacher-forced agreement and log-probability gap over the fixed prompts."""
    parent_info = inspect_genai_folder(parent_folder)
    parent = load_decoder(parent_info, intra_op_threads=1)
    variant = load_decoder(inspect_genai_folder(variant_folder), intra_op_threads=1)
    agree, gaps = [], []
    for number in range(PROMPTS):
        prompt = prompt_token_ids(parent_info, PROMPT_TOKENS, seed + number)[0]
        parent_steps = _steps(parent, prompt, None)
        tokens = [int(np.argmax(step)) for step in parent_steps]
        variant_steps = _steps(variant, prompt, tokens)
        for token, p_step, v_step in zip(tokens, parent_steps, variant_steps, strict=True):
            agree.append(int(np.argmax(v_step)) == token)
            gaps.append(float(p_step[token] - v_step[token]))
    return TokenFidelity(float(np.mean(agree)), float(np.mean(gaps)), PROMPTS, len(agree))
