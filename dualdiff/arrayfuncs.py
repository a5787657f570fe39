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

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import table as rules
from .assign import copies, own, zeros_in_layout
from .directions import LINEAR, Directions
from .dual import ARRAY_FUNCTIONS, COMPLEX_OK, Dual, make, parts, shape_of, top_tag
from .kinds import base_value

_F = Callable[..., Any]


def implements(*funcs: Any) -> Callable[[_F], _F]:
    """Register an implementation for NumPy functions on Duals."""

    def deco(impl: _F) -> _F:
        for f in funcs:
            ARRAY_FUNCTIONS[f] = impl
        return impl

    return deco


def as_scalar(x: Any) -> Any:
    """A 0-d float64 as a Python float, so later arithmetic takes the scalar fast paths."""
    return float(x) if type(x) is np.float64 else x


def normalize_axes(axis: Any, nd: int) -> tuple[int, ...]:
    """An axis or a tuple of axes as non-negative ints, checked against ``nd`` dimensions."""
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    for ax in axes:
        if not -nd <= ax < nd:
            raise np.exceptions.AxisError(ax, nd)
    return tuple(int(ax) % nd for ax in axes)


def refuse_extras(name: str, **given: Any) -> None:
    bad = sorted(k for k, v in given.items() if v is not None)
    if bad:
        raise TypeError(f"numpy.{name} on Duals does not support {', '.join(bad)}")


def zero_tangent(value: Any, like: Any) -> Any:
    """A zero tangent for a constant ``value``, in the layout (and kind) of the tangent
    ``like``: an array, vector mode's Directions, or a nested Dual of them."""
    shape = shape_of(value)
    if not shape and not isinstance(like, (Dual, Directions)):
        return 0.0
    return zeros_in_layout(shape, like)


def as_array(a: Any) -> Any:
    """A list holding Duals becomes one stacked Dual; other lists become float arrays."""
    if isinstance(a, (list, tuple)):
        if any(isinstance(e, Dual) for e in a):
            return _stack(a)
        return np.asarray(a, dtype=np.float64)
    return a


def lift(args: Sequence[Any]) -> tuple[int, list[Any], list[Any]]:
    """Values and tangents of ``args`` at their outermost tag; constants get zero tangents."""
    args = [as_array(a) for a in args]
    tag = top_tag(*args)
    pairs = [parts(a, tag) for a in args]
    like = next(t for _, t in pairs if t is not None)
    vals = [v for v, _ in pairs]
    tans = [zero_tangent(v, like) if t is None else t for v, t in pairs]
    return tag, vals, tans


def _linear(func: Any) -> _F:
    """A function linear in its first argument: applied to the value and to the tangent."""

    def impl(a: Any, *args: Any, **kwargs: Any) -> Any:
        refuse_extras(func.__name__, out=kwargs.pop("out", None), where=kwargs.pop("where", None))
        if kwargs.get("dtype", 0) is None:
            del kwargs["dtype"]
        kt = _constants_zero(func, kwargs)  # (first: refuses a Dual constant)
        v, t = func(a._v, *args, **kwargs), func(a._t, *args, **kt)
        if isinstance(v, list):  # split and kin: a list of pieces
            return [make(as_scalar(p), as_scalar(q), a._tag) for p, q in zip(v, t, strict=True)]
        return make(as_scalar(v), as_scalar(t), a._tag)

    return impl


#: keyword arguments that add a constant to a linear function's result (np.sum's initial,
#: np.diff's prepend and append): for the tangent the constant is 0
AFFINE_KWARGS = ("initial", "prepend", "append")


def _constants_zero(func: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments for the tangent: an added constant becomes 0 (``initial`` is left
    out, ``prepend``/``append`` become zeros of their shape); a Dual there is refused."""
    if not any(k in kwargs for k in AFFINE_KWARGS):
        return kwargs
    out = dict(kwargs)
    for name in AFFINE_KWARGS:
        if name not in out:
            continue
        c = out[name]
        if isinstance(c, Dual) or (isinstance(c, np.ndarray) and c.dtype == object):
            raise TypeError(
                f"numpy.{func.__name__}: {name}= a Dual is not supported; join it to the "
                "array first (np.concatenate), or add it to the result"
            )
        if name == "initial":
            del out[name]
        else:
            out[name] = np.zeros(np.shape(c))
    return out


def linear(*funcs: Any) -> None:
    """Declare NumPy functions linear in their first argument, once for every tangent layout:
    on a Dual they apply to value and tangent; on vector mode's Directions they use an
    axis-mapped version where directions.py has one, else they apply to each direction."""
    for f in funcs:
        ARRAY_FUNCTIONS[f] = _linear(f)
        LINEAR.add(f)
        COMPLEX_OK.add(f)


def jointly_linear(func: Any, operands: Callable[..., Any]) -> None:
    """Declare ``func`` linear in all its array operands together (concatenate and kin): the
    tangent is ``func`` of the tangents, a constant operand giving zeros. ``operands(*args,
    **kwargs)`` returns ``(list of operands, rebuild)`` with ``rebuild(ops) -> (args, kwargs)``."""

    def impl(*args: Any, **kwargs: Any) -> Any:
        ops, rebuild = operands(*args, **kwargs)
        tag, vals, tans = lift(ops)
        a1, k1 = rebuild(vals)
        a2, k2 = rebuild(tans)
        v, t = func(*a1, **k1), func(*a2, **k2)
        if isinstance(v, list):
            return [make(as_scalar(p), as_scalar(q), tag) for p, q in zip(v, t, strict=True)]
        return make(as_scalar(v), as_scalar(t), tag)

    ARRAY_FUNCTIONS[func] = impl
    LINEAR.add(func)
    COMPLEX_OK.add(func)


def multilinear(
    func: Any, operands: Callable[..., Any], call: Callable[..., Any] | None = None
) -> None:
    """Declare ``func`` linear in each operand separately (products: einsum, kron, ...): the
    tangent is the sum over operands of ``func`` with that operand's tangent in its place.
    ``call`` evaluates it where NumPy's own function cannot take a vector-mode tangent."""
    call = call or func

    def impl(*args: Any, **kwargs: Any) -> Any:
        ops, rebuild = operands(*args, **kwargs)
        ops = [as_array(o) for o in ops]
        tag = top_tag(*ops)
        pairs = [parts(o, tag) for o in ops]
        vals = [v for v, _ in pairs]
        a1, k1 = rebuild(vals)
        value = call(*a1, **k1)
        t = None
        for i, (_, ti) in enumerate(pairs):
            if ti is not None:
                a2, k2 = rebuild([*vals[:i], ti, *vals[i + 1 :]])
                term = call(*a2, **k2)
                t = term if t is None else t + term
        return make(as_scalar(value), as_scalar(t), tag)

    ARRAY_FUNCTIONS[func] = impl
    LINEAR.add(func)
    COMPLEX_OK.add(func)  # multilinear over the reals (conjugating ones too): the rule holds


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
    refuse_extras("reshape", **kwargs)
    if not isinstance(a, Dual):
        return np.reshape(a, shape, order=order)
    return make(np.reshape(a._v, shape, order=order), np.reshape(a._t, shape, order=order), a._tag)


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
        out = own(make(zeros_in_layout(shape, base_value(a)), zeros_in_layout(shape, a._t), a._tag))
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


@implements(np.copy)
def _copy(a: Any, order: str = "K", subok: bool = False) -> Any:
    """A Dual with its own value and tangent arrays (writes to it reach nothing else)."""
    return own(make(*copies(a), a._tag))


def _take_indices(shape: tuple[int, ...], indices: Any, axis: int | None, mode: Any) -> Any:
    """``np.take``'s ``indices`` under ``mode`` ("raise", "wrap", "clip") as the indices that
    select the same entries with mode "raise", for an array of ``shape`` (``axis`` None: the
    flattened array). NumPy's own take on the positions 0..n-1 applies the rule (and its errors:
    an unknown mode, an index out of bounds, a non-empty take from an empty axis), so the value
    and every kind of tangent are taken by the same indices."""
    if mode is None or (isinstance(mode, str) and mode == "raise"):
        return indices
    n = math.prod(shape) if axis is None else shape[normalize_axes(axis, len(shape))[0]]
    try:
        return np.take(np.arange(n), indices, mode=mode)
    except ValueError as exc:
        raise ValueError(f"numpy.take on Duals, mode={mode!r}: {exc}") from exc


@implements(np.take)
def _take(a: Any, indices: Any, axis: int | None = None, out: Any = None,
          mode: Any = "raise") -> Any:  # fmt: skip
    """Entries by index, value and tangent alike; ``mode`` "wrap" and "clip" as NumPy's."""
    refuse_extras("take", out=out)
    if isinstance(indices, Dual):
        raise TypeError("numpy.take: indices must be integers, not a Dual")
    indices = _take_indices(shape_of(a), indices, axis, mode)
    return make(as_scalar(np.take(a._v, indices, axis)), as_scalar(np.take(a._t, indices, axis)),
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
    return make(as_scalar(v), as_scalar(t), tag)


@implements(np.dot)
def _dot(a: Any, b: Any, out: Any = None) -> Any:
    refuse_extras("dot", out=out)
    if shape_of(a) == () or shape_of(b) == ():
        return a * b
    if len(shape_of(a)) > 2 or len(shape_of(b)) > 2:
        raise TypeError("numpy.dot on Duals supports 1-D and 2-D operands; use matmul")
    return matmul(a, b)


@implements(np.outer)
def _outer(a: Any, b: Any, out: Any = None) -> Any:
    refuse_extras("outer", out=out)
    return np.reshape(a, (-1, 1)) * np.reshape(b, (1, -1))


@implements(np.concatenate)
def _concatenate(arrays: Sequence[Any], axis: int | None = 0, out: Any = None,
                 dtype: Any = None, casting: Any = None) -> Any:  # fmt: skip
    refuse_extras("concatenate", out=out, dtype=dtype, casting=casting)
    tag, vals, tans = lift(list(arrays))
    return make(np.concatenate(vals, axis=axis), np.concatenate(tans, axis=axis), tag)


def _atleast(a: Any, nd: int) -> Any:
    shape = shape_of(a)
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
    refuse_extras("stack", out=out, **kw)
    arrays = [as_array(a) for a in arrays]
    nd = len(shape_of(arrays[0])) + 1
    axis = axis % nd if -nd <= axis < nd else axis
    return _concatenate([np.expand_dims(a, axis) for a in arrays], axis=axis)


@implements(np.hstack)
def _hstack(tup: Sequence[Any], **kw: Any) -> Any:
    refuse_extras("hstack", **kw)
    arrs = [_atleast(as_array(a), 1) for a in tup]
    return _concatenate(arrs, axis=0 if len(shape_of(arrs[0])) == 1 else 1)


@implements(np.vstack)
def _vstack(tup: Sequence[Any], **kw: Any) -> Any:
    refuse_extras("vstack", **kw)
    return _concatenate([_atleast(as_array(a), 2) for a in tup], axis=0)


@implements(np.where)
def _where(cond: Any, *ab: Any) -> Any:
    if len(ab) != 2:
        raise TypeError("numpy.where on Duals needs three arguments (cond, a, b)")
    if isinstance(cond, Dual):
        cond = cond._v
    tag, (av, bv), (at, bt) = lift(ab)
    return make(as_scalar(np.where(cond, av, bv)), as_scalar(np.where(cond, at, bt)), tag)


@implements(np.clip)
def _clip(a: Any, a_min: Any = None, a_max: Any = None, out: Any = None, **kw: Any) -> Any:
    """Clip to [a_min, a_max] as minimum(maximum(a, a_min), a_max): a bound that ties shares."""
    refuse_extras("clip", out=out, **kw)
    r = a
    if a_min is not None:
        r = rules.maximum(r, a_min)
    if a_max is not None:
        r = rules.minimum(r, a_max)
    return r


@implements(np.take_along_axis)
def _take_along_axis(a: Any, indices: Any, axis: int) -> Any:
    return make(np.take_along_axis(a._v, indices, axis), np.take_along_axis(a._t, indices, axis),
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
    COMPLEX_OK.add(_f)

# functions whose rule holds for complex Duals as written (shapes, copies, products, selections
# by index, value-only predicates); linear() and kin add theirs as they declare them
COMPLEX_OK.update((
    np.reshape, np.shape, np.ndim, np.size, np.zeros_like, np.empty_like, np.ones_like,
    np.full_like, np.copy, np.take, np.dot, np.outer, np.concatenate, np.atleast_1d,
    np.atleast_2d, np.stack, np.hstack, np.vstack, np.where, np.take_along_axis,
))  # fmt: skip
