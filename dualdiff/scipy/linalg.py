"""``scipy.linalg`` on Duals: the same names and signatures, each with its forward rule.

SciPy's own functions call ``np.asarray`` and so cannot take a Dual; these can. Without a Dual
among the inputs each one simply calls SciPy's. With Duals, the rules are the standard ones,
always solving rather than inverting: for ``x = A⁻¹ b``, ``dx = A⁻¹ (db - dA x)`` (by whichever
solver SciPy's function uses, reading the same triangle or band of ``dA`` that SciPy reads of
``A``); for the factorisations, the derivatives of the factors; for ``expm`` and ``logm`` the
Fréchet derivative from the block identity ``f([[A, E], [0, A]]) = [[f(A), L(A, E)], [0, f(A)]]``
computed by this module's own ``expm``/``logm``; for ``sqrtm`` the Sylvester equation
``X dX + dX X = dA``. Every rule is written with calls that dispatch again on what they get, so
one rule serves a plain tangent, vector mode's ``Directions`` and nested Duals (Hessians).

The factorisations return what SciPy returns, with the factor as a Dual: ``cho_factor(A)`` gives
``(c, lower)`` and ``lu_factor(A)`` gives ``(lu, piv)``, where ``c`` and ``lu`` carry the
tangents of the factors (``piv`` is integers). So ``cho_solve(cho_factor(A), b)`` differentiates
in ``A`` and ``b``, and ``2 * np.sum(np.log(np.diag(c)))`` gives log det A with its derivative.

>>> import numpy as np, dualdiff as dd
>>> from dualdiff.scipy import linalg
>>> f = dd.derivative(lambda t: linalg.expm(t * np.array([[0.0, 1.0], [-1.0, 0.0]])))
>>> np.round(f.prime(0.0), 12)                  # d/dt exp(tK) at 0 = K
array([[ 0.,  1.],
       [-1.,  0.]])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.linalg as _sl

from ..directions import Directions
from ..dual import Dual, make, parts, top_tag
from ..kinds import base_value

__all__ = [
    "cho_factor", "cho_solve", "expm", "logm", "lu_factor", "lu_solve", "solve", "solve_banded",
    "solve_sylvester", "solve_triangular", "sqrtm",
]  # fmt: skip

_UNSET: Any = object()  # SciPy's deprecated parameters (sqrtm's disp, blocksize; logm's disp)
_TRANS = {0: 0, 1: 1, 2: 1, "N": 0, "T": 1, "C": 1}  # real matrices: "C" is "T"


# --- helpers ------------------------------------------------------------------------------------
def _mT(x: Any) -> Any:
    """The matrix transpose of the last two axes (any kind of value or tangent)."""
    return np.swapaxes(x, -1, -2)


def _minus(a: Any, b: Any) -> Any:
    """a - b, where a may be None (a constant's tangent)."""
    return -b if a is None else a - b


def _refuse(who: str, **given: Any) -> None:
    """A clear TypeError for a parameter this module does not support on Duals."""
    for name, value in given.items():
        if value is not _UNSET:
            raise TypeError(f"scipy.linalg.{who} on Duals does not support the parameter {name}")


def _on_directions(f: Any, b: Directions, fold: bool = True) -> Directions:
    """``f`` (linear in its argument, acting on its columns) of every direction of ``b``: as one
    call with the directions folded into columns, else (``fold`` false: stacked matrices) one
    direction at a time."""
    arr = b.array
    if fold:
        moved = np.moveaxis(arr, 0, -1)  # (n, ..., k)
        out = f(moved.reshape(moved.shape[0], -1))
        return Directions(np.moveaxis(np.reshape(out, moved.shape), -1, 0))
    return Directions(np.stack([f(arr[i]) for i in range(arr.shape[0])]))


def _directions_in_value(x: Any) -> bool:
    """Whether ``x`` is vector mode's Directions, or a Dual holding them as its value (the
    tangent of an outer vector-mode level carried through an inner Dual)."""
    return type(base_value(x)) is Directions


def _pick(x: Any, i: int) -> Any:
    """Direction ``i`` of ``x`` (Directions anywhere in a nested Dual)."""
    if type(x) is Directions:
        return x.array[i]
    if isinstance(x, Dual):
        return make(_pick(x._v, i), _pick(x._t, i), x._tag)
    return x


def _stack_directions(items: list[Any]) -> Any:
    """The inverse of :func:`_pick`: results per direction as one Directions (inside Duals)."""
    first = items[0]
    if isinstance(first, Dual):
        return make(
            _stack_directions([d._v for d in items]),
            _stack_directions([d._t for d in items]),
            first._tag,
        )
    return Directions(np.stack(items))


def _scale(a: Any, e: Any) -> float:
    """A power of two bringing the perturbation e to the size of a (f's Fréchet derivative is
    linear in e: scaling keeps the block matrix balanced for expm's and logm's algorithms)."""
    ea = base_value(e)
    ea = ea.array if type(ea) is Directions else ea
    ne, na = np.max(np.abs(ea)), np.max(np.abs(base_value(a)))
    if ne == 0 or na == 0 or not np.isfinite(ne):
        return 1.0
    return float(2.0 ** np.round(np.log2(ne / na)))


#: the largest block (k + 1)·n for which k directions share one call of expm or logm
COMBINED_MAX = 64


def _block(a: Any, es: list[Any]) -> Any:
    """[[a, e₁, ..., e_m], [0, a, 0, ...], ..., [0, ..., 0, a]]: block upper triangular."""
    zero = np.zeros(np.shape(base_value(a)))
    m = len(es)
    rows = [np.concatenate([a, *es], axis=-1)]
    rows += [np.concatenate([zero] * j + [a] + [zero] * (m - j), axis=-1) for j in range(1, m + 1)]
    return np.concatenate(rows, axis=-2)


def _frechet(f: Any, a: Any, e: Any) -> Any:
    """L_f(a, e), the Fréchet derivative of the matrix function f at a in direction e: the
    top-right block of f([[a, e], [0, a]]), f being this module's Dual-aware expm or logm.

    k directions e₁ ... e_k share one call where the block is small: the first block row of
    f([[a, e₁, ..., e_k], [0, I_k ⊗ a]]) is [f(a), L(a, e₁), ..., L(a, e_k)] (by the Cauchy
    integral, as (z - I_k ⊗ a)⁻¹ = I_k ⊗ (z - a)⁻¹)."""
    n = np.shape(base_value(a))[-1]
    s = _scale(a, e)  # L is linear in e: e is scaled to the size of a, and back
    if not _directions_in_value(e):
        return f(_block(a, [e / s]))[..., :n, n:] * s
    k = _k(e)
    if (k + 1) * n <= COMBINED_MAX:
        r = f(_block(a, [_pick(e, i) / s for i in range(k)]))
        return _stack_directions([r[..., :n, (i + 1) * n : (i + 2) * n] for i in range(k)]) * s
    if type(e) is Directions and top_tag(a) < 0:  # vector mode: one batched call
        arr = e.array / s
        aa = np.broadcast_to(a, arr.shape)
        block = np.concatenate(
            [np.concatenate([aa, arr], -1), np.concatenate([np.zeros_like(aa), aa], -1)], -2
        )
        return Directions(f(block)[..., :n, n:] * s)
    return _stack_directions([_frechet(f, a, _pick(e, i)) for i in range(k)])


def _k(x: Any) -> int:
    """The number of directions in x (Directions, or a Dual holding them)."""
    return base_value(x).k


def _nonsingular(a: Any, who: str) -> None:
    b = np.asarray(base_value(a))
    if np.any(np.linalg.cond(b) * np.finfo(float).eps >= 1):
        raise np.linalg.LinAlgError(
            f"scipy.linalg.{who} on Duals: the matrix is singular, where {who} is not "
            "differentiable"
        )


def _real(x: Any, who: str, why: str) -> None:
    if np.iscomplexobj(base_value(x)):
        raise TypeError(
            f"scipy.linalg.{who} on Duals: the result is complex ({why}), and Duals are real"
        )


# --- solving linear systems ---------------------------------------------------------------------
_ASSUME = (
    None, "gen", "general", "sym", "symmetric", "her", "hermitian", "pos", "positive definite",
    "upper triangular", "lower triangular", "diagonal", "tridiagonal", "banded",
)  # fmt: skip


def _used(da: Any, assume_a: str | None, lower: bool, a: Any) -> Any:
    """The part of a perturbation dA that solve's solver for ``assume_a`` reads."""
    if assume_a in (None, "gen", "general", "banded"):  # "banded" finds the band in a itself
        return da
    if assume_a in ("sym", "symmetric", "her", "hermitian", "pos", "positive definite"):
        if lower:
            return np.tril(da) + _mT(np.tril(da, -1))
        return np.triu(da) + _mT(np.triu(da, 1))
    if assume_a == "upper triangular":
        return np.triu(da)
    if assume_a == "lower triangular":
        return np.tril(da)
    n = np.shape(base_value(a))[-1]
    if assume_a == "diagonal":
        return da * np.eye(n)
    if assume_a == "tridiagonal":
        return da * np.tri(n, n, 1) * np.tri(n, n, 1).T
    raise AssertionError(assume_a)  # pragma: no cover - checked against _ASSUME first


def solve(
    a: Any,
    b: Any,
    lower: bool = False,
    overwrite_a: bool = False,
    overwrite_b: bool = False,
    check_finite: bool = True,
    assume_a: str | None = None,
    transposed: bool = False,
) -> Any:
    """x with ``a @ x = b`` (``a.T @ x = b`` if transposed); ``dx = a⁻¹ (db - da x)``, where
    ``da`` is the part of the perturbation that SciPy's solver for ``assume_a`` reads.

    >>> import numpy as np, dualdiff as dd
    >>> A = np.array([[4.0, 1.0], [1.0, 3.0]])
    >>> x, dx = dd.jvp(lambda t: solve(A + t * np.eye(2), [1.0, 2.0], assume_a="pos"), 0.0, 1.0)
    >>> bool(np.allclose(dx, -solve(A, x)))
    True
    """
    b = _array(b)
    tag = top_tag(a, b)
    kw = {"lower": lower, "check_finite": check_finite, "assume_a": assume_a,
          "transposed": transposed}  # fmt: skip
    if tag < 0:
        if type(b) is Directions:
            return _on_directions(lambda m: _sl.solve(a, m, **kw), b, np.ndim(a) == 2)
        return _sl.solve(a, b, lower, overwrite_a, overwrite_b, check_finite, assume_a, transposed)
    if assume_a not in _ASSUME:
        raise TypeError(
            f"scipy.linalg.solve on Duals does not support the parameter assume_a={assume_a!r}"
        )
    (av, at), (bv, bt) = parts(a, tag), parts(b, tag)
    x = solve(av, bv, **kw)
    rhs = bt
    if at is not None:
        da = _used(at, assume_a, lower, av)
        rhs = _minus(rhs, np.matmul(_mT(da) if transposed else da, x))
    return make(x, solve(av, rhs, **kw), tag)


def solve_triangular(
    a: Any,
    b: Any,
    trans: int | str = 0,
    lower: bool = False,
    unit_diagonal: bool = False,
    overwrite_b: bool = False,
    check_finite: bool = True,
) -> Any:
    """x with ``op(T) x = b``, T the triangle of ``a`` (unit diagonal if asked), op = identity or
    transpose by ``trans``; ``dx = op(T)⁻¹ (db - op(dT) x)``.

    >>> import numpy as np, dualdiff as dd
    >>> L = dd.Dual(np.array([[2.0, 0.0], [1.0, 4.0]]), np.eye(2))
    >>> solve_triangular(L, np.array([2.0, 5.0]), lower=True).tangent    # -(L⁻¹ I L⁻¹ b)
    array([-0.5  , -0.125])
    """
    b = _array(b)
    tag = top_tag(a, b)
    if tag < 0:
        if type(b) is Directions:
            return _on_directions(
                lambda m: _sl.solve_triangular(a, m, trans, lower, unit_diagonal),
                b,
                np.ndim(a) == 2,
            )
        return _sl.solve_triangular(a, b, trans, lower, unit_diagonal, overwrite_b, check_finite)
    if trans not in _TRANS:
        raise TypeError(
            f"scipy.linalg.solve_triangular: trans must be 0, 1, 2, 'N', 'T' or 'C', got {trans!r}"
        )
    t = _TRANS[trans]
    (av, at), (bv, bt) = parts(a, tag), parts(b, tag)
    kw = {"trans": t, "lower": lower, "unit_diagonal": unit_diagonal}
    x = solve_triangular(av, bv, **kw)
    rhs = bt
    if at is not None:
        k = -1 if unit_diagonal else 0
        dt = np.tril(at, k) if lower else np.triu(at, -k)
        rhs = _minus(rhs, np.matmul(_mT(dt) if t else dt, x))
    return make(x, solve_triangular(av, rhs, **kw), tag)


def _lower_factor(c: Any, lower: bool) -> Any:
    """The lower-triangular Cholesky factor L (A = L Lᵀ) held in cho_factor's ``c``."""
    return np.tril(c) if lower else _mT(np.triu(c))


def cho_factor(
    a: Any, lower: bool = False, overwrite_a: bool = False, check_finite: bool = True
) -> tuple[Any, bool]:
    """``(c, lower)`` as SciPy returns it, ``c`` a Dual: its triangle is the Cholesky factor of
    the symmetric matrix read from that triangle of ``a``, with the factor's tangent
    ``dL = L Φ(L⁻¹ dA L⁻ᵀ)`` (Φ: the lower triangle, diagonal halved); its other triangle holds
    ``a``'s entries, as SciPy's does, with their tangents.

    >>> import numpy as np, dualdiff as dd
    >>> A = np.array([[4.0, 2.0], [2.0, 3.0]])
    >>> logdet = lambda t: 2 * np.sum(np.log(np.diag(cho_factor(A + t * np.eye(2))[0])))
    >>> round(dd.derivative(logdet).prime(0.0), 12)     # tr(A⁻¹) = 7/8
    0.875
    """
    tag = top_tag(a)
    if tag < 0:
        return _sl.cho_factor(a, lower, overwrite_a, check_finite)
    av, at = a._v, a._t
    cv, _ = cho_factor(av, lower=lower, check_finite=check_finite)
    lo = _lower_factor(cv, lower)
    da = np.tril(at) + _mT(np.tril(at, -1)) if lower else np.triu(at) + _mT(np.triu(at, 1))
    y = solve_triangular(lo, da, lower=True)  # L⁻¹ dA
    s = _mT(solve_triangular(lo, _mT(y), lower=True))  # L⁻¹ dA L⁻ᵀ
    n = np.shape(base_value(av))[-1]
    dl = np.matmul(lo, np.tril(s) - 0.5 * (s * np.eye(n)))
    mask = np.tri(n, dtype=bool) if lower else np.tri(n, dtype=bool).T
    return make(cv, np.where(mask, dl if lower else _mT(dl), at), tag), lower


def cho_solve(
    c_and_lower: tuple[Any, bool], b: Any, overwrite_b: bool = False, check_finite: bool = True
) -> Any:
    """x with ``A x = b`` from ``cho_factor(A)``: ``dx = A⁻¹ (db - dA x)``, with
    ``dA = dL Lᵀ + L dLᵀ`` from the tangent the factor carries.

    >>> import numpy as np, dualdiff as dd
    >>> A = np.array([[4.0, 2.0], [2.0, 3.0]])
    >>> J = dd.jacobian(lambda b: cho_solve(cho_factor(A), b), [1.0, 0.0])
    >>> bool(np.allclose(J @ A, np.eye(2)))                      # the Jacobian in b is A⁻¹
    True
    """
    c, lower = c_and_lower
    b = _array(b)
    tag = top_tag(c, b)
    if tag < 0:
        if type(b) is Directions:
            return _on_directions(lambda m: _sl.cho_solve((c, lower), m), b, np.ndim(c) == 2)
        return _sl.cho_solve((c, lower), b, overwrite_b, check_finite)
    (cv, ct), (bv, bt) = parts(c, tag), parts(b, tag)
    x = cho_solve((cv, lower), bv)
    rhs = bt
    if ct is not None:
        lo, dl = _lower_factor(cv, lower), _lower_factor(ct, lower)
        dax = np.matmul(dl, np.matmul(_mT(lo), x)) + np.matmul(lo, np.matmul(_mT(dl), x))
        rhs = _minus(rhs, dax)
    return make(x, cho_solve((cv, lower), rhs), tag)


def _permutation(piv: Any) -> np.ndarray:
    """LAPACK's row interchanges as a permutation: ``A[perm] = L U``."""
    perm = np.arange(len(piv))
    for i, p in enumerate(piv):
        perm[i], perm[p] = perm[p], perm[i]
    return perm


def lu_factor(
    a: Any, overwrite_a: bool = False, check_finite: bool = True
) -> tuple[Any, np.ndarray]:
    """``(lu, piv)`` as SciPy returns it, ``lu`` a Dual carrying the factors' tangents: with
    ``P A = L U`` and ``X = L⁻¹ P dA U⁻¹``, ``dL = L tril(X, -1)`` and ``dU = triu(X) U``.

    >>> import numpy as np, dualdiff as dd
    >>> A = dd.Dual(np.array([[1.0, 2.0], [3.0, 4.0]]), np.eye(2))
    >>> lu, piv = lu_factor(A)
    >>> np.round(lu_solve((lu, piv), np.array([1.0, 1.0])).tangent, 12)    # -A⁻¹ A⁻¹ b
    array([-3.,  2.])
    """
    tag = top_tag(a)
    if tag < 0:
        return _sl.lu_factor(a, overwrite_a, check_finite)
    av, at = a._v, a._t
    shape = np.shape(base_value(av))
    if len(shape) != 2 or shape[0] != shape[1]:
        raise TypeError(
            f"scipy.linalg.lu_factor on Duals needs one square matrix, got shape {shape}"
        )
    luv, piv = lu_factor(av, check_finite=check_finite)
    diag = np.diagonal(base_value(luv))
    if np.any(diag == 0):
        i = int(np.argmin(np.abs(diag)))
        raise np.linalg.LinAlgError(
            f"scipy.linalg.lu_factor on Duals: the matrix is singular (U[{i}, {i}] = 0), "
            "where its LU factors are not differentiable"
        )
    y = solve_triangular(luv, at[_permutation(piv)], lower=True, unit_diagonal=True)  # L⁻¹ P dA
    x = _mT(solve_triangular(luv, _mT(y), trans=1))  # Y U⁻¹
    lo = np.tril(luv, -1) + np.eye(shape[0])
    dlu = np.matmul(lo, np.tril(x, -1)) + np.matmul(np.triu(x), np.triu(luv))
    return make(luv, dlu, tag), piv


def lu_solve(
    lu_and_piv: tuple[Any, Any],
    b: Any,
    trans: int = 0,
    overwrite_b: bool = False,
    check_finite: bool = True,
) -> Any:
    """x with ``A x = b`` (``Aᵀ x = b`` for trans 1 or 2) from ``lu_factor(A)``:
    ``dx = A⁻¹ (db - dA x)``, with ``dA = Pᵀ (dL U + L dU)`` from the tangent ``lu`` carries.

    >>> import numpy as np, dualdiff as dd
    >>> A = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> J = dd.jacobian(lambda b: lu_solve(lu_factor(A), b), [1.0, 0.0])
    >>> bool(np.allclose(J @ A, np.eye(2)))                      # the Jacobian in b is A⁻¹
    True
    """
    lu, piv = lu_and_piv
    b = _array(b)
    tag = top_tag(lu, b)
    if tag < 0:
        if type(b) is Directions:
            return _on_directions(lambda m: _sl.lu_solve((lu, piv), m, trans), b, np.ndim(lu) == 2)
        return _sl.lu_solve((lu, piv), b, trans, overwrite_b, check_finite)
    if trans not in (0, 1, 2):
        raise TypeError(f"scipy.linalg.lu_solve: trans must be 0, 1 or 2, got {trans!r}")
    (luv, lut), (bv, bt) = parts(lu, tag), parts(b, tag)
    x = lu_solve((luv, piv), bv, trans)
    rhs = bt
    if lut is not None:
        perm = _permutation(piv)
        n = len(perm)
        lo, up = np.tril(luv, -1) + np.eye(n), np.triu(luv)
        dlo, dup = np.tril(lut, -1), np.triu(lut)
        if trans == 0:  # dA x = Pᵀ (dL U x + L dU x)
            dax = np.matmul(dlo, np.matmul(up, x)) + np.matmul(lo, np.matmul(dup, x))
            dax = dax[np.argsort(perm)]
        else:  # dAᵀ x = Uᵀ dLᵀ P x + dUᵀ Lᵀ P x
            px = x[perm]
            dax = np.matmul(_mT(up), np.matmul(_mT(dlo), px)) + np.matmul(
                _mT(dup), np.matmul(_mT(lo), px)
            )
        rhs = _minus(rhs, dax)
    return make(x, lu_solve((luv, piv), rhs, trans), tag)


def _banded_matvec(lower: int, upper: int, ab: Any, x: Any) -> Any:
    """A x for the matrix A held in band storage ``ab[upper + i - j, j] = A[i, j]``."""
    n = np.shape(base_value(x))[0]
    extra = (1,) * (len(np.shape(base_value(x))) - 1)
    out = None
    for r in range(lower + upper + 1):
        j = np.arange(n) - (r - upper)  # the column that row i meets on this diagonal
        inside = ((j >= 0) & (j < n)).astype(float).reshape(n, *extra)
        j = np.clip(j, 0, n - 1)
        term = np.reshape(ab[r][j], (n, *extra)) * x[j] * inside
        out = term if out is None else out + term
    return out


def solve_banded(
    l_and_u: tuple[int, int],
    ab: Any,
    b: Any,
    overwrite_ab: bool = False,
    overwrite_b: bool = False,
    check_finite: bool = True,
) -> Any:
    """x with ``A x = b``, A in band storage ``ab`` (``l`` diagonals below, ``u`` above):
    ``dx = A⁻¹ (db - dA x)``, ``dA x`` formed in band storage.

    >>> import numpy as np, dualdiff as dd
    >>> ab = np.array([[0.0, 1.0, 1.0], [4.0, 4.0, 4.0], [1.0, 1.0, 0.0]])   # tridiagonal
    >>> x = solve_banded((1, 1), dd.Dual(ab, np.zeros(3) + np.array([[0], [1], [0]])), np.ones(3))
    >>> bool(np.allclose(x.tangent, -solve_banded((1, 1), ab, x.value)))    # dA = I
    True
    """
    ab, b = _array(ab), _array(b)
    tag = top_tag(ab, b)
    if tag < 0:
        if type(b) is Directions:
            return _on_directions(lambda m: _sl.solve_banded(l_and_u, ab, m), b)
        return _sl.solve_banded(l_and_u, ab, b, overwrite_ab, overwrite_b, check_finite)
    (abv, abt), (bv, bt) = parts(ab, tag), parts(b, tag)
    x = solve_banded(l_and_u, abv, bv)
    rhs = bt
    if abt is not None:
        rhs = _minus(rhs, _banded_matvec(int(l_and_u[0]), int(l_and_u[1]), abt, x))
    return make(x, solve_banded(l_and_u, abv, rhs), tag)


def solve_sylvester(a: Any, b: Any, q: Any) -> Any:
    """X with ``a X + X b = q``; ``dX`` solves the same equation with right-hand side
    ``dq - da X - X db``.

    >>> import numpy as np, dualdiff as dd
    >>> a = np.array([[2.0, 1.0], [0.0, 3.0]])
    >>> x = solve_sylvester(a, a.T, dd.Dual(np.eye(2), np.eye(2)))
    >>> bool(np.allclose(x.tangent, x.value))              # linear in q
    True
    """
    q = _array(q)
    tag = top_tag(a, b, q)
    if tag < 0:
        if type(q) is Directions:  # a batch of right-hand sides: SciPy broadcasts a and b
            return Directions(_sl.solve_sylvester(a, b, q.array))
        return _sl.solve_sylvester(a, b, q)
    (av, at), (bv, bt), (qv, qt) = parts(a, tag), parts(b, tag), parts(q, tag)
    _sylvester_solvable(av, bv)
    x = solve_sylvester(av, bv, qv)
    rhs = qt
    if at is not None:
        rhs = _minus(rhs, np.matmul(at, x))
    if bt is not None:
        rhs = _minus(rhs, np.matmul(x, bt))
    return make(x, solve_sylvester(av, bv, rhs), tag)


def _sylvester_solvable(a: Any, b: Any) -> None:
    """Refuse where a X + X b = q has no unique solution: some λ(a) + μ(b) = 0."""
    la, lb = np.linalg.eigvals(base_value(a)), np.linalg.eigvals(base_value(b))
    sums = np.abs(la[..., :, None] + lb[..., None, :])
    scale = np.max(np.abs(la)) + np.max(np.abs(lb))
    if np.any(sums <= 100 * np.finfo(float).eps * scale):
        raise np.linalg.LinAlgError(
            "scipy.linalg.solve_sylvester on Duals: a and -b share an eigenvalue, so the "
            "solution is not unique (and not differentiable)"
        )


# --- matrix functions ---------------------------------------------------------------------------
def expm(A: Any) -> Any:
    """The matrix exponential; ``d expm(A) = L(A, dA)``, the top-right block of
    ``expm([[A, dA], [0, A]])`` (this same function, so every order works). Stacked matrices
    ``(..., n, n)`` work as in SciPy.

    >>> import numpy as np, dualdiff as dd
    >>> A = dd.Dual(np.diag([1.0, 2.0]), np.diag([1.0, 0.0]))
    >>> bool(np.allclose(expm(A).tangent, np.diag([np.e, 0.0])))    # diagonal: d e^a = e^a da
    True
    """
    tag = top_tag(A)
    if tag < 0:
        return _sl.expm(A)
    return make(expm(A._v), _frechet(expm, A._v, A._t), tag)


def sqrtm(A: Any, disp: Any = _UNSET, blocksize: Any = _UNSET) -> Any:
    """The principal square root X (real: A has no eigenvalue on the negative axis); ``dX``
    solves ``X dX + dX X = dA`` (:func:`solve_sylvester`).

    >>> import numpy as np, dualdiff as dd
    >>> X = sqrtm(dd.Dual(np.diag([4.0, 9.0]), np.eye(2)))
    >>> np.diag(X.tangent)                            # 1 / (2 sqrt(a))
    array([0.25      , 0.16666667])
    """
    tag = top_tag(A)
    if tag < 0:
        kw = {k: v for k, v in (("disp", disp), ("blocksize", blocksize)) if v is not _UNSET}
        return _sl.sqrtm(A, **kw)
    _refuse("sqrtm", disp=disp, blocksize=blocksize)
    _nonsingular(A, "sqrtm")
    x = sqrtm(A._v)
    _real(x, "sqrtm", "the matrix has eigenvalues on the negative real axis")
    return make(x, solve_sylvester(x, x, A._t), tag)


def logm(A: Any, disp: Any = _UNSET) -> Any:
    """The principal logarithm (real: A has no eigenvalue on the closed negative axis);
    ``d logm(A)`` is the top-right block of ``logm([[A, dA], [0, A]])`` (this same function).

    >>> import numpy as np, dualdiff as dd
    >>> X = logm(dd.Dual(np.diag([1.0, 2.0]), np.eye(2)))
    >>> np.diag(X.tangent)                            # 1 / a
    array([1. , 0.5])
    """
    tag = top_tag(A)
    if tag < 0:
        return _sl.logm(A) if disp is _UNSET else _sl.logm(A, disp)
    _refuse("logm", disp=disp)
    _nonsingular(A, "logm")
    x = logm(A._v)
    _real(x, "logm", "the matrix has eigenvalues on the negative real axis: no real logarithm")
    return make(x, _frechet(logm, A._v, A._t), tag)


def _array(x: Any) -> Any:
    """A list or tuple holding Duals as one stacked Dual; anything else as it is."""
    if isinstance(x, (list, tuple)) and any(isinstance(e, Dual) for e in x):
        return np.stack(x)
    return x
