"""The whitelist expression parser: what it accepts, and hostile input it refuses."""

from __future__ import annotations

import math
import time

import pytest

import dualdiff as dd
from dualdiff.expr import MAX_LENGTH, ExpressionError, parse


def test_accepts_the_whitelist():
    e = parse(" x**2*sin(x) - -y/3 + log(x, 2) + pi + e + atan2(y, x) ")
    assert e.variables == ("x", "y")
    x, y = 1.5, -0.5
    ref = x**2 * math.sin(x) + y / 3 + math.log2(x) + math.pi + math.e + math.atan2(y, x)
    assert e(x, y) == pytest.approx(ref, rel=1e-15)
    assert parse("2 + 3").variables == () and parse("2 + 3")() == 5.0
    assert parse("x1 * X2").variables == ("X2", "x1")


def test_evaluates_on_duals():
    e = parse("x**3")
    assert dd.derivative(e).prime(2.0) == 12.0


HOSTILE = [
    ("__import__('os').system('true')", "unknown function"),
    ("x.__class__", "Attribute is not allowed"),
    ("x[0]", "Subscript is not allowed"),
    ("(lambda: 1)()", "unknown function"),
    ("[x for x in (1,)]", "ListComp is not allowed"),
    ("x if x else 1", "IfExp is not allowed"),
    ("x < 1", "Compare is not allowed"),
    ("x and 1", "BoolOp is not allowed"),
    ("x_1 + 1", "letters and digits"),
    ("_ + 1", "letters and digits"),
    ("sin", "sin is a function"),
    ("sin(x, x)", "sin takes 1 argument"),
    ("log(x, 2, 3)", "log takes 1 or 2 argument"),
    ("sin(x=1)", "keyword arguments"),
    ("sin(*x)", r"\* arguments"),
    ("x ^ 2", r"use \*\* for powers"),
    ("x // 2", "// is not supported"),
    ("x % 2", "not supported"),
    ("~x", "only unary minus"),
    ("'a' + x", "only real numbers"),
    ("1j * x", "only real numbers"),
    ("True + x", "only real numbers"),
    ("9**9**9**9", "constant overflows"),
    ("1e999 + x", "too large"),
    ("10**400 * x", "constant overflows"),
    ("x +", "syntax error"),
    ("", "empty"),
    ("x\ny", "one line"),
    ("(" * 300 + "x" + ")" * 300, "syntax error|nested"),
    ("-" * 500 + "x", "nested deeper"),
    ("+".join(["x"] * 600), "more than|nested deeper"),
    ("x" * (MAX_LENGTH + 1), "longer than"),
]


@pytest.mark.parametrize(("text", "message"), HOSTILE)
def test_refuses_hostile_input_quickly(text, message):
    t0 = time.perf_counter()
    with pytest.raises(ExpressionError, match=message) as info:
        parse(text)
    assert time.perf_counter() - t0 < 0.5
    err = info.value
    assert 0 <= err.col <= len(err.text) and "^" in err.pointer()


def test_pointer_marks_the_offending_token():
    with pytest.raises(ExpressionError) as info:
        parse("x + foo(x)")
    assert info.value.pointer() == "  x + foo(x)\n      ^^^"
    with pytest.raises(ExpressionError) as info:
        parse("x^2")
    assert info.value.pointer() == "  x^2\n   ^"


def test_wrong_number_of_values():
    with pytest.raises(TypeError, match="takes 2 values, got 1"):
        parse("x*y")(1.0)
    with pytest.raises(TypeError, match="needs a str"):
        parse(3)


def test_variables_are_letters_of_any_script():
    e = parse("θ**2 + sin(θ)")
    assert e.variables == ("θ",) and e(0.5) == 0.25 + math.sin(0.5)
    assert parse("αβ2 * r").variables == ("r", "αβ2")
    assert parse("ℌ + x").variables == ("H", "x")  # Python's NFKC: ℌ is the letter H
    assert parse("sin(π*x)")(0.5) == math.sin(math.pi * 0.5)  # π is pi, not a variable
    assert dd.derivative(parse("φ**3")).prime(2.0) == 12.0
    for text in ("θ_1 + 1", "x·y"):
        with pytest.raises(ExpressionError):
            parse(text)


def test_pointer_counts_characters_not_bytes():
    with pytest.raises(ExpressionError) as info:  # ast's columns count UTF-8 bytes
        parse("θ + foo(x)")
    assert info.value.pointer() == "  θ + foo(x)\n      ^^^"
    with pytest.raises(ExpressionError) as info:
        parse("θ^2")
    assert info.value.pointer() == "  θ^2\n   ^"
    with pytest.raises(ExpressionError) as info:
        parse("x\t+ foo(x)")  # a tab before the token stays a tab under it
    assert info.value.pointer() == "  x\t+ foo(x)\n   \t  ^^^"


@pytest.mark.parametrize(
    ("text", "shown", "col"),
    [("\udcff", "?", 0), ("x\x00", "x?", 1), ("x + \x1b[1m", "x + ?[1m", 4)],
)
def test_unreadable_characters_are_refused(text, shown, col):
    # "\udcff" is what Python makes of an undecodable byte on the command line
    with pytest.raises(ExpressionError, match=r"unreadable character U\+") as info:
        parse(text)
    assert info.value.text == shown and info.value.col == col


@pytest.mark.parametrize(
    ("text", "x", "message"),
    [
        ("log(x)", 0.0, r"^log\(x\) needs x > 0, got x = 0\.0$"),
        ("log(x, 2)", -1.0, r"^log\(x, base\) needs x > 0, got x = -1\.0$"),
        ("log(x, 10)", -1.0, r"^log\(x, base\) needs x > 0, got x = -1\.0$"),
        ("log(x, 3)", -1.0, r"^log\(x, base\) needs x > 0, got x = -1\.0$"),
        ("log(2, x)", -1.0, r"^log\(x, base\) needs base > 0 and base != 1, got base = -1\.0$"),
        ("asin(x)", 2.0, r"^asin\(x\) needs -1 <= x <= 1, got x = 2\.0$"),
        ("acosh(x)", 0.5, r"^acosh\(x\) needs x >= 1, got x = 0\.5$"),
        ("ln(x)", -1.0, r"^ln\(x\) needs x > 0, got x = -1\.0$"),
        ("log(ln(x))", 0.5, r"^log\(x\) needs x > 0, got x = -0\.69314718055994"),
        ("ln(log(x))", 0.5, r"^ln\(x\) needs x > 0, got x = -0\.69314718055994"),
    ],
)
def test_domain_errors_name_the_function_as_written(text, x, message):
    e = parse(text)
    for arg in (x, dd.Dual(x, 1.0)):  # the value and the derivative say the same
        with pytest.raises(dd.DomainError, match=message):
            e(arg)
