"""Helpers for users' own test suites."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .validate import WORK_LIMIT, ValidationReport, validate

__all__ = ["assert_derivative_matches_mpmath"]


def assert_derivative_matches_mpmath(
    f: Callable[..., Any],
    points: Iterable[Any],
    *,
    order: int = 1,
    dps: int = 50,
    rtol: float = 1e-12,
    atol: float = 1e-300,
    mixed: bool = False,
    work_limit: float | None = WORK_LIMIT,
) -> ValidationReport:
    """Assert that dualdiff's derivatives of ``f`` agree with ``mpmath.diff`` at every point.

    The arguments are those of :func:`dualdiff.validate`. On failure (a row disagrees, or no
    row could be compared at all) the ``AssertionError`` message is the whole report table; on
    success the report is returned.

    >>> import dualdiff as dd
    >>> _ = assert_derivative_matches_mpmath(lambda x: dd.exp(x) * x, [0.0, 1.5])
    >>> assert_derivative_matches_mpmath(dd.ln, [-1.0])      # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    AssertionError: ...nothing compared...
    """
    report = validate(f, points, dps, order=order, rtol=rtol, atol=atol, mixed=mixed,
                      work_limit=work_limit)  # fmt: skip
    if not report.ok:
        raise AssertionError("\n" + str(report))
    return report
