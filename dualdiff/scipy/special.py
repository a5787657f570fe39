"""``scipy.special`` on Duals: the rows of the rule table for SciPy's special functions.

Each row is one line, as in :mod:`dualdiff.table`: the float evaluation (SciPy's ufunc, or
``math`` where it has the function), the derivative written with dualdiff's own functions (so
every order works: f'' of ``gammaln`` is ``polygamma(1, x)``, then ``polygamma(2, x)``...), the
NumPy evaluation (SciPy's ufunc itself), mpmath's evaluation for ``mpf`` and the domain.
Importing this module links SciPy's ufuncs to the rows, so ``scipy.special.gammaln(dual)``
just works; a SciPy ufunc meeting a Dual imports it by itself.

Arguments without a derivative (the order ``v`` of ``jv``, ``n`` of ``polygamma``) are declared ``const``: a Dual there raises a ``TypeError`` instead of
losing its tangent. Functions SciPy defines in Python on top of ``np.asarray`` (``polygamma``,
``zeta``, ``lambertw``, ``logsumexp``, ``softmax``, ``log_softmax``) are here under the same
names and signatures.

>>> import scipy.special as sc, dualdiff as dd
>>> y = sc.gammaln(dd.Dual(3.0, 1.0))            # ln Γ(3) = ln 2, d/dx = ψ(3) = 3/2 - γ
>>> round(y.value, 15), round(y.tangent, 15)
(0.693147180559945, 0.922784335098467)
>>> f = dd.derivative(lambda x: sc.erf(x))
>>> round(f.prime.prime(1.0), 15)                # -4x/√π exp(-x²)
-0.830214994841189
"""

from __future__ import annotations

import builtins
import functools
import math
import threading
from collections.abc import Callable
from typing import Any

import mpmath as mp
import numpy as np
import scipy.special as _sc
from scipy.special import _ufuncs

from .. import dual as _dual
from ..conventions import per_block
from ..kinds import base_value, is_lazy, is_mpf, is_single
from ..rules import Domain, register
from ..table import cbrt, exp, exp2, expit, expm1, ln, log1p, sign, sqrt

__all__ = [
    "beta",
    "betainc",
    "betaln",
    "boxcox",
    "digamma",
    "entr",
    "erf",
    "erfc",
    "erfcinv",
    "erfcx",
    "erfinv",
    "exp1",
    "expi",
    "expit",
    "expn",
    "gamma",
    "gammainc",
    "gammainc_derivative",
    "gammaincc",
    "gammaln",
    "hurwitz_zeta",
    "i0",
    "i0e",
    "i1",
    "i1e",
    "inv_boxcox",
    "iv",
    "ive",
    "j0",
    "j1",
    "jv",
    "kl_div",
    "kv",
    "kve",
    "lambertw",
    "log_expit",
    "log_ndtr",
    "log_softmax",
    "loggamma",
    "logit",
    "logsumexp",
    "ndtr",
    "ndtri",
    "polygamma",
    "psi",
    "rel_entr",
    "riemann_zeta",
    "softmax",
    "softplus",
    "xlog1py",
    "xlogy",
    "y0",
    "y1",
    "yv",
    "zeta",
    "zeta_deriv",
]  # fmt: skip

_MOD = "dualdiff.scipy.special"
_LOCAL = threading.local()


def _mp30() -> Any:
    """This thread's private mpmath context at 30 digits, for float results computed in mpmath.
    mpmath's functions change their context's precision while they work, so no context is
    shared between threads (dask runs rows in threads), and the global ``mpmath.mp`` is left
    to the user."""
    ctx = getattr(_LOCAL, "ctx", None)
    if ctx is None:
        ctx = _LOCAL.ctx = mp.MPContext()
        ctx.dps = 30
    return ctx


_INF = math.inf
ANY = Domain()
POS = Domain(0.0, closed_lo=False)
NONNEG = Domain(0.0)
UNIT = Domain(0.0, 1.0, False, False)


def _scalar(
    u: Callable[..., Any], *domains: Domain, poles: Callable[[float], bool] | None = None
) -> Callable[..., float]:
    """A SciPy ufunc as a float function that raises as ``math`` does: ValueError outside the
    domain, at a pole or where SciPy answers NaN, OverflowError where it answers ±inf at finite
    points inside the domain. (SciPy's, not ``math``'s: floats and arrays give the same bits.)"""

    def f(*xs: float) -> float:
        for x, d in zip(xs, domains, strict=False):
            if x not in d and x == x:
                raise ValueError
        if poles is not None and poles(xs[-1]):
            raise ValueError
        y = float(u(*xs))
        if y - y != 0 and all(x - x == 0 for x in xs):
            if y != y:
                raise ValueError
            if not any(x in (d.lo, d.hi) for x, d in zip(xs, domains, strict=False)):
                raise OverflowError  # an infinite value at a domain's edge is the value there
        return y

    f.__name__ = getattr(u, "__name__", "f")
    return f


def _nonpositive_integer(x: float) -> bool:
    return x <= 0 and x == math.floor(x)


def _c(x: Any, value: Callable[[Any], Any]) -> Any:
    """A constant at the precision of x: ``value(mp)`` in mpf work, else from this thread's
    30-digit mpmath context (:func:`_mp30`) rounded to a float."""
    return value(mp) if is_mpf(x) else float(value(_mp30()))


def _two_over_sqrtpi(x: Any) -> Any:
    return _c(x, lambda m: 2 / m.sqrt(m.pi))


def _mp(f: Callable[..., Any]) -> Callable[..., Any]:
    """An mpmath evaluator whose first argument is an integer (an order)."""
    return lambda n, *xs: f(int(n), *xs)


def _pick(cond: Any, a: Callable[[], Any], b: Callable[[], Any]) -> Any:
    """``a()`` where ``cond``, else ``b()``: scalars take one branch, arrays both, masked."""
    if is_single(base_value(cond)) or isinstance(cond, bool | np.bool_):
        return a() if cond else b()
    with np.errstate(all="ignore"):
        return np.where(cond, a(), b())


# --- evaluators that SciPy does not give as a real ufunc ------------------------------------------


def _lambertw_numpy(x: Any) -> Any:
    """The principal branch for real x >= -1/e, real; NaN below (SciPy would go complex)."""
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        w = _sc.lambertw(x).real
    return np.where(x < -math.exp(-1.0), np.nan, w)


def _lambertw_math(x: float) -> float:
    if x < -math.exp(-1.0) - 1e-17:
        raise ValueError
    return float(_lambertw_numpy(x))


def _mp_ctx(dps: int) -> Any:
    """This thread's private mpmath context at ``dps`` digits (as :func:`_mp30`)."""
    ctxs = getattr(_LOCAL, "ctxs", None)
    if ctxs is None:
        ctxs = _LOCAL.ctxs = {}
    ctx = ctxs.get(dps)
    if ctx is None:
        ctx = ctxs[dps] = mp.MPContext()
        ctx.dps = dps
    return ctx


def _zeta_checked(k: int, s: Any, q: Any, dps: int) -> Any:
    """ζ^(k)(s, q) to ``dps`` digits, checked: mpmath's zeta with derivatives can miss its
    target where the value is tiny (at 30 digits ζ(20, 1000) = 5e-59 is off by 1e-10, and at 50
    digits still by 6e-11), so it is evaluated at dps + 10 and dps + 20 digits and the precision
    doubled until two successive values agree to 10^-dps. Riemann's ζ at s < -1 is taken
    from the reflection formula 2^s π^(s-1) sin(πs/2) Γ(1-s) ζ(1-s) (mpmath's own takes 44 s
    for ζ'(-1000))."""

    def at(d: int) -> Any:
        ctx = _mp_ctx(d)
        if q == 1 and s < -1:
            f = lambda t: (
                (ctx.power(2, t) * ctx.power(ctx.pi, t - 1) * ctx.sinpi(t / 2) * ctx.gamma(1 - t))
                * ctx.zeta(1 - t)
            )
            return f(ctx.mpf(s)) if k == 0 else ctx.diff(f, ctx.mpf(s), k)
        return ctx.zeta(s, q, derivative=k)

    prev = at(dps + 10)
    d = dps + 20
    for _ in range(6):
        v = at(d)
        ctx = _mp_ctx(d)
        if v == prev or ctx.almosteq(v, prev, ctx.mpf(10) ** -dps, ctx.mpf(0)):
            return v
        prev, d = v, 2 * d
    raise ValueError(f"zeta_deriv({k}, {s}, {q}): mpmath's values did not settle by {d} digits")


def _mp_zeta_deriv(k: Any, s: Any, q: Any) -> Any:
    return +mp.mpf(_zeta_checked(int(k), s, q, mp.mp.dps))


def _zeta_deriv_math(k: float, s: float, q: float) -> float:
    if k != int(k) or k < 0 or q <= 0 or s == 1:
        raise ValueError
    return float(_zeta_checked(int(k), s, q, 20))


def _boxcox_series(u: Any, n: int) -> Any:
    """Σ_{j>=0} u^j (j+1)/(j+2)! to n terms (d/dλ of boxcox, over ln(x)², near λ ln x = 0)."""
    one = mp.mpf(1) if is_mpf(u) else 1.0
    c = [one * (j + 1) / math.factorial(j + 2) for j in range(n)]
    acc = c[-1]
    for cj in reversed(c[:-1]):
        acc = acc * u + cj
    return acc


def _boxcox_dlambda(x: Any, lmbda: Any, y: Any) -> Any:
    """d/dλ (x^λ - 1)/λ = (λ ln x·x^λ - (x^λ - 1))/λ², which cancels near λ ln x = 0: there
    ln(x)²·Σ u^j (j+1)/(j+2)!, u = λ ln x, summed to the working precision."""
    lx = ln(x)
    u = lmbda * lx
    n = int(mp.mp.dps * 0.6) + 8 if is_mpf(u) else 18
    small = builtins.abs(base_value(u)) < 0.5 if is_single(base_value(u)) else None
    if small is None:
        small = np.abs(base_value(u)) < 0.5
    return _pick(
        small,
        lambda: lx * lx * _boxcox_series(u, n),
        lambda: (u * exp(u) - (exp(u) - 1)) / (lmbda * lmbda + (lmbda == 0)),
    )


def _inv_boxcox_slopes(y: Any, lmbda: Any, x: Any) -> tuple[Any, Any]:
    """x = (1 + λy)^(1/λ) = exp(L), L = log1p(λy)/λ: dx/dy = x/(1 + λy); dx/dλ = x·dL/dλ with
    dL/dλ = y/(λ(1+λy)) - L/λ, which cancels near λy = 0: there Σ_{n>=1} (-1)^n n λ^(n-1)
    y^(n+1)/(n+1) = y²·Σ_{n>=1} (-1)^n n t^(n-1)/(n+1), t = λy."""
    t = lmbda * y
    dy = x / (1 + t)
    n = int(mp.mp.dps * 1.2) + 10 if is_mpf(t) else 40
    tb = base_value(t)
    small = builtins.abs(tb) < 0.25 if is_single(tb) else np.abs(tb) < 0.25

    def series() -> Any:
        one = mp.mpf(1) if is_mpf(t) else 1.0
        c = [one * (-1) ** j * j / (j + 1) for j in range(1, n)]
        acc = c[-1]
        for cj in reversed(c[:-1]):
            acc = acc * t + cj
        return y * y * acc

    safe = lmbda + (lmbda == 0)
    dl = _pick(small, series, lambda: y / (safe * (1 + t)) - log1p(t) / (safe * safe))
    return dy, x * dl


def _expn_slope(n: Any, x: Any, y: Any) -> tuple[None, Any]:
    """E_n' = -E_(n-1) for n >= 1; E_0 = exp(-x)/x, so E_0' = -exp(-x)(x + 1)/x²."""
    return None, _pick(n >= 1, lambda: -expn(n - 1, x), lambda: -exp(-x) * (x + 1) / (x * x))


def _zeta_dq_float(k: int, s: float, q: float) -> float:
    """d/dq ζ^(k)(s, q) = -s ζ^(k)(s+1, q) - k ζ^(k-1)(s+1, q) for float s and q, in mpmath
    with s + 1 formed exactly: in floats its rounding is a relative error 1e-16/|s| of the pole
    distance, and for k >= 1 the two terms' poles (1/s each) cancel too (1.4e-10 at s = 1e-3).
    Evaluated at two precisions (the terms' digits lost to the cancellation added) until they
    agree to 1e-20."""
    lost = (k + 1) * max(0, -math.floor(math.log10(builtins.abs(s)))) if s != 0 else 0
    prev, d = None, 30 + lost
    for _ in range(6):
        ctx = _mp_ctx(d)
        t = ctx.mpf(s) + 1
        v = -s * ctx.zeta(t, q, derivative=k)
        if k >= 1:
            v -= k * ctx.zeta(t, q, derivative=k - 1)
        if prev is not None and (v == prev or ctx.almosteq(v, prev, ctx.mpf(10) ** -20, 0)):
            return float(v)
        prev, d = v, d + 15 if prev is None else 2 * d
    raise ValueError(f"zeta_deriv: d/dq at ({k}, {s}, {q}) did not settle by {d} digits")


def _zeta_deriv_slopes(k: Any, s: Any, q: Any, y: Any) -> tuple[None, Any, Any]:
    """d/ds ζ^(k)(s, q) = ζ^(k+1); d/dq = -s ζ^(k)(s+1, q) - k ζ^(k-1)(s+1, q), in mpmath with
    s + 1 exact where s and q are plain floats (the first derivative: :func:`_zeta_dq_float`);
    at higher orders (s a Dual) by the formula, which near s = 0 loses ~1e-16/|s|^(k+1)."""
    plain = all(type(v) in (float, int) or isinstance(v, np.floating | np.integer) for v in (s, q))
    if plain and s != -1 and math.isfinite(s) and q > 0:
        return None, zeta_deriv(k + 1, s, q), _zeta_dq_float(int(k), float(s), float(q))
    dq = -s * zeta_deriv(k, s + 1, q)
    if k >= 1:
        dq = dq - k * zeta_deriv(k - 1, s + 1, q)
    return None, zeta_deriv(k + 1, s, q), dq


def _p_mixed(ctx: Any, m: int, n: int, a: Any, x: Any) -> Any:
    """d^m/da^m d^n/dx^n P(a, x) in the mpmath context ``ctx`` (by its numerical diff, which
    works at a higher precision than its result)."""
    p = ctx.gammainc(a, 0, x, regularized=True)
    if m == 0 and n == 0:
        return p
    if p <= 0.5:  # differentiate the smaller of P and Q = 1 - P: the other's slope is lost in 1
        return ctx.diff(lambda a_, x_: ctx.gammainc(a_, 0, x_, regularized=True), (a, x), (m, n))
    return -ctx.diff(lambda a_, x_: ctx.gammainc(a_, x_, ctx.inf, regularized=True), (a, x), (m, n))


def _gammainc_derivative_math(m: float, n: float, a: float, x: float) -> float:
    if m != int(m) or n != int(n) or m < 0 or n < 0 or not (a > 0 and x >= 0):
        raise ValueError
    if x == 0:  # P(a, 0) = 0 for every a; across x = 0 (n >= 1) it has no two-sided slope
        if n == 0:
            return 0.0
        raise ValueError
    return float(_p_mixed(_mp30(), int(m), int(n), a, x))


def _mp_gammainc_derivative(m: Any, n: Any, a: Any, x: Any) -> Any:
    if x == 0 and n == 0:
        return mp.mpf(0)
    return _p_mixed(mp, int(m), int(n), a, x)


def _gammainc_derivative_slopes(m: Any, n: Any, a: Any, x: Any, y: Any) -> tuple[Any, ...]:
    return None, None, gammainc_derivative(m + 1, n, a, x), gammainc_derivative(m, n + 1, a, x)


#: B_2k/(2k(2k-1)), k = 1..8: ln Γ(a) = (a - 1/2) ln a - a + ln √(2π) + Σ c_k a^(1-2k), to
#: ~1e-18 at a >= 10
_STIRLING = (1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156,
             -3617 / 122400)  # fmt: skip
_STIRLING_FROM = 10.0


def _log1pmx_series(u: Any) -> Any:
    """log1p(u) - u = Σ_{n>=2} (-1)^(n+1) u^n/n for |u| < 0.1 (to 1e-18): no cancellation in
    the value nor in its slopes (-u/(1+u), ...), which log1p(u) - u would have."""
    acc = 0.0 * u
    for n in range(19, 1, -1):
        acc = (acc + (-1) ** (n + 1) / n) * u
    return acc * u


def _blockwise(outputs: int = 1) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A slope that picks its form by the values, applied block by block to dask arrays, so that
    they stay lazy and get the numbers the same arrays get in NumPy (each form is chosen entry by
    entry); ``outputs`` slopes in a tuple: one lazy array each. Other arguments (Duals of dask
    arrays too: the closed forms, :func:`_floats`) as they are."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        def blocks(*args: Any) -> Any:
            if not any(is_lazy(a) for a in args):
                return fn(*args)
            if outputs == 1:
                parts = [per_block(fn, *args)]
            else:
                parts = [per_block(lambda *xs, i=i: fn(*xs)[i], *args) for i in range(outputs)]
            if any(p is None for p in parts):  # shapes that do not map block by block
                return fn(*args)
            return parts[0] if outputs == 1 else tuple(parts)

        return functools.wraps(fn)(blocks)

    return wrap


def _gammainc_stirling(a: Any, x: Any) -> Any:
    """x**(a-1) exp(-x)/Γ(a) for a >= 10 with Γ(a) split as Stirling's √(2π/a) (a/e)^a
    exp(μ(a)): √(a/2π) exp(a (log1p(u) - u) - μ(a) - ln x), u = (x - a)/a. The exponent is
    small where the slope is not, so it carries no absolute error of the size of a ln x (the
    direct (a-1) ln x - x - ln Γ(a) loses ~1e-13 at a = x = 1000); x - a is exact near a."""
    u = (x - a) / a
    ub = _elementwise(u)
    ia = 1 / a
    ia2 = ia * ia
    mu = 0.0 * ia
    for c in reversed(_STIRLING):
        mu = mu * ia2 + c
    mu = mu * ia
    lx = ln(x)
    d = _pick(
        builtins.abs(ub) < 0.1 if is_single(ub) else np.abs(ub) < 0.1,
        lambda: _log1pmx_series(u),
        lambda: _pick(ub >= -0.5, lambda: log1p(u) - u, lambda: (lx - ln(a)) - u),
    )
    return exp(a * d - mu - lx) * sqrt(a / _c(a, lambda m: 2 * m.pi))


@_blockwise()
def _gammainc_slope(a: Any, x: Any) -> Any:
    """x**(a-1) exp(-x)/Γ(a): as one exponential inside (no overflow of x**(a-1) for large a),
    as a power at x = 0, where the power rule gives every order exactly (inf, 1 or 0); for
    a >= 10 in floats with Stirling's form of Γ(a) (:func:`_gammainc_stirling`)."""

    def inside() -> Any:
        direct = lambda: exp(xlogy(a - 1, x) - x - gammaln(a))
        if not _floats(a, x):
            return direct()
        return _pick(_elementwise(a) >= _STIRLING_FROM, lambda: _gammainc_stirling(a, x), direct)

    return _pick(x == 0, lambda: x ** (a - 1) * exp(-x - gammaln(a)), inside)


def _betainc_slope(a: Any, b: Any, x: Any) -> Any:
    """x**(a-1) (1-x)**(b-1)/B(a, b), as an exponential inside and as powers at x = 0 and 1."""
    return _pick(
        (x == 0) | (x == 1),
        lambda: x ** (a - 1) * (1 - x) ** (b - 1) * exp(-betaln(a, b)),
        lambda: exp(xlogy(a - 1, x) + xlog1py(b - 1, -x) - betaln(a, b)),
    )


def _xlogy_slopes(x: Any, y: Any, z: Any) -> tuple[Any, Any]:
    """(ln y, x/y), with d/dy = 0 where x = 0 (x ln y is 0 for every y there)."""
    return ln(y), _pick(x == 0, lambda: 0.0 * y, lambda: x / y)


def _xlog1py_slopes(x: Any, y: Any, z: Any) -> tuple[Any, Any]:
    return log1p(y), _pick(x == 0, lambda: 0.0 * y, lambda: x / (1 + y))


def _floats(*xs: Any) -> bool:
    """Whether the arguments compute in floats, eagerly (not mpmath, not dask): the series and
    asymptotic forms below are truncated for doubles, so mpf work keeps the closed forms (at its
    precision); they also pick terms by the values, which a lazy array would have to compute,
    so dask arrays keep the closed forms too (they stay lazy)."""
    return not any(is_mpf(x) or is_lazy(base_value(x)) for x in xs)


def _elementwise(x: Any) -> Any:
    """The innermost value of x as a float or a float array (for choosing terms and branches)."""
    b = base_value(x)
    return float(b) if is_single(b) else np.asarray(b, dtype=np.float64)


#: B_2k/(2k), k = 1..9: ψ(x) ~ ln x - 1/(2x) - Σ B_2k/(2k x^2k), to ~1e-18 at x >= 10
_PSI_TAIL = (1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132, -691 / 32760, 1 / 12, -3617 / 8160,
             43867 / 14364)  # fmt: skip
_PSI_SHIFT = 10.0


def _digamma_rise(x: Any, h: Any) -> Any:
    """ψ(x + h) - ψ(x) for x, h > 0 without the cancellation of the two digammas (h << x):
    shifted up by m to x + m >= 10, ψ(x+h) - ψ(x) = Σ_{j<m} h/((x+j)(x+j+h)) + ψ(x+m+h) -
    ψ(x+m), and the latter from the asymptotic series as log1p(t) + t/(2z(1+t)) +
    Σ B_2k/(2k) z^-2k (1 - (1+t)^-2k), z = x + m, t = h/z: every term of one sign or small,
    and x + h is never formed. The terms are written so that their own slopes (f'' of betaln)
    do not cancel either: h/((x+j)(x+j+h)) as 1/((x+j)(1 + (x+j)/h)). mpf work takes the
    digammas' difference."""
    if not _floats(x, h):
        return digamma(x + h) - digamma(x)
    xb = _elementwise(x)
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(xb) & (xb > 0)
        m = np.where(ok, np.ceil(np.clip(_PSI_SHIFT - np.where(ok, xb, 0.0), 0.0, None)), 0.0)
    if is_single(xb):
        m = float(m)
    acc = 0.0 * h
    for j in range(int(np.max(m))):
        xj = x + j
        term = 1 / (xj * (1 + xj / h))  # h/((x+j)(x+j+h)), whose slopes in h do not cancel
        acc = acc + (term if is_single(m) else term * (m > j).astype(np.float64))
    z = x + m
    t = h / z
    lt = log1p(t)
    z2 = 1 / (z * z)
    tail = 0.0 * t
    for k in range(len(_PSI_TAIL), 0, -1):  # Horner in z^-2 of c_k z^-2k (1 - (1+t)^-2k)
        tail = (tail + _PSI_TAIL[k - 1] * -expm1(-2 * k * lt)) * z2
    return acc + lt + 1 / (2 * z * (1 + z / h)) + tail


@_blockwise(outputs=2)
def _betaln_slopes(a: Any, b: Any) -> tuple[Any, Any]:
    """(ψ(a) - ψ(a+b), ψ(b) - ψ(a+b)), each without cancellation (:func:`_digamma_rise`)."""
    return -_digamma_rise(a, b), -_digamma_rise(b, a)


@_blockwise(outputs=2)
def _beta_slopes(a: Any, b: Any, y: Any) -> tuple[Any, Any]:
    da, db = _betaln_slopes(a, b)
    return y * da, y * db


_ERFCX_CF_FROM = 2.5


@_blockwise()
def _erfcx_slope(x: Any, y: Any) -> Any:
    """erfcx'(x) = 2x erfcx(x) - 2/√π, which cancels for large x (1e-10 at x = 1000, and f''
    from it 1e-5): there, in floats, -2/√π K/(x + K) with √π erfcx(x) = 1/(x + K), K the
    continued fraction (1/2)/(x + 1/(x + (3/2)/(x + ...))), evaluated from a fixed depth (64
    levels reach 1e-16 in f', f'' and f''' at x = 2.5; every entry takes all 64): a rational
    function of x with positive terms, so its own slopes (f'', f''') do not cancel either."""
    direct = lambda: 2 * x * y - _two_over_sqrtpi(x)
    if not _floats(x):
        return direct()
    xb = _elementwise(x)
    with np.errstate(invalid="ignore"):
        far = xb >= _ERFCX_CF_FROM
    if not np.any(far):
        return direct()

    def fraction() -> Any:  # the same depth for every entry: its numbers do not depend on others
        t = 0.0 * x
        for k in range(64, 0, -1):
            t = (k / 2) / (x + t)
        return -_two_over_sqrtpi(x) * t / (x + t)

    return _pick(far, fraction, direct)


def _log_ndtr_slope(x: Any, y: Any) -> Any:
    """φ(x)/Φ(x): exp(-x²/2 - log_ndtr(x))/√(2π) for x >= 0, and √(2/π)/erfcx(-x/√2) for
    x < 0, where the exponent's two terms cancel (-x²/2 - log_ndtr(x) is ln|x| + ... at
    x = -1000, from two numbers of 5e5); erfcx's own slope keeps f'' accurate."""
    upper = lambda: exp(-x * x / 2 - y) / _SQRT2PI(x)
    lower = lambda: _c(x, lambda m: m.sqrt(2 / m.pi)) / erfcx(-x * _c(x, lambda m: 1 / m.sqrt(2)))
    return _pick(x >= 0, upper, lower)


_BESSEL_TERMS = 60


def _bessel_asymptotic_terms(v: Any, s: Any) -> tuple[Any, list[Any]]:
    """Where Hankel's expansion in 1/s of e^-s I_v(s) and e^s K_v(s) (coefficients a_k(v) =
    Π_{j<=k} (4v² - (2j-1)²)/(k! 8^k)) gives their slopes and the slopes' own next
    derivatives to ~1e-16 within _BESSEL_TERMS terms (the term, times (k + 1/2)(k + 3/2)(k +
    5/2), under 1e-15 of the first's), before the terms grow (s >~ 22 at small v): that mask,
    and the coefficients to the last term needed there."""
    with np.errstate(all="ignore"):
        s = np.abs(np.asarray(s, dtype=np.float64))
        v2 = 4.0 * np.asarray(v, dtype=np.float64) ** 2 + 0.0 * s
        s = s + 0.0 * v2
        coeffs = [np.ones_like(s)]
        ok = np.zeros(s.shape, dtype=bool)
        diverged = ~np.isfinite(s) | ~np.isfinite(v2) | (s < 10.0)
        prev = np.full(s.shape, np.inf)
        last = 0
        upto = np.zeros(s.shape, dtype=int)  # each entry's own last term
        for k in range(1, _BESSEL_TERMS + 1):
            coeffs.append(coeffs[-1] * (v2 - (2 * k - 1) ** 2) / (8 * k))
            term = np.abs(coeffs[-1]) / s**k
            t = term * (k + 0.5) * (k + 1.5) * (k + 2.5)
            diverged |= ~ok & (term > prev)
            newly = ~ok & ~diverged & (t <= 1e-15 * 0.5 * 1.5 * 2.5)
            if newly.any():
                last = k
                upto = np.where(newly, k, upto)
            ok |= newly
            prev = term
            if (ok | diverged).all():
                break
    # an entry sums its own terms only, so its number does not depend on the other entries
    return ok, [np.where(ok & (k <= upto), c, 0.0) for k, c in enumerate(coeffs[: last + 1])]


def _bessel_asymptotic_slope(v: Any, x: Any, fallback: Callable[[], Any], k_kind: bool) -> Any:
    """The slope of ive(v, x) (or, ``k_kind``, kve(v, x)) from Hankel's expansion where it
    converges (:func:`_bessel_asymptotic_terms`): (2π)^-1/2 d/ds s^-1/2 Σ (-1)^k a_k s^-k (for
    kve (π/2)^1/2 and no alternation) = -s^-3/2 Σ (±1)^k a_k (k + 1/2) s^-k, at s = |x| with
    the sign of the parity of I_v for x < 0 (integer v). The recurrence's form
    (ive(v-1) + ive(v+1))/2 - ive(v) cancels to ~x ulps (x² in f''); this does not, and
    its slopes are the expansion's own. ``fallback`` elsewhere, and in mpf work."""
    if not _floats(x, v):
        return fallback()
    xb = _elementwise(x)
    ok, coeffs = _bessel_asymptotic_terms(v, xb)
    with np.errstate(invalid="ignore"):
        vb = np.asarray(v, dtype=np.float64) + 0.0 * xb
        integer = vb == np.round(vb)
        ok = ok & ((xb > 0) | (integer & ~np.asarray(k_kind)))
        if not k_kind:  # e^-s I_v(s) has a term ~e^-2s beyond the expansion (exact, v = 1/2)
            ok = ok & (np.abs(xb) >= 24.0)
    if not ok.any():
        return fallback()

    def expansion() -> Any:
        s = abs(x)
        r = 1 / s
        acc = 0.0 * r
        for k in range(len(coeffs) - 1, -1, -1):
            c = coeffs[k] * (k + 0.5) * (1.0 if k_kind or k % 2 == 0 else -1.0)
            c = np.where(ok, c, 0.0) if np.ndim(c) else float(c)
            acc = acc * r + c
        const = math.sqrt(math.pi / 2) if k_kind else 1 / math.sqrt(2 * math.pi)
        with np.errstate(invalid="ignore"):
            sigma = np.where(xb > 0, 1.0, -np.cos(np.pi * vb))  # I_v(-s) = (-1)^v I_v(s)
        sigma = float(sigma) if is_single(xb) else sigma
        return -const * sigma * acc * r / sqrt(s)

    return _pick(ok if not is_single(xb) else bool(ok), expansion, fallback)


@_blockwise()
def _ive_slope(v: Any, x: Any, y: Any) -> Any:
    old = lambda: (ive(v - 1, x) + ive(v + 1, x)) / 2 - sign(x) * y
    return _bessel_asymptotic_slope(v, x, old, False)


@_blockwise()
def _kve_slope(v: Any, x: Any, y: Any) -> Any:
    old = lambda: y - (kve(v - 1, x) + kve(v + 1, x)) / 2
    return _bessel_asymptotic_slope(v, x, old, True)


@_blockwise()
def _i0e_slope(x: Any, y: Any) -> Any:
    return _bessel_asymptotic_slope(0.0, x, lambda: i1e(x) - sign(x) * y, False)


@_blockwise()
def _i1e_slope(x: Any, y: Any) -> Any:  # I1' = (I0 + I2)/2, and d/dx exp(-|x|) = -sign(x)...
    old = lambda: (i0e(x) + ive(2, x)) / 2 - sign(x) * y
    return _bessel_asymptotic_slope(1.0, x, old, False)


def _mp_ndtri(p: Any) -> Any:
    return mp.sqrt(2) * mp.erfinv(2 * p - 1)


def _mp_lambertw(x: Any) -> Any:
    return mp.re(mp.lambertw(x))


def _mp_boxcox(x: Any, lmbda: Any) -> Any:
    return mp.log(x) if lmbda == 0 else mp.expm1(lmbda * mp.log(x)) / lmbda


def _mp_inv_boxcox(y: Any, lmbda: Any) -> Any:
    return mp.exp(y) if lmbda == 0 else mp.exp(mp.log1p(lmbda * y) / lmbda)


def _mp_xlogy(x: Any, y: Any) -> Any:
    return mp.mpf(0) if x == 0 else x * mp.log(y)


def _mp_xlog1py(x: Any, y: Any) -> Any:
    return mp.mpf(0) if x == 0 else x * mp.log1p(y)


def _mp_entr(x: Any) -> Any:
    return mp.mpf(0) if x == 0 else -x * mp.log(x)


def _mp_gammaln(x: Any) -> Any:
    return mp.log(abs(mp.gamma(x)))


_u = _ufuncs
_SQRT2PI = lambda x: _c(x, lambda m: m.sqrt(2 * m.pi))
_SQRTPI_2 = lambda x: _c(x, lambda m: m.sqrt(m.pi) / 2)
_INV_E = Domain(-math.exp(-1.0))

# --- the table: name, float evaluation, derivative, NumPy and mpmath evaluation, domain -----------
# fmt: off
gamma     = register("gamma",     _scalar(_sc.gamma, poles=_nonpositive_integer),   lambda x, y: y * digamma(x), numpy=_sc.gamma, mpmath=mp.gamma, formula="gamma(x) digamma(x)", module=_MOD)
gammaln   = register("gammaln",   _scalar(_sc.gammaln, poles=_nonpositive_integer),  lambda x, y: digamma(x), numpy=_sc.gammaln, mpmath=_mp_gammaln, formula="digamma(x) (ln|gamma(x)|)", module=_MOD)
loggamma  = register("loggamma",  _scalar(_sc.loggamma, POS), lambda x, y: digamma(x), numpy=_sc.loggamma, mpmath=mp.loggamma, formula="digamma(x)", domain=POS, module=_MOD)
digamma   = register("digamma",   _scalar(_sc.digamma, poles=_nonpositive_integer), lambda x, y: polygamma(1, x), numpy=_sc.digamma, mpmath=mp.digamma, formula="polygamma(1, x)", aliases=("psi",), module=_MOD)
polygamma = register("polygamma", _scalar(_sc.polygamma, NONNEG, ANY, poles=_nonpositive_integer), lambda n, x, y: (None, polygamma(n + 1, x)), numpy=_sc.polygamma, mpmath=_mp(mp.psi), formula="polygamma(n+1, x)", domain=(NONNEG, ANY), const=(0,), module=_MOD)
beta      = register("beta",      _scalar(_sc.beta, POS, POS), _beta_slopes, numpy=_sc.beta, mpmath=mp.beta, formula="beta(a, b) (digamma(a) - digamma(a+b), digamma(b) - digamma(a+b))", domain=(POS, POS), module=_MOD)
betaln    = register("betaln",    _scalar(_sc.betaln, POS, POS), lambda a, b, y: _betaln_slopes(a, b), numpy=_sc.betaln, mpmath=lambda a, b: mp.log(mp.beta(a, b)), formula="(digamma(a) - digamma(a+b), digamma(b) - digamma(a+b))", domain=(POS, POS), module=_MOD)
gammainc  = register("gammainc",  _scalar(_sc.gammainc, POS, NONNEG), lambda a, x, y: (lambda: gammainc_derivative(1, 0, a, x), _gammainc_slope(a, x)), numpy=_sc.gammainc, mpmath=lambda a, x: mp.gammainc(a, 0, x, regularized=True), formula="(gammainc_derivative(1, 0, a, x), x**(a-1) exp(-x)/gamma(a))", domain=(POS, NONNEG), singular=True, module=_MOD)
gammaincc = register("gammaincc", _scalar(_sc.gammaincc, POS, NONNEG), lambda a, x, y: (lambda: -gammainc_derivative(1, 0, a, x), -_gammainc_slope(a, x)), numpy=_sc.gammaincc, mpmath=lambda a, x: mp.gammainc(a, x, mp.inf, regularized=True), formula="minus gammainc's slopes", domain=(POS, NONNEG), singular=True, module=_MOD)
gammainc_derivative = register("gammainc_derivative", _gammainc_derivative_math, _gammainc_derivative_slopes, numpy=np.vectorize(_gammainc_derivative_math, otypes=[np.float64]), mpmath=_mp_gammainc_derivative, formula="d^m/da^m d^n/dx^n gammainc(a, x), by mpmath", domain=(NONNEG, NONNEG, POS, NONNEG), const=(0, 1), module=_MOD)
betainc   = register("betainc",   _scalar(_sc.betainc, POS, POS, Domain(0.0, 1.0)), lambda a, b, x, y: (None, None, _betainc_slope(a, b, x)), numpy=_sc.betainc, mpmath=lambda a, b, x: mp.betainc(a, b, 0, x, regularized=True), formula="x**(a-1) (1-x)**(b-1)/beta(a, b) (in x only)", domain=(POS, POS, Domain(0.0, 1.0)), const=(0, 1), singular=True, module=_MOD)
erf       = register("erf",       _scalar(_sc.erf),     lambda x, y: _two_over_sqrtpi(x) * exp(-x * x), numpy=_sc.erf, mpmath=mp.erf, formula="2/sqrt(pi) exp(-x**2)", module=_MOD)
erfc      = register("erfc",      _scalar(_sc.erfc),    lambda x, y: -_two_over_sqrtpi(x) * exp(-x * x), numpy=_sc.erfc, mpmath=mp.erfc, formula="-2/sqrt(pi) exp(-x**2)", module=_MOD)
erfcx     = register("erfcx",     _scalar(_sc.erfcx), _erfcx_slope, numpy=_sc.erfcx, mpmath=lambda x: mp.exp(x * x) * mp.erfc(x), formula="2x erfcx(x) - 2/sqrt(pi) (for x >= 2.5 by a continued fraction)", module=_MOD)
erfinv    = register("erfinv",    _scalar(_sc.erfinv, Domain(-1.0, 1.0, False, False)), lambda x, y: _SQRTPI_2(x) * exp(y * y), numpy=_sc.erfinv, mpmath=mp.erfinv, formula="sqrt(pi)/2 exp(erfinv(x)**2)", domain=Domain(-1.0, 1.0, False, False), singular=True, module=_MOD)
erfcinv   = register("erfcinv",   _scalar(_sc.erfcinv, Domain(0.0, 2.0, False, False)), lambda x, y: -_SQRTPI_2(x) * exp(y * y), numpy=_sc.erfcinv, mpmath=lambda x: mp.erfinv(1 - x), formula="-sqrt(pi)/2 exp(erfcinv(x)**2)", domain=Domain(0.0, 2.0, False, False), singular=True, module=_MOD)
ndtr      = register("ndtr",      _scalar(_sc.ndtr), lambda x, y: exp(-x * x / 2) / _SQRT2PI(x), numpy=_sc.ndtr, mpmath=mp.ncdf, formula="exp(-x**2/2)/sqrt(2 pi)", module=_MOD)
ndtri     = register("ndtri",     _scalar(_sc.ndtri, UNIT), lambda x, y: _SQRT2PI(x) * exp(y * y / 2), numpy=_sc.ndtri, mpmath=_mp_ndtri, formula="sqrt(2 pi) exp(ndtri(x)**2/2)", domain=UNIT, singular=True, module=_MOD)
# log_ndtr: not pdf/cdf (the cdf underflows for x < -38): _log_ndtr_slope
log_ndtr  = register("log_ndtr",  _scalar(_sc.log_ndtr), _log_ndtr_slope, numpy=_sc.log_ndtr, mpmath=lambda x: mp.log(mp.ncdf(x)), formula="exp(-x**2/2 - log_ndtr(x))/sqrt(2 pi) (x >= 0), sqrt(2/pi)/erfcx(-x/sqrt(2)) (x < 0)", module=_MOD)
logit     = register("logit",     _scalar(_sc.logit, UNIT), lambda x, y: 1 / (x * (1 - x)), numpy=_sc.logit, mpmath=lambda x: mp.log(x / (1 - x)), formula="1/(x(1-x))", domain=UNIT, singular=True, module=_MOD)
log_expit = register("log_expit", _scalar(_sc.log_expit), lambda x, y: expit(-x), numpy=_sc.log_expit, mpmath=lambda x: -mp.log1p(mp.exp(-x)), formula="expit(-x)", module=_MOD)
xlogy     = register("xlogy",     _scalar(_sc.xlogy, ANY, NONNEG), _xlogy_slopes, numpy=_sc.xlogy, mpmath=_mp_xlogy, formula="(ln y, x/y; 0 where x = 0)", domain=(ANY, NONNEG), module=_MOD)
xlog1py   = register("xlog1py",   _scalar(_sc.xlog1py, ANY, Domain(-1.0)), _xlog1py_slopes, numpy=_sc.xlog1py, mpmath=_mp_xlog1py, formula="(log1p(y), x/(1+y); 0 where x = 0)", domain=(ANY, Domain(-1.0)), module=_MOD)
entr      = register("entr",      _scalar(_sc.entr, NONNEG), lambda x, y: -ln(x + 0.0) - 1, numpy=_sc.entr, mpmath=_mp_entr, formula="-ln(x) - 1", domain=NONNEG, singular=True, module=_MOD)
rel_entr  = register("rel_entr",  _scalar(_sc.rel_entr, POS, POS), lambda x, y, z: (ln(x / y) + 1, -x / y), numpy=_sc.rel_entr, mpmath=lambda x, y: x * mp.log(x / y), formula="(ln(x/y) + 1, -x/y)", domain=(POS, POS), module=_MOD)
kl_div    = register("kl_div",    _scalar(_sc.kl_div, POS, POS), lambda x, y, z: (ln(x / y), 1 - x / y), numpy=_sc.kl_div, mpmath=lambda x, y: x * mp.log(x / y) - x + y, formula="(ln(x/y), 1 - x/y)", domain=(POS, POS), module=_MOD)
i0        = register("i0",        _scalar(_sc.i0), lambda x, y: i1(x), numpy=_sc.i0, mpmath=lambda x: mp.besseli(0, x), formula="i1(x)", module=_MOD)
i0e       = register("i0e",       _scalar(_sc.i0e), _i0e_slope, numpy=_sc.i0e, mpmath=lambda x: mp.exp(-abs(x)) * mp.besseli(0, x), formula="i1e(x) - sign(x) i0e(x)", nonsmooth=lambda x: x == 0, module=_MOD)
i1        = register("i1",        _scalar(_sc.i1), lambda x, y: (i0(x) + iv(2, x)) / 2, numpy=_sc.i1, mpmath=lambda x: mp.besseli(1, x), formula="(i0(x) + iv(2, x))/2", module=_MOD)
i1e       = register("i1e",       _scalar(_sc.i1e), _i1e_slope, numpy=_sc.i1e, mpmath=lambda x: mp.exp(-abs(x)) * mp.besseli(1, x), formula="(i0e(x) + ive(2, x))/2 - sign(x) i1e(x)", nonsmooth=lambda x: x == 0, module=_MOD)
iv        = register("iv",        _scalar(_sc.iv), lambda v, x, y: (None, (iv(v - 1, x) + iv(v + 1, x)) / 2), numpy=_sc.iv, mpmath=mp.besseli, formula="(iv(v-1, x) + iv(v+1, x))/2", domain=(ANY, ANY), const=(0,), module=_MOD)
ive       = register("ive",       _scalar(_sc.ive), lambda v, x, y: (None, _ive_slope(v, x, y)), numpy=_sc.ive, mpmath=lambda v, x: mp.exp(-abs(x)) * mp.besseli(v, x), formula="(ive(v-1, x) + ive(v+1, x))/2 - sign(x) ive(v, x)", domain=(ANY, ANY), const=(0,), module=_MOD)
kv        = register("kv",        _scalar(_sc.kv), lambda v, x, y: (None, -(kv(v - 1, x) + kv(v + 1, x)) / 2), numpy=_sc.kv, mpmath=mp.besselk, formula="-(kv(v-1, x) + kv(v+1, x))/2", domain=(ANY, POS), const=(0,), module=_MOD)
kve       = register("kve",       _scalar(_sc.kve), lambda v, x, y: (None, _kve_slope(v, x, y)), numpy=_sc.kve, mpmath=lambda v, x: mp.exp(x) * mp.besselk(v, x), formula="kve(v, x) - (kve(v-1, x) + kve(v+1, x))/2", domain=(ANY, POS), const=(0,), module=_MOD)
jv        = register("jv",        _scalar(_sc.jv), lambda v, x, y: (None, (jv(v - 1, x) - jv(v + 1, x)) / 2), numpy=_sc.jv, mpmath=mp.besselj, formula="(jv(v-1, x) - jv(v+1, x))/2", domain=(ANY, ANY), const=(0,), module=_MOD)
yv        = register("yv",        _scalar(_sc.yv), lambda v, x, y: (None, (yv(v - 1, x) - yv(v + 1, x)) / 2), numpy=_sc.yv, mpmath=mp.bessely, formula="(yv(v-1, x) - yv(v+1, x))/2", domain=(ANY, POS), const=(0,), module=_MOD)
j0        = register("j0",        _scalar(_sc.j0), lambda x, y: -j1(x), numpy=_sc.j0, mpmath=lambda x: mp.besselj(0, x), formula="-j1(x)", module=_MOD)
j1        = register("j1",        _scalar(_sc.j1), lambda x, y: (j0(x) - jv(2, x)) / 2, numpy=_sc.j1, mpmath=lambda x: mp.besselj(1, x), formula="(j0(x) - jv(2, x))/2", module=_MOD)
y0        = register("y0",        _scalar(_sc.y0, POS), lambda x, y: -y1(x), numpy=_sc.y0, mpmath=lambda x: mp.bessely(0, x), formula="-y1(x)", domain=POS, module=_MOD)
y1        = register("y1",        _scalar(_sc.y1, POS), lambda x, y: (y0(x) - yv(2, x)) / 2, numpy=_sc.y1, mpmath=lambda x: mp.bessely(1, x), formula="(y0(x) - yv(2, x))/2", domain=POS, module=_MOD)
zeta_deriv = register("zeta_deriv", _zeta_deriv_math, _zeta_deriv_slopes, numpy=np.vectorize(_zeta_deriv_math, otypes=[np.float64]), mpmath=_mp_zeta_deriv, formula="k-th derivative in s of zeta(s, q) (evaluated by mpmath, at two precisions)", domain=(NONNEG, ANY, POS), const=(0,), module=_MOD)
hurwitz_zeta = register("hurwitz_zeta", _scalar(_u._zeta, Domain(1.0, closed_lo=False), POS), lambda s, q, y: (zeta_deriv(1, s, q), -s * hurwitz_zeta(s + 1, q)), numpy=_u._zeta, mpmath=mp.zeta, formula="(zeta_deriv(1, s, q), -s zeta(s+1, q))", domain=(Domain(1.0, closed_lo=False), POS), module=_MOD)
riemann_zeta = register("riemann_zeta", _scalar(_u._riemann_zeta), lambda x, y: zeta_deriv(1, x, 1.0), numpy=_u._riemann_zeta, mpmath=mp.zeta, formula="zeta_deriv(1, x, 1)", module=_MOD)
expn      = register("expn",      _scalar(_sc.expn, NONNEG, POS), _expn_slope, numpy=_sc.expn, mpmath=_mp(mp.expint), formula="-expn(n-1, x) (n >= 1)", domain=(NONNEG, POS), const=(0,), module=_MOD)
exp1      = register("exp1",      _scalar(_sc.exp1, POS), lambda x, y: -exp(-x) / x, numpy=_sc.exp1, mpmath=mp.e1, formula="-exp(-x)/x", domain=POS, singular=True, module=_MOD)
expi      = register("expi",      _scalar(_sc.expi), lambda x, y: exp(x) / x, numpy=_sc.expi, mpmath=mp.ei, formula="exp(x)/x", singular=True, module=_MOD)
_lambertw = register("lambertw",  _lambertw_math, lambda x, y: exp(-y) / (1 + y), numpy=_lambertw_numpy, mpmath=_mp_lambertw, formula="exp(-W)/(1 + W) (principal branch, real x >= -1/e)", domain=_INV_E, module=_MOD)
boxcox    = register("boxcox",    _scalar(_sc.boxcox, POS), lambda x, lmbda, y: (exp((lmbda - 1) * ln(x)), _boxcox_dlambda(x, lmbda, y)), numpy=_sc.boxcox, mpmath=_mp_boxcox, formula="(x**(lmbda-1), d/dlmbda by a series near lmbda ln x = 0)", domain=(POS, ANY), module=_MOD)
inv_boxcox = register("inv_boxcox", _scalar(_sc.inv_boxcox), _inv_boxcox_slopes, numpy=_sc.inv_boxcox, mpmath=_mp_inv_boxcox, formula="(x/(1 + lmbda y), d/dlmbda by a series near lmbda y = 0)", module=_MOD)
# fmt: on

psi = digamma


def lambertw(z: Any, k: int = 0, tol: float = 1e-8) -> Any:
    """The Lambert W function's principal branch on the reals (``k = 0``, ``z >= -1/e``), as
    SciPy's ``lambertw`` but real: W(z) exp(W(z)) = z, W' = exp(-W)/(1 + W).

    >>> import dualdiff as dd
    >>> w = lambertw(dd.Dual(1.0, 1.0))           # Ω = 0.567..., W'(1) = Ω/(1·(1+Ω))
    >>> round(w.value, 15), round(w.tangent, 15)
    (0.567143290409784, 0.361896256634889)
    """
    if np.any(np.asarray(k) != 0):
        raise ValueError(f"lambertw: only the principal branch k = 0 is real; got k = {k!r}")
    return _lambertw(z)


def zeta(x: Any, q: Any = None) -> Any:
    """The Riemann zeta function ζ(x), or the Hurwitz zeta function ζ(x, q), as SciPy's ``zeta``;
    differentiable in both x (by mpmath's ζ derivatives, ``zeta_deriv``) and q (-x ζ(x+1, q)).

    >>> import dualdiff as dd
    >>> z = zeta(dd.Dual(2.0, 1.0))                # ζ(2) = π²/6, ζ'(2) = -0.9375...
    >>> round(z.value, 14), round(z.tangent, 14)
    (1.64493406684823, -0.93754825431584)
    """
    return riemann_zeta(x) if q is None else hurwitz_zeta(x, q)


def softplus(x: Any) -> Any:
    """ln(1 + exp(x)), computed as ``np.logaddexp(0, x)`` (SciPy's own definition); slope
    expit(x).

    >>> import dualdiff as dd
    >>> softplus(dd.Dual(0.0, 1.0))
    Dual(0.6931471805599453, 0.5)
    """
    return np.logaddexp(0.0, x)


def _has_dual(*xs: Any) -> bool:
    return any(isinstance(x, _dual.Dual) for x in xs)


def logsumexp(
    a: Any,
    axis: Any = None,
    b: Any = None,
    keepdims: bool = False,
    return_sign: bool = False,
) -> Any:
    """ln Σ b·exp(a) over ``axis``, as ``scipy.special.logsumexp``, with Duals in ``a`` and
    ``b``. The shift by the largest entry is a constant (the result does not depend on it), so
    it carries no tangent; the slope in a is the softmax weights b·exp(a - result).

    >>> import numpy as np, dualdiff as dd
    >>> x = dd.Dual(np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 0.0]))
    >>> r = logsumexp(x)
    >>> round(r.value, 12), round(r.tangent, 12)         # d/da0 = softmax(a)[0]
    (3.407605964444, 0.09003057317)
    """
    if not _has_dual(a, b):
        return _sc.logsumexp(a, axis=axis, b=b, keepdims=keepdims, return_sign=return_sign)
    av = np.asarray(base_value(a)) if not is_mpf(a) else base_value(a)
    with np.errstate(invalid="ignore"):
        m = np.max(av, axis=axis, keepdims=True) if np.ndim(av) else av
    m = np.where(np.isfinite(np.asarray(m, dtype=float)), m, 0.0) if not is_mpf(a) else m
    e = exp(a - m)
    s = np.sum(e if b is None else b * e, axis=axis, keepdims=True)
    sgn = np.sign(base_value(s))
    if not return_sign and np.any(np.asarray(sgn) < 0):
        raise ValueError(
            "logsumexp: Σ b·exp(a) is negative, so its logarithm is not real; pass return_sign=True"
        )
    out = ln(s * sgn if return_sign else s) + m
    if not keepdims:
        out = np.squeeze(out, axis=axis) if axis is not None else np.reshape(out, ())
        sgn = np.squeeze(sgn, axis=axis) if axis is not None else np.reshape(sgn, ())
    if np.ndim(base_value(out)) == 0 and not keepdims:
        out = out[()] if isinstance(base_value(out), np.ndarray) else out
    return (out, sgn) if return_sign else out


def softmax(x: Any, axis: Any = None) -> Any:
    """exp(x - logsumexp(x)) over ``axis``, as ``scipy.special.softmax``.

    >>> import numpy as np, dualdiff as dd
    >>> s = softmax(dd.Dual(np.array([0.0, 0.0]), np.array([1.0, 0.0])))
    >>> s.value, s.tangent                                # ds/dx0 = (p0(1-p0), -p0 p1)
    (array([0.5, 0.5]), array([ 0.25, -0.25]))
    """
    if not _has_dual(x):
        return _sc.softmax(x, axis=axis)
    return exp(x - logsumexp(x, axis=axis, keepdims=True))


def log_softmax(x: Any, axis: Any = None) -> Any:
    """x - logsumexp(x) over ``axis``, as ``scipy.special.log_softmax``.

    >>> import numpy as np, dualdiff as dd
    >>> log_softmax(dd.Dual(np.array([0.0, 0.0]), np.array([1.0, 0.0]))).tangent
    array([ 0.5, -0.5])
    """
    if not _has_dual(x):
        return _sc.log_softmax(x, axis=axis)
    return x - logsumexp(x, axis=axis, keepdims=True)


def _lambertw_ufunc(z: Any, k: Any, tol: Any) -> Any:
    return lambertw(z, k, tol)


# SciPy's own ufuncs for functions the core table already has, and the private ufuncs that
# SciPy's Python wrappers call (zeta, lambertw)
for _ufunc, _fn in (
    (_sc.expit, expit),
    (_sc.log1p, log1p),
    (_sc.expm1, expm1),
    (_sc.cbrt, cbrt),
    (_sc.exp2, exp2),
    (_u._lambertw, _lambertw_ufunc),
):
    _dual.UFUNCS.setdefault(_ufunc, _fn)
