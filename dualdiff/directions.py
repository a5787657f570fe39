"""Tangents that carry k directions at once (vector mode).

A :class:`Directions` wraps an array whose *first* axis counts directions: a value of shape ``S``
has a tangent of shape ``(k,) + S``. NumPy broadcasting aligns shapes from the right, so a
value-shaped operand lines up with the value axes as it is; an operand with more dimensions than
the value gets axes inserted after the direction axis first, so it never lines up with the
direction axis. NumPy's shape functions (sum, reshape, transpose, concatenate, ...) act on the
value axes only. The leading layout keeps NumPy's inner loops long and contiguous.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_NDARRAY = np.ndarray
_new = object.__new__


def _vaxis(axis: Any, ndim: int) -> Any:
    """Map an axis of the value to the same axis of the direction array."""
    if axis is None:
        return tuple(range(1, ndim + 1))
    if isinstance(axis, tuple):
        return tuple(_vaxis(a, ndim) for a in axis)
    a = int(axis)
    if a < -ndim or a >= ndim:
        raise np.exceptions.AxisError(a, ndim)
    return a % ndim + 1


def padded(a: Any, ndim: int) -> Any:
    """The direction array ``a`` viewed with value ndim ``ndim`` (axes inserted after k)."""
    extra = ndim - (a.ndim - 1)
    if extra <= 0:
        return a
    return a.reshape((a.shape[0],) + (1,) * extra + a.shape[1:])


class Tangent:
    """Base of the tangents that are not arrays: :class:`Directions` (k dense directions) and
    :class:`dualdiff.sparse.pattern.Pattern` (which inputs each entry depends on). A Dual takes
    one as its tangent as it is; it has the value's ``shape``."""

    __slots__ = ()


class Directions(Tangent):
    """A tangent holding k directions: ``array`` has a first axis of k, then the value's shape.

    >>> import numpy as np
    >>> t = Directions(np.eye(2))           # a 2-vector seeded in 2 directions
    >>> (np.array([3.0, 4.0]) * t).array
    array([[3., 0.],
           [0., 4.]])
    """

    __slots__ = ("array",)
    __array_priority__ = 20

    def __init__(self, array: Any) -> None:
        if getattr(array, "ndim", 0) < 1:
            raise ValueError("Directions needs an array with a leading direction axis")
        self.array = array

    # --- shape (of the value the tangent belongs to) -------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.array.shape[1:])

    @property
    def ndim(self) -> int:
        return self.array.ndim - 1

    @property
    def k(self) -> int:
        """Number of directions."""
        return self.array.shape[0]

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tangent")
        return self.array.shape[1]

    def __repr__(self) -> str:
        return f"Directions({self.array!r})"

    def __reduce__(self) -> tuple[Any, tuple[Any]]:
        return Directions, (self.array,)

    def __getitem__(self, idx: Any) -> Directions:
        if not isinstance(idx, tuple):
            idx = (idx,)
        return Directions(self.array[(slice(None), *idx)])

    # --- the module structure: tangent ± tangent, value * tangent ------------------------------
    def _pair(self, other: Directions) -> tuple[Any, Any]:
        a, b = self.array, other.array
        if a.ndim == b.ndim:
            return a, b
        nd = max(a.ndim, b.ndim) - 1
        return padded(a, nd), padded(b, nd)

    def __add__(self, other: Any) -> Any:
        if type(other) is Directions:
            a, b = self._pair(other)
            return _wrap(a + b)
        if _is_zero(other):
            return self
        return NotImplemented

    __radd__ = __add__

    def __sub__(self, other: Any) -> Any:
        if type(other) is Directions:
            a, b = self._pair(other)
            return _wrap(a - b)
        if _is_zero(other):
            return self
        return NotImplemented

    def __rsub__(self, other: Any) -> Any:
        if _is_zero(other):
            return -self
        return NotImplemented

    def __neg__(self) -> Directions:
        return _wrap(-self.array)

    def __pos__(self) -> Directions:
        return self

    def __mul__(self, other: Any) -> Any:
        to = type(other)
        if to is float or to is int:
            return _wrap(self.array * other)
        if to is _NDARRAY:
            a = self.array
            return _wrap((a if other.ndim < a.ndim else padded(a, other.ndim)) * other)
        if to is Directions:
            raise TypeError(
                "two vector-mode tangents met: nested vector mode is not supported; "
                "use chunk=1 for one of the two levels"
            )
        if _is_constant(other):
            return _wrap(padded(self.array, getattr(other, "ndim", 0)) * other)
        return NotImplemented

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Any:
        if _is_constant(other):
            return Directions(padded(self.array, getattr(other, "ndim", 0)) / other)
        return NotImplemented

    # --- NumPy protocols ----------------------------------------------------------------------
    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if any(_is_dual(x) for x in inputs):
            return NotImplemented  # the Dual applies its rule, with this tangent as a constant
        if method == "__call__" and not kwargs:
            if ufunc is np.multiply:
                a, b = inputs
                return a * b if type(a) is Directions else b * a
            if ufunc is np.add:
                a, b = inputs
                return a + b if type(a) is Directions else b + a
            if ufunc is np.subtract:
                a, b = inputs
                return a - b if type(a) is Directions else b.__rsub__(a)
            if ufunc is np.true_divide and type(inputs[0]) is Directions:
                return inputs[0] / inputs[1]
            if ufunc is np.negative:
                return -inputs[0]
            if ufunc is np.matmul:
                return _matmul(*inputs)
        return NotImplemented

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        if any(getattr(t, "_is_dual", False) for t in types):
            return NotImplemented
        impl = _FUNCS.get(func)
        if impl is not None:
            return impl(*args, **kwargs)
        if func in LINEAR:
            return per_direction(func, args, kwargs)
        return NotImplemented


#: functions linear in their array arguments (declared in dualdiff.arrayfuncs): without an
#: axis-mapped version in _FUNCS they apply to each direction in turn
LINEAR: set[Any] = set()


def per_direction(func: Any, args: Any, kwargs: Any) -> Any:
    """``func`` applied to each direction of the Directions among ``args`` (also inside lists),
    results stacked along a new leading axis (lists of results: one Directions per item)."""

    def pick(x: Any, i: int) -> Any:
        if type(x) is Directions:
            return x.array[i]
        if isinstance(x, (list, tuple)):
            return type(x)(pick(e, i) for e in x)
        return x

    k = _first_k(args) or _first_k(tuple(kwargs.values()))
    outs = [func(*pick(args, i), **{n: pick(v, i) for n, v in kwargs.items()}) for i in range(k)]
    if isinstance(outs[0], (list, tuple)):
        return [Directions(np.stack(parts)) for parts in zip(*outs, strict=True)]
    return Directions(np.stack(outs))


def _first_k(xs: Any) -> int:
    for x in xs:
        if type(x) is Directions:
            return x.k
        if isinstance(x, (list, tuple)):
            k = _first_k(x)
            if k:
                return k
    return 0


def _wrap(array: Any) -> Directions:
    """A Directions around an array known to have the direction axis (no checks)."""
    d = _new(Directions)
    d.array = array
    return d


def _is_zero(x: Any) -> bool:
    return (type(x) is float or type(x) is int) and x == 0


def _is_dual(x: Any) -> bool:
    return getattr(type(x), "_is_dual", False)


def _is_constant(x: Any) -> bool:
    """Anything but a Dual (which handles the product itself) or another Directions."""
    return type(x) is not Directions and not _is_dual(x)


def _arr(t: Any, shape: tuple[int, ...], k: int) -> Any:
    """The direction array of a tangent, or zeros for a missing (constant) one."""
    if type(t) is Directions:
        return t.array
    return np.zeros((k, *shape))


def _sum(a: Directions, axis: Any = None, dtype: Any = None, keepdims: bool = False) -> Directions:
    return Directions(np.sum(a.array, axis=_vaxis(axis, a.ndim), dtype=dtype, keepdims=keepdims))


def _mean(a: Directions, axis: Any = None, dtype: Any = None, keepdims: bool = False) -> Directions:
    return Directions(np.mean(a.array, axis=_vaxis(axis, a.ndim), dtype=dtype, keepdims=keepdims))


def _cumsum(a: Directions, axis: Any = None, dtype: Any = None) -> Directions:
    if axis is None:
        return Directions(np.cumsum(a.array.reshape(a.k, -1), axis=1, dtype=dtype))
    return Directions(np.cumsum(a.array, axis=_vaxis(axis, a.ndim), dtype=dtype))


def _diff(a: Directions, n: int = 1, axis: int = -1, prepend: Any = None,
          append: Any = None) -> Directions:  # fmt: skip
    """np.diff of the directions; ``prepend``/``append`` are constants' tangents (zeros): zeros
    of their shape, one slice for a scalar, join the value axis first."""
    arr, ax = a.array, _vaxis(axis, a.ndim)

    def zeros(c: Any) -> Any:
        c, shape = np.asarray(c), list(arr.shape)
        shape[ax] = 1 if c.ndim == 0 else c.shape[ax - 1]
        return np.zeros(shape, dtype=arr.dtype)

    if prepend is not None or append is not None:
        parts = [zeros(prepend)] if prepend is not None else []
        parts += [arr] + ([zeros(append)] if append is not None else [])
        arr = np.concatenate(parts, axis=ax)
    return Directions(np.diff(arr, n=n, axis=ax))


def _reshape(a: Directions, shape: Any, order: str = "C") -> Directions:
    if isinstance(shape, int):
        shape = (shape,)
    return Directions(np.reshape(a.array, (a.k, *tuple(shape)), order=order))


def _ravel(a: Directions, order: str = "C") -> Directions:
    return Directions(np.reshape(a.array, (a.k, -1), order=order))


def _transpose(a: Directions, axes: Any = None) -> Directions:
    nd = a.ndim
    axes = tuple(range(nd, 0, -1)) if axes is None else _vaxis(tuple(axes), nd)
    return Directions(np.transpose(a.array, (0, *axes)))


def _moveaxis(a: Directions, source: Any, destination: Any) -> Directions:
    nd = a.ndim
    return Directions(np.moveaxis(a.array, _vaxis(source, nd), _vaxis(destination, nd)))


def _swapaxes(a: Directions, axis1: int, axis2: int) -> Directions:
    nd = a.ndim
    return Directions(np.swapaxes(a.array, _vaxis(axis1, nd), _vaxis(axis2, nd)))


def _squeeze(a: Directions, axis: Any = None) -> Directions:
    if axis is None:
        axis = tuple(i for i, n in enumerate(a.shape) if n == 1)
    return Directions(np.squeeze(a.array, axis=_vaxis(axis, a.ndim)))


def _expand_dims(a: Directions, axis: Any) -> Directions:
    axes = axis if isinstance(axis, tuple) else (axis,)
    nd = a.ndim + len(axes)
    return Directions(np.expand_dims(a.array, _vaxis(tuple(axes), nd)))


def _broadcast_to(a: Directions, shape: Any) -> Directions:
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    return Directions(np.broadcast_to(padded(a.array, len(shape)), (a.k, *shape)))


def _concatenate(arrays: Any, axis: int | None = 0) -> Directions:
    arrays = list(arrays)
    if axis is None:
        return Directions(np.concatenate([x.array.reshape(x.k, -1) for x in arrays], axis=1))
    nd = arrays[0].ndim
    return Directions(np.concatenate([x.array for x in arrays], axis=_vaxis(axis, nd)))


def _where(cond: Any, a: Any, b: Any) -> Directions:
    k = a.k if type(a) is Directions else b.k
    shape = np.broadcast_shapes(np.shape(cond), shape_of(a), shape_of(b))
    nd = len(shape)
    return Directions(np.where(cond, padded(_arr(a, shape, k), nd), padded(_arr(b, shape, k), nd)))


def shape_of(t: Any) -> tuple[int, ...]:
    return t.shape if type(t) is Directions else np.shape(t)


def _matmul(a: Any, b: Any) -> Directions:
    """``a @ b`` where exactly one side is a Directions (the other a constant array). The
    direction axis stays a batch axis of its own: a vector side becomes a one-row (one-column)
    matrix, and both sides get the other's batch axes after it, so that it never meets the
    constant's batch axes (a stack of matrices) or its rows."""
    if type(a) is Directions:
        c, nd = np.asarray(b), a.ndim
        if nd == 0 or c.ndim == 0:
            raise ValueError("matmul: input operand does not have enough dimensions")
        if nd == 1:  # (k, n) as (k, 1..., 1, n): a row vector per direction
            arr = a.array.reshape((a.k,) + (1,) * max(c.ndim - 2, 0) + (1, a.shape[0]))
            r = np.matmul(arr, c)
            return Directions(r[..., 0, :] if c.ndim >= 2 else r[..., 0])
        return Directions(np.matmul(padded(a.array, max(nd, c.ndim)), c))
    c, nd = np.asarray(a), b.ndim
    if c.ndim == 0 or nd == 0:
        raise ValueError("matmul: input operand does not have enough dimensions")
    if nd == 1:  # (k, n) as (k, 1..., n, 1): a column vector per direction
        arr = b.array.reshape((b.k,) + (1,) * max(c.ndim - 2, 0) + (b.shape[0], 1))
        return Directions(np.matmul(c, arr)[..., 0])
    return Directions(np.matmul(c, padded(b.array, max(nd, c.ndim))))


def _take_along_axis(a: Directions, indices: Any, axis: int) -> Directions:
    return Directions(np.take_along_axis(a.array, indices[None], axis=_vaxis(axis, a.ndim)))


def _take(a: Directions, indices: Any, axis: int | None = None, out: Any = None,
          mode: Any = "raise") -> Directions:  # fmt: skip
    """np.take along a value axis (``axis`` None: of the flattened value), every direction by
    the same indices: the direction array has that axis with the same length, so NumPy's
    ``mode`` ("raise", "wrap", "clip") picks the same entries as for the value."""
    if out is not None:
        raise TypeError("numpy.take on Duals does not support out")
    if axis is None:
        return Directions(np.take(a.array.reshape(a.k, -1), indices, axis=1, mode=mode))
    return Directions(np.take(a.array, indices, axis=_vaxis(axis, a.ndim), mode=mode))


def _trace(a: Directions, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Directions:
    nd = a.ndim
    return Directions(np.trace(a.array, offset, _vaxis(axis1, nd), _vaxis(axis2, nd)))


def _diagonal(a: Directions, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Directions:
    nd = a.ndim
    return Directions(np.diagonal(a.array, offset, _vaxis(axis1, nd), _vaxis(axis2, nd)))


def _tril(a: Directions, k: int = 0) -> Directions:  # the last two axes: k is a batch axis
    return Directions(np.tril(a.array, k))


def _triu(a: Directions, k: int = 0) -> Directions:
    return Directions(np.triu(a.array, k))


def _solve(a: Any, b: Directions) -> Directions:
    """solve(a, b) for a constant matrix a and a vector-mode right-hand side."""
    if b.ndim == 1:  # one vector per direction: solve for all k at once as columns
        return Directions(np.moveaxis(np.linalg.solve(a, b.array.T), -1, 0))
    return Directions(np.linalg.solve(a, b.array))


def _shape_fn(a: Directions) -> tuple[int, ...]:
    return a.shape


def _ndim_fn(a: Directions) -> int:
    return a.ndim


_FUNCS = {
    np.sum: _sum,
    np.mean: _mean,
    np.cumsum: _cumsum,
    np.diff: _diff,
    np.reshape: _reshape,
    np.ravel: _ravel,
    np.transpose: _transpose,
    np.moveaxis: _moveaxis,
    np.swapaxes: _swapaxes,
    np.squeeze: _squeeze,
    np.expand_dims: _expand_dims,
    np.broadcast_to: _broadcast_to,
    np.concatenate: _concatenate,
    np.where: _where,
    np.take_along_axis: _take_along_axis,
    np.take: _take,
    np.trace: _trace,
    np.diagonal: _diagonal,
    np.tril: _tril,
    np.triu: _triu,
    np.linalg.solve: _solve,
    np.shape: _shape_fn,
    np.ndim: _ndim_fn,
}
