"""The numerical helpers the distributions share: constants as SciPy rounds them (or in
mpmath at the working precision), NumPy's ``where`` that keeps single numbers single, SciPy's
``xlogy`` and ``xlog1py`` with constant edges, and the incomplete gamma and beta functions at the
ends of their range."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import mpmath as mp
import numpy as np

from ... import table as _f
from ...kinds import base_value, is_mpf, is_single
from .. import special as _sp

_INF = math.inf
_NAN = math.nan

# constants, as SciPy rounds them, and in mpmath at the working precision
_CONSTANTS: dict[str, tuple[float, Callable[[], Any]]] = {
    "log_sqrt_2pi": (float(np.log(np.sqrt(2 * np.pi))), lambda: mp.log(2 * mp.pi) / 2),
    "sqrt_2pi": (float(np.sqrt(2 * np.pi)), lambda: mp.sqrt(2 * mp.pi)),
    "log_2pi": (float(np.log(2 * np.pi)), lambda: mp.log(2 * mp.pi)),
    "log_pi": (float(np.log(np.pi)), lambda: mp.log(mp.pi)),
    "log_sqrt_pi": (float(np.log(np.sqrt(np.pi))), lambda: mp.log(mp.pi) / 2),
    "pi": (math.pi, lambda: +mp.pi),
    "log2": (float(np.log(2)), lambda: mp.log(2)),
}


def _k(ref: Any, name: str) -> Any:
    """A constant as a number of the kind of ``ref`` (mpf at mpmath's precision, else float)."""
    value, exact = _CONSTANTS[name]
    return exact() if is_mpf(ref) else value


# --- selection: NumPy's where, that keeps single numbers single ------------------------------


def _like(ref: Any, c: float) -> Any:
    """The constant c as an mpf where ref computes in mpmath, else as it is."""
    return mp.mpf(c) if is_mpf(ref) else c


def _single(v: Any) -> bool:
    return is_single(base_value(v))


def _v(x: Any) -> Any:
    """The value to compare (the innermost value of a Dual)."""
    return base_value(x)


def _mask(m: Any) -> Any:
    """A condition as a bool (single numbers) or a bool array."""
    if isinstance(m, np.ndarray):
        return m.astype(bool)
    return bool(m)


def _where(cond: Any, a: Any, b: Any) -> Any:
    """``np.where(cond, a, b)``, a single number when all three are (Duals keep their tangents;
    where ``cond`` is false the result carries b's, a constant's zero)."""
    out = np.where(cond, a, b)
    if not (_single(cond) and _single(a) and _single(b)):
        return out
    out = out[()]
    return float(out) if type(out) is np.float64 else out  # numbers compute as numbers


def _apply(ok: Any, f: Callable[[Any], Any], x: Any, safe: float, edge: Any) -> Any:
    """``f(x)`` where ``ok``, else ``edge``; f only ever sees valid points (``safe`` elsewhere)."""
    return _where(ok, f(_where(ok, x, safe)), edge)


def _log(p: Any) -> Any:
    """ln p, with ln 0 = -inf (a constant there)."""
    return _apply(_mask(_v(p) > 0), _f.ln, p, 1.0, -_INF)


def _pow0(y: Any, e: Any) -> Any:
    """y**e for y >= 0, and SciPy's inf at y = 0 where e < 0 (a constant there)."""
    pole = _mask((_v(y) == 0) & (_v(e) < 0))
    return _where(pole, _INF, _where(pole, 1.0, y) ** e)


def _xlog(a: Any, y: Any, f: Callable[[Any], Any], edge: float) -> Any:
    """a·f(y), f = ln or log1p, with SciPy's xlogy/xlog1py where f(y) = -inf (y = edge): the
    constant 0 where a = 0, else ∓inf."""
    pos = _mask(_v(y) > edge)
    val = a * f(_where(pos, y, edge + 1.0))
    if np.all(pos):
        return val
    av = _v(a)
    return _where(pos, val, _where(_mask(av == 0), 0.0, _where(_mask(av > 0), -_INF, _INF)))


def _xlogy(a: Any, y: Any) -> Any:
    """SciPy's ``xlogy(a, y)``: a·ln(y); at y = 0 the constant 0 (a = 0) or ∓inf."""
    return _xlog(a, y, _f.ln, 0.0)


def _xlog1py(a: Any, y: Any) -> Any:
    """SciPy's ``xlog1py(a, y)``: a·ln(1 + y); at y = -1 the constant 0 (a = 0) or ∓inf."""
    return _xlog(a, y, _f.log1p, -1.0)


def _at_edge(f: Callable[..., Any], *args: Any) -> Any:
    """``f(*args)``, through 1-element arrays when every argument is a single number and the
    last (the incomplete function's x) is 0 or 1: there the rows of dualdiff.scipy.special give
    the one-sided slope (0, finite or inf) for arrays but raise OverflowError for numbers."""
    xv = _v(args[-1])
    if all(_single(a) for a in args) and (xv == 0 or xv == 1):
        return f(*[np.reshape(a, (1,)) for a in args])[0]
    return f(*args)


def _betainc(a: Any, b: Any, x: Any) -> Any:
    return _at_edge(_sp.betainc, a, b, x)


def _betaincc(a: Any, b: Any, x: Any) -> Any:
    """1 - I_x(a, b) = I_(1-x)(b, a): from 1 - I_x(a, b) where that is at least 1/2 (no
    cancellation), else from 1 - x (rounded, but there the tail is past the median)."""
    i = _betainc(a, b, x)
    return _where(_mask(_v(i) < 0.5), 1 - i, _betainc(b, a, 1 - x))


def _gammainc(a: Any, x: Any) -> Any:
    return _at_edge(_sp.gammainc, a, x)


def _gammaincc(a: Any, x: Any) -> Any:
    return _at_edge(_sp.gammaincc, a, x)
