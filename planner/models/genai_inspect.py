"""Recognising and describing a decoder model folder in the ONNX Runtime GenAI layout.

A GenAI folder holds ``genai_config.json`` (model type, sizes, token ids, graph tensor
names), the ONNX decoder it names, and the tokenizer files. This module reads the config and
the graph's metadata (never the weights, and never through onnxruntime-genai, whose native
library may not load here) and returns a :class:`GenerativeModelInfo`. Every problem a user
can fix raises :class:`ModelError` with one line saying what to do. Runs on the caller's
thread; no state.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import onnx

from planner.core.errors import ModelError
from planner.core.generative import GenerativeModelInfo
from planner.core.model import ModelInfo
from planner.models.dims import dynamic_dim_keys
from planner.models.inspect import (
    _external_files,
    _sha256,
    count_parameters,
    default_opset,
    input_specs,
    inspect_model,
    load_checked,
    output_spec,
)

CONFIG_FILE = "genai_config.json"
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json")
_DEFAULT_NAMES = {
    "past_key_names": "past_key_values.%d.key",
    "logits": "logits",
}
_CACHE_BYTES: dict[int, int] = {
    onnx.TensorProto.FLOAT: 4,
    onnx.TensorProto.FLOAT16: 2,
    onnx.TensorProto.BFLOAT16: 2,
    onnx.TensorProto.INT8: 1,
    onnx.TensorProto.UINT8: 1,
}
_MAX_INT = 2**31 - 1
_REEXPORT = "re-export the model with ONNX Runtime GenAI's model builder"


def is_genai_folder(path: str | Path) -> bool:
    """True when ``path`` is a folder holding a ``genai_config.json``."""
    folder = Path(path)
    return folder.is_dir() and (folder / CONFIG_FILE).is_file()


SAMPLE_FILE = "planner_sample.json"


def inspect_genai_folder(path: str | Path) -> GenerativeModelInfo:
    """Describe the GenAI decoder folder at ``path``; ModelError when it cannot be used."""
    folder = _checked_folder(Path(path))
    config = _read_config(folder)
    model = _section(config, "model", folder)
    decoder = _section(model, "decoder", folder, "model.")
    onnx_path = folder / _text(decoder, "filename", folder, "model.decoder.")
    if not onnx_path.is_file():
        raise ModelError(
            f"the decoder {onnx_path.name} named by {CONFIG_FILE} is missing from {folder}; "
            "copy it there or fix model.decoder.filename"
        )
    _check_tokenizer(folder)
    graph = load_checked(onnx_path)
    cache_type, cached_layers = _kv_cache(graph, decoder, onnx_path)
    kv_heads = _count(decoder, "num_key_value_heads", folder, "model.decoder.")
    head_size = _count(decoder, "head_size", folder, "model.decoder.")
    heads = _count(decoder, "num_attention_heads", folder, "model.decoder.", default=kv_heads)
    return GenerativeModelInfo(
        path=str(folder.resolve()),
        name=folder.resolve().name,
        model_type=_text(model, "type", folder, "model."),
        onnx_file=onnx_path.name,
        layers=_count(decoder, "num_hidden_layers", folder, "model.decoder."),
        attention_heads=heads,
        kv_heads=kv_heads,
        head_size=head_size,
        hidden_size=_count(
            decoder, "hidden_size", folder, "model.decoder.", default=heads * head_size
        ),
        vocab_size=_count(model, "vocab_size", folder, "model."),
        context_length=_count(model, "context_length", folder, "model."),
        parameters=count_parameters(graph),
        cache_dtype=onnx.helper.tensor_dtype_to_np_dtype(cache_type).name,
        kv_bytes_per_token=2 * cached_layers * kv_heads * head_size * _CACHE_BYTES[cache_type],
        sha256=_sha256(onnx_path),
        size_bytes=onnx_path.stat().st_size
        + sum(p.stat().st_size for p in _external_files(graph, onnx_path)),
        eos_token_ids=_token_ids(model, "eos_token_id", folder),
        pad_token_id=_token_ids(model, "pad_token_id", folder)[0],
        note=_sample_note(folder),
    )


def _sample_note(folder: Path) -> str:
    """What a folder planner built says of itself (``planner_sample.json``), else nothing."""
    try:
        described = json.loads((folder / SAMPLE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return ""
    note = described.get("description", "") if isinstance(described, dict) else ""
    return note if isinstance(note, str) else ""


def _checked_folder(folder: Path) -> Path:
    if not folder.exists():
        raise ModelError(f"model folder not found: {folder}; check the path")
    if not folder.is_dir():
        raise ModelError(
            f"{folder} is not a folder; give the folder that holds {CONFIG_FILE}, the ONNX "
            "decoder and its tokenizer"
        )
    if not (folder / CONFIG_FILE).is_file():
        raise ModelError(
            f"{folder} has no {CONFIG_FILE}, so it is not an ONNX Runtime GenAI model folder; "
            f"{_REEXPORT}"
        )
    return folder


def _read_config(folder: Path) -> Mapping[str, Any]:
    try:
        config = json.loads((folder / CONFIG_FILE).read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(
            f"{CONFIG_FILE} in {folder} is not valid JSON ({error}); fix it or {_REEXPORT}"
        ) from error
    if not isinstance(config, dict):
        raise ModelError(f"{CONFIG_FILE} in {folder} is not a JSON object; {_REEXPORT}")
    return config


def _check_tokenizer(folder: Path) -> None:
    for name in TOKENIZER_FILES:
        if not (folder / name).is_file():
            raise ModelError(
                f"{folder} has no {name}; copy the model's tokenizer files "
                f"({', '.join(TOKENIZER_FILES)}) next to {CONFIG_FILE}"
            )


def _kv_cache(graph: onnx.ModelProto, decoder: Mapping[str, Any], file: Path) -> tuple[int, int]:
    """Element type of the cache and how many layers keep one; ModelError if not a decoder.

    Combined caches (``past_names``, one tensor per layer holding keys and values, as the
    ``gpt2`` type uses) and separate key/value caches are both recognised.
    """
    names = {**_DEFAULT_NAMES, **_optional_section(decoder, "inputs", file.parent)}
    names |= _optional_section(decoder, "outputs", file.parent)
    template = names.get("past_names") or names["past_key_names"]
    inputs = {value.name: value for value in graph.graph.input}
    outputs = {value.name for value in graph.graph.output}
    advice = "give a decoder exported for ONNX Runtime GenAI (with a KV cache)"
    first = _layer_name(template, 0)
    if first not in inputs:
        raise ModelError(
            f"{file.name} in {file.parent} is not a decoder with a KV cache: it has no input "
            f"'{first}'; {advice}"
        )
    if names["logits"] not in outputs:
        raise ModelError(
            f"{file.name} in {file.parent} is not a decoder: it has no '{names['logits']}' "
            f"output; {advice}"
        )
    cache_type = inputs[first].type.tensor_type.elem_type
    if cache_type not in _CACHE_BYTES:
        raise ModelError(
            f"{file.name} keeps its KV cache as {onnx.TensorProto.DataType.Name(cache_type)}, "
            "which planner cannot size; use a float32, float16, bfloat16 or 8-bit cache"
        )
    layers = 0
    while _layer_name(template, layers) in inputs:
        layers += 1
    return cache_type, layers


def _layer_name(template: str, layer: int) -> str:
    try:
        return template % layer
    except (TypeError, ValueError) as error:
        raise ModelError(
            f"KV-cache name template '{template}' in {CONFIG_FILE} is not of the form "
            f"'name.%d'; {_REEXPORT}"
        ) from error


def _section(
    data: Mapping[str, Any], key: str, folder: Path, prefix: str = ""
) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise _missing(folder, prefix + key, "an object")
    return value


def _optional_section(data: Mapping[str, Any], key: str, folder: Path) -> Mapping[str, Any]:
    if key not in data:
        return {}
    return _section(data, key, folder, "model.decoder.")


def _text(data: Mapping[str, Any], key: str, folder: Path, prefix: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise _missing(folder, prefix + key, "a non-empty string")
    return value


def _count(
    data: Mapping[str, Any], key: str, folder: Path, prefix: str, default: int | None = None
) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _MAX_INT:
        raise _missing(folder, prefix + key, f"a whole number from 1 to {_MAX_INT}")
    return value


def _token_ids(model: Mapping[str, Any], key: str, folder: Path) -> tuple[int, ...]:
    """A token id or list of ids (``eos_token_id`` may be either), each in [0, 2**31)."""
    value = model.get(key)
    ids = value if isinstance(value, list) and value else [value]
    if any(isinstance(i, bool) or not isinstance(i, int) or not 0 <= i <= _MAX_INT for i in ids):
        raise _missing(folder, "model." + key, "a token id (whole number from 0) or list of ids")
    return tuple(ids)


def _missing(folder: Path, key: str, expected: str) -> ModelError:
    return ModelError(f"{CONFIG_FILE} in {folder} needs {key} as {expected}; fix it or {_REEXPORT}")


def genai_model_info(path: str | Path) -> ModelInfo:
    """The folder as a model planner stores: its decoder graph, plus the generative facts.

    Sizes are per token, not per inference, so FLOPs are not counted here; the generative
    description (parameters, KV bytes per token) is what plans and reports read.
    """
    folder = Path(path)
    generative = inspect_genai_folder(folder)
    graph = load_checked(folder / generative.onnx_file)
    inputs = input_specs(graph)
    return ModelInfo(
        path=str(folder.resolve()),
        name=generative.name,
        sha256=generative.sha256,
        size_bytes=generative.size_bytes,
        opset=default_opset(graph),
        producer=f"{graph.producer_name} {graph.producer_version}".strip(),
        inputs=inputs,
        outputs=tuple(output_spec(v) for v in graph.graph.output),
        parameters=generative.parameters,
        flops=None,
        flops_by_op={},
        uncounted_ops=(),
        dynamic_dims=dynamic_dim_keys(inputs),
        dims_used={},
        generative=generative,
    )


def describe_model(
    path: str | Path, dims: Mapping[str, int] | None = None, batch: int = 1
) -> ModelInfo:
    """Any model planner can profile: an ONNX file, or an ONNX Runtime GenAI folder."""
    if Path(path).is_dir():
        return genai_model_info(path)
    return inspect_model(path, dims, batch=batch)
