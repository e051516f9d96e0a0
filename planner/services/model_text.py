"""A :class:`ModelInfo` as readable text, for ``planner inspect`` and the Models page. Pure."""

from __future__ import annotations

from planner.core.formatting import flops, shape, size
from planner.core.generative import GenerativeModelInfo
from planner.core.model import ModelInfo, TensorSpec


def format_model_info(info: ModelInfo) -> str:
    if info.generative is not None:
        return format_generative_info(info, info.generative)
    dims = ", ".join(f"{k}={v}" for k, v in info.dims_used.items()) or "none (all fixed)"
    width = max(len(spec.name) for spec in (*info.inputs, *info.outputs))
    lines = [
        f"Model       {info.name}",
        f"Path        {info.path}",
        f"SHA-256     {info.sha256}",
        f"Size        {size(info.size_bytes)}",
        f"Opset       {info.opset}    Producer: {info.producer or 'unknown'}",
        f"Parameters  {info.parameters:,}",
        f"FLOPs       {_flops(info)}",
        "Inputs",
        *_tensors(info.inputs, width),
        "Outputs",
        *_tensors(info.outputs, width),
        f"Dynamic dimensions: {', '.join(info.dynamic_dims) or 'none'}",
        f"FLOPs counted at: {dims}",
    ]
    return "\n".join(lines)


def format_generative_info(info: ModelInfo, gen: GenerativeModelInfo) -> str:
    """A decoder folder: what sizes its cost per token, then its graph's tensors."""
    width = max(len(spec.name) for spec in (*info.inputs, *info.outputs))
    per_token_flops = 2 * gen.parameters
    return "\n".join(
        [
            f"Model       {info.name} (generative, {gen.model_type} decoder)",
            *([f"Note        {gen.note}"] if gen.note else []),
            f"Folder      {info.path}",
            f"SHA-256     {info.sha256} ({gen.onnx_file})",
            f"Size        {size(info.size_bytes)}",
            f"Parameters  {gen.parameters:,}",
            f"Layers      {gen.layers}, attention heads {gen.attention_heads} "
            f"({gen.kv_heads} key/value), head size {gen.head_size}, hidden {gen.hidden_size}",
            f"Vocabulary  {gen.vocab_size:,} tokens; context {gen.context_length:,} tokens",
            f"KV cache    {size(gen.kv_bytes_per_token)} per token ({gen.cache_dtype}); "
            f"{size(gen.kv_bytes_per_token * gen.context_length)} for a full context",
            f"FLOPs       about {flops(per_token_flops)} per token "
            "(estimate: 2 x parameters, attention over the cache not counted)",
            "Inputs",
            *_tensors(info.inputs, width),
            "Outputs",
            *_tensors(info.outputs, width),
        ]
    )


def _flops(info: ModelInfo) -> str:
    if info.flops is None:
        text = "not counted (no supported heavy operator)"
    else:
        parts = ", ".join(f"{op} {flops(v)}" for op, v in info.flops_by_op.items())
        text = f"{flops(info.flops)} per inference ({parts})"
    if info.uncounted_ops:
        text += f"; not counted: {', '.join(info.uncounted_ops)} (so a lower bound)"
    return text


def _tensors(specs: tuple[TensorSpec, ...], width: int) -> list[str]:
    return [f"  {spec.name:<{width}}  {spec.elem_type:<8}  [{shape(spec.shape)}]" for spec in specs]
