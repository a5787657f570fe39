"""The arithmetic rules: the sum, difference, product, quotient and power rules, stated once.

Each operator is a function of two operands at their outer level (``_levels``): the value, then
the tangent by the rule, every product through the NaN policy (:mod:`dualdiff.conventions`).
The compiled core (``_speedups.c``) and :mod:`dualdiff.fastpaths` take float-only shortcuts to
exactly these formulas; everything else comes here. Written by hand where the textbook form
loses accuracy or exactness, with the reason beside it, as ForwardDiff.jl's are.

>>> from dualdiff.dual import Dual
>>> multiply(Dual(3.0, 1.0), Dual(2.0, 1.0))        # (ab)' = a'b + ab'
Dual(6.0, 5.0)
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np

from . import hooks as _hooks
from . import table
from .conventions import lincomb, scale
from .dual import Dual, fit, fmt, is_constant, make, parts, speedups, top_tag
from .errors import DomainError, ZeroDivisionDomainError
from .kinds import base_value, is_complex, is_mpf, is_number, like

__all__ = [
    "OPERATORS", "Operator", "add", "divide", "multiply", "negative", "pow_value", "power",
    "subtract",
]  # fmt: skip

_MPF = mpmath.mpf
_INF = math.inf


def _zero_division(y: Any) -> ZeroDivisionDomainError:
    return ZeroDivisionDomainError(f"division x / y needs y != 0, got y = {fmt(y)}")


def _operand_tag(a: Any, b: Any) -> int:
    """The outer tag of a binary operation, or -1 if an operand is of an unsupported type."""
    if not (is_constant(a) and is_constant(b)):
        return -1
    return top_tag(a, b)


def _operands(a: Any, b: Any) -> tuple[Any, Any]:
    """Lists and tuples beside a Dual are constant arrays, as beside an ndarray (float64, or
    complex128 where they hold a complex number)."""
    if isinstance(a, (list, tuple)):
        a = _constant_array(a)
    if isinstance(b, (list, tuple)):
        b = _constant_array(b)
    return a, b


def _constant_array(x: Any) -> Any:
    try:
        return np.asarray(x, dtype=np.float64)
    except TypeError:  # a complex entry
        return np.asarray(x, dtype=np.complex128)


def _done(name: str, args: tuple[Any, ...], r: Dual) -> Dual:
    """The result of an operator, checked when a check_finite block is open in this context."""
    return _hooks.after(name, args, r) if _hooks.active else r


def _levels(a: Any, b: Any) -> tuple[int, Any, Any, Any, Any] | None:
    """``(tag, a's value, a's tangent, b's value, b's tangent)`` at the outer level of ``a op b``
    (a constant's tangent is None), or None where an operand is of an unsupported kind."""
    ta, tb = type(a), type(b)
    if ta is Dual:
        if tb is Dual:
            if a._tag == b._tag:
                return a._tag, a._v, a._t, b._v, b._t
            if a._tag > b._tag:
                return a._tag, a._v, a._t, b, None
            return b._tag, a, None, b._v, b._t
        if tb is float or tb is int:
            return a._tag, a._v, a._t, b, None
    elif tb is Dual and (ta is float or ta is int):
        return b._tag, a, None, b._v, b._t
    a, b = _operands(a, b)
    tag = _operand_tag(a, b)
    if tag < 0:
        return None
    av, at = parts(a, tag)
    bv, bt = parts(b, tag)
    return tag, av, at, bv, bt


def _spread(t: Any, constant: Any, v: Any) -> Any:
    """A tangent beside a constant: broadcast to the value where the constant is larger."""
    tc = type(constant)
    return t if tc is float or tc is int else fit(t, v)


class _Unit:
    """A slope of +1 or -1: applied by adding or subtracting the tangent, with no product."""

    def __init__(self, sign: int) -> None:
        self.sign = sign

    def __repr__(self) -> str:
        return "ONE" if self.sign > 0 else "MINUS_ONE"


ONE, MINUS_ONE = _Unit(1), _Unit(-1)


@dataclass(frozen=True)
class Operator:
    """A row for an arithmetic operator: its value, and its partial slopes ``(∂/∂a, ∂/∂b)``
    from ``(a, b, y)``, written as DiffRules.jl writes them."""

    name: str
    value: Callable[[Any, Any], Any]
    partials: Callable[[Any, Any, Any], tuple[Any, Any]]


# fmt: off
OPERATORS: dict[str, Operator] = {
    "add":      Operator("add",      operator.add, lambda a, b, y: (ONE, ONE)),
    "subtract": Operator("subtract", operator.sub, lambda a, b, y: (ONE, MINUS_ONE)),
    "multiply": Operator("multiply", operator.mul, lambda a, b, y: (b, a)),
    # divide and power are written by hand below: (a' - y b')/b is one rounding closer than
    # a'/b - (y/b) b', and x**n must be exact at x = 0 to every order
}
# fmt: on


def _slope_times(s: Any, t: Any, constant: Any, v: Any) -> Any:
    """``s·t`` for one operand's tangent beside a constant (units need no product)."""
    if s is ONE:
        return _spread(t, constant, v)
    if s is MINUS_ONE:
        return _spread(-t, constant, v)
    return scale(s, t)


def _apply(op: Operator, a: Any, b: Any) -> Any:
    """A row applied: the value, and the tangent Σ ∂f/∂operand · operand' (0·∞ = 0)."""
    lv = _levels(a, b)
    if lv is None:
        return NotImplemented
    tag, av, at, bv, bt = lv
    v = op.value(av, bv)
    sa, sb = op.partials(av, bv, v)
    if bt is None:
        t = _slope_times(sa, at, bv, v)
    elif at is None:
        t = _slope_times(sb, bt, av, v)
    elif sa is ONE and sb is ONE:
        t = at + bt
    elif sa is ONE and sb is MINUS_ONE:
        t = at - bt
    else:
        t = lincomb((sa, at), (sb, bt))
    return _done(op.name, (a, b), make(v, t, tag))


def add(a: Any, b: Any) -> Any:
    """a + b where at least one is a Dual: the sum rule, (a + b)' = a' + b'."""
    return _apply(OPERATORS["add"], a, b)


def subtract(a: Any, b: Any) -> Any:
    """a - b where at least one is a Dual: the difference rule, (a - b)' = a' - b'."""
    return _apply(OPERATORS["subtract"], a, b)


def multiply(a: Any, b: Any) -> Any:
    """a * b where at least one is a Dual: the product rule, (ab)' = b·a' + a·b'."""
    return _apply(OPERATORS["multiply"], a, b)


def negative(a: Dual) -> Dual:
    """-a: (-a)' = -a'."""
    return _done("negative", (a,), make(-a._v, -a._t, a._tag))


def divide(a: Any, b: Any) -> Any:
    """a / b where at least one is a Dual: the quotient rule, (a'b - ab')/b², as (a' - v·b')/b."""
    lv = _levels(a, b)
    if lv is None:
        return NotImplemented
    tag, av, at, bv, bt = lv
    try:
        v = av / bv
        if bt is None:
            t = at / bv
        elif at is None:
            t = -scale(v, bt) / bv
        else:
            t = (at - scale(v, bt)) / bv
    except ZeroDivisionError:
        raise _zero_division(bv) from None
    return _done("divide", (a, b), make(v, t, tag))


def pow_value(x: Any, n: Any) -> Any:
    """x**n for the value kinds: x*x for n = 2; DomainError or OverflowError for scalars where
    Python or mpmath would leave the reals or overflow (as float ** does)."""
    if is_number(x) and is_number(n):
        if x == 0 and n < 0:
            raise DomainError(f"pow: x**{fmt(n)} needs x != 0, got x = {fmt(x)}")
        if x < 0 and not _is_integer(n):
            raise DomainError(f"pow: x**{fmt(n)} needs x >= 0, got x = {fmt(x)}")
        if type(x) is int and type(n) is not int:
            x = float(x)  # 2 ** Dual(2.0): a float, as 2 ** 2.0 is
        if n == 2:
            y = x * x  # the same bits as the fast paths
            if type(y) is float and y == _INF and x - x == 0:
                raise _pow_overflow(x, n)
            return y
        try:
            return x**n
        except OverflowError as exc:
            if "int too large" in str(exc):
                raise  # Python's own words for an exponent no float can hold
            raise _pow_overflow(x, n) from None
    if is_number(n) and n == 2 and not isinstance(x, Dual):
        return x * x
    return x**n


def _is_integer(n: Any) -> bool:
    """Whether a real exponent is a whole number (infinities and NaN pass: pow decides)."""
    try:
        return bool(n == int(n))
    except (OverflowError, ValueError):
        return True


def _pow_overflow(x: Any, n: Any) -> OverflowError:
    return OverflowError(f"pow: x**{fmt(n)} overflows a float at x = {fmt(x)}")


def _pow_slope(x: Any, n: Any) -> Any:
    """d/dx x**n = n x**(n-1): 2x for n = 2; at x = 0: 0 for n = 0 or n > 1, +inf for 0 < n < 1
    (at every order: a nested x at 0 gets infinite slopes, not a DomainError)."""
    if is_number(n):
        if n == 2:
            return 2 * x
        if n == 0:
            return like(0.0, x)
        if type(n) is float and is_mpf(x):
            n = _MPF(n)  # n - 1 exact at the working precision
        b = base_value(x)
        if is_number(b):
            return n * _pow_edge(x, n - 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            return n * x ** (n - 1)
    if isinstance(x, Dual) or isinstance(n, Dual):
        return n * x ** (n - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return scale(n, x ** (n - 1))  # n = 0 at x = 0: 0·∞ = 0


def _pow_edge(x: Any, m: Any) -> Any:
    """x**m for a slope: where x is 0 and m < 0 it is +inf (the one-sided limit), not an error."""
    if isinstance(x, Dual):
        if m < 0 and base_value(x) == 0:
            return make(_pow_edge(x._v, m), scale(m * _pow_edge(x._v, m - 1), x._t), x._tag)
        return x**m
    if x == 0 and m < 0:
        return like(_INF, x)
    return x**m


def _log_base(a: Any, what: str, exponent: Any) -> Any:
    """ln(a) for the a**x rule, at the precision of the exponent; ln(0) = -inf, so that
    0·ln(0) = 0 by the NaN policy. A complex exponent takes the principal complex logarithm of
    a real base (a negative one included), as x**y does for complex numbers."""
    if is_complex(exponent) and not is_complex(a) and not (is_number(a) and a >= 0):
        a = a + 0j
    if is_number(a):
        if a < 0:
            raise DomainError(f"pow: {what} needs {what[0]} >= 0, got {what[0]} = {fmt(a)}")
        if a == 0:
            return like(-_INF, exponent if not isinstance(a, _MPF) else a)
        if not isinstance(a, _MPF) and is_mpf(exponent):
            return mpmath.log(a)
        return table.ln(a if not isinstance(a, int) else float(a))
    if isinstance(a, Dual):
        return table.ln(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        return table.ln(a)


def power(a: Any, b: Any) -> Any:
    """a ** b where at least one is a Dual: the power rules.

    x**n (n constant): n x**(n-1) x'; a**x (a constant): a**x ln(a) x';
    x**y: y x**(y-1) x' + x**y ln(x) y', with 0·∞ = 0 (so x**x at 0 has slope -inf).
    """
    lv = _levels(a, b)
    if lv is None:
        return NotImplemented
    tag, xv, xt, nv, nt = lv
    if nt is None or (is_number(nt) and nt == 0):  # x**n, n constant (or not moving)
        y = pow_value(xv, nv)
        t = 0.0 * nt if xt is None else scale(_pow_slope(xv, nv), xt)
        return _done("power", (a, b), make(y, t, tag))
    if xt is not None and is_number(xt) and xt == 0:
        xt = None  # a zero tangent: the a**x rule, no ln needed for the base's tangent
    lnx = _log_base(xv, "a**x" if xt is None else "x**y", nv)
    y = pow_value(xv, nv)
    yln = scale(y, lnx)
    if xt is None:  # a**x, a constant: a**x ln(a) x'
        return _done("power", (a, b), make(y, scale(yln, nt), tag))
    return _done("power", (a, b), make(y, lincomb((_pow_slope(xv, nv), xt), (yln, nt)), tag))


if speedups is not None:  # without the core, dualdiff/__init__.py installs fastpaths.py's
    speedups.register(Dual, add, subtract, multiply, divide, power, negative)
