"""Expressions evaluated by both the compiled core and the pure-Python arithmetic.

``python tests/battery.py`` prints one line per case; tests/test_speedups.py runs it with
DUALDIFF_PURE_PYTHON=1 in a subprocess and compares with the compiled results, line by line.
"""

from __future__ import annotations

import math

import numpy as np

import dualdiff as dd
from dualdiff import Dual


def _cases():
    a, b = Dual(0.7, 1.0), Dual(-1.3, 0.25)
    i = Dual(2.0, 1.0, tag=0)
    yield "add", a + b, a + 2.0, 2.0 + a, a + 3, 3 + a, a + np.float64(1.5)
    yield "sub", a - b, a - 2.0, 2.0 - a, a - 3, 3 - a, -a
    yield "mul", a * b, a * 2.0, 2.0 * a, a * 3, 3 * a, a * math.inf, 0.0 * Dual(1.0, math.inf)
    yield "div", a / b, a / 2.0, 2.0 / a, a / 3, 3 / a, Dual(1.0, math.inf) / Dual(2.0, 0.0)
    yield "pow", a**2, a**3, a**0, a**-2, b**5, a**0.5, 2.0**a, 0.5**b, a**b.value, i**i
    yield "pow0", Dual(0.0, 1.0) ** 2, Dual(0.0, 1.0) ** 3, Dual(0.0, 0.0) ** 0.5
    yield "big", a**400, Dual(1e200, 1.0) * Dual(1e200, 1.0), Dual(1e-300, 1.0) / 1e300
    yield "nan_safe", Dual(0.0, 1.0) * Dual(0.0, math.inf), Dual(math.inf, 0.0) * 0.0
    f = dd.derivative(
        lambda x: dd.sin(x) * dd.exp(x) / (1 + x**2) + dd.ln(1 + x * x) * dd.cos(x) ** 3 + 2.0**x
    )
    yield "f", f.prime(0.7), f.prime.prime(0.7), f.prime.prime.prime(-0.4)
    g = dd.derivative(lambda x: (x**x) / (x - 3.0) + x**-3 * dd.sqrt(x))
    yield "g", g.prime(1.7), g.prime.prime(1.7)
    xs = np.linspace(-2, 2, 5)
    yield "array", f.prime(xs), g.prime(np.linspace(0.5, 2, 4)), Dual(xs, xs) * Dual(xs, 1.0)
    yield (
        "mixed_tags",
        Dual(1.0, 1.0, tag=3) * Dual(2.0, 1.0, tag=9),
        Dual(1.0, 1.0, tag=3) / Dual(2.0, 1.0, tag=9),
    )
    yield "grad", dd.gradient(lambda x: np.sum(x**3 / (1 + x * x)) * x[0], xs)
    yield "hess", dd.hessian(lambda x: x[0] ** 3 * x[1] / (x[1] ** 2 + 1.0), [0.3, 1.2])


def _errors():
    for expr in (
        lambda: Dual(1.0, 1.0) / Dual(0.0, 1.0),
        lambda: Dual(1.0, 1.0) / 0.0,
        lambda: 1.0 / Dual(0.0, 1.0),
        lambda: Dual(0.0, 1.0) ** -1,
        lambda: Dual(-1.0, 1.0) ** 0.5,
        lambda: (-2.0) ** Dual(0.5, 1.0),
        lambda: Dual(10.0, 1.0) ** 400,
        lambda: 10.0 ** Dual(400.0, 1.0),
        lambda: Dual(1.0, 1.0) + "x",
        lambda: pow(Dual(1.0, 1.0), 2, 3),
        lambda: pow(2, Dual(1.0, 1.0), 3),
        lambda: pow(2.0, Dual(1.0, 1.0), 3),
        lambda: Dual(1.0, 1.0) ** 10**400,
        lambda: Dual(1.0, 1.0) + 10**400,
        lambda: 10**400 / Dual(1.0, 1.0),
        lambda: Dual(1.797e308, 0.0) ** 2,
        lambda: dd.sqrt(Dual(0.0, 1.0)) ** 2,
    ):
        try:
            yield repr(expr())
        except Exception as exc:  # the battery compares the errors too
            yield f"{type(exc).__name__}: {exc}"


# special values: every operator on Duals of these values and tangents, with these constants and
# with each other, and a few rules; one line per Dual and operation
SPECIAL_V = [0.0, -0.0, math.inf, -math.inf, math.nan, 5e-324, 1.7976931348623157e308, 1e200,
             -1.0, 0.5, 2.0]  # fmt: skip
SPECIAL_T = [0.0, -0.0, 1.0, math.inf, math.nan]
CONSTANTS = [0.0, -0.0, math.inf, math.nan, 5e-324, 1.7976931348623157e308, 2.0, -1.0, 0.5, 3,
             -2, 10**400]  # fmt: skip
BINARY = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": lambda a, b: a / b, "**": lambda a, b: a**b,
}  # fmt: skip


def _shown(fn, *args) -> str:
    try:
        return repr(fn(*args))
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


def _special():
    duals = [Dual(v, t) for v in SPECIAL_V for t in SPECIAL_T]
    for d in duals:
        for op, fn in BINARY.items():
            yield f"{d!r} {op} c: " + " | ".join(_shown(fn, d, c) for c in CONSTANTS)
            yield f"c {op} {d!r}: " + " | ".join(_shown(fn, c, d) for c in CONSTANTS)
            yield f"{d!r} {op} D: " + " | ".join(_shown(fn, d, e) for e in duals)
        yield f"rules {d!r}: " + " | ".join(
            _shown(f, d) for f in (lambda x: -x, dd.sqrt, dd.exp, dd.ln, dd.sin, abs)
        )


def lines() -> list[str]:
    out = []
    with np.printoptions(precision=17, linewidth=10**9, floatmode="unique"):
        for name, *values in _cases():
            out.append(f"{name}: " + " | ".join(repr(v).replace("\n", " ") for v in values))
        out.extend(f"error: {e}" for e in _errors())
        out.extend(_special())
    return out


if __name__ == "__main__":
    print("\n".join(lines()))
