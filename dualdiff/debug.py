"""``check_finite``: find the first operation that turns finite numbers into inf or NaN."""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Iterator
from typing import Any

import mpmath
import numpy as np

from . import hooks
from .directions import Directions
from .dual import Dual, fmt, speedups
from .errors import NonFiniteError

__all__ = ["all_finite", "check_finite", "check_result"]

_lock = threading.Lock()


def all_finite(xs: Any) -> bool:
    """Whether every number in ``xs`` (values and tangents of Duals included) is finite."""
    for x in xs:
        if isinstance(x, Dual):
            if not all_finite((x._v, x._t)):
                return False
        elif type(x) is Directions:
            if not np.isfinite(x.array).all():
                return False
        elif isinstance(x, mpmath.mpf):
            if not mpmath.isfinite(x):
                return False
        elif isinstance(x, (float, int)):
            if not math.isfinite(x):
                return False
        elif isinstance(x, (np.ndarray, np.generic)) and x.dtype.kind in "fc":
            if not np.isfinite(x).all():
                return False
    return True


def check_result(name: str, args: tuple[Any, ...], r: Any) -> Any:
    """``r``, unless finite ``args`` gave a Dual ``r`` with a non-finite value or tangent."""
    if isinstance(r, Dual) and all_finite(args) and not all_finite((r,)):
        shown = ", ".join(fmt(a) for a in args)
        raise NonFiniteError(
            f"{name}({shown}) gave a non-finite result from finite inputs: "
            f"value = {fmt(r._v)}, tangent = {fmt(r._t)}"
        )
    return r


hooks.checker = check_result


def _open_blocks(change: int) -> None:
    """Count a check_finite block in or out, in every thread: while any is open, the fast paths
    (compiled and Python) hand every operation to the general rules, which call hooks.after."""
    with _lock:
        hooks.active += change
        if speedups is not None:
            speedups.set_hooks(hooks.active)


class _Block:
    """One check_finite block; ``open`` until it exits."""

    __slots__ = ("open",)

    def __init__(self) -> None:
        self.open = True


class _Blocks(tuple):  # type: ignore[type-arg]
    """The value of hooks.CHECK: the blocks a context is inside, true while one is still open.

    A context copied inside a block (an asyncio task started there) is checked until the block
    exits, not after; blocks that exit out of order leave nothing behind."""

    __slots__ = ()

    def __bool__(self) -> bool:
        return any(b.open for b in self)


@contextlib.contextmanager
def check_finite() -> Iterator[None]:
    """Raise :class:`NonFiniteError` at the first Dual operation that makes inf or NaN.

    Operations whose inputs are already non-finite pass, so the error names the operation
    where the trouble starts. Only the code run inside the block is checked: other threads
    (and asyncio tasks started elsewhere) are not, though they run slower while it is open.
    Costs time; meant for debugging.

    >>> import dualdiff as dd
    >>> f = dd.derivative(lambda x: x + 0.0 * dd.sqrt(x))
    >>> f.prime(0.0)                      # the infinite slope meets a zero factor: no NaN
    1.0
    >>> with dd.check_finite():           # doctest: +ELLIPSIS
    ...     f.prime(0.0)
    Traceback (most recent call last):
    dualdiff.errors.NonFiniteError: sqrt(0.0) gave a non-finite result ... tangent = inf
    """
    mine = _Block()
    inside = _Blocks((*(b for b in hooks.CHECK.get() or () if b.open), mine))
    _open_blocks(+1)
    try:
        token = hooks.CHECK.set(inside)
        try:
            yield
        finally:
            mine.open = False
            if hooks.CHECK.get() is inside:
                with contextlib.suppress(ValueError):  # ValueError: left in another context
                    hooks.CHECK.reset(token)
    finally:
        _open_blocks(-1)
