"""Property tests (hypothesis): the rules hold against their parts at random points."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import dualdiff as dd

finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)
positive = st.floats(1e-3, 1e3, allow_nan=False, allow_infinity=False)
settings.register_profile("dualdiff", max_examples=200, deadline=None)
settings.load_profile("dualdiff")

FUNCS = [dd.sin, dd.cos, dd.tanh, dd.arctan, lambda x: x**3, lambda x: dd.exp(x / 10)]


def prime(f, x):
    return dd.derivative(f).prime(x)


def near(a, b, rel=1e-12, abs_=1e-12):
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


@given(finite, st.sampled_from(FUNCS), st.sampled_from(FUNCS))
def test_product_rule_against_parts(x, g, h):
    lhs = prime(lambda t: g(t) * h(t), x)
    rhs = prime(g, x) * h(x) + g(x) * prime(h, x)
    assert near(lhs, rhs, abs_=1e-10 * (1 + abs(rhs)))


@given(finite, st.sampled_from(FUNCS))
def test_quotient_rule_against_parts(x, g):
    h = lambda t: 2.0 + dd.sin(t)  # never zero
    lhs = prime(lambda t: g(t) / h(t), x)
    rhs = (prime(g, x) * h(x) - g(x) * prime(h, x)) / h(x) ** 2
    assert near(lhs, rhs, abs_=1e-10 * (1 + abs(rhs)))


@given(st.floats(-5, 5), st.sampled_from(FUNCS), st.sampled_from(FUNCS))
def test_chain_rule_against_parts(x, g, h):
    lhs = prime(lambda t: g(h(t)), x)
    rhs = prime(g, h(x)) * prime(h, x)
    assert near(lhs, rhs, abs_=1e-10 * (1 + abs(rhs)))


@given(finite)
def test_pythagoras_has_zero_derivative(x):
    assert abs(prime(lambda t: dd.sin(t) ** 2 + dd.cos(t) ** 2, x)) < 1e-15


@given(positive)
def test_exp_of_ln_has_derivative_one(x):
    assert near(prime(lambda t: dd.exp(dd.ln(t)), x), 1.0, rel=1e-14)
    assert near(prime(lambda t: dd.ln(dd.exp(t / 100)), x), 0.01, rel=1e-14)


@given(positive, st.floats(-4, 4))
def test_power_rule_matches_exp_ln(x, n):
    assert near(prime(lambda t: t**n, x), prime(lambda t: dd.exp(n * dd.ln(t)), x), rel=1e-12)


@given(st.lists(finite, min_size=1, max_size=8))
def test_scalar_array_and_vector_paths_agree(xs):
    """The scalar path, the array path and vector mode must give the same numbers."""
    g = lambda t: dd.sin(t) * t**2 + dd.exp(-t * t)
    arr = np.array(xs)
    by_array = dd.derivative(g).prime(arr)
    by_scalar = [prime(g, x) for x in xs]
    by_jacobian = np.diag(dd.jacobian(g, arr)) if len(xs) > 1 else by_array
    np.testing.assert_allclose(by_array, by_scalar, rtol=1e-15, atol=1e-300)
    np.testing.assert_allclose(by_jacobian, by_scalar, rtol=1e-15, atol=1e-300)
