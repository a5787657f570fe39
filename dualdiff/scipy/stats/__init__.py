"""``scipy.stats`` on Duals: the distributions people fit, with scipy.stats' signatures,
differentiable in x and in every parameter.

>>> import dualdiff as dd
>>> from dualdiff.scipy import stats
>>> y = stats.norm.logpdf(dd.Dual(1.0, 1.0), loc=0.5, scale=2.0)   # d/dx = -(x - loc)/scale²
>>> round(y.value, 12), y.tangent
(-1.643335713765, -0.125)
>>> x = [0.5, 1.2, 3.1]                             # a gamma log-likelihood: d/da, d/dscale
>>> dd.gradient(lambda p: stats.gamma.logpdf(x, p[0], scale=p[1]).sum(), [2.0, 1.5])
array([-1.86417184, -1.86666667])

Each distribution is an object whose methods take scipy.stats' arguments: ``x`` (``k`` for the
discrete ones, ``q`` for ``ppf``) first, then the shape parameters (positionally or by name),
then ``loc`` and ``scale`` (discrete distributions: ``loc``). Any argument may be a float, an
int, a NumPy array (all broadcast together), an ``mpmath.mpf`` or a Dual (nested for higher
derivatives, or carrying several directions in vector mode). ``stats.gamma(2.0, scale=3.0)``
freezes the parameters, as in SciPy.

==================================  =============================  ============================
distribution (shape parameters)     methods                        no derivative in
==================================  =============================  ============================
norm, cauchy, laplace, logistic     pdf, logpdf, cdf, logcdf,
expon, uniform                      sf, logsf, ppf
lognorm (s), weibull_min (c)        the same
t (df)                              the same                       df, in the cdf family and ppf
gamma (a), chi2 (df)                the same                       a, df, in ppf
beta (a, b)                         the same                       a, b, in the cdf family and
                                                                   ppf
poisson (mu)                        pmf, logpmf, cdf, logcdf,
                                    sf, logsf, ppf (steps)
binom (n, p), nbinom (n, p)         the same                       n, in the cdf family
geom (p), bernoulli (p)             the same
multivariate_normal (mean, cov)     pdf, logpdf
dirichlet (alpha)                   pdf, logpdf
==================================  =============================  ============================

Conventions, each stated once here:

* **Values** are scipy.stats' (the tests compare to 1e-12 relative), written in log space with
  ``xlogy``, ``xlog1py``, ``gammaln``, ``betaln``, ``log_ndtr``; ``logcdf`` near 1 is
  ``log1p(-sf)`` (and ``logsf`` likewise). Where SciPy rounds, the value here is the accurate
  one instead: the discrete logcdf near 1 (SciPy takes the log of the rounded cdf), ``t``'s
  logpdf at large df (Stirling's series here, where SciPy's loses digits past df ≈ 1000),
  ``laplace.logpdf`` far in the tails, ``uniform.logsf`` just above ``loc``.
* **Outside the support** the value is SciPy's (pdf 0, logpdf -inf, cdf 0 or 1, ...), with a
  zero tangent: the function is constant there. At a closed end of the support the derivatives
  are one-sided, from inside, for the density and the cdf family alike (``gamma.pdf`` with
  a = 2 has slope 1/scale² at loc; ``expon.cdf``'s slope at loc is the density there, 1/scale;
  +inf where the density is infinite, as gamma's with a < 1), and where a logpdf, logcdf or
  logsf is -inf its tangent is 0. At an open end (``lognorm``'s) the cdf is a constant 0. The
  quantile at q = 0 or 1 is the support's end: where that is finite, with the one-sided slope
  1/pdf there (+inf where the density vanishes); an infinite end is a constant.
* **Invalid parameters** (``scale <= 0``, ``p > 1``, a ``q`` outside [0, 1] ...): where any
  argument is an array the entry is NaN, value and tangent, as SciPy's; when every argument is
  a single number a :class:`~dualdiff.DomainError` (a ``ValueError``) names the distribution,
  method, parameter and value, as dualdiff's functions do (``dd.ln(-1.0)`` raises,
  ``dd.ln(np.array([-1.0]))`` is NaN). A NaN argument gives NaN. ``multivariate_normal`` and
  ``dirichlet`` raise ``ValueError`` as SciPy does (a covariance that is not positive definite,
  a point off the simplex).
* **Not differentiable in a shape parameter**: the cdf family (cdf, logcdf, sf, logsf) of
  ``beta``, ``t``, and of ``binom`` and ``nbinom`` in ``n``, is the regularised incomplete
  beta function, which :mod:`dualdiff.scipy.special` differentiates in x only: a Dual there
  raises its ``TypeError``; a tangent is never dropped. (``gamma``'s and ``chi2``'s cdf family
  is differentiable in the shape: ``gammainc``'s slope in a is ``gammainc_derivative``,
  evaluated by mpmath, so it costs ~1 ms a point.)
  ``poisson``'s cdf is differentiable in ``mu`` (the incomplete gamma function's argument),
  ``binom``'s and ``nbinom``'s in ``p``. At the degenerate ends (``mu = 0``, ``p = 0`` or 1)
  their value and first derivative are exact (one-sided); second derivatives there are those
  of dualdiff.scipy.special's incomplete functions at the end of their range, at present 0.
  The ``ppf`` of ``gamma``, ``chi2``, ``beta`` and ``t`` likewise has no derivative in their
  shapes (it would be -∂cdf/∂shape / pdf): a Dual shape raises a ``TypeError``.
* **Discrete distributions** are step functions of ``k``: the pmf and the cdf family have
  derivative 0 in ``k`` and in ``loc`` (k goes through ``floor``); ``ppf`` is a step function
  of ``q`` and of the shape parameters (slope 0 at every order), plus ``loc`` (slope 1); its
  value is scipy.stats' (in mpf, decided by the mpf cdf where q is within a float's rounding of
  a step). ``binom``'s ``n`` must be whole, as in SciPy; its pmf is differentiable in ``n`` all
  the same (through ``gammaln``, the continuous extension).
* **Quantiles** (``ppf``): a closed form where there is one (``norm``'s is ``ndtri``); for
  ``t``, ``gamma``, ``chi2`` and ``beta`` SciPy's inverse of the incomplete function on the
  values (``stdtrit``, ``gammaincinv``, ``betaincinv``: for ``beta`` rather than scipy.stats'
  own quantile, which gives up in the far lower tail), and the derivatives in q of every order
  by the inverse function rule, x' = 1/pdf(x), written with the Dual-aware pdf so that nested
  Duals give x'' = -pdf'(x) x'³, and so on, exactly (to rounding: x''' is a difference of two
  terms, which cancel where x''' is small, as the arcsine law's near q = 0). In mpf, Newton's
  method on the mpf cdf (on the sf above the median) from SciPy's float quantile.
* **mpf**: every method of the univariate distributions, and ``dirichlet``, computes in mpmath
  at its working precision when an argument is an ``mpf`` (floats given beside it are made
  ``mpf``); ``multivariate_normal`` computes in floats (``numpy.linalg`` has no mpf).
"""

from __future__ import annotations

from .continuous import (
    beta,
    cauchy,
    chi2,
    expon,
    gamma,
    laplace,
    logistic,
    lognorm,
    norm,
    t,
    uniform,
    weibull_min,
)
from .discrete import bernoulli, binom, geom, nbinom, poisson
from .multivariate import dirichlet, multivariate_normal

__all__ = [
    "bernoulli", "beta", "binom", "cauchy", "chi2", "dirichlet", "expon", "gamma", "geom",
    "laplace", "logistic", "lognorm", "multivariate_normal", "nbinom", "norm", "poisson", "t",
    "uniform", "weibull_min",
]  # fmt: skip
