"""FLOP counting for an ONNX graph at concrete dimension values.

Runs on whichever thread inspects a model (never inside a timed region). The dynamic
dimensions of the graph inputs are replaced by the given values, ONNX shape inference
propagates them, and each heavy operator is counted from its input and output shapes.
A multiply-add counts as 2 FLOPs; a bias add counts 1 FLOP per output element.

Counted: MatMul, MatMulInteger, QLinearMatMul, Gemm, Conv, ConvInteger, QLinearConv,
ConvTranspose, LSTM, GRU, RNN, and com.microsoft Attention, MultiHeadAttention,
FusedMatMul.

Ignored as cheap (linear in tensor size, small next to the above): elementwise
arithmetic and activations, normalisation, Softmax, pooling, reductions, Gather, and
shape/layout operators (Reshape, Transpose, Concat, Slice, ...).

Reported as *uncounted* (likely heavy, FLOPs unknown): Einsum, control flow whose body is
a subgraph (If, Loop, Scan), any operator from a non-ONNX domain not listed above, and any
counted operator whose shapes shape inference could not determine.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import onnx
from onnx import helper, shape_inference

from planner.core.model import dim_key

Shape = tuple[int | None, ...]
Shapes = dict[str, Shape]

_MS = "com.microsoft"
_HEAVY_UNKNOWN = frozenset({"Einsum", "If", "Loop", "Scan"})


def count_flops(
    model: onnx.ModelProto, dims: Mapping[str, int]
) -> tuple[int, dict[str, int], tuple[str, ...]]:
    """Count FLOPs of one inference with the dynamic dims set to ``dims``.

    ``dims`` maps dim keys (see :mod:`planner.core.model`) to sizes. Returns the total,
    the FLOPs per operator type, and the sorted operator types that are likely heavy but
    could not be counted (the total is then a lower bound).
    """
    shapes = _infer_shapes(model, dims)
    by_op: dict[str, int] = {}
    uncounted: set[str] = set()
    for node in model.graph.node:
        domain = node.domain or ""
        counter = _COUNTERS.get((domain if domain != "ai.onnx" else "", node.op_type))
        if counter is None:
            if node.op_type in _HEAVY_UNKNOWN or domain not in ("", "ai.onnx"):
                uncounted.add(node.op_type)
            continue
        flops = counter(node, shapes)
        if flops is None:
            uncounted.add(node.op_type)
        else:
            by_op[node.op_type] = by_op.get(node.op_type, 0) + flops
    return sum(by_op.values()), by_op, tuple(sorted(uncounted))


def _infer_shapes(model: onnx.ModelProto, dims: Mapping[str, int]) -> Shapes:
    fixed = onnx.ModelProto()
    fixed.CopyFrom(model)
    initializer_names = {init.name for init in fixed.graph.initializer}
    for value in fixed.graph.input:
        if value.name in initializer_names or not value.type.HasField("tensor_type"):
            continue
        for axis, dim in enumerate(value.type.tensor_type.shape.dim):
            if dim.HasField("dim_value") and dim.dim_value >= 0:
                continue
            named = dim.dim_param if dim.HasField("dim_param") and dim.dim_param else None
            key = dim_key(value.name, axis, named)
            if key is not None and key in dims:
                dim.Clear()
                dim.dim_value = int(dims[key])
    try:
        inferred = shape_inference.infer_shapes(fixed, strict_mode=False, data_prop=True)
    except (onnx.shape_inference.InferenceError, onnx.checker.ValidationError, ValueError):
        inferred = fixed
    graph = inferred.graph
    shapes: Shapes = {}
    for init in graph.initializer:
        shapes[init.name] = tuple(int(d) for d in init.dims)
    for value in (*graph.input, *graph.value_info, *graph.output):
        shape = _value_shape(value)
        if shape is not None:
            shapes.setdefault(value.name, shape)
    for node in graph.node:
        if node.op_type == "Constant" and node.output:
            for attr in node.attribute:
                if attr.name == "value":
                    shapes[node.output[0]] = tuple(int(d) for d in attr.t.dims)
    return shapes


def _value_shape(value: onnx.ValueInfoProto) -> Shape | None:
    """A declared shape; unknown, symbolic and negative (Paddle's ``-1``) axes are None."""
    if not value.type.HasField("tensor_type") or not value.type.tensor_type.HasField("shape"):
        return None
    return tuple(
        int(d.dim_value) if d.HasField("dim_value") and d.dim_value >= 0 else None
        for d in value.type.tensor_type.shape.dim
    )


def _shape(
    shapes: Shapes, node: onnx.NodeProto, index: int, outputs: bool = False
) -> tuple[int, ...] | None:
    """The shape of one of ``node``'s tensors when every axis is known, else None."""
    names = node.output if outputs else node.input
    if index >= len(names) or not names[index]:
        return None
    shape = shapes.get(names[index])
    if shape is None or any(d is None for d in shape):
        return None
    return tuple(int(d) for d in shape if d is not None)


def _numel(shape: tuple[int, ...]) -> int:
    return math.prod(shape)


def _attr(node: onnx.NodeProto, name: str, default: int) -> int:
    for attr in node.attribute:
        if attr.name == name:
            return int(helper.get_attribute_value(attr))
    return default


def _has_input(node: onnx.NodeProto, index: int) -> bool:
    return index < len(node.input) and bool(node.input[index])


def _matmul_counter(a_index: int) -> Callable[[onnx.NodeProto, Shapes], int | None]:
    def count(node: onnx.NodeProto, shapes: Shapes) -> int | None:
        a, out = _shape(shapes, node, a_index), _shape(shapes, node, 0, outputs=True)
        if a is None or out is None or not a:
            return None
        trans = _attr(node, "transA", 0) if node.op_type == "FusedMatMul" else 0
        k = a[-2] if trans and len(a) >= 2 else a[-1]
        return 2 * _numel(out) * k

    return count


def _gemm(node: onnx.NodeProto, shapes: Shapes) -> int | None:
    a, out = _shape(shapes, node, 0), _shape(shapes, node, 0, outputs=True)
    if a is None or out is None or len(a) != 2:
        return None
    k = a[0] if _attr(node, "transA", 0) else a[1]
    bias = _numel(out) if _has_input(node, 2) else 0
    return 2 * _numel(out) * k + bias


def _conv_counter(
    w_index: int, b_index: int | None
) -> Callable[[onnx.NodeProto, Shapes], int | None]:
    def count(node: onnx.NodeProto, shapes: Shapes) -> int | None:
        w, out = _shape(shapes, node, w_index), _shape(shapes, node, 0, outputs=True)
        if w is None or out is None or len(w) < 3:
            return None
        per_output = _numel(w[1:])  # (C_in / group) * kernel elements
        bias = _numel(out) if b_index is not None and _has_input(node, b_index) else 0
        return 2 * _numel(out) * per_output + bias

    return count


def _conv_transpose(node: onnx.NodeProto, shapes: Shapes) -> int | None:
    x, w = _shape(shapes, node, 0), _shape(shapes, node, 1)
    out = _shape(shapes, node, 0, outputs=True)
    has_bias = _has_input(node, 2)
    if x is None or w is None or len(w) < 3 or (has_bias and out is None):
        return None
    # Every input element is scattered through (C_out / group) * kernel weights.
    macs = _numel(x) * _numel(w[1:])
    return 2 * macs + (_numel(out) if out is not None and has_bias else 0)


def _recurrent_counter(gates: int) -> Callable[[onnx.NodeProto, Shapes], int | None]:
    def count(node: onnx.NodeProto, shapes: Shapes) -> int | None:
        x, w, r = (_shape(shapes, node, i) for i in range(3))
        if x is None or w is None or r is None or len(x) != 3 or len(w) != 3:
            return None
        seq, batch = (x[1], x[0]) if _attr(node, "layout", 0) else (x[0], x[1])
        directions, gate_rows, input_size = w
        hidden = gate_rows // gates
        per_step = gates * hidden * (input_size + hidden)
        return 2 * seq * batch * directions * per_step

    return count


def _attention(node: onnx.NodeProto, shapes: Shapes) -> int | None:
    x, w = _shape(shapes, node, 0), _shape(shapes, node, 1)
    if x is None or w is None or len(x) != 3 or len(w) != 2:
        return None
    batch, seq, hidden_in = x
    qkv = w[1]
    hidden = qkv // 3
    projection = 2 * batch * seq * hidden_in * qkv + batch * seq * qkv
    return projection + 2 * (2 * batch * seq * seq * hidden)


def _multi_head_attention(node: onnx.NodeProto, shapes: Shapes) -> int | None:
    q, k = _shape(shapes, node, 0), _shape(shapes, node, 1)
    if q is None or k is None or len(q) != 3 or len(k) != 3:
        return None
    batch, q_len, hidden = q
    kv_len = k[1]
    return 2 * (2 * batch * q_len * kv_len * hidden)


_Counter = Callable[[onnx.NodeProto, Shapes], int | None]
_COUNTERS: dict[tuple[str, str], _Counter] = {
    ("", "MatMul"): _matmul_counter(0),
    ("", "MatMulInteger"): _matmul_counter(0),
    ("", "QLinearMatMul"): _matmul_counter(0),
    ("", "Gemm"): _gemm,
    ("", "Conv"): _conv_counter(1, 2),
    ("", "ConvInteger"): _conv_counter(1, None),
    ("", "QLinearConv"): _conv_counter(3, 8),
    ("", "ConvTranspose"): _conv_transpose,
    ("", "LSTM"): _recurrent_counter(4),
    ("", "GRU"): _recurrent_counter(3),
    ("", "RNN"): _recurrent_counter(1),
    (_MS, "Attention"): _attention,
    (_MS, "MultiHeadAttention"): _multi_head_attention,
    (_MS, "FusedMatMul"): _matmul_counter(0),
}
