"""Sparsity detection, sparse Jacobians and sparse Hessians on a zoo of functions.

References are independent of dualdiff's rules: the true nonzero structure is the union, over
three random points, of the entries of a central-difference Jacobian (Hessian) above a threshold;
sparse values are compared with the same differences and with the dense Jacobian (Hessian).
"""

from __future__ import annotations

import numpy as np
import pytest

import dualdiff as dd
from dualdiff.sparse import SparseHessian, SparseJacobian, hessian_sparsity, sparsity
from dualdiff.sparse.coloring import is_valid_column_coloring, is_valid_star_coloring

RNG = np.random.default_rng(7)
A_SPARSE = (RNG.random((9, 12)) < 0.2) * RNG.normal(size=(9, 12))
W = RNG.normal(size=(4, 2))
W2 = RNG.normal(size=(3, 2))
PAIRS = np.array([(0, 3), (1, 2), (4, 9), (5, 6), (2, 11), (7, 10), (0, 8)])


def brusselator(y):
    n = len(y) // 2
    u, v = y[:n], y[n:]
    ue = np.concatenate([[1.0], u, [1.0]])
    ve = np.concatenate([[3.0], v, [3.0]])
    du = 1 + u * u * v - 4 * u + 0.3 * (ue[2:] - 2 * u + ue[:-2])
    dv = 3 * u - u * u * v + 0.3 * (ve[2:] - 2 * v + ve[:-2])
    return np.concatenate([du, dv])


def laplacian_2d(x):
    u = x.reshape(4, 3)
    p = np.pad(u, 1)
    lap = p[:-2, 1:-1] + p[2:, 1:-1] + p[1:-1, :-2] + p[1:-1, 2:] - 4 * u
    return (lap + u**3).ravel()


def assigned(x):
    out = np.zeros_like(x)
    out[1:-1] = x[2:] - 2 * x[1:-1] + x[:-2]
    out[0] = x[0] ** 2
    out[-1] = np.exp(x[-3])
    return out


def arrow(x):
    y = x * x[0]
    y[0] = np.sum(x**2)
    return y


# name -> F: R^12 -> R^m (each uses the operations the issue lists, and a few more)
ZOO = {
    "banded (Brusselator)": brusselator,
    "block": lambda x: (
        x.reshape(4, 3) * np.sum(x.reshape(4, 3) ** 2, axis=1, keepdims=True)
    ).ravel(),
    "arrow": arrow,
    "random sparse matmul": lambda x: A_SPARSE @ np.sin(x),
    "2-D Laplacian": laplacian_2d,
    "pairwise": lambda x: 1.0 / (1.0 + (x[PAIRS[:, 0]] - x[PAIRS[:, 1]]) ** 2),
    "item assignment": assigned,
    "where, maximum, abs": lambda x: (
        np.where(x[1:] > 0.5, x[1:] ** 2, np.abs(x[:-1])) + np.maximum(x[:-1], 2 * x[1:])
    ),
    "cumsum, flip, roll": lambda x: np.cumsum(x[:4]) * np.flip(x[4:8]) + np.roll(x, 2)[:4],
    "stack, transpose, mean": lambda x: np.stack([x[:6], x[6:] ** 2]).T.mean(axis=1),
    "diff, tile, repeat": lambda x: np.concatenate(
        [np.diff(x[:5] ** 2), np.tile(x[5:7], 2), np.repeat(x[7:9], 2) * x[9]]
    ),
    "2-D matmul": lambda x: np.concatenate(
        [(np.tanh(x.reshape(3, 4)) @ W).ravel(), (W2 @ x[:6].reshape(2, 3) ** 2).ravel()]
    ),
    "sum over axis": lambda x: np.sum(np.sin(x.reshape(2, 3, 2)), axis=(0, 2)) * x[:3],
}


#: where the true structure changes with the point, the detected one is the union of the sides
BOTH_SIDES = {"where, maximum, abs": np.eye(11, 12, dtype=bool) | np.eye(11, 12, 1, dtype=bool)}


def fd_jacobian(F, x, h=1e-6):
    cols = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h
        cols.append((np.asarray(F(x + e)) - np.asarray(F(x - e))) / (2 * h))
    return np.stack(cols, axis=-1).reshape(-1, x.size)


def true_pattern(F, n=12, tol=1e-7):
    rng = np.random.default_rng(1)
    return np.any(
        [np.abs(fd_jacobian(F, rng.uniform(0.2, 1.3, n))) > tol for _ in range(3)], axis=0
    )


@pytest.mark.parametrize("name", list(ZOO))
def test_detected_pattern_is_the_true_structure(name):
    F = ZOO[name]
    x = np.random.default_rng(3).uniform(0.2, 1.3, 12)
    got = sparsity(F, x)
    assert got.dtype == np.bool_ and got.shape == (np.size(F(x)), 12)
    truth = true_pattern(F)
    if name in BOTH_SIDES:  # NumPy's selections keep both sides: the pattern at any point
        assert np.all(got.toarray() >= truth)
        truth = BOTH_SIDES[name]
    assert np.array_equal(got.toarray(), truth), name


@pytest.mark.parametrize("name", list(ZOO))
def test_sparse_jacobian_equals_dense_and_differences(name):
    F = ZOO[name]
    x = np.random.default_rng(4).uniform(0.2, 1.3, 12)
    J = SparseJacobian(F, x)
    assert is_valid_column_coloring(J.pattern, J.colors)
    assert J.ncolors <= 12
    for point in (x, np.random.default_rng(5).uniform(0.2, 1.3, 12)):
        value, got = J.value_and_jacobian(point)
        assert np.allclose(value, F(point), rtol=1e-15, atol=0)
        dense = dd.jacobian(F, point)
        assert np.array_equal(got.toarray(), dense.reshape(-1, 12))
        assert np.allclose(got.toarray(), fd_jacobian(F, point), rtol=1e-6, atol=1e-7)


def test_patterns_are_conservative_where_a_slope_is_zero():
    # at x = 0 the slope of x**2 and of x*y are 0: the entries stay in the pattern
    F = lambda x: np.concatenate([x**2, x[:-1] * x[1:]])
    got = sparsity(F, np.zeros(4)).toarray()
    assert got.sum() == 4 + 2 * 3
    assert np.array_equal(got, true_pattern(F, n=4))


def test_few_colours_on_banded_and_block_patterns():
    x = np.linspace(0.5, 1.5, 200)
    assert SparseJacobian(brusselator, x).ncolors <= 6
    assert SparseJacobian(lambda y: y[1:] * y[:-1], x).ncolors == 2


def test_jacobian_sparse_true_prepares_once_per_function_and_shape():
    calls = []

    def F(x):
        calls.append(type(x._t).__name__)
        return brusselator(x)

    x = np.linspace(0.5, 1.5, 40)
    J1 = dd.jacobian(F, x, sparse=True)
    assert calls == ["Pattern", "Directions"]  # detection, then one compressed pass
    J2 = dd.jacobian(F, x + 0.1, sparse=True)
    assert calls == ["Pattern", "Directions", "Directions"]
    assert np.array_equal(J2.toarray(), dd.jacobian(brusselator, x + 0.1))
    assert np.array_equal(J1.toarray(), dd.jacobian(brusselator, x))
    dd.jacobian(F, np.ones(20), sparse=True)  # another shape: prepared anew
    assert calls[-2:] == ["Pattern", "Directions"]
    value, J3 = dd.value_and_jacobian(F, x, sparse=True)
    assert np.array_equal(value, brusselator(x)) and J3.nnz == J1.nnz


def test_a_given_pattern_replaces_detection():
    x = np.linspace(0.5, 1.5, 10)
    band = sparsity(brusselator, x)
    J = dd.jacobian(brusselator, x, sparsity=band)
    assert np.array_equal(J.toarray(), dd.jacobian(brusselator, x))
    with pytest.raises(ValueError, match=r"sparsity has shape \(3, 3\), the Jacobian has"):
        dd.jacobian(brusselator, x, sparsity=np.eye(3))


# --- Hessians ------------------------------------------------------------------------------------
def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


Q = np.diag(np.full(10, 2.0)) + np.diag(np.ones(7), 3) + np.diag(np.ones(7), -3)

HESSIAN_ZOO = {
    "Rosenbrock": rosenbrock,
    "arrow": lambda x: x[0] * np.sum(x**2),
    "block separable": lambda x: np.sum(np.sum(x.reshape(5, 2), axis=1) ** 3),
    "quadratic form": lambda x: x @ Q @ x,
    "pairwise chain": lambda x: np.sum(1.0 / (0.5 + (x[1:] - x[:-1]) ** 2)),
    "mixed": lambda x: (
        np.exp(x[0] / x[1]) + 3.0 * x[2] + np.sum(x[3:6] ** 2) * x[9] + np.sum(np.sin(x[6:9]))
    ),
    "dense (log-sum-exp)": lambda x: np.log(np.sum(np.exp(x))),
    "linear": lambda x: np.sum(3.0 * x) + 1.0,
}


def fd_hessian(f, x, h=1e-4):
    n = x.size
    H = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            ei, ej = np.eye(n)[i] * h, np.eye(n)[j] * h
            H[i, j] = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (
                4 * h * h
            )
    return H


@pytest.mark.parametrize("name", list(HESSIAN_ZOO))
def test_hessian_pattern_and_values(name):
    f = HESSIAN_ZOO[name]
    rng = np.random.default_rng(11)
    points = [rng.uniform(0.3, 1.2, 10) for _ in range(3)]
    truth = np.any([np.abs(fd_hessian(f, p)) > 1e-5 for p in points], axis=0)
    got = hessian_sparsity(f, points[0])
    assert np.array_equal(got.toarray(), truth), name
    H = SparseHessian(f, points[0])
    assert is_valid_star_coloring(H.pattern, H.colors)
    for p in points[1:]:
        sparse = H(p).toarray()
        assert np.allclose(sparse, dd.hessian(f, p), rtol=1e-13, atol=1e-13)
        assert np.allclose(sparse, fd_hessian(f, p), rtol=1e-5, atol=1e-5)
        assert np.allclose(sparse, sparse.T, rtol=0, atol=0)


def test_hessian_sparse_true_and_colour_counts():
    x = np.linspace(-1, 1, 300)
    H = dd.hessian(rosenbrock, x, sparse=True)
    assert np.allclose(H.toarray(), dd.hessian(rosenbrock, x), rtol=1e-13, atol=1e-12)
    assert SparseHessian(rosenbrock, x).ncolors == 3
    assert SparseHessian(HESSIAN_ZOO["arrow"], np.ones(50)).ncolors == 2


# --- errors --------------------------------------------------------------------------------------
def test_clear_errors():
    x = np.ones(4)
    with pytest.raises(TypeError, match="cannot become a NumPy array"):
        sparsity(lambda v: np.asarray(v) * 2, x)
    with pytest.raises(TypeError, match=r"sparse=True\) takes neither chunk"):
        dd.jacobian(np.sin, x, chunk=2, sparse=True)
    with pytest.raises(TypeError, match="needs x as an array"):
        dd.jacobian(lambda p: p["a"], {"a": x}, sparse=True)
    with pytest.raises(ValueError, match=r"prepared for x of shape \(4,\), got \(5,\)"):
        SparseJacobian(np.sin, x)(np.ones(5))
    with pytest.raises(TypeError, match="hessian_sparsity needs a scalar f"):
        hessian_sparsity(lambda v: v**2, x)


# --- gradients with sparse tangents --------------------------------------------------------------
def lennard_jones(p):
    r = p.reshape(-1, 3)
    i, j = np.triu_indices(len(r), 1)
    d = r[i] - r[j]
    r2 = np.sum(d * d, axis=1)
    s6 = 1.0 / r2**3
    return np.sum(4.0 * (s6 * s6 - s6))


SCALAR_ZOO = {
    **HESSIAN_ZOO,
    "Lennard-Jones, 5 bodies": lennard_jones,
    "zoo Jacobians summed": lambda x: sum(np.sum(np.sin(F(x))) for F in ZOO.values()),
    "where picks a side": lambda x: np.sum(np.where(x > 0.7, x**3, -np.exp(x)) * x[::-1]),
    "assignment": lambda x: np.sum(assigned(x[:10]) ** 2) + x[10] * x[11],
}


def fd_gradient(f, x, h=1e-6):
    return np.array([(f(x + e) - f(x - e)) / (2 * h) for e in np.eye(x.size) * h])


@pytest.mark.parametrize("name", list(SCALAR_ZOO))
def test_sparse_gradient_equals_dense_and_differences(name):
    f = SCALAR_ZOO[name]
    n = 15 if "Jones" in name else (12 if name in ("zoo Jacobians summed", "assignment") else 10)
    x = np.random.default_rng(2).uniform(0.3, 1.2, n)
    if "Jones" in name:
        x = x * 3.0
    value, g = dd.value_and_grad(f, x, sparse=True)
    assert np.isclose(value, f(x), rtol=1e-15, atol=0)
    assert np.allclose(g, dd.gradient(f, x), rtol=1e-13, atol=1e-14)
    assert np.allclose(g, fd_gradient(f, x), rtol=1e-6, atol=1e-7)
    v = np.random.default_rng(3).normal(size=n)
    hv = dd.hvp(f, x, v, sparse=True)
    assert np.allclose(hv, dd.hvp(f, x, v), rtol=1e-12, atol=1e-12)


def test_sparse_gradient_of_any_shape_and_its_limits():
    W = np.arange(6.0).reshape(2, 3) / 7 + 0.1
    g = dd.gradient(lambda w: np.sum(np.tanh(w) ** 2), W, sparse=True)
    assert g.shape == (2, 3)
    assert np.allclose(g, 2 * np.tanh(W) / np.cosh(W) ** 2, rtol=1e-14)
    assert np.array_equal(dd.gradient(lambda w: 3.0, W, sparse=True), np.zeros((2, 3)))
    with pytest.raises(TypeError, match="needs f to return a scalar"):
        dd.gradient(lambda w: w**2, W, sparse=True)
    with pytest.raises(TypeError, match=r"sparse=True\) takes neither chunk"):
        dd.gradient(np.sum, W, chunk=2, sparse=True)


def test_sparse_namespace_and_orderings_follow_the_point():
    import dualdiff

    assert dd.sparse is dualdiff.sparse and dd.sparse.ivp_jacobian is not None
    # sort's pattern is the ordering at the point (documented): a permutation here
    got = sparsity(np.sort, np.array([3.0, 1.0, 2.0])).toarray().astype(int)
    assert np.array_equal(got, [[0, 1, 0], [0, 0, 1], [1, 0, 0]])


def test_results_do_not_share_the_prepared_pattern():
    x = np.linspace(0.5, 1.5, 12)
    J = SparseJacobian(brusselator, x)
    first = J(x)
    first.data[:] = 0.0
    first.eliminate_zeros()  # in place: would empty a shared pattern
    first.indices[:] = 0
    assert np.array_equal(J(x).toarray(), dd.jacobian(brusselator, x))
