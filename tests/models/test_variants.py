"""Variants made for real with ONNX Runtime's quantizers on small built models.

Most tests run :func:`run_recipe` on the test's thread (fast, clear tracebacks); the
tests at the end go through :func:`make_variant`'s spawned child process, including a
child that crashes and one that hangs.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from builders import overflowing_model, tiny_model
from onnx import TensorProto, helper, numpy_helper

from planner.core.errors import InputError
from planner.core.variant import VariantKind, VariantOutcome, VariantRequest, parse_kind
from planner.models.builders import build_mlp, save_model
from planner.models.genai_sample import sample_folder
from planner.models.genai_variants import decoder_dims
from planner.models.inputs import synthesize_inputs
from planner.models.variant_maker import describe_error, run_recipe
from planner.models.variants import make_variant, run_isolated, variant_request

SEQ = {"seq": 16}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _make(parent: Path, kind: str, tmp_path: Path, **options: object) -> VariantOutcome:
    """Make a variant in this process; the parent's bytes must not change."""
    before = _sha(parent)
    request = variant_request(parent, kind, tmp_path / "out", **options)
    scratch = tmp_path / "out" / ".scratch"
    scratch.mkdir()
    outcome = run_recipe(request, scratch)
    assert _sha(parent) == before
    return outcome


def _runs(outcome: VariantOutcome, **dims: int) -> list[np.ndarray]:
    assert outcome.made, outcome.reason
    path = Path(outcome.path)
    assert path.is_file() and outcome.size_bytes == path.stat().st_size
    assert outcome.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, synthesize_inputs(path, batch=2, dims=dims))


def _ops(path: str) -> set[str]:
    return {node.op_type for node in onnx.load(path).graph.node}


def test_int8_dynamic_quantizes_every_gemm_of_the_mlp(mlp_model_path: Path, tmp_path: Path):
    outcome = _make(mlp_model_path, "int8-dynamic", tmp_path)
    (y,) = _runs(outcome)
    assert y.shape == (2, 10) and y.dtype == np.float32
    recipe = outcome.recipe
    assert recipe.kind == VariantKind.INT8_DYNAMIC and recipe.onnxruntime_version == ort.__version__
    assert recipe.target_op_types == ("MatMul", "Gemm") and recipe.changed_ops == {"Gemm": 3}
    assert "MatMulInteger" in _ops(outcome.path) and "Gemm" not in _ops(outcome.path)
    assert outcome.size_bytes < outcome.parent_size_bytes / 3
    assert outcome.parent_sha256 == _sha(mlp_model_path)
    fidelity = outcome.fidelity
    assert fidelity.inputs_label == "synthesized (seed 0, 8 samples)" and fidelity.samples == 8
    assert fidelity.cosine > 0.99 and fidelity.top1_agreement is not None and fidelity.finite
    assert outcome.recipe_seconds > 0 and outcome.check_seconds > 0


def test_int8_dynamic_without_matmul_or_gemm_says_so(tmp_path: Path) -> None:
    weight = np.random.default_rng(0).standard_normal((8, 8, 1, 1)).astype(np.float32)
    conv = helper.make_node("Conv", ["x4", "w"], ["c"], name="conv")
    nodes = [
        helper.make_node("Reshape", ["x", "shape4"], ["x4"]),
        conv,
        helper.make_node("Reshape", ["c", "shape2"], ["y"]),
    ]
    shapes = {"shape4": np.array([1, 8, 1, 1]), "shape2": np.array([1, 8])}
    parent = tiny_model(tmp_path / "conv_only.onnx", nodes, {"w": weight, **shapes})
    outcome = _make(parent, "int8-dynamic", tmp_path)
    assert not outcome.made and outcome.path is None
    assert outcome.reason.startswith("nothing to quantize")
    assert "MatMul, Gemm" in outcome.reason and "Conv x1" in outcome.reason
    assert not list((tmp_path / "out").glob("*.onnx"))


def test_int8_static_qdq_per_channel_on_the_cnn(cnn_model_path: Path, tmp_path: Path) -> None:
    outcome = _make(cnn_model_path, "int8-static", tmp_path, samples=4)
    (logits,) = _runs(outcome)
    assert logits.shape == (2, 10)
    recipe = outcome.recipe
    assert recipe.per_channel is True and recipe.calibration_samples == 4
    assert recipe.calibration == "MinMax over synthesized inputs (seed 4, 4 samples)"
    assert recipe.changed_ops["Conv"] == 5 and recipe.changed_ops["Gemm"] == 1
    assert {"QuantizeLinear", "DequantizeLinear"} <= _ops(outcome.path)
    assert outcome.fidelity.samples == 4 and outcome.fidelity.top1_agreement is not None


def test_int8_static_leaves_nothing_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sample decoder's symbolic shape inference stops short, and onnxruntime then
    saves sym_shape_infer_temp.onnx and its weights into the working directory."""
    decoder = tmp_path / "decoder.onnx"
    shutil.copy(sample_folder() / "model.onnx", decoder)
    here = tmp_path / "user folder"
    here.mkdir()
    monkeypatch.chdir(here)
    outcome = _make(decoder, "int8-static", tmp_path, dims=decoder_dims(decoder))
    assert outcome.made, outcome.reason
    assert list(here.iterdir()) == []


def test_int8_static_calibrates_on_user_inputs(mlp_model_path: Path, tmp_path: Path) -> None:
    x = np.random.default_rng(5).standard_normal((4, 128)).astype(np.float32)
    np.savez(tmp_path / "inputs.npz", x=x)
    outcome = _make(mlp_model_path, "int8-static", tmp_path, inputs=[tmp_path / "inputs.npz"])
    _runs(outcome)
    label = f"user inputs {tmp_path / 'inputs.npz'}"
    assert outcome.fidelity.inputs_label == label and outcome.fidelity.samples == 1
    assert outcome.recipe.calibration == f"MinMax over {label}"
    assert any("same inputs" in note for note in outcome.recipe.notes)
    assert outcome.fidelity.outputs[0].shape == (4, 10)


def test_fp16_keeps_float32_io_and_records_its_block_list(
    transformer_model_path: Path, tmp_path: Path
) -> None:
    outcome = _make(transformer_model_path, "fp16", tmp_path, dims=SEQ, block_ops="Softmax")
    (hidden,) = _runs(outcome, **SEQ)
    assert hidden.dtype == np.float32
    recipe = outcome.recipe
    assert {"Resize", "TopK", "Softmax"} <= set(recipe.fp16_block_list)
    assert recipe.changed_ops["MatMul"] == 8 and "Softmax" not in recipe.changed_ops
    assert "kept in float32 (block list): Softmax x1" in recipe.notes
    assert outcome.size_bytes < 0.6 * outcome.parent_size_bytes
    fidelity = outcome.fidelity
    assert fidelity.top1_agreement is None and "not [batch, classes]" in fidelity.top1_note
    assert fidelity.max_abs_error < 0.05


def test_fp16_overflow_is_a_failed_variant_with_figures(tmp_path: Path) -> None:
    parent = overflowing_model(tmp_path / "overflow.onnx")
    outcome = _make(parent, "fp16", tmp_path)
    assert not outcome.made and outcome.path is None
    assert "NaN and 0 infinite values where the parent is finite (output 'y')" in outcome.reason
    assert "planner variants --fp16-block-ops OP[,OP]" in outcome.reason
    assert outcome.fidelity.nan_count > 0 and outcome.size_bytes > 0
    assert not list((tmp_path / "out").glob("*.onnx"))


def test_fp16_block_list_avoids_the_overflow(tmp_path: Path) -> None:
    parent = overflowing_model(tmp_path / "overflow.onnx")
    outcome = _make(parent, "fp16", tmp_path, block_ops=["LayerNormalization"])
    assert outcome.made and outcome.fidelity.finite
    assert outcome.fidelity.max_abs_error < 0.01
    assert outcome.recipe.changed_ops == {"Mul": 2}


def test_fp16_notes_weights_clipped_to_its_range(tmp_path: Path) -> None:
    parent = overflowing_model(tmp_path / "clipped.onnx", big=1e5)
    outcome = _make(parent, "fp16", tmp_path, block_ops=["LayerNormalization"])
    assert "clipped to float16's range (65504): big" in outcome.recipe.notes


def test_int4_weights_on_the_transformer(transformer_model_path: Path, tmp_path: Path) -> None:
    outcome = _make(
        transformer_model_path, "int4-weights", tmp_path, dims=SEQ, block_size=16, symmetric=False
    )
    _runs(outcome, **SEQ)
    recipe = outcome.recipe
    assert recipe.changed_ops == {"MatMul": 6}
    assert (recipe.block_size, recipe.symmetric, recipe.accuracy_level) == (16, False, 4)
    assert "MatMulNBits" in _ops(outcome.path)
    assert outcome.fidelity.cosine > 0.9


def test_int4_on_a_gemm_model_has_nothing_to_quantize(mlp_model_path: Path, tmp_path: Path):
    outcome = _make(mlp_model_path, "int4-weights", tmp_path)
    assert not outcome.made and outcome.reason.startswith("nothing to quantize")
    assert "Gemm x3" in outcome.reason


def test_prune_zeroes_the_smallest_half_of_each_weight(mlp_model_path: Path, tmp_path: Path):
    outcome = _make(mlp_model_path, "prune-50%", tmp_path)
    _runs(outcome)
    assert Path(outcome.path).name == "mlp.prune50.onnx"
    parent = {t.name: numpy_helper.to_array(t) for t in onnx.load(mlp_model_path).graph.initializer}
    for tensor in onnx.load(outcome.path).graph.initializer:
        pruned, original = numpy_helper.to_array(tensor), parent[tensor.name]
        if tensor.name.endswith(".bias"):
            np.testing.assert_array_equal(pruned, original)
            continue
        zeroed = pruned == 0
        assert zeroed.sum() == original.size // 2
        assert np.abs(original[zeroed]).max() <= np.abs(original[~zeroed]).min()
    assert outcome.recipe.prune_share == 0.5 and outcome.recipe.changed_ops == {"Gemm": 3}
    assert any("no speed-up" in note for note in outcome.recipe.notes)
    assert outcome.compressed_size_bytes < 0.8 * outcome.parent_compressed_size_bytes
    assert outcome.size_bytes == pytest.approx(outcome.parent_size_bytes, rel=0.01)


def test_a_graph_the_static_quantizer_breaks_fails_cleanly(tmp_path: Path) -> None:
    """Per-channel QDQ on an opset 11 model writes a graph ONNX Runtime refuses to load."""
    parent = save_model(build_mlp(opset=11), tmp_path / "mlp_opset11.onnx")
    outcome = _make(parent, "int8-static", tmp_path, samples=2)
    assert not outcome.made and outcome.path is None
    assert outcome.reason.startswith("the variant does not load in onnxruntime: node '")
    assert "(DequantizeLinear)" in outcome.reason and "opset 13" in outcome.reason
    assert "\n" not in outcome.reason and str(tmp_path / "out" / ".scratch") not in outcome.reason
    assert not list((tmp_path / "out").glob("*.onnx"))


def test_a_quantizer_exception_names_the_bad_weight(tmp_path: Path) -> None:
    """A NaN weight on a branch the output never uses: the parent runs, the quantizer raises."""
    nodes = [
        helper.make_node("MatMul", ["x", "w"], ["unused"]),
        helper.make_node("Where", ["keep", "x", "unused"], ["y"]),
    ]
    weights = {"w": np.full((8, 8), np.nan, np.float32), "keep": np.ones((1, 8), bool)}
    parent = tiny_model(tmp_path / "nan_weight.onnx", nodes, weights)
    outcome = _make(parent, "int8-dynamic", tmp_path)
    assert not outcome.made
    assert outcome.reason.startswith("the int8-dynamic recipe failed: ")
    assert outcome.reason.endswith("which cannot be scaled: w")


def test_an_invalid_model_fails_cleanly(tmp_path: Path) -> None:
    parent = tmp_path / "broken.onnx"
    parent.write_bytes(b"\x08\x07 this is not a model")
    outcome = _make(parent, "int8-dynamic", tmp_path)
    assert not outcome.made and outcome.parent_sha256 is None
    assert outcome.reason.startswith("the parent model cannot be used: ")


def test_outcomes_round_trip_through_json(mlp_model_path: Path, tmp_path: Path) -> None:
    made = _make(mlp_model_path, "int8-dynamic", tmp_path / "a")
    failed = _make(mlp_model_path, "int4-weights", tmp_path / "b")
    for outcome in (made, failed):
        assert VariantOutcome.from_dict(json.loads(json.dumps(outcome.to_dict()))) == outcome


def test_make_variant_runs_in_a_child_process(mlp_model_path: Path, tmp_path: Path) -> None:
    outcome = make_variant(mlp_model_path, VariantKind.FP16, tmp_path)
    assert outcome.made and Path(outcome.path).parent == tmp_path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mlp.fp16.onnx"]


@pytest.mark.parametrize(
    ("hook", "timeout_s", "expected"),
    [("segfault", 60.0, "was killed by SIGSEGV"), ("hang", 3.0, "longer than 3 s")],
)
def test_a_child_that_crashes_or_hangs_gives_a_failed_outcome(
    mlp_model_path: Path, tmp_path: Path, hook: str, timeout_s: float, expected: str
) -> None:
    request = variant_request(mlp_model_path, "int8-dynamic", tmp_path)
    outcome = run_isolated(VariantRequest(**{**request.__dict__, "test_hook": hook}), timeout_s)
    assert not outcome.made and expected in outcome.reason
    assert outcome.parent_sha256 == _sha(mlp_model_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("int3", {}, "unknown variant kind 'int3'"),
        ("prune-1.5", {}, "prune share '1.5'"),
        ("prune", {"share": 0.0}, "share must be between 0 and 1"),
        ("prune-0.3", {"share": 0.4}, "sets share to 0.3"),
        ("fp16", {"block_size": 32}, "'block_size' does not apply to fp16"),
        ("int4-weights", {"block_size": 24}, "power of two"),
        ("int4-weights", {"accuracy_level": 7}, "accuracy_level"),
        ("int8-static", {"per_channel": "yes"}, "per_channel must be true or false"),
        ("int8-dynamic", {"op_types": ["Mat Mul"]}, "op type names"),
        ("int8-dynamic", {"samples": 0}, "samples must be a whole number"),
        ("int8-dynamic", {"seed": True}, "seed must be a whole number"),
    ],
)
def test_bad_arguments_are_input_errors(
    mlp_model_path: Path, tmp_path: Path, kind: str, options: dict, message: str
) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        variant_request(mlp_model_path, kind, tmp_path, **options)


def test_make_variant_refuses_a_nonfinite_timeout(mlp_model_path: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="timeout_s"):
        make_variant(mlp_model_path, "fp16", tmp_path, timeout_s=float("inf"))


@pytest.mark.parametrize(
    ("text", "kind", "params"),
    [
        ("int8-dynamic", VariantKind.INT8_DYNAMIC, {}),
        (" FP16 ", VariantKind.FP16, {}),
        ("prune", VariantKind.PRUNE, {}),
        ("prune-0.25", VariantKind.PRUNE, {"share": 0.25}),
        ("prune-30%", VariantKind.PRUNE, {"share": 0.3}),
    ],
)
def test_parse_kind(text: str, kind: VariantKind, params: dict) -> None:
    assert parse_kind(text) == (kind, pytest.approx(params))


def test_describe_error_names_the_node_first(tmp_path: Path) -> None:
    graph = helper.make_graph(
        [helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape_it")],
        "reshape",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8]),
            helper.make_tensor_value_info("shape", TensorProto.INT64, [2]),
        ],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    with pytest.raises(Exception) as caught:
        session.run(None, {"x": np.zeros((1, 8), np.float32), "shape": np.array([3, 3])})
    text = describe_error(caught.value)
    assert text.startswith("node 'reshape_it' (Reshape): FAIL : Non-zero status code")
    assert "[ONNXRuntimeError]" not in text and "\n" not in text
    lookup = RuntimeError("Could not find an implementation for Det(22) node with name 'det'")
    assert describe_error(lookup).startswith("node 'det' (Det): Could not find")
    load = RuntimeError("Node (Unsqueeze_20) Op (Unsqueeze) [ShapeInferenceError] Cannot parse")
    assert describe_error(load).startswith("node 'Unsqueeze_20' (Unsqueeze): Node")
    long = describe_error(ValueError("x " * 1000))
    assert long.startswith("ValueError: x x") and len(long) == 400 and long.endswith("…")


@pytest.mark.parametrize("kind", ["int8-dynamic", "int8-static", "fp16", "int4-weights", "prune"])
def test_large_models_keep_weights_in_external_data(
    transformer_model_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """Past protobuf's 2 GB limit weights must live outside the .onnx file; the limit is
    lowered to 0 here so the small transformer block takes that path."""
    parent = tmp_path / "external" / "block.onnx"
    parent.parent.mkdir()
    onnx.save_model(
        onnx.load(transformer_model_path),
        str(parent),
        save_as_external_data=True,
        location="block.weights",
    )
    monkeypatch.setattr("planner.models.variant_graph.EXTERNAL_DATA_THRESHOLD", 0)
    outcome = _make(parent, kind, tmp_path, dims=SEQ, samples=2)
    assert outcome.made, outcome.reason
    path = Path(outcome.path)
    data = path.with_name(f"{path.name}.data")
    assert data.is_file() and outcome.size_bytes == path.stat().st_size + data.stat().st_size
    assert path.stat().st_size < data.stat().st_size
    assert outcome.fidelity.finite
