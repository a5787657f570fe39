"""Memory for the derivative passes: a pool that keeps NumPy's large blocks between passes.

A vector-mode pass makes and drops many large tangent arrays of a few sizes. Under glibc's
default settings the heap grows during each pass and is trimmed back at its end, so each pass
faults its pages in afresh: at n = 10,000 the Brusselator's compressed pass spent as long in
page faults as in arithmetic (22× one evaluation of F, 13× without the faults). dualdiff runs
its passes (``jacobian``, ``gradient``, ``hessian``, ``hvp``, the sparse derivatives and
``@derivative``) inside :func:`pooled`: NumPy's arrays made there take their memory from a pool
(the compiled ``dualdiff/_pool.c``, a NEP 49 data-memory handler) that keeps freed blocks of
64 KiB and more, up to a limit (64 MiB unless :func:`set_limit` says otherwise), for the next
pass. Arrays made elsewhere, and your own code outside dualdiff's calls, keep NumPy's allocator.

Where the pool was not compiled (no C compiler, or ``DUALDIFF_PURE_PYTHON=1``) :func:`pooled`
does nothing and :func:`stats` says so; the numbers are the same either way.

>>> stats()["limit"] == 64 * 2**20 or not available()
True
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["available", "pooled", "release", "set_limit", "stats"]

_pool: Any = None
if not os.environ.get("DUALDIFF_PURE_PYTHON"):
    try:
        from . import _pool
    except ImportError:  # not built: NumPy's allocator throughout
        _pool = None


def available() -> bool:
    """Whether the compiled pool is in use (False: NumPy's own allocator throughout).

    >>> isinstance(available(), bool)
    True
    """
    return _pool is not None


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

    def __enter__(self) -> None:
        if _pool is not None:
            self._old = _pool.set_handler(None)

    def __exit__(self, *exc: object) -> None:
        if _pool is not None:
            _pool.set_handler(self._old)


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


def set_limit(nbytes: int) -> int:
    """Keep at most ``nbytes`` of freed blocks (0: keep none; blocks beyond a smaller limit are
    freed at once). Returns the previous limit (0 where the pool is not compiled).

    >>> old = set_limit(0); stats()["bytes"]
    0
    >>> _ = set_limit(old)
    """
    if isinstance(nbytes, bool) or not isinstance(nbytes, int):
        raise TypeError(f"set_limit takes a whole number of bytes, got {nbytes!r}")
    if nbytes < 0:
        raise ValueError(f"set_limit takes a number of bytes >= 0, got {nbytes}")
    if _pool is None:
        return 0
    return int(_pool.set_limit(nbytes))
