"""Exceptions raised by dualdiff."""

from __future__ import annotations


class DomainError(ValueError):
    """A scalar argument lies outside a function's domain.

    The message names the function and the offending value:

    >>> import dualdiff as dd
    >>> dd.ln(-1.0)
    Traceback (most recent call last):
        ...
    dualdiff.errors.DomainError: ln(x) needs x > 0, got x = -1.0
    """


class ZeroDivisionDomainError(DomainError, ZeroDivisionError):
    """Division of a scalar by zero; both a :class:`DomainError` and a ``ZeroDivisionError``."""


class NonFiniteError(FloatingPointError):
    """Raised inside :func:`dualdiff.check_finite` where finite inputs gave a non-finite result."""
