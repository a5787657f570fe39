"""f' over 1e8 points on a dask LocalCluster (1 and 2 worker processes) and on plain NumPy.

    python benchmarks/bench_dask.py [n]

f is issue 2's benchmark function. The dask runs reduce the result (sum) so nothing large is
gathered; the input is generated inside the workers. Reported: wall time and peak resident
memory of each worker process; the NumPy path runs in a child process so its peak is its own.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

import dask
import dask.array as da
from distributed import Client, LocalCluster

import dualdiff as dd

CHUNK = 1_000_000


@dd.derivative
def f(x):
    return dd.sin(x) * dd.exp(x) / (1 + x**2) + dd.ln(1 + x * x) * dd.cos(x) ** 3 + 2.0**x


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def numpy_child(n: int) -> None:
    import numpy as np

    x = np.linspace(0.01, 3.0, n)
    t = time.perf_counter()
    s = float(np.sum(f.prime(x)))
    print(json.dumps({"seconds": time.perf_counter() - t, "peak_mib": peak_mib(), "sum": s}))


def run_dask(n: int, workers: int) -> dict[str, object]:
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      memory_limit="2GiB", dashboard_address=None) as cluster, \
            Client(cluster) as client:  # fmt: skip
        x = da.linspace(0.01, 3.0, n, chunks=CHUNK)
        t = time.perf_counter()
        s = float(dask.compute(f.prime(x).sum())[0])
        seconds = time.perf_counter() - t
        peaks = sorted(client.run(peak_mib).values())
    return {"workers": workers, "seconds": seconds, "peak_mib": peaks, "sum": s}


def main(n: int = 100_000_000) -> None:
    print(f"f'(x) for n = {n:.0e} points, chunks of {CHUNK:.0e}")
    child = subprocess.run([sys.executable, __file__, "--numpy", str(n)], capture_output=True,
                           text=True, check=True)  # fmt: skip
    ref = json.loads(child.stdout)
    print(f"NumPy, one process      : {ref['seconds']:7.2f} s, peak {ref['peak_mib']:7.0f} MiB")
    for workers in (1, 2):
        r = run_dask(n, workers)
        peaks = ", ".join(f"{p:.0f}" for p in r["peak_mib"])
        agree = abs(r["sum"] - ref["sum"]) / abs(ref["sum"])
        print(f"dask, {workers} worker(s): {r['seconds']:7.2f} s, peak per worker {peaks} MiB"
              f"  (sum agrees to {agree:.1e})")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--numpy":
        numpy_child(int(sys.argv[2]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000_000)
