"""The command line: every option and every error path, through main(argv) and a real process."""

from __future__ import annotations

import json
import math
import subprocess
import sys

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
    import re

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
