"""The Dual number: construction, operators (the basic rules), tags, edges and errors."""

from __future__ import annotations

import math
import warnings

import mpmath
import numpy as np
import pytest
import sympy

import dualdiff as dd
from dualdiff import Dual

from .conftest import close

X = sympy.Symbol("x")


def sym_check(f_dual, f_sym, points, rel=1e-14, order=1):
    """dualdiff's derivative of f against sympy's symbolic derivative, evaluated at 40 digits."""
    d = sympy.diff(f_sym, X, order)
    f = dd.derivative(f_dual)
    g = f.prime if order == 1 else f.prime.prime
    for p in points:
        ref = sympy.N(d.subs(X, sympy.Float(p, 40)), 40)
        assert close(g(p), mpmath.mpf(str(ref)), rel, 1e-300), (f_sym, p, g(p), ref)


# --- construction and the number protocol -----------------------------------------------------


def test_value_and_tangent_are_read_only():
    d = Dual(2.0, 3.0)
    assert (d.value, d.tangent, d.tag) == (2.0, 3.0, 0)
    for name in ("value", "tangent", "tag"):
        with pytest.raises(AttributeError):
            setattr(d, name, 1.0)
    with pytest.raises(AttributeError):
        d.extra = 1  # __slots__: no new attributes


def test_constructor_normalises_and_refuses():
    assert Dual(2).value == 2.0 and type(Dual(2).value) is float
    assert Dual(np.float64(1.5)).value == 1.5
    a = Dual(np.array([1, 2]), 1.0)
    assert a.value.dtype == np.float64 and a.tangent.tolist() == [1.0, 1.0]
    assert Dual([1.0, 2.0]).tangent.tolist() == [0.0, 0.0]
    with pytest.raises(TypeError, match="got str"):
        Dual("1")
    assert Dual(1j).value == 1j and Dual(1j).tangent == 0.0  # complex values: tests/test_complex.py
    with pytest.raises(TypeError, match="tangent is complex but the value is real"):
        Dual(1.0, 1j)
    with pytest.raises(ValueError, match="tangent has shape"):
        Dual(np.zeros(3), np.zeros(2))
    with pytest.raises(ValueError, match="tag must be"):
        Dual(1.0, 1.0, tag=-1)
    with pytest.raises(ValueError, match="larger than the tags inside"):
        Dual(Dual(1.0, 1.0, tag=5), 1.0, tag=5)


def test_repr_and_format():
    assert repr(Dual(1.5, -2.0)) == "Dual(1.5, -2.0)"
    assert repr(Dual(1.0, 1.0, tag=7)) == "Dual(1.0, 1.0, tag=7)"
    assert f"{Dual(1.5, -2.0):.2f}" == "1.50-2.00ε"
    assert f"{Dual(1.5, 2.0):.1f}" == "1.5+2.0ε"


def test_float_and_int_refuse_and_point_to_value():
    d = Dual(1.0, 1.0)
    for conv in (float, int, complex):
        with pytest.raises(TypeError, match=r"use \.value"):
            conv(d)
    with pytest.raises(TypeError, match=r"use \.value"):
        math.sin(d)
    with pytest.raises(TypeError, match="cannot become a NumPy array"):
        np.asarray(Dual(np.ones(2), np.ones(2)))


def test_comparisons_use_values():
    a, b = Dual(1.0, 5.0), Dual(2.0, -5.0)
    assert a < b and a <= b and b > a and b >= a and a != b
    assert a == Dual(1.0, 99.0) and a == 1.0 and 1.0 == a
    assert a < 1.5 and 0.5 < a
    assert bool(Dual(0.0, 1.0)) is False
    assert hash(a) == hash(1.0)
    np.testing.assert_array_equal(Dual(np.array([1.0, 3.0])) > 2.0, [False, True])
    x = Dual(-2.0, 1.0)
    assert (x if x > 0 else -x).tangent == -1.0  # branches on values work


# --- the basic rules, against sympy -----------------------------------------------------------

POINTS = [-3.5, -1.25, -0.3, 0.2, 0.9, 2.0, 7.25]
POS = [0.05, 0.3, 0.9, 1.0, 2.5, 7.25, 40.0]


def test_constant_rule():
    f = dd.derivative(lambda x: 3.0)
    assert f.prime(2.0) == 0.0 and f.prime.prime(2.0) == 0.0
    np.testing.assert_array_equal(f.prime(np.ones(3)), np.zeros(3))


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 7, -1, -2, -5])
def test_power_rule_integer(n):
    sym_check(lambda x: x**n, X**n, POINTS)
    sym_check(lambda x: x**n, X**n, POINTS, order=2, rel=1e-13)


@pytest.mark.parametrize("n", [0.5, 1.5, 2.5, -0.5, 1 / 3, 3.0, 2.0])
def test_power_rule_real_exponent(n):
    sym_check(lambda x: x**n, X ** sympy.Float(n, 40), POS, rel=1e-13)


@pytest.mark.parametrize("a", [0.5, 2.0, math.e, 10.0, 3])
def test_exponential_rule(a):
    sym_check(lambda x: a**x, sympy.Float(a, 40) ** X, POINTS, rel=1e-13)


def test_general_power_rule():
    sym_check(lambda x: x**x, X**X, POS, rel=1e-13)
    sym_check(lambda x: (1 + x * x) ** dd.sin(x), (1 + X**2) ** sympy.sin(X), POINTS, rel=1e-13)
    sym_check(lambda x: x**x, X**X, POS, rel=1e-12, order=2)


def test_sum_difference_product_quotient_rules():
    sym_check(lambda x: dd.sin(x) + x**3 - dd.exp(x), sympy.sin(X) + X**3 - sympy.exp(X), POINTS)
    sym_check(lambda x: dd.sin(x) * dd.exp(x), sympy.sin(X) * sympy.exp(X), POINTS)
    sym_check(lambda x: dd.sin(x) / (2 + dd.cos(x)), sympy.sin(X) / (2 + sympy.cos(X)), POINTS)
    sym_check(lambda x: 1 / x, 1 / X, POINTS)
    sym_check(lambda x: 2 - x, 2 - X, POINTS)
    sym_check(lambda x: -x * 4 + 1.5, -X * 4 + 1.5, POINTS)
    sym_check(lambda x: (x + 1) / 3, (X + 1) / 3, POINTS)


def test_chain_rule():
    sym_check(
        lambda x: dd.sin(dd.exp(dd.cos(x) ** 2)), sympy.sin(sympy.exp(sympy.cos(X) ** 2)), POINTS
    )
    sym_check(
        lambda x: dd.ln(1 + x**2) * dd.sqrt(1 + dd.tanh(x) ** 2),
        sympy.log(1 + X**2) * sympy.sqrt(1 + sympy.tanh(X) ** 2),
        POINTS,
        order=2,
        rel=1e-13,
    )


def test_operators_with_mpf_and_numpy_scalars():
    x = Dual(mpmath.mpf(2), mpmath.mpf(1))
    y = x * mpmath.mpf(3) + mpmath.mpf(1) / x - mpmath.mpf(2) ** x
    assert isinstance(y.value, mpmath.mpf)
    assert close(y.tangent, 3 - mpmath.mpf(1) / 4 - 4 * mpmath.log(2), mpmath.mpf("1e-14"))
    z = np.float64(2.0) * Dual(3.0, 1.0) + np.float32(1.0)
    assert isinstance(z, Dual) and z.tangent == 2.0


def test_unsupported_operands_name_both_types():
    with pytest.raises(TypeError, match="'Dual' and 'str'"):
        Dual(1.0, 1.0) + "a"
    with pytest.raises(TypeError, match="'NoneType' and 'Dual'"):
        None * Dual(1.0, 1.0)
    with pytest.raises(TypeError, match="modulus"):
        pow(Dual(1.0, 1.0), 2, 3)


# --- edges -----------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3, 4, 6])
def test_integer_power_at_zero_is_exact_to_every_order(n):
    f = dd.derivative(lambda x: x**n)
    d = f
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning either
        for k in range(n + 2):
            expect = float(math.perm(n, k)) if k == n else 0.0
            assert d(0.0) == expect, (n, k)
            a = d(np.zeros(3))
            np.testing.assert_array_equal(a, np.full(3, expect))
            d = d.prime


def test_zero_tangent_never_turns_into_nan():
    x = Dual(0.0, 0.0)
    for y in (dd.sqrt(x), x**0.5, dd.cbrt(x), dd.arcsin(Dual(1.0, 0.0)), dd.ln(x + 1e-300)):
        assert y.tangent == 0.0, y
    a = Dual(np.array([0.0, 4.0]), np.array([0.0, 1.0]))
    np.testing.assert_array_equal(dd.sqrt(a).tangent, [0.0, 0.25])
    # a constant zero times an infinite tangent, and a zero value times one
    assert dd.derivative(lambda x: x + 0.0 * dd.sqrt(x)).prime(0.0) == 1.0
    assert dd.derivative(lambda x: x * dd.sqrt(x)).prime(0.0) == 0.0
    # a zero slope times an infinite tangent
    assert dd.derivative(lambda x: dd.sqrt(x) ** 4).prime(0.0) == 0.0
    assert dd.derivative(lambda x: dd.sqrt(x) ** 2.5).prime(0.0) == 0.0


def test_truly_infinite_derivatives_are_inf():
    assert dd.derivative(dd.sqrt).prime(0.0) == math.inf
    assert dd.derivative(lambda x: x**0.5).prime(0.0) == math.inf
    assert dd.derivative(dd.cbrt).prime(0.0) == math.inf
    assert dd.derivative(dd.arccos).prime(1.0) == -math.inf
    assert dd.derivative(lambda x: 0.0**x).prime(2.0) == 0.0  # 0**x: no NaN from ln 0


def test_scalar_domain_errors_in_operators():
    with pytest.raises(dd.DomainError, match=r"division x / y needs y != 0, got y = 0\.0"):
        Dual(1.0, 1.0) / Dual(0.0, 1.0)
    with pytest.raises(ZeroDivisionError):  # also a ZeroDivisionError, as for floats
        1.0 / Dual(0.0, 1.0)
    with pytest.raises(dd.DomainError, match=r"x\*\*0\.5 needs x >= 0, got x = -1\.0"):
        Dual(-1.0, 1.0) ** 0.5
    with pytest.raises(dd.DomainError, match=r"x\*\*-1 needs x != 0, got x = 0\.0"):
        Dual(0.0, 1.0) ** -1
    with pytest.raises(dd.DomainError, match=r"a\*\*x needs a >= 0, got a = -2\.0"):
        (-2.0) ** Dual(0.5, 1.0)
    assert ((-2.0) ** Dual(2, 0.0)).value == 4.0  # zero tangent: no ln needed


# --- tags: nested differentiation is never confused -------------------------------------------


def test_perturbation_confusion_design_case():
    # d/dx [ x · (d/dy (x + y) at y=1) ] at x=1 is 1, not 2
    def inner(x):
        return dd.derivative(lambda y: x + y).prime(1.0)

    assert dd.derivative(lambda x: x * inner(x)).prime(1.0) == 1.0


def test_perturbation_confusion_siskind_pearlmutter():
    # d/dx [ x · d/dy (x · y) at y=2 ] at x=1  = d/dx [x²] = 2
    f = dd.derivative(lambda x: x * dd.derivative(lambda y: x * y).prime(2.0))
    assert f.prime(1.0) == 2.0
    # nested and mixed: d/dx d/dy (x² y³) = 6 x y²
    g = dd.derivative(lambda x: dd.derivative(lambda y: x**2 * y**3).prime(2.0))
    assert g.prime(3.0) == 6 * 3.0 * 4.0


def test_newer_tag_is_outer():
    a = Dual(1.0, 1.0, tag=3)
    b = Dual(2.0, 1.0, tag=9)
    p = a * b
    assert p.tag == 9 and isinstance(p.value, Dual) and p.value.tag == 3
    assert p.tangent == a  # d/d(eps9) of a·b is a
    assert Dual(Dual(1.0, 1.0), 0.0).tag > 0  # nesting by hand draws a fresh tag


# --- arrays: one Dual of arrays, and NumPy's protocols ------------------------------------------


def test_struct_of_arrays_and_ufuncs():
    x = Dual(np.linspace(0.1, 2, 5), np.ones(5))
    y = np.sin(x) * np.exp(x)
    assert isinstance(y, Dual) and isinstance(y.value, np.ndarray) and y.value.dtype == float
    assert y.tangent.dtype == float  # not an object array of Duals
    ref = np.cos(x.value) * np.exp(x.value) + np.sin(x.value) * np.exp(x.value)
    np.testing.assert_allclose(y.tangent, ref, rtol=1e-15)
    m = np.ones(5) * x
    assert isinstance(m, Dual) and isinstance(x * np.ones(5), Dual)
    assert isinstance(np.float64(2.0) ** x, Dual)
    np.testing.assert_array_equal(np.negative(x).tangent, -np.ones(5))
    np.testing.assert_array_equal(np.positive(x).tangent, np.ones(5))


def test_unary_plus_and_minus():
    d = Dual(1.5, -2.0)
    assert +d is d
    assert (-d).value == -1.5 and (-d).tangent == 2.0


def test_numpy_ufunc_without_rule_raises_naming_it():
    x = Dual(np.ones(3), np.ones(3))
    with pytest.raises(TypeError, match=r"numpy\.gcd has no dualdiff rule"):
        np.gcd(x, x)
    with pytest.raises(TypeError, match=r"numpy\.hypot\.reduce is not supported"):
        np.hypot.reduce(x)
    with pytest.raises(TypeError, match="keyword"):
        np.sin(x, out=np.empty(3))
    with pytest.raises(TypeError, match=r"numpy\.unwrap has no dualdiff rule"):
        np.unwrap(x)


def test_array_broadcasting_against_constants_keeps_tangent_shape():
    x = Dual(2.0, 1.0)
    y = x + np.arange(3.0)
    assert y.shape == (3,) and np.shape(y.tangent) == (3,)
    np.testing.assert_array_equal(np.sum(y).tangent, 3.0)
    z = np.arange(3.0) - x
    np.testing.assert_array_equal(z.tangent, [-1.0, -1.0, -1.0])


def test_indexing_iteration_and_shape():
    x = Dual(np.arange(6.0).reshape(2, 3), np.ones((2, 3)))
    assert x.shape == (2, 3) and x.ndim == 2 and x.size == 6 and len(x) == 2
    assert x.T.shape == (3, 2)
    row = x[1]
    assert row.shape == (3,) and row.tangent.tolist() == [1.0, 1.0, 1.0]
    el = x[1, 2]
    assert type(el.value) is float and el.value == 5.0  # back on the scalar path
    assert [r.shape for r in x] == [(3,), (3,)]
    with pytest.raises(TypeError, match="len"):
        len(Dual(1.0))


# --- the NaN policy (0·∞ = 0) and the power rules at 0: the same answer for floats and arrays ---

D = lambda f: dd.derivative(f).prime


@pytest.mark.parametrize(
    ("f", "x", "expected"),
    [
        (lambda x: dd.sqrt(x) ** 0, 0.0, 0.0),  # x**0 is constant whatever x' is
        (lambda x: x * dd.sqrt(x), 0.0, 0.0),  # (x^1.5)' = 1.5 sqrt(x)
        (lambda x: x + 0 * dd.sqrt(x), 0.0, 1.0),
        (lambda x: dd.sqrt(x) ** 4, 0.0, 0.0),
        (lambda x: x**x, 0.0, -math.inf),  # x^x (ln x + 1) -> -inf as x -> 0+
        (lambda x: x ** (2 * x), 0.0, -math.inf),
        (lambda x: x**x, 1.0, 1.0),
    ],
)
def test_nan_policy_same_for_floats_and_arrays(f, x, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning on the way either
        got_float = D(f)(x)
        got_array = D(f)(np.array([x, x]))
    assert got_float == expected
    assert np.array_equal(got_array, [got_float, got_float])


def test_zero_times_infinity_is_zero_but_nan_stays_nan():
    from dualdiff.conventions import lincomb, scale

    assert scale(0.0, math.inf) == 0.0 and scale(-math.inf, 0.0) == 0.0
    assert math.isnan(scale(math.nan, 0.0)) and math.isnan(scale(0.0, math.nan))
    assert scale(mpmath.mpf(0), mpmath.inf) == 0
    got = scale(np.array([0.0, 2.0, np.nan]), np.array([np.inf, np.inf, 0.0]))
    assert got[0] == 0.0 and got[1] == np.inf and np.isnan(got[2])
    assert lincomb((1.0, math.inf), (0.0, math.inf)) == math.inf


def test_power_overflow_raises_whatever_the_tangent():
    for t in (0.0, 1.0):
        with pytest.raises(OverflowError, match=r"x\*\*2 overflows a float at x = 1\.797e\+308"):
            dd.Dual(1.797e308, t) ** 2
        with pytest.raises(OverflowError, match=r"x\*\*3 overflows"):
            dd.Dual(1e200, t) ** 3
    assert (dd.Dual(1e200, 1.0) * dd.Dual(1e200, 1.0)).value == math.inf  # as float * float
