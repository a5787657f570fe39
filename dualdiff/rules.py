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
from .conventions import lincomb, nan_free, per_block, scale
from .dual import Dual, fmt, is_constant, parts, top_tag
from .errors import DomainError
from .kinds import base_value, is_complex, is_lazy, is_mpf, is_number

__all__ = ["FUNCTIONS", "RULES", "Domain", "Rule", "listing", "register", "unregister"]

make = _dual.make
_MPF = mp.mpf
_MPC = mp.mpc
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
    #: the argument names, from ``deriv``'s signature (``("x",)``, ``("a", "b")``, ``("v", "x")``)
    args: tuple[str, ...] = ("x",)
    #: one domain per argument (a unary row: ``(domain,)``); ``domain`` is the last one's
    domains: tuple[Domain, ...] = (ALL_REALS,)
    #: positions of arguments without a derivative (an order, an integer index): a Dual there
    #: is refused with a TypeError rather than its tangent dropped
    const: tuple[int, ...] = ()
    #: the module users call the function from (``dualdiff``, ``dualdiff.scipy.special``)
    module: str = "dualdiff"
    #: the evaluation at a Python complex; a row with one accepts complex values of every kind
    #: (``numpy`` and ``mpmath`` then also evaluate complex arrays and mpc). Without it, a
    #: complex argument is refused with a TypeError.
    cmath: Callable[[complex], Any] | None = None
    #: for a row that accepts complex values but is not holomorphic (abs, real, imag, conj,
    #: angle): ``(z, y, dz) -> tangent``, an R-linear map of the tangent ``dz``. None for a
    #: holomorphic row, whose ``deriv`` holds for complex arguments as written.
    complex_tangent: Callable[..., Any] | None = None
    #: for a row that refuses complex arguments: why, and what to write instead (the message's
    #: second half; by default: the row is not holomorphic)
    complex_refusal: str = ""

    @property
    def complex(self) -> str:
        """How the row treats complex arguments: ``"holomorphic"`` (the same derivative formula),
        ``"R-linear"`` (its own tangent map, :attr:`complex_tangent`) or ``"refused"``."""
        if self.cmath is None:
            return "refused"
        return "holomorphic" if self.complex_tangent is None else "R-linear"

    def complex_error(self, x: Any) -> TypeError:
        """The refusal of a complex argument by a row that takes real numbers only."""
        kind = type(x).__name__ + (f" of {x.dtype}" if hasattr(x, "dtype") else "")
        why = self.complex_refusal or (
            f"{self.name} is not holomorphic (its real-line derivative does not extend to "
            f"complex arguments), so dualdiff has no complex rule for it; apply it to z.real, "
            f"z.imag or abs(z)"
        )
        return TypeError(
            f"{self.name}() takes real numbers only, got a complex value ({kind}): {why}"
        )

    def complex_domain_error(self, z: Any) -> DomainError:
        return DomainError(f"{self.name}(z) is not defined at z = {fmt(z)} (a singular point)")

    @property
    def signature(self) -> str:
        """``name(arg, ...)``, as the error messages and the docs write it."""
        return f"{self.name}({', '.join(self.args)})"

    def domain_error(self, *xs: Any) -> DomainError:
        if self.arity > 1:
            at = ", ".join(f"{a} = {fmt(x)}" for a, x in zip(self.args, xs, strict=False))
            need = " and ".join(
                str(d).replace("x", a, 1)
                for a, d in zip(self.args, self.domains, strict=True)
                if d is not ALL_REALS
            )
            return DomainError(
                f"{self.signature} is not defined at {at}" + (f" (needs {need})" if need else "")
            )
        if self.domain is ALL_REALS:
            return DomainError(f"{self.name}(x) is not defined at x = {fmt(xs[0])}")
        return DomainError(f"{self.name}(x) needs {self.domain}, got x = {fmt(xs[0])}")


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
    back: Any = _MPF if any(is_mpf(x) for x in xs) else float
    if any(is_complex(x) for x in xs):  # a complex infinity, as NumPy's (parts inf or NaN)
        back = _MPC if back is _MPF else complex
    with np.errstate(all="ignore"):
        s = rule.deriv(*(_leaves(x, np.float64) for x in xs))
    if isinstance(s, tuple):
        return tuple(_leaves(c, back) for c in s)
    return _leaves(s, back)


def _leaves(x: Any, kind: Any) -> Any:
    """``x`` with every scalar in it (at every level of nesting) converted to ``kind`` (complex
    ones to NumPy's complex128 or back to ``kind``'s complex counterpart)."""
    if isinstance(x, Dual):
        return make(_leaves(x._v, kind), _leaves(x._t, kind), x._tag)
    if isinstance(x, (float, _MPF)):
        return kind(x)
    if isinstance(x, (complex, _MPC, np.complexfloating)):
        if kind is np.float64:
            return np.complex128(complex(x))
        return kind(x) if kind in (complex, _MPC) else complex(x)
    return x


def _kind_error(name: str, *xs: Any) -> TypeError:
    kinds = ", ".join(type(x).__name__ for x in xs)
    return TypeError(
        f"{name}() takes floats, complex numbers, ints, NumPy arrays, mpmath.mpf, mpmath.mpc or "
        f"Duals, got {kinds}"
    )


def _complex_scalar(rule: Rule, x: Any) -> Any:
    """A row at a Python complex or an mpc: its complex evaluation (no real domain applies; a
    singular point raises DomainError), or the refusal of a row without one."""
    if rule.cmath is None:
        raise rule.complex_error(x)
    if type(x) is _MPC:
        if rule.mpmath is None:
            raise TypeError(f"{rule.name} has no mpmath implementation (register it with mpmath=)")
        f = rule.mpmath
    else:
        f = rule.cmath
    try:
        return f(x)
    except (ValueError, ZeroDivisionError):
        raise rule.complex_domain_error(x) from None
    except OverflowError:
        raise _overflow(rule.name, x) from None


def _undefined(y: Any, s: Any) -> Any:
    """The slope, NaN wherever the value is NaN (at every level of a nested slope): outside the
    domain there is no derivative of any order."""
    yb = base_value(y)
    if type(yb) is _NDARRAY and yb.dtype.kind == "f" and not nan_free(yb):
        return _nan_at(np.isnan(yb), s)
    return s


def _nan_at(mask: Any, s: Any) -> Any:
    if isinstance(s, Dual):
        return make(_nan_at(mask, s._v), _nan_at(mask, s._t), s._tag)
    return np.where(mask, np.nan, s)


def _unary_dual(rule: Rule, d: Dual) -> Dual:
    v = d._v
    if rule.complex_tangent is not None and is_complex(v):  # an R-linear rule (abs, real, ...)
        y = rule.fn(v)
        r = make(y, rule.complex_tangent(v, y, d._t), d._tag)
        return _hooks.after(rule.name, (d,), r) if _hooks.active else r
    y = rule.fn(v)
    b = base_value(v)
    scalar = is_number(b)
    try:
        if rule.singular and not scalar:
            with np.errstate(divide="ignore", invalid="ignore"):  # infinite slopes at edges
                s = rule.deriv(v, y)
        else:
            s = rule.deriv(v, y)
    except (ZeroDivisionError, DomainError):  # the slope's formula met an edge (ln 0, 1/0)
        s = _slope_limit(rule, v, y)
    if rule.domain is not ALL_REALS and not scalar:  # scalars outside raise DomainError
        s = _undefined(y, s)
    r = make(y, scale(s, d._t), d._tag)
    return _hooks.after(rule.name, (d,), r) if _hooks.active else r


def _apply1(rule: Rule, x: Any) -> Any:
    """A unary row applied to anything but a float (which the public function handles)."""
    if isinstance(x, Dual):
        return _unary_dual(rule, x)
    tx = type(x)
    if tx is int or tx is bool:
        return rule.fn(float(x))
    if tx is complex or tx is _MPC:
        return _complex_scalar(rule, x)
    if isinstance(x, _MPF):
        if rule.mpmath is None:
            raise TypeError(f"{rule.name} has no mpmath implementation (register it with mpmath=)")
        if x not in rule.domain:
            raise rule.domain_error(x)
        try:
            return rule.mpmath(x)
        except (ValueError, ZeroDivisionError):  # a pole inside the interval (gamma at -1)
            raise rule.domain_error(x) from None
    if isinstance(x, _NDARRAY) and x.dtype == object:
        return np.frompyfunc(rule.fn, 1, 1)(x)
    if isinstance(x, (_NDARRAY, np.generic)) or (
        hasattr(x, "__array_ufunc__") and hasattr(x, "shape")
    ):
        if rule.cmath is None and np.dtype(x.dtype).kind == "c":
            raise rule.complex_error(x)
        return _numpy(rule, x)
    if isinstance(x, numbers.Real):
        return rule.fn(float(x))
    if isinstance(x, numbers.Complex):
        return _complex_scalar(rule, complex(x))
    raise _kind_error(rule.name, x)


def _numpy(rule: Rule, *xs: Any) -> Any:
    """The row's array evaluation; a lazy (dask) array stays lazy: an evaluator that is not a
    ufunc (it may call np.asarray) runs block by block."""
    if not isinstance(rule.numpy, np.ufunc) and any(is_lazy(x) for x in xs):
        lazy = per_block(rule.numpy, *xs)
        if lazy is not None:
            return lazy
    return rule.numpy(*xs)


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
            return make(y, r, x._tag)
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


def _refuse_const(rule: Rule, xs: tuple[Any, ...]) -> None:
    for i in rule.const:
        if isinstance(xs[i], Dual):
            raise TypeError(
                f"{rule.signature} has no derivative in {rule.args[i]} in dualdiff: pass "
                f"{rule.args[i]} as a number, not a Dual (its tangent would be dropped)"
            )


def _refuse_complex(rule: Rule, xs: tuple[Any, ...]) -> None:
    """Rows of several arguments take real numbers only (none is holomorphic)."""
    for x in xs:
        if is_complex(x):
            raise rule.complex_error(base_value(x))


def _nary_dual(rule: Rule, *xs: Any) -> Dual:
    if not all(is_constant(x) for x in xs):
        raise _kind_error(rule.name, *xs)
    _refuse_complex(rule, xs)
    if rule.const:
        _refuse_const(rule, xs)
    tag = top_tag(*xs)
    vs, ts = zip(*(parts(x, tag) for x in xs), strict=True)
    if any(is_mpf(v) for v in vs):  # mpf is contagious: a float order or shape joins in mpf
        vs = tuple(_MPF(v) if type(v) is float or type(v) is int else v for v in vs)
    y = rule.fn(*vs)
    try:
        slopes = rule.deriv(*vs, y)
    except (ZeroDivisionError, DomainError):
        slopes = _slope_limit(rule, *vs, y)
    # a slope may be given as a thunk (an expensive one, like gammainc's in a): it is evaluated
    # only for an argument that carries a tangent at this level
    pairs = [
        (s() if callable(s) else s, t)
        for i, (s, t) in enumerate(zip(slopes, ts, strict=True))
        if i not in rule.const and (t is not None or not callable(s))
    ]
    if rule.domains[-1] is not ALL_REALS or rule.domains[0] is not ALL_REALS:
        pairs = [(_undefined(y, s), t) for s, t in pairs]
    r = make(y, lincomb(*pairs), tag)
    return _hooks.after(rule.name, xs, r) if _hooks.active else r


def _make_nary(rule: Rule) -> Callable[..., Any]:
    mfn = rule.math
    arity = rule.arity

    def fn(*xs: Any) -> Any:
        if len(xs) != arity:
            raise TypeError(f"{rule.signature} takes {arity} arguments, got {len(xs)}")
        if all(type(x) is float or type(x) is int for x in xs):
            try:
                return mfn(*(float(x) for x in xs))
            except (ValueError, ZeroDivisionError):
                raise rule.domain_error(*xs) from None
            except OverflowError:
                raise _overflow(rule.name, *xs) from None
        if any(isinstance(x, Dual) for x in xs):
            return _nary_dual(rule, *xs)
        if any(isinstance(x, _NDARRAY) and x.dtype == object for x in xs):
            return np.frompyfunc(fn, arity, 1)(*xs)  # mpf entries: each through the scalars
        _refuse_complex(rule, xs)
        if any(isinstance(x, _MPF) for x in xs) and not any(isinstance(x, _NDARRAY) for x in xs):
            if rule.mpmath is None:
                raise TypeError(f"{rule.name} has no mpmath implementation")
            mxs = tuple(_MPF(x) for x in xs)
            if not all(x in d for x, d in zip(mxs, rule.domains, strict=True)):
                raise rule.domain_error(*xs)
            return rule.mpmath(*mxs)
        if all(isinstance(x, numbers.Real) for x in xs) and not any(
            isinstance(x, np.generic) for x in xs
        ):
            return fn(*(float(x) for x in xs))
        if all(is_constant(x) for x in xs):
            return _numpy(rule, *xs)
        raise _kind_error(rule.name, *xs)

    return fn


def register(
    name: str,
    f: Callable[..., Any],
    deriv: Callable[..., Any],
    *,
    numpy: Callable[..., Any] | None = None,
    mpmath: Callable[..., Any] | None = None,
    domain: Domain | tuple[Domain, ...] = ALL_REALS,
    formula: str = "",
    singular: bool = False,
    aliases: tuple[str, ...] = (),
    ufuncs: tuple[Any, ...] = (),
    float_deriv: Callable[..., Any] | None = None,
    nonsmooth: Callable[..., Any] | None = None,
    const: tuple[int, ...] = (),
    module: str = "dualdiff",
    cmath: Callable[[complex], Any] | None = None,
    complex_tangent: Callable[..., Any] | None = None,
    complex_refusal: str = "",
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

    Rows of two to four arguments (``deriv(x1, x2, y)``, ``deriv(x1, x2, x3, y)``) may give one
    ``domain`` per argument, and ``const``: the positions of arguments with no derivative (an
    order, an index), where ``deriv`` returns None and a Dual is refused. A slope may be a
    thunk (a function of no arguments), evaluated only where its argument carries a tangent:
    for a slope that costs much more than the others. ``module`` is where users call the
    function from (for the docs and the listing).

    Complex arguments: ``cmath`` evaluates a Python complex, and says that the row takes
    complex values of every kind (``numpy`` and ``mpmath`` must then evaluate complex arrays and
    ``mpc`` too). By default the row is holomorphic: ``deriv`` holds for complex arguments as
    written (so it must use functions that do: ``sqrt(1 + x*x)``, not ``hypot(x, 1)``). A row
    that is not holomorphic gives ``complex_tangent(z, y, dz)``, the tangent as an R-linear map
    of ``dz``. Without ``cmath`` a complex argument is refused with a TypeError, which says
    ``complex_refusal`` (why, and what to write instead) where given.

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
    params = list(inspect.signature(deriv).parameters)
    arity = len(params) - 1
    if arity not in (1, 2, 3, 4):
        raise ValueError(
            f"register: deriv must take (x, y), (x1, x2, y), ... (up to four arguments and y), "
            f"got {inspect.signature(deriv)}"
        )
    domains = domain if isinstance(domain, tuple) else (ALL_REALS,) * (arity - 1) + (domain,)
    if len(domains) != arity or (const and arity == 1) or not set(const) <= set(range(arity)):
        raise ValueError(f"register: {name} takes {arity} arguments: check domain= and const=")
    if complex_tangent is not None and cmath is None:
        raise ValueError(f"register: {name} has complex_tangent= but no cmath= evaluator")
    if arity > 1 and cmath is not None:
        raise ValueError(f"register: {name}: complex arguments are for one-argument rows")
    if numpy is None:
        numpy = np.vectorize(f, otypes=[np.float64])
    args = tuple(params[:-1]) if arity > 1 else ("x",)
    rule = Rule(
        name, arity, f, numpy, mpmath, deriv, domains[-1], formula, singular, float_deriv,
        nonsmooth, args=args, domains=domains, const=tuple(const), module=module, cmath=cmath,
        complex_tangent=complex_tangent, complex_refusal=complex_refusal,
    )  # fmt: skip
    fn = _make_unary(rule) if arity == 1 else _make_nary(rule)
    object.__setattr__(rule, "fn", fn)
    fn.__name__ = fn.__qualname__ = name
    fn.__module__ = module
    where = (
        str(domain)
        if arity == 1
        else "; ".join(str(d).replace("x", a, 1) for a, d in zip(args, domains, strict=True))
    )
    fn.__doc__ = (
        f"{rule.signature}, elementwise, for floats, NumPy arrays, mpmath.mpf and Duals.\n\n"
        f"Derivative: {formula or 'see dualdiff.RULES'}. Domain: {where}."
        + (f" No derivative in {', '.join(args[i] for i in const)}." if const else "")
        + {
            "holomorphic": " Complex arguments: holomorphic, the same derivative.",
            "R-linear": " Complex arguments: not holomorphic; its tangent is an R-linear map.",
            "refused": "",
        }[rule.complex]
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


def listing(module: str = "dualdiff") -> str:
    """The public functions of the table called from ``module``, for the README: each row with
    its aliases, in order.

    >>> listing().split(" · ")[0]
    '`exp`'
    """
    aliases: dict[str, list[str]] = {}
    for alias, fn in FUNCTIONS.items():
        if alias != fn.__name__ and fn.__module__ == module:
            aliases.setdefault(fn.__name__, []).append(alias)
    names = [
        *(n for n, r in RULES.items() if r.module == module),
        *(
            n
            for n, fn in FUNCTIONS.items()
            if fn.__name__ == n and n not in RULES and fn.__module__ == module
        ),
    ]
    items = []
    for n in names:
        shown = "log(x, base)" if n == "log" else n
        extra = "".join(f" (`{a}`)" for a in aliases.get(n, ()))
        items.append(f"`{shown}`{extra}")
    return " · ".join(items)
