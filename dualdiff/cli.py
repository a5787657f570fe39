"""The ``dualdiff`` command line: derivatives of an expression at points.

    dualdiff "x**2*sin(x)" --at 0.5 1 2
    dualdiff "x*y + sin(x)" --at x=1,y=2 --validate
    dualdiff "x*y + sin(x)" --order 2 --at x=1,y=2          # the Hessian
    dualdiff "exp(-x**2)" --order 2 --at 0 1 --json
    dualdiff "tanh(x)" --plot tanh.png --range -3 3 --order 2 --at -1 0.5

Values may start with ``-`` in any float syntax (``--at -1e-5 -.5``, ``--range -1E+3 1``), and
so may the expression (``"-x**2"``). A complex point in Python's syntax (``--at 1+2j``,
``"(1+2j)"``, ``-2j``, ``z=1-1j``) gives the complex derivative f'(z) of a holomorphic f
(``--validate``: against mpmath on ``mpc``); where f is not holomorphic the command says so and
exits 1. With several variables, ``--order n`` gives every partial
derivative of order n, mixed ones included (for n = 2, the whole Hessian). ``--plot`` draws f
and its derivative of order ``--order``; with ``--at`` it also marks and prints those points.

Exit status: 0 on success, 1 when a value is outside a function's domain or overflows (or
--validate finds a mismatch or has nothing to compare, or plotting is unavailable), 2 for a bad
expression or bad arguments (including work too large to finish in about half a minute). No
traceback reaches the user.
"""

from __future__ import annotations

import argparse
import cmath
import json
import math
import os
import sys
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

import mpmath

from . import table
from .api import Derivative
from .cli_output import UsageError, plot, print_table, pyplot, say
from .errors import DomainError
from .expr import Expression, ExpressionError, parse
from .validate import WORK_LIMIT, validate
from .workload import (
    count_operations,
    dual_seconds,
    estimate_seconds,
    format_duration,
    partial_orders,
)

__all__ = ["main", "parser"]

MAX_ORDER = 8
MIN_DPS, MAX_DPS = 15, 500
_MARK = "\0"  # put before values that start with "-" so that argparse takes them as values


def _unmark(text: str) -> str:
    return text[1:] if text.startswith(_MARK) else text


def _int_arg(text: str) -> int:
    text = _unmark(text)
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def _float_arg(text: str) -> float:
    text = _unmark(text)
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # usage errors: without the marks of _protect
        super().error(message.replace(_MARK, ""))


parser = _Parser(
    prog="dualdiff",
    description="Evaluate an expression and its exact derivatives (dual numbers) at points.",
    epilog='example: dualdiff "x**2*sin(x)" --at 1.0 --validate',
)
parser.add_argument("expr", nargs="?", help="expression, e.g. 'x**2*sin(x)' (no EXPR: a demo)")
parser.add_argument(
    "--at",
    nargs="+",
    metavar="POINT",
    help="points: 0.5 -1e-3 2, or x=1,y=2 for several variables; complex as 1+2j or (1+2j) "
    "(f'(z) of a holomorphic f)",
)
parser.add_argument(
    "--order",
    type=_int_arg,
    default=1,
    help=f"derivative order, 1..{MAX_ORDER} (several variables: every partial of that order)",
)
parser.add_argument("--validate", action="store_true", help="compare with mpmath.diff")
parser.add_argument(
    "--dps", type=_int_arg, default=50, help=f"mpmath digits for --validate ({MIN_DPS}..{MAX_DPS})"
)
parser.add_argument(
    "--plot", metavar="FILE", help="draw f and its --order derivative to FILE (needs matplotlib)"
)
parser.add_argument(
    "--range", nargs=2, type=_float_arg, metavar=("A", "B"), help="x range for --plot"
)
parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def _protect(argv: Sequence[str]) -> list[str]:
    """Mark the tokens that start with ``-`` but are values, not options.

    argparse takes a token that starts with ``-`` for an option unless it looks like ``-1`` or
    ``-1.5``, so ``-1e-5``, ``-.5``, ``-1E+3``, ``-inf`` and an expression such as ``-x**2``
    were refused. Every option of this command line is long (``--at``) except ``-h``, so any
    other token of one dash and more than one character is a value.

    >>> _protect(["-x**2", "--at", "-1e-5", "-.5", "-h"])
    ['\\x00-x**2', '--at', '\\x00-1e-5', '\\x00-.5', '-h']
    """
    return [
        _MARK + t if len(t) > 1 and t[0] == "-" and t[1] != "-" and t != "-h" else t for t in argv
    ]


def _number(text: str, what: str) -> float | complex:
    """A real value as a float; a complex one in Python's syntax (1+2j, (1+2j), -2j) as a
    complex."""
    text = text.strip()
    try:
        v: float | complex = float(text)
    except ValueError:
        try:
            v = complex(text)
        except ValueError:
            raise UsageError(
                f"bad --at value {text!r}: {what} must be a number (real, or complex as 1+2j)"
            ) from None
    if not cmath.isfinite(v):
        raise UsageError(f"bad --at value {text!r}: {what} must be finite")
    return v


def _points(at: Sequence[str], variables: tuple[str, ...]) -> list[tuple[float | complex, ...]]:
    points = []
    for item in at:
        if "=" not in item:
            if len(variables) > 1:
                names = ", ".join(variables)
                raise UsageError(
                    f"the expression has variables {names}: give points as "
                    f"{','.join(f'{v}=...' for v in variables)}"
                )
            points.append((_number(item, variables[0]),))
            continue
        given: dict[str, float | complex] = {}
        for part in item.split(","):
            name, _, value = part.partition("=")
            name = unicodedata.normalize("NFKC", name.strip())  # as Python reads names
            if name not in variables:
                raise UsageError(
                    f"bad --at value {item!r}: {name!r} is not a variable of the expression "
                    f"(variables: {', '.join(variables)})"
                )
            if name in given:
                raise UsageError(f"bad --at value {item!r}: {name} given twice")
            given[name] = _number(value, name)
        missing = [v for v in variables if v not in given]
        if missing:
            raise UsageError(f"bad --at value {item!r}: no value for {', '.join(missing)}")
        points.append(tuple(given[v] for v in variables))
    return points


def _label(wrt: tuple[int, ...], variables: Sequence[str]) -> str:
    """f', f'', f^(4) for one variable; df/dx, d2f/dx2, d2f/dxdy, d3f/dx2dy for several."""
    n = len(wrt)
    if len(variables) == 1:
        return "f" + "'" * n + f"({variables[0]})" if n <= 3 else f"f^({n})({variables[0]})"
    parts = []
    for i, v in enumerate(variables):
        k = wrt.count(i)
        if k:
            power = "" if k == 1 else f"^{k}" if v[-1].isdigit() else str(k)
            parts.append(f"d{v}{power}")
    return ("df" if n == 1 else f"d{n}f") + "/" + "".join(parts)


def _derivative(f: Any, wrt: tuple[int, ...], several: bool) -> Callable[..., Any]:
    d = f
    for i in wrt:
        d = d.partial(i) if several else d.prime
    return d


def _constant(expr: Expression) -> Callable[[Any], Any]:
    """A variable-free expression as a function of x, returning numbers of x's kind."""
    value = expr()
    return lambda x: value + 0 * x


def _check_work(expr: Expression, args: argparse.Namespace, npoints: int, nargs: int,
                wrts: Sequence[tuple[int, ...]]) -> None:  # fmt: skip
    """Refuse (exit 2) what would run for more than about WORK_LIMIT seconds."""
    seconds = npoints * len(wrts) * dual_seconds(count_operations(expr), args.order)
    if args.validate:
        seconds += estimate_seconds(expr, npoints, nargs, args.dps, order=args.order, mixed=True)
    if seconds > WORK_LIMIT:
        what = f"{len(wrts)} derivatives" if len(wrts) > 1 else "a derivative"
        digits = f", checked at {args.dps} digits," if args.validate else ""
        reduce = "fewer --at points, a lower --order" + (" or a lower --dps" if digits else "")
        raise UsageError(
            f"too much work: {npoints} points, {what} of order {args.order}{digits} would take "
            f"about {format_duration(seconds)} (the limit is {WORK_LIMIT:.0f} s): give {reduce}"
        )


def _run(args: argparse.Namespace) -> int:
    try:
        expr = parse(args.expr)
    except ExpressionError as exc:
        say(f"dualdiff: bad expression: {exc.message}\n{exc.pointer()}", sys.stderr)
        return 2
    if not 1 <= args.order <= MAX_ORDER:
        raise UsageError(f"--order must be between 1 and {MAX_ORDER}, got {args.order}")
    if not MIN_DPS <= args.dps <= MAX_DPS:
        raise UsageError(f"--dps must be between {MIN_DPS} and {MAX_DPS}, got {args.dps}")
    if (args.plot is None) != (args.range is None):
        raise UsageError("--plot FILE and --range A B go together")
    if args.at is None:
        if args.plot is None:
            raise UsageError("give the points with --at (or a plot with --plot FILE --range A B)")
        for flag in ("json", "validate"):
            if getattr(args, flag):
                raise UsageError(f"--{flag} reports on the --at points: give them with --at")
    variables = expr.variables or ("x",)
    several = len(variables) > 1
    if args.plot is not None and several:
        raise UsageError("--plot draws functions of one variable")
    points = _points(args.at, variables) if args.at is not None else []
    if args.plot is not None and any(isinstance(c, complex) for p in points for c in p):
        raise UsageError("--plot draws real functions of a real variable: no complex --at points")
    wrts = partial_orders(len(variables), args.order, mixed=True)
    _check_work(expr, args, len(points), len(variables), wrts)
    plt = None
    if args.plot is not None:
        a, b = args.range
        if not (math.isfinite(a) and math.isfinite(b) and a < b):
            raise UsageError(f"--range needs finite A < B, got {a:g} {b:g}")
        outside = [p[0] for p in points if not a <= p[0] <= b]
        if outside:
            raise UsageError(f"--at point {outside[0]!r} is outside --range {a:g} {b:g}")
        plt = pyplot()
        if plt is None:
            return 1
    fn = expr if expr.variables else _constant(expr)
    f = Derivative(fn, name="f")
    derivs = [_derivative(f, w, several) for w in wrts]
    labels = [_label(w, variables) for w in wrts]
    results = []
    for p in points:  # domain errors and overflow first, before any mpmath work
        number = complex if any(isinstance(c, complex) for c in p) else float
        value = number(fn(*p))
        if not cmath.isfinite(value):
            at = ", ".join(f"{v} = {c!r}" for v, c in zip(variables, p, strict=True))
            raise OverflowError(f"f = {value} at {at}")
        row: dict[str, Any] = {"at": dict(zip(variables, p, strict=True)), "f": value}
        row["derivatives"] = {lab: _at_complex(d, p, number, expr.text)
                              for lab, d in zip(labels, derivs, strict=True)}  # fmt: skip
        if several and args.order == 2:
            row["hessian"] = _hessian(row["derivatives"], wrts, labels, len(variables))
        results.append(row)
    report = None
    if args.validate:
        # work_limit=None: _check_work has bounded the whole run already
        report = validate(fn, points, args.dps, order=args.order, mixed=True, work_limit=None)
        for k, row in enumerate(results):
            vrows = [report.rows[j * len(points) + k] for j in range(len(wrts))]
            row["mpmath"] = {lab: (None if r.mpmath is None else mpmath.nstr(r.mpmath, 20))
                             for lab, r in zip(labels, vrows, strict=True)}  # fmt: skip
            row["rel_error"] = {lab: r.rel_error for lab, r in zip(labels, vrows, strict=True)}
            row["status"] = {lab: r.status for lab, r in zip(labels, vrows, strict=True)}
    written = None
    if plt is not None:
        d = _derivative(f, (0,) * args.order, False)
        written = plot(plt, f, d, expr, variables[0], args, results, labels[0])
    if args.json:
        # strict JSON: a round trip turns inf and nan into the strings "Infinity", "NaN"
        clean = json.loads(json.dumps(_complex_as_pairs(results)), parse_constant=str)
        out: dict[str, Any] = {"expression": expr.text, "variables": list(variables),
                               "order": args.order, "points": clean}  # fmt: skip
        if report is not None:
            out["ok"] = report.ok
        if written is not None:
            out["plot"] = written
        say(json.dumps(out, indent=2), sys.stdout)
    else:
        if results:
            print_table(expr.text, variables, labels, results, report is not None)
        if written is not None:
            say(f"wrote {written}", sys.stdout)
    if report is not None and not report.ok:
        if not report.compared:
            why = "nothing compared: mpmath cannot evaluate f around any of the points"
        else:
            why = "dualdiff and mpmath disagree"
        say(f"dualdiff: validation FAILED: {why}", sys.stderr)
        return 1
    return 0


def _at_complex(d: Callable[..., Any], p: tuple[Any, ...], number: type, text: str) -> Any:
    """A derivative at the point p, as ``number``; at a complex point, where f is not
    holomorphic, prime's ValueError becomes a DomainError (exit 1) naming the expression."""
    try:
        return number(d(*p))
    except ValueError as exc:
        if "not holomorphic" not in str(exc):
            raise
        raise DomainError(f"f = {text}: {exc}") from None


def _complex_as_pairs(x: Any) -> Any:
    """JSON has no complex numbers: each becomes {"real": ..., "imag": ...}."""
    if isinstance(x, complex):
        return {"real": x.real, "imag": x.imag}
    if isinstance(x, dict):
        return {k: _complex_as_pairs(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_complex_as_pairs(v) for v in x]
    return x


def _hessian(derivs: dict[str, float], wrts: Sequence[tuple[int, ...]], labels: Sequence[str],
             n: int) -> list[list[float]]:  # fmt: skip
    """The symmetric matrix of second partials from its distinct entries."""
    h = [[math.nan] * n for _ in range(n)]
    for (i, j), lab in zip(wrts, labels, strict=True):
        h[i][j] = h[j][i] = derivs[lab]
    return h


def _demo() -> int:
    f = Derivative(lambda x: x**2 * _sin(x))
    lines = [
        "f(x) = x**2 * sin(x): f, f' and f'' by dual numbers, f' by mpmath.diff",
        f"{'x':>6} {'f(x)':>22} {'f_prime(x)':>22} {'mpmath_diff':>22} {'f_second(x)':>22}",
    ]
    for x in (0.0, 0.5, 1.0, 1.5, 2.0, 3.0):
        with mpmath.workdps(40):
            ref = mpmath.diff(lambda t: t**2 * mpmath.sin(t), mpmath.mpf(x))
        ref_s = mpmath.nstr(mpmath.chop(ref, tol=1e-30), 17)
        lines.append(
            f"{x:6.2f} {f(x):22.17g} {f.prime(x):22.17g} {ref_s:>22} {f.prime.prime(x):22.17g}"
        )
    lines.append('\ntry: dualdiff "x**2*sin(x)" --at 1.0 --validate   (dualdiff --help for more)')
    say("\n".join(lines), sys.stdout)
    return 0


def _sin(x: Any) -> Any:
    return table.sin(x)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    >>> main(["x**3", "--at", "-2"])
    f = x**3
       x     f  f'(x)
    -2.0  -8.0   12.0
    0
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        try:
            args = parser.parse_args(_protect(argv))
        except SystemExit as exc:  # --help, or argparse's own usage errors (already printed)
            return int(exc.code or 0)
        if args.expr is None:
            return _demo()
        args.expr = _unmark(args.expr)
        args.at = None if args.at is None else [_unmark(a) for a in args.at]
        args.plot = None if args.plot is None else _unmark(args.plot)
        return _run(args)
    except UsageError as exc:
        say(f"dualdiff: {exc}", sys.stderr)
        return 2
    except (DomainError, ZeroDivisionError) as exc:
        say(f"dualdiff: {exc}", sys.stderr)
        return 1
    except OverflowError as exc:
        say(f"dualdiff: a value overflows a float ({exc})", sys.stderr)
        return 1
    except BrokenPipeError:  # dualdiff ... | head: the reader has gone; stay quiet
        _silence_stdout()
        return 1
    except KeyboardInterrupt:
        say("dualdiff: interrupted", sys.stderr)
        return 130
    except Exception as exc:  # a bug: still no traceback, but say what it was
        say(f"dualdiff: internal error, please report: {type(exc).__name__}: {exc}", sys.stderr)
        return 1


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
