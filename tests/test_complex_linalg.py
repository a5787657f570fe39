"""numpy.linalg on complex Duals against mpmath (mpc) at 40 digits, in all four quadrants.

Each spec maps a real parameter vector x to NumPy linear algebra of complex matrices
A(x) = A_q + Σ x_i E_i (run on Duals by dualdiff; the tangents dA = E_i are complex) and to the
same computation on mpmath ``mpc`` matrices. A_q is diagonally dominant with its diagonal (so its
eigenvalues, determinant, ...) in quadrant q of the complex plane. The references are central
differences of the mpmath version on mpc (step 1e-15 at 40 digits: truncation error ~1e-30), so
they use none of dualdiff's rules. Eigenvectors are normalised as NumPy returns them (LAPACK's
conventions: ``geev``'s unit columns with the entry of largest modulus real, ``heevd``'s first
entry real), the mpmath vectors brought to the same normalisation before differencing.

Modes: scalar tangents (``chunk=1``), vector mode (``Directions``), nested Duals (Hessians of a
real function of the outputs, against second differences on mpc), ``jvp`` with a complex
direction at a complex matrix, and ``f.prime`` at a complex point (holomorphic functions of z).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mpmath as mp
import numpy as np
import pytest

import dualdiff as dd

DPS = 40
H = mp.mpf("1e-15")
N = 3
P = 4  # parameters
RNG = np.random.default_rng(13)
E = RNG.normal(size=(P, N, N)) + 1j * RNG.normal(size=(P, N, N))  # the tangents dA, complex
OFF = 0.3 * (RNG.normal(size=(N, N)) + 1j * RNG.normal(size=(N, N)))
X0 = np.array([0.05, -0.03, 0.02, 0.04])
QUADRANTS = {"q1": 1 + 1j, "q2": -1 + 1j, "q3": -1 - 1j, "q4": 1 - 1j}
B = np.array([1 - 0.5j, -0.3 + 2j, 0.7 + 0.1j])


def base(q: str) -> np.ndarray:
    """Diagonally dominant, its diagonal (distinct magnitudes) in quadrant q."""
    d = QUADRANTS[q] * np.array([1.0, 2.2, 3.7]) * np.array([1, np.exp(0.2j), np.exp(-0.15j)])
    return np.diag(d) + OFF * (1 - np.eye(N))


def a_np(x: Any, q: str) -> Any:
    return base(q) + sum(x[i] * E[i] for i in range(P))


def mpc(z: complex) -> mp.mpc:
    return mp.mpc(z.real, z.imag)


def a_mp(x: Any, q: str) -> Any:
    a0 = base(q)
    return mp.matrix([[mpc(a0[r, c]) + sum(x[i] * mpc(E[i, r, c]) for i in range(P))
                       for c in range(N)] for r in range(N)])  # fmt: skip


def flat(m: Any) -> list[Any]:
    if isinstance(m, mp.matrix):
        return [m[i, j] for i in range(m.rows) for j in range(m.cols)]
    if isinstance(m, (list, tuple)):
        return [e for part in m for e in flat(part)]
    return [m]


def herm_np(x: Any, q: str) -> Any:
    a = a_np(x, q)
    return a + np.conj(np.swapaxes(a, -1, -2))


def herm_mp(x: Any, q: str) -> Any:
    a = a_mp(x, q)
    return a + a.H


def hpd_np(x: Any, q: str) -> Any:
    a = a_np(x, q)
    return a @ np.conj(np.swapaxes(a, -1, -2)) + np.eye(N)


def hpd_mp(x: Any, q: str) -> Any:
    a = a_mp(x, q)
    return a * a.H + mp.eye(N)


def tall_np(x: Any, q: str) -> Any:
    return a_np(x, q)[:, :2]


def tall_mp(x: Any, q: str) -> Any:
    a = a_mp(x, q)
    return mp.matrix([[a[r, c] for c in range(2)] for r in range(N)])


def normalise(vec: Any, like: np.ndarray, rows: list[int]) -> Any:
    """Columns of the mpmath matrix vec at unit length, each turned so that its entry in
    ``rows[j]`` has the phase of NumPy's ``like`` there (NumPy's normalisation, continued)."""
    out = vec.copy()
    for j in range(vec.cols):
        nrm = mp.sqrt(sum(abs(vec[r, j]) ** 2 for r in range(vec.rows)))
        k = rows[j]
        turn = (mpc(like[k, j]) / abs(mpc(like[k, j]))) / (vec[k, j] / abs(vec[k, j]))
        for r in range(vec.rows):
            out[r, j] = vec[r, j] * turn / nrm
    return out


def match(values: list[Any], like: np.ndarray) -> list[int]:
    """For each of NumPy's values, the index of the nearest mpmath value."""
    return [min(range(len(values)), key=lambda i: abs(values[i] - mpc(w))) for w in like]


def eig_ref(q: str) -> Callable[[Any, Any], list[Any]]:
    def ref(x: Any, v: Any) -> list[Any]:
        w, vec = mp.eig(a_mp(x, q))
        w0, v0 = v[:N], v[N:].reshape(N, N)
        order = match(w, w0)
        vec = mp.matrix([[vec[r, i] for i in order] for r in range(N)])
        rows = list(np.argmax(np.abs(v0), axis=0))
        return [w[i] for i in order] + flat(normalise(vec, v0, rows))

    return ref


def eigh_ref(q: str, uplo: str) -> Callable[[Any, Any], list[Any]]:
    def ref(x: Any, v: Any) -> list[Any]:
        w, vec = mp.eighe(herm_mp(x, q))
        order = sorted(range(N), key=lambda i: w[i])
        vec = mp.matrix([[vec[r, i] for i in order] for r in range(N)])
        row = 0 if uplo == "L" else N - 1
        return [w[i] for i in order] + flat(normalise(vec, v[N:].reshape(N, N), [row] * N))

    return ref


@dataclass
class Spec:
    name: str
    f: Callable[[Any, str], Any]  # (x, quadrant) -> NumPy result (Dual, array or tuple)
    ref: Callable[[str], Callable[[Any, Any], list[Any]]]  # quadrant -> (x mpf, value) -> list
    hessian: bool = True


def _sv(a: Any) -> list[Any]:
    return sorted(mp.svd_c(a, compute_uv=False), reverse=True)


def _rhs_np(x: Any) -> Any:
    return B + x[0] * (1j - x[1]) * np.ones(N)


def _rhs_mp(x: Any) -> Any:
    return mp.matrix([mpc(b) + x[0] * (1j - x[1]) for b in B])


def _logabs_np(x: Any, q: str) -> Any:
    return np.linalg.slogdet(a_np(x, q)).logabsdet


SPECS = [
    Spec("solve", lambda x, q: np.linalg.solve(a_np(x, q), _rhs_np(x)),
         lambda q: lambda x, v: flat(mp.lu_solve(a_mp(x, q), _rhs_mp(x)))),
    Spec("solve, constant b", lambda x, q: np.linalg.solve(a_np(x, q), B),
         lambda q: lambda x, v: flat(mp.lu_solve(a_mp(x, q), mp.matrix([mpc(b) for b in B])))),
    Spec("inv", lambda x, q: np.linalg.inv(a_np(x, q)),
         lambda q: lambda x, v: flat(mp.inverse(a_mp(x, q)))),
    Spec("det", lambda x, q: np.linalg.det(a_np(x, q)),
         lambda q: lambda x, v: [mp.det(a_mp(x, q))]),
    Spec("slogdet", lambda x, q: tuple(np.linalg.slogdet(a_np(x, q))),
         lambda q: lambda x, v: (lambda d: [d / abs(d), mp.log(abs(d))])(mp.det(a_mp(x, q)))),
    Spec("eigvals", lambda x, q: np.linalg.eigvals(a_np(x, q)),
         lambda q: lambda x, v: (lambda w: [w[i] for i in match(w, v)])(mp.eig(a_mp(x, q))[0])),
    Spec("eig", lambda x, q: tuple(np.linalg.eig(a_np(x, q))), eig_ref),
    Spec("eigvalsh", lambda x, q: np.linalg.eigvalsh(herm_np(x, q)),
         lambda q: lambda x, v: sorted(mp.eighe(herm_mp(x, q))[0])),
    Spec("eigh", lambda x, q: tuple(np.linalg.eigh(herm_np(x, q))),
         lambda q: eigh_ref(q, "L")),
    Spec("eigh UPLO=U", lambda x, q: tuple(np.linalg.eigh(herm_np(x, q), UPLO="U")),
         lambda q: eigh_ref(q, "U")),
    Spec("cholesky", lambda x, q: np.linalg.cholesky(hpd_np(x, q)),
         lambda q: lambda x, v: flat(mp.cholesky(hpd_mp(x, q)))),
    Spec("pinv", lambda x, q: np.linalg.pinv(tall_np(x, q)),
         lambda q: lambda x, v: flat(mp.inverse(tall_mp(x, q).H * tall_mp(x, q))
                                     * tall_mp(x, q).H)),
    Spec("svd values", lambda x, q: np.linalg.svd(a_np(x, q), compute_uv=False),
         lambda q: lambda x, v: _sv(a_mp(x, q))),
    Spec("cond", lambda x, q: np.linalg.cond(a_np(x, q)),
         lambda q: lambda x, v: (lambda s: [s[0] / s[-1]])(_sv(a_mp(x, q)))),
    Spec("matrix_power -2", lambda x, q: np.linalg.matrix_power(a_np(x, q), -2),
         lambda q: lambda x, v: flat(mp.inverse(a_mp(x, q)) ** 2)),
    Spec("multi_dot", lambda x, q: np.linalg.multi_dot([a_np(x, q), a_np(x, q), B]),
         lambda q: lambda x, v: flat(a_mp(x, q) * a_mp(x, q) * mp.matrix([mpc(b) for b in B]))),
    Spec("eigvals of a real matrix (complex eigenvalues)",
         lambda x, q: np.linalg.eigvals(a_np(x, q).real @ [[0.0, -1, 0], [1, 0, 0], [0, 0, 1]]),
         lambda q: lambda x, v: (lambda w: [w[i] for i in match(w, v)])(
             mp.eig(_re_mp(a_mp(x, q)) * mp.matrix([[0, -1, 0], [1, 0, 0], [0, 0, 1]]))[0])),
]  # fmt: skip


def _re_mp(a: Any) -> Any:
    return mp.matrix([[mp.re(a[r, c]) for c in range(a.cols)] for r in range(a.rows)])


def _mp_vnorm(xs: list[Any], p: Any) -> Any:
    if p == np.inf:
        return max(abs(e) for e in xs)
    return sum(abs(e) ** p for e in xs) ** (mp.mpf(1) / p)


for _p in (None, 1, np.inf, 3):
    SPECS.append(
        Spec(
            f"vector norm ord={_p}",
            lambda x, q, p=_p: np.linalg.norm(np.linalg.solve(a_np(x, q), B), p),
            lambda q, p=_p: (
                lambda x, v: [
                    _mp_vnorm(
                        flat(mp.lu_solve(a_mp(x, q), mp.matrix([mpc(b) for b in B]))),
                        2 if p is None else p,
                    )
                ]
            ),
        )
    )
for _p, _mpn in (
    ("fro", lambda a: mp.sqrt(sum(abs(e) ** 2 for e in flat(a)))),
    ("nuc", lambda a: sum(_sv(a))),
    (2, lambda a: _sv(a)[0]),
    (1, lambda a: max(sum(abs(a[i, j]) for i in range(a.rows)) for j in range(a.cols))),
    (np.inf, lambda a: max(sum(abs(a[i, j]) for j in range(a.cols)) for i in range(a.rows))),
):
    SPECS.append(
        Spec(
            f"matrix norm ord={_p}",
            lambda x, q, p=_p: np.linalg.norm(a_np(x, q), p),
            lambda q, f=_mpn: lambda x, v: [f(a_mp(x, q))],
        )
    )


def out(r: Any) -> Any:
    """A result (Dual, array, tuple of them) as one flat vector (still Duals inside f)."""
    if isinstance(r, tuple):
        return np.concatenate([np.ravel(p) for p in r])
    return np.ravel(r) if np.ndim(r) else np.reshape(r, (1,))


def reference_jacobian(spec: Spec, q: str) -> np.ndarray:
    value = np.asarray(out(spec.f(X0, q)))
    ref = spec.ref(q)
    with mp.workdps(DPS):
        x = [mp.mpf(v) for v in X0]
        cols = []
        for i in range(P):
            up, dn = list(x), list(x)
            up[i] += H
            dn[i] -= H
            cols.append([(a - b) / (2 * H) for a, b in zip(ref(up, value), ref(dn, value),
                                                             strict=True)])  # fmt: skip
        return np.array([[complex(c[r]) for c in cols] for r in range(len(cols[0]))])


CASES = [(s, q) for s in SPECS for q in QUADRANTS]
IDS = [f"{s.name}-{q}" for s, q in CASES]


@pytest.mark.parametrize(("spec", "q"), CASES, ids=IDS)
def test_values_match_numpy(spec, q):
    plain = np.asarray(out(spec.f(X0, q)))
    got = out(spec.f(dd.Dual(X0, np.zeros(P)), q)).value
    np.testing.assert_allclose(got, plain, rtol=1e-14, atol=1e-15)


def max_error(got: np.ndarray, ref: np.ndarray) -> float:
    """The largest error relative to the reference's largest entry in its row."""
    scale = np.maximum(np.max(np.abs(ref), axis=1, keepdims=True), 1e-300)
    return float(np.max(np.abs(got - ref) / scale))


@pytest.mark.parametrize(("spec", "q"), CASES, ids=IDS)
@pytest.mark.parametrize("chunk", [1, None])
def test_jacobian_against_mpmath(spec, q, chunk):
    ref = reference_jacobian(spec, q)
    got = dd.jacobian(lambda x: out(spec.f(x, q)), X0, chunk=chunk)
    got = np.reshape(got, ref.shape)
    assert max_error(got, ref) < 1e-13, (spec.name, q, max_error(got, ref))  # seen: 6e-15


def real_weighted(spec: Spec, q: str) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """g(x) = Σ Re(w_k out_k) + Im(u_k out_k), on Duals and on mpc (a real function)."""
    n = np.asarray(out(spec.f(X0, q))).size
    w = np.linspace(1.0, -0.5, n) + 0.3j
    u = np.linspace(-0.4, 0.8, n) - 0.2j
    value = np.asarray(out(spec.f(X0, q)))

    def g(x):
        o = out(spec.f(x, q))
        return np.sum(np.real(w * o) + np.imag(u * o))

    def gm(xs):
        ys = spec.ref(q)(xs, value)
        return sum(mp.re(mpc(a) * y) + mp.im(mpc(b) * y) for a, b, y in zip(w, u, ys, strict=True))

    return g, gm


@pytest.mark.parametrize(
    ("spec", "q"), [(s, q) for s, q in CASES if s.hessian and q in ("q1", "q3")],
    ids=[i for (s, q), i in zip(CASES, IDS, strict=True) if s.hessian and q in ("q1", "q3")],
)  # fmt: skip
def test_hessian_against_mpmath(spec, q):
    """Nested Duals: the Hessian of a real function of the outputs, against second
    differences on mpc (step 1e-10 at 40 digits: error ~1e-20)."""
    g, gm = real_weighted(spec, q)
    got = dd.hessian(g, X0)
    h = mp.mpf("1e-10")
    with mp.workdps(DPS):
        x = [mp.mpf(v) for v in X0]
        ref = np.zeros((P, P))
        for i in range(P):
            for j in range(i, P):
                acc = mp.mpf(0)
                for si, sj, sign in ((1, 1, 1), (1, -1, -1), (-1, 1, -1), (-1, -1, 1)):
                    xs = list(x)
                    xs[i] += si * h
                    xs[j] += sj * h
                    acc += sign * gm(xs)
                ref[i, j] = ref[j, i] = float(acc / (4 * h * h))
    assert got.dtype == np.float64
    err = np.max(np.abs(got - ref)) / np.max(np.abs(ref))
    assert err < 1e-13, (spec.name, q, err)  # seen: 9e-15


# --- holomorphic functions of a complex z: f.prime(z) ------------------------------------------

HOLO = [
    ("det", lambda a: np.linalg.det(a), lambda a: mp.det(a)),
    ("inv", lambda a: np.sum(np.linalg.inv(a) * [1, 2j, -1]), lambda a: _wsum(mp.inverse(a))),
    ("solve", lambda a: np.sum(np.linalg.solve(a, B) * [1, -1j, 2]),
     lambda a: sum(y * w for y, w in zip(flat(mp.lu_solve(a, mp.matrix([mpc(b) for b in B]))),
                                          (1, -1j, 2), strict=True))),
    ("eigvals", lambda a: np.linalg.eigvals(a)[1], None),
]  # fmt: skip


def _wsum(m: Any) -> Any:
    return sum(m[r, c] * [1, 2j, -1][c] for r in range(m.rows) for c in range(m.cols))


@pytest.mark.parametrize("q", QUADRANTS)
@pytest.mark.parametrize(("name", "fn", "fm"), HOLO, ids=[h[0] for h in HOLO])
def test_prime_at_a_complex_point(name, fn, fm, q):
    """f(z) = F(A_q + z E_0) is holomorphic in z: f.prime(z) is f'(z) (prime checks it)."""
    z = 0.04 * QUADRANTS[q]
    f = dd.derivative(lambda z: fn(base(q) + z * E[0]))
    got = f.prime(z)
    with mp.workdps(DPS):

        def fz(t):
            a = mp.matrix([[mpc(base(q)[r, c]) + t * mpc(E[0, r, c]) for c in range(N)]
                           for r in range(N)])  # fmt: skip
            if fm is not None:
                return fm(a)
            w = mp.eig(a)[0]
            return w[match(w, np.linalg.eigvals(base(q) + z * E[0]))[1]]

        h = mp.mpf("1e-15")
        want = complex((fz(mpc(z) + h) - fz(mpc(z) - h)) / (2 * h))
    assert abs(got - want) < 1e-13 * abs(want)  # seen: 5e-15


def test_jvp_with_a_complex_direction_at_a_complex_matrix():
    a, v = base("q2"), E[1]
    _, t = dd.jvp(np.linalg.inv, a, v)
    with mp.workdps(DPS):
        am, vm = mp.matrix(a.tolist()), mp.matrix(v.tolist())
        ai = mp.inverse(am)
        want = np.array([[complex(e) for e in row] for row in (-(ai * vm * ai)).tolist()])
    assert np.max(np.abs(t - want)) < 1e-14 * np.max(np.abs(want))


def test_batched_complex_matrices():
    a = dd.Dual(np.stack([base(q) for q in QUADRANTS]), np.stack([E[0]] * 4))
    got = np.linalg.det(a)
    for i, q in enumerate(QUADRANTS):
        one = np.linalg.det(dd.Dual(base(q), E[0]))
        assert abs(got.tangent[i] - one.tangent) <= 1e-14 * abs(one.tangent)
    _, v = np.linalg.eig(a)
    _, v1 = np.linalg.eig(dd.Dual(base("q3"), E[0]))
    np.testing.assert_allclose(v.tangent[2], v1.tangent, rtol=1e-12, atol=1e-14)
    _, v = np.linalg.eigh(a + np.conj(np.swapaxes(a, -1, -2)))
    _, v1 = np.linalg.eigh(dd.Dual(herm_np(np.zeros(P), "q4"), E[0] + E[0].conj().T))
    np.testing.assert_allclose(v.tangent[3], v1.tangent, rtol=1e-12, atol=1e-14)


def test_refusals_name_the_function():
    a = dd.Dual(base("q1"), E[0])
    with pytest.raises(TypeError, match=r"numpy.linalg.svd of a complex Dual.*compute_uv=False"):
        np.linalg.svd(a)
    for fn in (np.linalg.qr, lambda m: np.linalg.lstsq(m, B, rcond=None)):
        with pytest.raises(TypeError, match="on complex Duals is not supported"):
            fn(a)
    rep = dd.Dual(np.diag([1 + 1j, 1 + 1j, 2j]), E[0])
    with pytest.raises(ValueError, match="numpy.linalg.eig: the vectors are not differentiable"):
        np.linalg.eig(rep)
    np.linalg.eigvals(rep)  # the values alone are fine
    rot = dd.Dual(np.array([[0.0, -1.0], [1.0, 0.0]]), np.ones((2, 2)))  # vectors (1, ∓i)/√2
    with pytest.raises(ValueError, match="numpy.linalg.eig: an eigenvector has two entries"):
        np.linalg.eig(rot)
    w = np.linalg.eigvals(rot)  # ±i, their tangents i.e. tr(dA)/2 ± i(dA01 - dA10)/2 ...
    assert w.value.dtype == np.complex128
    np.testing.assert_allclose(np.sort_complex(w.tangent), [1, 1], atol=1e-15)
