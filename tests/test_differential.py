"""The operators' shortcuts against each other and against the general rules, bit for bit.

Three implementations of each operator meet here, in one process:

* the compiled slot (``dualdiff._speedups.DualBase.__add__`` ...), when the core is built;
* the pure-Python shortcut, ``dualdiff.fastpaths.PythonArithmetic`` (it reads only ``_v``, ``_t``
  and ``_tag``, so it runs on compiled Duals too);
* the general rule it stands for (``dualdiff.arithmetic.add`` ...), the single source of truth.

For every operand the three must give the same Dual (value and tangent with the same type and
the same bits: NaN equals NaN, -0.0 differs from 0.0) or the same exception with the same
message. The operands are the special values (zeros of both signs, infinities, NaN, subnormals,
the largest floats), ordinary values, ints small and huge, mpf, nested Duals, small arrays, NumPy
scalars and Duals of different tags: an exhaustive sweep over float Duals and constants, then
hypothesis for the rest. Under DUALDIFF_PURE_PYTHON=1 there is no compiled slot, and the
shortcut is compared with the general rule.
"""

from __future__ import annotations

import math
import sys
import warnings
from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dualdiff.arithmetic as A
import dualdiff.dual as D
from dualdiff.directions import Directions
from dualdiff.dual import Dual, make
from dualdiff.fastpaths import PythonArithmetic as PA

SLOTS: Any = D.speedups.DualBase if D.speedups is not None else None
INF, NAN = math.inf, math.nan

# name -> (method name, general rule as a function of (dual, other))
BINARY: dict[str, tuple[str, Callable[[Any, Any], Any]]] = {
    "+": ("__add__", A.add),
    "r+": ("__radd__", lambda d, o: A.add(o, d)),
    "-": ("__sub__", A.subtract),
    "r-": ("__rsub__", lambda d, o: A.subtract(o, d)),
    "*": ("__mul__", A.multiply),
    "r*": ("__rmul__", lambda d, o: A.multiply(o, d)),
    "/": ("__truediv__", A.divide),
    "r/": ("__rtruediv__", lambda d, o: A.divide(o, d)),
    "**": ("__pow__", A.power),
    "r**": ("__rpow__", lambda d, o: A.power(o, d)),
}
FORWARD = ("+", "-", "*", "/", "**")  # a Dual with a Dual: the reflected forms are not reached

SPECIAL = [
    0.0, -0.0, INF, -INF, NAN, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-310, 1e-200,
    1.7976931348623157e308, -1.797e308, 1e308, 1e200, -1e200, 1.0, -1.0, 2.0, -2.0, 3.0, 0.5,
    0.7, -1.3, 1e-8, 123.456,
]  # fmt: skip
INTS = [0, 1, 2, 3, -1, -2, 7, 400, -400, 1075, 2**53 + 1, 2**63, -(2**63), 10**400, -(10**400)]
# the exhaustive sweep: Duals of these values and tangents
SWEEP_V = [0.0, -0.0, INF, -INF, NAN, 5e-324, 1.7976931348623157e308, 1e200, -1e200, 1.0, -1.0,
           2.0, 0.5, -0.7, 1e-200]  # fmt: skip
SWEEP_T = [0.0, -0.0, 1.0, -2.5, INF, NAN, 1e300, 5e-324]


# --- comparing results ------------------------------------------------------------------------


def key(x: Any) -> Any:
    """A comparable fingerprint: types, and float bits (NaN as one value, -0.0 apart from 0.0)."""
    if isinstance(x, BaseException):
        return ("raised", type(x).__name__, str(x))
    if x is NotImplemented:
        return ("NotImplemented",)
    if isinstance(x, Dual):
        try:
            fields = (x._v, x._t, x._tag)
        except AttributeError as exc:
            return ("Dual with unset fields", str(exc))
        return ("Dual", *(key(f) for f in fields))
    if type(x) is float:
        return ("float", x.hex())  # exact; -0x0.0p+0 for -0.0; every NaN is 'nan'
    if type(x) in (int, bool):
        return (type(x).__name__, x)
    if isinstance(x, np.ndarray):
        items = x.ravel().tolist()  # floats for float arrays, the objects for object arrays
        return ("ndarray", x.dtype.str, x.shape, tuple(key(e) for e in items))
    if isinstance(x, np.generic):
        return ("numpy scalar", x.dtype.str, key(float(x)))
    if isinstance(x, mpmath.mpf):
        return ("mpf", repr(x))
    if isinstance(x, Directions):
        return ("Directions", key(x.array))
    return ("other", type(x).__name__, repr(x))


def run(fn: Callable[..., Any], *args: Any) -> Any:
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return fn(*args)
        except Exception as exc:
            return exc


def results(op: str, d: Any, o: Any = None) -> dict[str, Any]:
    """The operation by each implementation: fingerprints keyed by implementation."""
    if op == "neg":
        impls = {"python shortcut": PA.__neg__, "general": A.negative}
        if SLOTS is not None:
            impls["compiled slot"] = SLOTS.__neg__
        return {k: key(run(f, d)) for k, f in impls.items()}
    name, general = BINARY[op]
    impls = {"python shortcut": getattr(PA, name), "general": general}
    if SLOTS is not None:
        impls["compiled slot"] = getattr(SLOTS, name)
    return {k: key(run(f, d, o)) for k, f in impls.items()}


def check(op: str, d: Any, o: Any = None) -> None:
    got = results(op, d, o)
    if len(set(got.values())) != 1:
        shown = f"{op} {show(d)}" if op == "neg" else f"{show(d)} {op} {show(o)}"
        lines = "\n".join(f"  {k:16} {v}" for k, v in got.items())
        pytest.fail(f"implementations disagree on {shown}:\n{lines}")


def show(x: Any) -> str:
    try:
        return repr(x)
    except Exception:  # an uninitialised Dual
        return "Dual.__new__(Dual)"


# --- the exhaustive sweep over float Duals and constants --------------------------------------

SWEEP_DUALS = [make(v, t, 0) for v in SWEEP_V for t in SWEEP_T]


def test_sweep_float_duals_with_float_duals():
    for d in SWEEP_DUALS:
        for e in SWEEP_DUALS:
            for op in FORWARD:
                check(op, d, e)


@pytest.mark.parametrize("op", list(BINARY))
def test_sweep_float_duals_with_constants(op):
    for d in SWEEP_DUALS:
        for c in SPECIAL + INTS:
            check(op, d, c)


def test_sweep_negation():
    for d in SWEEP_DUALS:
        check("neg", d)


def test_uninitialised_duals():
    """Dual.__new__(Dual) has no fields: every implementation raises an AttributeError naming a
    missing field (which field it reads first may differ), never a crash or a number."""
    for o in (1.0, 2, make(1.0, 1.0, 0), Dual.__new__(Dual), np.float64(1.0)):
        for op in BINARY:
            got = results(op, Dual.__new__(Dual), o)
            assert all(v[:2] == ("raised", "AttributeError") for v in got.values()), got
            assert all("has no attribute '_" in v[2] for v in got.values()), got
    got = results("neg", Dual.__new__(Dual))
    assert all(v[:2] == ("raised", "AttributeError") for v in got.values()), got


def test_the_shortcut_is_taken(monkeypatch):
    """The sweep compares something: ordinary floats never reach the general rules, and an
    inf, a NaN or an error always does."""
    calls: list[str] = []

    def profiler(frame: Any, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code.co_filename == A.__file__:
            calls.append(frame.f_code.co_name)

    def reached(fn: Callable[..., Any], *args: Any) -> bool:
        calls.clear()
        sys.setprofile(profiler)
        try:
            run(fn, *args)
        finally:
            sys.setprofile(None)
        return any(
            c in ("add", "subtract", "multiply", "divide", "power", "negative") for c in calls
        )

    a, b = make(0.7, 1.0, 0), make(-1.3, 0.25, 0)
    impls = [PA] + ([SLOTS] if SLOTS is not None else [])
    for impl in impls:
        for name, o in (
            ("__add__", b), ("__add__", 2.0), ("__radd__", 3), ("__sub__", b), ("__rsub__", 1.5),
            ("__mul__", b), ("__rmul__", 2), ("__truediv__", b), ("__truediv__", 4),
            ("__rtruediv__", 1), ("__pow__", 2), ("__pow__", 3), ("__pow__", -2),
            ("__pow__", 0.5), ("__pow__", 0), ("__rpow__", 2.0), ("__rpow__", 0.3),
        ):  # fmt: skip
            assert not reached(getattr(impl, name), a, o), (impl.__name__, name, o)
        assert not reached(impl.__neg__, a)
        for name, d, o in (
            ("__add__", a, INF), ("__mul__", make(1e200, 1.0, 0), 1e200), ("__truediv__", a, 0.0),
            ("__truediv__", a, make(0.0, 1.0, 0)), ("__pow__", make(1e200, 1.0, 0), 2),
            ("__pow__", make(0.0, 1.0, 0), -1), ("__pow__", make(-2.0, 1.0, 0), 0.5),
            ("__pow__", a, 10**400), ("__rpow__", a, -2.0), ("__add__", a, make(1.0, 1.0, 5)),
            ("__add__", a, np.float64(1.0)), ("__mul__", make(0.0, INF, 0), 0.0),
        ):  # fmt: skip
            assert reached(getattr(impl, name), d, o), (impl.__name__, name, d, o)


# --- hypothesis: every kind of operand ----------------------------------------------------------

floats = st.one_of(st.sampled_from(SPECIAL), st.floats(allow_nan=True, allow_infinity=True))
ints = st.one_of(st.sampled_from(INTS), st.integers(-(2**70), 2**70))
tags = st.sampled_from([0, 1, 2])


@st.composite
def float_duals(draw: Any, tag: Any = tags) -> Dual:
    return make(draw(floats), draw(floats), draw(tag))


@st.composite
def arrays(draw: Any) -> np.ndarray:
    return np.array(draw(st.lists(floats, min_size=1, max_size=3)))


@st.composite
def other_duals(draw: Any) -> Any:
    kind = draw(st.sampled_from(["array", "mpf", "nested", "np.float64", "int", "bigtag"]))
    tag = draw(tags)
    if kind == "array":
        v = draw(arrays())
        return make(v, np.array([draw(floats) for _ in v]), tag)
    if kind == "mpf":
        return make(mpmath.mpf(draw(floats)), mpmath.mpf(draw(floats)), tag)
    if kind == "nested":
        inner = draw(float_duals(st.just(1)))
        return make(inner, draw(float_duals(st.just(1))), 2)
    if kind == "np.float64":
        return make(np.float64(draw(floats)), np.float64(draw(floats)), tag)
    if kind == "int":
        return make(draw(st.integers(-5, 5)), draw(floats), tag)
    # bigtag: equal tags that are not the same object (the general rule decides)
    return make(draw(floats), draw(floats), int("1000" + "0" * draw(st.integers(0, 1))))


constants = st.one_of(
    floats,
    ints,
    floats.map(np.float64),
    floats.map(mpmath.mpf),
    arrays(),
    st.sampled_from([True, False, [1.0, 2.0], "x", None]),
)
any_duals = st.one_of(float_duals(), other_duals())


SETTINGS = settings(
    max_examples=400, derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)  # fmt: skip


@settings(SETTINGS, max_examples=1500)
@given(op=st.sampled_from(list(BINARY)), d=any_duals, o=st.one_of(constants, any_duals))
def test_binary(op, d, o):
    check(op, d, o)


@SETTINGS
@given(d=any_duals)
def test_negation(d):
    check("neg", d)


@SETTINGS
@given(op=st.sampled_from(FORWARD), d=float_duals(), e=float_duals())
def test_float_duals_of_every_tag(op, d, e):
    check(op, d, e)


def test_known_disagreements_are_gone():
    """Reported by a tester against the previous core (C, then pure Python): sqrt(x)**2 at 0
    gave NaN against 0.0, and (1.797e308)**2 gave Dual(inf, nan) against an OverflowError."""
    import dualdiff as dd

    check("**", dd.sqrt(Dual(0.0, 1.0)), 2)
    check("**", Dual(1.797e308, 0.0), 2)
    check("**", Dual(1.797e308, 1.0), 2)
    check("r**", Dual(2.0, 0.0), 1e300)
