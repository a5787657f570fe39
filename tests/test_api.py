"""@derivative: f, f', f'', value_and_prime, grad, partial on floats, arrays and mpf."""

from __future__ import annotations

import math
import pickle

import mpmath
import numpy as np
import pytest

import dualdiff as dd

from .conftest import close


@dd.derivative
def f(x):
    return x**2 * dd.sin(x)


def f_mp(x):
    return x**2 * mpmath.sin(x)


def ref(x, order=1, dps=50):
    with mpmath.workdps(dps):
        return mpmath.diff(f_mp, mpmath.mpf(x), order)


def test_function_still_works_as_written():
    assert f(1.5) == 1.5**2 * math.sin(1.5)
    assert f.__name__ == "f" and isinstance(f, dd.Derivative)
    np.testing.assert_array_equal(f(np.array([1.0, 2.0])), [math.sin(1.0), 4 * math.sin(2.0)])


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_any_order(order):
    d = f
    for _ in range(order):
        d = d.prime
    for x in (-2.0, 0.3, 1.5, 4.0):
        assert close(d(x), ref(x, order), 1e-12, 1e-14), (order, x)


def test_value_and_prime_from_one_evaluation():
    calls = []

    @dd.derivative
    def g(x):
        calls.append(x)
        return dd.exp(x) * x

    v, p = g.value_and_prime(1.0)
    assert len(calls) == 1
    assert v == math.exp(1.0) and p == 2 * math.exp(1.0)


def test_elementwise_over_arrays_of_any_shape():
    x = np.linspace(-3, 3, 24).reshape(2, 3, 4)
    got = f.prime(x)
    assert got.shape == (2, 3, 4) and got.dtype == np.float64 and got.flags.writeable
    for xi, gi in zip(x.ravel(), got.ravel(), strict=True):
        assert close(gi, ref(xi), 1e-13, 1e-15)
    g2 = f.prime.prime(x)
    assert close(g2[1, 2, 3], ref(x[1, 2, 3], 2), 1e-13)
    assert f.prime(np.float64(1.5)) == f.prime(1.5)
    np.testing.assert_array_equal(f.prime([1, 2]), f.prime(np.array([1.0, 2.0])))
    # identity and constants give arrays of the input's shape
    np.testing.assert_array_equal(dd.derivative(lambda x: x).prime(np.zeros(3)), np.ones(3))
    np.testing.assert_array_equal(dd.derivative(lambda x: 2.0).prime(np.zeros(3)), np.zeros(3))


def test_float32_arrays_stay_float32():
    x = np.linspace(0, 1, 5, dtype=np.float32)
    assert f.prime(x).dtype == np.float32


def test_mpf_at_full_precision():
    with mpmath.workdps(60):
        x = mpmath.mpf(1) / 3
        got = f.prime(x)
        assert isinstance(got, mpmath.mpf)
        assert close(got, mpmath.diff(f_mp, x), mpmath.mpf("1e-55"))
        got2 = f.prime.prime(x)
        assert close(got2, mpmath.diff(f_mp, x, 2), mpmath.mpf("1e-50"))


def test_object_arrays_of_mpf():
    with mpmath.workdps(40):
        xs = np.array([mpmath.mpf(1) / 3, mpmath.mpf(2)], dtype=object)
        got = f.prime(xs)
        for x, g in zip(xs, got, strict=True):
            assert close(g, mpmath.diff(f_mp, x), mpmath.mpf("1e-35"))


def test_grad_and_partials():
    @dd.derivative
    def g(x, y):
        return x * y + dd.sin(x) * y**2

    gx, gy = g.grad(1.0, 2.0)
    assert gx == 2.0 + math.cos(1.0) * 4.0 and gy == 1.0 + math.sin(1.0) * 4.0
    assert g.partial(0)(1.0, 2.0) == gx
    assert g.partial(0).partial(1)(1.0, 2.0) == 1.0 + math.cos(1.0) * 4.0
    assert g.partial(1).partial(0)(1.0, 2.0) == g.partial(0).partial(1)(1.0, 2.0)
    assert g.partial(0) is g.partial(0)  # cached
    # arrays: elementwise partials
    a, _ = g.grad(np.array([1.0, 2.0]), np.array([2.0, 3.0]))
    np.testing.assert_allclose(a, [2.0 + math.cos(1.0) * 4, 3.0 + math.cos(2.0) * 9], rtol=1e-15)


def test_keyword_arguments_pass_through():
    @dd.derivative
    def h(x, scale=1.0):
        return scale * x**2

    assert h.value_and_prime(3.0, scale=2.0) == (18.0, 12.0)
    assert h.grad(3.0, scale=2.0) == (12.0,)


def test_errors():
    with pytest.raises(TypeError, match="prime takes one argument"):
        dd.derivative(lambda x, y: x * y).prime(1.0, 2.0)
    with pytest.raises(TypeError, match="returned str"):
        dd.derivative(lambda x: "no").prime(1.0)
    with pytest.raises(TypeError, match="returned list"):
        dd.derivative(lambda x: [x, x]).prime(1.0)
    with pytest.raises(TypeError, match=r"needs a number \(real or complex\).*got str"):
        f.prime("1.0")
    with pytest.raises(TypeError, match="needs a callable"):
        dd.derivative(3)
    with pytest.raises(IndexError, match="no argument 2"):
        dd.derivative(lambda x, y: x).partial(2)(1.0, 2.0)
    with pytest.raises(dd.DomainError, match=r"ln\(x\) needs x > 0, got x = -1\.0"):
        dd.derivative(dd.ln).prime(-1.0)


def test_nested_in_other_derivatives_and_methods():
    class Model:
        k = 3.0

        @dd.derivative
        def energy(self, x):
            return self.k * x**2

    m = Model()
    assert m.energy(2.0) == 12.0
    assert dd.derivative(lambda x: m.energy(x)).prime(2.0) == 12.0
    # a decorated function used inside another's derivative
    assert dd.derivative(lambda x: f.prime(x) * 2).prime(1.0) == 2 * f.prime.prime(1.0)


def test_decorated_functions_pickle_by_reference():
    g = pickle.loads(pickle.dumps(f))
    assert g(1.0) == f(1.0) and g.prime(1.0) == f.prime(1.0)


# --- argnums and has_aux on @derivative: closed forms derived by hand ---------------------------
def _g(a, x, c):  # ∂/∂x = a·c·exp(c x)·... : g = a·exp(c·x) + x³/a
    return a * dd.exp(c * x) + x**3 / a


def _g_x(a, x, c):
    return a * c * math.exp(c * x) + 3 * x**2 / a


def _g_xx(a, x, c):
    return a * c * c * math.exp(c * x) + 6 * x / a


def _g_a(a, x, c):
    return math.exp(c * x) - x**3 / a**2


@pytest.mark.parametrize("point", [(2.0, 0.5, 1.5), (-1.5, 2.0, -0.25), (0.5, -1.0, 3.0)])
def test_argnums_picks_the_argument_prime_differentiates(point):
    gx = dd.derivative(_g, argnums=1)
    assert close(gx.prime(*point), _g_x(*point), 1e-14)
    assert close(gx.prime.prime(*point), _g_xx(*point), 1e-14)  # the same argument again
    v, d = gx.value_and_prime(*point)
    assert close(v, _g(*point), 1e-15) and close(d, _g_x(*point), 1e-14)
    both = dd.derivative(_g, argnums=(1, 0)).prime(*point)
    assert isinstance(both, tuple) and len(both) == 2
    assert close(both[0], _g_x(*point), 1e-14) and close(both[1], _g_a(*point), 1e-14)
    x = np.array([point[1], 2 * point[1]])  # elementwise over an array in the chosen argument
    got = gx.prime(point[0], x, point[2])
    want = [_g_x(point[0], e, point[2]) for e in x]
    assert np.allclose(got, want, rtol=1e-14, atol=0)


def test_has_aux_returns_the_aux_with_every_derivative():
    calls = []

    @dd.derivative(has_aux=True)
    def f(x):
        calls.append(x)
        y = dd.sin(x) * x
        return y, {"y": y, "n": 3}

    x = 0.7
    d, aux = f.prime(x)
    assert close(d, math.sin(x) + x * math.cos(x), 1e-15)
    assert aux == {"y": math.sin(x) * x, "n": 3} and type(aux["y"]) is float  # plain numbers
    d2, aux2 = f.prime.prime(x)
    assert close(d2, 2 * math.cos(x) - x * math.sin(x), 1e-15) and aux2["n"] == 3
    (v, aux3), d1 = f.value_and_prime(x)
    assert close(v, math.sin(x) * x, 1e-15) and close(d1, d, 0) and aux3["n"] == 3
    g, aux4 = dd.derivative(lambda a, b: (a * b**2, a), has_aux=True).grad(3.0, 2.0)
    assert g == (4.0, 12.0) and aux4 == 3.0
    p, aux5 = dd.derivative(lambda a, b: (a * b**2, "tag"), has_aux=True).partial(1)(3.0, 2.0)
    assert p == 12.0 and aux5 == "tag"
    assert f(x)[1]["n"] == 3  # calling f runs it as written


def test_argnums_and_has_aux_errors():
    with pytest.raises(TypeError, match=r"has_aux=True needs f to return \(value, aux\)"):
        dd.derivative(lambda x: x**2, has_aux=True).prime(1.0)
    for bad in (-1, (0, 0), (), 1.5, True):
        with pytest.raises(ValueError, match="argnums"):
            dd.derivative(lambda x: x, argnums=bad)
    with pytest.raises(IndexError, match="no argument 2 among 2"):
        dd.derivative(lambda a, b: a * b, argnums=2).prime(1.0, 2.0)
    with pytest.raises(TypeError, match=r"tuple of partials.*partial\(i\)\.partial\(j\)"):
        dd.derivative(lambda a, b: a * b, argnums=(0, 1)).prime.prime(1.0, 2.0)
    f = dd.derivative(lambda x: x**2)
    assert dd.derivative(f) is f and dd.derivative(f, argnums=0) is f
    assert dd.derivative(f, has_aux=False, argnums=0).prime(3.0) == 6.0


def test_a_partial_whose_inner_result_is_a_complex_constant():
    # ∂/∂x of ∂/∂x (x sin z) at a complex z: the inner result sin z is a complex constant in x
    g = dd.derivative(lambda x, z: x * dd.sin(z))
    assert g.partial(0).partial(0)(0.5, 1 + 1j) == 0
    got, want = g.partial(1).partial(0)(0.5, 1 + 1j), complex(np.cos(1 + 1j))
    assert abs(got - want) <= 1e-15 * abs(want)
