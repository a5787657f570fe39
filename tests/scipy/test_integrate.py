"""dualdiff.scipy.integrate against SciPy (values) and mpmath (derivatives), in every mode.

Each spec maps a parameter vector p to samples y (and points x or a spacing dx) and integrates
them with the module it is given: ``scipy.integrate`` on floats or ``dualdiff.scipy.integrate``
on Duals. The reference re-implements the trapezoid and Simpson rules (Simpson's for uneven
spacing, with the correction of the last interval for an even number of samples) in mpmath at
40 digits; its derivatives are central differences (step 1e-12), its Hessians second
differences (step 1e-9).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np
import pytest
import scipy.integrate as si

import dualdiff as dd
from dualdiff.scipy import integrate as ddi

from ..reference import list_hessian, list_jacobian

mpf = mpmath.mpf
DPS = 40
H = mpf("1e-12")

P4 = (0.3, -0.2, 0.5, 0.1)
P6 = (0.3, -0.2, 0.5, 0.1, 0.7, -0.4)
P9 = (0.3, -0.2, 0.5, 0.1, 0.7, -0.4, 0.2, 0.6, -0.1)
P10 = (*P9, 0.4)
P12 = (*P10, -0.3, 0.8)
G = np.array([0.0, 0.3, 0.7, 1.2, 2.0, 2.5])  # uneven sample points


# --- the rules in mpmath, on lists ----------------------------------------------------------------
def mp_trapezoid(y: list[Any], x: list[Any]) -> Any:
    return sum((x[i + 1] - x[i]) * (y[i + 1] + y[i]) / 2 for i in range(len(y) - 1))


def mp_simpson(y: list[Any], x: list[Any]) -> Any:
    """Composite Simpson for uneven spacing; an even count corrects the last interval."""
    n = len(y)
    if n == 2:
        return mp_trapezoid(y, x)
    stop = n if n % 2 == 1 else n - 1
    total = mpf(0)
    for i in range(0, stop - 2, 2):
        h0, h1 = x[i + 1] - x[i], x[i + 2] - x[i + 1]
        total += (
            (h0 + h1)
            / 6
            * (
                (2 - h1 / h0) * y[i]
                + (h0 + h1) ** 2 / (h0 * h1) * y[i + 1]
                + (2 - h0 / h1) * y[i + 2]
            )
        )
    if n % 2 == 0:
        h0, h1 = x[n - 2] - x[n - 3], x[n - 1] - x[n - 2]
        alpha = (2 * h1**2 + 3 * h0 * h1) / (6 * (h0 + h1))
        beta = (h1**2 + 3 * h0 * h1) / (6 * h0)
        eta = h1**3 / (6 * h0 * (h0 + h1))
        total += alpha * y[n - 1] + beta * y[n - 2] - eta * y[n - 3]
    return total


def grid(n: int, dx: Any = 1) -> list[Any]:
    return [dx * i for i in range(n)]


def sq(p: list[Any]) -> list[Any]:
    return [e * e + e for e in p]


def moved(p: list[Any]) -> list[Any]:
    """Points G[:n] + p/10 (still increasing)."""
    return [mpf(float(g)) + e / 10 for g, e in zip(G, p, strict=False)]


def rows(flat: list[Any], n: int) -> list[list[Any]]:
    return [flat[i : i + n] for i in range(0, len(flat), n)]


def cols(flat: list[Any], n: int) -> list[list[Any]]:
    return [flat[j::n] for j in range(n)]


# --- the specs ----------------------------------------------------------------------------------
@dataclass
class Spec:
    name: str
    f: Callable[[Any, Any], Any]  # (module, p) -> integral(s)
    ref: Callable[[list[Any]], list[Any]]  # p as mpf list -> flat mpf list
    p0: tuple[float, ...]


SPECS = [
    Spec(
        "trapezoid, dx",
        lambda m, p: m.trapezoid(p * p + p, dx=0.5),
        lambda p: [mp_trapezoid(sq(p), grid(len(p), mpf("0.5")))],
        P6,
    ),
    Spec(
        "trapezoid, y and x",
        lambda m, p: m.trapezoid(p[:5] * p[:5] + p[:5], G[:5] + p[5:] / 10),
        lambda p: [mp_trapezoid(sq(p[:5]), moved(p[5:]))],
        P10,
    ),
    Spec(
        "trapezoid, x only",
        lambda m, p: m.trapezoid(np.array([1.0, -2.0, 0.5, 3.0]), x=G[:4] + p / 10),
        lambda p: [mp_trapezoid([mpf(1), mpf(-2), mpf("0.5"), mpf(3)], moved(p))],
        P4,
    ),
    Spec(
        "trapezoid, dx a Dual",
        lambda m, p: m.trapezoid(p[1:] * p[1:] + p[1:], dx=p[0] + 1.0),
        lambda p: [mp_trapezoid(sq(p[1:]), grid(len(p) - 1, p[0] + 1))],
        P6,
    ),
    Spec(
        "trapezoid 2-D, axis 0, 1-D x",
        lambda m, p: m.trapezoid(
            np.reshape(p[:6] * p[:6] + p[:6], (3, 2)), G[:3] + p[6:] / 10, axis=0
        ),
        lambda p: [mp_trapezoid(c, moved(p[6:])) for c in cols(sq(p[:6]), 2)],
        P9,
    ),
    Spec(
        "trapezoid 2-D, 2-D x",
        lambda m, p: m.trapezoid(
            np.reshape(p[:6] * p[:6] + p[:6], (2, 3)),
            np.reshape(np.tile(G[:3], 2) + p[6:] / 10, (2, 3)),
        ),
        lambda p: [
            mp_trapezoid(r, moved(xr))
            for r, xr in zip(rows(sq(p[:6]), 3), rows(p[6:], 3), strict=True)
        ],
        P12,
    ),
    Spec(
        "simpson odd, x",
        lambda m, p: m.simpson(p[:5] * p[:5] + p[:5], x=G[:5] + p[5:] / 10),
        lambda p: [mp_simpson(sq(p[:5]), moved(p[5:]))],
        P10,
    ),
    Spec(
        "simpson even, x",
        lambda m, p: m.simpson(p[:6] * p[:6] + p[:6], x=G + p[6:] / 10),
        lambda p: [mp_simpson(sq(p[:6]), moved(p[6:]))],
        P12,
    ),
    Spec(
        "simpson even, dx",
        lambda m, p: m.simpson(p * p + p, dx=0.3),
        lambda p: [mp_simpson(sq(p), grid(len(p), mpf("0.3")))],
        P6,
    ),
    Spec(
        "simpson odd, dx a Dual",
        lambda m, p: m.simpson(p[1:6] * p[1:6] + p[1:6], dx=p[0] + 1.0),
        lambda p: [mp_simpson(sq(p[1:6]), grid(5, p[0] + 1))],
        P6,
    ),
    Spec(
        "simpson two samples",
        lambda m, p: m.simpson(p[:2] * p[:2] + p[:2], x=G[:2] + p[2:] / 10),
        lambda p: [mp_simpson(sq(p[:2]), moved(p[2:]))],
        P4,
    ),
    Spec(
        "simpson 2-D, axis 0, 1-D x, even",
        lambda m, p: m.simpson(
            np.reshape(p[:8] * p[:8] + p[:8], (4, 2)), x=G[:4] + p[8:] / 10, axis=0
        ),
        lambda p: [mp_simpson(c, moved(p[8:])) for c in cols(sq(p[:8]), 2)],
        P12,
    ),
    Spec(
        "simpson 2-D, 2-D x",
        lambda m, p: m.simpson(
            np.reshape(p[:6] * p[:6] + p[:6], (2, 3)),
            x=np.reshape(np.tile(G[:3], 2) + p[6:] / 10, (2, 3)),
        ),
        lambda p: [
            mp_simpson(r, moved(xr))
            for r, xr in zip(rows(sq(p[:6]), 3), rows(p[6:], 3), strict=True)
        ],
        P12,
    ),
]
BY_NAME = {s.name: s for s in SPECS}


def _flat_out(r: Any) -> Any:
    return np.ravel(r) if np.ndim(r) else np.reshape(r, (1,))


@functools.cache
def reference_jacobian(name: str) -> np.ndarray:
    spec = BY_NAME[name]
    return list_jacobian(spec.ref, spec.p0, dps=DPS, h=str(H))


def reference_hessian(spec: Spec, w: np.ndarray) -> np.ndarray:
    """Second central differences (step 1e-9) of the weighted sum of the mpmath outputs."""
    return list_hessian(spec.ref, spec.p0, w, dps=DPS)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_values_match_scipy(spec):
    p = np.array(spec.p0)
    plain = spec.f(si, p)
    same = spec.f(ddi, p)  # no Dual: SciPy's own result, untouched
    assert type(same) is type(plain)
    np.testing.assert_array_equal(same, plain)
    r = spec.f(ddi, dd.Dual(p, np.zeros_like(p)))
    np.testing.assert_allclose(np.ravel(r.value), np.ravel(plain), rtol=1e-12, atol=1e-15)
    ref = [float(v) for v in spec.ref([mpf(v) for v in spec.p0])]
    np.testing.assert_allclose(np.ravel(r.value), ref, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_jvp_against_mpmath(spec):
    ref = reference_jacobian(spec.name)
    v = np.linspace(1.0, -0.6, len(spec.p0))
    _, got = dd.jvp(lambda p: _flat_out(spec.f(ddi, p)), np.array(spec.p0), v)
    np.testing.assert_allclose(np.ravel(got), ref @ v, rtol=1e-10, atol=1e-12, err_msg=spec.name)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
@pytest.mark.parametrize("chunk", [1, 3, None])
def test_jacobian_against_mpmath(spec, chunk):
    ref = reference_jacobian(spec.name)
    got = dd.jacobian(lambda p: _flat_out(spec.f(ddi, p)), np.array(spec.p0), chunk=chunk)
    np.testing.assert_allclose(
        np.reshape(got, ref.shape), ref, rtol=1e-10, atol=1e-12, err_msg=spec.name
    )


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_hessian_against_mpmath(spec):
    p0 = np.array(spec.p0)
    w = np.linspace(1.0, -0.5, np.size(spec.f(si, p0)))
    got = dd.hessian(lambda p: np.sum(_flat_out(spec.f(ddi, p)) * w), p0)
    np.testing.assert_allclose(
        got, reference_hessian(spec, w), rtol=1e-8, atol=1e-10, err_msg=spec.name
    )


def test_repeated_points_give_what_scipy_gives():
    """Zero spacings: SciPy's guarded divisions (0 where the spacing is 0) carry over."""
    y = np.array([1.0, 2.0, 3.0, 5.0, 4.0])
    x = np.array([0.0, 1.0, 1.0, 2.0, 3.0])
    got = ddi.simpson(dd.Dual(y, np.ones(5)), x=x)
    np.testing.assert_allclose(got.value, si.simpson(y, x=x), rtol=1e-14)
    np.testing.assert_allclose(got.tangent, si.simpson(np.ones(5), x=x), rtol=1e-14)


def test_lists_of_duals_and_bad_x():
    a = dd.Dual(2.0, 1.0)
    r = ddi.trapezoid([a, a * a, 1.0])  # (2 + 4)/2 + (4 + 1)/2, d: (1 + 4)/2 + 4/2
    assert (r.value, r.tangent) == (5.5, 4.5)
    with pytest.raises(ValueError, match="length of x"):
        ddi.simpson(dd.Dual(np.ones(3), np.ones(3)), x=np.arange(4.0))
    with pytest.raises(ValueError, match="1-D or the same as y"):
        ddi.simpson(dd.Dual(np.ones((2, 3)), np.ones((2, 3))), x=np.ones((1, 2, 3)))
