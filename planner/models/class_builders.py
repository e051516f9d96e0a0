"""Small ONNX models that reproduce the classes of real models users bring.

Pure functions, safe on any thread; seeded like :mod:`planner.models.builders`. Each one
stands for a class that once failed or measured nonsense (issue 10): a slow static
detector, a text detector with anonymous dynamic dims, a YOLO-style detector whose neck
needs sides divisible by 32, a Paddle export with ``dim_value = -1``, a streaming
voice-activity model (audio, recurrent state, sample rate), a token classifier whose
sequence axis is unnamed, and a model with a dimension no convention can size.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper

from planner.models.builders import DEFAULT_OPSET, _Graph

Shape = list[int | str | None]


def _tensor(name: str, elem: int, shape: Shape) -> onnx.ValueInfoProto:
    return helper.make_tensor_value_info(name, elem, shape)


def _conv(g: _Graph, x: str, name: str, c_in: int, c_out: int, k: int = 3, stride: int = 1) -> str:
    w = g.weight(f"{name}.weight", (c_out, c_in, k, k), c_in * k * k)
    return g.op("Conv", [x, w], kernel_shape=[k, k], pads=[k // 2] * 4, strides=[stride, stride])


def build_slow_conv(image_size: int = 832, channels: int = 64, seed: int = 0) -> onnx.ModelProto:
    """Two 3x3 convolutions on a fixed [1, 3, S, S] image: 832 takes ~0.3 s, 1664 ~2 s on CPU."""
    g = _Graph(seed)
    x = _conv(g, "image", "conv1", 3, channels)
    w = g.weight("conv2.weight", (channels, channels, 3, 3), channels * 9)
    g.op("Conv", [x, w], output="features", kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    side = image_size
    return g.model(
        "slow_conv",
        [_tensor("image", TensorProto.FLOAT, [1, 3, side, side])],
        [_tensor("features", TensorProto.FLOAT, [1, channels, side, side])],
        DEFAULT_OPSET,
    )


def build_text_detector(named: bool = True, seed: int = 0) -> onnx.ModelProto:
    """A DB-style text detector: image [N, 3, H, W] -> probability map [N, 1, H, W].

    ``named``: dims as Paddle2ONNX names them (``p2o.DynamicDimension.0..2``); otherwise
    unnamed dynamic axes.
    """
    g = _Graph(seed)
    x = g.op("Relu", [_conv(g, "x", "conv1", 3, 8)])
    g.op("Sigmoid", [_conv(g, x, "head", 8, 1)], output="maps")
    dims: Shape = [f"p2o.DynamicDimension.{k}" for k in range(3)] if named else [None, None, None]
    return g.model(
        "text_detector",
        [_tensor("x", TensorProto.FLOAT, [dims[0], 3, dims[1], dims[2]])],
        [_tensor("maps", TensorProto.FLOAT, [dims[0], 1, dims[1], dims[2]])],
        DEFAULT_OPSET,
    )


def build_yolo_style(seed: int = 0) -> onnx.ModelProto:
    """A detector on [batch, 3, height, width] whose neck concatenates stride 16 and 32.

    Five stride-2 convolutions, the stride-32 map upsampled 2x and concatenated with the
    stride-16 map: unless height and width are multiples of 32 the two maps differ in size
    and the Concat fails inside ONNX Runtime, as in YOLO necks. Output [batch, 84, boxes].
    """
    g = _Graph(seed)
    x, c = "images", 3
    for level, width in enumerate((8, 16, 16, 32)):
        x, c = g.op("Relu", [_conv(g, x, f"down{level}", c, width, stride=2)]), width
    p32 = g.op("Relu", [_conv(g, x, "down4", c, 32, stride=2)])
    scales = g.const("up.scales", np.array([1, 1, 2, 2], dtype=np.float32))
    up = g.op("Resize", [p32, "", scales], mode="nearest")
    merged = g.op("Concat", [up, x], axis=1)
    head = _conv(g, merged, "head", 64, 84, k=1)
    shape = g.const("head.shape", np.array([0, 84, -1], dtype=np.int64))
    g.op("Reshape", [head, shape], output="output0")
    return g.model(
        "yolo_style",
        [_tensor("images", TensorProto.FLOAT, ["batch", 3, "height", "width"])],
        [_tensor("output0", TensorProto.FLOAT, ["batch", 84, "boxes"])],
        DEFAULT_OPSET,
    )


def build_paddle_recognizer(seed: int = 0) -> onnx.ModelProto:
    """A Paddle-style text-line recognizer: x [-1, 3, 48, -1] -> [N, 97] (``dim_value`` -1)."""
    g = _Graph(seed)
    x = g.op("Relu", [_conv(g, "x", "conv1", 3, 16, stride=2)])
    pooled = g.op("Flatten", [g.op("GlobalAveragePool", [x])], axis=1)
    w = g.weight("fc.weight", (16, 97), 16)
    g.op("Softmax", [g.op("Gemm", [pooled, w, g.bias("fc.bias", 97)])], output="probs", axis=1)
    model = g.model(
        "paddle_recognizer",
        [_tensor("x", TensorProto.FLOAT, [1, 3, 48, 1])],
        [_tensor("probs", TensorProto.FLOAT, [1, 97])],
        DEFAULT_OPSET,
    )
    for value, axes in ((model.graph.input[0], (0, 3)), (model.graph.output[0], (0,))):
        for axis in axes:
            value.type.tensor_type.shape.dim[axis].dim_value = -1
    return model


def build_streaming_vad(pad: int = 64, seed: int = 0) -> onnx.ModelProto:
    """A voice-activity model shaped like Silero VAD.

    Inputs: ``input`` float [batch, samples], reflect-padded by ``pad`` on each side (so
    it needs at least ``pad + 1`` samples), ``state`` float [2, 1, 128] and ``sr`` int64
    scalar. Outputs: ``output`` [batch, 1] and ``stateN`` [2, 1, 128].
    """
    g = _Graph(seed)
    pads = g.const("stft.pads", np.array([0, pad, 0, pad], dtype=np.int64))
    padded = g.op("Pad", ["input", pads], mode="reflect")
    framed = g.op("Unsqueeze", [padded, g.const("frame.axes", np.array([1], dtype=np.int64))])
    w = g.weight("frame.weight", (16, 1, 2 * pad), 2 * pad)
    frames = g.op("Relu", [g.op("Conv", [framed, w], kernel_shape=[2 * pad], strides=[pad])])
    pooled = g.op("ReduceMean", [frames], axes=[2])
    pooled = g.op("Reshape", [pooled, g.const("flat", np.array([0, 16], dtype=np.int64))])
    logit = g.op("MatMul", [pooled, g.weight("head.weight", (16, 1), 16)])
    hz = g.const("hz", np.array(16000, dtype=np.float32))
    rate = g.op("Div", [g.op("Cast", ["sr"], to=TensorProto.FLOAT), hz])
    g.op("Sigmoid", [g.op("Mul", [logit, rate])], output="output")
    g.op("Tanh", ["state"], output="stateN")
    return g.model(
        "streaming_vad",
        [
            _tensor("input", TensorProto.FLOAT, ["batch", "samples"]),
            _tensor("state", TensorProto.FLOAT, [2, 1, 128]),
            _tensor("sr", TensorProto.INT64, []),
        ],
        [
            _tensor("output", TensorProto.FLOAT, ["batch", 1]),
            _tensor("stateN", TensorProto.FLOAT, [2, 1, 128]),
        ],
        DEFAULT_OPSET,
    )


def build_token_classifier(vocab: int = 500, seed: int = 0) -> onnx.ModelProto:
    """Token ids int64 [batch, ?] (unnamed sequence axis) -> Gather embedding -> [batch, 4]."""
    g = _Graph(seed)
    table = g.const("embed", (g.rng.standard_normal((vocab, 32)) * 0.1).astype(np.float32))
    x = g.op("Gather", [table, "tokens"])
    x = g.op("ReduceMean", [x], axes=[1], keepdims=0)
    g.op("Gemm", [x, g.weight("fc.weight", (32, 4), 32), g.bias("fc.bias", 4)], output="logits")
    return g.model(
        "token_classifier",
        [_tensor("tokens", TensorProto.INT64, ["batch", None])],
        [_tensor("logits", TensorProto.FLOAT, ["batch", 4])],
        DEFAULT_OPSET,
    )


def build_unsizable(seed: int = 0) -> onnx.ModelProto:
    """A float input x [batch, ?, 16] that no convention can size (the refusal case)."""
    g = _Graph(seed)
    g.op("ReduceMean", ["x"], output="y", axes=[1], keepdims=0)
    return g.model(
        "unsizable",
        [_tensor("x", TensorProto.FLOAT, ["batch", None, 16])],
        [_tensor("y", TensorProto.FLOAT, ["batch", 16])],
        DEFAULT_OPSET,
    )
