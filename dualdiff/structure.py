"""NumPy's structural functions on Duals: flips, rolls, tiles, pads, splits, stacks, blocks.

All are linear, so each is one declaration (:func:`~dualdiff.arrayfuncs.linear` for functions
of one array, :func:`~dualdiff.arrayfuncs.jointly_linear` for functions that combine several):
the value and the tangent go through the same function, constants contributing zeros.

>>> import numpy as np, dualdiff as dd
>>> x = dd.Dual(np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 0.0]))
>>> np.flip(x).tangent, np.roll(x, 1).tangent
(array([0., 0., 1.]), array([0., 1., 0.]))
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import table as rules
from .arrayfuncs import first_two, implements, jointly_linear, linear, normalize_axes, sequence
from .directions import LINEAR
from .dual import COMPLEX_OK, Dual, make
from .kinds import base_value

__all__: list[str] = []

linear(
    np.flip, np.fliplr, np.flipud, np.rot90, np.roll, np.tile, np.repeat, np.diag, np.delete,
    np.split, np.array_split, np.hsplit, np.vsplit, np.dsplit, np.resize, np.atleast_3d,
    np.diagflat,
)  # fmt: skip
jointly_linear(np.broadcast_arrays, lambda *a, **k: (list(a), lambda ops: (tuple(ops), k)))
jointly_linear(np.meshgrid, lambda *a, **k: (list(a), lambda ops: (tuple(ops), k)))
if hasattr(np, "cumulative_sum"):  # NumPy 2.1
    linear(np.cumulative_sum)
jointly_linear(np.dstack, sequence)
jointly_linear(np.column_stack, sequence)
jointly_linear(np.append, first_two)


def _insert_operands(arr: Any, obj: Any, values: Any, axis: Any = None) -> Any:
    return [arr, values], lambda ops: ((ops[0], obj, ops[1], axis), {})


jointly_linear(np.insert, _insert_operands)


def _select_operands(condlist: Any, choicelist: Any, default: Any = 0) -> Any:
    conds = [base_value(c) for c in condlist]
    return [*choicelist, default], lambda ops: ((conds, list(ops[:-1]), ops[-1]), {})


jointly_linear(np.select, _select_operands)


def _block_operands(arrays: Any) -> Any:
    leaves: list[Any] = []

    def collect(x: Any) -> Any:
        if isinstance(x, list):
            return [collect(e) for e in x]
        leaves.append(x)
        return len(leaves) - 1

    shape = collect(arrays)

    def rebuild(ops: list[Any]) -> Any:
        def fill(s: Any) -> Any:
            return [fill(e) for e in s] if isinstance(s, list) else ops[s]

        return (fill(shape),), {}

    return leaves, rebuild


jointly_linear(np.block, _block_operands)


@implements(np.pad)
def _pad(array: Any, pad_width: Any, mode: str = "constant", **kwargs: Any) -> Any:
    """Padding is linear in the array (for these modes); the pad's constants have no tangent."""
    if not isinstance(mode, str) or mode not in ("constant", "edge", "reflect", "symmetric",
                                                  "wrap"):  # fmt: skip
        raise TypeError(
            f"numpy.pad on Duals supports the modes constant, edge, reflect, symmetric and wrap, "
            f"not {mode!r}"
        )
    tkw = dict(kwargs)
    if mode == "constant":
        c = kwargs.get("constant_values", 0)
        if isinstance(c, Dual) or any(isinstance(e, Dual) for e in np.ravel(np.asarray(c, object))):
            raise TypeError("numpy.pad on Duals: constant_values must be constants")
        tkw["constant_values"] = 0
    v = np.pad(array._v, pad_width, mode=mode, **kwargs)
    return make(v, np.pad(array._t, pad_width, mode=mode, **tkw), array._tag)


LINEAR.add(np.pad)  # on vector mode's tangents: one direction at a time


@implements(np.real)
def _real(val: Any) -> Any:
    return rules.real(val)  # the rule table's row: R-linear, Re(dz)


@implements(np.imag)
def _imag(val: Any) -> Any:
    return rules.imag(val)


@implements(np.angle)
def _angle(z: Any, deg: bool = False) -> Any:
    a = rules.angle(z)
    return rules.rad2deg(a) if deg else a


@implements(np.fix)
def _fix(x: Any, out: Any = None) -> Any:
    return np.trunc(x)


@implements(np.sinc)
def _sinc(x: Any) -> Any:
    return rules.sinc(x)


@implements(np.put)
def _put_flat(a: Any, ind: Any, v: Any, mode: str = "raise") -> None:
    """a.flat[ind] = v, in place, value and tangent (mode 'raise' only)."""
    if mode != "raise" or not isinstance(a, Dual):
        raise TypeError("numpy.put on Duals writes into a Dual array, with mode='raise'")
    idx = np.unravel_index(np.asarray(ind), a.shape)
    a[idx] = v if np.ndim(base_value(v)) == 0 else np.resize(v, np.shape(idx[0]))


@implements(np.putmask)
def _putmask(a: Any, mask: Any, values: Any) -> None:
    """a[mask] = values, in place; values repeat over the masked positions as NumPy repeats them
    (over all positions, so entry i takes values[i % len(values)])."""
    if not isinstance(a, Dual):
        raise TypeError("numpy.putmask on Duals writes into a Dual array")
    m = np.asarray(base_value(mask), dtype=bool)
    if np.ndim(base_value(values)) == 0:
        a[m] = values
    else:
        a[m] = np.reshape(np.resize(values, a.size), a.shape)[m]


@implements(np.place)
def _place(arr: Any, mask: Any, vals: Any) -> None:
    """arr[mask] = vals, in place; vals repeat over the masked positions in order."""
    if not isinstance(arr, Dual):
        raise TypeError("numpy.place on Duals writes into a Dual array")
    m = np.asarray(base_value(mask), dtype=bool)
    count = int(m.sum())
    arr[m] = vals if np.ndim(base_value(vals)) == 0 else np.resize(vals, count)


def _np_gradient(f: Any, *varargs: Any, axis: Any = None, edge_order: int = 1) -> Any:
    """np.gradient, also for object arrays of mpf (NumPy computes those in float64): central
    differences inside, one-sided at the edges, with scalar spacings."""
    b = base_value(f) if isinstance(f, Dual) else f
    if not (isinstance(b, np.ndarray) and b.dtype == object):
        return np.gradient(f, *varargs, axis=axis, edge_order=edge_order)
    nd = b.ndim
    axes = tuple(range(nd)) if axis is None else normalize_axes(axis, nd)
    spacing = list(varargs) if len(varargs) > 1 else list(varargs) * len(axes) or [1] * len(axes)
    if edge_order != 1 or any(np.ndim(h) != 0 for h in spacing):
        raise TypeError("numpy.gradient of mpf arrays: scalar spacings and edge_order=1 only")
    out = []
    for ax, h in zip(axes, spacing, strict=True):
        n = b.shape[ax]

        def take(i: Any, ax: int = ax) -> Any:
            return np.take(f, i, axis=ax)

        parts = [np.expand_dims(take(1) - take(0), ax)]
        if n > 2:
            parts.append((take(range(2, n)) - take(range(n - 2))) / 2)
        parts.append(np.expand_dims(take(n - 1) - take(n - 2), ax))
        out.append(np.concatenate(parts, axis=ax) / h)
    return out[0] if len(out) == 1 else out


def _gradient(f: Any, *varargs: Any, axis: Any = None, edge_order: int = 1) -> Any:
    r = [_np_gradient(p, *varargs, axis=axis, edge_order=edge_order) for p in (f._v, f._t)]
    if isinstance(r[0], list):
        return [make(v, t, f._tag) for v, t in zip(*r, strict=True)]
    return make(r[0], r[1], f._tag)


implements(np.gradient)(_gradient)
LINEAR.add(np.gradient)
COMPLEX_OK.update((np.real, np.imag, np.angle, np.put, np.putmask, np.place, np.fix, np.sinc))
