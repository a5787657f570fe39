"""``python -m dualdiff``: a demo table of f(x) = x² sin(x) and its derivatives at a few points."""

from __future__ import annotations

import sys

import mpmath

from . import rules
from .api import derivative


def main(argv: list[str] | None = None) -> int:
    """Print f, f' and f'' computed with dual numbers, and f' from mpmath.diff, side by side."""
    f = derivative(lambda x: x**2 * rules.sin(x))
    print("f(x) = x**2 * sin(x)")
    print(f"{'x':>6} {'f(x)':>22} {'f_prime(x)':>22} {'mpmath_diff':>22} {'f_second(x)':>22}")
    for x in (0.0, 0.5, 1.0, 1.5, 2.0, 3.0):
        with mpmath.workdps(40):
            ref = mpmath.diff(lambda t: t**2 * mpmath.sin(t), mpmath.mpf(x))
        ref_s = mpmath.nstr(mpmath.chop(ref, tol=1e-30), 17)
        print(f"{x:6.2f} {f(x):22.17g} {f.prime(x):22.17g} {ref_s:>22} {f.prime.prime(x):22.17g}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
