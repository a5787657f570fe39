"""ndarray methods on Duals are NumPy's functions, and item assignment writes value and tangent."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

import dualdiff as dd

V = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.5]])
T = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])


@pytest.mark.parametrize(
    ("method", "function"),
    [
        (lambda x: x.reshape(3, 2), lambda x: np.reshape(x, (3, 2))),
        (lambda x: x.reshape((6,)), lambda x: np.reshape(x, 6)),
        (lambda x: x.ravel(), np.ravel),
        (lambda x: x.flatten(), np.ravel),
        (lambda x: x.reshape(1, 6).squeeze(), lambda x: np.ravel(x)),
        (lambda x: x.transpose(), np.transpose),
        (lambda x: x.transpose(1, 0), np.transpose),
        (lambda x: x.T, np.transpose),
        (lambda x: x.swapaxes(0, 1), np.transpose),
        (lambda x: x.sum(), np.sum),
        (lambda x: x.sum(axis=1, keepdims=True), lambda x: np.sum(x, axis=1, keepdims=True)),
        (lambda x: x.mean(axis=0), lambda x: np.mean(x, axis=0)),
        (lambda x: x.prod(axis=1), lambda x: np.prod(x, axis=1)),
        (lambda x: x.prod(axis=1, initial=2.0), lambda x: 2.0 * np.prod(x, axis=1)),
        (
            lambda x: x.prod(where=[[True, False, True], [False, True, True]]),
            lambda x: x[0, 0] * x[0, 2] * x[1, 1] * x[1, 2],
        ),
        (lambda x: x.sum(axis=0, initial=1.5), lambda x: np.sum(x, axis=0) + 1.5),
        (lambda x: x.take([7, -8, 2], mode="clip"), lambda x: x.ravel()[[5, 0, 2]]),
        (lambda x: x.take([4, -4], axis=1, mode="wrap"), lambda x: x[:, [1, 2]]),
        (lambda x: x.take(-1, axis=0), lambda x: x[1]),
        (lambda x: x.max(), np.max),
        (lambda x: x.min(axis=0), lambda x: np.min(x, axis=0)),
        (lambda x: x.cumsum(axis=1), lambda x: np.cumsum(x, axis=1)),
        (lambda x: x.clip(-1.0, 2.0), lambda x: np.clip(x, -1.0, 2.0)),
        (lambda x: x.dot(np.ones(3)), lambda x: np.dot(x, np.ones(3))),
        (lambda x: x.T.dot(x), lambda x: np.transpose(x) @ x),
        (lambda x: x[:, :2].trace(), lambda x: x[0, 0] + x[1, 1]),
        (lambda x: x.diagonal(), lambda x: np.stack([x[0, 0], x[1, 1]])),
        (lambda x: x.copy(), lambda x: x),
        (lambda x: x.conj(), lambda x: x),
        (lambda x: x.real, lambda x: x),
    ],
)
def test_method_equals_the_numpy_function(method, function):
    got, ref = method(dd.Dual(V, T)), function(dd.Dual(V, T))
    assert np.array_equal(got.value, ref.value) and np.array_equal(got.tangent, ref.tangent)


def test_var_and_std_against_closed_forms():
    x = np.array([1.0, 2.5, -0.5, 4.0])
    for k in (0, 1):
        grad_var = 2 * (x - x.mean()) / (x.size - k)
        assert np.allclose(dd.gradient(lambda y, k=k: y.var(ddof=k), x), grad_var, rtol=1e-14)
        std = x.std(ddof=k)
        got = dd.gradient(lambda y, k=k: y.std(ddof=k), x)
        assert np.allclose(got, grad_var / (2 * std), rtol=1e-14)


def test_astype_keeps_float_kinds_and_refuses_others():
    x = dd.Dual(V, T).astype(np.float32)
    assert x.value.dtype == np.float32 and x.tangent.dtype == np.float32
    with pytest.raises(TypeError, match=r"astype\(int64\) of a Dual would drop its tangent"):
        dd.Dual(V, T).astype(np.int64)


def test_astype_with_sparse_tangents():
    # a cast keeps the pattern and the sparse tangent's numbers (it raised "a sparse tangent
    # cannot become an array"); references written out by hand
    x = np.array([0.3, 1.2, -0.7, 2.0])
    r = x[::-1]
    f = lambda y: np.sum(y.astype(np.float64) ** 2 * y[::-1].astype(float))  # Σ x_i² x_r(i)
    assert np.allclose(dd.gradient(f, x, sparse=True), 2 * x * r + r**2, rtol=1e-15, atol=0)
    H = 2 * np.diag(r) + 2 * (x + r)[:, None] * np.eye(4)[::-1]
    assert np.allclose(dd.hessian(f, x, sparse=True).toarray(), H, rtol=1e-15, atol=0)
    F = lambda y: y.astype(np.float32) * y[0].astype(float)
    want = np.eye(4) * x[0]
    want[:, 0] += x
    assert np.array_equal(dd.sparsity(F, x).toarray(), want != 0)
    assert np.allclose(dd.jacobian(F, x, sparse=True).toarray(), want, rtol=1e-6, atol=0)
    g32 = dd.gradient(lambda y: np.sum(y.astype(np.float32) ** 2), x, sparse=True)
    assert np.allclose(g32, 2 * x, rtol=1e-6, atol=0)
    gc = dd.gradient(lambda y: np.sum(np.abs(y.astype(complex) * (1 + 2j)) ** 2), x, sparse=True)
    assert np.allclose(gc, 10 * x, rtol=1e-15, atol=0)  # |(1+2j) x|² = 5x²


def test_conversions_that_drop_the_tangent_refuse_and_say_what_to_use():
    x = dd.Dual(V, T)
    with pytest.raises(TypeError, match=r"item\(\) of a Dual would drop its tangent.*\.value"):
        x.item()
    with pytest.raises(TypeError, match=r"tolist\(\)"):
        x.tolist()
    assert 4.0 in x and 7.0 not in x
    assert len(x) == 2 and [r.shape for r in x] == [(3,), (3,)]
    assert np.array_equal(x.imag.value, np.zeros_like(V))


# --- item assignment --------------------------------------------------------------------------


def robertson(y):
    """A stiff ODE right-hand side written as scientists write it."""
    out = np.empty_like(y)
    out[0] = -0.04 * y[0] + 1e4 * y[1] * y[2]
    out[1] = 0.04 * y[0] - 1e4 * y[1] * y[2] - 3e7 * y[1] ** 2
    out[2] = 3e7 * y[1] ** 2
    return out


def robertson_jacobian(y):
    return np.array(
        [
            [-0.04, 1e4 * y[2], 1e4 * y[1]],
            [0.04, -1e4 * y[2] - 6e7 * y[1], -1e4 * y[1]],
            [0.0, 6e7 * y[1], 0.0],
        ]
    )


@pytest.mark.parametrize("chunk", [1, 2, 3])
def test_robertson_with_empty_like_and_item_assignment(chunk):
    y = np.array([1.0, 2e-5, 0.1])
    got = dd.jacobian(robertson, y, chunk=chunk)
    assert np.allclose(got, robertson_jacobian(y), rtol=1e-15, atol=0)


def test_hessian_through_item_assignment():
    y = np.array([0.9, 2e-5, 0.1])
    h = dd.hessian(lambda y: robertson(y) @ y, y)
    # (F(y)·y)'' = J + Jᵀ + Σ_i y_i ∇²F_i, written out by hand
    j = robertson_jacobian(y)
    d2 = np.zeros((3, 3))
    d2[1, 2] = d2[2, 1] = 1e4 * y[0] - 1e4 * y[1]
    d2[1, 1] = -6e7 * y[1] + 6e7 * y[2]
    assert np.allclose(h, j + j.T + d2, rtol=1e-12, atol=1e-9)


def test_slices_fancy_indices_and_in_place_operators():
    def f(x):
        out = np.zeros_like(x)
        out[1:3] = x[:2] ** 2
        out[[0, 3]] = x[[3, 0]]
        out[-1] += 2 * x[1]
        out *= 3.0
        return out

    x = np.array([1.0, 2.0, 3.0, 4.0])
    expected = 3 * np.array([[0, 0, 0, 1], [2, 0, 0, 0], [0, 4, 0, 0], [1, 2, 0, 0]], float)
    for chunk in (1, 4):
        assert np.array_equal(dd.jacobian(f, x, chunk=chunk), expected)


def test_assignment_never_writes_into_another_duals_tangent():
    x = dd.Dual(np.arange(4.0), np.ones(4))
    y = x + 1.0  # shares x's tangent until written
    y[0] = 10.0
    assert np.array_equal(y.tangent, [0.0, 1.0, 1.0, 1.0])
    assert np.array_equal(x.tangent, np.ones(4)) and np.array_equal(x.value, np.arange(4.0))
    c = np.copy(x)
    c[1] = 0.0
    assert x.value[1] == 1.0 and x.tangent[1] == 1.0


def test_assignment_refusals_are_clear():
    x = dd.Dual(np.arange(4.0), np.ones(4))
    with pytest.raises(TypeError, match="cannot assign into a view of a Dual array"):
        x.reshape(2, 2)[0] = 1.0
    with pytest.raises(TypeError, match="scalar value does not support item assignment"):
        dd.Dual(1.0, 1.0)[()] = 2.0
    out = np.zeros(2)
    with pytest.raises(ValueError) as info:  # NumPy's own error; ours is its cause
        out[0] = dd.Dual(1.0, 1.0)
    assert "np.zeros_like(x)" in str(info.value.__cause__)


def test_a_newer_dual_written_into_an_older_array():
    """Writing a Dual of a newer differentiation makes the array a constant inside it."""

    @dd.derivative
    def outer(a):
        base = np.zeros_like(dd.Dual(np.array([1.0, 2.0]), np.array([1.0, 0.0])))
        base[1] = a * a
        return base[1] + base[0]

    assert outer.prime(3.0) == 6.0


def test_mpf_values_through_assignment():
    with mpmath.workdps(40):
        x = np.array([mpmath.mpf(1) / 3, mpmath.mpf(2)], dtype=object)

        def f(x):
            out = np.zeros_like(x[0] * np.ones(2))
            out[0] = x[0] * x[1]
            return out[0] + out[1]

        g = dd.gradient(f, x)
        assert abs(g[0] - 2) < mpmath.mpf(10) ** -35
        assert abs(g[1] - mpmath.mpf(1) / 3) < mpmath.mpf(10) ** -35
        assert math.isfinite(float(g[1]))


def test_put_putmask_and_place_write_value_and_tangent():
    x = np.array([1.5, -2.0, 3.3, 0.7])

    def f(x):
        out = np.zeros_like(x)
        np.put(out, [0, 2], x[:2] * x[:2])
        np.putmask(out, np.array([False, True, False, False]), 3 * x)
        np.place(out, np.array([False, False, False, True]), x[3:])
        return out

    expected = np.array([[3.0, 0, 0, 0], [0, 3.0, 0, 0], [0, -4.0, 0, 0], [0, 0, 0, 1.0]])
    for chunk in (1, 4):
        assert np.array_equal(dd.jacobian(f, x, chunk=chunk), expected)
