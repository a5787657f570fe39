"""What NumPy and SciPy code works on Duals: the lists, read from the registries the rules fill.

``docs/numpy.md`` shows :func:`markdown`, ``docs/scipy.md`` :func:`scipy_markdown`; tests keep
the pages equal to them, so a page can never promise a function that has no rule, nor miss one
that has.

>>> "numpy.linalg.solve" in supported_functions()
True
"""

from __future__ import annotations

from typing import Any

from .dual import ARRAY_FUNCTIONS, UFUNC_METHODS, UFUNCS, ufunc_name

__all__ = ["markdown", "scipy_markdown", "supported_functions", "supported_ufuncs"]


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


#: dualdiff.scipy's modules with functions of SciPy's names (SciPy's own versions call asarray)
SCIPY_MODULES = ("special", "linalg", "integrate", "signal", "stats")


def scipy_markdown() -> str:
    """The generated part of docs/scipy.md (needs SciPy)."""
    import importlib

    from .rules import FUNCTIONS, RULES

    importlib.import_module("dualdiff.scipy.special")
    rows = [r for r in RULES.values() if r.module == "dualdiff.scipy.special"]

    def shown(r: Any) -> str:
        const = [r.args[i] for i in r.const]
        free = [a for a in r.args if a not in const]
        note = f" (in {', '.join(free)})" if const else ""
        return f"`{r.signature}`{note}"

    lines = [
        f"**scipy.special ufuncs, on Duals directly** ({len(rows)} rows): "
        + " · ".join(shown(r) for r in rows),
        "",
    ]
    for name in SCIPY_MODULES:
        module = importlib.import_module(f"dualdiff.scipy.{name}")
        names = sorted(n for n in module.__all__ if not (name == "special" and n in FUNCTIONS))
        lines += [
            f"**dualdiff.scipy.{name}** ({len(names)}): " + " · ".join(f"`{n}`" for n in names),
            "",
        ]
    return "\n".join(lines)
