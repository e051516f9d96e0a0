"""Small, seeded ONNX models built in code: the bundled samples and test fixtures.

Pure functions, safe on any thread. Each builder returns an :class:`onnx.ModelProto`
with float32 weights drawn from ``numpy.random.default_rng(seed)``, so the same
arguments always give byte-identical files. Batch (and, for the transformer, sequence)
dimensions are named dynamic dims ("batch", "seq").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

DEFAULT_OPSET = 17
PRODUCER = "planner.models.builders"


class _Graph:
    """Collects nodes and initializers with generated, readable names."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._count = 0

    def const(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(value, name))
        return name

    def weight(self, name: str, shape: tuple[int, ...], fan_in: int) -> str:
        scale = 1.0 / np.sqrt(fan_in)
        return self.const(name, (self.rng.standard_normal(shape) * scale).astype(np.float32))

    def bias(self, name: str, size: int) -> str:
        return self.const(name, (self.rng.standard_normal(size) * 0.01).astype(np.float32))

    def op(self, op_type: str, inputs: list[str], output: str | None = None, **attrs: Any) -> str:
        self._count += 1
        out = output or f"{op_type.lower()}_{self._count}"
        self.nodes.append(
            helper.make_node(op_type, inputs, [out], name=f"{op_type}_{self._count}", **attrs)
        )
        return out

    def model(
        self,
        name: str,
        inputs: list[onnx.ValueInfoProto],
        outputs: list[onnx.ValueInfoProto],
        opset: int,
    ) -> onnx.ModelProto:
        graph = helper.make_graph(self.nodes, name, inputs, outputs, self.initializers)
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", opset)], producer_name=PRODUCER
        )
        model.ir_version = 8
        onnx.checker.check_model(model)
        return model


def build_mlp(
    in_features: int = 128,
    hidden: int = 256,
    out_features: int = 10,
    hidden_layers: int = 2,
    seed: int = 0,
    opset: int = DEFAULT_OPSET,
) -> onnx.ModelProto:
    """An MLP: ``x`` [batch, in_features] -> Gemm+Relu x hidden_layers -> Gemm -> ``y``."""
    g = _Graph(seed)
    x, width = "x", in_features
    for layer in range(hidden_layers):
        w = g.weight(f"fc{layer}.weight", (width, hidden), width)
        x = g.op("Relu", [g.op("Gemm", [x, w, g.bias(f"fc{layer}.bias", hidden)])])
        width = hidden
    w = g.weight("head.weight", (width, out_features), width)
    g.op("Gemm", [x, w, g.bias("head.bias", out_features)], output="y")
    return g.model(
        "mlp",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", in_features])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", out_features])],
        opset,
    )


def build_cnn(
    channels: int = 3,
    image_size: int = 128,
    classes: int = 10,
    width: int = 48,
    seed: int = 0,
    opset: int = DEFAULT_OPSET,
) -> onnx.ModelProto:
    """A small CNN on ``image`` [batch, channels, image_size, image_size] -> ``logits``.

    Layers: conv3x3(channels->width/2)+Relu, MaxPool2, conv3x3(width/2->width)+Relu,
    depthwise conv3x3(width, group=width), conv1x1(width->2*width)+Relu, MaxPool2,
    conv3x3(2*width->2*width)+Relu, GlobalAveragePool, Flatten, Gemm(2*width->classes).
    Every conv has a bias and padding 1 (3x3) or 0 (1x1).
    """
    g = _Graph(seed)

    def conv(x: str, name: str, c_in: int, c_out: int, k: int, group: int = 1) -> str:
        w = g.weight(f"{name}.weight", (c_out, c_in // group, k, k), c_in // group * k * k)
        pads = [k // 2] * 4
        return g.op(
            "Conv",
            [x, w, g.bias(f"{name}.bias", c_out)],
            kernel_shape=[k, k],
            pads=pads,
            group=group,
        )

    half, double = width // 2, 2 * width
    x = g.op("Relu", [conv("image", "conv1", channels, half, 3)])
    x = g.op("MaxPool", [x], kernel_shape=[2, 2], strides=[2, 2])
    x = g.op("Relu", [conv(x, "conv2", half, width, 3)])
    x = conv(x, "dwconv", width, width, 3, group=width)
    x = g.op("Relu", [conv(x, "pwconv", width, double, 1)])
    x = g.op("MaxPool", [x], kernel_shape=[2, 2], strides=[2, 2])
    x = g.op("Relu", [conv(x, "conv3", double, double, 3)])
    x = g.op("Flatten", [g.op("GlobalAveragePool", [x])], axis=1)
    w = g.weight("head.weight", (double, classes), double)
    g.op("Gemm", [x, w, g.bias("head.bias", classes)], output="logits")
    image_shape: list[str | int] = ["batch", channels, image_size, image_size]
    return g.model(
        "cnn",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, image_shape)],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", classes])],
        opset,
    )


def build_transformer_block(
    vocab_size: int = 1000,
    d_model: int = 64,
    heads: int = 4,
    ffn: int = 256,
    seed: int = 0,
    opset: int = DEFAULT_OPSET,
) -> onnx.ModelProto:
    """One pre-norm transformer encoder block over token ids.

    Inputs ``input_ids`` and ``attention_mask``, both int64 [batch, seq]; output
    ``last_hidden_state`` float32 [batch, seq, d_model]. Embedding Gather, LayerNorm,
    multi-head self-attention (MatMul, Softmax, additive mask), residual, LayerNorm,
    MLP (MatMul+Relu+MatMul), residual. Float initializers beyond the weight matrices,
    biases and LayerNorm scales: three scalars (1.0, -10000.0 and 1/sqrt(head size)).
    """
    if d_model % heads:
        raise ValueError(f"d_model {d_model} is not divisible by heads {heads}")
    g = _Graph(seed)
    head = d_model // heads
    emb = g.const(
        "embed.weight", (g.rng.standard_normal((vocab_size, d_model)) * 0.1).astype(np.float32)
    )
    x = g.op("Gather", [emb, "input_ids"])

    def layer_norm(value: str, name: str) -> str:
        scale = g.const(f"{name}.weight", np.ones(d_model, dtype=np.float32))
        shift = g.const(f"{name}.bias", np.zeros(d_model, dtype=np.float32))
        return g.op("LayerNormalization", [value, scale, shift], axis=-1, epsilon=1e-5)

    def linear(value: str, name: str, c_in: int, c_out: int) -> str:
        product = g.op("MatMul", [value, g.weight(f"{name}.weight", (c_in, c_out), c_in)])
        return g.op("Add", [product, g.bias(f"{name}.bias", c_out)])

    split = g.const("split_heads_shape", np.array([0, 0, heads, head], dtype=np.int64))
    merge = g.const("merge_heads_shape", np.array([0, 0, d_model], dtype=np.int64))

    def heads_of(value: str, perm: list[int]) -> str:
        return g.op("Transpose", [g.op("Reshape", [value, split])], perm=perm)

    h = layer_norm(x, "ln1")
    q = heads_of(linear(h, "attn.q", d_model, d_model), [0, 2, 1, 3])
    k = heads_of(linear(h, "attn.k", d_model, d_model), [0, 2, 3, 1])
    v = heads_of(linear(h, "attn.v", d_model, d_model), [0, 2, 1, 3])
    scores = g.op(
        "Mul",
        [
            g.op("MatMul", [q, k]),
            g.const("attn.scale", np.array(1 / np.sqrt(head), dtype=np.float32)),
        ],
    )
    mask = g.op("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    mask = g.op("Sub", [g.const("one", np.array(1.0, dtype=np.float32)), mask])
    mask = g.op("Mul", [mask, g.const("mask_fill", np.array(-10000.0, dtype=np.float32))])
    mask = g.op("Unsqueeze", [mask, g.const("mask_axes", np.array([1, 2], dtype=np.int64))])
    probs = g.op("Softmax", [g.op("Add", [scores, mask])], axis=-1)
    context = g.op("Transpose", [g.op("MatMul", [probs, v])], perm=[0, 2, 1, 3])
    attended = linear(g.op("Reshape", [context, merge]), "attn.out", d_model, d_model)
    x = g.op("Add", [x, attended])
    hidden = g.op("Relu", [linear(layer_norm(x, "ln2"), "mlp.fc1", d_model, ffn)])
    g.op("Add", [x, linear(hidden, "mlp.fc2", ffn, d_model)], output="last_hidden_state")
    ids = ["batch", "seq"]
    return g.model(
        "transformer_block",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ids),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ids),
        ],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, [*ids, d_model])],
        opset,
    )


def save_model(model: onnx.ModelProto, path: str | Path) -> Path:
    """Write ``model`` to ``path`` (parent folders created) and return the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(model.SerializeToString(deterministic=True))
    return target
