"""Reading an ONNX file and describing it as a :class:`~planner.core.model.ModelInfo`.

Runs on the caller's thread (GUI thread via a worker, CLI main thread, or the profiling
process before anything is timed). Every problem a user can fix (missing file, not ONNX,
truncated, opset too new, missing external data, input types planner cannot feed) raises
:class:`~planner.core.errors.ModelError` with a one-line message.

External data is never loaded: shapes, parameter counts and FLOPs come from tensor
metadata, so a multi-gigabyte model inspects in the time it takes to hash it.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator, Mapping
from pathlib import Path

import onnx

from planner.core.errors import ModelError
from planner.core.files import check_input_file
from planner.core.model import ModelInfo, TensorSpec
from planner.models.dims import dynamic_dim_keys, resolve_input_dims
from planner.models.flops import count_flops
from planner.models.input_roles import graph_hints

_T = onnx.TensorProto
FEEDABLE_TYPES = frozenset(
    {
        _T.FLOAT16, _T.FLOAT, _T.DOUBLE, _T.BOOL,
        _T.INT8, _T.INT16, _T.INT32, _T.INT64,
        _T.UINT8, _T.UINT16, _T.UINT32, _T.UINT64,
    }
)  # fmt: skip
_NOT_WEIGHTS = frozenset({_T.INT32, _T.INT64, _T.UINT32, _T.UINT64, _T.BOOL, _T.STRING})
_NUMPY_NAMES: dict[int, str] = {
    _T.FLOAT: "float32",
    _T.DOUBLE: "float64",
    _T.UNDEFINED: "undefined",
}
_CHUNK = 1 << 20


def inspect_model(
    path: str | Path, dims: Mapping[str, int] | None = None, batch: int = 1
) -> ModelInfo:
    """Describe the model at ``path`` with FLOPs counted at ``batch`` and ``dims``.

    Dynamic dims not in ``dims`` take the conventions of :mod:`planner.models.dims`;
    those with none stay unresolved (listed, and left out of the FLOP count).
    """
    file = Path(path)
    model = load_checked(file)
    inputs = input_specs(model)
    outputs = tuple(output_spec(v) for v in model.graph.output)
    resolved = resolve_input_dims(inputs, batch, dims, graph_hints(model, inputs))
    total, by_op, uncounted = count_flops(model, resolved.values)
    return ModelInfo(
        path=str(file.resolve()),
        name=file.stem,
        sha256=_sha256(file),
        size_bytes=file.stat().st_size
        + sum(p.stat().st_size for p in _external_files(model, file)),
        opset=default_opset(model),
        producer=f"{model.producer_name} {model.producer_version}".strip(),
        inputs=inputs,
        outputs=outputs,
        parameters=count_parameters(model),
        flops=total if by_op or not uncounted else None,
        flops_by_op=by_op,
        uncounted_ops=uncounted,
        dynamic_dims=dynamic_dim_keys(inputs),
        dims_used=dict(resolved.values),
        dims_assumed=resolved.assumed(),
        unresolved_dims=resolved.unresolved,
    )


def load_checked(path: str | Path) -> onnx.ModelProto:
    """Load ``path`` without external data, raising ModelError for anything unusable."""
    file = check_input_file(Path(path), "model", ModelError)
    with file.open("rb") as handle:
        head = handle.read(1)
    if not head:
        raise ModelError(f"model file {file} is empty; re-export or re-download it")
    try:
        model = onnx.load(str(file), load_external_data=False)
    except Exception as error:
        raise _unreadable(file, head, error) from error
    if model.ir_version <= 0 or not model.graph.output:
        raise _unreadable(file, head, None)
    _check_versions(file, model)
    for location in _external_locations(model):
        if not (file.parent / location).is_file():
            raise ModelError(
                f"model {file.name} keeps its weights in '{location}', which is missing from "
                f"{file.parent}; copy that file next to the model"
            )
    input_specs(model)
    return model


def input_specs(model: onnx.ModelProto) -> tuple[TensorSpec, ...]:
    """The specs of the inputs that must be fed; ModelError for a type planner cannot feed."""
    return tuple(_input_spec(value) for value in graph_inputs(model))


def graph_inputs(model: onnx.ModelProto) -> list[onnx.ValueInfoProto]:
    """Graph inputs that must be fed (those with an initializer of the same name excluded)."""
    initialized = {init.name for init in model.graph.initializer}
    return [v for v in model.graph.input if v.name not in initialized]


def default_opset(model: onnx.ModelProto) -> int:
    """The model's opset version for the default ONNX domain (0 when it imports none)."""
    versions = [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")]
    return int(max(versions, default=0))


def count_parameters(model: onnx.ModelProto) -> int:
    """Elements of weight tensors (not int32/int64/bool constants) in all (sub)graphs."""
    return sum(
        math.prod(tensor.dims)
        for tensor in _all_tensors(model.graph)
        if tensor.data_type not in _NOT_WEIGHTS
    )


def elem_type_name(elem_type: int) -> str:
    """numpy-style name of an ONNX element type ("float32", "int64", "bool", ...)."""
    return _NUMPY_NAMES.get(elem_type) or _T.DataType.Name(elem_type).lower()


def _unreadable(file: Path, head: bytes, error: Exception | None) -> ModelError:
    detail = f" ({type(error).__name__})" if error is not None else ""
    if head == b"\x08":  # ONNX files start with the ir_version field
        return ModelError(
            f"model file {file} is truncated or corrupt{detail}; re-export or re-download it"
        )
    return ModelError(f"{file} is not an ONNX model{detail}; give the path of an .onnx file")


def _check_versions(file: Path, model: onnx.ModelProto) -> None:
    supported = onnx.defs.onnx_opset_version()
    if default_opset(model) > supported:
        raise ModelError(
            f"model {file.name} uses ONNX opset {default_opset(model)} but the installed onnx "
            f"{onnx.__version__} supports up to {supported}; re-export at opset {supported} or "
            "lower, or upgrade onnx and onnxruntime"
        )
    if model.ir_version > onnx.IR_VERSION:
        raise ModelError(
            f"model {file.name} has ONNX IR version {model.ir_version} but the installed onnx "
            f"{onnx.__version__} reads up to {onnx.IR_VERSION}; upgrade onnx and onnxruntime"
        )


def _input_spec(value: onnx.ValueInfoProto) -> TensorSpec:
    kind = value.type.WhichOneof("value")
    if kind != "tensor_type":
        raise ModelError(
            f"input '{value.name}' is a {str(kind).replace('_type', '')}, not a tensor; planner "
            "can only feed numeric or bool tensor inputs"
        )
    tensor = value.type.tensor_type
    if tensor.elem_type not in FEEDABLE_TYPES:
        raise ModelError(
            f"input '{value.name}' has element type {elem_type_name(tensor.elem_type)}, which "
            "planner cannot feed; use a model whose inputs are numeric or bool tensors"
        )
    return _spec(value)


def output_spec(value: onnx.ValueInfoProto) -> TensorSpec:
    if value.type.WhichOneof("value") != "tensor_type":
        kind = str(value.type.WhichOneof("value")).replace("_type", "")
        return TensorSpec(name=value.name, elem_type=kind, shape=(), rank_known=False)
    return _spec(value)


def _spec(value: onnx.ValueInfoProto) -> TensorSpec:
    tensor = value.type.tensor_type
    if not tensor.HasField("shape"):
        return TensorSpec(value.name, elem_type_name(tensor.elem_type), (), rank_known=False)
    shape = tuple(_axis(d) for d in tensor.shape.dim)
    return TensorSpec(value.name, elem_type_name(tensor.elem_type), shape)


_PLACEHOLDER_NAMES = frozenset({"?", "-1", "None", "unk"})


def _axis(dim: onnx.TensorShapeProto.Dimension) -> int | str | None:
    """A fixed size, a dim name, or None for an unnamed dynamic axis.

    Paddle exports write ``dim_value = -1`` for a dynamic axis and some exporters 0; both
    are read as unnamed dynamic, never as a size. A dim named ``?`` is a placeholder, not
    a name: Paddle writes it on several axes of different sizes (a text line's height and
    width), so each such axis is dynamic on its own.
    """
    if dim.HasField("dim_value"):
        return int(dim.dim_value) if dim.dim_value >= 1 else None
    name = dim.dim_param if dim.HasField("dim_param") else ""
    return name if name and name not in _PLACEHOLDER_NAMES else None


def _all_tensors(graph: onnx.GraphProto) -> Iterator[onnx.TensorProto]:
    yield from graph.initializer
    for node in graph.node:
        for attr in node.attribute:
            if attr.HasField("t"):
                yield attr.t
            yield from attr.tensors
            if attr.HasField("g"):
                yield from _all_tensors(attr.g)
            for sub in attr.graphs:
                yield from _all_tensors(sub)


def _external_locations(model: onnx.ModelProto) -> list[str]:
    found: dict[str, None] = {}
    for tensor in _all_tensors(model.graph):
        if tensor.data_location == _T.EXTERNAL:
            entries = {e.key: e.value for e in tensor.external_data}
            found.setdefault(entries.get("location", ""))
    return list(found)


def _external_files(model: onnx.ModelProto, file: Path) -> list[Path]:
    return [file.parent / location for location in _external_locations(model)]


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
