"""The ndarray methods of a Dual: ``x.sum()``, ``x.reshape(...)``, ``x.T`` and the rest.

Each method is the NumPy function of the same name, which dispatches back to dualdiff's rule for
it, so a method and its function can never disagree. :class:`~dualdiff.Dual` inherits these.

>>> import numpy as np, dualdiff as dd
>>> x = dd.Dual(np.array([[1.0, 2.0], [3.0, 4.0]]), np.ones((2, 2)))
>>> x.sum(axis=0).tangent, x.reshape(4).shape, float(x.T.value[0, 1])
(array([2., 2.]), (4,), 3.0)
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["NdarrayMethods"]


class NdarrayMethods:
    """ndarray's methods, for a class whose NumPy functions are dispatched by
    ``__array_function__`` (dualdiff's Dual)."""

    __slots__ = ()
    shape: tuple[int, ...]
    ndim: int

    # --- shape ------------------------------------------------------------------------------
    def reshape(self, *shape: Any, order: str = "C") -> Any:
        """``np.reshape``: ``x.reshape(2, 3)`` or ``x.reshape((2, 3))``."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return np.reshape(self, shape, order=order)

    def ravel(self, order: str = "C") -> Any:
        return np.ravel(self, order=order)

    def flatten(self, order: str = "C") -> Any:
        """A flat copy, as ``ndarray.flatten``."""
        return np.copy(np.ravel(self, order=order))

    def squeeze(self, axis: Any = None) -> Any:
        return np.squeeze(self, axis=axis)

    def transpose(self, *axes: Any) -> Any:
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
            axes = axes[0]
        return np.transpose(self, axes or None)

    def swapaxes(self, axis1: int, axis2: int) -> Any:
        return np.swapaxes(self, axis1, axis2)

    @property
    def T(self) -> Any:
        return np.transpose(self)

    @property
    def mT(self) -> Any:
        return np.swapaxes(self, -1, -2)

    # --- reductions and scans ----------------------------------------------------------------
    def sum(self, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
            **kw: Any) -> Any:  # fmt: skip
        """``np.sum`` (``initial=`` too)."""
        return np.sum(self, axis=axis, dtype=dtype, out=out, keepdims=keepdims, **kw)

    def mean(self, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False):
        return np.mean(self, axis=axis, dtype=dtype, out=out, keepdims=keepdims)

    def prod(self, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
             **kw: Any) -> Any:  # fmt: skip
        """``np.prod`` (``initial=`` and ``where=`` too)."""
        return np.prod(self, axis=axis, dtype=dtype, out=out, keepdims=keepdims, **kw)

    def max(self, axis: Any = None, out: Any = None, keepdims: bool = False) -> Any:
        return np.max(self, axis=axis, out=out, keepdims=keepdims)

    def min(self, axis: Any = None, out: Any = None, keepdims: bool = False) -> Any:
        return np.min(self, axis=axis, out=out, keepdims=keepdims)

    def var(self, axis: Any = None, dtype: Any = None, out: Any = None, ddof: float = 0,
            keepdims: bool = False) -> Any:  # fmt: skip
        return np.var(self, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims)

    def std(self, axis: Any = None, dtype: Any = None, out: Any = None, ddof: float = 0,
            keepdims: bool = False) -> Any:  # fmt: skip
        return np.std(self, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims)

    def cumsum(self, axis: Any = None, dtype: Any = None, out: Any = None) -> Any:
        return np.cumsum(self, axis=axis, dtype=dtype, out=out)

    def cumprod(self, axis: Any = None, dtype: Any = None, out: Any = None) -> Any:
        return np.cumprod(self, axis=axis, dtype=dtype, out=out)

    def argmax(self, axis: Any = None, **kw: Any) -> Any:
        return np.argmax(self, axis=axis, **kw)

    def argmin(self, axis: Any = None, **kw: Any) -> Any:
        return np.argmin(self, axis=axis, **kw)

    def argsort(self, axis: int = -1, **kw: Any) -> Any:
        return np.argsort(self, axis=axis, **kw)

    def take(self, indices: Any, axis: Any = None, out: Any = None, mode: Any = "raise") -> Any:
        """``np.take``: entries by index; ``mode`` "raise", "wrap" or "clip" as NumPy's."""
        return np.take(self, indices, axis=axis, out=out, mode=mode)

    # --- elementwise and products ----------------------------------------------------------
    def clip(self, min: Any = None, max: Any = None, **kw: Any) -> Any:
        return np.clip(self, min, max, **kw)

    def dot(self, b: Any) -> Any:
        return np.dot(self, b)

    def trace(self, offset: int = 0, axis1: int = 0, axis2: int = 1, **kw: Any) -> Any:
        return np.trace(self, offset, axis1, axis2, **kw)

    def diagonal(self, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
        return np.diagonal(self, offset, axis1, axis2)

    def conj(self) -> Any:
        """The complex conjugate (of value and tangent); a real Dual is its own conjugate."""
        return np.conjugate(self)

    conjugate = conj

    @property
    def real(self) -> Any:
        """The real part, as ``np.real``: its tangent is the real part of the tangent."""
        return np.real(self)

    @property
    def imag(self) -> Any:
        """The imaginary part, as ``np.imag``: its tangent is the imaginary part of the tangent."""
        return np.imag(self)

    # --- copies and conversions -------------------------------------------------------------
    def copy(self, order: str = "K") -> Any:
        return np.copy(self)

    def astype(self, dtype: Any, copy: bool = True, **kw: Any) -> Any:
        """To another float kind (values and tangents alike); other kinds would drop the
        tangent and are refused."""
        kind = np.dtype(dtype)
        if kind.kind not in "fc":
            raise TypeError(
                f"astype({kind}) of a Dual would drop its tangent: only float and complex kinds "
                "are allowed; use .value.astype(...) for the numbers"
            )
        if kind.kind == "f" and np.dtype(self.dtype).kind == "c":
            raise TypeError(
                f"astype({kind}) of a complex Dual would drop its imaginary part: take .real "
                "(or abs(z)) for a real Dual"
            )
        return type(self)._cast(self, kind)

    def item(self, *args: Any) -> Any:
        raise TypeError(
            "item() of a Dual would drop its tangent: index it (x[i]) for a Dual entry, "
            "or use .value.item() for the number"
        )

    def tolist(self) -> Any:
        raise TypeError(
            "tolist() of a Dual would drop its tangent: use list(x) for a list of Duals, "
            "or .value.tolist() for the numbers"
        )

    # --- the operators NumPy maps to ufuncs: %, //, divmod, round, floor, ceil, trunc --------
    def __mod__(self, o: Any) -> Any:
        return np.remainder(self, o)

    def __rmod__(self, o: Any) -> Any:
        return np.remainder(o, self)

    def __floordiv__(self, o: Any) -> Any:
        return np.floor_divide(self, o)

    def __rfloordiv__(self, o: Any) -> Any:
        return np.floor_divide(o, self)

    def __divmod__(self, o: Any) -> Any:
        return np.floor_divide(self, o), np.remainder(self, o)

    def __rdivmod__(self, o: Any) -> Any:
        return np.floor_divide(o, self), np.remainder(o, self)

    def __floor__(self) -> Any:
        return np.floor(self)

    def __ceil__(self) -> Any:
        return np.ceil(self)

    def __trunc__(self) -> Any:
        return np.trunc(self)

    def __round__(self, ndigits: int | None = None) -> Any:
        """round(x) and round(x, n): a Dual with slope 0 (rounding is piecewise constant)."""
        return np.round(self, 0 if ndigits is None else ndigits)

    def round(self, decimals: int = 0, out: Any = None) -> Any:
        return np.round(self, decimals, out=out)

    def __contains__(self, item: Any) -> bool:
        """``v in x`` compares values, as for an ndarray."""
        return bool(np.any(self == item))
