"""Check dualdiff's derivatives against an independent high-precision reference.

The reference is ``mpmath.diff`` (numerical differentiation with mpmath's extrapolated finite
differences) of the *same* function evaluated on ``mpf`` arguments at ``dps`` digits: it uses
the rule table's evaluators but none of its derivative formulas. Where a central difference would
step outside the function's domain (``ln`` or ``sqrt`` at 0) a one-sided difference is used; if
neither side works, the point is reported as an edge, never with a nonsense reference.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import mpmath

from .api import Derivative, derivative
from .errors import DomainError

__all__ = ["Row", "ValidationReport", "validate"]


@dataclass(frozen=True)
class Row:
    """One compared derivative: at ``point``, with respect to argument ``arg``."""

    point: tuple[float, ...]
    arg: int
    dualdiff: float
    mpmath: Any  # mpf, or None where no reference could be formed
    abs_error: float
    rel_error: float
    ulps: float
    status: str  # "ok", "FAIL", "edge: ...", "inf ok"

    @property
    def ok(self) -> bool:
        return self.status != "FAIL"


@dataclass
class ValidationReport:
    """Rows comparing dualdiff with mpmath; prints as a table.

    ``ok`` is true when every row is within tolerance (edges with no reference do not fail);
    ``max_rel_error`` is the worst relative error over the rows that have a reference.
    """

    name: str
    order: int
    dps: int
    rtol: float
    atol: float
    rows: list[Row] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    @property
    def max_rel_error(self) -> float:
        errs = [r.rel_error for r in self.rows if r.mpmath is not None]
        return max(errs, default=0.0)

    def __str__(self) -> str:
        several = any(len(r.point) > 1 for r in self.rows)
        what = "d/dx" if self.order == 1 else f"d^{self.order}/dx^{self.order}"
        head = (
            f"validate {self.name}: {what} against mpmath.diff at {self.dps} digits "
            f"(rtol {self.rtol:g}, atol {self.atol:g}) -> {'ok' if self.ok else 'FAILED'}, "
            f"max rel error {self.max_rel_error:.2e}"
        )
        cols = ["point", *(["arg"] if several else []), "dualdiff", "mpmath", "abs err",
                "rel err", "ulps", "status"]  # fmt: skip
        lines = []
        for r in self.rows:
            point = ", ".join(repr(p) for p in r.point)
            ref = "-" if r.mpmath is None else mpmath.nstr(r.mpmath, 17)
            errs = [f"{r.abs_error:.2e}", f"{r.rel_error:.2e}", f"{r.ulps:.1f}"]
            cells = [point, *([str(r.arg)] if several else []), repr(r.dualdiff), ref, *errs,
                     r.status]  # fmt: skip
            lines.append(cells)
        widths = [max(len(c), *(len(row[i]) for row in lines)) for i, c in enumerate(cols)]
        fmt_row = lambda cells: "  ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True))
        return "\n".join([head, fmt_row(cols), *(fmt_row(c) for c in lines)])

    def __repr__(self) -> str:
        return (
            f"<ValidationReport {self.name} order={self.order} rows={len(self.rows)} "
            f"ok={self.ok} max_rel_error={self.max_rel_error:.2e}>"
        )


class _OutsideReals(Exception):
    """The function left the reals (or raised) at a point mpmath.diff sampled."""


def _mp_function(f: Callable[..., Any], name: str) -> Callable[..., Any]:
    """f on mpf arguments, refusing results that are not real mpf numbers."""

    def g(*args: Any) -> Any:
        try:
            y = f(*args)
        except (DomainError, ValueError, ZeroDivisionError, OverflowError) as exc:
            raise _OutsideReals(str(exc)) from None
        if isinstance(y, mpmath.mpc):
            raise _OutsideReals("complex result")
        if isinstance(y, int | float) and not isinstance(y, bool):
            if isinstance(y, float):
                raise TypeError(
                    f"validate: {name} returned a float for mpf arguments, so it computes in "
                    "double precision somewhere (math.sin instead of dd.sin, or a float "
                    "constant such as math.pi): write it with dualdiff's functions"
                )
            y = mpmath.mpf(y)
        if not isinstance(y, mpmath.mpf):
            raise TypeError(
                f"validate: {name} returned {type(y).__name__} for mpf arguments; it must "
                "return a real number"
            )
        if not mpmath.isfinite(y):
            raise _OutsideReals("non-finite result")
        return y

    return g


def _reference(
    g: Callable[..., Any], point: tuple[Any, ...], orders: tuple[int, ...], dual: float
) -> tuple[Any, str, Any]:
    """(reference, status, its uncertainty): central difference, else one-sided, else edge.

    The uncertainty is estimated by recomputing the difference with 20 more digits (a smaller
    step): tiny for smooth functions, larger for a one-sided difference where f is not smooth
    (x·sqrt(x) at 0). It matters where the true derivative is 0.
    """
    args = tuple(mpmath.mpf(p) for p in point)
    try:
        ref = mpmath.diff(g, args, orders)
        with mpmath.extradps(20):  # the reference's own error, seen with a finer step
            finer = mpmath.diff(g, args, orders)
        return ref, "ok", abs(finer - ref)
    except _OutsideReals:
        pass
    for direction in (1, -1):
        try:
            ref = mpmath.diff(g, args, orders, direction=direction)
        except _OutsideReals:
            continue
        if math.isinf(dual):
            # a truly infinite derivative: one-sided differences grow as the step shrinks
            eps = mpmath.mpf(2) ** (-mpmath.mp.prec // 3)
            coarse = mpmath.diff(g, args, orders, direction=direction, h=eps)
            fine = mpmath.diff(g, args, orders, direction=direction, h=eps / 2**20)
            grows = abs(fine) > 100 * abs(coarse) and mpmath.sign(fine) == math.copysign(1, dual)
            return None, "inf ok" if grows else "FAIL", None
        with mpmath.extradps(20):
            finer = mpmath.diff(g, args, orders, direction=direction)
        return ref, "ok (one-sided)", abs(finer - ref)
    return None, "edge: f undefined on both sides", None


def validate(
    f: Callable[..., Any],
    points: Iterable[Any],
    dps: int = 50,
    *,
    order: int = 1,
    rtol: float = 1e-12,
    atol: float = 1e-300,
) -> ValidationReport:
    """Compare dualdiff's derivatives of ``f`` with ``mpmath.diff`` at ``dps`` digits.

    ``points`` holds numbers (one argument) or tuples (several arguments: every partial
    derivative is checked, argument by argument). ``order=n`` checks the n-th derivative. A row
    passes when ``|dualdiff - mpmath| <= rtol·|mpmath| + atol``.

    >>> import dualdiff as dd
    >>> report = validate(lambda x: x**2 * dd.sin(x), [0.5, 1.0, 2.0])
    >>> report.ok, report.max_rel_error < 1e-15
    (True, True)
    >>> validate(dd.sqrt, [0.0, 4.0]).rows[0].status      # infinite slope at the edge
    'inf ok'
    """
    if isinstance(f, Derivative):
        f = f.__wrapped__
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"validate: order must be an int >= 1, got {order!r}")
    name = getattr(f, "__name__", "f")
    pts: list[tuple[float, ...]] = [
        tuple(float(c) for c in p) if isinstance(p, Sequence) else (float(p),) for p in points
    ]
    if not pts:
        raise ValueError("validate: no points given")
    nargs = len(pts[0])
    if any(len(p) != nargs for p in pts):
        raise ValueError("validate: every point needs the same number of arguments")
    report = ValidationReport(name, order, dps, rtol, atol)
    d = derivative(f)
    for i in range(nargs):
        g = d.partial(i) if nargs > 1 else d.prime
        for _ in range(order - 1):
            g = g.partial(i) if nargs > 1 else g.prime
        orders = tuple(order if j == i else 0 for j in range(nargs))
        for p in pts:
            report.rows.append(_compare(g, f, name, p, i, orders, dps, rtol, atol))
    return report


def _compare(
    g: Callable[..., Any], f: Callable[..., Any], name: str, p: tuple[float, ...], i: int,
    orders: tuple[int, ...], dps: int, rtol: float, atol: float,
) -> Row:  # fmt: skip
    nan = math.nan
    try:
        dual = float(g(*p))
    except DomainError as exc:  # fine if mpmath cannot evaluate f there either
        with mpmath.workdps(dps):
            ref, _, _ = _reference(_mp_function(f, name), p, orders, nan)
        status = f"edge: {exc}" if ref is None else "FAIL"
        return Row(p, i, nan, ref, nan, nan, nan, status)
    with mpmath.workdps(dps):
        ref, status, unsure = _reference(_mp_function(f, name), p, orders, dual)
        if ref is None:
            return Row(p, i, dual, None, nan, nan, nan, status)
        err = abs(mpmath.mpf(dual) - ref)
        resolved = abs(ref) > 2 * unsure  # the reference is distinguishable from 0
        if resolved:
            rel = float(err / abs(ref))
            ulps = float(err) / math.ulp(float(ref)) if math.isfinite(float(ref)) else math.inf
        else:
            rel = ulps = 0.0 if err <= 2 * unsure else math.inf
        ok = err <= rtol * abs(ref) + atol + 2 * unsure
        if ok and err > rtol * abs(ref) + atol:
            where = "one-sided, " if status != "ok" else ""
            status = f"ok ({where}reference ±{mpmath.nstr(unsure, 2)})"
    return Row(p, i, dual, ref, float(err), rel, ulps, status if ok else "FAIL")
