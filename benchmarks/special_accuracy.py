"""Accuracy of the first and second derivatives of dualdiff.scipy.special's rows, against
mpmath.diff at 50 digits of tests/reference.py's independent mpmath functions.

    python benchmarks/special_accuracy.py              # plain text, every row (~2 min, 2 cores)
    python benchmarks/special_accuracy.py --markdown   # the same as a Markdown table
    python benchmarks/special_accuracy.py --rows beta,kv --points 60 --jobs 1
    python benchmarks/special_accuracy.py --cache /tmp/special.json   # reruns in seconds

Every row with ``module == "dualdiff.scipy.special"`` is measured once per binding of its const
arguments (tests/reference.py's ``CONST_ARGS``, through ``row_cases``, whose references are
``mp_function``'s), on a grid of ``--points`` floats per case: log-spaced magnitudes
1e-3 ... 1e3 on both sides (and 0) on the whole line, lo + 1e-8, lo + 1e-6 and lo + 1e-3 ... 1e3
on a half-line, and points log-spaced towards both edges (1e-8, 1e-6 ... from each) on a bounded
interval. Cases of two free arguments use the product of two grids of ~sqrt(points) each and
report both partials, ``∂a`` and ``∂b`` (f' = ∂f/∂a and f'' = ∂²f/∂a² by
``dd.derivative(f).partial(i)``); one free argument is ``dd.derivative(f).prime`` and
``.prime.prime``. Cases whose mpmath work is slow use fewer points (``SLOW``: integer-order
besselk/bessely at 170+ digits take seconds per point) or a smaller box (``BOX``: zeta at
s < -60).

Error = |dualdiff - mpmath| / |mpmath|, with |mpmath| floored at 1e-300; the reference is the
exact derivative at the same float, so the error is the formula's and the float evaluation's
alone. Points are skipped (and counted) where dualdiff raises (``skip raise``: outside the float
domain, overflow) or where the reference is not a finite real double (``skip ref``), including
references that mpmath.diff cannot give: every error over 1e-14 that is reported rests on a
reference reproduced with another precision and step (``Reference.reproduced``); ``bad`` counts
points where dualdiff answers inf/NaN although the reference is a finite double.

``cond`` is the relative condition number of the derivative being computed, at the point of the
largest error: |x f''/f'| for f', |x f'''/f''| for f''; with two free arguments the sum over both
arguments, Σ_j |x_j ∂_j g / g| for g = ∂_i f or ∂_i² f. An input known to ~1e-16 leaves an error
up to ~cond·1e-16 in any method, so a large error at a small ``cond`` is the formula's fault:
those (f' error > 1e-13 at cond < 100) are listed at the end as defects, with the worst such
point of the case and their number; then for f'' the worst point of the same kind, and the
largest errors far above cond·2^-53 where cond >= 100 (a derivative near underflow is there
too: with the 1e-300 floor, SciPy's kv flushing 7e-308 to 0 is an error of 7e-8).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import mpmath
import numpy as np

import dualdiff as dd
import dualdiff.scipy.special  # registers the rows

# tests/reference.py: the independent mpmath functions and the const-argument bindings
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.reference import CONST_ARGS, mp_diff, row_cases

MODULE = "dualdiff.scipy.special"
DPS = 50
#: a reference whose error matters is recomputed at CHECK_DPS digits with a step of CHECK_H
#: (mpmath.diff's own is ~10^-(dps+3)) and kept if the two agree to AGREE
CHECK_DPS = 60
CHECK_H = mpmath.mpf("1e-24")
AGREE = mpmath.mpf("1e-20")
VERIFY_ERR = 1e-14
FLOOR = mpmath.mpf("1e-300")
DBL_MAX = mpmath.mpf(np.finfo(float).max)
DEFECT_ERR = 1e-13
MODEST_COND = 100.0
#: a largest error at cond >= MODEST_COND is listed too when it exceeds UNEXPLAINED·cond·2^-53
UNEXPLAINED = 1e3
#: f'' points examined at most for the f'' list (each needs third derivatives from mpmath)
F2_SCAN = 6
#: points per case where the mpmath reference takes seconds per point (integer-order besselk
#: and bessely at 170+ digits, for x in ~10 ... 300), or both sides tenths of seconds (zeta,
#: gammainc_derivative: mpmath in dualdiff too)
SLOW = {
    "kv[2]": 30,
    "kve[2]": 30,
    "yv[3]": 100,
    "y1": 100,
    "zeta_deriv[0]": 100,
    "zeta_deriv[1]": 100,
    "gammainc_derivative[1,0]": 100,
    "gammainc_derivative[0,1]": 100,
}
#: whole-line grids of these cases stop at |s| = 60: dualdiff's zeta_deriv (mpmath at 30
#: digits) takes 20 s at s = -600 and does not converge at s = -1000 (the values overflow from
#: s ~ -260), and mpmath.diff of the reference takes 12 s at some points with s = -100
BOX = {"riemann_zeta": 60.0, "zeta_deriv[0]": 60.0, "zeta_deriv[1]": 60.0}


def grid(d: Any, n: int, box: float = 1e3) -> list[float]:
    """About n floats inside the domain d (a ``dualdiff.rules.Domain``), edges excluded."""
    lo, hi = d.lo, d.hi
    if lo == -math.inf and hi == math.inf:
        mags = np.logspace(-3, math.log10(box), max(2, (n - 1) // 2))
        pts = [*(-mags[::-1]), 0.0, *mags]
    elif hi == math.inf or lo == -math.inf:
        offsets = {1e-8, 1e-6, *np.logspace(-3, 3, max(2, n - 2))}
        pts = [lo + o for o in offsets] if hi == math.inf else [hi - o for o in offsets]
    else:
        half = (hi - lo) / 2
        offsets = {1e-8, 1e-6, *np.logspace(-8, math.log10(half), max(2, n // 2 - 1))}
        pts = [lo + o for o in offsets] + [hi - o for o in offsets]
    return sorted({float(p) for p in pts if p in d and lo < p < hi})


def case_grid(case: Any, n: int) -> list[tuple[float, ...]]:
    box = BOX.get(case.label, 1e3)
    if case.arity == 1:
        return [(x,) for x in grid(case.domains[0], n, box)]
    m = max(5, round(math.sqrt(n)))
    axes = [grid(d, m, box) for d in case.domains]
    return [(a, b) for a in axes[0] for b in axes[1]]


def cases() -> list[Any]:
    out = []
    for rule in dd.RULES.values():
        if rule.module != MODULE:
            continue
        if rule.const and rule.name not in CONST_ARGS:
            print(f"warning: {rule.name} has const arguments but no CONST_ARGS", file=sys.stderr)
        out.extend(row_cases(rule))
    return out


def _key(pt: tuple[float, ...], orders: tuple[int, ...]) -> str:
    return ",".join(map(repr, pt)) + "|" + ",".join(map(str, orders))


class Reference:
    """mpmath.diff of a case's reference, at DPS digits, memoized (and cached across runs)."""

    def __init__(self, case: Any, cached: dict[str, str | None]) -> None:
        self.case = case
        with mpmath.workdps(CHECK_DPS + 10):  # the strings keep every digit
            self.memo: dict[str, Any] = {
                k: (None if v is None else mpmath.mpf(v)) for k, v in cached.items()
            }
        self.new: dict[str, str | None] = {}

    def __call__(
        self, pt: tuple[float, ...], orders: tuple[int, ...], dps: int = DPS, h: Any = None
    ) -> Any:
        """The derivative of the given orders at pt: a finite mpf, or None."""
        key = _key(pt, orders) + ("" if h is None else f"@{dps},{h}")
        if key in self.memo:
            return self.memo[key]
        step = {} if h is None else {"h": h}
        try:
            with mpmath.workdps(dps):
                if self.case.arity == 1:
                    v = mp_diff(self.case.ref, pt[0], orders[0], dps, **step)
                else:
                    v = mp_diff(self.case.ref, pt, orders, dps, **step)
            if isinstance(v, mpmath.mpc):
                v = v.real if v.imag == 0 else None
            if v is not None and not mpmath.isfinite(v):
                v = None
        except Exception:  # a pole, a complex value, outside mpmath's domain: no reference
            v = None
        self.memo[key] = v
        self.new[key] = None if v is None else mpmath.nstr(v, dps + 5)
        return v

    def reproduced(self, pt: tuple[float, ...], orders: tuple[int, ...]) -> bool:
        """Whether the reference is the one at CHECK_DPS digits and step CHECK_H to AGREE, and
        not 0.

        mpmath.diff's step is ~10^-(dps+3): a reference function computed with a cancellation
        (log(ndtr(x)) for large x, (x**lmbda - 1)/lmbda at lmbda = ±step) or a derivative that
        is 0 to within the step's truncation error (J3'(0)) gives a value of absolute accuracy
        only, which changes with the step; exactly 0 is a cancellation of everything."""
        r, check = self(pt, orders), self(pt, orders, CHECK_DPS, CHECK_H)
        if r is None or check is None or r == 0 or check == 0:
            return False
        with mpmath.workdps(CHECK_DPS):
            return bool(abs(r - check) <= AGREE * abs(check))


def _unit(arity: int, i: int, k: int) -> tuple[int, ...]:
    return tuple(k if j == i else 0 for j in range(arity))


def condition(ref: Reference, pt: tuple[float, ...], i: int, k: int) -> float:
    """Σ_j |x_j ∂_j g / g| for g = ∂_i^k f at pt (|x f^(k+1)/f^(k)| with one argument)."""
    n = len(pt)
    g = ref(pt, _unit(n, i, k))
    if g is None:
        return math.nan
    total = mpmath.mpf(0)
    for j in range(n):
        dj = ref(pt, tuple(a + b for a, b in zip(_unit(n, i, k), _unit(n, j, 1), strict=True)))
        if dj is None:
            return math.nan
        with mpmath.workdps(DPS):
            total += abs(mpmath.mpf(pt[j]) * dj)
    if g == 0:
        return math.inf if total else 0.0
    with mpmath.workdps(DPS):
        return float(total / abs(g))


def _rel_err(got: float, r: Any) -> float:
    with mpmath.workdps(DPS):
        return float(abs(mpmath.mpf(got) - r) / max(abs(r), FLOOR))


def measure(label: str, n: int, cached: dict[str, str | None]) -> dict[str, Any]:
    """Every partial of one case: error statistics, conditions and defects."""
    warnings.simplefilter("ignore")
    np.seterr(all="ignore")
    case = next(c for c in cases() if c.label == label)
    ref = Reference(case, cached)
    pts = case_grid(case, SLOW.get(label, n))
    f = dd.derivative(case.fn)
    t0 = time.perf_counter()
    kink = case.rule.nonsmooth if case.arity == 1 and not case.rule.const else None
    parts = []
    for i in range(case.arity):
        d1 = f.prime if case.arity == 1 else f.partial(i)
        d2 = d1.prime if case.arity == 1 else d1.partial(i)
        free = [a for j, a in enumerate(case.rule.args) if j not in case.rule.const]
        name = "" if case.arity == 1 else f" ∂{free[i]}"
        rows = {1: [], 2: []}  # (err, pt, value, reference)
        skip_raise = {1: 0, 2: 0}
        skip_ref = {1: 0, 2: 0}
        bad: dict[int, list[tuple[float, ...]]] = {1: [], 2: []}
        for pt in pts:
            for k, d in ((1, d1), (2, d2)):
                try:
                    got = float(d(*pt))
                except Exception:
                    skip_raise[k] += 1
                    continue
                r = ref(pt, _unit(case.arity, i, k))
                if r is None or abs(r) > DBL_MAX or (kink is not None and kink(*pt)):
                    skip_ref[k] += 1
                elif not math.isfinite(got):
                    bad[k].append(pt)
                else:
                    rows[k].append((_rel_err(got, r), pt, got, r))
        part: dict[str, Any] = {"name": label + name, "n": len(pts)}
        for k in (1, 2):
            orders = _unit(case.arity, i, k)
            ordered = sorted(rows[k], key=lambda row: -row[0])
            # the largest error: the first resting on a reproduced reference (no check needed
            # at or below VERIFY_ERR: a wrong reference would not agree to that)
            dropped = 0
            while ordered and ordered[0][0] > VERIFY_ERR:
                if ref.reproduced(ordered[0][1], orders):
                    break
                ordered.pop(0)
                dropped += 1
            worst = ordered[0] if ordered else None
            cond = condition(ref, worst[1], i, k) if worst else math.nan
            # defects: for f' every point over DEFECT_ERR, for f'' the worst one among the worst
            # F2_SCAN (each needs the third derivative); the condition first (free for one
            # argument's f'), the reference checked where it is modest
            found, examined = [], 0
            for err, pt, got, r in (row for row in ordered if row[0] > DEFECT_ERR):
                if k == 2 and (found or examined >= F2_SCAN):
                    break
                c = condition(ref, pt, i, k)
                if c < MODEST_COND and not ref.reproduced(pt, orders):
                    dropped += 1
                    continue
                examined += 1
                if c < MODEST_COND:
                    found.append((err, pt, c, got, mpmath.nstr(r, 17)))
            part[k] = {
                "used": len(rows[k]) - dropped,
                "raise": skip_raise[k],
                "ref": skip_ref[k] + dropped,
                "bad": bad[k],
                "err": worst[0] if worst else math.nan,
                "at": worst[1] if worst else None,
                "cond": cond,
                "defects": found,
            }
        parts.append(part)
    return {"label": label, "parts": parts, "new": ref.new, "time": time.perf_counter() - t0}


# --- output ------------------------------------------------------------------------------------


def fmt_pt(pt: tuple[float, ...] | None) -> str:
    if pt is None:
        return "-"
    s = ", ".join(f"{x:.10g}" for x in pt)
    return s if len(pt) == 1 else f"({s})"


def fmt_num(x: float) -> str:
    return "-" if x != x else f"{x:.1e}"


HEADER = (
    "row",
    "n",
    "used f'/f''",
    "skip raise",
    "skip ref",
    "bad",
    "max rel err f'",
    "at",
    "cond f'",
    "max rel err f''",
    "at ",
    "cond f''",
)


def table_rows(results: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    out = []
    for res in results:
        for p in res["parts"]:
            a, b = p[1], p[2]
            out.append(
                (
                    p["name"],
                    str(p["n"]),
                    f"{a['used']}/{b['used']}",
                    f"{a['raise']}/{b['raise']}",
                    f"{a['ref']}/{b['ref']}",
                    f"{len(a['bad'])}/{len(b['bad'])}",
                    fmt_num(a["err"]),
                    fmt_pt(a["at"]),
                    fmt_num(a["cond"]),
                    fmt_num(b["err"]),
                    fmt_pt(b["at"]),
                    fmt_num(b["cond"]),
                )
            )
    return out


def print_table(rows: list[tuple[str, ...]], markdown: bool) -> None:
    if markdown:
        print("| " + " | ".join(h.strip() for h in HEADER) + " |")
        print("|" + "|".join("---" if j == 0 else "---:" for j in range(len(HEADER))) + "|")
        for r in rows:
            print("| " + " | ".join(r) + " |")
        return
    widths = [max(len(h), *(len(r[j]) for r in rows)) for j, h in enumerate(HEADER)]

    def line(cells: Any) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        return "  ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in pairs)

    print(line([h.strip() for h in HEADER]))
    for r in rows:
        print(line(r))


def print_defects(results: list[dict[str, Any]], markdown: bool) -> None:
    bullet = "- " if markdown else "  "
    for k, what in ((1, "f'"), (2, "f''")):
        title = (
            f"Defects: {what} relative error > {DEFECT_ERR:g} where cond < {MODEST_COND:g}"
            if k == 1
            else f"Also {what}: the worst point over {DEFECT_ERR:g} where cond < {MODEST_COND:g}"
        )
        print()
        print(f"### {title}" if markdown else title + ":")
        if markdown:
            print()
        any_found = False
        for res in results:
            for p in res["parts"]:
                found = p[k]["defects"]
                if not found:
                    continue
                any_found = True
                err, pt, c, got, r = found[0]
                count = f"; {len(found)} such points" if k == 1 else ""
                print(
                    f"{bullet}{p['name']}: at {fmt_pt(pt)} error {err:.1e}, cond {c:.2g} "
                    f"(got {got!r}, mpmath {r}){count}"
                )
        if not any_found:
            print(f"{bullet}none")
    title = (
        f"Largest errors the condition does not explain: cond >= {MODEST_COND:g}, "
        f"error > {UNEXPLAINED:g}·cond·2^-53"
    )
    print()
    print(f"### {title}\n" if markdown else title + ":")
    unexplained = [
        (p["name"], k, p[k])
        for res in results
        for p in res["parts"]
        for k in (1, 2)
        if p[k]["cond"] >= MODEST_COND and p[k]["err"] > UNEXPLAINED * p[k]["cond"] * 2.0**-53
    ]
    for name, k, q in unexplained:
        primes = "'" * k
        print(
            f"{bullet}{name} f{primes}: at {fmt_pt(q['at'])} error {q['err']:.1e}, "
            f"cond {q['cond']:.2g}"
        )
    if not unexplained:
        print(f"{bullet}none")
    bad = [
        (p["name"], k, p[k]["bad"])
        for res in results
        for p in res["parts"]
        for k in (1, 2)
        if p[k]["bad"]
    ]
    if bad:
        print()
        title = "inf/NaN from dualdiff where the reference is a finite double"
        print(f"### {title}\n" if markdown else title + ":")
        for name, k, pts in bad:
            shown = ", ".join(fmt_pt(pt) for pt in pts[:6]) + (" ..." if len(pts) > 6 else "")
            primes = "'" * k
            print(f"{bullet}{name} f{primes}: {len(pts)} points: {shown}")


class _Serial:
    """``ProcessPoolExecutor``'s ``map`` in this process (``--jobs 1``)."""

    def __enter__(self) -> _Serial:
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    def map(self, fn: Any, *iterables: Any) -> Any:
        return map(fn, *iterables)


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    ap = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    ap.add_argument("--points", type=int, default=200, help="grid points per case (200)")
    ap.add_argument("--rows", default="", help="comma-separated row names (default: all)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    ap.add_argument("--cache", type=Path, help="JSON file of mpmath references, reused")
    ap.add_argument("-v", "--verbose", action="store_true", help="each case's time on stderr")
    args = ap.parse_args(argv)

    wanted = {s.strip() for s in args.rows.split(",") if s.strip()}
    labels = [c.label for c in cases() if not wanted or c.rule.name in wanted]
    cache: dict[str, dict[str, str | None]] = {}
    if args.cache and args.cache.exists():
        cache = json.loads(args.cache.read_text())
    t0 = time.perf_counter()
    order = sorted(labels, key=lambda lb: lb not in SLOW)  # the slow cases first
    jobs = [(lb, args.points, cache.get(lb, {})) for lb in order]
    done = []
    with ProcessPoolExecutor(args.jobs) if args.jobs > 1 else _Serial() as pool:
        for res in pool.map(measure, *zip(*jobs, strict=True)):
            done.append(res)
            if args.verbose:
                print(f"{res['label']}: {res['time']:.1f} s", file=sys.stderr, flush=True)
    by_label = {res["label"]: res for res in done}
    results = [by_label[lb] for lb in labels]
    if args.cache:
        for res in results:
            cache.setdefault(res["label"], {}).update(res["new"])
        args.cache.write_text(json.dumps(cache))

    print_table(table_rows(results), args.markdown)
    print_defects(results, args.markdown)
    slowest = sorted(results, key=lambda r: -r["time"])[:3]
    slow = ", ".join(f"{r['label']} {r['time']:.0f} s" for r in slowest)
    print(f"\n{len(results)} cases in {time.perf_counter() - t0:.0f} s (slowest: {slow})")
    return results


if __name__ == "__main__":
    main()
