"""The numerical helpers the distributions share: constants as SciPy rounds them (or in
mpmath at the working precision), NumPy's ``where`` that keeps single numbers single, SciPy's
``xlogy`` and ``xlog1py`` with constant edges, and the incomplete gamma and beta functions at the
ends of their range; and the quantiles' machinery (the inverse function rule lifted through
nested Duals, a root in mpmath)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import mpmath as mp
import numpy as np

from ... import table as _f
from ...conventions import scale
from ...dual import Dual, make, parts, top_tag
from ...kinds import base_value, is_mpf, is_single
from .. import special as _sp

_INF = math.inf
_NAN = math.nan

# constants, as SciPy rounds them, and in mpmath at the working precision
_CONSTANTS: dict[str, tuple[float, Callable[[], Any]]] = {
    "log_sqrt_2pi": (float(np.log(np.sqrt(2 * np.pi))), lambda: mp.log(2 * mp.pi) / 2),
    "sqrt_2pi": (float(np.sqrt(2 * np.pi)), lambda: mp.sqrt(2 * mp.pi)),
    "log_2pi": (float(np.log(2 * np.pi)), lambda: mp.log(2 * mp.pi)),
    "log_pi": (float(np.log(np.pi)), lambda: mp.log(mp.pi)),
    "log_sqrt_pi": (float(np.log(np.sqrt(np.pi))), lambda: mp.log(mp.pi) / 2),
    "pi": (math.pi, lambda: +mp.pi),
    "log2": (float(np.log(2)), lambda: mp.log(2)),
}


def _k(ref: Any, name: str) -> Any:
    """A constant as a number of the kind of ``ref`` (mpf at mpmath's precision, else float)."""
    value, exact = _CONSTANTS[name]
    return exact() if is_mpf(ref) else value


# --- selection: NumPy's where, that keeps single numbers single ------------------------------


def _like(ref: Any, c: float) -> Any:
    """The constant c as an mpf where ref computes in mpmath, else as it is."""
    return mp.mpf(c) if is_mpf(ref) else c


def _single(v: Any) -> bool:
    return is_single(base_value(v))


def _v(x: Any) -> Any:
    """The value to compare (the innermost value of a Dual)."""
    return base_value(x)


def _mask(m: Any) -> Any:
    """A condition as a bool (single numbers) or a bool array."""
    if isinstance(m, np.ndarray):
        return m.astype(bool)
    return bool(m)


def _where(cond: Any, a: Any, b: Any) -> Any:
    """``np.where(cond, a, b)``, a single number when all three are (Duals keep their tangents;
    where ``cond`` is false the result carries b's, a constant's zero)."""
    out = np.where(cond, a, b)
    if not (_single(cond) and _single(a) and _single(b)):
        return out
    out = out[()]
    return float(out) if type(out) is np.float64 else out  # numbers compute as numbers


def _apply(ok: Any, f: Callable[[Any], Any], x: Any, safe: float, edge: Any) -> Any:
    """``f(x)`` where ``ok``, else ``edge``; f only ever sees valid points (``safe`` elsewhere)."""
    return _where(ok, f(_where(ok, x, safe)), edge)


def _log(p: Any) -> Any:
    """ln p, with ln 0 = -inf (a constant there)."""
    return _apply(_mask(_v(p) > 0), _f.ln, p, 1.0, -_INF)


def _pow0(y: Any, e: Any) -> Any:
    """y**e for y >= 0, and SciPy's inf at y = 0 where e < 0 (a constant there)."""
    pole = _mask((_v(y) == 0) & (_v(e) < 0))
    return _where(pole, _INF, _where(pole, 1.0, y) ** e)


def _xlog(a: Any, y: Any, f: Callable[[Any], Any], edge: float) -> Any:
    """a·f(y), f = ln or log1p, with SciPy's xlogy/xlog1py where f(y) = -inf (y = edge): the
    constant 0 where a = 0, else ∓inf."""
    pos = _mask(_v(y) > edge)
    val = a * f(_where(pos, y, edge + 1.0))
    if np.all(pos):
        return val
    av = _v(a)
    return _where(pos, val, _where(_mask(av == 0), 0.0, _where(_mask(av > 0), -_INF, _INF)))


def _xlogy(a: Any, y: Any) -> Any:
    """SciPy's ``xlogy(a, y)``: a·ln(y); at y = 0 the constant 0 (a = 0) or ∓inf."""
    return _xlog(a, y, _f.ln, 0.0)


def _xlog1py(a: Any, y: Any) -> Any:
    """SciPy's ``xlog1py(a, y)``: a·ln(1 + y); at y = -1 the constant 0 (a = 0) or ∓inf."""
    return _xlog(a, y, _f.log1p, -1.0)


def _at_edge(f: Callable[..., Any], *args: Any) -> Any:
    """``f(*args)``, through 1-element arrays when every argument is a single number and the
    last (the incomplete function's x) is 0 or 1: there the rows of dualdiff.scipy.special give
    the one-sided slope (0, finite or inf) for arrays but raise OverflowError for numbers."""
    xv = _v(args[-1])
    if all(_single(a) for a in args) and (xv == 0 or xv == 1):
        return f(*[np.reshape(a, (1,)) for a in args])[0]
    return f(*args)


def _betainc(a: Any, b: Any, x: Any) -> Any:
    return _at_edge(_sp.betainc, a, b, x)


def _betaincc(a: Any, b: Any, x: Any) -> Any:
    """1 - I_x(a, b) = I_(1-x)(b, a): from 1 - I_x(a, b) where that is at least 1/2 (no
    cancellation), else from 1 - x (rounded, but there the tail is past the median)."""
    i = _betainc(a, b, x)
    return _where(_mask(_v(i) < 0.5), 1 - i, _betainc(b, a, 1 - x))


def _gammainc(a: Any, x: Any) -> Any:
    return _at_edge(_sp.gammainc, a, x)


def _gammaincc(a: Any, x: Any) -> Any:
    return _at_edge(_sp.gammaincc, a, x)


# --- quantiles: the inverse function rule at every order, and an mpmath root ------------------


def _lift(
    q: Any, base: Callable[[Any], Any], density: Callable[..., Any], params: tuple = ()
) -> Any:
    """x = F⁻¹(q; params) for q a number, an array or a (nested) Dual: ``base`` gives the
    quantile of a value (floats, or mpf), ``density(x, *params)`` the Dual-aware F'. At each
    level of nesting (the outermost tag of q and the parameters first) the value is the quantile
    at the values (lifted the same way, so it carries the inner levels) and the tangent q's
    tangent over F'(x) at that lifted x: the inverse function rule, written with dualdiff's own
    functions as a row of the rule table writes its derivative (ndtri's is sqrt(2π)
    exp(ndtri(q)²/2)), so that every order is exact. Where F'(x) is 0 (x at an end where the
    density vanishes) the slope is +inf, where it is infinite 0: constants.

    The parameters' tangents contribute nothing (the implicit function theorem's -∂F/∂θ dθ/F'
    is left out): the callers either refuse Dual parameters or lift at an end of the support,
    where the cdf is 0 (or 1) whatever the parameters are."""
    tag = top_tag(q, *params)
    if tag < 0:
        return base(q)
    qv, qt = parts(q, tag)
    pv = tuple(parts(p, tag)[0] for p in params)
    x = _lift(qv, base, density, pv)
    if qt is None:  # only parameters move at this level: x does not (a zero of their kind)
        for p in params:
            if isinstance(p, Dual) and p.tag == tag:
                x = x + 0.0 * p
        return x
    f = density(x, *pv)
    fv = _v(f)
    zero, inf = _mask(fv == 0), _mask(fv == _INF)
    slope = 1 / _where(zero | inf, 1.0, f)
    if np.any(zero | inf):
        slope = _where(zero, _like(fv, _INF), _where(inf, _like(fv, 0.0), slope))
    return make(x, scale(slope, qt), tag)


def _bisect(a: Any, b: Any) -> Any:
    """A point inside (a, b), which may be infinite or span many binades: the midpoint, the
    geometric mean, or a step outward that doubles."""
    if a == -_INF and b == _INF:
        return mp.mpf(0)
    if b == _INF:
        return a + max(1, abs(a))
    if a == -_INF:
        return b - max(1, abs(b))
    if a >= 0 and b > 4 * a:
        return b * b if a == 0 and b < 1 else (b / 16 if a == 0 else mp.sqrt(a * b))
    if b <= 0 and a < 4 * b:
        return -_bisect(-b, -a)
    return (a + b) / 2


def _mp_root(
    q: Any,
    cdf: Callable[[Any], Any],
    sf: Callable[[Any], Any],
    pdf: Callable[[Any], Any],
    start: float,
    lo: float,
    hi: float,
) -> Any:
    """The x in (lo, hi) with cdf(x) = q (0 < q < 1), in mpmath at the working precision plus
    guard bits: Newton's method from the float quantile ``start`` on the log of the smaller tail
    (ln cdf(x) = ln q, or ln sf(x) = ln(1 - q) above the median, so that the upper tail keeps its
    digits), in ln(x - lo) or ln(hi - x) near a finite end and in ln|x| far out (where a tail is
    a power of the distance: one step from afar), kept inside a bracket that every evaluation
    narrows (a bisection where a step leaves it)."""
    prec = mp.mp.prec
    with mp.workprec(prec + 24):
        lower = q <= 0.5
        target = q if lower else 1 - q
        a, b = mp.mpf(lo), mp.mpf(hi)
        x = mp.mpf(start) if math.isfinite(start) and lo < start < hi else _bisect(a, b)
        tol = mp.mpf(2) ** -(prec + 8)
        for _ in range(200):
            tail = cdf(x) if lower else sf(x)
            if tail == target:
                break
            g = mp.log(tail / target) * (1 if lower else -1)  # increasing in x, 0 at the root
            if g < 0:
                a = x
            else:
                b = x
            dg = pdf(x) / tail
            new = None
            if 0 < dg < _INF:
                if lo != -_INF and (x - lo < 1 if hi == _INF else x - lo <= hi - x):
                    new = lo + (x - lo) * mp.exp(-g / (dg * (x - lo)))
                elif hi != _INF:
                    new = hi - (hi - x) * mp.exp(g / (dg * (hi - x)))
                elif abs(x) > 1:  # in ln|x|: a tail that is a power of x (t's)
                    new = x * mp.exp(-g / (dg * x))
                else:
                    new = x - g / dg
            if new is None or not a < new < b:
                new = _bisect(a, b)
            if abs(new - x) <= tol * abs(new) or not a < new < b:
                x = new
                break
            x = new
        else:  # pragma: no cover - the bracket shrinks at worst geometrically
            raise ArithmeticError(f"the mpf quantile at q = {mp.nstr(q, 17)} did not converge")
    return +x
