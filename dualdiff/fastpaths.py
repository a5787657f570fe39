"""The operators' fast paths in Python, for floats: used when the compiled core is absent.

dualdiff/_speedups.c mirrors these paths; every case they do not take goes to the general rules
in :mod:`dualdiff.dual` (add, subtract, multiply, divide, power), which are the reference.
"""

from __future__ import annotations

import math
from typing import Any

from .dual import (
    Dual,
    _mk,
    _zero_division,
    add,
    divide,
    multiply,
    power,
    subtract,
)

_LN2 = math.log(2.0)


class PythonArithmetic:
    """The operators' fast paths in Python: used when the compiled core is absent, and the
    reference that dualdiff/_speedups.c mirrors (everything else goes to add, multiply, ...)."""

    # --- sum and difference rules ----------------------------------------------------------
    def __add__(self, o: Any) -> Any:
        to = type(o)
        if to is Dual and o._tag is self._tag:
            return _mk(self._v + o._v, self._t + o._t, self._tag)
        if to is float or to is int:
            return _mk(self._v + o, self._t, self._tag)
        return add(self, o)

    def __radd__(self, o: Any) -> Any:
        to = type(o)
        if to is float or to is int:
            return _mk(o + self._v, self._t, self._tag)
        return add(o, self)

    def __sub__(self, o: Any) -> Any:
        to = type(o)
        if to is Dual and o._tag is self._tag:
            return _mk(self._v - o._v, self._t - o._t, self._tag)
        if to is float or to is int:
            return _mk(self._v - o, self._t, self._tag)
        return subtract(self, o)

    def __rsub__(self, o: Any) -> Any:
        to = type(o)
        if to is float or to is int:
            return _mk(o - self._v, -self._t, self._tag)
        return subtract(o, self)

    def __neg__(self) -> Dual:
        return _mk(-self._v, -self._t, self._tag)

    # --- product rule ---------------------------------------------------------------------
    def __mul__(self, o: Any) -> Any:
        to = type(o)
        if to is Dual and o._tag is self._tag:
            v = self._v
            ov = o._v
            t = self._t * ov + v * o._t
            if type(t) is not float or t == t:  # a float NaN: multiply() applies 0·inf = 0
                return _mk(v * ov, t, self._tag)
        elif to is float or to is int:
            t = self._t * o
            if type(t) is not float or t == t:
                return _mk(self._v * o, t, self._tag)
        return multiply(self, o)

    def __rmul__(self, o: Any) -> Any:
        to = type(o)
        if to is float or to is int:
            t = o * self._t
            if type(t) is not float or t == t:
                return _mk(o * self._v, t, self._tag)
        return multiply(o, self)

    # --- quotient rule --------------------------------------------------------------------
    def __truediv__(self, o: Any) -> Any:
        to = type(o)
        if to is Dual and o._tag is self._tag:
            ov = o._v
            try:
                v = self._v / ov
                return _mk(v, (self._t - v * o._t) / ov, self._tag)
            except ZeroDivisionError:
                raise _zero_division(ov) from None
        if to is float or to is int:
            try:
                return _mk(self._v / o, self._t / o, self._tag)
            except ZeroDivisionError:
                raise _zero_division(o) from None
        return divide(self, o)

    def __rtruediv__(self, o: Any) -> Any:
        to = type(o)
        if to is float or to is int:
            v = self._v
            try:
                y = o / v
                return _mk(y, -(y * self._t) / v, self._tag)
            except ZeroDivisionError:
                raise _zero_division(v) from None
        return divide(o, self)

    # --- power rule -----------------------------------------------------------------------
    def __pow__(self, o: Any, mod: Any = None) -> Any:
        if mod is not None:
            raise TypeError("pow() with a modulus is not defined for Dual")
        if type(o) is int:
            v = self._v
            if type(v) is float:
                if o == 0:
                    return _mk(1.0, 0.0 * self._t, self._tag)
                try:
                    t = (2.0 * v if o == 2 else o * v ** (o - 1)) * self._t
                    if t == t:  # NaN (0·inf) goes to the guarded general path
                        return _mk(v * v if o == 2 else v**o, t, self._tag)
                except ZeroDivisionError:
                    pass  # 0.0 to a negative power: the general path raises a DomainError
        return power(self, o)

    def __rpow__(self, o: Any) -> Any:
        if type(o) is float and type(self._v) is float and o > 0.0:
            y = o**self._v
            return _mk(y, y * (_LN2 if o == 2.0 else math.log(o)) * self._t, self._tag)
        return power(o, self)


OPERATOR_NAMES = (
    "__add__", "__radd__", "__sub__", "__rsub__", "__neg__", "__mul__", "__rmul__",
    "__truediv__", "__rtruediv__", "__pow__", "__rpow__",
)  # fmt: skip


def install(cls: type) -> None:
    """Give ``cls`` (Dual, without the compiled core) the Python operators."""
    for name in OPERATOR_NAMES:
        setattr(cls, name, vars(PythonArithmetic)[name])
