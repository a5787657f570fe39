"""``scipy.signal``'s convolutions on Duals: ``convolve`` and ``fftconvolve``, real inputs.

A convolution is bilinear, so its tangent is ``conv(d1, in2) + conv(in1, d2)``: each term is
the same SciPy function again (same mode, method and axes), which dispatches on what it gets,
so the rule serves a plain tangent, vector mode's ``Directions`` and nested Duals alike. The
value is SciPy's own result. Without a Dual among the inputs SciPy's function simply runs.

>>> import numpy as np, dualdiff as dd
>>> from dualdiff.scipy import signal
>>> kernel = np.array([1.0, 2.0, 1.0])
>>> dd.jacobian(lambda x: signal.convolve(x, kernel, mode="same"), [0.0, 0.0, 0.0])
array([[2., 1., 0.],
       [1., 2., 1.],
       [0., 1., 2.]])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.signal as _ss

from ..directions import Directions
from ..dual import Dual, make, parts, top_tag
from ..kinds import base_value

__all__ = ["convolve", "fftconvolve"]


def _array(x: Any) -> Any:
    """A list holding Duals stacked into one Dual; anything else as given."""
    if isinstance(x, (list, tuple)) and any(isinstance(e, Dual) for e in x):
        return np.stack(x)
    return x


def _real(who: str, *xs: Any) -> None:
    for x in xs:
        b = base_value(x)
        if np.iscomplexobj(b.array if type(b) is Directions else b):
            raise TypeError(
                f"scipy.signal.{who} on Duals takes real inputs (Duals are real), got a "
                "complex array: convolve the real and imaginary parts separately"
            )


def _per_direction(f: Any, in1: Any, in2: Any) -> Directions:
    """``f(in1, in2)`` for each direction of the one vector-mode tangent among them."""
    k = (in1 if type(in1) is Directions else in2).k

    def pick(x: Any, i: int) -> Any:
        return x.array[i] if type(x) is Directions else x

    return Directions(np.stack([f(pick(in1, i), pick(in2, i)) for i in range(k)]))


def _bilinear(conv: Any, in1: Any, in2: Any, tag: int) -> Dual:
    """The product rule for a bilinear ``conv``: value conv(v1, v2), tangent
    conv(d1, v2) + conv(v1, d2)."""
    (v1, t1), (v2, t2) = parts(in1, tag), parts(in2, tag)
    t = None if t1 is None else conv(t1, v2)
    if t2 is not None:
        term = conv(v1, t2)
        t = term if t is None else t + term
    return make(conv(v1, v2), t, tag)


def convolve(in1: Any, in2: Any, mode: str = "full", method: str = "auto") -> Any:
    """The N-dimensional convolution of ``in1`` and ``in2`` (``mode`` "full", "same" or
    "valid"; ``method`` "auto", "direct" or "fft", as in SciPy); Duals in either or both.

    >>> import numpy as np, dualdiff as dd
    >>> a = dd.Dual(np.array([1.0, 2.0]), np.array([1.0, 0.0]))     # d/da₀
    >>> convolve(a, np.array([3.0, 4.0]))
    Dual(array([ 3., 10.,  8.]), array([3., 4., 0.]))
    """
    in1, in2 = _array(in1), _array(in2)
    tag = top_tag(in1, in2)
    if tag < 0:
        if type(in1) is Directions or type(in2) is Directions:
            return _per_direction(lambda a, b: _ss.convolve(a, b, mode, method), in1, in2)
        return _ss.convolve(in1, in2, mode=mode, method=method)
    _real("convolve", in1, in2)
    return _bilinear(lambda a, b: convolve(a, b, mode, method), in1, in2, tag)


def fftconvolve(
    in1: Any, in2: Any, mode: str = "full", axes: int | Sequence[int] | None = None
) -> Any:
    """The convolution by FFT, over all axes or over ``axes`` (the others broadcast), as in
    SciPy; Duals in either or both.

    >>> import numpy as np, dualdiff as dd
    >>> f = lambda s: fftconvolve(np.array([1.0, 2.0, 3.0]), s * np.array([1.0, -1.0]), "valid")
    >>> np.round(dd.derivative(f).prime(1.0), 12)                   # linear in s
    array([1., 1.])
    """
    in1, in2 = _array(in1), _array(in2)
    tag = top_tag(in1, in2)
    if tag < 0:
        if type(in1) is Directions or type(in2) is Directions:
            return _fft_directions(in1, in2, mode, axes)
        return _ss.fftconvolve(in1, in2, mode=mode, axes=axes)
    _real("fftconvolve", in1, in2)
    return _bilinear(lambda a, b: fftconvolve(a, b, mode, axes), in1, in2, tag)


def _fft_directions(in1: Any, in2: Any, mode: str, axes: Any) -> Directions:
    """Vector mode in one call: the direction axis is one more axis, not convolved. The constant
    operand is repeated along it in full, since SciPy's "same" mode crops to in1's whole shape
    (a size-1 axis there would not broadcast)."""
    nd = np.ndim(in2 if type(in1) is Directions else in1)
    if axes is None:
        shifted = list(range(1, nd + 1))
    else:
        shifted = [int(a) % nd + 1 for a in np.atleast_1d(axes)]
    k = (in1 if type(in1) is Directions else in2).k

    def lift(x: Any) -> Any:
        return x.array if type(x) is Directions else np.broadcast_to(x, (k, *np.shape(x)))

    return Directions(_ss.fftconvolve(lift(in1), lift(in2), mode=mode, axes=shifted))
