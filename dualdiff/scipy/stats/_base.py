"""The distributions' machinery: parameter checks as data, arguments bound and checked as
SciPy binds them, the public methods of a univariate distribution made from its formulas in
standard form (the support, NaN and errors handled once), frozen distributions, and densities
written as products of powers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import mpmath as mp
import numpy as np

from ... import table as _f
from ...api import as_input
from ...dual import Dual, fmt
from ...errors import DomainError
from ...kinds import is_mpf
from ._numeric import (
    _INF,
    _NAN,
    _lift,
    _like,
    _log,
    _mask,
    _mp_root,
    _pow0,
    _single,
    _v,
    _where,
    _xlog1py,
    _xlogy,
)

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
#: whether the formula runs at a closed (finite) end of the support, below and above: there
#: the value is the end's and the slopes one-sided from inside (not where the value is a log 0)
_AT_ENDS = {
    "cdf": (True, True),
    "logcdf": (False, True),
    "sf": (True, True),
    "logsf": (True, False),
}
#: the cdf family's note where it has no derivative in a shape parameter
_NO_SHAPE_SLOPE = (
    "Not differentiable in {0}: this is the regularised incomplete {1} function, which "
    "dualdiff.scipy.special differentiates in its argument only; a Dual {0} raises TypeError."
)


#: the quantile's note where it has no derivative in a shape parameter
_NO_SHAPE_PPF = (
    "Differentiable in q at every order (the inverse function rule: 1/pdf(ppf(q)), and its "
    "derivatives), and in loc and scale. Not differentiable in {0}: that would need the cdf's "
    "derivative in {0} (the regularised incomplete {1} function's in its shape), which "
    "dualdiff.scipy.special does not have; a Dual {0} raises TypeError."
)


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
            if not self.open:  # the formula at a closed end: its one-sided slopes from inside
                low, high = _AT_ENDS[method]
                if low and lo != -_INF:
                    inside = inside | _mask(zv == lo)
                if high and hi != _INF:
                    inside = inside | _mask(zv == hi)
        below, above = (_like(z, e) for e in _EDGES[method])
        zs, zero = self._steps(_where(inside, z, self._inner(*c.shapes)))
        val = getattr(self, "_" + method)(zs, *c.shapes) + zero
        return c.finish(_where(inside, val, _where(_mask(zv >= hi), above, below)), z)

    def _quantile(self, method: str, q: Any, args: tuple, kwds: dict) -> Any:
        c = _Args(self, method, q, args, kwds)
        q = c.check("q", c.x, _PROB)
        shape = np.broadcast_shapes(*(np.shape(_v(v)) for v in (q, *c.shapes)))
        if shape != np.shape(_v(q)):  # q as large as the shapes: a quantile (and slope) each
            q = q + np.zeros(shape, dtype=object if is_mpf(q) else float)
        qv = _v(q)
        inner = _mask((qv > 0) & (qv < 1))
        val = self._ppf(_where(inner, q, 0.5), *c.shapes)
        lo, hi = self._support(*c.shapes)
        if self.discrete:  # SciPy's ppf(0) is the support's start - 1; the ends move with loc
            val, lo = val + c.loc, lo - 1 + c.loc
            hi = _where(_mask(_v(hi) == _INF), _INF, hi + c.loc)
        else:
            val = val * c.scale + c.loc
            if not np.all(inner):
                lo, hi = (self._end(q, e, c) for e in (lo, hi))
        return c.finish(_where(inner, val, _where(_mask(qv == 0), lo, hi)), q)

    def _end(self, q: Any, e: float, c: _Args) -> Any:
        """The quantile at q = 0 or 1: the support's end e; where e is finite, with the one-sided
        slopes from inside (the inverse function rule with the density at e; at an open end,
        where the density vanishes, slope +inf). An infinite end is a constant."""
        if abs(e) == _INF:
            return e

        def density(z: Any, *shapes: Any) -> Any:
            return 0.0 * z if self.open else self._pdf(z, *shapes)

        return _lift(q, lambda qv: e + 0.0 * qv, density, tuple(c.shapes)) * c.scale + c.loc

    def _invert(
        self, q: Any, shapes: tuple, floats: Callable[..., Any], upper: Callable[..., Any]
    ) -> Any:
        """The quantile where SciPy inverts an incomplete function: ``floats(q, *shapes)`` is
        SciPy's quantile of values, ``upper(p, *shapes)`` its inverse survival function; in
        mpf, Newton's method on this distribution's cdf (or sf) from their float quantile. Its
        derivatives in q, of every order, by the inverse function rule (:func:`_lift`); in the
        shape parameters there are none (that of the cdf would be needed): a Dual raises."""
        for name, s in zip(self.shape_names, shapes, strict=True):
            if isinstance(s, Dual):
                raise TypeError(
                    f"{self.name}.ppf has no derivative in {name} in dualdiff: the quantile "
                    f"inverts the cdf, which dualdiff.scipy.special differentiates in x only; "
                    f"pass {name} as a number, not a Dual (its tangent would be dropped)"
                )
        lo, hi = self._support(*shapes)

        def one(qe: Any, *se: Any) -> Any:  # one mpf quantile
            qe, se = mp.mpf(qe), [mp.mpf(s) for s in se]
            fs = [float(s) for s in se]
            start = floats(float(qe), *fs) if qe <= 0.5 else upper(float(1 - qe), *fs)
            return _mp_root(
                qe,
                lambda x: self._cdf(x, *se),
                lambda x: self._sf(x, *se),
                lambda x: self._pdf(x, *se),
                float(start),
                lo,
                hi,
            )

        def base(qv: Any) -> Any:
            if is_mpf(qv) or any(is_mpf(s) for s in shapes):
                if all(_single(v) for v in (qv, *shapes)):
                    return one(qv, *shapes)
                return np.frompyfunc(one, 1 + len(shapes), 1)(qv, *shapes)
            x = floats(qv, *shapes)
            return float(x) if np.ndim(x) == 0 else x

        return _lift(q, base, lambda z: self._pdf(z, *shapes))

    # defaults, as SciPy's
    def _pdf(self, z: Any, *shapes: Any) -> Any:
        return _f.exp(self._logpdf(z, *shapes))

    def _sf(self, z: Any, *shapes: Any) -> Any:
        return 1 - self._cdf(z, *shapes)

    def _logcdf(self, z: Any, *shapes: Any) -> Any:
        cdf = self._cdf(z, *shapes)  # near 1: log1p(-sf), accurate where ln(cdf) is not
        near = _mask(_v(cdf) > 0.5)
        return _where(near, _f.log1p(-_where(near, self._sf(z, *shapes), 0.0)), _log(cdf))

    def _logsf(self, z: Any, *shapes: Any) -> Any:
        sf = self._sf(z, *shapes)
        near = _mask(_v(sf) > 0.5)
        return _where(near, _f.log1p(-_where(near, self._cdf(z, *shapes), 0.0)), _log(sf))


class _Frozen:
    """A distribution with fixed parameters (SciPy's frozen distribution)."""

    def __init__(self, dist: Any, args: tuple, kwds: dict) -> None:
        self.dist, self.args, self.kwds = dist, args, kwds

    def __getattr__(self, name: str) -> Any:
        """The distribution's methods (pdf, cdf, ppf ...) with the parameters fixed; any other
        attribute (``name``, ``shapes`` ...) is the distribution's own."""
        if name.startswith("_"):  # copy, pickle: not the distribution's methods
            raise AttributeError(name)
        attr = getattr(self.dist, name)
        if name not in _DOCS or not callable(attr):
            return attr

        def frozen(x: Any) -> Any:
            return attr(x, *self.args, **self.kwds)

        frozen.__name__ = name
        frozen.__doc__ = attr.__doc__
        return frozen

    def __repr__(self) -> str:
        return f"<frozen {self.dist.name}{self.args}{self.kwds}>"


# --- densities (and masses) as products of powers, continuous and discrete -------------------


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
