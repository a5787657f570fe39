"""Sparsity patterns as tangents: which inputs each entry of a value depends on.

A :class:`Pattern` stands where a tangent stands, and every rule that would carry a derivative
carries the pattern instead: a slope times a pattern is the pattern (whatever the slope's number,
so a slope that happens to be 0 at this point never hides a dependence), a sum of tangents is the
union of their patterns, and NumPy's shape functions and reductions move and gather rows. So
running F once on ``Dual(x, identity pattern)`` yields, row by row, the inputs each entry of
F(x) depends on: the Jacobian's sparsity pattern, conservative by construction (it never misses a
nonzero). Branches in F's own Python code follow the point F is run at; NumPy's selections
(``where``, ``maximum``, ``abs``, ``clip``) keep every side's dependence, so the pattern holds
wherever the same Python branches are taken.

Patterns at two levels of a nested Dual give the Hessian's pattern: where a slope that depends on
the inputs (a pattern, at the inner level) multiplies a tangent (a pattern, at the outer level),
the product is their pairs, row by row (a second-order pattern over n·n columns), exactly where
forward over forward forms ``f''·u'·v'``.

Representation: a boolean CSR matrix (scipy.sparse) with one row per entry of the value (C
order) and one column per input direction. The module needs SciPy (the ``scipy`` extra).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..conventions import SPECIAL
from ..directions import Directions, Tangent

try:
    import scipy.sparse as _sp
except ImportError as exc:  # pragma: no cover - exercised by tests/test_without_scipy.py
    raise ImportError(
        "dualdiff.sparse needs SciPy (its results are scipy.sparse matrices): "
        'pip install "dualdiff-ad[scipy]"'
    ) from exc

__all__ = ["PROBE_LIMIT", "Pattern", "identity"]

#: a linear function applied to a pattern that is not a selection (each output one input or 0)
#: and has no rule here is probed with the identity in vector mode up to this many input
#: entries; above it, each output entry conservatively depends on every input entry's inputs
PROBE_LIMIT = 2048

_BOOL = np.bool_


def _csr(indptr: Any, indices: Any, nrows: int, ncols: int) -> Any:
    data = np.ones(len(indices), dtype=_BOOL)
    return _sp.csr_matrix((data, indices, indptr), shape=(nrows, ncols))


def _empty(nrows: int, ncols: int) -> Any:
    return _csr(np.zeros(nrows + 1, dtype=np.int64), np.zeros(0, dtype=np.int32), nrows, ncols)


def identity(shape: tuple[int, ...]) -> Pattern:
    """The seed pattern of an input of ``shape``: entry i depends on input i alone.

    >>> identity((3,)).to_matrix().toarray().astype(int)
    array([[1, 0, 0],
           [0, 1, 0],
           [0, 0, 1]])
    """
    n = math.prod(shape)
    return Pattern(_sp.identity(n, dtype=_BOOL, format="csr"), shape)


class Pattern(Tangent):
    """A tangent that records which inputs each entry of its value depends on (not how much).

    ``m`` is a boolean CSR matrix with one row per entry of the value (C order) and one column
    per input; ``shape`` is the value's shape.

    >>> import numpy as np
    >>> p = identity((4,))
    >>> (p[1:] + np.cos(1.0) * p[:-1]).to_matrix().toarray().astype(int)
    array([[1, 1, 0, 0],
           [0, 1, 1, 0],
           [0, 0, 1, 1]])
    """

    __slots__ = ("m", "shape")
    __array_priority__ = 20
    dtype = np.dtype(np.float64)  # the kind of number it stands for, for code that asks

    def __init__(self, m: Any, shape: tuple[int, ...]) -> None:
        self.m = m
        self.shape = tuple(int(n) for n in shape)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    @property
    def ncols(self) -> int:
        return self.m.shape[1]

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of a 0-d tangent")
        return self.shape[0]

    def __repr__(self) -> str:
        return f"Pattern(shape={self.shape}, inputs={self.ncols}, nonzeros={self.m.nnz})"

    def to_matrix(self) -> Any:
        """The pattern as a boolean ``scipy.sparse.csr_matrix`` (entries × inputs)."""
        return self.m

    def __array__(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(
            "a sparsity pattern cannot become an array: a function in F converts its input "
            "with np.asarray (or calls out of NumPy); dd.sparsity follows NumPy functions only"
        )

    # --- rows ------------------------------------------------------------------------------
    def gather(self, rows: Any) -> Pattern:
        """The pattern whose entry k is row ``rows[k]`` of this one (-1: no dependence)."""
        rows = np.asarray(rows)
        flat = rows.ravel()
        n = len(flat)
        src = self.m
        if n and flat[0] >= 0 and flat[-1] - flat[0] == n - 1 and np.all(np.diff(flat) == 1):
            a, b = int(flat[0]), int(flat[-1]) + 1  # a run of rows: a slice, no copy
            ip = src.indptr[a : b + 1]
            m = _csr(ip - ip[0], src.indices[ip[0] : ip[-1]], n, self.ncols)
            return Pattern(m, rows.shape)
        indptr, indices = src.indptr, src.indices
        if np.any(flat < 0):
            indptr = np.append(indptr, indptr[-1])  # an empty row at the end
            flat = np.where(flat < 0, self.size, flat)
        counts = indptr[flat + 1] - indptr[flat]
        out = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=out[1:])
        pos = np.repeat(indptr[flat] - out[:-1], counts) + np.arange(out[-1])
        return Pattern(_csr(out, indices[pos], n, self.ncols), rows.shape)

    def broadcast(self, shape: tuple[int, ...]) -> Pattern:
        """The pattern of the value broadcast to ``shape``."""
        shape = tuple(shape)
        if shape == self.shape:
            return self
        ids = np.arange(self.size).reshape(self.shape)
        return self.gather(np.broadcast_to(ids, shape))

    def union(self, other: Pattern) -> Pattern:
        """Entry by entry, the inputs either depends on (broadcast to one shape)."""
        if self.ncols != other.ncols:
            raise ValueError(
                f"sparsity patterns over {self.ncols} and {other.ncols} inputs met in one sum"
            )
        shape = np.broadcast_shapes(self.shape, other.shape)
        a, b = self.broadcast(shape), other.broadcast(shape)
        return Pattern(a.m + b.m, shape)

    def pairs(self, other: Pattern) -> Pattern:
        """Entry by entry, the pairs (i, j) of an input i of this pattern and an input j of
        ``other``: column ``i * other.ncols + j`` (the second-order pattern of a product)."""
        shape = np.broadcast_shapes(self.shape, other.shape)
        a, b = self.broadcast(shape).m, other.broadcast(shape).m
        na, nb = np.diff(a.indptr), np.diff(b.indptr)
        per = na * nb
        out = np.zeros(len(per) + 1, dtype=np.int64)
        np.cumsum(per, out=out[1:])
        total = int(out[-1])
        row = np.repeat(np.arange(len(per)), per)
        k = np.arange(total) - out[:-1][row]  # the k-th pair of its row
        nbr = nb[row]
        ia = a.indices[a.indptr[:-1][row] + k // np.maximum(nbr, 1)]
        ib = b.indices[b.indptr[:-1][row] + k % np.maximum(nbr, 1)]
        cols = ia.astype(np.int64) * other.ncols + ib
        ncols = self.ncols * other.ncols
        m = _sp.csr_matrix(
            (np.ones(total, dtype=_BOOL), (row, cols)), shape=(len(per), ncols)
        )  # coo → csr sorts the columns of each row
        return Pattern(m, shape)

    def linear(self, M: Any, shape: tuple[int, ...]) -> Pattern:
        """The pattern of ``M @ value`` for a linear map of the value with matrix ``M`` (any
        numbers; its nonzeros are what counts)."""
        M = _sp.csr_matrix(M)
        M = _sp.csr_matrix((np.ones(M.nnz, dtype=_BOOL), M.indices, M.indptr), shape=M.shape)
        return Pattern(M @ self.m, shape)

    def everywhere(self, shape: tuple[int, ...]) -> Pattern:
        """Every entry of ``shape`` depending on every input any entry here depends on."""
        row = self.m.sum(axis=0).A1 > 0
        cols = np.flatnonzero(row)
        n = math.prod(shape)
        indptr = np.arange(n + 1, dtype=np.int64) * len(cols)
        return Pattern(_csr(indptr, np.tile(cols, n), n, self.ncols), shape)

    def zeros(self, shape: tuple[int, ...]) -> Pattern:
        """The pattern of a constant of ``shape``: no dependence (over the same inputs)."""
        n = math.prod(shape)
        return Pattern(_empty(n, self.ncols), shape)

    def assigned(self, idx: Any, item: Any) -> Pattern:
        """The pattern after ``value[idx] = item``: the entries at idx take item's pattern (none,
        for a constant)."""
        target = np.arange(self.size).reshape(self.shape)[idx]
        rows = np.arange(self.size)
        if type(item) is Pattern:
            if item.ncols != self.ncols:
                raise ValueError("an item over other inputs assigned into a sparsity pattern")
            item = item.broadcast(np.shape(target))
            rows[target.ravel()] = self.size + np.arange(target.size)
            stacked = Pattern(_sp.vstack([self.m, item.m], format="csr"), (self.size + item.size,))
            return stacked.gather(rows.reshape(self.shape))
        rows[target.ravel()] = -1
        return self.gather(rows.reshape(self.shape))

    # --- tangent arithmetic ----------------------------------------------------------------
    def __add__(self, other: Any) -> Any:
        if type(other) is Pattern:
            return self.union(other)
        if _is_dual(other):
            return NotImplemented
        return self.broadcast(np.broadcast_shapes(self.shape, np.shape(other)))  # a zero

    __radd__ = __add__
    __sub__ = __add__
    __rsub__ = __add__

    def __neg__(self) -> Pattern:
        return self

    def __pos__(self) -> Pattern:
        return self

    def __mul__(self, other: Any) -> Any:
        if type(other) is Pattern:
            return self.pairs(other)
        if _is_dual(other) or type(other) is Directions:
            return NotImplemented
        return self.broadcast(np.broadcast_shapes(self.shape, np.shape(other)))

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Any:
        if _is_dual(other) or isinstance(other, Tangent):
            return NotImplemented
        return self.broadcast(np.broadcast_shapes(self.shape, np.shape(other)))

    def __getitem__(self, idx: Any) -> Pattern:
        return self.gather(np.arange(self.size).reshape(self.shape)[idx])

    # --- NumPy protocols -------------------------------------------------------------------
    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if any(_is_dual(x) for x in inputs):
            return NotImplemented
        if method == "__call__" and not kwargs:
            if ufunc in (np.multiply, np.add, np.subtract):
                a, b = inputs
                return a * b if ufunc is np.multiply and type(a) is Pattern else _pair(ufunc, a, b)
            if ufunc is np.true_divide and type(inputs[0]) is Pattern:
                return inputs[0] / inputs[1]
            if ufunc in (np.negative, np.positive, np.conjugate):
                return inputs[0]
            if ufunc is np.matmul:
                return _matmul(*inputs)
        raise TypeError(
            f"numpy.{ufunc.__name__} met a sparsity pattern: it has no rule for tracing "
            "dependences (dd.sparsity follows the operations that carry derivatives)"
        )

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        if any(getattr(t, "_is_dual", False) for t in types):
            return NotImplemented
        impl = _FUNCS.get(func)
        if impl is not None:
            return impl(*args, **kwargs)
        return _generic(func, args, kwargs)


def _pair(ufunc: Any, a: Any, b: Any) -> Any:
    if ufunc is np.multiply:
        return b * a
    return a + b if type(a) is Pattern else b + a


def _is_dual(x: Any) -> bool:
    return getattr(type(x), "_is_dual", False)


def _scale(s: Any, t: Any) -> Any:
    """``s·t`` for conventions.scale, roles kept: a slope times a pattern is the pattern; a
    pattern as the slope (a nested Dual's inner level) times a pattern is their pairs; a pattern
    as the slope times a constant's tangent (zero) is zero."""
    if type(t) is Pattern:
        return t.pairs(s) if type(s) is Pattern else t * s
    return np.zeros(np.broadcast_shapes(s.shape, np.shape(t)))


SPECIAL[Pattern] = _scale


# --- NumPy functions ----------------------------------------------------------------------------
def _ids(p: Pattern) -> Any:
    return np.arange(p.size).reshape(p.shape)


def _sum(a: Pattern, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
         **kwargs: Any) -> Pattern:  # fmt: skip
    if out is not None or kwargs:
        return _generic(np.sum, (a,), dict(axis=axis, dtype=dtype, out=out, keepdims=keepdims,
                                           **kwargs))  # fmt: skip
    kept = np.sum(np.zeros(a.shape), axis=axis, keepdims=True).shape
    owner = np.broadcast_to(np.arange(math.prod(kept)).reshape(kept), a.shape).ravel()
    shape = np.sum(np.zeros(a.shape), axis=axis, keepdims=keepdims).shape
    M = _sp.csr_matrix(
        (np.ones(a.size, dtype=_BOOL), (owner, np.arange(a.size))), shape=(math.prod(kept), a.size)
    )
    return a.linear(M, shape)


def _mean(a: Pattern, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
          **kwargs: Any) -> Pattern:  # fmt: skip
    return _sum(a, axis=axis, dtype=dtype, out=out, keepdims=keepdims, **kwargs)


def _diff(a: Pattern, n: int = 1, axis: int = -1, **kwargs: Any) -> Pattern:
    if kwargs:
        return _generic(np.diff, (a,), dict(n=n, axis=axis, **kwargs))
    for _ in range(n):
        ax = axis % a.ndim
        hi = tuple(slice(1, None) if i == ax else slice(None) for i in range(a.ndim))
        lo = tuple(slice(None, -1) if i == ax else slice(None) for i in range(a.ndim))
        a = a[hi] + a[lo]
    return a


def _where(cond: Any, a: Any, b: Any) -> Pattern:
    shape = np.broadcast_shapes(np.shape(cond), np.shape(a), np.shape(b))
    parts = [p.broadcast(shape) for p in (a, b) if type(p) is Pattern]
    return parts[0] if len(parts) == 1 else parts[0] + parts[1]  # both sides, wherever cond


def _matmul(a: Any, b: Any) -> Pattern:
    """``a @ b`` with one side a pattern, the other a constant matrix (any batch: probed)."""
    if type(a) is Pattern and type(b) is Pattern:  # a pattern as a slope (nested): the pairs
        a2 = a if a.ndim >= 2 else a[None, :]
        b2 = b if b.ndim >= 2 else b[:, None]
        out = _sum(a2[..., :, :, None].pairs(b2[..., None, :, :]), axis=-2)
        shape = np.matmul(np.empty(a.shape), np.empty(b.shape)).shape
        return out.gather(np.arange(out.size).reshape(shape))
    p, c = (a, b) if type(a) is Pattern else (b, a)
    c = np.asarray(c)
    if p.ndim == 1 and c.ndim == 2:
        M = c.T if p is a else c  # x @ C = C.T @ x; C @ x
        return p.linear(M != 0, (M.shape[0],))
    if p.ndim == 2 and c.ndim == 2:
        r, k = p.shape
        if p is b:  # C @ P: rows mix
            M = _sp.kron(_sp.csr_matrix(c != 0), _sp.identity(k, dtype=_BOOL))
            return p.linear(M, (c.shape[0], k))
        M = _sp.kron(_sp.identity(r, dtype=_BOOL), _sp.csr_matrix(c.T != 0))  # P @ C
        return p.linear(M, (r, c.shape[1]))
    return _generic(np.matmul, (a, b), {})


def _shape(a: Pattern) -> tuple[int, ...]:
    return a.shape


def _ndim(a: Pattern) -> int:
    return a.ndim


_FUNCS: dict[Any, Callable[..., Any]] = {
    np.sum: _sum,
    np.mean: _mean,
    np.diff: _diff,
    np.where: _where,
    np.matmul: _matmul,
    np.dot: _matmul,
    np.shape: _shape,
    np.ndim: _ndim,
}


def _patterns(x: Any, found: list[Pattern]) -> None:
    if type(x) is Pattern:
        found.append(x)
    elif isinstance(x, (list, tuple)):
        for e in x:
            _patterns(e, found)


def _swap(x: Any, table: dict[int, Any]) -> Any:
    if type(x) is Pattern:
        return table[id(x)]
    if isinstance(x, (list, tuple)):
        return type(x)(_swap(e, table) for e in x)
    return x


def _generic(func: Any, args: Any, kwargs: dict[str, Any]) -> Any:
    """A linear function of the patterns among ``args``: a selection (each output entry one
    input entry, or 0) is found by running ``func`` on entry numbers and checked on random
    numbers; another linear map is probed with the identity (up to PROBE_LIMIT entries); past
    that, every output depends on everything (conservative)."""
    found: list[Pattern] = []
    _patterns(list(args) + list(kwargs.values()), found)
    if not found:
        return func(*args, **kwargs)
    ncols = {p.ncols for p in found}
    if len(ncols) != 1:
        raise ValueError("sparsity patterns over different inputs met in one function")
    offsets = np.cumsum([0] + [p.size for p in found])
    ids = {id(p): (np.arange(p.size, dtype=np.float64) + 1 + o).reshape(p.shape)
           for p, o in zip(found, offsets, strict=False)}  # fmt: skip
    rng = np.random.default_rng(0)
    w = rng.uniform(1.0, 2.0, int(offsets[-1]) + 1)
    w[0] = 0.0
    weights = {id(p): w[1 + o : 1 + o + p.size].reshape(p.shape)
               for p, o in zip(found, offsets, strict=False)}  # fmt: skip
    try:
        src = func(*_swap(list(args), ids), **{k: _swap(v, ids) for k, v in kwargs.items()})
        got = func(*_swap(list(args), weights), **{k: _swap(v, weights) for k, v in kwargs.items()})
    except TypeError:
        src = None
    stacked = found[0]
    if len(found) > 1:
        stacked = Pattern(_sp.vstack([p.m for p in found], format="csr"), (int(offsets[-1]),))
    if isinstance(src, np.ndarray) and src.dtype.kind == "f":
        rows = np.rint(src).astype(np.int64)
        ok = (
            np.all(rows == src) and np.all((rows >= 0) & (rows <= offsets[-1]))
            and np.array_equal(np.asarray(got), w[rows])
        )  # fmt: skip
        if ok:
            return stacked.gather(rows - 1)
    total = int(offsets[-1])
    if total <= PROBE_LIMIT:  # the map's matrix, column by column, in vector mode
        eyes = {id(p): Directions(np.eye(total)[:, o : o + p.size].reshape(total, *p.shape))
                for p, o in zip(found, offsets, strict=False)}  # fmt: skip
        try:
            out = func(*_swap(list(args), eyes), **{k: _swap(v, eyes) for k, v in kwargs.items()})
        except TypeError:
            out = None
        if type(out) is Directions:
            cols = out.array.reshape(total, -1)
            return stacked.linear(_sp.csr_matrix((cols != 0).T), out.shape)
    shape = np.shape(func(*_swap(list(args), ids), **{k: _swap(v, ids) for k, v in kwargs.items()}))
    return stacked.everywhere(shape)
