"""count_flops on single-operator graphs, each checked against arithmetic done by hand."""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from planner.models.flops import count_flops

F = TensorProto.FLOAT


def _model(
    nodes: list[onnx.NodeProto],
    inputs: list[tuple[str, int, list[int | str]]],
    outputs: list[str],
    initializers: dict[str, np.ndarray] | None = None,
    ms: bool = False,
) -> onnx.ModelProto:
    graph = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info(n, t, s) for n, t, s in inputs],
        [helper.make_tensor_value_info(n, F, None) for n in outputs],
        [numpy_helper.from_array(v, k) for k, v in (initializers or {}).items()],
    )
    opsets = [helper.make_opsetid("", 17)] + ([helper.make_opsetid("com.microsoft", 1)] * ms)
    return helper.make_model(graph, opset_imports=opsets)


def _w(*shape: int) -> np.ndarray:
    return np.zeros(shape, dtype=np.float32)


def test_batched_matmul_uses_substituted_dims() -> None:
    node = helper.make_node("MatMul", ["a", "b"], ["y"])
    model = _model([node], [("a", F, ["n", "m", 32]), ("b", F, ["n", 32, 8])], ["y"])
    total, by_op, uncounted = count_flops(model, {"n": 2, "m": 5})
    assert total == 2 * (2 * 5 * 8) * 32  # 2 * outputs * K
    assert by_op == {"MatMul": total} and uncounted == ()


def test_gemm_with_transposed_a_and_bias() -> None:
    node = helper.make_node("Gemm", ["a", "w", "c"], ["y"], transA=1)
    model = _model([node], [("a", F, [64, "m"])], ["y"], {"w": _w(64, 16), "c": _w(16)})
    total, _, _ = count_flops(model, {"m": 4})
    assert total == 2 * 4 * 16 * 64 + 4 * 16  # K = 64 taken from the transposed A


def test_grouped_strided_conv_without_bias() -> None:
    node = helper.make_node(
        "Conv", ["x", "w"], ["y"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], group=4
    )
    model = _model([node], [("x", F, [1, 8, 16, 16])], ["y"], {"w": _w(12, 2, 3, 3)})
    total, _, _ = count_flops(model, {})
    # output [1, 12, 8, 8]; each output reads C_in/group = 2 channels of 3x3
    assert total == 2 * (12 * 8 * 8) * (2 * 3 * 3)


def test_conv_transpose_with_bias() -> None:
    node = helper.make_node("ConvTranspose", ["x", "w", "b"], ["y"], strides=[2, 2])
    model = _model([node], [("x", F, [1, 4, 5, 5])], ["y"], {"w": _w(4, 6, 2, 2), "b": _w(6)})
    total, _, _ = count_flops(model, {})
    # every input element (4*5*5) meets C_out/group * k*k = 6*2*2 weights; output [1,6,10,10]
    assert total == 2 * (4 * 5 * 5) * (6 * 2 * 2) + 6 * 10 * 10


def test_lstm_and_gru() -> None:
    seq, batch, inp, hidden = 7, 2, 10, 20
    lstm = helper.make_node("LSTM", ["x", "w", "r"], ["y"], hidden_size=hidden)
    gru = helper.make_node("GRU", ["x", "w3", "r3"], ["z"], hidden_size=hidden)
    weights = {
        "w": _w(1, 4 * hidden, inp),
        "r": _w(1, 4 * hidden, hidden),
        "w3": _w(1, 3 * hidden, inp),
        "r3": _w(1, 3 * hidden, hidden),
    }
    model = _model([lstm, gru], [("x", F, ["t", batch, inp])], ["y", "z"], weights)
    _, by_op, _ = count_flops(model, {"t": seq})
    # per step and batch row: gates * hidden * (input + hidden) multiply-adds
    assert by_op["LSTM"] == 2 * seq * batch * 4 * hidden * (inp + hidden)
    assert by_op["GRU"] == 2 * seq * batch * 3 * hidden * (inp + hidden)


def test_microsoft_attention_and_mha() -> None:
    b, s, hid, heads = 2, 10, 32, 4
    att = helper.make_node(
        "Attention", ["x", "w", "bias"], ["y"], domain="com.microsoft", num_heads=heads
    )
    mha = helper.make_node(
        "MultiHeadAttention", ["q", "k", "v"], ["z"], domain="com.microsoft", num_heads=heads
    )
    inputs = [("x", F, [b, s, hid]), ("q", F, [b, s, hid]), ("k", F, [b, 6, hid])]
    inputs.append(("v", F, [b, 6, hid]))
    model = _model(
        [att, mha], inputs, ["y", "z"], {"w": _w(hid, 3 * hid), "bias": _w(3 * hid)}, True
    )
    _, by_op, uncounted = count_flops(model, {})
    projection = 2 * b * s * hid * 3 * hid + b * s * 3 * hid  # x @ W_qkv + bias
    assert by_op["Attention"] == projection + 2 * (2 * b * s * s * hid)  # QK^T and PV
    assert by_op["MultiHeadAttention"] == 2 * (2 * b * s * 6 * hid)  # key length 6
    assert uncounted == ()


def test_einsum_control_flow_and_custom_ops_are_uncounted() -> None:
    einsum = helper.make_node("Einsum", ["a", "a"], ["e"], equation="ij,jk->ik")
    custom = helper.make_node("Mystery", ["a"], ["m"], domain="vendor.ops")
    relu = helper.make_node("Relu", ["a"], ["r"])
    model = _model([einsum, custom, relu], [("a", F, [4, 4])], ["e", "m", "r"])
    model.opset_import.append(helper.make_opsetid("vendor.ops", 1))
    total, by_op, uncounted = count_flops(model, {})
    assert (total, by_op) == (0, {})
    assert uncounted == ("Einsum", "Mystery")  # Relu is cheap and ignored


def test_matmul_with_unknown_shape_is_uncounted() -> None:
    custom = helper.make_node("Mystery", ["a"], ["m"], domain="vendor.ops")
    matmul = helper.make_node("MatMul", ["m", "a"], ["y"])
    model = _model([custom, matmul], [("a", F, [4, 4])], ["y"])
    model.opset_import.append(helper.make_opsetid("vendor.ops", 1))
    total, _, uncounted = count_flops(model, {})
    assert total == 0
    assert uncounted == ("MatMul", "Mystery")
