"""dualdiff.scipy.linalg against SciPy (values) and mpmath (derivatives), in every mode.

Each spec maps a parameter vector x to a call of the module it is given: ``scipy.linalg`` on
floats (the values to match) or ``dualdiff.scipy.linalg`` on Duals; and to the same computation
re-implemented in mpmath at 40 digits (mpmath's own expm, sqrtm and logm; LU with partial
pivoting, Cholesky and linear solves written out). The reference derivatives are central
differences of the mpmath version (step 1e-12: truncation error ~1e-24), so they use none of
dualdiff's rules. Modes: a plain tangent (``dd.jvp``), vector mode (``dd.jacobian`` with chunk
1, 3 and the default) and nested Duals (``dd.hessian`` of a weighted sum of the outputs).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np
import pytest
import scipy.linalg as sl

import dualdiff as dd
from dualdiff.scipy import linalg as ddl

from ..reference import list_hessian, list_jacobian
from ..test_linalg import flat, mp_square, square

mpf = mpmath.mpf
DPS = 40
H = mpf("1e-12")

X4 = (0.3, -0.2, 0.5, 0.1)
X6 = (0.3, -0.2, 0.5, 0.1, 0.7, -0.4)
X8 = (0.3, -0.2, 0.5, 0.1, 0.7, -0.4, 0.2, 0.6)
X9 = (0.3, -0.2, 0.5, 0.1, 0.7, -0.4, 0.2, 0.6, -0.1)
B3 = np.array([1.0, -2.0, 0.5])
CYCLE = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])  # LU must pivot


# --- building matrices from x, in NumPy and in mpmath ------------------------------------------
def mp_const(rows: Any) -> Any:
    return mpmath.matrix([[mpf(float(v)) for v in r] for r in np.atleast_2d(rows)])


def mp_vec(v: Any) -> Any:
    return mpmath.matrix([mpf(e) if not isinstance(e, mpf) else e for e in v])


def sym_from(a: Any, lower: bool) -> Any:
    """The symmetric matrix a solver reads from one triangle of a."""
    s = a.copy()
    for i in range(a.rows):
        for j in range(a.cols):
            if (i > j) != lower and i != j:
                s[i, j] = a[j, i]
    return s


def masked(a: Any, keep: Callable[[int, int], bool]) -> Any:
    m = a.copy()
    for i in range(a.rows):
        for j in range(a.cols):
            if not keep(i, j):
                m[i, j] = 0
    return m


def mp_solve(a: Any, b: Any) -> list[Any]:
    """a⁻¹ b, b a vector or a matrix (row-major flat result)."""
    if b.cols == 1:
        return flat(mpmath.lu_solve(a, b))
    cols = [mpmath.lu_solve(a, b.column(j)) for j in range(b.cols)]
    return [cols[j][i] for i in range(b.rows) for j in range(b.cols)]


def mp_lu(a: Any) -> Any:
    """LU with partial pivoting as LAPACK's getrf stores it (L below the diagonal, U on and
    above; rows swapped whole)."""
    a, n = a.copy(), a.rows
    for k in range(n):
        p = max(range(k, n), key=lambda i: abs(a[i, k]))
        for j in range(n):
            a[k, j], a[p, j] = a[p, j], a[k, j]
        for i in range(k + 1, n):
            a[i, k] /= a[k, k]
            for j in range(k + 1, n):
                a[i, j] -= a[i, k] * a[k, j]
    return a


def mp_cho_c(a: Any, lower: bool) -> list[Any]:
    """cho_factor's c: the factor in one triangle, a's own entries in the other."""
    factor = mpmath.cholesky(sym_from(a, lower))
    c = a.copy()
    for i in range(a.rows):
        for j in range(a.cols):
            if lower and i >= j:
                c[i, j] = factor[i, j]
            elif not lower and i <= j:
                c[i, j] = factor[j, i]
    return flat(c)


def mp_sylvester(a: Any, b: Any, q: Any) -> list[Any]:
    """X with a X + X b = q, from the Kronecker system (written out)."""
    n, m = q.rows, q.cols
    big = mpmath.matrix(n * m, n * m)
    for i in range(n):
        for j in range(m):
            for k in range(n):
                big[i + j * n, k + j * n] += a[i, k]
            for ell in range(m):
                big[i + j * n, i + ell * n] += b[ell, j]
    v = mpmath.lu_solve(big, mpmath.matrix([q[i, j] for j in range(m) for i in range(n)]))
    return [v[i + j * n] for i in range(n) for j in range(m)]


def mp_banded(lower: int, upper: int, ab: Any, n: int) -> Any:
    a = mpmath.matrix(n, n)
    for i in range(n):
        for j in range(n):
            if -upper <= i - j <= lower:
                a[i, j] = ab[upper + i - j, j]
    return a


def mp_band_rows(x: Any, rows: int, n: int, diag_row: int) -> Any:
    ab = mpmath.matrix(rows, n)
    for r in range(rows):
        for j in range(n):
            ab[r, j] = x[r * n + j] + (3 if r == diag_row else 0)
    return ab


def band_rows(x: Any, rows: int, n: int, diag_row: int) -> Any:
    ab = np.reshape(x[: rows * n], (rows, n))
    return ab + 3.0 * (np.arange(rows) == diag_row)[:, None]


# --- the specs ----------------------------------------------------------------------------------
@dataclass
class Spec:
    name: str
    f: Callable[[Any, Any], Any]  # (module, x) -> result: scipy.linalg or dualdiff's
    ref: Callable[[Any], list[Any]]  # x as mpf list -> flat mpf list
    x0: tuple[float, ...]
    hessian: bool = True


def _b3(x: Any) -> Any:
    return mp_vec([mpf(c) + e for c, e in zip(B3, x[:3], strict=True)])


SPECS = [
    Spec(
        "solve",
        lambda m, x: m.solve(square(x, 2), x[4:6]),
        lambda x: mp_solve(mp_square(x, 2), mp_vec(x[4:6])),
        X6,
    ),
    Spec(
        "solve, matrix b",
        lambda m, x: m.solve(square(x, 2), np.reshape(x, (2, 2)) * 2.0),
        lambda x: mp_solve(mp_square(x, 2), mp_square(x, 2, 0) * 2),
        X4,
    ),
    Spec(
        "solve, constant A",
        lambda m, x: m.solve(np.array([[3.0, 1.0], [0.5, 2.0]]), x * x),
        lambda x: mp_solve(mp_const([[3, 1], [0.5, 2]]), mp_vec([e * e for e in x])),
        (0.3, -0.7),
    ),
    Spec(
        "solve sym (upper)",
        lambda m, x: m.solve(square(x, 3), B3, assume_a="sym"),
        lambda x: mp_solve(sym_from(mp_square(x, 3), False), mp_vec(B3)),
        X9,
    ),
    Spec(
        "solve pos, lower",
        lambda m, x: m.solve(square(x, 3), B3, assume_a="pos", lower=True),
        lambda x: mp_solve(sym_from(mp_square(x, 3), True), mp_vec(B3)),
        X9,
    ),
    Spec(
        "solve transposed",
        lambda m, x: m.solve(square(x, 2), x[4:6], transposed=True),
        lambda x: mp_solve(mp_square(x, 2).T, mp_vec(x[4:6])),
        X6,
    ),
    Spec(
        "solve lower triangular",
        lambda m, x: m.solve(square(x, 3), B3, assume_a="lower triangular"),
        lambda x: mp_solve(masked(mp_square(x, 3), lambda i, j: i >= j), mp_vec(B3)),
        X9,
        hessian=False,
    ),
    Spec(
        "solve tridiagonal",
        lambda m, x: m.solve(square(x, 3), B3, assume_a="tridiagonal"),
        lambda x: mp_solve(masked(mp_square(x, 3), lambda i, j: abs(i - j) <= 1), mp_vec(B3)),
        X9,
        hessian=False,
    ),
    Spec(
        "solve banded (band found in a: general)",
        lambda m, x: m.solve(square(x, 3), B3, assume_a="banded"),
        lambda x: mp_solve(mp_square(x, 3), mp_vec(B3)),
        X9,
        hessian=False,
    ),
    Spec(
        "solve_triangular lower",
        lambda m, x: m.solve_triangular(square(x, 3), B3 + x[:3], lower=True),
        lambda x: mp_solve(masked(mp_square(x, 3), lambda i, j: i >= j), _b3(x)),
        X9,
    ),
    Spec(
        "solve_triangular upper, trans T",
        lambda m, x: m.solve_triangular(square(x, 3), B3 + x[:3], trans="T"),
        lambda x: mp_solve(masked(mp_square(x, 3), lambda i, j: i <= j).T, _b3(x)),
        X9,
    ),
    Spec(
        "solve_triangular unit lower, trans 1, matrix b",
        lambda m, x: m.solve_triangular(
            square(x, 3), np.reshape(x[3:9], (3, 2)), trans=1, lower=True, unit_diagonal=True
        ),
        lambda x: mp_solve(
            masked(mp_square(x, 3, 0), lambda i, j: i > j).T + mpmath.eye(3),
            mpmath.matrix([[x[3], x[4]], [x[5], x[6]], [x[7], x[8]]]),
        ),
        X9,
    ),
    Spec(
        "cho_factor lower",
        lambda m, x: m.cho_factor(square(x, 3), lower=True)[0],
        lambda x: mp_cho_c(mp_square(x, 3), True),
        X9,
    ),
    Spec(
        "cho_factor upper",
        lambda m, x: m.cho_factor(square(x, 3))[0],
        lambda x: mp_cho_c(mp_square(x, 3), False),
        X9,
    ),
    Spec(
        "cho_solve(cho_factor)",
        lambda m, x: m.cho_solve(m.cho_factor(square(x, 3)), B3 + x[:3]),
        lambda x: mp_solve(sym_from(mp_square(x, 3), False), _b3(x)),
        X9,
    ),
    Spec(
        "cho_solve, constant factor",
        lambda m, x: m.cho_solve(m.cho_factor(np.array([[4.0, 1.0], [1.0, 3.0]])), x * x),
        lambda x: mp_solve(mp_const([[4, 1], [1, 3]]), mp_vec([e * e for e in x])),
        (0.3, -0.7),
    ),
    Spec(
        "log det from cho_factor",
        lambda m, x: 2 * np.sum(np.log(np.diag(m.cho_factor(square(x, 3), lower=True)[0]))),
        lambda x: [mpmath.log(mpmath.det(sym_from(mp_square(x, 3), True)))],
        X9,
    ),
    Spec(
        "lu_factor (pivoting)",
        lambda m, x: m.lu_factor(square(x, 3, 0) + 3 * CYCLE)[0],
        lambda x: flat(mp_lu(mp_square(x, 3, 0) + mp_const(CYCLE) * 3)),
        X9,
    ),
    Spec(
        "lu_solve(lu_factor)",
        lambda m, x: m.lu_solve(m.lu_factor(square(x, 3, 0) + 3 * CYCLE), B3 + x[:3]),
        lambda x: mp_solve(mp_square(x, 3, 0) + mp_const(CYCLE) * 3, _b3(x)),
        X9,
    ),
    Spec(
        "lu_solve trans 1, matrix b",
        lambda m, x: m.lu_solve(
            m.lu_factor(square(x, 3, 0) + 3 * CYCLE), np.reshape(x[3:9], (3, 2)), trans=1
        ),
        lambda x: mp_solve(
            (mp_square(x, 3, 0) + mp_const(CYCLE) * 3).T,
            mpmath.matrix([[x[3], x[4]], [x[5], x[6]], [x[7], x[8]]]),
        ),
        X9,
    ),
    Spec(
        "solve_banded (1, 1)",
        lambda m, x: m.solve_banded((1, 1), band_rows(x, 3, 3, 1), B3 + x[:3]),
        lambda x: mp_solve(mp_banded(1, 1, mp_band_rows(x, 3, 3, 1), 3), _b3(x)),
        X9,
    ),
    Spec(
        "solve_banded (0, 1), matrix b",
        lambda m, x: m.solve_banded((0, 1), band_rows(x, 2, 3, 1), np.reshape(x[:6], (3, 2))),
        lambda x: mp_solve(
            mp_banded(0, 1, mp_band_rows(x, 2, 3, 1), 3),
            mpmath.matrix([[x[0], x[1]], [x[2], x[3]], [x[4], x[5]]]),
        ),
        X6,
    ),
    Spec(
        "solve_sylvester",
        lambda m, x: m.solve_sylvester(
            square(x, 2), square(x[4:], 2, 1.0), np.reshape(x[:4], (2, 2)) + 1.0
        ),
        lambda x: mp_sylvester(
            mp_square(x, 2), mp_square(x[4:], 2, 1), mp_square(x, 2, 0) + mpmath.ones(2, 2)
        ),
        X8,
    ),
    Spec(
        "expm 2x2",
        lambda m, x: m.expm(square(x, 2, 0.5)),
        lambda x: flat(mpmath.expm(mp_square(x, 2, mpf("0.5")))),
        X4,
    ),
    Spec(
        "expm 3x3",
        lambda m, x: m.expm(square(x, 3, 0) * 2.0),
        lambda x: flat(mpmath.expm(mp_square(x, 3, 0) * 2)),
        X9,
        hessian=False,
    ),
    Spec(
        "expm stacked",
        lambda m, x: m.expm(np.stack([square(x, 2, 0), square(x[4:], 2, 1.0)])),
        lambda x: flat(mpmath.expm(mp_square(x, 2, 0))) + flat(mpmath.expm(mp_square(x[4:], 2, 1))),
        X8,
        hessian=False,
    ),
    Spec(
        "sqrtm 2x2",
        lambda m, x: m.sqrtm(square(x, 2, 2.0)),
        lambda x: flat(mpmath.sqrtm(mp_square(x, 2, 2))),
        X4,
    ),
    Spec(
        "sqrtm 3x3",
        lambda m, x: m.sqrtm(square(x, 3)),
        lambda x: flat(mpmath.sqrtm(mp_square(x, 3))),
        X9,
        hessian=False,
    ),
    Spec(
        "sqrtm, complex eigenvalues",
        lambda m, x: m.sqrtm(square(x, 2, 1.0) + np.array([[0.0, -1.0], [1.0, 0.0]])),
        lambda x: flat(mpmath.sqrtm(mp_square(x, 2, 1) + mp_const([[0, -1], [1, 0]]))),
        X4,
    ),
    Spec(
        "logm 2x2",
        lambda m, x: m.logm(square(x, 2, 2.0)),
        lambda x: flat(mpmath.logm(mp_square(x, 2, 2))),
        X4,
    ),
    Spec(
        "logm 3x3",
        lambda m, x: m.logm(square(x, 3)),
        lambda x: flat(mpmath.logm(mp_square(x, 3))),
        X9,
        hessian=False,
    ),
    Spec(
        "logm, complex eigenvalues",
        lambda m, x: m.logm(square(x, 2, 1.0) + np.array([[0.0, -1.0], [1.0, 0.0]])),
        lambda x: flat(mpmath.logm(mp_square(x, 2, 1) + mp_const([[0, -1], [1, 0]]))),
        X4,
        hessian=False,  # SciPy's logm is slow on the complex Schur form: "logm 2x2" nests
    ),
]
BY_NAME = {s.name: s for s in SPECS}


# --- the checks ---------------------------------------------------------------------------------
def _flat_out(r: Any) -> Any:
    """A result as one flat vector (a Dual stays a Dual)."""
    return np.ravel(r) if np.ndim(r) else np.reshape(r, (1,))


def _values(r: Any) -> np.ndarray:
    return np.ravel(r.value if isinstance(r, dd.Dual) else r)


@functools.cache
def reference_jacobian(name: str) -> np.ndarray:
    spec = BY_NAME[name]
    return list_jacobian(spec.ref, spec.x0, dps=DPS, h=str(H))


def reference_hessian(spec: Spec, w: np.ndarray) -> np.ndarray:
    """Second central differences (step 1e-9) of the weighted sum of the mpmath outputs."""
    return list_hessian(spec.ref, spec.x0, w, dps=DPS)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_values_match_scipy(spec):
    x = np.array(spec.x0)
    plain = spec.f(sl, x)
    same = spec.f(ddl, x)  # no Dual: SciPy's own result, untouched
    assert type(same) is type(plain)
    np.testing.assert_array_equal(same, plain)
    got = _values(spec.f(ddl, dd.Dual(x, np.zeros_like(x))))
    np.testing.assert_allclose(got, np.ravel(plain), rtol=1e-12, atol=1e-14)
    ref = np.array([float(v) for v in spec.ref([mpf(v) for v in spec.x0])])
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_jvp_against_mpmath(spec):
    """A plain tangent: one direction, J v."""
    ref = reference_jacobian(spec.name)
    v = np.linspace(1.0, -0.6, len(spec.x0))
    _, got = dd.jvp(lambda x: _flat_out(spec.f(ddl, x)), np.array(spec.x0), v)
    np.testing.assert_allclose(np.ravel(got), ref @ v, rtol=1e-9, atol=1e-11, err_msg=spec.name)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
@pytest.mark.parametrize("chunk", [1, 3, None])
def test_jacobian_against_mpmath(spec, chunk):
    """Vector mode: the tangents are Directions (chunk 1: one direction a pass)."""
    ref = reference_jacobian(spec.name)
    got = dd.jacobian(lambda x: _flat_out(spec.f(ddl, x)), np.array(spec.x0), chunk=chunk)
    np.testing.assert_allclose(
        np.reshape(got, ref.shape), ref, rtol=1e-9, atol=1e-11, err_msg=spec.name
    )


@pytest.mark.parametrize("spec", [s for s in SPECS if s.hessian], ids=lambda s: s.name)
def test_hessian_against_mpmath(spec):
    """Nested Duals: the Hessian of a weighted sum of the outputs."""
    x0 = np.array(spec.x0)
    w = np.linspace(1.0, -0.5, np.size(spec.f(sl, x0)))
    got = dd.hessian(lambda x: np.sum(_flat_out(spec.f(ddl, x)) * w), x0)
    ref = reference_hessian(spec, w)
    np.testing.assert_allclose(got, ref, rtol=1e-8, atol=1e-10, err_msg=spec.name)


@pytest.mark.parametrize("name", ["expm 2x2", "expm 3x3"])  # logm shares the code
def test_frechet_direction_by_direction(name, monkeypatch):
    """Where k directions do not share one block (large k·n), each gets its own: the batched
    call in vector mode, one block per direction inside nested Duals."""
    monkeypatch.setattr(ddl, "COMBINED_MAX", 0)
    spec = BY_NAME[name]
    x0 = np.array(spec.x0)
    ref = reference_jacobian(name)
    got = dd.jacobian(lambda x: _flat_out(spec.f(ddl, x)), x0, chunk=3)
    np.testing.assert_allclose(np.reshape(got, ref.shape), ref, rtol=1e-9, atol=1e-11)
    if spec.hessian:
        w = np.linspace(1.0, -0.5, ref.shape[0])
        got = dd.hessian(lambda x: np.sum(_flat_out(spec.f(ddl, x)) * w), x0)
        np.testing.assert_allclose(got, reference_hessian(spec, w), rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("fname", ["expm", "sqrtm", "logm"])
def test_stacked_matrices_match_one_by_one(fname):
    """(..., n, n) stacks, as SciPy takes them: each matrix's derivative as if alone."""
    f = getattr(ddl, fname)
    a = np.stack([np.array([[2.0, 0.3], [-0.2, 1.5]]), np.array([[1.2, 0.5], [0.1, 2.5]])])
    da = np.stack([np.array([[1.0, 0.5], [0.0, -1.0]]), np.array([[0.2, 0.0], [1.0, 0.3]])])
    got = f(dd.Dual(a, da))
    np.testing.assert_allclose(got.value, getattr(sl, fname)(a), rtol=1e-12)
    for i in range(2):
        one = f(dd.Dual(a[i], da[i]))
        np.testing.assert_allclose(got.tangent[i], one.tangent, rtol=1e-12, atol=1e-15)
    jac = dd.jacobian(lambda t: np.ravel(f(a + t[0] * da + t[1] * da[::-1])), [0.0, 0.0], chunk=2)
    np.testing.assert_allclose(jac[:, 0], np.ravel(got.tangent), rtol=1e-12, atol=1e-15)


def test_second_derivative_of_expm_by_nesting_derivatives():
    """d²/dt² expm(tK) = K² expm(tK): two plain levels (derivative of derivative)."""
    k = np.array([[0.0, 1.0, 0.2], [-1.0, 0.0, 0.5], [0.3, -0.4, 0.1]])
    f = dd.derivative(lambda t: ddl.expm(t * k))
    got = f.prime.prime(0.7)
    np.testing.assert_allclose(got, k @ k @ sl.expm(0.7 * k), rtol=1e-12)


def test_lists_of_duals_are_stacked():
    x = dd.Dual(2.0, 1.0)
    r = ddl.solve(np.array([[2.0, 0.0], [0.0, 4.0]]), [x, 3.0 * x])
    np.testing.assert_allclose(r.value, [1.0, 1.5])
    np.testing.assert_allclose(r.tangent, [0.5, 0.75])


# --- refusals -----------------------------------------------------------------------------------
A2 = np.array([[3.0, 1.0], [0.5, 2.0]])


def _dual(a: Any) -> Any:
    return dd.Dual(np.asarray(a, dtype=float), np.ones(np.shape(a)))


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: ddl.sqrtm(_dual(A2), disp=False), r"scipy\.linalg\.sqrtm .*disp"),
        (lambda: ddl.sqrtm(_dual(A2), blocksize=8), r"scipy\.linalg\.sqrtm .*blocksize"),
        (lambda: ddl.logm(_dual(A2), disp=False), r"scipy\.linalg\.logm .*disp"),
        (lambda: ddl.solve(_dual(A2), B3[:2], assume_a="lu"), r"scipy\.linalg\.solve .*assume_a"),
        (lambda: ddl.solve_triangular(_dual(A2), B3[:2], trans="X"), "trans"),
        (lambda: ddl.lu_solve(ddl.lu_factor(_dual(A2)), B3[:2], trans=3), "trans"),
        (lambda: ddl.lu_factor(_dual(np.ones((3, 2)))), "one square matrix"),
        (lambda: ddl.sqrtm(_dual([[-1.0, 0.0], [0.0, 2.0]])), "complex"),
        (lambda: ddl.logm(_dual([[-1.0, 0.2], [0.0, 2.0]])), "no real logarithm"),
    ],
)
def test_unsupported_is_a_clear_type_error(call, match):
    with pytest.raises(TypeError, match=match):
        call()


SINGULAR = np.array([[1.0, 2.0], [2.0, 4.0]])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: ddl.solve(_dual(SINGULAR), B3[:2]), "singular"),
        (lambda: ddl.lu_factor(_dual(SINGULAR)), r"lu_factor on Duals: the matrix is singular"),
        (lambda: ddl.solve_triangular(_dual([[0.0, 1.0], [0.0, 1.0]]), B3[:2]), "singular"),
        (lambda: ddl.solve_banded((1, 1), _dual(np.zeros((3, 3))), B3), "singular"),
        (lambda: ddl.cho_factor(_dual(SINGULAR - np.eye(2))), "positive definite"),
        (lambda: ddl.sqrtm(_dual(SINGULAR)), r"sqrtm on Duals: the matrix is singular"),
        (lambda: ddl.logm(_dual(SINGULAR)), r"logm on Duals: the matrix is singular"),
        (lambda: ddl.solve_sylvester(_dual(A2), -A2, np.eye(2)), "not unique"),
    ],
)
def test_singular_matrices_raise(call, match):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sl.LinAlgWarning)
        with pytest.raises(np.linalg.LinAlgError, match=match):
            call()
