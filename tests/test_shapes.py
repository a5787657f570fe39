"""gradient, jacobian, hessian, hvp, jvp and value_and_* over inputs of any shape and structure,
against analytic derivatives written out here (never computed by dualdiff).

f(X) = Σ c·X² + (Σ X)³ has ∇f = 2cX + 3s², ∇²f = 2·diag(c) + 6s·11ᵀ with s = Σ X; F(X) = X·sin(X)
elementwise has the diagonal Jacobian sin X + X cos X.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
import pytest

import dualdiff as dd

SHAPES = [(), (4,), (2, 3), (2, 2, 3)]


def _point(shape):
    n = int(np.prod(shape))
    x = np.linspace(-0.7, 0.9, n).reshape(shape)
    return float(x) if shape == () else x


def _c(shape):
    return np.linspace(0.5, 2.0, int(np.prod(shape))).reshape(shape)


def f_of(c):
    return lambda X: np.sum(c * X**2) + np.sum(X) ** 3


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("chunk", [1, 3, None])
def test_gradient_and_hessian_have_the_inputs_shape(shape, chunk):
    x, c = _point(shape), _c(shape)
    s = np.sum(x)
    g = dd.gradient(f_of(c), x, chunk=chunk)
    assert np.shape(g) == shape
    np.testing.assert_allclose(g, 2 * c * x + 3 * s**2, rtol=1e-14)
    v, g2 = dd.value_and_grad(f_of(c), x, chunk=chunk)
    assert v == pytest.approx(np.sum(c * x**2) + s**3, rel=1e-15) and np.array_equal(g2, g)
    H = dd.hessian(f_of(c), x, chunk=chunk)
    assert np.shape(H) == shape + shape
    n = int(np.prod(shape))
    ref = (2 * np.diag(np.ravel(c)) + 6 * s * np.ones((n, n))).reshape(shape + shape)
    np.testing.assert_allclose(H, ref, rtol=1e-14, atol=1e-14)
    w = np.cos(np.arange(n)).reshape(shape) if shape else 0.7
    hv = dd.hvp(f_of(c), x, w, chunk=chunk)
    assert np.shape(hv) == shape
    ref_hv = (ref.reshape(n, n) @ np.ravel(w)).reshape(shape)
    np.testing.assert_allclose(hv, ref_hv, rtol=1e-14, atol=1e-14)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_jacobian_is_output_shape_plus_input_shape(shape):
    x = _point(shape)
    J = dd.jacobian(lambda X: X * np.sin(X), x)
    assert np.shape(J) == shape + shape
    n = int(np.prod(shape))
    ref = np.diag(np.ravel(np.sin(x) + x * np.cos(x))).reshape(shape + shape)
    np.testing.assert_allclose(J, ref, rtol=1e-15)
    val, J2 = dd.value_and_jacobian(lambda X: X * np.sin(X), x)
    np.testing.assert_array_equal(J2, J)
    np.testing.assert_allclose(val, x * np.sin(x), rtol=1e-15)
    assert n == int(np.prod(shape))


Params = namedtuple("Params", "W b")
X_DATA = np.array([[0.5, -1.0], [1.5, 0.25], [-0.3, 0.8]])
Y_DATA = np.array([1.0, -0.5, 0.3])


def loss(p):
    """Least squares of a linear model: Σ (X W + b - y)²; W of shape (2,), b a number."""
    r = X_DATA @ p["W"] + p["b"] - Y_DATA
    return np.sum(r**2)


def _ref(W, b):
    r = X_DATA @ W + b - Y_DATA
    return {"W": 2 * X_DATA.T @ r, "b": 2 * np.sum(r)}


W0, B0 = np.array([0.3, -0.2]), 0.1


@pytest.mark.parametrize(
    "pack",
    [
        lambda W, b: {"W": W, "b": b},
        lambda W, b: [W, b],
        lambda W, b: (W, b),
        lambda W, b: Params(W, b),
        lambda W, b: {"layer": [{"W": W}, (b,)]},
    ],
    ids=["dict", "list", "tuple", "namedtuple", "nested"],
)
def test_structures_mirror_the_input(pack):
    def unpack(p):
        if isinstance(p, dict) and "layer" in p:
            return {"W": p["layer"][0]["W"], "b": p["layer"][1][0]}
        if isinstance(p, dict):
            return p
        return {"W": p[0], "b": p[1]}

    x = pack(W0, B0)
    g = dd.gradient(lambda p: loss(unpack(p)), x)
    assert type(g) is type(x)
    ref = _ref(W0, B0)
    gu = unpack(g)
    np.testing.assert_allclose(gu["W"], ref["W"], rtol=1e-15)
    assert gu["b"] == pytest.approx(ref["b"], rel=1e-15) and np.ndim(gu["b"]) == 0
    H = dd.hessian(lambda p: loss(unpack(p)), x)
    # H[W][W] = 2 XᵀX, H[W][b] = 2 Xᵀ1, H[b][b] = 2 m
    Hu = {k: unpack(v) for k, v in unpack(H).items()}
    np.testing.assert_allclose(Hu["W"]["W"], 2 * X_DATA.T @ X_DATA, rtol=1e-14)
    np.testing.assert_allclose(Hu["W"]["b"], 2 * X_DATA.sum(axis=0), rtol=1e-14)
    assert Hu["b"]["b"] == pytest.approx(6.0, rel=1e-15)
    hv = dd.hvp(lambda p: loss(unpack(p)), x, pack(np.array([1.0, 0.0]), 0.0))
    np.testing.assert_allclose(unpack(hv)["W"], 2 * X_DATA.T @ X_DATA[:, 0], rtol=1e-14)
    _, jv = dd.jvp(lambda p: loss(unpack(p)), x, pack(np.array([1.0, 0.0]), 0.0))
    assert jv == pytest.approx(ref["W"][0], rel=1e-14)


def test_a_flat_list_of_numbers_is_a_vector():
    g = dd.gradient(lambda v: v @ v, [1.0, 2.0])
    assert isinstance(g, np.ndarray) and g.tolist() == [2.0, 4.0]


def test_structure_errors_are_clear():
    with pytest.raises(TypeError, match=r"x\['name'\] is a str"):
        dd.gradient(lambda p: p["w"] ** 2, {"w": 1.0, "name": "a"})
    with pytest.raises(TypeError, match=r"x\[1\] is a bool"):
        dd.gradient(lambda p: p[0] ** 2, [np.ones(2), True])
    with pytest.raises(ValueError, match="structure"):
        dd.jvp(lambda p: p["w"], {"w": 1.0}, {"v": 1.0})
    with pytest.raises(ValueError, match="hvp: v has 3 entries, x has 2"):
        dd.hvp(lambda p: np.sum(p["w"] ** 2), {"w": np.ones(2)}, {"w": np.ones(3)})


# --- argnums and has_aux ------------------------------------------------------------------------


def model(W, b, X):
    """Σ (X W + b)² with W (2,), b a number, X data: ∂/∂W = 2 Xᵀ r, ∂/∂b = 2 Σ r."""
    return np.sum((X @ W + b) ** 2)


def test_argnums_picks_the_arguments():
    args = (W0, B0, X_DATA)
    r = X_DATA @ W0 + B0
    gW = dd.gradient(model, args, argnums=0)
    np.testing.assert_allclose(gW, 2 * X_DATA.T @ r, rtol=1e-15)
    gW2, gb = dd.gradient(model, args, argnums=(0, 1))
    np.testing.assert_array_equal(gW2, gW)
    assert gb == pytest.approx(2 * np.sum(r), rel=1e-15)
    v, (gb2,) = dd.value_and_grad(model, args, argnums=(1,))
    assert v == pytest.approx(np.sum(r**2), rel=1e-15) and gb2 == gb
    H = dd.hessian(model, args, argnums=(0, 1))  # ((HWW, HWb), (HbW, Hbb))
    np.testing.assert_allclose(H[0][0], 2 * X_DATA.T @ X_DATA, rtol=1e-14)
    np.testing.assert_allclose(H[0][1], 2 * X_DATA.sum(axis=0), rtol=1e-14)
    assert H[1][1] == pytest.approx(2 * len(X_DATA), rel=1e-15)
    J = dd.jacobian(lambda w, b, X: X @ w + b, args, argnums=1)
    np.testing.assert_array_equal(J, np.ones(3))


def test_argnums_over_numbers_gives_one_result_per_argument():
    g = dd.gradient(lambda x, y, z: x * y**2 * z, (2.0, 3.0, 5.0), argnums=(0, 1))
    assert isinstance(g, tuple) and g == (45.0, 60.0)
    H = dd.hessian(lambda x, y: x**2 * y**3, (1.0, 2.0), argnums=(0, 1))
    assert H == ((16.0, 24.0), (24.0, 12.0))  # 2y³, 6xy², 6x²y


def test_has_aux_returns_the_aux_as_plain_numbers():
    def f(w):
        r = X_DATA @ w - Y_DATA
        return np.sum(r**2), {"residuals": r, "n": len(r)}

    g, aux = dd.gradient(f, W0, has_aux=True)
    r = X_DATA @ W0 - Y_DATA
    np.testing.assert_allclose(g, 2 * X_DATA.T @ r, rtol=1e-15)
    assert isinstance(aux["residuals"], np.ndarray) and not isinstance(aux["residuals"], dd.Dual)
    np.testing.assert_allclose(aux["residuals"], r, rtol=1e-15)
    (v, aux2), g2 = dd.value_and_grad(f, W0, has_aux=True)
    assert v == pytest.approx(np.sum(r**2)) and aux2["n"] == 3 and np.array_equal(g2, g)
    J, aux3 = dd.jacobian(lambda w: (X_DATA @ w, "tag"), W0, has_aux=True)
    np.testing.assert_array_equal(J, X_DATA) and aux3 == "tag"


def test_option_errors_are_clear():
    with pytest.raises(TypeError, match="x is the tuple of f's arguments"):
        dd.gradient(model, W0, argnums=0)
    with pytest.raises(ValueError, match="argnums 3 for 3 arguments"):
        dd.gradient(model, (W0, B0, X_DATA), argnums=3)
    with pytest.raises(ValueError, match="names an argument twice"):
        dd.gradient(model, (W0, B0, X_DATA), argnums=(0, 0))
    with pytest.raises(TypeError, match=r"has_aux=True needs f to return \(value, aux\)"):
        dd.gradient(lambda w: np.sum(w), W0, has_aux=True)
