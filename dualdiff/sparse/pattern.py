"""Sparsity patterns as tangents: which inputs each entry of a value depends on.

A :class:`Pattern` stands where a tangent stands, and every rule that would carry a derivative
carries the pattern instead: a slope times a pattern is the pattern (whatever the slope's number,
so a slope that happens to be 0 at this point never hides a dependence), a sum of tangents is the
union of their patterns, and NumPy's shape functions and reductions move and gather rows. So
running F once on ``Dual(x, identity pattern)`` yields, row by row, the inputs each entry of
F(x) depends on: the Jacobian's sparsity pattern, conservative by construction (it never misses a
nonzero). Branches in F's own Python code, and selections by indices computed from the values
(``sort``, ``median``, ``x[np.argmax(x)]``), follow the point F is run at; NumPy's selections
(``where``, ``maximum``, ``abs``, ``clip``, ``max``) keep every side's dependence, so the
pattern holds wherever the same branches and orderings are taken.

Patterns at two levels of a nested Dual give the Hessian's pattern: where a slope that depends on
the inputs (a pattern, at the inner level) multiplies a tangent (a pattern, at the outer level),
the product is their pairs, row by row (a second-order pattern over n·n columns), exactly where
forward over forward forms ``f''·u'·v'``.

A :class:`SparseTangent` is the same rows with their numbers: each entry's derivatives in
sparse form, what ``gradient(f, x, sparse=True)`` carries, so that an intermediate that depends
on a few inputs costs a few numbers, not n. Both share :class:`Rows`: entry selection, shape
functions and reductions, and the probe for other linear NumPy functions.

Representation: a CSR matrix (scipy.sparse; boolean for a pattern) with one row per entry of the
value (C order) and one column per input direction. The module needs SciPy (the ``scipy`` extra).
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

__all__ = ["PROBE_LIMIT", "Pattern", "Rows", "SparseTangent", "identity"]

#: a linear function applied to a pattern that is not a selection (each output one input or 0)
#: and has no rule here is probed with the identity in vector mode up to this many input
#: entries; above it, each output entry conservatively depends on every input entry's inputs
PROBE_LIMIT = 2048

_BOOL = np.bool_


def _csr(indptr: Any, indices: Any, nrows: int, ncols: int, data: Any = None) -> Any:
    if data is None:
        data = np.ones(len(indices), dtype=_BOOL)
    return _sp.csr_matrix((data, indices, indptr), shape=(nrows, ncols))


def _empty(nrows: int, ncols: int, dtype: Any = _BOOL) -> Any:
    indptr = np.zeros(nrows + 1, dtype=np.int64)
    return _csr(indptr, np.zeros(0, dtype=np.int32), nrows, ncols, np.zeros(0, dtype=dtype))


def identity(shape: tuple[int, ...], values: bool = False) -> Rows:
    """The seed of an input of ``shape``: entry i depends on input i alone (a :class:`Pattern`;
    with ``values``, a :class:`SparseTangent` of ones: the identity Jacobian).

    >>> identity((3,)).to_matrix().toarray().astype(int)
    array([[1, 0, 0],
           [0, 1, 0],
           [0, 0, 1]])
    """
    n = math.prod(shape)
    if values:
        return SparseTangent(_sp.identity(n, dtype=np.float64, format="csr"), shape)
    return Pattern(_sp.identity(n, dtype=_BOOL, format="csr"), shape)


class Rows(Tangent):
    """A tangent stored as sparse rows: one row per entry of the value (C order), one column per
    input direction. :class:`Pattern` keeps only where the rows are nonzero; a
    :class:`SparseTangent` keeps the numbers too."""

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
        kind = type(self).__name__
        return f"{kind}(shape={self.shape}, inputs={self.ncols}, nonzeros={self.m.nnz})"

    def to_matrix(self) -> Any:
        """The rows as a ``scipy.sparse.csr_matrix`` (entries × inputs)."""
        return self.m

    def __array__(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(
            "a sparse tangent cannot become an array: a function in F converts its input "
            "with np.asarray (or calls out of NumPy); sparse derivatives follow NumPy functions"
        )

    def _check(self, other: Rows) -> None:
        if self.ncols != other.ncols:
            raise ValueError(
                f"sparse tangents over {self.ncols} and {other.ncols} inputs met in one operation"
            )

    # --- rows ------------------------------------------------------------------------------
    def gather(self, rows: Any) -> Any:
        """The tangent whose entry k is row ``rows[k]`` of this one (-1: a zero row)."""
        rows = np.asarray(rows)
        flat = rows.ravel()
        n = len(flat)
        src = self.m
        if n and flat[0] >= 0 and flat[-1] - flat[0] == n - 1 and np.all(np.diff(flat) == 1):
            a, b = int(flat[0]), int(flat[-1]) + 1  # a run of rows: slices, no copy
            ip = src.indptr[a : b + 1]
            m = _csr(ip - ip[0], src.indices[ip[0] : ip[-1]], n, self.ncols,
                     src.data[ip[0] : ip[-1]])  # fmt: skip
            return type(self)(m, rows.shape)
        indptr, indices = src.indptr, src.indices
        if np.any(flat < 0):
            indptr = np.append(indptr, indptr[-1])  # an empty row at the end
            flat = np.where(flat < 0, self.size, flat)
        counts = indptr[flat + 1] - indptr[flat]
        out = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=out[1:])
        pos = np.repeat(indptr[flat] - out[:-1], counts) + np.arange(out[-1])
        m = _csr(out, indices[pos], n, self.ncols, src.data[pos])
        return type(self)(m, rows.shape)

    def broadcast(self, shape: tuple[int, ...]) -> Any:
        """The tangent of the value broadcast to ``shape``."""
        shape = tuple(shape)
        if shape == self.shape:
            return self
        ids = np.arange(self.size).reshape(self.shape)
        return self.gather(np.broadcast_to(ids, shape))

    def stacked(self, others: list[Rows]) -> Any:
        """This tangent's rows, then each of ``others``' (a flat tangent)."""
        if not others:
            return self.gather(np.arange(self.size))
        for o in others:
            self._check(o)
        m = _sp.vstack([self.m, *(o.m for o in others)], format="csr")
        return type(self)(m, (m.shape[0],))

    def zeros(self, shape: tuple[int, ...]) -> Any:
        """The tangent of a constant of ``shape``: zero rows (over the same inputs)."""
        return type(self)(_empty(math.prod(shape), self.ncols, self.m.dtype), shape)

    def assigned(self, idx: Any, item: Any) -> Any:
        """The tangent after ``value[idx] = item``: the entries at idx take item's rows (zero,
        for a constant)."""
        target = np.arange(self.size).reshape(self.shape)[idx]
        rows = np.arange(self.size)
        if type(item) is type(self):
            item = item.broadcast(np.shape(target))
            rows[target.ravel()] = self.size + np.arange(target.size)
            return self.stacked([item]).gather(rows.reshape(self.shape))
        if isinstance(item, Tangent):
            raise TypeError(f"a {type(item).__name__} assigned into a {type(self).__name__}")
        rows[target.ravel()] = -1
        return self.gather(rows.reshape(self.shape))

    def _sum_rows(self, other: Rows, sign: int) -> Any:
        self._check(other)
        shape = np.broadcast_shapes(self.shape, other.shape)
        a, b = self.broadcast(shape), other.broadcast(shape)
        return type(self)(a.m + b.m if sign > 0 else a.m - b.m, shape)

    # --- tangent arithmetic ----------------------------------------------------------------
    def __add__(self, other: Any) -> Any:
        if type(other) is type(self):
            return self._sum_rows(other, 1)
        if _is_dual(other) or isinstance(other, Tangent):
            return NotImplemented
        return self.broadcast(np.broadcast_shapes(self.shape, np.shape(other)))  # a zero

    __radd__ = __add__

    def __sub__(self, other: Any) -> Any:
        if type(other) is type(self):
            return self._sum_rows(other, -1)
        return self.__add__(other)

    def __rsub__(self, other: Any) -> Any:
        r = self.__add__(other)
        return -r if r is not NotImplemented else r

    def __pos__(self) -> Any:
        return self

    def __getitem__(self, idx: Any) -> Any:
        return self.gather(np.arange(self.size).reshape(self.shape)[idx])

    # --- NumPy protocols -------------------------------------------------------------------
    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if any(_is_dual(x) for x in inputs):
            return NotImplemented
        if method == "__call__" and not kwargs:
            if ufunc is np.multiply:
                a, b = inputs
                return a * b if isinstance(a, Rows) else b * a
            if ufunc is np.add:
                a, b = inputs
                return a + b if isinstance(a, Rows) else b + a
            if ufunc is np.subtract:
                a, b = inputs
                return a - b if isinstance(a, Rows) else b.__rsub__(a)
            if ufunc is np.true_divide and isinstance(inputs[0], Rows):
                return inputs[0] / inputs[1]
            if ufunc is np.negative:
                return -inputs[0]
            if ufunc is np.positive:
                return inputs[0]
            if ufunc is np.matmul:
                return _matmul(*inputs)
        raise TypeError(
            f"numpy.{ufunc.__name__} met a sparse tangent: it has no rule for sparse "
            "derivatives (they follow the operations that carry derivatives)"
        )

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        if any(getattr(t, "_is_dual", False) for t in types):
            return NotImplemented
        impl = _FUNCS.get(func)
        if impl is not None:
            return impl(*args, **kwargs)
        return _generic(func, args, kwargs)


class Pattern(Rows):
    """A tangent that records which inputs each entry of its value depends on (not how much):
    boolean rows; a slope times a pattern is the pattern, whatever the slope's number.

    >>> import numpy as np
    >>> p = identity((4,))
    >>> (p[1:] + np.cos(1.0) * p[:-1]).to_matrix().toarray().astype(int)
    array([[1, 1, 0, 0],
           [0, 1, 1, 0],
           [0, 0, 1, 1]])
    """

    __slots__ = ()

    def _sum_rows(self, other: Rows, sign: int) -> Any:
        return super()._sum_rows(other, 1)  # a union, whatever the sign

    def __neg__(self) -> Pattern:
        return self

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
        nbr = np.maximum(nb[row], 1)
        ia = a.indices[a.indptr[:-1][row] + k // nbr]
        ib = b.indices[b.indptr[:-1][row] + k % nbr]
        cols = ia.astype(np.int64) * other.ncols + ib
        m = _sp.csr_matrix(
            (np.ones(total, dtype=_BOOL), (row, cols)), shape=(len(per), self.ncols * other.ncols)
        )  # coo → csr sorts the columns of each row
        return Pattern(m, shape)

    def linear(self, M: Any, shape: tuple[int, ...]) -> Pattern:
        """The pattern of ``M @ value`` for a linear map of the value with matrix ``M`` (its
        nonzeros are what counts)."""
        M = _sp.csr_matrix(M)
        M = _sp.csr_matrix((np.ones(M.nnz, dtype=_BOOL), M.indices, M.indptr), shape=M.shape)
        return Pattern(M @ self.m, shape)

    def everywhere(self, shape: tuple[int, ...]) -> Pattern:
        """Every entry of ``shape`` depending on every input any entry here depends on."""
        cols = np.flatnonzero(self.m.sum(axis=0).A1 > 0)
        n = math.prod(shape)
        indptr = np.arange(n + 1, dtype=np.int64) * len(cols)
        return Pattern(_csr(indptr, np.tile(cols, n), n, self.ncols), shape)

    def __mul__(self, other: Any) -> Any:
        if type(other) is Pattern:
            return self.pairs(other)
        if _is_dual(other) or isinstance(other, Tangent):
            return NotImplemented
        return self.broadcast(np.broadcast_shapes(self.shape, np.shape(other)))

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Any:
        return self.__mul__(other) if not isinstance(other, Tangent) else NotImplemented


class SparseTangent(Rows):
    """A tangent whose rows are the derivatives of each entry in sparse form: what a gradient
    of a partially separable function carries, at a cost that follows the nonzeros.

    >>> import numpy as np
    >>> t = identity((3,), values=True)
    >>> (np.array([2.0, 3.0]) * t[1:] - t[:-1]).to_matrix().toarray()
    array([[-1.,  2.,  0.],
           [ 0., -1.,  3.]])
    """

    __slots__ = ()

    def __neg__(self) -> SparseTangent:
        return SparseTangent(-self.m, self.shape)

    def scaled(self, s: Any) -> Any:
        """Each entry's row times the slope ``s`` at that entry (broadcast); ``0·∞ = 0``."""
        if _is_dual(s) or isinstance(s, Tangent):
            return NotImplemented
        shape = np.broadcast_shapes(self.shape, np.shape(s))
        t = self.broadcast(shape)
        m = t.m
        per_row = np.broadcast_to(np.asarray(s), shape).ravel()
        with np.errstate(invalid="ignore"):
            data = m.data * np.repeat(per_row, np.diff(m.indptr))
        if np.any(data != data):  # 0·∞ = 0: a zero factor gives a zero product
            zero = (m.data == 0) | (np.repeat(per_row, np.diff(m.indptr)) == 0)
            data = np.where(zero, 0.0, data)
        dtype = np.result_type(data, 0.0)
        return SparseTangent(_csr(m.indptr, m.indices, t.size, t.ncols, data.astype(dtype)), shape)

    __mul__ = scaled
    __rmul__ = scaled

    def __truediv__(self, other: Any) -> Any:
        if _is_dual(other) or isinstance(other, Tangent):
            return NotImplemented
        return self.scaled(1.0 / np.asarray(other, dtype=np.result_type(other, 0.0)))

    def linear(self, M: Any, shape: tuple[int, ...]) -> SparseTangent:
        """The tangent of ``M @ value`` for a linear map of the value with matrix ``M``."""
        return SparseTangent(_sp.csr_matrix(M) @ self.m, shape)

    def dense(self) -> Any:
        """The rows as a dense array of shape ``value shape + (inputs,)``."""
        return self.m.toarray().reshape(*self.shape, self.ncols)


def _is_dual(x: Any) -> bool:
    return getattr(type(x), "_is_dual", False)


def _scale_pattern(s: Any, t: Any) -> Any:
    """``s·t`` for conventions.scale, roles kept: a slope times a pattern is the pattern; a
    pattern as the slope (a nested Dual's inner level) times a pattern is their pairs; a pattern
    as the slope times a constant's tangent (zero) is zero."""
    if type(t) is Pattern:
        return t.pairs(s) if type(s) is Pattern else t * s
    return np.zeros(np.broadcast_shapes(s.shape, np.shape(t)))


def _scale_sparse(s: Any, t: Any) -> Any:
    """``s·t`` for conventions.scale: the sparse tangent's rows times the other factor."""
    if type(s) is SparseTangent and type(t) is SparseTangent:
        raise TypeError("two sparse tangents met in a product")
    return t.scaled(s) if type(t) is SparseTangent else s.scaled(t)


SPECIAL[Pattern] = _scale_pattern
SPECIAL[SparseTangent] = _scale_sparse


# --- NumPy functions ----------------------------------------------------------------------------
def _sum(a: Rows, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
         _mean: bool = False, **kwargs: Any) -> Rows:  # fmt: skip
    if out is not None or kwargs:
        f = np.mean if _mean else np.sum
        return _generic(f, (a,), dict(axis=axis, dtype=dtype, out=out, keepdims=keepdims,
                                      **kwargs))  # fmt: skip
    kept = np.sum(np.zeros(a.shape), axis=axis, keepdims=True).shape
    groups = math.prod(kept)
    owner = np.broadcast_to(np.arange(groups).reshape(kept), a.shape).ravel()
    shape = np.sum(np.zeros(a.shape), axis=axis, keepdims=keepdims).shape
    weight = groups / a.size if _mean and a.size else 1.0
    M = _sp.csr_matrix(
        (np.full(a.size, weight), (owner, np.arange(a.size))), shape=(groups, a.size)
    )
    return a.linear(M, shape)


def _mean(a: Rows, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
          **kwargs: Any) -> Rows:  # fmt: skip
    return _sum(a, axis=axis, dtype=dtype, out=out, keepdims=keepdims, _mean=True, **kwargs)


def _diff(a: Rows, n: int = 1, axis: int = -1, **kwargs: Any) -> Rows:
    if kwargs:
        return _generic(np.diff, (a,), dict(n=n, axis=axis, **kwargs))
    for _ in range(n):
        ax = axis % a.ndim
        hi = tuple(slice(1, None) if i == ax else slice(None) for i in range(a.ndim))
        lo = tuple(slice(None, -1) if i == ax else slice(None) for i in range(a.ndim))
        a = a[hi] - a[lo]
    return a


def _where(cond: Any, a: Any, b: Any) -> Rows:
    shape = np.broadcast_shapes(np.shape(cond), np.shape(a), np.shape(b))
    rows = [p.broadcast(shape) for p in (a, b) if isinstance(p, Rows)]
    if type(rows[0]) is Pattern:  # both sides' dependences, wherever cond
        return rows[0] if len(rows) == 1 else rows[0] + rows[1]
    n = math.prod(shape)
    ids = np.arange(n).reshape(shape)
    left = ids if isinstance(a, Rows) else -1
    right = (ids + n if isinstance(a, Rows) else ids) if isinstance(b, Rows) else -1
    stacked = rows[0].stacked(rows[1:])
    return stacked.gather(np.where(np.broadcast_to(cond, shape), left, right))


def _matmul(a: Any, b: Any) -> Rows:
    """``a @ b`` with one side a sparse tangent and the other a constant matrix (patterns:
    also two patterns, a nested Hessian's slope and tangent); other shapes are probed."""
    if isinstance(a, Rows) and isinstance(b, Rows):
        if type(a) is not Pattern or type(b) is not Pattern:
            raise TypeError("two sparse tangents met in a matrix product")
        a2 = a if a.ndim >= 2 else a[None, :]
        b2 = b if b.ndim >= 2 else b[:, None]
        out = _sum(a2[..., :, :, None].pairs(b2[..., None, :, :]), axis=-2)
        shape = np.matmul(np.empty(a.shape), np.empty(b.shape)).shape
        return out.gather(np.arange(out.size).reshape(shape))
    p, c = (a, b) if isinstance(a, Rows) else (b, a)
    c = np.asarray(c)
    if p.ndim == 1 and c.ndim == 2:
        M = c.T if p is a else c  # x @ C = C.T @ x; C @ x
        return p.linear(M, (M.shape[0],))
    if p.ndim == 2 and c.ndim == 2:
        r, k = p.shape
        if p is b:  # C @ P: rows mix
            M = _sp.kron(_sp.csr_matrix(c), _sp.identity(k), format="csr")
            return p.linear(M, (c.shape[0], k))
        M = _sp.kron(_sp.identity(r), _sp.csr_matrix(c.T), format="csr")  # P @ C
        return p.linear(M, (r, c.shape[1]))
    return _generic(np.matmul, (a, b), {})


def _shape(a: Rows) -> tuple[int, ...]:
    return a.shape


def _ndim(a: Rows) -> int:
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


def _found(x: Any, found: list[Rows]) -> None:
    if isinstance(x, Rows):
        found.append(x)
    elif isinstance(x, (list, tuple)):
        for e in x:
            _found(e, found)


def _swap(x: Any, table: dict[int, Any]) -> Any:
    if isinstance(x, Rows):
        return table[id(x)]
    if isinstance(x, (list, tuple)):
        return type(x)(_swap(e, table) for e in x)
    return x


def _call(func: Any, args: Any, kwargs: dict[str, Any], table: dict[int, Any]) -> Any:
    return func(*_swap(list(args), table), **{k: _swap(v, table) for k, v in kwargs.items()})


def _generic(func: Any, args: Any, kwargs: dict[str, Any]) -> Any:
    """A linear function of the sparse tangents among ``args``: a selection (each output entry
    one input entry, or 0) is found by running ``func`` on entry numbers and checked on random
    numbers; another linear map is probed with the identity in vector mode (a pattern past
    PROBE_LIMIT entries: every output depends on everything, conservatively)."""
    found: list[Rows] = []
    _found(list(args) + list(kwargs.values()), found)
    if not found:
        return func(*args, **kwargs)
    if len({type(p) for p in found}) != 1:
        raise TypeError("a pattern and a sparse tangent met in one function")
    offsets = np.cumsum([0] + [p.size for p in found])
    total = int(offsets[-1])
    spans = list(zip(found, offsets, strict=False))
    ids = {id(p): (np.arange(p.size, dtype=np.float64) + 1 + o).reshape(p.shape) for p, o in spans}
    w = np.random.default_rng(0).uniform(1.0, 2.0, total + 1)
    w[0] = 0.0
    weights = {id(p): w[1 + o : 1 + o + p.size].reshape(p.shape) for p, o in spans}
    try:
        src, got = _call(func, args, kwargs, ids), _call(func, args, kwargs, weights)
    except TypeError:
        src = got = None
    stacked = found[0].stacked(found[1:])
    if isinstance(src, np.ndarray) and src.dtype.kind == "f":
        rows = np.rint(src).astype(np.int64)
        ok = (
            np.all(rows == src) and np.all((rows >= 0) & (rows <= total))
            and np.array_equal(np.asarray(got), w[rows])
        )  # fmt: skip
        if ok:
            return stacked.gather(rows - 1)
    if type(stacked) is Pattern and total > PROBE_LIMIT:
        return stacked.everywhere(np.shape(src))
    blocks, shape = [], None  # the map's matrix, PROBE_LIMIT columns per vector-mode call
    for lo in range(0, total, PROBE_LIMIT):
        k = min(PROBE_LIMIT, total - lo)
        eye = np.zeros((k, total))
        eye[np.arange(k), lo + np.arange(k)] = 1.0
        eyes = {id(p): Directions(eye[:, o : o + p.size].reshape(k, *p.shape)) for p, o in spans}
        try:
            out = _call(func, args, kwargs, eyes)
        except TypeError:
            out = None
        if type(out) is not Directions:
            raise TypeError(
                f"{getattr(func, '__name__', func)} met a sparse tangent and has no rule for it"
            )
        shape = out.shape
        blocks.append(_sp.csr_matrix(out.array.reshape(k, -1).T))
    return stacked.linear(_sp.hstack(blocks, format="csr"), shape)
