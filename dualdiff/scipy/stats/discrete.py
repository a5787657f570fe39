"""Discrete distributions: masses at whole k (k - loc enters as a whole number), and step
functions of k."""

from __future__ import annotations

from typing import Any, ClassVar

from ... import table as _f
from .. import special as _sp
from ._base import _NO_SHAPE_SLOPE, _NONNEG, _POSITIVE, _PROB, _PROB_POS, _WHOLE, _PowerLaw
from ._numeric import _INF, _apply, _betainc, _betaincc, _gammainc, _gammaincc, _mask, _v, _where


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


poisson = _Poisson()
binom = _Binom()
nbinom = _Nbinom()
geom = _Geom()
bernoulli = _Bernoulli()
