"""Multivariate distributions, ``multivariate_normal`` and ``dirichlet``, with SciPy's
arguments, shapes and checks."""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import table as _f
from ...dual import fmt
from ...kinds import is_mpf
from .. import special as _sp
from ._base import _Frozen, _input
from ._numeric import _k, _v, _xlogy


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
    last being 1 minus their sum), its second (if any) the points: at most two axes, as in
    SciPy. Points must lie on the simplex, as SciPy checks (a ``ValueError`` otherwise, for
    arrays too).

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
        if len(shape) > 2:  # SciPy's check of x refuses these too
            raise ValueError(
                f"{who}: x must be one- or two-dimensional (the components along axis 0, the "
                f"points along axis 1), got shape {shape}"
            )
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
