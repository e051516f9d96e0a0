"""The bundled generative sample: a tiny random-weight decoder in the ONNX Runtime GenAI layout.

``python -m planner.models.genai_sample [--out DIR]`` writes ``model.onnx``,
``genai_config.json``, ``tokenizer.json``, ``tokenizer_config.json`` and
``planner_sample.json`` (byte-identical every time) into ``resources/models/tiny_decoder/``,
where they are checked in and shipped as package data. The weights are random: the sample is
for timing only, and every file that describes it says so.

The graph follows what GenAI's ``"llama"`` model type feeds and reads: ``input_ids``,
``attention_mask`` and ``position_ids`` (int64), one ``past_key_values.N.key``/``.value`` pair
per layer ([batch, kv_heads, past, head_size]) and ``logits`` plus ``present.N.key``/``.value``
out. Each layer is pre-norm causal self-attention with grouped-query heads over the cache,
then a SiLU MLP. Runs on the caller's thread; no state.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper

from planner.models.bpe_tokenizer import (
    TRAINING_TEXT,
    tokenizer_config_json,
    tokenizer_json,
    train_byte_level_bpe,
)
from planner.models.builders import _Graph, save_model
from planner.models.samples import samples_dir

SAMPLE_FOLDER = "tiny_decoder"
MODEL_FILE = "model.onnx"
PAST_KEY, PAST_VALUE = "past_key_values.%d.key", "past_key_values.%d.value"
PRESENT_KEY, PRESENT_VALUE = "present.%d.key", "present.%d.value"
DESCRIPTION = "random weights: for timing only; its generated text is meaningless"
_BUILDER = "planner.models.genai_sample"
_OPSET = 17
_MASKED = -1e9


@dataclass(frozen=True)
class DecoderShape:
    """Sizes of the sample decoder; the defaults give about 1 M parameters (4 MB of float32)."""

    vocab_size: int = 512
    hidden: int = 128
    layers: int = 4
    heads: int = 4
    kv_heads: int = 2
    ffn: int = 512
    context_length: int = 1024
    seed: int = 0

    @property
    def head_size(self) -> int:
        return self.hidden // self.heads


def build_decoder(shape: DecoderShape) -> onnx.ModelProto:
    """The decoder graph with its KV-cache inputs and outputs (see the module docstring)."""
    if shape.hidden % shape.heads or shape.heads % shape.kv_heads:
        raise ValueError(f"heads must divide hidden and kv_heads must divide heads: {shape}")
    g = _Graph(shape.seed)
    tokens = g.op("Gather", [_embedding(g, "embed.weight", shape.vocab_size, shape), "input_ids"])
    places = g.op(
        "Gather", [_embedding(g, "position.weight", shape.context_length, shape), "position_ids"]
    )
    x = g.op("Add", [tokens, places])
    bias = _attention_bias(g)
    for layer in range(shape.layers):
        x = _decoder_layer(g, x, bias, layer, shape)
    head = g.weight("lm_head.weight", (shape.hidden, shape.vocab_size), shape.hidden)
    g.op("MatMul", [_layer_norm(g, x, "final_norm", shape.hidden), head], output="logits")
    return g.model("tiny_decoder", _graph_inputs(shape), _graph_outputs(shape), _OPSET)


def genai_config(shape: DecoderShape, eos_id: int) -> dict[str, Any]:
    """``genai_config.json``: model type, token ids, sizes and the graph's tensor names."""
    return {
        "model": {
            "type": "llama",
            "bos_token_id": eos_id,
            "eos_token_id": eos_id,
            "pad_token_id": eos_id,
            "vocab_size": shape.vocab_size,
            "context_length": shape.context_length,
            "decoder": {
                "filename": MODEL_FILE,
                "session_options": {"log_id": "onnxruntime-genai", "provider_options": []},
                "hidden_size": shape.hidden,
                "num_attention_heads": shape.heads,
                "num_key_value_heads": shape.kv_heads,
                "head_size": shape.head_size,
                "num_hidden_layers": shape.layers,
                "inputs": {
                    "input_ids": "input_ids",
                    "attention_mask": "attention_mask",
                    "position_ids": "position_ids",
                    "past_key_names": PAST_KEY,
                    "past_value_names": PAST_VALUE,
                },
                "outputs": {
                    "logits": "logits",
                    "present_key_names": PRESENT_KEY,
                    "present_value_names": PRESENT_VALUE,
                },
            },
        },
        "search": {
            "do_sample": False,
            "max_length": shape.context_length,
            "min_length": 0,
            "num_beams": 1,
            "num_return_sequences": 1,
            "past_present_share_buffer": False,
        },
    }


def write_sample(out_dir: Path, shape: DecoderShape | None = None) -> tuple[Path, ...]:
    """Build the sample folder in ``out_dir`` and return the written files."""
    shape = shape or DecoderShape()
    bpe = train_byte_level_bpe(TRAINING_TEXT, shape.vocab_size)
    documents = {
        "genai_config.json": genai_config(shape, bpe.eos_id),
        "tokenizer.json": tokenizer_json(bpe),
        "tokenizer_config.json": tokenizer_config_json(bpe, shape.context_length),
        "planner_sample.json": {"description": DESCRIPTION, "builder": _BUILDER, **asdict(shape)},
    }
    written = [save_model(build_decoder(shape), out_dir / MODEL_FILE)]
    for name, document in documents.items():
        target = out_dir / name
        target.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", "utf-8")
        written.append(target)
    readme = out_dir / "README.md"
    readme.write_text(_readme(shape), "utf-8")
    return (*written, readme)


def _readme(shape: DecoderShape) -> str:
    return (
        "# tiny_decoder: planner's generative sample\n\n"
        f"A decoder with **{DESCRIPTION}**. Built by `python -m {_BUILDER}`: "
        f"{shape.layers} layers, hidden size {shape.hidden}, {shape.heads} attention heads "
        f"({shape.kv_heads} key/value heads), vocabulary {shape.vocab_size} (a byte-level BPE "
        f"trained by planner), context {shape.context_length} tokens, seed {shape.seed}.\n"
        "Its shapes, KV cache and timing behave like a real decoder's; measure the model you "
        "will really run before planning with its figures.\n"
    )


def sample_folder() -> Path:
    """Where the bundled sample lives, installed or from a source checkout."""
    return samples_dir() / SAMPLE_FOLDER


def _embedding(g: _Graph, name: str, rows: int, shape: DecoderShape) -> str:
    return g.const(name, (g.rng.standard_normal((rows, shape.hidden)) * 0.5).astype(np.float32))


def _attention_bias(g: _Graph) -> str:
    """Additive bias [batch, 1, 1, new, total]: 0 where a query may look, -1e9 elsewhere.

    Query ``i`` of this step sits at absolute position ``past + i`` (``past`` = total length
    of ``attention_mask`` minus the new tokens) and sees keys up to there that the mask keeps.
    """
    total = g.op("Squeeze", [g.op("Shape", ["attention_mask"], start=1, end=2)])
    new = g.op("Squeeze", [g.op("Shape", ["input_ids"], start=1, end=2)])
    zero = g.const("int_zero", np.array(0, dtype=np.int64))
    one = g.const("int_one", np.array(1, dtype=np.int64))
    keys = g.op("Range", [zero, total, one])
    queries = g.op("Range", [g.op("Sub", [total, new]), total, one])
    causal = g.op(
        "LessOrEqual",
        [
            g.op("Unsqueeze", [keys, g.const("axes_0", np.array([0], dtype=np.int64))]),
            g.op("Unsqueeze", [queries, g.const("axes_1", np.array([1], dtype=np.int64))]),
        ],
    )
    kept = g.op("Cast", ["attention_mask"], to=TensorProto.BOOL)
    kept = g.op("Unsqueeze", [kept, g.const("axes_123", np.array([1, 2, 3], dtype=np.int64))])
    return g.op(
        "Where",
        [
            g.op("And", [causal, kept]),
            g.const("bias_open", np.array(0.0, dtype=np.float32)),
            g.const("bias_masked", np.array(_MASKED, dtype=np.float32)),
        ],
    )


def _decoder_layer(g: _Graph, x: str, bias: str, layer: int, shape: DecoderShape) -> str:
    """Pre-norm block: x + attention(norm(x)), then x + MLP(norm(x))."""
    h = _layer_norm(g, x, f"layers.{layer}.attn_norm", shape.hidden)
    x = g.op("Add", [x, _attention(g, h, bias, layer, shape)])
    h = _layer_norm(g, x, f"layers.{layer}.mlp_norm", shape.hidden)
    up = _linear(g, h, f"layers.{layer}.up", shape.hidden, shape.ffn)
    act = g.op("Mul", [up, g.op("Sigmoid", [up])])  # SiLU
    return g.op("Add", [x, _linear(g, act, f"layers.{layer}.down", shape.ffn, shape.hidden)])


def _attention(g: _Graph, h: str, bias: str, layer: int, shape: DecoderShape) -> str:
    """Grouped-query attention of the new tokens over the cache plus themselves.

    Queries are shaped [batch, kv_heads, group, new, d] and keys/values [batch, kv_heads, 1,
    total, d], so each key/value head serves its group of query heads by broadcasting.
    """
    d, kv, group = shape.head_size, shape.kv_heads, shape.heads // shape.kv_heads
    prefix = f"layers.{layer}"
    split_q = g.const(f"{prefix}.q_shape", np.array([0, 0, kv, group, d], dtype=np.int64))
    split_kv = g.const(f"{prefix}.kv_shape", np.array([0, 0, kv, d], dtype=np.int64))
    q = g.op("Reshape", [_linear(g, h, f"{prefix}.q", shape.hidden, shape.hidden), split_q])
    q = g.op("Transpose", [q], perm=[0, 2, 3, 1, 4])
    present = []
    for kind, past, out in (("k", PAST_KEY, PRESENT_KEY), ("v", PAST_VALUE, PRESENT_VALUE)):
        new = g.op("Reshape", [_linear(g, h, f"{prefix}.{kind}", shape.hidden, kv * d), split_kv])
        new = g.op("Transpose", [new], perm=[0, 2, 1, 3])  # [batch, kv, new, d]
        present.append(g.op("Concat", [past % layer, new], output=out % layer, axis=2))
    group_axis = g.const(f"{prefix}.group_axis", np.array([2], dtype=np.int64))
    keys = g.op("Unsqueeze", [g.op("Transpose", [present[0]], perm=[0, 1, 3, 2]), group_axis])
    scale = g.const(f"{prefix}.scale", np.array(1 / np.sqrt(d), dtype=np.float32))
    scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, keys]), scale]), bias])
    probs = g.op("Softmax", [scores], axis=-1)
    context = g.op("MatMul", [probs, g.op("Unsqueeze", [present[1], group_axis])])
    merge = g.const(f"{prefix}.merge_shape", np.array([0, 0, shape.hidden], dtype=np.int64))
    context = g.op("Reshape", [g.op("Transpose", [context], perm=[0, 3, 1, 2, 4]), merge])
    return _linear(g, context, f"{prefix}.o", shape.hidden, shape.hidden)


def _linear(g: _Graph, x: str, name: str, c_in: int, c_out: int) -> str:
    return g.op("MatMul", [x, g.weight(f"{name}.weight", (c_in, c_out), c_in)])


def _layer_norm(g: _Graph, x: str, name: str, size: int) -> str:
    scale = g.const(f"{name}.weight", np.ones(size, dtype=np.float32))
    shift = g.const(f"{name}.bias", np.zeros(size, dtype=np.float32))
    return g.op("LayerNormalization", [x, scale, shift], axis=-1, epsilon=1e-5)


def _graph_inputs(shape: DecoderShape) -> list[onnx.ValueInfoProto]:
    ids, places = (
        helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "sequence"])
        for name in ("input_ids", "position_ids")
    )
    mask = helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "total"])
    cache_shape: list[str | int] = ["batch", shape.kv_heads, "past", shape.head_size]
    cache = [
        helper.make_tensor_value_info(name % layer, TensorProto.FLOAT, cache_shape)
        for layer in range(shape.layers)
        for name in (PAST_KEY, PAST_VALUE)
    ]
    return [ids, mask, places, *cache]


def _graph_outputs(shape: DecoderShape) -> list[onnx.ValueInfoProto]:
    logits = helper.make_tensor_value_info(
        "logits", TensorProto.FLOAT, ["batch", "sequence", shape.vocab_size]
    )
    cache_shape: list[str | int] = ["batch", shape.kv_heads, "total", shape.head_size]
    cache = [
        helper.make_tensor_value_info(name % layer, TensorProto.FLOAT, cache_shape)
        for layer in range(shape.layers)
        for name in (PRESENT_KEY, PRESENT_VALUE)
    ]
    return [logits, *cache]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m planner.models.genai_sample",
        description="Write the tiny random-weight decoder sample (GenAI folder layout).",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default: resources/models/tiny_decoder)",
    )
    args = parser.parse_args(argv)
    out_dir = args.out or sample_folder()
    for path in write_sample(out_dir):
        print(f"{path}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
