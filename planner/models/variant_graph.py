"""Graph facts and edits for variants: what a recipe changed, pruning, saving, file sizes.

Pure functions over ``onnx.ModelProto`` and files, safe on any thread or process; used by
:mod:`planner.models.variant_recipes` in the variant child process.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper
from onnx.external_data_helper import ExternalDataInfo, uses_external_data

_T = onnx.TensorProto
FLOAT_TYPES = frozenset({_T.FLOAT, _T.FLOAT16, _T.DOUBLE, _T.BFLOAT16})
PRUNABLE_OPS = ("MatMul", "Gemm", "Conv")
# protobuf cannot serialize a message of 2 GiB or more; leave room for the graph itself
EXTERNAL_DATA_THRESHOLD = 1_800_000_000
_CHUNK = 1 << 20


def op_counts(model: onnx.ModelProto) -> Counter[str]:
    """Nodes of the main graph by op type."""
    return Counter(node.op_type for node in model.graph.node)


def replaced_nodes(
    parent: onnx.ModelProto, variant: onnx.ModelProto, op_types: Iterable[str]
) -> dict[str, int]:
    """Per op type, how many nodes of the parent no longer exist in the variant.

    Dynamic INT8 and INT4 recipes replace a quantized MatMul or Gemm by another op
    (MatMulInteger, MatMulNBits...), so the drop in count is the number quantized.
    """
    before, after = op_counts(parent), op_counts(variant)
    return {op: before[op] - after[op] for op in op_types if before[op] > after[op]}


def qdq_wrapped_nodes(variant: onnx.ModelProto, op_types: Iterable[str]) -> dict[str, int]:
    """Per op type in ``op_types``, nodes fed by a DequantizeLinear: those QDQ quantized.

    Other nodes can be fed by one too (a Relu after a quantized Conv reads its quantized
    output) without being quantized themselves, hence the filter.
    """
    wanted = set(op_types)
    nodes = variant.graph.node
    dequantized = {o for node in nodes if node.op_type == "DequantizeLinear" for o in node.output}
    wrapped = Counter(
        node.op_type
        for node in nodes
        if node.op_type in wanted and any(name in dequantized for name in node.input)
    )
    return dict(wrapped)


def float16_nodes(variant: onnx.ModelProto) -> dict[str, int]:
    """Per op type, nodes (other than Cast) with a float16 input: those computing in fp16."""
    graph = variant.graph
    types = {
        value.name: value.type.tensor_type.elem_type
        for value in (*graph.input, *graph.output, *graph.value_info)
    }
    types.update({tensor.name: tensor.data_type for tensor in graph.initializer})
    counted = Counter(
        node.op_type
        for node in graph.node
        if node.op_type != "Cast" and any(types.get(name) == _T.FLOAT16 for name in node.input)
    )
    return dict(counted)


def clipped_to_float16(parent: onnx.ModelProto, variant: onnx.ModelProto) -> list[str]:
    """Initializers stored as float16 in the variant whose parent values exceed its range
    (the converter clips them to +-65504, silently changing the model)."""
    limit = float(np.finfo(np.float16).max)
    halves = {t.name for t in variant.graph.initializer if t.data_type == _T.FLOAT16}
    return [
        tensor.name
        for tensor in parent.graph.initializer
        if tensor.name in halves
        and tensor.data_type in FLOAT_TYPES
        and np.abs(numpy_helper.to_array(tensor).astype(np.float64)).max(initial=0.0) > limit
    ]


def constant_weights(model: onnx.ModelProto, op_types: Iterable[str]) -> dict[str, list[str]]:
    """Float initializers used as the weight (input 1) of ``op_types`` nodes, with users."""
    initializers = {t.name: t for t in model.graph.initializer if t.data_type in FLOAT_TYPES}
    wanted = set(op_types)
    users: dict[str, list[str]] = {}
    for node in model.graph.node:
        if node.op_type in wanted and len(node.input) > 1 and node.input[1] in initializers:
            users.setdefault(node.input[1], []).append(node.op_type)
    return users


def prune_weights(model: onnx.ModelProto, share: float) -> tuple[dict[str, int], int, int]:
    """Zero the ``share`` of smallest-magnitude elements of every MatMul/Gemm/Conv weight.

    Edits ``model`` in place. Returns (pruned nodes per op type, elements zeroed, elements
    in the pruned tensors). Each tensor is pruned on its own (per-tensor threshold), so a
    layer with small weights is not emptied to spare one with large weights.
    """
    users = constant_weights(model, PRUNABLE_OPS)
    changed: Counter[str] = Counter()
    zeroed = total = 0
    for tensor in model.graph.initializer:
        if tensor.name not in users:
            continue
        array = numpy_helper.to_array(tensor)
        pruned, count = zero_smallest(array, share)
        tensor.CopyFrom(numpy_helper.from_array(pruned, tensor.name))
        zeroed, total = zeroed + count, total + array.size
        changed.update(users[tensor.name])
    return dict(changed), zeroed, total


def zero_smallest(array: np.ndarray, share: float) -> tuple[np.ndarray, int]:
    """A copy of ``array`` with its ``floor(share * size)`` smallest magnitudes set to 0."""
    count = int(share * array.size)
    flat = array.ravel().copy()
    if count:
        flat[np.argpartition(np.abs(flat), count - 1)[:count]] = 0
    return flat.reshape(array.shape), count


def nonfinite_weights(model: onnx.ModelProto) -> list[str]:
    """Names of float initializers holding NaN or infinity (quantizers cannot scale them)."""
    return [
        tensor.name
        for tensor in model.graph.initializer
        if tensor.data_type in FLOAT_TYPES
        and not np.isfinite(numpy_helper.to_array(tensor).astype(np.float64)).all()
    ]


def needs_external_data(size_bytes: int) -> bool:
    """Whether a model this large must keep its weights outside the .onnx file."""
    return size_bytes >= EXTERNAL_DATA_THRESHOLD


def save_variant(model: onnx.ModelProto, path: Path, external: bool) -> None:
    """Write ``model`` to ``path``; weights go to ``<name>.data`` beside it when ``external``."""
    if external:
        onnx.save_model(
            model,
            str(path),
            save_as_external_data=True,
            all_tensors_to_one_file=True,
            location=f"{path.name}.data",
        )
    else:
        onnx.save_model(model, str(path))


def model_files(path: Path) -> list[Path]:
    """The .onnx file and the external data files its initializers point to."""
    model = onnx.load(str(path), load_external_data=False)
    locations = {
        ExternalDataInfo(tensor).location
        for tensor in model.graph.initializer
        if uses_external_data(tensor)
    }
    return [path, *(path.parent / location for location in sorted(locations))]


def compressed_size(path: Path) -> int:
    """Bytes of the model and its external data after deflate (zlib level 6), as a zip
    archive would store them: the size a pruned model really saves on disk or network."""
    size = 0
    for file in model_files(path):
        packer = zlib.compressobj(6)
        with file.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                size += len(packer.compress(chunk))
        size += len(packer.flush())
    return size
