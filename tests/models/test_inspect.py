"""inspect_model on the built models (shapes, parameters, FLOPs by hand) and on bad files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import onnx
import pytest
from onnx import TensorProto, helper

from planner.core.errors import ModelError
from planner.core.model import ModelInfo, TensorSpec
from planner.models.builders import build_mlp, save_model
from planner.models.inspect import inspect_model


def test_mlp_inputs_parameters_and_flops(mlp_model_path: Path) -> None:
    info = inspect_model(mlp_model_path, batch=3)
    assert info.inputs == (TensorSpec("x", "float32", ("batch", 128)),)
    assert info.outputs == (TensorSpec("y", "float32", ("batch", 10)),)
    assert info.dynamic_dims == ("batch",)
    assert info.dims_used == {"batch": 3}
    assert info.opset == 17
    # weights + biases of 128->256, 256->256, 256->10
    assert info.parameters == (128 * 256 + 256) + (256 * 256 + 256) + (256 * 10 + 10)
    b = 3
    # Gemm: 2*M*N*K multiply-adds plus M*N bias adds, M = batch
    expected = (
        (2 * b * 256 * 128 + b * 256) + (2 * b * 256 * 256 + b * 256) + (2 * b * 10 * 256 + b * 10)
    )
    assert info.flops == expected
    assert info.flops_by_op == {"Gemm": expected}
    assert info.uncounted_ops == ()


def test_cnn_flops_count_groups_and_bias(cnn_model_path: Path) -> None:
    info = inspect_model(cnn_model_path)
    assert info.inputs == (TensorSpec("image", "float32", ("batch", 3, 128, 128)),)
    # conv: 2 * outputs * (C_in/group * k*k) + outputs (bias); outputs = C_out * H * W
    conv1 = 2 * (24 * 128 * 128) * (3 * 9) + 24 * 128 * 128
    conv2 = 2 * (48 * 64 * 64) * (24 * 9) + 48 * 64 * 64  # after 2x2 max pool
    depthwise = 2 * (48 * 64 * 64) * (1 * 9) + 48 * 64 * 64  # group = 48
    pointwise = 2 * (96 * 64 * 64) * 48 + 96 * 64 * 64
    conv3 = 2 * (96 * 32 * 32) * (96 * 9) + 96 * 32 * 32
    head = 2 * 10 * 96 + 10
    assert info.flops_by_op == {"Conv": conv1 + conv2 + depthwise + pointwise + conv3, "Gemm": head}
    assert info.flops == conv1 + conv2 + depthwise + pointwise + conv3 + head
    weights = 24 * 3 * 9 + 48 * 24 * 9 + 48 * 9 + 96 * 48 + 96 * 96 * 9 + 96 * 10
    biases = 24 + 48 + 48 + 96 + 96 + 10
    assert info.parameters == weights + biases


def test_transformer_defaults_seq_and_counts_attention(transformer_model_path: Path) -> None:
    info = inspect_model(transformer_model_path, batch=2)
    assert [s.name for s in info.inputs] == ["input_ids", "attention_mask"]
    assert info.inputs[0] == TensorSpec("input_ids", "int64", ("batch", "seq"))
    assert info.dynamic_dims == ("batch", "seq")
    assert info.dims_used == {"batch": 2, "seq": 128}  # seq took the sequence default
    b, s, d, heads, head, ffn = 2, 128, 64, 4, 16, 256
    projections = 4 * (2 * b * s * d * d)  # q, k, v, out
    scores = 2 * b * heads * s * s * head  # Q @ K^T
    context = 2 * b * heads * s * head * s  # P @ V
    mlp = 2 * b * s * d * ffn + 2 * b * s * ffn * d
    assert info.flops_by_op == {"MatMul": projections + scores + context + mlp}
    embedding, norms = 1000 * 64, 2 * (64 + 64)
    linears = 4 * (64 * 64 + 64) + (64 * 256 + 256) + (256 * 64 + 64)
    scalars = 3  # 1.0, -10000.0, 1/sqrt(16)
    assert info.parameters == embedding + norms + linears + scalars


def test_dims_change_flops(transformer_model_path: Path) -> None:
    short = inspect_model(transformer_model_path, dims={"seq": 16})
    long = inspect_model(transformer_model_path, dims={"seq": 32})
    assert short.dims_used == {"batch": 1, "seq": 16}
    assert short.flops is not None and long.flops is not None
    assert short.flops < long.flops


def test_file_facts_and_json_round_trip(mlp_model_path: Path) -> None:
    info = inspect_model(mlp_model_path)
    data = mlp_model_path.read_bytes()
    assert info.sha256 == hashlib.sha256(data).hexdigest()
    assert info.size_bytes == len(data)
    assert info.name == "mlp"
    assert info.producer.startswith("planner.models.builders")
    again = ModelInfo.from_dict(json.loads(json.dumps(info.to_dict())))
    assert again == info


def test_unknown_dim_is_named_with_the_real_ones(transformer_model_path: Path) -> None:
    with pytest.raises(ModelError, match="no dynamic dimension 'foo'.*: batch, seq"):
        inspect_model(transformer_model_path, dims={"foo": 3})


def test_external_data_present_counts_toward_size(tmp_path: Path) -> None:
    path = tmp_path / "ext.onnx"
    onnx.save_model(build_mlp(), str(path), save_as_external_data=True, location="w.bin")
    info = inspect_model(path)
    assert info.size_bytes == path.stat().st_size + (tmp_path / "w.bin").stat().st_size
    assert info.parameters == 101386


# --- files planner must refuse, each with a one-line message ------------------------------


def _one_line(error: pytest.ExceptionInfo[ModelError]) -> str:
    message = str(error.value)
    assert "\n" not in message
    return message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found") as error:
        inspect_model(tmp_path / "absent.onnx")
    _one_line(error)


def test_text_file_is_not_onnx(tmp_path: Path) -> None:
    path = tmp_path / "notes.onnx"
    path.write_text("this is a text file, not a model\n")
    with pytest.raises(ModelError, match="is not an ONNX model") as error:
        inspect_model(path)
    _one_line(error)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.onnx"
    path.write_bytes(b"")
    with pytest.raises(ModelError, match="is empty"):
        inspect_model(path)


def test_truncated_file(tmp_path: Path, mlp_model_path: Path) -> None:
    data = mlp_model_path.read_bytes()
    path = tmp_path / "truncated.onnx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelError, match="truncated or corrupt") as error:
        inspect_model(path)
    _one_line(error)


def test_opset_too_new(tmp_path: Path) -> None:
    model = build_mlp()
    model.opset_import[0].version = 99
    path = save_model(model, tmp_path / "future.onnx")
    with pytest.raises(ModelError, match="opset 99 .* supports up to") as error:
        inspect_model(path)
    _one_line(error)


def test_missing_external_data(tmp_path: Path) -> None:
    path = tmp_path / "ext.onnx"
    onnx.save_model(build_mlp(), str(path), save_as_external_data=True, location="weights.bin")
    (tmp_path / "weights.bin").unlink()
    with pytest.raises(ModelError, match="'weights.bin', which is missing") as error:
        inspect_model(path)
    _one_line(error)


def _single_input_model(value: onnx.ValueInfoProto, tmp_path: Path) -> Path:
    out = helper.make_tensor_value_info("out", TensorProto.FLOAT, [1])
    node = helper.make_node("Constant", [], ["out"], value=helper.make_tensor("c", 1, [1], [0.0]))
    graph = helper.make_graph([node], "g", [value], [out])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    return save_model(model, tmp_path / "odd_input.onnx")


@pytest.mark.parametrize(
    ("elem_type", "name"),
    [(TensorProto.STRING, "string"), (TensorProto.COMPLEX64, "complex64")],
)
def test_unsupported_input_element_type(tmp_path: Path, elem_type: int, name: str) -> None:
    value = helper.make_tensor_value_info("text", elem_type, ["batch"])
    path = _single_input_model(value, tmp_path)
    with pytest.raises(ModelError, match=f"input 'text' has element type {name}") as error:
        inspect_model(path)
    _one_line(error)


def test_sequence_input_is_refused(tmp_path: Path) -> None:
    seq = helper.make_tensor_sequence_value_info("items", TensorProto.FLOAT, [3])
    path = _single_input_model(seq, tmp_path)
    with pytest.raises(ModelError, match="input 'items' is a sequence, not a tensor"):
        inspect_model(path)


def test_initializer_listed_as_input_is_not_an_input(tmp_path: Path) -> None:
    model = build_mlp()
    first = model.graph.initializer[0]
    model.graph.input.append(
        helper.make_tensor_value_info(first.name, TensorProto.FLOAT, list(first.dims))
    )
    info = inspect_model(save_model(model, tmp_path / "old_style.onnx"))
    assert [spec.name for spec in info.inputs] == ["x"]
