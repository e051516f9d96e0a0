"""A :class:`ModelInfo` as readable text, for ``planner inspect`` and the Models page. Pure."""

from __future__ import annotations

from planner.core.formatting import flops, shape, size
from planner.core.model import ModelInfo, TensorSpec


def format_model_info(info: ModelInfo) -> str:
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
