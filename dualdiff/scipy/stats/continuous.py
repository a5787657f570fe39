"""The distributions of :mod:`dualdiff.scipy.stats` (see its docstring)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import mpmath as mp
import numpy as np

from ... import table as _f
from ...api import as_input
from ...dual import Dual, fmt
from ...errors import DomainError
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


# --- parameters: their checks, as data -------------------------------------------------------


@dataclass(frozen=True)
class _Check:
    """What a parameter must satisfy (as text for the error, and as a test on values), and a
    valid value computed with where it does not (that entry is NaN in the end)."""

    text: str
    test: Callable[[Any], Any]
    safe: float


_POSITIVE = _Check("> 0", lambda v: v > 0, 1.0)
_NONNEG = _Check(">= 0", lambda v: v >= 0, 1.0)
_PROB = _Check("in [0, 1]", lambda v: (v >= 0) & (v <= 1), 0.5)
_PROB_POS = _Check("in (0, 1]", lambda v: (v > 0) & (v <= 1), 0.5)
_WHOLE = _Check("a whole number >= 0", lambda v: (v >= 0) & (_f.floor(v) == v), 1.0)


def _input(v: Any, who: str) -> Any:
    """An argument as dualdiff takes it (ints as floats, lists as arrays); a list holding Duals
    is stacked into one Dual."""
    if isinstance(v, (list, tuple)) and any(isinstance(e, Dual) for e in v):
        return np.stack([_input(e, who) for e in v])
    return as_input(v, who)


def _to_mpf(v: Any) -> Any:
    """Floats and float arrays as mpf (an mpf argument makes the whole call compute in mpf)."""
    if isinstance(v, float):
        return mp.mpf(v)
    if isinstance(v, np.ndarray) and v.dtype.kind == "f":
        return np.array([mp.mpf(float(e)) for e in v.ravel()], dtype=object).reshape(v.shape)
    return v


class _Args:
    """One call's arguments: bound to their names as SciPy binds them, converted and checked."""

    def __init__(self, dist: Any, method: str, x: Any, args: tuple, kwds: dict) -> None:
        self.who = f"{dist.name}.{method}"
        names = dist.names
        if len(args) > len(names):
            raise TypeError(
                f"{self.who} takes at most {len(names) + 1} arguments "
                f"({dist.signature(method)}), got {len(args) + 1}"
            )
        bound = dict(zip(names, args, strict=False))
        for key, value in kwds.items():
            if key not in names:
                raise TypeError(f"{self.who} got an unexpected keyword argument {key!r}")
            if key in bound:
                raise TypeError(f"{self.who} got multiple values for argument {key!r}")
            bound[key] = value
        missing = [n for n in dist.shape_names if n not in bound]
        if missing:
            raise TypeError(f"{self.who} is missing the shape parameter {', '.join(missing)}")
        bound.setdefault("loc", 0.0)
        if not dist.discrete:
            bound.setdefault("scale", 1.0)
        values = {n: _input(bound[n], self.who) for n in names}
        x = _input(x, self.who)
        every = [x, *values.values()]
        self.single = all(_single(v) for v in every)
        if any(is_mpf(v) for v in every):
            x = _to_mpf(x)
            values = {n: _to_mpf(v) for n, v in values.items()}
        self.bad: Any = False
        for name, check in dist.checks:
            values[name] = self.check(name, values[name], check)
        self.x = x
        self.shapes = [values[n] for n in dist.shape_names]
        self.loc = values["loc"]
        self.scale = values.get("scale", 1.0)

    def check(self, name: str, v: Any, check: _Check) -> Any:
        """v where it passes the check; single numbers that fail raise, arrays mark NaN."""
        ok = _mask(check.test(_v(v)))
        if np.all(ok):
            return v
        if self.single:
            if _v(v) == _v(v):
                raise DomainError(f"{self.who} needs {name} {check.text}, got {name} = {fmt(v)}")
            self.bad = True
            return check.safe
        self.bad = np.logical_or(self.bad, np.logical_not(ok))
        return _where(ok, v, check.safe)

    def finish(self, out: Any, z: Any) -> Any:
        """NaN (value and tangent) where a parameter was invalid or an argument NaN."""
        zv = _v(z)
        bad = np.logical_or(self.bad, _mask(zv != zv))
        if np.any(bad):
            out = _where(bad, out * _NAN, out)
        ov = _v(out)
        return out[()] if isinstance(ov, np.ndarray) and ov.ndim == 0 else out


# --- the distributions' common methods -------------------------------------------------------

_DOCS = {
    "pdf": "The probability density at x.",
    "logpdf": "ln pdf(x), computed in log space (finite where pdf underflows).",
    "pmf": "The probability mass at k (0 where k is not a whole number).",
    "logpmf": "ln pmf(k), computed in log space.",
    "cdf": "The cumulative distribution function P(X <= x).",
    "logcdf": "ln cdf(x).",
    "sf": "The survival function 1 - cdf(x), computed without cancellation.",
    "logsf": "ln sf(x).",
    "ppf": "The quantile (percent point function), the inverse of cdf: q in [0, 1].",
}
#: below and above the support: the value of each function of the cdf family
_EDGES = {"cdf": (0.0, 1.0), "logcdf": (-_INF, 0.0), "sf": (1.0, 0.0), "logsf": (0.0, -_INF)}


def _method(cls: type, name: str, impl: Callable[..., Any]) -> Callable[..., Any]:
    def method(self: Any, x: Any, *args: Any, **kwds: Any) -> Any:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
            return impl(self, name, x, args, kwds)

    note = cls.notes.get(name) or cls.notes.get("cdf family" if name in _EDGES else "")
    method.__name__ = name
    method.__qualname__ = f"{cls.__name__}.{name}"
    method.__doc__ = f"``{cls.name}.{name}({cls.signature(name)})``: {_DOCS[name]}" + (
        f"\n\n{note}" if note else ""
    )
    return method


class _Univariate:
    """What every univariate distribution shares: argument handling, the support, NaN and
    errors, and the public methods (made for each distribution with its own signature)."""

    name: ClassVar[str] = ""
    shapes: ClassVar[tuple[tuple[str, _Check], ...]] = ()
    discrete: ClassVar[bool] = False
    lo: ClassVar[float] = -_INF
    hi: ClassVar[float] = _INF
    open: ClassVar[bool] = False  # the pdf's support excludes its ends
    notes: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.name:
            return
        cls.shape_names = tuple(n for n, _ in cls.shapes)
        scale = () if cls.discrete else ("scale",)
        cls.names = (*cls.shape_names, "loc", *scale)
        cls.checks = (*cls.shapes, *((("scale", _POSITIVE),) if not cls.discrete else ()))
        dens = ("pmf", "logpmf") if cls.discrete else ("pdf", "logpdf")
        impls: dict[str, Callable[..., Any]] = dict.fromkeys(dens, cls._density)
        impls.update(dict.fromkeys(_EDGES, cls._tail))
        if hasattr(cls, "_ppf"):
            impls["ppf"] = cls._quantile
        for name, impl in impls.items():
            setattr(cls, name, _method(cls, name, impl))

    @classmethod
    def signature(cls, method: str) -> str:
        first = "q" if method == "ppf" else ("k" if cls.discrete else "x")
        rest = "loc=0" if cls.discrete else "loc=0, scale=1"
        return ", ".join([first, *cls.shape_names, rest])

    def __call__(self, *args: Any, **kwds: Any) -> _Frozen:
        """The distribution with its parameters fixed: ``norm(loc=1.0).cdf(x)``."""
        return _Frozen(self, args, kwds)

    def __repr__(self) -> str:
        return f"<dualdiff.scipy.stats.{self.name}>"

    def _support(self, *shapes: Any) -> tuple[Any, Any]:
        """The standardised support's ends (closed for the pdf unless ``open``)."""
        return self.lo, self.hi

    def _inner(self, *shapes: Any) -> float:
        """A point inside the support, where the formulas are evaluated outside it."""
        if self.discrete:
            return self.lo
        if self.hi == _INF:
            return 0.0 if self.lo == -_INF else self.lo + 1.0
        return (self.lo + self.hi) / 2

    def _standard(self, c: _Args) -> Any:
        if self.discrete:
            return c.x - c.loc
        return (c.x - c.loc) / c.scale

    def _steps(self, z: Any) -> tuple[Any, Any]:
        """(z, 0) for a continuous distribution. A discrete one's floor(k - loc) has slope 0 at
        every order: it goes in as a plain whole number (the incomplete functions take it as
        their shape, which may not be a Dual), and a zero of its kind keeps the result a Dual."""
        if not self.discrete:
            return z, 0.0
        return _v(z), 0.0 * z

    def _density(self, method: str, x: Any, args: tuple, kwds: dict) -> Any:
        c = _Args(self, method, x, args, kwds)
        z = self._standard(c)
        lo, hi = self._support(*c.shapes)
        zv = _v(z)
        if self.discrete:
            inside = _mask((lo <= zv) & (zv <= hi) & (_f.floor(zv) == zv))
            zs = _f.floor(_where(inside, z, lo))
        else:
            inside = _mask((lo < zv) & (zv < hi) if self.open else (lo <= zv) & (zv <= hi))
            zs = _where(inside, z, self._inner(*c.shapes))
        zs, zero = self._steps(zs)
        if method in ("logpdf", "logpmf"):
            log = self._logpmf if self.discrete else self._logpdf
            val, edge = log(zs, *c.shapes), -_INF
            if not self.discrete:
                val = val - _f.ln(c.scale)
            val = _where(_mask(_v(val) == -_INF), -_INF, val)  # a density of 0: constant
        elif self.discrete:
            val, edge = self._pmf(zs, *c.shapes), 0.0
        else:
            val, edge = self._pdf(zs, *c.shapes) / c.scale, 0.0
        return c.finish(_where(inside, val + zero, _like(z, edge)), z)

    def _tail(self, method: str, x: Any, args: tuple, kwds: dict) -> Any:
        c = _Args(self, method, x, args, kwds)
        z = self._standard(c)
        lo, hi = self._support(*c.shapes)
        if self.discrete:
            z = _f.floor(z)  # a step function of k: slope 0
            zv = _v(z)
            inside = _mask((lo <= zv) & (zv < hi))
        else:
            zv = _v(z)
            inside = _mask((lo < zv) & (zv < hi))
        below, above = (_like(z, e) for e in _EDGES[method])
        zs, zero = self._steps(_where(inside, z, self._inner(*c.shapes)))
        val = getattr(self, "_" + method)(zs, *c.shapes) + zero
        return c.finish(_where(inside, val, _where(_mask(zv >= hi), above, below)), z)

    def _quantile(self, method: str, q: Any, args: tuple, kwds: dict) -> Any:
        c = _Args(self, method, q, args, kwds)
        q = c.check("q", c.x, _PROB)
        qv = _v(q)
        inner = _mask((qv > 0) & (qv < 1))
        val = self._ppf(_where(inner, q, 0.5), *c.shapes)
        lo, hi = self._support(*c.shapes)
        if self.discrete:  # SciPy's ppf(0) is the support's start - 1
            val, lo = val + c.loc, lo - 1
        else:
            val = val * c.scale + c.loc
        lo, hi = (e if abs(e) == _INF else e * c.scale + c.loc for e in (lo, hi))
        return c.finish(_where(inner, val, _where(_mask(qv == 0), lo, hi)), q)

    # defaults, as SciPy's
    def _pdf(self, z: Any, *shapes: Any) -> Any:
        return _f.exp(self._logpdf(z, *shapes))

    def _pmf(self, k: Any, *shapes: Any) -> Any:
        return _f.exp(self._logpmf(k, *shapes))

    def _sf(self, z: Any, *shapes: Any) -> Any:
        return 1 - self._cdf(z, *shapes)

    def _logcdf(self, z: Any, *shapes: Any) -> Any:
        cdf = self._cdf(z, *shapes)  # near 1: log1p(-sf), accurate where ln(cdf) is not
        return _where(_mask(_v(cdf) > 0.5), _f.log1p(-self._sf(z, *shapes)), _log(cdf))

    def _logsf(self, z: Any, *shapes: Any) -> Any:
        sf = self._sf(z, *shapes)
        return _where(_mask(_v(sf) > 0.5), _f.log1p(-self._cdf(z, *shapes)), _log(sf))


class _Frozen:
    """A distribution with fixed parameters (SciPy's frozen distribution)."""

    def __init__(self, dist: Any, args: tuple, kwds: dict) -> None:
        self.dist, self.args, self.kwds = dist, args, kwds

    def __getattr__(self, name: str) -> Callable[[Any], Any]:
        if name.startswith("_"):  # copy, pickle: not the distribution's methods
            raise AttributeError(name)
        method = getattr(self.dist, name)

        def frozen(x: Any) -> Any:
            return method(x, *self.args, **self.kwds)

        frozen.__doc__ = method.__doc__
        return frozen

    def __repr__(self) -> str:
        return f"<frozen {self.dist.name}{self.args}{self.kwds}>"


# --- continuous distributions, in standard form (z = (x - loc)/scale), as SciPy writes them ----

_NO_SHAPE_SLOPE = (
    "Not differentiable in {0}: this is the regularised incomplete {1} function, which "
    "dualdiff.scipy.special differentiates in its argument only; a Dual {0} raises TypeError."
)


class _Norm(_Univariate):
    """The normal distribution: pdf(z) = exp(-z²/2)/√(2π).

    >>> import dualdiff as dd
    >>> round(norm.cdf(dd.Dual(0.0, 1.0), scale=2.0).tangent, 15)     # pdf(0)/scale = 1/(2√(2π))
    0.199471140200716
    """

    name = "norm"

    def _logpdf(self, z: Any) -> Any:
        return -z * z / 2.0 - _k(z, "log_sqrt_2pi")

    def _pdf(self, z: Any) -> Any:
        return _f.exp(-z * z / 2.0) / _k(z, "sqrt_2pi")

    def _cdf(self, z: Any) -> Any:
        return _sp.ndtr(z)

    def _logcdf(self, z: Any) -> Any:
        return _sp.log_ndtr(z)

    def _sf(self, z: Any) -> Any:
        return _sp.ndtr(-z)

    def _logsf(self, z: Any) -> Any:
        return _sp.log_ndtr(-z)

    def _ppf(self, q: Any) -> Any:
        return _sp.ndtri(q)


class _Lognorm(_Univariate):
    """The log-normal distribution, shape s: ln(z) is normal with standard deviation s.

    >>> import dualdiff as dd
    >>> lognorm.cdf(dd.Dual(1.0, 1.0), 0.5)          # the median; slope pdf(1) = 1/(0.5√(2π))
    Dual(0.5, 0.7978845608028653)
    """

    name = "lognorm"
    shapes = (("s", _POSITIVE),)
    lo = 0.0
    open = True

    def _logpdf(self, z: Any, s: Any) -> Any:
        lz = _f.ln(z)
        return -lz * lz / (2 * s * s) - _f.ln(s * z * _k(z, "sqrt_2pi"))

    def _cdf(self, z: Any, s: Any) -> Any:
        return _sp.ndtr(_f.ln(z) / s)

    def _logcdf(self, z: Any, s: Any) -> Any:
        return _sp.log_ndtr(_f.ln(z) / s)

    def _sf(self, z: Any, s: Any) -> Any:
        return _sp.ndtr(-_f.ln(z) / s)

    def _logsf(self, z: Any, s: Any) -> Any:
        return _sp.log_ndtr(-_f.ln(z) / s)

    def _ppf(self, q: Any, s: Any) -> Any:
        return _f.exp(s * _sp.ndtri(q))


def _half_ratio_series(mpf: bool) -> tuple[list[Any], float]:
    """Stirling's series of ln Γ(a + 1/2) - ln Γ(a) - ln(a)/2: the coefficients c_n of a^-n
    (odd n), c_n = -(2 - 2^-n) B_(n+1)/(n(n+1)) with B the Bernoulli numbers, and the a from
    which they reach the precision (floats: 8 terms from a = 15 reach 1e-19; mpf: 2·dps terms
    from a = dps + 15)."""
    terms, start = (mp.mp.dps + 1, mp.mp.dps + 15.0) if mpf else (8, 15.0)
    cs = [
        -(2 - mp.mpf(2) ** -n) * mp.bernoulli(n + 1) / (n * (n + 1)) for n in range(1, 2 * terms, 2)
    ]
    return (cs if mpf else [float(c) for c in cs]), start


_HALF_RATIO = _half_ratio_series(False)


def _log_gamma_half_ratio(a: Any) -> Any:
    """S(a) = ln Γ(a + 1/2) - ln Γ(a) - ln(a)/2, which tends to 0 as -1/(8a): for large a by
    Stirling's series (a polynomial in 1/a, whose slopes do not cancel as those of a difference
    of log-gammas do), else from betaln."""
    cs, start = _half_ratio_series(True) if is_mpf(a) else _HALF_RATIO
    big = _mask(_v(a) >= start)
    u = 1 / _where(big, a, start)
    u2, acc = u * u, cs[-1]
    for c in reversed(cs[:-1]):
        acc = acc * u2 + c
    b = _where(big, 1.0, a)
    return _where(big, acc * u, _k(b, "log_sqrt_pi") - _sp.betaln(b, 0.5) - _f.ln(b) / 2)


def _t_log_kernel(z2: Any, d: Any) -> Any:
    """(d + 1)/2 ln(1 + u), u = z²/d; for u < 0.1 as z²(1 + 1/d) L(u)/2 with L(u) = ln(1 + u)/u
    by its series Σ (-u)^k/(k+1), whose slope in d does not cancel (that of (d+1)/2 ln(1 + u)
    is a difference of two terms of order z²/d, for a result of order z²/d²)."""
    u = z2 / d
    small = _mask(_v(u) < 0.1)
    n = int(mp.mp.dps * 1.05) + 5 if is_mpf(u) else 18  # 0.1^n/(n+1) below the precision
    us = _where(small, u, 0.05)
    acc = _like(u, 1.0) / n
    for k in range(n - 2, -1, -1):
        acc = _like(u, 1.0) / (k + 1) - us * acc
    return _where(small, z2 * (1 + 1 / d) * acc / 2, (d + 1) / 2 * _f.log1p(u))


class _T(_Univariate):
    """Student's t distribution, df degrees of freedom (df = inf: the normal distribution).

    The cdf is half the regularised incomplete beta function of z²/(df + z²) or of df/(df + z²),
    whichever keeps its digits (as Boost's, which SciPy's ``stdtr`` uses).

    >>> import numpy as np, dualdiff as dd
    >>> t.logpdf(1.0, np.inf) == norm.logpdf(1.0)
    True
    >>> round(t.logpdf(1.0, dd.Dual(4.0, 1.0)).tangent, 12)     # d/ddf of the log density
    0.028614377116
    >>> t.cdf(1.0, dd.Dual(4.0, 1.0))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    TypeError: betainc(a, b, x) has no derivative in b in dualdiff: ...
    """

    name = "t"
    shapes = (("df", _POSITIVE),)
    notes: ClassVar[dict[str, str]] = {"cdf family": _NO_SHAPE_SLOPE.format("df", "beta")}

    def _logpdf(self, z: Any, df: Any) -> Any:
        # ln Γ((d+1)/2)/Γ(d/2) - ln √(dπ) - (d+1)/2 ln(1 + z²/d), written so that neither the
        # value nor its slope in d cancels for large d: S(d/2) - ln √(2π) - kernel
        big = _mask(_v(df) == _INF)
        d = _where(big, 1.0, df)
        t = _log_gamma_half_ratio(d / 2) - _k(z, "log_sqrt_2pi") - _t_log_kernel(z * z, d)
        return _where(big, norm._logpdf(z), t)

    def _cdf(self, z: Any, df: Any) -> Any:
        big = _mask(_v(df) == _INF)
        d = _where(big, 1.0, df)
        z2 = z * z
        zero = _mask(_v(z2) == 0)
        # the tail P(T < -|z|) = (1 - I_u(1/2, d/2))/2 = I_w(d/2, 1/2)/2, u = z²/(d + z²),
        # w = d/(d + z²): the first where it is over 1/4 (u keeps the digits that w loses near
        # z = 0), else the second (no cancellation in a small tail)
        i = _betainc(0.5, d / 2, _where(zero, 0.5, z2 / (d + z2)))
        upper = _mask(_v(i) < 0.5)
        w = _where(upper, 0.5, d / (d + z2))
        tail = _where(upper, 0.5 - i / 2, _betainc(d / 2, 0.5, w) / 2)
        cdf = _where(_mask(_v(z) > 0), 1 - tail, tail)
        # at z = 0 the formula's slope is 0·inf (z² under a square root); there the cdf is
        # 1/2 + z pdf(0) 2F1(1/2, (d+1)/2; 3/2; -z²/d), whose series to z^9 has every derivative
        # up to the 10th
        term = series = _like(z, 1.0)
        for n in range(1, 5):
            term = term * (n - 0.5) * ((d + 1) / 2 + n - 1) / ((n + 0.5) * n) * (-z2 / d)
            series = series + term
        cdf = _where(zero, 0.5 + z * _f.exp(self._logpdf(0.0 * z, d)) * series, cdf)
        return _where(big, _sp.ndtr(z), cdf)

    def _sf(self, z: Any, df: Any) -> Any:
        return self._cdf(-z, df)


class _Cauchy(_Univariate):
    """The Cauchy distribution: pdf(z) = 1/(π(1 + z²))."""

    name = "cauchy"

    def _logpdf(self, z: Any) -> Any:
        a = _f.abs(z)
        small = _mask(_v(a) < 1)
        s, b = _where(small, a, 0.5), _where(small, 2.0, a)  # ln(1 + z²), without overflow
        big = 2 * _f.ln(b) + _f.log1p((1 / b) ** 2)
        return -_k(z, "log_pi") - _where(small, _f.log1p(s * s), big)

    def _pdf(self, z: Any) -> Any:
        return 1.0 / _k(z, "pi") / (1.0 + z * z)

    def _cdf(self, z: Any) -> Any:
        return _f.arctan2(1.0, -z) / _k(z, "pi")

    def _sf(self, z: Any) -> Any:
        return _f.arctan2(1.0, z) / _k(z, "pi")

    def _ppf(self, q: Any) -> Any:
        # Boost's quantile: -1/tan(πP), P = q or q - 1 (whichever is within 1/2 of 0); at
        # q = 1/2 exactly, tan(π(q - 1/2)): the value 0 and every derivative
        half = _mask(_v(q) == 0.5)
        p = _where(_mask(_v(q) > 0.5), q - 1, q)
        pi = _k(q, "pi")
        return _where(half, _f.tan(pi * (q - 0.5)), -1 / _f.tan(pi * _where(half, 0.25, p)))


class _Laplace(_Univariate):
    """The Laplace distribution: pdf(z) = exp(-|z|)/2."""

    name = "laplace"

    def _logpdf(self, z: Any) -> Any:
        return -_k(z, "log2") - _f.abs(z)

    def _pdf(self, z: Any) -> Any:
        return 0.5 * _f.exp(-_f.abs(z))

    def _cdf(self, z: Any) -> Any:
        e = 0.5 * _f.exp(-_f.abs(z))
        return _where(_mask(_v(z) > 0), 1.0 - e, e)

    def _sf(self, z: Any) -> Any:
        return self._cdf(-z)

    def _logcdf(self, z: Any) -> Any:
        a = _f.abs(z)
        return _where(_mask(_v(z) > 0), _f.log1p(-0.5 * _f.exp(-a)), -_k(z, "log2") - a)

    def _logsf(self, z: Any) -> Any:
        return self._logcdf(-z)

    def _ppf(self, q: Any) -> Any:
        return _where(_mask(_v(q) > 0.5), -_f.ln(2 * (1 - q)), _f.ln(2 * q))


class _Logistic(_Univariate):
    """The logistic distribution: cdf(z) = expit(z)."""

    name = "logistic"

    def _logpdf(self, z: Any) -> Any:
        y = -_f.abs(z)
        return y - 2.0 * _f.log1p(_f.exp(y))

    def _cdf(self, z: Any) -> Any:
        return _f.expit(z)

    def _logcdf(self, z: Any) -> Any:
        return _sp.log_expit(z)

    def _sf(self, z: Any) -> Any:
        return _f.expit(-z)

    def _logsf(self, z: Any) -> Any:
        return _sp.log_expit(-z)

    def _ppf(self, q: Any) -> Any:
        return _sp.logit(q)


class _Expon(_Univariate):
    """The exponential distribution: pdf(z) = exp(-z), z >= 0."""

    name = "expon"
    lo = 0.0

    def _logpdf(self, z: Any) -> Any:
        return -z

    def _pdf(self, z: Any) -> Any:
        return _f.exp(-z)

    def _cdf(self, z: Any) -> Any:
        return -_f.expm1(-z)

    def _sf(self, z: Any) -> Any:
        return _f.exp(-z)

    def _logsf(self, z: Any) -> Any:
        return -z

    def _ppf(self, q: Any) -> Any:
        return -_f.log1p(-q)


class _Uniform(_Univariate):
    """The uniform distribution on [loc, loc + scale]."""

    name = "uniform"
    lo, hi = 0.0, 1.0

    def _logpdf(self, z: Any) -> Any:
        return 0.0 * z  # constant, and a Dual of x's kind (slope 0)

    def _pdf(self, z: Any) -> Any:
        return 1.0 + 0.0 * z

    def _cdf(self, z: Any) -> Any:
        return z

    def _logsf(self, z: Any) -> Any:
        return _f.log1p(-z)

    def _ppf(self, q: Any) -> Any:
        return q


class _PowerLaw(_Univariate):
    """A density (or mass) Π y_i^e_i · exp(rest), its factors given by ``_terms``. logpdf adds
    xlogy or xlog1py of each; pdf multiplies exp of the factors with a positive base by the
    powers of those with base 0 (an end of the support, p = 0 or 1, mu = 0), so that a density
    that vanishes there keeps its slopes of every order (x e^(-x) at 0 has slope 1, 5p(1-p)^4 at
    p = 0 slope 5): exp(-inf) would have slope 0."""

    def _terms(self, z: Any, *shapes: Any) -> tuple[list[tuple[Any, Any, bool]], Any]:
        """[(exponent, y, whether the base is 1 + y rather than y)], and the rest (a log)."""
        raise NotImplementedError

    def _logpdf(self, z: Any, *shapes: Any) -> Any:
        terms, rest = self._terms(z, *shapes)
        for e, y, shifted in terms:
            rest = rest + (_xlog1py(e, y) if shifted else _xlogy(e, y))
        return rest

    def _pdf(self, z: Any, *shapes: Any) -> Any:
        terms, rest = self._terms(z, *shapes)
        power: Any = 1.0
        for e, y, shifted in terms:
            base = 1 + y if shifted else y
            zero = _mask(_v(base) == 0)
            if np.any(zero):  # the power there; its log term 0 (ln 1)
                power = power * _pow0(_where(zero, base, 1.0), e)
                y = _where(zero, 0.0 if shifted else 1.0, y)
            rest = rest + (_xlog1py(e, y) if shifted else _xlogy(e, y))
        return _f.exp(rest) * power

    _logpmf = _logpdf
    _pmf = _pdf


class _WeibullMin(_PowerLaw):
    """The Weibull (minimum) distribution, shape c: sf(z) = exp(-z^c), z >= 0."""

    name = "weibull_min"
    shapes = (("c", _POSITIVE),)
    lo = 0.0

    def _terms(self, z: Any, c: Any) -> tuple[list[tuple[Any, Any, bool]], Any]:
        return [(c - 1, z, False)], _f.ln(c) - z**c

    def _cdf(self, z: Any, c: Any) -> Any:
        return -_f.expm1(-(z**c))

    def _sf(self, z: Any, c: Any) -> Any:
        return _f.exp(-(z**c))

    def _logsf(self, z: Any, c: Any) -> Any:
        return -(z**c)

    def _ppf(self, q: Any, c: Any) -> Any:
        return (-_f.log1p(-q)) ** (1.0 / c)


class _Gamma(_PowerLaw):
    """The gamma distribution, shape a: pdf(z) = z^(a-1) exp(-z)/Γ(a), z >= 0.

    >>> import dualdiff as dd
    >>> gamma.cdf(dd.Dual(2.0, 1.0), 3.0)            # slope: the pdf, 2² e^-2/2
    Dual(0.32332358381693654, 0.2706705664732254)
    """

    name = "gamma"
    shapes = (("a", _POSITIVE),)
    lo = 0.0
    notes: ClassVar[dict[str, str]] = {"cdf family": _NO_SHAPE_SLOPE.format("a", "gamma")}

    def _terms(self, z: Any, a: Any) -> tuple[list[tuple[Any, Any, bool]], Any]:
        return [(a - 1.0, z, False)], -z - _sp.gammaln(a)

    def _cdf(self, z: Any, a: Any) -> Any:
        return _gammainc(a, z)

    def _sf(self, z: Any, a: Any) -> Any:
        return _gammaincc(a, z)


class _Chi2(_PowerLaw):
    """The chi-squared distribution, df degrees of freedom: gamma(df/2, scale=2)."""

    name = "chi2"
    shapes = (("df", _POSITIVE),)
    lo = 0.0
    notes: ClassVar[dict[str, str]] = {"cdf family": _NO_SHAPE_SLOPE.format("df", "gamma")}

    def _terms(self, z: Any, df: Any) -> tuple[list[tuple[Any, Any, bool]], Any]:
        rest = -z / 2.0 - _sp.gammaln(df / 2.0) - _k(z, "log2") * df / 2.0
        return [(df / 2.0 - 1, z, False)], rest

    def _cdf(self, z: Any, df: Any) -> Any:
        return _gammainc(df / 2.0, z / 2.0)

    def _sf(self, z: Any, df: Any) -> Any:
        return _gammaincc(df / 2.0, z / 2.0)


class _Beta(_PowerLaw):
    """The beta distribution, shapes a, b: pdf(z) = z^(a-1) (1-z)^(b-1)/B(a, b), 0 <= z <= 1."""

    name = "beta"
    shapes = (("a", _POSITIVE), ("b", _POSITIVE))
    lo, hi = 0.0, 1.0
    notes: ClassVar[dict[str, str]] = {"cdf family": _NO_SHAPE_SLOPE.format("a or b", "beta")}

    def _terms(self, z: Any, a: Any, b: Any) -> tuple[list[tuple[Any, Any, bool]], Any]:
        return [(b - 1.0, -z, True), (a - 1.0, z, False)], -_sp.betaln(a, b)

    def _cdf(self, z: Any, a: Any, b: Any) -> Any:
        return _betainc(a, b, z)

    def _sf(self, z: Any, a: Any, b: Any) -> Any:
        return _betaincc(a, b, z)


# --- discrete distributions -----------------------------------------------------------------


class _Poisson(_PowerLaw):
    """The Poisson distribution, mean mu: pmf(k) = mu^k exp(-mu)/k!.

    >>> import dualdiff as dd
    >>> poisson.cdf(2, dd.Dual(1.5, 1.0))            # d/dmu P(K <= 2) = -pmf(2)
    Dual(0.8088468305380582, -0.25102143016698353)
    """

    name = "poisson"
    shapes = (("mu", _NONNEG),)
    discrete = True
    lo = 0.0

    def _terms(self, k: Any, mu: Any) -> tuple[list[tuple[Any, Any, bool]], Any]:
        return [(k, mu, False)], -_sp.gammaln(k + 1) - mu

    def _cdf(self, k: Any, mu: Any) -> Any:
        return _gammaincc(k + 1, mu)

    def _sf(self, k: Any, mu: Any) -> Any:
        return _gammainc(k + 1, mu)


class _Binom(_PowerLaw):
    """The binomial distribution: n trials (a whole number), success probability p."""

    name = "binom"
    shapes = (("n", _WHOLE), ("p", _PROB))
    discrete = True
    lo = 0.0
    notes: ClassVar[dict[str, str]] = {"cdf family": _NO_SHAPE_SLOPE.format("n", "beta")}

    def _support(self, n: Any, p: Any) -> tuple[Any, Any]:
        return 0.0, _v(n)

    def _terms(self, k: Any, n: Any, p: Any) -> tuple[list[tuple[Any, Any, bool]], Any]:
        comb = _sp.gammaln(n + 1) - (_sp.gammaln(k + 1) + _sp.gammaln(n - k + 1))
        return [(k, p, False), (n - k, -p, True)], comb

    def _cdf(self, k: Any, n: Any, p: Any) -> Any:
        return _betaincc(k + 1, n - k, p)

    def _sf(self, k: Any, n: Any, p: Any) -> Any:
        return _betainc(k + 1, n - k, p)


class _Nbinom(_PowerLaw):
    """The negative binomial distribution: failures before the n-th success (n > 0 real),
    success probability p."""

    name = "nbinom"
    shapes = (("n", _POSITIVE), ("p", _PROB_POS))
    discrete = True
    lo = 0.0
    notes: ClassVar[dict[str, str]] = {"cdf family": _NO_SHAPE_SLOPE.format("n", "beta")}

    def _terms(self, k: Any, n: Any, p: Any) -> tuple[list[tuple[Any, Any, bool]], Any]:
        coeff = _sp.gammaln(n + k) - _sp.gammaln(k + 1) - _sp.gammaln(n)
        return [(k, -p, True)], coeff + n * _f.ln(p)

    def _cdf(self, k: Any, n: Any, p: Any) -> Any:
        return _betainc(n, k + 1, p)

    def _sf(self, k: Any, n: Any, p: Any) -> Any:
        return _betaincc(n, k + 1, p)


class _Geom(_PowerLaw):
    """The geometric distribution: trials up to the first success, pmf(k) = (1-p)^(k-1) p.

    >>> geom.ppf([0.1, 0.5, 0.9], 0.3)
    array([1., 2., 7.])
    """

    name = "geom"
    shapes = (("p", _PROB_POS),)
    discrete = True
    lo = 1.0

    @staticmethod
    def _log1m(p: Any) -> Any:
        """ln(1 - p), -inf (a constant) at p = 1."""
        return _apply(_mask(_v(p) < 1), lambda u: _f.log1p(-u), p, 0.5, -_INF)

    def _terms(self, k: Any, p: Any) -> tuple[list[tuple[Any, Any, bool]], Any]:
        return [(k - 1, -p, True)], _f.ln(p)

    def _cdf(self, k: Any, p: Any) -> Any:
        return -_f.expm1(self._log1m(p) * k)

    def _logsf(self, k: Any, p: Any) -> Any:
        return k * self._log1m(p)

    def _sf(self, k: Any, p: Any) -> Any:
        return _f.exp(self._logsf(k, p))

    def _ppf(self, q: Any, p: Any) -> Any:
        vals = _f.ceil(_f.log1p(-q) / self._log1m(p))  # a step function: slope 0
        prev = self._cdf(vals - 1, p)
        return _where(_mask((_v(prev) >= _v(q)) & (_v(vals) > 0)), vals - 1, vals)


class _Bernoulli(_PowerLaw):
    """The Bernoulli distribution: 1 with probability p, else 0."""

    name = "bernoulli"
    shapes = (("p", _PROB),)
    discrete = True
    lo, hi = 0.0, 1.0

    def _terms(self, k: Any, p: Any) -> tuple[list[tuple[Any, Any, bool]], Any]:
        return [(k, p, False), (1 - k, -p, True)], 0.0 * p

    def _cdf(self, k: Any, p: Any) -> Any:
        return 1 - p + 0 * k

    def _sf(self, k: Any, p: Any) -> Any:
        return p + 0 * k

    def _ppf(self, q: Any, p: Any) -> Any:
        zero = 0 * (q + p)  # a step function: slope 0
        return _where(_mask(_v(q) <= 1 - _v(p)), zero, zero + 1)


norm = _Norm()
lognorm = _Lognorm()
t = _T()
cauchy = _Cauchy()
laplace = _Laplace()
logistic = _Logistic()
expon = _Expon()
uniform = _Uniform()
weibull_min = _WeibullMin()
gamma = _Gamma()
chi2 = _Chi2()
beta = _Beta()
poisson = _Poisson()
binom = _Binom()
nbinom = _Nbinom()
geom = _Geom()
bernoulli = _Bernoulli()


# --- multivariate distributions -------------------------------------------------------------


def _squeeze(out: Any) -> Any:
    """SciPy's ``_squeeze_output``: drop axes of length 1; a 0-d result as a number."""
    out = np.squeeze(out)
    return out[()] if isinstance(_v(out), np.ndarray) and _v(out).ndim == 0 else out


def _array(v: Any, who: str) -> Any:
    """An argument as an array (Duals and mpf arrays as they are)."""
    v = _input(v, who)
    return v if isinstance(_v(v), np.ndarray) or _v(v) is not v else np.asarray(v, dtype=float)


class _MultivariateNormal:
    """The multivariate normal distribution: ``logpdf(x, mean=None, cov=1)`` as SciPy's, with
    Duals in x, mean and cov (the covariance's Cholesky factor, triangular solve and log
    determinant carry the tangents). ``cov`` may be a number (times the identity), a vector
    (the diagonal) or a matrix, symmetric positive definite; x's last axis holds the components.

    >>> import numpy as np, dualdiff as dd
    >>> cov = np.array([[2.0, 0.5], [0.5, 1.0]])
    >>> f = lambda m: multivariate_normal.logpdf([1.0, 2.0], mean=m, cov=cov)
    >>> dd.gradient(f, [0.0, 0.0]) + 0.0             # cov⁻¹ (x - mean)
    array([0., 2.])
    """

    name = "multivariate_normal"

    def __call__(self, mean: Any = None, cov: Any = 1, allow_singular: bool = False) -> _Frozen:
        """The distribution with its parameters fixed: ``multivariate_normal(m, c).logpdf(x)``."""
        return _Frozen(self, (mean, cov, allow_singular), {})

    def __repr__(self) -> str:
        return "<dualdiff.scipy.stats.multivariate_normal>"

    def logpdf(self, x: Any, mean: Any = None, cov: Any = 1, allow_singular: bool = False) -> Any:
        """ln pdf(x) = -(d ln 2π + ln det cov + (x - mean)ᵀ cov⁻¹ (x - mean))/2, by the
        Cholesky factor L of cov: ln det cov = 2 Σ ln diag L, and L w = x - mean."""
        who = "multivariate_normal.logpdf"
        dim, mean, cov = self._parameters(mean, cov, who)
        x = _array(x, who)
        if any(is_mpf(v) for v in (x, mean, cov)):
            raise TypeError(f"{who} computes in floats (numpy.linalg has no mpf), got mpf")
        if np.ndim(_v(x)) == 0:
            x = np.reshape(x, (1,))
        elif np.ndim(_v(x)) == 1:
            x = np.reshape(x, (-1, 1) if dim == 1 else (1, -1))
        dev = x - mean
        try:
            chol = np.linalg.cholesky(cov)
        except np.linalg.LinAlgError:
            what = "singular ones are not supported" if allow_singular else "allow_singular=False"
            raise ValueError(
                f"{who} needs cov symmetric positive definite ({what}), got {fmt(cov)}"
            ) from None
        w = np.linalg.solve(chol, np.reshape(dev, (-1, dim)).T)
        maha = np.reshape(np.sum(w * w, axis=0), np.shape(_v(dev))[:-1])
        logdet = 2 * np.sum(_f.ln(np.diagonal(chol)))
        return _squeeze(-0.5 * (dim * _k(0.0, "log_2pi") + logdet + maha))

    def pdf(self, x: Any, mean: Any = None, cov: Any = 1, allow_singular: bool = False) -> Any:
        """exp(logpdf(x))."""
        return _f.exp(self.logpdf(x, mean, cov, allow_singular))

    @staticmethod
    def _parameters(mean: Any, cov: Any, who: str) -> tuple[int, Any, Any]:
        """SciPy's: the dimension from mean (or cov); cov as a full matrix."""
        cov = _array(1.0 if cov is None else cov, who)
        if mean is None:
            dim = 1 if np.ndim(_v(cov)) < 2 else np.shape(_v(cov))[0]
            mean = np.zeros(dim)
        mean = _array(mean, who)
        dim = int(np.size(_v(mean)))
        if dim == 1:
            mean, cov = np.reshape(mean, (1,)), np.reshape(cov, (1, 1))
        if np.ndim(_v(mean)) != 1:
            raise ValueError(f"{who}: mean must be a vector of length {dim}")
        shape = np.shape(_v(cov))
        if len(shape) == 0:
            cov = cov * np.eye(dim)
        elif len(shape) == 1:
            if shape[0] != dim:
                raise ValueError(f"{who}: cov has {shape[0]} entries, mean {dim}")
            cov = np.diag(cov)
        elif shape != (dim, dim):
            raise ValueError(f"{who}: cov has shape {shape}, mean has length {dim}")
        return dim, mean, cov


class _Dirichlet:
    """The Dirichlet distribution, concentrations alpha (a vector, all > 0): ``logpdf(x, alpha)``
    as SciPy's, with Duals in x and alpha. x's first axis holds the K components (or K - 1, the
    last being 1 minus their sum); points must lie on the simplex, as SciPy checks (a
    ``ValueError`` otherwise, for arrays too).

    >>> import dualdiff as dd
    >>> dd.gradient(lambda a: dirichlet.logpdf([0.2, 0.3, 0.5], a), [1.0, 2.0, 3.0]).round(10)
    array([0.67389542, 0.07936053, 0.09018615])
    """

    name = "dirichlet"

    def __call__(self, alpha: Any) -> _Frozen:
        """The distribution with alpha fixed: ``dirichlet(alpha).logpdf(x)``."""
        return _Frozen(self, (alpha,), {})

    def __repr__(self) -> str:
        return "<dualdiff.scipy.stats.dirichlet>"

    def logpdf(self, x: Any, alpha: Any) -> Any:
        """ln pdf(x) = Σ (alpha_i - 1) ln x_i - ln B(alpha),
        ln B(alpha) = Σ gammaln(alpha_i) - gammaln(Σ alpha_i)."""
        who = "dirichlet.logpdf"
        alpha = _array(alpha, who)
        av = _v(alpha)
        if np.ndim(av) != 1:
            raise ValueError(f"{who}: alpha must be one-dimensional, got shape {np.shape(av)}")
        if np.any(av <= 0) or np.any(av != av):
            raise ValueError(f"{who} needs every alpha > 0, got alpha = {fmt(alpha)}")
        x = self._points(_array(x, who), alpha, who)
        lnb = np.sum(_sp.gammaln(alpha)) - _sp.gammaln(np.sum(alpha))
        return _squeeze(np.sum(_xlogy(alpha - 1, x.T), axis=-1) - lnb)

    def pdf(self, x: Any, alpha: Any) -> Any:
        """exp(logpdf(x, alpha))."""
        return _f.exp(self.logpdf(x, alpha))

    @staticmethod
    def _points(x: Any, alpha: Any, who: str) -> Any:
        """SciPy's checks of x; K - 1 components get the last one, 1 minus their sum."""
        k, shape = np.size(_v(alpha)), np.shape(_v(x))
        if not shape or shape[0] not in (k, k - 1):
            raise ValueError(f"{who}: x must have {k} or {k - 1} components (axis 0), got {shape}")
        if shape[0] == k - 1:
            last = 1 - np.sum(x, axis=0)
            x = np.concatenate([x, np.reshape(last, (1, *shape[1:]))], axis=0)
        xv, av = _v(x), _v(alpha)
        if np.any(xv < 0) or np.any(xv > 1):
            raise ValueError(f"{who} needs every x in [0, 1], got x = {fmt(x)}")
        lt1 = np.reshape(av < 1, (k,) + (1,) * (np.ndim(xv) - 1))
        if np.any((xv == 0) & lt1):
            raise ValueError(f"{who} needs x > 0 where alpha < 1, got x = {fmt(x)}")
        if np.any(np.abs(np.sum(xv, axis=0) - 1.0) > 10e-10):
            raise ValueError(f"{who} needs x on the simplex (sum 1), got sum {np.sum(xv, axis=0)}")
        return x


multivariate_normal = _MultivariateNormal()
dirichlet = _Dirichlet()
