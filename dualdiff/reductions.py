"""NumPy's statistics on Duals: NaN-ignoring sums and extremes, averages, ranges, medians,
percentiles and cumulative products.

Each is written with rules dualdiff already has (sums, products, ``where``, ``sort``,
``max``/``min``), so ties follow the one tie convention and nested Duals work unchanged.

>>> import numpy as np, dualdiff as dd
>>> dd.gradient(np.median, [3.0, 1.0, 2.0])          # the middle entry moves the median
array([0., 0., 1.])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .arrayfuncs import _axes, _extreme, _no_extras, implements
from .kinds import base_value

__all__: list[str] = []


def _nan_mask(a: Any) -> Any:
    b = base_value(a)
    return b != b  # NaN is the one value unequal to itself (object arrays of mpf too)


def _without_nan(a: Any, fill: float) -> Any:
    return np.where(_nan_mask(a), fill, a)


@implements(np.nansum)
def _nansum(a: Any, axis: Any = None, dtype: Any = None, out: Any = None,
            keepdims: bool = False, **kw: Any) -> Any:  # fmt: skip
    _no_extras("nansum", out=out, dtype=dtype, **kw)
    return np.sum(_without_nan(a, 0.0), axis=axis, keepdims=keepdims)


@implements(np.nanmean)
def _nanmean(a: Any, axis: Any = None, dtype: Any = None, out: Any = None,
             keepdims: bool = False, **kw: Any) -> Any:  # fmt: skip
    _no_extras("nanmean", out=out, dtype=dtype, **kw)
    count = np.sum(~_nan_mask(a), axis=axis, keepdims=keepdims)
    return np.sum(_without_nan(a, 0.0), axis=axis, keepdims=keepdims) / count


@implements(np.nancumsum)
def _nancumsum(a: Any, axis: Any = None, dtype: Any = None, out: Any = None) -> Any:
    _no_extras("nancumsum", out=out, dtype=dtype)
    return np.cumsum(_without_nan(a, 0.0), axis=axis)


def _nan_extreme(pick: Any, fill: float) -> Any:
    reduce = _extreme(pick)

    def impl(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False, **kw: Any):
        _no_extras(pick.__name__, out=out, **kw)
        return reduce(_without_nan(a, fill), axis=axis, keepdims=keepdims)

    return impl


implements(np.nanmax)(_nan_extreme(np.max, -np.inf))
implements(np.nanmin)(_nan_extreme(np.min, np.inf))


@implements(np.ptp)
def _ptp(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False) -> Any:
    _no_extras("ptp", out=out)
    return np.max(a, axis=axis, keepdims=keepdims) - np.min(a, axis=axis, keepdims=keepdims)


@implements(np.average)
def _average(a: Any, axis: Any = None, weights: Any = None, returned: bool = False,
             *, keepdims: bool = False) -> Any:  # fmt: skip
    """sum(a·w)/sum(w): a and the weights may both be Duals."""
    if weights is None:
        avg = np.mean(a, axis=axis, keepdims=keepdims)
        n = np.size(base_value(a)) if axis is None else np.shape(base_value(a))[axis]
        return (avg, float(n)) if returned else avg
    w = weights
    if np.ndim(base_value(w)) == 1 and np.ndim(base_value(a)) > 1:
        if axis is None:
            raise TypeError("numpy.average: 1-D weights need an axis")
        shape = [1] * np.ndim(base_value(a))
        shape[axis] = -1
        w = np.reshape(w, shape)
    total = np.sum(w * np.ones(np.shape(base_value(a))), axis=axis, keepdims=keepdims)
    avg = np.sum(a * w, axis=axis, keepdims=keepdims) / total
    return (avg, total) if returned else avg


def _quantile_sorted(s: Any, q: Any, axis: int, keepdims: bool) -> Any:
    """Linear interpolation between order statistics (NumPy's default method) of ``s``, sorted
    along ``axis``; a Dual ``q`` moves the position, and so the result."""
    n = s.shape[axis]
    many = np.ndim(base_value(q)) > 0
    results = []
    for qi in np.ravel(q) if many else [q]:
        lo = min(int(np.floor(float(base_value(qi)) * (n - 1))), n - 1)
        hi = min(lo + 1, n - 1)
        a_lo, a_hi = np.take(s, lo, axis=axis), np.take(s, hi, axis=axis)
        r = a_lo + (a_hi - a_lo) * (qi * (n - 1) - lo)
        results.append(np.expand_dims(r, axis) if keepdims else r)
    if not many:
        return results[0]
    shape = (*np.shape(base_value(q)), *np.shape(base_value(results[0])))
    return np.reshape(np.stack(results), shape)


def _quantile(a: Any, q: Any, axis: Any, keepdims: bool, who: str) -> Any:
    qs = np.asarray(base_value(q), dtype=float)
    if np.any((qs < 0) | (qs > 1)):
        raise ValueError(f"numpy.{who}: quantiles must be in [0, 1] (percentiles in [0, 100])")
    nd = np.ndim(base_value(a))
    if axis is None:
        r = _quantile_sorted(np.sort(np.ravel(a)), q, 0, False)
        return np.reshape(r, (*np.shape(qs), *(1,) * nd)) if keepdims else r
    (ax,) = _axes(axis, nd)
    return _quantile_sorted(np.sort(a, axis=ax), q, ax, keepdims)


@implements(np.quantile)
def _np_quantile(a: Any, q: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
                 method: str = "linear", keepdims: bool = False, **kw: Any) -> Any:  # fmt: skip
    _no_extras("quantile", out=out, **kw)
    _linear_only(method, "quantile")
    return _quantile(a, q, axis, keepdims, "quantile")


@implements(np.percentile)
def _np_percentile(a: Any, q: Any, axis: Any = None, out: Any = None,
                   overwrite_input: bool = False, method: str = "linear",
                   keepdims: bool = False, **kw: Any) -> Any:  # fmt: skip
    _no_extras("percentile", out=out, **kw)
    _linear_only(method, "percentile")
    return _quantile(a, q / 100.0 if not isinstance(q, list) else np.asarray(q) / 100.0, axis,
                     keepdims, "percentile")  # fmt: skip


@implements(np.median)
def _median(a: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
            keepdims: bool = False) -> Any:  # fmt: skip
    _no_extras("median", out=out)
    return _quantile(a, 0.5, axis, keepdims, "median")


def _linear_only(method: str, who: str) -> None:
    if method != "linear":
        raise TypeError(f"numpy.{who} on Duals supports method='linear', not {method!r}")


@implements(np.cumprod)
def _cumprod(a: Any, axis: Any = None, dtype: Any = None, out: Any = None) -> Any:
    """Running products by the product rule, one step at a time along the axis."""
    _no_extras("cumprod", out=out, dtype=dtype)
    if axis is None:
        a, axis = np.ravel(a), 0
    (axis,) = _axes(axis, a.ndim)
    steps = [np.take(a, 0, axis=axis)]
    for i in range(1, a.shape[axis]):
        steps.append(steps[-1] * np.take(a, i, axis=axis))
    return np.stack(steps, axis=axis)
