"""The built-in rows of the rule table: one line per elementary function, as DiffRules.jl
writes them. Each row gives the float evaluation, the derivative written with dualdiff's own
functions (so every order works), the NumPy and mpmath evaluations and the domain; conventions
at kinks (``nonsmooth``) are stated on the row. Comments say why a formula is not the textbook
one where accuracy needed another form.

>>> from dualdiff import table
>>> table.sqrt.__name__, table.RULES["sqrt"].formula
('sqrt', '1/(2 sqrt(x))')
"""

from __future__ import annotations

import builtins
import cmath
import math
from collections.abc import Callable
from typing import Any

import mpmath as mp
import numpy as np

from .conventions import scale, tie_weights
from .directions import Directions
from .dual import Dual, fmt, make
from .errors import DomainError
from .kinds import base_value, is_complex, is_mpf, is_single, like
from .rules import FUNCTIONS, RULES, Domain, register

__all__ = ["log"]

_MPF = mp.mpf
_NDARRAY = np.ndarray
_INF = math.inf


# --- helpers used by the derivative formulas ------------------------------------------------------


def _ln_const(c: float, x: Any) -> Any:
    """ln(c) at the precision of x (mpf inside an mpf computation, else float)."""
    return mp.log(c) if is_mpf(x) else math.log(c)


def _zero(x: Any) -> Any:
    """A zero slope of the kind of x."""
    b = base_value(x)
    if isinstance(b, _MPF):
        return _MPF(0)
    if is_single(b):
        return 0.0
    return np.zeros_like(b, dtype=np.float64) if isinstance(b, _NDARRAY) else b * 0.0


# where a row's slope is a convention (Rule.nonsmooth), for tests and validation
def _mp_trunc(x: Any) -> Any:
    return mp.floor(x) if x >= 0 else mp.ceil(x)


def _at_zero(x: Any) -> bool:
    return x == 0


def _tie(a: Any, b: Any) -> bool:
    return a == b


def _integer(x: Any) -> bool:
    return x == math.floor(x)


def _half_integer(x: Any) -> bool:
    return x - math.floor(x) == 0.5


def _integer_ratio(a: Any, b: Any) -> bool:
    return b == 0 or _integer(a / b)


def _pi_const(x: Any) -> Any:
    return +mp.pi if is_mpf(x) else math.pi


def _copysign1(b: Any) -> Any:
    """The sign bit of b as ±1 (so -0.0 gives -1), of the kind of b's value."""
    v = base_value(b)
    if is_single(v):
        return like(math.copysign(1.0, v) if not isinstance(v, _MPF) else (1 if v >= 0 else -1), b)
    return np.copysign(1.0, v)


def _ratio0(n: Any, d: Any) -> Any:
    """n / d, taken as 0 where d == 0 (the convention at the kink of hypot and arctan2)."""
    dv = base_value(d)
    if is_single(dv):
        return 0.0 * n if dv == 0 else n / d
    with np.errstate(divide="ignore", invalid="ignore"):
        q = n / d
    return np.where(d == 0, 0.0, q)


def _pick_slopes(a_chosen: Any, b_chosen: Any) -> tuple[Any, Any]:
    """The two partial slopes of a choice between a and b, by :func:`tie_weights`."""
    w = tie_weights(np.stack(np.broadcast_arrays(a_chosen, b_chosen)))
    if w.ndim == 1:
        return float(w[0]), float(w[1])
    return w[0], w[1]


def _max_slopes(a: Any, b: Any, y: Any) -> tuple[Any, Any]:
    return _pick_slopes(a >= b, b >= a)


def _min_slopes(a: Any, b: Any, y: Any) -> tuple[Any, Any]:
    return _pick_slopes(a <= b, b <= a)


def _isnan(x: Any) -> Any:
    return x != x


def _fmax_slopes(a: Any, b: Any, y: Any) -> tuple[Any, Any]:  # NaN loses: the other is chosen
    return _pick_slopes((a >= b) | _isnan(b), (b >= a) | _isnan(a))


def _fmin_slopes(a: Any, b: Any, y: Any) -> tuple[Any, Any]:
    return _pick_slopes((a <= b) | _isnan(b), (b <= a) | _isnan(a))


def _max_math(a: float, b: float) -> float:  # NaN propagates, as in np.maximum
    return a if a >= b or a != a else b


def _min_math(a: float, b: float) -> float:
    return a if a <= b or a != a else b


def _fmax_math(a: float, b: float) -> float:
    return a if a >= b or b != b else b


def _fmin_math(a: float, b: float) -> float:
    return a if a <= b or b != b else b


def _whole(f: Callable[[float], Any]) -> Callable[[float], float]:
    """math.floor and kin as float -> float (they return ints, and refuse inf and NaN)."""
    return lambda x: float(f(x)) if x - x == 0 else x


def _ones(x: Any) -> Any:
    return _zero(x) + 1.0


def _heaviside_math(x: float, h0: float) -> float:
    return h0 if x == 0 else (1.0 if x > 0 else (0.0 if x < 0 else x))


def _sinc_math(x: float) -> float:
    r = x - 2.0 * round(x / 2.0) if x - x == 0 else x  # sin(πx) = ±sin(πr), r exact, |r| <= 1
    return 1.0 if x == 0 else math.sin(math.pi * r) / (math.pi * x)


def _sinc_numpy(x: Any) -> Any:
    r = x - 2.0 * np.rint(np.real(x) / 2.0)  # sin(πz) has period 2 in Re z only
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(x == 0, 1.0, np.sin(np.pi * r) / (np.pi * np.where(x == 0, 1.0, x)))


def _sinc_slope(x: Any, y: Any) -> Any:
    """sinc'(x) = (cos(πx) - sinc(x))/x, which cancels for small x: there (|x| < 1/2) the
    Taylor series Σ (-1)^k 2k π^2k x^(2k-1)/(2k+1)!, summed to the working precision."""
    b = base_value(x)
    pi = _pi_const(x)
    mpf = is_mpf(x)
    terms = int(mp.mp.dps * 0.5) + 12 if mpf else 14  # (π/2)^2k/(2k+1)! below the precision
    c = [(-1) ** k * 2 * k * pi ** (2 * k) / math.factorial(2 * k + 1) for k in range(1, terms)]
    x2 = x * x
    series = c[-1]
    for ck in reversed(c[:-1]):
        series = series * x2 + ck
    series = series * x
    # cos(πx) = cos(πr) with r exact: no phase error for large x (complex x: its real part)
    reduced = x - 2 * rint((real(x) if is_complex(b) else x) / 2)
    if is_single(b):
        return series if builtins.abs(b) < 0.5 else (cos(pi * reduced) - y) / x
    small = np.abs(b) < 0.5
    safe = np.where(small, 1.0, x)
    return np.where(small, series, (cos(pi * reduced) - y) / safe)


def _csinc(z: complex) -> complex:
    """sin(πz)/(πz), 1 at 0; Re z reduced mod 2 first, as for floats."""
    if z == 0:
        return 1 + 0j
    r = complex(z.real - 2.0 * round(z.real / 2.0), z.imag) if z.real - z.real == 0 else z
    return cmath.sin(math.pi * r) / (math.pi * z)


def _expit_math(x: float) -> float:
    e = math.exp(-builtins.abs(x))
    return 1.0 / (1.0 + e) if x >= 0 else e / (1.0 + e)


def _expit_numpy(x: Any) -> Any:
    if np.dtype(x.dtype).kind == "c":
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            e = np.exp(np.where(np.real(x) >= 0, -x, x))  # |e| <= 1 wherever it is used
            return np.where(np.real(x) >= 0, 1 / (1 + e), e / (1 + e))
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sign_math(x: float) -> float:
    return 0.0 if x == 0 else (x if x != x else math.copysign(1.0, x))


def _cbrt_mp(x: Any) -> Any:
    return mp.sign(x) * mp.cbrt(builtins.abs(x))


def _logaddexp_math(a: float, b: float) -> float:
    hi = max(a, b)
    if hi == -_INF:
        return -_INF
    return hi + math.log1p(math.exp(-builtins.abs(a - b)))


def _atan2_slopes(y: Any, x: Any, z: Any) -> tuple[Any, Any]:
    """d/dy, d/dx of arctan2(y, x): (x, -y) / (x**2 + y**2), via hypot to avoid overflow."""
    h = hypot(x, y)
    return _ratio0(_ratio0(x, h), h), _ratio0(_ratio0(-y, h), h)


# --- complex arguments: evaluations at a Python complex, and the R-linear tangent maps ----------
_LN2 = math.log(2.0)
# rows refused for complex arguments as NumPy refuses them, with what to write instead
_CBRT_COMPLEX = (
    "cbrt is NumPy's real cube root (cbrt(-8) = -2), which NumPy defines for real numbers only "
    "and which does not extend holomorphically across the negative axis; for the principal "
    "complex cube root write z**(1/3) (at -8+0j: 1+1.732j)"
)
_LOGADDEXP_COMPLEX = (
    "NumPy's logaddexp takes real numbers only (it compares its arguments to stay finite); for "
    "complex arguments write ln(exp(a) + exp(b)), with the principal logarithm"
)


def _cexpm1(z: complex) -> complex:
    """exp(z) - 1 without cancellation near 0: expm1(x) cos y - 2 sin(y/2)**2 + i exp(x) sin y."""
    x, y = z.real, z.imag
    h = math.sin(0.5 * y)
    return complex(math.expm1(x) * math.cos(y) - 2.0 * h * h, math.exp(x) * math.sin(y))


def _cexp2(z: complex) -> complex:
    return cmath.rect(2.0**z.real, z.imag * _LN2)


def _clog1p(z: complex) -> complex:
    """log(1 + z) without cancellation near 0: the real part as log1p(x(2 + x) + y**2)/2."""
    x, y = z.real, z.imag
    if builtins.abs(x) < 0.5 and builtins.abs(y) < 0.5:
        return complex(0.5 * math.log1p(x * (2.0 + x) + y * y), math.atan2(y, 1.0 + x))
    return cmath.log(1.0 + z)


def _log1p_numpy(x: Any) -> Any:
    if np.dtype(x.dtype).kind != "c":
        return np.log1p(x)
    re, im = np.real(x), np.imag(x)  # NumPy's complex log1p cancels near 0: as _clog1p
    small = (np.abs(re) < 0.5) & (np.abs(im) < 0.5)
    with np.errstate(divide="ignore", invalid="ignore"):
        near = 0.5 * np.log1p(re * (2.0 + re) + im * im) + 1j * np.arctan2(im, 1.0 + re)
        return np.where(small, near, np.log1p(x)).astype(np.result_type(x, np.complex64))


def _cexpit(z: complex) -> complex:
    if z.real >= 0:
        return 1.0 / (1.0 + cmath.exp(-z))
    e = cmath.exp(z)
    return e / (1.0 + e)


def _lin(f: Callable[[Any], Any], t: Any) -> Any:
    """An R-linear map of a tangent (real, imag, conj), in every layout (vector mode's, and a
    nested Dual's: the map applies to its value and tangent alike)."""
    if type(t) is Directions:
        return Directions(f(t.array))
    if isinstance(t, Dual):
        return make(_lin(f, t._v), _lin(f, t._t), t._tag)
    return f(t)


def _abs_tangent(z: Any, y: Any, dz: Any) -> Any:
    """d|z| = Re(conj(z) dz)/|z|, 0 at z = 0 (as abs'(0) = 0 on the real line)."""
    return _lin(real, scale(_ratio0(conj(z), y), dz))


def _angle_tangent(z: Any, y: Any, dz: Any) -> Any:
    """d angle(z) = Im(conj(z) dz)/|z|**2 = Im(dz/z), 0 at z = 0 (as arctan2 at the origin)."""
    r = abs(z)
    return _lin(imag, scale(_ratio0(_ratio0(conj(z), r), r), dz))


def _on_cut(x: Any, cut: Callable[[Any, Any], Any]) -> Any:
    """Where a complex x lies on a branch cut (``cut(re, im)``, im == 0 or re == 0 there):
    False for real x. The formulas below take the side of the cut from the value y there,
    which NumPy and cmath choose by the sign of the zero (arithmetic such as 1 - x drops it)."""
    if not is_complex(x):
        return False
    b = base_value(x)
    if isinstance(b, _NDARRAY) and b.dtype == object:
        return np.array([bool(cut(mp.re(e), mp.im(e))) for e in b.flat]).reshape(b.shape)
    return cut(np.real(b), np.imag(b))


def _cut_slope(x: Any, on: Any, away: Callable[[], Any], at_cut: Callable[[], Any]) -> Any:
    """``away()`` off the cut, ``at_cut()`` on it (``on``: a bool or a mask)."""
    if not np.any(on):
        return away()
    if np.ndim(on) == 0:
        return at_cut()
    with np.errstate(all="ignore"):
        return np.where(on, at_cut(), away())


def _asin_cut(re: Any, im: Any) -> Any:
    return (im == 0) & (np.abs(re) > 1)


def _asin_slope(x: Any, y: Any) -> Any:
    """1/sqrt(1 - x**2); on a cut of a complex x, 1/cos(y) (the same off the cut)."""
    on = _on_cut(x, _asin_cut)
    return _cut_slope(x, on, lambda: 1 / sqrt((1 - x) * (1 + x)), lambda: 1 / cos(y))


def _acos_slope(x: Any, y: Any) -> Any:
    """-1/sqrt(1 - x**2); on a cut of a complex x, -1/sin(y)."""
    on = _on_cut(x, _asin_cut)
    return _cut_slope(x, on, lambda: -1 / sqrt((1 - x) * (1 + x)), lambda: -1 / sin(y))


def _acosh_slope(x: Any, y: Any) -> Any:
    """1/(sqrt(x - 1) sqrt(x + 1)); on the cut of a complex x, 1/sinh(y)."""
    on = _on_cut(x, lambda re, im: (im == 0) & (re < 1))
    return _cut_slope(x, on, lambda: 1 / (sqrt(x - 1) * sqrt(x + 1)), lambda: 1 / sinh(y))


def _asinh_slope(x: Any, y: Any) -> Any:
    """1/sqrt(1 + x**2): for reals by hypot (no overflow); for complex x by the principal sqrt,
    analytic off arcsinh's cuts (hypot is not holomorphic), and 1/cosh(y) on them."""
    if is_complex(x):
        on = _on_cut(x, lambda re, im: (re == 0) & (np.abs(im) > 1))
        return _cut_slope(x, on, lambda: 1 / sqrt(1 + x * x), lambda: 1 / cosh(y))
    return 1 / hypot(x, 1)


_msin, _mcos, _msinh, _mcosh = math.sin, math.cos, math.sinh, math.cosh
_cbrt_math = getattr(math, "cbrt", lambda x: math.copysign(abs(x) ** (1.0 / 3.0), x))
_POS = Domain(0.0, closed_lo=False)

# --- the table: name, float / array / mpf evaluation, derivative, domain ---------------------------
# fmt: off
exp     = register("exp",     math.exp,   lambda x, y: y,             numpy=np.exp,     mpmath=mp.exp,   formula="exp(x)", cmath=cmath.exp)
expm1   = register("expm1",   math.expm1, lambda x, y: exp(x),        numpy=np.expm1,   mpmath=mp.expm1, formula="exp(x)", cmath=_cexpm1)
exp2    = register("exp2",    lambda x: 2.0**x, lambda x, y: y * _ln_const(2, x), numpy=np.exp2, mpmath=lambda x: mp.power(2, x), formula="2**x ln 2", cmath=_cexp2)
ln      = register("ln",      math.log,   lambda x, y: 1 / x,         numpy=np.log,     mpmath=mp.log,   formula="1/x", domain=_POS, singular=True, float_deriv=lambda x, y: 1.0 / x, cmath=cmath.log)
log2    = register("log2",    math.log2,  lambda x, y: 1 / (x * _ln_const(2, x)),  numpy=np.log2,  mpmath=lambda x: mp.log(x, 2), formula="1/(x ln 2)", domain=_POS, singular=True, cmath=lambda z: cmath.log(z) / _LN2)
log10   = register("log10",   math.log10, lambda x, y: 1 / (x * _ln_const(10, x)), numpy=np.log10, mpmath=mp.log10, formula="1/(x ln 10)", domain=_POS, singular=True, cmath=cmath.log10)
log1p   = register("log1p",   math.log1p, lambda x, y: 1 / (1 + x),   numpy=_log1p_numpy, ufuncs=(np.log1p,), cmath=_clog1p,   mpmath=mp.log1p, formula="1/(1+x)", domain=Domain(-1.0, closed_lo=False), singular=True)
# sqrt: y + 0.0 turns sqrt(-0.0) = -0.0 into +0.0, so the slope at either zero is +inf
sqrt    = register("sqrt",    math.sqrt,  lambda x, y: 0.5 / (y + 0.0), numpy=np.sqrt,  mpmath=mp.sqrt,  formula="1/(2 sqrt(x))", domain=Domain(0.0), singular=True, float_deriv=lambda x, y: 0.5 / (y + 0.0), cmath=cmath.sqrt)
cbrt    = register("cbrt",    _cbrt_math, lambda x, y: 1 / (3 * y * y), numpy=np.cbrt,  mpmath=_cbrt_mp, formula="1/(3 cbrt(x)**2)", singular=True, complex_refusal=_CBRT_COMPLEX)
sin     = register("sin",     math.sin,   lambda x, y: cos(x),        numpy=np.sin,     mpmath=mp.sin,   formula="cos(x)", float_deriv=lambda x, y: _mcos(x), cmath=cmath.sin)
cos     = register("cos",     math.cos,   lambda x, y: -sin(x),       numpy=np.cos,     mpmath=mp.cos,   formula="-sin(x)", float_deriv=lambda x, y: -_msin(x), cmath=cmath.cos)
tan     = register("tan",     math.tan,   lambda x, y: 1 + y * y,     numpy=np.tan,     mpmath=mp.tan,   formula="1 + tan(x)**2", cmath=cmath.tan)
arcsin  = register("arcsin",  math.asin,  _asin_slope, numpy=np.arcsin, mpmath=mp.asin, formula="1/sqrt(1-x**2)", domain=Domain(-1.0, 1.0), singular=True, aliases=("asin",), cmath=cmath.asin)
arccos  = register("arccos",  math.acos,  _acos_slope, numpy=np.arccos, mpmath=mp.acos, formula="-1/sqrt(1-x**2)", domain=Domain(-1.0, 1.0), singular=True, aliases=("acos",), cmath=cmath.acos)
arctan  = register("arctan",  math.atan,  lambda x, y: 1 / (1 + x * x), numpy=np.arctan,  mpmath=mp.atan,  formula="1/(1+x**2)", aliases=("atan",), cmath=cmath.atan)
sinh    = register("sinh",    math.sinh,  lambda x, y: cosh(x),       numpy=np.sinh,    mpmath=mp.sinh,  formula="cosh(x)", float_deriv=lambda x, y: _mcosh(x), cmath=cmath.sinh)
cosh    = register("cosh",    math.cosh,  lambda x, y: sinh(x),       numpy=np.cosh,    mpmath=mp.cosh,  formula="sinh(x)", float_deriv=lambda x, y: _msinh(x), cmath=cmath.cosh)
tanh    = register("tanh",    math.tanh,  lambda x, y: 1 / cosh(x) ** 2, numpy=np.tanh, mpmath=mp.tanh,  formula="1/cosh(x)**2 (not 1 - tanh**2, which cancels)", cmath=cmath.tanh)
arcsinh = register("arcsinh", math.asinh, _asinh_slope, numpy=np.arcsinh, mpmath=mp.asinh, formula="1/sqrt(x**2+1)", aliases=("asinh",), cmath=cmath.asinh)
# arccosh: two square roots, since (x-1)(x+1) overflows for x > 1e154
arccosh = register("arccosh", math.acosh, _acosh_slope, numpy=np.arccosh, mpmath=mp.acosh, formula="1/sqrt(x**2-1)", domain=Domain(1.0), singular=True, aliases=("acosh",), cmath=cmath.acosh)
arctanh = register("arctanh", math.atanh, lambda x, y: 1 / ((1 - x) * (1 + x)), numpy=np.arctanh, mpmath=mp.atanh, formula="1/(1-x**2)", domain=Domain(-1.0, 1.0, False, False), singular=True, aliases=("atanh",), cmath=cmath.atanh)
abs     = register("abs",     math.fabs,  lambda x, y: sign(x),       numpy=np.absolute, mpmath=mp.fabs, formula="sign(x), 0 at x = 0; complex z: Re(conj(z) dz)/|z|", ufuncs=(np.fabs,), nonsmooth=_at_zero, cmath=builtins.abs, complex_tangent=_abs_tangent)
sign    = register("sign",    _sign_math, lambda x, y: _zero(x),      numpy=np.sign,    mpmath=mp.sign,  formula="0 (except at 0)", nonsmooth=_at_zero)
square  = register("square",  lambda x: x * x, lambda x, y: 2 * x,    numpy=np.square,  mpmath=lambda x: x * x, formula="2x", cmath=lambda z: z * z)
arctan2 = register("arctan2", math.atan2, _atan2_slopes, numpy=np.arctan2, mpmath=mp.atan2, formula="(x, -y)/(x**2+y**2), 0 at the origin", aliases=("atan2",), nonsmooth=lambda a, b: a == 0 and b == 0)
hypot   = register("hypot",   math.hypot, lambda x, y, z: (_ratio0(x, z), _ratio0(y, z)), numpy=np.hypot, mpmath=mp.hypot, formula="(x, y)/hypot(x, y), 0 at the origin", nonsmooth=lambda a, b: a == 0 and b == 0)
expit   = register("expit",   _expit_math, lambda x, y: y * expit(-x), numpy=_expit_numpy, mpmath=lambda x: 1 / (1 + mp.exp(-x)), formula="expit(x) expit(-x)", aliases=("sigmoid",), cmath=_cexpit)
# logaddexp: expit(x1 - x2), not exp(x1 - y): y = x1 + ln 2 rounds to x1 for x1 > 1e16
logaddexp = register("logaddexp", _logaddexp_math, lambda a, b, y: (expit(a - b), expit(b - a)), numpy=np.logaddexp, mpmath=lambda a, b: mp.log(mp.exp(a) + mp.exp(b)), formula="(expit(x1-x2), expit(x2-x1))", complex_refusal=_LOGADDEXP_COMPLEX)
maximum = register("maximum", _max_math,  _max_slopes,  numpy=np.maximum, mpmath=max, formula="the larger's tangent; ties share it (tie_weights)", nonsmooth=_tie)
minimum = register("minimum", _min_math,  _min_slopes,  numpy=np.minimum, mpmath=min, formula="the smaller's tangent; ties share it (tie_weights)", nonsmooth=_tie)
fmax    = register("fmax",    _fmax_math, _fmax_slopes, numpy=np.fmax, mpmath=max, formula="as maximum; a NaN argument is ignored", nonsmooth=_tie)
fmin    = register("fmin",    _fmin_math, _fmin_slopes, numpy=np.fmin, mpmath=min, formula="as minimum; a NaN argument is ignored", nonsmooth=_tie)
# piecewise constant: slope 0 everywhere, the jumps included (as JAX, autograd)
floor   = register("floor",   _whole(math.floor), lambda x, y: _zero(x), numpy=np.floor, mpmath=mp.floor, formula="0 (the jumps included)", nonsmooth=_integer)
ceil    = register("ceil",    _whole(math.ceil),  lambda x, y: _zero(x), numpy=np.ceil,  mpmath=mp.ceil,  formula="0 (the jumps included)", nonsmooth=_integer)
trunc   = register("trunc",   _whole(math.trunc), lambda x, y: _zero(x), numpy=np.trunc, mpmath=lambda x: _mp_trunc(x), formula="0 (the jumps included)", ufuncs=(np.fix,) if isinstance(np.fix, np.ufunc) else (), nonsmooth=_integer)
rint    = register("rint",    lambda x: float(np.rint(x)), lambda x, y: _zero(x), numpy=np.rint, mpmath=mp.nint, formula="0 (the jumps included)", nonsmooth=_half_integer)
remainder = register("remainder", lambda a, b: a % b, lambda a, b, y: (_ones(a), -floor(a / b)), numpy=np.remainder, mpmath=lambda a, b: a - mp.floor(a / b) * b, formula="(1, -floor(x1/x2)); x1 % x2 is the same", aliases=("mod",), nonsmooth=_integer_ratio)
fmod    = register("fmod",    math.fmod,  lambda a, b, y: (_ones(a), -trunc(a / b)), numpy=np.fmod, mpmath=lambda a, b: a - _mp_trunc(a / b) * b, formula="(1, -trunc(x1/x2))", nonsmooth=_integer_ratio)
floor_divide = register("floor_divide", lambda a, b: a // b, lambda a, b, y: (_zero(a), _zero(b)), numpy=np.floor_divide, mpmath=lambda a, b: mp.floor(a / b), formula="(0, 0)", nonsmooth=_integer_ratio)
heaviside = register("heaviside", _heaviside_math, lambda x, h, y: (_zero(x), _zero(x) + (x == 0)), numpy=np.heaviside, mpmath=lambda x, h: mp.mpf(h) if x == 0 else mp.mpf(1 if x > 0 else 0), formula="(0, 1 where x1 = 0)", nonsmooth=lambda x, h: x == 0)
sinc    = register("sinc",    _sinc_math, _sinc_slope, numpy=_sinc_numpy, ufuncs=(), mpmath=lambda x: mp.sincpi(x), formula="(cos(pi x) - sinc(x))/x, its series near 0", cmath=_csinc)
deg2rad = register("deg2rad", math.radians, lambda x, y: _zero(x) + _pi_const(x) / 180, numpy=np.deg2rad, mpmath=mp.radians, formula="pi/180", ufuncs=(np.radians,), aliases=("radians",))
rad2deg = register("rad2deg", math.degrees, lambda x, y: _zero(x) + 180 / _pi_const(x), numpy=np.rad2deg, mpmath=mp.degrees, formula="180/pi", ufuncs=(np.degrees,), aliases=("degrees",))
copysign = register("copysign", math.copysign, lambda a, b, y: (sign(a) * _copysign1(b), _zero(b)), numpy=np.copysign, mpmath=lambda a, b: mp.fabs(a) * (1 if b >= 0 else -1), formula="(sign(x1) sign(x2), 0)", nonsmooth=lambda a, b: a == 0 or b == 0)
nextafter = register("nextafter", math.nextafter, lambda a, b, y: (_ones(a), _zero(b)), numpy=np.nextafter, mpmath=lambda a, b: a, formula="(1, 0): the next float is x1 to within one rounding")
# complex parts, and the argument: real on the real line (conj(x) = real(x) = x, imag(x) = 0,
# angle(x) = 0 or pi), R-linear maps of the tangent for complex z
real    = register("real",    lambda x: x, lambda x, y: _ones(x),   numpy=np.real,      mpmath=mp.re,    formula="1; complex z: Re(dz)", cmath=lambda z: z.real, complex_tangent=lambda z, y, dz: _lin(real, dz))
imag    = register("imag",    lambda x: 0.0, lambda x, y: _zero(x), numpy=np.imag,      mpmath=mp.im,    formula="0; complex z: Im(dz)", cmath=lambda z: z.imag, complex_tangent=lambda z, y, dz: _lin(imag, dz))
conj    = register("conj",    lambda x: x, lambda x, y: _ones(x),   numpy=np.conjugate, mpmath=mp.conj,  formula="1; complex z: conj(dz)", aliases=("conjugate",), cmath=lambda z: z.conjugate(), complex_tangent=lambda z, y, dz: _lin(conj, dz))
angle   = register("angle",   lambda x: math.atan2(0.0, x), lambda x, y: _zero(x), numpy=np.angle, mpmath=mp.arg, formula="0 (pi for x < 0); complex z: Im(conj(z) dz)/|z|**2, 0 at 0", nonsmooth=_at_zero, cmath=cmath.phase, complex_tangent=_angle_tangent)
# fmt: on


def log(x: Any, base: Any = None) -> Any:
    """Logarithm of ``x`` to ``base`` (natural if None): ``ln(x) / ln(base)``.

    d/dx log_a(x) = 1/(x ln a); the base may be a Dual too.

    >>> import math, dualdiff as dd
    >>> d = dd.log(dd.Dual(8.0, 1.0), 2)
    >>> d.value, round(d.tangent * 8 * math.log(2), 12)
    (3.0, 1.0)
    """
    if base is None:
        try:
            return ln(x)
        except DomainError:  # named as the user wrote it
            if is_complex(x):
                raise DomainError(f"log(z) is not defined at z = {fmt(x)}") from None
            raise DomainError(f"log(x) needs {RULES['ln'].domain}, got x = {fmt(x)}") from None
    if is_complex(base):
        return ln(x) / ln(base)
    if not isinstance(base, Dual) and np.ndim(base) == 0 and not isinstance(base, _NDARRAY):
        if not (base > 0 and base != 1):
            raise DomainError(f"log(x, base) needs base > 0 and base != 1, got base = {fmt(base)}")
        if type(base) is not bool and base == 2:
            return log2(x)
        if base == 10:
            return log10(x)
    return ln(x) / ln(base)


log.__module__ = "dualdiff"  # called as dd.log, listed with the rows
FUNCTIONS["log"] = log
