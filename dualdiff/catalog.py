"""What NumPy code works on Duals: the lists, read from the registries the rules fill.

``docs/numpy.md`` shows :func:`markdown`; a test keeps the page equal to it, so the page can
never promise a function that has no rule, nor miss one that has.

>>> "numpy.linalg.solve" in supported_functions()
True
"""

from __future__ import annotations

from typing import Any

from .dual import ARRAY_FUNCTIONS, UFUNC_METHODS, UFUNCS, ufunc_name

__all__ = ["markdown", "supported_functions", "supported_ufuncs"]


def _public(func: Any) -> str:
    module = func.__module__ or "numpy"
    for private, public in (("numpy.linalg._linalg", "numpy.linalg"), ("numpy._core", "numpy")):
        module = module.replace(private, public)
    if module.startswith("numpy.lib") or module.startswith("numpy.core"):
        module = "numpy"
    return f"{module}.{func.__name__}"


def supported_functions() -> list[str]:
    """Every NumPy function (``__array_function__``) with a rule, by its public name."""
    return sorted({_public(f) for f in ARRAY_FUNCTIONS})


def supported_ufuncs(module: str = "numpy") -> list[str]:
    """Every ufunc of ``module`` (``numpy``, ``scipy.special``) with a rule, and the ufunc
    methods (``np.add.reduce``, ...)."""
    calls = {ufunc_name(u) for u in UFUNCS}
    methods = {f"{ufunc_name(u)}.{m}" for u, m in UFUNC_METHODS}
    return sorted(n for n in calls | methods if n.startswith(module + "."))


def markdown() -> str:
    """The generated part of docs/numpy.md."""

    def block(names: list[str]) -> str:
        return " · ".join(f"`{n.removeprefix('numpy.')}`" for n in names)

    funcs = supported_functions()
    linalg = [n for n in funcs if n.startswith("numpy.linalg.")]
    other = [n for n in funcs if n not in linalg]
    return (
        f"**Array functions** ({len(other)}): {block(other)}\n\n"
        f"**numpy.linalg** ({len(linalg)}): {block(linalg)}\n\n"
        f"**Ufuncs and ufunc methods** ({len(supported_ufuncs())}): "
        f"{block(supported_ufuncs())}\n"
    )
