"""A byte-level BPE tokenizer trained by our own code, written as Hugging Face JSON files.

The sample decoder (:mod:`planner.models.genai_sample`) needs a tokenizer that ONNX Runtime
GenAI loads (``tokenizer.json`` and ``tokenizer_config.json``). GenAI's tokenizer accepts
byte-level BPE but not a WordLevel vocabulary, so we train a small BPE here rather than
depend on the ``tokenizers`` package: 256 byte tokens, merges learned greedily from
:data:`TRAINING_TEXT`, and one special end-of-text token. Pure functions, deterministic
(ties between equally frequent pairs go to the smallest pair), safe on any thread.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

END_OF_TEXT = "<|endoftext|>"

#: Our own prose, so that the merges (and therefore the token ids) are ours to ship.
TRAINING_TEXT = (
    "Planner measures how fast a model answers on the machine in front of you, and what it "
    "would cost to serve the same traffic on servers you buy or rent. A language model reads "
    "a prompt, then writes one token after another; the first token waits for the whole "
    "prompt to be read, and every later token waits only for one more step of the decoder. "
    "The time to the first token, the time per output token and the tokens per second decide "
    "how many users one server can carry. The cache of keys and values grows with every token "
    "that the model reads or writes, so long prompts and many parallel requests need memory "
    "as well as time. This sample model has random weights: its text means nothing, but its "
    "shapes, its cache and its timing behave like those of a real decoder, which is all that "
    "a capacity plan needs from it. Measure, compare, and plan the servers, the power and the "
    "cost per million tokens; then repeat the measurement on the model you will really run. "
    "Numbers such as 128, 256, 512 and 1024 appear in sizes; names such as prefill, decode, "
    "latency, throughput, energy and memory appear in reports."
)

_PRE_TOKEN = re.compile(
    r"'(?:s|t|re|ve|m|ll|d)| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+"
)


@dataclass(frozen=True)
class ByteLevelBpe:
    """A trained tokenizer: ``vocab`` maps byte-level token strings to ids, in id order.

    ``merges`` lists the learned pairs in priority order; ``eos_id`` is the id of
    :data:`END_OF_TEXT`, the last id of the vocabulary.
    """

    vocab: dict[str, int]
    merges: tuple[tuple[str, str], ...]
    eos_id: int

    @property
    def size(self) -> int:
        return len(self.vocab) + 1


def byte_to_unicode() -> dict[int, str]:
    """The byte-level alphabet: each byte as one printable character.

    Printable Latin-1 bytes stand for themselves; the others (control bytes, space, ...) are
    shifted above U+0100 in byte order. This is the convention byte-level BPE tokenizers
    share, so the runtime's decoder maps our tokens back to the right bytes.
    """
    printable = [*range(ord("!"), ord("~") + 1), *range(0xA1, 0xAD), *range(0xAE, 0x100)]
    mapping = {byte: chr(byte) for byte in printable}
    shifted = (byte for byte in range(256) if byte not in mapping)
    mapping.update({byte: chr(0x100 + offset) for offset, byte in enumerate(shifted)})
    return dict(sorted(mapping.items()))


def train_byte_level_bpe(text: str, vocab_size: int) -> ByteLevelBpe:
    """Learn ``vocab_size - 257`` merges from ``text`` (256 bytes + merges + end-of-text).

    ValueError when the text has too few distinct pairs to reach ``vocab_size``.
    """
    alphabet = byte_to_unicode()
    words = Counter(
        tuple(alphabet[b] for b in piece.encode("utf-8")) for piece in _PRE_TOKEN.findall(text)
    )
    vocab = {alphabet[byte]: byte for byte in range(256)}
    merges: list[tuple[str, str]] = []
    while len(vocab) < vocab_size - 1:
        pair = _most_frequent_pair(words)
        if pair is None:
            raise ValueError(f"the training text yields only {len(vocab) + 1} tokens")
        merges.append(pair)
        vocab[pair[0] + pair[1]] = len(vocab)
        words = Counter({_merge(word, pair): count for word, count in words.items()})
    return ByteLevelBpe(vocab=vocab, merges=tuple(merges), eos_id=len(vocab))


def tokenizer_json(bpe: ByteLevelBpe) -> dict[str, Any]:
    """The ``tokenizer.json`` document: byte-level pre-tokenizer and decoder, BPE model."""
    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{"id": bpe.eos_id} | _special_token()],
        "normalizer": None,
        "pre_tokenizer": byte_level | {"use_regex": True},
        "post_processor": byte_level,
        "decoder": byte_level | {"use_regex": True},
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": "",
            "end_of_word_suffix": "",
            "fuse_unk": False,
            "byte_fallback": False,
            "vocab": bpe.vocab,
            "merges": [f"{left} {right}" for left, right in bpe.merges],
        },
    }


def tokenizer_config_json(bpe: ByteLevelBpe, context_length: int) -> dict[str, Any]:
    """The ``tokenizer_config.json`` document naming a GPT-2 style tokenizer class."""
    return {
        "tokenizer_class": "GPT2Tokenizer",
        "add_prefix_space": False,
        "bos_token": END_OF_TEXT,
        "eos_token": END_OF_TEXT,
        "unk_token": END_OF_TEXT,
        "clean_up_tokenization_spaces": False,
        "model_max_length": context_length,
        "added_tokens_decoder": {str(bpe.eos_id): _special_token()},
    }


def _special_token() -> dict[str, Any]:
    return {
        "content": END_OF_TEXT,
        "single_word": False,
        "lstrip": False,
        "rstrip": False,
        "normalized": False,
        "special": True,
    }


def _most_frequent_pair(words: Counter[tuple[str, ...]]) -> tuple[str, str] | None:
    pairs: Counter[tuple[str, str]] = Counter()
    for word, count in words.items():
        for pair in zip(word, word[1:], strict=False):
            pairs[pair] += count
    if not pairs:
        return None
    best = max(pairs.values())
    return min(pair for pair, count in pairs.items() if count == best)


def _merge(word: tuple[str, ...], pair: tuple[str, str]) -> tuple[str, ...]:
    merged: list[str] = []
    index = 0
    while index < len(word):
        if index + 1 < len(word) and (word[index], word[index + 1]) == pair:
            merged.append(pair[0] + pair[1])
            index += 2
        else:
            merged.append(word[index])
            index += 1
    return tuple(merged)
