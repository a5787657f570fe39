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

from . import memory
from .directions import Directions
from .dual import Dual, fmt, make, new_tag, tag_counter
from .kinds import base_value, is_complex, is_mpf

__all__ = ["Derivative", "derivative", "primal", "seed", "split_result"]


def _one_like(x: Any) -> Any:
    if isinstance(x, np.ndarray):
        return np.broadcast_to(np.ones((), dtype=x.dtype), x.shape)  # read-only, no copy
    if isinstance(x, mpmath.mpf):
        return mpmath.mpf(1)
    if isinstance(x, mpmath.mpc):
        return mpmath.mpc(1)
    if type(x) is complex:
        return 1 + 0j
    if isinstance(x, (float, Dual)):
        return 1.0
    return np.ones_like(x)  # dask, CuPy: stays lazy / on device


def as_input(x: Any, who: str) -> Any:
    """Normalise a point to differentiate at (ints to floats, lists to float arrays)."""
    tx = type(x)
    if tx is float or tx is complex or isinstance(x, (Dual, mpmath.mpf, mpmath.mpc)):
        return x
    if tx is int or tx is bool:
        return float(x)
    if isinstance(x, np.ndarray):
        if x.dtype.kind in "biu":
            return x.astype(np.float64)
        if x.dtype.kind in "fcO":
            return x
    elif isinstance(x, np.generic):
        if isinstance(x, (np.integer, np.bool_)) or x.dtype == np.float64:
            return float(x)
        if x.dtype == np.complex128:
            return complex(x)
        if isinstance(x, (np.floating, np.complexfloating)):
            return np.asarray(x)
    elif isinstance(x, (list, tuple)):
        objs = np.asarray(x, dtype=object)
        if any(isinstance(e, (mpmath.mpf, mpmath.mpc)) for e in objs.ravel()):  # every digit
            mpc = any(isinstance(e, (mpmath.mpc, complex)) for e in objs.ravel())
            entries = [_mpf_entry(e, who, mpc) for e in objs.ravel()]
            return np.array(entries, dtype=object).reshape(objs.shape)
        a = np.asarray(x)
        return as_input(a if a.dtype.kind == "c" else np.asarray(x, dtype=np.float64), who)
    elif isinstance(x, numbers.Real):
        return float(x)
    elif isinstance(x, numbers.Complex):
        return complex(x)
    elif hasattr(x, "__array_ufunc__") and hasattr(x, "shape"):
        return x
    raise TypeError(
        f"{who} needs a number (real or complex), NumPy array, mpmath.mpf, mpmath.mpc or Dual, "
        f"got {type(x).__name__}"
    )


def _mpf_entry(e: Any, who: str, mpc: bool = False) -> Any:
    """An entry of a point given with mpf (mpc) numbers: every entry becomes an mpf, or an mpc
    where any entry is complex (none rounds)."""
    if isinstance(e, mpmath.mpc if mpc else mpmath.mpf):
        return e
    if isinstance(e, (mpmath.mpf, mpmath.mpc)):
        return mpmath.mpc(e)
    if isinstance(e, numbers.Number) and not isinstance(e, bool):
        if isinstance(e, numbers.Real) and not mpc:
            return mpmath.mpf(e)
        return mpmath.mpc(complex(e)) if not isinstance(e, numbers.Real) else mpmath.mpc(e)
    raise TypeError(f"{who} needs numbers, got {type(e).__name__} beside mpmath.mpf")


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
    return isinstance(
        r, (Dual, numbers.Complex, mpmath.mpf, mpmath.mpc, np.ndarray, np.generic)
    ) or (hasattr(r, "__array_ufunc__") and hasattr(r, "shape") and type(r) is not Directions)


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
            elif type(t) is np.complex128:
                t = complex(t)
            if type(v) is np.float64:
                v = float(v)
            elif type(v) is np.complex128:
                v = complex(v)
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


def _complexified(x: Any) -> Any:
    """A real point as a complex one (mpf as mpc), for the Wirtinger derivatives."""
    if isinstance(x, Dual):
        return make(_complexified(x._v), _complexified(x._t), x._tag)
    if isinstance(x, mpmath.mpf):
        return mpmath.mpc(x)
    if isinstance(x, np.ndarray):
        if x.dtype == object:
            return np.array([mpmath.mpc(e) for e in x.flat], dtype=object).reshape(x.shape)
        return x.astype(np.result_type(x.dtype, np.complex64))
    return complex(x)


def _tolerance(b: Any) -> float:
    """Where the derivatives along 1 and along i/i must agree: at half the working digits
    (they agree to the last bit along a holomorphic chain; a non-holomorphic f differs at O(1))."""
    if is_mpf(b):
        return float(mpmath.mpf(2) ** (-mpmath.mp.prec // 2))
    dt = np.result_type(b) if hasattr(b, "dtype") else np.dtype(np.complex128)
    return float(np.sqrt(np.finfo(dt).eps))


def _check_holomorphic(name: str, z: Any, t1: Any, ti: Any) -> None:
    """Refuse f'(z) where f's derivative along 1 (a) differs from its derivative along i over i
    (b): f is not complex-differentiable there. Compared on the innermost numbers."""
    a, bi = base_value(t1), base_value(ti)
    b = bi * (mpmath.mpc(0, -1) if is_mpf(bi) else -1j)
    diff, size = np.abs(a - b), np.maximum(np.abs(a), np.abs(b))
    with np.errstate(invalid="ignore"):
        bad = diff > _tolerance(a) * size
    if not np.any(bad):
        return
    fz, fzbar = (a + b) / 2, (a - b) / 2
    where = "" if np.ndim(bad) == 0 else f" (at {int(np.count_nonzero(bad))} of the points)"
    raise ValueError(
        f"{name}.prime at complex z = {fmt(base_value(z))}: {name} is not holomorphic there"
        f"{where}, so f'(z) does not exist: its derivative along the real axis, "
        f"{fmt(_first(a, bad))}, differs from its derivative along the imaginary axis divided "
        f"by i, {fmt(_first(b, bad))}. Its Wirtinger derivatives are ∂f/∂z = "
        f"{fmt(_first(fz, bad))} and ∂f/∂z̄ = {fmt(_first(fzbar, bad))} (f.wirtinger(z) gives "
        "both); dd.jvp(f, z, v) gives the derivative in a direction v"
    )


def _first(x: Any, bad: Any) -> Any:
    """The entry of x at the first point that failed (x itself for a scalar)."""
    if np.ndim(bad) == 0 or np.ndim(x) == 0:
        return x
    return np.asarray(x)[np.unravel_index(int(np.argmax(bad)), np.shape(bad))]


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


def primal(a: Any) -> Any:
    """``a`` with every Dual replaced by its plain value (at every level of nesting), inside
    dicts, lists and tuples too: what an auxiliary output is returned as."""
    while isinstance(a, Dual):
        a = a._v
    if isinstance(a, dict):
        return {k: primal(v) for k, v in a.items()}
    if isinstance(a, list | tuple) and not hasattr(type(a), "_fields"):
        return type(a)(primal(v) for v in a)
    return a


def _argnums(argnums: Any) -> int | tuple[int, ...]:
    """``argnums`` checked: an int >= 0 or a non-empty tuple of distinct ones."""
    single = isinstance(argnums, int | np.integer) and not isinstance(argnums, bool)
    nums = (argnums,) if single else argnums
    if (
        not isinstance(nums, tuple)
        or not nums
        or any(isinstance(i, bool) or not isinstance(i, int | np.integer) or i < 0 for i in nums)
        or len(set(nums)) != len(nums)
    ):
        raise ValueError(
            f"derivative: argnums must be an int >= 0 or a tuple of distinct ones, got {argnums!r}"
        )
    return int(argnums) if single else tuple(int(i) for i in nums)


class Derivative:
    """A function that can also give its derivatives: made by :func:`derivative`.

    ``f(x)`` calls the function as written; ``f.prime`` is the derivative (itself a
    ``Derivative``, so ``f.prime.prime`` is the second); ``f.value_and_prime(x)`` returns
    both from one evaluation; ``f.grad(*args)`` and ``f.partial(i)`` handle several arguments.
    ``argnums`` names the argument(s) ``prime`` differentiates; ``has_aux``: f returns
    ``(value, aux)`` and the derivatives come with the aux (:func:`derivative`).
    """

    def __new__(
        cls,
        f: Callable[..., Any],
        name: str | None = None,
        argnums: int | tuple[int, ...] = 0,
        has_aux: bool = False,
    ) -> Derivative:
        # Each instance gets its own subclass whose __call__ *is* f: calling the decorated
        # function then costs one plain call more than calling f, not a Python-level wrapper.
        sub = type(
            cls.__name__, (cls,), {"__call__": staticmethod(f), "__module__": cls.__module__}
        )
        return object.__new__(sub)

    def __init__(
        self,
        f: Callable[..., Any],
        name: str | None = None,
        argnums: int | tuple[int, ...] = 0,
        has_aux: bool = False,
    ) -> None:
        functools.update_wrapper(self, f)
        self.__wrapped__ = f
        self._name = name or _name(f)
        self._argnums = _argnums(argnums)
        self._has_aux = bool(has_aux)
        self._tuple_valued = False  # the prime of a tuple argnums: no prime of its own
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
    def _run(self, args: list[Any], kwargs: dict[str, Any]) -> tuple[Any, Any]:
        """f at ``args``: ``(result, aux)`` (aux None without ``has_aux``; as plain numbers)."""
        token = memory.begin()  # (a with block costs three times as much, per scalar call)
        try:
            r = self.__wrapped__(*args, **kwargs)
        finally:
            memory.end(token)
        if not self._has_aux:
            return r, None
        if not (isinstance(r, tuple) and len(r) == 2):
            raise TypeError(
                f"{self._name}: has_aux=True needs f to return (value, aux), got {type(r).__name__}"
            )
        return r[0], primal(r[1])

    def _at(self, i: int, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, Any, Any]:
        """``(f(args), ∂f/∂args[i], aux)`` by seeding argument i (checked holomorphic where it
        is complex)."""
        if not 0 <= i < len(args):
            raise IndexError(f"{self._name}: no argument {i} among {len(args)}")
        tag = new_tag()
        seeded = list(args)
        seeded[i] = xs = seed(args[i], tag, self._name)
        r, aux = self._run(seeded, kwargs)
        v, t = split_result(r, tag, self._name)
        if is_complex(xs._v):  # f'(z) exists where the derivatives along 1 and i agree
            ti = self._along_i(seeded, i, kwargs)
            who = self._name if len(args) == 1 else f"{self._name} (argument {i})"
            _check_holomorphic(who, args[i], t, ti)
        return v, _elementwise(t, xs._v), aux

    def _along_i(self, seeded: list[Any], i: int, kwargs: dict[str, Any]) -> Any:
        """f's tangent where argument i (seeded in ``seeded``) moves along i instead of 1."""
        xs, tag = seeded[i], new_tag()
        turned = [*seeded[:i], make(xs._v, xs._t * 1j, tag), *seeded[i + 1 :]]
        return split_result(self._run(turned, kwargs)[0], tag, self._name)[1]

    def value_and_prime(self, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
        """``(f(x), f'(x))`` from a single evaluation of ``f`` (with ``argnums``, the partial
        derivative(s) in those arguments at ``f(*args)``; with ``has_aux``,
        ``((value, aux), f'(x))``).

        At a complex point f'(z) is the complex derivative, which exists where f is holomorphic:
        ``f`` is evaluated twice, moving z along 1 and along i, and the two must agree (the
        Cauchy-Riemann equations); where they do not, a ValueError gives the Wirtinger
        derivatives instead (:meth:`wirtinger`).

        >>> import dualdiff as dd
        >>> derivative(lambda x: x**3).value_and_prime(2.0)
        (8.0, 12.0)
        >>> derivative(lambda z: z**3).value_and_prime(1j)
        ((-0-1j), (-3+0j))
        """
        nums = self._argnums
        if isinstance(nums, int):
            v, d, aux = self._at(nums, args, kwargs)
        else:
            parts = [self._at(i, args, kwargs) for i in nums]
            v, aux, d = parts[0][0], parts[0][2], tuple(p[1] for p in parts)
        return ((v, aux) if self._has_aux else v), d

    def wirtinger(self, z: Any, **kwargs: Any) -> tuple[Any, Any]:
        """The Wirtinger derivatives ``(∂f/∂z, ∂f/∂z̄)`` at z (elementwise over arrays), from
        two evaluations of ``f`` (z moving along 1 and along i). For a holomorphic f,
        ``∂f/∂z = f'(z)`` and ``∂f/∂z̄ = 0``; for a real-valued f, ``2 ∂f/∂z̄`` is the gradient
        ``∂f/∂x + i ∂f/∂y``.

        >>> derivative(lambda z: z * z.conj()).wirtinger(1 + 2j)       # |z|²: (z̄, z)
        ((1-2j), (1+2j))
        """
        z = as_input(z, self._name)
        if not is_complex(z):
            z = _complexified(z)
        tag = new_tag()
        xs = seed(z, tag, self._name)
        t1 = split_result(self._run([xs], kwargs)[0], tag, self._name)[1]
        a, b = t1, self._along_i([xs], 0, kwargs) * -1j  # b = (derivative along i) / i
        return (a + b) / 2, (a - b) / 2

    @property
    def prime(self) -> Derivative:
        """The derivative ``f'``, elementwise over arrays (in argument ``argnums``, the others
        held fixed; a tuple of partials for a tuple ``argnums``; ``(f', aux)`` with
        ``has_aux``, so that ``f.prime.prime`` gives ``(f'', aux)``).

        >>> derivative(lambda x: x**3).prime.prime(2.0)     # f'' = 6x
        12.0
        >>> derivative(lambda a, x: a * x**2, argnums=1).prime(3.0, 2.0)   # ∂/∂x = 2ax
        12.0
        """
        if self._prime is None:
            if self._tuple_valued:
                raise TypeError(
                    f"{self._name}: with argnums={self._argnums!r} the derivative is a tuple of "
                    "partials; for second derivatives use .partial(i).partial(j) or "
                    "dd.hessian(f, args, argnums=...)"
                )
            vp = self.value_and_prime
            f = self.__wrapped__
            simple = self._argnums == 0 and not self._has_aux

            def prime(*args: Any, **kwargs: Any) -> Any:
                if simple and len(args) == 1 and type(args[0]) is float and not kwargs:
                    tag = next(tag_counter)  # the scalar fast path
                    r = f(make(args[0], 1.0, tag))
                    if type(r) is Dual and r._tag == tag and type(r._t) is float:
                        return r._t
                    return split_result(r, tag, self._name)[1]
                if simple and len(args) != 1:
                    raise TypeError(
                        f"{self._name}.prime takes one argument; for several use .grad(...), "
                        ".partial(i) or derivative(f, argnums=i)"
                    )
                v, d = vp(*args, **kwargs)
                return (d, v[1]) if self._has_aux else d

            self._prime = Derivative(
                prime, name=f"{self._name}'", argnums=self._argnums, has_aux=self._has_aux
            )
            self._prime._tuple_valued = not isinstance(self._argnums, int)
        return self._prime

    # --- several arguments ------------------------------------------------------------
    def grad(self, *args: Any, **kwargs: Any) -> Any:
        """The partial derivatives at ``args``, one seeded direction per argument
        (``(partials, aux)`` with ``has_aux``).

        >>> derivative(lambda x, y: x * y**2).grad(3.0, 2.0)
        (4.0, 12.0)
        """
        parts = [self._at(i, args, kwargs) for i in range(len(args))]
        g = tuple(p[1] for p in parts)
        return (g, parts[0][2] if parts else None) if self._has_aux else g

    def partial(self, i: int) -> Derivative:
        """The partial derivative with respect to argument ``i``, as a ``Derivative``
        (returning ``(∂f/∂x_i, aux)`` with ``has_aux``).

        >>> g = derivative(lambda x, y: x**2 * y**3)
        >>> g.partial(0).partial(1)(1.0, 1.0)              # d²g/dxdy = 6xy²
        6.0
        """
        if isinstance(i, bool) or not isinstance(i, int) or i < 0:
            raise ValueError(f"partial: argument index must be an int >= 0, got {i!r}")
        if i not in self._partials:

            def partial(*args: Any, **kwargs: Any) -> Any:
                _, d, aux = self._at(i, args, kwargs)
                return (d, aux) if self._has_aux else d

            self._partials[i] = Derivative(
                partial, name=f"d{self._name}/dx{i}", has_aux=self._has_aux
            )
        return self._partials[i]


def derivative(
    f: Callable[..., Any] | None = None,
    *,
    argnums: int | tuple[int, ...] = 0,
    has_aux: bool = False,
) -> Any:
    """Decorate ``f`` so that ``f.prime``, ``f.prime.prime``, ``f.grad`` ... are available.

    ``f`` is written with ordinary operators and dualdiff's functions (``dd.sin``, not
    ``math.sin``); it keeps working on plain numbers. Points may be floats, NumPy arrays
    (elementwise: ``f`` must act on each entry separately), ``mpmath.mpf`` (full precision) or
    Duals from an outer differentiation.

    ``argnums``: the argument ``prime`` differentiates (an int), or several (a tuple: ``prime``
    gives a tuple of partials); the others are held fixed. ``has_aux``: f returns
    ``(value, aux)``; ``f.prime(x)`` gives ``(f'(x), aux)``, aux as plain numbers. With options,
    use it as ``@derivative(argnums=1)``.

    >>> import dualdiff as dd
    >>> @dd.derivative
    ... def f(x):
    ...     return dd.exp(2 * x)
    >>> f(0.0), f.prime(0.0), f.prime.prime(0.0)
    (1.0, 2.0, 4.0)
    >>> @dd.derivative(argnums=1, has_aux=True)
    ... def loss(data, w):
    ...     r = w * data - 1.0
    ...     return r**2, {"residual": r}
    >>> loss.prime(2.0, 1.0)                           # 2 r data, and the aux
    (4.0, {'residual': 1.0})
    """
    if f is None:
        return lambda g: derivative(g, argnums=argnums, has_aux=has_aux)
    if not callable(f):
        raise TypeError(f"derivative needs a callable, got {type(f).__name__}")
    if isinstance(f, Derivative):
        if f._argnums == _argnums(argnums) and f._has_aux == bool(has_aux):
            return f
        f = f.__wrapped__
    return Derivative(f, argnums=argnums, has_aux=has_aux)
