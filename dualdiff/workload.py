"""How long validation and the command line would take: a work model, so that a request of
minutes is refused at once with a message saying what to reduce.

>>> from dualdiff.expr import parse
>>> 0 < estimate_seconds(parse("x**2*sin(x)"), points=10) < 1
True
"""

from __future__ import annotations

import ast
import itertools
import math
from collections.abc import Callable
from typing import Any

import mpmath

from .api import Derivative
from .expr import Expression

__all__ = [
    "count_operations", "dual_seconds", "estimate_seconds", "format_duration", "partial_orders",
]  # fmt: skip


# The work model, calibrated on this project's 2-core machine (pure-Python mpmath backend):
# one elementary function (exp, ln, sin, atan, ...) costs about _T_ELEMENTARY seconds at 2000
# digits, growing as digits**1.8; sqrt or a fractional power about a tenth of that, a product,
# quotient or sum a hundredth, x**y two; below a few hundred digits the interpreter's overhead
# (_T_FLOOR per operation) dominates. mpmath.diff of order n evaluates f at n + 1 points with
# (bits + 20)·(n + 1) bits, nested for mixed partials, and validate runs it twice (the second
# time with 20 more digits, for the reference's own error). A derivative of order n by dual
# numbers costs about _T_DUAL·2.7**n per operation (measured in pure-Python mode, the slowest
# supported one: the compiled core is up to ~6x faster at order 8), plus _T_CALL per call.
_T_ELEMENTARY = 2.4e-3
_T_FLOOR = 2e-5
_T_DUAL = 2.5e-7
_T_CALL = 3e-5
_CHEAP = {
    "sqrt": 0.1,
    "cbrt": 0.1,
    "hypot": 0.1,
    "abs": 0.01,
    "sign": 0.01,
    "square": 0.01,
    "maximum": 0.01,
    "minimum": 0.01,
    "fmax": 0.01,
    "fmin": 0.01,
}  # others: 1
_NOMINAL_OPS = (5.5, 15)  # (weight, operations) assumed for a Python function


def _is_number(node: ast.AST) -> bool:
    if isinstance(node, ast.UnaryOp):
        return _is_number(node.operand)
    return isinstance(node, ast.Constant)


def _weight(node: ast.AST) -> float:
    """One operation's cost at high precision, in elementary functions."""
    if isinstance(node, ast.Call):
        name = getattr(node.func, "id", "")
        return 2.0 if name == "log" and len(node.args) == 2 else _CHEAP.get(name, 1.0)
    op = getattr(node, "op", None)
    if isinstance(op, ast.Pow):  # x**2 is a product; x**2.5 a root; x**y is exp(y·ln x)
        if not _is_number(node.right):  # type: ignore[attr-defined]
            return 2.0
        exponent = ast.literal_eval(node.right)  # type: ignore[attr-defined]
        return 0.01 if float(exponent).is_integer() else 0.1
    return 0.02 if isinstance(op, ast.Div) else 0.01


def count_operations(f: Any) -> tuple[float, int]:
    """(weight in elementary functions, operations) of an Expression; typical for the rest."""
    if not isinstance(f, Expression):
        return _NOMINAL_OPS
    nodes = [n for n in ast.walk(f.tree) if isinstance(n, ast.Call | ast.BinOp | ast.UnaryOp)]
    return sum(map(_weight, nodes)), max(len(nodes), 1)


def dual_seconds(ops: tuple[float, int], order: int) -> float:
    """Seconds for one derivative of order ``order`` at one point, by dual numbers."""
    return _T_CALL + ops[1] * _T_DUAL * 2.7**order


def _seconds_per_row(wrt: tuple[int, ...], nargs: int, dps: int, ops: tuple[float, int]) -> float:
    weight, count = ops
    orders = [wrt.count(i) for i in range(nargs)]
    total = dual_seconds(ops, len(wrt))  # dualdiff's side
    for digits in (dps, dps + 20):
        bits, evals = mpmath.libmp.dps_to_prec(digits), 1
        for o in orders:
            if o:
                bits, evals = (bits + 20) * (o + 1), evals * (o + 1)
        per_call = _T_ELEMENTARY * (bits / 3.32 / 2000) ** 1.8
        total += evals * (weight * per_call + count * _T_FLOOR)
    return total


def estimate_seconds(
    f: Callable[..., Any],
    points: int,
    nargs: int = 1,
    dps: int = 50,
    *,
    order: int = 1,
    mixed: bool = False,
) -> float:
    """Estimated seconds :func:`validate` takes for ``points`` points of ``nargs`` arguments.

    Calibrated on a 2-core machine for a function of about five elementary functions and ten
    arithmetic operations (an :class:`~dualdiff.expr.Expression` is counted exactly). Measured
    there, the real time was 0.5 to 1.4 times the estimate for functions made of elementary
    functions, and less for plain arithmetic or with the compiled core at high orders.

    >>> import dualdiff as dd
    >>> estimate_seconds(dd.sin, 3) < 0.1
    True
    >>> estimate_seconds(dd.sin, 2000, dps=500, order=8) > 600     # about half an hour
    True
    """
    wrts = partial_orders(nargs, order, mixed)
    ops = count_operations(f.__wrapped__ if isinstance(f, Derivative) else f)
    return points * sum(_seconds_per_row(w, nargs, dps, ops) for w in wrts)


def partial_orders(nargs: int, order: int, mixed: bool) -> list[tuple[int, ...]]:
    """The derivatives checked, each as the arguments differentiated (one per order)."""
    if mixed:
        return list(itertools.combinations_with_replacement(range(nargs), order))
    return [(i,) * order for i in range(nargs)]


def format_duration(seconds: float) -> str:
    if seconds < 90:
        return f"{math.ceil(seconds)} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
