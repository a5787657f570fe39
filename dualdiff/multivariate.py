"""Gradients, Jacobians, Hessians and Jacobian-vector products by seeding input directions.

The function receives one Dual whose value is the whole input array, so NumPy code (slicing,
``W @ x + b``, ``np.sum``) and Python loops over ``x[i]`` both work. With ``chunk=1`` each pass
seeds one direction (the textbook multivariable chain rule, n passes); with ``chunk=k`` each
pass carries k directions at once in a :class:`~dualdiff.Directions` tangent (ceil(n/k) passes).

Default chunk: all n directions in one pass while the dense tangent of the input (n × n
numbers) fits in ``CHUNK_BUDGET`` entries; above that, the largest k with n·k within the budget,
spread evenly over the passes. Every operation in a pass writes a new dense tangent of about n·k
numbers. With dualdiff's memory pool (:mod:`dualdiff.memory`) those blocks are reused from pass
to pass, and the budget is 2**17 float64 (1 MiB): at n = 1000, 125 directions a pass, where
Python's overhead per pass and the memory traffic balance (Rosenbrock's gradient: 520× plain
against 1220× at 16 directions). Without the pool, glibc hands out fresh pages from the OS for
each block over 128 KiB, and the budget stays at 2**14 (128 KiB), below that size.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np

from . import memory, trees
from .api import as_input, primal, split_result
from .directions import Directions
from .dual import Dual, fmt, make, new_tag
from .kinds import base_value, is_complex

__all__ = [
    "CHUNK_BUDGET", "default_chunk", "gradient", "hessian", "hvp", "jacobian", "jvp",
    "value_and_grad", "value_and_jacobian",
]  # fmt: skip

#: entries of the input's dense tangent (n × chunk) that one pass may carry by default
CHUNK_BUDGET = 1 << 17 if memory.available() else 1 << 14


def default_chunk(n: int) -> int:
    """The default number of directions per pass for an input of n entries.

    >>> default_chunk(10), default_chunk(1000) in (16, 125)  # 125 with the memory pool
    (10, True)
    """
    if n <= 0:
        return 1
    kmax = max(1, min(n, CHUNK_BUDGET // n))
    passes = math.ceil(n / kmax)
    return math.ceil(n / passes)


def _vector(x: Any, who: str) -> Any:
    x = as_input(x, who)
    if is_complex(x):
        raise TypeError(
            f"{who} takes real points (the directions it seeds are real): for a function of "
            "complex z, differentiate in the real and imaginary parts, "
            f"dd.{who}(lambda v: f(v[:n] + 1j * v[n:]), np.concatenate([z.real, z.imag])); "
            "dd.jvp(f, z, v) takes complex z and v"
        )
    shape = x.shape if isinstance(x, Dual) else np.shape(x)
    if len(shape) != 1:
        kind = "a scalar" if not shape else f"shape {tuple(shape)}"
        hint = "; for a scalar use derivative(f).prime" if not shape else ""
        raise ValueError(f"{who} needs x as a 1-D array, got {kind}{hint}")
    return x


def _has_directions(x: Any) -> bool:
    """Whether an outer differentiation already carries several directions in x."""
    while isinstance(x, Dual):
        if type(x._t) is Directions or _has_directions(x._t):
            return True
        x = x._v
    return type(x) is Directions


def _chunk(chunk: Any, n: int, who: str, x: Any = None) -> int:
    nested = x is not None and _has_directions(x)
    if chunk is None:
        return 1 if nested else default_chunk(n)  # two levels of directions do not mix
    if nested and chunk > 1:
        raise TypeError(
            f"{who}: an outer differentiation already carries several directions (vector mode), "
            "and nested vector mode is not supported: use chunk=1 here or for the outer one"
        )
    if isinstance(chunk, bool) or not isinstance(chunk, (int, np.integer)):
        raise TypeError(f"{who}: chunk must be an int or None, got {type(chunk).__name__}")
    if chunk < 1:
        raise ValueError(f"{who}: chunk must be at least 1, got {chunk}")
    return int(min(chunk, max(n, 1)))


def _directions(t: Any) -> Any:
    """The direction array of a result tangent, directions last (inside an outer Dual if nested)."""
    if type(t) is Directions:
        return np.moveaxis(t.array, 0, -1)
    if isinstance(t, Dual):
        return make(_directions(t._v), _directions(t._t), t._tag)
    return t


def _passes(
    f: Callable[..., Any], x: Any, chunk: int, who: str
) -> tuple[Any, list[tuple[int, int, Any, Any]]]:
    """Run f once per block of directions; yield (start, stop, value, tangent block)."""
    n = x.shape[0]
    blocks = []
    value = None
    kind = base_value(x).dtype if base_value(x).dtype.kind == "f" else np.float64
    with memory.pooled():  # one block for all passes: each reuses the memory of the one before
        for start in range(0, n, chunk):
            stop = min(start + chunk, n)
            tag = new_tag()
            if chunk == 1:
                e = np.zeros(n, dtype=kind)
                e[start] = 1.0
                xd = make(x, e, tag)
            else:
                e = np.zeros((stop - start, n), dtype=kind)
                e[np.arange(stop - start), np.arange(start, stop)] = 1.0
                xd = make(x, Directions(e), tag)
            value, t = split_result(f(xd), tag, who)
            blocks.append((start, stop, value, t))
    return value, blocks


def _assemble(
    blocks: list[tuple[int, int, Any, Any]], out_shape: tuple[int, ...], vector: bool
) -> Any:
    """Join the tangent blocks along a last axis of n directions (``vector``: the blocks were
    seeded in vector mode, so their Directions move their axis last)."""
    cols = []
    for start, stop, _, t in blocks:
        if vector:
            t = _directions(t)
        if not vector and np.shape(t) == out_shape:
            t = np.expand_dims(t, -1) if out_shape else np.reshape(t, (1,))
        elif np.shape(t) != (*out_shape, stop - start):  # a constant's zero tangent
            t = np.zeros((*out_shape, stop - start), dtype=np.result_type(base_value(t), 0.0))
        cols.append(t)
    return np.concatenate(cols, axis=-1)


def gradient(
    f: Callable[..., Any],
    x: Any,
    chunk: int | None = None,
    *,
    argnums: int | tuple[int, ...] | None = None,
    has_aux: bool = False,
    sparse: bool = False,
) -> Any:
    """The gradient of a scalar function ``f`` at ``x``, shaped like ``x``: a vector (n,), an
    array of any shape, a number, or a structure of them (:mod:`dualdiff.trees`: dicts, lists,
    tuples and namedtuples of numbers and arrays; a flat list of numbers is a vector).

    ``sparse=True``: every intermediate carries only the derivatives it has (scipy.sparse
    rows), so a sum of terms that each depend on a few inputs (Rosenbrock, a chain, pairwise
    interactions) costs in proportion to the nonzeros, not n directions per operation; x an
    array of any shape; needs SciPy.

    >>> import numpy as np
    >>> gradient(lambda x: np.sum(x**2) + x[0] * x[1], [1.0, 2.0, 3.0])
    array([4., 5., 6.])
    >>> gradient(lambda p: np.sum(p["W"] ** 2) * p["b"], {"W": np.ones((2, 2)), "b": 3.0})
    {'W': array([[6., 6.],
           [6., 6.]]), 'b': np.float64(4.0)}
    """
    value, g = value_and_grad(f, x, chunk, argnums=argnums, has_aux=has_aux, sparse=sparse)
    return (g, value[1]) if has_aux else g


def value_and_grad(
    f: Callable[..., Any],
    x: Any,
    chunk: int | None = None,
    *,
    argnums: int | tuple[int, ...] | None = None,
    has_aux: bool = False,
    sparse: bool = False,
) -> tuple[Any, Any]:
    """``(f(x), gradient(f, x))`` from the same evaluations (what optimizers ask for).

    ``argnums``: ``x`` is then the tuple of f's arguments, and the gradient is taken in the
    ones named (an int: one result; a tuple: a tuple of results), the others held fixed.
    ``has_aux``: f returns ``(value, aux)``; the result is ``((value, aux), gradient)``, aux
    as plain numbers (gradient and jacobian give ``(derivative, aux)``).

    >>> value_and_grad(lambda x: x[0] * x[1], [2.0, 3.0])
    (6.0, array([3., 2.]))
    >>> value_and_grad(lambda w, b, data: w * data + b, (2.0, 1.0, 3.0), argnums=(0, 1))
    (7.0, (np.float64(3.0), np.float64(1.0)))
    """
    if sparse:
        if chunk is not None or argnums is not None or has_aux:
            raise TypeError("gradient(sparse=True) takes neither chunk, argnums nor has_aux")
        from .sparse.derivatives import sparse_value_and_grad

        return sparse_value_and_grad(f, x)
    if argnums is not None or has_aux:
        g, point, aux = _options(f, x, argnums, has_aux, "gradient")
        value, grad = value_and_grad(g, point, chunk)
        return ((value, aux.value) if has_aux else value), _per_argument(grad, point, 1)
    tree = _structure(x)
    if tree is not None:
        flat, unravel = tree
        value, g = value_and_grad(lambda p: f(unravel(p)), flat, chunk)
        return value, unravel(g)
    x = _vector(x, "gradient")
    n = x.shape[0]
    k = _chunk(chunk, n, "gradient", x)
    value, blocks = _passes(f, x, k, "gradient")
    shape = value.shape if isinstance(value, Dual) else np.shape(value)
    if shape:
        raise TypeError(
            f"gradient needs f to return a scalar, got shape {tuple(shape)}: use dd.jacobian"
        )
    g = _assemble(blocks, (), k > 1)
    if is_complex(value) and not _exactly_real(value):
        raise TypeError(
            f"gradient needs a real-valued f, got the complex value {fmt(base_value(value))}: "
            "take its real part or abs(...) (or use dd.jacobian for a complex-valued f)"
        )
    return _real_if_exact(value, value), _real_if_exact(value, g)


class _Aux:
    """f without its auxiliary output: calls return f's value and keep the aux of the last."""

    def __init__(self, f: Callable[..., Any], who: str) -> None:
        self.f, self.who, self.value = f, who, None

    def __call__(self, p: Any) -> Any:
        r = self.f(p)
        if not (isinstance(r, tuple) and len(r) == 2):
            raise TypeError(
                f"{self.who}: has_aux=True needs f to return (value, aux), got {type(r).__name__}"
            )
        self.value = primal(r[1])
        return r[0]


def _options(
    f: Callable[..., Any], x: Any, argnums: Any, has_aux: bool, who: str
) -> tuple[Callable[[Any], Any], Any, Any]:
    """(g, point, aux holder): f as a function of the arguments ``argnums`` picks from the tuple
    ``x`` (the others held fixed), without its aux output when ``has_aux``."""
    g, point = f, x
    if argnums is not None:
        if not isinstance(x, tuple):
            raise TypeError(
                f"{who}: with argnums, x is the tuple of f's arguments, got {type(x).__name__}"
            )
        single = isinstance(argnums, int) and not isinstance(argnums, bool)
        nums = (argnums,) if single else tuple(argnums)
        for i in nums:
            if (
                isinstance(i, bool)
                or not isinstance(i, int | np.integer)
                or not (-len(x) <= i < len(x))
            ):
                raise ValueError(f"{who}: argnums {argnums!r} for {len(x)} arguments")
        nums = tuple(int(i) % len(x) for i in nums)
        if len(set(nums)) != len(nums):
            raise ValueError(f"{who}: argnums {argnums!r} names an argument twice")

        def g(p: Any, _f: Callable[..., Any] = f) -> Any:
            args = list(x)
            for i, pi in zip(nums, (p,) if single else p, strict=True):
                args[i] = pi
            return _f(*args)

        point = x[nums[0]] if single else tuple(x[i] for i in nums)
    aux = _Aux(g, who) if has_aux else None
    return (aux if aux is not None else g), point, aux


def _per_argument(r: Any, point: Any, axes: int) -> Any:
    """A derivative in a tuple of numbers (argnums), which flattened as a vector, as a tuple of
    per-argument results (a tuple of tuples for a Hessian), as for a tuple of arrays."""
    if not isinstance(point, tuple) or isinstance(r, tuple):
        return r
    k = len(point)
    if axes == 1:
        return tuple(r[..., i] if np.ndim(r) > 1 else r[i] for i in range(k))
    return tuple(
        tuple(r[..., i, j] if np.ndim(r) > 2 else r[i, j] for j in range(k)) for i in range(k)
    )


def _structure(x: Any) -> tuple[Any, Callable[[Any], Any]] | None:
    """``(flat vector, unravel)`` for a point that is not a vector (a number, an array of another
    shape, a dict, a namedtuple, a list holding arrays or containers); None for a vector (a 1-D
    array, a flat list of numbers, a Dual)."""
    if isinstance(x, Dual):
        return None
    if isinstance(x, list | tuple) and not hasattr(type(x), "_fields"):
        if all(
            isinstance(e, numbers.Number | mpmath.mpf | mpmath.mpc) and not isinstance(e, bool)
            for e in x
        ):
            return None  # a flat list of numbers is a vector, as np.asarray makes it
    elif isinstance(x, np.ndarray) and x.ndim == 1:
        return None
    elif not isinstance(x, dict | tuple | np.ndarray | numbers.Number | mpmath.mpf | mpmath.mpc):
        return None  # a lazy (dask) array or another array-like: as it is
    flat, unravel = trees.ravel(x)
    return flat, unravel


def _exactly_real(a: Any) -> bool:
    """Whether every number in ``a`` (innermost values, for a Dual) has imaginary part 0."""
    b = base_value(a)
    if isinstance(b, np.ndarray) and b.dtype == object:
        return all(mpmath.im(e) == 0 for e in b.flat)
    return bool(np.all(np.imag(b) == 0)) if not isinstance(b, mpmath.mpc) else b.imag == 0


def _real_if_exact(value: Any, j: Any) -> Any:
    """A derivative of a real function of real inputs is real: where the function's value and
    the derivative hold complex numbers whose imaginary parts are all exactly zero (the function
    went through complex intermediates and came back by real, abs, z·conj(z)), their real part."""
    if not is_complex(j) or not _exactly_real(value) or not _exactly_real(j):
        return j
    if isinstance(j, Dual):
        return np.real(j)
    if isinstance(j, np.ndarray) and j.dtype == object:
        return np.array([mpmath.re(e) for e in j.flat], dtype=object).reshape(j.shape)
    return np.real(j)


def jacobian(
    F: Callable[..., Any],
    x: Any,
    chunk: int | None = None,
    *,
    argnums: int | tuple[int, ...] | None = None,
    has_aux: bool = False,
    sparse: bool = False,
    sparsity: Any = None,
) -> Any:
    """The Jacobian of ``F`` at ``x``: shape ``F(x).shape + x.shape`` (``(m, n)`` for vectors);
    for a structured ``x`` (:func:`gradient`), the same structure with leaves
    ``F(x).shape + leaf.shape``.

    ``sparse=True``: a ``scipy.sparse.csr_matrix`` of shape ``(F(x).size, x.size)`` (entries in
    C order), from one pass of one direction per colour of the detected pattern
    (:class:`dualdiff.sparse.SparseJacobian`); ``sparsity=``: a pattern of your own instead of
    detection. Detection and colouring run on the first call for a function object and input
    shape and are reused after (the pattern is the one at that first point).

    >>> import numpy as np
    >>> W = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    >>> jacobian(lambda x: W @ x + 1.0, [0.5, -0.5])     # an affine map's Jacobian is W
    array([[1., 2.],
           [3., 4.],
           [5., 6.]])
    """
    value, J = value_and_jacobian(
        F, x, chunk, argnums=argnums, has_aux=has_aux, sparse=sparse, sparsity=sparsity
    )
    return (J, value[1]) if has_aux else J


def value_and_jacobian(
    F: Callable[..., Any],
    x: Any,
    chunk: int | None = None,
    *,
    argnums: int | tuple[int, ...] | None = None,
    has_aux: bool = False,
    sparse: bool = False,
    sparsity: Any = None,
) -> tuple[Any, Any]:
    """``(F(x), jacobian(F, x))`` from the same evaluations (``argnums``, ``has_aux``: as
    :func:`value_and_grad`).

    >>> import numpy as np
    >>> value_and_jacobian(lambda x: x**2, np.array([1.0, 3.0]))
    (array([1., 9.]), array([[2., 0.],
           [0., 6.]]))
    """
    if sparse or sparsity is not None:
        return _sparse("SparseJacobian", F, x, chunk, argnums, has_aux, sparsity, "jacobian")
    if argnums is not None or has_aux:
        g, point, aux = _options(F, x, argnums, has_aux, "jacobian")
        value, J = value_and_jacobian(g, point, chunk)
        return ((value, aux.value) if has_aux else value), _per_argument(J, point, 1)
    tree = _structure(x)
    if tree is not None:
        flat, unravel = tree
        value, J = value_and_jacobian(lambda p: F(unravel(p)), flat, chunk)
        return value, unravel(J)
    x = _vector(x, "jacobian")
    n = x.shape[0]
    k = _chunk(chunk, n, "jacobian", x)
    value, blocks = _passes(F, x, k, "jacobian")
    shape = value.shape if isinstance(value, Dual) else np.shape(value)
    return value, _real_if_exact(value, _assemble(blocks, tuple(shape), k > 1))


def hessian(
    f: Callable[..., Any],
    x: Any,
    chunk: int | None = None,
    *,
    argnums: int | tuple[int, ...] | None = None,
    sparse: bool = False,
    sparsity: Any = None,
) -> Any:
    """The Hessian of a scalar ``f`` at ``x``: shape ``x.shape + x.shape`` ((n, n) for a
    vector), symmetric; for a structured ``x``, a structure of structures (``H[i][j]`` has shape
    ``leaf_i.shape + leaf_j.shape``).

    Forward over forward: the Jacobian (one direction per pass) of the gradient (vector mode,
    ``chunk`` directions per pass); tags keep the two levels apart.

    ``sparse=True``: a symmetric ``scipy.sparse.csr_matrix`` (n, n), one Hessian-vector product
    per colour of a star colouring of the detected pattern
    (:class:`dualdiff.sparse.SparseHessian`); ``sparsity=``: a pattern of your own. Prepared on
    the first call for a function object and input shape, reused after.

    >>> import numpy as np
    >>> hessian(lambda x: x[0]**2 * x[1] + x[1]**3, [1.0, 2.0])
    array([[ 4.,  2.],
           [ 2., 12.]])
    """
    if sparse or sparsity is not None:
        return _sparse("SparseHessian", f, x, chunk, argnums, False, sparsity, "hessian")
    if argnums is not None:
        g, point, _ = _options(f, x, argnums, False, "hessian")
        return _per_argument(hessian(g, point, chunk), point, 2)
    tree = _structure(x)
    if tree is not None:
        flat, unravel = tree
        H = hessian(lambda p: f(unravel(p)), flat, chunk)
        return _unravel_square(H, unravel, flat.shape[0])
    x = _vector(x, "hessian")
    h = jacobian(lambda y: gradient(f, y, chunk), x, chunk=1)
    return (h + np.swapaxes(h, -1, -2)) / 2


def _sparse(
    kind: str,
    f: Callable[..., Any],
    x: Any,
    chunk: Any,
    argnums: Any,
    has_aux: bool,
    sparsity: Any,
    who: str,
) -> Any:
    """``jacobian``/``hessian`` with ``sparse=True``: the prepared object's result."""
    if chunk is not None or argnums is not None or has_aux:
        raise TypeError(
            f"{who}(sparse=True) takes neither chunk (one direction per colour), argnums nor "
            "has_aux; differentiate a function of one array"
        )
    if not isinstance(x, np.ndarray | list | tuple | float | int):
        raise TypeError(f"{who}(sparse=True) needs x as an array, got {type(x).__name__}")
    from .sparse import derivatives

    prepared = derivatives.prepared(getattr(derivatives, kind), f, as_input(x, who), sparsity)
    if kind == "SparseJacobian":
        return prepared.value_and_jacobian(as_input(x, who))
    return prepared(as_input(x, who))


def _unravel_square(H: Any, unravel: Callable[[Any], Any], n: int) -> Any:
    """An (n, n) matrix as a structure of structures: rows by the outer leaf, columns inner."""
    rows = unravel(np.arange(n, dtype=np.float64))  # each leaf: its entries' row indices
    leaves, td = trees.flatten(rows)
    blocks = []
    for leaf in leaves:
        idx = np.asarray(leaf, dtype=np.intp)
        inner = unravel(H[idx.ravel()])  # leaves (rows, *shape_j)
        ileaves, itd = trees.flatten(inner)
        blocks.append(
            trees.unflatten(itd, [np.reshape(b, idx.shape + b.shape[1:]) for b in ileaves])
        )
    out = trees.unflatten(td, blocks)
    return out


def hvp(
    f: Callable[..., Any], x: Any, v: Any, chunk: int | None = None, *, sparse: bool = False
) -> Any:
    """The Hessian of a scalar ``f`` at ``x`` times ``v`` (shaped like ``x``), without the
    Hessian: the derivative of the gradient in the direction v, forward over forward, at about
    the cost of one gradient (of Duals that carry one more tangent); ``sparse=True``: of a
    sparse gradient (:func:`gradient`).

    >>> import numpy as np
    >>> hvp(lambda x: x[0]**2 * x[1] + x[1]**3, [1.0, 2.0], [1.0, 0.0])   # H @ e0
    array([4., 2.])
    """
    tree = _structure(x)
    if tree is not None:
        flat, unravel = tree
        vflat, _ = trees.ravel(v, "v")
        if np.shape(vflat) != np.shape(flat):
            raise ValueError(f"hvp: v has {np.size(vflat)} entries, x has {np.size(flat)}")
        return unravel(hvp(lambda p: f(unravel(p)), flat, vflat, chunk, sparse=sparse))
    x = _vector(x, "hvp")
    v = as_input(v, "hvp")
    if np.shape(v) != np.shape(base_value(x)):
        raise ValueError(f"hvp: v has shape {np.shape(v)}, x has shape {np.shape(base_value(x))}")
    if sparse and chunk is not None:
        raise TypeError("hvp(sparse=True) takes no chunk")
    return jvp(lambda y: gradient(f, y, chunk, sparse=sparse), x, v)[1]


def jvp(F: Callable[..., Any], x: Any, v: Any) -> tuple[Any, Any]:
    """``(F(x), J(x) @ v)`` in one pass: the derivative of F at x in the direction v.

    ``x`` and ``v`` have the same shape (any shape, or scalars).

    >>> import numpy as np
    >>> jvp(lambda x: x**2, np.array([1.0, 2.0]), np.array([1.0, 0.5]))
    (array([1., 4.]), array([2., 2.]))
    """
    tree = _structure(x)
    if tree is not None and isinstance(x, dict | list | tuple):  # arrays: any shape as they are
        flat, unravel = tree
        vflat = trees.ravel(v, "v")[0]
        vtd, xtd = trees.flatten(v, "v")[1], trees.flatten(x)[1]
        if vtd != xtd:
            raise ValueError(f"jvp: v's structure {vtd.describe()} is not x's {xtd.describe()}")
        return jvp(lambda p: F(unravel(p)), flat, vflat)
    x = as_input(x, "jvp")
    v = as_input(v, "jvp")
    xs = x.shape if isinstance(x, Dual) else np.shape(x)
    if np.shape(v) != tuple(xs):
        raise ValueError(f"jvp: v has shape {np.shape(v)}, x has shape {tuple(xs)}")
    if is_complex(v) and not is_complex(x):
        raise TypeError(
            "jvp: v is complex but x is real: a real point moves in real directions; give x as "
            "complex (x + 0j) to move it off the real line"
        )
    tag = new_tag()
    with memory.pooled():
        return split_result(F(make(x, v, tag)), tag, "jvp")
