"""Scientific code as people write it, differentiated unchanged, against independent references."""

from __future__ import annotations

import mpmath
import numpy as np

import dualdiff as dd

MASSES = np.array([1.0, 0.5, 2.0, 0.8])


def nbody_energy(q):
    """Gravitational potential energy of bodies at q (flat, 3 per body), written with reshape."""
    pos = q.reshape(-1, 3)
    diff = pos[:, None, :] - pos[None, :, :]
    r2 = np.sum(diff * diff, axis=-1) + np.eye(len(MASSES))  # 1 on the diagonal: no self term
    inv_r = 1.0 / np.sqrt(r2)
    pair = np.outer(MASSES, MASSES) * inv_r * (1.0 - np.eye(len(MASSES)))
    return -0.5 * pair.sum()


def nbody_energy_mp(q):
    pos = [q[3 * i : 3 * i + 3] for i in range(len(MASSES))]
    e = mpmath.mpf(0)
    for i in range(len(MASSES)):
        for j in range(i + 1, len(MASSES)):
            r = mpmath.sqrt(sum((a - b) ** 2 for a, b in zip(pos[i], pos[j], strict=True)))
            e -= MASSES[i] * MASSES[j] / r
    return e


Q = np.array([0.0, 0.1, -0.2, 1.0, 0.3, 0.2, -0.7, 0.9, 0.4, 0.5, -0.8, 1.1])


def mp_gradient(f, x):
    h = mpmath.mpf("1e-15")
    with mpmath.workdps(40):
        xs = [mpmath.mpf(v) for v in x]
        out = []
        for i in range(len(xs)):
            up, dn = list(xs), list(xs)
            up[i] += h
            dn[i] -= h
            out.append(float((f(up) - f(dn)) / (2 * h)))
    return np.array(out)


def test_nbody_forces_are_minus_the_gradient():
    ref = mp_gradient(nbody_energy_mp, Q)
    for chunk in (1, 4, None):
        got = dd.gradient(nbody_energy, Q, chunk=chunk)
        assert np.allclose(got, ref, rtol=1e-12, atol=1e-14)


def test_nbody_hessian_is_symmetric_and_matches_differences_of_the_gradient():
    h = dd.hessian(nbody_energy, Q)
    assert np.array_equal(h, h.T)
    step = 1e-6
    fd = np.stack(
        [
            (dd.gradient(nbody_energy, Q + step * e) - dd.gradient(nbody_energy, Q - step * e))
            / (2 * step)
            for e in np.eye(len(Q))
        ]
    )
    assert np.allclose(h, fd, rtol=1e-6, atol=1e-7)


def brusselator(u, a=1.0, b=3.0, d=0.02):
    """A 1-D Brusselator right-hand side with np.empty_like and slices, as in the textbooks."""
    n = len(u) // 2
    x, y = u[:n], u[n:]
    out = np.empty_like(u)
    lap_x = np.zeros_like(x)
    lap_x[1:-1] = x[:-2] - 2 * x[1:-1] + x[2:]
    out[:n] = a + x * x * y - (b + 1) * x + d * lap_x
    out[n:] = b * x - x * x * y
    return out


def test_brusselator_jacobian_against_the_hand_written_one():
    n = 5
    u = np.concatenate([np.linspace(0.8, 1.2, n), np.linspace(2.5, 3.5, n)])
    x, y = u[:n], u[n:]
    lap = np.zeros((n, n))
    for i in range(1, n - 1):
        lap[i, i - 1 : i + 2] = [1.0, -2.0, 1.0]
    ref = np.block(
        [
            [np.diag(2 * x * y - 4.0) + 0.02 * lap, np.diag(x * x)],
            [np.diag(3.0 - 2 * x * y), np.diag(-x * x)],
        ]
    )
    for chunk in (1, 3, None):
        assert np.allclose(dd.jacobian(brusselator, u, chunk=chunk), ref, rtol=1e-15, atol=1e-15)
