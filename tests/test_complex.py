"""Complex values: holomorphic rows against mpmath (mpc) at 50 digits in all four quadrants and on
both sides of every branch cut, for Python complex, complex128 and complex64 arrays, mpc, nested
Duals and vector mode; the R-linear functions (real, imag, conj, abs, angle) and real functions
that pass through complex values against central differences on mpf; refusals; f.prime at a
complex point (the holomorphy check and the Wirtinger derivatives)."""

from __future__ import annotations

import cmath
import re
from pathlib import Path

import mpmath as mp
import numpy as np
import pytest

import dualdiff as dd

CORE = {n: r for n, r in dd.RULES.items() if r.module == "dualdiff"}
HOLOMORPHIC = sorted(n for n, r in CORE.items() if r.complex == "holomorphic")
R_LINEAR = sorted(n for n, r in CORE.items() if r.complex == "R-linear")
REFUSED = sorted(n for n, r in CORE.items() if r.complex == "refused")

QUADRANTS = [0.7 + 0.4j, -0.7 + 0.4j, -0.7 - 0.4j, 0.7 - 0.4j, 1.3 + 2.1j, -2.2 - 1.1j]
DELTA = 1e-8  # just above and just below a cut
_ON_REAL = {"ln": (-2.0, -0.5), "log2": (-2.0, -0.5), "log10": (-2.0, -0.5),
            "sqrt": (-2.0, -0.5), "log1p": (-3.0, -1.5), "arcsin": (2.0, -2.0, 1.5),
            "arccos": (2.0, -2.0, 1.5), "arctanh": (2.0, -2.0, 1.5),
            "arccosh": (0.5, -2.0, -0.3)}  # fmt: skip
_ON_IMAG = {"arctan": (2.0, -2.0, 1.5), "arcsinh": (2.0, -2.0, 1.5)}


def cut_points(name: str) -> list[complex]:
    """Points just above and below (left and right of) the row's branch cuts."""
    pts = [complex(x, s * DELTA) for x in _ON_REAL.get(name, ()) for s in (1, -1)]
    pts += [complex(s * DELTA, y) for y in _ON_IMAG.get(name, ()) for s in (1, -1)]
    return pts


CASES = [(n, z) for n in HOLOMORPHIC for z in QUADRANTS + cut_points(n)]


def mpc(z: complex) -> mp.mpc:
    return mp.mpc(z.real, z.imag)


def reference(name: str, z: complex, order: int = 1) -> complex:
    """f^(order)(z) by mpmath.diff of the row's mpmath evaluation, at 50 digits: numerical
    differentiation that uses none of dualdiff's derivative formulas."""
    with mp.workdps(50):
        return complex(mp.diff(CORE[name].mpmath, mpc(z), order))


def rel(got: complex, want: complex) -> float:
    return abs(got - want) / max(abs(want), 1e-300)


def test_the_table_says_which_rows_take_complex_values():
    assert HOLOMORPHIC == sorted(
        "exp expm1 exp2 ln log2 log10 log1p sqrt sin cos tan arcsin arccos arctan sinh cosh "
        "tanh arcsinh arccosh arctanh square expit sinc".split()
    )
    assert R_LINEAR == ["abs", "angle", "conj", "imag", "real"]
    assert "floor" in REFUSED and "cbrt" in REFUSED and "maximum" in REFUSED
    assert "logaddexp" in REFUSED


def test_the_readme_lists_the_complex_rows_as_the_table_has_them():
    text = " ".join(
        (Path(__file__).resolve().parent.parent / "README.md").read_text().split()
    )  # one line
    holo = re.search(r"\*\*Holomorphic rows\*\* \(`([^`]*)`", text).group(1).split()
    assert holo == [n for n in CORE if CORE[n].complex == "holomorphic"]
    refused = re.search(r"test_complex.py keeps it current --> `([^`]*)`", text).group(1).split()
    assert refused == [n for n in CORE if CORE[n].complex == "refused"]
    for name in R_LINEAR:
        assert f"`{name}` (" in text


@pytest.mark.parametrize(("name", "z"), CASES)
def test_holomorphic_row_at_a_python_complex(name, z):
    f = CORE[name].fn
    d = f(dd.Dual(z, 1 + 0j))
    with mp.workdps(50):
        want_value = complex(CORE[name].mpmath(mpc(z)))
    assert type(d.value) is complex and type(d.tangent) is complex
    assert rel(d.value, want_value) < 1e-14
    assert rel(d.tangent, reference(name, z)) < 1e-14
    assert dd.derivative(f).prime(z) == d.tangent  # prime's two passes agree: holomorphic


@pytest.mark.parametrize("name", HOLOMORPHIC)
def test_holomorphic_row_on_complex128_and_complex64_arrays(name):
    zs = np.array(QUADRANTS + cut_points(name))
    want = np.array([reference(name, z) for z in zs])
    f = CORE[name].fn
    d = f(dd.Dual(zs, np.ones_like(zs)))
    assert d.value.dtype == d.tangent.dtype == np.complex128
    assert np.max(np.abs(d.tangent - want) / np.abs(want)) < 1e-14
    z32 = zs.astype(np.complex64)
    if name in ("exp2", "sinh", "cosh", "tanh", "exp", "expm1"):
        pass  # these take complex64 as they are
    d32 = f(dd.Dual(z32, np.ones_like(z32)))
    assert d32.value.dtype == d32.tangent.dtype == np.complex64
    want32 = np.array([reference(name, complex(z)) for z in z32])
    err = np.abs(d32.tangent - want32) / np.abs(want32)
    # complex64 near a cut: the point itself moved (1e-8 is below its resolution at 2)
    near = np.abs(z32.imag) < 1e-6
    assert np.max(err[~near]) < 1e-5


@pytest.mark.parametrize(("name", "z"), CASES)
def test_holomorphic_row_at_an_mpc_keeps_50_digits(name, z):
    with mp.workdps(50):
        x = mpc(z) + mp.mpf(1) / 3 * 1e-3  # not a float: every digit counts
        d = CORE[name].fn(dd.Dual(x, mp.mpc(1)))
        want = mp.diff(CORE[name].mpmath, x)
        assert isinstance(d.value, mp.mpc) and isinstance(d.tangent, mp.mpc)
        assert abs(d.tangent - want) <= mp.mpf(10) ** -40 * abs(want)
        assert abs(d.value - CORE[name].mpmath(x)) <= mp.mpf(10) ** -45 * abs(d.value)


@pytest.mark.parametrize("name", HOLOMORPHIC)
def test_holomorphic_row_second_derivative_nested(name):
    f = dd.derivative(CORE[name].fn)
    for z in QUADRANTS[:4] + cut_points(name)[:2]:
        assert rel(f.prime.prime(z), reference(name, z, 2)) < 1e-12


@pytest.mark.parametrize("name", HOLOMORPHIC)
def test_holomorphic_row_in_vector_mode(name):
    """A real function of two real variables through the row: J = [f'(z), i f'(z)]."""
    z0 = QUADRANTS[0]
    J = dd.jacobian(lambda v: CORE[name].fn(z0 + v[0] + 1j * v[1]), [0.0, 0.0], chunk=2)
    want = reference(name, z0)
    assert J.dtype == np.complex128
    assert rel(J[0], want) < 1e-14 and rel(J[1], 1j * want) < 1e-14


@pytest.mark.parametrize("name", sorted({**_ON_REAL, **_ON_IMAG}))
def test_on_the_cut_the_sign_of_zero_picks_the_side(name):
    """On a cut, NumPy and cmath take the side the sign of a zero points to: the derivative
    there is the limit from that side, for scalars, arrays and mpc alike."""
    f = CORE[name].fn
    pts = [
        (complex(x, s * 0.0), complex(x, s * 1e-30))
        for x in _ON_REAL.get(name, ())
        for s in (1.0, -1.0)
    ]
    pts += [(complex(s * 0.0, y), complex(s * 1e-30, y)) for y in _ON_IMAG.get(name, ())
            for s in (1.0, -1.0)]  # fmt: skip
    for z, side in pts:
        want = reference(name, side)
        assert rel(f(dd.Dual(z, 1 + 0j)).tangent, want) < 1e-13, z
        arr = f(dd.Dual(np.array([z, 0.5 + 0.5j]), np.ones(2, complex))).tangent
        assert rel(arr[0], want) < 1e-13 and rel(arr[1], reference(name, 0.5 + 0.5j)) < 1e-14


def test_principal_values_as_cmath_and_numpy():
    assert dd.ln(dd.Dual(-1 + 0j, 1 + 0j)).value == cmath.log(-1 + 0j) == np.pi * 1j
    assert dd.sqrt(-4 + 0j) == 2j and dd.sqrt(complex(-4, -0.0)) == -2j
    assert np.sqrt(dd.Dual(np.array([-4 + 0j]), np.ones(1, complex))).value[0] == 2j
    with pytest.raises(dd.DomainError, match=r"ln\(z\) is not defined at z = 0j"):
        dd.ln(0j)
    with pytest.raises(dd.DomainError, match=r"log\(z\) is not defined"):
        dd.log(0j)
    assert dd.log(dd.Dual(-8 + 0j, 1 + 0j), 2).value == cmath.log(-8) / cmath.log(2)


# --- mixed real/complex arithmetic --------------------------------------------------------------


def test_mixed_arithmetic_promotes_as_numpy():
    x = dd.Dual(0.5, 1.0)
    assert type((x * 1j).value) is complex and (x * 1j).tangent == 1j
    assert (x + 1j).value == 0.5 + 1j and (x + 1j).tangent == 1.0
    assert dd.exp(1j * x).tangent == 1j * cmath.exp(0.5j)
    a32 = dd.Dual(np.ones(2, np.float32), np.ones(2, np.float32))
    assert (a32 * 1j).value.dtype == np.complex64
    c64 = dd.Dual(np.ones(2, np.complex64), np.ones(2, np.complex64))
    assert (c64 * (2 + 1j)).value.dtype == np.complex64
    assert (c64 * np.ones(2)).value.dtype == np.complex128
    z = dd.Dual(1 + 2j, 1 + 0j)
    assert (z**2).tangent == 2 * (1 + 2j) and (2.0**z).value == 2.0 ** (1 + 2j)
    assert (z / z).tangent == 0 and rel((1 / z).tangent, -1 / (1 + 2j) ** 2) < 1e-15
    w = (-2.0) ** dd.Dual(0.5 + 0j, 1 + 0j)  # a negative base: the principal power
    assert rel(w.tangent, (-2.0) ** 0.5j * 0 + (-2 + 0j) ** 0.5 * cmath.log(-2 + 0j)) < 1e-15


def test_constructor_takes_complex_kinds_and_refuses_a_complex_tangent_on_a_real_value():
    assert type(dd.Dual(1j).value) is complex and dd.Dual(np.complex128(1j)).value == 1j
    assert dd.Dual(np.array([1j]), 1.0).tangent.dtype == np.complex128
    assert isinstance(dd.Dual(mp.mpc(1, 2), mp.mpc(1)).value, mp.mpc)
    assert dd.Dual([1j, 2.0]).value.dtype == np.complex128
    with pytest.raises(TypeError, match="tangent is complex but the value is real"):
        dd.Dual(1.0, 1j)
    with pytest.raises(TypeError, match="got str"):
        dd.Dual("1j")


def test_mpc_keeps_its_precision_through_arithmetic_and_rows():
    with mp.workdps(60):
        z = dd.Dual(mp.mpc(1, 2) / 3, mp.mpc(1))
        r = dd.exp(z) * z**2 + dd.ln(z) / z

        def f(w):
            return mp.exp(w) * w**2 + mp.log(w) / w

        assert abs(r.tangent - mp.diff(f, z.value)) < mp.mpf(10) ** -55
        g = dd.derivative(lambda w: dd.sin(w) * w).prime(mp.mpc(1, 2) / 3)
        assert (
            isinstance(g, mp.mpc)
            and abs(g - mp.diff(lambda w: mp.sin(w) * w, mp.mpc(1, 2) / 3)) < mp.mpf(10) ** -55
        )


# --- refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", REFUSED)
def test_rows_that_are_not_holomorphic_refuse_complex_values(name):
    rule = CORE[name]
    why = re.escape(rule.complex_refusal[:40]) if rule.complex_refusal else f"{name} is not holo"
    msg = rf"{name}\(\) takes real numbers only, got a complex value .*{why}"
    args = [1.5 + 0.5j] + [0.7] * (rule.arity - 1)
    kinds = [
        args,
        [np.array([a]) if isinstance(a, complex) else a for a in args],
        [dd.Dual(a, 1 + 0j) if isinstance(a, complex) else a for a in args],
        [mp.mpc(1.5, 0.5)] + [mp.mpf(0.7)] * (rule.arity - 1),
        [np.array([1.5 + 0.5j], np.complex64)] + [0.7] * (rule.arity - 1),
    ]
    for xs in kinds:
        with pytest.raises(TypeError, match=msg):
            rule.fn(*xs)


def test_cbrt_and_logaddexp_refuse_complex_as_numpy_does_and_say_what_to_write():
    for call in (lambda: np.cbrt(np.array([1j])), lambda: np.logaddexp(1j, 2.0)):
        with pytest.raises(TypeError):
            call()  # NumPy's own: no complex loops
    with pytest.raises(TypeError, match=r"cbrt is NumPy's real cube root .* write z\*\*\(1/3\)"):
        np.cbrt(dd.Dual(np.array([-8 + 0j]), np.ones(1, complex)))
    with pytest.raises(TypeError, match=r"logaddexp takes real numbers only .* ln\(exp\(a\)"):
        np.logaddexp(dd.Dual(1 + 1j, 1 + 0j), 0.5)
    with pytest.raises(TypeError, match="logaddexp takes real numbers only"):
        dd.logaddexp(0.5, mp.mpc(1, 1))
    z = dd.Dual(-8 + 0j, 1 + 0j) ** (1 / 3)  # the principal cube root, holomorphic
    assert rel(z.value, 1 + 3**0.5 * 1j) < 1e-15 and rel(z.tangent, z.value / (3 * -8)) < 1e-15
    with pytest.raises(TypeError, match="numpy.logaddexp2 has no dualdiff rule"):
        np.logaddexp2(dd.Dual(1.0, 1.0), 0.5)


@pytest.mark.parametrize("z", [1e-3 + 1e-3j, 0.3 - 0.2j, -2.5 + 1j, 1e5 + 0.5j, 7.5 - 3j, 0j])
def test_sinc_is_holomorphic_as_numpy_defines_it_for_complex(z):
    """np.sinc(z) = sin(πz)/(πz): the series near 0, Re z reduced mod 2 far out (1e5 + 0.5j)."""
    with mp.workdps(50):
        x = mpc(z)
        want = [complex(mp.diff(mp.sincpi, x, k)) for k in (0, 1, 2)]
    f = dd.derivative(np.sinc)
    assert rel(dd.sinc(z), want[0]) < 1e-15 and rel(complex(np.sinc(z)), want[0]) < 1e-10
    assert rel(f.prime(z), want[1]) < 1e-14
    assert rel(f.prime.prime(z), want[2]) < 1e-12
    d = np.sinc(dd.Dual(np.array([z, 0.5j]), np.ones(2, complex)))
    assert rel(d.tangent[0], want[1]) < 1e-14 and d.value.dtype == np.complex128


def test_numpy_functions_without_a_complex_rule_refuse_complex_duals():
    z = dd.Dual(np.eye(2) * (1 + 1j), np.ones((2, 2), complex))
    for fn in (np.linalg.qr, np.sort, np.max, np.var):
        with pytest.raises(TypeError, match="on complex Duals is not supported"):
            fn(z)
    with pytest.raises(TypeError, match="numpy.maximum|maximum\\(\\) takes real numbers"):
        np.maximum(z, 0)


def test_gradient_and_jacobian_take_real_points():
    with pytest.raises(TypeError, match="gradient takes real points"):
        dd.gradient(lambda x: np.sum(x), np.array([1 + 1j]))
    with pytest.raises(TypeError, match="gradient needs a real-valued f, got the complex value"):
        dd.gradient(lambda x: np.sum(np.exp(1j * x)), [0.5, 1.0])
    with pytest.raises(TypeError, match="v is complex but x is real"):
        dd.jvp(np.exp, np.ones(2), np.ones(2) * 1j)


# --- f.prime at a complex point -------------------------------------------------------------------


def test_prime_at_a_complex_point_checks_holomorphy_and_names_the_wirtinger_pair():
    f = dd.derivative(lambda z: z * z.conj())  # |z|²: real-differentiable, not holomorphic
    with pytest.raises(
        ValueError, match=r"not holomorphic there.*∂f/∂z = \(1-2j\).*∂f/∂z̄ = \(1\+2j\)"
    ):
        f.prime(1 + 2j)
    assert f.wirtinger(1 + 2j) == (1 - 2j, 1 + 2j)
    g = dd.derivative(lambda z: dd.exp(z) * z.conj().conj())  # holomorphic after all
    assert rel(g.prime(0.3 + 0.2j), cmath.exp(0.3 + 0.2j) * (1.3 + 0.2j)) < 1e-15
    assert g.wirtinger(0.3 + 0.2j)[1] == 0
    h = dd.derivative(lambda z: z.real)
    with pytest.raises(ValueError, match="at 1 of the points"):
        h.prime(np.array([1 + 1j, 2 + 2j])[:1])
    with pytest.raises(ValueError, match="not holomorphic"):
        dd.derivative(lambda z: z.conj()).prime.prime(1 + 1j)  # the inner level checks too
    k = dd.derivative(lambda x, z: x * dd.sin(z))
    assert rel(k.partial(1)(2.0, 1j), 2 * cmath.cos(1j)) < 1e-15
    with pytest.raises(ValueError, match=r"\(argument 1\)"):
        dd.derivative(lambda x, z: x * abs(z)).grad(2.0, 1j)
    assert dd.derivative(np.abs).wirtinger(3.0) == (0.5, 0.5)  # real point: 2 ∂/∂z̄ = sign


# --- real functions through complex intermediates: central differences on mpf ------------------


def central(f, x):
    """(f(x + h) - f(x - h)) / 2h at 50 digits, h = 1e-20: error O(h²) = 1e-40."""
    with mp.workdps(50):
        x, h = mp.mpf(x), mp.mpf(10) ** -20
        return (f(x + h) - f(x - h)) / (2 * h)


REAL_THROUGH_COMPLEX = [
    ("exp(ix).real", lambda x: np.exp(1j * x).real, lambda x: mp.re(mp.exp(1j * x))),
    ("exp(ix).imag", lambda x: np.imag(np.exp(1j * x)), lambda x: mp.im(mp.exp(1j * x))),
    ("|(x+i)^3|^2", lambda x: abs((x + 1j) ** 3) ** 2, lambda x: abs((x + 1j) ** 3) ** 2),
    ("abs", lambda x: np.abs(x * (2 - 1j) + 0.5j), lambda x: abs(x * (2 - 1j) + 0.5j)),
    ("angle", lambda x: np.angle((x + 1j) * (2 - x * 1j)), lambda x: mp.arg((x + 1j) * (2 - x * 1j))),
    ("conj", lambda x: (dd.sqrt(x + 2j) * dd.conj(dd.sqrt(x + 2j))).real,
     lambda x: mp.re(mp.sqrt(x + 2j) * mp.conj(mp.sqrt(x + 2j)))),
    ("log|.|", lambda x: dd.ln(x + 1j * x**2).real, lambda x: mp.re(mp.log(x + 1j * x**2))),
]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "f", "fm"), REAL_THROUGH_COMPLEX, ids=[c[0] for c in REAL_THROUGH_COMPLEX]
)
def test_real_function_through_complex_values(label, f, fm):
    g = dd.derivative(f)
    for x in (0.3, -1.7, 2.5):
        got = g.prime(x)
        assert type(got) is float
        assert rel(got, float(central(fm, x))) < 1e-13
        with mp.workdps(50):  # the same function on mpf, kept at 50 digits through mpc
            got50 = g.prime(mp.mpf(x))
            assert abs(got50 - central(fm, x)) < mp.mpf(10) ** -30 * (1 + abs(got50))
        assert rel(g.prime.prime(x), float(central(lambda t: mp.diff(fm, t), x))) < 1e-9


def _mp_dft(x, sign=-1):
    n = len(x)
    with mp.workdps(50):
        return [
            sum(x[k] * mp.expjpi(sign * 2 * mp.mpf(j * k) / n) for k in range(n)) for j in range(n)
        ]


def test_power_spectrum_gradient_against_central_differences():
    x = np.array([0.3, -1.2, 2.0, 0.7, 1.1])

    def power(v):  # |fft(v)|² by the definition at 50 digits
        return sum(abs(c) ** 2 for c in _mp_dft(v)) / len(v)

    g = dd.gradient(lambda v: np.sum(np.abs(np.fft.fft(v)) ** 2) / len(v), x)
    assert g.dtype == np.float64
    for i in range(len(x)):

        def along(t, i=i):
            v = [mp.mpf(e) for e in x]
            v[i] = t
            return power(v)

        assert rel(g[i], float(central(along, x[i]))) < 1e-13
    spec = dd.jacobian(lambda v: np.abs(np.fft.rfft(v)) ** 2, x)
    assert spec.dtype == np.float64 and spec.shape == (3, 5)


def test_jacobians_stay_real_for_real_functions_and_complex_for_complex_ones():
    x = np.array([0.5, 1.0])
    assert dd.jacobian(lambda v: np.exp(1j * v), x).dtype == np.complex128
    assert dd.jacobian(lambda v: v * np.conj(v * (1 + 1j)) / (1 - 1j), x).dtype == np.float64
    assert dd.gradient(lambda v: np.sum(v * np.conj(v * 1j) * 1j), x).dtype == np.float64
    assert dd.hessian(lambda v: np.sum(np.abs(np.fft.fft(v)) ** 2), x).dtype == np.float64


# --- numpy.fft ----------------------------------------------------------------------------------

FFT = [np.fft.fft, np.fft.ifft, np.fft.rfft, np.fft.irfft, np.fft.hfft, np.fft.ihfft,
       np.fft.fftshift, np.fft.ifftshift]  # fmt: skip
FFT_2D = [np.fft.fft2, np.fft.ifft2, np.fft.fftn, np.fft.ifftn, np.fft.rfft2, np.fft.irfft2,
          np.fft.rfftn, np.fft.irfftn]  # fmt: skip


def test_fft_ifft_rfft_against_the_dft_matrix():
    n = 6
    x = np.array([0.3, -1.2, 2.0, 0.7, 1.1, -0.4])
    with mp.workdps(50):
        F = [[mp.expjpi(-2 * mp.mpf(j * k) / n) for k in range(n)] for j in range(n)]
        Fc = np.array([[complex(e) for e in row] for row in F])
    assert np.max(np.abs(dd.jacobian(np.fft.fft, x) - Fc)) < 1e-15
    assert np.max(np.abs(dd.jacobian(np.fft.ifft, x) - Fc.conj() / n)) < 1e-15
    assert np.max(np.abs(dd.jacobian(np.fft.rfft, x) - Fc[: n // 2 + 1])) < 1e-15
    z = x + 1j * x[::-1]
    v = np.cos(np.arange(n)) + 1j * np.sin(np.arange(n) ** 2)
    y, t = dd.jvp(np.fft.fft, z, v)
    assert np.max(np.abs(t - Fc @ v)) < 1e-14 and np.max(np.abs(y - Fc @ z)) < 1e-14


@pytest.mark.parametrize("T", FFT + FFT_2D, ids=lambda T: T.__name__)
def test_fft_family_pushes_the_tangent_through_the_same_transform(T):
    rng = np.random.default_rng(1)
    shape = (4, 6) if T in FFT_2D else (6,)
    real_input = T in (np.fft.rfft, np.fft.ihfft, np.fft.rfft2, np.fft.rfftn)
    x = rng.normal(size=shape) + (0 if real_input else 1j * rng.normal(size=shape))
    v = rng.normal(size=shape) + (0 if real_input else 1j * rng.normal(size=shape))
    y, t = dd.jvp(T, x, v)
    np.testing.assert_array_equal(y, T(x))
    np.testing.assert_allclose(t, T(v), rtol=1e-14, atol=1e-14)
    xr = rng.normal(size=shape[-1])  # vector mode: column i of J is T(e_i) (2-D: along rows)
    if T in FFT_2D:
        J = dd.jacobian(lambda u: T(np.reshape(np.tile(u, shape[0]), shape)), xr)
        cols = [T(np.tile(e, (shape[0], 1))) for e in np.eye(shape[-1])]
    else:
        J = dd.jacobian(T, xr)
        cols = [T(e) for e in np.eye(shape[-1])]
    np.testing.assert_allclose(J, np.stack(cols, axis=-1), atol=1e-14)
    if real_input:
        with pytest.raises(TypeError, match="takes a real array"):
            T(dd.Dual(x + 1j, np.ones(shape, complex)))


def test_fft_refuses_mpf():
    x = dd.Dual(np.array([mp.mpf(1), mp.mpf(2)], dtype=object), np.ones(2))
    with pytest.raises(TypeError, match="would round mpf/mpc"):
        np.fft.fft(x)
