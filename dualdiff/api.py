"""``@derivative``: evaluate a function and its derivatives at floats, arrays and mpf numbers.

Each differentiation seeds its input with a fresh tag, calls the function once and reads the
tangent of the result. ``f.prime`` is itself a decorated function, so ``f.prime.prime`` nests
Duals (tags keep the levels apart) and gives the second derivative exactly.
"""

from __future__ import annotations

import functools
import numbers
from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np

from .directions import Directions
from .dual import Dual, make, new_tag, tag_counter
from .kinds import base_value

__all__ = ["Derivative", "derivative", "seed", "split_result"]


def _one_like(x: Any) -> Any:
    if isinstance(x, np.ndarray):
        return np.broadcast_to(np.ones((), dtype=x.dtype), x.shape)  # read-only, no copy
    if isinstance(x, mpmath.mpf):
        return mpmath.mpf(1)
    if isinstance(x, (float, Dual)):
        return 1.0
    return np.ones_like(x)  # dask, CuPy: stays lazy / on device


def as_input(x: Any, who: str) -> Any:
    """Normalise a point to differentiate at (ints to floats, lists to float arrays)."""
    tx = type(x)
    if tx is float or isinstance(x, (Dual, mpmath.mpf)):
        return x
    if tx is int or tx is bool:
        return float(x)
    if isinstance(x, np.ndarray):
        if x.dtype.kind in "biu":
            return x.astype(np.float64)
        if x.dtype.kind in "fO":
            return x
    elif isinstance(x, np.generic):
        if isinstance(x, (np.integer, np.bool_)) or x.dtype == np.float64:
            return float(x)
        if isinstance(x, np.floating):
            return np.asarray(x)
    elif isinstance(x, (list, tuple)):
        objs = np.asarray(x, dtype=object)
        if any(isinstance(e, mpmath.mpf) for e in objs.ravel()):  # keep every digit
            entries = [_mpf_entry(e, who) for e in objs.ravel()]
            return np.array(entries, dtype=object).reshape(objs.shape)
        return as_input(np.asarray(x, dtype=np.float64), who)
    elif isinstance(x, numbers.Real):
        return float(x)
    elif hasattr(x, "__array_ufunc__") and hasattr(x, "shape"):
        return x
    if isinstance(x, (complex, mpmath.mpc)) or np.iscomplexobj(x):
        raise TypeError(
            f"{who}: complex points ({type(x).__name__}) are not supported yet; "
            "Duals are real: differentiate the real and imaginary parts separately"
        )
    raise TypeError(
        f"{who} needs a real number, NumPy array, mpmath.mpf or Dual, got {type(x).__name__}"
    )


def _mpf_entry(e: Any, who: str) -> Any:
    """An entry of a point given with mpf numbers: every entry becomes an mpf (none rounds)."""
    if isinstance(e, mpmath.mpf):
        return e
    if isinstance(e, numbers.Real) and not isinstance(e, bool):
        return mpmath.mpf(e)
    raise TypeError(f"{who} needs real numbers, got {type(e).__name__} beside mpmath.mpf")


def seed(x: Any, tag: int, who: str = "derivative") -> Dual:
    """``x + 1·ε`` with the given tag (elementwise for arrays)."""
    x = as_input(x, who)
    return make(x, _one_like(x), tag)


def _zero_like(r: Any) -> Any:
    while isinstance(r, Dual):
        r = r._v
    if isinstance(r, mpmath.mpf):
        return mpmath.mpf(0)
    if isinstance(r, np.ndarray):
        return np.zeros(r.shape)
    if np.ndim(r) == 0 and not hasattr(r, "__array_function__"):
        return 0.0
    return np.zeros_like(r)


def _is_number(r: Any) -> bool:
    return isinstance(r, (Dual, numbers.Real, mpmath.mpf, np.ndarray, np.generic)) or (
        hasattr(r, "__array_ufunc__") and hasattr(r, "shape") and type(r) is not Directions
    )


def _from_objects(r: np.ndarray, who: str) -> Any:
    """An object array holding Duals as one Dual of arrays (stacked), or a clear refusal."""
    items = list(r.ravel())
    if not any(isinstance(e, Dual) for e in items):
        return r
    for i, e in enumerate(items):
        if not isinstance(e, (Dual, numbers.Real, mpmath.mpf)):
            where = np.unravel_index(i, r.shape)
            raise TypeError(
                f"{who}: the function returned an object array holding Duals, whose entry "
                f"{tuple(int(j) for j in where)} is {type(e).__name__}, not a number; fill an "
                "array made with np.zeros_like(x) (x the input) or build it with np.stack"
            )
    return np.reshape(np.stack(items), r.shape)


def split_result(r: Any, tag: int, who: str) -> tuple[Any, Any]:
    """(value, tangent at ``tag``) of a function's result; a constant has tangent 0."""
    if isinstance(r, np.ndarray) and r.dtype == object:
        r = _from_objects(r, who)
    if isinstance(r, Dual):
        if r._tag == tag:
            v, t = r._v, r._t
            if isinstance(t, np.ndarray) and (not t.flags.writeable or t.shape != np.shape(v)):
                t = np.array(np.broadcast_to(t, np.shape(v)))
            if type(t) is np.float64:  # a scalar result reads as a Python float
                t = float(t)
            if type(v) is np.float64:
                v = float(v)
            return v, t
        if r._tag > tag:
            raise ValueError(
                f"{who}: the result carries a perturbation newer than this differentiation "
                f"(tag {r._tag} > {tag}); a Dual escaped from an inner differentiation"
            )
    elif not _is_number(r):
        raise TypeError(
            f"{who}: the function returned {type(r).__name__}, not a number or array; "
            "for several outputs return one array and use dd.jacobian"
        )
    return r, _zero_like(r)


def _elementwise(t: Any, x: Any) -> Any:
    """f' of an elementwise f has x's shape even where f ignores x (a constant's zero tangent)."""
    xb = base_value(x)
    xs, ts = np.shape(xb), np.shape(base_value(t))
    if xs and ts != xs and np.ndim(base_value(t)) <= len(xs):
        ones = np.ones_like(xb, dtype=np.result_type(xb, 0.0))  # lazy arrays stay lazy
        return t * ones if isinstance(t, Dual) else t + 0.0 * ones
    return t


def _name(f: Callable[..., Any]) -> str:
    return getattr(f, "__name__", type(f).__name__)


class Derivative:
    """A function that can also give its derivatives: made by :func:`derivative`.

    ``f(x)`` calls the function as written; ``f.prime`` is the derivative (itself a
    ``Derivative``, so ``f.prime.prime`` is the second); ``f.value_and_prime(x)`` returns
    both from one evaluation; ``f.grad(*args)`` and ``f.partial(i)`` handle several arguments.
    """

    def __new__(cls, f: Callable[..., Any], name: str | None = None) -> Derivative:
        # Each instance gets its own subclass whose __call__ *is* f: calling the decorated
        # function then costs one plain call more than calling f, not a Python-level wrapper.
        sub = type(
            cls.__name__, (cls,), {"__call__": staticmethod(f), "__module__": cls.__module__}
        )
        return object.__new__(sub)

    def __init__(self, f: Callable[..., Any], name: str | None = None) -> None:
        functools.update_wrapper(self, f)
        self.__wrapped__ = f
        self._name = name or _name(f)
        self._prime: Derivative | None = None
        self._partials: dict[int, Derivative] = {}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:  # replaced per instance by f itself
        return self.__wrapped__(*args, **kwargs)

    def __reduce__(self) -> str:
        # by reference, as for functions: the module attribute is this decorated object
        return self.__qualname__

    def __repr__(self) -> str:
        return f"<dualdiff.Derivative {self._name}>"

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        return self if obj is None else functools.partial(self, obj)

    # --- one argument -----------------------------------------------------------------
    def value_and_prime(self, x: Any, **kwargs: Any) -> tuple[Any, Any]:
        """``(f(x), f'(x))`` from a single evaluation of ``f``.

        >>> import dualdiff as dd
        >>> derivative(lambda x: x**3).value_and_prime(2.0)
        (8.0, 12.0)
        """
        tag = new_tag()
        xs = seed(x, tag, self._name)
        v, t = split_result(self.__wrapped__(xs, **kwargs), tag, self._name)
        return v, _elementwise(t, xs._v)

    @property
    def prime(self) -> Derivative:
        """The derivative ``f'``, elementwise over arrays.

        >>> derivative(lambda x: x**3).prime.prime(2.0)     # f'' = 6x
        12.0
        """
        if self._prime is None:
            vp = self.value_and_prime
            f = self.__wrapped__

            def prime(x: Any, *args: Any) -> Any:
                if type(x) is float and not args:  # the scalar fast path
                    tag = next(tag_counter)
                    r = f(make(x, 1.0, tag))
                    if type(r) is Dual and r._tag == tag and type(r._t) is float:
                        return r._t
                    return split_result(r, tag, self._name)[1]
                if args:
                    raise TypeError(
                        f"{self._name}.prime takes one argument; for several use "
                        f".grad(...) or .partial(i)"
                    )
                return vp(x)[1]

            self._prime = Derivative(prime, name=f"{self._name}'")
        return self._prime

    # --- several arguments ------------------------------------------------------------
    def _partial_at(self, i: int, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if not 0 <= i < len(args):
            raise IndexError(f"{self._name}: no argument {i} among {len(args)}")
        tag = new_tag()
        seeded = list(args)
        seeded[i] = seed(args[i], tag, self._name)
        return split_result(self.__wrapped__(*seeded, **kwargs), tag, self._name)[1]

    def grad(self, *args: Any, **kwargs: Any) -> tuple[Any, ...]:
        """The partial derivatives at ``args``, one seeded direction per argument.

        >>> derivative(lambda x, y: x * y**2).grad(3.0, 2.0)
        (4.0, 12.0)
        """
        return tuple(self._partial_at(i, args, kwargs) for i in range(len(args)))

    def partial(self, i: int) -> Derivative:
        """The partial derivative with respect to argument ``i``, as a ``Derivative``.

        >>> g = derivative(lambda x, y: x**2 * y**3)
        >>> g.partial(0).partial(1)(1.0, 1.0)              # d²g/dxdy = 6xy²
        6.0
        """
        if not isinstance(i, int) or i < 0:
            raise ValueError(f"partial: argument index must be an int >= 0, got {i!r}")
        if i not in self._partials:
            self._partials[i] = Derivative(
                lambda *args, **kwargs: self._partial_at(i, args, kwargs),
                name=f"d{self._name}/dx{i}",
            )
        return self._partials[i]


def derivative(f: Callable[..., Any]) -> Derivative:
    """Decorate ``f`` so that ``f.prime``, ``f.prime.prime``, ``f.grad`` ... are available.

    ``f`` is written with ordinary operators and dualdiff's functions (``dd.sin``, not
    ``math.sin``); it keeps working on plain numbers. Points may be floats, NumPy arrays
    (elementwise: ``f`` must act on each entry separately), ``mpmath.mpf`` (full precision) or
    Duals from an outer differentiation.

    >>> import dualdiff as dd
    >>> @dd.derivative
    ... def f(x):
    ...     return dd.exp(2 * x)
    >>> f(0.0), f.prime(0.0), f.prime.prime(0.0)
    (1.0, 2.0, 4.0)
    """
    if isinstance(f, Derivative):
        return f
    if not callable(f):
        raise TypeError(f"derivative needs a callable, got {type(f).__name__}")
    return Derivative(f)
