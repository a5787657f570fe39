"""Gradient of the NumPy-vectorised Rosenbrock function at n = 1000, against its plain evaluation.

    python benchmarks/bench_gradient.py [n]

Reports the default chunk, chunk = 1 (one direction per pass) and a sweep of chunk sizes, each as
a ratio to one plain NumPy evaluation of the function, measured in the same run.
"""

from __future__ import annotations

import sys

import numpy as np
from _timing import best, fmt_time  # benchmarks/ is on sys.path when run as a script

import dualdiff as dd
from dualdiff.multivariate import default_chunk


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def main(n: int = 1000) -> dict[str, float]:
    x = np.random.default_rng(0).uniform(-2, 2, n)
    plain = best(lambda: rosenbrock(x))
    t_default = best(lambda: dd.gradient(rosenbrock, x), budget=1.0)
    t_one = best(lambda: dd.gradient(rosenbrock, x, chunk=1), budget=1.0, repeat=3)
    print(f"n = {n}; plain rosenbrock(x): {fmt_time(plain)}; default chunk = {default_chunk(n)}")
    print(f"{'chunk':>10} {'time':>12} {'x plain':>9}")
    print(f"{'default':>10} {fmt_time(t_default):>12} {t_default / plain:9.0f}")
    print(f"{1:>10} {fmt_time(t_one):>12} {t_one / plain:9.0f}")
    for k in (8, 16, 32, 64, 128, 256, n):
        t = best(lambda k=k: dd.gradient(rosenbrock, x, chunk=k), budget=0.5, repeat=3)
        print(f"{k:>10} {fmt_time(t):>12} {t / plain:9.0f}")
    print(f"default is {t_one / t_default:.1f}x faster than chunk=1; "
          f"{t_default / plain:.0f}x plain (bound 900)")  # fmt: skip
    return {"plain": plain, "default": t_default, "one": t_one}


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
