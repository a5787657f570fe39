"""Independent references for the systematic, Hessian-form and fuzz tests.

Nothing here uses dualdiff's derivative rules or its evaluators: the elementary functions are
written again with mpmath (``MP_UNARY``, ``MP_BINARY``, ``MP_UFUNC``), derivatives come from
``mpmath.diff`` at 50 digits or from central differences on ``mpf`` object arrays, and the
comparison itself runs in mpmath so that it loses nothing.

A rule that a user (or a later commit) registers without an entry in ``MP_UNARY``/``MP_BINARY``
falls back to the row's own ``mpmath`` evaluator (``mp_function``); ``test_systematic`` checks
every row's evaluators against these tables where they exist, so the fallback is the only place
the library's code can enter a reference, and only for a row added after these tables.
"""

from __future__ import annotations

import math
import operator
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np

import dualdiff as dd

mpf = mpmath.mpf

# --- the elementary functions, written again in mpmath -------------------------------------------


def _cbrt(x: Any) -> Any:
    return mpmath.sign(x) * mpmath.cbrt(abs(x))


def _trunc(x: Any) -> Any:
    return mpmath.sign(x) * mpmath.floor(abs(x))


def _rint(x: Any) -> Any:
    """Round half to even, as NumPy's rint."""
    f = mpmath.floor(x)
    d = x - f
    if d != mpf("0.5"):
        return f + 1 if d > mpf("0.5") else f
    return f if int(f) % 2 == 0 else f + 1


def _sinc(x: Any) -> Any:
    return mpf(1) if x == 0 else mpmath.sin(mpmath.pi * x) / (mpmath.pi * x)


def _heaviside(x: Any, h: Any) -> Any:
    return h if x == 0 else mpf(1 if x > 0 else 0)


MP_UNARY: dict[str, Callable[[Any], Any]] = {
    "exp": mpmath.exp,
    "expm1": mpmath.expm1,
    "exp2": lambda x: mpmath.power(2, x),
    "ln": mpmath.log,
    "log2": lambda x: mpmath.log(x) / mpmath.log(2),
    "log10": lambda x: mpmath.log(x) / mpmath.log(10),
    "log1p": mpmath.log1p,
    "sqrt": mpmath.sqrt,
    "cbrt": _cbrt,
    "sin": mpmath.sin,
    "cos": mpmath.cos,
    "tan": mpmath.tan,
    "arcsin": mpmath.asin,
    "arccos": mpmath.acos,
    "arctan": mpmath.atan,
    "sinh": mpmath.sinh,
    "cosh": mpmath.cosh,
    "tanh": mpmath.tanh,
    "arcsinh": mpmath.asinh,
    "arccosh": mpmath.acosh,
    "arctanh": mpmath.atanh,
    "abs": lambda x: abs(x),
    "sign": mpmath.sign,
    "square": lambda x: x * x,
    "expit": lambda x: 1 / (1 + mpmath.exp(-x)),
    "floor": mpmath.floor,
    "ceil": mpmath.ceil,
    "trunc": _trunc,
    "rint": _rint,
    "sinc": _sinc,
    "deg2rad": lambda x: x * mpmath.pi / 180,
    "rad2deg": lambda x: x * 180 / mpmath.pi,
}

MP_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "arctan2": mpmath.atan2,
    "hypot": mpmath.hypot,
    "logaddexp": lambda a, b: mpmath.log(mpmath.exp(a) + mpmath.exp(b)),
    "maximum": lambda a, b: a if a >= b else b,
    "minimum": lambda a, b: a if a <= b else b,
    "fmax": lambda a, b: a if a >= b else b,  # NaN-ignoring; the same on the reals
    "fmin": lambda a, b: a if a <= b else b,
    "remainder": lambda a, b: a - b * mpmath.floor(a / b),  # the sign of the divisor, as a % b
    "fmod": lambda a, b: a - b * _trunc(a / b),  # the sign of the dividend
    "floor_divide": lambda a, b: mpmath.floor(a / b),
    "heaviside": _heaviside,
    "copysign": lambda a, b: abs(a) if b >= 0 else -abs(a),
    "nextafter": lambda a, b: a,  # the next double: a, to within one rounding
}


# scipy.special's rows (dualdiff.scipy.special), written again with mpmath


def _mp_besselie(v: Any, x: Any) -> Any:
    return mpmath.exp(-abs(x)) * mpmath.besseli(v, x)


MP_UNARY.update(
    {
        "gamma": mpmath.gamma,
        "gammaln": lambda x: mpmath.log(abs(mpmath.gamma(x))),
        "loggamma": mpmath.loggamma,
        "digamma": lambda x: mpmath.psi(0, x),
        "erf": mpmath.erf,
        "erfc": mpmath.erfc,
        "erfcx": lambda x: mpmath.exp(x * x) * mpmath.erfc(x),
        "erfinv": mpmath.erfinv,
        "erfcinv": lambda x: mpmath.erfinv(1 - x),
        "ndtr": lambda x: mpmath.erfc(-x / mpmath.sqrt(2)) / 2,
        "ndtri": lambda p: -mpmath.sqrt(2) * mpmath.erfinv(1 - 2 * p),
        "log_ndtr": lambda x: mpmath.log(mpmath.erfc(-x / mpmath.sqrt(2)) / 2),
        "logit": lambda p: mpmath.log(p) - mpmath.log(1 - p),
        "log_expit": lambda x: -mpmath.log(1 + mpmath.exp(-x)),
        "entr": lambda x: -x * mpmath.log(x) if x != 0 else mpf(0),
        "i0": lambda x: mpmath.besseli(0, x),
        "i0e": lambda x: _mp_besselie(0, x),
        "i1": lambda x: mpmath.besseli(1, x),
        "i1e": lambda x: _mp_besselie(1, x),
        "j0": lambda x: mpmath.besselj(0, x),
        "j1": lambda x: mpmath.besselj(1, x),
        "y0": lambda x: mpmath.bessely(0, x),
        "y1": lambda x: mpmath.bessely(1, x),
        "riemann_zeta": mpmath.zeta,
        "exp1": lambda x: mpmath.expint(1, x),
        "expi": mpmath.ei,
        "lambertw": lambda x: mpmath.re(mpmath.lambertw(x)),
    }
)
MP_BINARY.update(
    {
        "polygamma": lambda n, x: mpmath.psi(int(n), x),
        "beta": lambda a, b: mpmath.gamma(a) * mpmath.gamma(b) / mpmath.gamma(a + b),
        "betaln": lambda a, b: mpmath.log(mpmath.gamma(a) * mpmath.gamma(b) / mpmath.gamma(a + b)),
        "gammainc": lambda a, x: mpmath.gammainc(a, 0, x) / mpmath.gamma(a),
        "gammaincc": lambda a, x: mpmath.gammainc(a, x) / mpmath.gamma(a),
        "xlogy": lambda x, y: x * mpmath.log(y),
        "xlog1py": lambda x, y: x * mpmath.log(1 + y),
        "rel_entr": lambda x, y: x * (mpmath.log(x) - mpmath.log(y)),
        "kl_div": lambda x, y: x * (mpmath.log(x) - mpmath.log(y)) - x + y,
        "iv": mpmath.besseli,
        "ive": _mp_besselie,
        "kv": mpmath.besselk,
        "kve": lambda v, x: mpmath.exp(x) * mpmath.besselk(v, x),
        "jv": mpmath.besselj,
        "yv": mpmath.bessely,
        "hurwitz_zeta": mpmath.zeta,
        "expn": lambda n, x: mpmath.expint(int(n), x),
        # expm1, not x**lm - 1: mpmath.diff steps lm to ±1e-53, where x**lm - 1 cancels
        "boxcox": lambda x, lm: mpmath.expm1(lm * mpmath.log(x)) / lm if lm != 0 else mpmath.log(x),
        "inv_boxcox": lambda y, lm: (1 + lm * y) ** (1 / lm) if lm != 0 else mpmath.exp(y),
    }
)


def _mp_p(a: Any, x: Any) -> Any:
    return mpmath.gammainc(a, 0, x) / mpmath.gamma(a)


#: rows of four arguments
MP_QUATERNARY: dict[str, Callable[..., Any]] = {
    "gammainc_derivative": lambda m, n, a, x: mpmath.diff(_mp_p, (a, x), (int(m), int(n))),
}

MP_TERNARY: dict[str, Callable[..., Any]] = {
    "betainc": lambda a, b, x: mpmath.betainc(a, b, 0, x) / mpmath.beta(a, b),
    "zeta_deriv": lambda k, s, q: mpmath.zeta(s, q, derivative=int(k)),
}

#: the values of a row's constant arguments (orders, shapes) that the tests bind, by row; a row
#: with ``const`` arguments and no entry here fails test_every_const_row_has_bindings
CONST_ARGS: dict[str, tuple[tuple[Any, ...], ...]] = {
    "polygamma": ((1,), (3,)),
    "gammainc_derivative": ((1, 0), (0, 1)),
    "betainc": ((0.8, 2.5), (3.0, 1.5)),
    "iv": ((0.5,), (2,)),
    "ive": ((0.5,), (2,)),
    "kv": ((0.5,), (2,)),
    "kve": ((0.5,), (2,)),
    "jv": ((0.5,), (3,)),
    "yv": ((0.5,), (3,)),
    "expn": ((0,), (2,)),
    "zeta_deriv": ((0,), (1,)),
}


def _positive(n: int) -> tuple[float, ...]:
    return tuple(0.25 + 0.6 * k for k in range(n))


#: test points for cases whose domain is not a product of intervals (keyed by case label)
POINTS: dict[str, tuple[Any, ...]] = {
    # a non-integer order: real only for x > 0
    "iv[0.5]": _positive(14),
    "ive[0.5]": _positive(14),
    "jv[0.5]": _positive(14),
    # (1 + lmbda y)**(1/lmbda): real where 1 + lmbda y > 0
    "inv_boxcox": tuple((0.9 - 0.3 * k, 0.8 - 0.35 * k) for k in range(10)),
}


def mp_function(rule: Any) -> Callable[..., Any]:
    """The mpmath reference of a rule-table row (the row's own evaluator only as a fallback)."""
    table = {1: MP_UNARY, 2: MP_BINARY, 3: MP_TERNARY, 4: MP_QUATERNARY}[rule.arity]
    fn = table.get(rule.name, rule.mpmath)
    if fn is None:
        raise AssertionError(f"rule {rule.name!r} has no mpmath reference and no mpmath evaluator")
    return fn


#: the NumPy ufuncs that are not rows of the rule table, written in mpmath
MP_ARITH_UFUNC: dict[Any, Callable[..., Any]] = {
    np.add: operator.add,
    np.subtract: operator.sub,
    np.multiply: operator.mul,
    np.true_divide: operator.truediv,
    np.power: mpmath.power,
    np.float_power: mpmath.power,
    np.negative: operator.neg,
    np.positive: operator.pos,
    np.reciprocal: lambda x: 1 / x,
}

#: ufuncs that answer a question about values (bool results): no derivative
PREDICATE_UFUNCS = {
    np.greater,
    np.greater_equal,
    np.less,
    np.less_equal,
    np.equal,
    np.not_equal,
    np.isfinite,
    np.isnan,
    np.isinf,
    np.signbit,
}


@dataclass(frozen=True)
class Case:
    """A row with its constant arguments bound: a function of the free arguments only."""

    label: str
    rule: Any
    fn: Callable[..., Any]
    ref: Callable[..., Any]
    domains: tuple[Any, ...]  # of the free arguments

    @property
    def arity(self) -> int:
        return len(self.domains)


def _bind(f: Callable[..., Any], const: tuple[int, ...], values: tuple[Any, ...], n: int):
    def g(*free: Any) -> Any:
        it, cv = iter(free), iter(values)
        return f(*(next(cv) if i in const else next(it) for i in range(n)))

    return g


def row_cases(rule: Any) -> list[Case]:
    """The row itself, or one case per binding of its constant arguments (CONST_ARGS)."""
    ref = mp_function(rule)
    if not rule.const:
        return [Case(rule.name, rule, rule.fn, ref, rule.domains)]
    free = tuple(d for i, d in enumerate(rule.domains) if i not in rule.const)
    out = []
    for values in CONST_ARGS.get(rule.name, ()):
        label = f"{rule.name}[{','.join(map(str, values))}]"
        f = _bind(rule.fn, rule.const, values, rule.arity)
        r = _bind(ref, rule.const, values, rule.arity)
        out.append(Case(label, rule, f, r, free))
    return out


def sample(domain: Any, n: int, seed: str) -> list[float]:
    """n points inside ``domain`` (within [-3, 3], at least 0.2 from a finite edge)."""
    rng = random.Random(seed)
    lo = max(domain.lo + 0.2, -3.0) if domain.lo > -math.inf else -3.0
    hi = min(domain.hi - 0.2, 3.0) if domain.hi < math.inf else 3.0
    if domain.hi - domain.lo <= 1.0:  # a unit interval: keep 0.05 from the edges
        lo, hi = domain.lo + 0.05, domain.hi - 0.05
    return [rng.uniform(lo, hi) for _ in range(n)]


def rule_of_ufunc(u: Any) -> Any:
    """The rule-table row behind a registered ufunc (None for the arithmetic ufuncs)."""
    from dualdiff.dual import UFUNCS

    impl = UFUNCS[u]
    for rule in dd.RULES.values():
        if rule.fn is impl:
            return rule
    return None


def mp_ufunc(u: Any) -> Callable[..., Any]:
    """A scalar mpmath function for a supported ufunc."""
    if u in MP_ARITH_UFUNC:
        return MP_ARITH_UFUNC[u]
    rule = rule_of_ufunc(u)
    if rule is None:
        raise KeyError(f"no mpmath reference for numpy.{u.__name__}: add it to MP_ARITH_UFUNC")
    return mp_function(rule)


class _DualOps:
    """Elementwise maps for spec functions, on Duals: NumPy's ufuncs (dispatching to dualdiff)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(np, name)


class _MpOps:
    """The same maps on object arrays of mpf, through the mpmath tables above."""

    def __getattr__(self, name: str) -> Any:
        u = getattr(np, name)
        f = np.frompyfunc(mp_ufunc(u), u.nin, 1)

        return f


DUAL_OPS = _DualOps()
MP_OPS = _MpOps()


# --- mpf arrays and comparisons ----------------------------------------------------------------


def mpf_array(x: Any) -> np.ndarray:
    """An object array of mpf with the values of x (exact: floats convert exactly)."""
    a = np.asarray(x, dtype=object)
    out = np.empty(a.shape, dtype=object)
    for idx in np.ndindex(a.shape):
        out[idx] = mpf(a[idx])
    return out


def as_mp(x: Any) -> Any:
    """A float, mpf, NumPy scalar or array as mpf (scalars) or object array of mpf."""
    if isinstance(x, np.ndarray) and x.shape:
        return mpf_array(x)
    if isinstance(x, np.ndarray):
        x = x[()]
    return mpf(x)


def to_mpf(v: Any) -> Any:
    """mpf of a float, int, mpf or NumPy scalar (mpf() refuses NumPy integers)."""
    if isinstance(v, (np.integer, np.bool_)):
        return mpf(int(v))
    if isinstance(v, np.floating):
        return mpf(float(v))
    return mpf(v)


def close(got: Any, ref: Any, rel: Any, abs_: Any = 0) -> bool:
    """|got - ref| <= rel·|ref| + abs_, in mpmath; a NaN or infinity is close only to itself."""
    try:
        g, r = to_mpf(got), to_mpf(ref)
    except TypeError:
        return False
    if mpmath.isnan(g) or mpmath.isnan(r):
        return False
    if mpmath.isinf(g) or mpmath.isinf(r):
        return g == r
    return abs(g - r) <= rel * abs(r) + abs_


def max_abs(a: Any) -> Any:
    a = np.asarray(a, dtype=object).ravel()
    return max((abs(to_mpf(v)) for v in a), default=mpf(0))


def mismatches(got: Any, ref: Any, rel: float, abs_: Any) -> list[str]:
    """Entries of two same-shaped arrays that are not close; an empty list when all are."""
    g = np.asarray(got, dtype=object)
    r = np.asarray(ref, dtype=object)
    if g.shape != r.shape:
        return [f"shape {g.shape} != reference shape {r.shape}"]
    bad = []
    for idx in np.ndindex(r.shape):
        if not close(g[idx], r[idx], rel, abs_):
            bad.append(f"{idx}: got {g[idx]!r}, reference {mpmath.nstr(to_mpf(r[idx]), 20)}")
    return bad


def assert_array_close(got: Any, ref: Any, rel: float, abs_: Any = 0, what: str = "") -> None:
    bad = mismatches(got, ref, rel, abs_)
    assert not bad, f"{what}: {len(bad)} entries differ:\n  " + "\n  ".join(bad[:8])


# --- derivatives by mpmath ----------------------------------------------------------------------


def mp_diff(f: Callable[..., Any], x: Any, n: Any = 1, dps: int = 50, **options: Any) -> Any:
    """mpmath.diff at ``dps`` digits (x a number, or a tuple of numbers with n a tuple of orders)."""
    with mpmath.workdps(dps):
        if isinstance(x, tuple):
            return mpmath.diff(f, tuple(mpf(v) for v in x), n, **options)
        return mpmath.diff(f, mpf(x), n, **options)


def one_sided(f: Callable[[Any], Any], x: Any, direction: int, n: int = 1, dps: int = 50) -> Any:
    """A one-sided derivative (direction +1 or -1) by mpmath.diff; None if f is undefined there."""
    try:
        r = mp_diff(f, x, n, dps, direction=direction)
    except (ValueError, ZeroDivisionError):
        return None
    return r if isinstance(r, mpmath.mpf) else None


def cd_jacobian(f: Callable[[Any], Any], x0: Sequence[Any], dps: int = 50, h: str = "1e-20"):
    """Value and Jacobian of ``f`` (object arrays of mpf in, NumPy object array out) at x0.

    Central differences at ``dps`` digits: truncation error ~h² ~1e-40, rounding ~10^-dps/h ~1e-30
    (relative to the scale of f), far below a double's precision. Returns ``(value, J)`` with J of
    shape ``value.shape + (n,)``.
    """
    with mpmath.workdps(dps):
        x = mpf_array(x0)
        n = x.shape[0]
        step = mpf(h)
        y0 = np.asarray(f(x.copy()), dtype=object)
        cols = []
        for j in range(n):
            e = np.array([mpf(0)] * n, dtype=object)
            e[j] = step
            yp = np.asarray(f(x + e), dtype=object)
            ym = np.asarray(f(x - e), dtype=object)
            cols.append((yp - ym) / (2 * step))
        return y0, np.stack(cols, axis=-1)


def cd_directional(
    f: Callable[[Any], Any], x: np.ndarray, v: np.ndarray, dps: int = 100, h: str = "1e-35"
):
    """(f(x + h v) - f(x - h v)) / 2h at ``dps`` digits: ~1e-65 accurate, for the mpf mode."""
    with mpmath.workdps(dps):
        step = mpf(h)
        yp = np.asarray(f(x + step * v), dtype=object)
        ym = np.asarray(f(x - step * v), dtype=object)
        return np.asarray((yp - ym) / (2 * step), dtype=object)


def cd_hessian(f: Callable[[Any], Any], x0: Sequence[Any], dps: int = 50, h: str = "1e-15"):
    """Hessian of a scalar ``f`` by second central differences on mpf (error ~1e-20 relative)."""
    with mpmath.workdps(dps):
        x = mpf_array(x0)
        n = x.shape[0]
        step = mpf(h)

        def at(i: int, si: int, j: int, sj: int) -> Any:
            e = np.array([mpf(0)] * n, dtype=object)
            e[i] += si * step
            e[j] += sj * step
            return mpf(f(x + e))

        H = np.empty((n, n), dtype=object)
        for i in range(n):
            for j in range(i, n):
                v = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (
                    4 * step * step
                )
                H[i, j] = H[j, i] = v
        return H


def to_float_array(a: Any) -> np.ndarray:
    return np.asarray(np.vectorize(float, otypes=[np.float64])(np.asarray(a, dtype=object)))


EPS = math.ulp(1.0)


def list_jacobian(
    ref: Callable[[list[Any]], Sequence[Any]], x0: Sequence[float], dps: int = 40, h: str = "1e-12"
) -> np.ndarray:
    """The Jacobian, as floats, of ``ref`` (a list of mpf in, a sequence of mpf out) at x0, by
    central differences at ``dps`` digits (:func:`cd_jacobian` on lists)."""
    _, J = cd_jacobian(lambda x: np.array(list(ref(list(x))), dtype=object), x0, dps=dps, h=h)
    return J.astype(float)


def list_hessian(
    ref: Callable[[list[Any]], Sequence[Any]],
    x0: Sequence[float],
    w: Any,
    dps: int = 40,
    h: str = "1e-9",
) -> np.ndarray:
    """The Hessian, as floats, of Σ w·ref(x) at x0 (:func:`cd_hessian` on lists)."""
    ws = [mpf(float(e)) for e in np.ravel(w)]

    def g(x: Any) -> Any:
        return sum(a * b for a, b in zip(ws, ref(list(x)), strict=True))

    return cd_hessian(g, x0, dps=dps, h=h).astype(float)
