"""Speed of SciPy on Duals against the same SciPy code on floats, measured in the same run.

    python benchmarks/bench_scipy.py

Ratios are dualdiff time / plain time:

* a special function over 10⁶ points: its value and first derivative (``f.prime``) against the
  plain ufunc;
* the gradient of a negative-binomial log-likelihood (n = 2000 observations, 5 parameters,
  written with ``scipy.special.gammaln`` and ``xlogy``) against one plain evaluation;
* the gradient of a Student-t log-likelihood in (df, loc, scale) with
  ``dualdiff.scipy.stats.t.logpdf`` against ``scipy.stats.t.logpdf``.
"""

from __future__ import annotations

import numpy as np
import scipy.special as sc
import scipy.stats as st
from _timing import best, fmt_time  # benchmarks/ is on sys.path when run as a script

import dualdiff as dd
from dualdiff.scipy import stats as dst

RNG = np.random.default_rng(0)
X = RNG.normal(size=(2000, 4))
Y = RNG.poisson(3.0, size=2000).astype(float)
DATA = 1.5 + 0.8 * RNG.standard_t(4.0, size=2000)


def nb_loglik(p):
    beta, r = p[:4], np.exp(p[4])
    mu = np.exp(X @ beta)
    return np.sum(
        sc.gammaln(Y + r) - sc.gammaln(r) - sc.gammaln(Y + 1)
        + sc.xlogy(r, r) + sc.xlogy(Y, mu) - sc.xlogy(Y + r, r + mu)
    )  # fmt: skip


def t_loglik(p, t=dst.t):
    return np.sum(t.logpdf(DATA, p[0], loc=p[1], scale=p[2]))


def main() -> list[tuple[str, float, float]]:
    rows = []
    x = np.linspace(0.1, 20.0, 1_000_000)
    for name in ("gammaln", "erf", "i0"):
        u = getattr(sc, name)
        plain = best(lambda u=u: u(x), budget=0.5, repeat=5)
        d = dd.derivative(u)
        rows.append((f"{name}: value and f', 1e6", best(lambda d=d: d.value_and_prime(x)), plain))
    p = np.array([0.1, -0.2, 0.05, 0.3, 0.4])
    plain = best(lambda: nb_loglik(p))
    rows.append(("NB loglik gradient (5)", best(lambda: dd.gradient(nb_loglik, p)), plain))
    rows.append(("NB loglik hessian (5x5)", best(lambda: dd.hessian(nb_loglik, p)), plain))
    q = np.array([4.0, 1.5, 0.8])
    plain = best(lambda: t_loglik(q, st.t))
    rows.append(("t loglik gradient (3)", best(lambda: dd.gradient(t_loglik, q)), plain))
    print(f"{'case':30} {'time':>12} {'plain':>12} {'ratio':>8}")
    for name, t, base in rows:
        print(f"{name:30} {fmt_time(t):>12} {fmt_time(base):>12} {t / base:8.2f}")
    return rows


if __name__ == "__main__":
    main()
