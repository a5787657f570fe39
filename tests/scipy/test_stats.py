"""dualdiff.scipy.stats: values against scipy.stats, derivatives against mpmath.

One table (``TABLE``): a distribution, its parameters and the points where every one of its
methods is checked. The reference for derivatives is an mpmath re-implementation of each
density, distribution function and quantile (``MP``, written with mpmath's own functions:
loggamma, ncdf, erfinv, betainc, gammainc, hyp2f1, ...), differentiated by ``mpmath.diff`` at
30 digits; none of dualdiff's code is involved. Each case runs in every mode: float Duals (one
argument seeded at a time), arrays (all points at once), mpf (at 30 digits), vector mode
(``dd.gradient`` in the parameters, chunk 1 and the default) and nested (``dd.hessian`` of a
log-likelihood).
"""

from __future__ import annotations

import copy
import math
import pickle
import re
from collections.abc import Callable
from typing import Any

import mpmath as mp
import numpy as np
import pytest

sst = pytest.importorskip("scipy.stats")

import dualdiff as dd  # noqa: E402
from dualdiff.scipy import stats  # noqa: E402

# --- mpmath re-implementations, in standard form (z = (x - loc)/scale; k - loc) --------------


def _t_cdf(z: Any, df: Any) -> Any:
    c = mp.gamma((df + 1) / 2) / (mp.sqrt(mp.pi * df) * mp.gamma(df / 2))
    return mp.mpf(1) / 2 + z * c * mp.hyp2f1(0.5, (df + 1) / 2, 1.5, -z * z / df)


def _reg_beta(a: Any, b: Any, lo: Any, hi: Any) -> Any:
    return mp.betainc(a, b, lo, hi, regularized=True)


def _reg_gamma(a: Any, lo: Any, hi: Any) -> Any:
    return mp.gammainc(a, lo, hi, regularized=True)


def _probit(q: Any) -> Any:
    return mp.sqrt(2) * mp.erfinv(2 * q - 1)


def _inverse(name: str) -> Callable[..., Any]:
    """The quantile as the root of the mpmath cdf (of the sf above the median), for the
    distributions whose quantile inverts an incomplete function: mpmath.findroot
    (Anderson-Björck) in a bracket of 1e-9 relative about SciPy's float quantile."""

    def ppf(q: Any, *s: Any) -> Any:
        dist, floats = getattr(sst, name), [float(v) for v in s]
        if q <= 0.5:  # relative residuals: findroot's tolerance is absolute
            start, f = dist.ppf(float(q), *floats), lambda x: MP[name]["cdf"](x, *s) / q - 1
        else:
            p = 1 - q
            start, f = dist.isf(float(p), *floats), lambda x: 1 - MP[name]["sf"](x, *s) / p
        start = mp.mpf(start)
        d = abs(start) * mp.mpf(10) ** -9 if start else mp.mpf(10) ** -12
        if name == "beta":  # inside the support
            d = min(d, (1 - start) / 2)
        return mp.findroot(f, (start - d, start + d), solver="anderson")

    return ppf


# name -> method -> f(z, *shapes); logpdf (logpmf) in z, ppf in q
MP: dict[str, dict[str, Callable[..., Any]]] = {
    "norm": {
        "logpdf": lambda z: -z * z / 2 - mp.log(2 * mp.pi) / 2,
        "cdf": lambda z: mp.ncdf(z),
        "sf": lambda z: mp.ncdf(-z),
        "ppf": _probit,
    },
    "lognorm": {
        "logpdf": lambda z, s: -(mp.log(z) ** 2) / (2 * s * s) - mp.log(s * z * mp.sqrt(2 * mp.pi)),
        "cdf": lambda z, s: mp.ncdf(mp.log(z) / s),
        "sf": lambda z, s: mp.ncdf(-mp.log(z) / s),
        "ppf": lambda q, s: mp.exp(s * _probit(q)),
    },
    "t": {
        "logpdf": lambda z, df: (
            mp.loggamma((df + 1) / 2)
            - mp.loggamma(df / 2)
            - mp.log(mp.pi * df) / 2
            - (df + 1) / 2 * mp.log(1 + z * z / df)
        ),
        "cdf": _t_cdf,
        "sf": lambda z, df: _t_cdf(-z, df),
        "ppf": _inverse("t"),
    },
    "cauchy": {
        "logpdf": lambda z: -mp.log(mp.pi * (1 + z * z)),
        "cdf": lambda z: mp.mpf(1) / 2 + mp.atan(z) / mp.pi,
        "sf": lambda z: mp.mpf(1) / 2 - mp.atan(z) / mp.pi,
        "ppf": lambda q: mp.tan(mp.pi * (q - mp.mpf(1) / 2)),
    },
    "laplace": {
        "logpdf": lambda z: -mp.log(2) - abs(z),
        "cdf": lambda z: 1 - mp.exp(-z) / 2 if z > 0 else mp.exp(z) / 2,
        "sf": lambda z: mp.exp(-z) / 2 if z > 0 else 1 - mp.exp(z) / 2,
        "ppf": lambda q: -mp.log(2 * (1 - q)) if q > 0.5 else mp.log(2 * q),
    },
    "logistic": {
        "logpdf": lambda z: -z - 2 * mp.log(1 + mp.exp(-z)),
        "cdf": lambda z: 1 / (1 + mp.exp(-z)),
        "sf": lambda z: 1 / (1 + mp.exp(z)),
        "ppf": lambda q: mp.log(q / (1 - q)),
    },
    "expon": {
        "logpdf": lambda z: -z,
        "cdf": lambda z: 1 - mp.exp(-z),
        "sf": lambda z: mp.exp(-z),
        "ppf": lambda q: -mp.log(1 - q),
    },
    "uniform": {
        "logpdf": lambda z: mp.mpf(0),
        "cdf": lambda z: z,
        "sf": lambda z: 1 - z,
        "ppf": lambda q: q,
    },
    "weibull_min": {
        "logpdf": lambda z, c: mp.log(c) + (c - 1) * mp.log(z) - z**c,
        "cdf": lambda z, c: 1 - mp.exp(-(z**c)),
        "sf": lambda z, c: mp.exp(-(z**c)),
        "ppf": lambda q, c: (-mp.log(1 - q)) ** (1 / c),
    },
    "gamma": {
        "logpdf": lambda z, a: (a - 1) * mp.log(z) - z - mp.loggamma(a),
        "cdf": lambda z, a: _reg_gamma(a, 0, z),
        "sf": lambda z, a: _reg_gamma(a, z, mp.inf),
        "ppf": _inverse("gamma"),
    },
    "chi2": {
        "logpdf": lambda z, df: (
            (df / 2 - 1) * mp.log(z) - z / 2 - mp.loggamma(df / 2) - df / 2 * mp.log(2)
        ),
        "cdf": lambda z, df: _reg_gamma(df / 2, 0, z / 2),
        "sf": lambda z, df: _reg_gamma(df / 2, z / 2, mp.inf),
        "ppf": _inverse("chi2"),
    },
    "beta": {
        "logpdf": lambda z, a, b: (
            (a - 1) * mp.log(z) + (b - 1) * mp.log(1 - z) - mp.log(mp.beta(a, b))
        ),
        "cdf": lambda z, a, b: _reg_beta(a, b, 0, z),
        "sf": lambda z, a, b: _reg_beta(a, b, z, 1),
        "ppf": _inverse("beta"),
    },
    "poisson": {"logpmf": lambda k, mu: k * mp.log(mu) - mp.loggamma(k + 1) - mu},
    "binom": {
        "logpmf": lambda k, n, p: (
            mp.loggamma(n + 1)
            - mp.loggamma(k + 1)
            - mp.loggamma(n - k + 1)
            + k * mp.log(p)
            + (n - k) * mp.log(1 - p)
        )
    },
    "nbinom": {
        "logpmf": lambda k, n, p: (
            mp.loggamma(n + k)
            - mp.loggamma(k + 1)
            - mp.loggamma(n)
            + n * mp.log(p)
            + k * mp.log(1 - p)
        )
    },
    "geom": {"logpmf": lambda k, p: (k - 1) * mp.log(1 - p) + mp.log(p)},
    "bernoulli": {"logpmf": lambda k, p: k * mp.log(p) + (1 - k) * mp.log(1 - p)},
}


def reference(name: str, method: str) -> Callable[..., Any]:
    """The mpmath function of (x, *shapes, loc[, scale]) for one method; the cdf of a discrete
    distribution is the sum of its pmf (k is then a whole number)."""
    rows = MP[name]
    discrete = getattr(stats, name).discrete
    log = rows["logpmf" if discrete else "logpdf"]

    def cdf(z: Any, *s: Any) -> Any:
        if discrete:
            lo = getattr(stats, name).lo
            return mp.fsum(mp.exp(log(mp.mpf(j), *s)) for j in range(int(lo), int(z) + 1))
        return rows["cdf"](z, *s)

    def sf(z: Any, *s: Any) -> Any:
        return rows["sf"](z, *s) if "sf" in rows else 1 - cdf(z, *s)

    std = {
        "logpdf": log, "logpmf": log,
        "pdf": lambda z, *s: mp.exp(log(z, *s)), "pmf": lambda z, *s: mp.exp(log(z, *s)),
        "cdf": cdf, "sf": sf,
        "logcdf": lambda z, *s: mp.log(cdf(z, *s)), "logsf": lambda z, *s: mp.log(sf(z, *s)),
        "ppf": rows.get("ppf"),
    }[method]  # fmt: skip
    nshapes = len(getattr(stats, name).shapes)

    def f(x: Any, *args: Any) -> Any:
        shapes, loc = args[:nshapes], args[nshapes]
        scale = args[nshapes + 1] if not discrete else mp.mpf(1)
        if method == "ppf":
            return std(x, *shapes) * scale + loc
        value = std((x - loc) / scale, *shapes)
        return (
            value - mp.log(scale)
            if method == "logpdf"
            else value / (scale if method == "pdf" else 1)
        )

    return f


# --- the table ------------------------------------------------------------------------------

# distribution, shape parameters, loc, scale (None: discrete), points (x, or k)
TABLE: list[tuple[str, tuple[float, ...], float, float | None, tuple[float, ...]]] = [
    ("norm", (), 0.3, 1.7, (-2.1, 0.4, 3.3)),
    ("lognorm", (0.8,), 0.2, 1.5, (0.5, 1.9, 4.0)),
    ("t", (3.5,), -0.2, 1.3, (-3.0, -0.2, 0.9, 5.0)),  # -0.2: z = 0, the cdf's own branch
    ("t", (250.0,), 0.1, 0.8, (-2.0, 0.15, 3.5)),  # Stirling's series for ln Γ ratios
    ("cauchy", (), 0.5, 2.0, (-7.0, 0.1, 1.5, 12.0)),
    ("laplace", (), -0.4, 0.9, (-2.3, 0.1, 1.9)),
    ("logistic", (), 0.25, 1.2, (-3.0, 0.7, 4.2)),
    ("expon", (), 0.5, 2.0, (0.7, 2.0, 6.5)),
    ("uniform", (), -1.0, 3.0, (-0.5, 0.7, 1.6)),
    ("weibull_min", (1.7,), 0.1, 2.0, (0.4, 1.5, 4.4)),
    ("gamma", (2.5,), 0.2, 1.5, (0.5, 2.8, 7.0)),
    ("chi2", (3.5,), 0.0, 1.2, (0.6, 3.0, 9.0)),
    ("beta", (2.5, 1.7), 0.1, 1.5, (0.3, 0.9, 1.4)),
    ("poisson", (3.5,), 0.0, None, (0.0, 2.0, 6.0)),
    ("binom", (12.0, 0.35), 0.0, None, (0.0, 4.0, 9.0)),
    ("nbinom", (4.5, 0.4), 0.0, None, (0.0, 3.0, 11.0)),
    ("geom", (0.3,), 0.0, None, (1.0, 3.0, 8.0)),
    ("bernoulli", (0.3,), 0.0, None, (0.0, 1.0)),
]
QUANTILES = (0.02, 0.3, 0.5, 0.85)  # 0.5: cauchy's own branch
#: the cdf family's shape parameters without a derivative (the incomplete functions' shapes)
NO_SLOPE = {"t": {"df"}, "beta": {"a", "b"}, "binom": {"n"}, "nbinom": {"n"}}
#: shapes in which only the quantile has no derivative (the cdf has one: gammainc's in a)
NO_SLOPE_PPF = {"gamma": {"a"}, "chi2": {"df"}}
CDF_FAMILY = ("cdf", "logcdf", "sf", "logsf")


def no_slope(name: str, method: str) -> set[str]:
    """The shape parameters in which ``method`` has no derivative (a Dual raises TypeError):
    those of NO_SLOPE in the cdf family, and in the quantile of a continuous distribution (its
    derivative there would need the cdf's)."""
    continuous_ppf = method == "ppf" and not getattr(stats, name).discrete
    if continuous_ppf:
        return NO_SLOPE.get(name, set()) | NO_SLOPE_PPF.get(name, set())
    return NO_SLOPE.get(name, set()) if method in CDF_FAMILY else set()


def methods(name: str) -> list[str]:
    dist = getattr(stats, name)
    dens = ["pmf", "logpmf"] if dist.discrete else ["pdf", "logpdf"]
    return [*dens, *CDF_FAMILY, *(["ppf"] if hasattr(dist, "ppf") else [])]


CASES = [(row, m) for row in TABLE for m in methods(row[0])]


def row_id(row: tuple) -> str:
    return f"{row[0]}({','.join(f'{s:g}' for s in row[1])})"


IDS = [f"{row_id(row)}.{m}" for row, m in CASES]


class Case:
    """One (distribution, method) of the table: its arguments, calls and references."""

    def __init__(self, row: tuple, method: str) -> None:
        self.name, self.shapes, self.loc, self.scale, points = row
        self.method = method
        self.dist = getattr(stats, self.name)
        self.points = QUANTILES if method == "ppf" else points
        self.discrete = self.scale is None
        self.names = (
            [n for n, _ in self.dist.shapes] + ["loc"] + ([] if self.discrete else ["scale"])
        )
        self.params = [*self.shapes, self.loc] + ([] if self.discrete else [self.scale])

    def call(self, x: Any, params: list[Any]) -> Any:
        """dualdiff's method, parameters by keyword."""
        return getattr(self.dist, self.method)(x, **dict(zip(self.names, params, strict=True)))

    def scipy(self, x: Any) -> Any:
        return getattr(getattr(sst, self.name), self.method)(x, *self.params)

    def slopes(self) -> list[int]:
        """The arguments (0: x, then the parameters) with a derivative to check against mpmath:
        not k or loc of a discrete distribution (a step function: slope 0, checked apart), not the
        shapes without one (TypeError, checked apart), nothing of a step quantile."""
        if self.discrete and self.method == "ppf":
            return []
        out = [] if self.discrete else [0]
        for i, n in enumerate(self.names, start=1):
            if self.discrete and n == "loc":
                continue
            if n in no_slope(self.name, self.method):
                continue
            out.append(i)
        return out

    def mp_point(self, x: float) -> list[Any]:
        return [mp.mpf(x), *(mp.mpf(p) for p in self.params)]

    def ref_slope(self, x: float, i: int, dps: int = 30) -> float | Any:
        """d/d(argument i) of the mpmath re-implementation, by mpmath.diff at ``dps`` digits."""
        f = reference(self.name, self.method)
        with mp.workdps(dps):
            args = self.mp_point(x)

            def g(v: Any) -> Any:
                return f(*args[:i], v, *args[i + 1 :])

            return mp.diff(g, args[i])

    def ref_value(self, x: float, dps: int = 30) -> Any:
        with mp.workdps(dps):
            return reference(self.name, self.method)(*self.mp_point(x))


_REF: dict[tuple, Any] = {}


def ref_slope(c: Case, x: float, i: int, dps: int = 30) -> Any:
    key = (c.name, tuple(c.params), c.method, x, i, dps)
    if key not in _REF:  # a constant -inf (log of a probability 0 past the support): slope 0
        _REF[key] = 0.0 if mp.isinf(c.ref_value(x)) else c.ref_slope(x, i, dps)
    return _REF[key]


def close(got: Any, want: Any, rel: float) -> bool:
    """Relative agreement, with an absolute floor of ``rel`` for references that vanish."""
    if want == got:  # infinities included
        return True
    return abs(got - want) <= rel * max(abs(want), 1e-3)


# --- values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("row", "method"), CASES, ids=IDS)
def test_values_match_scipy_and_mpmath(row: tuple, method: str) -> None:
    c = Case(row, method)
    x = np.array(c.points)
    got = c.call(x, c.params)
    np.testing.assert_allclose(got, c.scipy(x), rtol=1e-12, atol=0)
    for xi, gi in zip(c.points, got, strict=True):
        assert c.call(xi, c.params) == pytest.approx(gi, rel=1e-14, abs=0)  # as in arrays
        if not (c.discrete and method == "ppf"):
            assert close(gi, float(c.ref_value(xi)), 1e-13)


# --- derivatives, in each mode --------------------------------------------------------------


@pytest.mark.parametrize(("row", "method"), CASES, ids=IDS)
def test_float_duals_match_mpmath(row: tuple, method: str) -> None:
    """Each argument seeded alone, at each point: the tangent is mpmath's partial derivative."""
    c = Case(row, method)
    for x in c.points:
        for i in c.slopes():
            args = [x, *c.params]
            args[i] = dd.Dual(args[i], 1.0)
            got = c.call(args[0], args[1:])
            assert isinstance(got, dd.Dual)
            assert close(got.tangent, float(ref_slope(c, x, i)), 1e-12), (x, c.names, i)


@pytest.mark.parametrize(("row", "method"), CASES, ids=IDS)
def test_array_duals_match_mpmath(row: tuple, method: str) -> None:
    """All points at once (a Dual array, or a Dual parameter against an array of points)."""
    c = Case(row, method)
    x = np.array(c.points)
    for i in c.slopes():
        args: list[Any] = [x, *c.params]
        args[i] = dd.Dual(x, np.ones_like(x)) if i == 0 else dd.Dual(args[i], 1.0)
        got = c.call(args[0], args[1:]).tangent
        want = [float(ref_slope(c, xi, i)) for xi in c.points]
        assert all(close(g, w, 1e-12) for g, w in zip(got, want, strict=True)), (got, want)


@pytest.mark.parametrize(("row", "method"), CASES, ids=IDS)
def test_mpf_duals_match_mpmath_at_30_digits(row: tuple, method: str) -> None:
    """Every univariate method computes in mpf: 30 correct digits of value and derivative."""
    c = Case(row, method)
    x = c.points[len(c.points) // 2]
    with mp.workdps(30):
        for i in c.slopes():
            args = [mp.mpf(x), *(mp.mpf(p) for p in c.params)]
            args[i] = dd.Dual(args[i], mp.mpf(1))
            got = c.call(args[0], args[1:])
            assert isinstance(got.value, mp.mpf)
            assert isinstance(got.tangent, mp.mpf) or got.tangent == 0  # a constant's zero
            assert close(got.value, c.ref_value(x, dps=45), mp.mpf(10) ** -27)
            assert close(got.tangent, ref_slope(c, x, i, dps=45), mp.mpf(10) ** -25)


SLOPED = [(row, m) for row, m in CASES if not (row[3] is None and m == "ppf")]  # not a step


@pytest.mark.parametrize(("row", "method"), SLOPED, ids=[f"{row_id(r)}.{m}" for r, m in SLOPED])
@pytest.mark.parametrize("chunk", [1, None])
def test_vector_mode_gradient_in_the_parameters(row: tuple, method: str, chunk: Any) -> None:
    """dd.gradient of the sum over the points, in every parameter that has a derivative."""
    c = Case(row, method)
    free = [i for i in c.slopes() if i > 0]

    def f(p: Any) -> Any:
        params: list[Any] = list(c.params)
        for j, i in enumerate(free):
            params[i - 1] = p[j]
        return np.sum(c.call(np.array(c.points), params))

    got = dd.gradient(f, [c.params[i - 1] for i in free], chunk=chunk)
    want = [sum(float(ref_slope(c, x, i)) for x in c.points) for i in free]
    assert all(close(g, w, 1e-12) for g, w in zip(got, want, strict=True)), (got, want)


def _hessian_case(row: tuple, method: str) -> tuple[Case, list[int], Callable[..., Any]]:
    name = row[0]
    c = Case(row, method)
    free = [i for i in c.slopes() if i > 0]
    f = reference(name, method)

    def total(*p: Any) -> Any:
        params: list[Any] = [mp.mpf(v) for v in c.params]
        for j, i in enumerate(free):
            params[i - 1] = p[j]
        return mp.fsum(f(mp.mpf(x), *params) for x in c.points)

    return c, free, total


@pytest.mark.parametrize("method", ["logpdf", "cdf"])
@pytest.mark.parametrize("row", TABLE, ids=[row_id(r) for r in TABLE])
def test_nested_hessian_of_the_log_likelihood(row: tuple, method: str) -> None:
    """dd.hessian (forward over forward) of Σ logpdf (or Σ cdf) in the parameters with slopes."""
    if getattr(stats, row[0]).discrete:
        method = {"logpdf": "logpmf"}.get(method, method)
    c, free, total = _hessian_case(row, method)
    p0 = [c.params[i - 1] for i in free]

    def f(p: Any) -> Any:
        params: list[Any] = list(c.params)
        for j, i in enumerate(free):
            params[i - 1] = p[j]
        return np.sum(c.call(np.array(c.points), params))

    got = dd.hessian(f, p0)
    with mp.workdps(30):
        for a in range(len(free)):
            for b in range(a, len(free)):
                order = [0] * len(free)
                order[a] += 1
                order[b] += 1
                want = float(mp.diff(total, [mp.mpf(v) for v in p0], order))
                assert close(got[a, b], want, 1e-10), (c.names, a, b, got[a, b], want)


# --- step functions, the support's outside, the parameters' edges ----------------------------

DISCRETE = [r for r in TABLE if r[3] is None]


@pytest.mark.parametrize("row", DISCRETE, ids=[row_id(r) for r in DISCRETE])
def test_discrete_distributions_have_slope_zero_in_k_and_loc(row: tuple) -> None:
    """pmf and cdf are step functions of k - loc; the quantile is a step function of q (and
    of p), plus loc."""
    for method in methods(row[0]):
        c = Case(row, method)
        for x in c.points:
            for i in (0, len(c.params)):  # k (or q), loc
                args: list[Any] = [x, *c.params]
                args[i] = dd.Dual(args[i], 1.0)
                got = c.call(args[0], args[1:])
                slope = 1.0 if method == "ppf" and i > 0 else 0.0
                assert got.tangent == slope
                assert got.value == pytest.approx(c.call(x, c.params), rel=1e-14, abs=0)


def _outside(row: tuple) -> list[float]:
    """Points past each finite end of the support (and between whole numbers, if discrete)."""
    name, shapes, loc, scale, _ = row
    dist = getattr(stats, name)
    lo, hi = dist.lo, shapes[0] if name == "binom" else dist.hi
    if scale is None:
        return [p for p in (lo - 1, hi + 1) if np.isfinite(p)]
    return [loc + scale * p for p in (lo - 0.5, hi + 0.5) if np.isfinite(p)]


BOUNDED = [r for r in TABLE if _outside(r)]


@pytest.mark.parametrize("row", BOUNDED, ids=[row_id(r) for r in BOUNDED])
def test_outside_the_support_values_are_scipys_and_constant(row: tuple) -> None:
    for method in methods(row[0]):
        if method == "ppf":
            continue
        c = Case(row, method)
        between = [c.dist.lo + 0.5] if method in ("pmf", "logpmf") else []  # not a whole k
        for x in _outside(row) + between:
            want = c.scipy(x)
            for i, name in enumerate(["x", *c.names]):
                args: list[Any] = [x, *c.params]
                args[i] = dd.Dual(args[i], 1.0)
                if name in no_slope(c.name, method):
                    with pytest.raises(TypeError, match="no derivative"):  # outside too
                        c.call(args[0], args[1:])
                    continue
                got = c.call(args[0], args[1:])
                assert got.value == want and got.tangent == 0.0, (method, x, i)


def test_the_density_at_the_end_of_its_support() -> None:
    """At x = loc (z = 0), gamma with a = 1 is the exponential (slope -1/scale² in x); with
    a > 1 the density is 0 there whatever a is: logpdf -inf, a constant."""
    y = stats.gamma.logpdf(dd.Dual(0.2, 1.0), 1.0, loc=0.2, scale=2.0)
    assert y.value == sst.gamma.logpdf(0.2, 1.0, loc=0.2, scale=2.0) and y.tangent == -0.5
    y = stats.gamma.logpdf(0.2, dd.Dual(2.5, 1.0), loc=0.2)
    assert y.value == -np.inf and y.tangent == 0.0
    y = stats.beta.pdf(dd.Dual(np.array([0.0, 1.0]), np.ones(2)), 1.0, 2.0)
    np.testing.assert_array_equal(y.value, sst.beta.pdf([0.0, 1.0], 1.0, 2.0))
    np.testing.assert_array_equal(y.tangent, [-2.0, -2.0])  # d/dx 2(1 - x), one-sided


@pytest.mark.parametrize("array", [False, True])
def test_one_sided_slopes_at_the_parameters_edges(array: bool) -> None:
    """p = 0 or 1, mu = 0: SciPy's values, and the one-sided derivatives (the incomplete
    functions evaluated at 0 or 1)."""
    cases = [  # method, k, parameters, the seeded one's index, value, slope
        (stats.poisson.pmf, 0.0, [0.0], 0, 1.0, -1.0),
        (stats.poisson.cdf, 0.0, [0.0], 0, 1.0, -1.0),
        (stats.poisson.cdf, 3.0, [0.0], 0, 1.0, 0.0),
        (stats.poisson.sf, 0.0, [0.0], 0, 0.0, 1.0),
        (stats.binom.pmf, 5.0, [5.0, 1.0], 1, 1.0, 5.0),
        (stats.binom.cdf, 0.0, [5.0, 0.0], 1, 1.0, -5.0),  # (1 - p)^5
        (stats.binom.cdf, 4.0, [5.0, 1.0], 1, 0.0, -5.0),  # 1 - p^5
        (stats.binom.sf, 2.0, [5.0, 0.0], 1, 0.0, 0.0),
        (stats.nbinom.cdf, 0.0, [3.0, 1.0], 1, 1.0, 3.0),  # p^3
        (stats.geom.pmf, 1.0, [1.0], 0, 1.0, 1.0),
        (stats.geom.cdf, 3.0, [1.0], 0, 1.0, 0.0),
        (stats.bernoulli.logpmf, 1.0, [1.0], 0, 0.0, 1.0),
    ]
    for f, k, params, i, value, slope in cases:
        want = getattr(sst, f.__qualname__.split(".")[0][1:].lower())
        args: list[Any] = list(params)
        args[i] = dd.Dual(np.array([params[i]]) if array else params[i], 1.0)
        got = f(k, *args)
        assert np.all(got.value == value), (f, k, params)
        assert np.all(np.abs(got.tangent - slope) <= 1e-15 * abs(slope)), (f, k, params)
        with np.errstate(divide="ignore"):  # SciPy's geom at p = 1
            assert getattr(want, f.__name__)(k, *params) == value


def test_quantiles_at_0_and_1_are_the_support_ends() -> None:
    np.testing.assert_array_equal(stats.norm.ppf([0.0, 1.0]), [-np.inf, np.inf])
    loc = dd.Dual(0.5, 1.0)
    assert stats.expon.ppf(0.0, loc=loc, scale=2.0) == dd.Dual(0.5, 1.0)
    y = stats.uniform.ppf(1.0, loc=0.5, scale=dd.Dual(2.0, 1.0))
    assert (y.value, y.tangent) == (2.5, 1.0)
    y = stats.norm.ppf(1.0, loc=loc)
    assert (y.value, y.tangent) == (np.inf, 0.0)  # a constant end
    np.testing.assert_array_equal(stats.geom.ppf([0.0, 1.0], 0.3), sst.geom.ppf([0.0, 1.0], 0.3))
    q = dd.Dual(np.array([0.0, 0.3, 0.6, 1.0]), np.ones(4))
    y = stats.bernoulli.ppf(q, 0.4)
    np.testing.assert_array_equal(y.value, sst.bernoulli.ppf(q.value, 0.4))
    np.testing.assert_array_equal(y.tangent, np.zeros(4))


# --- invalid arguments: NaN in arrays, an error for numbers ----------------------------------

BAD = {"> 0": -1.0, ">= 0": -1.0, "in [0, 1]": 1.5, "in (0, 1]": 0.0, "a whole number >= 0": 2.5}


@pytest.mark.parametrize("row", TABLE, ids=[row_id(r) for r in TABLE])
def test_invalid_parameters_are_nan_in_arrays_and_an_error_for_numbers(row: tuple) -> None:
    for method in methods(row[0]):
        c = Case(row, method)
        x = c.points[0]
        for pname, check in c.dist.checks:
            j, bad = c.names.index(pname), BAD[check.text]
            params: list[Any] = list(c.params)
            for value in (bad, dd.Dual(bad, 1.0)):
                params[j] = value
                msg = f"{c.name}.{method} needs {pname} {check.text}, got {pname} = {bad!r}"
                with pytest.raises(dd.DomainError, match=re.escape(msg)):
                    c.call(x, params)
            params[j] = np.array([bad, c.params[j]])
            want = getattr(getattr(sst, c.name), method)(x, *params)
            if pname not in no_slope(c.name, method):
                params[j] = dd.Dual(params[j], np.ones(2))
            got = c.call(dd.Dual(np.full(2, x), np.ones(2)), params)
            assert np.isnan(want[0]) and np.isnan(got.value[0]) and np.isnan(got.tangent[0])
            assert got.value[1] == pytest.approx(want[1], rel=1e-12)
            assert np.isfinite(got.tangent[1])


def test_quantiles_outside_0_1_are_nan_in_arrays_and_an_error_for_numbers() -> None:
    with pytest.raises(ValueError, match=re.escape("norm.ppf needs q in [0, 1], got q = 1.5")):
        stats.norm.ppf(1.5)
    with pytest.raises(dd.DomainError, match="geom.ppf needs q"):
        stats.geom.ppf(dd.Dual(-0.5, 1.0), 0.3)
    got = stats.norm.ppf(dd.Dual(np.array([-0.5, 0.5, 2.0]), np.ones(3)))
    np.testing.assert_array_equal(got.value, [np.nan, 0.0, np.nan])
    assert np.isnan(got.tangent[[0, 2]]).all() and got.tangent[1] == pytest.approx(2.5066282746)


@pytest.mark.parametrize("row", TABLE, ids=[row_id(r) for r in TABLE])
def test_nan_arguments_give_nan(row: tuple) -> None:
    for method in methods(row[0]):
        c = Case(row, method)
        assert np.isnan(c.call(np.nan, c.params))
        got = c.call(dd.Dual(np.array([np.nan, c.points[0]]), np.ones(2)), c.params)
        assert np.isnan(got.value[0]) and np.isnan(got.tangent[0]) and not np.isnan(got.value[1])
        params = list(c.params)
        params[-1] = np.nan  # loc, or scale
        assert np.isnan(c.call(c.points[0], params))


@pytest.mark.parametrize("name", sorted(NO_SLOPE | NO_SLOPE_PPF))
def test_the_cdf_family_has_no_slope_in_the_incomplete_functions_shapes(name: str) -> None:
    row = next(r for r in TABLE if r[0] == name)
    for method in methods(name):
        c = Case(row, method)
        doc = getattr(c.dist, method).__doc__
        for pname in NO_SLOPE.get(name, set()) | NO_SLOPE_PPF.get(name, set()):
            j = c.names.index(pname)
            params: list[Any] = list(c.params)
            params[j] = dd.Dual(params[j], 1.0)
            if pname in no_slope(name, method):
                assert f"Not differentiable in {pname}" in doc or "a or b" in doc
                with pytest.raises(TypeError, match="has no derivative in"):
                    c.call(c.points[1], params)
            else:
                assert "Not differentiable" not in doc
                assert isinstance(c.call(c.points[1], params), dd.Dual)


# --- the call: arguments, frozen distributions, broadcasting ---------------------------------


def test_arguments_bind_as_in_scipy() -> None:
    x = np.array([0.5, 2.0])
    want = sst.gamma.logpdf(x, 2.5, 0.2, 1.5)
    for got in (
        stats.gamma.logpdf(x, 2.5, 0.2, 1.5),
        stats.gamma.logpdf(x, a=2.5, loc=0.2, scale=1.5),
        stats.gamma.logpdf(x, 2.5, scale=1.5, loc=0.2),
        stats.gamma(2.5, 0.2, scale=1.5).logpdf(x),
    ):
        np.testing.assert_allclose(got, want, rtol=1e-14)
    assert stats.poisson(3.5, loc=1).pmf(3) == pytest.approx(sst.poisson(3.5, loc=1).pmf(3))
    errors = [
        (lambda: stats.norm.logpdf(1.0, 0.0, 1.0, 2.0), "takes at most 3 arguments"),
        (lambda: stats.gamma.logpdf(1.0), "missing the shape parameter a"),
        (lambda: stats.gamma.logpdf(1.0, 2.0, a=2.0), "multiple values for argument 'a'"),
        (lambda: stats.norm.cdf(1.0, mu=2.0), "unexpected keyword argument 'mu'"),
        (lambda: stats.poisson.pmf(1.0, 2.0, scale=2.0), "unexpected keyword argument 'scale'"),
    ]
    for call, msg in errors:
        with pytest.raises(TypeError, match=msg):
            call()
    assert "gamma.logpdf(x, a, loc=0, scale=1)" in stats.gamma.logpdf.__doc__
    assert "binom.cdf(k, n, p, loc=0)" in stats.binom.cdf.__doc__
    assert "gamma.ppf(q, a, loc=0, scale=1)" in stats.gamma.ppf.__doc__
    assert "poisson.ppf(q, mu, loc=0)" in stats.poisson.ppf.__doc__


def test_parameters_broadcast_with_x() -> None:
    x = np.array([[0.5], [2.0], [4.0]])
    a = np.array([1.5, 2.5])
    got = stats.gamma.logpdf(x, dd.Dual(a, np.ones(2)), scale=1.5)
    np.testing.assert_allclose(got.value, sst.gamma.logpdf(x, a, scale=1.5), rtol=1e-13)
    with mp.workdps(30):
        want = [
            [
                float(mp.diff(lambda v, xi=xi: MP["gamma"]["logpdf"](mp.mpf(xi) / 1.5, v), ai))
                for ai in a
            ]
            for xi in x[:, 0]
        ]
    np.testing.assert_allclose(got.tangent, want, rtol=1e-12)
    y = stats.norm.cdf(0.3, loc=dd.Dual(np.zeros((2, 1)), np.ones((2, 1))), scale=[1.0, 2.0, 3.0])
    assert y.value.shape == y.tangent.shape == (2, 3)


def test_t_with_infinite_df_is_the_normal_distribution() -> None:
    x = np.array([-1.5, 0.0, 2.0])
    for method in ("logpdf", "pdf", "cdf", "logsf"):
        got = getattr(stats.t, method)(dd.Dual(x, np.ones(3)), np.inf)
        want = getattr(stats.norm, method)(dd.Dual(x, np.ones(3)))
        np.testing.assert_allclose(got.value, getattr(sst.t, method)(x, np.inf), rtol=1e-14)
        np.testing.assert_allclose(got.tangent, want.tangent, rtol=1e-14)


def test_accurate_where_scipy_takes_the_log_of_a_rounded_probability() -> None:
    """ln cdf near cdf = 1 is log1p(-sf) here (SciPy's discrete logcdf rounds to 0 there), the
    Laplace logpdf is finite in the far tail, uniform's logsf is log1p(-z)."""
    with mp.workdps(30):
        tail = -mp.fsum(mp.exp(k * mp.log(3.5) - mp.loggamma(k + 1) - 3.5) for k in range(30, 80))
    assert stats.poisson.logcdf(29, 3.5) == pytest.approx(float(tail), rel=1e-13)
    assert stats.laplace.logpdf(-800.0) == -800.0 - math.log(2)
    assert stats.uniform.logsf(1e-10) == math.log1p(-1e-10)


# --- multivariate_normal and dirichlet --------------------------------------------------------

COV = np.array([[2.0, 0.5, 0.1], [0.5, 1.0, -0.3], [0.1, -0.3, 1.5]])
MEAN = np.array([0.1, -0.2, 0.4])
XS = np.array([[1.0, 2.0, -0.5], [0.3, -1.0, 0.2]])


def _mvn_mp(x: Any, mean: Any, cov: Any) -> Any:
    """-(d ln 2π + ln det C + (x - m)ᵀ C⁻¹ (x - m))/2, by mpmath's LU solve and determinant."""
    c = mp.matrix([[mp.mpf(v) for v in row] for row in cov])
    dev = mp.matrix([mp.mpf(a) - mp.mpf(b) for a, b in zip(x, mean, strict=True)])
    sol = mp.lu_solve(c, dev)
    maha = mp.fsum(dev[i] * sol[i] for i in range(len(x)))
    return -(len(x) * mp.log(2 * mp.pi) + mp.log(mp.det(c)) + maha) / 2


def test_multivariate_normal_values_match_scipy() -> None:
    cases = [
        (XS, MEAN, COV), (XS[0], MEAN, COV), (XS[:1], None, COV), (XS[0], [0.5] * 3, np.diag(COV)),
        (XS, MEAN, 2.0), (0.7, 0.2, 1.5), (np.array([0.1, 0.7, 2.0]), 0.2, 1.5),
        (XS.reshape(2, 1, 3), MEAN, COV),
    ]  # fmt: skip
    for x, mean, cov in cases:
        got = stats.multivariate_normal.logpdf(x, mean, cov)
        want = sst.multivariate_normal.logpdf(x, mean, cov)
        assert np.shape(got) == np.shape(want)
        np.testing.assert_allclose(got, want, rtol=1e-13)
        np.testing.assert_allclose(stats.multivariate_normal.pdf(x, mean, cov),
                                   sst.multivariate_normal.pdf(x, mean, cov), rtol=1e-13)  # fmt: skip
    frozen = stats.multivariate_normal(MEAN, COV)
    np.testing.assert_allclose(frozen.logpdf(XS), sst.multivariate_normal(MEAN, COV).logpdf(XS))


@pytest.mark.parametrize("chunk", [1, None])
def test_multivariate_normal_derivatives_match_mpmath(chunk: Any) -> None:
    x = XS[0]
    with mp.workdps(30):
        want_x = [mp.diff(lambda v, i=i: _mvn_mp([*x[:i], v, *x[i + 1 :]], MEAN, COV), x[i])
                  for i in range(3)]  # fmt: skip
        sym = np.zeros((3, 3))
        sym[0, 2] = sym[2, 0] = 1.0  # a symmetric direction in cov

        def along(v: Any) -> Any:
            return _mvn_mp(
                x, MEAN, [[COV[i][j] + v * sym[i][j] for j in range(3)] for i in range(3)]
            )

        want_cov = mp.diff(along, 0)
        want_hess = [[mp.diff(lambda a, b: _mvn_mp(x, [a, b, MEAN[2]], COV), (MEAN[0], MEAN[1]),
                              (int(i == 0) + int(j == 0), int(i == 1) + int(j == 1)))
                      for j in range(2)] for i in range(2)]  # fmt: skip
    got = dd.gradient(lambda v: stats.multivariate_normal.logpdf(v, MEAN, COV), x, chunk=chunk)
    np.testing.assert_allclose(got, [float(w) for w in want_x], rtol=1e-12)
    got = dd.gradient(lambda m: stats.multivariate_normal.logpdf(x, m, COV), MEAN, chunk=chunk)
    np.testing.assert_allclose(got, [-float(w) for w in want_x], rtol=1e-12)
    _, slope = dd.jvp(lambda c: stats.multivariate_normal.logpdf(x, MEAN, c), COV, sym)
    assert slope == pytest.approx(float(want_cov), rel=1e-12)
    hess = dd.hessian(lambda m: stats.multivariate_normal.logpdf(x, [m[0], m[1], MEAN[2]], COV),
                      MEAN[:2])  # fmt: skip
    np.testing.assert_allclose(hess, np.array(want_hess, dtype=float), rtol=1e-12)


def test_multivariate_normal_errors() -> None:
    with pytest.raises(ValueError, match="needs cov symmetric positive definite"):
        stats.multivariate_normal.logpdf([0.0, 0.0], cov=[[1.0, 2.0], [2.0, 1.0]])
    with pytest.raises(ValueError, match="singular ones are not supported"):
        stats.multivariate_normal.logpdf([0.0, 0.0], cov=[[1.0, 1.0], [1.0, 1.0]],
                                         allow_singular=True)  # fmt: skip
    with pytest.raises(ValueError, match="cov has shape"):
        stats.multivariate_normal.logpdf([0.0, 0.0], [0.0, 0.0], np.eye(3))


def _dirichlet_mp(x: Any, alpha: Any) -> Any:
    lnb = mp.fsum(mp.loggamma(a) for a in alpha) - mp.loggamma(mp.fsum(alpha))
    return mp.fsum((a - 1) * mp.log(v) for a, v in zip(alpha, x, strict=True)) - lnb


def test_dirichlet_values_and_derivatives() -> None:
    alpha = np.array([1.5, 2.0, 3.0])
    xs = np.array([[0.2, 0.3], [0.3, 0.1], [0.5, 0.6]])
    for x in (xs, xs[:2], xs[:, 0], xs[:2, 0]):
        np.testing.assert_allclose(stats.dirichlet.logpdf(x, alpha),
                                   sst.dirichlet.logpdf(x, alpha), rtol=1e-13)  # fmt: skip
        np.testing.assert_allclose(stats.dirichlet.pdf(x, alpha),
                                   sst.dirichlet.pdf(x, alpha), rtol=1e-13)  # fmt: skip
    assert stats.dirichlet(alpha).logpdf(xs[:, 0]) == stats.dirichlet.logpdf(xs[:, 0], alpha)
    x = xs[:, 0]
    with mp.workdps(30):
        x_mp = [mp.mpf(v) for v in x]
        want_a = [mp.diff(lambda v, i=i: _dirichlet_mp(x_mp, [*alpha[:i], v, *alpha[i + 1 :]]),
                          alpha[i]) for i in range(3)]  # fmt: skip
        want_x = [
            mp.diff(lambda v: _dirichlet_mp([v, x_mp[1], 1 - v - x_mp[1]], alpha), x[0]),
            mp.diff(lambda v: _dirichlet_mp([x_mp[0], v, 1 - x_mp[0] - v], alpha), x[1]),
        ]
        want_h = mp.diff(lambda a, b: _dirichlet_mp(x_mp, [a, b, alpha[2]]), alpha[:2], (1, 1))
    got = dd.gradient(lambda a: stats.dirichlet.logpdf(x, a), alpha)
    np.testing.assert_allclose(got, [float(w) for w in want_a], rtol=1e-12)
    got = dd.gradient(lambda v: stats.dirichlet.logpdf(v, alpha), x[:2])  # the last is 1 - Σ
    np.testing.assert_allclose(got, [float(w) for w in want_x], rtol=1e-12)
    hess = dd.hessian(lambda a: stats.dirichlet.logpdf(x, [a[0], a[1], alpha[2]]), alpha[:2])
    assert hess[0, 1] == pytest.approx(float(want_h), rel=1e-12)


def test_dirichlet_errors_as_scipys() -> None:
    cases = [
        (([0.2, 0.8], [1.0, -1.0]), "every alpha > 0"),
        (([0.2, 0.3], [1.0, 1.0, 1.0, 1.0]), "components"),
        (([0.2, 0.9], [1.0, 2.0]), "simplex"),
        (([-0.2, 1.2], [1.0, 2.0]), "in \\[0, 1\\]"),
        (([0.0, 1.0], [0.5, 2.0]), "x > 0 where alpha < 1"),
        (([0.5, 0.5], [[1.0, 2.0]]), "one-dimensional"),
    ]
    for (x, alpha), msg in cases:
        with pytest.raises(ValueError, match=msg):
            stats.dirichlet.logpdf(x, alpha)
        with pytest.raises(ValueError):
            sst.dirichlet.logpdf(x, alpha)


def test_dirichlet_in_mpf_and_multivariate_normal_in_floats() -> None:
    with mp.workdps(30):
        x = [mp.mpf(1) / 5, mp.mpf(3) / 10]
        alpha = [mp.mpf(3) / 2, mp.mpf(2), mp.mpf(3)]
        got = stats.dirichlet.logpdf(np.array(x, dtype=object), alpha)
        want = _dirichlet_mp([*x, 1 - x[0] - x[1]], alpha)
        assert isinstance(got, mp.mpf) and abs(got - want) < mp.mpf(10) ** -28
        with pytest.raises(TypeError, match="computes in floats"):
            stats.multivariate_normal.logpdf(np.array(x, dtype=object), cov=np.eye(2))


def test_frozen_distributions_copy_and_pickle_and_lists_of_duals() -> None:
    frozen = stats.gamma(2.0, scale=3.0)
    want = sst.gamma(2.0, scale=3.0).logpdf(1.0)
    for f in (frozen, copy.deepcopy(frozen), pickle.loads(pickle.dumps(frozen))):
        assert f.logpdf(1.0) == pytest.approx(want, rel=1e-14)
    assert "Not differentiable in a" in frozen.ppf.__doc__  # the notes carry over
    got = stats.norm.logpdf([dd.Dual(1.0, 1.0), dd.Dual(2.0, 0.0)], scale=2.0)
    want_d = stats.norm.logpdf(dd.Dual(np.array([1.0, 2.0]), np.array([1.0, 0.0])), scale=2.0)
    np.testing.assert_array_equal(got.value, want_d.value)
    np.testing.assert_array_equal(got.tangent, want_d.tangent)


def test_higher_derivatives_where_the_formulas_are_singular() -> None:
    """A mass or density vanishing at p = 0 or 1, mu = 0, or an end of the support keeps its
    derivatives of every order (there exp(-inf) would have none); t's cdf at z = 0 (where the
    incomplete beta function's argument z²/(df + z²) has a square-root slope) likewise."""

    def second(f: Callable[[Any], Any], p: float) -> float:
        return float(dd.hessian(lambda v: f(v[0]), [p])[0, 0])

    cases = [  # f, point, first and second derivative (of polynomials in p, or x e^-x)
        (lambda p: stats.binom.pmf(1.0, 5, p), 0.0, 5.0, -40.0),  # 5p(1-p)^4
        (lambda p: stats.binom.pmf(4.0, 5, p), 1.0, -5.0, -40.0),  # 5p^4(1-p)
        (lambda p: stats.poisson.pmf(2.0, p), 0.0, 0.0, 1.0),  # mu² e^-mu/2
        (lambda p: stats.nbinom.pmf(1.0, 3.0, p), 1.0, -3.0, -18.0),  # 3p³(1-p)
        (lambda p: stats.geom.pmf(3.0, p), 1.0, 0.0, 2.0),  # (1-p)²p
        (lambda x: stats.gamma.pdf(x, 2.0), 0.0, 1.0, -2.0),  # x e^-x
        (lambda x: stats.beta.pdf(x, 3.0, 1.0), 0.0, 0.0, 6.0),  # 3x²
    ]
    for f, p, d1, d2 in cases:
        assert f(dd.Dual(p, 1.0)).tangent == pytest.approx(d1, rel=1e-14, abs=1e-14)
        assert second(f, p) == pytest.approx(d2, rel=1e-14, abs=1e-14)
    g = dd.derivative(lambda x: stats.t.cdf(x, 3.0))
    with mp.workdps(30):
        for n, gn in ((1, g.prime), (2, g.prime.prime), (3, g.prime.prime.prime)):
            want = mp.diff(lambda x: _t_cdf(x, mp.mpf(3)), 0, n)
            assert gn(0.0) == pytest.approx(float(want), rel=1e-14, abs=1e-15)


# --- quantiles that invert an incomplete function; step quantiles ----------------------------

#: distribution, shapes: the quantiles by the inverse function rule (and the extremes of shape)
INVERTED = [("t", (3.5,)), ("t", (250.0,)), ("gamma", (2.5,)), ("gamma", (0.3,)),
            ("chi2", (3.5,)), ("beta", (2.5, 1.7)), ("beta", (0.5, 0.5))]  # fmt: skip


def _mp_ppf(name: str, shapes: tuple, q: Any) -> Any:
    """The reference quantile (mpmath.findroot on the mpmath cdf) at the working precision."""
    return MP[name]["ppf"](q, *(mp.mpf(s) for s in shapes))


@pytest.mark.parametrize(("name", "shapes"), INVERTED, ids=[f"{n}{s}" for n, s in INVERTED])
def test_inverted_quantiles_values_match_scipy_over_the_tails(name: str, shapes: tuple) -> None:
    q = np.concatenate([np.logspace(-300, -2, 12), np.linspace(0.05, 0.95, 7),
                        1 - np.logspace(-15, -2, 6)])  # fmt: skip
    got = getattr(stats, name).ppf(q, *shapes)
    want = getattr(sst, name).ppf(q, *shapes)
    if name == "beta":  # Boost's beta quantile gives up in the far lower tail (2.5, 1.7):
        # there this one must solve the cdf; elsewhere it is SciPy's, as the other ones
        ok = (np.abs(sst.beta.cdf(want, *shapes) - q) <= 1e-10 * q) | (got == want)
        np.testing.assert_allclose(got[ok], want[ok], rtol=1e-12, atol=0)
        np.testing.assert_allclose(sst.beta.cdf(got[~ok], *shapes), q[~ok], rtol=1e-12)
        assert ok.sum() >= 20
    else:
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)


def test_beta_quantile_is_right_where_scipys_gives_up() -> None:
    """scipy.stats.beta.ppf (Boost's quantile) answers 2.1e-40 at q = 1e-170 for (2.5, 30):
    its cdf there is 1e-96; betaincinv's root, which this one uses, is right."""
    with np.errstate(all="ignore"):
        x = stats.beta.ppf(1e-170, 2.5, 30.0)
    with mp.workdps(30):
        assert mp.betainc(2.5, 30, 0, x, regularized=True) == pytest.approx(1e-170, rel=1e-13)


@pytest.mark.parametrize(("name", "shapes"), INVERTED, ids=[f"{n}{s}" for n, s in INVERTED])
def test_inverted_quantiles_derivatives_in_q_to_the_third_order(name: str, shapes: tuple) -> None:
    """x(q) = F⁻¹(q): x' = 1/f(x), x'' = -f'(x) x'³, x''' = -f''(x) x'⁴ + 3 f'(x)² x'⁵ by nested
    Duals, against mpmath.diff of the mpmath root (30 digits). The error allowed at order n is
    1e-13 (450 ulps) of the size of the terms (x''' is a difference of two, of size 3x''²/x'
    each: the arcsine law's x''' = -(π³/2) sin(πq) cancels 12 digits at q = 1e-6) plus what the
    rounding of x itself moves it (x^(n+1)/x' · |x| ulp: near x = 1, 1 - x loses digits)."""
    dist = getattr(stats, name)
    g = dd.derivative(lambda q: dist.ppf(q, *shapes))
    fs = (g, g.prime, g.prime.prime, g.prime.prime.prime)
    for q in (1e-6, 0.02, 0.3, 0.5, 0.85, 0.999):
        with mp.workdps(30):
            ref = [_mp_ppf(name, shapes, mp.mpf(q))]
            ref += [mp.diff(lambda v: _mp_ppf(name, shapes, v), mp.mpf(q), n) for n in (1, 2, 3, 4)]
        x = [float(v) for v in ref]
        terms = [abs(x[0]), abs(x[1]), abs(x[2]), abs(x[3]) + 3 * x[2] ** 2 / abs(x[1])]
        for n, fn in enumerate(fs):
            moved = abs(x[n + 1] / x[1] * x[0]) * 2.2e-16 if n else 0.0
            assert abs(fn(q) - x[n]) <= 1e-13 * terms[n] + 10 * moved + 1e-30, (q, n, fn(q), x[n])


@pytest.mark.parametrize(("name", "shapes"), INVERTED[:1] + INVERTED[2:3] + INVERTED[5:6])
def test_inverted_quantiles_hessian_in_q_loc_and_scale(name: str, shapes: tuple) -> None:
    dist = getattr(stats, name)
    p0 = [0.3, 0.2, 1.5]
    got = dd.hessian(lambda p: dist.ppf(p[0], *shapes, loc=p[1], scale=p[2]), p0)
    with mp.workdps(30):

        def ref(q: Any, loc: Any, s: Any) -> Any:
            return _mp_ppf(name, shapes, q) * s + loc

        for a in range(3):
            for b in range(3):
                order = [0, 0, 0]
                order[a] += 1
                order[b] += 1
                want = float(mp.diff(ref, [mp.mpf(v) for v in p0], order))
                assert got[a, b] == pytest.approx(want, rel=1e-12, abs=1e-13), (a, b)


def test_inverted_quantiles_in_mpf_and_nested_mpf() -> None:
    """mpf: Newton's method on the cdf in mpmath from the float quantile, 30 digits; the second
    derivative of the nested Dual too. q within 1e-20 of 1 (1.0 as a float) and below the float
    range keep their digits (the upper tail is solved on the sf). The reference is computed at
    60 digits (the hypergeometric t cdf cancels in the far tail)."""
    with mp.workdps(30):
        for name, shapes in INVERTED:
            dist = getattr(stats, name)
            near1 = [] if shapes == (0.5, 0.5) else [1 - mp.mpf(10) ** -20]  # 1 - x: 2.5e-40
            for q in (mp.mpf("0.3"), mp.mpf("0.85"), *near1):
                with mp.workdps(60):
                    want = _mp_ppf(name, shapes, q)
                got = dist.ppf(q, *shapes)
                assert isinstance(got, mp.mpf) and abs(got - want) <= abs(want) * mp.mpf(10) ** -29
            g = dd.derivative(lambda v, d=dist, s=shapes: d.ppf(v, *s))
            q = mp.mpf("0.3")
            want2 = mp.diff(lambda v, n=name, s=shapes: _mp_ppf(n, s, v), q, 2)
            assert abs(g.prime.prime(q) - want2) <= abs(want2) * mp.mpf(10) ** -24
        x = stats.gamma.ppf(mp.mpf(10) ** -400, 2.5)  # x ~ (q Γ(3.5))^(1/2.5)
        assert abs(mp.gammainc(2.5, 0, x, regularized=True) / mp.mpf(10) ** -400 - 1) < 1e-28
        got = stats.gamma.ppf(np.array([mp.mpf("0.3"), mp.mpf(1)], dtype=object), 2.5)
        assert abs(got[0] - _mp_ppf("gamma", (2.5,), mp.mpf("0.3"))) < mp.mpf(10) ** -28
        assert got[1] == mp.inf


@pytest.mark.parametrize("chunk", [1, None])
def test_inverted_quantiles_in_vector_mode(chunk: Any) -> None:
    """dd.gradient and dd.hessian in q (several directions at once): 1/pdf(x) on the diagonal,
    -pdf'(x)/pdf(x)³ on the Hessian's."""
    q = np.array([0.1, 0.4, 0.7])
    x = sst.gamma.ppf(q, 2.5, scale=1.5)
    pdf = sst.gamma.pdf(x, 2.5, scale=1.5)
    got = dd.gradient(lambda v: stats.gamma.ppf(v, 2.5, scale=1.5).sum(), q, chunk=chunk)
    np.testing.assert_allclose(got, 1 / pdf, rtol=1e-13)
    dpdf = pdf * ((2.5 - 1) / x - 1 / 1.5)  # d/dx of x^(a-1) e^(-x/s)/(Γ(a) s^a)
    hess = dd.hessian(lambda v: stats.gamma.ppf(v, 2.5, scale=1.5).sum(), q)
    np.testing.assert_allclose(hess, np.diag(-dpdf / pdf**3), rtol=1e-12, atol=1e-13)


def test_inverted_quantiles_refuse_a_dual_shape_and_broadcast() -> None:
    for call in (
        lambda: stats.gamma.ppf(0.3, dd.Dual(2.5, 1.0)),
        lambda: stats.chi2.ppf(0.3, df=dd.Dual(2.5, 1.0)),
        lambda: stats.beta.ppf(0.3, 2.0, dd.Dual(2.5, 1.0)),
        lambda: stats.t.ppf(np.array([0.3]), dd.Dual(np.array([2.5]), 1.0)),
    ):
        with pytest.raises(TypeError, match="ppf has no derivative in"):
            call()
    a = np.array([0.5, 1.0, 2.5])
    got = stats.gamma.ppf(dd.Dual(0.3, 1.0), a, scale=np.array([[1.0], [2.0]]))
    want = sst.gamma.ppf(0.3, a, scale=np.array([[1.0], [2.0]]))
    np.testing.assert_allclose(got.value, want, rtol=1e-14)
    np.testing.assert_allclose(got.tangent, 1 / sst.gamma.pdf(want, a, scale=[[1.0], [2.0]]),
                               rtol=1e-13)  # fmt: skip
    got = stats.t.ppf(dd.Dual(np.array([0.2, 0.7]), np.ones(2)), np.inf)  # the normal's
    want = stats.norm.ppf(dd.Dual(np.array([0.2, 0.7]), np.ones(2)))
    np.testing.assert_allclose(got.value, want.value, rtol=1e-15)
    np.testing.assert_allclose(got.tangent, want.tangent, rtol=1e-14)


def test_quantile_slopes_at_q_0_and_1_are_one_sided() -> None:
    """At q = 0 or 1 a finite end of the support, with slope 1/pdf there from inside (+inf where
    the density vanishes, 0 where it is infinite); an infinite end is a constant."""
    q = dd.Dual(np.array([0.0, 1.0]), np.ones(2))
    cases = [  # distribution, shapes, loc, scale, values, slopes
        (stats.expon, (), 0.5, 2.0, [0.5, np.inf], [2.0, 0.0]),
        (stats.uniform, (), -1.0, 3.0, [-1.0, 2.0], [3.0, 3.0]),
        (stats.gamma, (1.0,), 0.0, 2.0, [0.0, np.inf], [2.0, 0.0]),
        (stats.gamma, (2.5,), 0.0, 1.0, [0.0, np.inf], [np.inf, 0.0]),
        (stats.gamma, (0.5,), 0.0, 1.0, [0.0, np.inf], [0.0, 0.0]),
        (stats.chi2, (2.0,), 0.0, 1.0, [0.0, np.inf], [2.0, 0.0]),
        (stats.beta, (1.0, 2.0), 0.0, 1.0, [0.0, 1.0], [0.5, np.inf]),
        (stats.weibull_min, (1.0,), 0.0, 1.0, [0.0, np.inf], [1.0, 0.0]),
        (stats.lognorm, (0.5,), 0.0, 1.0, [0.0, np.inf], [np.inf, 0.0]),  # open: pdf → 0
        (stats.norm, (), 0.0, 1.0, [-np.inf, np.inf], [0.0, 0.0]),
    ]
    for dist, shapes, loc, scale, values, slopes in cases:
        got = dist.ppf(q, *shapes, loc=loc, scale=scale)
        np.testing.assert_array_equal(got.value, values)
        np.testing.assert_array_equal(got.value, getattr(sst, dist.name).ppf([0, 1], *shapes,
                                                                            loc=loc, scale=scale))  # fmt: skip
        np.testing.assert_array_equal(got.tangent, slopes)
        single = dist.ppf(dd.Dual(0.0, 1.0), *shapes, loc=loc, scale=scale)
        assert (single.value, single.tangent) == (values[0], slopes[0])
    # second order at q = 0: expon's -ln(1 - q) has x'' = 1, uniform's 0, gamma(1) = expon
    for dist, shapes, want in ((stats.expon, (), 1.0), (stats.uniform, (), 0.0),
                               (stats.gamma, (1.0,), 1.0)):  # fmt: skip
        g = dd.derivative(lambda v, d=dist, s=shapes: d.ppf(v, *s))
        assert g.prime.prime(0.0) == want


STEP_QUANTILES = [("poisson", (3.5,)), ("poisson", (0.0,)), ("binom", (12.0, 0.35)),
                  ("binom", (0.0, 0.3)), ("binom", (5.0, 1.0)), ("nbinom", (4.5, 0.4)),
                  ("nbinom", (2.0, 1.0))]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "shapes"), STEP_QUANTILES, ids=[f"{n}{s}" for n, s in STEP_QUANTILES]
)
def test_step_quantiles_are_scipys_with_slope_0_and_1_in_loc(name: str, shapes: tuple) -> None:
    dist = getattr(stats, name)
    q = np.array([0.0, 1e-12, 0.02, 0.3, 0.5, 0.85, 1 - 1e-12, 1.0])
    np.testing.assert_array_equal(
        dist.ppf(q, *shapes, loc=2), getattr(sst, name).ppf(q, *shapes, loc=2)
    )
    for qi in q:
        assert dist.ppf(qi, *shapes) == getattr(sst, name).ppf(qi, *shapes), qi
    # slope 0 in q and in every shape, at every order; 1 in loc (the ends too: +inf a constant)
    args: list[Any] = [dd.Dual(q, np.ones(q.size)), *(dd.Dual(s, 1.0) for s in shapes)]
    got = dist.ppf(*args, loc=dd.Dual(2.0, 1.0))
    np.testing.assert_array_equal(got.value, getattr(sst, name).ppf(q, *shapes, loc=2))
    np.testing.assert_array_equal(got.tangent, np.where(np.isinf(got.value), 0.0, 1.0))
    h = dd.hessian(lambda p: dist.ppf(p[0], *p[1:]), [0.3, *shapes])
    np.testing.assert_array_equal(h, np.zeros((1 + len(shapes),) * 2))


def test_step_quantiles_in_mpf_decide_the_step_in_mpmath() -> None:
    """A q at a step (cdf(k) computed in mpmath, not representable as a float) is decided by the
    mpf cdf: ppf(cdf(k)) = k, ppf(cdf(k) + ε) = k + 1 (the float quantile of both is the same)."""
    with mp.workdps(30):
        mu = mp.mpf("3.5")
        cdf2 = stats.poisson.cdf(2, mu)  # in mpmath: as mpmath.fsum of the masses, to 30 digits
        want = mp.fsum(mp.exp(-mu) * mu**j / mp.factorial(j) for j in range(3))
        assert abs(cdf2 - want) < mp.mpf(10) ** -29
        assert stats.poisson.ppf(cdf2, mu) == 2
        assert stats.poisson.ppf(cdf2 + mp.mpf(10) ** -25, mu) == 3
        assert stats.poisson.ppf(cdf2 - mp.mpf(10) ** -25, mu) == 2
        got = stats.binom.ppf(np.array([mp.mpf("0.3"), mp.mpf("0.9")], dtype=object), 12, 0.35)
        assert list(got) == list(sst.binom.ppf([0.3, 0.9], 12, 0.35))
        y = stats.nbinom.ppf(dd.Dual(mp.mpf("0.3"), mp.mpf(1)), 4.5, 0.4)
        assert y.value == sst.nbinom.ppf(0.3, 4.5, 0.4) and y.tangent == 0
        # within 1e-20 of 1 (1.0 as a float: SciPy's inf, its isf NaN), and at 1e-30
        for name, shapes in (("poisson", (mu,)), ("nbinom", (4.5, 0.4)), ("binom", (12, 0.35))):
            dist = getattr(stats, name)
            for q in (1 - mp.mpf(10) ** -20, mp.mpf(10) ** -30):
                k = dist.ppf(q, *shapes)
                assert dist.cdf(k, *shapes) >= q and (k == 0 or dist.cdf(k - 1, *shapes) < q)
        assert stats.poisson.ppf(1 - mp.mpf(10) ** -20, mu) == 32


# --- reported problems ------------------------------------------------------------------------


def test_binom_with_n_0_is_scipys() -> None:
    """n = 0: the support is {0}; the cdf family ran betainc with b = n - k = 0 (a DomainError
    for single numbers)."""
    want = {"cdf": 1.0, "logcdf": 0.0, "sf": 0.0, "logsf": -np.inf}
    for method, value in want.items():
        assert getattr(stats.binom, method)(0, 0.0, 0.3) == value
        assert getattr(sst.binom, method)(0, 0, 0.3) == value
        got = getattr(stats.binom, method)(np.array([-1.0, 0.0, 1.0]), 0.0, dd.Dual(0.3, 1.0))
        np.testing.assert_array_equal(got.value, getattr(sst.binom, method)([-1, 0, 1], 0, 0.3))
        np.testing.assert_array_equal(got.tangent, np.zeros(3))
    np.testing.assert_array_equal(stats.binom.pmf([0, 1], 0.0, 0.3), [1.0, 0.0])
    k = np.array([0.0, 3.0, 5.0])  # and k = n with n > 0
    np.testing.assert_allclose(stats.binom.logsf(k, 5.0, 0.3), sst.binom.logsf(k, 5, 0.3))


#: continuous distributions with a finite end: shapes, loc, scale (each end, each formula)
ENDS = [("expon", (), 0.5, 2.0), ("uniform", (), -1.0, 3.0), ("weibull_min", (1.0,), 0.0, 1.5),
        ("weibull_min", (1.7,), 0.2, 1.0), ("gamma", (1.0,), 0.0, 2.0), ("gamma", (2.5,), 0.3, 1.0),
        ("chi2", (2.0,), 0.0, 1.0), ("chi2", (3.5,), 0.0, 1.2), ("beta", (1.0, 1.0), 0.0, 1.0),
        ("beta", (2.5, 1.0), 0.1, 1.5), ("beta", (1.0, 3.0), 0.0, 2.0), ("beta", (2.5, 1.7), 0.0, 1.0),
        ("lognorm", (0.8,), 0.2, 1.5)]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "shapes", "loc", "scale"), ENDS, ids=[f"{r[0]}{r[1]}" for r in ENDS]
)
def test_the_cdf_family_at_the_support_ends_has_one_sided_slopes(
    name: str, shapes: tuple, loc: float, scale: float
) -> None:
    """At a closed end of the support the cdf family's value is SciPy's and its slope in x the
    one-sided derivative from inside (mpmath.diff with direction), as the density's is; where the
    value is a log of 0 (logcdf at the lower end, logsf at the upper) a constant -inf. lognorm's
    end at 0 is open: every derivative is 0 there."""
    dist = getattr(stats, name)
    for end, direction in ((dist.lo, 1), (dist.hi, -1)):
        if not np.isfinite(end):
            continue
        x = loc + scale * end
        for method in CDF_FAMILY:
            got = getattr(dist, method)(dd.Dual(x, 1.0), *shapes, loc=loc, scale=scale)
            want = getattr(getattr(sst, name), method)(x, *shapes, loc=loc, scale=scale)
            assert got.value == want, (method, end)
            f = reference(name, method)
            if want == -np.inf or (dist.open and end == dist.lo):
                assert got.tangent == 0.0, (method, end)
                continue
            with mp.workdps(30):
                args = [mp.mpf(v) for v in (*shapes, loc, scale)]
                slope = mp.diff(lambda v, f=f, a=args: f(v, *a), mp.mpf(x), direction=direction)
            assert got.tangent == pytest.approx(float(slope), rel=1e-12, abs=1e-14), (method, end)
        arr = dist.cdf(dd.Dual(np.array([x, x]), np.ones(2)), *shapes, loc=loc, scale=scale)
        single = dist.cdf(dd.Dual(x, 1.0), *shapes, loc=loc, scale=scale)
        assert arr.tangent[0] == single.tangent  # arrays as single numbers


def test_the_cdf_slopes_at_the_ends_where_the_density_is_infinite_or_zero() -> None:
    """expon.cdf' at 0 is the density there, 1 (it was 0); gamma with a < 1 and weibull_min with
    c < 1 have an infinite density at 0: slope +inf; beta with b < 1 at 1 likewise."""
    assert stats.expon.cdf(dd.Dual(0.0, 1.0)) == dd.Dual(0.0, 1.0)
    assert stats.uniform.cdf(dd.Dual(1.0, 1.0)) == dd.Dual(1.0, 1.0)
    assert stats.uniform.sf(dd.Dual(0.0, 1.0)).tangent == -1.0
    assert stats.gamma.cdf(dd.Dual(0.0, 1.0), 0.5).tangent == np.inf
    assert stats.weibull_min.cdf(dd.Dual(0.0, 1.0), 0.5).tangent == np.inf
    assert stats.beta.sf(dd.Dual(1.0, 1.0), 2.0, 0.5).tangent == -np.inf
    y = stats.weibull_min.cdf(0.0, dd.Dual(1.7, 1.0))  # 0 for every c
    assert (y.value, y.tangent) == (0.0, 0.0)
    g = dd.derivative(lambda x: stats.expon.cdf(x))  # 1 - e^-x: -1 at 0, one-sided
    assert g.prime.prime(0.0) == -1.0


def test_dirichlet_refuses_x_with_more_than_two_axes() -> None:
    alpha = np.array([1.0, 2.0, 3.0])
    for x in (np.full((3, 2, 2), 1 / 3), np.full((2, 2, 2), 1 / 3)):
        with pytest.raises(ValueError, match="one- or two-dimensional"):
            stats.dirichlet.logpdf(x, alpha)
        with pytest.raises(ValueError):
            sst.dirichlet.logpdf(x, alpha)


def test_frozen_distributions_wrap_only_the_methods() -> None:
    frozen = stats.norm(1.0, 2.0)
    assert frozen.name == "norm" and frozen.shapes == ()
    assert frozen.pdf(1.0) == pytest.approx(sst.norm(1.0, 2.0).pdf(1.0), rel=1e-15)
    assert frozen.ppf.__name__ == "ppf" and "norm.ppf" in frozen.ppf.__doc__
    assert frozen.signature("cdf") == "x, loc=0, scale=1"
    assert stats.dirichlet([1.0, 2.0]).name == "dirichlet"
    assert stats.multivariate_normal().name == "multivariate_normal"
    with pytest.raises(AttributeError):
        frozen.nothing


def test_univariate_has_no_unused_default_pmf() -> None:
    from dualdiff.scipy.stats._base import _PowerLaw, _Univariate

    assert "_pmf" not in vars(_Univariate)
    for name in ("poisson", "binom", "nbinom", "geom", "bernoulli"):  # every mass: a power law
        assert isinstance(getattr(stats, name), _PowerLaw)


def test_t_stirling_series_is_as_documented_and_cached_per_precision() -> None:
    from dualdiff.scipy.stats.continuous import _HALF_RATIO, _half_ratio_series

    def exact(a: Any) -> Any:
        return mp.loggamma(a + mp.mpf(1) / 2) - mp.loggamma(a) - mp.log(a) / 2

    cs, start = _HALF_RATIO
    assert (len(cs), start) == (8, 15.0)
    with mp.workdps(40):
        a = mp.mpf(start)
        series = mp.fsum(mp.mpf(c) * a ** -(2 * j + 1) for j, c in enumerate(cs))
        assert abs(series - exact(a)) < 4e-21
    for dps in (30, 50):
        with mp.workdps(dps):
            cs, start = _half_ratio_series(mp.mp.prec)
            assert (len(cs), start) == (dps + 1, dps + 15.0)
            assert _half_ratio_series(mp.mp.prec)[0] is cs  # cached
            with mp.workdps(2 * dps):
                a = mp.mpf(start)
                series = mp.fsum(c * a ** -(2 * j + 1) for j, c in enumerate(cs))
                assert abs(series / exact(a) - 1) < mp.mpf(10) ** -dps
    _half_ratio_series.cache_clear()
    with mp.workdps(30):
        stats.t.logpdf(mp.mpf(1), 100)
        stats.t.logpdf(mp.mpf(2), 200)
    assert _half_ratio_series.cache_info().hits >= 1
