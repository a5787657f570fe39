"""dd.validate: passes on every rule-table row, fails on a planted wrong rule, handles edges."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

import dualdiff as dd
from dualdiff.validate import validate


@pytest.mark.parametrize("rule", list(dd.RULES.values()), ids=lambda r: r.name)
def test_validate_passes_on_every_row(rule):
    if rule.arity == 1:
        points = rule.domain.sample(20)
    else:
        rng = np.random.default_rng(5)
        points = [tuple(p) for p in rng.uniform(-4, 4, size=(20, 2))]
    report = validate(rule.fn, points, dps=50, rtol=1e-13)
    assert report.ok, str(report)
    assert len(report.rows) == 20 * rule.arity
    assert report.max_rel_error < 1e-13


def test_validate_second_derivatives_of_every_unary_row():
    for rule in dd.RULES.values():
        if rule.arity == 1:
            report = validate(rule.fn, rule.domain.sample(8), order=2, rtol=1e-12)
            assert report.ok, str(report)


def test_validate_fails_on_a_planted_wrong_rule():
    wrong = dd.register("test_wrong_sin", math.sin, lambda x, y: dd.cos(x) * (1 + 1e-9),
                        mpmath=mpmath.sin)  # fmt: skip
    try:
        report = validate(wrong, [0.3, 1.0, 2.0])
        assert not report.ok
        assert all(r.status == "FAIL" for r in report.rows)
        assert 5e-10 < report.max_rel_error < 2e-9
        assert "FAILED" in str(report) and "FAIL" in str(report).splitlines()[2]
    finally:
        del dd.RULES["test_wrong_sin"], dd.FUNCTIONS["test_wrong_sin"]


def test_report_table_columns_and_values():
    report = validate(lambda x: x**3, [2.0])
    text = str(report)
    head, cols, _ = text.splitlines()
    assert "against mpmath.diff at 50 digits" in head and "-> ok" in head
    for c in ("point", "dualdiff", "mpmath", "abs err", "rel err", "ulps", "status"):
        assert c in cols
    r = report.rows[0]
    assert r.dualdiff == 12.0 and r.mpmath == 12 and r.abs_error == 0.0 and r.ulps == 0.0
    assert repr(report).startswith("<ValidationReport")


def test_edges_use_one_sided_differences_or_say_edge():
    # sqrt at 0: central differences leave the domain; the slope is truly infinite
    r0 = validate(dd.sqrt, [0.0]).rows[0]
    assert r0.status == "inf ok" and r0.dualdiff == math.inf and r0.mpmath is None
    # x*sqrt(x) at 0: derivative 0 exists; only a one-sided difference can see it
    r1 = validate(lambda x: x * dd.sqrt(x), [0.0]).rows[0]
    assert r1.status.startswith("ok (one-sided") and r1.dualdiff == 0.0 and abs(r1.mpmath) < 1e-20
    # a smooth function at the edge of its domain: one-sided and accurate
    r2 = validate(lambda x: dd.sqrt(x) ** 4, [0.0]).rows[0]
    assert r2.status.startswith("ok (one-sided") and r2.dualdiff == 0.0 and r2.abs_error < 1e-50
    r3 = validate(lambda x: dd.sqrt(x) ** 3, [1e-300, 4.0])  # near the edge, smooth enough
    assert r3.ok
    # ln at 0 or below: no reference at all, and it is not reported as one
    for x in (0.0, -2.0):
        r = validate(dd.ln, [x]).rows[0]
        assert r.status.startswith("edge:") and r.mpmath is None and r.ok


def test_a_zero_derivative_is_judged_against_the_references_own_error():
    # x² e^x at 0: the derivative is exactly 0; mpmath's difference is only ~0
    row = validate(lambda x: x**2 * dd.exp(x), [0.0]).rows[0]
    assert row.dualdiff == 0.0 and row.mpmath != 0 and abs(row.mpmath) < 1e-40
    assert row.ok and row.rel_error == 0.0 and row.status.startswith("ok (reference ±")
    # ... while a wrong nonzero answer there still fails
    bad = dd.register("test_bad_sq", lambda x: x * x, lambda x, y: 2 * x + 1e-20,
                      mpmath=lambda x: x * x)  # fmt: skip
    try:
        assert not validate(bad, [0.0]).ok
    finally:
        del dd.RULES["test_bad_sq"], dd.FUNCTIONS["test_bad_sq"]


def test_several_arguments_are_validated_argument_by_argument():
    report = validate(lambda x, y: x * y**2 + dd.exp(x / y), [(1.0, 2.0), (0.5, -1.0)])
    assert [r.arg for r in report.rows] == [0, 0, 1, 1]
    assert report.ok
    assert "arg" in str(report).splitlines()[1]
    r2 = validate(lambda x, y: x * y**2, [(1.0, 2.0)], order=2)
    assert [row.dualdiff for row in r2.rows] == [0.0, 2.0]


def test_a_function_that_cannot_run_on_mpf_says_why():
    with pytest.raises(TypeError, match=r"use \.value .* dd\.sin"):
        validate(lambda x: math.sin(x), [1.0])  # refused already on the Dual side
    with pytest.raises(TypeError, match="returned a float for mpf arguments"):
        validate(lambda x: x * math.pi if isinstance(x, dd.Dual) else float(x) * 2, [1.0])
    with pytest.raises(ValueError, match="no points"):
        validate(dd.sin, [])
    with pytest.raises(ValueError, match="order must be"):
        validate(dd.sin, [1.0], order=0)
    with pytest.raises(ValueError, match="same number of arguments"):
        validate(lambda x, y: x, [(1.0, 2.0), 3.0])
