"""Dask arrays: lazy results, the same numbers as the NumPy path, and a real cluster computing
derivatives over an array ten times larger than one worker's memory."""

from __future__ import annotations

import resource

import dask
import dask.array as da
import numpy as np
import pytest
from distributed import Client, LocalCluster

import dualdiff as dd
from dualdiff.rules import Domain

from .reference import POINTS, row_cases, sample


def refuse(dsk, keys, **kwargs):
    raise AssertionError("dualdiff computed a dask value behind the user's back")


@dd.derivative
def f(x):
    return dd.sin(x) * dd.exp(x) / (1 + x**2) + dd.ln(1 + x * x) * dd.cos(x) ** 3 + 2.0**x


def test_results_are_lazy_dask_arrays():
    x = da.linspace(0.01, 3.0, 1000, chunks=100)
    with dask.config.set(scheduler=refuse):
        p = f.prime(x)
        v, p2 = f.value_and_prime(x)
        val, jv = dd.jvp(lambda t: dd.sin(t) * t, x, da.ones_like(x))
        pp = f.prime.prime(x)
        for case in CASES:  # every row, on dask values, stays lazy
            g = dd.derivative(case.fn)
            args = [da.from_array(c, chunks=7) for c in _columns(case)]
            out = g.prime(*args) if case.arity == 1 else g.grad(*args)
            for o in out if isinstance(out, tuple) else (out,):
                assert isinstance(o, da.Array), case.label
    for r in (p, v, p2, val, jv, pp):
        assert isinstance(r, da.Array) and r.chunks == x.chunks


def test_same_numbers_as_the_numpy_path():
    xn = np.linspace(0.01, 3.0, 1000)
    x = da.from_array(xn, chunks=137)
    for got, ref in zip(f.value_and_prime(x), f.value_and_prime(xn), strict=True):
        np.testing.assert_array_equal(got.compute(), ref)
    np.testing.assert_array_equal(f.prime.prime(x).compute(), f.prime.prime(xn))
    v = np.cos(xn)
    _, jv = dd.jvp(f, x, da.from_array(v, chunks=137))
    np.testing.assert_array_equal(jv.compute(), dd.jvp(f, xn, v)[1])


CASES = [c for r in dd.RULES.values() for c in row_cases(r)]


def _columns(case) -> list[np.ndarray]:
    """Points of each free argument: its domain's sample (or the test table's own points)."""
    if case.label in POINTS:
        pts = POINTS[case.label]
        return [np.array(pts)] if case.arity == 1 else [np.array(c) for c in zip(*pts, strict=True)]
    if case.arity == 1:
        return [np.array(case.domains[0].sample(50))]
    if all(d == Domain() for d in case.domains):
        return [np.linspace(-3, 3, 40), np.linspace(2, -1, 40)]
    return [np.array(sample(d, 40, f"{case.label}-{i}")) for i, d in enumerate(case.domains)]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.label)
def test_every_rule_matches_the_numpy_path_exactly(case):
    g = dd.derivative(case.fn)
    cols = _columns(case)
    lazy = [da.from_array(c, chunks=9) for c in cols]
    if case.arity == 1:
        pairs = zip(g.value_and_prime(*lazy), g.value_and_prime(*cols), strict=True)
    else:
        pairs = zip(g.grad(*lazy), g.grad(*cols), strict=True)
    for u, w in pairs:
        np.testing.assert_array_equal(u.compute(), w)


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.slow
def test_local_cluster_beyond_one_workers_memory():
    limit = 256 * 2**20
    h = dd.derivative(lambda x: x * dd.sin(x) + dd.exp(-x * x))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, memory_limit=limit,
                      dashboard_address=None) as cluster, Client(cluster) as client:  # fmt: skip
        h.prime(da.linspace(0.0, 1.0, 10, chunks=5)).compute()  # workers import everything
        base = client.run(_peak_rss_mib)  # the interpreter and its libraries (SciPy, if there)
        n = 10 * limit // 8 + 1  # float64 input of 10x one worker's memory limit
        x = da.linspace(0.0, 4.0, n, chunks=500_000)
        assert x.nbytes >= 10 * limit
        p = h.prime(x)  # lazy: the whole graph, nothing computed yet
        idx = np.array([0, 1, 12_345, n // 3, n // 2, n - 2, n - 1])
        total, sample, xs = dask.compute(p.sum(), p[idx], x[idx])
        peaks = client.run(_peak_rss_mib)
        # each worker streams its 1.25 GiB share through less than its memory limit
        grown = {w: peaks[w] - base[w] for w in peaks}
        assert len(peaks) == 2 and all(v < limit / 2**20 for v in grown.values()), (base, peaks)
    np.testing.assert_array_equal(sample, h.prime(xs))  # the NumPy path, same inputs
    # the fundamental theorem of calculus: the trapezoid sum of f' over [0, 4] is f(4) - f(0)
    dx = 4.0 / (n - 1)
    trapezoid = dx * (total - (sample[0] + sample[-1]) / 2)
    assert abs(trapezoid - (h(4.0) - h(0.0))) < 1e-12
