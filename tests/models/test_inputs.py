"""resolve_dims and synthesize_inputs: shapes, dtypes, seeds, ranges and input files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from onnx import TensorProto, helper

from planner.core.errors import ModelError
from planner.models.builders import save_model
from planner.models.inputs import (
    DEFAULT_INT_RANGE,
    feed_bytes,
    integer_ranges,
    resolve_dims,
    synthesize_inputs,
)
from planner.models.inspect import inspect_model


def test_resolve_dims_records_defaults(transformer_model_path: Path) -> None:
    info = inspect_model(transformer_model_path)
    resolved = resolve_dims(info, batch=4, dims={})
    assert resolved.values == {"batch": 4, "seq": 128}
    assert resolved.defaulted == {"seq": 128}
    assert resolved.batch_keys == ("batch",)
    given = resolve_dims(info, batch=4, dims={"seq": 9})
    assert given.values == {"batch": 4, "seq": 9} and given.defaulted == {}


def test_resolve_dims_errors(transformer_model_path: Path) -> None:
    info = inspect_model(transformer_model_path)
    with pytest.raises(ModelError, match="no dynamic dimension 'foo'; .* are: batch, seq"):
        resolve_dims(info, 1, {"foo": 2})
    with pytest.raises(ModelError, match="'batch' is the batch dimension"):
        resolve_dims(info, 1, {"batch": 2})
    with pytest.raises(ModelError, match="'seq' must be a whole number of at least 1"):
        resolve_dims(info, 1, {"seq": 0})


def test_float_inputs_are_deterministic_standard_normal(cnn_model_path: Path) -> None:
    feeds = synthesize_inputs(cnn_model_path, batch=2, seed=7)
    image = feeds["image"]
    assert image.shape == (2, 3, 128, 128) and image.dtype == np.float32
    assert abs(float(image.mean())) < 0.02 and abs(float(image.std()) - 1.0) < 0.02
    again = synthesize_inputs(cnn_model_path, batch=2, seed=7)["image"]
    assert np.array_equal(image, again)
    other = synthesize_inputs(cnn_model_path, batch=2, seed=8)["image"]
    assert not np.array_equal(image, other)


def test_token_ids_use_embedding_vocab_and_mask_is_ones(transformer_model_path: Path) -> None:
    info = inspect_model(transformer_model_path)
    feeds = synthesize_inputs(info, batch=3, dims={"seq": 50})
    ids, mask = feeds["input_ids"], feeds["attention_mask"]
    assert ids.shape == mask.shape == (3, 50)
    assert ids.dtype == mask.dtype == np.int64
    assert ids.min() >= 0 and ids.max() < 1000 and ids.max() > 100  # beyond [0, 100)
    assert (mask == 1).all()
    assert integer_ranges(info) == {"input_ids": (0, 1000), "attention_mask": None}


def test_user_range_wins(transformer_model_path: Path) -> None:
    feeds = synthesize_inputs(
        transformer_model_path, dims={"seq": 64}, int_ranges={"input_ids": (5, 8)}
    )
    assert set(np.unique(feeds["input_ids"])) <= {5, 6, 7}
    with pytest.raises(ModelError, match="'nope', which is not an integer input"):
        synthesize_inputs(transformer_model_path, int_ranges={"nope": (0, 1)})
    with pytest.raises(ModelError, match="range 3:3 for 'input_ids' is empty"):
        synthesize_inputs(transformer_model_path, int_ranges={"input_ids": (3, 3)})


def _mixed_model(tmp_path: Path) -> Path:
    """Inputs of every synthesized kind, combined by Cast/Add into one output."""
    specs = [
        ("f16", TensorProto.FLOAT16, ["batch", 4]),
        ("count", TensorProto.INT32, ["batch", 4]),
        ("flag", TensorProto.BOOL, ["batch", 4]),
        ("pad_mask", TensorProto.BOOL, ["batch", 4]),
    ]
    nodes = [
        helper.make_node("Cast", [name], [f"{name}_f"], to=TensorProto.FLOAT)
        for name, _, _ in specs
    ]
    nodes.append(helper.make_node("Sum", [f"{name}_f" for name, _, _ in specs], ["out"]))
    graph = helper.make_graph(
        nodes,
        "mixed",
        [helper.make_tensor_value_info(n, t, s) for n, t, s in specs],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, ["batch", 4])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    return save_model(model, tmp_path / "mixed.onnx")


def test_dtypes_bool_and_default_int_range(tmp_path: Path) -> None:
    feeds = synthesize_inputs(_mixed_model(tmp_path), batch=500)
    assert feeds["f16"].dtype == np.float16
    count = feeds["count"]
    assert count.dtype == np.int32
    assert count.min() >= DEFAULT_INT_RANGE[0] and count.max() < DEFAULT_INT_RANGE[1]
    assert feeds["flag"].dtype == np.bool_ and 0.4 < feeds["flag"].mean() < 0.6
    assert feeds["pad_mask"].all()


def test_npz_file_fixes_dims_and_leaves_others_unchanged(
    tmp_path: Path, transformer_model_path: Path
) -> None:
    ids = np.arange(2 * 10, dtype=np.int64).reshape(2, 10)
    np.savez(tmp_path / "feeds.npz", input_ids=ids)
    feeds = synthesize_inputs(transformer_model_path, batch=2, input_files=[tmp_path / "feeds.npz"])
    assert np.array_equal(feeds["input_ids"], ids)
    assert feeds["attention_mask"].shape == (2, 10)  # seq taken from the file


def test_feed_bytes_are_what_synthesis_would_allocate(
    tmp_path: Path, transformer_model_path: Path, cnn_model_path: Path
) -> None:
    for model, dims in ((transformer_model_path, {"seq": 16}), (cnn_model_path, {})):
        sizes = feed_bytes(model, [1, 3], dims)
        for batch, expected in sizes.items():
            feeds = synthesize_inputs(model, batch, dims)
            assert expected == sum(a.nbytes for a in feeds.values()), (model, batch)
    assert feed_bytes(cnn_model_path, [65536]) == {65536: 65536 * 3 * 128 * 128 * 4}
    ids = np.zeros((2, 10), dtype=np.int64)
    np.savez(tmp_path / "feeds.npz", input_ids=ids)
    from_file = feed_bytes(transformer_model_path, [2], input_files=[tmp_path / "feeds.npz"])
    assert from_file == {2: ids.nbytes + 2 * 10 * 8}  # the mask follows the file's seq


def test_feed_bytes_refuse_what_synthesis_refuses(transformer_model_path: Path) -> None:
    with pytest.raises(ModelError, match="no dynamic dimension 'foo'"):
        feed_bytes(transformer_model_path, [1], {"foo": 2})


def test_npy_file_by_name(tmp_path: Path, mlp_model_path: Path) -> None:
    x = np.full((1, 128), 0.5, dtype=np.float32)
    np.save(tmp_path / "x.npy", x)
    feeds = synthesize_inputs(mlp_model_path, input_files=[f"x={tmp_path / 'x.npy'}"])
    assert np.array_equal(feeds["x"], x)
    bare = synthesize_inputs(mlp_model_path, input_files=[tmp_path / "x.npy"])  # single input
    assert np.array_equal(bare["x"], x)


@pytest.mark.parametrize(
    ("array", "message"),
    [
        (np.zeros((1, 128), dtype=np.float64), "holds float64 but the model expects float32"),
        (np.zeros((128,), dtype=np.float32), r"\(1 axes\) but the model expects 2 axes"),
        (np.zeros((1, 64), dtype=np.float32), "axis 1 must be 128"),
        (np.zeros((4, 128), dtype=np.float32), "batch dimension 'batch' of 4 but the batch size"),
    ],
)
def test_bad_npy_is_refused(
    tmp_path: Path, mlp_model_path: Path, array: np.ndarray, message: str
) -> None:
    np.save(tmp_path / "x.npy", array)
    with pytest.raises(ModelError, match=message) as error:
        synthesize_inputs(mlp_model_path, input_files=[f"x={tmp_path / 'x.npy'}"])
    assert "\n" not in str(error.value)


def test_bad_npz_and_paths_are_refused(tmp_path: Path, transformer_model_path: Path) -> None:
    np.savez(tmp_path / "extra.npz", token_ids=np.zeros((1, 4), dtype=np.int64))
    with pytest.raises(ModelError, match="'token_ids', which is not a model input"):
        synthesize_inputs(transformer_model_path, input_files=[tmp_path / "extra.npz"])
    np.savez(
        tmp_path / "uneven.npz",
        input_ids=np.zeros((1, 4), dtype=np.int64),
        attention_mask=np.ones((1, 5), dtype=np.int64),
    )
    with pytest.raises(ModelError, match="disagree on dimension 'seq'"):
        synthesize_inputs(transformer_model_path, input_files=[tmp_path / "uneven.npz"])
    with pytest.raises(ModelError, match="input file not found"):
        synthesize_inputs(transformer_model_path, input_files=[tmp_path / "absent.npz"])
    np.save(tmp_path / "ids.npy", np.zeros((1, 4), dtype=np.int64))
    with pytest.raises(ModelError, match="cannot tell which input"):
        synthesize_inputs(transformer_model_path, input_files=[tmp_path / "ids.npy"])
    with pytest.raises(ModelError, match="dimension 'seq' is 8 but the input files have 4"):
        synthesize_inputs(
            transformer_model_path,
            dims={"seq": 8},
            input_files=[f"input_ids={tmp_path / 'ids.npy'}"],
        )


def test_input_without_shape_needs_a_file(tmp_path: Path) -> None:
    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"])],
        "noshape",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, None)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
    )
    path = save_model(
        helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), tmp_path / "n.onnx"
    )
    with pytest.raises(ModelError, match="'x' has no declared shape.* x=PATH.npy"):
        synthesize_inputs(path)
    np.save(tmp_path / "x.npy", np.ones((2, 3), dtype=np.float32))
    feeds = synthesize_inputs(path, input_files=[f"x={tmp_path / 'x.npy'}"])
    assert feeds["x"].shape == (2, 3)


def test_negative_seed_is_refused(mlp_model_path: Path) -> None:
    with pytest.raises(ModelError, match="seed must be"):
        synthesize_inputs(mlp_model_path, seed=-1)
