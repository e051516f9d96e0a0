"""Render a :class:`ModelInfo` as readable text. Pure formatting."""

from __future__ import annotations

from planner.core.model import ModelInfo, TensorSpec


def format_model_info(info: ModelInfo) -> str:
    dims = ", ".join(f"{k}={v}" for k, v in info.dims_used.items()) or "none (all fixed)"
    width = max(len(spec.name) for spec in (*info.inputs, *info.outputs))
    lines = [
        f"Model       {info.name}",
        f"Path        {info.path}",
        f"SHA-256     {info.sha256}",
        f"Size        {_size(info.size_bytes)}",
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


def format_flops(value: float) -> str:
    for unit, scale in (("TFLOP", 1e12), ("GFLOP", 1e9), ("MFLOP", 1e6), ("kFLOP", 1e3)):
        if value >= scale:
            return f"{value / scale:.3g} {unit}"
    return f"{value:.0f} FLOP"


def _flops(info: ModelInfo) -> str:
    if info.flops is None:
        text = "not counted (no supported heavy operator)"
    else:
        parts = ", ".join(f"{op} {format_flops(v)}" for op, v in info.flops_by_op.items())
        text = f"{format_flops(info.flops)} per inference ({parts})"
    if info.uncounted_ops:
        text += f"; not counted: {', '.join(info.uncounted_ops)} (so a lower bound)"
    return text


def _tensors(specs: tuple[TensorSpec, ...], width: int) -> list[str]:
    return [
        f"  {spec.name:<{width}}  {spec.elem_type:<8}  "
        f"[{', '.join('?' if d is None else str(d) for d in spec.shape)}]"
        for spec in specs
    ]


def _size(size: int) -> str:
    if size >= 1024**2:
        return f"{size / 1024**2:.1f} MiB"
    return f"{size / 1024:.1f} KiB"
