"""The bundled tiny decoder: deterministic build, KV-cache correctness and tokenizer round trip.

Cache equivalence runs the real onnxruntime-genai generator against a full recompute with
plain onnxruntime on the same ``model.onnx``. Tests that need onnxruntime-genai skip only
when the subprocess probe says it cannot load here.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

from planner.models.bpe_tokenizer import TRAINING_TEXT, byte_to_unicode, train_byte_level_bpe
from planner.models.genai_sample import DESCRIPTION, DecoderShape, sample_folder, write_sample
from planner.profiling.genai_probe import probe_genai

GENAI = probe_genai()
needs_genai = pytest.mark.skipif(not GENAI.available, reason=f"onnxruntime-genai: {GENAI.reason}")
SHAPE = DecoderShape()
EOS = SHAPE.vocab_size - 1


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_builder_writes_byte_identical_folders(tmp_path: Path) -> None:
    write_sample(tmp_path / "a")
    write_sample(tmp_path / "b")
    first = _files(tmp_path / "a")
    assert set(first) == {
        "model.onnx",
        "genai_config.json",
        "tokenizer.json",
        "tokenizer_config.json",
        "planner_sample.json",
        "README.md",
    }
    assert first == _files(tmp_path / "b")


def test_shipped_sample_is_what_the_builder_writes(tmp_path: Path) -> None:
    write_sample(tmp_path)
    assert _files(sample_folder()) == _files(tmp_path), (
        "resources/models/tiny_decoder is stale: run python -m planner.models.genai_sample"
    )


def test_sample_says_it_has_random_weights() -> None:
    folder = sample_folder()
    metadata = json.loads((folder / "planner_sample.json").read_text("utf-8"))
    assert metadata["description"] == DESCRIPTION
    assert "random weights" in DESCRIPTION
    assert "random weights" in (folder / "README.md").read_text("utf-8")


def test_bpe_reaches_the_vocabulary_size_with_bytes_first_and_eos_last() -> None:
    bpe = train_byte_level_bpe(TRAINING_TEXT, 512)
    assert bpe.size == 512
    assert bpe.eos_id == 511
    assert len(bpe.merges) == 512 - 257
    alphabet = byte_to_unicode()
    assert len(set(alphabet.values())) == 256
    assert all(bpe.vocab[alphabet[byte]] == byte for byte in range(256))
    assert bpe == train_byte_level_bpe(TRAINING_TEXT, 512)


def test_bpe_refuses_a_vocabulary_the_text_cannot_fill() -> None:
    with pytest.raises(ValueError, match="only"):
        train_byte_level_bpe("ab ab", 300)


def _full_recompute(session: ort.InferenceSession, prompt: list[int], steps: int) -> list[int]:
    """Greedy decoding that feeds the whole sequence each step with an empty cache.

    The end-of-sequence logit is masked, as the runtime does below ``min_length``.
    """
    sequence = list(prompt)
    empty = np.zeros((1, SHAPE.kv_heads, 0, SHAPE.head_size), dtype=np.float32)
    cache = {
        name % layer: empty
        for layer in range(SHAPE.layers)
        for name in ("past_key_values.%d.key", "past_key_values.%d.value")
    }
    for _ in range(steps):
        length = len(sequence)
        feed = {
            "input_ids": np.array([sequence], dtype=np.int64),
            "attention_mask": np.ones((1, length), dtype=np.int64),
            "position_ids": np.arange(length, dtype=np.int64)[None],
            **cache,
        }
        logits = session.run(["logits"], feed)[0][0, -1]
        logits[EOS] = -np.inf
        sequence.append(int(logits.argmax()))
    return sequence[len(prompt) :]


def _cached_generation(model: object, prompt: list[int], steps: int) -> list[int]:
    import onnxruntime_genai as og

    total = len(prompt) + steps
    params = og.GeneratorParams(model)
    params.set_search_options(max_length=total, min_length=total, do_sample=False)
    generator = og.Generator(model, params)
    generator.append_tokens(np.array(prompt, dtype=np.int32))
    while not generator.is_done():
        generator.generate_next_token()
    return [int(token) for token in generator.get_sequence(0)[len(prompt) :]]


@needs_genai
def test_cached_greedy_decoding_equals_full_recompute() -> None:
    import onnxruntime_genai as og

    folder = sample_folder()
    config = og.Config(str(folder))
    config.clear_providers()
    model = og.Model(config)
    session = ort.InferenceSession(str(folder / "model.onnx"), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(7)
    for length in (5, 40):
        prompt = [int(t) for t in rng.integers(0, EOS, size=length)]
        cached = _cached_generation(model, prompt, 32)
        assert cached == _full_recompute(session, prompt, 32)
        assert len(set(cached)) > 3  # the random weights do not collapse onto one token


@needs_genai
def test_tokenizer_round_trips_text_through_genai() -> None:
    import onnxruntime_genai as og

    config = og.Config(str(sample_folder()))
    config.clear_providers()
    tokenizer = og.Tokenizer(og.Model(config))
    text = "Planner measures the time per output token.\n\tCafé 42 — ünïcode ✓"
    ids = tokenizer.encode(text)
    assert tokenizer.decode(ids) == text
    assert 0 < len(ids) < len(text.encode("utf-8"))  # merges were applied
    assert max(ids) < EOS
