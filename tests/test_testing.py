"""dualdiff.testing: an assertion for users' own test suites."""

from __future__ import annotations

import math

import mpmath
import pytest

import dualdiff as dd
from dualdiff.testing import assert_derivative_matches_mpmath


def test_passes_and_returns_the_report():
    report = assert_derivative_matches_mpmath(lambda x: dd.exp(x) * dd.sin(x), [0.0, 0.7, 2.0])
    assert report.ok and len(report.rows) == 3


def test_failure_message_is_the_report_table():
    wrong = dd.register("test_wrong_exp", math.exp, lambda x, y: y * 1.001, mpmath=mpmath.exp)
    try:
        with pytest.raises(AssertionError) as info:
            assert_derivative_matches_mpmath(wrong, [0.5, 1.0])
        msg = str(info.value)
        assert "FAILED" in msg and "rel err" in msg and msg.count("FAIL") >= 3
    finally:
        del dd.RULES["test_wrong_exp"], dd.FUNCTIONS["test_wrong_exp"]


def test_order_and_tolerance_are_passed_through():
    assert_derivative_matches_mpmath(lambda x: x**5, [1.5], order=3)
    points = [0.1 * k + 0.05 for k in range(10)]
    assert_derivative_matches_mpmath(lambda x: dd.exp(x) * dd.sin(x), points, rtol=1e-14)
    with pytest.raises(AssertionError):  # no tolerance at all: float rounding shows at 50 digits
        assert_derivative_matches_mpmath(lambda x: dd.exp(x) * dd.sin(x), points, rtol=0.0,
                                         atol=0.0)  # fmt: skip


def test_nothing_compared_is_a_failure():
    with pytest.raises(AssertionError, match="nothing compared") as info:
        assert_derivative_matches_mpmath(dd.ln, [-1.0, 0.0])  # no point has a reference
    assert str(info.value).count("edge:") == 2


def test_mixed_partials_and_the_work_limit_are_passed_through():
    report = assert_derivative_matches_mpmath(lambda x, y: x * y**2, [(3.0, 2.0)], order=2,
                                              mixed=True)  # fmt: skip
    assert [r.dualdiff for r in report.rows] == [0.0, 4.0, 6.0]  # 0, 2y, 2x
    with pytest.raises(ValueError, match="work_limit"):
        assert_derivative_matches_mpmath(dd.sin, [1.0], work_limit=1e-9)
    with pytest.raises(ValueError, match=r"dps must be an int >= 15 .*got 0"):
        assert_derivative_matches_mpmath(dd.sin, [1.0], dps=0)
