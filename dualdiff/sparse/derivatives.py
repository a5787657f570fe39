"""Sparse Jacobians and Hessians: detect the pattern once, colour it, then one compressed pass.

Forward mode pays one direction per input column. Columns that share no row can share one
direction: seeding ``x`` with one direction per colour (the sum of its columns' unit vectors)
gives ``B = J @ S`` in one vector-mode pass, and each ``J[i, j]`` is read back from
``B[i, colour(j)]``. :class:`SparseJacobian` detects the pattern (:func:`sparsity`), colours it
and precomputes where each nonzero is read, once; each call is then one pass of ``c`` directions
and one gather. :class:`SparseHessian` does the same for a symmetric Hessian with a star colouring
(fewer colours than a column colouring: an arrow pattern needs 2), each colour one
Hessian-vector product.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..api import as_input, split_result
from ..directions import Directions
from ..dual import Dual, make, new_tag
from ..kinds import base_value, is_complex
from ..memory import pooled
from . import coloring
from .pattern import Pattern, SparseTangent, identity

__all__ = [
    "SparseHessian",
    "SparseJacobian",
    "hessian_sparsity",
    "sparse_value_and_grad",
    "sparsity",
]


def _point(x: Any, who: str) -> Any:
    x = as_input(x, who)
    if isinstance(x, Dual) or is_complex(x):
        raise TypeError(f"{who} takes a real array point (not a Dual, not complex)")
    b = np.asarray(x)
    if b.dtype.kind != "f":
        raise TypeError(f"{who} takes a float array point, got dtype {b.dtype}")
    return b


def _detect(F: Callable[[Any], Any], x: Any, who: str) -> tuple[Any, Any]:
    """``(F(x), the Jacobian's pattern)`` from one run of F on the identity pattern (a constant
    result: no dependence)."""
    tag = new_tag()
    with pooled():
        value, t = split_result(F(make(x, identity(x.shape), tag)), tag, who)
    if type(t) is Pattern:
        return value, t.m.tocsr()
    return value, sp.csr_matrix((int(np.size(value)), x.size), dtype=np.bool_)


def sparsity(F: Callable[[Any], Any], x: Any) -> Any:
    """The Jacobian's sparsity pattern of ``F`` at ``x``, as a boolean ``scipy.sparse`` CSR
    matrix of shape ``(F(x).size, x.size)`` (entries in C order), found by running F once on a
    tangent that records dependences. Conservative: it never misses a nonzero (a slope that is 0
    at x keeps its entry); NumPy's branches (``where``, ``maximum``, ``abs``) keep both sides,
    while F's own Python ``if``s and orderings (``sort``, ``median``) follow x.

    >>> import numpy as np
    >>> sparsity(lambda x: x[1:] * x[:-1], np.ones(4)).toarray().astype(int)
    array([[1, 1, 0, 0],
           [0, 1, 1, 0],
           [0, 0, 1, 1]])
    """
    return _detect(F, _point(x, "sparsity"), "sparsity")[1]


def hessian_sparsity(f: Callable[[Any], Any], x: Any) -> Any:
    """The Hessian's sparsity pattern of a scalar ``f`` at ``x``: boolean, symmetric, ``(n, n)``
    for ``n = x.size``. Found by one run of f on patterns at two levels (forward over forward):
    an entry (i, j) is kept wherever a slope that depends on input i multiplies a tangent that
    depends on input j; conservative as :func:`sparsity` is.

    >>> import numpy as np
    >>> f = lambda x: np.sum((x[1:] - x[:-1] ** 2) ** 2)
    >>> hessian_sparsity(f, np.ones(4)).toarray().astype(int)
    array([[1, 1, 0, 0],
           [1, 1, 1, 0],
           [0, 1, 1, 1],
           [0, 0, 1, 1]])
    """
    x = _point(x, "hessian_sparsity")
    n = x.size
    inner, outer = new_tag(), new_tag()
    with pooled():
        r = f(make(make(x, identity(x.shape), inner), identity(x.shape), outer))
    value, t = split_result(r, outer, "hessian_sparsity")
    if np.size(base_value(value)) != 1:
        raise TypeError(f"hessian_sparsity needs a scalar f, got shape {np.shape(value)}")
    pairs = t._t if isinstance(t, Dual) and t._tag == inner else None
    if type(pairs) is not Pattern:
        return sp.csr_matrix((n, n), dtype=np.bool_)  # f is linear (or constant)
    i, j = np.divmod(pairs.m.indices.astype(np.int64), n)
    H = sp.csr_matrix((np.ones(len(i), dtype=np.bool_), (i, j)), shape=(n, n))
    return (H + H.T).tocsr()


def sparse_value_and_grad(f: Callable[[Any], Any], x: Any) -> tuple[Any, Any]:
    """``(f(x), ∇f(x))`` with sparse tangents: each entry of every intermediate carries the
    derivatives it has (a :class:`SparseTangent`), so a sum of terms that each depend on a few
    inputs costs in proportion to the nonzeros, not n per operation. ``x`` may be a Dual of an
    outer differentiation (``hvp`` takes the derivative of this gradient along v).

    >>> import numpy as np
    >>> sparse_value_and_grad(lambda x: np.sum(x[1:] * x[:-1]), np.array([1.0, 2.0, 3.0]))
    (8.0, array([2., 4., 2.]))
    """
    x = as_input(x, "gradient")
    b = base_value(x)
    if is_complex(x) or np.asarray(b).dtype.kind != "f":
        raise TypeError("gradient(sparse=True) takes a real float array point")
    shape = np.shape(b)
    tag = new_tag()
    with pooled():
        r = f(make(x, identity(shape, values=True), tag))
    value, t = split_result(r, tag, "gradient")
    if np.size(base_value(value)) != 1 or np.shape(base_value(value)):
        raise TypeError(
            f"gradient needs f to return a scalar, got shape {np.shape(base_value(value))}: "
            "use dd.jacobian"
        )
    return value, _dense_gradient(t, shape)


def _dense_gradient(t: Any, shape: tuple[int, ...]) -> Any:
    """A scalar's sparse tangent (one row) as a dense gradient of x's shape, at every level."""
    if isinstance(t, Dual):
        return make(_dense_gradient(t._v, shape), _dense_gradient(t._t, shape), t._tag)
    if type(t) is SparseTangent:
        return t.m.toarray().reshape(shape)
    return np.zeros(shape)  # f did not depend on x


def _pattern_arg(pattern: Any, shape: tuple[int, int], who: str) -> Any:
    p = sp.csr_matrix(pattern, dtype=np.bool_)
    if p.shape != shape:
        raise ValueError(f"{who}: sparsity has shape {p.shape}, the Jacobian has {shape}")
    p.sum_duplicates()
    p.sort_indices()
    return p


class SparseJacobian:
    """The Jacobian of ``F`` (arrays in, arrays out), sparse: detection and colouring once,
    at ``x``; each call is one vector-mode pass of ``ncolors`` directions.

    ``sparsity``: a pattern of your own (anything ``scipy.sparse.csr_matrix`` takes, shape
    ``(F(x).size, x.size)``) instead of detection; it must hold every nonzero. Calls return a
    ``scipy.sparse.csr_matrix`` of that pattern; ``value_and_jacobian(x)`` returns F(x) too.

    >>> import numpy as np
    >>> J = SparseJacobian(lambda x: x[1:] ** 2 - x[:-1], np.ones(5))
    >>> J.ncolors, J(np.arange(5.0)).toarray()
    (2, array([[-1.,  2.,  0.,  0.,  0.],
           [ 0., -1.,  4.,  0.,  0.],
           [ 0.,  0., -1.,  6.,  0.],
           [ 0.,  0.,  0., -1.,  8.]]))
    """

    def __init__(
        self,
        F: Callable[[Any], Any],
        x: Any,
        sparsity: Any = None,
        order: str = "auto",
    ) -> None:
        x = _point(x, "SparseJacobian")
        self.F, self.shape_in = F, x.shape
        self.n = x.size
        if sparsity is None:
            value, self.pattern = _detect(F, x, "sparse jacobian")
            self.shape_out = tuple(np.shape(value))
        else:
            self.shape_out = tuple(np.shape(F(x)))
            m = math.prod(self.shape_out)
            self.pattern = _pattern_arg(sparsity, (m, self.n), "SparseJacobian")
        self.colors = coloring.column_coloring(self.pattern, order=order)
        self.ncolors = int(self.colors.max()) + 1 if self.n else 0
        seeds = np.zeros((max(self.ncolors, 1), self.n))
        seeds[self.colors, np.arange(self.n)] = 1.0
        self._seeds = seeds.reshape((seeds.shape[0], *self.shape_in))
        p = self.pattern
        rows = np.repeat(np.arange(p.shape[0]), np.diff(p.indptr))
        self._read = self.colors[p.indices] * p.shape[0] + rows  # into B.T (c × m), flat

    def __repr__(self) -> str:
        return (
            f"<SparseJacobian {self.pattern.shape[0]}×{self.n}, {self.pattern.nnz} nonzeros, "
            f"{self.ncolors} colours>"
        )

    def value_and_jacobian(self, x: Any, *args: Any) -> tuple[Any, Any]:
        """``(F(x, *args), J(x))`` from one compressed pass (``args``: F's other arguments,
        held constant; the pattern is the one found where the object was made)."""
        x = _point(x, "SparseJacobian")
        if x.shape != self.shape_in:
            raise ValueError(
                f"SparseJacobian was prepared for x of shape {self.shape_in}, got {x.shape}"
            )
        tag = new_tag()
        with pooled():
            r = self.F(make(x, Directions(self._seeds), tag), *args)
        value, t = split_result(r, tag, "sparse jacobian")
        if type(t) is Directions:
            if t.array.shape != (self._seeds.shape[0], *np.shape(value)):
                raise TypeError(  # a rule that mixed the direction axis into the value's
                    f"the compressed pass gave tangents of shape {t.array.shape[1:]} for F's "
                    f"value of shape {np.shape(value)}: a NumPy function in F mishandles "
                    "vector-mode tangents there (dd.jacobian(F, x) is affected too)"
                )
            data = np.ravel(t.array).take(self._read)  # J[i, j] = B[i, colour(j)]
        else:  # F did not depend on x
            data = np.zeros(self.pattern.nnz)
        p = self.pattern  # the caller's own index arrays: an in-place change to the result
        # (J.eliminate_zeros(), J.indices[...] = ...) must not reach the prepared pattern
        J = sp.csr_matrix((data, p.indices.copy(), p.indptr.copy()), shape=p.shape)
        return value, J

    def __call__(self, x: Any, *args: Any) -> Any:
        return self.value_and_jacobian(x, *args)[1]


class SparseHessian:
    """The Hessian of a scalar ``f``, sparse: pattern (:func:`hessian_sparsity`) and a star
    colouring once, at ``x``; each call is ``ncolors`` Hessian-vector products, decompressed
    into a symmetric ``scipy.sparse.csr_matrix``.

    >>> import numpy as np
    >>> H = SparseHessian(lambda x: np.sum(x[1:] * x[:-1] ** 2), np.ones(6))
    >>> H.ncolors, np.allclose(H(np.ones(6)).toarray(), np.diag([2.0] * 5 + [0.0])
    ...     + np.diag([2.0] * 5, 1) + np.diag([2.0] * 5, -1))
    (3, True)
    """

    def __init__(
        self, f: Callable[[Any], Any], x: Any, sparsity: Any = None, order: str = "auto"
    ) -> None:
        x = _point(x, "SparseHessian")
        self.f, self.shape_in, self.n = f, x.shape, x.size
        if sparsity is None:
            self.pattern = hessian_sparsity(f, x)
        else:
            p = _pattern_arg(sparsity, (self.n, self.n), "SparseHessian")
            self.pattern = (p + p.T).tocsr()
        self.colors = coloring.star_coloring(self.pattern, order=order)
        self.ncolors = int(self.colors.max()) + 1 if self.n else 0

    def __repr__(self) -> str:
        nnz = self.pattern.nnz
        return f"<SparseHessian {self.n}×{self.n}, {nnz} nonzeros, {self.ncolors} colours>"

    def __call__(self, x: Any) -> Any:
        from ..multivariate import hvp  # (multivariate imports this module lazily)

        x = _point(x, "SparseHessian")
        if x.shape != self.shape_in:
            raise ValueError(
                f"SparseHessian was prepared for x of shape {self.shape_in}, got {x.shape}"
            )
        B = np.zeros((self.n, max(self.ncolors, 1)))
        for c in range(self.ncolors):
            s = (self.colors == c).astype(np.float64).reshape(self.shape_in)
            B[:, c] = np.ravel(hvp(self.f, x, s, sparse=True))
        return coloring.decompress_symmetric(B, self.pattern, self.colors)


def ivp_jacobian(
    fun: Callable[[Any, Any], Any], t0: float, y0: Any, sparsity: Any = None
) -> Callable[[Any, Any], Any]:
    """``jac(t, y)`` for ``scipy.integrate.solve_ivp(fun, ..., jac=...)``: the sparse Jacobian
    of ``fun(t, y)`` in y, its pattern detected (and coloured) once at ``(t0, y0)``.

    >>> import numpy as np
    >>> fun = lambda t, y: -t * y**3
    >>> jac = ivp_jacobian(fun, 0.0, np.ones(3))
    >>> jac(2.0, np.array([1.0, 2.0, 3.0])).toarray()
    array([[ -6.,   0.,   0.],
           [  0., -24.,   0.],
           [  0.,   0., -54.]])
    """
    J = SparseJacobian(lambda y, t=t0: fun(t, y), y0, sparsity)
    return lambda t, y: J(y, t)


# --- the cache behind dd.jacobian(..., sparse=True) and dd.hessian(..., sparse=True) -------------
_CACHE: weakref.WeakKeyDictionary[Any, dict[Any, Any]] = weakref.WeakKeyDictionary()


def prepared(kind: type, f: Callable[[Any], Any], x: Any, sparsity: Any) -> Any:
    """The prepared object for ``f`` at points of x's shape: made once per function object,
    input shape and given pattern (the same object), then reused while ``f`` lives."""
    key = (kind, np.shape(base_value(x)))
    try:
        per_f = _CACHE.setdefault(f, {})
    except TypeError:  # f cannot be weakly referenced: no cache
        return kind(f, x, sparsity)
    entry = per_f.get(key)
    if entry is None or entry[0] is not sparsity:
        entry = per_f[key] = (sparsity, kind(f, x, sparsity))
    return entry[1]
