"""Every rule-table row against mpmath.diff at 50 digits: floats, arrays, mpf; f' and f''."""

from __future__ import annotations

import math
import random

import mpmath
import numpy as np
import pytest

import dualdiff as dd
from dualdiff.rules import RULES, Domain

from .conftest import close

# the core table (SciPy's rows: test_systematic and tests/scipy/test_special.py)
CORE = [r for r in RULES.values() if r.module == "dualdiff"]
UNARY = [r for r in CORE if r.arity == 1]
BINARY = [r for r in CORE if r.arity == 2]
REL = 1e-13  # dualdiff vs mpmath on float inputs (issue 2's bound), relative
ABS = 1e-300  # an absolute floor only for derivatives that are (nearly) exactly 0
ABS2 = 1e-40  # f'' of a linear row is 0; mpmath.diff at 50 digits leaves ~1e-64 there


def _points(rule) -> list[float]:
    pts = rule.domain.sample(24)
    lo, hi = rule.domain.lo, rule.domain.hi
    if lo > -math.inf:  # close to the lower edge of the domain, inside it
        pts += [lo + 1e-3, lo + 0.1]
    if hi < math.inf:
        pts += [hi - 1e-3, hi - 0.1]
    smooth = [p for p in pts if not (rule.nonsmooth and rule.nonsmooth(p))]
    return smooth if len(smooth) % 2 == 0 else smooth[:-1]


def _reference(rule, x, order: int):
    with mpmath.workdps(50):
        return mpmath.diff(rule.mpmath, mpmath.mpf(x), order)


def _pairs(n: int = 24) -> list[tuple[float, float]]:
    rng = random.Random(1234)
    return [(rng.uniform(-5, 5), rng.uniform(-5, 5)) for _ in range(n)]


@pytest.mark.parametrize("rule", UNARY, ids=lambda r: r.name)
@pytest.mark.parametrize("order", [1, 2])
def test_unary_floats(rule, order):
    f = dd.derivative(rule.fn)
    d = f.prime if order == 1 else f.prime.prime
    for x in _points(rule):
        got = d(x)
        assert isinstance(got, float)
        ref = _reference(rule, x, order)
        assert close(got, ref, REL, ABS if order == 1 else ABS2), (rule.name, x, got, ref)


@pytest.mark.parametrize("rule", UNARY, ids=lambda r: r.name)
def test_unary_generic_slope_on_floats(rule):
    """Under check_finite floats take the generic slope, not float_deriv: check that one too."""
    f = dd.derivative(rule.fn)
    with dd.check_finite():
        for x in _points(rule):
            assert close(f.prime(x), _reference(rule, x, 1), REL, ABS), (rule.name, x)


@pytest.mark.parametrize("rule", UNARY, ids=lambda r: r.name)
@pytest.mark.parametrize("order", [1, 2])
def test_unary_arrays(rule, order):
    f = dd.derivative(rule.fn)
    d = f.prime if order == 1 else f.prime.prime
    xs = np.array(_points(rule))
    got = d(xs.reshape(-1, 2))  # any shape, elementwise
    assert isinstance(got, np.ndarray) and got.shape == (len(xs) // 2, 2)
    for x, g in zip(xs, got.ravel(), strict=True):
        assert close(g, _reference(rule, x, order), REL, ABS if order == 1 else ABS2), (
            rule.name,
            x,
        )


@pytest.mark.parametrize("rule", UNARY, ids=lambda r: r.name)
@pytest.mark.parametrize("order", [1, 2])
def test_unary_mpf(rule, order, mp50):
    f = dd.derivative(rule.fn)
    d = f.prime if order == 1 else f.prime.prime
    for x in _points(rule):
        xm = mpmath.mpf(x) + mpmath.mpf("1e-30")  # not a float: needs the full precision
        got = d(xm)
        assert isinstance(got, mpmath.mpf)
        ref = mpmath.diff(rule.mpmath, xm, order)
        assert close(got, ref, mpmath.mpf("1e-40"), mpmath.mpf("1e-45")), (rule.name, x)


def _smooth_pairs(rule, n: int = 24) -> list[tuple[float, float]]:
    return [p for p in _pairs(n) if not (rule.nonsmooth and rule.nonsmooth(*p))]


@pytest.mark.parametrize("rule", BINARY, ids=lambda r: r.name)
def test_binary_partials(rule):
    g = dd.derivative(rule.fn)
    for a, b in _smooth_pairs(rule):
        got = g.grad(a, b)
        arr = g.grad(np.array([a]), np.array([b]))
        with mpmath.workdps(50):
            refs = [
                mpmath.diff(rule.mpmath, (mpmath.mpf(a), mpmath.mpf(b)), order)
                for order in ((1, 0), (0, 1))
            ]
        for gi, ai, ri in zip(got, arr, refs, strict=True):
            assert close(gi, ri, REL, ABS), (rule.name, a, b, gi, ri)
            assert close(ai[0], ri, REL, ABS), (rule.name, a, b)


@pytest.mark.parametrize("rule", BINARY, ids=lambda r: r.name)
def test_binary_second_partials(rule):
    g = dd.derivative(rule.fn)
    for a, b in _smooth_pairs(rule, 8):
        got = g.partial(0).partial(1)(a, b)
        with mpmath.workdps(50):
            ref = mpmath.diff(rule.mpmath, (mpmath.mpf(a), mpmath.mpf(b)), (1, 1))
        assert close(got, ref, 1e-12, ABS), (rule.name, a, b, got, ref)


@pytest.mark.parametrize("rule", [r for r in UNARY if r.domain != Domain()], ids=lambda r: r.name)
def test_domain_errors_name_function_and_value(rule):
    bad = rule.domain.lo - 1.0 if rule.domain.lo > -math.inf else rule.domain.hi + 1.0
    for x in (bad, mpmath.mpf(bad), dd.Dual(bad, 1.0)):
        with pytest.raises(dd.DomainError, match=rf"^{rule.name}\(x\) needs .*got x = -?\d"):
            rule.fn(x)


def test_domain_error_message_matches_design():
    with pytest.raises(ValueError, match=r"^ln\(x\) needs x > 0, got x = -1\.0$"):
        dd.ln(-1.0)


def test_arrays_follow_numpy_outside_the_domain():
    with np.errstate(invalid="ignore", divide="ignore"):
        v = dd.ln(np.array([-1.0, 0.0, 1.0]))
        d = dd.derivative(dd.sqrt).prime(np.array([-1.0, 4.0]))
    assert np.isnan(v[0]) and v[1] == -np.inf and v[2] == 0.0
    assert np.isnan(d[0]) and d[1] == 0.25


def test_every_row_is_a_numpy_ufunc_override():
    for rule in UNARY:
        x = dd.Dual(np.array(rule.domain.sample(2)), np.array([1.0, 1.0]))
        if isinstance(rule.numpy, np.ufunc):
            a, b = rule.numpy(x), rule.fn(x)
            assert isinstance(a, dd.Dual)
            np.testing.assert_array_equal(a.tangent, b.tangent)


def test_log_any_base():
    f = dd.derivative(lambda x: dd.log(x, 3.0))
    with mpmath.workdps(50):
        for x in (0.1, 1.0, 7.5, 100.0):
            ref = mpmath.diff(lambda t: mpmath.log(t, 3), mpmath.mpf(x))
            assert close(f.prime(x), ref, REL)
    assert dd.log(8.0, 2) == 3.0 and dd.log(1000.0, 10) == 3.0
    assert dd.log(math.e) == 1.0
    # the base may vary too: d/db log_b(x) = -ln x / (b ln² b)
    g = dd.derivative(lambda b: dd.log(5.0, b))
    ref = -math.log(5.0) / (2.0 * math.log(2.0) ** 2)
    assert close(g.prime(2.0), ref, REL)
    for base in (1.0, 0.0, -2.0):
        with pytest.raises(dd.DomainError, match="base > 0 and base != 1"):
            dd.log(2.0, base)


def test_register_a_user_function(register):
    sig = register(
        "test_sigmoid",
        lambda x: 1 / (1 + math.exp(-x)),
        lambda x, y: y * (1 - y),
        numpy=lambda x: 1 / (1 + np.exp(-x)),
        mpmath=lambda x: 1 / (1 + mpmath.exp(-x)),
    )
    assert dd.RULES["test_sigmoid"].fn is sig and dd.FUNCTIONS["test_sigmoid"] is sig
    f = dd.derivative(sig)
    with mpmath.workdps(50):
        for x in (-3.0, 0.0, 2.5):
            ref1 = mpmath.diff(lambda t: 1 / (1 + mpmath.exp(-t)), mpmath.mpf(x))
            ref2 = mpmath.diff(lambda t: 1 / (1 + mpmath.exp(-t)), mpmath.mpf(x), 2)
            assert close(f.prime(x), ref1, REL)
            assert close(f.prime.prime(x), ref2, 1e-12, 1e-15)
    np.testing.assert_allclose(f.prime(np.array([0.0])), [0.25])


def test_register_refuses_names_already_taken(register):
    register("test_taken", math.exp, lambda x, y: y)
    for name in ("test_taken", "sin", "asin", "sigmoid"):
        with pytest.raises(ValueError, match=f"'{name}' is already in the rule table"):
            dd.register(name, math.exp, lambda x, y: y)
    with pytest.raises(ValueError, match="'acos' is already"):
        dd.register("test_new", math.exp, lambda x, y: y, aliases=("acos",))
    assert "test_new" not in dd.FUNCTIONS


def test_unregister_removes_the_row_aliases_and_ufunc_links():
    dd.register("test_gone", np.exp, lambda x, y: y, numpy=np.exp2, aliases=("test_gone2",))
    dd.unregister("test_gone")
    assert "test_gone" not in dd.RULES and "test_gone2" not in dd.FUNCTIONS
    assert dd.dual.UFUNCS[np.exp2] is dd.exp2
    with pytest.raises(ValueError, match="'test_gone' is not in the rule table"):
        dd.unregister("test_gone")


def test_register_refuses_mpf_without_mpmath_and_bad_signatures(register):
    tw = register("test_twice", lambda x: 2 * x, lambda x, y: 2.0)
    assert tw(3.0) == 6.0
    np.testing.assert_array_equal(tw(np.array([1.0, 2.0])), [2.0, 4.0])
    with pytest.raises(TypeError, match="test_twice has no mpmath implementation"):
        tw(mpmath.mpf(1))
    with pytest.raises(ValueError, match="deriv must take"):
        dd.register("test_bad", math.exp, lambda: 1.0)


def test_functions_refuse_unsupported_kinds():
    with pytest.raises(TypeError, match=r"sin\(\) takes .* got str"):
        dd.sin("1.0")
    with pytest.raises(TypeError, match=r"hypot\(\) takes .* got str, float"):
        dd.hypot("a", 1.0)
    assert dd.exp(1j) == complex(math.cos(1), math.sin(1))  # holomorphic rows take complex
    with pytest.raises(TypeError, match=r"floor\(\) takes real numbers only, .* not holomorphic"):
        dd.floor(1j)


def test_abs_kink_and_hypot_origin_conventions():
    assert dd.derivative(dd.abs).prime(0.0) == 0.0
    assert dd.derivative(abs).prime(0.0) == 0.0  # the builtin goes through Dual.__abs__
    g = dd.derivative(dd.hypot)
    assert g.grad(0.0, 0.0) == (0.0, 0.0)
    assert dd.derivative(dd.arctan2).grad(0.0, 0.0) == (0.0, 0.0)
    m = dd.derivative(dd.maximum)
    assert m.grad(1.0, 1.0) == (0.5, 0.5)  # ties split the tangent


# --- regressions: each was a silent wrong number ---------------------------------------------

D = lambda f: dd.derivative(f).prime


def test_sqrt_slope_at_negative_zero_is_plus_infinity():
    assert D(dd.sqrt)(-0.0) == math.inf
    assert D(dd.sqrt)(0.0) == math.inf
    assert D(lambda x: x**0.5)(-0.0) == math.inf
    assert D(dd.sqrt)(np.array([-0.0, 0.0]))[0] == math.inf


def test_arccosh_slope_does_not_overflow():
    # 1/sqrt(x² - 1) = 1e-160 at 1e160, where (x - 1)(x + 1) overflows
    assert D(dd.arccosh)(1e160) == pytest.approx(1e-160, rel=1e-15)
    assert D(dd.arccosh)(np.array([1e160]))[0] == pytest.approx(1e-160, rel=1e-15)


@pytest.mark.parametrize("x", [1e16, -1e16, 1e300, 0.0, 3.5])
def test_logaddexp_of_equal_arguments_has_slope_one(x):
    assert D(lambda x: dd.logaddexp(x, x))(x) == 1.0
    assert D(lambda x: dd.logaddexp(x, 2.0 * x))(x) == pytest.approx(
        float(1 / (1 + mpmath.exp(x)) + 2 / (1 + mpmath.exp(-x))), rel=1e-15
    )


@pytest.mark.parametrize("name", ["ln", "log2", "log10", "log1p", "sqrt", "arcsin", "arccosh"])
def test_outside_the_domain_an_array_tangent_is_not_a_number(name):
    f = dd.FUNCTIONS[name]
    x = np.array([-3.0, -2.0, 0.5 if name != "arccosh" else 2.0])
    with np.errstate(invalid="ignore", divide="ignore"):
        y = f(dd.Dual(x, 1.0))
    assert np.isnan(y.value[:2]).all() and np.isnan(y.tangent[:2]).all()
    assert np.isfinite(y.value[2]) and np.isfinite(y.tangent[2])


def test_fmax_and_fmin_ignore_nan_and_share_ties():
    a = dd.Dual(np.array([np.nan, 1.0, 2.0]), 1.0)
    b = dd.Dual(np.array([1.0, 1.0, np.nan]), 10.0)
    r = np.fmax(a, b)
    assert np.array_equal(r.value, [1.0, 1.0, 2.0]) and np.array_equal(r.tangent, [10.0, 5.5, 1.0])
    r = np.maximum(a, b)
    assert np.isnan(r.value[0]) and np.isnan(r.tangent[0]) and r.tangent[1] == 5.5
    r = np.fmin(a, b)
    assert np.array_equal(r.tangent, [10.0, 5.5, 1.0])


def test_tie_convention_is_the_same_everywhere():
    """At a tie the tangent is shared evenly among the tied arguments (JAX's convention)."""
    at1 = [
        D(lambda x: np.maximum(x, 1.0))(1.0),
        D(lambda x: np.minimum(x, 1.0))(1.0),
        D(lambda x: np.fmax(x, 1.0))(1.0),
        D(lambda x: dd.maximum(1.0, x))(1.0),
        D(lambda x: np.clip(x, 1.0, None))(1.0),
        D(lambda x: np.clip(x, None, 1.0))(1.0),
        D(lambda x: np.clip(x, 1.0, 2.0))(1.0),
    ]
    assert at1 == [0.5] * 7
    assert np.array_equal(dd.gradient(np.max, [1.0, 1.0, 0.0]), [0.5, 0.5, 0.0])
    assert np.array_equal(dd.gradient(np.min, [2.0, 2.0, 2.0]), [1 / 3] * 3)
