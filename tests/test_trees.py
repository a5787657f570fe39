"""dualdiff.trees: the structure rule (containers, leaves, order) and its errors."""

from __future__ import annotations

from collections import namedtuple

import mpmath
import numpy as np
import pytest

import dualdiff as dd
from dualdiff.trees import flatten, ravel, unflatten, unraveler

Params = namedtuple("Params", "w b")

TREES = {
    "float": 1.5,
    "int": 3,
    "matrix": np.arange(6.0).reshape(3, 2),
    "3-d": np.arange(24.0).reshape(2, 3, 4),
    "dict": {"W": np.ones((3, 2)), "b": np.zeros(2), "scale": 2.0},
    "nested": {"layers": [{"W": np.eye(2), "b": np.ones(2)}, (0.5, np.array([1.0]))], "s": None},
    "namedtuple": Params(np.array([1.0, 2.0]), 0.25),
    "tuple of one": (np.array([4.0, 5.0]),),
    "empty list": [],
}


def _same(a, b):
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return (
            type(a) is type(b)
            and len(a) == len(b)
            and all(_same(x, y) for x, y in zip(a, b, strict=True))
        )
    if a is None:
        return b is None
    return np.shape(a) == np.shape(b) and np.array_equal(np.asarray(a, float), np.asarray(b, float))


@pytest.mark.parametrize("name", TREES)
def test_ravel_round_trips(name):
    tree = TREES[name]
    flat, unravel = ravel(tree)
    assert flat.ndim == 1 and flat.dtype == np.float64
    back = unravel(flat)
    assert _same(back, tree), (back, tree)
    # entries in depth-first, C order
    leaves, td = flatten(tree)
    assert td.size == flat.size == sum(np.size(leaf) for leaf in leaves)
    np.testing.assert_array_equal(flat, np.concatenate([np.ravel(x) for x in leaves] or [[]]))


def test_numbers_come_back_numbers_and_arrays_keep_shape():
    flat, unravel = ravel({"a": 2.0, "m": np.ones((2, 2))})
    back = unravel(flat * 3)
    assert np.ndim(back["a"]) == 0 and back["a"] == 6.0 and back["m"].shape == (2, 2)


def test_unravel_along_the_last_axis():
    """A Jacobian's last axis rebuilds into the structure, each leaf with the leading shape."""
    _, td = flatten({"a": 1.0, "W": np.zeros((2, 3))})
    J = np.arange(14.0).reshape(2, 7)
    out = unraveler(td)(J)
    assert out["a"].shape == (2,) and out["W"].shape == (2, 2, 3)
    np.testing.assert_array_equal(out["W"][1], np.arange(8.0, 14.0).reshape(2, 3))


def test_unravel_a_dual_keeps_tangents():
    flat, unravel = ravel({"W": np.ones((2, 2)), "b": 0.5})
    t = unravel(dd.Dual(flat, np.arange(5.0)))
    assert t["b"].tangent == 4.0
    np.testing.assert_array_equal(t["W"].tangent, [[0.0, 1.0], [2.0, 3.0]])


def test_mpf_leaves_make_an_mpf_vector():
    with mpmath.workdps(30):
        flat, unravel = ravel([mpmath.mpf(1) / 3, 2.0])
        assert flat.dtype == object and all(isinstance(e, mpmath.mpf) for e in flat)
        assert unravel(flat)[0] == mpmath.mpf(1) / 3


def test_integer_arrays_are_floats():
    flat, _ = ravel(np.array([1, 2, 3]))
    assert flat.dtype == np.float64


@pytest.mark.parametrize(
    "tree, where",
    [
        ({"W": np.ones(2), "name": "layer1"}, r"x\['name'\] is a str"),
        ([1.0, True], r"x\[1\] is a bool"),
        ({"mask": np.array([True, False])}, r"x\['mask'\] is a bool"),
        ({"f": object()}, r"x\['f'\] is a object"),
        ([np.array(["a", "b"])], r"x\[0\] is a ndarray of <U1"),
    ],
)
def test_leaves_that_cannot_be_differentiated_are_named(tree, where):
    with pytest.raises(TypeError, match=where):
        ravel(tree)


def test_a_vector_of_the_wrong_length_is_refused():
    _, unravel = ravel({"a": np.ones(3)})
    with pytest.raises(ValueError, match=r"needs a last axis of 3 entries, got shape \(4,\)"):
        unravel(np.ones(4))
    with pytest.raises(ValueError, match="more leaves"):
        unflatten(flatten([1.0])[1], [1.0, 2.0])
