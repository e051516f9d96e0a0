"""What each model input is for (image, tokens, audio, recurrent state, sample rate).

Pure functions over an :class:`onnx.ModelProto`; safe on any thread. The roles let
:mod:`planner.models.dims` pick realistic sizes for dynamic dimensions (a 640x640 image
for a detector, 128 tokens, one second of 16 kHz audio) instead of 1, which would make a
detector run on a 1x1 image or fail inside ONNX Runtime. Evidence, in order: the model's
metadata (``imgsz`` as Ultralytics writes it), the input's type and rank, the graph around
it (a Gather that embeds it, reflect padding or an STFT that frames audio), its name, and
the rank of the model's outputs (which tells a classifier from a detector).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

import onnx

from planner.core.model import TensorSpec

FLOAT_TYPES = frozenset({"float16", "float32", "float64", "bfloat16"})
INT_TYPES = frozenset({"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"})
IMAGE_CHANNELS = frozenset({1, 3, 4})
TEXT_LINE_MAX_HEIGHT = 64
_STATE_NAME = re.compile(r"(^|[._/])(state|states|hidden|h0|c0|h|c|hn|cn|cache)([._/]|\d*$)")
_SAMPLE_RATE_NAMES = frozenset({"sr", "sample_rate", "sampling_rate", "samplerate"})
_AUDIO_HINTS = ("audio", "wav", "pcm", "speech", "waveform", "signal", "input_values", "samples")
_TOKEN_HINTS = ("ids", "token", "mask", "position", "segment")
_AUDIO_OPS = frozenset({"STFT", "DFT", "MelWeightMatrix"})
_IMAGE_SIZE_KEYS = ("imgsz", "image_size", "img_size", "input_size")


class Role(StrEnum):
    IMAGE = "image"
    TOKENS = "tokens"
    AUDIO = "audio"
    STATE = "state"
    SAMPLE_RATE = "sample rate"
    OTHER = "other"


class ImageTask(StrEnum):
    """What the outputs say the image model does; picks the conventional image size."""

    CLASSIFIER = "classifier"
    DETECTOR = "detector"
    DENSE = "dense prediction"
    TEXT_LINE = "text recognition"


@dataclass(frozen=True)
class GraphHints:
    """Roles of the inputs and the model-wide facts the size conventions need."""

    roles: dict[str, Role]
    image_task: ImageTask
    metadata_image_size: tuple[int, int] | None
    streaming: bool

    def role(self, name: str) -> Role:
        return self.roles.get(name, Role.OTHER)

    @classmethod
    def none(cls) -> GraphHints:
        """No graph evidence: every input is OTHER (sizes then come from names only)."""
        return cls({}, ImageTask.DETECTOR, None, False)


def graph_hints(model: onnx.ModelProto, specs: Sequence[TensorSpec]) -> GraphHints:
    """Classify every input of ``model`` (``specs`` are its feedable inputs)."""
    embedded = _gather_indices(model.graph)
    audio_graph = any(_is_audio_op(node) for node in _all_nodes(model.graph))
    has_rate = any(_is_sample_rate(spec) for spec in specs)
    roles: dict[str, Role] = {}
    for spec in specs:
        roles[spec.name] = _role(spec, spec.name in embedded, audio_graph or has_rate)
    return GraphHints(
        roles=roles,
        image_task=_image_task(model),
        metadata_image_size=_metadata_image_size(model),
        streaming=any(role is Role.STATE for role in roles.values()),
    )


def image_layout(spec: TensorSpec) -> tuple[int, int] | None:
    """Axes (height, width) of an NCHW or NHWC image input, or None when it is not one."""
    if spec.elem_type not in FLOAT_TYPES or len(spec.shape) != 4:
        return None
    if spec.shape[1] in IMAGE_CHANNELS:
        return 2, 3
    if spec.shape[3] in IMAGE_CHANNELS:
        return 1, 2
    return None


def _role(spec: TensorSpec, embedded: bool, audio_graph: bool) -> Role:
    name = spec.name.lower()
    rank = len(spec.shape)
    if _is_sample_rate(spec):
        return Role.SAMPLE_RATE
    if image_layout(spec) is not None:
        return Role.IMAGE
    token_named = any(hint in name for hint in _TOKEN_HINTS)
    if spec.elem_type in INT_TYPES and 1 <= rank <= 2 and (embedded or token_named):
        return Role.TOKENS
    if spec.elem_type in FLOAT_TYPES and rank >= 2 and _STATE_NAME.search(name):
        return Role.STATE
    audio_named = any(hint in name for hint in _AUDIO_HINTS)
    if spec.elem_type in FLOAT_TYPES and _audio_shaped(spec) and (audio_graph or audio_named):
        return Role.AUDIO
    return Role.OTHER


def _audio_shaped(spec: TensorSpec) -> bool:
    """[samples], [batch, samples] or [batch, 1, samples] with a dynamic sample axis."""
    shape = spec.shape
    if not shape or isinstance(shape[-1], int):
        return False
    return len(shape) <= 2 or (len(shape) == 3 and shape[1] == 1)


def _is_sample_rate(spec: TensorSpec) -> bool:
    return (
        spec.elem_type in INT_TYPES
        and spec.shape in ((), (1,))
        and spec.name.lower() in _SAMPLE_RATE_NAMES
    )


def _is_audio_op(node: onnx.NodeProto) -> bool:
    if node.op_type in _AUDIO_OPS:
        return True
    if node.op_type != "Pad":
        return False
    return any(a.name == "mode" and a.s == b"reflect" for a in node.attribute)


def _all_nodes(graph: onnx.GraphProto) -> Iterator[onnx.NodeProto]:
    for node in graph.node:
        yield node
        for attr in node.attribute:
            if attr.HasField("g"):
                yield from _all_nodes(attr.g)
            for sub in attr.graphs:
                yield from _all_nodes(sub)


def _gather_indices(graph: onnx.GraphProto) -> set[str]:
    """Graph inputs used (directly or through one Cast) as the indices of a Gather."""
    cast_from = {n.output[0]: n.input[0] for n in graph.node if n.op_type == "Cast" and n.input}
    found: set[str] = set()
    for node in graph.node:
        if node.op_type == "Gather" and len(node.input) >= 2:
            found.add(cast_from.get(node.input[1], node.input[1]))
    return found


def _image_task(model: onnx.ModelProto) -> ImageTask:
    """Classifier when every output is [batch, classes]; dense for a 4-D map; text
    recognition for [batch, steps, characters] with a dynamic step count (a CTC head whose
    steps follow the line's width); else detector."""
    shapes = [
        o.type.tensor_type.shape.dim
        for o in model.graph.output
        if o.type.HasField("tensor_type") and o.type.tensor_type.HasField("shape")
    ]
    ranks = [len(dims) for dims in shapes]
    if ranks and all(rank <= 2 for rank in ranks):
        return ImageTask.CLASSIFIER
    if 4 in ranks:
        return ImageTask.DENSE
    if any(_is_sequence_head(dims) for dims in shapes):
        return ImageTask.TEXT_LINE
    return ImageTask.DETECTOR


def _is_sequence_head(dims: Sequence[onnx.TensorShapeProto.Dimension]) -> bool:
    """[batch, steps, characters]: steps a plain dynamic axis, characters a fixed count.

    A detector's [batch, values, anchors] has its anchors as a fixed count or an
    expression of the image size, never a bare name with a fixed last axis after it.
    """
    if len(dims) != 3:
        return False
    steps, characters = dims[1], dims[2]
    plain_dynamic = not steps.HasField("dim_value") or steps.dim_value < 1
    named_by_size = steps.HasField("dim_param") and any(c in steps.dim_param for c in "(/*+")
    return plain_dynamic and not named_by_size and characters.dim_value >= 2


def _metadata_image_size(model: onnx.ModelProto) -> tuple[int, int] | None:
    """(height, width) from metadata such as Ultralytics' ``imgsz: [640, 640]``."""
    props = {p.key.lower(): p.value for p in model.metadata_props}
    for key in _IMAGE_SIZE_KEYS:
        numbers = [int(n) for n in re.findall(r"\d+", props.get(key, ""))]
        if len(numbers) in (1, 2) and all(16 <= n <= 8192 for n in numbers):
            return numbers[0], numbers[-1]
    return None
