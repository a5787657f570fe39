"""Shared helpers: the mpmath reference and tolerance checks."""

from __future__ import annotations

import mpmath
import pytest

import dualdiff as dd
import dualdiff.scipy.special


@pytest.fixture
def mp50():
    """mpmath at 50 digits for the duration of a test."""
    with mpmath.workdps(50):
        yield


def close(got, ref, rel: float, abs_: float = 0.0) -> bool:
    """|got - ref| <= rel·|ref| + abs_, computed in mpmath so the check itself loses nothing."""
    got, ref = mpmath.mpf(got), mpmath.mpf(ref)
    return abs(got - ref) <= rel * abs(ref) + abs_


@pytest.fixture
def register():
    """``dd.register`` for one test: every row it adds is removed when the test ends."""
    added: list[str] = []

    def reg(name, *args, **kwargs):
        fn = dd.register(name, *args, **kwargs)
        added.append(name)
        return fn

    yield reg
    for name in added:
        dd.unregister(name)
