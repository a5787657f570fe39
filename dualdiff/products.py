"""NumPy's products and integrals on Duals: einsum, tensordot, kron, cross, inner, vdot,
convolve, correlate, polyval, trapezoid, interp, linspace and geomspace.

Products are linear in each operand separately (:func:`~dualdiff.arrayfuncs.multilinear`: the
tangent is the sum over operands of the product with that operand's tangent in its place), so
every operand may depend on x. The others are written with rules dualdiff already has.

>>> import numpy as np, dualdiff as dd
>>> dd.gradient(lambda x: np.einsum("i,i->", x, x), [1.0, 2.0])     # d(x·x) = 2x
array([2., 4.])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np

from .arrayfuncs import as_scalar, first_two, implements, multilinear
from .directions import Directions
from .dual import COMPLEX_OK, Dual, make, parts, top_tag
from .kinds import base_value, is_complex, is_mpf

__all__: list[str] = []


def _einsum_operands(*args: Any, **kwargs: Any) -> tuple[list[Any], Callable[..., Any]]:
    if not isinstance(args[0], str):
        raise TypeError("numpy.einsum on Duals takes the subscripts as a string first")
    return list(args[1:]), lambda ops: ((args[0], *ops), kwargs)


def _einsum(subscripts: str, *operands: Any, **kwargs: Any) -> Any:
    """einsum where one operand may be a vector-mode tangent: it gets a leading index."""
    if any(isinstance(op, Dual) for op in operands):
        return np.einsum(subscripts, *operands, **kwargs)  # the Dual's rule first, then here
    for i, op in enumerate(operands):
        if type(op) is Directions:
            ins, arrow, out = subscripts.replace(" ", "").partition("->")
            if not arrow:  # implicit mode: the labels that appear once, in order
                labels = ins.replace(",", "").replace(".", "")
                out = ("..." if "..." in ins else "") + "".join(
                    sorted(c for c in set(labels) if labels.count(c) == 1)
                )
            letters = set(subscripts) | set("...")
            k = next(c for c in "zyxwvutsrqponmlkjihgfedcbaZYXWVUTSRQPONMLKJIHGFEDCBA"
                     if c not in letters)  # fmt: skip
            terms = ins.split(",")
            terms[i] = k + terms[i]
            new = ",".join(terms) + "->" + k + out
            arrays = [o.array if j == i else o for j, o in enumerate(operands)]
            return Directions(np.einsum(new, *arrays, **kwargs))
    return np.einsum(subscripts, *operands, **kwargs)


multilinear(np.einsum, _einsum_operands, call=_einsum)

multilinear(np.tensordot, first_two)
multilinear(np.kron, first_two)
multilinear(np.cross, first_two)
multilinear(np.inner, first_two)
multilinear(np.convolve, first_two)
multilinear(np.correlate, first_two)


@implements(np.vdot)
def _vdot(a: Any, b: Any) -> Any:
    """The dot product of the flattened arrays, the first conjugated (as NumPy's)."""
    a = np.ravel(a)
    return np.sum((np.conjugate(a) if is_complex(a) else a) * np.ravel(b))


@implements(np.polyval)
def _polyval(p: Any, x: Any) -> Any:
    """Horner's scheme with dualdiff's arithmetic: p and x may both be Duals."""
    if isinstance(p, np.poly1d):
        p = p.coeffs
    coeffs = [p[i] for i in range(len(p))] if isinstance(p, Dual) else list(p)
    y = coeffs[0] + 0.0 * x
    for c in coeffs[1:]:
        y = y * x + c
    return y


def _trapezoid(y: Any, x: Any = None, dx: float = 1.0, axis: int = -1) -> Any:
    """Σ (x[i+1] - x[i]) (y[i] + y[i+1]) / 2 along ``axis``: y and x (or dx) may be Duals."""
    nd = np.ndim(base_value(y))
    n = np.shape(base_value(y))[axis]
    ax = axis % nd
    lo = np.take(y, range(n - 1), axis=ax)
    hi = np.take(y, range(1, n), axis=ax)
    if x is None:
        d = dx
    else:
        d = np.diff(x, axis=-1 if np.ndim(base_value(x)) == 1 else ax)
        if np.ndim(base_value(x)) == 1 and nd > 1:
            shape = [1] * nd
            shape[ax] = -1
            d = np.reshape(d, shape)
    return np.sum(d * (lo + hi), axis=ax) / 2.0


if hasattr(np, "trapezoid"):  # NumPy 2; trapz before it
    implements(np.trapezoid)(_trapezoid)


@implements(np.interp)
def _interp(x: Any, xp: Any, fp: Any, left: Any = None, right: Any = None,
            period: Any = None) -> Any:  # fmt: skip
    """Piecewise linear in x and linear in fp; the knots xp must be constants. In x: the
    segment's slope, 0 outside the range, and at a knot the two one-sided slopes share (the
    tie convention). In fp: the interpolation weights."""
    if isinstance(xp, Dual) or period is not None:
        raise TypeError("numpy.interp on Duals: xp must be constant and period is not supported")
    if isinstance(left, Dual) or isinstance(right, Dual):
        raise TypeError("numpy.interp on Duals: left and right must be constants")
    xpv = np.asarray(xp, dtype=float)
    tag = top_tag(x, fp)
    (xv, xt), (fpv, ft) = parts(x, tag), parts(fp, tag)
    xb = base_value(xv)
    knots = xpv
    if is_mpf(xv) or is_mpf(fpv) or (ft is not None and is_mpf(ft)):
        # NumPy's interp is float64 only: the same formulas, with the table in mpf
        knots = _mpf_array(xpv)
        fpv = _mpf_array(fpv) if isinstance(fpv, np.ndarray) and fpv.dtype != object else fpv
        y = _interp_objects(xb, xpv, knots, fpv, left, right)
    else:
        y = np.interp(xv, xpv, fpv, left, right)  # nested levels come back here
    t = None
    if ft is not None:
        j = _segment(xb, xpv)
        below, above = xb < xpv[0], xb > xpv[-1]
        w = np.where(below, 0.0, np.where(above, 1.0, (xb - knots[j]) / (knots[j + 1] - knots[j])))
        keep = np.where((below & (left is not None)) | (above & (right is not None)), 0.0, 1.0)
        t = (np.take(ft, j) * (1.0 - w) + np.take(ft, j + 1) * w) * keep
    if xt is not None:
        seg = (np.take(fpv, range(1, len(xpv))) - np.take(fpv, range(len(xpv) - 1))) / np.diff(
            knots
        )  # knots: in mpf where the values are, so no knot gap rounds
        table = np.concatenate([np.zeros(1), seg, np.zeros(1)])
        jr = np.searchsorted(xpv, xb, side="right")
        jl = np.searchsorted(xpv, xb, side="left")
        s = (np.take(table, jr) + np.take(table, jl)) / 2.0
        tx = s * xt
        t = tx if t is None else t + tx
    return make(as_scalar(y), as_scalar(t), tag)


def _unit_steps(num: int, endpoint: bool, *ends: Any) -> Any:
    """linspace(0, 1, num): in mpf where an endpoint computes in mpf (no float rounding)."""
    if any(is_mpf(e) for e in ends):
        div = (num - 1) if endpoint else num
        return np.array([mpmath.mpf(i) / div for i in range(num)], dtype=object)
    return np.linspace(0.0, 1.0, num, endpoint=endpoint)


def _mpf_array(a: Any) -> Any:
    return np.array([mpmath.mpf(float(e)) for e in np.ravel(a)], dtype=object).reshape(np.shape(a))


def _segment(xb: Any, xpv: Any) -> Any:
    """The index j of the table segment [xp[j], xp[j+1]] that interp uses for x."""
    return np.clip(np.searchsorted(xpv, xb, side="right") - 1, 0, len(xpv) - 2)


def _interp_objects(xb: Any, xpv: Any, knots: Any, fp: Any, left: Any, right: Any) -> Any:
    """np.interp's formula, fp[j] + slope·(x - xp[j]), for mpf values (``knots`` is xp in
    mpf, ``xpv`` the same in floats for the search)."""
    j = _segment(xb, xpv)
    f0, f1 = np.take(fp, j), np.take(fp, j + 1)
    y = f0 + (f1 - f0) / (knots[j + 1] - knots[j]) * (xb - knots[j])
    lo = np.take(fp, 0) if left is None else left
    hi = np.take(fp, len(xpv) - 1) if right is None else right
    y = np.where(xb < xpv[0], lo + 0 * y, y)
    return np.where(xb > xpv[-1], hi + 0 * y, y)


@implements(np.linspace)
def _linspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True,
              retstep: bool = False, dtype: Any = None, axis: int = 0,
              **kw: Any) -> Any:  # fmt: skip
    """start + (stop - start)·u with u = linspace(0, 1): the endpoints may be Duals."""
    u = _unit_steps(num, endpoint, start, stop)
    shape = np.broadcast_shapes(np.shape(base_value(start)), np.shape(base_value(stop)))
    u = np.reshape(u, (-1,) + (1,) * len(shape))
    r = start + (stop - start) * u
    if axis != 0:
        r = np.moveaxis(r, 0, axis)
    if retstep:
        step = (stop - start) / ((num - 1) if endpoint else num)
        return r, step
    return r


@implements(np.geomspace)
def _geomspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, dtype: Any = None,
               axis: int = 0) -> Any:  # fmt: skip
    """start·(stop/start)**u: geometric steps; the endpoints may be Duals."""
    u = _unit_steps(num, endpoint, start, stop)
    shape = np.broadcast_shapes(np.shape(base_value(start)), np.shape(base_value(stop)))
    u = np.reshape(u, (-1,) + (1,) * len(shape))
    r = start * (stop / start) ** u
    return np.moveaxis(r, 0, axis) if axis != 0 else r


COMPLEX_OK.update((np.vdot, np.polyval))  # conjugating, and Horner's arithmetic
