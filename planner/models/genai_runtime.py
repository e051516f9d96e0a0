"""Loading an ONNX Runtime GenAI decoder, and the prompts planner feeds it.

Used by the profiling worker (``planner.profiling.token_loop``) and by the variant child
process (token fidelity). ``onnxruntime_genai`` is imported only inside the functions
that need it, and only after ``planner.profiling.genai_probe.probe_genai`` has said it
loads: a failing native library kills the importing process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from planner.core.errors import ModelError
from planner.core.generative import GenerativeModelInfo


@dataclass(frozen=True)
class LoadedDecoder:
    """A GenAI model loaded for the CPU, with what inspection learned about it."""

    info: GenerativeModelInfo
    model: Any  # onnxruntime_genai.Model; typed loosely so importing this module stays safe


def load_decoder(info: GenerativeModelInfo, intra_op_threads: int | None = None) -> LoadedDecoder:
    """Load the folder ``info`` describes on the CPU execution provider.

    ``intra_op_threads`` sets ONNX Runtime's threads for the decoder (``None``: what
    onnxruntime-genai chooses), as planner's other CPU measurements do.
    """
    import onnxruntime_genai as og

    config = og.Config(info.path)
    config.clear_providers()
    if intra_op_threads is not None:
        options = {"session_options": {"intra_op_num_threads": intra_op_threads}}
        config.overlay(json.dumps({"model": {"decoder": options}}))
    try:
        model = og.Model(config)
    except RuntimeError as error:
        raise ModelError(
            f"ONNX Runtime GenAI could not load {info.name}: {error}; check that its "
            "genai_config.json matches the ONNX graph"
        ) from error
    return LoadedDecoder(info=info, model=model)


def genai_version() -> str:
    """The installed onnxruntime-genai's version (imports it: call only in the worker)."""
    import onnxruntime_genai as og

    return str(og.__version__)


def prompt_token_ids(
    info: GenerativeModelInfo, length: int, seed: int, sequences: int = 1
) -> np.ndarray:
    """Deterministic prompts: int32 [sequences, length] drawn from ``seed``.

    Ids are drawn from the vocabulary less the end-of-sequence and padding ids, so the
    prompt length is exact (no text, no tokenizer) and nothing ends or pads it early.
    """
    if length < 1 or sequences < 1:
        raise ModelError(f"prompts need at least 1 token and 1 sequence, not {length}")
    special = np.array([*info.eos_token_ids, info.pad_token_id], dtype=np.int64)
    allowed = np.setdiff1d(np.arange(info.vocab_size, dtype=np.int64), special)
    rng = np.random.default_rng(seed)
    return allowed[rng.integers(0, allowed.size, size=(sequences, length))].astype(np.int32)
