"""inspect_genai_folder on the bundled tiny decoder and on folders that are not usable."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from onnx import TensorProto, helper

from planner.core.errors import ModelError
from planner.core.generative import GenerativeModelInfo
from planner.models.builders import save_model
from planner.models.genai_inspect import inspect_genai_folder, is_genai_folder
from planner.models.genai_sample import sample_folder
from planner.models.samples import samples_dir


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A writable copy of the bundled sample."""
    return Path(shutil.copytree(sample_folder(), tmp_path / "decoder"))


def _edit_config(folder: Path, edit: object) -> None:
    path = folder / "genai_config.json"
    config = json.loads(path.read_text("utf-8"))
    edit(config)  # type: ignore[operator]
    path.write_text(json.dumps(config), "utf-8")


def test_sample_is_described_from_config_and_graph() -> None:
    info = inspect_genai_folder(sample_folder())
    onnx_file = sample_folder() / "model.onnx"
    assert (info.model_type, info.onnx_file, info.name) == ("llama", "model.onnx", "tiny_decoder")
    assert (info.layers, info.attention_heads, info.kv_heads, info.head_size) == (4, 4, 2, 32)
    assert (info.hidden_size, info.vocab_size, info.context_length) == (128, 512, 1024)
    assert info.cache_dtype == "float32"
    assert info.kv_bytes_per_token == 2 * 4 * 2 * 32 * 4  # keys+values x layers x heads x d x 4 B
    # embeddings, positions and head; per layer q, k, v, o, MLP up/down, two norms and the
    # attention scale; final norm; the two mask-bias scalars
    per_layer = 128 * 128 * 2 + 128 * 64 * 2 + 128 * 512 * 2 + 4 * 128 + 1
    assert info.parameters == 512 * 128 * 2 + 1024 * 128 + 4 * per_layer + 2 * 128 + 2
    assert info.sha256 == hashlib.sha256(onnx_file.read_bytes()).hexdigest()
    assert info.size_bytes == onnx_file.stat().st_size
    assert (info.eos_token_ids, info.pad_token_id) == ((511,), 511)


def test_info_round_trips_through_json() -> None:
    info = inspect_genai_folder(sample_folder())
    assert GenerativeModelInfo.from_dict(json.loads(json.dumps(info.to_dict()))) == info


def test_is_genai_folder(tmp_path: Path) -> None:
    assert is_genai_folder(sample_folder())
    assert not is_genai_folder(tmp_path)
    assert not is_genai_folder(sample_folder() / "model.onnx")


def test_optional_sizes_default_and_eos_may_be_a_list(folder: Path) -> None:
    def edit(config: dict) -> None:
        decoder = config["model"]["decoder"]
        del decoder["num_attention_heads"], decoder["hidden_size"]
        config["model"]["eos_token_id"] = [511, 7]

    _edit_config(folder, edit)
    info = inspect_genai_folder(folder)
    assert (info.attention_heads, info.hidden_size) == (2, 64)
    assert info.eos_token_ids == (511, 7)


def test_combined_float16_cache_as_the_gpt2_type_names_it(tmp_path: Path) -> None:
    cache = [
        helper.make_tensor_value_info(f"past_{layer}", TensorProto.FLOAT16, [2, 1, 3, "p", 8])
        for layer in range(2)
    ]
    logits = helper.make_tensor_value_info("logits", TensorProto.FLOAT16, None)
    graph = helper.make_graph(
        [helper.make_node("Identity", ["past_0"], ["logits"])], "g", cache, [logits]
    )
    save_model(helper.make_model(graph), tmp_path / "past.onnx")
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(sample_folder() / name, tmp_path / name)
    decoder = {
        "filename": "past.onnx",
        "num_key_value_heads": 3,
        "head_size": 8,
        "num_hidden_layers": 2,
        "inputs": {"past_names": "past_%d"},
    }
    config = {
        "model": {
            "type": "gpt2",
            "vocab_size": 50,
            "context_length": 64,
            "eos_token_id": 1,
            "pad_token_id": 0,
            "decoder": decoder,
        }
    }
    (tmp_path / "genai_config.json").write_text(json.dumps(config), "utf-8")
    info = inspect_genai_folder(tmp_path)
    assert info.cache_dtype == "float16"
    assert info.kv_bytes_per_token == 2 * 2 * 3 * 8 * 2


def test_missing_folder_and_a_file_instead_of_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="model folder not found"):
        inspect_genai_folder(tmp_path / "absent")
    with pytest.raises(ModelError, match="is not a folder; give the folder that holds"):
        inspect_genai_folder(sample_folder() / "model.onnx")


def test_missing_config(folder: Path) -> None:
    (folder / "genai_config.json").unlink()
    with pytest.raises(ModelError, match="has no genai_config.json, so it is not an ONNX Runtime"):
        inspect_genai_folder(folder)


def test_invalid_json(folder: Path) -> None:
    (folder / "genai_config.json").write_text('{"model": ', "utf-8")
    with pytest.raises(ModelError, match="genai_config.json in .* is not valid JSON"):
        inspect_genai_folder(folder)


@pytest.mark.parametrize(
    ("key", "value", "named"),
    [
        ("head_size", None, "model.decoder.head_size"),
        ("num_hidden_layers", 0, "model.decoder.num_hidden_layers"),
        ("num_key_value_heads", 2.5, "model.decoder.num_key_value_heads"),
        ("num_attention_heads", True, "model.decoder.num_attention_heads"),
        ("hidden_size", 2**40, "model.decoder.hidden_size"),
        ("filename", "", "model.decoder.filename"),
    ],
)
def test_missing_or_out_of_range_decoder_keys(
    folder: Path, key: str, value: object, named: str
) -> None:
    def edit(config: dict) -> None:
        if value is None:
            del config["model"]["decoder"][key]
        else:
            config["model"]["decoder"][key] = value

    _edit_config(folder, edit)
    with pytest.raises(ModelError, match=f"needs {named} as .*; fix it or re-export"):
        inspect_genai_folder(folder)


def test_bad_model_keys(folder: Path) -> None:
    _edit_config(folder, lambda config: config["model"].update(eos_token_id=-1))
    with pytest.raises(ModelError, match="needs model.eos_token_id as a token id"):
        inspect_genai_folder(folder)
    _edit_config(folder, lambda config: config["model"].pop("decoder"))
    with pytest.raises(ModelError, match="needs model.decoder as an object"):
        inspect_genai_folder(folder)


def test_missing_onnx_file(folder: Path) -> None:
    (folder / "model.onnx").unlink()
    with pytest.raises(
        ModelError, match="decoder model.onnx named by genai_config.json is missing"
    ):
        inspect_genai_folder(folder)


@pytest.mark.parametrize("name", ["tokenizer.json", "tokenizer_config.json"])
def test_missing_tokenizer(folder: Path, name: str) -> None:
    (folder / name).unlink()
    with pytest.raises(ModelError, match=f"has no {name}; copy the model's tokenizer files"):
        inspect_genai_folder(folder)


def test_not_a_decoder(folder: Path) -> None:
    shutil.copy(samples_dir() / "mlp.onnx", folder / "mlp.onnx")
    _edit_config(folder, lambda config: config["model"]["decoder"].update(filename="mlp.onnx"))
    with pytest.raises(
        ModelError, match="mlp.onnx .* is not a decoder with a KV cache: it has no input "
    ):
        inspect_genai_folder(folder)


def test_decoder_without_logits_output(folder: Path) -> None:
    _edit_config(folder, lambda config: config["model"]["decoder"]["outputs"].update(logits="out"))
    with pytest.raises(ModelError, match="is not a decoder: it has no 'out' output"):
        inspect_genai_folder(folder)
