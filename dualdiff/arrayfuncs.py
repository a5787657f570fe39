"""NumPy on Duals: the operator ufuncs and the array functions (``__array_function__``).

Each function applies to the value and to the tangent. Linear functions (sum, reshape,
concatenate, ...) are applied to both as they are; products (matmul, prod) use the product rule.
A constant beside a Dual gets a zero tangent of the right layout. A NumPy function that is not
listed here raises ``TypeError`` naming it; the tangent is never dropped silently.

>>> import numpy as np, dualdiff as dd
>>> x = dd.Dual(np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 0.0]))
>>> np.sum(x * x)
Dual(14.0, 2.0)
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Sequence
from typing import Any

import mpmath
import numpy as np

from . import table as rules
from .conventions import scale, tie_weights
from .directions import LINEAR, Directions
from .dual import (
    ARRAY_FUNCTIONS,
    UFUNC_METHODS,
    UFUNCS,
    Dual,
    _mk,
    _shape,
    add,
    copies,
    divide,
    multiply,
    own,
    parts,
    power,
    subtract,
    top_tag,
    zeros_in_layout,
)
from .kinds import base_value

_F = Callable[..., Any]


def implements(*funcs: Any) -> Callable[[_F], _F]:
    """Register an implementation for NumPy functions on Duals."""

    def deco(impl: _F) -> _F:
        for f in funcs:
            ARRAY_FUNCTIONS[f] = impl
        return impl

    return deco


def _scalar(x: Any) -> Any:
    """A 0-d float64 as a Python float, so later arithmetic takes the scalar fast paths."""
    return float(x) if type(x) is np.float64 else x


def _axes(axis: Any, nd: int) -> tuple[int, ...]:
    """An axis or a tuple of axes as non-negative ints, checked against ``nd`` dimensions."""
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    for ax in axes:
        if not -nd <= ax < nd:
            raise np.exceptions.AxisError(ax, nd)
    return tuple(int(ax) % nd for ax in axes)


def _no_extras(name: str, **given: Any) -> None:
    bad = sorted(k for k, v in given.items() if v is not None)
    if bad:
        raise TypeError(f"numpy.{name} on Duals does not support {', '.join(bad)}")


def zero_tangent(value: Any, like: Any) -> Any:
    """A zero tangent for a constant ``value``, in the layout (and kind) of the tangent
    ``like``: an array, vector mode's Directions, or a nested Dual of them."""
    shape = _shape(value)
    if not shape and not isinstance(like, (Dual, Directions)):
        return 0.0
    return zeros_in_layout(shape, like)


def _as_array(a: Any) -> Any:
    """A list holding Duals becomes one stacked Dual; other lists become float arrays."""
    if isinstance(a, (list, tuple)):
        if any(isinstance(e, Dual) for e in a):
            return _stack(a)
        return np.asarray(a, dtype=np.float64)
    return a


def _lift(args: Sequence[Any]) -> tuple[int, list[Any], list[Any]]:
    """Values and tangents of ``args`` at their outermost tag; constants get zero tangents."""
    args = [_as_array(a) for a in args]
    tag = top_tag(*args)
    pairs = [parts(a, tag) for a in args]
    like = next(t for _, t in pairs if t is not None)
    vals = [v for v, _ in pairs]
    tans = [zero_tangent(v, like) if t is None else t for v, t in pairs]
    return tag, vals, tans


def _linear(func: Any) -> _F:
    """A function linear in its first argument: applied to the value and to the tangent."""

    def impl(a: Any, *args: Any, **kwargs: Any) -> Any:
        _no_extras(func.__name__, out=kwargs.pop("out", None), where=kwargs.pop("where", None))
        if kwargs.get("dtype", 0) is None:
            del kwargs["dtype"]
        v, t = func(a._v, *args, **kwargs), func(a._t, *args, **kwargs)
        if isinstance(v, list):  # split and kin: a list of pieces
            return [_mk(_scalar(p), _scalar(q), a._tag) for p, q in zip(v, t, strict=True)]
        return _mk(_scalar(v), _scalar(t), a._tag)

    return impl


def linear(*funcs: Any) -> None:
    """Declare NumPy functions linear in their first argument, once for every tangent layout:
    on a Dual they apply to value and tangent; on vector mode's Directions they use an
    axis-mapped version where directions.py has one, else they apply to each direction."""
    for f in funcs:
        ARRAY_FUNCTIONS[f] = _linear(f)
        LINEAR.add(f)


def jointly_linear(func: Any, operands: Callable[..., Any]) -> None:
    """Declare ``func`` linear in all its array operands together (concatenate and kin): the
    tangent is ``func`` of the tangents, a constant operand giving zeros. ``operands(*args,
    **kwargs)`` returns ``(list of operands, rebuild)`` with ``rebuild(ops) -> (args, kwargs)``."""

    def impl(*args: Any, **kwargs: Any) -> Any:
        ops, rebuild = operands(*args, **kwargs)
        tag, vals, tans = _lift(ops)
        a1, k1 = rebuild(vals)
        a2, k2 = rebuild(tans)
        v, t = func(*a1, **k1), func(*a2, **k2)
        if isinstance(v, list):
            return [_mk(_scalar(p), _scalar(q), tag) for p, q in zip(v, t, strict=True)]
        return _mk(_scalar(v), _scalar(t), tag)

    ARRAY_FUNCTIONS[func] = impl
    LINEAR.add(func)


def multilinear(func: Any, operands: Callable[..., Any]) -> None:
    """Declare ``func`` linear in each operand separately (products: einsum, kron, ...): the
    tangent is the sum over operands of ``func`` with that operand's tangent in its place."""

    def impl(*args: Any, **kwargs: Any) -> Any:
        ops, rebuild = operands(*args, **kwargs)
        ops = [_as_array(o) for o in ops]
        tag = top_tag(*ops)
        pairs = [parts(o, tag) for o in ops]
        vals = [v for v, _ in pairs]
        a1, k1 = rebuild(vals)
        value = func(*a1, **k1)
        t = None
        for i, (_, ti) in enumerate(pairs):
            if ti is not None:
                a2, k2 = rebuild([*vals[:i], ti, *vals[i + 1 :]])
                term = func(*a2, **k2)
                t = term if t is None else t + term
        return _mk(_scalar(value), _scalar(t), tag)

    ARRAY_FUNCTIONS[func] = impl
    LINEAR.add(func)


def first(*args: Any, **kwargs: Any) -> tuple[list[Any], Callable[..., Any]]:
    """Operands: the first argument."""
    return [args[0]], lambda ops: ((ops[0], *args[1:]), kwargs)


def first_two(*args: Any, **kwargs: Any) -> tuple[list[Any], Callable[..., Any]]:
    """Operands: the first two arguments."""
    return list(args[:2]), lambda ops: ((*ops, *args[2:]), kwargs)


def sequence(*args: Any, **kwargs: Any) -> tuple[list[Any], Callable[..., Any]]:
    """Operands: the arrays in the first argument, a sequence (concatenate, stack, ...)."""
    return list(args[0]), lambda ops: ((list(ops), *args[1:]), kwargs)


linear(
    np.sum, np.mean, np.cumsum, np.diff, np.ravel, np.transpose, np.moveaxis, np.swapaxes,
    np.squeeze, np.expand_dims, np.broadcast_to, np.trace, np.diagonal, np.tril, np.triu,
)  # fmt: skip


@implements(np.reshape)
def _reshape(a: Any, *args: Any, **kwargs: Any) -> Any:
    shape = args[0] if args else kwargs.pop("shape", kwargs.pop("newshape", None))
    order = args[1] if len(args) > 1 else kwargs.pop("order", "C")
    _no_extras("reshape", **kwargs)
    if not isinstance(a, Dual):
        return np.reshape(a, shape, order=order)
    return _mk(np.reshape(a._v, shape, order=order), np.reshape(a._t, shape, order=order), a._tag)


@implements(np.shape)
def _np_shape(a: Any) -> tuple[int, ...]:
    return a.shape


@implements(np.ndim)
def _np_ndim(a: Any) -> int:
    return a.ndim


@implements(np.size)
def _np_size(a: Any, axis: int | None = None) -> int:
    return int(np.size(a._v, axis))


def _new_like(fill: Any) -> _F:
    """np.zeros_like and kin: a new Dual (constant, with a zero tangent in the input's layout)
    that item assignment can fill; a non-float dtype gives a plain array (it holds no tangent)."""

    def impl(a: Any, *args: Any, dtype: Any = None, shape: Any = None, **kw: Any) -> Any:
        value = fill(a, *args) if callable(fill) else fill
        if dtype is not None and np.dtype(dtype).kind != "f":
            return np.full(np.shape(base_value(a)) if shape is None else shape,
                           base_value(value) if isinstance(value, Dual) else value,
                           dtype=dtype)  # fmt: skip
        shape = a.shape if shape is None else ((shape,) if isinstance(shape, int) else shape)
        out = own(_mk(zeros_in_layout(shape, base_value(a)), zeros_in_layout(shape, a._t), a._tag))
        if dtype is not None:
            out = out.astype(dtype)
        if isinstance(value, Dual) or value != 0:
            out[...] = value
        return out

    return impl


ARRAY_FUNCTIONS[np.zeros_like] = _new_like(0.0)
ARRAY_FUNCTIONS[np.empty_like] = _new_like(0.0)  # zeros: a derivative never reads garbage
ARRAY_FUNCTIONS[np.ones_like] = _new_like(1.0)
ARRAY_FUNCTIONS[np.full_like] = _new_like(lambda a, fill_value, *args: fill_value)


@implements(np.var)
def _var(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: float = 0,
         keepdims: bool = False, **kw: Any) -> Any:  # fmt: skip
    """The mean squared deviation, with ``ddof`` as NumPy."""
    _no_extras("var", out=out, dtype=dtype, **kw)
    d = a - np.mean(a, axis=axis, keepdims=True)
    axes = tuple(range(a.ndim)) if axis is None else _axes(axis, a.ndim)
    n = int(np.prod([a.shape[i] for i in axes]))
    return np.sum(d * d, axis=axis, keepdims=keepdims) / (n - ddof)


@implements(np.std)
def _std(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: float = 0,
         keepdims: bool = False, **kw: Any) -> Any:  # fmt: skip
    """sqrt(var): at zero spread its slope is infinite, and 0·∞ = 0 keeps directions that do
    not spread the data at 0."""
    return rules.sqrt(_var(a, axis, dtype, out, ddof, keepdims, **kw))


@implements(np.copy)
def _copy(a: Any, order: str = "K", subok: bool = False) -> Any:
    """A Dual with its own value and tangent arrays (writes to it reach nothing else)."""
    return own(_mk(*copies(a), a._tag))


@implements(np.prod)
def _prod(a: Any, axis: int | None = None, dtype: Any = None, out: Any = None,
          keepdims: bool = False) -> Any:  # fmt: skip
    _no_extras("prod", out=out, dtype=dtype)
    if not isinstance(a, Dual):
        return np.prod(a, axis=axis, keepdims=keepdims)
    nd = a.ndim
    axes = tuple(range(nd)) if axis is None else _axes(axis, nd)
    if len(axes) != 1:  # several axes: moved last and merged into one
        rest = [i for i in range(nd) if i not in axes]
        merged = np.transpose(a, [*rest, *axes])
        r = _prod(np.reshape(merged, (*merged.shape[: len(rest)], -1)), axis=-1)
        kept = tuple(1 if i in axes else n for i, n in enumerate(a.shape))
        return np.reshape(r, kept) if keepdims else r
    axis = axes[0]
    if isinstance(a._v, Dual):  # nested: a chain of products, each by the product rule
        n = a.shape[axis]
        items = [np.take(a, i, axis=axis) for i in range(n)]
        r = functools.reduce(operator.mul, items)
        return np.expand_dims(r, axis) if keepdims else r
    v = np.moveaxis(a._v, axis, -1)
    ones = np.ones((*v.shape[:-1], 1))
    left = np.concatenate([ones, np.cumprod(v[..., :-1], axis=-1)], axis=-1)
    right = np.concatenate([np.cumprod(v[..., :0:-1], axis=-1)[..., ::-1], ones], axis=-1)
    others = np.moveaxis(left * right, -1, axis)  # product of all entries but one (no division)
    value = np.prod(a._v, axis=axis, keepdims=keepdims)
    return _mk(_scalar(value), _scalar(np.sum(others * a._t, axis=axis, keepdims=keepdims)),
               a._tag)  # fmt: skip


@implements(np.take)
def _take(a: Any, indices: Any, axis: int | None = None) -> Any:
    return _mk(_scalar(np.take(a._v, indices, axis)), _scalar(np.take(a._t, indices, axis)),
               a._tag)  # fmt: skip


def matmul(a: Any, b: Any) -> Any:
    """a @ b by the product rule: a' @ b + a @ b'."""
    tag = top_tag(a, b)
    av, at = parts(a, tag)
    bv, bt = parts(b, tag)
    v = np.matmul(av, bv)
    t = None if at is None else np.matmul(at, bv)
    if bt is not None:
        t2 = np.matmul(av, bt)
        t = t2 if t is None else t + t2
    return _mk(_scalar(v), _scalar(t), tag)


@implements(np.dot)
def _dot(a: Any, b: Any, out: Any = None) -> Any:
    _no_extras("dot", out=out)
    if _shape(a) == () or _shape(b) == ():
        return a * b
    if len(_shape(a)) > 2 or len(_shape(b)) > 2:
        raise TypeError("numpy.dot on Duals supports 1-D and 2-D operands; use matmul")
    return matmul(a, b)


@implements(np.outer)
def _outer(a: Any, b: Any, out: Any = None) -> Any:
    _no_extras("outer", out=out)
    return np.reshape(a, (-1, 1)) * np.reshape(b, (1, -1))


@implements(np.concatenate)
def _concatenate(arrays: Sequence[Any], axis: int | None = 0, out: Any = None,
                 dtype: Any = None, casting: Any = None) -> Any:  # fmt: skip
    _no_extras("concatenate", out=out, dtype=dtype, casting=casting)
    tag, vals, tans = _lift(list(arrays))
    return _mk(np.concatenate(vals, axis=axis), np.concatenate(tans, axis=axis), tag)


def _atleast(a: Any, nd: int) -> Any:
    shape = _shape(a)
    if len(shape) >= nd:
        return a
    new = (1,) * (nd - len(shape)) + tuple(shape) if nd == 1 or shape == () else (1, *shape)
    return np.reshape(a, new)


@implements(np.atleast_1d)
def _atleast_1d(*arys: Any) -> Any:
    r = [_atleast(a, 1) for a in arys]
    return r[0] if len(r) == 1 else r


@implements(np.atleast_2d)
def _atleast_2d(*arys: Any) -> Any:
    r = [_atleast(a, 2) for a in arys]
    return r[0] if len(r) == 1 else r


@implements(np.stack)
def _stack(arrays: Sequence[Any], axis: int = 0, out: Any = None, **kw: Any) -> Any:
    _no_extras("stack", out=out, **kw)
    arrays = [_as_array(a) for a in arrays]
    nd = len(_shape(arrays[0])) + 1
    axis = axis % nd if -nd <= axis < nd else axis
    return _concatenate([np.expand_dims(a, axis) for a in arrays], axis=axis)


@implements(np.hstack)
def _hstack(tup: Sequence[Any], **kw: Any) -> Any:
    _no_extras("hstack", **kw)
    arrs = [_atleast(_as_array(a), 1) for a in tup]
    return _concatenate(arrs, axis=0 if len(_shape(arrs[0])) == 1 else 1)


@implements(np.vstack)
def _vstack(tup: Sequence[Any], **kw: Any) -> Any:
    _no_extras("vstack", **kw)
    return _concatenate([_atleast(_as_array(a), 2) for a in tup], axis=0)


@implements(np.where)
def _where(cond: Any, *ab: Any) -> Any:
    if len(ab) != 2:
        raise TypeError("numpy.where on Duals needs three arguments (cond, a, b)")
    if isinstance(cond, Dual):
        cond = cond._v
    tag, (av, bv), (at, bt) = _lift(ab)
    return _mk(_scalar(np.where(cond, av, bv)), _scalar(np.where(cond, at, bt)), tag)


@implements(np.clip)
def _clip(a: Any, a_min: Any = None, a_max: Any = None, out: Any = None, **kw: Any) -> Any:
    """Clip to [a_min, a_max] as minimum(maximum(a, a_min), a_max): a bound that ties shares."""
    _no_extras("clip", out=out, **kw)
    r = a
    if a_min is not None:
        r = rules.maximum(r, a_min)
    if a_max is not None:
        r = rules.minimum(r, a_max)
    return r


def _extreme(pick: Any) -> _F:
    """max/min along an axis: the tangent of the extreme entry, shared evenly among ties."""

    def impl(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False,
             **kw: Any) -> Any:  # fmt: skip
        _no_extras(pick.__name__, out=out, **kw)
        if not isinstance(a, Dual):
            return pick(a, axis=axis, keepdims=keepdims)
        v = pick(a._v, axis=axis, keepdims=True)
        w = tie_weights(a._v == v, axis=axis)
        t = np.sum(w * a._t, axis=axis, keepdims=keepdims)
        if not keepdims:
            v = np.squeeze(v, axis=axis)
        return _mk(_scalar(v[()] if type(v) is np.ndarray and v.ndim == 0 else v), _scalar(t),
                   a._tag)  # fmt: skip

    return impl


ARRAY_FUNCTIONS[np.max] = _extreme(np.max)
ARRAY_FUNCTIONS[np.min] = _extreme(np.min)
if hasattr(np, "amax"):
    ARRAY_FUNCTIONS[np.amax] = ARRAY_FUNCTIONS[np.max]
    ARRAY_FUNCTIONS[np.amin] = ARRAY_FUNCTIONS[np.min]


@implements(np.sort)
def _sort(a: Any, axis: Any = -1, kind: Any = None, order: Any = None, **kw: Any) -> Any:
    """Sorted values carry the tangents of the entries they came from; tied entries share
    their tangents evenly (:func:`~dualdiff.conventions.tie_weights`), whatever order sort chose."""
    _no_extras("sort", order=order)
    if axis is None:
        a, axis = np.ravel(a), -1
    idx = np.argsort(base_value(a), axis=axis, kind="stable")
    v = np.take_along_axis(a._v, idx, axis)
    t = np.take_along_axis(a._t, idx, axis)
    b = np.moveaxis(base_value(v), axis, -1)
    if b.shape[-1] > 1 and np.any(b[..., 1:] == b[..., :-1]):  # ties: share within each group
        w = tie_weights(b[..., :, None] == b[..., None, :], axis=-1)
        tm = np.moveaxis(t, axis, -1)
        t = np.moveaxis(np.sum(w * np.expand_dims(tm, -2), axis=-1), -1, axis)
    return _mk(v, t, a._tag)


@implements(np.round, *((np.around,) if hasattr(np, "around") else ()))
def _round(a: Any, decimals: int = 0, out: Any = None) -> Any:
    """Rounding is piecewise constant: slope 0 (the jumps included)."""
    _no_extras("round", out=out)
    v = a._v
    if isinstance(v, np.ndarray) and v.dtype == object:  # NumPy has no loop for mpf
        ten = mpmath.mpf(10) ** decimals
        v = np.frompyfunc(lambda e: mpmath.nint(e * ten) / ten, 1, 1)(v)
    else:
        v = np.round(v, decimals)
    return _mk(v, scale(0.0, a._t), a._tag)


@implements(np.take_along_axis)
def _take_along_axis(a: Any, indices: Any, axis: int) -> Any:
    return _mk(np.take_along_axis(a._v, indices, axis), np.take_along_axis(a._t, indices, axis),
               a._tag)  # fmt: skip


# functions whose result is an index or a truth value look at the value only
def _on_base_values(func: Any) -> _F:
    """A function whose result is an index, a count or a truth value: it reads values only."""

    def impl(*args: Any, **kwargs: Any) -> Any:
        def plain(x: Any) -> Any:
            if isinstance(x, Dual):
                return base_value(x)
            if isinstance(x, (list, tuple)):
                return type(x)(plain(e) for e in x)
            return x

        return func(*plain(args), **{k: plain(v) for k, v in kwargs.items()})

    return impl


for _f in (
    np.argmax, np.argmin, np.argsort, np.nonzero, np.argwhere, np.flatnonzero,
    np.count_nonzero, np.searchsorted, np.isclose, np.allclose, np.array_equal,
    np.array_equiv, np.all, np.any, np.argpartition, np.lexsort, np.iscomplexobj, np.isrealobj,
):  # fmt: skip
    ARRAY_FUNCTIONS[_f] = _on_base_values(_f)


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
    return _mk(_scalar(_ldexp_part(x._v, i)), _scalar(_ldexp_part(x._t, i)), x._tag)


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
        _no_extras("reduce", dtype=dtype, out=out, **{k: v for k, v in kw.items()
                                                       if k != "initial"})  # fmt: skip
        r = func(a, axis=axis, keepdims=keepdims)
        if kw.get("initial") is not None:
            r = r + kw["initial"] if func is np.sum else r * kw["initial"]
        return r

    return impl


def _accumulate(func: Any) -> _F:
    def impl(a: Any, axis: int = 0, dtype: Any = None, out: Any = None) -> Any:
        _no_extras("accumulate", dtype=dtype, out=out)
        return func(a, axis=axis)

    return impl


def _outer(op: Any) -> _F:
    def impl(a: Any, b: Any, **kw: Any) -> Any:
        _no_extras("outer", **kw)
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
