"""Graph colouring for compressed (sparse) Jacobians and Hessians.

A Jacobian J (m × n) whose sparsity pattern is known can be computed from one vector-mode pass
with one direction per *colour*: columns that share no row get the same colour, the seed matrix
``S = compress(colors)`` (n × c, ``S[j, colors[j]] = 1``) is pushed through F, and each entry of
J is read back from ``B = J @ S`` by :func:`decompress`: ``J[i, j] = B[i, colors[j]]``.

For a symmetric Hessian a *star colouring* of its adjacency graph needs fewer colours (an arrow
pattern takes 2 instead of n): every entry ``H[i, j]`` is still read directly from ``B = H @ S``,
at ``B[i, colors[j]]`` or at ``B[j, colors[i]]``, whichever is free of other terms
(:func:`decompress_symmetric`).

Patterns are scipy.sparse matrices or anything ``scipy.sparse.csc_matrix`` accepts (a dense
boolean array, say); a stored entry counts when it is nonzero. NumPy is the only import at module
level; SciPy is imported by the functions that take or return sparse matrices.

How the colours are found (:func:`column_coloring`, ``order="auto"``):

1. *Lattice colouring* of patterns that lie on few diagonals (banded, block-banded, stencils,
   coupled systems like the Brusselator): ``colors[j] = (j + t * floor(j / L)) mod p``, or with
   two block lengths, for block lengths L among the diagonals' offsets (the 2-D Laplacian's grid
   width, the Brusselator's half length N) and steps t. If every nonzero offset ``j - i`` is in a
   set D, columns ``j`` and ``k`` can share a row only when ``k - j`` is in ``D - D``, so first
   the plain period (t = 0) is the smallest p that divides no such difference (a tridiagonal
   pattern gets 3 colours, a band of width w gets w). When that misses the lower bound, the
   exact differences within rows are found, rows grouped by the diagonals and block steps they
   hold, and the smallest p with some valid t is searched: the Brusselator gets its bound 4
   (``u_j -> j mod 4, v_j -> (j + 2) mod 4`` when 4 divides N) and the 5-point Laplacian 5
   (``x + 2y mod 5``). This costs O(nnz) in NumPy per block length.
2. Otherwise, the *greedy* colouring in largest-first order (sequential, with one Python integer
   bit mask per row).
3. Both are improved by *iterated greedy* passes (Culberson): recolouring greedily class by class
   never increases the number of colours and often lowers it. The columns of one class share no
   row, so each class is one vectorised step: a pass costs O(nnz) NumPy work per colour.

The count is never below ``max_row_count`` (the most nonzeros in a row), a lower bound; the
search stops as soon as it reaches it.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import scipy.sparse

__all__ = [
    "column_coloring",
    "compress",
    "decompress",
    "decompress_symmetric",
    "is_valid_column_coloring",
    "is_valid_star_coloring",
    "max_row_count",
    "star_coloring",
]

ORDERS = ("auto", "natural", "largest_first", "smallest_last")
STAR_ORDERS = ("auto", "natural", "largest_first")

#: the lattice colouring is tried when the pattern lies on at most this many diagonals
MAX_DIAGONALS = 32
#: ... and with periods up to this (also the limit of the vectorised refinement's bit masks)
MAX_PERIOD = 64
#: ``order="auto"`` also runs the (sequential) greedy colouring after a lattice colouring that
#: missed the lower bound when the pattern has at most this many nonzeros (about 0.2 µs each)
AUTO_GREEDY_NNZ = 20_000
#: the lattice colouring's block lengths: at most this many of the smallest distinct offsets
#: ``|j - i| >= 2``
MAX_BLOCK_LENGTHS = 4
#: ... its features (diagonal and block steps) per model, one bit each in a float64 sum
MAX_FEATURES = 52
#: ... its search's size per model (candidate periods and steps × differences within rows)
MAX_LATTICE_WORK = 1 << 18
#: ... and how many kinds of rows (sets of features) it takes at once
KINDS_CHUNK = 4096
#: ... and its feature keys per model (a bincount of this length)
MAX_FEATURE_KEYS = 1 << 20


# ---------------------------------------------------------------------------------------------
# patterns


def _pattern(pattern: Any) -> scipy.sparse.csc_matrix:
    """A canonical boolean CSC copy: sorted indices, no duplicates, no stored zeros."""
    import scipy.sparse as sp

    a = sp.csc_matrix(pattern).astype(bool)  # astype copies: the caller's matrix is not touched
    a.sum_duplicates()
    a.eliminate_zeros()
    a.sort_indices()
    return a


def _symmetric_graph(pattern: Any) -> tuple[Any, Any]:
    """(P | Pᵀ in canonical CSR, its off-diagonal part in canonical CSR), for a square pattern."""
    a = _pattern(pattern)
    if a.shape[0] != a.shape[1]:
        raise ValueError(f"a symmetric pattern must be square, got shape {a.shape}")
    s = (a + a.T).tocsr()
    s.sum_duplicates()
    s.sort_indices()
    n = s.shape[0]
    rows = np.repeat(np.arange(n), np.diff(s.indptr))
    off = rows != s.indices
    g = _csr_from_entries(rows[off], s.indices[off], n)
    return s, g


def _csr_from_entries(rows: np.ndarray, cols: np.ndarray, n: int) -> Any:
    """A boolean CSR (n × n) from row-sorted entries with sorted, unique columns per row."""
    import scipy.sparse as sp

    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return sp.csr_matrix((np.ones(rows.size, dtype=bool), cols, indptr), shape=(n, n))


def max_row_count(pattern: Any) -> int:
    """The most nonzeros in one row: a lower bound on the colours of any column colouring.

    >>> import numpy as np
    >>> max_row_count(np.eye(4, dtype=bool) | np.eye(4, k=1, dtype=bool))
    2
    """
    a = _pattern(pattern)
    if a.nnz == 0:
        return 0
    return int(np.bincount(a.indices, minlength=a.shape[0]).max())


def _ncolors(colors: np.ndarray) -> int:
    return int(colors.max()) + 1 if colors.size else 0


# ---------------------------------------------------------------------------------------------
# column colouring


def column_coloring(pattern: Any, order: str = "auto", passes: int = 4) -> np.ndarray:
    """Colours of the columns of an m × n sparsity pattern: no two columns sharing a row match.

    This is a distance-2 colouring of the bipartite row/column graph (a colouring of the
    column-intersection graph, Curtis–Powell–Reid), so that ``J`` is recovered from the
    ``c = colors.max() + 1`` products ``J @ compress(colors)`` by :func:`decompress`.

    ``order`` chooses the greedy colouring: ``"natural"`` (column order), ``"largest_first"``
    (by decreasing ``sum`` over a column's rows of the row's other nonzeros, an upper bound on its
    degree), ``"smallest_last"`` (Matula's degeneracy order on the column-intersection graph;
    sequential, the slowest) or ``"auto"`` (the default: the lattice colouring of patterns on
    at most ``MAX_DIAGONALS`` diagonals, else largest-first; see the module docstring). Then up to
    ``passes`` iterated-greedy passes lower the count where they can (``passes=0``: the plain
    greedy colouring). The result is deterministic.

    Returns an int64 array of length n with the colours ``0 .. c-1``, every one used.

    >>> import numpy as np
    >>> tridiagonal = sum(np.eye(6, k=k, dtype=bool) for k in (-1, 0, 1))
    >>> column_coloring(tridiagonal)
    array([0, 1, 2, 0, 1, 2])
    >>> column_coloring(np.ones((3, 3)))
    array([0, 1, 2])
    """
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}, got {order!r}")
    a = _pattern(pattern)
    m, n = a.shape
    if a.nnz == 0:
        return np.zeros(n, dtype=np.int64)
    lower = int(np.bincount(a.indices, minlength=m).max())
    colors = None
    if order == "auto":
        colors = _lattice(a, lower)
        if colors is not None:
            colors = _refine(a, colors, passes, lower)
            if _ncolors(colors) <= lower or a.nnz > AUTO_GREEDY_NNZ:
                return colors
    greedy = _refine(a, _greedy(a, _column_order(a, order)), passes, lower)
    if colors is not None and _ncolors(colors) <= _ncolors(greedy):
        return colors
    return greedy


def _lattice(a: Any, lower: int) -> np.ndarray | None:
    """The lattice colouring with the fewest colours, if the pattern lies on few diagonals.

    Colours ``(j + t_1 floor(j / L_1) + ... + t_r floor(j / L_r)) mod p`` for block lengths
    ``L_l`` taken from the diagonals' offsets (r = 0, 1, 2) and steps ``t_l`` in ``Z_p``; the
    smallest p (from the lower bound up) that some model and steps make valid wins. The plain
    period (r = 0) is first tried against every difference of two offsets, which needs no pass
    over the entries; the exact differences (:func:`_lattice_deltas`) are found only when that
    misses the lower bound."""
    m, n = a.shape
    itype = np.int32 if m + n < 2**31 else np.int64
    rows = a.indices.astype(itype, copy=False)
    cols = np.repeat(np.arange(n, dtype=itype), np.diff(a.indptr))
    shifted = cols - rows
    shifted += m - 1
    present = np.bincount(shifted, minlength=m + n - 1) > 0
    diagonals = np.flatnonzero(present) - (m - 1)
    if diagonals.size > MAX_DIAGONALS:
        return None
    p_lo = max(lower, 1)
    p_hi = min(n, MAX_PERIOD)
    best: tuple[int, tuple[int, ...], np.ndarray] | None = None
    # every difference of two offsets: a superset of the differences within rows
    diffs = np.unique(np.abs(diagonals[:, None] - diagonals[None, :]))
    found = _lattice_search(diffs[diffs > 0, None], p_lo, p_hi)
    if found is not None:
        best = (found[0], (), found[1])
        p_hi = found[0] - 1
    if p_hi >= p_lo:
        entry_diagonal = (np.cumsum(present, dtype=itype) - 1)[shifted]
        lengths = _block_lengths(diagonals)
        # a model with a block length includes the plain period (steps 0): the exact plain
        # period is tried on its own only when no such model could be tried
        models: list[tuple[int, ...]] = [(length,) for length in lengths]
        models += [(), *itertools.combinations(lengths, 2)]
        tried = False
        for model in models:
            if p_hi < p_lo:
                break
            if model == () and tried:
                continue
            deltas = _lattice_deltas(rows, cols, entry_diagonal, diagonals, model, m)
            if deltas is None:
                continue
            tried = True
            found = _lattice_search(deltas, p_lo, p_hi)
            if found is not None:
                best = (found[0], model, found[1])
                p_hi = found[0] - 1
    if best is None:
        return None
    p, model, steps = best
    j = np.arange(n, dtype=np.int64)
    colors = j.copy()
    for length, step in zip(model, steps.tolist(), strict=True):
        colors += step * (j // length)
    return _renumber(colors % p)


def _block_lengths(diagonals: np.ndarray) -> list[int]:
    """Up to ``MAX_BLOCK_LENGTHS`` of the smallest distinct offsets ``|d| >= 2``, the likeliest
    block length first: the one the offsets lie closest to multiples of (a grid's width)."""
    lengths = np.unique(np.abs(diagonals))
    lengths = lengths[lengths >= 2][:MAX_BLOCK_LENGTHS]
    near = diagonals[None, :] - lengths[:, None] * np.round(diagonals[None, :] / lengths[:, None])
    score = np.abs(near).sum(axis=1)
    return lengths[np.argsort(score, kind="stable")].tolist()


def _lattice_deltas(
    rows: np.ndarray,
    cols: np.ndarray,
    entry_diagonal: np.ndarray,
    diagonals: np.ndarray,
    model: tuple[int, ...],
    m: int,
) -> np.ndarray | None:
    """The differences ``(j - k, floor(j/L_1) - floor(k/L_1), ...)`` over the pairs of columns
    j, k that share a row (each pair once, in one direction), or None when the model has too
    many features.

    Each entry (i, j) has a *feature*: its diagonal ``d = j - i`` and its block steps
    ``floor(j/L) - floor(i/L)`` (``floor(d/L)`` or one more). Two entries of a row differ in
    their columns by exactly the difference of their features, and no row holds a feature twice,
    so the pairs of features that meet in some row give every difference. Rows are grouped by
    their set of features (a bit mask, summed as float64 powers of two), so this costs O(nnz)."""
    key = entry_diagonal
    size = diagonals.size
    spans = []
    for length in model:
        lo = int(diagonals[0]) // length
        span = int(diagonals[-1]) // length + 2 - lo
        size *= span
        if size > MAX_FEATURE_KEYS:
            return None
        step = cols // length - rows // length
        step -= lo
        key = key * span + step
        spans.append((lo, span))
    if size <= MAX_FEATURES:
        used = np.ones(size, dtype=bool)
        weight = 2.0 ** np.arange(size)
    else:
        used = np.bincount(key, minlength=size) > 0
        nfeatures = int(used.sum())
        if nfeatures > MAX_FEATURES:
            return None
        weight = np.zeros(size)
        weight[used] = 2.0 ** np.arange(nfeatures)
    masks = np.bincount(rows, weights=weight[key], minlength=m)  # exact: distinct powers of 2
    kinds = np.unique(masks).astype(np.uint64)
    nfeatures = int(np.count_nonzero(weight))
    meet = np.zeros((nfeatures, nfeatures))
    shifts = np.arange(nfeatures, dtype=np.uint64)
    for start in range(0, kinds.size, KINDS_CHUNK):  # features meeting in some row
        bits = ((kinds[start : start + KINDS_CHUNK, None] >> shifts) & np.uint64(1)).astype(float)
        meet += bits.T @ bits
    f, g = np.nonzero(np.triu(meet > 0, 1))
    keys = np.flatnonzero(used)
    features = np.empty((keys.size, len(model) + 1), dtype=np.int64)
    for level in range(len(model), 0, -1):
        lo, span = spans[level - 1]
        features[:, level] = keys % span + lo
        keys = keys // span
    features[:, 0] = diagonals[keys]
    return features[f] - features[g]


def _lattice_search(deltas: np.ndarray, p_lo: int, p_hi: int) -> tuple[int, np.ndarray] | None:
    """The smallest p in ``p_lo .. p_hi`` and steps t in ``Z_p^r`` with no difference
    ``delta[0] + t . delta[1:]`` divisible by p (no two columns of a row alike), if any.

    The candidates (p, t) are tested together, ``p^r`` of them per period, until the number of
    terms tested passes ``MAX_LATTICE_WORK`` (then None: the search gives up)."""
    r = deltas.shape[1] - 1
    k = max(deltas.shape[0], 1)
    periods = []
    count = 0
    for p in range(p_lo, p_hi + 1):
        if (count + p**r) * k > MAX_LATTICE_WORK:
            break
        periods.append(p)
        count += p**r
    if not periods:
        return None
    sizes = np.array(periods, dtype=np.int64) ** r
    period = np.repeat(np.array(periods, dtype=np.int64), sizes)
    local = np.arange(count) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    steps = np.empty((count, r), dtype=np.int64)
    for level in range(r):
        steps[:, level] = local % period
        local //= period
    values = (deltas[:, 0][None, :] + steps @ deltas[:, 1:].T) % period[:, None]
    ok = (values != 0).all(axis=1)
    if not ok.any():
        return None
    best = int(np.argmax(ok))
    return int(period[best]), steps[best]


def _column_order(a: Any, order: str) -> np.ndarray:
    """The columns in the order the greedy colouring visits them."""
    m, n = a.shape
    if order == "natural":
        return np.arange(n)
    if order in ("largest_first", "auto"):
        rowcount = np.bincount(a.indices, minlength=m)
        cols = np.repeat(np.arange(n), np.diff(a.indptr))
        degree = np.bincount(cols, weights=rowcount[a.indices] - 1, minlength=n)
        return np.argsort(-degree, kind="stable")
    return _smallest_last(_intersection_graph(a))


def _intersection_graph(a: Any) -> Any:
    """The column-intersection graph (columns adjacent when they share a row) as CSR, no loops."""
    g = (a.T.astype(np.int32) @ a.astype(np.int32)).tocsr()
    g.setdiag(0)
    g.eliminate_zeros()
    g.sort_indices()
    return g


def _smallest_last(g: Any) -> np.ndarray:
    """Matula–Beck smallest-last (degeneracy) order of a graph given as CSR."""
    n = g.shape[0]
    ip = g.indptr.tolist()
    ix = g.indices.tolist()
    degree = np.diff(g.indptr).tolist()
    buckets: list[set[int]] = [set() for _ in range(max(degree, default=0) + 1)]
    for v, d in enumerate(degree):
        buckets[d].add(v)
    removed = [False] * n
    order = []
    d = 0
    for _ in range(n):
        d = max(d - 1, 0)
        while not buckets[d]:
            d += 1
        v = buckets[d].pop()
        removed[v] = True
        order.append(v)
        for w in ix[ip[v] : ip[v + 1]]:
            if not removed[w]:
                dw = degree[w]
                buckets[dw].remove(w)
                buckets[dw - 1].add(w)
                degree[w] = dw - 1
    order.reverse()
    return np.array(order, dtype=np.int64)


def _greedy(a: Any, order: np.ndarray) -> np.ndarray:
    """Sequential greedy colouring in ``order``: each column takes the smallest colour not yet
    used in any of its rows (one Python-int bit mask per row, so any number of colours)."""
    ip = a.indptr.tolist()
    ix = a.indices.tolist()
    used = [0] * a.shape[0]
    out = [0] * a.shape[1]
    for j in order.tolist():
        rows = ix[ip[j] : ip[j + 1]]
        f = 0
        for r in rows:
            f |= used[r]
        bit = ~f & (f + 1)
        for r in rows:
            used[r] |= bit
        out[j] = bit.bit_length() - 1
    return np.array(out, dtype=np.int64)


def _segment_or(values: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Bitwise or of ``values`` over consecutive segments (0 for an empty segment)."""
    out = np.bitwise_or.reduceat(np.append(values, np.uint64(0)), starts)
    out[counts == 0] = 0
    return out


def _lowest_free(forbidden: np.ndarray) -> np.ndarray:
    """The lowest zero bit of each uint64 mask, as a one-bit mask."""
    return ~forbidden & (forbidden + np.uint64(1))


def _refine(a: Any, colors: np.ndarray, passes: int, lower: int) -> np.ndarray:
    """Iterated greedy (Culberson 1992): recolour class by class, alternating reverse and
    largest-first class orders, while each pass lowers the count and it is above ``lower``."""
    for p in range(passes):
        k = _ncolors(colors)
        if k <= max(lower, 1) or k > MAX_PERIOD:
            break
        sizes = np.bincount(colors, minlength=k)
        classes = np.arange(k)[::-1] if p % 2 == 0 else np.argsort(-sizes, kind="stable")
        colors = _greedy_by_classes(a, colors, classes)
        if _ncolors(colors) >= k:
            break
    return colors


def _greedy_by_classes(a: Any, colors: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """The greedy colouring visiting the classes of a valid colouring in the order ``classes``.

    The columns of one class share no row, so a whole class is coloured at once: each column
    takes the lowest colour free in all its rows, then its rows mark it used (no row twice)."""
    m, n = a.shape
    k = classes.size
    rank = np.empty(k, dtype=np.int64)
    rank[classes] = np.arange(k)
    col_rank = rank[colors]
    perm = np.argsort(col_rank, kind="stable")
    counts = np.diff(a.indptr)[perm]
    ends = np.cumsum(counts)
    starts = ends - counts
    total = int(ends[-1]) if n else 0
    entries = np.arange(total) + np.repeat(a.indptr[perm] - starts, counts)
    rows = a.indices[entries]
    bounds = np.searchsorted(col_rank[perm], np.arange(k + 1))
    row_used = np.zeros(m, dtype=np.uint64)
    bits = np.zeros(n, dtype=np.uint64)
    for c in range(k):
        lo, hi = bounds[c], bounds[c + 1]
        if lo == hi:
            continue
        e0 = starts[lo]
        e1 = ends[hi - 1]
        r = rows[e0:e1]
        cnt = counts[lo:hi]
        free = _lowest_free(_segment_or(row_used[r], starts[lo:hi] - e0, cnt))
        bits[perm[lo:hi]] = free
        row_used[r] |= np.repeat(free, cnt)
    new = np.log2(bits.astype(np.float64)).astype(np.int64)
    return _renumber(new)


def _renumber(colors: np.ndarray) -> np.ndarray:
    """Colours renumbered 0..c-1 in order of first use by the used colours (none skipped)."""
    used = np.zeros(_ncolors(colors), dtype=bool)
    used[colors] = True
    if used.all():
        return colors
    return (np.cumsum(used) - 1)[colors]


# ---------------------------------------------------------------------------------------------
# seeding and recovery


def compress(colors: Any, ncolors: int | None = None, dtype: Any = np.float64) -> np.ndarray:
    """The seed matrix S (n × c) of a colouring: ``S[j, colors[j]] = 1``, zeros elsewhere.

    ``J @ S`` adds up the columns of each colour; one vector-mode pass with the c columns of S as
    directions computes it.

    >>> compress([0, 1, 0])
    array([[1., 0.],
           [0., 1.],
           [1., 0.]])
    """
    colors = np.asarray(colors, dtype=np.int64)
    c = _ncolors(colors) if ncolors is None else int(ncolors)
    seed = np.zeros((colors.size, c), dtype=dtype)
    seed[np.arange(colors.size), colors] = 1
    return seed


def decompress(compressed: Any, pattern: Any, colors: Any) -> scipy.sparse.csr_matrix:
    """J as a CSR matrix with ``pattern``'s structure, from ``B = J @ compress(colors)``.

    ``J[i, j] = B[i, colors[j]]`` for every (i, j) in the pattern: exact when ``colors`` is a
    valid column colouring of the pattern (:func:`is_valid_column_coloring`; not checked here).
    Every entry of the pattern is stored, also where its value is 0.

    >>> import numpy as np
    >>> J = np.array([[1.0, 2.0, 0.0], [0.0, 3.0, 4.0]])
    >>> colors = column_coloring(J != 0)
    >>> decompress(J @ compress(colors), J != 0, colors).toarray()
    array([[1., 2., 0.],
           [0., 3., 4.]])
    """
    import scipy.sparse as sp

    p = _pattern(pattern).tocsr()
    p.sort_indices()
    b = np.asarray(compressed)
    colors = np.asarray(colors, dtype=np.int64)
    m, n = p.shape
    if b.ndim != 2 or b.shape[0] != m or colors.shape != (n,):
        raise ValueError(
            f"compressed has shape {b.shape} and colors {colors.shape} for a pattern of shape "
            f"{p.shape}: expected ({m}, c) and ({n},)"
        )
    rows = np.repeat(np.arange(m), np.diff(p.indptr))
    data = b[rows, colors[p.indices]]
    return sp.csr_matrix((data, p.indices, p.indptr), shape=(m, n))


# ---------------------------------------------------------------------------------------------
# symmetric (Hessian) colouring


def star_coloring(pattern: Any, order: str = "auto") -> np.ndarray:
    """A star colouring of a symmetric pattern's adjacency graph, for compressed Hessians.

    Adjacent vertices get different colours and every path on four vertices uses at least three
    colours (Gebremedhin, Manne & Pothen 2005); then every entry of H is read directly from
    ``B = H @ compress(colors)`` by :func:`decompress_symmetric`. The pattern is symmetrised
    (``P | Pᵀ``); its diagonal does not constrain the colours.

    ``order="auto"``: a graph of stars (an arrow, a diagonal) gets its optimum 1 or 2 colours
    directly. Otherwise the distance-2 colouring (:func:`column_coloring` of ``P + I``, which is
    also a star colouring; periodic for a pattern on few diagonals) is kept when it has 3
    colours, the optimum for any graph that is not a union of stars (tridiagonal: 3); else the
    sequential greedy star colouring (GMP's algorithm, largest-first order; O(n·d²) Python
    steps for degree d) runs and the fewer colours win. ``"natural"`` or ``"largest_first"``:
    the greedy star colouring in that order, alone.

    >>> import numpy as np
    >>> arrow = np.eye(5, dtype=bool)
    >>> arrow[0, :] = arrow[:, 0] = True
    >>> star_coloring(arrow)
    array([0, 1, 1, 1, 1])
    >>> star_coloring(np.eye(5, dtype=bool) | np.eye(5, k=1, dtype=bool))
    array([0, 1, 2, 0, 1])
    """
    if order not in STAR_ORDERS:
        raise ValueError(f"order must be one of {STAR_ORDERS}, got {order!r}")
    s, g = _symmetric_graph(pattern)
    n = g.shape[0]
    degree = np.diff(g.indptr)
    if order == "auto":
        if g.nnz == 0:
            return np.zeros(n, dtype=np.int64)
        stars = _star_forest(g, degree)
        if stars is not None:
            return stars
        # a distance-2 colouring (a column colouring of P + I) is a star colouring
        periodic = column_coloring(_with_diagonal(s))
        if _ncolors(periodic) <= 3:
            return periodic
    else:
        periodic = None
    if order == "natural":
        visit = np.arange(n)
    else:
        visit = np.argsort(-degree, kind="stable")
    greedy = _star_greedy(g, visit)
    if periodic is not None and _ncolors(periodic) < _ncolors(greedy):
        return periodic
    return greedy


def _with_diagonal(s: Any) -> Any:
    import scipy.sparse as sp

    d = (s + sp.identity(s.shape[0], dtype=bool, format="csr")).tocsc()
    d.sum_duplicates()
    d.sort_indices()
    return d


def _star_forest(g: Any, degree: np.ndarray) -> np.ndarray | None:
    """The 2-colouring of a graph whose every edge has an end of degree 1 (a union of stars):
    centres and isolated vertices 0, leaves 1 (in a lone edge, the higher index is the leaf)."""
    n = g.shape[0]
    rows = np.repeat(np.arange(n), degree)
    if not np.all((degree[rows] == 1) | (degree[g.indices] == 1)):
        return None
    leaves = np.flatnonzero(degree == 1)
    partner = g.indices[g.indptr[leaves]]
    colors = np.zeros(n, dtype=np.int64)
    colors[leaves] = ((degree[partner] > 1) | (partner < leaves)).astype(np.int64)
    return colors


def _star_greedy(g: Any, order: np.ndarray) -> np.ndarray:
    """GMP's greedy star colouring. Vertex v may not take: a neighbour's colour; the colour of a
    vertex x two steps away through an uncoloured w; or, through a coloured w, the colour of an x
    that has another neighbour of w's colour (v-w-x-y would be a two-coloured path)."""
    n = g.shape[0]
    ip = g.indptr.tolist()
    ix = g.indices.tolist()
    nbrs = [ix[ip[v] : ip[v + 1]] for v in range(n)]
    color = [-1] * n
    count: list[dict[int, int]] = [{} for _ in range(n)]  # count[x][c]: x's neighbours of colour c
    for v in order.tolist():
        forbidden = set()
        for w in nbrs[v]:
            cw = color[w]
            if cw < 0:
                for x in nbrs[w]:
                    cx = color[x]
                    if cx >= 0 and x != v:
                        forbidden.add(cx)
            else:
                forbidden.add(cw)
                for x in nbrs[w]:
                    cx = color[x]
                    if cx >= 0 and x != v and count[x].get(cw, 0) >= 2:
                        forbidden.add(cx)
        c = 0
        while c in forbidden:
            c += 1
        color[v] = c
        for w in nbrs[v]:
            cw_count = count[w]
            cw_count[c] = cw_count.get(c, 0) + 1
    return np.array(color, dtype=np.int64)


def _pair_counts(rows: np.ndarray, keys_colors: np.ndarray, k: int) -> tuple[Any, Any]:
    """Sorted unique keys ``rows * k + colour`` and how often each occurs."""
    return np.unique(rows * k + keys_colors, return_counts=True)


def _lookup(keys: np.ndarray, counts: np.ndarray, query: np.ndarray) -> np.ndarray:
    """counts of ``query`` keys (0 where absent)."""
    if keys.size == 0:
        return np.zeros(query.shape, dtype=np.int64)
    pos = np.minimum(np.searchsorted(keys, query), keys.size - 1)
    return np.where(keys[pos] == query, counts[pos], 0)


def decompress_symmetric(compressed: Any, pattern: Any, colors: Any) -> scipy.sparse.csr_matrix:
    """A symmetric H as CSR with the symmetrised pattern, from ``B = H @ compress(colors)``.

    Each off-diagonal pair {i, j} (i < j) is read from ``B[i, colors[j]]`` when no other
    neighbour of i has colour ``colors[j]``, else from ``B[j, colors[i]]``; ``H[j, i]`` gets the
    same number, so the result is exactly symmetric. A diagonal entry is ``B[i, colors[i]]``.
    Raises ``ValueError`` when ``colors`` is not a star colouring (some entry has neither).

    >>> import numpy as np
    >>> H = np.array([[2.0, 1.0, 1.0], [1.0, 3.0, 0.0], [1.0, 0.0, 4.0]])
    >>> colors = star_coloring(H != 0)
    >>> colors
    array([0, 1, 1])
    >>> decompress_symmetric(H @ compress(colors), H != 0, colors).toarray()
    array([[2., 1., 1.],
           [1., 3., 0.],
           [1., 0., 4.]])
    """
    import scipy.sparse as sp

    s, g = _symmetric_graph(pattern)
    b = np.asarray(compressed)
    colors = np.asarray(colors, dtype=np.int64)
    n = s.shape[0]
    if b.ndim != 2 or b.shape[0] != n or colors.shape != (n,):
        raise ValueError(
            f"compressed has shape {b.shape} and colors {colors.shape} for a pattern of shape "
            f"{s.shape}: expected ({n}, c) and ({n},)"
        )
    k = max(_ncolors(colors), b.shape[1])
    grows = np.repeat(np.arange(n), np.diff(g.indptr))
    keys, counts = _pair_counts(grows, colors[g.indices], k)
    rows = np.repeat(np.arange(n), np.diff(s.indptr))
    cols = s.indices
    lo, hi = np.minimum(rows, cols), np.maximum(rows, cols)
    direct = _lookup(keys, counts, lo * k + colors[hi]) == 1
    other = _lookup(keys, counts, hi * k + colors[lo]) == 1
    diagonal = rows == cols
    bad = ~diagonal & ((colors[rows] == colors[cols]) | ~(direct | other))
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"colors is not a star colouring of the pattern: H[{rows[i]}, {cols[i]}] cannot be "
            "read directly"
        )
    data = np.where(direct | diagonal, b[lo, colors[hi]], b[hi, colors[lo]])
    return sp.csr_matrix((data, cols, s.indptr), shape=(n, n))


# ---------------------------------------------------------------------------------------------
# checks


def _check_colors(colors: Any, n: int) -> np.ndarray | None:
    colors = np.asarray(colors)
    if colors.shape != (n,) or (n and not np.issubdtype(colors.dtype, np.integer)):
        return None
    if n and colors.min() < 0:
        return None
    return colors.astype(np.int64)


def is_valid_column_coloring(pattern: Any, colors: Any) -> bool:
    """True when ``colors`` (one non-negative integer per column) gives no two columns that
    share a row the same colour.

    >>> import numpy as np
    >>> is_valid_column_coloring(np.eye(3), [0, 0, 0])
    True
    >>> is_valid_column_coloring(np.ones((1, 2)), [0, 0])
    False
    """
    a = _pattern(pattern)
    c = _check_colors(colors, a.shape[1])
    if c is None:
        return False
    cols = np.repeat(np.arange(a.shape[1]), np.diff(a.indptr))
    keys = a.indices.astype(np.int64) * (_ncolors(c) or 1) + c[cols]
    return bool(np.unique(keys).size == keys.size)


def is_valid_star_coloring(pattern: Any, colors: Any) -> bool:
    """True when ``colors`` is a star colouring of the symmetrised pattern's adjacency graph
    (the diagonal ignored): adjacent vertices differ and no path on 4 vertices has 2 colours.

    >>> import numpy as np
    >>> path = np.eye(4, k=1, dtype=bool)
    >>> is_valid_star_coloring(path, [0, 1, 0, 1]), is_valid_star_coloring(path, [0, 1, 2, 0])
    (False, True)
    """
    _, g = _symmetric_graph(pattern)
    n = g.shape[0]
    c = _check_colors(colors, n)
    if c is None:
        return False
    rows = np.repeat(np.arange(n), np.diff(g.indptr))
    cols = g.indices
    if np.any(c[rows] == c[cols]):
        return False
    # an edge (i, j) with another neighbour of i coloured like j and another neighbour of j
    # coloured like i is the middle of a two-coloured path on four vertices
    k = _ncolors(c) or 1
    keys, counts = _pair_counts(rows, c[cols], k)
    ij = _lookup(keys, counts, rows * k + c[cols])
    ji = _lookup(keys, counts, cols * k + c[rows])
    return bool(np.all((ij == 1) | (ji == 1)))
