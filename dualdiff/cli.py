"""The ``dualdiff`` command line: derivatives of an expression at points.

    dualdiff "x**2*sin(x)" --at 0.5 1 2
    dualdiff "x*y + sin(x)" --at x=1,y=2 --validate
    dualdiff "exp(-x**2)" --order 2 --at 0 1 --json
    dualdiff "tanh(x)" --plot tanh.png --range -3 3

Exit status: 0 on success, 1 when a value is outside a function's domain (or --validate finds a
mismatch, or plotting is unavailable), 2 for a bad expression or bad arguments. No traceback
reaches the user.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence
from typing import Any

import mpmath
import numpy as np

from .api import derivative
from .errors import DomainError
from .expr import Expression, ExpressionError, parse
from .validate import validate

__all__ = ["main", "parser"]

MAX_ORDER = 8

parser = argparse.ArgumentParser(
    prog="dualdiff",
    description="Evaluate an expression and its exact derivatives (dual numbers) at points.",
    epilog='example: dualdiff "x**2*sin(x)" --at 1.0 --validate',
)
parser.add_argument("expr", nargs="?", help="expression, e.g. 'x**2*sin(x)' (no EXPR: a demo)")
parser.add_argument(
    "--at", nargs="+", metavar="POINT", help="points: 0.5 1 2, or x=1,y=2 for several variables"
)
parser.add_argument("--order", type=int, default=1, help=f"derivative order, 1..{MAX_ORDER}")
parser.add_argument("--validate", action="store_true", help="compare with mpmath.diff")
parser.add_argument("--dps", type=int, default=50, help="mpmath digits for --validate (15..500)")
parser.add_argument("--plot", metavar="FILE", help="draw f and f' to FILE (needs matplotlib)")
parser.add_argument("--range", nargs=2, type=float, metavar=("A", "B"), help="x range for --plot")
parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


class UsageError(Exception):
    """Bad command-line input: exit status 2."""


def _number(text: str, what: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise UsageError(f"bad --at value {text!r}: {what} must be a number") from None
    if not math.isfinite(v):
        raise UsageError(f"bad --at value {text!r}: {what} must be finite")
    return v


def _points(at: Sequence[str], variables: tuple[str, ...]) -> list[tuple[float, ...]]:
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
        given: dict[str, float] = {}
        for part in item.split(","):
            name, _, value = part.partition("=")
            name = name.strip()
            if name not in variables:
                raise UsageError(
                    f"bad --at value {item!r}: {name!r} is not a variable of the expression "
                    f"(variables: {', '.join(variables)})"
                )
            if name in given:
                raise UsageError(f"bad --at value {item!r}: {name} given twice")
            given[name] = _number(value.strip(), name)
        missing = [v for v in variables if v not in given]
        if missing:
            raise UsageError(f"bad --at value {item!r}: no value for {', '.join(missing)}")
        points.append(tuple(given[v] for v in variables))
    return points


def _label(order: int, var: str, several: bool) -> str:
    if not several:
        return "f" + "'" * order + f"({var})" if order <= 3 else f"f^({order})({var})"
    return f"df/d{var}" if order == 1 else f"d{order}f/d{var}{order}"


def _derivatives(expr: Expression, order: int) -> list[Callable[..., Any]]:
    f = derivative(expr)
    several = len(expr.variables) > 1
    out = []
    for i in range(max(1, len(expr.variables))):
        d = f.partial(i) if several else f.prime
        for _ in range(order - 1):
            d = d.partial(i) if several else d.prime
        out.append(d)
    return out


def _run(args: argparse.Namespace) -> int:
    try:
        expr = parse(args.expr)
    except ExpressionError as exc:
        print(f"dualdiff: bad expression: {exc.message}\n{exc.pointer()}", file=sys.stderr)
        return 2
    if not 1 <= args.order <= MAX_ORDER:
        raise UsageError(f"--order must be between 1 and {MAX_ORDER}, got {args.order}")
    if not 15 <= args.dps <= 500:
        raise UsageError(f"--dps must be between 15 and 500, got {args.dps}")
    if (args.plot is None) != (args.range is None):
        raise UsageError("--plot FILE and --range A B go together")
    if args.at is None and args.plot is None:
        raise UsageError("give the points with --at (or a plot with --plot FILE --range A B)")
    variables = expr.variables or ("x",)
    fn = expr if expr.variables else (lambda x: expr())
    if args.plot is not None:
        return _plot(fn, expr, variables, args)
    points = _points(args.at, variables)
    derivs = _derivatives(Expression(expr.text, expr.tree, variables), args.order)
    several = len(variables) > 1
    labels = [_label(args.order, v, several) for v in variables]
    reports = []
    if args.validate:
        reports = [validate(fn, points, args.dps, order=args.order, rtol=1e-12)]
    results = []
    for k, p in enumerate(points):
        row: dict[str, Any] = {"at": dict(zip(variables, p, strict=True)), "f": float(fn(*p))}
        row["derivatives"] = {lab: float(d(*p)) for lab, d in zip(labels, derivs, strict=True)}
        if reports:
            n = len(points)
            vrows = [reports[0].rows[i * n + k] for i in range(len(variables))]
            row["mpmath"] = {lab: (None if r.mpmath is None else mpmath.nstr(r.mpmath, 20))
                             for lab, r in zip(labels, vrows, strict=True)}  # fmt: skip
            row["rel_error"] = {lab: r.rel_error for lab, r in zip(labels, vrows, strict=True)}
            row["status"] = {lab: r.status for lab, r in zip(labels, vrows, strict=True)}
        results.append(row)
    if args.json:
        # strict JSON: a round trip turns inf and nan into the strings "Infinity", "NaN"
        clean = json.loads(json.dumps(results), parse_constant=str)
        out = {"expression": expr.text, "order": args.order, "points": clean}
        if reports:
            out["ok"] = reports[0].ok
        print(json.dumps(out, indent=2))
    else:
        _print_table(expr.text, variables, labels, results, bool(reports))
    if reports and not reports[0].ok:
        print("dualdiff: validation FAILED: dualdiff and mpmath disagree", file=sys.stderr)
        return 1
    return 0


def _print_table(text: str, variables: Sequence[str], labels: Sequence[str],
                 results: list[dict[str, Any]], validated: bool) -> None:  # fmt: skip
    header = [*variables, "f", *labels]
    if validated:
        for lab in labels:
            header += [f"mpmath {lab}", "rel err", "status"]
    rows = []
    for r in results:
        cells = [repr(v) for v in r["at"].values()] + [repr(r["f"])]
        cells += [repr(r["derivatives"][lab]) for lab in labels]
        if validated:
            for lab in labels:
                ref = r["mpmath"][lab]
                cells += [ref or "-", f"{r['rel_error'][lab]:.2e}", r["status"][lab]]
        rows.append(cells)
    widths = [max(len(h), *(len(c[i]) for c in rows)) for i, h in enumerate(header)]
    print(f"f = {text}")
    for cells in (header, *rows):
        print("  ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True)))


def _plot(fn: Callable[..., Any], expr: Expression, variables: Sequence[str],
          args: argparse.Namespace) -> int:  # fmt: skip
    if len(variables) != 1:
        raise UsageError("--plot draws functions of one variable")
    a, b = args.range
    if not (math.isfinite(a) and math.isfinite(b) and a < b):
        raise UsageError(f"--range needs finite A < B, got {a} {b}")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(
            "dualdiff: --plot needs matplotlib, which is not installed: "
            "pip install 'dualdiff-ad[plot]'",
            file=sys.stderr,
        )
        return 1
    xs = np.linspace(a, b, 400)
    with np.errstate(all="ignore"):
        f = derivative(fn)
        ys, dys = f.value_and_prime(xs)
    ys = np.broadcast_to(ys, xs.shape)
    v = variables[0]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(xs, ys, label=f"f({v}) = {expr.text}")
    ax.plot(xs, np.broadcast_to(dys, xs.shape), label=f"f'({v})", linestyle="--")
    ax.axhline(0, color="0.8", linewidth=0.8)
    ax.set_title(f"f and f' for f({v}) = {expr.text}")
    ax.set_xlabel(v)
    ax.set_ylabel("value")
    ax.legend()
    fig.tight_layout()
    try:
        fig.savefig(args.plot)
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot write the plot to {args.plot!r}: {exc}") from None
    finally:
        plt.close(fig)
    print(f"wrote {args.plot}")
    return 0


def _demo() -> int:
    f = derivative(lambda x: x**2 * _sin(x))
    print("f(x) = x**2 * sin(x): f, f' and f'' by dual numbers, f' by mpmath.diff")
    print(f"{'x':>6} {'f(x)':>22} {'f_prime(x)':>22} {'mpmath_diff':>22} {'f_second(x)':>22}")
    for x in (0.0, 0.5, 1.0, 1.5, 2.0, 3.0):
        with mpmath.workdps(40):
            ref = mpmath.diff(lambda t: t**2 * mpmath.sin(t), mpmath.mpf(x))
        ref_s = mpmath.nstr(mpmath.chop(ref, tol=1e-30), 17)
        print(f"{x:6.2f} {f(x):22.17g} {f.prime(x):22.17g} {ref_s:>22} {f.prime.prime(x):22.17g}")
    print('\ntry: dualdiff "x**2*sin(x)" --at 1.0 --validate   (dualdiff --help for more)')
    return 0


def _sin(x: Any) -> Any:
    from .rules import sin

    return sin(x)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or argparse's own usage errors (already printed)
        return int(exc.code or 0)
    if args.expr is None:
        return _demo()
    try:
        return _run(args)
    except UsageError as exc:
        print(f"dualdiff: {exc}", file=sys.stderr)
        return 2
    except (DomainError, ZeroDivisionError) as exc:
        print(f"dualdiff: {exc}", file=sys.stderr)
        return 1
    except OverflowError as exc:
        print(f"dualdiff: a value overflows a float ({exc})", file=sys.stderr)
        return 1
