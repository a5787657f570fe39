"""dualdiff's conventions, each stated once: the NaN policy (``0·∞ = 0``) and the tie convention.

Every product of a slope and a tangent in dualdiff goes through :func:`scale` (or
:func:`lincomb`), and every choice among arguments (maximum, minimum, clip, max/min reductions,
sort, median) takes its weights from :func:`tie_weights`. Changing a convention is an edit here.

>>> scale(0.0, float("inf")), tie_weights(np.array([True, True]))
(0.0, array([0.5, 0.5]))
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np

from .directions import Directions, padded
from .kinds import is_dual, is_lazy, is_scalar, like

__all__ = ["lincomb", "scale", "tie_weights"]

_NDARRAY = np.ndarray
_INF = math.inf
_MINIMUM = np.minimum.reduce


# --- the NaN policy: 0·∞ = 0 ---------------------------------------------------------------------


#: tangent kinds that take over their products with slopes, by type: ``f(s, t)`` gives
#: ``s·t`` (filled by dualdiff.sparse.pattern: a sparsity pattern keeps its entries whatever the
#: slope's number, and a pattern in the slope's place multiplies as a second-order pattern)
SPECIAL: dict[type, Callable[[Any, Any], Any]] = {}


def _raw(x: Any, nd: int) -> Any:
    """The numbers of a factor, a Directions padded to value ndim ``nd`` so that it broadcasts."""
    return padded(x.array, nd) if type(x) is Directions else x


def nan_free(r: Any) -> bool:
    """Whether ``r`` (an array, a Directions) surely holds no NaN; False where it cannot tell."""
    a = r.array if type(r) is Directions else r
    if type(a) is _NDARRAY:
        kind = a.dtype.kind
        if kind == "f":
            if not a.size:
                return True
            m = _MINIMUM(a, axis=None)  # NaN wins a minimum; one fast (vectorised) pass
            return bool(m == m)
        if kind == "c":
            s = np.add.reduce(a, axis=None)  # any NaN makes the sum NaN
            return bool(s == s)
        if a.dtype == object:
            return not bool(np.any(a != a))
        return True
    return False  # a lazy array (dask): guard without looking


def _isinf(x: Any) -> Any:
    if getattr(x, "dtype", None) is not None and x.dtype.kind == "c":
        return np.isinf(x)  # either part infinite
    return (x == _INF) | (x == -_INF)


def scale(s: Any, t: Any) -> Any:
    """``s * t`` with ``0·∞ = 0``: dualdiff's one rule for products of slopes and tangents.

    A zero factor gives a zero product even against an infinity, so a direction in which nothing
    changes never turns into NaN because a slope elsewhere is infinite (ForwardDiff.jl's
    "NaN-safe mode", always on). NaN stays NaN: a value outside a domain has no derivative.
    Every operator and rule multiplies through here (or through :func:`lincomb`).

    >>> scale(0.0, math.inf), scale(math.inf, 0.0), scale(-2.0, math.inf)
    (0.0, 0.0, -inf)
    >>> scale(np.array([0.0, 1.0]), np.array([math.inf, math.inf]))
    array([ 0., inf])
    """
    ts, tt = type(s), type(t)
    if tt is Directions or tt is _NDARRAY:  # the hot path: array and vector mode
        if ts is _NDARRAY:
            return _product(s, t)
        if ts is float and s != 0 and s * 0 == 0:
            return t * s  # a finite non-zero factor: no 0·∞ can arise
    if is_dual(s) or is_dual(t):
        return s * t  # each level of a nested number applies the policy in its own products
    if SPECIAL:
        special = SPECIAL.get(type(s)) or SPECIAL.get(type(t))
        if special is not None:
            return special(s, t)
    ks, kt = is_scalar(s), is_scalar(t)
    if ks and kt:
        r = s * t
        if r == r or s != s or t != t:
            return r
        if isinstance(r, np.generic):
            return r.dtype.type(0.0)
        if type(r) is complex:
            return 0j
        return mpmath.mpc(0) if isinstance(r, mpmath.mpc) else like(0.0, r)
    if (ks and s != 0 and s * 0 == 0) or (kt and t != 0 and t * 0 == 0):
        return s * t  # a finite non-zero scalar factor: no 0·∞ can arise
    blocks = per_block(_block_scale, s, t)
    if blocks is not None:
        return blocks
    return _product(s, t)


def _times(s: Any, t: Any) -> Any:
    """``s * t``, a Directions multiplying itself (no trip through NumPy's dispatch)."""
    return t * s if type(t) is Directions else s * t


def _product(s: Any, t: Any) -> Any:
    """``s * t`` for arrays (or a Directions), with the 0·∞ guard where a NaN appeared."""
    with np.errstate(invalid="ignore"):
        r = _times(s, t)
    if nan_free(r):
        return r
    nd = len(r.shape)
    sa, ta = _raw(s, nd), _raw(t, nd)
    zero = ((sa == 0) & _isinf(ta)) | (_isinf(sa) & (ta == 0))
    fixed = np.where(zero, like(0.0, r), _raw(r, nd))
    return Directions(fixed) if type(r) is Directions else fixed


def per_block(fn: Callable[..., Any], *xs: Any) -> Any:
    """``fn`` applied block by block where the operands are dask arrays of one shape (and
    scalars): the guard then costs one NumPy check per block, not extra graph operations."""
    arrays = [x for x in xs if not is_scalar(x)]
    if not arrays or not all(is_lazy(x) for x in arrays):
        return None
    if any(x.shape != arrays[0].shape for x in arrays):
        return None
    da = sys.modules["dask.array"]
    dtype = np.result_type(*(x.dtype if hasattr(x, "dtype") else np.float64 for x in xs))
    return da.map_blocks(fn, *xs, dtype=dtype)


def _block_scale(s: Any, t: Any) -> Any:
    return scale(s, t)


def _block_lincomb(s1: Any, t1: Any, s2: Any, t2: Any) -> Any:
    return lincomb((s1, t1), (s2, t2))


def lincomb(*terms: tuple[Any, Any]) -> Any:
    """``s1·t1 + s2·t2 + ...`` for ``(s, t)`` pairs (a None ``t`` is left out), each product by
    :func:`scale`.

    One pass and one NaN check for arrays; the per-term guard runs only where a NaN appeared.

    >>> lincomb((2.0, 3.0), (0.0, math.inf)), lincomb((2.0, 3.0), (1.0, None))
    (6.0, 6.0)
    """
    if len(terms) != 2:
        kept = [(s, t) for s, t in terms if t is not None]
        if len(kept) == 2:
            return lincomb(*kept)
        if len(kept) == 1:
            return scale(*kept[0])
        total = lincomb(*kept[:2])
        for s, t in kept[2:]:
            total = total + scale(s, t)
        return total
    (s1, t1), (s2, t2) = terms
    if t1 is None or t2 is None:
        return scale(s2, t2) if t1 is None else scale(s1, t1)
    tt = type(t1)
    if (tt is Directions or tt is _NDARRAY) and type(t2) is tt:  # the hot path, as in scale
        ts1, ts2 = type(s1), type(s2)
        if (ts1 is _NDARRAY or ts1 is float) and (ts2 is _NDARRAY or ts2 is float):
            if s1 is s2 and t1 is t2:  # x·x's two terms: one product, doubled (the same bits)
                r = scale(s1, t1)
                return _sum_into(r, r)
            return _array_lincomb(s1, t1, s2, t2)
    if is_dual(t1) or is_dual(s1) or is_dual(t2) or is_dual(s2):
        return s1 * t1 + s2 * t2  # nested: each level applies the policy in its own products
    if SPECIAL and any(type(x) in SPECIAL for x in (s1, t1, s2, t2)):
        return scale(s1, t1) + scale(s2, t2)
    if is_scalar(t1) and is_scalar(t2) and is_scalar(s1) and is_scalar(s2):
        r = s1 * t1 + s2 * t2
        if r == r:
            return r
    else:
        blocks = per_block(_block_lincomb, s1, t1, s2, t2)
        if blocks is not None:
            return blocks
        return _array_lincomb(s1, t1, s2, t2)
    return _guarded_sum(s1, t1, s2, t2)


def _array_lincomb(s1: Any, t1: Any, s2: Any, t2: Any) -> Any:
    """``s1·t1 + s2·t2`` for arrays (or Directions): one pass and one NaN check, the per-term
    guard only where a NaN appeared (as :func:`_product` for one term)."""
    with np.errstate(invalid="ignore"):
        r = _sum_into(_times(s1, t1), _times(s2, t2))
    return r if nan_free(r) else _guarded_sum(s1, t1, s2, t2)


def _guarded_sum(s1: Any, t1: Any, s2: Any, t2: Any) -> Any:
    """The two products each by :func:`scale`, summed (an ∞ - ∞ there is NaN, quietly: the
    sum of two tangent terms is dualdiff's, not the user's code)."""
    with np.errstate(invalid="ignore"):
        return scale(s1, t1) + scale(s2, t2)


def _sum_into(a: Any, b: Any) -> Any:
    """``a + b`` for two fresh products, written into ``a`` where it already has the sum's shape
    and kind: one large temporary fewer, so one allocation (and its fresh pages) fewer."""
    ta = type(a)
    if ta is type(b) and (ta is Directions or ta is _NDARRAY):
        x, y = (a.array, b.array) if ta is Directions else (a, b)
        if (
            type(x) is _NDARRAY and type(y) is _NDARRAY and x.shape == y.shape
            and x.dtype == np.result_type(x, y) and x.dtype != object and x.flags.writeable
            and x.base is None
        ):  # fmt: skip
            x += y
            return a
    return a + b


# --- the tie convention -------------------------------------------------------------------------


def tie_weights(chosen: Any, axis: int = 0) -> Any:
    """How a tangent is shared among the arguments that attain an extreme: evenly among ties.

    dualdiff's one tie convention (JAX's and autograd's): ``chosen`` marks, along ``axis``, the
    arguments equal to the selected value; each gets ``1/count`` of the tangent. ``maximum``,
    ``minimum``, ``fmax``, ``fmin``, ``clip`` and the ``max``/``min`` reductions take their
    weights from here. Where nothing is chosen (a NaN) the weights are NaN.

    >>> tie_weights(np.array([True, True, False]))
    array([0.5, 0.5, 0. ])
    """
    c = chosen + 0.0  # booleans as float64, lazy arrays kept lazy
    with np.errstate(invalid="ignore"):
        return c / np.sum(c, axis=axis, keepdims=True)
