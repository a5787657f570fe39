"""Check dualdiff's derivatives against an independent high-precision reference.

The reference is ``mpmath.diff`` (numerical differentiation with mpmath's extrapolated finite
differences) of the *same* function evaluated on ``mpf`` arguments at ``dps`` digits: it uses
the rule table's evaluators but none of its derivative formulas. Where a central difference would
step outside the function's domain (``ln`` or ``sqrt`` at 0) a one-sided difference is used; if
neither side works, the point is reported as an edge, never with a nonsense reference. A report
in which no row could be compared is not ok: nothing was checked.

Complex points (``1+2j``, an ``mpc``) check the complex derivative of a holomorphic f: the
reference is ``mpmath.diff`` of f on ``mpc`` arguments (differences along the real axis, which for
a holomorphic f give f'(z)), and dualdiff's side is ``f.prime(z)``, which refuses a function that
is not holomorphic there (a ``ValueError`` naming the Wirtinger derivatives).

The work is bounded: mpmath's cost grows with the points, the order (each order multiplies the
working precision) and the digits, so :func:`validate` estimates it first and refuses, with a
``ValueError`` saying what to reduce, what would take more than ``work_limit`` seconds (the
estimate is calibrated on a 2-core machine; ``work_limit=None`` lifts the bound).
"""

from __future__ import annotations

import cmath
import math
import numbers
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import mpmath
import numpy as np

from .api import Derivative, derivative
from .errors import DomainError
from .workload import estimate_seconds, format_duration, partial_orders

__all__ = ["MIN_DPS", "WORK_LIMIT", "Row", "ValidationReport", "estimate_seconds", "validate"]

#: the fewest digits ``validate`` accepts: below a double's precision the reference cannot tell
#: a right derivative from a wrong one (at 5 digits a rule off by 1e-9 passes)
MIN_DPS = 15
#: default bound on the estimated work, in seconds (see :func:`estimate_seconds`)
WORK_LIMIT = 30.0


@dataclass(frozen=True)
class Row:
    """One compared derivative: at ``point``, with respect to argument ``arg``.

    ``wrt`` lists the arguments differentiated, one per order (``(0, 1)`` is the mixed second
    partial d²f/dx0 dx1); ``arg`` is its first entry. ``compared`` is false for an edge row,
    where no reference could be formed.
    """

    point: tuple[float | complex, ...]
    arg: int
    dualdiff: float | complex
    mpmath: Any  # mpf (mpc at a complex point), or None where no reference could be formed
    abs_error: float
    rel_error: float
    ulps: float
    status: str  # "ok", "FAIL", "edge: ...", "inf ok"
    wrt: tuple[int, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status != "FAIL"

    @property
    def compared(self) -> bool:
        return not self.status.startswith("edge")


@dataclass
class ValidationReport:
    """Rows comparing dualdiff with mpmath; prints as a table.

    ``ok`` is true when every row is within tolerance (edges with no reference do not fail)
    and at least one row was compared: a report whose every row is an edge checked nothing and
    is not ok. ``compared`` counts the compared rows; ``max_rel_error`` is the worst relative
    error over the rows that have a reference.
    """

    name: str
    order: int
    dps: int
    rtol: float
    atol: float
    rows: list[Row] = field(default_factory=list)

    @property
    def compared(self) -> int:
        return sum(r.compared for r in self.rows)

    @property
    def ok(self) -> bool:
        return self.compared > 0 and all(r.ok for r in self.rows)

    @property
    def max_rel_error(self) -> float:
        errs = [r.rel_error for r in self.rows if r.mpmath is not None]
        return max(errs, default=0.0)

    def _verdict(self) -> str:
        if not self.compared:
            return "FAILED: nothing compared (every row is an edge, with no reference)"
        verdict = "ok" if self.ok else "FAILED"
        if self.compared < len(self.rows):
            verdict += f" ({self.compared} of {len(self.rows)} rows compared)"
        return verdict

    def __str__(self) -> str:
        several = any(len(r.point) > 1 for r in self.rows)
        mixed = any(len(set(r.wrt)) > 1 for r in self.rows)
        if mixed:
            what = f"every partial of order {self.order}"
        else:
            what = "d/dx" if self.order == 1 else f"d^{self.order}/dx^{self.order}"
        head = (
            f"validate {self.name}: {what} against mpmath.diff at {self.dps} digits "
            f"(rtol {self.rtol:g}, atol {self.atol:g}) -> {self._verdict()}, "
            f"max rel error {self.max_rel_error:.2e}"
        )
        cols = ["point", *(["arg"] if several else []), "dualdiff", "mpmath", "abs err",
                "rel err", "ulps", "status"]  # fmt: skip
        lines = []
        for r in self.rows:
            point = ", ".join(repr(p) for p in r.point)
            arg = ",".join(map(str, r.wrt)) if len(set(r.wrt)) > 1 else str(r.arg)
            ref = "-" if r.mpmath is None else mpmath.nstr(r.mpmath, 17)
            errs = [f"{r.abs_error:.2e}", f"{r.rel_error:.2e}", f"{r.ulps:.1f}"]
            cells = [point, *([arg] if several else []), repr(r.dualdiff), ref, *errs,
                     r.status]  # fmt: skip
            lines.append(cells)
        widths = [max(len(c), *(len(row[i]) for row in lines)) for i, c in enumerate(cols)]
        fmt_row = lambda cells: "  ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True))
        return "\n".join([head, fmt_row(cols), *(fmt_row(c) for c in lines)])

    def __repr__(self) -> str:
        return (
            f"<ValidationReport {self.name} order={self.order} rows={len(self.rows)} "
            f"compared={self.compared} ok={self.ok} max_rel_error={self.max_rel_error:.2e}>"
        )


class _OutsideReals(Exception):
    """The function left the reals (or raised) at a point mpmath.diff sampled."""


def _mp_function(f: Callable[..., Any], name: str, complex_ok: bool = False) -> Callable[..., Any]:
    """f on mpf arguments, refusing results that are not real mpf numbers (at a complex point,
    ``complex_ok``: f on mpc arguments, its results mpf or mpc)."""

    def g(*args: Any) -> Any:
        try:
            y = f(*args)
        except (DomainError, ValueError, ZeroDivisionError, OverflowError) as exc:
            raise _OutsideReals(str(exc)) from None
        if isinstance(y, mpmath.mpc) and not complex_ok:
            raise _OutsideReals("complex result")
        if isinstance(y, int | float | complex) and not isinstance(y, bool):
            if isinstance(y, float | complex):
                raise TypeError(
                    f"validate: {name} returned a {type(y).__name__} for mpf arguments, so it "
                    "computes in double precision somewhere (math.sin instead of dd.sin, or a "
                    "float constant such as math.pi): write it with dualdiff's functions"
                )
            y = mpmath.mpf(y)
        if not isinstance(y, mpmath.mpf | mpmath.mpc):
            kind = "a real or complex number" if complex_ok else "a real number"
            raise TypeError(
                f"validate: {name} returned {type(y).__name__} for mpf arguments; it must "
                f"return {kind}"
            )
        if not mpmath.isfinite(y):
            raise _OutsideReals("non-finite result")
        return y

    return g


def _diff(g: Callable[..., Any], args: tuple[Any, ...], orders: tuple[int, ...],
          **options: Any) -> Any:  # fmt: skip
    """``mpmath.diff`` with a step relative to the arguments where they exceed 1.

    mpmath's default step is absolute (2**-(prec + 10)): beside an argument of 1e300 it is
    lost in rounding and the difference comes out 0. Scaled by the largest differentiated
    argument, ``x ± k·h`` stays exact at mpmath's working precision.
    """
    if "h" not in options:
        big = max((abs(a) for a, o in zip(args, orders, strict=True) if o), default=0)
        if big > 1:
            options["h"] = mpmath.ldexp(1, -mpmath.mp.prec - 10 + int(mpmath.mag(big)))
    return mpmath.diff(g, args, orders, **options)


def _reference(
    g: Callable[..., Any], point: tuple[Any, ...], orders: tuple[int, ...], dual: float
) -> tuple[Any, str, Any]:
    """(reference, status, its uncertainty): central difference, else one-sided, else edge.

    The uncertainty is estimated by recomputing the difference with 20 more digits (a smaller
    step): tiny for smooth functions, larger for a one-sided difference where f is not smooth
    (x·sqrt(x) at 0). It matters where the true derivative is 0.
    """
    args = tuple(_mp(p) for p in point)
    try:
        ref = _diff(g, args, orders)
        with mpmath.extradps(20):  # the reference's own error, seen with a finer step
            finer = _diff(g, args, orders)
        return ref, "ok", abs(finer - ref)
    except _OutsideReals:
        if isinstance(dual, complex):  # no domain edge to step back from in the complex plane
            return None, "edge: f undefined around the point", None
    for direction in (1, -1):
        try:
            ref = _diff(g, args, orders, direction=direction)
        except _OutsideReals:
            continue
        if math.isinf(dual):
            # a truly infinite derivative: one-sided differences keep growing as the step
            # shrinks, by a factor (1/sqrt(x) at 0) or by a constant step (ln x at 0), while
            # those of a finite derivative settle
            eps = mpmath.mpf(2) ** (-mpmath.mp.prec // 3)
            d = [mpmath.diff(g, args, orders, direction=direction, h=eps / 2 ** (20 * k))
                 for k in range(3)]  # fmt: skip
            a = [abs(v) for v in d]
            grows = a[2] > a[1] > a[0] and a[2] - a[1] > (a[1] - a[0]) / 2
            ok = grows and mpmath.sign(d[2]) == math.copysign(1, dual)
            return None, "inf ok" if ok else "FAIL", None
        with mpmath.extradps(20):
            finer = _diff(g, args, orders, direction=direction)
        return ref, "ok (one-sided)", abs(finer - ref)
    return None, "edge: f undefined on both sides", None


def _mp(p: float | complex) -> Any:
    return mpmath.mpc(p.real, p.imag) if isinstance(p, complex) else mpmath.mpf(p)


def _real(value: Any, what: str, *, positive: bool = False) -> float:
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    v = float(value) if ok else math.nan
    if not (math.isfinite(v) and (v > 0 if positive else v >= 0)):
        need = "> 0" if positive else ">= 0"
        raise ValueError(f"validate: {what} must be a finite real number {need}, got {value!r}")
    return v


def _coordinate(c: Any) -> float | complex:
    """A real coordinate as a float; a complex one (complex, NumPy complex, mpc) as a complex."""
    if isinstance(c, str | bytes):
        raise TypeError
    if isinstance(c, complex | np.complexfloating | mpmath.mpc):
        return complex(c)
    return float(c)


def _point(p: Any) -> tuple[float | complex, ...]:
    several = isinstance(p, Sequence) and not isinstance(p, str)
    coords = p if several or (isinstance(p, np.ndarray) and p.ndim > 0) else (p,)
    try:
        out = tuple(_coordinate(c) for c in coords)
        if not out:
            raise ValueError
    except (TypeError, ValueError):
        raise ValueError(
            f"validate: a point must be a number (real or complex) or a tuple of them, got {p!r}"
        ) from None
    if not all(cmath.isfinite(c) for c in out):
        raise ValueError(f"validate: points must be finite, got {p!r}")
    return out


def validate(
    f: Callable[..., Any],
    points: Iterable[Any],
    dps: int = 50,
    *,
    order: int = 1,
    rtol: float = 1e-12,
    atol: float = 1e-300,
    mixed: bool = False,
    work_limit: float | None = WORK_LIMIT,
) -> ValidationReport:
    """Compare dualdiff's derivatives of ``f`` with ``mpmath.diff`` at ``dps`` digits.

    ``points`` holds numbers (one argument) or tuples (several arguments: every partial
    derivative is checked, argument by argument). A complex number among them (``1+2j``,
    ``mpmath.mpc``) checks the complex derivative f'(z) of a holomorphic f against
    ``mpmath.diff`` on ``mpc``; where f is not holomorphic, ``f.prime``'s ``ValueError`` (naming
    the Wirtinger derivatives) is raised. ``order=n`` checks the n-th derivative
    (``mixed=True`` checks every partial of order n, mixed ones included, such as d²f/dxdy). A
    row passes when ``|dualdiff - mpmath| <= rtol·|mpmath| + atol``; the report is ok when
    every row passes and at least one row was compared. Edges compare nothing: points where
    neither dualdiff nor mpmath can evaluate, and points where mpmath's differences do not
    settle (``abs''`` at 0).

    ``dps`` is an int >= 15 (``MIN_DPS``). Work that :func:`estimate_seconds` puts above
    ``work_limit`` seconds is refused with a ``ValueError``; ``work_limit=None`` lifts it.

    >>> import dualdiff as dd
    >>> report = validate(lambda x: x**2 * dd.sin(x), [0.5, 1.0, 2.0])
    >>> report.ok, report.max_rel_error < 1e-15
    (True, True)
    >>> validate(dd.sqrt, [0.0, 4.0]).rows[0].status      # infinite slope at the edge
    'inf ok'
    >>> validate(dd.ln, [-1.0, -2.0]).ok                  # nothing could be compared
    False
    >>> validate(lambda z: dd.exp(z) / z, [1 + 2j, -0.5 - 1j]).ok   # f'(z) at complex points
    True
    >>> hessian = validate(lambda x, y: x**2 * y**3, [(1.0, 2.0)], order=2, mixed=True)
    >>> [(r.wrt, r.dualdiff) for r in hessian.rows]       # 2y³, 6xy², 6x²y
    [((0, 0), 16.0), ((0, 1), 24.0), ((1, 1), 12.0)]
    """
    if isinstance(f, Derivative):
        f = f.__wrapped__
    if isinstance(dps, bool) or not isinstance(dps, numbers.Integral) or dps < MIN_DPS:
        raise ValueError(
            f"validate: dps must be an int >= {MIN_DPS} (fewer digits than a double cannot "
            f"check a double's derivative), got {dps!r}"
        )
    if isinstance(order, bool) or not isinstance(order, numbers.Integral) or order < 1:
        raise ValueError(f"validate: order must be an int >= 1, got {order!r}")
    dps, order = int(dps), int(order)
    rtol, atol = _real(rtol, "rtol"), _real(atol, "atol")
    if not isinstance(mixed, bool):
        raise ValueError(f"validate: mixed must be True or False, got {mixed!r}")
    if work_limit is not None:
        work_limit = _real(work_limit, "work_limit", positive=True)
    if isinstance(points, str) or not isinstance(points, Iterable):
        raise TypeError(f"validate: points must be a list of numbers or tuples, got {points!r}")
    name = getattr(f, "__name__", "f")
    pts = [_point(p) for p in points]
    if not pts:
        raise ValueError("validate: no points given")
    nargs = len(pts[0])
    if any(len(p) != nargs for p in pts):
        raise ValueError("validate: every point needs the same number of arguments")
    if work_limit is not None:
        seconds = estimate_seconds(f, len(pts), nargs, dps, order=order, mixed=mixed)
        if seconds > work_limit:
            raise ValueError(
                f"validate: {len(pts)} points at order {order} and {dps} digits would take "
                f"about {format_duration(seconds)} (work_limit={work_limit:g} s): use fewer "
                "points, a lower order or fewer digits, or pass work_limit=None"
            )
    report = ValidationReport(name, order, dps, rtol, atol)
    d = derivative(f)
    for wrt in partial_orders(nargs, order, mixed):
        g = d
        for i in wrt:
            g = g.partial(i) if nargs > 1 else g.prime
        orders = tuple(wrt.count(j) for j in range(nargs))
        for p in pts:
            report.rows.append(_compare(g, f, name, p, wrt, orders, dps, rtol, atol))
    return report


def _compare(
    g: Callable[..., Any], f: Callable[..., Any], name: str, p: tuple[float, ...],
    wrt: tuple[int, ...], orders: tuple[int, ...], dps: int, rtol: float, atol: float,
) -> Row:  # fmt: skip
    nan, i = math.nan, wrt[0]
    cplx = any(isinstance(c, complex) for c in p)
    kind = complex if cplx else float
    mp_f = _mp_function(f, name, complex_ok=cplx)
    try:
        dual = kind(g(*p))
    except DomainError as exc:  # fine if mpmath cannot evaluate f there either
        if cplx:  # a singular point (ln at 0j): differences around it need not fail there
            return Row(p, i, nan, None, nan, nan, nan, f"edge: {exc}", wrt)
        with mpmath.workdps(dps):
            ref, _, _ = _reference(mp_f, p, orders, kind(nan))
        status = f"edge: {exc}" if ref is None else "FAIL"
        return Row(p, i, nan, ref, nan, nan, nan, status, wrt)
    except ValueError as exc:
        if "not holomorphic" not in str(exc):
            raise
        raise ValueError(f"validate: {exc}") from None
    with mpmath.workdps(dps):
        ref, status, unsure = _reference(mp_f, p, orders, dual)
        if ref is None:
            return Row(p, i, dual, None, nan, nan, nan, status, wrt)
        err = abs(_mp(dual) - ref)
        resolved = abs(ref) > 2 * unsure  # the reference is distinguishable from 0
        if not resolved and 2 * unsure > rtol * max(1, abs(dual)) + atol:
            # the differences do not settle (abs'' at 0, hypot's second partials at the
            # origin): a check against them would pass anything
            why = f"edge: mpmath's differences do not settle (±{mpmath.nstr(unsure, 2)})"
            return Row(p, i, dual, None, nan, nan, nan, why, wrt)
        if resolved:
            rel = float(err / abs(ref))
            size = float(abs(ref))
            ulps = float(err) / math.ulp(size) if math.isfinite(size) else math.inf
        else:
            rel = ulps = 0.0 if err <= 2 * unsure else math.inf
        ok = err <= rtol * abs(ref) + atol + 2 * unsure
        if ok and err > rtol * abs(ref) + atol:
            where = "one-sided, " if status != "ok" else ""
            status = f"ok ({where}reference ±{mpmath.nstr(unsure, 2)})"
    return Row(p, i, dual, ref, float(err), rel, ulps, status if ok else "FAIL", wrt)
