"""check_finite: the first operation that turns finite inputs into inf or NaN is named."""

from __future__ import annotations

import math

import numpy as np
import pytest

import dualdiff as dd
from dualdiff import Dual


def test_names_the_rule_where_the_trouble_starts():
    f = dd.derivative(lambda x: dd.exp(dd.sqrt(x - 1.0)) * 2.0)
    with dd.check_finite(), pytest.raises(dd.NonFiniteError, match=r"^sqrt\(array"):
        f.prime(np.array([1.0, 2.0]))


def test_names_the_operator():
    with dd.check_finite(), pytest.raises(dd.NonFiniteError, match=r"^multiply\(1e\+308, 10"):
        dd.derivative(lambda x: x * 1e308 * 10).prime(1.0)
    with dd.check_finite(), pytest.raises(dd.NonFiniteError, match=r"^divide\(1e\+300, 1e-10"):
        dd.derivative(lambda x: (x * 1e300) / 1e-10).prime(1.0)
    with pytest.raises(OverflowError):  # a float power that overflows raises, as for floats
        dd.derivative(lambda x: 10.0**x).prime(400.0)


def test_non_finite_inputs_pass_through():
    x = Dual(math.inf, 1.0)
    with dd.check_finite():
        y = x * 2.0 + dd.exp(x)  # already inf: not where the trouble starts
    assert y.value == math.inf


def test_operators_are_restored_and_nesting_works():
    before = {n: Dual.__dict__.get(n) for n in ("__add__", "__mul__", "__pow__")}
    with dd.check_finite():
        with dd.check_finite():
            assert (Dual(1.0, 1.0) * 2.0).tangent == 2.0
        with pytest.raises(dd.NonFiniteError):  # still checking after the inner block
            Dual(1e308, 1.0) * 10.0
    assert {n: Dual.__dict__.get(n) for n in before} == before
    assert (Dual(1e308, 1.0) * 10.0).value == math.inf  # no checking outside
