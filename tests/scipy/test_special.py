"""scipy.special on Duals: SciPy's own ufuncs dispatch to the rows, the Python-level functions
(logsumexp, softmax, log_softmax, zeta, lambertw, polygamma) and the errors.

Every row's derivatives (float, array, mpf, vector mode, Hessians) are checked against mpmath by
tests/test_systematic.py, which generates its cases from the rule table; here are the parts that
are SciPy's: dispatch, wrappers, edges and messages. References are mpmath, never dualdiff.
"""

from __future__ import annotations

import math
import subprocess
import sys

import mpmath
import numpy as np
import pytest
import scipy.special as sc

import dualdiff as dd
import dualdiff.scipy.special as dsc
from dualdiff.dual import UFUNCS, ufunc_name

from ..reference import (
    CONST_ARGS,
    MP_BINARY,
    MP_TERNARY,
    MP_UNARY,
    POINTS,
    close,
    mp_diff,
    row_cases,
)

mpf = mpmath.mpf
SCIPY_UFUNCS = [u for u in UFUNCS if ufunc_name(u).startswith("scipy.special.")]


def _row_of(u):
    impl = UFUNCS[u]
    return next((r for r in dd.RULES.values() if r.fn is impl), None)


@pytest.mark.parametrize("u", SCIPY_UFUNCS, ids=lambda u: u.__name__)
def test_scipy_ufuncs_dispatch_to_their_rows(u):
    """``scipy.special.f(dual)`` gives the row's value and tangent exactly."""
    row = _row_of(u)
    if row is None:  # a wrapper (lambertw's private ufunc): checked in test_wrappers
        assert u.__name__ == "_lambertw"
        return
    for case in row_cases(row):
        pts = POINTS.get(case.label)
        x = pts[1] if pts else tuple(0.7 if 0.7 in d else d.lo + 0.7 for d in case.domains)
        args = list(x) if isinstance(x, tuple) else [x]
        consts = iter(CONST_ARGS.get(row.name, ((),))[0])
        full, free = [], iter(args)
        for i in range(row.arity):
            full.append(next(consts) if i in row.const else dd.Dual(next(free), 1.0))
        got, want = u(*full), row.fn(*full)
        assert got.value == want.value and got.tangent == want.tangent, (u.__name__, x)
        assert close(got.value, u(*(getattr(a, "value", a) for a in full)), 1e-15)
        break


def test_scipy_ufuncs_load_the_rows_by_themselves():
    """A program that never imports dualdiff.scipy still differentiates scipy.special."""
    code = (
        "import sys, scipy.special as sc, dualdiff as dd\n"
        "assert 'dualdiff.scipy.special' not in sys.modules\n"
        "y = sc.gammaln(dd.Dual(3.0, 1.0))\n"
        "print(repr(y.tangent))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert float(out.stdout) == pytest.approx(1.5 - 0.5772156649015329, rel=1e-15)


def test_a_dual_order_is_refused_not_dropped():
    with pytest.raises(TypeError, match=r"jv\(v, x\) has no derivative in v"):
        sc.jv(dd.Dual(1.5, 1.0), 2.0)
    with pytest.raises(TypeError, match=r"polygamma\(n, x\) has no derivative in n"):
        dsc.polygamma(dd.Dual(2.0, 1.0), 1.0)
    with pytest.raises(TypeError, match=r"betainc\(a, b, x\) has no derivative in b"):
        sc.betainc(2.0, dd.Dual(3.0, 1.0), 0.5)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: dsc.gammaln(-2.0), r"gammaln\(x\) is not defined at x = -2.0"),
        (lambda: dsc.erfinv(1.5), r"erfinv\(x\) needs -1 < x < 1, got x = 1.5"),
        (lambda: dsc.beta(dd.Dual(-1.0, 1.0), 2.0), r"beta\(a, b\) is not defined at a = -1.0"),
        (lambda: dsc.logit(mpf(2)), r"logit\(x\) needs 0 < x < 1, got x = 2.0"),
        (lambda: dsc.i0(1000.0), r"i0 overflows a float at 1000.0"),
    ],
)
def test_scalar_errors_name_the_function_and_the_value(call, message):
    with pytest.raises((ValueError, OverflowError), match=message):
        call()


def test_arrays_outside_the_domain_give_nan_like_scipy():
    x = dd.Dual(np.array([0.5, -1.0]), np.ones(2))
    y = sc.loggamma(x)
    assert np.isnan(y.value[1]) and np.isnan(y.tangent[1]) and np.isfinite(y.tangent[0])


def test_scipy_python_functions_point_to_dualdiff():
    """SciPy's Python-level functions call np.asarray: the error names dualdiff's version."""
    x = dd.Dual(2.0, 1.0)
    with pytest.raises(TypeError, match=r"use dualdiff\.scipy\.special\.polygamma"):
        sc.polygamma(1, x)
    with pytest.raises(TypeError, match=r"use dualdiff\.scipy\.special\.logsumexp"):
        sc.logsumexp(dd.Dual(np.ones(2), np.ones(2)))
    assert dsc.polygamma(1, x).tangent == pytest.approx(float(mpmath.psi(2, 2)), rel=1e-14)


def test_wrappers_zeta_lambertw_softplus(mp50):
    z = sc.zeta(dd.Dual(3.0, 1.0))  # SciPy's own zeta: it calls a ufunc, so it dispatches
    assert close(z.tangent, mpmath.zeta(3, 1, 1), 1e-14)
    h = dsc.zeta(dd.Dual(2.5, 1.0), dd.Dual(1.5, 0.0))
    assert close(h.tangent, mpmath.zeta(mpf(2.5), mpf(1.5), 1), 1e-14)
    w = sc.lambertw(dd.Dual(2.0, 1.0))
    ref = mpmath.diff(lambda t: mpmath.lambertw(t).real, mpf(2))
    assert isinstance(w, dd.Dual) and close(w.tangent, ref, 1e-14)
    with pytest.raises(ValueError, match="principal branch"):
        dsc.lambertw(dd.Dual(2.0, 1.0), k=1)
    s = sc.softplus(dd.Dual(0.3, 1.0))  # SciPy's softplus is np.logaddexp(0, x): dispatches
    assert close(s.tangent, 1 / (1 + mpmath.exp(-mpf(0.3))), 1e-15)
    assert dsc.softplus(dd.Dual(0.3, 1.0)).tangent == s.tangent


@pytest.mark.parametrize(
    "fn, a, x, order",
    [
        (lambda x: sc.gammaincc(2.0, x), 2.0, 0.0, 2),
        (lambda x: sc.gammainc(3.5, x), 3.5, 0.0, 2),
        (lambda x: sc.betainc(4.0, 2.0, x), None, 1.0, 2),
        (lambda x: sc.betainc(2.0, 3.0, x), None, 0.0, 2),
    ],
)
def test_incomplete_functions_at_the_ends_every_order(fn, a, x, order, mp50):
    """At x = 0 (and 1) the slope is a power, so f'' is exact there (not 0·inf = 0)."""
    f = dd.derivative(fn)
    got = f.prime.prime(x)
    if a is not None:  # d²/dx² of P(a, x) = x**(a-2) e^-x (a - 1 - x)/Γ(a)
        ref = mpmath.diff(lambda t: mpmath.gammainc(a, 0, t, regularized=True), 1e-30, 2)
        ref = -ref if "gammaincc" in repr(fn.__code__.co_names) else ref
    else:
        ref = mpmath.diff(
            lambda t: mpmath.betainc(
                4 if x == 1 else 2, 2 if x == 1 else 3, 0, t, regularized=True
            ),
            mpf(x) - mpf("1e-30") if x == 1 else mpf("1e-30"),
            2,
        )
    assert close(got, ref, 1e-12, 1e-25), (got, ref)


# --- accuracy where the textbook slope cancels (issue 12) -----------------------------------------


def _partial(fn, orders):
    """d^orders fn (a tuple of orders, one per argument) as a dualdiff Derivative."""
    d = dd.derivative(fn)
    for i, k in enumerate(orders):
        for _ in range(k):
            d = d.partial(i)
    return d


#: (label, dualdiff function, its mpmath reference from tests/reference.py, point, orders, rel):
#: points where the derivative is well conditioned but a formula that cancels lost digits
ACCURACY = [
    # A: psi(a) - psi(a+b) for b << a (5.6e-5 at (1000, 1e-8)); b << a on either side
    ("betaln", dsc.betaln, MP_BINARY["betaln"], (1000.0, 1e-8), (1, 0), 1e-14),
    ("betaln", dsc.betaln, MP_BINARY["betaln"], (1e-8, 1000.0), (0, 1), 1e-14),
    ("betaln", dsc.betaln, MP_BINARY["betaln"], (5000.0, 0.5), (1, 0), 1e-14),
    ("betaln", dsc.betaln, MP_BINARY["betaln"], (5.0, 1e-8), (1, 0), 1e-14),
    ("betaln", dsc.betaln, MP_BINARY["betaln"], (0.3, 1e-6), (1, 0), 1e-14),
    ("betaln", dsc.betaln, MP_BINARY["betaln"], (63.09573445, 1e-8), (2, 0), 1e-14),
    ("betaln", dsc.betaln, MP_BINARY["betaln"], (1e-8, 0.5), (1, 1), 1e-14),
    ("betaln", dsc.betaln, MP_BINARY["betaln"], (1e6, 3.0), (1, 1), 1e-14),
    # beta's slope is beta(a, b) times betaln's: SciPy's beta(1000, 1e-8) itself is off by 4e-13
    ("beta", dsc.beta, MP_BINARY["beta"], (1000.0, 1e-8), (1, 0), 1e-12),
    ("beta", dsc.beta, MP_BINARY["beta"], (5.0, 1e-8), (1, 0), 1e-14),
    ("beta", dsc.beta, MP_BINARY["beta"], (63.09573445, 1e-8), (2, 0), 1e-14),
    ("beta", dsc.beta, MP_BINARY["beta"], (1e-8, 63.09573445), (0, 2), 1e-14),
    # C: the slope in x of P(a, x) at a ~ x large (1.5e-13 at (1000, 1000))
    ("gammainc", dsc.gammainc, MP_BINARY["gammainc"], (1000.0, 1000.0), (0, 1), 2e-15),
    ("gammainc", dsc.gammainc, MP_BINARY["gammainc"], (1000.0, 1000.0), (0, 2), 2e-15),
    ("gammainc", dsc.gammainc, MP_BINARY["gammainc"], (1000.0, 1000.0), (1, 1), 2e-15),
    ("gammainc", dsc.gammainc, MP_BINARY["gammainc"], (5000.0, 4990.0), (0, 1), 2e-15),
    ("gammainc", dsc.gammainc, MP_BINARY["gammainc"], (1e5, 100003.0), (0, 2), 2e-15),
    ("gammaincc", dsc.gammaincc, MP_BINARY["gammaincc"], (1000.0, 1000.0), (0, 1), 2e-15),
    # D: erfcx' = 2x erfcx(x) - 2/sqrt(pi) for x >> 1 (3.3e-11 at x = 1000, f'' 3.3e-5)
    ("erfcx", dsc.erfcx, MP_UNARY["erfcx"], (1000.0,), (1,), 1e-14),
    ("erfcx", dsc.erfcx, MP_UNARY["erfcx"], (1000.0,), (2,), 1e-14),
    ("erfcx", dsc.erfcx, MP_UNARY["erfcx"], (1e5,), (2,), 1e-14),
    ("erfcx", dsc.erfcx, MP_UNARY["erfcx"], (10.0,), (2,), 1e-14),
    ("erfcx", dsc.erfcx, MP_UNARY["erfcx"], (2.75,), (2,), 1e-14),
    ("erfcx", dsc.erfcx, MP_UNARY["erfcx"], (2.75,), (3,), 1e-14),
    # E: log_ndtr' = exp(-x**2/2 - log_ndtr(x))/sqrt(2 pi) for x << -1 (3.4e-11 at -1000)
    ("log_ndtr", dsc.log_ndtr, MP_UNARY["log_ndtr"], (-1000.0,), (1,), 1e-14),
    ("log_ndtr", dsc.log_ndtr, MP_UNARY["log_ndtr"], (-1000.0,), (2,), 1e-14),
    ("log_ndtr", dsc.log_ndtr, MP_UNARY["log_ndtr"], (-38.0,), (1,), 1e-14),
    ("log_ndtr", dsc.log_ndtr, MP_UNARY["log_ndtr"], (-30.0,), (2,), 1e-14),
    # F: exponentially scaled Bessel functions at |x| in the hundreds (2e-13, f'' 1e-10)
    ("i0e", dsc.i0e, MP_UNARY["i0e"], (-610.5402297,), (1,), 1e-14),
    ("i0e", dsc.i0e, MP_UNARY["i0e"], (-610.5402297,), (2,), 1e-14),
    ("i1e", dsc.i1e, MP_UNARY["i1e"], (-610.5402297,), (1,), 1e-14),
    ("i1e", dsc.i1e, MP_UNARY["i1e"], (-610.5402297,), (2,), 1e-14),
    ("i1e", dsc.i1e, MP_UNARY["i1e"], (30.0,), (2,), 1e-14),
    (
        "ive",
        lambda x: dsc.ive(0.5, x),
        lambda x: MP_BINARY["ive"](0.5, x),
        (610.5402297,),
        (1,),
        1e-14,
    ),
    (
        "ive",
        lambda x: dsc.ive(2, x),
        lambda x: MP_BINARY["ive"](2, x),
        (-610.5402297,),
        (1,),
        1e-14,
    ),
    (
        "ive",
        lambda x: dsc.ive(2, x),
        lambda x: MP_BINARY["ive"](2, x),
        (-610.5402297,),
        (2,),
        1e-14,
    ),
    ("ive", lambda x: dsc.ive(3, x), lambda x: MP_BINARY["ive"](3, x), (-1e4,), (2,), 1e-14),
    (
        "kve",
        lambda x: dsc.kve(0.5, x),
        lambda x: MP_BINARY["kve"](0.5, x),
        (784.7599704,),
        (1,),
        1e-14,
    ),
    ("kve", lambda x: dsc.kve(0.5, x), lambda x: MP_BINARY["kve"](0.5, x), (1000.0,), (2,), 1e-14),
    ("kve", lambda x: dsc.kve(2, x), lambda x: MP_BINARY["kve"](2, x), (599.4842503,), (2,), 1e-14),
    ("kve", lambda x: dsc.kve(7.5, x), lambda x: MP_BINARY["kve"](7.5, x), (40.0,), (2,), 1e-14),
    # H: boxcox's slope in lmbda at lmbda = 0 is ln(x)**2/2, its second ln(x)**3/3
    ("boxcox", dsc.boxcox, MP_BINARY["boxcox"], (2.0, 0.0), (0, 1), 1e-15),
    ("boxcox", dsc.boxcox, MP_BINARY["boxcox"], (2.0, 0.0), (0, 2), 1e-15),
]


@pytest.mark.parametrize(
    "label, fn, ref, x, orders, rel", ACCURACY, ids=lambda v: v if isinstance(v, str) else None
)
def test_derivatives_where_the_textbook_slope_cancels(label, fn, ref, x, orders, rel):
    """Against mpmath.diff at 50 digits of tests/reference.py's independent functions."""
    want = mp_diff(ref, x, orders, dps=50)
    got = _partial(fn, orders)(*x)
    assert close(got, want, rel), (label, x, orders, got, mpmath.nstr(want, 20))


def test_boxcox_reference_at_lmbda_zero(mp50):
    """The reference itself: d/dlmbda (x**lmbda - 1)/lmbda at 0 is ln(x)**2/2 (and the second
    ln(x)**3/3); (x**h - 1)/h at mpmath.diff's steps h ~ 1e-53 cancelled to 1e-6."""
    lx = mpmath.log(2)
    assert close(mp_diff(MP_BINARY["boxcox"], (2.0, 0.0), (0, 1)), lx**2 / 2, 1e-40)
    assert close(mp_diff(MP_BINARY["boxcox"], (2.0, 0.0), (0, 2)), lx**3 / 3, 1e-40)


@pytest.mark.parametrize("k, s, q", [(0, 20.0, 1000.0), (1, 20.0, 1000.0), (0, 19.2, 1000.0)])
def test_zeta_deriv_where_mpmath_misses_at_30_digits(k, s, q):
    """zeta(20, 1000) = 5e-59: mpmath's zeta at 30 (and 50) digits is off by 1e-10 there."""
    with mpmath.workdps(120):
        want = mpmath.zeta(s, q, derivative=k)
    assert close(dsc.zeta_deriv(k, s, q), want, 1e-15)
    d = dsc.zeta_deriv(k, dd.Dual(s, 1.0), q)  # the slope in s is the next derivative
    with mpmath.workdps(120):
        assert close(d.tangent, mpmath.zeta(s, q, derivative=k + 1), 1e-15)
    with mpmath.workdps(50):
        got = dsc.zeta_deriv(k, mpf(s), mpf(q))
        assert isinstance(got, mpf) and close(got, want, mpf("1e-45"))


@pytest.mark.parametrize("k", [0, 1])
@pytest.mark.parametrize("s", [1e-3, -1e-3, 1e-8])
def test_zeta_deriv_slope_in_q_near_the_pole_of_the_shifted_zeta(k, s):
    """d/dq zeta^(k)(s, q) = -s zeta^(k)(s+1, q) - k zeta^(k-1)(s+1, q): s + 1 rounded in floats
    (and, for k = 1, the two terms' poles cancelling) lost 1.4e-10 at s = 1e-3, all at 1e-8."""
    q = 1.7
    got = _partial(lambda q_: dsc.zeta_deriv(k, s, q_), (1,))(q)
    want = mp_diff(lambda q_: MP_TERNARY["zeta_deriv"](k, mpf(s), q_), q, 1, dps=60)
    assert close(got, want, 1e-15), (got, want)


def test_riemann_zeta_slope_at_large_negative_s():
    """By the reflection formula: zeta'(-1000) overflows a float (in milliseconds, not 44 s);
    zeta'(-100.5) and zeta''(-60) against mpmath at 60 digits."""
    f = dd.derivative(dsc.riemann_zeta)
    with mpmath.workdps(60):
        huge = mpmath.diff(
            lambda t: (
                2**t
                * mpmath.pi ** (t - 1)
                * mpmath.sinpi(t / 2)
                * mpmath.gamma(1 - t)
                * mpmath.zeta(1 - t)
            ),
            mpf(-1000),
        )  # 1.3e1769
    assert f.prime(-1000.0) == math.copysign(math.inf, huge)
    with mpmath.workdps(60):
        want1 = mpmath.zeta(mpf(-100.5), 1, 1)
        want2 = mpmath.zeta(mpf(-60), 1, 2)
    assert close(f.prime(-100.5), want1, 1e-15)
    assert close(f.prime.prime(-60.0), want2, 1e-14)


# --- logsumexp, softmax, log_softmax# --- logsumexp, softmax, log_softmax --------------------------------------------------------------

A = np.array([[0.3, -1.2, 2.0], [1.1, 0.4, -0.7]])
B = np.array([[1.0, 0.5, 2.0], [0.25, 1.5, 1.0]])


def _mp_lse(a, b, axis):
    b = np.vectorize(mpf, otypes=[object])(b)
    e = np.vectorize(mpmath.exp, otypes=[object])(a) * b
    s = e.sum() if axis is None else e.sum(axis=axis)
    return np.vectorize(mpmath.log, otypes=[object])(np.asarray(s, dtype=object))


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("with_b", [False, True])
def test_logsumexp_against_mpmath(axis, with_b, mp50):
    b = B if with_b else np.ones_like(A)
    kw = {"b": B} if with_b else {}
    want_value = sc.logsumexp(A, axis=axis, **kw)
    jac = dd.jacobian(lambda x: dsc.logsumexp(x.reshape(A.shape), axis=axis, **kw), A.ravel())
    h = mpf("1e-20")
    am = np.vectorize(mpf, otypes=[object])(A)
    for k in range(A.size):
        e = np.zeros(A.size, dtype=object)
        e[k] = h
        up = _mp_lse(am + e.reshape(A.shape), b, axis)
        dn = _mp_lse(am - e.reshape(A.shape), b, axis)
        ref = (np.asarray(up, dtype=object) - np.asarray(dn, dtype=object)) / (2 * h)
        col = np.asarray(jac)[..., k] if np.ndim(jac) > 1 else np.asarray(jac)[k]
        for g, r in zip(np.ravel(col), np.ravel(ref), strict=True):
            assert close(g, r, 1e-14, 1e-16)
    value = dsc.logsumexp(dd.Dual(A, np.zeros_like(A)), axis=axis, **kw).value
    np.testing.assert_allclose(value, want_value, rtol=1e-15)


def test_logsumexp_options_and_b_as_a_dual():
    x = dd.Dual(A, np.ones_like(A))
    r = dsc.logsumexp(x, axis=1, keepdims=True)
    assert r.value.shape == (2, 1) == sc.logsumexp(A, axis=1, keepdims=True).shape
    # d/dt logsumexp(a, b = B + t) = Σ exp(a) / Σ B exp(a)
    bt = dsc.logsumexp(A, b=dd.Dual(B, np.ones_like(B)))
    assert bt.tangent == pytest.approx(np.exp(A).sum() / (B * np.exp(A)).sum(), rel=1e-14)
    neg = np.array([1.0, -2.0])
    v, s = dsc.logsumexp(dd.Dual(np.zeros(2), np.ones(2)), b=neg, return_sign=True)
    wv, ws = sc.logsumexp(np.zeros(2), b=neg, return_sign=True)
    assert v.value == pytest.approx(wv) and s == ws and v.tangent == pytest.approx(1.0)
    with pytest.raises(ValueError, match="return_sign=True"):
        dsc.logsumexp(dd.Dual(np.zeros(2), np.ones(2)), b=neg)
    assert dsc.logsumexp(A) == sc.logsumexp(A)  # no Dual: SciPy's own


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_softmax_and_log_softmax(axis):
    """Values equal SciPy's; Jacobians are diag(p) - p pᵀ (softmax) and I - 1 pᵀ (log)."""
    p = sc.softmax(A, axis=axis)
    J = dd.jacobian(lambda x: dsc.softmax(x.reshape(A.shape), axis=axis).ravel(), A.ravel())
    L = dd.jacobian(lambda x: dsc.log_softmax(x.reshape(A.shape), axis=axis).ravel(), A.ravel())
    group = np.zeros(A.shape, dtype=int) if axis is None else np.indices(A.shape)[1 - axis]
    g = group.ravel()
    same = g[:, None] == g[None, :]
    pr = p.ravel()
    np.testing.assert_allclose(J, same * (np.diag(pr) - np.outer(pr, pr)), rtol=1e-14, atol=1e-16)
    np.testing.assert_allclose(L, same * (np.eye(A.size) - pr[None, :]), rtol=1e-14, atol=1e-16)
    np.testing.assert_allclose(dsc.softmax(dd.Dual(A, 0 * A), axis=axis).value, p, rtol=1e-15)
    H = dd.hessian(lambda x: dsc.logsumexp(x), A.ravel())  # ∇² lse = diag(p) - p pᵀ
    q = sc.softmax(A.ravel())
    np.testing.assert_allclose(H, np.diag(q) - np.outer(q, q), rtol=1e-13, atol=1e-16)
