"""What kind of number a value is, decided in one place: Dual, vector-mode tangent, mpf (or an
object array of them), lazy array (dask), NumPy array or scalar.

Every module asks these questions here rather than re-deriving them. This module imports nothing
from dualdiff: dualdiff.dual hands it the Dual class (:func:`set_dual_class`).

>>> import mpmath
>>> is_mpf(mpmath.mpf(1)), is_mpf(1.0), like(0.5, mpmath.mpf(1))
(True, False, mpf('0.5'))
"""

from __future__ import annotations

from typing import Any

import mpmath
import numpy as np

from .directions import Directions

__all__ = [
    "base_value", "is_dual", "is_lazy", "is_mpf", "is_number", "is_scalar", "is_single", "like",
]  # fmt: skip

_MPF = mpmath.mpf
_NDARRAY = np.ndarray


#: the Dual class, once dualdiff.dual has made it (read on every operation: kept in a list)
_DUAL: list[Any] = [None]


def set_dual_class(cls: type) -> None:
    """Called once by dualdiff.dual: lets the questions below be one identity test."""
    _DUAL[0] = cls


def is_dual(x: Any) -> bool:
    """Whether x is a dual number (of any nesting)."""
    return type(x) is _DUAL[0]


def base_value(x: Any) -> Any:
    """The innermost value of a (possibly nested) Dual."""
    dual = _DUAL[0]
    while type(x) is dual:
        x = x._v
    return x


def is_mpf(x: Any) -> bool:
    """Whether ``x`` computes in mpmath: an mpf, an object array (of mpf), or a Dual of them."""
    b = base_value(x)
    if type(b) is Directions:
        b = b.array
    return isinstance(b, _MPF) or (isinstance(b, _NDARRAY) and b.dtype == object)


def like(c: Any, x: Any) -> Any:
    """The constant ``c`` as a number of the kind of ``x`` (mpf at mpf precision, else float)."""
    return _MPF(c) if is_mpf(x) else c


def is_scalar(x: Any) -> bool:
    """A single real number: float, int, bool, mpf or a NumPy scalar (not an array, not a Dual)."""
    tx = type(x)
    return tx is float or tx is int or tx is bool or isinstance(x, (_MPF, np.generic))


def is_number(x: Any) -> bool:
    """One real number computed by Python or mpmath: a float, an int or an mpf (not a bool, a
    NumPy scalar, an array or a Dual). Domain errors and exact-at-zero rules apply to these."""
    tx = type(x)
    return tx is float or tx is int or isinstance(x, _MPF)


def is_single(x: Any) -> bool:
    """A value that is not an array (NumPy's, 0-d included, or a lazy one): a single number."""
    return np.ndim(x) == 0 and not hasattr(x, "__array_function__")


def is_lazy(x: Any) -> bool:
    """A dask array: never computed behind the user's back."""
    return type(x).__module__.startswith("dask.")
