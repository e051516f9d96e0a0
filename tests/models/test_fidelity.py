"""Fidelity metrics against values worked out by hand on small known arrays."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from planner.core.fidelity import Fidelity
from planner.models.fidelity import (
    classifier_shape_note,
    compare_outputs,
    cosine_similarity,
    top1_matches,
)

PARENT = np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32)
VARIANT = np.array([[1.0, 2.5], [5.0, 4.0]], dtype=np.float32)


def _compare(parent: list[list[np.ndarray]], variant: list[list[np.ndarray]], names=("y",)):
    return compare_outputs(
        list(names), parent, variant, inputs_label="known arrays", provider="CPU"
    )


def test_errors_cosine_and_top1_of_one_classifier_sample() -> None:
    fidelity = _compare([[PARENT]], [[VARIANT]])
    # |differences|: 0, 0.5, 2, 0
    assert fidelity.max_abs_error == pytest.approx(2.0)
    assert fidelity.mean_abs_error == pytest.approx((0 + 0.5 + 2 + 0) / 4)
    dot = 1 * 1 + 2 * 2.5 + 3 * 5 + 4 * 4
    norms = math.sqrt(1 + 4 + 9 + 16) * math.sqrt(1 + 6.25 + 25 + 16)
    assert fidelity.cosine == pytest.approx(dot / norms)
    # row 0: arg-max 1 in both; row 1: parent 1 (4 > 3), variant 0 (5 > 4)
    assert fidelity.top1_agreement == pytest.approx(0.5)
    assert fidelity.top1_note is None
    assert (fidelity.nan_count, fidelity.inf_count, fidelity.parent_nonfinite) == (0, 0, 0)
    assert fidelity.samples == 1 and fidelity.inputs_label == "known arrays"
    (output,) = fidelity.outputs
    assert output.name == "y" and output.shape == (2, 2) and output.compared == 4


def test_identical_outputs_are_perfect() -> None:
    fidelity = _compare([[PARENT]], [[PARENT.copy()]])
    assert fidelity.max_abs_error == 0.0 and fidelity.mean_abs_error == 0.0
    assert fidelity.cosine == pytest.approx(1.0) and fidelity.top1_agreement == 1.0


def test_cosine_is_per_sample_then_mean() -> None:
    parent = [[np.array([1.0, 0.0])], [np.array([10.0, 0.0])]]
    variant = [[np.array([1.0, 0.0])], [np.array([0.0, 10.0])]]
    fidelity = _compare(parent, variant)
    # sample cosines are 1 and 0, so the mean is 0.5; one vector of both samples
    # flattened together would give (1*1) / (sqrt(101) * sqrt(101)) instead
    assert fidelity.cosine == pytest.approx(0.5)
    assert fidelity.cosine != pytest.approx(1 / 101)
    assert fidelity.max_abs_error == pytest.approx(10.0)
    assert fidelity.mean_abs_error == pytest.approx((0 + 0 + 10 + 10) / 4)


def test_cosine_of_zero_vectors() -> None:
    assert cosine_similarity(np.zeros(3), np.zeros(3)) == 1.0
    assert cosine_similarity(np.zeros(3), np.array([0.0, 1.0, 0.0])) == 0.0
    assert cosine_similarity(np.array([2.0, 0.0]), np.zeros(2)) == 0.0


def test_cosine_of_opposite_and_huge_vectors() -> None:
    assert cosine_similarity(np.array([1.0, -2.0]), np.array([-1.0, 2.0])) == pytest.approx(-1.0)
    big = np.full(1000, np.finfo(np.float32).max, dtype=np.float32)
    assert cosine_similarity(big, big) == pytest.approx(1.0)


def test_nan_and_inf_in_the_variant_are_counted_not_averaged() -> None:
    parent = [[np.array([[1.0, 2.0, 3.0]], dtype=np.float32)]]
    variant = [[np.array([[np.nan, np.inf, 3.0]], dtype=np.float32)]]
    fidelity = _compare(parent, variant)
    assert (fidelity.nan_count, fidelity.inf_count) == (1, 1)
    assert not fidelity.finite
    assert fidelity.outputs[0].compared == 1
    assert fidelity.max_abs_error == 0.0 and fidelity.cosine == pytest.approx(1.0)
    # the only row holds a NaN in the variant: it counts as a disagreement
    assert fidelity.top1_agreement == 0.0


def test_values_already_nonfinite_in_the_parent_are_not_blamed_on_the_variant() -> None:
    fidelity = _compare([[np.array([np.nan, 1.0, np.inf])]], [[np.array([np.nan, 1.5, 2.0])]])
    assert (fidelity.nan_count, fidelity.inf_count, fidelity.parent_nonfinite) == (0, 0, 2)
    assert fidelity.finite and fidelity.max_abs_error == pytest.approx(0.5)


def test_no_comparable_elements_gives_none_not_nan() -> None:
    fidelity = _compare([[np.array([1.0, 2.0])]], [[np.array([np.nan, np.nan])]])
    assert fidelity.max_abs_error is None and fidelity.mean_abs_error is None
    assert fidelity.cosine is None and fidelity.nan_count == 2


def test_several_outputs_pool_errors_by_element_and_cosine_by_sample() -> None:
    parent = [[np.array([[0.0, 1.0]]), np.array([3.0, 4.0, 0.0, 0.0])]]
    variant = [[np.array([[1.0, 0.0]]), np.array([3.0, 4.0, 0.0, 1.0])]]
    fidelity = _compare(parent, variant, names=("scores", "features"))
    assert fidelity.max_abs_error == pytest.approx(1.0)
    assert fidelity.mean_abs_error == pytest.approx((1 + 1 + 0 + 0 + 0 + 1) / 6)
    # both outputs flattened together: p = [0,1,3,4,0,0], v = [1,0,3,4,0,1]
    assert fidelity.cosine == pytest.approx((9 + 16) / (math.sqrt(26) * math.sqrt(27)))
    scores, features = fidelity.outputs
    assert scores.cosine == pytest.approx(0.0) and features.cosine == pytest.approx(
        25 / (5 * 26**0.5)
    )
    assert scores.top1_agreement == 0.0 and fidelity.top1_agreement == 0.0
    assert features.top1_agreement is None and "not [batch, classes]" in features.top1_note


def test_top1_is_pooled_over_samples() -> None:
    parent = [[np.array([[0.0, 1.0]])], [np.array([[1.0, 0.0]])], [np.array([[0.2, 0.1]])]]
    variant = [[np.array([[0.0, 1.0]])], [np.array([[1.0, 0.0]])], [np.array([[0.1, 0.2]])]]
    assert _compare(parent, variant).top1_agreement == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("shape", "dtype", "expected"),
    [
        ((4, 10), np.float32, None),
        ((4, 1), np.float32, "fewer than 2 classes"),
        ((1, 16, 64), np.float32, "not [batch, classes]"),
        ((4, 10), np.int64, "holds int64"),
    ],
)
def test_classifier_shape(shape: tuple[int, ...], dtype: type, expected: str | None) -> None:
    note = classifier_shape_note(shape, np.dtype(dtype))
    assert note is None if expected is None else expected in note


def test_top1_matches_counts_rows() -> None:
    parent = np.array([[1.0, 0.0], [0.0, 1.0], [np.nan, 1.0]])
    variant = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    assert top1_matches(parent, variant) == (1, 2)


def test_interface_changes_are_errors() -> None:
    with pytest.raises(ValueError, match="shape"):
        _compare([[np.zeros((1, 2))]], [[np.zeros((1, 3))]])
    with pytest.raises(ValueError, match="not numeric"):
        _compare([[np.array(["a"])]], [[np.array(["a"])]])
    with pytest.raises(ValueError, match="outputs"):
        _compare([[np.zeros(2)]], [[np.zeros(2), np.zeros(2)]])


def test_round_trip_through_json() -> None:
    fidelity = _compare([[PARENT]], [[VARIANT]])
    again = Fidelity.from_dict(json.loads(json.dumps(fidelity.to_dict())))
    assert again == fidelity


def test_nonfinite_figures_are_refused() -> None:
    fidelity = _compare([[PARENT]], [[VARIANT]])
    data = fidelity.to_dict() | {"cosine": math.nan}
    with pytest.raises(ValueError, match="cosine"):
        Fidelity.from_dict(data)
