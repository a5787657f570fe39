"""Continuous distributions, in standard form (z = (x - loc)/scale), as SciPy writes them."""

from __future__ import annotations

import functools
from typing import Any, ClassVar

import mpmath as mp
import numpy as np
import scipy.special as _sc

from ... import table as _f
from ...kinds import is_mpf
from .. import special as _sp
from ._base import _NO_SHAPE_PPF, _NO_SHAPE_SLOPE, _POSITIVE, _PowerLaw, _Univariate
from ._numeric import _INF, _betainc, _betaincc, _gammainc, _gammaincc, _k, _like, _mask, _v, _where


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


@functools.lru_cache(maxsize=16)
def _half_ratio_series(prec: int | None) -> tuple[tuple[Any, ...], float]:
    """Stirling's series of ln Γ(a + 1/2) - ln Γ(a) - ln(a)/2 = Σ c_n a^-n over odd n,
    c_n = -(2 - 2^-n) B_(n+1)/(n(n+1)) with B the Bernoulli numbers: the coefficients c_1, c_3,
    ..., and the a from which the series is used. Floats (``prec`` None): 8 coefficients, from
    a = 15, where the truncation error is below 4e-21 (5e-19 relative). mpf: dps + 1
    coefficients (mpmath's working precision), from a = dps + 15, where it is below 10^-dps
    relative (1e-36 at 30 digits). Cached for each precision (``prec``, mpmath's, in bits)."""
    dps = mp.mp.dps
    terms, start = (dps + 1, dps + 15.0) if prec is not None else (8, 15.0)
    cs = [
        -(2 - mp.mpf(2) ** -n) * mp.bernoulli(n + 1) / (n * (n + 1)) for n in range(1, 2 * terms, 2)
    ]
    return tuple(cs if prec is not None else [float(c) for c in cs]), start


_HALF_RATIO = _half_ratio_series(None)


def _log_gamma_half_ratio(a: Any) -> Any:
    """S(a) = ln Γ(a + 1/2) - ln Γ(a) - ln(a)/2, which tends to 0 as -1/(8a): for large a by
    Stirling's series (a polynomial in 1/a, whose slopes do not cancel as those of a difference
    of log-gammas do), else from betaln."""
    cs, start = _half_ratio_series(mp.mp.prec) if is_mpf(a) else _HALF_RATIO
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
    notes: ClassVar[dict[str, str]] = {
        "cdf family": _NO_SHAPE_SLOPE.format("df", "beta"),
        "ppf": _NO_SHAPE_PPF.format("df", "beta"),
    }

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

    def _ppf(self, q: Any, df: Any) -> Any:
        return self._invert(q, (df,), _t_ppf, lambda p, d: -_t_ppf(p, d))


def _t_ppf(q: Any, df: Any) -> Any:
    """SciPy's ``stdtrit``, and ``ndtri`` at df = inf (the normal distribution)."""
    return np.where(np.isinf(df), _sc.ndtri(q), _sc.stdtrit(df, q))


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
    >>> gamma.ppf(dd.Dual(0.5, 1.0), 3.0)            # the median; slope 1/pdf there
    Dual(2.674060313723559, 4.055246302618961)
    >>> f = dd.derivative(lambda q: gamma.ppf(q, 3.0))
    >>> round(f.prime.prime(0.5), 12)                # -pdf'(x)/pdf(x)³
    4.145357911017
    """

    name = "gamma"
    shapes = (("a", _POSITIVE),)
    lo = 0.0
    notes: ClassVar[dict[str, str]] = {
        "ppf": _NO_SHAPE_PPF.format("a", "gamma"),
    }

    def _terms(self, z: Any, a: Any) -> tuple[list[tuple[Any, Any, bool]], Any]:
        return [(a - 1.0, z, False)], -z - _sp.gammaln(a)

    def _cdf(self, z: Any, a: Any) -> Any:
        return _gammainc(a, z)

    def _sf(self, z: Any, a: Any) -> Any:
        return _gammaincc(a, z)

    def _ppf(self, q: Any, a: Any) -> Any:
        return self._invert(
            q, (a,), lambda p, a: _sc.gammaincinv(a, p), lambda p, a: _sc.gammainccinv(a, p)
        )


class _Chi2(_PowerLaw):
    """The chi-squared distribution, df degrees of freedom: gamma(df/2, scale=2)."""

    name = "chi2"
    shapes = (("df", _POSITIVE),)
    lo = 0.0
    notes: ClassVar[dict[str, str]] = {
        "ppf": _NO_SHAPE_PPF.format("df", "gamma"),
    }

    def _terms(self, z: Any, df: Any) -> tuple[list[tuple[Any, Any, bool]], Any]:
        rest = -z / 2.0 - _sp.gammaln(df / 2.0) - _k(z, "log2") * df / 2.0
        return [(df / 2.0 - 1, z, False)], rest

    def _cdf(self, z: Any, df: Any) -> Any:
        return _gammainc(df / 2.0, z / 2.0)

    def _sf(self, z: Any, df: Any) -> Any:
        return _gammaincc(df / 2.0, z / 2.0)

    def _ppf(self, q: Any, df: Any) -> Any:
        return self._invert(
            q,
            (df,),
            lambda p, d: 2 * _sc.gammaincinv(d / 2, p),
            lambda p, d: 2 * _sc.gammainccinv(d / 2, p),
        )


class _Beta(_PowerLaw):
    """The beta distribution, shapes a, b: pdf(z) = z^(a-1) (1-z)^(b-1)/B(a, b), 0 <= z <= 1."""

    name = "beta"
    shapes = (("a", _POSITIVE), ("b", _POSITIVE))
    lo, hi = 0.0, 1.0
    notes: ClassVar[dict[str, str]] = {
        "cdf family": _NO_SHAPE_SLOPE.format("a or b", "beta"),
        "ppf": _NO_SHAPE_PPF.format("a or b", "beta"),
    }

    def _terms(self, z: Any, a: Any, b: Any) -> tuple[list[tuple[Any, Any, bool]], Any]:
        return [(b - 1.0, -z, True), (a - 1.0, z, False)], -_sp.betaln(a, b)

    def _cdf(self, z: Any, a: Any, b: Any) -> Any:
        return _betainc(a, b, z)

    def _sf(self, z: Any, a: Any, b: Any) -> Any:
        return _betaincc(a, b, z)

    def _ppf(self, q: Any, a: Any, b: Any) -> Any:
        # betaincinv, not SciPy's beta.ppf (Boost's quantile), which gives up in the far lower
        # tail: beta.ppf(1e-170, 2.5, 30) is 2.1e-40, where the cdf is 1e-96; betaincinv's
        # 5.3e-70 solves it
        return self._invert(
            q,
            (a, b),
            lambda p, a, b: _sc.betaincinv(a, b, p),
            lambda p, a, b: _sc.betainccinv(a, b, p),
        )


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
