"""``scipy.integrate``'s sampled-data rules on Duals: ``trapezoid`` and ``simpson``.

Both are the same formulas as SciPy's, written with NumPy calls that dispatch on Duals, so the
samples ``y``, the sample points ``x`` and the spacing ``dx`` may each carry tangents (plain,
vector mode or nested). Without a Dual among the inputs SciPy's own function runs.

>>> import numpy as np, dualdiff as dd
>>> from dualdiff.scipy import integrate
>>> x = np.linspace(0.0, 1.0, 5)
>>> area = dd.derivative(lambda a: integrate.simpson(a * x**2, x=x))   # ∫₀¹ a x² dx = a/3
>>> round(area.prime(2.0), 12)
0.333333333333
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.integrate as _si

from ..dual import Dual, top_tag
from ..kinds import base_value

__all__ = ["simpson", "trapezoid"]


def _array(x: Any) -> Any:
    """A Dual as it is; a list holding Duals stacked into one; anything else as given."""
    if isinstance(x, (list, tuple)) and any(isinstance(e, Dual) for e in x):
        return np.stack(x)
    return x


def _plain(x: Any) -> Any:
    """Samples as an array NumPy can slice (a Dual stays a Dual)."""
    return x if isinstance(x, Dual) else np.asarray(x)


def _at(nd: int, axis: int, item: Any) -> tuple[Any, ...]:
    """An index taking ``item`` along ``axis`` and everything along the other axes."""
    index: list[Any] = [slice(None)] * nd
    index[axis] = item
    return tuple(index)


def _div(a: Any, b: Any) -> Any:
    """a / b, and 0 where b is 0 (SciPy's ``true_divide(..., where=b != 0)`` for repeated x)."""
    nonzero = np.asarray(base_value(b)) != 0
    if np.all(nonzero):
        return a / b
    return np.where(nonzero, a / np.where(nonzero, b, 1.0), 0.0)


def trapezoid(y: Any, x: Any = None, dx: Any = 1.0, axis: int = -1) -> Any:
    """The composite trapezoidal rule along ``axis``: ``Σ (x[i+1] - x[i]) (y[i+1] + y[i]) / 2``
    (spacing ``dx`` without ``x``; ``x`` 1-D along the axis or broadcastable to ``y``).

    >>> import numpy as np, dualdiff as dd
    >>> x = dd.Dual(np.array([0.0, 1.0, 3.0]), np.array([0.0, 0.0, 1.0]))   # move the last point
    >>> trapezoid(np.array([1.0, 2.0, 4.0]), x)        # d/dx₂: (y₁ + y₂) / 2 = 3
    Dual(7.5, 3.0)
    """
    y, x = _array(y), _array(x)
    if top_tag(y, x, dx) < 0:
        return _si.trapezoid(y, x=x, dx=dx, axis=axis)
    y = _plain(y)
    nd = np.ndim(y)
    upper, lower = _at(nd, axis, slice(1, None)), _at(nd, axis, slice(None, -1))
    if x is None:
        d = dx
    else:
        x = _plain(x)
        if np.ndim(x) == 1:
            d = np.reshape(x[1:] - x[:-1], [-1 if i == axis % nd else 1 for i in range(nd)])
        else:
            x = np.broadcast_to(x, np.shape(y))
            d = x[upper] - x[lower]
    return np.sum(d * (y[upper] + y[lower]) / 2.0, axis=axis)


def _basic_simpson(y: Any, stop: int, x: Any, dx: Any, axis: int) -> Any:
    """Simpson's rule on the intervals pairs ``[0, 2], [2, 4], ... [stop - 2, stop]``."""
    nd = np.ndim(y)
    s0, s1, s2 = (_at(nd, axis, slice(k, stop + k, 2)) for k in range(3))
    if x is None:
        return np.sum(y[s0] + 4.0 * y[s1] + y[s2], axis=axis) * (dx / 3.0)
    h = np.diff(x, axis=axis)
    h0, h1 = h[s0], h[s1]
    hsum, hprod = h0 + h1, h0 * h1
    h0_h1 = _div(h0, h1)
    tmp = (hsum / 6.0) * (
        y[s0] * (2.0 - _div(1.0, h0_h1))
        + y[s1] * (hsum * _div(hsum, hprod))
        + y[s2] * (2.0 - h0_h1)
    )
    return np.sum(tmp, axis=axis)


def simpson(y: Any, x: Any = None, *, dx: Any = 1.0, axis: int = -1) -> Any:
    """Composite Simpson's rule along ``axis``, for uneven spacing too; with an even number of
    samples the last interval gets Cartwright's correction, exactly as in SciPy.

    >>> import numpy as np, dualdiff as dd
    >>> y = dd.Dual(np.array([0.0, 1.0, 4.0, 9.0]), np.ones(4))      # y = x², then y + 1
    >>> r = simpson(y)                                   # ∫₀³ x² = 9, and ∫₀³ 1 = 3
    >>> round(r.value, 12), round(r.tangent, 12)
    (9.0, 3.0)
    """
    y, x = _array(y), _array(x)
    if top_tag(y, x, dx) < 0:
        return _si.simpson(y, x=x, dx=dx, axis=axis)
    y = _plain(y)
    nd = np.ndim(y)
    n = np.shape(y)[axis]
    if x is not None:
        x = _plain(x)
        if np.ndim(x) == 1:
            x = np.reshape(x, [np.shape(x)[0] if i == axis % nd else 1 for i in range(nd)])
        elif np.ndim(x) != nd:
            raise ValueError("If given, shape of x must be 1-D or the same as y.")
        if np.shape(x)[axis] != n:
            raise ValueError("If given, length of x along axis must be the same as y.")
    if n % 2 == 1:
        return _basic_simpson(y, n - 2, x, dx, axis)
    last, before, third = (_at(nd, axis, k) for k in (-1, -2, -3))
    if n == 2:  # one interval: the trapezoid
        width = dx if x is None else x[last] - x[before]
        return 0.5 * width * (y[last] + y[before])
    result = _basic_simpson(y, n - 3, x, dx, axis)
    if x is None:
        h0 = h1 = dx
    else:
        diffs = np.diff(x, axis=axis)
        h0 = np.squeeze(diffs[_at(nd, axis, slice(-2, -1))], axis=axis)
        h1 = np.squeeze(diffs[_at(nd, axis, slice(-1, None))], axis=axis)
    alpha = _div(2 * h1**2 + 3 * h0 * h1, 6 * (h1 + h0))
    beta = _div(h1**2 + 3.0 * h0 * h1, 6 * h0)
    eta = _div(h1**3, 6 * h0 * (h0 + h1))
    return result + alpha * y[last] + beta * y[before] - eta * y[third]
