"""``check_finite``: find the first operation that turns finite numbers into inf or NaN."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator
from typing import Any

import mpmath
import numpy as np

from . import rules
from .directions import Directions
from .dual import Dual, fmt
from .errors import NonFiniteError

__all__ = ["all_finite", "check_finite", "check_result"]

_OPERATORS = {
    "__add__": "add", "__radd__": "add", "__sub__": "subtract", "__rsub__": "subtract",
    "__mul__": "multiply", "__rmul__": "multiply", "__truediv__": "divide",
    "__rtruediv__": "divide", "__pow__": "power", "__rpow__": "power", "__neg__": "negative",
}  # fmt: skip
_depth = 0


def all_finite(xs: Any) -> bool:
    """Whether every number in ``xs`` (values and tangents of Duals included) is finite."""
    for x in xs:
        if isinstance(x, Dual):
            if not all_finite((x._v, x._t)):
                return False
        elif type(x) is Directions:
            if not np.isfinite(x.array).all():
                return False
        elif isinstance(x, mpmath.mpf):
            if not mpmath.isfinite(x):
                return False
        elif isinstance(x, (float, int)):
            if not math.isfinite(x):
                return False
        elif isinstance(x, (np.ndarray, np.generic)) and x.dtype.kind in "fc":
            if not np.isfinite(x).all():
                return False
    return True


def check_result(name: str, args: tuple[Any, ...], r: Any) -> Any:
    """``r``, unless finite ``args`` gave a Dual ``r`` with a non-finite value or tangent."""
    if isinstance(r, Dual) and all_finite(args) and not all_finite((r,)):
        shown = ", ".join(fmt(a) for a in args)
        raise NonFiniteError(
            f"{name}({shown}) gave a non-finite result from finite inputs: "
            f"value = {fmt(r._v)}, tangent = {fmt(r._t)}"
        )
    return r


def _checked(name: str, op: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any) -> Any:
        return check_result(name, args, op(*args))

    return wrapper


@contextlib.contextmanager
def check_finite() -> Iterator[None]:
    """Raise :class:`NonFiniteError` at the first Dual operation that makes inf or NaN.

    Operations whose inputs are already non-finite pass, so the error names the operation
    where the trouble starts. Costs time; meant for debugging.

    >>> import dualdiff as dd
    >>> f = dd.derivative(lambda x: x + 0.0 * dd.sqrt(x))
    >>> f.prime(0.0)                      # the infinite slope meets a zero factor: no NaN
    1.0
    >>> with dd.check_finite():           # doctest: +ELLIPSIS
    ...     f.prime(0.0)
    Traceback (most recent call last):
    dualdiff.errors.NonFiniteError: sqrt(0.0) gave a non-finite result ... tangent = inf
    """
    global _depth
    own = {name: Dual.__dict__.get(name) for name in _OPERATORS}  # Python-level ones, if any
    if _depth == 0:
        for name in _OPERATORS:
            setattr(Dual, name, _checked(_OPERATORS[name], getattr(Dual, name)))
    _depth += 1
    rules._checking = True
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            for name, op in own.items():
                if op is None:
                    delattr(Dual, name)  # back to the compiled slot
                else:
                    setattr(Dual, name, op)
            rules._checking = False
