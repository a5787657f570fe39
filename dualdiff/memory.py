"""Memory for the derivative passes: a pool that keeps NumPy's large blocks for reuse.

A vector-mode pass makes and drops many large tangent arrays of a few sizes. Under glibc's
default settings the heap grows during each pass and is trimmed back at its end, so each pass
faults its pages in afresh: at n = 10,000 the Brusselator's compressed pass spent as long in
page faults as in arithmetic (22× one evaluation of F, 13× without the faults). dualdiff runs
its passes (``jacobian``, ``gradient``, ``hessian``, ``hvp``, the sparse derivatives and
``@derivative``) inside :func:`pooled`: NumPy's arrays made there take their memory from a pool
(the compiled ``dualdiff/_pool.c``, a NEP 49 data-memory handler) that keeps freed blocks of
64 KiB and more for the next request of their size. Arrays made elsewhere, and your own code
outside dualdiff's calls, keep NumPy's allocator.

Two limits (:func:`set_limits`): while a dualdiff call runs, the pool keeps up to ``working``
bytes (1 GiB), so that a pass whose intermediates are large (pairwise terms of 200 bodies at
200 directions: 95 MB each) reuses them instead of faulting them in again; when the last call
returns, it gives back the oldest blocks down to ``kept`` bytes (64 MiB), which serve the next
call (a solver's repeated Jacobians). :func:`release` gives everything back now.

Where the pool was not compiled (no C compiler, or ``DUALDIFF_PURE_PYTHON=1``) :func:`pooled`
does nothing and :func:`stats` says so; the numbers are the same either way.

>>> limits() == {"kept": 64 * 2**20, "working": 2**30} or not available()
True
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["available", "limits", "pooled", "release", "set_limits", "stats"]

_pool: Any = None
if not os.environ.get("DUALDIFF_PURE_PYTHON"):
    try:
        from . import _pool
    except ImportError:  # not built: NumPy's allocator throughout
        _pool = None


if _pool is not None and hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_pool.after_fork)  # (a lock held by a thread not forked)


def available() -> bool:
    """Whether the compiled pool is in use (False: NumPy's own allocator throughout).

    >>> isinstance(available(), bool)
    True
    """
    return _pool is not None


_limits = {"kept": 64 * 2**20, "working": 2**30}  # (the compiled pool holds them too)
_limits_lock = threading.Lock()


def _nothing(*args: Any) -> None:
    return None


#: ``token = begin()`` ... ``end(token)``: what :class:`pooled` does, as two plain calls for the
#: hot paths (half a microsecond, where a ``with`` block costs three times that)
begin: Callable[[], Any] = _nothing if _pool is None else _pool.enter
end: Callable[[Any], None] = _nothing if _pool is None else _pool.exit


class pooled:  # a context manager, named in lower case as contextlib's are
    """Within the block, NumPy arrays take their memory from dualdiff's pool (nothing changes
    where the pool is not compiled). Nested blocks and threads are safe: NumPy keeps the
    allocator in a context variable, and each array returns its memory to the pool it came from.

    >>> import numpy as np
    >>> with pooled():
    ...     a = np.ones(20_000)
    >>> float(a.sum())
    20000.0
    """

    __slots__ = ("_old",)

    def __init__(self) -> None:
        self._old: list[Any] = []  # a stack: one instance may be entered again, nested

    def __enter__(self) -> None:
        self._old.append(begin())

    def __exit__(self, *exc: object) -> None:
        end(self._old.pop())


def stats() -> dict[str, int]:
    """The pool's kept ``blocks`` and their ``bytes``, its ``limit``, and the requests it
    served from kept blocks (``hits``) or passed to malloc (``misses``); zeros where the pool
    is not compiled.

    >>> sorted(stats())
    ['blocks', 'bytes', 'hits', 'limit', 'misses']
    """
    if _pool is None:
        return {"blocks": 0, "bytes": 0, "limit": 0, "hits": 0, "misses": 0}
    return dict(_pool.stats())


def release() -> None:
    """Give every kept block back to the system now (arrays in use are not affected).

    >>> release(); stats()["bytes"]
    0
    """
    if _pool is not None:
        _pool.release()


def limits() -> dict[str, int]:
    """The pool's two limits in bytes: ``kept`` between dualdiff's calls, ``working`` while one
    runs.

    >>> sorted(limits())
    ['kept', 'working']
    """
    return dict(_limits)


def set_limits(kept: int | None = None, working: int | None = None) -> dict[str, int]:
    """Set either limit (bytes; 0 keeps nothing), and return the previous ones. A smaller
    limit frees the oldest blocks beyond it now; ``working`` below ``kept`` is raised to it.

    >>> old = set_limits(kept=0); stats()["bytes"]
    0
    >>> _ = set_limits(**old)
    """
    for name, n in (("kept", kept), ("working", working)):
        if n is None:
            continue
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"set_limits: {name} takes a whole number of bytes, got {n!r}")
        if n < 0:
            raise ValueError(f"set_limits: {name} takes a number of bytes >= 0, got {n}")
    with _limits_lock:  # one caller at a time: the dict and the compiled pool agree
        old = dict(_limits)
        new_kept = old["kept"] if kept is None else kept
        new_working = max(old["working"] if working is None else working, new_kept)
        if _pool is not None:
            _pool.set_limits(new_kept, new_working)
        _limits.update(kept=new_kept, working=new_working)
    return old
