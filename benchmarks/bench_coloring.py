"""Colouring speed and colour counts (dualdiff.sparse.coloring) on the patterns of issue 15.

Run: ``python benchmarks/bench_coloring.py``. Times are the best of several calls
(time.perf_counter); the bound is the most nonzeros in a row (column colouring).
"""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp

from dualdiff.sparse.coloring import column_coloring, max_row_count, star_coloring


def best(fn, repeat: int = 9) -> tuple[float, np.ndarray]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def tridiagonal(n: int):
    return sp.diags([1, 1, 1], [-1, 0, 1], shape=(n, n), format="csc", dtype=bool)


def brusselator(n: int):
    half = n // 2
    eye = sp.identity(half, format="csc", dtype=bool)
    t = tridiagonal(half)
    return sp.block_array([[t, eye], [eye, t]], format="csc").astype(bool)


def random_sparse(n: int, per_row: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    rows = np.repeat(np.arange(n), per_row)
    cols = np.concatenate([rng.choice(n, per_row, replace=False) for _ in range(n)])
    return sp.csc_matrix((np.ones(rows.size, dtype=bool), (rows, cols)), shape=(n, n))


def laplacian_2d(k: int):
    t = tridiagonal(k)
    eye = sp.identity(k, dtype=bool)
    return (sp.kron(t, eye) + sp.kron(eye, t)).tocsc().astype(bool)


def laplacian_9pt(k: int):
    t = tridiagonal(k)
    return sp.kron(t, t).tocsc().astype(bool)


def laplacian_3d(k: int):
    t = tridiagonal(k)
    eye = sp.identity(k, dtype=bool)
    a = sp.kron(sp.kron(t, eye), eye) + sp.kron(sp.kron(eye, t), eye)
    return (a + sp.kron(eye, sp.kron(eye, t))).tocsc().astype(bool)


def arrow(n: int):
    a = sp.lil_matrix((n, n), dtype=bool)
    a[0, :] = True
    a[:, 0] = True
    a.setdiag(True)
    return a.tocsc()


def main() -> None:
    cases = [
        ("tridiagonal n=10,000", tridiagonal(10_000)),
        ("Brusselator n=10,000", brusselator(10_000)),
        ("Brusselator n=9,996", brusselator(9_996)),
        ("random 1000x1000, 5/row", random_sparse(1000, 5)),
        ("2-D Laplacian 100x100", laplacian_2d(100)),
        ("2-D 9-point 100x100", laplacian_9pt(100)),
        ("3-D Laplacian 20^3", laplacian_3d(20)),
        ("arrow n=1000", arrow(1000)),
    ]
    print("column_coloring: time (best of 9), colours, lower bound (max nonzeros in a row)")
    for name, a in cases:
        row = f"  {name:26s} bound {max_row_count(a):5d} |"
        for order in ("auto", "natural", "largest_first", "smallest_last"):
            repeat = 3 if order == "smallest_last" else 9
            t, colors = best(lambda a=a, o=order: column_coloring(a, order=o), repeat)
            row += f" {order} {colors.max() + 1} in {t * 1e3:.2f} ms |"
        print(row)
    print("star_coloring (symmetric patterns): time, colours; column colouring's for comparison")
    for name, a in [
        ("Rosenbrock Hessian n=1000", tridiagonal(1000)),
        ("arrow n=1000", arrow(1000)),
        ("2-D Laplacian 30x30", laplacian_2d(30)),
        (
            "random symmetric 1000, ~9/row",
            random_sparse(1000, 4) + random_sparse(1000, 4).T + sp.identity(1000, dtype=bool),
        ),
    ]:
        t, colors = best(lambda a=a: star_coloring(a))
        print(
            f"  {name:30s} star {colors.max() + 1} in {t * 1e3:.2f} ms; "
            f"column colouring {column_coloring(a).max() + 1}"
        )


if __name__ == "__main__":
    main()
