"""Discrete distributions: masses at whole k (k - loc enters as a whole number), and step
functions of k."""

from __future__ import annotations

from typing import Any, ClassVar

import mpmath as mp
import numpy as np
import scipy.stats as _st

from ... import table as _f
from ...kinds import is_mpf
from .. import special as _sp
from ._base import _NO_SHAPE_SLOPE, _NONNEG, _POSITIVE, _PROB, _PROB_POS, _WHOLE, _PowerLaw
from ._numeric import (
    _INF,
    _apply,
    _betainc,
    _betaincc,
    _gammainc,
    _gammaincc,
    _mask,
    _single,
    _v,
    _where,
)


class _Steps(_PowerLaw):
    """A discrete distribution whose quantile is SciPy's (scipy.stats' ``ppf`` of the values):
    a step function, slope 0 in q and in the shape parameters at every order (a zero of their
    kind keeps the result a Dual). In mpf, SciPy's float quantile is the start: it moves by one
    while this distribution's cdf, in mpmath, says the step lies elsewhere (a q within a float's
    rounding of a step)."""

    def _ppf(self, q: Any, *shapes: Any) -> Any:
        qv, svs = _v(q), [_v(s) for s in shapes]
        scipy = getattr(_st, self.name)
        if is_mpf(qv) or any(is_mpf(s) for s in svs):

            def cdf(k: Any, *se: Any) -> Any:  # rounded to the working precision, as cdf's
                return +self._cdf(k, *se)

            def one(qe: Any, *se: Any) -> Any:
                fs = [float(s) for s in se]  # the float quantile of the nearer tail
                k = scipy.ppf(float(qe), *fs) if qe <= 0.5 else scipy.isf(float(1 - qe), *fs)
                lo, hi = self.lo, self._support(*se)[1]
                if not lo <= k <= hi:  # SciPy's NaN or inf (q within 1e-17 of 1): search
                    a, k = lo - 1, lo  # cdf(a) < q <= cdf(k), halving the bracket
                    while k < hi and cdf(k, *se) < qe:
                        a, k = k, min(hi, 2 * k - lo + 1)
                    while k - a > 1:
                        m = mp.floor((a + k) / 2)
                        a, k = (a, m) if cdf(m, *se) >= qe else (m, k)
                k = mp.mpf(k)
                while k > lo and cdf(k - 1, *se) >= qe:
                    k -= 1
                while k < hi and cdf(k, *se) < qe:
                    k += 1
                return k

            single = all(_single(v) for v in (qv, *svs))
            k = one(qv, *svs) if single else np.frompyfunc(one, 1 + len(svs), 1)(qv, *svs)
        else:
            k = scipy.ppf(qv, *svs)
            k = float(k) if np.ndim(k) == 0 else k
        zero = 0.0 * q
        for s in shapes:
            zero = zero + 0.0 * s
        return k + zero


class _Poisson(_Steps):
    """The Poisson distribution, mean mu: pmf(k) = mu^k exp(-mu)/k!.

    >>> import dualdiff as dd
    >>> poisson.cdf(2, dd.Dual(1.5, 1.0))            # d/dmu P(K <= 2) = -pmf(2)
    Dual(0.8088468305380582, -0.25102143016698353)
    >>> poisson.ppf([0.2, 0.5, 0.9], dd.Dual(3.5, 1.0))   # a step function of mu: slope 0
    Dual(array([2., 3., 6.]), array([0., 0., 0.]))
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


class _Binom(_Steps):
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

    @staticmethod
    def _rest(k: Any, n: Any) -> tuple[Any, Any]:
        """n - k where it is positive, else 1 (a valid shape for the incomplete function, whose
        value is not used there: k >= n is past the support, cdf 1 and sf 0)."""
        rest = _mask(_v(n) - _v(k) > 0)
        return rest, _where(rest, n - k, 1.0)

    def _cdf(self, k: Any, n: Any, p: Any) -> Any:
        rest, b = self._rest(k, n)
        return _where(rest, _betaincc(k + 1, b, p), 1.0)

    def _sf(self, k: Any, n: Any, p: Any) -> Any:
        rest, b = self._rest(k, n)
        return _where(rest, _betainc(k + 1, b, p), 0.0)


class _Nbinom(_Steps):
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


poisson = _Poisson()
binom = _Binom()
nbinom = _Nbinom()
geom = _Geom()
bernoulli = _Bernoulli()
