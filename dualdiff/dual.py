"""The dual number ``value + tangent·ε`` (ε² = 0) and its arithmetic.

The operators implement the sum, difference, product, quotient and power rules. Elementary
functions live in :mod:`dualdiff.rules`; NumPy functions in :mod:`dualdiff.arrayfuncs`. Both
register themselves in the tables ``UFUNCS`` and ``ARRAY_FUNCTIONS`` below.

Tags keep nested differentiations apart: every differentiation draws a fresh, larger tag. When
two Duals with different tags meet, the one with the larger tag is the outer number and the other
is a constant inside it.
"""

from __future__ import annotations

import importlib
import itertools
import math
import numbers
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

import mpmath
import numpy as np

from .directions import Directions, Tangent
from .kinds import base_value, is_complex, set_dual_class
from .ndarray_methods import NdarrayMethods

__all__ = ["Dual", "new_tag"]

# The compiled core (dualdiff/_speedups.c) stores the fields and runs the hot arithmetic; without
# it (not built, or DUALDIFF_PURE_PYTHON=1) the same formulas run from dualdiff/fastpaths.py.
speedups: Any = None
if not os.environ.get("DUALDIFF_PURE_PYTHON"):
    try:
        from . import _speedups as speedups
    except ImportError:  # pragma: no cover - depends on the build
        speedups = None
_BASES: tuple[Any, ...] = (() if speedups is None else (speedups.DualBase,)) + (NdarrayMethods,)

_new = object.__new__
tag_counter = itertools.count(1)
_MPF = mpmath.mpf
_MPC = mpmath.mpc
_NDARRAY = np.ndarray
_INF = math.inf

#: numpy ufunc -> implementation taking the ufunc's inputs (filled by rules.py, arrayfuncs.py)
UFUNCS: dict[Any, Callable[..., Any]] = {}
#: item assignment, installed by dualdiff.assign (one entry)
ASSIGN: list[Callable[[Any, Any, Any], None]] = []
#: (ufunc, method) -> implementation, for np.add.reduce and kin (filled by arrayfuncs.py)
UFUNC_METHODS: dict[tuple[Any, str], Callable[..., Any]] = {}
#: numpy function -> implementation (filled by arrayfuncs.py)
ARRAY_FUNCTIONS: dict[Any, Callable[..., Any]] = {}
#: numpy functions whose rule holds for complex Duals too (arrayfuncs.py's linear and
#: multilinear declarations add theirs); any other refuses a complex Dual with a TypeError
COMPLEX_OK: set[Any] = set()


def new_tag() -> int:
    """A fresh tag, larger than every tag handed out before.

    >>> new_tag() < new_tag()
    True
    """
    return next(tag_counter)


def make(v: Any, t: Any, tag: int) -> Dual:
    d = _new(Dual)
    d._v = v
    d._t = t
    d._tag = tag
    return d


def ufunc_name(ufunc: Any) -> str:
    """A ufunc's public name, by the module users call it from (numpy, scipy.special, ...)."""
    name = ufunc.__name__
    if getattr(np, name, None) is ufunc:
        return f"numpy.{name}"
    special = sys.modules.get("scipy.special")
    if special is not None and getattr(special, name, None) is ufunc:
        return f"scipy.special.{name}"
    if getattr(sys.modules.get("scipy.special._ufuncs"), name, None) is ufunc:
        return f"scipy.special.{_SCIPY_WRAPPERS.get(name, name)}"
    return f"the ufunc {name}"


#: SciPy's private ufuncs, by the public function that calls them
_SCIPY_WRAPPERS = {"_zeta": "zeta", "_riemann_zeta": "zeta", "_lambertw": "lambertw"}


def _load_scipy_rows(ufunc: Any) -> bool:
    """Import the rows of scipy.special the first time one of SciPy's ufuncs meets a Dual."""
    ufuncs = sys.modules.get("scipy.special._ufuncs")
    if ufuncs is None or getattr(ufuncs, ufunc.__name__, None) is not ufunc:
        return False
    importlib.import_module("dualdiff.scipy.special")
    return True


def _scipy_hint() -> str | None:
    """Where SciPy's own function turned a Dual into an array: the message naming dualdiff's
    version of that function (dualdiff.scipy.<module>.<name>), or None outside SciPy."""
    try:
        frame = sys._getframe(2)
    except ValueError:  # no Python caller at all
        return None
    outer = None
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.startswith("scipy."):
            outer = (module, frame.f_code.co_name)
        elif outer is not None:
            break
        frame = frame.f_back
    if outer is None:
        return None
    public = ".".join(p for p in outer[0].split(".") if not p.startswith("_"))
    name = outer[1]
    ours = f"dualdiff.{public}"
    try:
        found = getattr(importlib.import_module(ours), name, None) is not None
    except ImportError:
        found = False
    what = f"{public}.{name} converts its input with np.asarray, which would drop a Dual's tangent"
    if found:
        return f"{what}: use {ours}.{name}, the same function on Duals"
    return f"{what}, and dualdiff has no version of it (see docs/scipy.md for what it has)"


def _restore(v: Any, t: Any, tag: int) -> Dual:
    """Rebuild a pickled Dual."""
    return make(v, t, tag)


def fmt(x: Any) -> str:
    """A short text for a value in an error message."""
    if isinstance(x, Dual):
        return fmt(x._v)
    if isinstance(x, (_MPF, _MPC)):
        return mpmath.nstr(x, 17)
    if isinstance(x, _NDARRAY) and x.size > 6:
        return f"array of shape {x.shape}"
    return repr(x)


def _component(x: Any, what: str) -> Any:
    """Check and normalise a value or tangent given to the public constructor."""
    tx = type(x)
    if tx is float or tx is complex or isinstance(x, (Dual, _MPF, _MPC)):
        return x
    if tx is int or tx is bool:
        return float(x)
    if isinstance(x, np.generic):
        if isinstance(x, (np.bool_, np.integer)) or x.dtype == np.float64:
            return float(x)
        if x.dtype == np.complex128:
            return complex(x)
        if isinstance(x, (np.floating, np.complexfloating)):
            return x
    elif isinstance(x, _NDARRAY):
        if x.dtype.kind in "biu":
            return x.astype(np.float64)
        if x.dtype.kind in "fc":
            return x
        if x.dtype == object and all(isinstance(e, (_MPF, _MPC, float, int)) for e in x.flat):
            return x  # mpf (mpc) numbers, at mpmath's precision
    elif isinstance(x, Tangent) and what == "tangent":
        return x
    elif isinstance(x, (list, tuple)):
        a = np.asarray(x)
        return _component(a if a.dtype.kind in "fc" else a.astype(np.float64), what)
    elif isinstance(x, numbers.Real):
        return float(x)
    elif isinstance(x, numbers.Complex):
        return complex(x)
    elif hasattr(x, "__array_ufunc__") and hasattr(x, "shape") and hasattr(x, "dtype"):
        if np.dtype(x.dtype).kind in "fc":
            return x  # dask, CuPy, ...: never coerced, so lazy values stay lazy
    raise TypeError(
        f"Dual {what} must be a float, complex, int, NumPy float or complex array, mpmath.mpf, "
        f"mpmath.mpc or Dual, got {type(x).__name__}"
    )


class Dual(*_BASES):
    """A dual number ``value + tangent·ε`` with ``ε² = 0``: a value and its derivative.

    ``value`` and ``tangent`` may be floats, NumPy arrays (elementwise, one Dual for the whole
    array), ``mpmath.mpf`` numbers or Duals (nesting, for higher derivatives). A scalar
    ``tangent`` is broadcast to the shape of an array ``value``.

    >>> x = Dual(3.0, 1.0)            # x = 3, dx = 1
    >>> x * x + 2 * x                 # d/dx (x² + 2x) = 2x + 2 = 8
    Dual(15.0, 8.0)
    >>> (x * x).value, (x * x).tangent
    (9.0, 6.0)

    Comparisons compare values; ``float(x)`` refuses, since it would drop the tangent.
    """

    __slots__ = () if speedups is not None else ("_t", "_tag", "_v")
    _is_dual = True
    __array_priority__ = 30

    def __init__(self, value: Any, tangent: Any = 0.0, *, tag: int | None = None) -> None:
        v = _component(value, "value")
        t = _component(tangent, "tangent")
        inner = max(
            (c._tag for c in (v, t) if isinstance(c, Dual)),
            default=-1,
        )
        if tag is None:
            tag = 0 if inner < 0 else new_tag()
        elif not isinstance(tag, int) or tag < 0:
            raise ValueError(f"Dual tag must be a non-negative int, got {tag!r}")
        elif tag <= inner:
            raise ValueError(f"Dual tag {tag} must be larger than the tags inside it (got {inner})")
        if is_complex(t) and not is_complex(v):
            raise TypeError(
                "Dual tangent is complex but the value is real: a real value moves in real "
                "directions only; make the value complex (Dual(complex(v), t)) to move it off "
                "the real line"
            )
        vshape = v.shape if isinstance(v, Dual) else np.shape(v)
        tshape = t.shape if isinstance(t, Dual) else np.shape(t)
        if isinstance(t, Tangent):
            if t.shape != tuple(vshape):
                raise ValueError(
                    f"Dual tangent directions have value shape {t.shape}, expected {vshape}"
                )
        elif vshape and not tshape:
            if isinstance(v, _NDARRAY):
                t = np.full(v.shape, t, dtype=np.result_type(v.dtype, np.float64))
            elif not isinstance(v, Dual):
                t = np.full_like(v, t)
        elif tshape != tuple(vshape):
            raise ValueError(f"Dual tangent has shape {tshape}, value has shape {vshape}")
        self._v = v
        self._t = t
        self._tag = tag

    # --- read-only attributes -------------------------------------------------------------
    @property
    def value(self) -> Any:
        """The value part ``a`` of ``a + b·ε``."""
        return self._v

    @property
    def tangent(self) -> Any:
        """The tangent (derivative) part ``b`` of ``a + b·ε``."""
        return self._t

    @property
    def tag(self) -> int:
        """Which differentiation this number belongs to (larger = newer = outer)."""
        return self._tag

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(np.shape(self._v))

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    @property
    def dtype(self) -> Any:
        b = base_value(self._v)
        if type(b) is complex:
            return np.dtype(np.complex128)
        return getattr(b, "dtype", np.dtype(np.float64))

    @staticmethod
    def _cast(d: Dual, kind: Any) -> Dual:
        """``d`` with value and tangent as float kind ``kind`` (for ``astype``)."""

        def cast(x: Any) -> Any:
            if isinstance(x, Dual):
                return make(cast(x._v), cast(x._t), x._tag)
            if type(x) is Directions:
                return Directions(x.array.astype(kind))
            if isinstance(x, Tangent):  # the sparse tangents (dualdiff.sparse) cast themselves
                return x.astype(kind)
            if isinstance(x, (_NDARRAY, np.generic)):
                return x.astype(kind)
            return x if kind == np.float64 and type(x) is float else kind.type(x)

        return make(cast(d._v), cast(d._t), d._tag)

    def __repr__(self) -> str:
        tag = f", tag={self._tag}" if self._tag else ""
        return f"Dual({self._v!r}, {self._t!r}{tag})"

    def __format__(self, spec: str) -> str:
        if not spec:
            return repr(self)
        t = self._t
        sign = "-" if (not isinstance(t, Dual) and np.ndim(t) == 0 and t < 0) else "+"
        mag = -t if sign == "-" else t
        return f"{format(self._v, spec)}{sign}{format(mag, spec)}ε"

    # --- conversions that would lose the tangent --------------------------------------------
    def _no_convert(self, kind: str) -> Any:
        raise TypeError(
            f"{kind}() of a Dual would drop its tangent: use .value for the number "
            f"(and dualdiff's functions, such as dd.sin, in place of math's)"
        )

    def __float__(self) -> float:
        raise TypeError(
            "float() of a Dual would drop its tangent: use .value for the number (and "
            "dualdiff's functions, such as dd.sin, in place of math's). To fill an array with "
            "Duals, make it from the input: out = np.zeros_like(x), then out[i] = ..."
        )

    def __int__(self) -> int:
        return self._no_convert("int")

    def __complex__(self) -> complex:
        return self._no_convert("complex")

    def __index__(self) -> int:
        return self._no_convert("index")

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        raise TypeError(
            _scipy_hint()
            or "a Dual cannot become a NumPy array (that would drop its tangent): "
            "combine Duals with np.stack or np.concatenate, or use .value for the numbers"
        )

    def __bool__(self) -> bool:
        return bool(self._v)

    def __hash__(self) -> int:
        return hash(self._v)

    # --- comparisons: on values ----------------------------------------------------------
    def __eq__(self, o: Any) -> Any:  # type: ignore[override]
        return self._v == (o._v if isinstance(o, Dual) else o)

    def __ne__(self, o: Any) -> Any:  # type: ignore[override]
        return self._v != (o._v if isinstance(o, Dual) else o)

    def __lt__(self, o: Any) -> Any:
        return self._v < (o._v if isinstance(o, Dual) else o)

    def __le__(self, o: Any) -> Any:
        return self._v <= (o._v if isinstance(o, Dual) else o)

    def __gt__(self, o: Any) -> Any:
        return self._v > (o._v if isinstance(o, Dual) else o)

    def __ge__(self, o: Any) -> Any:
        return self._v >= (o._v if isinstance(o, Dual) else o)

    # --- containers (array values) -------------------------------------------------------
    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of a Dual with a scalar value")
        return self.shape[0]

    def __iter__(self) -> Iterator[Dual]:
        for i in range(len(self)):
            yield self[i]

    def __getitem__(self, idx: Any) -> Dual:
        if isinstance(idx, Dual):
            idx = idx._v
        v = self._v[idx]
        t = self._t[idx]
        if type(v) is np.float64:  # a scalar element: back onto the float fast paths
            v = float(v)
            if type(t) is np.float64:
                t = float(t)
        elif type(v) is np.complex128:
            v = complex(v)
            if type(t) is np.complex128 or type(t) is np.float64:
                t = complex(t)
        return make(v, t, self._tag)

    def __setitem__(self, idx: Any, item: Any) -> None:
        """``x[idx] = item``: the value and the tangent are written, as NumPy writes a value
        (:mod:`dualdiff.assign`)."""
        ASSIGN[0](self, idx.value if isinstance(idx, Dual) else idx, item)

    def __pos__(self) -> Dual:
        return self

    def __reduce__(self) -> tuple[Any, tuple[Any, Any, int]]:
        # pickle, copy and deepcopy rebuild the three fields as they are (tag included)
        return _restore, (self._v, self._t, self._tag)

    # --- the rest is in other modules --------------------------------------------------------
    def __abs__(self) -> Dual:
        return np.absolute(self)

    def __matmul__(self, o: Any) -> Any:
        return np.matmul(self, o)

    def __rmatmul__(self, o: Any) -> Any:
        return np.matmul(o, self)

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if method != "__call__":
            impl = UFUNC_METHODS.get((ufunc, method))
            if impl is None:
                raise TypeError(f"{ufunc_name(ufunc)}.{method} is not supported on Duals")
            return impl(*inputs, **kwargs)
        given = sorted(k for k, v in kwargs.items() if v is not None)
        if given:
            raise TypeError(f"{ufunc_name(ufunc)} on Duals takes no keyword arguments, got {given}")
        impl = UFUNCS.get(ufunc)
        if impl is None and _load_scipy_rows(ufunc):
            impl = UFUNCS.get(ufunc)
        if impl is None:
            raise TypeError(f"{ufunc_name(ufunc)} has no dualdiff rule, so it cannot take a Dual")
        return impl(*inputs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        impl = ARRAY_FUNCTIONS.get(func)
        if impl is None:
            name = f"{func.__module__}.{func.__name__}".replace("numpy.linalg._linalg", "numpy")
            raise TypeError(f"{name} has no dualdiff rule, so it cannot take a Dual")
        if func not in COMPLEX_OK and _any_complex(args, kwargs):
            name = f"{func.__module__}.{func.__name__}".replace("numpy.linalg._linalg", "numpy")
            raise TypeError(
                f"{name} on complex Duals is not supported: its dualdiff rule is written for "
                "real numbers (complex ordering has no derivative, as in sort; complex qr and "
                "lstsq are not written)"
            )
        return impl(*args, **kwargs)


set_dual_class(Dual)


def _any_complex(args: Any, kwargs: Any) -> bool:
    """Whether a Dual or array among the arguments (or in a list of them) is complex."""
    for a in (*args, *kwargs.values()):
        if isinstance(a, (list, tuple)):
            if any(isinstance(e, (Dual, _NDARRAY)) and is_complex(e) for e in a):
                return True
        elif isinstance(a, (Dual, _NDARRAY)) and is_complex(a):
            return True
    return False


# --- helpers shared by the operators, the rules and the array functions -------------------------


def is_constant(x: Any) -> bool:
    """A value that may stand beside a Dual as a constant."""
    return (
        type(x) in (float, int, bool, complex)
        or isinstance(x, (_NDARRAY, np.generic, _MPF, _MPC, Dual, Tangent, numbers.Number))
        or (hasattr(x, "__array_ufunc__") and hasattr(x, "shape"))
    )


def top_tag(*args: Any) -> int:
    """The tag of the outermost Dual among ``args`` (-1 if none is a Dual)."""
    tag = -1
    for a in args:
        if isinstance(a, Dual) and a._tag > tag:
            tag = a._tag
    return tag


def parts(x: Any, tag: int) -> tuple[Any, Any]:
    """(value, tangent) of ``x`` at level ``tag``; the tangent is None for a constant."""
    if isinstance(x, Dual) and x._tag == tag:
        return x._v, x._t
    return x, None


def shape_of(x: Any) -> tuple[int, ...]:
    return x.shape if isinstance(x, (Dual, Tangent)) else np.shape(x)


def fit(t: Any, value: Any) -> Any:
    """Broadcast a tangent to the shape of its value (after an op with a larger constant)."""
    vs = shape_of(value)
    if shape_of(t) != vs:
        return np.broadcast_to(t, vs)
    return t


if speedups is not None:
    make = speedups.make  # the compiled constructor (after arithmetic.py registers Dual)
