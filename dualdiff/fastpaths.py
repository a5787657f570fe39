"""The operators' float fast paths in Python: used when the compiled core is absent.

Each operator takes one shortcut: a Dual whose value and tangent are Python floats, with a Dual
of floats of the same tag or with a float or int constant. It computes the formula of the
general rule in :mod:`dualdiff.arithmetic` (add, subtract, multiply, divide, power, negative)
with the same operations in the same order, so the same bits, and returns only a finite value with a
finite tangent. Everything else (inf or NaN results, exceptions, other kinds of operands, and
every operation while a ``check_finite`` block is open anywhere) goes to the general rule.
dualdiff/_speedups.c is the same shortcut in C; tests/test_differential.py checks that the two
agree bit for bit, and that both agree with the general rules.
"""

from __future__ import annotations

import math
import sys
from typing import Any

from . import hooks as _hooks
from .arithmetic import add, divide, multiply, negative, power, subtract
from .dual import Dual

_log = math.log
_isfinite = math.isfinite
_floor = math.floor
_MAX = sys.float_info.max
_LN2 = math.log(2.0)
_new = Dual.__new__  # object.__new__ (the compiled core's when tests call these with it)


class PythonArithmetic:
    """The operators' shortcuts, written for CPython's speed: ``x.__class__ is float`` is
    ``type(x) is float`` at two thirds of the cost, and each Dual is built in place (as
    ``dual.make`` builds it) to save a call."""

    # --- sum and difference rules ----------------------------------------------------------
    def __add__(self, o: Any) -> Any:
        v = self._v
        t = self._t
        if v.__class__ is float and t.__class__ is float and not _hooks.active:
            to = type(o)
            if to is Dual:
                tag = o._tag
                if tag is self._tag:
                    ov = o._v
                    ot = o._t
                    if ov.__class__ is float and ot.__class__ is float:
                        v = v + ov
                        t = t + ot
                        if _isfinite(v) and _isfinite(t):
                            d = _new(Dual)
                            d._v = v
                            d._t = t
                            d._tag = tag
                            return d
            elif to is float or to is int:
                try:
                    v = v + o
                except OverflowError:  # an int too large for a float: as the general rule says
                    return add(self, o)
                if _isfinite(v) and _isfinite(t):
                    d = _new(Dual)
                    d._v = v
                    d._t = t
                    d._tag = self._tag
                    return d
        return add(self, o)

    def __radd__(self, o: Any) -> Any:
        v = self._v
        t = self._t
        to = type(o)
        if (to is float or to is int) and v.__class__ is float and t.__class__ is float:
            if not _hooks.active:
                try:
                    v = o + v
                except OverflowError:
                    return add(o, self)
                if _isfinite(v) and _isfinite(t):
                    d = _new(Dual)
                    d._v = v
                    d._t = t
                    d._tag = self._tag
                    return d
        return add(o, self)

    def __sub__(self, o: Any) -> Any:
        v = self._v
        t = self._t
        if v.__class__ is float and t.__class__ is float and not _hooks.active:
            to = type(o)
            if to is Dual:
                tag = o._tag
                if tag is self._tag:
                    ov = o._v
                    ot = o._t
                    if ov.__class__ is float and ot.__class__ is float:
                        v = v - ov
                        t = t - ot
                        if _isfinite(v) and _isfinite(t):
                            d = _new(Dual)
                            d._v = v
                            d._t = t
                            d._tag = tag
                            return d
            elif to is float or to is int:
                try:
                    v = v - o
                except OverflowError:
                    return subtract(self, o)
                if _isfinite(v) and _isfinite(t):
                    d = _new(Dual)
                    d._v = v
                    d._t = t
                    d._tag = self._tag
                    return d
        return subtract(self, o)

    def __rsub__(self, o: Any) -> Any:
        v = self._v
        t = self._t
        to = type(o)
        if (to is float or to is int) and v.__class__ is float and t.__class__ is float:
            if not _hooks.active:
                try:
                    v = o - v
                except OverflowError:
                    return subtract(o, self)
                if _isfinite(v) and _isfinite(t):
                    d = _new(Dual)
                    d._v = v
                    d._t = -t
                    d._tag = self._tag
                    return d
        return subtract(o, self)

    def __neg__(self) -> Any:
        v = self._v
        t = self._t
        if v.__class__ is float and t.__class__ is float and not _hooks.active:
            if _isfinite(v) and _isfinite(t):
                d = _new(Dual)
                d._v = -v
                d._t = -t
                d._tag = self._tag
                return d
        return negative(self)

    # --- product rule ---------------------------------------------------------------------
    def __mul__(self, o: Any) -> Any:
        v = self._v
        t = self._t
        if v.__class__ is float and t.__class__ is float and not _hooks.active:
            to = type(o)
            if to is Dual:
                tag = o._tag
                if tag is self._tag:
                    ov = o._v
                    ot = o._t
                    if ov.__class__ is float and ot.__class__ is float:
                        t = t * ov + v * ot
                        v = v * ov
                        if _isfinite(v) and _isfinite(t):
                            d = _new(Dual)
                            d._v = v
                            d._t = t
                            d._tag = tag
                            return d
            elif to is float or to is int:
                try:
                    t = t * o
                except OverflowError:
                    return multiply(self, o)
                v = v * o
                if _isfinite(v) and _isfinite(t):
                    d = _new(Dual)
                    d._v = v
                    d._t = t
                    d._tag = self._tag
                    return d
        return multiply(self, o)

    def __rmul__(self, o: Any) -> Any:
        v = self._v
        t = self._t
        to = type(o)
        if (to is float or to is int) and v.__class__ is float and t.__class__ is float:
            if not _hooks.active:
                try:
                    t = o * t
                except OverflowError:
                    return multiply(o, self)
                v = o * v
                if _isfinite(v) and _isfinite(t):
                    d = _new(Dual)
                    d._v = v
                    d._t = t
                    d._tag = self._tag
                    return d
        return multiply(o, self)

    # --- quotient rule --------------------------------------------------------------------
    def __truediv__(self, o: Any) -> Any:
        v = self._v
        t = self._t
        if v.__class__ is float and t.__class__ is float and not _hooks.active:
            to = type(o)
            if to is Dual:
                tag = o._tag
                if tag is self._tag:
                    ov = o._v
                    ot = o._t
                    if ov.__class__ is float and ot.__class__ is float and ov != 0.0:
                        v = v / ov
                        t = (t - v * ot) / ov
                        if _isfinite(v) and _isfinite(t):
                            d = _new(Dual)
                            d._v = v
                            d._t = t
                            d._tag = tag
                            return d
            elif (to is float or to is int) and o != 0:
                try:
                    v = v / o
                except OverflowError:
                    return divide(self, o)
                t = t / o
                if _isfinite(v) and _isfinite(t):
                    d = _new(Dual)
                    d._v = v
                    d._t = t
                    d._tag = self._tag
                    return d
        return divide(self, o)  # zero divisors too: the DomainError is raised there

    def __rtruediv__(self, o: Any) -> Any:
        v = self._v
        t = self._t
        to = type(o)
        if (to is float or to is int) and v.__class__ is float and t.__class__ is float:
            if v != 0.0 and not _hooks.active:
                try:
                    y = o / v
                except OverflowError:
                    return divide(o, self)
                t = -(y * t) / v
                if _isfinite(y) and _isfinite(t):
                    d = _new(Dual)
                    d._v = y
                    d._t = t
                    d._tag = self._tag
                    return d
        return divide(o, self)

    # --- power rule: x**n (n constant) and a**x (a > 0 constant) ---------------------------
    def __pow__(self, o: Any, mod: Any = None) -> Any:
        if mod is not None:
            raise TypeError("pow() with a modulus is not defined for Dual")
        x = self._v
        xt = self._t
        to = type(o)
        if (to is int or to is float) and x.__class__ is float and xt.__class__ is float:
            if not _hooks.active:
                try:
                    if o == 2:  # dual._pow_value and _pow_slope: x*x and 2x
                        y = x * x
                        t = 2 * x * xt
                    elif (x == 0 and o < 1 and o != 0) or (x < 0 and o != _floor(o)):
                        return power(self, o)  # DomainErrors, infinite slopes: the general rule
                    else:
                        y = x**o
                        t = (0.0 if o == 0 else o * x ** (o - 1)) * xt
                except (OverflowError, ValueError):  # overflow, huge ints, inf or NaN exponents
                    return power(self, o)
                if _isfinite(y) and _isfinite(t):
                    d = _new(Dual)
                    d._v = y
                    d._t = t
                    d._tag = self._tag
                    return d
        return power(self, o)

    def __rpow__(self, o: Any) -> Any:
        x = self._v
        xt = self._t
        if type(o) is float and x.__class__ is float and xt.__class__ is float:
            if 0.0 < o <= _MAX and not _hooks.active:
                try:
                    y = o * o if x == 2 else o**x
                except OverflowError:
                    return power(o, self)
                t = 0.0 * xt if xt == 0 else y * (_LN2 if o == 2.0 else _log(o)) * xt
                if _isfinite(y) and _isfinite(t):
                    d = _new(Dual)
                    d._v = y
                    d._t = t
                    d._tag = self._tag
                    return d
        return power(o, self)


OPERATOR_NAMES = (
    "__add__", "__radd__", "__sub__", "__rsub__", "__neg__", "__mul__", "__rmul__",
    "__truediv__", "__rtruediv__", "__pow__", "__rpow__",
)  # fmt: skip


def install(cls: type) -> None:
    """Give ``cls`` (Dual, without the compiled core) the Python operators."""
    for name in OPERATOR_NAMES:
        setattr(cls, name, vars(PythonArithmetic)[name])
