"""Token fidelity of generative variants: the definitions, and a folder against itself."""

from __future__ import annotations

import math

import numpy as np
import pytest

from planner.models.genai_fidelity import _log_softmax, token_fidelity
from planner.models.genai_sample import sample_folder
from planner.models.genai_variants import decoder_dims
from planner.profiling.genai_probe import probe_genai

GENAI = probe_genai()


def test_log_softmax_by_hand() -> None:
    logits = np.array([1.0, 2.0, 3.0])
    total = math.exp(1) + math.exp(2) + math.exp(3)
    assert _log_softmax(logits) == pytest.approx([math.log(math.exp(v) / total) for v in logits])


def test_decoder_axes_get_a_cached_and_a_new_block_of_tokens() -> None:
    dims = decoder_dims(sample_folder() / "model.onnx")
    assert dims == {"batch": 1, "sequence": 16, "total": 32, "past": 16}


@pytest.mark.skipif(not GENAI.available, reason=f"onnxruntime-genai: {GENAI.reason}")
def test_a_model_agrees_with_itself_on_every_step() -> None:
    same = token_fidelity(str(sample_folder()), str(sample_folder()))
    assert same.agreement == 1.0 and same.logprob_gap == pytest.approx(0.0, abs=1e-9)
    assert same.prompts == 4 and same.steps == 64
