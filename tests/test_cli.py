"""The command line: every option and every error path, through cli.main(argv) and a real process."""

from __future__ import annotations

import cmath
import json
import math
import re
import subprocess
import sys
import time

import mpmath
import pytest

from dualdiff import cli


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_derivative_at_points(capsys):
    code, out, _ = run(capsys, "x**2*sin(x)", "--at", "0.5", "1", "2")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "f = x**2*sin(x)" and "f'(x)" in lines[1] and len(lines) == 5
    with mpmath.workdps(30):
        ref = mpmath.diff(lambda t: t**2 * mpmath.sin(t), 1)
    assert repr(float(ref)) in lines[3]


def test_validate_column(capsys):
    code, out, _ = run(capsys, "x**2*sin(x)", "--at", "1.0", "--validate")
    assert code == 0
    assert "mpmath f'(x)" in out and "rel err" in out and out.rstrip().endswith("ok")
    assert "2.22324427548393273" in out  # mpmath's digits


def test_several_variables_give_the_gradient(capsys):
    code, out, _ = run(capsys, "x*y + sin(x)", "--at", "x=1,y=2", "--validate", "--dps", "30")
    assert code == 0
    assert "df/dx" in out and "df/dy" in out
    row = out.splitlines()[2].split()
    assert float(row[3]) == 2.0 + math.cos(1.0) and float(row[4]) == 1.0


def test_order_and_json(capsys):
    code, out, _ = run(capsys, "exp(-x**2)", "--order", "2", "--at", "0", "1", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["order"] == 2 and data["expression"] == "exp(-x**2)"
    assert data["points"][0]["derivatives"]["f''(x)"] == -2.0
    assert data["points"][1]["derivatives"]["f''(x)"] == pytest.approx(2 * math.exp(-1), rel=1e-15)


def test_json_with_validate_and_infinities(capsys):
    code, out, _ = run(capsys, "sqrt(x)", "--at", "0", "4", "--validate", "--json")
    assert code == 0
    data = json.loads(out)  # strict JSON: no bare Infinity
    assert data["ok"] is True
    assert data["points"][0]["derivatives"]["f'(x)"] == "Infinity"
    assert data["points"][0]["status"]["f'(x)"] == "inf ok"
    assert data["points"][1]["mpmath"]["f'(x)"] == "0.25"


def test_plot(tmp_path, capsys):
    target = tmp_path / "tanh.png"
    code, out, _ = run(capsys, "tanh(x)", "--plot", str(target), "--range", "-3", "3")
    assert code == 0 and target.stat().st_size > 10_000 and "wrote" in out
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_without_matplotlib_says_how_to_get_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails as if not installed
    code, _, err = run(capsys, "x", "--plot", str(tmp_path / "p.png"), "--range", "0", "1")
    assert code == 1 and "needs matplotlib" in err and "dualdiff-ad[plot]" in err


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["x^2", "--at", "1"], 2, r"use \*\* for powers"),
        (["foo(x)", "--at", "1"], 2, "unknown function 'foo'"),
        (["x.real", "--at", "1"], 2, "Attribute is not allowed"),
        (["ln(x)", "--at", "-1"], 1, r"ln\(x\) needs x > 0, got x = -1\.0"),
        (["1/x", "--at", "0"], 1, "division x / y needs y != 0"),
        (["x**-1", "--at", "0"], 1, r"pow: x\*\*-1\.0 needs x != 0"),
        (["x**(1/3)", "--at", "-8"], 1, r"needs x >= 0, got x = -8\.0"),
        (["exp(x)", "--at", "1000"], 1, "overflows a float"),
        (["x", "--at", "abc"], 2, "bad --at value 'abc'"),
        (["x", "--at", "nan"], 2, "must be finite"),
        (["x*y", "--at", "1"], 2, "give points as x=...,y=..."),
        (["x*y", "--at", "x=1"], 2, "no value for y"),
        (["x*y", "--at", "x=1,z=2"], 2, "'z' is not a variable"),
        (["x*y", "--at", "x=1,x=2,y=1"], 2, "x given twice"),
        (["x"], 2, "give the points with --at"),
        (["x", "--at", "1", "--order", "0"], 2, "--order must be between 1 and 8"),
        (["x", "--at", "1", "--dps", "5"], 2, "--dps must be between"),
        (["x", "--plot", "p.png"], 2, "go together"),
        (["x*y", "--plot", "p.png", "--range", "0", "1"], 2, "one variable"),
        (["x", "--plot", "p.png", "--range", "1", "0"], 2, "finite A < B"),
        (["x", "--at", "1", "--bogus"], 2, "unrecognized arguments"),
    ],
)
def test_errors_exit_with_a_message_and_no_traceback(capsys, argv, code, message):
    got, _, err = run(capsys, *argv)
    assert got == code
    assert re.search(message, err), err


def test_bad_expression_points_at_the_token(capsys):
    code, _, err = run(capsys, "x + foo(x)", "--at", "1")
    assert code == 2
    assert err.splitlines()[1:] == ["  x + foo(x)", "      ^^^"]


def test_validation_failure_exits_1(capsys, monkeypatch):
    import dualdiff.cli as c

    real = c.validate

    def planted(*args, **kwargs):  # the reference is right; pretend dualdiff disagreed
        report = real(*args, **kwargs)
        report.rows[0] = report.rows[0].__class__(**{**report.rows[0].__dict__, "status": "FAIL"})
        return report

    monkeypatch.setattr(c, "validate", planted)
    code, _, err = run(capsys, "sin(x)", "--at", "1", "--validate")
    assert code == 1 and "validation FAILED" in err


def test_no_expression_prints_the_demo(capsys):
    code, out, _ = run(capsys)
    assert code == 0 and "f(x) = x**2 * sin(x)" in out and "dualdiff --help" in out


def test_help(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "--validate" in out and "--plot" in out


@pytest.mark.parametrize("entry", [["dualdiff"], [sys.executable, "-m", "dualdiff"]])
def test_real_process_entry_points(entry):
    import shutil

    if entry[0] == "dualdiff":
        exe = shutil.which("dualdiff")
        assert exe, "the dualdiff console script is not installed"
        entry = [exe]
    ok = subprocess.run([*entry, "x**2*sin(x)", "--at", "1.0", "--validate"],
                        capture_output=True, text=True)  # fmt: skip
    assert ok.returncode == 0 and "2.2232442754839328" in ok.stdout
    bad = subprocess.run([*entry, "x^2", "--at", "1"], capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "^" in bad.stderr


# --- constants, negative numbers, --plot with other options, names, Hessians, the work bound --


@pytest.mark.parametrize(
    ("expr", "order", "value"), [("2", 1, 2.0), ("pi", 3, math.pi), ("-e", 2, -math.e)]
)
def test_a_constant_expression(capsys, expr, order, value):
    code, out, err = run(capsys, expr, "--at", "1", "-3", "--validate", "--json",
                         "--order", str(order))  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["ok"] is True and data["variables"] == ["x"]
    for p in data["points"]:
        assert p["f"] == value and list(p["derivatives"].values()) == [0.0]
        assert list(p["mpmath"].values()) == ["0.0"] and list(p["status"].values()) == ["ok"]


@pytest.mark.parametrize(
    ("token", "value"),
    [("-1e-5", -1e-5), ("-.5", -0.5), ("-1E+3", -1000.0), ("-2", -2.0), ("-0.25e1", -2.5)],
)
def test_negative_numbers_in_any_float_syntax(capsys, token, value):
    code, out, err = run(capsys, "x**2", "--at", token, "3", "--json")
    assert code == 0, err
    points = json.loads(out)["points"]
    assert [p["at"]["x"] for p in points] == [value, 3.0]
    assert points[0]["derivatives"]["f'(x)"] == 2 * value


def test_negative_values_everywhere(capsys, tmp_path):
    code, out, _ = run(capsys, "-x**2", "--at", "-1")  # an expression that starts with -
    assert code == 0 and out.splitlines()[2].split() == ["-1.0", "-1.0", "2.0"]
    code, out, _ = run(capsys, "x", "--at", "x=-1e-3")
    assert code == 0 and out.splitlines()[2].split() == ["-0.001", "-0.001", "1.0"]
    code, _, err = run(capsys, "x", "--at", "-inf")
    assert code == 2 and "bad --at value '-inf': x must be finite" in err
    code, out, _ = run(capsys, "x", "--plot", str(tmp_path / "r.png"), "--range", "-1e3", "-1E-2")
    assert code == 0 and (tmp_path / "r.png").exists()
    code, _, err = run(capsys, "x", "--plot", str(tmp_path / "s.png"), "--range", "-1e3", "-abc")
    assert code == 2 and "argument --range: not a number: '-abc'" in err
    code, _, err = run(capsys, "x", "--at", "1", "--order", "-2")
    assert code == 2 and "--order must be between 1 and 8, got -2" in err


@pytest.fixture
def figures(monkeypatch):
    """The figures --plot draws, kept open for inspection."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    close, kept = plt.close, []
    monkeypatch.setattr(
        plt, "close", lambda fig: kept.append(fig) if hasattr(fig, "axes") else None
    )
    yield kept
    for fig in kept:
        close(fig)


def test_plot_honours_order_and_marks_the_at_points(tmp_path, capsys, figures):
    target = tmp_path / "t.png"
    code, out, _ = run(capsys, "tanh(x)", "--plot", str(target), "--range", "-3", "3",
                       "--order", "2", "--at", "-1", "0.5")  # fmt: skip
    assert code == 0 and target.exists()
    lines = out.splitlines()
    assert lines[1].split() == ["x", "f", "f''(x)"] and lines[-1] == f"wrote {target}"
    (ax,) = figures[0].axes
    assert "f''" in ax.get_title()
    curves = {line.get_label(): line for line in ax.get_lines()}
    assert {"f(x) = tanh(x)", "f''(x)", "--at points"} <= set(curves)
    x, y = curves["f''(x)"].get_data()
    tanh2 = lambda t: -2 * math.tanh(t) / math.cosh(t) ** 2  # (tanh)'' by hand
    for i in (0, 123, 399):
        assert y[i] == pytest.approx(tanh2(x[i]), rel=1e-12, abs=1e-15)
    mx, my = curves["--at points"].get_data()
    assert list(mx) == [-1.0, 0.5] and list(my) == [math.tanh(-1.0), math.tanh(0.5)]


def test_plot_with_json_and_validate(tmp_path, capsys):
    target = tmp_path / "v.svg"
    code, out, _ = run(capsys, "sin(x)", "--plot", str(target), "--range", "0", "2",
                       "--at", "1", "--validate", "--json")  # fmt: skip
    assert code == 0 and target.read_text().lstrip().startswith("<?xml")
    data = json.loads(out)  # stdout is pure JSON: the file is named inside it
    assert data["plot"] == str(target) and data["ok"] is True
    assert data["points"][0]["derivatives"]["f'(x)"] == math.cos(1.0)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--json"], "--json reports on the --at points"),
        (["--validate"], "--validate reports on the --at points"),
        (["--at", "5"], "--at point 5.0 is outside --range 0 1"),
        (["--at", "-0.5"], "--at point -0.5 is outside --range 0 1"),
    ],
)
def test_plot_refuses_what_it_cannot_honour(tmp_path, capsys, argv, message):
    target = tmp_path / "p.png"
    code, _, err = run(capsys, "x", "--plot", str(target), "--range", "0", "1", *argv)
    assert code == 2 and message in err and not target.exists()


@pytest.mark.parametrize(
    ("name", "written"), [("noext", "noext.png"), ("dot.", "dot.png"), ("a.PDF", "a.PDF")]
)
def test_plot_reports_the_file_it_really_wrote(tmp_path, capsys, name, written):
    code, out, _ = run(capsys, "x", "--plot", str(tmp_path / name), "--range", "0", "1")
    assert code == 0 and out == f"wrote {tmp_path / written}\n"
    assert [p.name for p in tmp_path.iterdir()] == [written]


def test_plot_refuses_unknown_formats_and_empty_plots(tmp_path, capsys):
    code, _, err = run(capsys, "x", "--plot", str(tmp_path / "p.xyz"), "--range", "0", "1")
    assert code == 2 and "cannot write a plot as .xyz: use one of" in err and "png" in err
    code, _, err = run(capsys, "ln(x)", "--plot", str(tmp_path / "p.png"), "--range", "-3", "-1")
    assert code == 1 and "no finite value on --range -3 -1" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("expr", "x", "message"),
    [
        ("log(x)", "0", r"^dualdiff: log\(x\) needs x > 0, got x = 0\.0$"),
        ("2*log(x, 2)", "-1", r"^dualdiff: log\(x, base\) needs x > 0, got x = -1\.0$"),
        ("asin(x)", "2", r"^dualdiff: asin\(x\) needs -1 <= x <= 1, got x = 2\.0$"),
        ("atanh(x)", "1", r"^dualdiff: atanh\(x\) needs -1 < x < 1, got x = 1\.0$"),
    ],
)
def test_domain_errors_name_the_function_the_user_wrote(capsys, expr, x, message):
    code, _, err = run(capsys, expr, "--at", x, "--validate")
    assert code == 1 and re.search(message, err.strip()), err


def test_greek_variables(capsys):
    code, out, _ = run(capsys, "θ**2 + sin(θ)", "--at", "θ=0.5", "2", "--validate")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].split()[:3] == ["θ", "f", "f'(θ)"]
    assert float(lines[2].split()[2]) == 1.0 + math.cos(0.5)
    code, out, _ = run(capsys, "r*cos(φ)", "--at", "r=2,φ=0", "--json")
    assert code == 0
    d = json.loads(out)["points"][0]["derivatives"]
    assert d == {"df/dr": 1.0, "df/dφ": -0.0}


def test_unicode_output_on_an_ascii_terminal(monkeypatch):
    import io

    stdout = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    monkeypatch.setattr(sys, "stdout", stdout)
    assert cli.main(["θ**2", "--at", "3"]) == 0
    stdout.flush()
    text = stdout.buffer.getvalue().decode("ascii")
    assert "f = \\u03b8**2" in text and text.splitlines()[2].split() == ["3.0", "9.0", "6.0"]


def test_order_2_with_several_variables_gives_the_hessian(capsys):
    f = "x*y + sin(x)*y**2"  # Hessian by hand: [[-y² sin x, 1 + 2y cos x], [., 2 sin x]]
    code, out, _ = run(capsys, f, "--order", "2", "--at", "x=1,y=2")
    assert code == 0
    header, row = out.splitlines()[1:]
    assert header.split() == ["x", "y", "f", "d2f/dx2", "d2f/dxdy", "d2f/dy2"]
    hxx, hxy, hyy = -4 * math.sin(1.0), 1 + 4 * math.cos(1.0), 2 * math.sin(1.0)
    assert [float(c) for c in row.split()[3:]] == pytest.approx([hxx, hxy, hyy], rel=1e-15)
    code, out, _ = run(capsys, f, "--order", "2", "--at", "x=1,y=2", "--json", "--validate")
    assert code == 0
    p = json.loads(out)["points"][0]
    assert len(p["hessian"]) == 2
    assert p["hessian"][0] == pytest.approx([hxx, hxy], rel=1e-15)
    assert p["hessian"][1] == pytest.approx([hxy, hyy], rel=1e-15)
    assert p["hessian"][0][1] == p["hessian"][1][0]  # the same number, not recomputed
    assert set(p["derivatives"]) == set(p["status"]) == {"d2f/dx2", "d2f/dxdy", "d2f/dy2"}
    assert all(s == "ok" for s in p["status"].values())
    assert float(p["mpmath"]["d2f/dxdy"]) == pytest.approx(hxy, rel=1e-15)


def test_higher_orders_with_several_variables_give_every_partial(capsys):
    code, out, _ = run(capsys, "x*y**2 + z", "--order", "3", "--at", "x=1,y=2,z=3", "--json",
                       "--validate")  # fmt: skip
    assert code == 0
    p = json.loads(out)["points"][0]
    assert len(p["derivatives"]) == 10  # the multisets of 3 of {x, y, z}
    assert p["derivatives"]["d3f/dxdy2"] == 2.0
    assert all(v == 0.0 for k, v in p["derivatives"].items() if k != "d3f/dxdy2")
    assert "d3f/dx3" in p["derivatives"] and "d3f/dx2dy" in p["derivatives"]
    assert "hessian" not in p and all(s == "ok" for s in p["status"].values())


def test_the_work_is_bounded(capsys):
    heavy = "exp(sin(x))*atan(x)/(1+x**2) + log(1+x*x)*cos(x)**3"
    points = [str(k / 100) for k in range(1, 2001)]
    t0 = time.perf_counter()
    code, _, err = run(capsys, heavy, "--at", *points, "--validate", "--dps", "500",
                       "--order", "8")  # fmt: skip
    assert time.perf_counter() - t0 < 2  # refused up front
    assert code == 2 and "too much work: 2000 points" in err and "min" in err
    assert "fewer --at points, a lower --order or a lower --dps" in err
    code, _, err = run(capsys, "x*y*z*w", "--order", "8", "--at", "x=1,y=1,z=1,w=1",
                       "--validate", "--dps", "500")  # fmt: skip
    assert code == 2 and "165 derivatives of order 8" in err
    # what takes a second or so stays allowed
    code, out, _ = run(capsys, heavy, "--at", "0.5", "--validate", "--dps", "300", "--order", "4")
    assert code == 0 and out.rstrip().endswith("ok")
    code, out, _ = run(capsys, heavy, "--at", *points[:200], "--order", "3")
    assert code == 0 and len(out.splitlines()) == 202


def test_validation_with_nothing_compared_fails(capsys):
    code, out, err = run(capsys, "sqrt(x) + sqrt(-x)", "--at", "0", "--validate")
    assert code == 1 and "edge: f undefined on both sides" in out
    assert "validation FAILED: nothing compared" in err


def test_a_value_that_overflows_exits_1(capsys):
    code, _, err = run(capsys, "x*1e308*10", "--at", "1")
    assert code == 1 and "overflows a float (f = inf at x = 1.0)" in err


def test_an_unexpected_error_is_reported_without_a_traceback(capsys, monkeypatch):
    def broken(args):
        raise RuntimeError("planted")

    monkeypatch.setattr(cli, "_run", broken)
    code, _, err = run(capsys, "x", "--at", "1")
    assert code == 1 and err == "dualdiff: internal error, please report: RuntimeError: planted\n"


ODD = [
    (["", "--at", "1"], 2, "empty expression"),
    (["   ", "--at", "1"], 2, "empty expression"),
    (["x\x00", "--at", "1"], 2, "unreadable character"),
    (["(", "--at", "1"], 2, "syntax error"),
    (["x,y", "--at", "1"], 2, "Tuple is not allowed"),
    (["x" * 3000, "--at", "1"], 2, "longer than"),
    (["x", "--at", ""], 2, "bad --at value ''"),
    (["x", "--at", "1,2"], 2, "bad --at value '1,2'"),
    (["x", "--at", "x=1,"], 2, "is not a variable"),
    (["x", "--at", "y=1"], 2, "'y' is not a variable"),
    (["x", "--at", "1", "-y"], 2, "bad --at value '-y'"),
    (["x", "--at", "1e999"], 2, "must be finite"),
    (["x", "--at", "1", "--order", "9"], 2, "--order must be between 1 and 8"),
    (["x", "--at", "1", "--order", "two"], 2, "not a whole number: 'two'"),
    (["x", "--at", "1", "--dps", "501"], 2, "--dps must be between 15 and 500"),
    (["x", "--at", "1", "--dps", "1e3"], 2, "not a whole number"),
    (["x", "--at"], 2, "expected at least one argument"),
    (["x", "y", "--at", "1"], 2, "unrecognized arguments: y"),
    (["x", "--range", "0", "1"], 2, "go together"),
    (["x", "--plot", "p.png", "--range", "-inf", "1"], 2, "finite A < B"),
    (["x**x", "--at", "-1"], 1, r"x\*\*y needs x >= 0"),
    (["1/(x-x)", "--at", "1"], 1, "needs y != 0"),
    (["log(x, 1)", "--at", "2"], 1, "base != 1"),
    (["exp(exp(x))", "--at", "10"], 1, "overflows a float"),
    (["x**2", "--at", "1e200"], 1, "overflows a float"),
    (["sin(1e300*x)", "--at", "1", "--order", "2"], 0, ""),
    (["x**x", "--at", "0", "--validate"], 0, ""),
    (["abs(x)", "--at", "0", "--order", "2", "--validate"], 1, "nothing compared"),
    (["maximum(x, 1)", "--at", "1", "--validate"], 0, ""),
    (["hypot(x, y)", "--at", "x=0,y=0", "--order", "2", "--validate"], 0, ""),
    (["sqrt(x)", "--at", "0", "--validate"], 0, ""),
    (["sqrt(x)", "--at", "1e-300", "--order", "3", "--validate"], 0, ""),
    (["x**3", "--at", "5e-324", "1e100", "-1.7976931348623157e308", "--validate"], 1, "overflow"),
    (["x", "--at", "5e-324", "1e100", "-1.7976931348623157e308", "--validate"], 0, ""),
    (["e**x - pi", "--at", "0", "--json"], 0, ""),
]


@pytest.mark.parametrize(("argv", "code", "message"), ODD, ids=lambda v: repr(v)[:40])
def test_odd_inputs_never_give_a_traceback(capsys, argv, code, message):
    got, _, err = run(capsys, *argv)  # run() asserts that no traceback is printed
    assert got == code, err
    assert "internal error" not in err
    assert re.search(message, err), err


def test_undecodable_bytes_in_a_real_process():
    import os
    import shutil

    exe = shutil.which("dualdiff")
    assert exe
    bad = subprocess.run([exe, b"x + \xff", "--at", b"-1e-5"], capture_output=True,
                         env={**os.environ, "LC_ALL": "C.UTF-8"})  # fmt: skip
    assert bad.returncode == 2 and b"Traceback" not in bad.stderr
    assert b"unreadable character U+DCFF" in bad.stderr


# --- complex points ------------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["1+2j", "(1+2j)", " 1+2J", "1.0+2e0j"])
def test_a_complex_point_gives_the_complex_derivative(capsys, token):
    assert cli.main(["exp(z)/z", "--at", token, "--json", "--validate"]) == 0
    out = json.loads(capsys.readouterr().out)
    (row,) = out["points"]
    assert row["at"] == {"z": {"real": 1.0, "imag": 2.0}}
    want = cmath.exp(1 + 2j) * (1 + 2j - 1) / (1 + 2j) ** 2
    got = row["derivatives"]["f'(z)"]
    assert abs(complex(got["real"], got["imag"]) - want) < 1e-15 * abs(want)
    assert out["ok"] and row["status"]["f'(z)"] == "ok" and row["rel_error"]["f'(z)"] < 1e-15


def test_complex_points_in_all_four_quadrants_with_validate(capsys):
    argv = ["sin(z)*z**2", "--order", "2", "--at", "1+1j", "-1+0.5j", "-2-1j", "0.5-3j", "-.5",
            "--validate"]  # fmt: skip
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert out.count(" ok") == 5 and "(-2-1j)" in out and "mpmath f''(z)" in out
    assert cli.main(["x*y + exp(x*y)", "--at", "x=1-1j,y=-2j", "--validate"]) == 0
    assert capsys.readouterr().out.count(" ok") == 2


def test_a_function_that_is_not_holomorphic_exits_1_saying_so(capsys):
    assert cli.main(["abs(z)**2", "--at", "1+2j"]) == 1
    err = capsys.readouterr().err
    assert "f = abs(z)**2: f.prime at complex z = (1+2j): f is not holomorphic there" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["z", "--at", "1+2i"], "z must be a number (real, or complex as 1+2j)"),
        (["z", "--at", "infj"], "z must be finite"),
        (["z", "--at", "1j", "--plot", "p.png", "--range", "0", "1"], "no complex --at points"),
    ],
)
def test_bad_complex_points_exit_2(capsys, argv, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(argv) == 2
    assert message in capsys.readouterr().err


def test_complex_singular_point_exits_1(capsys):
    assert cli.main(["ln(z)", "--at", "0j"]) == 1
    assert "ln(z) is not defined at z = 0j" in capsys.readouterr().err
