"""Fuzzing (hypothesis): random compositions of rule-table functions and operators, f' against
mpmath.diff of the same composition evaluated in mpmath.

A composition is compiled to a small program (one instruction per node) that two interpreters
run: one with dualdiff (the rows' functions, Python's operators on Duals), one with mpmath (the
independent tables of tests/reference.py, mpmath's arithmetic). Three searches, all with the
fixed profile "dualdiff-fuzz" (derandomized, deadline None, no example database):

* ``test_each_function_at_the_root``: one search of 30 per table row and operator, with that
  function at the root of random depth-2 compositions (a new row is fuzzed with no new test), at
  general points and at the edges of its own domain;
* ``test_composition_matches_mpmath``: free compositions up to three levels;
* ``test_compositions_at_domain_edges``: a singular function at the edge of its domain (sqrt at 0,
  arcsin at ±1, x**0.5 at 0, ...) inside a composition whose derivative there is finite
  ((x - b)**k · f, x + 0·f, f**0), wrapped in random smooth context: never NaN, and the limit.

Points include 0, -0.0, the domains' edges, ±1e150, ±1e-150, 1e-300 and random magnitudes.
The dualdiff derivative is taken on the float and on an array holding it; both must pass.

The reference and when it applies
---------------------------------
* The composition must be real and finite at x in mpmath, every node's value and tangent (and
  every unary slope) representable as a normal double (1e-300 <= |v| <= 1e300, or 0); otherwise
  the example checks nothing.
* No node may sit on a kink or jump of its own function, in any of its arguments (abs at 0,
  copysign(a, b) at a = 0, maximum at a tie, floor at an integer): there dualdiff's documented
  conventions apply, which need not add up to the derivative of the composition
  (fmin(x, abs(x)) = x has derivative 1; the tie convention gives 0.5). test_systematic checks the
  conventions themselves.
* One-sided derivatives (mpmath.diff, ``direction=±1``) decide existence: both sides exist and
  agree -> the reference is the central mpmath.diff; only one side is defined (a domain edge) ->
  that side. The derivative at three steps (h, h·2^40, h·2^80) must have converged or be
  contracting geometrically; otherwise (1/sqrt(h) at sqrt's edge, ln h for x**x at 0) it is
  infinite or missing and nothing is compared. The difference between the first two is the
  reference's own uncertainty ``unc`` (tiny where f is smooth; where a one-sided limit converges
  slowly, as x·sqrt(x) at 0, it is what the reference can promise).
* "Float shadow": the program is run again in mpmath with each node's value rounded to a double.
  If that fails (a domain error or overflow that the rounded values hit), dualdiff may raise or
  return non-finite values there: nothing is asserted. Where it succeeds, dualdiff must not raise.

Tolerance (conditioning)
------------------------
Computed in doubles, each node's value and tangent carry relative rounding errors of a few ulps.
To first order the derivative then moves by Σ_k (c_k δ_k + c'_k δ'_k), where c_k is the
sensitivity of the reference derivative to a relative perturbation of node k's value and c'_k of
its tangent. Both are measured with mpmath.diff on the perturbed composition (node k's value
``v`` replaced by ``v (1 + δ) + δ' (v - v(x0))``, δ = 2^-80: its derivative moves by
δ·c_k + δ'·c'_k). With S = Σ_k |c_k| + |c'_k|:

    |dualdiff - reference| <= 32·eps·(|reference| + S) + unc

32 ulps per node covers the several roundings inside one rule (a slope formula and a product).
Where 32·eps·S exceeds a tenth of |reference| the composition cancels so badly that doubles
cannot promise one digit: only "not NaN" is asserted. "Not NaN" is asserted wherever the
reference exists and is finite, the float shadow succeeds and no rounded node lands on a
singular edge that the exact one misses. (Checked: a slope off by a relative 1e-12 in any of
tanh, sin, arcsin, hypot, and a NaN slope at sqrt's or arcsin's edge, are all caught.)
"""

from __future__ import annotations

import math
import operator
from typing import Any

import mpmath
import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import dualdiff as dd

from .reference import EPS, mp_function

settings.register_profile(
    "dualdiff-fuzz",
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile("dualdiff-fuzz")

RULES = {n: r for n, r in dd.RULES.items() if r.module == "dualdiff"}  # the core table
UNARY = sorted(n for n, r in RULES.items() if r.arity == 1)
BINARY = sorted(n for n, r in RULES.items() if r.arity == 2)
OPS = ["+", "-", "*", "/", "**"]
CONSTS = [0, 1, 2, 3, -1, -2, 0.0, 0.5, 1.5, -2.25, 0.1, 2.0, 1e-3]
EXPONENTS = [-3, -2, -1, 0, 1, 2, 3, 4, 0.5, 1.5, -0.5, 2.0, 3.0, 1 / 3, 2.5, -1.5]
BASES = [2, 2.0, 0.5, 10, 1.5, math.e]


def _edges() -> list[float]:
    pts = {0.0, 1.0, -1.0, 0.5, -0.5, 2.0, 3.0, 10.0, math.pi / 2, 1e-8}
    pts |= {1e150, -1e150, 1e-150, -1e-150, 1e-300, 1 - 2**-53, 1 + 2**-52, -1 + 2**-53}
    for r in RULES.values():
        pts |= {b for b in (r.domain.lo, r.domain.hi) if math.isfinite(b)}
    return [-0.0, *sorted(pts)]


EDGE_POINTS = _edges()

# --- expressions -------------------------------------------------------------------------------

leaves = st.one_of(
    st.just(("x",)), st.just(("x",)), st.sampled_from(CONSTS).map(lambda c: ("c", c))
)


def _tree(depth: int) -> Any:
    """Compositions up to ``depth`` levels, inner nodes more likely than leaves (up to 15 nodes;
    st.recursive's trees were mostly 2-3 nodes)."""
    if depth == 0:
        return leaves
    kids = _tree(depth - 1)
    unary = st.tuples(st.just("u"), st.sampled_from(UNARY), kids)
    binary = st.tuples(st.just("b"), st.sampled_from(BINARY + OPS), kids, kids)
    return st.one_of(
        leaves,
        unary,
        unary,
        binary,
        binary,
        st.tuples(st.just("p"), kids, st.sampled_from(EXPONENTS)),
        st.tuples(st.just("r"), st.sampled_from(BASES), kids),
        st.tuples(st.just("n"), kids),
    )


def _uses_x(e: Any) -> bool:
    return e[0] == "x" or any(isinstance(a, tuple) and _uses_x(a) for a in e[1:])


# constants alone are left out: the array shape of their derivative is test_systematic's business
expressions = _tree(3).filter(_uses_x)
points = st.one_of(
    st.sampled_from(EDGE_POINTS),
    st.floats(-10, 10, allow_nan=False),
    st.builds(
        lambda s, e, m: s * m * 10.0**e,
        st.sampled_from([1.0, -1.0]),
        st.integers(-200, 200),
        st.floats(1.0, 9.99),
    ),
)


def show(e: Any) -> str:
    kind = e[0]
    if kind == "x":
        return "x"
    if kind == "c":
        return repr(e[1])
    if kind == "u":
        return f"{e[1]}({show(e[2])})"
    if kind == "n":
        return f"-({show(e[1])})"
    if kind == "p":
        return f"({show(e[1])})**{e[2]!r}"
    if kind == "r":
        return f"{e[1]!r}**({show(e[2])})"
    op, a, b = e[1], show(e[2]), show(e[3])
    return f"({a} {op} {b})" if op in OPS else f"{op}({a}, {b})"


def compile_expr(e: Any) -> list[tuple[Any, ...]]:
    """One instruction per node, children first: ("x",), ("c", v), (op, *argument indices)."""
    prog: list[tuple[Any, ...]] = []

    def emit(e: Any) -> int:
        kind = e[0]
        if kind in ("x", "c"):
            prog.append(e)
        elif kind == "u":
            prog.append(("u", e[1], emit(e[2])))
        elif kind == "n":
            prog.append(("n", emit(e[1])))
        elif kind == "p":
            prog.append(("p", emit(e[1]), e[2]))
        elif kind == "r":
            prog.append(("r", e[1], emit(e[2])))
        else:
            i = emit(e[2])
            j = emit(e[3])
            prog.append(("b", e[1], i, j))
        return len(prog) - 1

    emit(e)
    return prog


# --- the dualdiff interpreter -----------------------------------------------------------------

_PY_OPS = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "**": operator.pow,
}


def run_dual(prog: list[tuple[Any, ...]], x: Any) -> Any:
    v: list[Any] = []
    for ins in prog:
        k = ins[0]
        if k == "x":
            v.append(x)
        elif k == "c":
            v.append(ins[1])
        elif k == "u":
            v.append(RULES[ins[1]].fn(v[ins[2]]))
        elif k == "n":
            v.append(-v[ins[1]])
        elif k == "p":
            v.append(v[ins[1]] ** ins[2])
        elif k == "r":
            v.append(ins[1] ** v[ins[2]])
        else:
            a, b = v[ins[2]], v[ins[3]]
            v.append(_PY_OPS[ins[1]](a, b) if ins[1] in _PY_OPS else RULES[ins[1]].fn(a, b))
    return v[-1]


# --- the mpmath interpreter --------------------------------------------------------------------


class Undefined(Exception):
    """The composition leaves the reals (or a double's range) here."""


def _mp_pow(a: Any, b: Any) -> Any:
    if a == 0:
        if b > 0:
            return mpmath.mpf(0)
        if b == 0:
            return mpmath.mpf(1)
        raise Undefined
    if a < 0 and b != int(b):
        raise Undefined
    return mpmath.power(a, b)


_MP_OPS = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "**": _mp_pow,
}
_SINGULAR_EDGES = {
    name: {b for b in (r.domain.lo, r.domain.hi) if math.isfinite(b)}
    | ({0.0} if name == "cbrt" else set())
    for name, r in RULES.items()
    if r.arity == 1 and r.singular
}


#: where an instruction keeps the indices of its arguments
_ARGS = {"u": (2,), "n": (1,), "p": (1,), "r": (2,), "b": (2, 3)}


def apply_mp(ins: tuple[Any, ...], args: list[Any]) -> Any:
    """One instruction in mpmath, on its argument values; Undefined outside the reals or beyond
    a double (where cos(10**1e150) would also take mpmath forever)."""
    k = ins[0]
    if k == "u":
        r = mp_function(RULES[ins[1]])(args[0])
    elif k == "n":
        r = -args[0]
    elif k == "p":
        r = _mp_pow(args[0], mpmath.mpf(ins[2]))
    elif k == "r":
        r = _mp_pow(mpmath.mpf(ins[1]), args[0])
    else:
        a, b = args
        r = _MP_OPS[ins[1]](a, b) if ins[1] in _MP_OPS else mp_function(RULES[ins[1]])(a, b)
    if not isinstance(r, mpmath.mpf) or not mpmath.isfinite(r) or abs(r) > 1e300:
        raise Undefined
    return r


class MpRun:
    """The program in mpmath. ``pert`` maps a node to (δ, δ'); ``shadow`` rounds every node's
    value to a double; ``record`` keeps the node values; ``edge_hits`` collects singular-edge
    arguments (for the shadow check)."""

    def __init__(self, prog, pert=None, base=None, shadow=False, lenient=False):
        self.prog = prog
        self.pert = pert or {}
        self.base = base
        self.shadow = shadow
        self.lenient = lenient  # an undefined node is None (and so are those that use it)
        self.values: list[Any] = []
        self.edge_hits: set[int] = set()

    def __call__(self, x: Any) -> Any:
        v: list[Any] = []
        for n, ins in enumerate(self.prog):
            try:
                v.append(self._step(n, ins, v, x))
            except (Undefined, ValueError, ZeroDivisionError, OverflowError, TypeError) as exc:
                if not self.lenient:
                    raise Undefined from exc
                v.append(None)
        self.values = v
        return v[-1]

    def _step(self, n: int, ins: tuple[Any, ...], v: list[Any], x: Any) -> Any:
        k = ins[0]
        if k == "x":
            return x
        if k == "c":
            return mpmath.mpf(ins[1])
        args = [v[ins[i]] for i in _ARGS[k]]
        if any(a is None for a in args):
            raise Undefined
        if k == "u" and ins[1] in _SINGULAR_EDGES and float(args[0]) in _SINGULAR_EDGES[ins[1]]:
            self.edge_hits.add(n)
        r = apply_mp(ins, args)
        if n in self.pert:
            d, dt = self.pert[n]
            r = r * (1 + d) + dt * (r - self.base[n])
        if self.shadow:
            f = float(r)
            if not math.isfinite(f):
                raise Undefined
            r = mpmath.mpf(f)
        return r


# --- the reference ---------------------------------------------------------------------------

DPS = 40
DELTA = mpmath.mpf(2) ** -80


def _options(x0: Any) -> dict[str, Any]:
    """Steps relative to |x| (absolute at 0), with enough working precision that an intermediate
    of size 1 still resolves a step that small (|x| = 1e-150 needs ~500 extra bits)."""
    mag = 0 if x0 == 0 else int(mpmath.mag(x0))
    addprec = 60 + abs(mag)
    prec = mpmath.mp.prec
    scale = mpmath.mpf(2) ** mag if x0 != 0 else mpmath.mpf(1)
    return {"addprec": addprec, "h": scale * mpmath.mpf(2) ** (-prec - addprec)}


def _diff(f: Any, x0: Any, direction: int, h_factor: int = 0) -> Any:
    opts = _options(x0)
    opts["h"] *= mpmath.mpf(2) ** h_factor
    try:
        r = mpmath.diff(f, x0, 1, direction=direction, **opts)
    except Undefined:
        return None
    return r if isinstance(r, mpmath.mpf) and mpmath.isfinite(r) else None


def _in_range(v: Any) -> bool:
    return v == 0 or 1e-300 <= abs(v) <= 1e300


def _tangents_in_range(prog: list[tuple[Any, ...]], x0: Any, direction: int) -> bool:
    """Every node's tangent, and every unary node's slope (tangent out / tangent in), fits a
    normal double: otherwise doubles cannot carry the chain rule (an underflowing tangent times
    an overflowing slope), whatever the final derivative."""
    opts = _options(x0)
    with mpmath.workprec(mpmath.mp.prec + 2 * opts["addprec"]):
        h = opts["h"]
        lo, hi = (x0 - h, x0 + h) if direction == 0 else (x0, x0 + direction * h)
        runs = []
        for p in (lo, hi):
            run = MpRun(prog)
            try:
                run(p)
            except Undefined:
                return False
            runs.append(run.values)
        t = [(b - a) / (hi - lo) for a, b in zip(*runs, strict=True)]
    for n, ins in enumerate(prog):
        if not _in_range(t[n]):
            return False
        if ins[0] in ("u", "p", "r", "n"):
            t_in = t[ins[_ARGS[ins[0]][0]]]
            if t_in != 0 and not _in_range(t[n] / t_in):
                return False
    return True


def _kinked_node(prog: list[tuple[Any, ...]], values: list[Any]) -> bool:
    """Whether some node sits on a kink or jump of its own function, in one of its arguments
    (abs at 0, copysign(a, b) at a = 0, maximum at a tie, floor at an integer): there the
    partial slopes are dualdiff's conventions, which need not add up to the derivative of the
    composition (copysign(x, x) = x, fmin(x, abs(x)) = x). One-sided slopes with steps of
    2^-100 |arg|, compared at 2^-40 relative resolution; a side outside the domain is an edge, not
    a kink."""
    prec = mpmath.mp.prec + 200
    for ins in prog:
        if ins[0] in ("x", "c", "n"):
            continue
        idx = [ins[i] for i in _ARGS[ins[0]]]
        args = [values[i] for i in idx]
        for pos in range(len(args)):
            a = args[pos]
            h = (abs(a) if a != 0 else mpmath.mpf(1)) * mpmath.mpf(2) ** -100
            with mpmath.workprec(prec):
                try:
                    mid = apply_mp(ins, args)
                except Undefined:
                    return True
                slopes = []
                for step in (-h, h):
                    moved = list(args)
                    moved[pos] = a + step
                    try:
                        slopes.append((apply_mp(ins, moved) - mid) / step)
                    except (Undefined, ValueError, ZeroDivisionError):
                        slopes.append(None)
            dl, dr = slopes
            if dl is not None and dr is not None:
                if abs(dl - dr) > (abs(dl) + abs(dr)) * mpmath.mpf(2) ** -40 + h * 2**50:
                    return True
    return False


def reference(prog: list[tuple[Any, ...]], x: float) -> dict[str, Any] | None:
    """The reference derivative, its uncertainty and the conditioning sum S, or None."""
    with mpmath.workdps(DPS):
        x0 = mpmath.mpf(x)
        base_run = MpRun(prog)
        try:
            value = base_run(x0)
        except Undefined:
            return None
        base = list(base_run.values)
        if any(v != 0 and not (1e-300 <= abs(v) <= 1e300) for v in base):
            return None
        f = MpRun(prog)
        sides = {d: _diff(f, x0, d) for d in (1, -1)}
        if sides[1] is not None and sides[-1] is not None:
            scale = abs(sides[1]) + abs(sides[-1]) + mpmath.mpf(2) ** -1000
            if abs(sides[1] - sides[-1]) > mpmath.mpf("1e-20") * scale:
                return None  # a kink: no derivative (dualdiff's convention is not checked here)
            direction = 0
        elif sides[1] is not None or sides[-1] is not None:
            direction = 1 if sides[1] is not None else -1
        else:
            return None
        ref, d1, d2 = (_diff(f, x0, direction, h_factor=k) for k in (0, 40, 80))
        if ref is None or d1 is None or d2 is None:
            return None
        unc = abs(ref - d1)
        # converged already, or contracting geometrically (then the rest of the way to the limit
        # is below unc); otherwise (1/sqrt(h), ln h, ...) the derivative is infinite or missing
        if not (
            unc <= abs(ref) * mpmath.mpf("1e-25") + mpmath.mpf("1e-300")
            or unc <= abs(d1 - d2) / 256
        ):
            return None
        if not _tangents_in_range(prog, x0, direction):
            return None
        if _kinked_node(prog, base):
            return None  # a node on a kink of its own: dualdiff's conventions apply there, not f'
        S = mpmath.mpf(0)
        for n, ins in enumerate(prog):
            if ins[0] in ("x", "c"):
                continue
            for pert in ((DELTA, 0), (0, DELTA)):
                d = _diff(MpRun(prog, {n: pert}, base), x0, direction)
                if d is None:
                    return None
                S += abs(d - ref) / DELTA
        shadow = MpRun(prog, shadow=True)
        try:
            shadow(x0)
            shadow_ok = not (shadow.edge_hits - base_run.edge_hits)
        except Undefined:
            shadow_ok = False
        return {
            "value": value,
            "ref": ref,
            "unc": unc,
            "S": S,
            "shadow_ok": shadow_ok,
            "one_sided": direction != 0,
        }


def _check(got: Any, info: dict[str, Any], what: str) -> None:
    ref, S, unc = info["ref"], info["S"], info["unc"]
    assert not (isinstance(got, float) and math.isnan(got)), (
        f"{what}: NaN where the derivative exists and is finite ({mpmath.nstr(ref, 17)})"
    )
    if abs(ref) > 1e300:
        return
    if 32 * EPS * S > abs(ref) / 10 + mpmath.mpf("1e-300"):
        event("ill-conditioned: only not-NaN")
        return  # ill-conditioned in doubles: only "not NaN"
    event("compared" + (" (one-sided)" if info["one_sided"] else ""))
    tol = 32 * EPS * (abs(ref) + S) + unc + mpmath.mpf("1e-300")
    err = abs(mpmath.mpf(got) - ref) if math.isfinite(got) else mpmath.inf
    assert err <= tol, (
        f"{what}: got {got!r}, reference {mpmath.nstr(ref, 20)}, |error| {mpmath.nstr(err, 3)} "
        f"> tolerance {mpmath.nstr(tol, 3)} (S = {mpmath.nstr(S, 3)}, unc = {mpmath.nstr(unc, 3)})"
    )


def check_composition(expr: Any, x: float) -> None:
    """The comparison itself (see the module docstring)."""
    prog = compile_expr(expr)
    info = reference(prog, x)
    if info is None or not info["shadow_ok"]:
        event("no reference" if info is None else "float shadow fails: nothing asserted")
        return
    what = f"d/dx {show(expr)} at x = {x!r}"
    f = dd.derivative(lambda t: run_dual(prog, t))
    try:
        got = f.prime(x)
    except (dd.DomainError, ZeroDivisionError, OverflowError) as exc:
        raise AssertionError(f"{what}: raised {exc!r}, but f and f' exist here") from exc
    assert isinstance(got, float), (what, type(got))
    _check(got, info, what)
    with np.errstate(all="ignore"):
        arr = f.prime(np.array([x, 0.5]))
    assert isinstance(arr, np.ndarray) and arr.shape == (2,), (what, arr)
    _check(float(arr[0]), info, what + " (array)")


@FUZZ
@given(expressions, points)
def test_composition_matches_mpmath(expr, x):
    """Free compositions up to three levels deep."""
    check_composition(expr, x)


#: every row of the table and every operator is the root of its own search
HEADS = [("u", n) for n in UNARY] + [("b", n) for n in BINARY + OPS] + [("p",), ("r",), ("n",)]


def _head_points(head: tuple[str, ...]) -> Any:
    """The general points, plus the edges of the head's own domain."""
    rule = RULES.get(head[1]) if len(head) > 1 else None
    edges = (
        [] if rule is None else [b for b in (rule.domain.lo, rule.domain.hi) if math.isfinite(b)]
    )
    return st.one_of(points, st.sampled_from(edges)) if edges else points


@settings(FUZZ, max_examples=30)
@given(data=st.data())
def _by_head(head: tuple[str, ...], data: Any) -> None:
    sub = _tree(2)
    kind = head[0]
    if kind == "u":
        expr = ("u", head[1], data.draw(sub))
    elif kind == "b":
        expr = ("b", head[1], data.draw(sub), data.draw(sub))
    elif kind == "p":
        expr = ("p", data.draw(sub), data.draw(st.sampled_from(EXPONENTS)))
    elif kind == "r":
        expr = ("r", data.draw(st.sampled_from(BASES)), data.draw(sub))
    else:
        expr = ("n", data.draw(sub))
    if not _uses_x(expr):
        expr = ("b", "+", expr, ("x",))
    check_composition(expr, data.draw(_head_points(head)))


@pytest.mark.parametrize("head", HEADS, ids=lambda h: "".join(h[1:]) or h[0])
def test_each_function_at_the_root(head):
    """Every table function (and operator) gets its own 30 compositions, whatever hypothesis's
    derandomised stream favours."""
    _by_head(head)


#: (singular node, the edge of its domain where its slope is infinite): the table's singular rows
#: at each closed edge, cbrt at 0, and the fractional powers at 0
SINGULAR_AT_EDGE = [
    (("u", name, ("x",)), b)
    for name, r in RULES.items()
    if r.arity == 1 and r.singular
    for b, closed in ((r.domain.lo, r.domain.closed_lo), (r.domain.hi, r.domain.closed_hi))
    if math.isfinite(b) and closed
] + [(("u", "cbrt", ("x",)), 0.0), (("p", ("x",), 0.5), 0.0), (("p", ("x",), 1 / 3), 0.0)]

SMOOTH_OUTER = ["sin", "exp", "tanh", "arctan", "sinh", "square", "expit", "cos"]


def _edge_template(core: Any, b: float, kind: int, k: Any, zero: Any) -> Any:
    """A finite derivative through the infinite slope of ``core`` at b (0·inf must count as 0)."""
    vanish = ("p", ("b", "-", ("x",), ("c", b)), k)  # (x - b)**k, 0 at the edge
    return [
        ("b", "*", vanish, core),
        ("b", "*", core, vanish),
        ("b", "+", ("x",), ("b", "*", ("c", zero), core)),
        ("b", "+", ("b", "*", core, ("c", zero)), ("x",)),
        ("p", core, zero),
    ][kind]


edge_cases = st.builds(
    lambda ce, kind, k, zero, outer, other, op: (
        ce[1],
        _wrap(_edge_template(ce[0], ce[1], kind, k, zero), outer, other, op),
    ),
    st.sampled_from(SINGULAR_AT_EDGE),
    st.integers(0, 4),
    st.sampled_from([1, 2, 3, 2.0]),
    st.sampled_from([0, 0.0]),
    st.sampled_from([None, *SMOOTH_OUTER]),
    expressions,
    st.sampled_from([None, "+", "-", "*"]),
)


def _wrap(t: Any, outer: Any, other: Any, op: Any) -> Any:
    if outer is not None:
        t = ("u", outer, t)
    if op is not None:
        t = ("b", op, t, other)
    return t


@FUZZ
@given(edge_cases, st.booleans())
def test_compositions_at_domain_edges(case, negative_zero):
    """The same comparison at the edge of a singular function's domain (sqrt at 0, arcsin at ±1,
    ...), for compositions whose derivative there is finite: never NaN, and the one-sided value."""
    b, expr = case
    check_composition(expr, -0.0 if negative_zero and b == 0 else b)


def test_interpreters_agree_on_a_known_composition():
    """The two interpreters and the reference on f = x*sqrt(x) + sin(x)**2 (f' known)."""
    e = ("b", "+", ("b", "*", ("x",), ("u", "sqrt", ("x",))), ("p", ("u", "sin", ("x",)), 2))
    prog = compile_expr(e)
    info = reference(prog, 0.7)
    want = 1.5 * math.sqrt(0.7) + math.sin(1.4)
    assert abs(float(info["ref"]) - want) < 1e-15 and info["shadow_ok"]
    assert abs(dd.derivative(lambda t: run_dual(prog, t)).prime(0.7) - want) < 1e-15
    at0 = reference(prog, 0.0)  # one-sided at the edge of sqrt's domain: f'(0) = 0
    assert at0 is not None and abs(at0["ref"]) < 1e-20


def test_reference_refuses_kinks_and_infinite_slopes():
    assert reference(compile_expr(("u", "abs", ("x",))), 0.0) is None  # a kink
    assert reference(compile_expr(("u", "sqrt", ("x",))), 0.0) is None  # infinite slope
    assert reference(compile_expr(("u", "ln", ("x",))), -1.0) is None  # outside the domain
    assert reference(compile_expr(("u", "exp", ("x",))), 1e150) is None  # beyond a double
