"""Timing helpers shared by the benchmark scripts: best of several repeats, like timeit."""

from __future__ import annotations

import timeit
from collections.abc import Callable
from typing import Any


def best(fn: Callable[[], Any], budget: float = 0.4, repeat: int = 7) -> float:
    """Seconds per call of ``fn``: the minimum over ``repeat`` runs of ~``budget`` seconds each."""
    fn()  # warm up
    once = timeit.timeit(fn, number=1)
    number = max(1, int(budget / max(once, 1e-9)))
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def fmt_time(s: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)):
        if s >= scale:
            return f"{s / scale:8.2f} {unit}"
    return f"{s / 1e-9:8.2f} ns"
