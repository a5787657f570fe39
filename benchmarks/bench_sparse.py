"""Speed of sparse derivatives (issue 15) and Hessian-vector products (issue 14), as ratios to one
plain evaluation of the same function in the same run.

    python benchmarks/bench_sparse.py

(dualdiff's passes run in its memory pool, ``dualdiff.memory``; the first line printed says
whether it is compiled in. Setting ``MALLOC_MMAP_THRESHOLD_=67108864
MALLOC_TRIM_THRESHOLD_=134217728`` also stops glibc from returning freed blocks to the OS, which
speeds up the plain evaluations the ratios are taken against; the line says so when it is set.)

* the Jacobian of a 1-D Brusselator at n = 10,000 unknowns: the first call of
  ``dd.jacobian(F, y, sparse=True)`` (detection, colouring, one compressed pass) and the repeated
  calls (one pass of one direction per colour, one gather); the dense Jacobian at n = 1000 for
  scale; bounds 150× and 15×;
* the sparse Hessian of Rosenbrock at n = 1000 (bound 1000×) against the dense one;
* the gradient of Rosenbrock at n = 1000 with sparse tangents (bound 300×) against the dense
  forward gradient;
* the gradient of a Lennard-Jones energy of 200 bodies (bound 200×);
* ``hvp`` of Rosenbrock at n = 1000 against one gradient at the same n (bound 3×), dense and
  sparse.
"""

from __future__ import annotations

import os

import numpy as np
from _timing import best, fmt_time  # benchmarks/ is on sys.path when run as a script

import dualdiff as dd
from dualdiff import memory
from dualdiff.sparse import SparseHessian, SparseJacobian


def brusselator(y, a=1.0, b=3.0, alpha=0.02):
    """The 1-D Brusselator's right-hand side (Hairer & Wanner II, §IV.1): u then v."""
    n = len(y) // 2
    u, v = y[:n], y[n:]
    dx2 = (1.0 / (n + 1)) ** 2
    ue = np.concatenate([[1.0], u, [1.0]])
    ve = np.concatenate([[3.0], v, [3.0]])
    du = a + u * u * v - (b + 1) * u + alpha * (ue[2:] - 2 * u + ue[:-2]) / dx2
    dv = b * u - u * u * v + alpha * (ve[2:] - 2 * v + ve[:-2]) / dx2
    return np.concatenate([du, dv])


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def lennard_jones(p):
    r = p.reshape(-1, 3)
    i, j = np.triu_indices(len(r), 1)
    d = r[i] - r[j]
    r2 = np.sum(d * d, axis=1)
    s6 = 1.0 / r2**3
    return np.sum(4.0 * (s6 * s6 - s6))


def first_call(F, y):
    """A fresh prepared Jacobian and its first evaluation (what the first sparse call costs)."""
    return SparseJacobian(F, y)(y)


def row(name, seconds, plain, bound=None):
    ratio = seconds / plain
    verdict = "" if bound is None else f"  (bound {bound}×: {'ok' if ratio <= bound else 'OVER'})"
    print(f"{name:58s} {fmt_time(seconds)} {ratio:9.1f}×{verdict}")


def main():
    rng = np.random.default_rng(0)
    tuned = os.environ.get("MALLOC_MMAP_THRESHOLD_")
    print(f"glibc malloc: {'MALLOC_MMAP_THRESHOLD_=' + tuned if tuned else 'default settings'}; "
          f"dualdiff's memory pool: {'on' if memory.available() else 'not compiled'}")  # fmt: skip
    print(f"{'':58s} {'time':>11s} {'ratio':>10s}")

    y = rng.uniform(0.5, 2.0, 10_000)
    tF = best(lambda: brusselator(y))
    print(f"Brusselator F, n = 10,000: {fmt_time(tF)}")
    J = SparseJacobian(brusselator, y)
    print(f"  pattern: {J.pattern.nnz} nonzeros, {J.ncolors} colours")
    row("  sparse Jacobian, first call (detect + colour + pass)", best(lambda: first_call(
        brusselator, y), budget=0.5, repeat=5), tF, 150)  # fmt: skip
    row("  sparse Jacobian, repeated call", best(lambda: J(y)), tF, 15)
    y1 = y[:1000]
    tF1 = best(lambda: brusselator(y1))
    row("  dense Jacobian at n = 1000 (against F at n = 1000)",
        best(lambda: dd.jacobian(brusselator, y1), repeat=3), tF1)  # fmt: skip

    x = np.linspace(-1.0, 1.0, 1000)
    tf = best(lambda: rosenbrock(x))
    print(f"Rosenbrock f, n = 1000: {fmt_time(tf)}")
    H = SparseHessian(rosenbrock, x)
    print(f"  Hessian pattern: {H.pattern.nnz} nonzeros, {H.ncolors} colours")
    row("  sparse Hessian, repeated call", best(lambda: H(x), repeat=5), tf, 1000)
    row("  sparse Hessian, first call", best(lambda: SparseHessian(rosenbrock, x)(x), repeat=3),
        tf)  # fmt: skip
    x200 = x[:200]
    tf200 = best(lambda: rosenbrock(x200))
    row("  dense Hessian at n = 200 (against f at n = 200)",
        best(lambda: dd.hessian(rosenbrock, x200), budget=0.2, repeat=3), tf200)  # fmt: skip
    tg_sparse = best(lambda: dd.gradient(rosenbrock, x, sparse=True))
    tg_dense = best(lambda: dd.gradient(rosenbrock, x), repeat=5)
    row("  gradient, sparse tangents", tg_sparse, tf, 300)
    row("  gradient, dense forward (vector mode)", tg_dense, tf)
    v = np.cos(np.arange(1000.0))
    th_sparse = best(lambda: dd.hvp(rosenbrock, x, v, sparse=True))
    th_dense = best(lambda: dd.hvp(rosenbrock, x, v), repeat=5)
    print(f"  hvp / gradient: sparse {th_sparse / tg_sparse:.2f}× (bound 3×), "
          f"dense {th_dense / tg_dense:.2f}×; sparse hvp / dense gradient "
          f"{th_sparse / tg_dense:.3f}×")  # fmt: skip

    p = rng.uniform(0.0, 6.0, 600)
    tE = best(lambda: lennard_jones(p))
    print(f"Lennard-Jones energy, 200 bodies: {fmt_time(tE)}")
    row("  gradient, sparse tangents", best(lambda: dd.gradient(lennard_jones, p, sparse=True)),
        tE, 200)  # fmt: skip
    row("  gradient, dense forward (vector mode)",
        best(lambda: dd.gradient(lennard_jones, p), budget=0.2, repeat=3), tE)  # fmt: skip


if __name__ == "__main__":
    main()
