"""dualdiff.sparse.coloring: colourings checked by brute force, and exact recovery of J and H.

The checkers here are independent of the module's vectorised ones: plain loops over rows (column
colouring) and over every path on four vertices (star colouring).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from dualdiff.sparse.coloring import (
    column_coloring,
    compress,
    decompress,
    decompress_symmetric,
    is_valid_column_coloring,
    is_valid_star_coloring,
    max_row_count,
    star_coloring,
)

ORDERS = ["auto", "natural", "largest_first", "smallest_last"]
STAR_ORDERS = ["auto", "natural", "largest_first"]


# --- the zoo ----------------------------------------------------------------------------------


def banded(n: int, lower: int, upper: int, m: int | None = None) -> np.ndarray:
    m = n if m is None else m
    i, j = np.indices((m, n))
    return (j - i >= -lower) & (j - i <= upper)


def block_diagonal(sizes: list[int]) -> np.ndarray:
    return sp.block_diag([np.ones((s, s), dtype=bool) for s in sizes]).toarray().astype(bool)


def arrow(n: int) -> np.ndarray:
    a = np.eye(n, dtype=bool)
    a[0, :] = a[:, 0] = True
    return a


def random_pattern(m: int, n: int, density: float, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random((m, n)) < density


def laplacian_2d(k: int, nine_point: bool = False) -> np.ndarray:
    t = banded(k, 1, 1)
    eye = np.eye(k, dtype=bool)
    a = np.kron(t, eye) | np.kron(eye, t)
    return np.kron(t, t) | a if nine_point else a


def brusselator(n: int) -> np.ndarray:
    """rows i, i+N: u_{i-1}, u_i, u_{i+1}, v_i and u_i, v_{i-1}, v_i, v_{i+1}"""
    half = n // 2
    t = banded(half, 1, 1)
    eye = np.eye(half, dtype=bool)
    return np.block([[t, eye], [eye, t]])


def pairwise(bodies: int, dim: int = 3) -> np.ndarray:
    """interacting groups of bodies: dense blocks (all pairs within a cluster of bodies)"""
    return (
        block_diagonal([dim * bodies]) if bodies < 4 else block_diagonal([dim * 3] * (bodies // 3))
    )


def empty_rows_cols() -> np.ndarray:
    a = random_pattern(9, 7, 0.3, 5)
    a[[0, 4], :] = False
    a[:, [2, 6]] = False
    return a


ZOO: dict[str, np.ndarray] = {
    **{
        f"band_{lo}_{up}": banded(23, lo, up) for lo, up in [(0, 0), (1, 1), (2, 2), (0, 3), (4, 1)]
    },
    "band_1x5_wide": banded(30, 1, 3, m=17),
    "band_5_tall": banded(12, 2, 2, m=20),
    "block_diagonal": block_diagonal([3, 1, 4, 2, 5]),
    "arrow": arrow(12),
    "laplacian_5pt": laplacian_2d(6),
    "laplacian_9pt": laplacian_2d(5, nine_point=True),
    "brusselator": brusselator(20),
    "pairwise": pairwise(6),
    "empty_rows_cols": empty_rows_cols(),
    "all_empty": np.zeros((4, 5), dtype=bool),
    "one_by_one": np.ones((1, 1), dtype=bool),
    "one_by_one_empty": np.zeros((1, 1), dtype=bool),
    "dense": np.ones((6, 8), dtype=bool),
    "single_row": random_pattern(1, 10, 0.5, 1),
    "single_col": random_pattern(10, 1, 0.5, 1),
    **{
        f"random_{d}_{seed}": random_pattern(30, 25, d, seed)
        for d in (0.02, 0.1, 0.3)
        for seed in (0, 1, 2)
    },
}


def symmetric(a: np.ndarray) -> np.ndarray:
    """a square symmetric pattern from any pattern: the leading block, mirrored"""
    k = min(a.shape)
    s = a[:k, :k]
    return s | s.T


SYM_ZOO: dict[str, np.ndarray] = {
    name: symmetric(a) for name, a in ZOO.items() if min(a.shape) > 0 and name != "single_row"
} | {
    "tridiagonal_100": banded(100, 1, 1),
    "arrow_plus_tridiagonal": arrow(15) | banded(15, 1, 1),
    "two_stars_and_an_edge": symmetric(
        sp.coo_matrix(([1, 1, 1, 1, 1], ([0, 0, 5, 5, 8], [1, 2, 6, 7, 9])), shape=(10, 10))
        .toarray()
        .astype(bool)
    ),
    "random_sym_sparse": symmetric(random_pattern(40, 40, 0.05, 3)),
    "random_sym_denser": symmetric(random_pattern(30, 30, 0.2, 4)),
}


# --- independent brute-force checkers ----------------------------------------------------------


def brute_column_valid(a: np.ndarray, colors) -> bool:
    colors = list(colors)
    if len(colors) != a.shape[1]:
        return False
    for i in range(a.shape[0]):
        seen = [colors[j] for j in range(a.shape[1]) if a[i, j]]
        if len(set(seen)) != len(seen):
            return False
    return True


def brute_star_valid(s: np.ndarray, colors) -> bool:
    n = s.shape[0]
    adj = [[j for j in range(n) if j != i and (s[i, j] or s[j, i])] for i in range(n)]
    for i in range(n):
        if any(colors[i] == colors[j] for j in adj[i]):
            return False
    for a, b in ((i, j) for i in range(n) for j in adj[i]):
        for c in adj[b]:
            if c == a:
                continue
            for d in adj[c]:
                if d in (a, b):
                    continue
                if len({colors[a], colors[b], colors[c], colors[d]}) < 3:
                    return False
    return True


def random_values(a: np.ndarray, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.where(a, rng.standard_normal(a.shape) + 3.0, 0.0)


# --- column colouring --------------------------------------------------------------------------


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("name", list(ZOO))
def test_column_coloring_valid_and_recovers(name, order):
    a = ZOO[name]
    colors = column_coloring(a, order=order)
    assert colors.dtype == np.int64 and colors.shape == (a.shape[1],)
    assert brute_column_valid(a, colors)
    assert is_valid_column_coloring(a, colors)
    c = int(colors.max()) + 1 if colors.size else 0
    assert set(colors.tolist()) == set(range(c))  # no colour skipped
    assert c >= max_row_count(a)
    j = random_values(a)
    seed = compress(colors)
    assert seed.shape == (a.shape[1], c)
    got = decompress(j @ seed, sp.csr_matrix(a), colors)
    assert isinstance(got, sp.csr_matrix) and got.shape == a.shape
    np.testing.assert_array_equal(got.toarray(), j)  # exact: each entry is read, not solved for
    assert got.nnz == a.sum()  # the pattern's structure, entry for entry


@pytest.mark.parametrize(
    "a, expected",
    [
        (banded(50, 1, 1), 3),
        (banded(50, 0, 0), 1),
        (banded(50, 2, 2), 5),
        (banded(50, 0, 4), 5),
        (banded(40, 3, 1, m=60), 5),
        (block_diagonal([3, 3, 3]), 3),
        (arrow(10), 10),
        (np.ones((4, 7)), 7),
        (np.zeros((3, 3)), 1),
        (brusselator(200), 4),
        (laplacian_2d(10), 5),
        (laplacian_2d(10, nine_point=True), 9),
    ],
)
def test_column_coloring_counts(a, expected):
    assert column_coloring(a).max() + 1 == expected


def sparse_brusselator(n: int) -> sp.csr_matrix:
    half = n // 2
    t = sp.diags([1, 1, 1], [-1, 0, 1], shape=(half, half), dtype=bool)
    eye = sp.identity(half, dtype=bool)
    return sp.block_array([[t, eye], [eye, t]], format="csr").astype(bool)


def brute_column_valid_sparse(a: sp.csr_matrix, colors) -> bool:
    """the brute-force check, row by row over a CSR pattern's stored columns"""
    colors = list(colors)
    if len(colors) != a.shape[1]:
        return False
    for i in range(a.shape[0]):
        seen = [colors[j] for j in a.indices[a.indptr[i] : a.indptr[i + 1]]]
        if len(set(seen)) != len(seen):
            return False
    return True


@pytest.mark.parametrize("half", [3, 4, 5, 6, 7, 8, 12, 13, 50, 64, 99, 100, 998, 1000, 5000])
def test_auto_reaches_the_brusselator_bound(half):
    """4 colours (u_j -> j mod 4, v_j -> (j + 2) mod 4 works for every N), whatever N mod 4"""
    a = sparse_brusselator(2 * half)
    colors = column_coloring(a)
    assert max_row_count(a) == 4
    assert colors.max() + 1 == 4
    assert set(colors.tolist()) == {0, 1, 2, 3}
    assert brute_column_valid_sparse(a, colors)
    assert column_coloring(a.toarray() if half < 100 else a.tocoo()).tolist() == colors.tolist()


def test_brusselator_colouring_is_the_shifted_period():
    colors = column_coloring(brusselator(16))  # N = 8: the plain period 4 is not valid
    assert colors.tolist() == [0, 1, 2, 3, 0, 1, 2, 3, 2, 3, 0, 1, 2, 3, 0, 1]
    assert column_coloring(brusselator(20)).tolist() == [0, 1, 2, 3] * 5  # N = 10: it is


def test_brusselator_reversed_and_the_2x2_case():
    assert column_coloring(brusselator(4)).max() + 1 == 4  # N = 2: all 4 columns meet
    a = sparse_brusselator(10_000)[::-1, ::-1]  # rows and columns reversed: the same diagonals
    colors = column_coloring(a)
    assert brute_column_valid_sparse(a.tocsr(), colors)
    assert colors.max() + 1 == 4


@pytest.mark.parametrize("k", [5, 6, 9, 10, 11, 14, 30])
def test_auto_reaches_the_laplacian_bounds(k):
    five = laplacian_2d(k)
    nine = laplacian_2d(k, nine_point=True)
    for a, bound in ((five, 5), (nine, 9)):
        colors = column_coloring(a)
        assert colors.max() + 1 == bound == max_row_count(a)
        assert brute_column_valid(a, colors)


def test_auto_on_a_3d_laplacian():
    k = 6
    t = sp.diags([1, 1, 1], [-1, 0, 1], shape=(k, k), dtype=bool)
    e = sp.identity(k, dtype=bool)
    a = (sp.kron(sp.kron(t, e), e) + sp.kron(sp.kron(e, t), e) + sp.kron(sp.kron(e, e), t)).tocsr()
    colors = column_coloring(a)
    assert brute_column_valid_sparse(a.astype(bool), colors)
    assert colors.max() + 1 == 7 == max_row_count(a)


@st.composite
def diagonal_patterns(draw):
    """patterns on a few diagonals (some entries dropped), shaped like coupled blocks"""
    m = draw(st.integers(1, 40))
    n = draw(st.integers(1, 40))
    offsets = draw(st.lists(st.integers(-n + 1, n - 1), min_size=1, max_size=6, unique=True))
    keep = draw(st.sampled_from([1.0, 0.9, 0.5]))
    seed = draw(st.integers(0, 2**16))
    a = np.zeros((m, n), dtype=bool)
    for d in offsets:
        a |= np.eye(m, n, k=d, dtype=bool)
    return a & (np.random.default_rng(seed).random((m, n)) < keep)


@settings(max_examples=200, deadline=None)
@given(diagonal_patterns())
def test_property_auto_on_diagonal_patterns(a):
    colors = column_coloring(a)
    assert brute_column_valid(a, colors)
    c = int(colors.max()) + 1
    assert set(colors.tolist()) == set(range(c))
    assert c >= max_row_count(a)


def test_smallest_last_reaches_the_brusselator_bound():
    colors = column_coloring(brusselator(200), order="smallest_last")
    assert colors.max() + 1 == 4 == max_row_count(brusselator(200))


def test_inputs_accepted_and_not_modified():
    a = banded(10, 1, 1)
    csr = sp.csr_matrix(a.astype(float))
    csr.data[3] = 0.0  # a stored zero is not part of the pattern
    before = (csr.data.copy(), csr.indices.copy())
    colors = column_coloring(csr)
    assert np.array_equal(csr.data, before[0]) and np.array_equal(csr.indices, before[1])
    b = a.copy()
    b[np.nonzero(a)[0][3], np.nonzero(a)[1][3]] = False
    assert brute_column_valid(b, colors)
    for form in (a.tolist(), sp.csr_array(a), sp.coo_matrix(a), sp.lil_matrix(a)):
        np.testing.assert_array_equal(column_coloring(form), column_coloring(a))
    with pytest.raises(ValueError, match="order"):
        column_coloring(a, order="random")


def test_duplicates_in_coo_are_one_entry():
    coo = sp.coo_matrix((np.ones(4), ([0, 0, 1, 1], [0, 0, 1, 1])), shape=(2, 2))
    assert column_coloring(coo).tolist() == [0, 0]


def test_refinement_never_increases_colours():
    for name, a in ZOO.items():
        for order in ("natural", "largest_first"):
            plain = column_coloring(a, order=order, passes=0)
            refined = column_coloring(a, order=order)
            assert refined.max(initial=0) <= plain.max(initial=0), name


def test_invalid_colourings_detected():
    a = banded(6, 1, 1)
    assert not is_valid_column_coloring(a, [0, 1, 0, 1, 0, 1])
    assert not is_valid_column_coloring(a, [0, 1, 2])
    assert not is_valid_column_coloring(a, [0.0, 1.0, 2.0, 0.0, 1.0, 2.0])
    assert not is_valid_column_coloring(a, [-1, 1, 2, 0, 1, 2])
    assert is_valid_column_coloring(a, [0, 1, 2, 3, 4, 5])


def test_decompress_complex_and_checks_shapes():
    a = random_pattern(12, 9, 0.3, 7)
    j = random_values(a) * (1 + 2j)
    colors = column_coloring(a)
    np.testing.assert_array_equal(decompress(j @ compress(colors), a, colors).toarray(), j)
    with pytest.raises(ValueError, match="shape"):
        decompress(np.zeros((11, colors.max() + 1)), a, colors)


# --- star colouring ----------------------------------------------------------------------------


@pytest.mark.parametrize("order", STAR_ORDERS)
@pytest.mark.parametrize("name", list(SYM_ZOO))
def test_star_coloring_valid_and_recovers(name, order):
    s = SYM_ZOO[name]
    colors = star_coloring(s, order=order)
    assert colors.shape == (s.shape[0],)
    assert brute_star_valid(s, colors)
    assert is_valid_star_coloring(s, colors)
    rng = np.random.default_rng(1)
    h = np.where(s, rng.standard_normal(s.shape) + 3.0, 0.0)
    h = np.triu(h) + np.triu(h, 1).T  # symmetric, same pattern
    got = decompress_symmetric(h @ compress(colors), sp.csr_matrix(s), colors)
    np.testing.assert_array_equal(got.toarray(), h)
    assert got.nnz == s.sum()
    assert (got != got.T).nnz == 0


@pytest.mark.parametrize(
    "s, expected",
    [
        (banded(1000, 1, 1), 3),
        (arrow(50), 2),
        (np.eye(7, dtype=bool), 1),
        (np.zeros((4, 4), dtype=bool), 1),
        (banded(2, 1, 1), 2),  # one edge
        (arrow(20) & ~np.eye(20, dtype=bool), 2),  # diagonal does not matter
    ],
)
def test_star_coloring_counts(s, expected):
    assert star_coloring(s).max() + 1 == expected


def test_star_beats_distance_2_on_the_arrow():
    assert column_coloring(arrow(30)).max() + 1 == 30
    assert star_coloring(arrow(30)).max() + 1 == 2


def test_star_from_an_unsymmetric_pattern_uses_its_symmetrisation():
    upper = np.triu(random_pattern(20, 20, 0.2, 9))
    colors = star_coloring(upper)
    assert brute_star_valid(upper | upper.T, colors)


def test_star_checks():
    path = banded(4, 1, 1)
    assert not is_valid_star_coloring(path, [0, 1, 0, 1])  # a two-coloured P4
    assert not is_valid_star_coloring(path, [0, 0, 1, 2])  # neighbours alike
    assert is_valid_star_coloring(path, [0, 1, 2, 0])
    assert not is_valid_star_coloring(path, [0, 1, 2])
    with pytest.raises(ValueError, match="star colouring"):
        decompress_symmetric(np.zeros((4, 2)), path, [0, 1, 0, 1])
    with pytest.raises(ValueError, match="square"):
        star_coloring(np.ones((2, 3)))


def test_distance_2_colouring_decompresses_symmetrically():
    """a column colouring of P + I is also a star colouring"""
    s = SYM_ZOO["random_sym_denser"]
    colors = column_coloring(s | np.eye(s.shape[0], dtype=bool))
    assert brute_star_valid(s, colors)


# --- properties --------------------------------------------------------------------------------


@st.composite
def patterns(draw):
    m = draw(st.integers(1, 12))
    n = draw(st.integers(1, 12))
    cells = draw(st.lists(st.booleans(), min_size=m * n, max_size=m * n))
    return np.array(cells, dtype=bool).reshape(m, n)


@settings(max_examples=150, deadline=None)
@given(patterns(), st.sampled_from(ORDERS))
def test_property_column(a, order):
    colors = column_coloring(a, order=order)
    assert brute_column_valid(a, colors)
    assert is_valid_column_coloring(a, colors)
    j = random_values(a, 3)
    np.testing.assert_array_equal(decompress(j @ compress(colors), a, colors).toarray(), j)


@settings(max_examples=150, deadline=None)
@given(patterns(), st.sampled_from(STAR_ORDERS))
def test_property_star(a, order):
    s = symmetric(a)
    colors = star_coloring(s, order=order)
    assert brute_star_valid(s, colors)
    assert is_valid_star_coloring(s, colors)
    h = random_values(s, 4)
    h = np.triu(h) + np.triu(h, 1).T
    np.testing.assert_array_equal(
        decompress_symmetric(h @ compress(colors), s, colors).toarray(), h
    )


@settings(max_examples=100, deadline=None)
@given(patterns(), st.lists(st.integers(0, 3), min_size=12, max_size=12))
def test_property_checkers_agree_with_brute_force(a, colors):
    cols = colors[: a.shape[1]]
    assert is_valid_column_coloring(a, cols) == brute_column_valid(a, cols)
    s = symmetric(a)
    sc = colors[: s.shape[0]]
    assert is_valid_star_coloring(s, sc) == brute_star_valid(s, sc)


def test_all_small_paths_exhaustively():
    """every colouring of a 5-vertex path with 3 colours: the checker agrees with brute force"""
    path = banded(5, 1, 1)
    for colors in itertools.product(range(3), repeat=5):
        assert is_valid_star_coloring(path, list(colors)) == brute_star_valid(path, colors)
