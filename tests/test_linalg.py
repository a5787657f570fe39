"""numpy.linalg on Duals against mpmath: every function, plain and vector mode, and Hessians.

Each spec maps a parameter vector x to NumPy linear algebra (run on Duals by dualdiff) and to
the same computation in mpmath at 40 digits. The reference derivatives are central differences
of the mpmath version on mpf (step 1e-12: truncation error ~1e-24), so they use none of
dualdiff's rules. Vectors that are unique only up to sign (eigenvectors, singular vectors, Q of
QR) are aligned with NumPy's choice at x before differencing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np
import pytest

import dualdiff as dd

mpf = mpmath.mpf
DPS = 40
H = mpf("1e-12")


def mpm(rows: Any) -> Any:
    return mpmath.matrix([[mpf(v) for v in r] for r in rows])


def flat(m: Any) -> list[Any]:
    if isinstance(m, mpmath.matrix):
        return [m[i, j] for i in range(m.rows) for j in range(m.cols)]
    if isinstance(m, (list, tuple)):
        return [e for part in m for e in flat(part)]
    return [m]


def square(x: Any, n: int, shift: float = 3.0) -> Any:
    """An n×n matrix from the first n² entries of x, made well conditioned by shift·I."""
    return np.reshape(x[: n * n], (n, n)) + shift * np.eye(n)


def mp_square(x: Any, n: int, shift: float = 3.0) -> Any:
    a = mpmath.matrix(n, n)
    for i in range(n):
        for j in range(n):
            a[i, j] = x[i * n + j] + (shift if i == j else 0)
    return a


def mp_tall(x: Any, m: int, n: int) -> Any:
    a = mpmath.matrix(m, n)
    for i in range(m):
        for j in range(n):
            a[i, j] = x[i * n + j] + (2 if i == j else 0)
    return a


def tall(x: Any, m: int, n: int) -> Any:
    return np.reshape(x[: m * n], (m, n)) + 2 * np.eye(m, n)


def mp_sym(x: Any, n: int) -> Any:
    a = mp_square(x, n, 0)
    return a.T * a + mpmath.eye(n) * 2


def sym(x: Any, n: int) -> Any:
    a = square(x, n, 0)
    return a.T @ a + 2 * np.eye(n)


def align_columns(m: Any, like: np.ndarray) -> Any:
    """Flip the sign of each column of the mpmath matrix m to agree with NumPy's ``like``."""
    out = m.copy()
    for j in range(m.cols):
        s = sum(m[i, j] * like[i, j] for i in range(m.rows))
        if s < 0:
            for i in range(m.rows):
                out[i, j] = -m[i, j]
    return out


def mp_eigsy(a: Any) -> tuple[Any, Any]:
    w, v = mpmath.eigsy(a)
    order = sorted(range(len(w)), key=lambda i: w[i])
    return [w[i] for i in order], mpmath.matrix([[v[r, i] for i in order] for r in range(v.rows)])


def mp_svd(a: Any) -> tuple[Any, Any, Any]:
    u, s, v = mpmath.svd_r(a, full_matrices=False)  # v is Vᵀ
    order = sorted(range(len(s)), key=lambda i: -s[i])
    u = mpmath.matrix([[u[r, i] for i in order] for r in range(u.rows)])
    vt = mpmath.matrix([[v[i, c] for c in range(v.cols)] for i in order])
    return u, [s[i] for i in order], vt


@dataclass
class Spec:
    name: str
    f: Callable[[Any], Any]  # x (a Dual array) -> NumPy result, flattened by the test
    ref: Callable[[Any, Any], list[Any]]  # (x as mpf list, NumPy value at x0) -> flat mpf list
    x0: tuple[float, ...]
    hessian: bool = True


X4 = (0.3, -0.2, 0.5, 0.1)
X6 = (0.3, -0.2, 0.5, 0.1, 0.7, -0.4)
X9 = (0.3, -0.2, 0.5, 0.1, 0.7, -0.4, 0.2, 0.6, -0.1)
B2 = np.array([1.0, -2.0])


def _out(r: Any) -> np.ndarray:
    """A result (Dual, array, tuple of them) as one flat vector of values."""
    if isinstance(r, tuple):
        return np.concatenate([_out(p) for p in r])
    return np.ravel(r)


def _solve_columns(a, b):
    cols = [mpmath.lu_solve(a, b.column(j)) for j in range(b.cols)]
    return [cols[j][i] for i in range(b.rows) for j in range(b.cols)]


def _solve_ref(x, v):
    a = mp_square(x, 2)
    return flat(mpmath.lu_solve(a, mpmath.matrix([x[4], x[5]])))


def _eigh_ref(x, v):
    w, vec = mp_eigsy(mp_sym(x, 3))
    return w + flat(align_columns(vec, v[3:].reshape(3, 3)))


def _eig_ref(x, v):
    a = mp_square(x, 3) + mpmath.diag([0, 2, 4])
    w, vec = mpmath.eig(a)
    w = [mpmath.re(e) for e in w]
    order = sorted(range(3), key=lambda i: w[i])
    vec = mpmath.matrix([[mpmath.re(vec[r, i]) for i in order] for r in range(3)])
    for j in range(3):  # unit columns, as NumPy returns them
        nrm = mpmath.sqrt(sum(vec[r, j] ** 2 for r in range(3)))
        for r in range(3):
            vec[r, j] /= nrm
    w = [w[i] for i in order]
    np_order = np.argsort(v[:3])
    like = v[3:].reshape(3, 3)[:, np_order]
    return w + flat(align_columns(vec, like))


def _sorted_eig(a):
    w, v = np.linalg.eig(a)
    order = np.argsort(w.value if isinstance(w, dd.Dual) else w)
    return w[order], v[:, order]


def _svd_ref(m, n):
    def ref(x, v):
        u, s, vt = mp_svd(mp_tall(x, m, n))
        k = min(m, n)
        nu = m * k
        u = align_columns(u, v[:nu].reshape(m, k))
        vt_like = v[nu + k :].reshape(k, n).T
        vt = align_columns(vt.T, vt_like).T
        return flat(u) + s + flat(vt)

    return ref


def _qr_ref(x, v):
    a = mp_tall(x, 3, 2)
    q, r = mpmath.qr(a, mode="skinny")
    like_q = v[:6].reshape(3, 2)
    q2 = align_columns(q, like_q)
    r2 = r.copy()
    for i in range(2):
        if q2[0, i] != q[0, i] or q2[1, i] != q[1, i]:
            for j in range(2):
                r2[i, j] = -r[i, j]
    return flat(q2) + flat(r2)


def _mp_norm_vec(x, p):
    if p == np.inf:
        return max(abs(e) for e in x)
    if p == -np.inf:
        return min(abs(e) for e in x)
    return sum(abs(e) ** p for e in x) ** (mpf(1) / p)


def _mp_sv(a):
    return sorted(mpmath.svd_r(a, compute_uv=False), reverse=True)


SPECS = [
    Spec("solve", lambda x: np.linalg.solve(square(x, 2), x[4:6]), _solve_ref, X6),
    Spec(
        "solve, constant b",
        lambda x: np.linalg.solve(square(x, 2), B2),
        lambda x, v: flat(mpmath.lu_solve(mp_square(x, 2), mpmath.matrix([1, -2]))),
        X4,
    ),
    Spec(
        "solve, constant A",
        lambda x: np.linalg.solve(np.array([[3.0, 1.0], [0.5, 2.0]]), x * x),
        lambda x, v: flat(
            mpmath.lu_solve(mpm([[3, 1], [0.5, 2]]), mpmath.matrix([e * e for e in x]))
        ),
        (0.3, -0.7),
    ),
    Spec(
        "solve, matrix b",
        lambda x: np.linalg.solve(square(x, 2), np.reshape(x, (2, 2)) * 2.0),
        lambda x, v: _solve_columns(mp_square(x, 2), mp_square(x, 2, 0) * 2),
        X4,
    ),
    Spec(
        "inv",
        lambda x: np.linalg.inv(square(x, 3)),
        lambda x, v: flat(mpmath.inverse(mp_square(x, 3))),
        X9,
    ),
    Spec(
        "det", lambda x: np.linalg.det(square(x, 3)), lambda x, v: [mpmath.det(mp_square(x, 3))], X9
    ),
    Spec(
        "slogdet",
        lambda x: np.linalg.slogdet(square(x, 3, -0.5)).logabsdet,
        lambda x, v: [mpmath.log(abs(mpmath.det(mp_square(x, 3, -0.5))))],
        X9,
    ),
    Spec(
        "cholesky",
        lambda x: np.linalg.cholesky(sym(x, 3)),
        lambda x, v: flat(mpmath.cholesky(mp_sym(x, 3))),
        X9,
    ),
    Spec(
        "eigvalsh",
        lambda x: np.linalg.eigvalsh(sym(x, 3)),
        lambda x, v: mp_eigsy(mp_sym(x, 3))[0],
        X9,
    ),
    Spec("eigh", lambda x: tuple(np.linalg.eigh(sym(x, 3))), _eigh_ref, X9),
    Spec(
        "eigvals (real)",
        lambda x: np.sort(np.linalg.eigvals(square(x, 3) + np.diag([0.0, 2.0, 4.0]))),
        lambda x, v: _eig_ref(x, np.concatenate([v, np.eye(3).ravel()]))[:3],
        X9,
        hessian=False,
    ),
    Spec(
        "eig (real, distinct)",
        lambda x: _sorted_eig(square(x, 3) + np.diag([0.0, 2.0, 4.0])),
        _eig_ref,
        X9,
        hessian=False,
    ),
    Spec(
        "svd values",
        lambda x: np.linalg.svd(tall(x, 3, 2), compute_uv=False),
        lambda x, v: _mp_sv(mp_tall(x, 3, 2)),
        X6,
    ),
    Spec(
        "svd square",
        lambda x: tuple(np.linalg.svd(tall(x, 2, 2))),
        _svd_ref(2, 2),
        X4,
        hessian=False,
    ),
    Spec(
        "svd tall",
        lambda x: tuple(np.linalg.svd(tall(x, 3, 2), full_matrices=False)),
        _svd_ref(3, 2),
        X6,
        hessian=False,
    ),
    Spec(
        "svd wide",
        lambda x: tuple(np.linalg.svd(np.swapaxes(tall(x, 3, 2), 0, 1), full_matrices=False)),
        lambda x, v: _svd_wide_ref(x, v),
        X6,
        hessian=False,
    ),
    Spec("qr", lambda x: tuple(np.linalg.qr(tall(x, 3, 2))), _qr_ref, X6, hessian=False),
    Spec(
        "lstsq",
        lambda x: np.linalg.lstsq(tall(x, 3, 2), np.array([1.0, 0.5, -1.0]) + x[:3], rcond=None)[0],
        lambda x, v: _lstsq_ref(x),
        X6,
    ),
    Spec(
        "pinv",
        lambda x: np.linalg.pinv(tall(x, 3, 2)),
        lambda x, v: _pinv_ref(x),
        X6,
    ),
    Spec(
        "matrix_power 3",
        lambda x: np.linalg.matrix_power(square(x, 2), 3),
        lambda x, v: flat(mp_square(x, 2) ** 3),
        X4,
    ),
    Spec(
        "matrix_power -2",
        lambda x: np.linalg.matrix_power(square(x, 2), -2),
        lambda x, v: flat(mpmath.inverse(mp_square(x, 2)) ** 2),
        X4,
    ),
    Spec(
        "multi_dot",
        lambda x: np.linalg.multi_dot([square(x, 2), np.reshape(x, (2, 2)), x[:2]]),
        lambda x, v: flat(mp_square(x, 2) * mp_square(x, 2, 0) * mpmath.matrix([x[0], x[1]])),
        X4,
    ),
    Spec(
        "cond",
        lambda x: np.linalg.cond(square(x, 2)),
        lambda x, v: [(lambda s: s[0] / s[-1])(_mp_sv(mp_square(x, 2)))],
        X4,
    ),
    Spec(
        "cond fro",
        lambda x: np.linalg.cond(square(x, 2), "fro"),
        lambda x, v: [
            mpmath.mnorm(mp_square(x, 2), "f") * mpmath.mnorm(mpmath.inverse(mp_square(x, 2)), "f")
        ],
        X4,
    ),
]
for _p in (None, 1, 2, np.inf, -np.inf, 3, 0.5):
    SPECS.append(
        Spec(
            f"vector norm ord={_p}",
            lambda x, p=_p: np.linalg.norm(x * (1 + x), p),
            lambda x, v, p=_p: [_mp_norm_vec([e * (1 + e) for e in x], 2 if p is None else p)],
            (0.3, -0.7, 1.2),
        )
    )
for _p, _mp in (
    (None, lambda a: mpmath.mnorm(a, "f")),
    ("fro", lambda a: mpmath.mnorm(a, "f")),
    ("nuc", lambda a: sum(_mp_sv(a))),
    (1, lambda a: mpmath.mnorm(a, 1)),
    (-1, lambda a: min(sum(abs(a[i, j]) for i in range(a.rows)) for j in range(a.cols))),
    (np.inf, lambda a: mpmath.mnorm(a, mpmath.inf)),
    (-np.inf, lambda a: min(sum(abs(a[i, j]) for j in range(a.cols)) for i in range(a.rows))),
    (2, lambda a: _mp_sv(a)[0]),
    (-2, lambda a: _mp_sv(a)[-1]),
):
    SPECS.append(
        Spec(
            f"matrix norm ord={_p}",
            lambda x, p=_p: np.linalg.norm(tall(x, 3, 2), p),
            lambda x, v, f=_mp: [f(mp_tall(x, 3, 2))],
            X6,
            hessian=_p not in (1, -1, np.inf, -np.inf),  # kinks of abs/max at these points? no
        )
    )


def _svd_wide_ref(x, v):
    a = mp_tall(x, 3, 2).T
    u, s, vt = mp_svd(a)
    u = align_columns(u, v[:4].reshape(2, 2))
    vt = align_columns(vt.T, v[6:].reshape(2, 3).T).T
    return flat(u) + s + flat(vt)


def _lstsq_ref(x):
    a = mp_tall(x, 3, 2)
    b = mpmath.matrix([mpf(1) + x[0], mpf("0.5") + x[1], mpf(-1) + x[2]])
    return flat(mpmath.lu_solve(a.T * a, a.T * b))


def _pinv_ref(x):
    a = mp_tall(x, 3, 2)
    return flat(mpmath.inverse(a.T * a) * a.T)


def reference_jacobian(spec: Spec) -> np.ndarray:
    value = _out(spec.f(np.array(spec.x0)))
    with mpmath.workdps(DPS):
        x = [mpf(v) for v in spec.x0]
        cols = []
        for i in range(len(x)):
            up, dn = list(x), list(x)
            up[i] += H
            dn[i] -= H
            fu, fd = spec.ref(up, value), spec.ref(dn, value)
            cols.append([(a - b) / (2 * H) for a, b in zip(fu, fd, strict=True)])
        return np.array([[float(c[r]) for c in cols] for r in range(len(cols[0]))])


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_values_match_numpy(spec):
    x = np.array(spec.x0)
    plain = _out(spec.f(x))
    dual = spec.f(dd.Dual(x, np.zeros_like(x)))
    got = (
        _out(tuple(p.value if isinstance(p, dd.Dual) else p for p in dual))
        if isinstance(dual, tuple)
        else np.ravel(dual.value)
    )
    np.testing.assert_allclose(got, plain, rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
@pytest.mark.parametrize("chunk", [1, None])
def test_jacobian_against_mpmath(spec, chunk):
    ref = reference_jacobian(spec)
    got = dd.jacobian(lambda x: _stack_out(spec.f(x)), np.array(spec.x0), chunk=chunk)
    got = np.reshape(got, ref.shape)
    np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-11, err_msg=spec.name)


def _stack_out(r: Any) -> Any:
    if isinstance(r, tuple):
        return np.concatenate([np.ravel(p) for p in r])
    return np.ravel(r) if np.ndim(r) else r


@pytest.mark.parametrize("spec", [s for s in SPECS if s.hessian], ids=lambda s: s.name)
def test_hessian_against_mpmath(spec):
    """Nested Duals: the Hessian of a weighted sum of the outputs, against second differences."""
    x0 = np.array(spec.x0)
    value = _out(spec.f(x0))
    w = np.linspace(1.0, -0.5, value.size)
    got = dd.hessian(lambda x: np.sum(_stack_out(spec.f(x)) * w), x0)
    h = mpf("1e-9")
    n = len(x0)
    with mpmath.workdps(DPS):
        wm = [mpf(e) for e in w]

        def g(xs):
            return sum(a * b for a, b in zip(wm, spec.ref(xs, value), strict=True))

        x = [mpf(v) for v in x0]
        ref = np.zeros((n, n))
        for i in range(n):
            for j in range(n):
                acc = mpf(0)
                for si, sj, sign in ((1, 1, 1), (1, -1, -1), (-1, 1, -1), (-1, -1, 1)):
                    xs = list(x)
                    xs[i] += si * h
                    xs[j] += sj * h
                    acc += sign * g(xs)
                ref[i, j] = float(acc / (4 * h * h))
    np.testing.assert_allclose(got, ref, rtol=1e-8, atol=1e-10, err_msg=spec.name)


def test_batched_matrices():
    a = dd.Dual(np.stack([np.eye(2) * 2.0, [[3.0, 1.0], [1.0, 2.0]]]), np.ones((2, 2, 2)))
    got = np.linalg.inv(a)
    for i in range(2):
        one = np.linalg.inv(dd.Dual(a.value[i], np.ones((2, 2))))
        np.testing.assert_allclose(got.tangent[i], one.tangent, rtol=1e-15)
    d = np.linalg.det(a)
    assert d.shape == (2,)


def test_refusals_are_clear():
    w = dd.Dual(np.array([[0.0, -1.0], [1.0, 0.0]]), np.ones((2, 2)))  # rotation: complex
    with pytest.raises(ValueError, match="two entries of equal largest modulus"):
        np.linalg.eig(w)  # vectors (1, ∓i)/√2: NumPy's phase jumps (tests/test_complex_linalg.py)
    with pytest.raises(ValueError, match="not differentiable where two values coincide"):
        np.linalg.eigh(dd.Dual(np.eye(2), np.ones((2, 2))))
    with pytest.raises(TypeError, match="full_matrices=False"):
        np.linalg.svd(dd.Dual(np.ones((3, 2)) + np.eye(3, 2), np.ones((3, 2))))
    with pytest.raises(ValueError, match="full column rank"):
        np.linalg.lstsq(dd.Dual(np.ones((3, 2)), np.ones((3, 2))), np.ones(3), rcond=None)
    assert np.linalg.matrix_rank(dd.Dual(np.eye(3), np.ones((3, 3)))) == 3


def test_gaussian_log_likelihood_with_slogdet_and_solve():
    """log N(y; 0, Σ(θ)) with Σ = θ0² K + θ1² I: the gradient against mpmath differences."""
    t = np.linspace(0.0, 1.0, 4)
    k = np.exp(-((t[:, None] - t[None, :]) ** 2))
    y = np.array([0.3, -0.1, 0.4, 0.2])

    def loglik(theta):
        s = theta[0] ** 2 * k + theta[1] ** 2 * np.eye(4)
        return -0.5 * (np.linalg.slogdet(s).logabsdet + y @ np.linalg.solve(s, y))

    theta = np.array([0.8, 0.5])
    got = dd.gradient(loglik, theta)
    with mpmath.workdps(DPS):
        km = mpmath.matrix([[mpmath.exp(-((mpf(a) - mpf(b)) ** 2)) for b in t] for a in t])
        ym = mpmath.matrix([mpf(v) for v in y])

        def ref(th):
            s = km * th[0] ** 2 + mpmath.eye(4) * th[1] ** 2
            quad = (ym.T * mpmath.lu_solve(s, ym))[0]
            return -(mpmath.log(mpmath.det(s)) + quad) / 2

        expect = [
            (ref([mpf(theta[0]) + H, mpf(theta[1])]) - ref([mpf(theta[0]) - H, mpf(theta[1])]))
            / (2 * H),
            (ref([mpf(theta[0]), mpf(theta[1]) + H]) - ref([mpf(theta[0]), mpf(theta[1]) - H]))
            / (2 * H),
        ]
    np.testing.assert_allclose(got, [float(e) for e in expect], rtol=1e-11)
