"""NumPy's ufuncs on Duals beyond the rule table: the arithmetic operators, comparisons and other
predicates (which read values only), ``ldexp``, and the ufunc methods (``np.add.reduce``,
``np.add.at``, ``np.multiply.outer``, ...).

>>> import numpy as np, dualdiff as dd
>>> np.add.reduce(dd.Dual(np.array([1.0, 2.0]), np.array([1.0, 0.0])))
Dual(3.0, 1.0)
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from .arithmetic import add, divide, multiply, power, subtract
from .arrayfuncs import as_scalar, matmul, refuse_extras
from .directions import Directions
from .dual import UFUNC_METHODS, UFUNCS, Dual, make
from .kinds import base_value

__all__: list[str] = []

_F = Callable[..., Any]


# --- ufuncs for the operators and for predicates on values ---


def _binop(name: str, op: _F) -> _F:
    def impl(a: Any, b: Any) -> Any:
        r = op(a, b)
        if r is NotImplemented:
            raise TypeError(
                f"numpy.{name} is not defined for {type(a).__name__} and {type(b).__name__}"
            )
        return r

    return impl


def _value_of(x: Any) -> Any:
    return x._v if isinstance(x, Dual) else x


def _on_values(u: Any) -> _F:
    return lambda *xs: u(*(_value_of(x) for x in xs))


UFUNCS.update(
    {
        np.add: _binop("add", add),
        np.subtract: _binop("subtract", subtract),
        np.multiply: _binop("multiply", multiply),
        np.true_divide: _binop("divide", divide),
        np.power: _binop("power", power),
        np.float_power: _binop("float_power", power),
        np.matmul: matmul,
        np.negative: operator.neg,
        np.positive: operator.pos,
        np.reciprocal: lambda x: 1.0 / x,
    }
)


def _ldexp(x: Any, i: Any) -> Any:
    """x·2**i, linear in x; the exponent is an integer constant."""
    if isinstance(i, Dual) or not isinstance(x, Dual):
        raise TypeError("numpy.ldexp on Duals: the exponent must be an integer constant")
    return make(as_scalar(_ldexp_part(x._v, i)), as_scalar(_ldexp_part(x._t, i)), x._tag)


def _ldexp_part(p: Any, i: Any) -> Any:
    if type(p) is Directions:
        return Directions(np.ldexp(p.array, i))
    if isinstance(p, Dual):
        return _ldexp(p, i)
    if isinstance(p, np.ndarray) and p.dtype == object:  # mpf: exactly, by a power of two
        return p * np.power(2, np.asarray(i, dtype=object))
    return np.ldexp(p, i)


UFUNCS[np.ldexp] = _ldexp


# --- ufunc methods: add and multiply (reduce, accumulate, outer, at), maximum/minimum.reduce ---


def _reduce(func: Any) -> _F:
    def impl(a: Any, axis: Any = 0, dtype: Any = None, out: Any = None, keepdims: bool = False,
             **kw: Any) -> Any:  # fmt: skip
        refuse_extras("reduce", dtype=dtype, out=out, **{k: v for k, v in kw.items()
                                                       if k != "initial"})  # fmt: skip
        r = func(a, axis=axis, keepdims=keepdims)
        if kw.get("initial") is not None:
            r = r + kw["initial"] if func is np.sum else r * kw["initial"]
        return r

    return impl


def _accumulate(func: Any) -> _F:
    def impl(a: Any, axis: int = 0, dtype: Any = None, out: Any = None) -> Any:
        refuse_extras("accumulate", dtype=dtype, out=out)
        return func(a, axis=axis)

    return impl


def _outer(op: Any) -> _F:
    def impl(a: Any, b: Any, **kw: Any) -> Any:
        refuse_extras("outer", **kw)
        nb = np.ndim(base_value(b))
        return op(np.reshape(a, (*np.shape(base_value(a)), *(1,) * nb)), b)

    return impl


def _at(op: Any) -> _F:
    """a[indices] op= b, unbuffered: repeated indices apply again, one at a time."""

    def impl(a: Any, indices: Any, b: Any = None) -> None:
        if not isinstance(a, Dual):
            raise TypeError("ufunc.at on Duals needs the array written into to be a Dual")
        idx = indices if isinstance(indices, tuple) else (indices,)
        where = np.broadcast_arrays(*(np.asarray(i) for i in idx))
        scalar = np.ndim(base_value(b)) == 0
        items = b if scalar else np.ravel(np.broadcast_to(b, where[0].shape))
        for n in range(where[0].size):
            pos = tuple(int(w.flat[n]) for w in where)
            a[pos] = op(a[pos], b if scalar else items[n])

    return impl


UFUNC_METHODS.update({
    (np.add, "reduce"): _reduce(np.sum), (np.multiply, "reduce"): _reduce(np.prod),
    (np.maximum, "reduce"): _reduce(np.max), (np.minimum, "reduce"): _reduce(np.min),
    (np.add, "accumulate"): _accumulate(np.cumsum),
    (np.multiply, "accumulate"): _accumulate(np.cumprod),
    (np.add, "outer"): _outer(add), (np.multiply, "outer"): _outer(multiply),
    (np.subtract, "outer"): _outer(subtract), (np.true_divide, "outer"): _outer(divide),
    (np.add, "at"): _at(operator.add), (np.multiply, "at"): _at(operator.mul),
})  # fmt: skip
for _u in (
    np.greater, np.greater_equal, np.less, np.less_equal, np.equal, np.not_equal,
    np.isfinite, np.isnan, np.isinf, np.signbit,
):  # fmt: skip
    UFUNCS[_u] = _on_values(_u)
