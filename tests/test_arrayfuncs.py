"""NumPy functions on Duals: each one inside a scalar function, every chunk size agreeing with the
textbook one-direction-at-a-time gradient and with central finite differences."""

from __future__ import annotations

import numpy as np
import pytest

import dualdiff as dd
from dualdiff.directions import Directions


def fd_gradient(f, x, h=1e-6):
    """Central differences on plain float arrays: an independent reference (error ~1e-9)."""
    g = np.empty_like(x)
    for i in range(len(x)):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


M = np.array([[1.0, -2.0, 0.5, 0.3], [0.25, 1.5, -1.0, 2.0], [0.7, 0.1, 0.9, -0.4]])

CASES = {
    "sum_mean": lambda x: np.sum(x**2) + np.mean(dd.sin(x)) * 3,
    "sum_axis": lambda x: np.sum(np.sum(np.reshape(x, (2, 2)) ** 3, axis=0) * [1.0, 2.0]),
    "prod": lambda x: np.prod(x) + np.prod(np.reshape(x, (2, 2)), axis=1)[1],
    "prod_with_zero": lambda x: np.prod(
        x * np.array([1.0, 0.0, 1.0, 1.0]) + np.array([0, 0, 0, 0])
    ),
    "prod_initial_where": lambda x: (
        np.prod(x, initial=1.5, where=[True, False, True, True])
        + np.prod(np.reshape(x, (2, 2)), axis=0, initial=-2.0)[1]
    ),
    "take_modes": lambda x: (
        np.sum(np.take(x, [5, -1, 9], mode="wrap") ** 2) + np.take(x, 7, mode="clip") * x[0]
    ),
    "dot": lambda x: np.dot(x, x) + np.dot(M, x)[1] * np.dot(2.0, x[0]),
    "matmul": lambda x: np.sum((M @ x) ** 2) + x @ M.T @ [1.0, 2.0, 3.0],
    "matmul_2d": lambda x: np.sum(np.reshape(x, (2, 2)) @ np.reshape(x, (2, 2)) @ np.ones(2)),
    "outer": lambda x: np.sum(np.outer(x, x[:2]) * np.arange(8.0).reshape(4, 2)),
    "concatenate": lambda x: np.sum(np.concatenate([x, [1.0, 2.0], x[:1] ** 3]) ** 2),
    "stack": lambda x: np.sum(np.stack([x, dd.exp(x)], axis=1) * np.arange(8.0).reshape(4, 2)),
    "hstack_vstack": lambda x: (
        np.sum(np.hstack([x, x**2])) + np.sum(np.vstack([x, np.ones(4)]) ** 3)
    ),
    "where": lambda x: np.sum(np.where(x > 0, x**2, -x * 3)),
    "maximum_minimum": lambda x: np.sum(np.maximum(x, 0.1) + np.minimum(x**2, 0.5)),
    "clip": lambda x: np.sum(np.clip(x, -0.5, 0.5) ** 2),
    "reshape_transpose": lambda x: np.sum(
        np.transpose(np.reshape(x, (2, 2))) * [[1.0, 2.0], [3.0, 4.0]]
    ),
    "T": lambda x: np.sum(np.reshape(x, (2, 2)).T @ [1.0, -1.0]),
    "squeeze_expand": lambda x: np.sum(
        np.squeeze(np.expand_dims(x, 0) ** 2, axis=0) * [1, 2, 3, 4]
    ),
    "cumsum": lambda x: np.sum(np.cumsum(x) ** 2),
    "diff": lambda x: np.sum(np.diff(x) ** 2) + np.sum(np.diff(x, n=2)),
    "norm": lambda x: np.linalg.norm(x) + np.linalg.norm(x, 1) + np.linalg.norm(x, np.inf),
    "norm_matrix": lambda x: np.linalg.norm(np.reshape(x, (2, 2))),
    "max_min": lambda x: np.max(x**2) + np.min(dd.sin(x)),
    "indexing": lambda x: x[0] * x[-1] + np.sum(x[1:3] ** 2) + np.sum(x[x.value > 0]),
    "iteration": lambda x: sum(xi**2 for xi in x),
    "ufuncs": lambda x: np.sum(np.sqrt(np.abs(x) + 1) + np.arctan2(x, 2.0) + np.hypot(x, 1.0)),
}
X = np.array([0.3, -0.7, 1.1, 0.45])


@pytest.mark.parametrize("name", list(CASES))
def test_numpy_function_derivatives(name):
    f = CASES[name]
    plain = (
        f if name != "indexing" else lambda x: x[0] * x[-1] + np.sum(x[1:3] ** 2) + np.sum(x[x > 0])
    )
    ref = fd_gradient(plain, X)
    one = dd.gradient(f, X, chunk=1)
    np.testing.assert_allclose(one, ref, rtol=1e-6, atol=1e-7)
    for chunk in (2, 3, 4):
        np.testing.assert_allclose(dd.gradient(f, X, chunk=chunk), one, rtol=1e-14, atol=1e-15)


def test_prod_at_a_zero_entry_is_exact():
    x = np.array([2.0, 0.0, 3.0])
    np.testing.assert_array_equal(dd.gradient(np.prod, x), [0.0, 6.0, 0.0])


def test_norm_at_zero_has_zero_gradient_not_nan():
    np.testing.assert_array_equal(dd.gradient(np.linalg.norm, np.zeros(3)), np.zeros(3))


def test_shape_queries_and_constants_like():
    d = dd.Dual(np.ones((2, 3)), np.ones((2, 3)))
    assert np.shape(d) == (2, 3) and np.ndim(d) == 2 and np.size(d) == 6
    z = np.zeros_like(d)  # a constant Dual that item assignment can fill
    assert isinstance(z, dd.Dual) and z.shape == (2, 3)
    assert np.array_equal(z.value, np.zeros((2, 3))) and np.array_equal(z.tangent, z.value)
    assert np.array_equal(np.ones_like(d).value, np.ones((2, 3)))
    assert np.array_equal(np.full_like(d, 2.5).value, np.full((2, 3), 2.5))
    mask = np.zeros_like(d, dtype=bool)  # holds no tangent: a plain array
    assert isinstance(mask, np.ndarray) and mask.dtype == bool


def test_unsupported_functions_raise_naming_them():
    d = dd.Dual(np.ones((2, 2)), np.ones((2, 2)))
    with pytest.raises(TypeError, match=r"numpy\.linalg\.tensorinv has no dualdiff rule"):
        np.linalg.tensorinv(d, ind=1)
    with pytest.raises(TypeError, match=r"numpy\.unwrap has no dualdiff rule"):
        np.unwrap(d)
    with pytest.raises(TypeError, match="does not support out"):
        np.sum(d, out=np.empty(2))
    with pytest.raises(TypeError, match="three arguments"):
        np.where(d)
    with pytest.raises(TypeError, match="numpy.take on Duals does not support out"):
        np.take(d, [0], out=np.empty(1))
    with pytest.raises(ValueError, match=r"numpy.take on Duals, mode='w': Use one of 'clip'"):
        np.take(d, [0], mode="w")
    with pytest.raises(IndexError, match="non-empty take from an empty axes"):
        np.take(dd.Dual(np.ones((2, 0)), np.ones((2, 0))), [1], axis=1, mode="wrap")
    with pytest.raises(TypeError, match="numpy.sum on Duals does not support where"):
        np.sum(d, where=np.array([True, False]))
    with pytest.raises(ValueError, match=r"numpy.prod: where= of shape \(3, 2\) does not"):
        np.prod(d, where=np.ones((3, 2), dtype=bool))
    with pytest.raises(TypeError, match=r"numpy.prod: initial=1j is complex and the array is real"):
        np.prod(d, initial=1j)
    with pytest.raises(ValueError, match=r"numpy.prod: initial must be a scalar"):
        np.prod(d, initial=[1.0, 2.0])


@pytest.mark.parametrize(
    "axis, indices",
    [(None, [7, -8, 2]), (None, 11), (0, [1, 3, -1]), (1, [[4, -1], [0, 9]])],
)
@pytest.mark.parametrize("mode", ["raise", "wrap", "clip"])
def test_take_modes_on_vector_mode_tangents(mode, axis, indices):
    # each direction taken on its own by NumPy: an independent reference for the axis mapping
    arr = np.arange(24.0).reshape(2, 4, 3)  # 2 directions of a (4, 3) value
    if mode == "raise":
        indices = np.take(np.arange(12 if axis is None else arr.shape[axis + 1]), indices,
                          mode="wrap")  # fmt: skip
    got = np.take(Directions(arr), indices, axis=axis, mode=mode)
    want = np.stack([np.take(a, indices, axis=axis, mode=mode) for a in arr])
    assert type(got) is Directions and np.array_equal(got.array, want)
    with pytest.raises(TypeError, match="numpy.take on Duals does not support out"):
        np.take(Directions(arr), 0, out=np.empty(2))


def test_prod_initial_scales_the_tangent_where_leaves_entries_out():
    # by hand: d(c·x0·x2) = c·(x2 dx0 + x0 dx2); initial=0 is the constant 0
    x = np.array([1.5, -2.0, 0.5])
    g = dd.gradient(lambda v: np.prod(v, initial=3.0, where=[True, False, True]), x)
    assert np.array_equal(g, [3.0 * 0.5, 0.0, 3.0 * 1.5])
    assert np.array_equal(dd.gradient(lambda v: np.prod(v, initial=0.0), x), np.zeros(3))
    H = dd.hessian(lambda v: np.prod(v, initial=-2.0), x)
    assert np.array_equal(H, -2.0 * np.array([[0, 0.5, -2.0], [0.5, 0, 1.5], [-2.0, 1.5, 0]]))
    empty = lambda v: np.prod(v[:0], initial=3.0) * v[0] + np.prod(np.reshape(v[:0], (0, 2)), 0)
    assert np.array_equal(dd.jacobian(empty, x[:2]), [[3.0, 0.0], [3.0, 0.0]])
    assert np.array_equal(dd.hessian(lambda v: np.prod(v[:0]) * v[0] ** 2, x), np.diag([2.0, 0, 0]))
    d = dd.Dual(x, np.array([1.0, 10.0, 100.0]))
    r = np.prod(d, initial=dd.Dual(2.0, 1.0))  # a Dual initial: the product rule
    assert r.value == 2.0 * np.prod(x)
    assert r.tangent == np.prod(x) + 2.0 * (-1.0 + 1.5 * 10 * 0.5 + 1.5 * -2.0 * 100)


@pytest.mark.parametrize("func", [np.max, np.min, np.prod, np.sum, np.mean])
@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)])
def test_reductions_keep_numpy_shapes(func, axis):
    v = np.array([[1.0, 3.0, 2.0], [0.5, 2.0, 4.0]])
    x = dd.Dual(v, np.ones_like(v))
    for keepdims in (False, True):
        r = func(x, axis=axis, keepdims=keepdims)
        expected = func(v, axis=axis, keepdims=keepdims)
        assert np.shape(r.value) == np.shape(expected) == np.shape(r.tangent)
        assert np.array_equal(r.value, expected)


def test_max_of_ties_shares_the_tangent_in_every_mode():
    v = np.array([[2.0, 2.0], [1.0, 2.0]])
    t = np.array([[1.0, 3.0], [5.0, 7.0]])
    assert np.max(dd.Dual(v, t)).tangent == pytest.approx((1.0 + 3.0 + 7.0) / 3, rel=1e-15)
    assert np.array_equal(np.max(dd.Dual(v, t), axis=1).tangent, [2.0, 7.0])
    f = lambda x: np.max(x * x)
    g = np.array([-1.0, 1.0, 0.5])  # tie between -1 and 1: d/dx = 2x / 2 each
    for chunk in (1, 2, 3):
        assert np.array_equal(dd.gradient(f, g, chunk=chunk), [-1.0, 1.0, 0.0])
    assert np.array_equal(dd.hessian(f, g), np.diag([1.0, 1.0, 0.0]))


# --- found by probing the sparse derivatives: dense results that were wrong -----------------------
def _fd_jacobian(F, x, h=1e-6):
    cols = [(F(x + e) - F(x - e)) / (2 * h) for e in np.eye(x.size).reshape(x.size, *x.shape) * h]
    return np.stack(cols, axis=-1).reshape(np.shape(F(x)) + x.shape)


@pytest.mark.parametrize(
    "cshape, xshape, left",
    [((4, 3, 5), (3,), True), ((4, 3, 5), (2, 3), True), ((4, 3, 5), (5,), False),
     ((4, 2, 3), (3, 5), False), ((3, 5), (3,), True), ((3, 5), (5,), False),
     ((4, 3, 5), (4, 2, 3), True), ((2, 1, 3, 5), (4, 3), True), ((3,), (3,), True),
     ((3,), (2, 3, 4), False)],
)  # fmt: skip
@pytest.mark.parametrize("chunk", [1, None])
def test_matmul_with_a_constant_stack_in_every_mode(cshape, xshape, left, chunk):
    # vector mode's direction axis met the constant's batch axes: wrong numbers for x @ C
    # with C of shape (4, 3, 5) and x of shape (3,), crashes for the other stacks
    rng = np.random.default_rng(sum(cshape) + len(xshape))
    C, x = rng.normal(size=cshape), rng.normal(size=xshape)
    F = (lambda v: np.tanh(v) @ C) if left else (lambda v: C @ np.tanh(v))
    J = dd.jacobian(F, x, chunk=chunk)
    assert np.allclose(J, _fd_jacobian(F, x), rtol=1e-6, atol=1e-8)


def test_added_constants_have_no_tangent():
    # np.diff's prepend/append and np.sum's initial were applied to the tangent too
    x = np.linspace(0.3, 1.2, 6)
    assert np.array_equal(dd.jvp(lambda v: np.diff(v, prepend=5.0), x, np.ones(6))[1],
                          [1.0, 0, 0, 0, 0, 0])  # fmt: skip
    assert dd.jvp(lambda v: np.sum(v, initial=5.0), x, np.ones(6))[1] == 6.0
    F = lambda v: np.diff(v**2, prepend=5.0, append=[1.0, 2.0])
    assert np.allclose(dd.jacobian(F, x), _fd_jacobian(F, x), rtol=1e-6, atol=1e-8)
    assert np.allclose(dd.jacobian(lambda v: np.sum(v**2, initial=5.0), x), 2 * x)
    with pytest.raises(TypeError, match=r"numpy.diff: prepend= a Dual is not supported"):
        dd.jacobian(lambda v: np.diff(v, prepend=v[:1]), x)


def test_a_boolean_constant_factor():
    x = np.array([0.5, -1.0, 2.0])
    assert np.array_equal(dd.gradient(lambda v: np.sum(v * np.all(v > -10)), x), np.ones(3))
