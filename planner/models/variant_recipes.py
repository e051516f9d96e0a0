"""The five variant recipes: ONNX Runtime's quantizers, its float16 converter, pruning.

Each recipe reads the parent, writes the variant to ``RecipeContext.target`` (never to
the parent's path) and returns the :class:`VariantRecipe` that made it, including which
nodes it changed. Exceptions from the quantizers propagate: the caller turns them into
a failed outcome. Runs in the variant child process (see :mod:`planner.models.variants`).
"""

from __future__ import annotations

import contextlib
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
from onnxruntime.quantization import (
    CalibrationDataReader,
    QuantFormat,
    QuantType,
    quant_pre_process,
    quantize_dynamic,
    quantize_static,
)
from onnxruntime.quantization.registry import QDQRegistry, QLinearOpsRegistry
from onnxruntime.transformers.float16 import DEFAULT_OP_BLOCK_LIST, convert_float_to_float16

from planner.core.variant import VariantKind, VariantRecipe, VariantRequest
from planner.models import variant_graph as graph

DYNAMIC_OP_TYPES = ("MatMul", "Gemm")
INT4_OP_TYPES = ("MatMul",)
# Resize: its scales input must stay float32, which fp16 converters have got wrong
# (microsoft/onnxconverter-common #208, #306); kept whole in float32 to be safe
FP16_EXTRA_BLOCK_LIST = ("Resize",)
SLOWER_INT8 = "INT8 is not always faster than FP32 on CPU: compare the measured latencies"


@dataclass(frozen=True)
class RecipeContext:
    """Everything a recipe needs: files, the request, calibration feeds and storage form."""

    parent: Path
    target: Path
    scratch: Path
    request: VariantRequest
    calibration: tuple[dict[str, np.ndarray], ...]
    calibration_label: str
    calibrated_on_check_inputs: bool
    external: bool

    def base(self, **fields: Any) -> VariantRecipe:
        return VariantRecipe(kind=self.request.kind, onnxruntime_version=ort.__version__, **fields)


def int8_dynamic(ctx: RecipeContext) -> VariantRecipe:
    """Weights of MatMul/Gemm (or the requested op types) to int8, activations at run time."""
    op_types = ctx.request.op_types or DYNAMIC_OP_TYPES
    quantize_dynamic(
        ctx.parent,
        ctx.target,
        op_types_to_quantize=list(op_types),
        weight_type=QuantType.QInt8,
        use_external_data_format=ctx.external,
    )
    parent = onnx.load(str(ctx.parent), load_external_data=False)
    variant = onnx.load(str(ctx.target), load_external_data=False)
    notes = ["weights int8 per tensor; activations quantized to uint8 at run time", SLOWER_INT8]
    notes += _uncovered(parent, op_types)
    if "Gather" not in op_types and _has_embedding(parent):
        notes.append("embedding tables (Gather) stay float32, as onnxruntime does by default")
    return ctx.base(
        target_op_types=tuple(op_types),
        changed_ops=graph.replaced_nodes(parent, variant, op_types),
        per_channel=False,
        notes=tuple(notes),
    )


def int8_static(ctx: RecipeContext) -> VariantRecipe:
    """QDQ int8 with MinMax calibration, after onnxruntime's pre-processing when it works."""
    notes = [SLOWER_INT8]
    source = ctx.scratch.resolve() / "preprocessed.onnx"
    try:
        # When its symbolic shape inference stops short, onnxruntime saves
        # sym_shape_infer_temp.onnx (and its weights) into the working directory: keep
        # that litter in the scratch folder, never in the user's folder.
        with contextlib.chdir(ctx.scratch):
            quant_pre_process(ctx.parent.resolve(), source, save_as_external_data=ctx.external)
    except Exception as error:  # noqa: BLE001 - any failure only means "quantize as it is"
        notes.append(f"pre-processing failed ({type(error).__name__}), quantized without it")
        source = ctx.parent
    parent = onnx.load(str(ctx.parent), load_external_data=False)
    eligible = set(QDQRegistry) | set(QLinearOpsRegistry)
    op_types = ctx.request.op_types or tuple(sorted(eligible & set(graph.op_counts(parent))))
    quantize_static(
        source,
        ctx.target,
        _FeedReader(ctx.calibration),
        quant_format=QuantFormat.QDQ,
        op_types_to_quantize=list(op_types),
        per_channel=ctx.request.per_channel,
        activation_type=QuantType.QInt8,
        weight_type=QuantType.QInt8,
        use_external_data_format=ctx.external,
    )
    per = "per channel" if ctx.request.per_channel else "per tensor"
    notes.insert(0, f"weights int8 {per}; activations int8 from MinMax calibration")
    if ctx.calibrated_on_check_inputs:
        notes.append("calibrated and checked on the same inputs: fidelity may flatter it")
    variant = onnx.load(str(ctx.target), load_external_data=False)
    return ctx.base(
        target_op_types=tuple(op_types),
        changed_ops=graph.qdq_wrapped_nodes(variant, op_types),
        per_channel=ctx.request.per_channel,
        calibration=f"MinMax over {ctx.calibration_label}",
        calibration_samples=len(ctx.calibration),
        notes=tuple(notes),
    )


def fp16(ctx: RecipeContext) -> VariantRecipe:
    """Float tensors to float16, inputs and outputs kept float32, risky ops kept float32."""
    block_list = tuple(
        sorted({*DEFAULT_OP_BLOCK_LIST, *FP16_EXTRA_BLOCK_LIST, *ctx.request.block_ops})
    )
    parent = onnx.load(str(ctx.parent))
    variant = convert_float_to_float16(parent, keep_io_types=True, op_block_list=list(block_list))
    graph.save_variant(variant, ctx.target, ctx.external)
    counts = graph.op_counts(parent)
    kept = [f"{op} x{counts[op]}" for op in block_list if counts[op]]
    notes = [
        "onnxruntime's CPU provider computes most float16 ops in float32 between casts: "
        "expect no gain on CPU, often a loss; float16 pays on GPUs"
    ]
    if kept:
        notes.insert(0, "kept in float32 (block list): " + ", ".join(kept))
    clipped = graph.clipped_to_float16(parent, variant)
    if clipped:
        notes.insert(0, "clipped to float16's range (65504): " + ", ".join(clipped))
    return ctx.base(
        target_op_types=tuple(sorted(set(counts) - set(block_list))),
        changed_ops=graph.float16_nodes(onnx.load(str(ctx.target), load_external_data=False)),
        fp16_block_list=block_list,
        notes=tuple(notes),
    )


def int4_weights(ctx: RecipeContext) -> VariantRecipe:
    """4-bit block-wise weights for MatMul with a constant weight (MatMulNBits)."""
    request = ctx.request
    quantizer = _nbits_quantizer_class()(
        onnx.load(str(ctx.parent)),
        bits=4,
        block_size=request.block_size,
        is_symmetric=request.symmetric,
        accuracy_level=request.accuracy_level,
        op_types_to_quantize=INT4_OP_TYPES,
    )
    quantizer.process()
    quantizer.model.save_model_to_file(str(ctx.target), use_external_data_format=ctx.external)
    parent = onnx.load(str(ctx.parent), load_external_data=False)
    variant = onnx.load(str(ctx.target), load_external_data=False)
    notes = [
        f"4-bit weights in blocks of {request.block_size} along the reduction axis, "
        f"{'symmetric' if request.symmetric else 'asymmetric'}; accuracy level "
        f"{request.accuracy_level} sets the compute type of activations (4: int8)",
        *_uncovered(parent, INT4_OP_TYPES),
    ]
    return ctx.base(
        target_op_types=INT4_OP_TYPES,
        changed_ops=graph.replaced_nodes(parent, variant, INT4_OP_TYPES),
        block_size=request.block_size,
        symmetric=request.symmetric,
        accuracy_level=request.accuracy_level,
        notes=tuple(notes),
    )


def prune(ctx: RecipeContext) -> VariantRecipe:
    """Zero the smallest-magnitude share of every MatMul/Gemm/Conv weight tensor."""
    model = onnx.load(str(ctx.parent))
    changed, zeroed, total = graph.prune_weights(model, ctx.request.share)
    graph.save_variant(model, ctx.target, ctx.external)
    notes = [
        f"zeroed {zeroed} of {total} weights ({zeroed / total:.1%}) in the "
        f"{sum(changed.values())} pruned nodes"
        if total
        else "no weights to prune",
        "dense onnxruntime kernels multiply by the zeros all the same: expect no speed-up; "
        "the file shrinks only when compressed",
    ]
    return ctx.base(
        target_op_types=graph.PRUNABLE_OPS,
        changed_ops=changed,
        prune_share=ctx.request.share,
        notes=tuple(notes),
    )


RECIPES: dict[VariantKind, Callable[[RecipeContext], VariantRecipe]] = {
    VariantKind.INT8_DYNAMIC: int8_dynamic,
    VariantKind.INT8_STATIC: int8_static,
    VariantKind.FP16: fp16,
    VariantKind.INT4_WEIGHTS: int4_weights,
    VariantKind.PRUNE: prune,
}


class _FeedReader(CalibrationDataReader):
    """Hands the calibration feeds to quantize_static one at a time."""

    def __init__(self, feeds: Sequence[dict[str, np.ndarray]]) -> None:
        self._feeds = iter(feeds)

    def get_next(self) -> dict[str, np.ndarray] | None:
        return next(self._feeds, None)


def _uncovered(parent: onnx.ModelProto, covered: Sequence[str]) -> list[str]:
    """A note naming the weighted ops a recipe leaves in float32, if there are any."""
    weighted = graph.constant_weights(parent, graph.PRUNABLE_OPS).values()
    left = Counter(op for ops in weighted for op in ops if op not in covered)
    if not left:
        return []
    listed = ", ".join(f"{op} x{count}" for op, count in sorted(left.items()))
    return [f"not covered by {'/'.join(covered)}, weights stay float32: {listed}"]


def _has_embedding(model: onnx.ModelProto) -> bool:
    initializers = {tensor.name for tensor in model.graph.initializer}
    return any(
        node.op_type == "Gather" and node.input[0] in initializers for node in model.graph.node
    )


def _nbits_quantizer_class() -> type:
    """Import MatMulNBitsQuantizer without letting it reconfigure the root logger.

    Its module calls ``logging.basicConfig(level=INFO)`` on import, which would make the
    host process print every INFO record from then on; the root logger's handlers and
    level are put back as they were.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    return MatMulNBitsQuantizer
