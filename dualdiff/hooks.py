"""Switches read by the arithmetic: whether a ``check_finite`` block is open, and where.

``active`` counts the ``check_finite`` blocks open in any thread; while it is 0 every operation
runs unchecked at full speed. ``CHECK`` says whether the *current* context (thread, task) is
inside one: only there is a result checked. ``checker`` is installed by :mod:`dualdiff.debug`.
This module imports nothing from dualdiff, so every module may read it.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

#: number of check_finite blocks open in any thread (0: every fast path runs unchecked)
active = 0
#: whether this context is inside a check_finite block
CHECK: ContextVar[Any] = ContextVar("dualdiff_check_finite", default=False)
#: checker(name, args, result) -> result, or raises; set by dualdiff.debug
checker: Callable[[str, tuple[Any, ...], Any], Any] | None = None


def after(name: str, args: tuple[Any, ...], r: Any) -> Any:
    """``r``, checked if this context is inside ``check_finite`` (call only when ``active``)."""
    if checker is not None and CHECK.get():
        return checker(name, args, r)
    return r
