"""Item assignment into Duals: ``out = np.zeros_like(x); out[0] = ...``.

The value part gets the item's value and the tangent part its tangent (zero for a constant). A
Dual of a newer differentiation makes the array a constant inside it first; a Dual of an older
one goes into the value. Arrays that belong to one Dual alone are written in place; a shared
tangent is copied on the first write, and a write into a view of another Dual is refused.

>>> import numpy as np, dualdiff as dd
>>> out = np.zeros_like(dd.Dual(np.zeros(2), np.zeros(2)))
>>> out[1] = dd.Dual(3.0, 1.0)
>>> out.tangent
array([0., 1.])
"""

from __future__ import annotations

import weakref
from typing import Any

import mpmath
import numpy as np

from .directions import Directions, Tangent
from .dual import ASSIGN, Dual, make, shape_of
from .kinds import is_mpf

__all__ = ["assign", "copies", "own", "zeros_in_layout"]

_MPF = mpmath.mpf
_NDARRAY = np.ndarray


#: arrays that belong to one Dual alone (made by zeros_like, copy, ... or copied on a first
#: write), by id; an entry goes when its array does
_OWNED: weakref.WeakValueDictionary[int, Any] = weakref.WeakValueDictionary()


def _owned(a: Any) -> bool:
    return _OWNED.get(id(a)) is a


def own(d: Dual) -> Dual:
    """Record that ``d``'s arrays (at every level) belong to it alone, so writes go in place."""
    x: Any = d
    while isinstance(x, Dual):
        for part in (x._v, x._t):
            a = part.array if type(part) is Directions else part
            if type(a) is _NDARRAY:
                _OWNED[id(a)] = a
        x = x._v
    return d


def zeros_in_layout(shape: tuple[int, ...], like: Any) -> Any:
    """A zero tangent for a value of ``shape``, in the layout (and number kind) of ``like``."""
    if isinstance(like, Dual):
        return make(zeros_in_layout(shape, like._v), zeros_in_layout(shape, like._t), like._tag)
    if type(like) is Directions:
        return Directions(_zeros((like.k, *shape), like.array))
    if isinstance(like, Tangent):  # another tangent kind (a sparsity pattern) makes its own
        return like.zeros(shape)
    return _zeros(shape, like)


def _zeros(shape: tuple[int, ...], like: Any) -> Any:
    """Zeros of ``shape``: mpf zeros in an object array where ``like`` holds mpf numbers."""
    if is_mpf(like):
        return np.full(shape, _MPF(0), dtype=object)
    return np.zeros(shape)


def _writable_tangent(d: Dual) -> Any:
    t = d._t
    if isinstance(t, Tangent) and type(t) is not Directions:
        return t  # immutable: an assignment makes a new one
    a = t.array if type(t) is Directions else t
    if type(a) is _NDARRAY and _owned(a) and a.flags.writeable:
        return t
    if isinstance(t, Dual):
        t = own(make(*copies(t), t._tag))
    else:  # shared with other Duals (or read-only): copy before the first write
        a = np.array(a)
        _OWNED[id(a)] = a
        t = Directions(a) if type(t) is Directions else a
    d._t = t
    return t


def copies(d: Dual) -> tuple[Any, Any]:
    """Fresh copies of ``d``'s value and tangent, at every level of nesting."""
    return _copy_part(d._v), _copy_part(d._t)


def _copy_part(x: Any) -> Any:
    if isinstance(x, Dual):
        return make(*copies(x), x._tag)
    if type(x) is Directions:
        return Directions(np.array(x.array))
    return np.array(x) if isinstance(x, _NDARRAY) else x  # other Tangents are immutable


def assign(d: Dual, idx: Any, item: Any) -> None:
    """``d[idx] = item`` in place: the value part gets item's value, the tangent part its
    tangent (zero for a constant). A Dual of a newer differentiation makes ``d`` a constant
    inside it first; a Dual of an older one goes into ``d``'s value."""
    if not shape_of(d._v):
        raise TypeError("a Dual with a scalar value does not support item assignment")
    if isinstance(item, (list, tuple)):
        item = np.stack(item) if any(isinstance(e, Dual) for e in item) else np.asarray(item)
    itag = item._tag if isinstance(item, Dual) else -1
    if itag > d._tag:  # promote d in place: its old self becomes the value
        inner = make(d._v, d._t, d._tag)
        d._v, d._t, d._tag = inner, zeros_in_layout(d.shape, item._t), itag
        own(d)
    if isinstance(item, Dual) and item._tag == d._tag:
        iv, it = item._v, item._t
    else:
        iv, it = item, None
    v = d._v
    if type(v) is _NDARRAY and v.base is not None and not _owned(v):
        raise TypeError(
            "cannot assign into a view of a Dual array: the original's derivative would "
            "not see the write; assign into the original array, or copy the view first"
        )
    d._v = _put(v, idx, iv)
    d._t = _put(_writable_tangent(d), idx, 0.0 if it is None else it)


def _put(c: Any, idx: Any, item: Any) -> Any:
    """Write ``item`` into the container ``c`` (array, Directions or Dual) at ``idx``; returns
    the container, made a Dual first if ``item`` is one and ``c`` is not."""
    if isinstance(c, Dual):
        assign(c, idx, item)
        return c
    if isinstance(item, Dual):
        c = own(make(c, zeros_in_layout(shape_of(c), item._t), item._tag))
        assign(c, idx, item)
        return c
    if isinstance(item, Tangent) and not isinstance(c, Tangent):  # c holds a zero tangent
        c = item.zeros(np.shape(c)) if type(item) is not Directions else c
    if isinstance(c, Tangent) and type(c) is not Directions:
        return c.assigned(idx, item)
    if type(c) is Directions:
        key = idx if isinstance(idx, tuple) else (idx,)
        if type(item) is Directions:
            item = item.array
        elif np.any(item != 0):
            raise TypeError("a vector-mode tangent cannot take a tangent without directions")
        if c.array.dtype != object and is_mpf(item):
            c = Directions(c.array.astype(object))  # mpf entries are not rounded to floats
        c.array[(slice(None), *key)] = item
        return c
    if c.dtype != object and is_mpf(item):
        c = c.astype(object)
    c[idx] = item
    return c


ASSIGN.append(assign)
