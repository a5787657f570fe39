"""``numpy.linalg`` on Duals: each function's forward rule.

The rules are the standard ones (Giles, "Collected matrix derivative results for forward and
reverse mode AD", 2008; the same as JAX's): d(A⁻¹) = -A⁻¹ dA A⁻¹, d log|det A| = tr(A⁻¹ dA),
and so on, always solving rather than inverting. They are written with NumPy calls that dispatch
again on what they get, so one rule serves every layout: a plain tangent, vector mode's
``Directions`` (its direction axis is one more batch axis, since matrix functions act on the
last two axes) and nested Duals (Hessians), where the value is itself a Dual. Stacked matrices
(``(..., n, n)``) work throughout.

Complex matrices (and complex tangents, and real matrices with complex eigenvalues) take the same
rules with conjugate transposes where a transpose stands for an adjoint: ``solve``, ``inv``,
``det``, ``slogdet`` (its sign is then complex, d sign = i Im(tr(A⁻¹ dA)) sign), ``eigvals``,
``eig``, ``eigvalsh``, ``eigh``, ``cholesky``, ``pinv``, ``norm``, ``cond``, ``svd`` (values only),
``matrix_power``, ``multi_dot``, ``matrix_rank``. Eigenvectors are unique only up to a factor; the
tangent follows the normalisation NumPy returns (see :func:`_eig` and :func:`_eigh`). ``qr``,
``lstsq`` and complex singular vectors refuse complex Duals.

>>> import numpy as np, dualdiff as dd
>>> A = np.array([[2.0, 1.0], [1.0, 3.0]])
>>> f = dd.derivative(lambda t: np.linalg.det(A + t * np.eye(2)))
>>> round(f.prime(0.0), 12)                      # d/dt det(A + tI) at 0 = tr(adj A) = 5
5.0
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import numpy as np

from . import table as rules
from .arrayfuncs import implements
from .dual import COMPLEX_OK, make, parts, top_tag
from .kinds import base_value, is_complex, is_dual, like

__all__ = ["SlogdetResult"]


def _result(example: Any, *items: Any) -> Any:
    """``items`` in the result type NumPy uses for this function (a named tuple in NumPy 2)."""
    kind = type(example)
    return tuple(items) if kind is tuple else kind(*items)


_EIGH, _EIG = np.linalg.eigh(np.eye(1)), np.linalg.eig(np.eye(1))
_SVD, _QR = np.linalg.svd(np.eye(1)), np.linalg.qr(np.eye(1))


class SlogdetResult(NamedTuple):
    """``(sign, logabsdet)``, as NumPy returns them; ``logabsdet`` carries the tangent."""

    sign: Any
    logabsdet: Any


def _mT(x: Any) -> Any:
    """The matrix transpose of the last two axes (any kind of value or tangent)."""
    return np.swapaxes(x, -1, -2)


def _conj(x: Any) -> Any:
    """The complex conjugate of a value or a tangent of any layout (nothing to do if real)."""
    return rules._lin(np.conjugate, x) if is_complex(x) else x


def _mH(x: Any) -> Any:
    """The conjugate transpose of the last two axes (the transpose, for real x)."""
    return _conj(_mT(x))


def _re(x: Any) -> Any:
    return rules._lin(np.real, x) if is_complex(x) else x


def _im(x: Any) -> Any:
    return rules._lin(np.imag, x)


def _tr(x: Any) -> Any:
    return np.trace(x, axis1=-2, axis2=-1)


def _eye_like(v: Any) -> Any:
    return np.eye(np.shape(base_value(v))[-1])


def _lower_used(dA: Any) -> Any:
    """What a routine that reads only the lower triangle sees of a perturbation dA: for a
    complex (Hermitian) routine, the strict lower triangle, its adjoint, and the real part of the
    diagonal (LAPACK ignores the diagonal's imaginary part)."""
    if not is_complex(dA):
        return np.tril(dA) + _mT(np.tril(dA, -1))
    low = np.tril(dA, -1)
    return low + _mH(low) + _re(dA * _eye_like(dA))


def _read_triangle(dA: Any, UPLO: str) -> Any:
    """The Hermitian (symmetric) perturbation a routine reading triangle UPLO of A sees."""
    return _lower_used(dA) if UPLO == "L" else _lower_used(_mH(dA))


def _distinct(w: Any, who: str) -> None:
    """Refuse where eigenvectors (or singular vectors) are not differentiable: repeated values."""
    b = np.asarray(base_value(w))
    if b.dtype.kind in "fc":
        gaps = b[..., :, None] - b[..., None, :]
        n = b.shape[-1]
        if np.any((gaps == 0) & ~np.eye(n, dtype=bool)):
            raise ValueError(
                f"{who}: the vectors are not differentiable where two values coincide "
                f"(got {b}); use the values alone (eigvalsh, svd(compute_uv=False))"
            )


def _gap_inverse(w: Any) -> Any:
    """F with F[i, j] = 1 / (w[j] - w[i]) off the diagonal and 0 on it."""
    eye = _eye_like(w)
    return 1 / (w[..., None, :] - w[..., :, None] + eye) - eye


@implements(np.linalg.solve)
def _solve(a: Any, b: Any) -> Any:
    """x = A⁻¹ b; dx = A⁻¹ (db - dA x)."""
    tag = top_tag(a, b)
    (av, at), (bv, bt) = parts(a, tag), parts(b, tag)
    x = np.linalg.solve(av, bv)
    rhs = bt
    if at is not None:
        ax = np.matmul(at, x)
        rhs = -ax if rhs is None else rhs - ax
    return make(x, np.linalg.solve(av, rhs), tag)


@implements(np.linalg.inv)
def _inv(a: Any) -> Any:
    """Y = A⁻¹; dY = -Y dA Y."""
    y = np.linalg.inv(a._v)
    return make(y, -np.matmul(np.matmul(y, a._t), y), a._tag)


@implements(np.linalg.det)
def _det(a: Any) -> Any:
    """d det A = det A · tr(A⁻¹ dA)."""
    d = np.linalg.det(a._v)
    return make(d, d * _tr(np.linalg.solve(a._v, a._t)), a._tag)


@implements(np.linalg.slogdet)
def _slogdet(a: Any) -> SlogdetResult:
    """d log|det A| = Re tr(A⁻¹ dA). A real sign is locally constant; a complex one (complex A)
    turns: d sign = i Im(tr(A⁻¹ dA)) sign."""
    sign, logdet = np.linalg.slogdet(a._v)
    tr = _tr(np.linalg.solve(a._v, a._t))
    if not is_complex(a._v):
        return SlogdetResult(sign, make(logdet, tr, a._tag))
    return SlogdetResult(make(sign, sign * (1j * _im(tr)), a._tag), make(logdet, _re(tr), a._tag))


@implements(np.linalg.cholesky)
def _cholesky(a: Any, upper: bool = False) -> Any:
    """A = L Lᴴ (A's lower triangle is read): dL = L Φ(L⁻¹ dA L⁻ᴴ), Φ = the lower triangle with
    the diagonal halved."""
    lo = np.linalg.cholesky(a._v)
    dA = _lower_used(a._t)
    s = np.linalg.solve(lo, _mH(np.linalg.solve(lo, _mH(dA))))  # L⁻¹ dA L⁻ᴴ
    phi = np.tril(s) - 0.5 * (s * _eye_like(a._v))
    r = make(lo, np.matmul(lo, phi), a._tag)
    return _mH(r) if upper else r


def _eigh_parts(a: Any, UPLO: str) -> tuple[Any, Any, Any]:
    if UPLO not in ("L", "U"):
        raise ValueError(f"numpy.linalg.eigh: UPLO must be 'L' or 'U', got {UPLO!r}")
    w, v = np.linalg.eigh(a._v, UPLO=UPLO)
    return w, v, np.matmul(np.matmul(_mH(v), _read_triangle(a._t, UPLO)), v)  # Vᴴ dA V


def _diag(m: Any) -> Any:
    return np.diagonal(m, axis1=-2, axis2=-1)


@implements(np.linalg.eigvalsh)
def _eigvalsh(a: Any, UPLO: str = "L") -> Any:
    """dw = diag(Vᴴ dA V) (real: the matrix is Hermitian)."""
    w, _, m = _eigh_parts(a, UPLO)
    return make(w, _re(_diag(m)), a._tag)


def _phase_fixed(v: Any, dv: Any, at: Any) -> Any:
    """dv + i θ v with θ such that the phase of each column's entry at row ``at`` (an index per
    column, broadcastable to v's columns) does not turn: Im(dv_at / v_at) = 0. An entry that is
    exactly 0 keeps dv's own phase."""
    vk = np.take_along_axis(v, at, axis=-2)
    dvk = np.take_along_axis(dv, at, axis=-2)
    zero = base_value(vk) == 0
    inv = np.where(zero, 0.0, 1 / np.where(zero, 1.0, vk))
    return dv - v * (1j * _im(dvk * inv))


@implements(np.linalg.eigh)
def _eigh(a: Any, UPLO: str = "L") -> Any:
    """dw = diag(M), dV = V (F ∘ M) with M = Vᴴ dA V, F[i, j] = 1/(w[j] - w[i]).

    A complex Hermitian A: NumPy (LAPACK's ``heevd``, through the Householder reduction
    ``hetrd``) returns eigenvectors whose first entry is real (the last, for UPLO='U'); the
    tangent keeps that entry's phase fixed (Im(dv₀/v₀) = 0), so it is the derivative of the
    vectors NumPy returns. A column whose entry there is exactly 0 gets Vᴴ dV = 0 on the diagonal
    (JAX's convention) instead."""
    w, v, m = _eigh_parts(a, UPLO)
    _distinct(w, "numpy.linalg.eigh")
    dv = np.matmul(v, _gap_inverse(w) * m)
    if is_complex(v):
        shape = np.shape(base_value(v))
        row = np.full((*shape[:-2], 1, shape[-1]), 0 if UPLO == "L" else shape[-1] - 1)
        dv = _phase_fixed(v, dv, row)
    return _result(_EIGH, make(w, _re(_diag(m)), a._tag), make(v, dv, a._tag))


def _eig_parts(a: Any) -> tuple[Any, Any, Any]:
    w, v = np.linalg.eig(a._v)
    return w, v, np.linalg.solve(v, np.matmul(a._t, v))  # V⁻¹ dA V


@implements(np.linalg.eigvals)
def _eigvals(a: Any) -> Any:
    """dw = diag(V⁻¹ dA V); complex eigenvalues (of a real or complex A) are complex Duals."""
    w, _, m = _eig_parts(a)
    return make(w, _diag(m), a._tag)


def _largest_entry(v: Any) -> Any:
    """Per column, the row of the entry of largest modulus (LAPACK's ``geev`` makes it real),
    refusing columns where two entries tie for it: NumPy's vector jumps there."""
    b = np.abs(np.asarray(base_value(v)))
    top = np.max(b, axis=-2, keepdims=True)
    ties = np.sum(b >= top * (1 - 1e-13), axis=-2) > 1
    turns = np.any(np.imag(np.asarray(base_value(v))) != 0, axis=-2)
    if np.any(ties & turns):
        raise ValueError(
            "numpy.linalg.eig: an eigenvector has two entries of equal largest modulus, so the "
            "normalisation NumPy returns (largest entry real) jumps there and the vector is not "
            "differentiable; use eigvals, or a quantity that does not depend on the phase"
        )
    return np.argmax(b, axis=-2)[..., None, :]


@implements(np.linalg.eig)
def _eig(a: Any) -> Any:
    """Distinct eigenvalues: dw = diag(M), dV₀ = V (F ∘ M) with M = V⁻¹ dA V, then the multiple of
    V that restores NumPy's normalisation (LAPACK's ``geev``): each column of unit length, and
    (complex vectors) its entry of largest modulus real, so dv = dv₀ + α v with
    Re α = -Re(vᴴ dv₀) and Im α = -Im(dv₀ₖ / vₖ)."""
    w, v, m = _eig_parts(a)
    _distinct(w, "numpy.linalg.eig")
    dv = np.matmul(v, _gap_inverse(w) * m)
    dv = dv - v * _re(np.sum(_conj(v) * dv, axis=-2, keepdims=True))  # unit columns
    if is_complex(v):
        dv = _phase_fixed(v, dv, _largest_entry(v))
    return _result(_EIG, make(w, _diag(m), a._tag), make(v, dv, a._tag))


def _complex_singular_vectors(av: Any, s: Any) -> tuple[Any, Any]:
    """Some U, V with A = U diag(s) Vᴴ (reduced), for ds = Re diag(Uᴴ dA V), which does not
    depend on the phase of each pair. NumPy's own for arrays; for a nested Dual (a Hessian) the
    eigenvectors of AᴴA (or AAᴴ), which are differentiable, and U = A V / s (or V = Aᴴ U / s)."""
    if not is_dual(av):
        u, _, vh = np.linalg.svd(av, full_matrices=False)
        return u, _mH(vh)
    m_, n_ = np.shape(base_value(av))[-2:]
    if m_ >= n_:
        v = np.linalg.eigh(np.matmul(_mH(av), av))[1][..., ::-1]  # descending, as s
        return np.matmul(av, v) / s[..., None, :], v
    u = np.linalg.eigh(np.matmul(av, _mH(av)))[1][..., ::-1]
    return u, np.matmul(_mH(av), u) / s[..., None, :]


@implements(np.linalg.svd)
def _svd(a: Any, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False):
    """A = U diag(s) Vᵀ: ds = diag(Uᵀ dA V), and (distinct s) the vectors by JAX's rule.
    Complex A: ds = Re diag(Uᴴ dA V); its singular vectors are refused (each pair only unique up
    to a common phase, which NumPy does not fix)."""
    m_, n_ = np.shape(base_value(a._v))[-2:]
    if is_complex(a._v):
        if compute_uv:
            raise TypeError(
                "numpy.linalg.svd of a complex Dual: the singular vectors are not "
                "differentiable (each pair is unique only up to a phase, which NumPy does not "
                "fix); use compute_uv=False for the singular values"
            )
        s = np.linalg.svd(a._v, compute_uv=False)
        u, v = _complex_singular_vectors(a._v, s)
        return make(s, _re(_diag(np.matmul(np.matmul(_mH(u), a._t), v))), a._tag)
    u, s, vt = np.linalg.svd(a._v, full_matrices=False)
    v = _mT(vt)
    ds_mat = np.matmul(np.matmul(_mT(u), a._t), v)
    ds = np.diagonal(ds_mat, axis1=-2, axis2=-1)
    if not compute_uv:
        return make(s, ds, a._tag)
    if full_matrices and m_ != n_:
        raise TypeError(
            "numpy.linalg.svd on Duals: full_matrices=True of a non-square matrix has vectors "
            "that are not unique; use full_matrices=False"
        )
    _distinct(s, "numpy.linalg.svd")
    eye = _eye_like(s)
    srow, scol = s[..., None, :], s[..., :, None]
    f = 1 / ((srow + scol) * (srow - scol) + eye) - eye  # 1 / (s_j² - s_i²)
    dss = ds_mat * srow
    sds = scol * ds_mat
    du = np.matmul(u, f * (dss + _mT(dss)))
    dv = np.matmul(v, f * (sds + _mT(sds)))
    if m_ > n_:
        dav = np.matmul(a._t, v)
        du = du + (dav - np.matmul(u, np.matmul(_mT(u), dav))) / srow
    elif n_ > m_:
        dau = np.matmul(_mT(a._t), u)
        dv = dv + (dau - np.matmul(v, np.matmul(vt, dau))) / srow
    return _result(_SVD, make(u, du, a._tag), make(s, ds, a._tag), make(vt, _mT(dv), a._tag))


@implements(np.linalg.qr)
def _qr(a: Any, mode: str = "reduced") -> Any:
    """A = QR (m >= n): with X = Qᵀ dA R⁻¹ and Ω = tril(X, -1) - tril(X, -1)ᵀ,
    dQ = Q (Ω - X) + dA R⁻¹ and dR = (X - Ω) R."""
    m_, n_ = np.shape(base_value(a._v))[-2:]
    if mode not in ("reduced", "r", "complete"):
        raise ValueError(f"numpy.linalg.qr on Duals: mode {mode!r} is not supported")
    if m_ < n_ or (mode == "complete" and m_ != n_):
        raise TypeError(
            "numpy.linalg.qr on Duals needs m >= n (and a square matrix for mode='complete'): "
            "otherwise Q or R is not unique"
        )
    q, r = np.linalg.qr(a._v)
    da_rinv = _mT(np.linalg.solve(_mT(r), _mT(a._t)))  # dA R⁻¹
    x = np.matmul(_mT(q), da_rinv)
    low = np.tril(x, -1)
    omega = low - _mT(low)
    dr = np.matmul(x - omega, r)
    if mode == "r":
        return make(r, dr, a._tag)
    dq = np.matmul(q, omega - x) + da_rinv
    return _result(_QR, make(q, dq, a._tag), make(r, dr, a._tag))


@implements(np.linalg.lstsq)
def _lstsq(a: Any, b: Any, rcond: Any = None) -> tuple[Any, Any, int, Any]:
    """Full column rank: AᵀA dx = dAᵀ (b - A x) + Aᵀ (db - dA x) (the normal equations)."""
    tag = top_tag(a, b)
    (av, at), (bv, bt) = parts(a, tag), parts(b, tag)
    x, _, rank, _ = np.linalg.lstsq(base_value(av), base_value(bv), rcond=rcond)
    n_ = np.shape(base_value(av))[-1]
    if rank < n_:
        raise ValueError(
            f"numpy.linalg.lstsq on Duals needs full column rank ({n_}), got rank {rank}: "
            "the least-squares solution is not differentiable there"
        )
    ata = np.matmul(_mT(av), av)
    x = np.linalg.solve(ata, np.matmul(_mT(av), bv))  # the same x, in the kind of av and bv
    resid = bv - np.matmul(av, x)
    rhs = None
    if at is not None:
        rhs = np.matmul(_mT(at), resid) - np.matmul(_mT(av), np.matmul(at, x))
    if bt is not None:
        tb = np.matmul(_mT(av), bt)
        rhs = tb if rhs is None else rhs + tb
    xd = make(x, np.linalg.solve(ata, rhs), tag)
    m_ = np.shape(base_value(av))[-2]
    if m_ > n_:
        r = b - np.matmul(a, xd)
        residuals = np.atleast_1d(np.sum(r * r, axis=0))
    else:
        residuals = np.empty((0,))
    return xd, residuals, int(rank), np.linalg.svd(a, compute_uv=False)


@implements(np.linalg.pinv)
def _pinv(a: Any, rcond: Any = None, hermitian: bool = False, **kw: Any) -> Any:
    """X = A⁺ (constant rank): dX = -X dA X + X Xᴴ dAᴴ (I - A X) + (I - X A) dAᴴ Xᴴ X."""
    x = np.linalg.pinv(a._v) if rcond is None else np.linalg.pinv(a._v, rcond)
    av, da = a._v, a._t
    m_, n_ = np.shape(base_value(av))[-2:]
    i_m, i_n = np.eye(m_), np.eye(n_)
    dx = (
        -np.matmul(np.matmul(x, da), x)
        + np.matmul(np.matmul(np.matmul(x, _mH(x)), _mH(da)), i_m - np.matmul(av, x))
        + np.matmul(np.matmul(i_n - np.matmul(x, av), _mH(da)), np.matmul(_mH(x), x))
    )
    return make(x, dx, a._tag)


@implements(np.linalg.matrix_power)
def _matrix_power(a: Any, n: int) -> Any:
    """Repeated products by the product rule (A⁻¹ first for negative n)."""
    if not isinstance(n, (int, np.integer)):
        raise TypeError(f"numpy.linalg.matrix_power: exponent must be an integer, got {n!r}")
    if n == 0:
        return np.broadcast_to(_eye_like(a._v), a.shape).copy()
    if n < 0:
        a, n = np.linalg.inv(a), -n
    result, base = None, a
    while n:
        if n & 1:
            result = base if result is None else np.matmul(result, base)
        n >>= 1
        if n:
            base = np.matmul(base, base)
    return result


@implements(np.linalg.multi_dot)
def _multi_dot(arrays: Any, *, out: Any = None) -> Any:
    if out is not None:
        raise TypeError("numpy.linalg.multi_dot on Duals does not support out")
    return functools.reduce(np.matmul, arrays)


@implements(np.linalg.matrix_rank)
def _matrix_rank(a: Any, *args: Any, **kwargs: Any) -> Any:
    """The rank is an integer: it has no tangent."""
    return np.linalg.matrix_rank(base_value(a), *args, **kwargs)


@implements(np.linalg.cond)
def _cond(x: Any, p: Any = None) -> Any:
    """p None, 2, -2: a ratio of singular values; otherwise ‖A‖ ‖A⁻¹‖ in that norm."""
    if p is None or p in (2, -2):
        s = np.linalg.svd(x, compute_uv=False)
        big, small = s[..., 0], s[..., -1]
        return big / small if p != -2 else small / big
    return _norm(x, p, axis=(-2, -1)) * _norm(np.linalg.inv(x), p, axis=(-2, -1))


@implements(np.linalg.norm)
def _norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Any:
    """Every vector and matrix norm NumPy has, written with the Dual rules (abs, sqrt, svd)."""
    nd = x.ndim
    if axis is None:
        if ord is None:
            r = rules.sqrt(np.sum(_abs2(x)))
            return np.reshape(r, (1,) * nd) if keepdims else r
        if nd not in (1, 2):
            raise ValueError("Improper number of dimensions to norm.")
        axis = tuple(range(nd))
    axes = (axis,) if not isinstance(axis, tuple) else axis
    axes = tuple(ax % nd for ax in axes)
    if len(axes) == 1:
        r = _vector_norm(x, ord, axes[0])
    elif len(axes) == 2:
        r = _matrix_norm(x, ord, axes)
    else:
        raise ValueError("Improper number of dimensions to norm.")
    if keepdims:
        shape = [1 if i in axes else n for i, n in enumerate(x.shape)]
        r = np.reshape(r, shape)
    return r


def _abs2(x: Any) -> Any:
    """|x|², entrywise: x x for real x, Re(x conj(x)) for complex x (a real Dual)."""
    return rules.real(x * rules.conj(x)) if is_complex(x) else x * x


def _vector_norm(x: Any, ord: Any, axis: int) -> Any:
    if ord is None or ord == 2:
        return rules.sqrt(np.sum(_abs2(x), axis=axis))
    if ord == np.inf:
        return np.max(rules.abs(x), axis=axis)
    if ord == -np.inf:
        return np.min(rules.abs(x), axis=axis)
    if ord == 0:
        return np.sum(base_value(x) != 0, axis=axis).astype(float)  # a count: no tangent
    if ord == 1:
        return np.sum(rules.abs(x), axis=axis)
    if isinstance(ord, str):
        raise ValueError(f"Invalid norm order '{ord}' for vectors")
    return np.sum(rules.abs(x) ** ord, axis=axis) ** (like(1, x) / ord)  # 1/ord in x's kind


def _matrix_norm(x: Any, ord: Any, axes: tuple[int, int]) -> Any:
    row, col = axes
    if row == col:
        raise ValueError("Duplicate axes given.")
    if ord is None or ord == "fro":
        return rules.sqrt(np.sum(_abs2(x), axis=axes))
    if ord in (2, -2, "nuc"):
        m = np.moveaxis(x, (row, col), (-2, -1))
        s = np.linalg.svd(m, compute_uv=False)
        if ord == "nuc":
            return np.sum(s, axis=-1)
        return np.max(s, axis=-1) if ord == 2 else np.min(s, axis=-1)
    if ord in (1, -1):
        sums = np.sum(rules.abs(x), axis=row)
        c = col - 1 if col > row else col
        return np.max(sums, axis=c) if ord == 1 else np.min(sums, axis=c)
    if ord in (np.inf, -np.inf):
        sums = np.sum(rules.abs(x), axis=col)
        r = row - 1 if row > col else row
        return np.max(sums, axis=r) if ord == np.inf else np.min(sums, axis=r)
    raise ValueError("Invalid norm order for matrices.")


# the rules above hold for complex matrices and tangents (qr and lstsq are left out: real only)
COMPLEX_OK.update((
    np.linalg.solve, np.linalg.inv, np.linalg.det, np.linalg.slogdet, np.linalg.cholesky,
    np.linalg.eigvalsh, np.linalg.eigh, np.linalg.eigvals, np.linalg.eig, np.linalg.svd,
    np.linalg.pinv, np.linalg.matrix_power, np.linalg.multi_dot, np.linalg.matrix_rank,
    np.linalg.cond, np.linalg.norm,
))  # fmt: skip
