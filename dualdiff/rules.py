"""The rule table: one row per elementary function.

A row says how to evaluate the function on each kind of value (``math`` for floats, ``numpy``
for arrays, ``mpmath`` for ``mpf``), its derivative written with dualdiff's own functions (so
nested Duals give every higher order), and its domain. :func:`register` builds the public function
from a row; the built-in rows below go through it exactly as a user's row does.

>>> import dualdiff as dd
>>> y = dd.sin(dd.Dual(0.0, 1.0))       # sin(0) = 0, d/dx sin(x) = cos(0) = 1
>>> y.value, y.tangent
(0.0, 1.0)
>>> dd.RULES["sqrt"].formula
'1/(2 sqrt(x))'
"""

from __future__ import annotations

import builtins
import inspect
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import mpmath as mp
import numpy as np

from . import dual as _dual
from . import hooks as _hooks
from .conventions import lincomb, nan_free, scale, tie_weights
from .dual import Dual, fmt, is_constant, parts, top_tag
from .errors import DomainError
from .kinds import base_value, is_mpf, like

__all__ = ["FUNCTIONS", "RULES", "Domain", "Rule", "listing", "log", "register", "unregister"]

_mk = _dual._mk
_MPF = mp.mpf
_NDARRAY = np.ndarray
_INF = math.inf


@dataclass(frozen=True)
class Domain:
    """An interval of the real line: where a function is defined (for real results).

    >>> d = Domain(0.0, closed_lo=False)
    >>> str(d), 1.0 in d, 0.0 in d
    ('x > 0', True, False)
    """

    lo: float = -_INF
    hi: float = _INF
    closed_lo: bool = True
    closed_hi: bool = True

    def __contains__(self, x: Any) -> bool:
        above = x > self.lo or (self.closed_lo and x == self.lo)
        below = x < self.hi or (self.closed_hi and x == self.hi)
        return bool(above and below)

    def __str__(self) -> str:
        lo_op = "<=" if self.closed_lo else "<"
        hi_op = "<=" if self.closed_hi else "<"
        lo, hi = f"{self.lo:g}", f"{self.hi:g}"
        if self.lo > -_INF and self.hi < _INF:
            return f"{lo} {lo_op} x {hi_op} {hi}"
        if self.lo > -_INF:
            return f"x {'>=' if self.closed_lo else '>'} {lo}"
        if self.hi < _INF:
            return f"x {hi_op} {hi}"
        return "any real x"

    def sample(self, n: int = 24, box: float = 10.0) -> list[float]:
        """``n`` points inside the domain (clipped to ``[-box, box]``), endpoints excluded.

        >>> Domain(-1.0, 1.0).sample(3)
        [-0.5, 0.0, 0.5]
        """
        lo, hi = max(self.lo, -box), min(self.hi, box)
        return [float(p) for p in np.linspace(lo, hi, n + 2)[1:-1]]


ALL_REALS = Domain()


@dataclass(frozen=True)
class Rule:
    """One row of the table. ``deriv(x, y)`` gives the slope from the argument ``x`` and the value
    ``y = f(x)`` (binary rows: ``deriv(x1, x2, y)`` gives both partial slopes). ``float_deriv``,
    where given, is the same slope for plain floats only (a faster path; tested like ``deriv``)."""

    name: str
    arity: int
    math: Callable[..., Any]
    numpy: Callable[..., Any]
    mpmath: Callable[..., Any] | None
    deriv: Callable[..., Any]
    domain: Domain = ALL_REALS
    formula: str = ""
    singular: bool = False
    float_deriv: Callable[..., Any] | None = None
    #: where the slope is a convention rather than a derivative (kinks, jumps): (x) or (x1, x2)
    #: -> bool; tests and validation compare against mpmath only away from these points
    nonsmooth: Callable[..., Any] | None = None
    fn: Callable[..., Any] = field(default=lambda *a: None, compare=False, repr=False)

    def domain_error(self, x: Any) -> DomainError:
        if self.domain is ALL_REALS:
            return DomainError(f"{self.name}(x) is not defined at x = {fmt(x)}")
        return DomainError(f"{self.name}(x) needs {self.domain}, got x = {fmt(x)}")


#: name -> Rule, in table order
RULES: dict[str, Rule] = {}
#: every public function name (rows and their aliases) -> function, for the command line
FUNCTIONS: dict[str, Callable[..., Any]] = {}


def _overflow(name: str, *xs: Any) -> OverflowError:
    at = ", ".join(fmt(x) for x in xs)
    return OverflowError(f"{name} overflows a float at {at}")


def _slope_limit(rule: Rule, *xs: Any) -> Any:
    """The slope where the arithmetic divided by zero (at a domain edge): redone in NumPy floats
    (at every level of a nested Dual), where it is ±inf, then given back in the kind of x."""
    back = _MPF if any(is_mpf(x) for x in xs) else float
    with np.errstate(all="ignore"):
        s = rule.deriv(*(_leaves(x, np.float64) for x in xs))
    if isinstance(s, tuple):
        return tuple(_leaves(c, back) for c in s)
    return _leaves(s, back)


def _leaves(x: Any, kind: Any) -> Any:
    """``x`` with every scalar in it (at every level of nesting) converted to ``kind``."""
    if isinstance(x, Dual):
        return _mk(_leaves(x._v, kind), _leaves(x._t, kind), x._tag)
    return kind(x) if isinstance(x, (float, _MPF)) else x


def _kind_error(name: str, *xs: Any) -> TypeError:
    kinds = ", ".join(type(x).__name__ for x in xs)
    return TypeError(
        f"{name}() takes real floats, ints, NumPy arrays, mpmath.mpf or Duals, got {kinds}"
    )


def _undefined(y: Any, s: Any) -> Any:
    """The slope, NaN wherever the value is NaN (at every level of a nested slope): outside the
    domain there is no derivative of any order."""
    yb = base_value(y)
    if type(yb) is _NDARRAY and yb.dtype.kind == "f" and not nan_free(yb):
        return _nan_at(np.isnan(yb), s)
    return s


def _nan_at(mask: Any, s: Any) -> Any:
    if isinstance(s, Dual):
        return _mk(_nan_at(mask, s._v), _nan_at(mask, s._t), s._tag)
    return np.where(mask, np.nan, s)


def _unary_dual(rule: Rule, d: Dual) -> Dual:
    v = d._v
    y = rule.fn(v)
    try:
        if rule.singular and not isinstance(base_value(v), (float, _MPF)):
            with np.errstate(divide="ignore", invalid="ignore"):  # infinite slopes at edges
                s = rule.deriv(v, y)
        else:
            s = rule.deriv(v, y)
    except ZeroDivisionError:
        s = _slope_limit(rule, v, y)
    if rule.domain is not ALL_REALS:
        s = _undefined(y, s)
    r = _mk(y, scale(s, d._t), d._tag)
    return _hooks.after(rule.name, (d,), r) if _hooks.active else r


def _apply1(rule: Rule, x: Any) -> Any:
    """A unary row applied to anything but a float (which the public function handles)."""
    if isinstance(x, Dual):
        return _unary_dual(rule, x)
    tx = type(x)
    if tx is int or tx is bool:
        return rule.fn(float(x))
    if isinstance(x, _MPF):
        if rule.mpmath is None:
            raise TypeError(f"{rule.name} has no mpmath implementation (register it with mpmath=)")
        if x not in rule.domain:
            raise rule.domain_error(x)
        return rule.mpmath(x)
    if isinstance(x, _NDARRAY) and x.dtype == object:
        return np.frompyfunc(rule.fn, 1, 1)(x)
    if isinstance(x, (_NDARRAY, np.generic)) or (
        hasattr(x, "__array_ufunc__") and hasattr(x, "shape")
    ):
        return rule.numpy(x)
    if isinstance(x, numbers.Real):
        return rule.fn(float(x))
    raise _kind_error(rule.name, x)


def _make_unary(rule: Rule) -> Callable[[Any], Any]:
    mfn = rule.math
    deriv = rule.float_deriv or rule.deriv

    def fn(x: Any) -> Any:
        tx = type(x)
        if tx is float:
            try:
                return mfn(x)
            except (ValueError, ZeroDivisionError):
                raise rule.domain_error(x) from None
            except OverflowError:
                raise _overflow(rule.name, x) from None
        if tx is Dual:
            v = x._v
            if type(v) is not float or _hooks.active:
                return _unary_dual(rule, x)
            try:
                y = mfn(v)
                s = deriv(v, y)
            except (ValueError, ZeroDivisionError, OverflowError) as exc:
                y, s = _float_edge(rule, v, exc)
            t = x._t
            if type(t) is float:
                r = s * t
                if r != r:  # 0·inf: the NaN policy decides
                    r = scale(s, t)
            else:
                r = scale(s, t)
            return _mk(y, r, x._tag)
        return _apply1(rule, x)

    return fn


def _float_edge(rule: Rule, v: float, exc: Exception) -> tuple[float, float]:
    """The value and slope at a float where math raised: a domain error, or an infinite slope."""
    try:
        y = rule.math(v)
    except (ValueError, ZeroDivisionError):
        raise rule.domain_error(v) from None
    except OverflowError:
        raise _overflow(rule.name, v) from None
    return y, _slope_limit(rule, v, y)


def _binary_dual(rule: Rule, a: Any, b: Any) -> Dual:
    if not (is_constant(a) and is_constant(b)):
        raise _kind_error(rule.name, a, b)
    tag = top_tag(a, b)
    av, at = parts(a, tag)
    bv, bt = parts(b, tag)
    y = rule.fn(av, bv)
    try:
        s1, s2 = rule.deriv(av, bv, y)
    except ZeroDivisionError:
        s1, s2 = _slope_limit(rule, av, bv, y)
    r = _mk(y, lincomb((s1, at), (s2, bt)), tag)
    return _hooks.after(rule.name, (a, b), r) if _hooks.active else r


def _make_binary(rule: Rule) -> Callable[[Any, Any], Any]:
    mfn = rule.math

    def fn(a: Any, b: Any) -> Any:
        ta, tb = type(a), type(b)
        if (ta is float or ta is int) and (tb is float or tb is int):
            try:
                return mfn(float(a), float(b))
            except (ValueError, ZeroDivisionError):
                raise DomainError(f"{rule.name}(x1, x2) is not defined at {a!r}, {b!r}") from None
            except OverflowError:
                raise _overflow(rule.name, a, b) from None
        if isinstance(a, Dual) or isinstance(b, Dual):
            return _binary_dual(rule, a, b)
        if isinstance(a, _MPF) or isinstance(b, _MPF):
            if rule.mpmath is None:
                raise TypeError(f"{rule.name} has no mpmath implementation")
            return rule.mpmath(_MPF(a), _MPF(b))
        if all(isinstance(x, numbers.Real) for x in (a, b)) and not any(
            isinstance(x, np.generic) for x in (a, b)
        ):
            return fn(float(a), float(b))
        if is_constant(a) and is_constant(b):
            return rule.numpy(a, b)
        raise _kind_error(rule.name, a, b)

    return fn


def register(
    name: str,
    f: Callable[..., Any],
    deriv: Callable[..., Any],
    *,
    numpy: Callable[..., Any] | None = None,
    mpmath: Callable[..., Any] | None = None,
    domain: Domain = ALL_REALS,
    formula: str = "",
    singular: bool = False,
    aliases: tuple[str, ...] = (),
    ufuncs: tuple[Any, ...] = (),
    float_deriv: Callable[..., Any] | None = None,
    nonsmooth: Callable[..., Any] | None = None,
) -> Callable[..., Any]:
    """Add an elementary function to the rule table and return its dualdiff-aware version.

    ``f`` evaluates floats; ``deriv(x, y)`` returns the slope at ``x`` given ``y = f(x)``, written
    with dualdiff's functions so that higher derivatives work (two-argument functions:
    ``deriv(x1, x2, y)`` returns both partial slopes). ``numpy`` and ``mpmath`` evaluate arrays
    and ``mpf`` (arrays default to ``np.vectorize(f)``; without ``mpmath``, ``mpf`` is refused
    rather than silently rounded to a float). A NumPy ufunc given as ``numpy`` also makes
    ``that_ufunc(dual)`` work. ``float_deriv(x, y)`` may give the same slope for plain floats
    only, as a faster path. ``nonsmooth(x)`` (or ``(x1, x2)``) says where the slope is a
    convention (a kink or a jump), so that tests compare with mpmath only elsewhere.

    >>> import math, dualdiff as dd
    >>> softsign = dd.register("softsign", lambda x: x / (1 + abs(x)),
    ...                        lambda x, y: 1 / (1 + dd.abs(x)) ** 2)
    >>> softsign(dd.Dual(1.0, 1.0))
    Dual(0.5, 0.25)
    >>> dd.unregister("softsign")
    """
    if not name.isidentifier():
        raise ValueError(f"register: name must be an identifier, got {name!r}")
    for n in (name, *aliases):
        if n in FUNCTIONS:
            raise ValueError(f"register: {n!r} is already in the rule table")
    arity = len(inspect.signature(deriv).parameters) - 1
    if arity not in (1, 2):
        raise ValueError(
            f"register: deriv must take (x, y) or (x1, x2, y), got {inspect.signature(deriv)}"
        )
    if numpy is None:
        numpy = np.vectorize(f, otypes=[np.float64])
    rule = Rule(
        name, arity, f, numpy, mpmath, deriv, domain, formula, singular, float_deriv, nonsmooth
    )
    fn = _make_unary(rule) if arity == 1 else _make_binary(rule)
    object.__setattr__(rule, "fn", fn)
    fn.__name__ = fn.__qualname__ = name
    fn.__module__ = "dualdiff"
    what = f"{name}(x)" if arity == 1 else f"{name}(x1, x2)"
    fn.__doc__ = (
        f"{what}, elementwise, for floats, NumPy arrays, mpmath.mpf and Duals.\n\n"
        f"Derivative: {formula or 'see dualdiff.RULES'}. Domain: {domain}."
    )
    RULES[name] = rule
    for alias in (name, *aliases):
        FUNCTIONS[alias] = fn
    for u in (numpy, *ufuncs):
        if isinstance(u, np.ufunc) and u not in _dual.UFUNCS:  # the first row owns a ufunc
            _dual.UFUNCS[u] = fn
    return fn


def unregister(name: str) -> None:
    """Remove a row that :func:`register` added, with its aliases and NumPy ufunc links.

    >>> import dualdiff as dd
    >>> _ = dd.register("cube", lambda x: x**3, lambda x, y: 3 * x**2)
    >>> dd.unregister("cube"); "cube" in dd.RULES
    False
    """
    rule = RULES.pop(name, None)
    if rule is None:
        raise ValueError(f"unregister: {name!r} is not in the rule table")
    for alias in [a for a, fn in FUNCTIONS.items() if fn is rule.fn]:
        del FUNCTIONS[alias]
    for u in [u for u, fn in _dual.UFUNCS.items() if fn is rule.fn]:
        del _dual.UFUNCS[u]


# --- helpers used by the derivative formulas ------------------------------------------------------


def _ln_const(c: float, x: Any) -> Any:
    """ln(c) at the precision of x (mpf inside an mpf computation, else float)."""
    return mp.log(c) if is_mpf(x) else math.log(c)


def _zero(x: Any) -> Any:
    """A zero slope of the kind of x."""
    b = base_value(x)
    if isinstance(b, _MPF):
        return _MPF(0)
    if np.ndim(b) == 0 and not hasattr(b, "__array_function__"):
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
    if np.ndim(v) == 0 and not hasattr(v, "__array_function__"):
        return like(math.copysign(1.0, v) if not isinstance(v, _MPF) else (1 if v >= 0 else -1), b)
    return np.copysign(1.0, v)


def _ratio0(n: Any, d: Any) -> Any:
    """n / d, taken as 0 where d == 0 (the convention at the kink of hypot and arctan2)."""
    dv = base_value(d)
    if np.ndim(dv) == 0 and not hasattr(dv, "__array_function__"):
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
    r = x - 2.0 * np.rint(x / 2.0)
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
    reduced = x - 2 * rint(x / 2)  # cos(πx) = cos(πr) with r exact: no phase error for large x
    if np.ndim(b) == 0 and not hasattr(b, "__array_function__"):
        return series if builtins.abs(b) < 0.5 else (cos(pi * reduced) - y) / x
    small = np.abs(b) < 0.5
    safe = np.where(small, 1.0, x)
    return np.where(small, series, (cos(pi * reduced) - y) / safe)


def _expit_math(x: float) -> float:
    e = math.exp(-builtins.abs(x))
    return 1.0 / (1.0 + e) if x >= 0 else e / (1.0 + e)


def _expit_numpy(x: Any) -> Any:
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


_msin, _mcos, _msinh, _mcosh = math.sin, math.cos, math.sinh, math.cosh
_cbrt_math = getattr(math, "cbrt", lambda x: math.copysign(abs(x) ** (1.0 / 3.0), x))
_POS = Domain(0.0, closed_lo=False)

# --- the table: name, float / array / mpf evaluation, derivative, domain ---------------------------
# fmt: off
exp     = register("exp",     math.exp,   lambda x, y: y,             numpy=np.exp,     mpmath=mp.exp,   formula="exp(x)")
expm1   = register("expm1",   math.expm1, lambda x, y: exp(x),        numpy=np.expm1,   mpmath=mp.expm1, formula="exp(x)")
exp2    = register("exp2",    lambda x: 2.0**x, lambda x, y: y * _ln_const(2, x), numpy=np.exp2, mpmath=lambda x: mp.power(2, x), formula="2**x ln 2")
ln      = register("ln",      math.log,   lambda x, y: 1 / x,         numpy=np.log,     mpmath=mp.log,   formula="1/x", domain=_POS, singular=True, float_deriv=lambda x, y: 1.0 / x)
log2    = register("log2",    math.log2,  lambda x, y: 1 / (x * _ln_const(2, x)),  numpy=np.log2,  mpmath=lambda x: mp.log(x, 2), formula="1/(x ln 2)", domain=_POS, singular=True)
log10   = register("log10",   math.log10, lambda x, y: 1 / (x * _ln_const(10, x)), numpy=np.log10, mpmath=mp.log10, formula="1/(x ln 10)", domain=_POS, singular=True)
log1p   = register("log1p",   math.log1p, lambda x, y: 1 / (1 + x),   numpy=np.log1p,   mpmath=mp.log1p, formula="1/(1+x)", domain=Domain(-1.0, closed_lo=False), singular=True)
# sqrt: y + 0.0 turns sqrt(-0.0) = -0.0 into +0.0, so the slope at either zero is +inf
sqrt    = register("sqrt",    math.sqrt,  lambda x, y: 0.5 / (y + 0.0), numpy=np.sqrt,  mpmath=mp.sqrt,  formula="1/(2 sqrt(x))", domain=Domain(0.0), singular=True, float_deriv=lambda x, y: 0.5 / (y + 0.0))
cbrt    = register("cbrt",    _cbrt_math, lambda x, y: 1 / (3 * y * y), numpy=np.cbrt,  mpmath=_cbrt_mp, formula="1/(3 cbrt(x)**2)", singular=True)
sin     = register("sin",     math.sin,   lambda x, y: cos(x),        numpy=np.sin,     mpmath=mp.sin,   formula="cos(x)", float_deriv=lambda x, y: _mcos(x))
cos     = register("cos",     math.cos,   lambda x, y: -sin(x),       numpy=np.cos,     mpmath=mp.cos,   formula="-sin(x)", float_deriv=lambda x, y: -_msin(x))
tan     = register("tan",     math.tan,   lambda x, y: 1 + y * y,     numpy=np.tan,     mpmath=mp.tan,   formula="1 + tan(x)**2")
arcsin  = register("arcsin",  math.asin,  lambda x, y: 1 / sqrt((1 - x) * (1 + x)),  numpy=np.arcsin, mpmath=mp.asin, formula="1/sqrt(1-x**2)", domain=Domain(-1.0, 1.0), singular=True, aliases=("asin",))
arccos  = register("arccos",  math.acos,  lambda x, y: -1 / sqrt((1 - x) * (1 + x)), numpy=np.arccos, mpmath=mp.acos, formula="-1/sqrt(1-x**2)", domain=Domain(-1.0, 1.0), singular=True, aliases=("acos",))
arctan  = register("arctan",  math.atan,  lambda x, y: 1 / (1 + x * x), numpy=np.arctan,  mpmath=mp.atan,  formula="1/(1+x**2)", aliases=("atan",))
sinh    = register("sinh",    math.sinh,  lambda x, y: cosh(x),       numpy=np.sinh,    mpmath=mp.sinh,  formula="cosh(x)", float_deriv=lambda x, y: _mcosh(x))
cosh    = register("cosh",    math.cosh,  lambda x, y: sinh(x),       numpy=np.cosh,    mpmath=mp.cosh,  formula="sinh(x)", float_deriv=lambda x, y: _msinh(x))
tanh    = register("tanh",    math.tanh,  lambda x, y: 1 / cosh(x) ** 2, numpy=np.tanh, mpmath=mp.tanh,  formula="1/cosh(x)**2 (not 1 - tanh**2, which cancels)")
arcsinh = register("arcsinh", math.asinh, lambda x, y: 1 / hypot(x, 1), numpy=np.arcsinh, mpmath=mp.asinh, formula="1/sqrt(x**2+1)", aliases=("asinh",))
# arccosh: two square roots, since (x-1)(x+1) overflows for x > 1e154
arccosh = register("arccosh", math.acosh, lambda x, y: 1 / (sqrt(x - 1) * sqrt(x + 1)), numpy=np.arccosh, mpmath=mp.acosh, formula="1/sqrt(x**2-1)", domain=Domain(1.0), singular=True, aliases=("acosh",))
arctanh = register("arctanh", math.atanh, lambda x, y: 1 / ((1 - x) * (1 + x)), numpy=np.arctanh, mpmath=mp.atanh, formula="1/(1-x**2)", domain=Domain(-1.0, 1.0, False, False), singular=True, aliases=("atanh",))
abs     = register("abs",     math.fabs,  lambda x, y: sign(x),       numpy=np.absolute, mpmath=mp.fabs, formula="sign(x), 0 at x = 0", ufuncs=(np.fabs,), nonsmooth=_at_zero)
sign    = register("sign",    _sign_math, lambda x, y: _zero(x),      numpy=np.sign,    mpmath=mp.sign,  formula="0 (except at 0)", nonsmooth=_at_zero)
square  = register("square",  lambda x: x * x, lambda x, y: 2 * x,    numpy=np.square,  mpmath=lambda x: x * x, formula="2x")
arctan2 = register("arctan2", math.atan2, _atan2_slopes, numpy=np.arctan2, mpmath=mp.atan2, formula="(x, -y)/(x**2+y**2), 0 at the origin", aliases=("atan2",), nonsmooth=lambda a, b: a == 0 and b == 0)
hypot   = register("hypot",   math.hypot, lambda x, y, z: (_ratio0(x, z), _ratio0(y, z)), numpy=np.hypot, mpmath=mp.hypot, formula="(x, y)/hypot(x, y), 0 at the origin", nonsmooth=lambda a, b: a == 0 and b == 0)
expit   = register("expit",   _expit_math, lambda x, y: y * expit(-x), numpy=_expit_numpy, mpmath=lambda x: 1 / (1 + mp.exp(-x)), formula="expit(x) expit(-x)", aliases=("sigmoid",))
# logaddexp: expit(x1 - x2), not exp(x1 - y): y = x1 + ln 2 rounds to x1 for x1 > 1e16
logaddexp = register("logaddexp", _logaddexp_math, lambda a, b, y: (expit(a - b), expit(b - a)), numpy=np.logaddexp, mpmath=lambda a, b: mp.log(mp.exp(a) + mp.exp(b)), formula="(expit(x1-x2), expit(x2-x1))")
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
sinc    = register("sinc",    _sinc_math, _sinc_slope, numpy=_sinc_numpy, ufuncs=(), mpmath=lambda x: mp.sincpi(x), formula="(cos(pi x) - sinc(x))/x, its series near 0")
deg2rad = register("deg2rad", math.radians, lambda x, y: _zero(x) + _pi_const(x) / 180, numpy=np.deg2rad, mpmath=mp.radians, formula="pi/180", ufuncs=(np.radians,), aliases=("radians",))
rad2deg = register("rad2deg", math.degrees, lambda x, y: _zero(x) + 180 / _pi_const(x), numpy=np.rad2deg, mpmath=mp.degrees, formula="180/pi", ufuncs=(np.degrees,), aliases=("degrees",))
copysign = register("copysign", math.copysign, lambda a, b, y: (sign(a) * _copysign1(b), _zero(b)), numpy=np.copysign, mpmath=lambda a, b: mp.fabs(a) * (1 if b >= 0 else -1), formula="(sign(x1) sign(x2), 0)", nonsmooth=lambda a, b: a == 0 or b == 0)
nextafter = register("nextafter", math.nextafter, lambda a, b, y: (_ones(a), _zero(b)), numpy=np.nextafter, mpmath=lambda a, b: a, formula="(1, 0): the next float is x1 to within one rounding")
# fmt: on


def log(x: Any, base: Any = None) -> Any:
    """Logarithm of ``x`` to ``base`` (natural if None): ``ln(x) / ln(base)``.

    d/dx log_a(x) = 1/(x ln a); the base may be a Dual too.

    >>> import dualdiff as dd
    >>> d = dd.log(dd.Dual(8.0, 1.0), 2)
    >>> d.value, round(d.tangent * 8 * math.log(2), 12)
    (3.0, 1.0)
    """
    if base is None:
        try:
            return ln(x)
        except DomainError:  # named as the user wrote it
            raise DomainError(f"log(x) needs {RULES['ln'].domain}, got x = {fmt(x)}") from None
    if not isinstance(base, Dual) and np.ndim(base) == 0 and not isinstance(base, _NDARRAY):
        if not (base > 0 and base != 1):
            raise DomainError(f"log(x, base) needs base > 0 and base != 1, got base = {fmt(base)}")
        if type(base) is not bool and base == 2:
            return log2(x)
        if base == 10:
            return log10(x)
    return ln(x) / ln(base)


FUNCTIONS["log"] = log


def listing() -> str:
    """The public functions of the table, for the README: each row with its aliases, in order.

    >>> listing().split(" · ")[0]
    '`exp`'
    """
    aliases: dict[str, list[str]] = {}
    for alias, fn in FUNCTIONS.items():
        if alias != fn.__name__:
            aliases.setdefault(fn.__name__, []).append(alias)
    names = [*RULES, "log"]
    items = []
    for n in names:
        shown = "log(x, base)" if n == "log" else n
        extra = "".join(f" (`{a}`)" for a in aliases.get(n, ()))
        items.append(f"`{shown}`{extra}")
    return " · ".join(items)
