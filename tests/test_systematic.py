"""Every function dualdiff differentiates, in every mode, against an independent reference.

The tests are generated from the library's own tables, so a new row or a new NumPy function is
covered without a new test (or, for a NumPy function without a spec, fails until it gets one):

* ``ELEMENTWISE``: each rule-table row (``dd.RULES``), each NumPy ufunc in
  ``dualdiff.dual.UFUNCS`` that is not a predicate, and the operator forms (``x**n``, ``a**x``,
  ``a / b`` ...). Modes: float (f', f''), array, mpf at 50 digits, vector mode (``jacobian`` and
  ``gradient`` with chunk 1, 3 and the default, n = 5 or 10) and nested (``hessian``). References:
  ``mpmath.diff`` at 50 digits of the function written again in mpmath (tests/reference.py).
* ``SPECS``: each NumPy function in ``dualdiff.dual.ARRAY_FUNCTIONS`` (and ``matmul``), with its
  axis/keepdims variants. A spec is a function ``f(x, m)`` written with NumPy, where ``m`` supplies
  the smooth elementwise maps (``m.sin``, ``m.tanh``...): on Duals they are NumPy's ufuncs, on
  object arrays of mpf they are the mpmath tables. The reference is the same NumPy code on an
  object array of mpf, differentiated by central differences at 50 digits (``ref=`` overrides it
  with an explicit mpmath formula where NumPy cannot run the function on objects). Modes: array
  (``jvp`` with a float tangent), vector (``jacobian`` with chunk 1, 3, 4 and the default; n = 5
  or 6, so chunks 3 and 4 leave a ragged last pass), nested (``hessian`` of ``sum(f(x)**2)``),
  mpf (``jvp`` on an object array of mpf at 50 digits, reference at 100 digits).

To cover a new NumPy function add a ``Spec(np.func, "label", lambda x, m: ..., X5)`` to
``SPECS`` (several, for its axis/keepdims variants; a ufunc method is keyed ``(np.add,
"reduce")``): ``hessian=False`` where the point is a kink (ties), ``ref=`` an explicit mpmath
function where NumPy cannot run the call on an object array of mpf (``_spec_reference`` fails
loudly if NumPy quietly returns floats there, as np.gradient does), ``mpf=False`` only with a
comment saying why. Functions whose result is a plain value (predicates, shapes, indices) go in
``VALUE_ONLY``. ``test_every_registered_function_has_a_spec`` fails for any key of
``ARRAY_FUNCTIONS``, ``UFUNC_METHODS`` or ``UFUNCS`` with no spec, and for an arithmetic ufunc
with no mpmath reference (``MP_ARITH_UFUNC`` in tests/reference.py) and points
(``ARITH_POINTS``). A new rule-table row needs nothing: its reference is ``MP_UNARY`` /
``MP_BINARY`` in tests/reference.py (add it there; until then its own mpmath evaluator).

Conventions checked explicitly: ties split the tangent evenly among the tied arguments (as JAX
does: ``np.maximum(x, 1.0)`` at 1 has derivative 0.5, ``np.max([x, x])`` splits 1 as [0.5, 0.5];
central differences, the reference here, agree with this at two-way ties), ``abs'(0) = 0``; out of
a function's domain an array's value is NaN and its tangent is not a finite number; where the true
derivative is finite it is never NaN, and floats and arrays agree.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import mpmath
import numpy as np
import pytest

import dualdiff as dd
from dualdiff.dual import ARRAY_FUNCTIONS, UFUNCS, ufunc_name
from dualdiff.kinds import base_value

from .scipy.test_special import SCIPY_UFUNCS as SCIPY_DISPATCH

try:
    from dualdiff.dual import UFUNC_METHODS
except ImportError:  # an older dualdiff: no ufunc methods
    UFUNC_METHODS = {}
from dualdiff.rules import Domain

from .reference import (
    CONST_ARGS,
    DUAL_OPS,
    MP_BINARY,
    MP_OPS,
    MP_QUATERNARY,
    MP_TERNARY,
    MP_UNARY,
    POINTS,
    PREDICATE_UFUNCS,
    Case,
    _bind,
    assert_array_close,
    cd_directional,
    cd_hessian,
    cd_jacobian,
    close,
    max_abs,
    mp_diff,
    mp_function,
    mp_ufunc,
    mpf,
    mpf_array,
    row_cases,
    rule_of_ufunc,
    sample,
)

REL1 = 1e-13  # float f' against the 50-digit reference, relative
REL2 = 1e-12  # float f''
ABS = 1e-30  # only for derivatives that are (nearly) exactly 0: the reference's own noise
MP_REL = mpf("1e-40")  # mpf inputs at 50 digits must keep 40 digits
CHUNKS = (1, 3, None)

# --- the elementwise table ------------------------------------------------------------------------


@dataclass(frozen=True)
class Elementwise:
    """An elementwise function: ``fn`` on the dualdiff side, ``ref`` the same in mpmath."""

    name: str
    fn: Callable[..., Any]
    ref: Callable[..., Any]
    arity: int
    points: tuple[Any, ...]  # floats (unary) or pairs (binary), where the function is smooth

    def __repr__(self) -> str:
        return self.name


def _unary_points(domain: Domain) -> tuple[float, ...]:
    pts = domain.sample(12)  # an even count: never 0 for a symmetric domain (abs, sign kink there)
    if domain.lo > -math.inf:
        pts += [domain.lo + 1e-3, domain.lo + 0.1]
    if domain.hi < math.inf:
        pts += [domain.hi - 1e-3, domain.hi - 0.1]
    return tuple(pts)


def _pairs(kind: str, n: int = 10, seed: int = 7) -> tuple[tuple[float, float], ...]:
    rng = random.Random(f"{kind}-{seed}")
    out = []
    for _ in range(n):
        if kind == "power":  # a positive base, any exponent
            out.append((rng.uniform(0.2, 3.0), rng.uniform(-2.5, 2.5)))
        elif kind == "divide":  # a denominator away from 0
            out.append((rng.uniform(-3, 3), rng.choice((-1, 1)) * rng.uniform(0.5, 3.0)))
        else:
            out.append((rng.uniform(-3, 3), rng.uniform(-3, 3)))
    return tuple(out)


ALL_REALS = _unary_points(Domain())
POSITIVE = _unary_points(Domain(0.0, closed_lo=False))

#: points of the arithmetic ufuncs that are not rule-table rows (a new one must be added here)
ARITH_POINTS: dict[Any, tuple[Any, ...]] = {
    np.add: _pairs("any"),
    np.subtract: _pairs("any"),
    np.multiply: _pairs("any"),
    np.true_divide: _pairs("divide"),
    np.power: _pairs("power"),
    np.float_power: _pairs("power"),
    np.negative: ALL_REALS,
    np.positive: ALL_REALS,
    np.reciprocal: ALL_REALS,
}

#: operators (the compiled core's fast paths and the general rules): the same lambda runs on
#: Duals and on mpf, where mpmath's arithmetic is the reference
OPERATOR_FORMS: list[tuple[str, Callable[..., Any], tuple[Any, ...]]] = [
    ("x**2", lambda x: x**2, ALL_REALS),
    ("x**3", lambda x: x**3, ALL_REALS),
    ("x**0", lambda x: x**0, ALL_REALS),
    ("x**1", lambda x: x**1, ALL_REALS),
    ("x**-1", lambda x: x**-1, ALL_REALS),
    ("x**-2", lambda x: x**-2, ALL_REALS),
    ("x**2.0", lambda x: x**2.0, ALL_REALS),
    ("x**3.0", lambda x: x**3.0, ALL_REALS),
    ("x**0.5", lambda x: x**0.5, POSITIVE),
    ("x**1.5", lambda x: x**1.5, POSITIVE),
    ("x**-0.5", lambda x: x**-0.5, POSITIVE),
    ("x**(1/3)", lambda x: x ** (1 / 3), POSITIVE),
    ("2**x", lambda x: 2**x, ALL_REALS),
    ("2.0**x", lambda x: 2.0**x, ALL_REALS),
    ("0.5**x", lambda x: 0.5**x, ALL_REALS),
    ("10**x", lambda x: 10**x, ALL_REALS),
    ("x**x", lambda x: x**x, POSITIVE),
    ("1/x", lambda x: 1 / x, ALL_REALS),
    ("1.0/x", lambda x: 1.0 / x, ALL_REALS),
    ("x/3", lambda x: x / 3, ALL_REALS),
    ("3-x", lambda x: 3 - x, ALL_REALS),
    ("-x", lambda x: -x, ALL_REALS),
    ("+x", lambda x: +x, ALL_REALS),
    ("abs(x)", lambda x: abs(x), ALL_REALS),
    ("x*x", lambda x: x * x, ALL_REALS),
    ("x*x*x/(1+x*x)", lambda x: x * x * x / (1 + x * x), ALL_REALS),
    ("a+b", lambda a, b: a + b, _pairs("any")),
    ("a-b", lambda a, b: a - b, _pairs("any")),
    ("a*b", lambda a, b: a * b, _pairs("any")),
    ("a/b", lambda a, b: a / b, _pairs("divide")),
    ("a**b", lambda a, b: a**b, _pairs("power")),
    ("a*b/(a+4)", lambda a, b: a * b / (a + 4), _pairs("any")),
]


#: ufuncs that are not elementwise functions of real arguments: covered by SPECS instead
NOT_ELEMENTWISE = {np.matmul, np.ldexp}
#: registered ufuncs with no mpmath reference (test_every_registered_function_has_a_spec fails)
UNREFERENCED: list[Any] = []


def _case_points(case: Case) -> tuple[Any, ...]:
    """A row's test points: its domain's sample (unary), random pairs (binary rows of the core
    table, on all reals), or a sample of each argument's own domain."""
    if case.label in POINTS:
        return POINTS[case.label]
    if case.arity == 1:
        return _unary_points(case.domains[0])
    if all(d == Domain() for d in case.domains):
        return _pairs(case.rule.name)
    columns = [sample(d, 10, f"{case.label}-{i}") for i, d in enumerate(case.domains)]
    return tuple(zip(*columns, strict=True))


def _elementwise() -> list[Elementwise]:
    out = []
    for rule in dd.RULES.values():
        for case in row_cases(rule):
            pts = _case_points(case)
            out.append(Elementwise(f"rule:{case.label}", case.fn, case.ref, case.arity, pts))
    for u in UFUNCS:
        if u in PREDICATE_UFUNCS or u in NOT_ELEMENTWISE or ufunc_name(u).startswith("scipy"):
            continue  # predicates: test_predicate_ufuncs_return_plain_values; the others: SPECS;
            # SciPy's ufuncs are their rows (tests/scipy/test_special.py checks the dispatch)
        rule = rule_of_ufunc(u)
        if rule is not None:
            pts = _unary_points(rule.domain) if u.nin == 1 else _pairs(rule.name)
        else:
            pts = ARITH_POINTS.get(u, ())
        try:
            ref = mp_ufunc(u)
        except KeyError:
            UNREFERENCED.append(u)
            continue
        out.append(Elementwise(f"np.{u.__name__}", u, ref, u.nin, pts))
    for name, fn, pts in OPERATOR_FORMS:
        arity = 2 if isinstance(pts[0], tuple) else 1
        out.append(Elementwise(f"op:{name}", fn, fn, arity, pts))
    return out


ELEMENTWISE = _elementwise()
UNARY = [e for e in ELEMENTWISE if e.arity == 1]
BINARY = [e for e in ELEMENTWISE if e.arity == 2]


@cache
def ref_derivative(fn: Callable[..., Any], x: Any, order: Any) -> Any:
    """mpmath.diff at 50 digits (x a float, an mpf or a pair; order an int or a pair)."""
    return mp_diff(fn, x, order)


def _check(got: Any, ref: Any, rel: Any, what: str, abs_: Any = ABS) -> None:
    assert close(got, ref, rel, abs_), f"{what}: got {got!r}, reference {mpmath.nstr(ref, 20)}"


@pytest.mark.parametrize("entry", ELEMENTWISE, ids=repr)
def test_every_entry_has_points(entry):
    """A ufunc without points (ARITH_POINTS) would silently test nothing."""
    assert entry.points, f"{entry.name} has no test points: add it to ARITH_POINTS"


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("entry", UNARY, ids=repr)
def test_unary_float(entry, order):
    f = dd.derivative(entry.fn)
    d = f.prime if order == 1 else f.prime.prime
    for x in entry.points:
        got = d(x)
        assert type(got) is float, f"{entry.name}: f^({order})({x}) is {type(got).__name__}"
        _check(
            got,
            ref_derivative(entry.ref, x, order),
            REL1 if order == 1 else REL2,
            f"{entry.name}^({order}) at {x!r}",
        )


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("entry", UNARY, ids=repr)
def test_unary_array(entry, order):
    f = dd.derivative(entry.fn)
    d = f.prime if order == 1 else f.prime.prime
    xs = np.array(entry.points)
    got = d(xs.reshape(2, -1))  # any shape, elementwise
    assert isinstance(got, np.ndarray) and got.shape == (2, len(xs) // 2), (entry.name, got)
    for x, g in zip(xs, got.ravel(), strict=True):
        _check(
            g,
            ref_derivative(entry.ref, float(x), order),
            REL1 if order == 1 else REL2,
            f"{entry.name}^({order}) at array entry {x!r}",
        )


@pytest.mark.parametrize(
    "fn",
    [lambda x: 2.0, lambda x: x, lambda x: 3 * x - 1, lambda x: -x],
    ids=["constant", "x", "3x-1", "-x"],
)
def test_array_derivatives_keep_the_input_shape(fn):
    """Elementwise over an array: f', f'', f''' are arrays shaped like x, even where constant."""
    xs = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -3.0]])
    f = dd.derivative(fn)
    for order, d in enumerate((f.prime, f.prime.prime, f.prime.prime.prime), start=1):
        got = d(xs)
        assert isinstance(got, np.ndarray) and got.shape == xs.shape, (
            f"order {order}: {got!r} is not an array of shape {xs.shape}"
        )


def _mp_point(x: float) -> Any:
    """An mpf next to x that no float can hold: a float64 fallback loses its last digits."""
    return mpf(x) * (1 + mpf("1e-30")) + mpf("1e-31")


def _assert_mpf_result(got: Any, what: str) -> None:
    """An mpf computation must give an mpf (an exact 0 or 0.0 is no loss of precision)."""
    exact_zero = isinstance(got, (int, float, np.integer, np.floating)) and got == 0
    assert isinstance(got, mpmath.mpf) or exact_zero, (
        f"{what}: result is {type(got).__name__} {got!r}, not mpf: precision silently dropped"
    )


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("entry", UNARY, ids=repr)
def test_unary_mpf(entry, order, mp50):
    f = dd.derivative(entry.fn)
    d = f.prime if order == 1 else f.prime.prime
    for x in entry.points:
        xm = _mp_point(x)
        got = d(xm)
        _assert_mpf_result(got, f"{entry.name}^({order}) at mpf {x}")
        ref = ref_derivative(entry.ref, xm, order)
        _check(got, ref, MP_REL, f"{entry.name}^({order}) at mpf {x}", mpf("1e-45"))


def _binary_orders(order: int) -> list[tuple[int, int]]:
    return [(1, 0), (0, 1)] if order == 1 else [(2, 0), (1, 1), (0, 2)]


def _binary_d(g: dd.Derivative, orders: tuple[int, int]) -> Callable[..., Any]:
    wrt = [0] * orders[0] + [1] * orders[1]
    d = g
    for i in wrt:
        d = d.partial(i)
    return d


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("entry", BINARY, ids=repr)
def test_binary_float(entry, order):
    g = dd.derivative(entry.fn)
    for a, b in entry.points:
        if order == 1:  # also through .grad, and with a plain-float constant operand
            ga, gb = g.grad(a, b)
            _check(ga, ref_derivative(entry.ref, (a, b), (1, 0)), REL1, f"{entry.name} d/da")
            _check(gb, ref_derivative(entry.ref, (a, b), (0, 1)), REL1, f"{entry.name} d/db")
        for orders in _binary_orders(order):
            got = _binary_d(g, orders)(a, b)
            assert type(got) is float, (entry.name, orders, type(got))
            _check(
                got,
                ref_derivative(entry.ref, (a, b), orders),
                REL1 if order == 1 else REL2,
                f"{entry.name} {orders} at {(a, b)}",
            )


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("entry", BINARY, ids=repr)
def test_binary_array(entry, order):
    g = dd.derivative(entry.fn)
    a = np.array([p[0] for p in entry.points])
    b = np.array([p[1] for p in entry.points])
    for orders in _binary_orders(order):
        got = _binary_d(g, orders)(a, b)
        assert isinstance(got, np.ndarray) and got.shape == a.shape, (entry.name, got)
        for ai, bi, gi in zip(a, b, got, strict=True):
            ref = ref_derivative(entry.ref, (float(ai), float(bi)), orders)
            _check(gi, ref, REL1 if order == 1 else REL2, f"{entry.name} {orders} at {(ai, bi)}")
    if order == 1:  # a constant array beside a Dual array, on either side
        ta = dd.Dual(a, np.ones_like(a))
        left, right = entry.fn(ta, b), entry.fn(a, dd.Dual(b, np.ones_like(b)))
        for i in range(len(a)):
            pt = (float(a[i]), float(b[i]))
            _check(left.tangent[i], ref_derivative(entry.ref, pt, (1, 0)), REL1, entry.name)
            _check(right.tangent[i], ref_derivative(entry.ref, pt, (0, 1)), REL1, entry.name)


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("entry", BINARY, ids=repr)
def test_binary_mpf(entry, order, mp50):
    g = dd.derivative(entry.fn)
    for a, b in entry.points[:6]:
        am, bm = _mp_point(a), _mp_point(b)
        for orders in _binary_orders(order):
            got = _binary_d(g, orders)(am, bm)
            what = f"{entry.name} {orders} at mpf {(a, b)}"
            _assert_mpf_result(got, what)
            _check(got, ref_derivative(entry.ref, (am, bm), orders), MP_REL, what, mpf("1e-45"))


# --- vector mode and nested mode for the elementwise table ----------------------------------------


def mix(x: Any, p: np.ndarray) -> Any:
    """x + (x[::-1] - p[::-1]) / 4: exactly p at x = p, with Jacobian A = I + R/4 (R reverses)."""
    return x + 0.25 * (x[::-1] - p[::-1])


def mix_matrix(n: int) -> np.ndarray:
    A = np.array([[mpf(0)] * n for _ in range(n)], dtype=object)
    for i in range(n):
        A[i, i] += 1
        A[i, n - 1 - i] += mpf("0.25")
    return A


def _weights(n: int) -> np.ndarray:
    return np.array([0.5, -1.25, 2.0, 0.75, -0.3, 1.5, 1.0, -0.5, 0.25, 1.75][:n])


def _vector_setup(entry: Elementwise):
    """(p, F, J_ref, H_ref of sum(w F)) with F(x) = fn(mix(x, p)) (unary, n = 5) or
    fn(mix(z)[:5], mix(z)[5:]) (binary, z of n = 10)."""
    w = _weights(5)
    if entry.arity == 1:
        pts = entry.points[1::2][:5]
        p = np.array(pts)
        A = mix_matrix(5)
        d1 = [ref_derivative(entry.ref, x, 1) for x in pts]
        d2 = [ref_derivative(entry.ref, x, 2) for x in pts]
        J = np.array([[d1[i] * A[i, j] for j in range(5)] for i in range(5)], dtype=object)
        Q = np.diag(np.array([w[i] * d2[i] for i in range(5)], dtype=object))
        F = lambda x: entry.fn(mix(x, p))
    else:
        pairs = entry.points[:5]
        p = np.array([a for a, _ in pairs] + [b for _, b in pairs])
        A = mix_matrix(10)
        gd = {
            o: [ref_derivative(entry.ref, pt, o) for pt in pairs]
            for o in ((1, 0), (0, 1), (2, 0), (1, 1), (0, 2))
        }
        J = np.array(
            [
                [gd[1, 0][i] * A[i, j] + gd[0, 1][i] * A[5 + i, j] for j in range(10)]
                for i in range(5)
            ],
            dtype=object,
        )
        Q = np.array([[mpf(0)] * 10 for _ in range(10)], dtype=object)
        for i in range(5):
            Q[i, i] = w[i] * gd[2, 0][i]
            Q[i, 5 + i] = Q[5 + i, i] = w[i] * gd[1, 1][i]
            Q[5 + i, 5 + i] = w[i] * gd[0, 2][i]

        def F(z):
            y = mix(z, p)
            return entry.fn(y[:5], y[5:])

    H = A.T.dot(Q).dot(A)
    return p, F, J, H, w


@pytest.mark.parametrize("chunk", CHUNKS)
@pytest.mark.parametrize("entry", ELEMENTWISE, ids=repr)
def test_elementwise_vector_mode(entry, chunk):
    p, F, J, _, w = _vector_setup(entry)
    got = dd.jacobian(F, p, chunk=chunk)
    assert_array_close(got, J, REL1, ABS, f"{entry.name} jacobian chunk={chunk}")
    grad_ref = w.astype(object).dot(J)
    got = dd.gradient(lambda x: np.sum(w * F(x)), p, chunk=chunk)
    assert_array_close(got, grad_ref, REL1, 1e-14 * max_abs(J), f"{entry.name} gradient")


@pytest.mark.parametrize("entry", ELEMENTWISE, ids=repr)
def test_elementwise_nested_hessian(entry):
    p, F, _, H, w = _vector_setup(entry)
    got = dd.hessian(lambda x: np.sum(w * F(x)), p)
    assert_array_close(got, H, REL2, ABS + 1e-13 * max_abs(H), f"{entry.name} hessian")


# --- the rows' evaluators against the independent mpmath tables ------------------------------


CASES = [c for rule in dd.RULES.values() for c in row_cases(rule)]


def test_every_const_row_has_bindings():
    """A row with constant arguments is tested only at the values CONST_ARGS binds."""
    missing = [r.name for r in dd.RULES.values() if r.const and r.name not in CONST_ARGS]
    assert not missing, f"add the rows {missing} to CONST_ARGS in tests/reference.py"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.label)
def test_rule_evaluators_agree_with_reference(case, mp50):
    """The row's float, array and mpf evaluators give the function of the mpmath table (so the
    fallback reference of a later row, its own mpmath evaluator, is checked here too)."""
    rule = case.rule
    own = _bind_const(rule.mpmath, case) if rule.mpmath is not None else None
    has_ref = rule.name in {1: MP_UNARY, 2: MP_BINARY, 3: MP_TERNARY, 4: MP_QUATERNARY}[rule.arity]
    for x in _case_points(case):
        args = (x,) if case.arity == 1 else x
        want = case.ref(*(mpf(a) for a in args))
        # 1e-12: a wrong formula is off by far more; sinc(x) = sin(pi x)/(pi x) in doubles loses
        # ~|x| ulps to the rounding of pi x (as NumPy's np.sinc does)
        assert close(case.fn(*args), want, 1e-12, 1e-300), (case.label, x)
        arr = case.fn(*(np.array([a]) for a in args))
        assert close(arr[0], want, 1e-12, 1e-300), (case.label, x)
        xm = tuple(_mp_point(a) for a in args)
        got = case.fn(*xm)
        _assert_mpf_result(got, case.label)
        assert close(got, case.ref(*xm), MP_REL, mpf("1e-45")), (case.label, x)
        if has_ref and own is not None:
            assert close(own(*xm), case.ref(*xm), MP_REL, mpf("1e-45")), (case.label, x)


def _bind_const(f: Callable[..., Any], case: Case) -> Callable[..., Any]:
    """The row's own mpmath evaluator with the case's constant arguments bound."""
    if not case.rule.const:
        return f
    values = CONST_ARGS[case.rule.name][[c.label for c in row_cases(case.rule)].index(case.label)]
    return _bind(f, case.rule.const, values, case.rule.arity)


# --- NumPy array functions: the spec table ------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """One call of a NumPy function on a Dual array (see the module docstring)."""

    func: Any  # the registered function (or ufunc) this entry covers
    label: str
    f: Callable[[Any, Any], Any]  # f(x, m): NumPy code; m.sin etc. are the elementwise maps
    x: tuple[float, ...]
    hessian: bool = True  # smooth at x (False at ties/kinks: no second derivative there)
    mpf: bool = True
    ref: Callable[[Any], Any] | None = None  # explicit mpmath reference f(x_mpf_array)

    def __repr__(self) -> str:
        return self.label

    def reference(self, x: Any) -> Any:
        return self.ref(x) if self.ref is not None else self.f(x, MP_OPS)


X5 = (0.3, -0.7, 1.1, 0.45, -1.6)
X6 = (0.8, -0.35, 1.3, -1.1, 0.55, 0.2)
M35 = np.array(
    [[1.0, -2.0, 0.5, 0.3, 0.1], [0.25, 1.5, -1.0, 2.0, 0.7], [0.7, 0.1, 0.9, -0.4, 1.2]]
)
C5 = np.array([0.5, -1.25, 2.0, 0.75, -0.3])
C32 = np.array([[1.0, 0.5], [-0.25, 2.0], [1.5, -1.0]])


def g(x: Any, m: Any) -> Any:
    """A smooth map whose every entry depends on two inputs (a non-diagonal Jacobian)."""
    y = x + 0.25 * x[::-1]
    return m.sin(y) + 0.5 * y * y


def g2(x: Any, m: Any) -> Any:
    """g(x) as a 2x3 matrix (x of 6 entries)."""
    return np.reshape(g(x, m), (2, 3))


def g3(x: Any, m: Any) -> Any:
    return np.reshape(g(x, m), (1, 2, 3))


def _sq(x: Any, m: Any) -> Any:
    return m.tanh(x) * x


S = Spec
SPECS: list[Spec] = [
    # reductions, with axis / keepdims variants
    S(np.sum, "sum", lambda x, m: np.sum(g(x, m)), X5),
    S(np.sum, "sum axis=0 (2-D)", lambda x, m: np.sum(g2(x, m), axis=0), X6),
    S(np.sum, "sum axis=1 keepdims", lambda x, m: np.sum(g2(x, m), axis=1, keepdims=True), X6),
    S(np.sum, "sum axis=None keepdims (2-D)", lambda x, m: np.sum(g2(x, m), keepdims=True), X6),
    S(np.sum, "sum axis=(0,2) (3-D)", lambda x, m: np.sum(g3(x, m), axis=(0, 2)), X6),
    S(np.sum, "sum axis=-1", lambda x, m: np.sum(g2(x, m), axis=-1), X6),
    S(np.mean, "mean", lambda x, m: np.mean(g(x, m)), X5),
    S(np.mean, "mean axis=0 (2-D)", lambda x, m: np.mean(g2(x, m), axis=0), X6),
    S(np.mean, "mean axis=None keepdims (2-D)", lambda x, m: np.mean(g2(x, m), keepdims=True), X6),
    S(np.mean, "mean axis=1 keepdims", lambda x, m: np.mean(g2(x, m), axis=1, keepdims=True), X6),
    S(np.prod, "prod", lambda x, m: np.prod(g(x, m)), X5),
    S(np.prod, "prod axis=1 (2-D)", lambda x, m: np.prod(g2(x, m), axis=1), X6),
    S(np.prod, "prod axis=0 keepdims", lambda x, m: np.prod(g2(x, m), axis=0, keepdims=True), X6),
    S(np.prod, "prod axis=None keepdims (2-D)", lambda x, m: np.prod(g2(x, m), keepdims=True), X6),
    S(np.prod, "prod with a zero entry", lambda x, m: np.prod(x), (0.5, 0.0, 2.0, -1.5, 0.7)),
    S(np.prod, "prod with two zeros", lambda x, m: np.prod(x), (0.5, 0.0, 2.0, 0.0, 0.7)),
    S(np.prod, "prod initial", lambda x, m: np.prod(g(x, m), initial=2.5), X5),
    S(
        np.prod,
        "prod where",
        lambda x, m: np.prod(g(x, m), where=[True, False, True, True, False]),
        X5,
        ref=lambda x: np.prod(g(x, MP_OPS)[[0, 2, 3]]),  # (on objects NumPy needs initial=)
    ),
    S(
        np.prod,
        "prod axis=1 initial where keepdims (2-D)",
        lambda x, m: np.prod(
            g2(x, m), axis=1, initial=-1.5, where=np.array([True, False, True]), keepdims=True
        ),
        X6,
    ),
    S(np.prod, "x.prod axis=0 initial (2-D)", lambda x, m: g2(x, m).prod(axis=0, initial=0.5), X6),
    S(np.max, "max", lambda x, m: np.max(g(x, m)), X5),
    S(np.max, "max axis=0 (2-D)", lambda x, m: np.max(g2(x, m), axis=0), X6),
    S(np.max, "max axis=1 keepdims", lambda x, m: np.max(g2(x, m), axis=1, keepdims=True), X6),
    S(np.max, "max axis=None keepdims (2-D)", lambda x, m: np.max(g2(x, m), keepdims=True), X6),
    S(np.max, "max tie (2-way)", lambda x, m: np.max(x), (2.0, 2.0, 1.0, -0.5, 0.3), hessian=False),
    S(
        np.max,
        "max tie axis=0",
        lambda x, m: np.max(np.reshape(x, (2, 3)), axis=0),
        (1.0, 0.5, 2.0, 1.0, 0.5, -1.0),
        hessian=False,
    ),
    S(np.min, "min", lambda x, m: np.min(g(x, m)), X5),
    S(np.min, "min axis=1 (2-D)", lambda x, m: np.min(g2(x, m), axis=1), X6),
    S(np.min, "min axis=None keepdims (2-D)", lambda x, m: np.min(g2(x, m), keepdims=True), X6),
    S(
        np.min,
        "min tie (2-way)",
        lambda x, m: np.min(x),
        (-1.0, 0.5, -1.0, 2.0, 0.3),
        hessian=False,
    ),
    S(np.amax, "amax axis=0 keepdims", lambda x, m: np.amax(g2(x, m), axis=0, keepdims=True), X6),
    S(np.amax, "amax axis=None keepdims (2-D)", lambda x, m: np.amax(g2(x, m), keepdims=True), X6),
    S(np.amin, "amin", lambda x, m: np.amin(g(x, m)), X5),
    S(np.amin, "amin axis=None keepdims (2-D)", lambda x, m: np.amin(g2(x, m), keepdims=True), X6),
    S(np.linalg.norm, "norm", lambda x, m: np.linalg.norm(g(x, m)), X5),
    S(np.linalg.norm, "norm ord=2", lambda x, m: np.linalg.norm(g(x, m), 2), X5),
    S(
        np.linalg.norm,
        "norm ord=1",
        lambda x, m: np.linalg.norm(g(x, m), 1),
        X5,
        ref=lambda x: sum(abs(v) for v in g(x, MP_OPS)),
    ),
    S(
        np.linalg.norm,
        "norm ord=inf",
        lambda x, m: np.linalg.norm(g(x, m), np.inf),
        X5,
        ref=lambda x: max(abs(v) for v in g(x, MP_OPS)),
    ),
    S(np.linalg.norm, "norm fro (2-D)", lambda x, m: np.linalg.norm(g2(x, m), "fro"), X6),
    S(np.linalg.norm, "norm (2-D)", lambda x, m: np.linalg.norm(g2(x, m)), X6),
    S(
        np.linalg.norm,
        "norm axis=1",
        lambda x, m: np.linalg.norm(g2(x, m), axis=1),
        X6,
        ref=lambda x: np.array([mpmath.sqrt(sum(v * v for v in r)) for r in g2(x, MP_OPS)]),
    ),
    S(
        np.linalg.norm,
        "norm axis=None keepdims (2-D)",
        lambda x, m: np.linalg.norm(g2(x, m), keepdims=True),
        X6,
        ref=lambda x: np.array([[mpmath.sqrt(sum(v * v for v in g(x, MP_OPS)))]]),
    ),
    S(
        np.linalg.norm,
        "norm ord=1 axis=0",
        lambda x, m: np.linalg.norm(g2(x, m), 1, axis=0),
        X6,
        ref=lambda x: np.sum(np.abs(g2(x, MP_OPS)), axis=0),
    ),
    # scans and differences
    S(np.cumsum, "cumsum", lambda x, m: np.cumsum(g(x, m)), X5),
    S(np.cumsum, "cumsum axis=None (2-D)", lambda x, m: np.cumsum(g2(x, m)), X6),
    S(np.cumsum, "cumsum axis=0", lambda x, m: np.cumsum(g2(x, m), axis=0), X6),
    S(np.cumsum, "cumsum axis=1", lambda x, m: np.cumsum(g2(x, m), axis=1), X6),
    S(np.diff, "diff", lambda x, m: np.diff(g(x, m)), X5),
    S(np.diff, "diff n=2", lambda x, m: np.diff(g(x, m), n=2), X5),
    S(np.diff, "diff axis=0 (2-D)", lambda x, m: np.diff(g2(x, m), axis=0), X6),
    S(np.diff, "diff axis=-1 (2-D)", lambda x, m: np.diff(g2(x, m), axis=-1), X6),
    # shape functions
    S(np.reshape, "reshape (2,3)", lambda x, m: np.reshape(g(x, m), (2, 3)), X6),
    S(
        np.reshape,
        "reshape (3,-1) order=F",
        lambda x, m: np.reshape(g(x, m), (3, -1), order="F"),
        X6,
    ),
    S(np.reshape, "reshape shape= keyword", lambda x, m: np.reshape(g(x, m), shape=(3, 2)), X6),
    S(np.ravel, "ravel (2-D)", lambda x, m: np.ravel(g2(x, m)), X6),
    S(np.ravel, "ravel order=F", lambda x, m: np.ravel(g2(x, m), order="F"), X6),
    S(np.transpose, "transpose (2-D)", lambda x, m: np.transpose(g2(x, m)), X6),
    S(np.transpose, "transpose axes (3-D)", lambda x, m: np.transpose(g3(x, m), (2, 0, 1)), X6),
    S(np.transpose, ".T", lambda x, m: g2(x, m).T, X6),
    S(np.moveaxis, "moveaxis", lambda x, m: np.moveaxis(g3(x, m), 0, -1), X6),
    S(np.swapaxes, "swapaxes", lambda x, m: np.swapaxes(g3(x, m), 0, 2), X6),
    S(np.squeeze, "squeeze", lambda x, m: np.squeeze(np.reshape(g(x, m), (1, 5, 1))), X5),
    S(
        np.squeeze,
        "squeeze axis=0",
        lambda x, m: np.squeeze(np.reshape(g(x, m), (1, 5, 1)), axis=0),
        X5,
    ),
    S(np.expand_dims, "expand_dims", lambda x, m: np.expand_dims(g(x, m), 0), X5),
    S(np.expand_dims, "expand_dims (0,2)", lambda x, m: np.expand_dims(g(x, m), (0, 2)), X5),
    S(np.broadcast_to, "broadcast_to", lambda x, m: np.broadcast_to(g(x, m), (3, 5)), X5),
    S(
        np.broadcast_to,
        "broadcast_to of a scalar",
        lambda x, m: np.broadcast_to(np.sum(g(x, m)), (4,)),
        X5,
    ),
    S(np.atleast_1d, "atleast_1d of a scalar", lambda x, m: np.atleast_1d(np.sum(g(x, m))), X5),
    S(
        np.atleast_1d,
        "atleast_1d several",
        lambda x, m: np.concatenate(np.atleast_1d(np.sum(g(x, m)), g(x, m))),
        X5,
    ),
    S(np.atleast_2d, "atleast_2d", lambda x, m: np.atleast_2d(g(x, m)), X5),
    S(np.atleast_2d, "atleast_2d of a scalar", lambda x, m: np.atleast_2d(np.sum(g(x, m))), X5),
    S(np.copy, "copy", lambda x, m: np.copy(g(x, m)), X5),
    # joining
    S(np.concatenate, "concatenate", lambda x, m: np.concatenate([g(x, m), x * x]), X5),
    S(
        np.concatenate,
        "concatenate with a constant",
        lambda x, m: np.concatenate([np.array([1.0, 2.0]), g(x, m)]),
        X5,
    ),
    S(
        np.concatenate,
        "concatenate axis=1 (2-D)",
        lambda x, m: np.concatenate([g2(x, m), _sq(g2(x, m), m)], axis=1),
        X6,
    ),
    S(
        np.concatenate,
        "concatenate axis=None (2-D)",
        lambda x, m: np.concatenate([g2(x, m), np.ones((1, 2))], axis=None),
        X6,
    ),
    S(np.stack, "stack", lambda x, m: np.stack([g(x, m), _sq(x, m)]), X5),
    S(np.stack, "stack axis=1 with a constant", lambda x, m: np.stack([g(x, m), C5], axis=1), X5),
    S(
        np.stack,
        "stack axis=-1 (2-D)",
        lambda x, m: np.stack([g2(x, m), g2(x, m) ** 2], axis=-1),
        X6,
    ),
    S(np.hstack, "hstack", lambda x, m: np.hstack([g(x, m), x * x]), X5),
    S(np.hstack, "hstack with a list", lambda x, m: np.hstack([[1.0, 2.0], g(x, m)]), X5),
    S(np.hstack, "hstack (2-D)", lambda x, m: np.hstack([g2(x, m), np.ones((2, 1))]), X6),
    S(np.vstack, "vstack", lambda x, m: np.vstack([g(x, m), C5]), X5),
    S(np.vstack, "vstack (2-D)", lambda x, m: np.vstack([g2(x, m), _sq(g2(x, m), m)]), X6),
    # selection
    S(np.where, "where", lambda x, m: np.where(x > 0, g(x, m), x**3), X5),
    S(np.where, "where with a constant", lambda x, m: np.where(x > 0, 2.0, g(x, m)), X5),
    S(np.where, "where constant array", lambda x, m: np.where(x < 0, g(x, m), C5), X5),
    S(np.clip, "clip", lambda x, m: np.clip(g(x, m), 0.0, 1.0), X5),
    S(np.clip, "clip lower only", lambda x, m: np.clip(g(x, m), 0.5, None), X5),
    S(np.clip, "clip upper only", lambda x, m: np.clip(g(x, m), None, 0.5), X5),
    S(
        np.clip,
        "clip at the bounds",
        lambda x, m: np.clip(x, -0.5, 1.0),
        (-0.5, 0.2, 1.0, 1.5, -0.7),
        hessian=False,
    ),
    S(np.sort, "sort", lambda x, m: np.sort(g(x, m)), X5),
    S(np.sort, "sort axis=0 (2-D)", lambda x, m: np.sort(g2(x, m), axis=0), X6),
    S(np.sort, "sort axis=None (2-D)", lambda x, m: np.sort(g2(x, m), axis=None), X6),
    S(
        np.sort,
        "sort tie (2-way)",
        lambda x, m: np.sort(x),
        (2.0, -1.0, 2.0, 0.5, 3.0),
        hessian=False,
    ),
    S(np.take, "take", lambda x, m: np.take(g(x, m), [0, 2, 2, 4]), X5),
    S(np.take, "take scalar index", lambda x, m: np.take(g(x, m), 3), X5),
    S(np.take, "take axis=1 (2-D)", lambda x, m: np.take(g2(x, m), [2, 0], axis=1), X6),
    S(np.take, "take axis=None (2-D)", lambda x, m: np.take(g2(x, m), [5, 1]), X6),
    S(np.take, "take mode=wrap", lambda x, m: np.take(g(x, m), [0, 7, -6, 4], mode="wrap"), X5),
    S(np.take, "take mode=clip", lambda x, m: np.take(g(x, m), [-3, 2, 9, 4], mode="clip"), X5),
    S(np.take, "take mode=clip scalar index", lambda x, m: np.take(g(x, m), 11, mode="clip"), X5),
    S(
        np.take,
        "take axis=1 mode=wrap (2-D)",
        lambda x, m: np.take(g2(x, m), [4, -1, 3], axis=1, mode="wrap"),
        X6,
    ),
    S(
        np.take,
        "x.take axis=None mode=clip (2-D)",
        lambda x, m: g2(x, m).take([[7, -2], [3, 5]], mode="clip"),
        X6,
    ),
    S(
        np.take_along_axis,
        "take_along_axis",
        lambda x, m: np.take_along_axis(g2(x, m), np.array([[2, 0, 1], [1, 1, 0]]), axis=1),
        X6,
    ),
    # products
    S(np.dot, "dot vectors", lambda x, m: np.dot(g(x, m), x), X5),
    S(np.dot, "dot matrix-vector", lambda x, m: np.dot(M35, g(x, m)), X5),
    S(np.dot, "dot vector-matrix", lambda x, m: np.dot(g(x, m), M35.T), X5),
    S(np.dot, "dot matrices", lambda x, m: np.dot(g2(x, m), g2(x, m).T), X6),
    S(np.dot, "dot scalar", lambda x, m: np.dot(2.5, g(x, m)), X5),
    S(np.dot, "dot constant", lambda x, m: np.dot(g(x, m), C5), X5),
    S(np.outer, "outer", lambda x, m: np.outer(g(x, m), x), X5),
    S(np.outer, "outer constant left", lambda x, m: np.outer(C5[:3], g(x, m)), X5),
    S(np.outer, "outer constant right", lambda x, m: np.outer(g(x, m), C5[:2]), X5),
    S(np.matmul, "matmul vectors", lambda x, m: g(x, m) @ x, X5),
    S(np.matmul, "matmul matrix-vector", lambda x, m: M35 @ g(x, m), X5),
    S(np.matmul, "matmul vector-matrix", lambda x, m: g(x, m) @ M35.T, X5),
    S(np.matmul, "matmul matrices", lambda x, m: g2(x, m) @ g2(x, m).T, X6),
    S(np.matmul, "matmul constant matrix right", lambda x, m: g2(x, m) @ C32, X6),
    S(np.matmul, "matmul batched", lambda x, m: np.reshape(g(x, m), (2, 1, 3)) @ C32, X6),
    S(np.matmul, "np.matmul", lambda x, m: np.matmul(g2(x, m).T, g2(x, m)), X6),
]

# --- numpy.linalg and the matrix functions ------------------------------------------------------
# NumPy's linalg has no object-dtype loops, so these specs carry an explicit mpmath reference
# (``ref``) and skip the mpf mode. Eigen- and singular vectors are defined up to sign (and
# eigenvalues of a general matrix up to order): both sides normalise them with the same rule,
# computed from the numbers only (a constant, with no tangent).

X9 = (0.3, -0.7, 1.1, 0.45, -1.6, 0.8, -0.35, 1.3, 0.2)
B3 = np.array([[3.0, 0.5, 0.0], [0.2, 2.5, 0.1], [0.0, -0.3, 4.0]])


def _vals(a: Any) -> np.ndarray:
    """The numbers of a Dual or of an object array of mpf, as floats (for signs and orderings)."""
    return np.asarray(base_value(a), dtype=float)


def _mpm(a: Any) -> Any:
    return mpmath.matrix(np.asarray(a, dtype=object).tolist())


def _obj(M: Any) -> np.ndarray:
    return np.array(M.tolist(), dtype=object)


def A3(x: Any) -> Any:
    """A general, well-conditioned 3x3 matrix."""
    return np.reshape(x, (3, 3)) + B3


def S3(x: Any) -> Any:
    """Symmetric positive definite, with distinct eigenvalues."""
    a = np.reshape(x, (3, 3))
    return a @ a.T + np.eye(3)


def N3(x: Any) -> Any:
    """Not symmetric, with real distinct eigenvalues (near 1, 3, 6)."""
    return np.diag([1.0, 3.0, 6.0]) + 0.3 * np.reshape(x, (3, 3))


def T32(x: Any) -> Any:
    """Tall 3x2 with full column rank."""
    return np.reshape(x[:6], (3, 2)) + C32


def _colsign(V: Any) -> np.ndarray:
    v = _vals(V)
    i = np.argmax(np.abs(v), axis=0)
    return np.sign(v[i, np.arange(v.shape[1])])


def _eig_out(w: Any, V: Any) -> Any:
    return np.concatenate([w, np.ravel(V * _colsign(V))])


def _svd_out(u: Any, s: Any, vt: Any) -> Any:
    c = _colsign(u)
    return np.concatenate([np.ravel(u * c), s, np.ravel(vt * c[:, None])])


def _qr_out(q: Any, r: Any) -> Any:
    d = np.sign(np.diagonal(_vals(r)))
    return np.concatenate([np.ravel(q * d), np.ravel(r * d[:, None])])


def _sorted_eig(w: Any, V: Any) -> tuple[Any, Any]:
    o = np.argsort(_vals(w))
    return np.take(w, o), np.take(V, o, axis=1)


def _mp_eigh(a: Any) -> tuple[np.ndarray, np.ndarray]:
    E, Q = mpmath.eigsy(_mpm(a))
    n = Q.rows
    o = sorted(range(n), key=lambda i: E[i])
    return (
        np.array([E[i] for i in o], dtype=object),
        np.array([[Q[r, c] for c in o] for r in range(n)], dtype=object),
    )


def _mp_eig(a: Any) -> tuple[np.ndarray, np.ndarray]:
    E, ER = mpmath.eig(_mpm(a))
    n = ER.rows
    cols = []
    for c in range(n):
        v = [mpmath.re(ER[r, c]) for r in range(n)]
        nv = mpmath.sqrt(sum(t * t for t in v))
        cols.append([t / nv for t in v])  # NumPy's columns have unit length
    o = sorted(range(n), key=lambda i: mpmath.re(E[i]))
    return (
        np.array([mpmath.re(E[i]) for i in o], dtype=object),
        np.array([[cols[c][r] for c in o] for r in range(n)], dtype=object),
    )


def _mp_svd(a: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    U, S, V = mpmath.svd_r(_mpm(a))
    k = len(S)
    o = sorted(range(k), key=lambda i: -S[i])
    return (
        np.array([[U[r, c] for c in o] for r in range(U.rows)], dtype=object),
        np.array([S[i] for i in o], dtype=object),
        np.array([[V[r, c] for c in range(V.cols)] for r in o], dtype=object),
    )


def _mp_sv(a: Any) -> np.ndarray:
    return _mp_svd(a)[1]


def _mp_inv(a: Any) -> np.ndarray:
    return _obj(mpmath.inverse(_mpm(a)))


def _mp_pinv_tall(a: Any) -> np.ndarray:
    return _mp_inv(a.T.dot(a)).dot(a.T)


def _mp_abs(a: Any) -> np.ndarray:
    return np.vectorize(abs, otypes=[object])(np.asarray(a, dtype=object))


L = np.linalg
SPECS += [
    S(np.trace, "trace", lambda x, m: np.trace(A3(_sq(x, m))), X9),
    S(np.trace, "trace offset=1", lambda x, m: np.trace(A3(_sq(x, m)), offset=1), X9),
    S(np.diagonal, "diagonal", lambda x, m: np.diagonal(A3(_sq(x, m))), X9),
    S(np.diagonal, "diagonal offset=-1", lambda x, m: np.diagonal(A3(_sq(x, m)), -1), X9),
    S(np.tril, "tril", lambda x, m: np.tril(A3(_sq(x, m))), X9),
    S(np.tril, "tril k=-1", lambda x, m: np.tril(A3(_sq(x, m)), -1), X9),
    S(np.triu, "triu k=1", lambda x, m: np.triu(A3(_sq(x, m)), 1), X9),
    S(
        L.det,
        "det",
        lambda x, m: L.det(A3(x)),
        X9,
        mpf=False,
        ref=lambda x: mpmath.det(_mpm(A3(x))),
    ),
    S(
        L.slogdet,
        "slogdet",
        lambda x, m: L.slogdet(A3(x))[1],
        X9,
        mpf=False,
        ref=lambda x: mpmath.log(abs(mpmath.det(_mpm(A3(x))))),
    ),
    S(
        L.slogdet,
        "slogdet of a negative det",
        lambda x, m: L.slogdet(-A3(x))[1],
        X9,
        mpf=False,
        ref=lambda x: mpmath.log(abs(mpmath.det(_mpm(-A3(x))))),
    ),
    S(L.inv, "inv", lambda x, m: L.inv(A3(x)), X9, mpf=False, ref=lambda x: _mp_inv(A3(x))),
    S(
        L.solve,
        "solve",
        lambda x, m: L.solve(A3(x), m.sin(x[:3])),
        X9,
        mpf=False,
        ref=lambda x: _mp_inv(A3(x)).dot(MP_OPS.sin(x[:3])),
    ),
    S(
        L.solve,
        "solve matrix right-hand side",
        lambda x, m: L.solve(A3(x), np.reshape(x[3:9], (3, 2))),
        X9,
        mpf=False,
        ref=lambda x: _mp_inv(A3(x)).dot(np.reshape(x[3:9], (3, 2))),
    ),
    S(
        L.solve,
        "solve constant matrix",
        lambda x, m: L.solve(B3, x[:3] * x[:3]),
        X9,
        mpf=False,
        ref=lambda x: _mp_inv(B3.astype(object)).dot(x[:3] * x[:3]),
    ),
    S(
        L.solve,
        "solve constant right-hand side",
        lambda x, m: L.solve(A3(x), C5[:3]),
        X9,
        mpf=False,
        ref=lambda x: _mp_inv(A3(x)).dot(C5[:3].astype(object)),
    ),
    S(
        L.cholesky,
        "cholesky",
        lambda x, m: L.cholesky(S3(x)),
        X9,
        mpf=False,
        ref=lambda x: _obj(mpmath.cholesky(_mpm(S3(x)))),
    ),
    S(
        L.cholesky,
        "cholesky upper",
        lambda x, m: L.cholesky(S3(x), upper=True),
        X9,
        mpf=False,
        ref=lambda x: _obj(mpmath.cholesky(_mpm(S3(x)))).T,
    ),
    S(
        L.eigvalsh,
        "eigvalsh",
        lambda x, m: L.eigvalsh(S3(x)),
        X9,
        mpf=False,
        ref=lambda x: _mp_eigh(S3(x))[0],
    ),
    S(
        L.eigh,
        "eigh",
        lambda x, m: _eig_out(*L.eigh(S3(x))),
        X9,
        mpf=False,
        ref=lambda x: _eig_out(*_mp_eigh(S3(x))),
    ),
    S(
        L.eigh,
        "eigh UPLO=U",
        lambda x, m: _eig_out(*L.eigh(S3(x), UPLO="U")),
        X9,
        mpf=False,
        ref=lambda x: _eig_out(*_mp_eigh(S3(x))),
    ),
    S(
        L.eigvals,
        "eigvals",
        lambda x, m: np.take(L.eigvals(N3(x)), np.argsort(_vals(L.eigvals(N3(x))))),
        X9,
        mpf=False,
        ref=lambda x: _mp_eig(N3(x))[0],
    ),
    S(
        L.eig,
        "eig",
        lambda x, m: _eig_out(*_sorted_eig(*L.eig(N3(x)))),
        X9,
        mpf=False,
        ref=lambda x: _eig_out(*_mp_eig(N3(x))),
    ),
    S(
        L.svd,
        "svd values",
        lambda x, m: L.svd(A3(x), compute_uv=False),
        X9,
        mpf=False,
        ref=lambda x: _mp_sv(A3(x)),
    ),
    S(
        L.svd,
        "svd square",
        lambda x, m: _svd_out(*L.svd(A3(x))),
        X9,
        mpf=False,
        ref=lambda x: _svd_out(*_mp_svd(A3(x))),
    ),
    S(
        L.svd,
        "svd tall reduced",
        lambda x, m: _svd_out(*L.svd(T32(x), full_matrices=False)),
        X9,
        mpf=False,
        ref=lambda x: _svd_out(*_mp_svd(T32(x))),
    ),
    S(
        L.qr,
        "qr tall",
        lambda x, m: _qr_out(*L.qr(T32(x))),
        X9,
        mpf=False,
        ref=lambda x: _qr_out(*(_obj(M) for M in mpmath.qr(_mpm(T32(x)), mode="skinny"))),
    ),
    S(
        L.qr,
        "qr square",
        lambda x, m: _qr_out(*L.qr(A3(x))),
        X9,
        mpf=False,
        ref=lambda x: _qr_out(*(_obj(M) for M in mpmath.qr(_mpm(A3(x))))),
    ),
    S(
        L.qr,
        "qr mode=r",
        lambda x, m: np.ravel(
            L.qr(T32(x), mode="r") * np.sign(np.diagonal(_vals(L.qr(T32(x), mode="r"))))[:, None]
        ),
        X9,
        mpf=False,
        ref=lambda x: _qr_out(*(_obj(M) for M in mpmath.qr(_mpm(T32(x)), mode="skinny")))[6:],
    ),
    S(
        L.lstsq,
        "lstsq solution",
        lambda x, m: L.lstsq(T32(x), m.sin(x[6:9]), rcond=None)[0],
        X9,
        mpf=False,
        ref=lambda x: _mp_pinv_tall(T32(x)).dot(MP_OPS.sin(x[6:9])),
    ),
    S(
        L.lstsq,
        "lstsq residuals",
        lambda x, m: L.lstsq(T32(x), m.sin(x[6:9]), rcond=None)[1],
        X9,
        mpf=False,
        ref=lambda x: np.array(
            [
                np.sum(
                    (T32(x).dot(_mp_pinv_tall(T32(x)).dot(MP_OPS.sin(x[6:9]))) - MP_OPS.sin(x[6:9]))
                    ** 2
                )
            ],
            dtype=object,
        ),
    ),
    S(
        L.pinv,
        "pinv tall",
        lambda x, m: L.pinv(T32(x)),
        X9,
        mpf=False,
        ref=lambda x: _mp_pinv_tall(T32(x)),
    ),
    S(
        L.pinv,
        "pinv square",
        lambda x, m: L.pinv(A3(x)),
        X9,
        mpf=False,
        ref=lambda x: _mp_inv(A3(x)),
    ),
    S(
        L.matrix_power,
        "matrix_power 3",
        lambda x, m: L.matrix_power(A3(x), 3),
        X9,
        ref=lambda x: A3(x).dot(A3(x)).dot(A3(x)),
    ),
    S(
        L.matrix_power,
        "matrix_power 1",
        lambda x, m: L.matrix_power(A3(x), 1),
        X9,
        ref=lambda x: A3(x),
    ),
    S(
        L.matrix_power,
        "matrix_power 0",
        lambda x, m: L.matrix_power(A3(x), 0),
        X9,
        ref=lambda x: np.eye(3).astype(object),
    ),
    S(
        L.matrix_power,
        "matrix_power -2",
        lambda x, m: L.matrix_power(A3(x), -2),
        X9,
        mpf=False,
        ref=lambda x: _mp_inv(A3(x)).dot(_mp_inv(A3(x))),
    ),
    S(
        L.multi_dot,
        "multi_dot",
        lambda x, m: L.multi_dot([A3(x), B3, np.reshape(x, (3, 3))]),
        X9,
        ref=lambda x: A3(x).dot(B3).dot(np.reshape(x, (3, 3))),
    ),
    S(
        L.cond,
        "cond",
        lambda x, m: L.cond(A3(x)),
        X9,
        mpf=False,
        ref=lambda x: _mp_sv(A3(x))[0] / _mp_sv(A3(x))[-1],
    ),
    S(
        L.cond,
        "cond -2",
        lambda x, m: L.cond(A3(x), -2),
        X9,
        mpf=False,
        ref=lambda x: _mp_sv(A3(x))[-1] / _mp_sv(A3(x))[0],
    ),
    S(
        L.cond,
        "cond fro",
        lambda x, m: L.cond(A3(x), "fro"),
        X9,
        mpf=False,
        ref=lambda x: mpmath.sqrt(np.sum(A3(x) ** 2) * np.sum(_mp_inv(A3(x)) ** 2)),
    ),
    S(
        L.cond,
        "cond 1",
        lambda x, m: L.cond(A3(x), 1),
        X9,
        mpf=False,
        ref=lambda x: (
            max(np.sum(_mp_abs(A3(x)), axis=0)) * max(np.sum(_mp_abs(_mp_inv(A3(x))), axis=0))
        ),
    ),
    S(
        L.norm,
        "norm matrix ord=2",
        lambda x, m: L.norm(A3(x), 2),
        X9,
        mpf=False,
        ref=lambda x: _mp_sv(A3(x))[0],
    ),
    S(
        L.norm,
        "norm matrix ord=-2",
        lambda x, m: L.norm(A3(x), -2),
        X9,
        mpf=False,
        ref=lambda x: _mp_sv(A3(x))[-1],
    ),
    S(
        L.norm,
        "norm matrix nuc",
        lambda x, m: L.norm(A3(x), "nuc"),
        X9,
        mpf=False,
        ref=lambda x: np.sum(_mp_sv(A3(x))),
    ),
    S(
        L.norm,
        "norm matrix ord=1",
        lambda x, m: L.norm(A3(x), 1),
        X9,
        ref=lambda x: max(np.sum(_mp_abs(A3(x)), axis=0)),
    ),
    S(
        L.norm,
        "norm matrix ord=-1",
        lambda x, m: L.norm(A3(x), -1),
        X9,
        ref=lambda x: min(np.sum(_mp_abs(A3(x)), axis=0)),
    ),
    S(
        L.norm,
        "norm matrix ord=inf",
        lambda x, m: L.norm(A3(x), np.inf),
        X9,
        ref=lambda x: max(np.sum(_mp_abs(A3(x)), axis=1)),
    ),
    S(
        L.norm,
        "norm matrix ord=-inf",
        lambda x, m: L.norm(A3(x), -np.inf),
        X9,
        ref=lambda x: min(np.sum(_mp_abs(A3(x)), axis=1)),
    ),
    S(
        L.norm,
        "norm vector ord=-inf",
        lambda x, m: L.norm(g(x, m), -np.inf),
        X5,
        ref=lambda x: min(_mp_abs(g(x, MP_OPS))),
    ),
    S(
        L.norm,
        "norm vector ord=3",
        lambda x, m: L.norm(g(x, m), 3),
        X5,
        ref=lambda x: mpmath.cbrt(np.sum(_mp_abs(g(x, MP_OPS)) ** 3)),
    ),
    S(
        L.norm,
        "norm vector ord=0",
        lambda x, m: L.norm(g(x, m), 0),
        X5,
        ref=lambda x: mpf(int(np.count_nonzero(_vals(g(x, MP_OPS))))),
    ),
    S(
        L.norm,
        "norm axis=(1,2) (3-D)",
        lambda x, m: L.norm(g3(x, m), axis=(1, 2)),
        X6,
        ref=lambda x: np.array([mpmath.sqrt(np.sum(g(x, MP_OPS) ** 2))], dtype=object),
    ),
]


# --- statistics, products, rearrangements, ufunc methods ------------------------------------------


def _mp_round(a: Any, decimals: int = 0) -> np.ndarray:
    from .reference import _rint

    k = mpf(10) ** decimals
    return np.array([_rint(v * k) / k for v in np.ravel(a)], dtype=object).reshape(np.shape(a))


def _mp_interp(t: Any, xp: Any, fp: Any) -> np.ndarray:
    """Piecewise-linear interpolation (inside the table), as np.interp."""
    out = []
    xp = [mpmath.mpf(float(e)) for e in xp]  # exact knots: no step of the reference rounds
    for v in np.ravel(np.asarray(t, dtype=object)):
        v = mpmath.mpf(v)
        i = max(j for j in range(len(xp) - 1) if xp[j] <= v)
        w = (v - xp[i]) / (xp[i + 1] - xp[i])
        out.append(fp[i] + w * (fp[i + 1] - fp[i]))
    return np.array(out, dtype=object).reshape(np.shape(t))


def _written(a: Any, write: Any) -> Any:
    """A fresh copy of a (a Dual or an object array), written into in place by ``write``."""
    a = a + 0.0 * a
    write(a)
    return a


def _added_at(a: Any, idx: Any, b: Any, op: Any) -> Any:
    a = a + 0.0 * a  # a fresh array (a Dual or an object array) to write into
    op.at(a, idx, b)
    return a


def _mp_gradient(a: Any, spacing: Any = 1, axis: int = 0) -> np.ndarray:
    """np.gradient along one axis in object arithmetic (NumPy's own returns floats): central
    differences inside, one-sided first-order differences at the two ends."""
    a = np.moveaxis(np.asarray(a, dtype=object), axis, 0)
    out = np.empty(a.shape, dtype=object)
    out[1:-1] = (a[2:] - a[:-2]) / (2 * spacing)
    out[0] = (a[1] - a[0]) / spacing
    out[-1] = (a[-1] - a[-2]) / spacing
    return np.moveaxis(out, 0, axis)


def _like_filled(x: Any, m: Any, like: Any, first: Any = None) -> Any:
    """A new array from np.*_like, filled by item assignment (the way NumPy code builds results)."""
    y = like(g(x, m))
    if first is not None:
        y[0] = first
    y[1:] = g(x, m)[:-1] * x[1:]
    return y


XP = np.array([-3.0, -1.0, 0.25, 1.0, 3.0])
XP_INEXACT = np.array([-3.0, -0.7, 0.1, 0.3, 3.0])  # 0.3 - 0.1 rounds in floats
FP = np.array([2.0, -1.0, 0.5, 1.5, -2.0])
W6 = np.array([1.0, 2.0, 0.5, 3.0, 1.5, 2.5])

SPECS += [
    S(np.var, "var", lambda x, m: np.var(g(x, m)), X5),
    S(np.var, "var axis=1 ddof=1", lambda x, m: np.var(g2(x, m), axis=1, ddof=1), X6),
    S(np.var, "var keepdims", lambda x, m: np.var(g2(x, m), keepdims=True), X6),
    S(np.std, "std", lambda x, m: np.std(g(x, m)), X5),
    S(np.std, "std axis=0 ddof=1", lambda x, m: np.std(g2(x, m), axis=0, ddof=1), X6),
    S(
        np.round,
        "round",
        lambda x, m: np.round(g(x, m), 1),
        X5,
        ref=lambda x: _mp_round(g(x, MP_OPS), 1),
    ),
    S(
        np.around,
        "around",
        lambda x, m: np.around(g(x, m)),
        X5,
        ref=lambda x: _mp_round(g(x, MP_OPS)),
    ),
    S(
        np.fix,
        "fix",
        lambda x, m: np.fix(3 * g(x, m)),
        X5,
        ref=lambda x: np.array([mpmath.sign(v) * mpmath.floor(abs(v)) for v in 3 * g(x, MP_OPS)]),
    ),
    S(
        np.sinc,
        "sinc",
        lambda x, m: np.sinc(g(x, m)),
        X5,
        ref=lambda x: np.array([MP_UNARY["sinc"](v) for v in g(x, MP_OPS)], dtype=object),
    ),
    S(np.nansum, "nansum", lambda x, m: np.nansum(g(x, m)), X5),
    S(
        np.nansum,
        "nansum with a NaN",
        lambda x, m: np.nansum(np.concatenate([g(x, m), [np.nan]])),
        X5,
        mpf=True,
        ref=lambda x: np.sum(g(x, MP_OPS)),
    ),
    S(np.nanmean, "nanmean axis=1", lambda x, m: np.nanmean(g2(x, m), axis=1), X6),
    S(
        np.nanmean,
        "nanmean with a NaN",
        lambda x, m: np.nanmean(np.concatenate([g(x, m), [np.nan]])),
        X5,
        ref=lambda x: np.mean(g(x, MP_OPS)),
    ),
    S(np.nancumsum, "nancumsum", lambda x, m: np.nancumsum(g(x, m)), X5),
    S(np.nanmax, "nanmax", lambda x, m: np.nanmax(g(x, m)), X5),
    S(
        np.nanmax,
        "nanmax with a NaN",
        lambda x, m: np.nanmax(np.concatenate([g(x, m), [np.nan]])),
        X5,
        ref=lambda x: np.max(g(x, MP_OPS)),
    ),
    S(np.nanmin, "nanmin axis=0", lambda x, m: np.nanmin(g2(x, m), axis=0), X6),
    S(np.ptp, "ptp", lambda x, m: np.ptp(g(x, m)), X5),
    S(np.ptp, "ptp axis=1", lambda x, m: np.ptp(g2(x, m), axis=1), X6),
    S(np.average, "average", lambda x, m: np.average(g(x, m)), X5),
    S(np.average, "average weights", lambda x, m: np.average(g(x, m), weights=x * x + 1), X5),
    S(
        np.average,
        "average axis=1 constant weights",
        lambda x, m: np.average(g2(x, m), axis=1, weights=W6[:3]),
        X6,
    ),
    S(np.quantile, "quantile", lambda x, m: np.quantile(g(x, m), 0.3), X5),
    S(
        np.quantile,
        "quantile several axis=1",
        lambda x, m: np.quantile(g2(x, m), [0.25, 0.8], axis=1),
        X6,
    ),
    S(np.percentile, "percentile", lambda x, m: np.percentile(g(x, m), 40), X5),
    S(np.median, "median odd", lambda x, m: np.median(g(x, m)), X5),
    S(np.median, "median even", lambda x, m: np.median(g(x, m)), X6),
    S(np.median, "median axis=0", lambda x, m: np.median(g2(x, m), axis=0), X6),
    S(np.cumprod, "cumprod", lambda x, m: np.cumprod(g(x, m)), X5),
    S(np.cumprod, "cumprod axis=1", lambda x, m: np.cumprod(g2(x, m), axis=1), X6),
    S(np.cumulative_sum, "cumulative_sum", lambda x, m: np.cumulative_sum(g(x, m)), X5),
    S(
        np.cumulative_sum,
        "cumulative_sum include_initial",
        lambda x, m: np.cumulative_sum(g2(x, m), axis=1, include_initial=True),
        X6,
    ),
    S(np.einsum, "einsum ij,ij->i", lambda x, m: np.einsum("ij,ij->i", g2(x, m), g2(x, m)), X6),
    S(np.einsum, "einsum i,i", lambda x, m: np.einsum("i,i", g(x, m), x), X5),
    S(np.einsum, "einsum with a constant", lambda x, m: np.einsum("ij,jk->ik", g2(x, m), C32), X6),
    S(np.einsum, "einsum trace ii", lambda x, m: np.einsum("ii", A3(_sq(x, m))), X9),
    S(np.tensordot, "tensordot axes=1", lambda x, m: np.tensordot(g2(x, m), C32, axes=1), X6),
    S(
        np.tensordot,
        "tensordot both",
        lambda x, m: np.tensordot(g2(x, m), g2(x, m), axes=([1], [1])),
        X6,
    ),
    S(np.kron, "kron", lambda x, m: np.kron(g(x, m)[:2], x[2:4]), X5),
    S(np.kron, "kron constant", lambda x, m: np.kron(C5[:2], g(x, m)), X5),
    S(np.cross, "cross", lambda x, m: np.cross(g(x, m)[:3], x[2:5]), X5),
    S(np.cross, "cross constant", lambda x, m: np.cross(C5[:3], g(x, m)[1:4]), X5),
    S(np.inner, "inner", lambda x, m: np.inner(g(x, m), x), X5),
    S(np.inner, "inner 2-D", lambda x, m: np.inner(g2(x, m), g2(x, m)), X6),
    S(np.vdot, "vdot", lambda x, m: np.vdot(g2(x, m), g2(x, m)), X6),
    S(np.convolve, "convolve", lambda x, m: np.convolve(g(x, m), x[:3]), X5),
    S(np.convolve, "convolve same constant", lambda x, m: np.convolve(g(x, m), C5[:3], "same"), X5),
    S(np.convolve, "convolve valid", lambda x, m: np.convolve(C5, g(x, m)[:3], "valid"), X5),
    S(np.correlate, "correlate", lambda x, m: np.correlate(g(x, m), x[:3]), X5),
    S(np.correlate, "correlate full", lambda x, m: np.correlate(g(x, m), x[:3], "full"), X5),
    S(np.polyval, "polyval", lambda x, m: np.polyval(g(x, m)[:3], x), X5),
    S(np.polyval, "polyval constant coefficients", lambda x, m: np.polyval(C5[:4], g(x, m)), X5),
    S(np.trapezoid, "trapezoid", lambda x, m: np.trapezoid(g(x, m)), X5),
    S(
        np.trapezoid,
        "trapezoid with x",
        lambda x, m: np.trapezoid(g(x, m), np.cumsum(x * x + 1)),
        X5,
    ),
    S(np.trapezoid, "trapezoid dx axis=1", lambda x, m: np.trapezoid(g2(x, m), dx=0.5, axis=1), X6),
    S(
        np.interp,
        "interp",
        lambda x, m: np.interp(g(x, m), XP, FP),
        X5,
        ref=lambda x: _mp_interp(g(x, MP_OPS), XP, FP),
    ),
    S(
        np.interp,
        "interp, knot gaps inexact in binary",
        lambda x, m: np.interp(g(x, m), XP_INEXACT, FP),
        X5,
        ref=lambda x: _mp_interp(g(x, MP_OPS), XP_INEXACT, FP),
    ),
    S(
        np.interp,
        "interp table values",
        lambda x, m: np.interp(C5, XP, g(x, m)),
        X5,
        ref=lambda x: _mp_interp(C5, XP, g(x, MP_OPS)),
    ),
    S(np.linspace, "linspace", lambda x, m: np.linspace(g(x, m)[0], g(x, m)[1], 4), X5),
    S(
        np.linspace,
        "linspace endpoint=False",
        lambda x, m: np.linspace(g(x, m)[0], 2.0, 5, endpoint=False),
        X5,
    ),
    S(
        np.geomspace,
        "geomspace",
        lambda x, m: np.geomspace(m.exp(g(x, m)[0]), m.exp(x[1]), 4),
        X5,
        ref=lambda x: np.array(
            [
                mpmath.exp(g(x, MP_OPS)[0]) * (mpmath.exp(x[1] - g(x, MP_OPS)[0])) ** (mpf(k) / 3)
                for k in range(4)
            ],
            dtype=object,
        ),
    ),
    S(np.flip, "flip", lambda x, m: np.flip(g2(x, m), 0), X6),
    S(np.fliplr, "fliplr", lambda x, m: np.fliplr(g2(x, m)), X6),
    S(np.flipud, "flipud", lambda x, m: np.flipud(g2(x, m)), X6),
    S(np.rot90, "rot90", lambda x, m: np.rot90(g2(x, m)), X6),
    S(np.rot90, "rot90 k=3", lambda x, m: np.rot90(g2(x, m), 3), X6),
    S(np.roll, "roll", lambda x, m: np.roll(g(x, m), 2), X5),
    S(np.roll, "roll axis=1", lambda x, m: np.roll(g2(x, m), -1, axis=1), X6),
    S(np.tile, "tile", lambda x, m: np.tile(g(x, m), 2), X5),
    S(np.tile, "tile 2-D", lambda x, m: np.tile(g2(x, m), (2, 1)), X6),
    S(np.repeat, "repeat", lambda x, m: np.repeat(g(x, m), 2), X5),
    S(np.repeat, "repeat axis=0 counts", lambda x, m: np.repeat(g2(x, m), [1, 3], axis=0), X6),
    S(np.diag, "diag of a vector", lambda x, m: np.diag(g(x, m)), X5),
    S(np.diag, "diag of a matrix k=1", lambda x, m: np.diag(A3(_sq(x, m)), 1), X9),
    S(np.diagflat, "diagflat", lambda x, m: np.diagflat(g(x, m)[:3]), X5),
    S(np.delete, "delete", lambda x, m: np.delete(g(x, m), [1, 3]), X5),
    S(np.delete, "delete axis=1", lambda x, m: np.delete(g2(x, m), 0, axis=1), X6),
    S(np.split, "split", lambda x, m: np.stack(np.split(g(x, m), 3)), X6),
    S(
        np.array_split,
        "array_split",
        lambda x, m: np.concatenate(np.array_split(g(x, m), 3)[1:]),
        X5,
    ),
    S(np.hsplit, "hsplit", lambda x, m: np.hsplit(g2(x, m), 3)[1], X6),
    S(np.vsplit, "vsplit", lambda x, m: np.vsplit(g2(x, m), 2)[1], X6),
    S(np.dsplit, "dsplit", lambda x, m: np.dsplit(g3(x, m), 3)[2], X6),
    S(np.resize, "resize", lambda x, m: np.resize(g(x, m), (2, 4)), X5),
    S(np.atleast_3d, "atleast_3d", lambda x, m: np.atleast_3d(g(x, m)), X5),
    S(
        np.gradient,
        "gradient",
        lambda x, m: np.gradient(g(x, m)),
        X5,
        ref=lambda x: _mp_gradient(g(x, MP_OPS)),
    ),
    S(
        np.gradient,
        "gradient spacing",
        lambda x, m: np.gradient(g(x, m), 0.5),
        X5,
        ref=lambda x: _mp_gradient(g(x, MP_OPS), mpf("0.5")),
    ),
    S(
        np.gradient,
        "gradient 2-D",
        lambda x, m: np.stack(np.gradient(g2(x, m))),
        X6,
        ref=lambda x: np.stack(
            [_mp_gradient(g2(x, MP_OPS), 1, 0), _mp_gradient(g2(x, MP_OPS), 1, 1)]
        ),
    ),
    S(np.zeros_like, "zeros_like plus a constant", lambda x, m: np.zeros_like(g(x, m)) + 2.0, X5),
    S(np.zeros_like, "zeros_like filled", lambda x, m: _like_filled(x, m, np.zeros_like), X5),
    S(np.ones_like, "ones_like filled", lambda x, m: _like_filled(x, m, np.ones_like), X5),
    S(
        np.empty_like,
        "empty_like filled",
        lambda x, m: _like_filled(x, m, np.empty_like, first=1.5),
        X5,
    ),
    S(
        np.full_like,
        "full_like filled",
        lambda x, m: _like_filled(x, m, lambda a: np.full_like(a, 0.25)),
        X5,
    ),
    S(
        np.broadcast_arrays,
        "broadcast_arrays",
        lambda x, m: np.stack(
            np.broadcast_arrays(np.reshape(g(x, m), (1, 5)), np.reshape(x, (5, 1)))
        ),
        X5,
    ),
    S(np.meshgrid, "meshgrid", lambda x, m: np.stack(np.meshgrid(g(x, m)[:2], x[2:5])), X5),
    S(np.dstack, "dstack", lambda x, m: np.dstack([g2(x, m), np.ones((2, 3))]), X6),
    S(np.column_stack, "column_stack", lambda x, m: np.column_stack([g(x, m), x * x, C5]), X5),
    S(np.append, "append", lambda x, m: np.append(g(x, m), x[:2]), X5),
    S(np.append, "append axis=0", lambda x, m: np.append(g2(x, m), np.ones((1, 3)), axis=0), X6),
    S(np.insert, "insert", lambda x, m: np.insert(g(x, m), 2, x[0] * 3), X5),
    S(np.insert, "insert constants", lambda x, m: np.insert(g(x, m), [0, 3], [1.5, -2.0]), X5),
    S(np.select, "select", lambda x, m: np.select([x > 1, x < 0], [g(x, m), x**3], 0.25), X5),
    S(
        np.block,
        "block",
        lambda x, m: np.block([[g2(x, m), np.ones((2, 1))], [np.zeros((1, 3)), x[:1][None]]]),
        X6,
    ),
    S(np.pad, "pad constant", lambda x, m: np.pad(g(x, m), 2), X5),
    S(np.pad, "pad edge", lambda x, m: np.pad(g(x, m), (1, 2), mode="edge"), X5),
    S(np.pad, "pad reflect 2-D", lambda x, m: np.pad(g2(x, m), 1, mode="reflect"), X6),
    S(np.real, "real", lambda x, m: np.real(g(x, m)), X5),
    S(np.imag, "imag", lambda x, m: np.imag(g(x, m)) + x, X5),
    S(np.ldexp, "ldexp", lambda x, m: np.ldexp(g(x, m), 3), X5, ref=lambda x: g(x, MP_OPS) * 8),
    S(
        np.ldexp,
        "ldexp array exponents",
        lambda x, m: np.ldexp(g(x, m), np.array([1, -2, 0, 3, 1])),
        X5,
        ref=lambda x: g(x, MP_OPS) * np.array([2, mpf(1) / 4, 1, 8, 2], dtype=object),
    ),
    S((np.add, "reduce"), "np.add.reduce axis=1", lambda x, m: np.add.reduce(g2(x, m), axis=1), X6),
    S((np.multiply, "reduce"), "np.multiply.reduce", lambda x, m: np.multiply.reduce(g(x, m)), X5),
    S((np.maximum, "reduce"), "np.maximum.reduce", lambda x, m: np.maximum.reduce(g(x, m)), X5),
    S(
        (np.minimum, "reduce"),
        "np.minimum.reduce axis=0",
        lambda x, m: np.minimum.reduce(g2(x, m), axis=0),
        X6,
    ),
    S((np.add, "accumulate"), "np.add.accumulate", lambda x, m: np.add.accumulate(g(x, m)), X5),
    S(
        (np.multiply, "accumulate"),
        "np.multiply.accumulate",
        lambda x, m: np.multiply.accumulate(g2(x, m), axis=1),
        X6,
    ),
    S((np.add, "outer"), "np.add.outer", lambda x, m: np.add.outer(g(x, m), x[:3]), X5),
    S(
        (np.multiply, "outer"),
        "np.multiply.outer",
        lambda x, m: np.multiply.outer(C5[:2], g(x, m)),
        X5,
    ),
    S((np.subtract, "outer"), "np.subtract.outer", lambda x, m: np.subtract.outer(g(x, m), x), X5),
    S(
        (np.true_divide, "outer"),
        "np.divide.outer",
        lambda x, m: np.divide.outer(g(x, m), x * x + 1),
        X5,
    ),
    S(
        (np.add, "at"),
        "np.add.at",
        lambda x, m: _added_at(g(x, m), [0, 2, 0], x[:3] * x[:3], np.add),
        X5,
    ),
    S(
        (np.multiply, "at"),
        "np.multiply.at",
        lambda x, m: _added_at(g(x, m), [1, 1, 4], x[2:5], np.multiply),
        X5,
    ),
    S(
        np.put,
        "put",
        lambda x, m: _written(g(x, m), lambda y: np.put(y, [0, 3], x[:2] * x[:2])),
        X5,
    ),
    S(np.put, "put constants", lambda x, m: _written(g(x, m), lambda y: np.put(y, [4], [2.5])), X5),
    S(
        np.putmask,
        "putmask",
        lambda x, m: _written(g(x, m), lambda y: np.putmask(y, C5 > 0, x * 3)),
        X5,
    ),
    S(
        np.place,
        "place",
        lambda x, m: _written(g(x, m), lambda y: np.place(y, C5 < 0, x[:2] ** 3)),
        X5,
    ),
]


# numpy.fft (and np.angle): real functions of x through the complex transforms, against the
# transforms' definitions written with mpmath (NumPy would compute object arrays in complex128)
def _ri(y: Any) -> Any:
    """A real function of a complex array: Re y + Im y / 2."""
    if isinstance(y, np.ndarray) and y.dtype == object:
        return np.frompyfunc(lambda e: mpmath.re(e) + mpmath.im(e) / 2, 1, 1)(y)
    return np.real(y) + np.imag(y) / 2


def _mp_dft(a: Any, axis: int = -1, inverse: bool = False) -> Any:
    a = np.moveaxis(np.asarray(a, dtype=object), axis, -1)
    n = a.shape[-1]
    s = 1 if inverse else -1
    W = np.array([[mpmath.expjpi(s * mpmath.mpf(2 * j * k) / n) for k in range(n)]
                  for j in range(n)], dtype=object)  # fmt: skip
    out = a.dot(W.T) / (n if inverse else 1)
    return np.moveaxis(out, -1, axis)


def _mp_rfft(a: Any) -> Any:
    return _mp_dft(a)[..., : np.shape(a)[-1] // 2 + 1]


def _mp_irfft(X: Any) -> Any:
    m = np.shape(X)[-1]
    n = 2 * (m - 1)
    conj = np.frompyfunc(mpmath.conj, 1, 1)
    full = np.concatenate([X, conj(X[..., 1 : m - 1][..., ::-1])], axis=-1)
    full[..., 0] = np.frompyfunc(mpmath.re, 1, 1)(full[..., 0])
    full[..., m - 1] = np.frompyfunc(mpmath.re, 1, 1)(full[..., m - 1])
    assert full.shape[-1] == n
    return np.frompyfunc(mpmath.re, 1, 1)(_mp_dft(full, inverse=True))


_mconj = np.frompyfunc(mpmath.conj, 1, 1)
_FFT_SPECS = [
    (np.fft.fft, lambda y: _mp_dft(y), False),
    (np.fft.ifft, lambda y: _mp_dft(y, inverse=True), False),
    (np.fft.rfft, _mp_rfft, False),
    (np.fft.irfft, _mp_irfft, False),
    (np.fft.hfft, lambda y: _mp_irfft(_mconj(y)) * (2 * (np.shape(y)[-1] - 1)), False),
    (np.fft.ihfft, lambda y: _mconj(_mp_rfft(y)) / np.shape(y)[-1], False),
    (np.fft.fft2, lambda y: _mp_dft(_mp_dft(y), axis=-2), True),
    (np.fft.ifft2, lambda y: _mp_dft(_mp_dft(y, inverse=True), -2, True), True),
    (np.fft.fftn, lambda y: _mp_dft(_mp_dft(y), axis=-2), True),
    (np.fft.ifftn, lambda y: _mp_dft(_mp_dft(y, inverse=True), -2, True), True),
    (np.fft.rfft2, lambda y: _mp_dft(_mp_rfft(y), axis=-2), True),
    (np.fft.rfftn, lambda y: _mp_dft(_mp_rfft(y), axis=-2), True),
    (np.fft.irfft2, lambda y: _mp_irfft(_mp_dft(y, -2, True)), True),
    (np.fft.irfftn, lambda y: _mp_irfft(_mp_dft(y, -2, True)), True),
]


def _fft_spec(T: Any, ref: Any, two_d: bool) -> Spec:
    inner = g2 if two_d else g
    return S(T, f"fft.{T.__name__}", lambda x, m: _ri(T(inner(x, m))), X6 if two_d else X5,
             mpf=False, ref=lambda x: _ri(ref(inner(x, MP_OPS))))  # fmt: skip


SPECS += [_fft_spec(*e) for e in _FFT_SPECS]
SPECS += [
    S(np.fft.fftshift, "fft.fftshift", lambda x, m: np.fft.fftshift(g2(x, m)), X6),
    S(np.fft.ifftshift, "fft.ifftshift", lambda x, m: np.fft.ifftshift(g(x, m)), X5),
    S(np.angle, "angle of exp(i g)", lambda x, m: np.angle(m.exp(1j * g(x, m) / 4) * (1 + 1j)),
      X5, mpf=False,
      ref=lambda x: np.frompyfunc(mpmath.arg, 1, 1)(
          np.frompyfunc(mpmath.exp, 1, 1)(1j * g(x, MP_OPS) / 4) * (1 + 1j))),
]  # fmt: skip


#: functions whose result is not differentiated: checked against NumPy on the value
VALUE_ONLY: dict[Any, Callable[[Any], Any]] = {
    np.argmax: lambda a: np.argmax(a, axis=1),
    np.argmin: lambda a: np.argmin(a),
    np.argsort: lambda a: np.argsort(a, axis=0),
    np.nonzero: np.nonzero,
    np.shape: np.shape,
    np.ndim: np.ndim,
    np.size: np.size,
    np.linalg.matrix_rank: np.linalg.matrix_rank,
    np.argwhere: np.argwhere,
    np.flatnonzero: np.flatnonzero,
    np.count_nonzero: lambda a: np.count_nonzero(a, axis=0),
    np.searchsorted: lambda a: np.searchsorted(a[1], [0.0, 1.0]),
    np.isclose: lambda a: np.isclose(a, a + 1e-12),
    np.allclose: lambda a: np.allclose(a, a * 1.5),
    np.array_equal: lambda a: np.array_equal(a, a + 0.0),
    np.array_equiv: lambda a: np.array_equiv(a, a[0]),
    np.all: lambda a: np.all(a, axis=0),
    np.any: np.any,
    np.argpartition: lambda a: np.sort(np.argpartition(np.ravel(a), 2)[:2]),
    np.lexsort: lambda a: np.lexsort((a[0], a[1])),
    np.iscomplexobj: np.iscomplexobj,
    np.isrealobj: np.isrealobj,
}


def _name(f: Any) -> str:
    if isinstance(f, tuple):  # (ufunc, method)
        return f"numpy.{f[0].__name__}.{f[1]}"
    return f"{getattr(f, '__module__', 'numpy')}.{f.__name__}"


def test_every_registered_function_has_a_spec():
    """Adding a NumPy function, ufunc or ufunc method to dualdiff without a spec here fails."""
    covered = {s.func for s in SPECS} | set(VALUE_ONLY)
    missing = [_name(f) for f in ARRAY_FUNCTIONS if f not in covered]
    missing += [_name(k) for k in UFUNC_METHODS if k not in covered]
    elementwise = {e.fn for e in ELEMENTWISE}
    scipy_dispatch = set(SCIPY_DISPATCH)  # SciPy's ufuncs: their rows, and test_special's dispatch
    missing += [
        _name(u)
        for u in UFUNCS
        if u not in elementwise
        and u not in PREDICATE_UFUNCS
        and u not in covered
        and u not in scipy_dispatch
    ]
    assert not missing, f"registered NumPy functions without a spec in SPECS: {missing}"
    assert not UNREFERENCED, f"ufuncs without an mpmath reference (MP_ARITH_UFUNC): {UNREFERENCED}"


@cache
def _spec_reference(spec: Spec) -> tuple[Any, Any]:
    with mpmath.workdps(50):  # NumPy turns some object arrays into floats (np.gradient does)
        raw = spec.reference(mpf_array(spec.x))
    assert not (
        isinstance(raw, (np.ndarray, np.generic, float)) and np.asarray(raw).dtype.kind == "f"
    ), (
        f"{spec.label}: the reference came back as {np.asarray(raw).dtype}, not mpf: "
        "give the spec an explicit mpmath ref="
    )
    return cd_jacobian(spec.reference, spec.x)


def _spec_tol(J: Any) -> tuple[float, Any]:
    return 1e-12, 1e-13 * (max_abs(J) + 1)


@pytest.mark.parametrize("spec", SPECS, ids=repr)
def test_spec_value_and_shape(spec):
    x = np.array(spec.x)
    got = spec.f(dd.Dual(x, np.zeros_like(x)), DUAL_OPS)
    value = got.value if isinstance(got, dd.Dual) else got
    y0, _ = _spec_reference(spec)
    assert np.shape(value) == y0.shape, f"{spec.label}: shape {np.shape(value)}, NumPy's {y0.shape}"
    assert_array_close(value, y0, 1e-14, 1e-15, f"{spec.label} value")


@pytest.mark.parametrize("spec", SPECS, ids=repr)
def test_spec_array_jvp(spec):
    """One Dual over an array with a float tangent: J @ v."""
    x = np.array(spec.x)
    v = np.linspace(1.0, -0.6, len(x)) + 0.1 * np.arange(len(x)) ** 2
    value, tangent = dd.jvp(lambda t: spec.f(t, DUAL_OPS), x, v)
    y0, J = _spec_reference(spec)
    assert np.shape(tangent) == np.shape(value) == y0.shape, (spec.label, np.shape(tangent))
    rel, abs_ = _spec_tol(J)
    assert_array_close(tangent, J.dot(v.astype(object)), rel, abs_, f"{spec.label} jvp")


@pytest.mark.parametrize("chunk", [1, 3, 4, None])
@pytest.mark.parametrize("spec", SPECS, ids=repr)
def test_spec_vector_mode(spec, chunk):
    x = np.array(spec.x)
    got = dd.jacobian(lambda t: spec.f(t, DUAL_OPS), x, chunk=chunk)
    _, J = _spec_reference(spec)
    rel, abs_ = _spec_tol(J)
    assert_array_close(got, J, rel, abs_, f"{spec.label} jacobian chunk={chunk}")


@cache
def _spec_hessian_reference(spec: Spec) -> Any:
    def scalar(x):
        y = np.asarray(spec.reference(x), dtype=object)
        return np.sum(y * y)

    return cd_hessian(scalar, spec.x)


@pytest.mark.parametrize("spec", [s for s in SPECS if s.hessian], ids=repr)
def test_spec_nested_hessian(spec):
    x = np.array(spec.x)

    def scalar(t):
        y = spec.f(t, DUAL_OPS)
        return np.sum(y * y)

    got = dd.hessian(scalar, x)
    H = _spec_hessian_reference(spec)
    assert_array_close(got, H, 1e-10, 1e-11 * (max_abs(H) + 1), f"{spec.label} hessian")


@pytest.mark.parametrize("spec", [s for s in SPECS if s.mpf], ids=repr)
def test_spec_mpf(spec, mp50):
    """An object array of mpf (no entry a float) through the function: 40 correct digits."""
    xm = np.array([_mp_point(v) for v in spec.x], dtype=object)  # tied entries stay tied
    vm = mpf_array(np.linspace(1.0, -0.6, len(xm))) * (1 + mpf("1e-30"))
    _value, tangent = dd.jvp(lambda t: spec.f(t, DUAL_OPS), xm, vm)
    ref = cd_directional(spec.reference, xm, vm)
    assert np.shape(tangent) == ref.shape, (spec.label, np.shape(tangent), ref.shape)
    for idx in np.ndindex(ref.shape):
        _assert_mpf_result(np.asarray(tangent, dtype=object)[idx], f"{spec.label}[{idx}]")
    assert_array_close(tangent, ref, MP_REL, MP_REL * (max_abs(ref) + 1), f"{spec.label} mpf")


@pytest.mark.parametrize("func", list(VALUE_ONLY), ids=lambda f: f.__name__)
def test_value_only_functions_return_plain_values(func):
    a = np.array([[0.3, -1.2, 2.5], [1.1, 0.0, -0.4]])
    d = dd.Dual(a, np.ones_like(a))
    got, want = VALUE_ONLY[func](d), VALUE_ONLY[func](a)
    flat = got if isinstance(got, tuple) else (got,)
    assert not any(isinstance(r, dd.Dual) for r in flat), f"{func.__name__} returned a Dual"
    for r, w in zip(flat, want if isinstance(want, tuple) else (want,), strict=True):
        np.testing.assert_array_equal(r, w)


@pytest.mark.parametrize(
    "u", sorted(PREDICATE_UFUNCS & set(UFUNCS), key=lambda u: u.__name__), ids=lambda u: u.__name__
)
def test_predicate_ufuncs_return_plain_values(u):
    a = np.array([0.3, -1.2, 2.5, 0.0, np.inf, -0.0])
    b = np.array([0.3, 1.0, -2.5, 0.0, 1.0, 0.0])
    da, db = dd.Dual(a, np.ones_like(a)), dd.Dual(b, np.ones_like(b))
    with np.errstate(invalid="ignore"):
        calls = (
            [((da,), (a,))]
            if u.nin == 1
            else [((da, db), (a, b)), ((da, b), (a, b)), ((a, db), (a, b))]
        )
        for args, plain in calls:
            got = u(*args)
            assert not isinstance(got, dd.Dual) and isinstance(got, np.ndarray), u.__name__
            np.testing.assert_array_equal(got, u(*plain))
    scalar = u(dd.Dual(1.5, 1.0)) if u.nin == 1 else u(dd.Dual(1.5, 1.0), 1.5)
    assert not isinstance(scalar, dd.Dual) and scalar == (u(1.5) if u.nin == 1 else u(1.5, 1.5))


# --- ties: the tangent is split evenly among the tied arguments ----------------------------------

TIE_PAIRS = [dd.maximum, dd.minimum, np.maximum, np.minimum, np.fmax, np.fmin]


@pytest.mark.parametrize("fn", TIE_PAIRS, ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_binary_ties_split_evenly(fn, mp50):
    g = dd.derivative(fn)
    assert g.grad(1.0, 1.0) == (0.5, 0.5)
    assert dd.derivative(lambda x: fn(x, 1.0)).prime(1.0) == 0.5
    assert dd.derivative(lambda x: fn(1.0, x)).prime(1.0) == 0.5
    assert dd.derivative(lambda x: fn(x, x)).prime(-2.0) == 1.0
    arr = dd.derivative(lambda x: fn(x, 1.0)).prime(np.array([0.5, 1.0, 1.5]))
    np.testing.assert_array_equal(
        arr, [0.0, 0.5, 1.0] if fn in (dd.maximum, np.maximum, np.fmax) else [1.0, 0.5, 0.0]
    )
    got = g.grad(_mp_point(1.0), _mp_point(1.0))
    assert all(isinstance(v, mpmath.mpf) and v == mpf("0.5") for v in got), got
    # vector mode: a palindrome ties x[i] with x[n-1-i]
    x = np.array([1.0, 2.0, 3.0, 2.0, 1.0])
    want = 0.5 * (np.eye(5) + np.eye(5)[::-1])  # entry i: fn(x_i, x_{4-i}), all tied
    for chunk in CHUNKS:
        np.testing.assert_array_equal(dd.jacobian(lambda t: fn(t, t[::-1]), x, chunk=chunk), want)


@pytest.mark.parametrize("func", [np.max, np.min, np.amax, np.amin], ids=lambda f: f.__name__)
@pytest.mark.parametrize("chunk", CHUNKS)
def test_reduction_ties_split_evenly(func, chunk):
    sign = 1.0 if func in (np.max, np.amax) else -1.0
    x = sign * np.array([2.0, 2.0, 1.0])
    np.testing.assert_allclose(dd.gradient(func, x, chunk=chunk), [0.5, 0.5, 0.0], rtol=1e-15)
    x = sign * np.array([3.0, 1.0, 3.0, 3.0])
    np.testing.assert_allclose(
        dd.gradient(func, x, chunk=chunk), [1 / 3, 0.0, 1 / 3, 1 / 3], rtol=1e-15
    )
    # along an axis, keepdims: each column splits its own tie
    x = sign * np.array([1.0, 2.0, 0.5, 1.0, 2.0, 2.0])
    J = dd.jacobian(lambda t: func(np.reshape(t, (2, 3)), axis=0, keepdims=True), x, chunk=chunk)
    want = np.zeros((1, 3, 6))
    want[0, 0, [0, 3]] = 0.5
    want[0, 1, [1, 4]] = 0.5
    want[0, 2, 5] = 1.0
    np.testing.assert_allclose(J, want, rtol=1e-15)


def test_max_of_a_stacked_pair_splits_the_tangent():
    x = dd.Dual(1.0, 1.0)
    r = np.max(np.stack([x, x]))
    assert r.value == 1.0 and r.tangent == 1.0
    t = dd.Dual(np.array([1.0, 1.0]), np.array([1.0, 0.0]))  # d/dx0 of max(x0, x1) at a tie
    assert np.max(t).tangent == 0.5
    np.testing.assert_array_equal(dd.gradient(np.max, np.array([1.0, 1.0])), [0.5, 0.5])


@pytest.mark.parametrize("chunk", CHUNKS)
def test_clip_at_its_bounds_splits_the_tangent(chunk):
    assert dd.derivative(lambda x: np.clip(x, 1.0, None)).prime(1.0) == 0.5
    assert dd.derivative(lambda x: np.clip(x, None, 1.0)).prime(1.0) == 0.5
    d = dd.derivative(lambda x: np.clip(x, 1.0, 2.0)).prime(np.array([0.5, 1.0, 1.5, 2.0, 2.5]))
    np.testing.assert_array_equal(d, [0.0, 0.5, 1.0, 0.5, 0.0])
    x = np.array([0.5, 1.0, 1.5, 2.0, 2.5])
    np.testing.assert_array_equal(
        dd.jacobian(lambda t: np.clip(t, 1.0, 2.0), x, chunk=chunk), np.diag(d)
    )


def test_kink_conventions_in_every_mode(mp50):
    for fn in (dd.abs, abs, np.abs, np.fabs):
        f = dd.derivative(fn)
        assert f.prime(0.0) == 0.0 and f.prime(-0.0) == 0.0
        np.testing.assert_array_equal(f.prime(np.array([0.0, -0.0])), [0.0, 0.0])
        assert f.prime(mpf(0)) == 0
        np.testing.assert_array_equal(
            dd.jacobian(fn, np.array([0.0, 1.0, -2.0])), np.diag([0.0, 1.0, -1.0])
        )
    s = dd.derivative(dd.sign)
    assert s.prime(0.0) == 0.0 and s.prime.prime(0.0) == 0.0
    for fn in (dd.hypot, dd.arctan2, np.hypot, np.arctan2):
        assert dd.derivative(fn).grad(0.0, 0.0) == (0.0, 0.0)
        got = dd.derivative(fn).grad(np.zeros(2), np.zeros(2))
        np.testing.assert_array_equal(np.array(got), np.zeros((2, 2)))


# --- domain edges -------------------------------------------------------------------------------

RESTRICTED = [r for r in dd.RULES.values() if r.arity == 1 and r.domain != Domain()]


def _outside(domain: Domain) -> list[float]:
    pts = []
    if domain.lo > -math.inf:
        pts += [domain.lo - 1.0, domain.lo - 1e-3]
    if domain.hi < math.inf:
        pts += [domain.hi + 1e-3, domain.hi + 1.0]
    return pts


@pytest.mark.parametrize("rule", RESTRICTED, ids=lambda r: r.name)
def test_outside_the_domain_arrays_have_nan_value_and_no_finite_tangent(rule):
    xs = np.array(_outside(rule.domain))
    with np.errstate(all="ignore"):
        calls = {
            "rule": rule.fn(dd.Dual(xs, np.ones_like(xs))),
            "ufunc": rule.numpy(dd.Dual(xs, np.ones_like(xs)))
            if isinstance(rule.numpy, np.ufunc)
            else rule.fn(dd.Dual(xs, np.ones_like(xs))),
        }
        second = dd.derivative(dd.derivative(rule.fn).prime).prime(xs)
        jac = dd.jacobian(rule.fn, xs)
    extended = rule.numpy(xs)  # NaN outside, or SciPy's value there (entr(x < 0) = -inf)
    for how, r in calls.items():
        assert np.array_equal(r.value, extended, equal_nan=True), (rule.name, how, xs, r.value)
        assert not np.isfinite(r.value).any(), (rule.name, how, xs, r.value)
        assert not np.isfinite(r.tangent).any(), (
            f"{rule.name}({xs}) ({how}): value NaN but tangent {r.tangent} is finite"
        )
    assert not np.isfinite(second).any(), (rule.name, "f''", second)
    assert not np.isfinite(np.diag(jac)).any(), (rule.name, "jacobian", jac)


@pytest.mark.parametrize(
    "label, fn, xs",
    [
        ("x**0.5", lambda x: x**0.5, [-1.0, -4.0]),
        ("x**1.5", lambda x: x**1.5, [-1.0, -4.0]),
        ("x**-0.5", lambda x: x**-0.5, [-1.0, -4.0]),
        ("(-2.0)**x", lambda x: (-2.0) ** x, [0.5, 1.5]),
        ("x**x", lambda x: x**x, [-0.5, -1.5]),
        ("log(x, 3)", lambda x: dd.log(x, 3.0), [-1.0, -2.0]),
    ],
)
def test_outside_the_domain_operator_forms_on_arrays(label, fn, xs):
    """NaN value and a tangent that is no finite number (or a DomainError: refusing is not silent)."""
    xs = np.array(xs)
    try:
        with np.errstate(all="ignore"):
            r = fn(dd.Dual(xs, np.ones_like(xs)))
    except dd.DomainError:
        return
    assert np.isnan(r.value).all(), (label, r)
    assert not np.isfinite(r.tangent).any(), f"{label} at {xs}: value NaN, tangent {r.tangent}"


def _closed_edges() -> list[tuple[str, Callable[..., Any], Callable[..., Any], float, int, int]]:
    """(label, f, mpmath f, edge, direction into the domain, order): every singular row at each
    closed edge of its domain, cbrt at 0 (f' only: f'' has opposite infinite signs on the two
    sides) and the fractional powers at 0."""
    out = []
    for r in dd.RULES.values():
        if r.arity != 1 or not r.singular:
            continue
        for b, closed, direction in (
            (r.domain.lo, r.domain.closed_lo, 1),
            (r.domain.hi, r.domain.closed_hi, -1),
        ):
            if math.isfinite(b) and closed:
                out += [
                    (f"{r.name}^({k}) at {b}", r.fn, mp_function(r), b, direction, k)
                    for k in (1, 2)
                ]
    out.append(("cbrt^(1) at 0", dd.cbrt, MP_UNARY["cbrt"], 0.0, 1, 1))
    for label, fn in (("x**0.5", lambda x: x**0.5), ("x**(1/3)", lambda x: x ** (1 / 3))):
        out += [(f"{label}^({k}) at 0", fn, fn, 0.0, 1, k) for k in (1, 2)]
    out.append(("x**1.5^(2) at 0", lambda x: x**1.5, lambda x: x**1.5, 0.0, 1, 2))
    return out


#: closed edges where the first derivative diverges like a logarithm
LOG_SINGULAR = {"entr^(1) at 0.0"}


@pytest.mark.parametrize(
    "label, fn, mpfn, b, direction, order", _closed_edges(), ids=[c[0] for c in _closed_edges()]
)
def test_closed_domain_edges_have_the_one_sided_infinite_slope(
    label, fn, mpfn, b, direction, order, mp50
):
    """At a closed edge where a derivative is infinite (sqrt at 0, arcsin at ±1, ...): ±inf with
    the sign of the one-sided derivative from inside, the same for floats, arrays, -0.0 and mpf."""
    side = mp_diff(mpfn, b, order, direction=direction)
    # the reference really is unbounded (a logarithmic singularity, entr' = -ln x - 1, grows
    # only to ~100 at the difference's steps)
    assert abs(side) > (50 if label in LOG_SINGULAR else 1e12), (label, side)
    want = math.copysign(math.inf, float(side))
    f = dd.derivative(fn)
    d = f.prime if order == 1 else f.prime.prime
    for x in [b, -0.0] if b == 0.0 else [b]:
        assert d(x) == want, f"{label}: at {x!r} got {d(x)!r}, want {want}"
        with np.errstate(all="ignore"):
            arr = d(np.array([x]))
        assert arr[0] == want, f"{label}: at array [{x!r}] got {arr}, want {want}"
    got = d(mpf(b))
    assert got == want, f"{label}: at mpf({b}) got {got!r}, want {want}"


OPEN_EDGES = [
    (r.name, b)
    for r in dd.RULES.values()
    if r.arity == 1
    for b, closed in ((r.domain.lo, r.domain.closed_lo), (r.domain.hi, r.domain.closed_hi))
    if math.isfinite(b) and not closed
]


@pytest.mark.parametrize("name, b", OPEN_EDGES)
def test_open_domain_edges(name, b):
    """ln(0), log1p(-1), arctanh(±1): floats raise DomainError; arrays give an infinite value and
    a tangent that is not a finite number."""
    rule = dd.RULES[name]
    with pytest.raises(dd.DomainError):
        dd.derivative(rule.fn).prime(b)
    with np.errstate(all="ignore"):
        r = rule.fn(dd.Dual(np.array([b]), np.array([1.0])))
    assert np.isinf(r.value).all(), (name, r)
    assert not np.isfinite(r.tangent).any(), (name, b, r.tangent)


#: (label, f for Duals and mpf, point, order, the derivative's value there from a closed form in
#: mpmath: the limit from inside the domain). The true derivative is finite, but the computation
#: passes through an infinite slope: 0·inf must count as 0, never NaN.
FINITE_THROUGH_INFINITE = [
    ("x*sqrt(x)", lambda x: x * dd.sqrt(x), 0.0, 1, lambda x: 1.5 * mpmath.sqrt(x)),
    ("sqrt(x)*x", lambda x: dd.sqrt(x) * x, 0.0, 1, lambda x: 1.5 * mpmath.sqrt(x)),
    ("x*sqrt(x) at -0.0", lambda x: x * dd.sqrt(x), -0.0, 1, lambda x: 1.5 * mpmath.sqrt(x)),
    ("sqrt(x)**0", lambda x: dd.sqrt(x) ** 0, 0.0, 1, lambda x: mpf(0)),
    ("sqrt(x)**0 f''", lambda x: dd.sqrt(x) ** 0, 0.0, 2, lambda x: mpf(0)),
    ("sqrt(x)**0.0", lambda x: dd.sqrt(x) ** 0.0, 0.0, 1, lambda x: mpf(0)),
    ("x + 0*sqrt(x)", lambda x: x + 0 * dd.sqrt(x), 0.0, 1, lambda x: mpf(1)),
    ("x + 0.0*sqrt(x)", lambda x: x + 0.0 * dd.sqrt(x), 0.0, 1, lambda x: mpf(1)),
    ("x + sqrt(x)*0.0", lambda x: x + dd.sqrt(x) * 0.0, 0.0, 1, lambda x: mpf(1)),
    ("sqrt(x)**3", lambda x: dd.sqrt(x) ** 3, 0.0, 1, lambda x: 1.5 * mpmath.sqrt(x)),
    ("sqrt(x)**4", lambda x: dd.sqrt(x) ** 4, 0.0, 1, lambda x: 2 * x),
    ("x**2*sqrt(x)", lambda x: x**2 * dd.sqrt(x), 0.0, 1, lambda x: 2.5 * x**1.5),
    ("x**2*sqrt(x) f''", lambda x: x**2 * dd.sqrt(x), 0.0, 2, lambda x: 3.75 * mpmath.sqrt(x)),
    ("x**1.5", lambda x: x**1.5, 0.0, 1, lambda x: 1.5 * mpmath.sqrt(x)),
    ("x**0.5*x", lambda x: x**0.5 * x, 0.0, 1, lambda x: 1.5 * mpmath.sqrt(x)),
    ("x*cbrt(x)", lambda x: x * dd.cbrt(x), 0.0, 1, lambda x: mpf(4) / 3 * mpmath.cbrt(x)),
    (
        "x*exp(sqrt(x))",
        lambda x: x * dd.exp(dd.sqrt(x)),
        0.0,
        1,
        lambda x: mpmath.exp(mpmath.sqrt(x)) * (1 + mpmath.sqrt(x) / 2),
    ),
    ("arcsin(x)*(1-x)", lambda x: dd.arcsin(x) * (1 - x), 1.0, 1, lambda x: -mpmath.pi / 2),
    ("arccos(x)*(1+x)", lambda x: dd.arccos(x) * (1 + x), -1.0, 1, lambda x: mpmath.pi),
    ("(x-1)*arccosh(x)", lambda x: (x - 1) * dd.arccosh(x), 1.0, 1, lambda x: mpf(0)),
    ("sin(x*sqrt(x))", lambda x: dd.sin(x * dd.sqrt(x)), 0.0, 1, lambda x: mpf(0)),
]


@pytest.mark.parametrize("case", FINITE_THROUGH_INFINITE, ids=lambda c: c[0])
def test_finite_derivative_through_an_infinite_slope(case, mp50):
    label, fn, x, order, deriv = case
    f = dd.derivative(fn)
    d = f.prime if order == 1 else f.prime.prime
    want = deriv(mpf(x))
    with np.errstate(all="ignore"):
        got_float = d(x)
        got_array = d(np.array([x, 0.25 if x == 0 else x]))[0]
    got_mpf = d(mpf(x))
    for how, got in (("float", got_float), ("array", got_array), ("mpf", got_mpf)):
        assert not mpmath.isnan(got), f"{label}: d^{order} at {x!r} ({how}) is NaN, want {want}"
        assert close(got, want, 1e-15, 1e-300), f"{label} ({how}): got {got!r}, want {want}"
    assert got_float == got_array, f"{label}: float {got_float!r} != array {got_array!r}"
    # vector mode: the same function of the first input, plus a smooth term in the second
    for chunk in (1, 2):
        with np.errstate(all="ignore"):
            if order == 1:
                grad = dd.gradient(lambda t: fn(t[0]) + t[1] ** 2, np.array([x, 1.5]), chunk=chunk)
                assert close(grad[0], want, 1e-15, 1e-300) and grad[1] == 3.0, (label, chunk, grad)
