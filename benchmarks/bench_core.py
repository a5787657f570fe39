"""Speed of the core engine against plain evaluation, measured in the same run.

    python benchmarks/bench_core.py

f(x) = sin(x)·exp(x)/(1+x²) + ln(1+x·x)·cos(x)³ + 2**x, written once with ``math`` / ``numpy``
(plain) and once with dualdiff's functions. Ratios are dualdiff time / plain time.
"""

from __future__ import annotations

import math

import numpy as np
from _timing import best, fmt_time  # benchmarks/ is on sys.path when run as a script

import dualdiff as dd


def f_math(x):
    return math.sin(x) * math.exp(x) / (1 + x**2) + math.log(1 + x * x) * math.cos(x) ** 3 + 2.0**x


def f_numpy(x):
    return np.sin(x) * np.exp(x) / (1 + x**2) + np.log(1 + x * x) * np.cos(x) ** 3 + 2.0**x


@dd.derivative
def f(x):
    return dd.sin(x) * dd.exp(x) / (1 + x**2) + dd.ln(1 + x * x) * dd.cos(x) ** 3 + 2.0**x


def main() -> list[tuple[str, float, float, float]]:
    rows = []
    plain = best(lambda: f_math(0.7))
    for name, fn, bound in (
        ("decorated f(0.7)", lambda: f(0.7), 2.0),
        ("f.prime(0.7)", lambda: f.prime(0.7), 10.0),
        ("f.prime.prime(0.7)", lambda: f.prime.prime(0.7), 40.0),
    ):
        t = best(fn)
        rows.append((name, t, t / plain, bound))
    x = np.linspace(0.01, 3.0, 1_000_000)
    plain_arr = best(lambda: f_numpy(x), budget=1.0, repeat=5)
    t = best(lambda: f.prime(x), budget=1.0, repeat=5)
    rows.append(("f.prime(x), 1e6 points", t, t / plain_arr, 1.6))
    print(f"plain float f(0.7): {fmt_time(plain)}; plain NumPy f(x), 1e6: {fmt_time(plain_arr)}")
    print(f"{'case':28} {'time':>12} {'ratio':>8} {'bound':>7}")
    for name, t, r, b in rows:
        print(f"{name:28} {fmt_time(t):>12} {r:8.2f} {b:7.1f}  {'ok' if r <= b else 'OVER'}")
    return rows


if __name__ == "__main__":
    main()
