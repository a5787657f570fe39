"""dualdiff.scipy.signal against SciPy (values) and mpmath (derivatives), in every mode.

Each spec maps a parameter vector p to two arrays and convolves them with the module it is
given: ``scipy.signal`` on floats or ``dualdiff.scipy.signal`` on Duals. The reference is the
convolution written out as sums in mpmath at 40 digits (the full result, then the part that
"same" or "valid" keeps); its derivatives are central differences (step 1e-12), its Hessians
second differences (step 1e-9).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np
import pytest
import scipy.signal as ss

import dualdiff as dd
from dualdiff.scipy import signal as dds

from ..reference import list_hessian, list_jacobian

mpf = mpmath.mpf
DPS = 40
H = mpf("1e-12")

P = (0.3, -0.2, 0.5, 0.1, 0.7, -0.4, 0.2, 0.6, -0.1, 0.4, -0.3, 0.8, 0.9, -0.5, 0.25)
K3 = np.array([1.0, -2.0, 0.5])


def mp_convolve(a: Any, b: Any, mode: str, axes: Any = None) -> list[Any]:
    """The convolution over ``axes`` (others broadcast) by its definition, flat."""
    a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    nd = a.ndim
    axes = list(range(nd)) if axes is None else [int(ax) % nd for ax in np.atleast_1d(axes)]
    other = [d for d in range(nd) if d not in axes]
    sa, sb = list(a.shape), list(b.shape)
    for d in other:
        sa[d] = sb[d] = max(a.shape[d], b.shape[d])
    a, b = np.broadcast_to(a, sa), np.broadcast_to(b, sb)
    full = np.empty([sa[d] + sb[d] - 1 if d in axes else sa[d] for d in range(nd)], dtype=object)
    full.fill(mpf(0))
    for ib in np.ndindex(*[sb[d] if d in axes else 1 for d in range(nd)]):
        out = tuple(slice(ib[d], ib[d] + sa[d]) if d in axes else slice(None) for d in range(nd))
        coef = b[tuple(slice(ib[d], ib[d] + 1) if d in axes else slice(None) for d in range(nd))]
        full[out] = full[out] + a * coef
    keep = []
    for d in range(nd):
        n1, n2, nf = sa[d], sb[d], full.shape[d]
        if d in other or mode == "full":
            keep.append(slice(None))
        elif mode == "same":
            start = (nf - n1) // 2
            keep.append(slice(start, start + n1))
        else:  # valid
            start = min(n1, n2) - 1
            keep.append(slice(start, start + abs(n1 - n2) + 1))
    return list(full[tuple(keep)].ravel())


@dataclass
class Spec:
    name: str
    f: Callable[[Any, Any], Any]  # (module, p) -> result
    ref: Callable[[list[Any]], list[Any]]  # p as mpf list -> flat mpf list
    n: int  # how many parameters


def _obj(x: Any) -> Any:
    return np.array([mpf(float(v)) for v in np.ravel(x)], dtype=object).reshape(np.shape(x))


def _specs() -> list[Spec]:
    specs = []
    for method in ("direct", "fft"):
        for mode in ("full", "same", "valid"):
            specs.append(
                Spec(
                    f"convolve 1-D {mode} {method}",
                    lambda m, p, mode=mode, method=method: m.convolve(
                        p[:5], p[5:8], mode=mode, method=method
                    ),
                    lambda p, mode=mode: mp_convolve(p[:5], p[5:8], mode),
                    8,
                )
            )
    for mode in ("same", "valid"):  # in2 longer than in1: "valid" swaps them
        specs.append(
            Spec(
                f"convolve 1-D short in1 {mode}",
                lambda m, p, mode=mode: m.convolve(p[:3], p[3:8], mode=mode),
                lambda p, mode=mode: mp_convolve(p[:3], p[3:8], mode),
                8,
            )
        )
    specs += [
        Spec(
            "convolve constant kernel",
            lambda m, p: m.convolve(p * p, K3, mode="same"),
            lambda p: mp_convolve([e * e for e in p], _obj(K3), "same"),
            6,
        ),
        Spec(
            "convolve constant signal",
            lambda m, p: m.convolve(K3 * 2.0, p * p, method="direct"),
            lambda p: mp_convolve(_obj(K3 * 2.0), [e * e for e in p], "full"),
            4,
        ),
    ]
    for mode in ("full", "same", "valid"):
        specs.append(
            Spec(
                f"convolve 2-D {mode}",
                lambda m, p, mode=mode: m.convolve(
                    np.reshape(p[:9], (3, 3)), np.reshape(p[9:13], (2, 2)), mode=mode
                ),
                lambda p, mode=mode: mp_convolve(
                    np.reshape(np.array(p[:9], dtype=object), (3, 3)),
                    np.reshape(np.array(p[9:13], dtype=object), (2, 2)),
                    mode,
                ),
                13,
            )
        )
    for mode in ("full", "same", "valid"):
        specs.append(
            Spec(
                f"fftconvolve 1-D {mode}",
                lambda m, p, mode=mode: m.fftconvolve(p[:6], p[6:9], mode=mode),
                lambda p, mode=mode: mp_convolve(p[:6], p[6:9], mode),
                9,
            )
        )
    specs += [
        Spec(
            "fftconvolve 2-D same",
            lambda m, p: m.fftconvolve(
                np.reshape(p[:9], (3, 3)), np.reshape(p[9:13], (2, 2)), "same"
            ),
            lambda p: mp_convolve(
                np.reshape(np.array(p[:9], dtype=object), (3, 3)),
                np.reshape(np.array(p[9:13], dtype=object), (2, 2)),
                "same",
            ),
            13,
        ),
        Spec(
            "fftconvolve axes=1, broadcast rows",
            lambda m, p: m.fftconvolve(
                np.reshape(p[:8], (2, 4)), np.reshape(p[8:11], (1, 3)), axes=1
            ),
            lambda p: mp_convolve(
                np.reshape(np.array(p[:8], dtype=object), (2, 4)),
                np.reshape(np.array(p[8:11], dtype=object), (1, 3)),
                "full",
                axes=1,
            ),
            11,
        ),
        Spec(
            "fftconvolve axes=[0] valid",
            lambda m, p: m.fftconvolve(
                np.reshape(p[:8], (4, 2)), np.reshape(p[8:12], (2, 2)), "valid", axes=[0]
            ),
            lambda p: mp_convolve(
                np.reshape(np.array(p[:8], dtype=object), (4, 2)),
                np.reshape(np.array(p[8:12], dtype=object), (2, 2)),
                "valid",
                axes=[0],
            ),
            12,
        ),
        Spec(
            "fftconvolve constant kernel",
            lambda m, p: m.fftconvolve(p * p, K3, "valid"),
            lambda p: mp_convolve([e * e for e in p], _obj(K3), "valid"),
            6,
        ),
    ]
    return specs


SPECS = _specs()
BY_NAME = {s.name: s for s in SPECS}


@functools.cache
def reference_jacobian(name: str) -> np.ndarray:
    spec = BY_NAME[name]
    return list_jacobian(spec.ref, P[: spec.n], dps=DPS, h=str(H))


def reference_hessian(spec: Spec, w: np.ndarray) -> np.ndarray:
    """Second central differences (step 1e-9) of the weighted sum of the mpmath outputs."""
    return list_hessian(spec.ref, P[: spec.n], w, dps=DPS)


def _p0(spec: Spec) -> np.ndarray:
    return np.array(P[: spec.n])


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_values_match_scipy(spec):
    p = _p0(spec)
    plain = spec.f(ss, p)
    same = spec.f(dds, p)  # no Dual: SciPy's own result, untouched
    assert type(same) is type(plain)
    np.testing.assert_array_equal(same, plain)
    r = spec.f(dds, dd.Dual(p, np.zeros_like(p)))
    np.testing.assert_allclose(r.value, plain, rtol=1e-12, atol=1e-15)
    ref = [float(v) for v in spec.ref([mpf(v) for v in p])]
    np.testing.assert_allclose(np.ravel(r.value), ref, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_jvp_against_mpmath(spec):
    ref = reference_jacobian(spec.name)
    v = np.linspace(1.0, -0.6, spec.n)
    _, got = dd.jvp(lambda p: np.ravel(spec.f(dds, p)), _p0(spec), v)
    np.testing.assert_allclose(got, ref @ v, rtol=1e-10, atol=1e-12, err_msg=spec.name)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
@pytest.mark.parametrize("chunk", [1, 3, None])
def test_jacobian_against_mpmath(spec, chunk):
    ref = reference_jacobian(spec.name)
    got = dd.jacobian(lambda p: np.ravel(spec.f(dds, p)), _p0(spec), chunk=chunk)
    np.testing.assert_allclose(got, ref, rtol=1e-10, atol=1e-12, err_msg=spec.name)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_hessian_against_mpmath(spec):
    p0 = _p0(spec)
    w = np.linspace(1.0, -0.5, np.size(spec.f(ss, p0)))
    got = dd.hessian(lambda p: np.sum(np.ravel(spec.f(dds, p)) * w), p0)
    np.testing.assert_allclose(
        got, reference_hessian(spec, w), rtol=1e-8, atol=1e-10, err_msg=spec.name
    )


def test_complex_inputs_are_refused():
    x = dd.Dual(np.ones(3), np.ones(3))
    for f in (dds.convolve, dds.fftconvolve):
        with pytest.raises(TypeError, match=f"scipy.signal.{f.__name__} on Duals takes real"):
            f(x, np.array([1.0, 1j]))


def test_lists_of_duals_are_stacked():
    a = dd.Dual(2.0, 1.0)
    r = dds.convolve([a, 1.0], [1.0, a])  # [a, a² + 1, a]
    np.testing.assert_allclose(r.value, [2.0, 5.0, 2.0])
    np.testing.assert_allclose(r.tangent, [1.0, 4.0, 1.0])
