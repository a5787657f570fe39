"""gradient, jacobian, hessian, jvp: every chunk size, against mpmath references."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

import dualdiff as dd
from dualdiff.multivariate import default_chunk

from .conftest import close


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def ackley(x):
    n = len(x)
    s1 = np.sum(x * x) / n
    s2 = np.sum(dd.cos(2 * dd.pi * x)) / n
    return -20.0 * dd.exp(-0.2 * dd.sqrt(s1)) - dd.exp(s2) + 20.0 + dd.e


W = np.array([0.5, -1.25, 2.0, 0.75, -0.3])


def logistic_of_dot(x):
    return 1 / (1 + dd.exp(-(W[: len(x)] @ x + 0.1)))


def loop_style(x):  # a plain Python loop over x[i]
    s = 0.0
    for i in range(len(x) - 1):
        s = s + x[i] * dd.sin(x[i + 1]) + x[i] ** 2
    return s


def mp_array(x):
    return np.array([mpmath.mpf(float(v)) for v in x], dtype=object)


def mp_partial(f, x, orders):
    """mpmath.diff partial derivative of f (written for arrays) at x, at 30 digits."""
    with mpmath.workdps(30):
        return mpmath.diff(lambda *a: f(np.array(a, dtype=object)), tuple(mp_array(x)), orders)


def unit(n, *idx):
    o = [0] * n
    for i in idx:
        o[i] += 1
    return tuple(o)


X5 = np.array([0.3, -0.7, 1.1, 0.45, -1.6])


@pytest.mark.parametrize("f", [rosenbrock, ackley, logistic_of_dot, loop_style])
def test_gradient_every_chunk_against_mpmath(f):
    n = len(X5)
    ref = [mp_partial(f, X5, unit(n, i)) for i in range(n)]
    for chunk in range(1, n + 1):
        g = dd.gradient(f, X5, chunk=chunk)
        assert g.shape == (n,) and g.dtype == np.float64
        for i in range(n):
            assert close(g[i], ref[i], 1e-13, 1e-14), (f.__name__, chunk, i, g[i], ref[i])
    np.testing.assert_array_equal(dd.gradient(f, X5), dd.gradient(f, X5, chunk=n))


def vector_field(x):
    """R^3 -> R^4 mixing scalars, vectors and a matrix: misaligned directions would show."""
    A = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0], [2.0, 0.25, 1.0]])
    s = x[0] * x[2]  # a scalar Dual
    v = A @ x + s  # vector + scalar
    M = np.outer(x, x) + A  # matrix + constant matrix
    w = M @ v * x[1]  # matrix @ vector, times scalar
    return np.concatenate([w, [np.sum(dd.tanh(x) * v)]])


X3 = np.array([0.4, -1.3, 0.8])


def test_jacobian_every_chunk_against_mpmath():
    m, n = 4, 3
    ref = np.empty((m, n), dtype=object)
    for i in range(m):
        for j in range(n):
            ref[i, j] = mp_partial(lambda y, i=i: vector_field(y)[i], X3, unit(n, j))
    for chunk in (1, 2, 3):
        J = dd.jacobian(vector_field, X3, chunk=chunk)
        assert J.shape == (m, n)
        for i in range(m):
            for j in range(n):
                assert close(J[i, j], ref[i, j], 1e-13, 1e-13), (chunk, i, j)


def test_jacobian_of_affine_map_is_W_and_scalar_output_shape():
    rng = np.random.default_rng(0)
    Wm, b = rng.normal(size=(4, 6)), rng.normal(size=4)
    for chunk in (1, 4, 6):
        np.testing.assert_array_equal(
            dd.jacobian(lambda x: Wm @ x + b, rng.normal(size=6), chunk), Wm
        )
    assert dd.jacobian(lambda x: np.sum(x), np.ones(3)).shape == (3,)


@pytest.mark.parametrize("f", [rosenbrock, ackley, logistic_of_dot])
def test_hessian_against_mpmath(f):
    n = 4
    x = X5[:n]
    H = dd.hessian(f, x)
    assert H.shape == (n, n)
    np.testing.assert_array_equal(H, H.T)
    for i in range(n):
        for j in range(i, n):
            assert close(H[i, j], mp_partial(f, x, unit(n, i, j)), 1e-12, 1e-12), (i, j)


def test_jvp_equals_jacobian_times_v():
    v = np.array([0.5, -2.0, 1.0])
    val, jv = dd.jvp(vector_field, X3, v)
    np.testing.assert_allclose(val, vector_field(X3), rtol=1e-15)
    np.testing.assert_allclose(jv, dd.jacobian(vector_field, X3) @ v, rtol=1e-13)
    assert dd.jvp(dd.sin, 0.0, 2.0) == (0.0, 2.0)


def test_default_chunk_rule():
    assert default_chunk(1) == 1 and default_chunk(50) == 50
    for n in (100, 181, 1000, 5000, 20000):
        k = default_chunk(n)
        assert 1 <= k <= n and (n * k <= dd.multivariate.CHUNK_BUDGET or k == 1)
        passes = -(-n // k)
        assert k * passes - n < passes  # the blocks are evenly sized


def test_gradient_of_constant_and_of_ignored_inputs():
    np.testing.assert_array_equal(dd.gradient(lambda x: 3.0, np.ones(4)), np.zeros(4))
    np.testing.assert_array_equal(dd.gradient(lambda x: x[0] * 2.0, np.ones(3), chunk=2), [2, 0, 0])


def test_errors():
    with pytest.raises(TypeError, match="use dd.jacobian"):
        dd.gradient(lambda x: x * 2, np.ones(3))
    with pytest.raises(TypeError, match="not subscriptable"):  # f's own error, at a number
        dd.gradient(rosenbrock, 1.0)
    with pytest.raises(ValueError, match="chunk must be at least 1, got 0"):
        dd.gradient(rosenbrock, np.ones(3), chunk=0)
    with pytest.raises(TypeError, match="chunk must be an int"):
        dd.gradient(rosenbrock, np.ones(3), chunk=1.5)
    with pytest.raises(TypeError, match="returned str"):
        dd.gradient(lambda x: "x", np.ones(3))
    with pytest.raises(ValueError, match="v has shape"):
        dd.jvp(rosenbrock, np.ones(3), np.ones(2))
    with pytest.raises(TypeError, match="nested vector mode is not supported"):
        dd.jacobian(lambda y: dd.gradient(rosenbrock, y, chunk=3), np.ones(3), chunk=3)


def test_inside_an_outer_vector_mode_the_default_chunk_is_one():
    x = np.array([0.3, -0.2, 1.1])
    h = dd.jacobian(lambda y: dd.gradient(rosenbrock, y), x, chunk=3)
    assert np.array_equal(h, dd.hessian(rosenbrock, x))


def test_hessian_of_products_whose_factors_both_depend_on_x():
    """Vector mode inside forward mode once lost half of such Hessians (x @ x gave I)."""
    x = np.array([1.0, 2.0, -0.5])
    H = np.array([[1.0, 2.0, 0.0], [3.0, 5.0, -1.0], [0.5, 0.0, 2.0]])
    assert np.array_equal(dd.hessian(lambda x: x @ x, x), 2 * np.eye(3))
    assert np.allclose(dd.hessian(lambda x: x @ H @ x, x), H + H.T, rtol=0, atol=1e-15)
    assert np.array_equal(dd.hessian(lambda x: np.dot(x, x), x), 2 * np.eye(3))


def test_gradient_at_mpf_points_keeps_every_digit():
    with mpmath.workdps(50):
        x = [mpmath.mpf(1) / 3, mpmath.mpf(2) / 7]
        ref0 = 2 * x[0] * mpmath.sin(x[0]) + (x[0] ** 2 + x[1] ** 2) * mpmath.cos(x[0])
        ref1 = 2 * x[1] * mpmath.sin(x[0])
        for chunk in (1, 2):
            g = dd.gradient(lambda x: np.sum(x * x) * dd.sin(x[0]), x, chunk=chunk)
            assert all(isinstance(e, mpmath.mpf) for e in g)
            assert abs(g[0] - ref0) < mpmath.mpf(10) ** -45
            assert abs(g[1] - ref1) < mpmath.mpf(10) ** -45


def test_object_array_of_duals_is_differentiated_or_refused():
    def filled(x):
        out = np.empty(2, dtype=object)
        out[0] = x[0] * x[1]
        out[1] = dd.sin(x[0])
        return out

    expected = [[2.0, 1.0], [math.cos(1.0), 0.0]]
    for chunk in (1, 2):
        assert np.array_equal(dd.jacobian(filled, [1.0, 2.0], chunk=chunk), expected)

    def half_filled(x):
        out = np.empty(2, dtype=object)
        out[0] = x[0]
        return out

    with pytest.raises(TypeError, match=r"entry \(1,\) is NoneType"):
        dd.jacobian(half_filled, [1.0, 2.0])


def test_jacobian_at_a_dual_point_is_a_dual_of_jacobians():
    F = lambda y: np.sin(np.outer(y, y)) + np.cos(np.dot(y, y))
    x0, dx = np.array([0.3, 0.5]), np.array([1.0, -2.0])
    got = dd.jacobian(F, dd.Dual(x0, dx))
    assert np.allclose(got.value, dd.jacobian(F, x0), rtol=1e-14, atol=0)
    h = 1e-6  # central difference of the Jacobian along dx, against its derivative
    fd = (dd.jacobian(F, x0 + h * dx) - dd.jacobian(F, x0 - h * dx)) / (2 * h)
    assert np.allclose(got.tangent, fd, rtol=1e-8, atol=1e-9)


def test_float32_in_float32_out_in_every_mode():
    x = np.array([0.5, 1.5, 2.0], dtype=np.float32)
    g = lambda x: np.sum(dd.sin(x) * x**2 + dd.ln(x))
    f = dd.derivative(lambda x: dd.sin(x) * x**2 + dd.sqrt(x))
    assert f.prime(x).dtype == np.float32
    for got in (
        dd.gradient(g, x),
        dd.gradient(g, x, chunk=1),
        dd.jacobian(lambda x: x * x, x),
        dd.hessian(g, x),
    ):
        assert got.dtype == np.float32
    expected = np.sin(x) * 2 * x + x**2 * np.cos(x) + 1 / x
    assert np.allclose(dd.gradient(g, x), expected, rtol=1e-6)


def test_integer_points_become_float_and_complex_points_are_refused():
    g = dd.gradient(lambda x: np.sum(x * x), np.array([1, 2, 3]))
    assert g.dtype == np.float64 and np.array_equal(g, [2.0, 4.0, 6.0])
    with pytest.raises(TypeError, match="gradient takes real points"):
        dd.gradient(lambda x: np.sum(x), np.array([1 + 1j]))
    with pytest.raises(TypeError, match="jacobian takes real points"):
        dd.jacobian(lambda x: x, [1 + 1j, 2.0])
    assert dd.Dual(np.array([1 + 1j]), 1.0).tangent.dtype == np.complex128
