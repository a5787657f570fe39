"""Sparsity patterns as tangents: which inputs each entry of a value depends on.

A :class:`Pattern` stands where a tangent stands, and every rule that would carry a derivative
carries the pattern instead: a slope times a pattern is the pattern (whatever the slope's number,
so a slope that happens to be 0 at this point never hides a dependence), a sum of tangents is the
union of their patterns, and NumPy's shape functions and reductions move and gather rows. So
running F once on ``Dual(x, identity pattern)`` yields, row by row, the inputs each entry of
F(x) depends on: the Jacobian's sparsity pattern, conservative by construction (it never misses a
nonzero). Branches in F's own Python code, and selections by indices computed from the values
(``sort``, ``median``, ``x[np.argmax(x)]``), follow the point F is run at; NumPy's selections
(``where``, ``select``, ``maximum``, ``abs``, ``clip``, ``max``) keep every side's dependence,
so the pattern holds wherever the same branches and orderings are taken.

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
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ..conventions import SPECIAL
from ..directions import Directions, Tangent
from ..kinds import is_dual

try:
    import scipy.sparse as _sp
except ImportError as exc:  # pragma: no cover - exercised by tests/test_without_scipy.py
    raise ImportError(
        "dualdiff.sparse needs SciPy (its results are scipy.sparse matrices): "
        'pip install "dualdiff-ad[scipy]"'
    ) from exc

__all__ = ["PAIR_LIMIT", "PROBE_LIMIT", "Pattern", "Rows", "SparseTangent", "identity"]

#: a linear function applied to a pattern that is not a selection (each output one input or 0)
#: and has no rule here is probed with the identity in vector mode up to this many input
#: entries; above it, each output entry conservatively depends on every input entry's inputs
PROBE_LIMIT = 2048

#: a second-order pattern (pairs of inputs, entry by entry) larger than this is refused with a
#: MemoryError that says why, rather than one that asks for hundreds of gigabytes
PAIR_LIMIT = 2**28

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

    def astype(self, kind: Any) -> Any:
        """The tangent of the value cast to the float or complex ``kind`` (``Dual.astype``): a
        pattern is the same pattern; a :class:`SparseTangent`'s numbers take the kind."""
        return self

    def _check(self, other: Rows) -> None:
        if self.ncols != other.ncols:
            raise ValueError(
                f"sparse tangents over {self.ncols} and {other.ncols} inputs met in one operation"
            )

    def conj(self) -> Any:
        """The tangent of the complex conjugate (a pattern: the same dependences)."""
        return self

    def part(self, imag: bool) -> Any:
        """The tangent of the real (imaginary) part (a pattern: the same dependences)."""
        return self.gather(np.arange(self.size).reshape(self.shape))

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
        if isinstance(other, Tangent):  # (Directions would not add a sparse tangent either)
            _mixed(self, other)
        if is_dual(other) or isinstance(other, Tangent):
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
        if any(is_dual(x) for x in inputs):
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
            if ufunc is np.conjugate:
                return inputs[0].conj()
            if ufunc is np.ldexp and isinstance(inputs[0], Rows):  # the tangent times 2**n
                return inputs[0] * np.ldexp(1.0, inputs[1])
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
        if other is self:
            return self
        a, b = self.m, other.m
        if (
            self.shape == other.shape and self.ncols == other.ncols and a.nnz == b.nnz
            and np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
        ):  # fmt: skip
            return self  # the same pattern (x*x's two terms): no union to build
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
        if total > PAIR_LIMIT:
            raise MemoryError(
                f"the Hessian's pattern would hold {total} pairs of inputs: entries that depend "
                "on every input (a linear NumPy function without a rule, over more than "
                "dualdiff.sparse.pattern.PROBE_LIMIT entries, is taken as mixing everything) "
                "meet in a product; give the pattern yourself (sparsity=) or raise PROBE_LIMIT"
            )
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
        if is_dual(other) or isinstance(other, Tangent):
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

    def conj(self) -> SparseTangent:
        return SparseTangent(self.m.conj(), self.shape) if self.m.dtype.kind == "c" else self

    def part(self, imag: bool) -> SparseTangent:
        if self.m.dtype.kind != "c":
            return self.zeros(self.shape) if imag else self
        return SparseTangent(self.m.imag if imag else self.m.real, self.shape)

    def scaled(self, s: Any) -> Any:
        """Each entry's row times the slope ``s`` at that entry (broadcast); ``0·∞ = 0``."""
        if is_dual(s) or isinstance(s, Tangent):
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
        if is_dual(other) or isinstance(other, Tangent):
            return NotImplemented
        return self.scaled(1.0 / np.asarray(other, dtype=np.result_type(other, 0.0)))

    def linear(self, M: Any, shape: tuple[int, ...]) -> SparseTangent:
        """The tangent of ``M @ value`` for a linear map of the value with matrix ``M``."""
        return SparseTangent(_sp.csr_matrix(M) @ self.m, shape)

    def astype(self, kind: Any) -> SparseTangent:
        kind = np.dtype(kind)
        if kind.kind not in "fc":  # (Dual.astype refuses these before)
            raise TypeError(f"astype({kind}) of a sparse tangent: only float and complex kinds")
        return self if self.m.dtype == kind else SparseTangent(self.m.astype(kind), self.shape)

    def dense(self) -> Any:
        """The rows as a dense array of shape ``value shape + (inputs,)``."""
        return self.m.toarray().reshape(*self.shape, self.ncols)


def _mixed(s: Any, t: Any) -> None:
    """Refuse a product of a sparse tangent with a tangent of another kind (vector mode's
    Directions: a dense derivative taken inside F, or F inside a dense one): no layout holds
    both, and a product that dropped either would be a silent wrong number."""
    kinds = {type(x) for x in (s, t) if isinstance(x, Tangent)}
    if len(kinds) > 1:
        names = " and ".join(sorted(k.__name__ for k in kinds))
        raise TypeError(
            f"a product met tangents of two kinds ({names}): sparse derivatives (sparsity, "
            "sparse=True) do not nest with vector-mode ones; take the inner or outer derivative "
            "with chunk=1 (dd.gradient(f, y, chunk=1), dd.jacobian(..., chunk=1)), or use "
            "dd.hessian(f, x, sparse=True) / dd.hvp(f, x, v, sparse=True) for second derivatives"
        )


def _scale_pattern(s: Any, t: Any) -> Any:
    """``s·t`` for conventions.scale, roles kept: a slope times a pattern is the pattern; a
    pattern as the slope (a nested Dual's inner level) times a pattern is their pairs; a pattern
    as the slope times a constant's tangent (zero) is zero."""
    if type(t) is Pattern:  # a vector-mode slope (a dense derivative inside F): its k copies
        return t.pairs(s) if type(s) is Pattern else t * s
    _mixed(s, t)  # a pattern slope times another kind of tangent: no layout holds the product
    return np.zeros(np.broadcast_shapes(s.shape, np.shape(t)))


def _scale_sparse(s: Any, t: Any) -> Any:
    """``s·t`` for conventions.scale: the sparse tangent's rows times the other factor."""
    _mixed(s, t)
    if type(s) is SparseTangent and type(t) is SparseTangent:
        raise TypeError("two sparse tangents met in a product")
    return t.scaled(s) if type(t) is SparseTangent else s.scaled(t)


SPECIAL[Pattern] = _scale_pattern
SPECIAL[SparseTangent] = _scale_sparse


# --- NumPy functions ----------------------------------------------------------------------------
def _sum(a: Rows, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
         _mean: bool = False, **kwargs: Any) -> Rows:  # fmt: skip
    if np.any(kwargs.pop("initial", 0) != 0):  # the rule adds it to vector-mode tangents too
        raise TypeError(
            "numpy.sum(..., initial=c) with c != 0 is not supported by sparse derivatives "
            "(dualdiff's rule adds c to the derivative as well): write np.sum(x) + c"
        )
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


def _diff(a: Rows, n: int = 1, axis: int = -1, prepend: Any = None, append: Any = None,
          **kwargs: Any) -> Rows:  # fmt: skip
    if kwargs:
        return _generic(np.diff, (a,), dict(n=n, axis=axis, prepend=prepend, append=append,
                                             **kwargs))  # fmt: skip
    for e in (prepend, append):
        if e is not None and not isinstance(e, Rows) and np.any(np.asarray(e) != 0):
            raise TypeError(  # the rule would put the constant into dense tangents too
                "numpy.diff(..., prepend=c / append=c) with a constant c != 0 is not supported "
                "by sparse derivatives (dualdiff's rule puts c into the derivative as well): "
                "concatenate c to the array first"
            )
    if prepend is not None or append is not None:  # zeros (zero rows) or tangents, joined
        ax = axis % a.ndim
        parts = [_edge(e, a, ax) for e in (prepend, append)]
        a = _joined([p for p in (parts[0], a, parts[1]) if p is not None], ax)
    for _ in range(n):
        ax = axis % a.ndim
        hi = tuple(slice(1, None) if i == ax else slice(None) for i in range(a.ndim))
        lo = tuple(slice(None, -1) if i == ax else slice(None) for i in range(a.ndim))
        a = a[hi] - a[lo]
    return a


def _edge(e: Any, a: Rows, ax: int) -> Any:
    """``np.diff``'s prepend/append as NumPy shapes it: a tangent, or a constant's zero rows."""
    if e is None:
        return None
    shape = list(a.shape)
    shape[ax] = 1
    if isinstance(e, Rows):
        return e.broadcast(tuple(shape)) if e.ndim == 0 else e
    e = np.asarray(e)
    return a.zeros(tuple(shape) if e.ndim == 0 else e.shape)


def _joined(parts: list[Rows], axis: int) -> Rows:
    """The rows of ``parts`` joined along ``axis`` (np.concatenate of their values)."""
    offsets = np.cumsum([0] + [p.size for p in parts])
    ids = [np.arange(p.size).reshape(p.shape) + o for p, o in zip(parts, offsets, strict=False)]
    return parts[0].stacked(parts[1:]).gather(np.concatenate(ids, axis=axis))


def _take(a: Rows, indices: Any, axis: int | None = None, out: Any = None,
          mode: Any = "raise") -> Rows:  # fmt: skip
    """The rows of the entries ``np.take`` selects, by NumPy's own take (``mode`` "raise",
    "wrap" or "clip" as NumPy's) of the entry numbers."""
    if out is not None:
        raise TypeError("numpy.take on Duals does not support out")
    ids = np.arange(a.size).reshape(a.shape)
    return a.gather(np.take(ids, indices, axis=axis, mode=mode))


def _real(val: Rows) -> Rows:
    return val.part(imag=False)


def _imag(val: Rows) -> Rows:
    return val.part(imag=True)


def _select(condlist: Any, choicelist: Any, default: Any = 0) -> Any:
    """A pattern keeps every choice's dependence (and the default's), wherever the conditions
    hold (as ``where``); sparse tangents take the chosen rows."""
    rows = [c for c in [*choicelist, default] if isinstance(c, Rows)]
    if rows and type(rows[0]) is Pattern:
        shape = np.broadcast_shapes(*(np.shape(c) for c in [*condlist, *choicelist, default]))
        out = rows[0].broadcast(shape)
        for r in rows[1:]:
            out = out + r
        return out
    return _generic(np.select, (condlist, choicelist, default), {})


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
        _mixed(a, b)
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
    return _matmul_probe(p, c, p is a)


def _matmul_probe(p: Rows, c: Any, left: bool) -> Rows:
    """``p @ c`` (``left``) or ``c @ p`` for any shapes NumPy's matmul takes (stacks, 1-D
    operands, broadcast batches): the matrix of the map, from matmul of c with unit entries of p
    put on a leading batch axis (so that it never lines up with a matrix axis)."""
    out_shape = (np.matmul(np.empty(p.shape), c) if left else np.matmul(c, np.empty(p.shape))).shape
    if c.ndim == 1:
        pe = p.shape
    elif p.ndim == 1:
        pe = (1, *p.shape) if left else (*p.shape, 1)
    else:
        pe = p.shape
    pad = (1,) * max(0, c.ndim - len(pe))
    if type(p) is Pattern and p.size > PROBE_LIMIT:
        return p.everywhere(out_shape)
    blocks = []
    for lo in range(0, p.size, PROBE_LIMIT):
        k = min(PROBE_LIMIT, p.size - lo)
        E = np.zeros((k, p.size))
        E[np.arange(k), lo + np.arange(k)] = 1.0
        E = E.reshape((k, *pad, *pe))
        R = np.matmul(E, c) if left else np.matmul(c, E)
        blocks.append(_sp.csr_matrix(R.reshape(k, -1).T))
    M = _sp.hstack(blocks, format="csr")
    if M.shape[0] != math.prod(out_shape):  # pragma: no cover - a shape NumPy did not expect
        raise TypeError(f"matmul of shapes {p.shape} and {c.shape} met a sparse tangent")
    return p.linear(M, out_shape)


def _shape(a: Rows) -> tuple[int, ...]:
    return a.shape


def _ndim(a: Rows) -> int:
    return a.ndim


def _concatenate(arrays: Any, axis: int | None = 0, out: Any = None, **kwargs: Any) -> Any:
    """Joined rows: each entry's row from the piece it comes from (a constant piece: zero rows),
    by one gather; anything unusual goes to the generic probe."""
    items = list(arrays) if isinstance(arrays, (list, tuple)) else None
    rows = [x for x in items if isinstance(x, Rows)] if items is not None else []
    plain = (
        out is None and not any(v is not None for v in kwargs.values()) and rows
        and len({type(r) for r in rows}) == 1 and len({r.ncols for r in rows}) == 1
        and all(isinstance(x, Rows) or not np.any(np.asarray(x) != 0) for x in items)
    )  # fmt: skip
    if not plain:
        return _generic(np.concatenate, (arrays,), dict(axis=axis, out=out, **kwargs))
    ids, offset = [], 0
    for x in items:
        if isinstance(x, Rows):
            ids.append(np.arange(offset, offset + x.size).reshape(x.shape))
            offset += x.size
        else:
            ids.append(np.full(np.shape(x), -1))
    if axis is None:
        ids = [i.ravel() for i in ids]
        axis = 0
    return rows[0].stacked(rows[1:]).gather(np.concatenate(ids, axis=axis))


_FUNCS: dict[Any, Callable[..., Any]] = {
    np.concatenate: _concatenate,
    np.sum: _sum,
    np.mean: _mean,
    np.diff: _diff,
    np.where: _where,
    np.matmul: _matmul,
    np.dot: _matmul,
    np.shape: _shape,
    np.ndim: _ndim,
    np.real: _real,
    np.imag: _imag,
    np.select: _select,
    np.take: _take,
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
    real and imaginary numbers; another linear map is probed with the identity in vector mode,
    with real and imaginary units where the tangent may be complex, so that maps linear over
    the reals only (``real``, ``irfft``) are right (a pattern past PROBE_LIMIT entries: every
    output depends on everything, conservatively). Two patterns in a function linear in each
    (a nested Hessian's slope and tangent meeting in ``einsum``, ``kron``, ...) give pairs.
    Functions that return a list or tuple of arrays (``split``) give one per piece."""
    found: list[Rows] = []
    _found(list(args) + list(kwargs.values()), found)
    if not found:
        return func(*args, **kwargs)
    if len({type(p) for p in found}) != 1:
        _mixed(*{type(p): p for p in found}.values())
    name = getattr(func, "__name__", str(func))
    if len(found) == 2 and type(found[0]) is Pattern and found[0] is not found[1]:
        pairs = _bilinear(func, args, kwargs, found, name)
        if pairs is not None:
            return pairs
    offsets = np.cumsum([0] + [p.size for p in found])
    total = int(offsets[-1])
    spans = list(zip(found, offsets, strict=False))
    ids = {id(p): (np.arange(p.size, dtype=np.float64) + 1 + o).reshape(p.shape) for p, o in spans}
    w = np.random.default_rng(0).uniform(1.0, 2.0, total + 1)
    w[0] = 0.0
    weights = {id(p): w[1 + o : 1 + o + p.size].reshape(p.shape) for p, o in spans}
    stacked = found[0].stacked(found[1:])
    complex_t = type(stacked) is Pattern or stacked.m.dtype.kind == "c"  # (a pattern: may be)
    src = _quiet(func, args, kwargs, ids)
    pieces = _pieces(src)
    if pieces is not None and all(
        isinstance(q, np.ndarray) and q.dtype.kind == "f" for q in pieces
    ):
        rows = [np.rint(q).astype(np.int64) for q in pieces]
        ok = all(
            np.array_equal(r, q) and np.all((r >= 0) & (r <= total))
            for r, q in zip(rows, pieces, strict=True)
        )
        if ok:  # entry numbers in, entry numbers out: check on random and imaginary numbers
            got = _pieces(_quiet(func, args, kwargs, weights))
            goti = (  # real rows: a map linear over the reals is all there is to check
                [np.asarray(g) * 1j for g in got]
                if got is not None and not complex_t
                else _pieces(_quiet(func, args, kwargs, {k: 1j * v for k, v in weights.items()}))
            )
            ok = (
                got is not None and goti is not None and len(got) == len(rows) == len(goti)
                and all(np.array_equal(np.asarray(g), w[r]) for g, r in zip(got, rows, strict=True))
                and all(np.array_equal(np.asarray(g), 1j * w[r])
                        for g, r in zip(goti, rows, strict=True))
            )  # fmt: skip
        if ok:
            return _rebuild(src, [stacked.gather(r - 1) for r in rows])
    if type(stacked) is Pattern and total > PROBE_LIMIT:
        if pieces is None:
            raise TypeError(f"{name} met a sparse tangent and has no rule for it")
        return _rebuild(src, [stacked.everywhere(np.shape(q)) for q in pieces])
    real = _probe(func, args, kwargs, spans, total, 1.0, name)
    imag = _probe(func, args, kwargs, spans, total, 1j, None) if complex_t else None
    out = []
    for k, (shape, M) in enumerate(real):
        if imag is None:
            out.append(stacked.linear(M, shape))
        elif type(stacked) is Pattern:
            Mi = imag[k][1]
            out.append(stacked.linear(abs(M) + abs(Mi), shape))
        else:  # f(t) = f(Re t) + f(i Im t): M Re(t) + Mi Im(t)
            t = SparseTangent(_sp.csr_matrix(M) @ stacked.m.real
                              + _sp.csr_matrix(imag[k][1]) @ stacked.m.imag, shape)  # fmt: skip
            out.append(t)
    return out[0] if real.single else _rebuild(real.container, out)


class _Probed(list):
    """The probe's (shape, matrix) per output piece, with the container of the pieces."""

    single = True
    container: Any = None


def _probe(func: Any, args: Any, kwargs: dict[str, Any], spans: Any, total: int, unit: Any,
           name: str | None, fixed: dict[int, Any] | None = None) -> Any:  # fmt: skip
    """The matrix of each output piece of the linear ``func``, from vector-mode calls on
    ``unit`` times the identity (PROBE_LIMIT columns per call). ``name`` None: a failing call
    (a function that refuses complex numbers) gives None."""
    blocks: list[list[Any]] = []
    res = _Probed()
    for lo in range(0, total, PROBE_LIMIT):
        k = min(PROBE_LIMIT, total - lo)
        eye = np.zeros((k, total), dtype=np.result_type(unit, 0.0))
        eye[np.arange(k), lo + np.arange(k)] = unit
        eyes = {id(p): Directions(eye[:, o : o + p.size].reshape(k, *p.shape)) for p, o in spans}
        try:
            out = _call(func, args, kwargs, {**eyes, **(fixed or {})})
        except (TypeError, ValueError) as exc:
            if name is None:
                return None
            if isinstance(exc, ValueError):
                raise
            out = None
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        if not outs or any(type(o) is not Directions for o in outs):
            if name is None:
                return None
            raise TypeError(f"{name} met a sparse tangent and has no rule for it")
        res.single = not isinstance(out, (list, tuple))
        res.container = out
        blocks.append([_sp.csr_matrix(o.array.reshape(k, -1).T) for o in outs])
    for j, o in enumerate(res.container if not res.single else [res.container]):
        res.append((o.shape, _sp.hstack([b[j] for b in blocks], format="csr")))
    return res


def _quiet(func: Any, args: Any, kwargs: dict[str, Any], table: dict[int, Any]) -> Any:
    """``func`` on numbers in place of the tangents; None where it refuses them."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _call(func, args, kwargs, table)
    except (TypeError, ValueError):
        return None


def _pieces(r: Any) -> list[Any] | None:
    """An output as a list of arrays (a list or tuple of them: each), None if it is neither."""
    if isinstance(r, (list, tuple)):
        parts = [_array(q) for q in r]
        return parts if all(q is not None for q in parts) else None
    q = _array(r)
    return None if q is None else [q]


def _array(q: Any) -> Any:
    if isinstance(q, np.ndarray):
        return q
    return np.asarray(q) if isinstance(q, (np.generic, float, complex)) else None


def _rebuild(like: Any, parts: list[Any]) -> Any:
    """``parts`` in the container ``like`` came in (one array: the part itself)."""
    if isinstance(like, tuple):
        return tuple(parts)
    if isinstance(like, list):
        return list(parts)
    return parts[0]


def _bilinear(func: Any, args: Any, kwargs: dict[str, Any], found: list[Rows],
              name: str) -> Pattern | None:  # fmt: skip
    """Where ``func`` is linear in each of two patterns separately (not jointly), the pattern
    of its output: entry o gets the pairs (i, j) of an input i of entry a of the first and an
    input j of entry b of the second wherever the product of a and b reaches o. None where
    ``func`` is not bilinear in them."""
    a, b = found
    rng = np.random.default_rng(1)
    wa, wb = rng.uniform(1.0, 2.0, a.shape), rng.uniform(1.0, 2.0, b.shape)
    g = _pieces(_quiet(func, args, kwargs, {id(a): wa, id(b): wb}))
    g2a = _pieces(_quiet(func, args, kwargs, {id(a): 2 * wa, id(b): wb}))
    g2b = _pieces(_quiet(func, args, kwargs, {id(a): wa, id(b): 2 * wb}))
    if g is None or g2a is None or g2b is None or len(g) != 1:
        return None
    g, g2a, g2b = (np.asarray(q[0]) for q in (g, g2a, g2b))
    if not (
        g.shape == g2a.shape == g2b.shape and np.any(g != 0)
        and np.allclose(g2a, 2 * g, rtol=1e-12, atol=0)
        and np.allclose(g2b, 2 * g, rtol=1e-12, atol=0)
    ):  # fmt: skip
        return None
    shape = g.shape
    small, other = (a, b) if a.size <= b.size else (b, a)
    if small.size * other.size <= 4096:  # exact: one probe per entry of the smaller side
        out = Pattern(_empty(math.prod(shape), small.ncols * other.ncols), shape)
        eye = Directions(np.eye(other.size).reshape(other.size, *other.shape))
        for i in range(small.size):
            e = np.zeros(small.size)
            e[i] = 1.0
            r = _call(func, args, kwargs, {id(small): e.reshape(small.shape), id(other): eye})
            if type(r) is not Directions:
                raise TypeError(f"{name} met two sparse tangents and has no rule for them")
            M = _sp.csr_matrix(r.array.reshape(other.size, -1).T)
            if M.nnz:
                row = small.gather(np.full(shape, i, dtype=np.int64))
                out = out + row.pairs(other.linear(M, shape))
        return out
    sides = []  # conservative: the entries of each side that reach o, paired
    for p, q, wq in ((a, b, wb), (b, a, wa)):
        probed = _probe(func, args, kwargs, [(p, 0)], p.size, 1.0, name, {id(q): wq})
        sides.append(p.linear(probed[0][1], shape))
    return sides[0].pairs(sides[1])
