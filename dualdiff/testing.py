"""Helpers for users' own test suites."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .validate import ValidationReport, validate

__all__ = ["assert_derivative_matches_mpmath"]


def assert_derivative_matches_mpmath(
    f: Callable[..., Any],
    points: Iterable[Any],
    *,
    order: int = 1,
    dps: int = 50,
    rtol: float = 1e-12,
    atol: float = 1e-300,
) -> ValidationReport:
    """Assert that dualdiff's derivatives of ``f`` agree with ``mpmath.diff`` at every point.

    On failure the ``AssertionError`` message is the whole report table; on success the
    report is returned.

    >>> import dualdiff as dd
    >>> _ = assert_derivative_matches_mpmath(lambda x: dd.exp(x) * x, [0.0, 1.5])
    """
    report = validate(f, points, dps, order=order, rtol=rtol, atol=atol)
    if not report.ok:
        raise AssertionError("\n" + str(report))
    return report
