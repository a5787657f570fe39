"""dd.validate: passes on every rule-table row, fails on a planted wrong rule, handles edges."""

from __future__ import annotations

import math
import re
import time

import mpmath
import numpy as np
import pytest

import dualdiff as dd
from dualdiff.expr import parse
from dualdiff.rules import Domain
from dualdiff.validate import validate
from dualdiff.workload import estimate_seconds

from .reference import POINTS, row_cases, sample

CASES = [c for r in dd.RULES.values() for c in row_cases(r)]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.label)
def test_validate_passes_on_every_row(case):
    if case.label in POINTS:
        points = list(POINTS[case.label])
    elif case.arity == 1:
        points = case.domains[0].sample(20)
    elif all(d == Domain() for d in case.domains):
        rng = np.random.default_rng(5)
        points = [tuple(p) for p in rng.uniform(-4, 4, size=(20, 2))]
    else:
        cols = [sample(d, 20, f"{case.label}-{i}") for i, d in enumerate(case.domains)]
        points = list(zip(*cols, strict=True))
    report = validate(case.fn, points, dps=50, rtol=1e-13)
    assert report.ok, str(report)
    assert len(report.rows) == len(points) * case.arity
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


# --- nothing compared, argument checks, mixed partials, the work bound ---------------------


def test_a_report_that_compared_nothing_is_not_ok():
    report = validate(dd.ln, [-1.0, -2.0])  # every point outside the domain: all edges
    assert [r.status[:5] for r in report.rows] == ["edge:", "edge:"]
    assert report.compared == 0 and not report.ok
    assert "FAILED: nothing compared" in str(report).splitlines()[0]
    assert "compared=0 ok=False" in repr(report)
    partly = validate(dd.ln, [-1.0, 2.0])  # one edge, one real comparison: ok, and says so
    assert partly.ok and partly.compared == 1
    assert "-> ok (1 of 2 rows compared)" in str(partly)
    assert partly.rows[1].mpmath == mpmath.mpf(1) / 2


BAD_ARGUMENTS = [
    ({"dps": 0}, "dps", 0),
    ({"dps": -3}, "dps", -3),
    ({"dps": 5}, "dps", 5),  # fewer digits than a double: a wrong rule used to pass
    ({"dps": 50.0}, "dps", 50.0),
    ({"dps": True}, "dps", True),
    ({"dps": "50"}, "dps", "50"),
    ({"order": 0}, "order", 0),
    ({"order": -1}, "order", -1),
    ({"order": 1.5}, "order", 1.5),
    ({"order": True}, "order", True),
    ({"rtol": math.nan}, "rtol", math.nan),
    ({"rtol": math.inf}, "rtol", math.inf),
    ({"rtol": -1e-12}, "rtol", -1e-12),
    ({"rtol": "tight"}, "rtol", "tight"),
    ({"atol": math.nan}, "atol", math.nan),
    ({"atol": -1.0}, "atol", -1.0),
    ({"mixed": "yes"}, "mixed", "yes"),
    ({"work_limit": 0}, "work_limit", 0),
    ({"work_limit": math.nan}, "work_limit", math.nan),
]


@pytest.mark.parametrize(("kwargs", "name", "value"), BAD_ARGUMENTS, ids=lambda v: repr(v))
def test_bad_arguments_are_a_value_error_naming_them(kwargs, name, value):
    with pytest.raises(ValueError, match=rf"validate: {name} must .*got {re.escape(repr(value))}"):
        validate(dd.sin, [1.0], **kwargs)


def test_bad_points_are_refused_by_name():
    with pytest.raises(ValueError, match=r"points must be finite, got nan"):
        validate(dd.sin, [1.0, math.nan])
    with pytest.raises(
        ValueError, match=r"a point must be a number \(real or complex\) .* got 'a'"
    ):
        validate(dd.sin, ["a"])
    with pytest.raises(TypeError, match="points must be a list"):
        validate(dd.sin, 1.0)
    rows = validate(lambda x, y: x * y, np.array([[1.0, 2.0]])).rows  # a 2-d array of points
    assert [(r.point, r.dualdiff) for r in rows] == [((1.0, 2.0), 2.0), ((1.0, 2.0), 1.0)]


def test_too_few_digits_can_no_longer_pass_a_wrong_rule():
    wrong = dd.register("test_wrong_sin5", math.sin, lambda x, y: dd.cos(x) * (1 + 1e-9),
                        mpmath=mpmath.sin)  # fmt: skip
    try:
        with pytest.raises(ValueError, match="dps must be an int >= 15"):
            validate(wrong, [0.3, 1.0], dps=5)  # at 5 digits this rule used to pass
        assert not validate(wrong, [0.3, 1.0], dps=15).ok  # the fewest digits allowed see it
    finally:
        del dd.RULES["test_wrong_sin5"], dd.FUNCTIONS["test_wrong_sin5"]


def test_mixed_partials_are_checked_when_asked():
    f = lambda x, y: x**2 * y**3
    report = validate(f, [(1.0, 2.0), (-1.5, 0.5)], order=2, mixed=True)
    assert [r.wrt for r in report.rows] == [(0, 0), (0, 0), (0, 1), (0, 1), (1, 1), (1, 1)]
    # 2y³, 6xy², 6x²y at (1, 2) and (-1.5, 0.5)
    assert [r.dualdiff for r in report.rows] == [16.0, 0.25, 24.0, -2.25, 12.0, 6.75]
    assert report.ok and all(r.mpmath == r.dualdiff for r in report.rows)
    assert "every partial of order 2" in str(report) and "0,1" in str(report)
    third = validate(lambda x, y: x * y**2, [(1.0, 2.0)], order=3, mixed=True)
    assert [r.wrt for r in third.rows] == [(0, 0, 0), (0, 0, 1), (0, 1, 1), (1, 1, 1)]
    assert [r.dualdiff for r in third.rows] == [0.0, 0.0, 2.0, 0.0] and third.ok


def test_a_log_like_infinite_slope_is_recognised():
    # x**x at 0: the slope x**x (ln x + 1) tends to -inf like ln x (slowly); it used to FAIL
    row = validate(lambda x: x**x, [0.0]).rows[0]
    assert row.dualdiff == -math.inf and row.status == "inf ok"
    # ... while an infinite slope where the true one is finite (0 here) still fails
    bad = dd.register("test_bad_inf", lambda x: math.sqrt(x) ** 3, lambda x, y: math.inf + 0 * x,
                      mpmath=lambda x: mpmath.sqrt(x) ** 3, domain=dd.rules.Domain(0.0))  # fmt: skip
    try:
        row = validate(bad, [0.0]).rows[0]
        assert row.dualdiff == math.inf and row.status == "FAIL"
    finally:
        del dd.RULES["test_bad_inf"], dd.FUNCTIONS["test_bad_inf"]


def test_differences_that_do_not_settle_compare_nothing():
    # abs'' at 0: the second difference grows without bound (1e53, ±1e74); it used to pass
    report = validate(dd.abs, [0.0], order=2)
    assert report.rows[0].status.startswith("edge: mpmath's differences do not settle")
    assert not report.ok and report.compared == 0
    h = validate(lambda x, y: dd.hypot(x, y), [(0.0, 0.0)], order=2, mixed=True)
    assert [r.compared for r in h.rows] == [False, True, False] and h.ok


HEAVY = "exp(sin(x))*atan(x)/(1+x**2) + log(1+x*x)*cos(x)**3"


def test_the_work_is_bounded_and_the_bound_can_be_lifted():
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match=r"would take about \d+ min \(work_limit=30 s\)") as info:
        validate(parse(HEAVY), [0.1 * k for k in range(1, 2001)], dps=500, order=8)
    assert time.perf_counter() - t0 < 1.0  # refused before any mpmath work
    assert "fewer points, a lower order or fewer digits" in str(info.value)
    assert "work_limit=None" in str(info.value)
    with pytest.raises(ValueError, match="work_limit"):
        validate(dd.sin, [1.0], work_limit=1e-9)
    assert validate(dd.sin, [1.0], work_limit=None).ok


def test_the_work_estimate_grows_with_points_digits_and_order():
    e = parse(HEAVY)
    base = estimate_seconds(e, 10, dps=50, order=2)
    assert estimate_seconds(e, 20, dps=50, order=2) == pytest.approx(2 * base)
    assert estimate_seconds(e, 10, dps=200, order=2) > 2 * base
    assert estimate_seconds(e, 10, dps=50, order=4) > 2 * base
    assert estimate_seconds(parse("x*x"), 10, dps=50, order=2) < base / 5  # no elementary fns
    assert estimate_seconds(parse("x*y"), 10, 2, order=2, mixed=True) > estimate_seconds(
        parse("x*y"), 10, 2, order=2)  # fmt: skip
    # 2000 points of the heavy expression at 500 digits, order 8: about half an hour here
    assert 600 < estimate_seconds(e, 2000, dps=500, order=8) < 7200


def test_the_work_estimate_does_not_undershoot_much():
    e = parse(HEAVY)
    t0 = time.perf_counter()
    validate(e, [0.3, 0.7], dps=300, order=3)
    took = time.perf_counter() - t0
    assert took < 5 * estimate_seconds(e, 2, dps=300, order=3)  # measured: ~0.5x the estimate


def test_huge_arguments_get_a_step_that_is_not_lost_in_rounding():
    # mpmath's absolute step (2**-179 at 50 digits) vanished beside 1e300: the reference was 0
    report = validate(lambda x: x * x, [1e300 / 3, -1e200, 5e-324])
    assert report.ok and [r.status for r in report.rows] == ["ok", "ok", "ok"]
    assert [r.dualdiff for r in report.rows] == [2e300 / 3, -2e200, 1e-323]
    assert abs(report.rows[0].mpmath / (mpmath.mpf(2e300) / 3) - 1) < 1e-16


# --- complex points: f'(z) of a holomorphic f against mpmath.diff on mpc ------------------------

QUADRANT_POINTS = [0.7 + 0.4j, -0.7 + 0.4j, -0.7 - 0.4j, 0.7 - 0.4j, mpmath.mpc(1.3, 2.1),
                   np.complex128(-2.2 - 1.1j)]  # fmt: skip
HOLOMORPHIC = sorted(n for n, r in dd.RULES.items() if r.complex == "holomorphic")


@pytest.mark.parametrize("name", HOLOMORPHIC)
def test_complex_points_check_every_holomorphic_row(name):
    """Each holomorphic row at points in all four quadrants: f' and f'' against mpmath."""
    fn = dd.RULES[name].fn
    for order in (1, 2):
        report = validate(fn, QUADRANT_POINTS, dps=40, order=order, rtol=1e-12)
        assert report.ok and report.compared == len(QUADRANT_POINTS), str(report)
        assert all(isinstance(r.dualdiff, complex) and isinstance(r.mpmath, mpmath.mpc)
                   for r in report.rows)  # fmt: skip


def test_complex_points_in_a_composite_and_with_several_arguments():
    f = lambda z: dd.exp(z) * dd.sin(z) / (1 + z * z) + dd.ln(z) ** 2
    report = validate(f, QUADRANT_POINTS, dps=50)
    assert report.ok and report.max_rel_error < 1e-14, str(report)
    g = lambda x, z: x * dd.exp(z) + z**3  # a real and a complex argument: every partial
    report = validate(g, [(0.5, 1 + 2j), (-1.5, -0.3 - 0.8j)])
    assert report.ok and len(report.rows) == 4, str(report)
    assert "(1+2j)" in str(report)


def test_a_planted_wrong_rule_fails_at_complex_points_too():
    wrong = dd.register("test_wrong_csin", math.sin, lambda x, y: dd.cos(x) * (1 + 1e-9),
                        mpmath=mpmath.sin, cmath=__import__("cmath").sin)  # fmt: skip
    try:
        report = validate(wrong, [0.3 + 0.2j, -1 - 1j])
        assert not report.ok and all(r.status == "FAIL" for r in report.rows)
        assert 5e-10 < report.max_rel_error < 2e-9
    finally:
        dd.unregister("test_wrong_csin")


def test_a_function_that_is_not_holomorphic_is_refused_with_primes_message():
    with pytest.raises(ValueError, match=r"validate: .*not holomorphic there.*∂f/∂z̄"):
        validate(lambda z: z * dd.conj(z), [1 + 2j])
    with pytest.raises(ValueError, match="not holomorphic"):
        validate(lambda z: abs(z), [0.5 - 1j])


def test_complex_singular_points_are_edges():
    report = validate(dd.ln, [0j, -1 + 1j])
    assert [r.status.split(":")[0] for r in report.rows] == ["edge", "ok"]
    assert report.ok and report.compared == 1
