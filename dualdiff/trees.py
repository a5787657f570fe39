"""Inputs of any shape and structure: nested dicts, lists, tuples and namedtuples of numbers and
arrays (JAX calls them pytrees), flattened into one vector of entries and rebuilt from one.

The rule, stated once:

* **Containers** are ``dict`` (in its key order), ``list``, ``tuple`` and named tuples; ``None``
  is an empty container. They nest freely, and a result mirrors the input's structure.
* **Leaves** are numbers (``float``, ``int``), NumPy arrays of any shape and ``mpmath.mpf``;
  integer arrays and ints are differentiated as floats. A ``bool``, a string or any other object
  is refused with a ``TypeError`` naming where it sits (``x['layers'][1]``).
* Flattening walks the structure depth first and lays each leaf's entries out in C order; a
  vector of ``size`` entries is rebuilt with the same shapes (a number comes back a number).

>>> import numpy as np
>>> flat, unravel = ravel({"W": np.ones((2, 2)), "b": 0.5})
>>> flat
array([1. , 1. , 1. , 1. , 0.5])
>>> unravel(np.arange(5.0))
{'W': array([[0., 1.],
       [2., 3.]]), 'b': np.float64(4.0)}
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np

__all__ = ["TreeDef", "flatten", "ravel", "unflatten"]

_MPF = mpmath.mpf


@dataclass(frozen=True)
class TreeDef:
    """The structure of a tree without its numbers: a container kind and its children, or a leaf
    (its shape, and whether it was a number rather than an array)."""

    kind: str  # "dict", "list", "tuple", "namedtuple", "none", "leaf"
    meta: Any = None  # dict keys, the namedtuple class, or the leaf's (shape, scalar)
    children: tuple[TreeDef, ...] = ()

    @property
    def leaves(self) -> int:
        """How many leaves the structure holds."""
        return 1 if self.kind == "leaf" else sum(c.leaves for c in self.children)

    @property
    def size(self) -> int:
        """How many entries its leaves hold in all (the length of the flat vector)."""
        if self.kind == "leaf":
            return math.prod(self.meta[0])
        return sum(c.size for c in self.children)

    def describe(self) -> str:
        """A short text of the structure, for error messages.

        >>> flatten({"a": [1.0, np.zeros(3)]})[1].describe()
        "{'a': [(), (3,)]}"
        """
        if self.kind == "leaf":
            return str(self.meta[0])
        inner = [c.describe() for c in self.children]
        if self.kind == "dict":
            return (
                "{" + ", ".join(f"{k!r}: {v}" for k, v in zip(self.meta, inner, strict=True)) + "}"
            )
        if self.kind == "list":
            return "[" + ", ".join(inner) + "]"
        if self.kind == "none":
            return "None"
        name = self.meta.__name__ if self.kind == "namedtuple" else ""
        return f"{name}(" + ", ".join(inner) + ("," if len(inner) == 1 and not name else "") + ")"


def _is_namedtuple(x: Any) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def _leaf(x: Any, path: str) -> Any:
    """A leaf as an array (float64, or object for mpf), refusing what has no derivative."""
    if isinstance(x, bool | np.bool_) or (isinstance(x, np.ndarray) and x.dtype == bool):
        raise TypeError(f"{path} is a bool: there is no derivative with respect to it")
    if isinstance(x, _MPF):
        return np.array(x, dtype=object)
    if isinstance(x, int | float | np.integer | np.floating):
        return np.asarray(x, dtype=np.float64)
    if isinstance(x, np.ndarray):
        if x.dtype == object:
            if all(isinstance(e, _MPF | int | float) for e in x.flat):
                return x
        elif x.dtype.kind in "iuf":
            return x.astype(np.float64) if x.dtype.kind in "iu" else x
        elif x.dtype.kind == "c":
            return x
    what = f"{type(x).__name__}" + (f" of {x.dtype}" if isinstance(x, np.ndarray) else "")
    raise TypeError(
        f"{path} is a {what}: leaves must be numbers, NumPy arrays of numbers or mpmath.mpf "
        "(containers: dict, list, tuple, namedtuple)"
    )


def flatten(tree: Any, path: str = "x") -> tuple[list[Any], TreeDef]:
    """The leaves of ``tree`` (as arrays, depth first) and its structure.

    >>> leaves, td = flatten((1.0, {"w": np.ones(2)}))
    >>> [leaf.shape for leaf in leaves], td.size
    ([(), (2,)], 3)
    """
    if isinstance(tree, dict):
        out: list[Any] = []
        defs = []
        for k, v in tree.items():
            leaves, d = flatten(v, f"{path}[{k!r}]")
            out += leaves
            defs.append(d)
        return out, TreeDef("dict", tuple(tree), tuple(defs))
    if isinstance(tree, list | tuple):
        out, defs = [], []
        for i, v in enumerate(tree):
            leaves, d = flatten(v, f"{path}[{i}]")
            out += leaves
            defs.append(d)
        if _is_namedtuple(tree):
            return out, TreeDef("namedtuple", type(tree), tuple(defs))
        return out, TreeDef("list" if isinstance(tree, list) else "tuple", None, tuple(defs))
    if tree is None:
        return [], TreeDef("none")
    arr = _leaf(tree, path)
    scalar = not isinstance(tree, np.ndarray)
    return [arr], TreeDef("leaf", (arr.shape, scalar))


def unflatten(td: TreeDef, leaves: list[Any]) -> Any:
    """The tree of structure ``td`` holding ``leaves`` (in :func:`flatten`'s order).

    >>> unflatten(flatten({"a": 1.0, "b": [2.0]})[1], [10.0, 20.0])
    {'a': 10.0, 'b': [20.0]}
    """
    it = iter(leaves)
    out = _build(td, it)
    if next(it, None) is not None:
        raise ValueError(f"unflatten: more leaves than the structure {td.describe()} holds")
    return out


def _build(td: TreeDef, it: Any) -> Any:
    if td.kind == "leaf":
        return next(it)
    if td.kind == "none":
        return None
    children = [_build(c, it) for c in td.children]
    if td.kind == "dict":
        return dict(zip(td.meta, children, strict=True))
    if td.kind == "list":
        return children
    if td.kind == "namedtuple":
        return td.meta(*children)
    return tuple(children)


def ravel(tree: Any, path: str = "x") -> tuple[Any, Callable[[Any], Any]]:
    """The entries of ``tree`` as one 1-D vector, and the function that rebuilds a tree of the
    same structure from any vector of that length (an array, or a Dual carrying tangents; a
    number leaf comes back a scalar).

    >>> flat, unravel = ravel([2.0, np.array([[1, 2]])])
    >>> flat, unravel(flat)[1]
    (array([2., 1., 2.]), array([[1., 2.]]))
    """
    leaves, td = flatten(tree, path)
    mp = any(leaf.dtype == object for leaf in leaves)
    complex_ = any(leaf.dtype.kind == "c" for leaf in leaves)
    dtype = object if mp else (np.complex128 if complex_ else np.float64)
    parts = [np.ravel(leaf).astype(dtype) for leaf in leaves]
    if mp:
        parts = [np.array([_MPF(e) for e in p], dtype=object) for p in parts]
    flat = np.concatenate(parts) if parts else np.zeros(0)
    return flat, unraveler(td)


def unraveler(td: TreeDef) -> Callable[[Any], Any]:
    """The function that rebuilds a tree of structure ``td`` from a vector, or from an array
    whose last axis is the flat one (a Jacobian's rows: each leaf gets ``lead + shape``).

    >>> un = unraveler(flatten({"a": 1.0, "b": np.zeros(2)})[1])
    >>> un(np.arange(6.0).reshape(2, 3))["b"]
    array([[1., 2.],
           [4., 5.]])
    """
    shapes = _leaf_shapes(td)
    ends = np.cumsum([math.prod(s) for s, _ in shapes]).tolist() if shapes else []

    def unravel(v: Any) -> Any:
        shape_v = np.shape(v.value if hasattr(v, "tangent") else v)
        if not shape_v or shape_v[-1] != td.size:
            raise ValueError(
                f"rebuilding {td.describe()} needs a last axis of {td.size} entries, "
                f"got shape {shape_v}"
            )
        lead = shape_v[:-1]
        leaves, start = [], 0
        for (shape, scalar), end in zip(shapes, ends, strict=True):
            part = v[..., start:end]
            if scalar:
                leaves.append(part[..., 0] if lead else part[0])
            else:
                leaves.append(np.reshape(part, lead + shape))
            start = end
        return unflatten(td, leaves)

    return unravel


def _leaf_shapes(td: TreeDef) -> list[tuple[tuple[int, ...], bool]]:
    if td.kind == "leaf":
        return [td.meta]
    return [s for c in td.children for s in _leaf_shapes(c)]
