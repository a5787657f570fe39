"""dualdiff.conventions' products against the policy written out entry by entry.

``scale`` and ``lincomb`` take fast paths by the kinds of their operands (arrays and vector
mode's Directions first, a repeated operand as one product doubled); each path must give, entry
by entry, what the scalar policy gives: ``s·t`` with ``0·∞ = 0`` and NaN kept. The reference
below is that policy in plain Python floats, one entry at a time, independent of the code under
test.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualdiff.conventions import lincomb, scale
from dualdiff.directions import Directions

EDGES = [0.0, -0.0, 1.0, -2.5, math.inf, -math.inf, math.nan, 1e308, -1e308, 5e-324, 1e-300]


def policy(s: float, t: float) -> float:
    """The scalar rule: ``s·t``, except that a zero times an infinity is zero."""
    if (s == 0 and math.isinf(t)) or (math.isinf(s) and t == 0):
        return 0.0
    return s * t


def same(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal entry by entry, NaN matching NaN."""
    return a.shape == b.shape and bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


def _reference_scale(s: np.ndarray, t: np.ndarray) -> np.ndarray:
    s, t = np.broadcast_arrays(s, t)
    return np.array(
        [policy(float(a), float(b)) for a, b in zip(s.flat, t.flat, strict=True)]
    ).reshape(s.shape)


def _tangents(t: np.ndarray, k: int):
    """``t`` as an array tangent and as a Directions of k directions (t scaled per direction)."""
    weights = np.array([1.0, -3.0, 0.5][:k]).reshape((k,) + (1,) * t.ndim)
    return t, Directions(t * weights)


floats = st.sampled_from(EDGES) | st.floats(allow_nan=True, allow_infinity=True)


def _no_invalid_warning():
    """Overflow warns as NumPy does; a 0·∞ must not warn ("invalid value") on its way to 0."""
    w = warnings.catch_warnings()
    w.__enter__()
    warnings.filterwarnings("error", message="invalid value")
    warnings.filterwarnings("ignore", message="overflow")
    return w


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(floats, floats), min_size=1, max_size=6))
def test_scale_is_the_policy_entry_by_entry(pairs):
    s = np.array([p[0] for p in pairs])
    t = np.array([p[1] for p in pairs])
    with np.errstate(all="ignore"):
        d = _tangents(t, 3)[1]
    w = _no_invalid_warning()
    try:
        array_result = scale(s, t)
        directions = scale(s, d).array
        float_slope = np.asarray(scale(float(s[0]), t))  # the float shortcut
    finally:
        w.__exit__(None, None, None)
    assert same(array_result, _reference_scale(s, t))
    for i in range(3):
        assert same(directions[i], _reference_scale(s, d.array[i]))
    assert same(float_slope, _reference_scale(np.full_like(t, s[0]), t))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(floats, floats, floats, floats), min_size=1, max_size=6))
def test_lincomb_is_the_sum_of_policy_products(rows):
    s1, t1, s2, t2 = (np.array([r[i] for r in rows]) for i in range(4))
    with np.errstate(all="ignore"):
        d1, d2 = _tangents(t1, 2)[1], _tangents(t2, 2)[1]
        expected = _reference_scale(s1, t1) + _reference_scale(s2, t2)
        per_direction = [
            _reference_scale(s1, d1.array[i]) + _reference_scale(s2, d2.array[i]) for i in range(2)
        ]
    w = _no_invalid_warning()
    try:
        got = lincomb((s1, t1), (s2, t2))
        gd = lincomb((s1, d1), (s2, d2)).array
    finally:
        w.__exit__(None, None, None)
    assert same(got, expected)
    for i in range(2):
        assert same(gd[i], per_direction[i])


@pytest.mark.parametrize("kind", ["array", "directions"])
@pytest.mark.parametrize("x", EDGES)
@pytest.mark.parametrize("t", EDGES)
def test_a_repeated_term_is_the_same_bits_as_two(kind, x, t):
    """``lincomb((x, t), (x, t))`` (what x·x's product rule asks) takes one product, doubled:
    the same numbers as the two products summed."""
    s = np.array([x, x])
    tan = np.array([t, -t])
    if kind == "directions":
        tan = Directions(np.stack([tan, 2 * tan]))
    with np.errstate(all="ignore"):
        got = lincomb((s, tan), (s, tan))
        arr = got.array if kind == "directions" else got
        raw = tan.array if kind == "directions" else tan
        expected = np.vectorize(policy)(np.broadcast_to(s, raw.shape), raw)
        expected = expected + expected
    assert same(arr, expected)
