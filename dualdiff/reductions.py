"""NumPy's statistics on Duals: NaN-ignoring sums and extremes, averages, ranges, medians,
percentiles and cumulative products.

Each is written with rules dualdiff already has (sums, products, ``where``, ``sort``,
``max``/``min``), so ties follow the one tie convention and nested Duals work unchanged.

>>> import numpy as np, dualdiff as dd
>>> dd.gradient(np.median, [3.0, 1.0, 2.0])          # the middle entry moves the median
array([0., 0., 1.])
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np

from . import table
from .arrayfuncs import as_scalar, implements, normalize_axes, refuse_extras
from .conventions import scale, tie_weights
from .dual import ARRAY_FUNCTIONS, COMPLEX_OK, Dual, make
from .kinds import base_value

__all__: list[str] = []

_F = Callable[..., Any]


# --- sums of squares, products, extremes, sorting and rounding -------------------------------


@implements(np.var)
def _var(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: float = 0,
         keepdims: bool = False, **kw: Any) -> Any:  # fmt: skip
    """The mean squared deviation, with ``ddof`` as NumPy."""
    refuse_extras("var", out=out, dtype=dtype, **kw)
    d = a - np.mean(a, axis=axis, keepdims=True)
    axes = tuple(range(a.ndim)) if axis is None else normalize_axes(axis, a.ndim)
    n = int(np.prod([a.shape[i] for i in axes]))
    return np.sum(d * d, axis=axis, keepdims=keepdims) / (n - ddof)


@implements(np.std)
def _std(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: float = 0,
         keepdims: bool = False, **kw: Any) -> Any:  # fmt: skip
    """sqrt(var): at zero spread its slope is infinite, and 0·∞ = 0 keeps directions that do
    not spread the data at 0."""
    return table.sqrt(_var(a, axis, dtype, out, ddof, keepdims, **kw))


@implements(np.prod)
def _prod(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
          initial: Any = None, where: Any = None) -> Any:  # fmt: skip
    """The product by the product rule. ``initial`` c multiplies it, so it scales the tangent
    too (d(c·p) = c·dp; unlike np.sum's, which adds); ``where`` leaves out entries (they count
    as 1, and their tangents as 0).

    >>> import numpy as np, dualdiff as dd
    >>> dd.gradient(lambda x: np.prod(x, initial=2.0, where=[True, True, False]), [3.0, 4.0, 5.0])
    array([8., 6., 0.])
    """
    refuse_extras("prod", out=out, dtype=dtype)
    if not isinstance(a, Dual):
        return np.prod(a, axis=axis, keepdims=keepdims,
                       **({} if initial is None else {"initial": initial}),
                       **({} if where is None else {"where": where}))  # fmt: skip
    if initial is not None:
        if np.ndim(base_value(initial)) != 0:
            raise ValueError(f"numpy.prod: initial must be a scalar, got {initial!r}")
        if np.iscomplexobj(base_value(initial)) and not np.iscomplexobj(base_value(a)):
            raise TypeError(  # as NumPy: the initial value takes the array's (real) kind
                f"numpy.prod: initial={initial!r} is complex and the array is real"
            )
        if not isinstance(initial, Dual):  # a Python number (mpf stays): a float32 stays one
            c = np.asarray(initial)
            initial = c[()] if c.dtype == object else c.item()
    if where is not None:
        a = np.where(_where_mask("prod", where, a.shape), a, 1.0)
    r = _product(a, axis, keepdims)
    return r if initial is None else r * initial


def _where_mask(who: str, where: Any, shape: tuple[int, ...]) -> Any:
    """A reduction's ``where=`` as a boolean mask of the array's ``shape`` (NumPy's truth of
    each entry, broadcast as NumPy broadcasts it)."""
    mask = np.asarray(base_value(where)).astype(bool)
    try:
        return np.broadcast_to(mask, shape)
    except ValueError:
        raise ValueError(
            f"numpy.{who}: where= of shape {mask.shape} does not broadcast to the array's "
            f"shape {shape}"
        ) from None


def _product(a: Any, axis: Any, keepdims: bool) -> Any:
    """np.prod of the Dual ``a`` over ``axis`` (None, an int or a tuple)."""
    nd = a.ndim
    axes = tuple(range(nd)) if axis is None else normalize_axes(axis, nd)
    if len(axes) != 1:  # several axes: moved last and merged into one
        rest = [i for i in range(nd) if i not in axes]
        merged = np.transpose(a, [*rest, *axes])
        r = _product(np.reshape(merged, (*merged.shape[: len(rest)], -1)), -1, False)
        kept = tuple(1 if i in axes else n for i, n in enumerate(a.shape))
        return np.reshape(r, kept) if keepdims else r
    axis = axes[0]
    if isinstance(a._v, Dual):  # nested: a chain of products, each by the product rule
        n = a.shape[axis]
        if n == 0:  # the empty product: 1, a constant (a sum gives the shape and layout)
            return np.sum(a, axis=axis, keepdims=keepdims) + 1.0
        items = [np.take(a, i, axis=axis) for i in range(n)]
        r = functools.reduce(operator.mul, items)
        return np.expand_dims(r, axis) if keepdims else r
    v = np.moveaxis(a._v, axis, -1)
    ones = np.ones((*v.shape[:-1], 1))
    left = np.concatenate([ones, np.cumprod(v[..., :-1], axis=-1)], axis=-1)
    right = np.concatenate([np.cumprod(v[..., :0:-1], axis=-1)[..., ::-1], ones], axis=-1)
    others = np.moveaxis(left * right, -1, axis)  # product of all entries but one (no division)
    value = np.prod(a._v, axis=axis, keepdims=keepdims)
    return make(as_scalar(value), as_scalar(np.sum(others * a._t, axis=axis, keepdims=keepdims)),
               a._tag)  # fmt: skip


def _extreme(pick: Any) -> _F:
    """max/min along an axis: the tangent of the extreme entry, shared evenly among ties."""

    def impl(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False,
             **kw: Any) -> Any:  # fmt: skip
        refuse_extras(pick.__name__, out=out, **kw)
        if not isinstance(a, Dual):
            return pick(a, axis=axis, keepdims=keepdims)
        v = pick(a._v, axis=axis, keepdims=True)
        w = tie_weights(a._v == v, axis=axis)
        t = np.sum(w * a._t, axis=axis, keepdims=keepdims)
        if not keepdims:
            v = np.squeeze(v, axis=axis)
        return make(as_scalar(v[()] if type(v) is np.ndarray and v.ndim == 0 else v), as_scalar(t),
                   a._tag)  # fmt: skip

    return impl


ARRAY_FUNCTIONS[np.max] = _extreme(np.max)
ARRAY_FUNCTIONS[np.min] = _extreme(np.min)
if hasattr(np, "amax"):
    ARRAY_FUNCTIONS[np.amax] = ARRAY_FUNCTIONS[np.max]
    ARRAY_FUNCTIONS[np.amin] = ARRAY_FUNCTIONS[np.min]


@implements(np.sort)
def _sort(a: Any, axis: Any = -1, kind: Any = None, order: Any = None, **kw: Any) -> Any:
    """Sorted values carry the tangents of the entries they came from; tied entries share
    their tangents evenly (:func:`~dualdiff.conventions.tie_weights`), whatever order sort chose."""
    refuse_extras("sort", order=order)
    if axis is None:
        a, axis = np.ravel(a), -1
    idx = np.argsort(base_value(a), axis=axis, kind="stable")
    v = np.take_along_axis(a._v, idx, axis)
    t = np.take_along_axis(a._t, idx, axis)
    b = np.moveaxis(base_value(v), axis, -1)
    if b.shape[-1] > 1 and np.any(b[..., 1:] == b[..., :-1]):  # ties: share within each group
        w = tie_weights(b[..., :, None] == b[..., None, :], axis=-1)
        tm = np.moveaxis(t, axis, -1)
        t = np.moveaxis(np.sum(w * np.expand_dims(tm, -2), axis=-1), -1, axis)
    return make(v, t, a._tag)


@implements(np.round, *((np.around,) if hasattr(np, "around") else ()))
def _round(a: Any, decimals: int = 0, out: Any = None) -> Any:
    """Rounding is piecewise constant: slope 0 (the jumps included)."""
    refuse_extras("round", out=out)
    v = a._v
    if isinstance(v, np.ndarray) and v.dtype == object:  # NumPy has no loop for mpf
        ten = mpmath.mpf(10) ** decimals
        v = np.frompyfunc(lambda e: mpmath.nint(e * ten) / ten, 1, 1)(v)
    else:
        v = np.round(v, decimals)
    return make(v, scale(0.0, a._t), a._tag)


# --- NaN-ignoring versions, averages, medians and percentiles ---------------------------------


def _nan_mask(a: Any) -> Any:
    b = base_value(a)
    return b != b  # NaN is the one value unequal to itself (object arrays of mpf too)


def _without_nan(a: Any, fill: float) -> Any:
    return np.where(_nan_mask(a), fill, a)


@implements(np.nansum)
def _nansum(a: Any, axis: Any = None, dtype: Any = None, out: Any = None,
            keepdims: bool = False, **kw: Any) -> Any:  # fmt: skip
    refuse_extras("nansum", out=out, dtype=dtype, **kw)
    return np.sum(_without_nan(a, 0.0), axis=axis, keepdims=keepdims)


@implements(np.nanmean)
def _nanmean(a: Any, axis: Any = None, dtype: Any = None, out: Any = None,
             keepdims: bool = False, **kw: Any) -> Any:  # fmt: skip
    refuse_extras("nanmean", out=out, dtype=dtype, **kw)
    count = np.sum(~_nan_mask(a), axis=axis, keepdims=keepdims)
    return np.sum(_without_nan(a, 0.0), axis=axis, keepdims=keepdims) / count


@implements(np.nancumsum)
def _nancumsum(a: Any, axis: Any = None, dtype: Any = None, out: Any = None) -> Any:
    refuse_extras("nancumsum", out=out, dtype=dtype)
    return np.cumsum(_without_nan(a, 0.0), axis=axis)


def _nan_extreme(pick: Any, fill: float) -> Any:
    reduce = _extreme(pick)

    def impl(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False, **kw: Any):
        refuse_extras(pick.__name__, out=out, **kw)
        return reduce(_without_nan(a, fill), axis=axis, keepdims=keepdims)

    return impl


implements(np.nanmax)(_nan_extreme(np.max, -np.inf))
implements(np.nanmin)(_nan_extreme(np.min, np.inf))


@implements(np.ptp)
def _ptp(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False) -> Any:
    refuse_extras("ptp", out=out)
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
    (ax,) = normalize_axes(axis, nd)
    return _quantile_sorted(np.sort(a, axis=ax), q, ax, keepdims)


@implements(np.quantile)
def _np_quantile(a: Any, q: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
                 method: str = "linear", keepdims: bool = False, **kw: Any) -> Any:  # fmt: skip
    refuse_extras("quantile", out=out, **kw)
    _linear_only(method, "quantile")
    return _quantile(a, q, axis, keepdims, "quantile")


@implements(np.percentile)
def _np_percentile(a: Any, q: Any, axis: Any = None, out: Any = None,
                   overwrite_input: bool = False, method: str = "linear",
                   keepdims: bool = False, **kw: Any) -> Any:  # fmt: skip
    refuse_extras("percentile", out=out, **kw)
    _linear_only(method, "percentile")
    return _quantile(a, q / 100.0 if not isinstance(q, list) else np.asarray(q) / 100.0, axis,
                     keepdims, "percentile")  # fmt: skip


@implements(np.median)
def _median(a: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
            keepdims: bool = False) -> Any:  # fmt: skip
    refuse_extras("median", out=out)
    return _quantile(a, 0.5, axis, keepdims, "median")


def _linear_only(method: str, who: str) -> None:
    if method != "linear":
        raise TypeError(f"numpy.{who} on Duals supports method='linear', not {method!r}")


@implements(np.cumprod)
def _cumprod(a: Any, axis: Any = None, dtype: Any = None, out: Any = None) -> Any:
    """Running products by the product rule, one step at a time along the axis."""
    refuse_extras("cumprod", out=out, dtype=dtype)
    if axis is None:
        a, axis = np.ravel(a), 0
    (axis,) = normalize_axes(axis, a.ndim)
    steps = [np.take(a, 0, axis=axis)]
    for i in range(1, a.shape[axis]):
        steps.append(steps[-1] * np.take(a, i, axis=axis))
    return np.stack(steps, axis=axis)


COMPLEX_OK.update((np.prod, np.cumprod))  # the product rule holds for complex numbers
