"""Worst error of every rule-table row against mpmath.diff at 50 digits, on the test grid.

    python benchmarks/rule_accuracy.py

Error = |dualdiff - mpmath| / max(|mpmath|, 1e-300) on float inputs (the reference is the exact
derivative at the same float), first and second derivatives.
"""

from __future__ import annotations

import math

import mpmath

import dualdiff as dd


def points(rule):
    pts = rule.domain.sample(24)
    if rule.domain.lo > -math.inf:
        pts += [rule.domain.lo + 1e-3, rule.domain.lo + 0.1]
    if rule.domain.hi < math.inf:
        pts += [rule.domain.hi - 1e-3, rule.domain.hi - 0.1]
    return pts


def main() -> None:
    rows = []
    for rule in dd.RULES.values():
        if rule.arity != 1:
            continue
        f = dd.derivative(rule.fn)
        worst = [0.0, 0.0]
        for x in points(rule):
            for k, d in enumerate((f.prime, f.prime.prime)):
                with mpmath.workdps(50):
                    ref = mpmath.diff(rule.mpmath, mpmath.mpf(x), k + 1)
                    err = abs(mpmath.mpf(d(x)) - ref) / max(abs(ref), mpmath.mpf("1e-300"))
                worst[k] = max(worst[k], float(err))
        rows.append((rule.name, *worst))
    print(f"{'row':10} {'worst rel err f1':>18} {'worst rel err f2':>18}")
    for name, e1, e2 in sorted(rows, key=lambda r: -r[1]):
        print(f"{name:10} {e1:18.2e} {e2:18.2e}")


if __name__ == "__main__":
    main()
