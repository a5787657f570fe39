"""What kind of number a value is, decided in one place: Dual, vector-mode tangent, mpf (or an
object array of them), lazy array (dask), NumPy array or scalar, real or complex.

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
    "base_value", "is_complex", "is_dual", "is_lazy", "is_mpf", "is_number", "is_scalar",
    "is_single", "like",
]  # fmt: skip

_MPF = mpmath.mpf
_MPC = mpmath.mpc
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
    """Whether ``x`` computes in mpmath: an mpf or mpc, an object array (of them), or a Dual of
    them."""
    b = base_value(x)
    if type(b) is Directions:
        b = b.array
    return isinstance(b, (_MPF, _MPC)) or (isinstance(b, _NDARRAY) and b.dtype == object)


def is_complex(x: Any) -> bool:
    """Whether ``x`` (its innermost value, for a Dual) holds complex numbers: a Python complex, a
    NumPy complex scalar or array (dask's too), an mpc, or an object array holding an mpc.

    >>> is_complex(1j), is_complex(np.zeros(2, np.complex64)), is_complex(mpmath.mpc(1))
    (True, True, True)
    >>> is_complex(1.0), is_complex(np.zeros(2))
    (False, False)
    """
    b = base_value(x)
    tb = type(b)
    if tb is float:
        return False
    if tb is complex or tb is _MPC:
        return True
    if tb is Directions:
        b = b.array
    dtype = getattr(b, "dtype", None)
    if dtype is None:
        return isinstance(b, (complex, _MPC))
    if dtype.kind == "c":
        return True
    if isinstance(b, _NDARRAY) and dtype.kind == "O":
        return any(type(e) is _MPC or type(e) is complex for e in b.flat)
    return False


def like(c: Any, x: Any) -> Any:
    """The constant ``c`` as a number of the kind of ``x`` (mpf at mpf precision, else float)."""
    return _MPF(c) if is_mpf(x) else c


def is_scalar(x: Any) -> bool:
    """A single number: float, int, bool, complex, mpf, mpc or a NumPy scalar (not an array, not
    a Dual)."""
    tx = type(x)
    return (
        tx is float or tx is int or tx is bool or tx is complex
        or isinstance(x, (_MPF, _MPC, np.generic))
    )  # fmt: skip


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
