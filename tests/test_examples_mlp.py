"""The neural-network example: gradients of the loss for every parameter, checked against
hand-written backpropagation and against mpmath at 30 digits."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

import dualdiff as dd
from dualdiff.examples.mlp import MLP, sigmoid


def backprop(net: MLP, theta, X, Y):
    """Reverse-mode gradient of the mean squared error, written out by hand (plain NumPy)."""
    grads = np.zeros_like(theta)
    names = [a.__name__ for a in net.activations]
    for x, y in zip(X, Y, strict=True):
        zs, hs = [], [x]
        for (W, b), act in zip(net.unpack(theta), net.activations, strict=True):
            zs.append(W @ hs[-1] + b)
            hs.append(act(zs[-1]))
        delta = 2 * (hs[-1] - y) / len(X)
        offsets, i = [], 0
        for m, n in net.shapes:
            offsets.append(i)
            i += m * n + m
        for layer in reversed(range(len(net.shapes))):
            z, name = zs[layer], names[layer]
            if name == "tanh":
                delta = delta * (1 - np.tanh(z) ** 2)
            elif name == "sigmoid":
                s = 1 / (1 + np.exp(-z))
                delta = delta * s * (1 - s)
            elif name == "relu":
                delta = delta * np.where(z > 0, 1.0, 0.0)
            m, n = net.shapes[layer]
            o = offsets[layer]
            grads[o : o + m * n] += np.outer(delta, hs[layer]).ravel()
            grads[o + m * n : o + m * n + m] += delta
            W = net.unpack(theta)[layer][0]
            delta = W.T @ delta
    return grads


@pytest.mark.parametrize("acts", [["tanh", "identity"], ["sigmoid", "relu", "identity"],
                                  ["relu", "tanh", "sigmoid"]])  # fmt: skip
def test_loss_gradient_matches_backpropagation(acts):
    rng = np.random.default_rng(7)
    sizes = [3, 5, 4, 2][: len(acts) + 1]
    net = MLP(sizes, acts)
    theta = net.init(rng) + 0.1 * rng.normal(size=net.n_params)  # biases away from 0
    X, Y = rng.normal(size=(4, sizes[0])), rng.normal(size=(4, sizes[-1]))
    ref = backprop(net, theta, X, Y)
    for chunk in (1, 7, None, net.n_params):
        np.testing.assert_allclose(net.loss_gradient(theta, X, Y, chunk), ref, rtol=1e-12,
                                   atol=1e-14)  # fmt: skip


def test_loss_gradient_matches_mpmath():
    rng = np.random.default_rng(3)
    net = MLP([2, 3, 1], ["tanh", "sigmoid"])
    theta = net.init(rng)
    X, Y = rng.normal(size=(3, 2)), rng.normal(size=(3, 1))
    g = net.loss_gradient(theta, X, Y)
    Xm = np.array([[mpmath.mpf(v) for v in row] for row in X], dtype=object)
    Ym = np.array([[mpmath.mpf(v) for v in row] for row in Y], dtype=object)
    with mpmath.workdps(30):
        for i in range(net.n_params):

            def along(t, i=i):
                th = np.array([mpmath.mpf(v) for v in theta], dtype=object)
                th[i] = t
                return net.loss(th, Xm, Ym)

            ref = mpmath.diff(along, mpmath.mpf(theta[i]))
            assert abs(g[i] - ref) <= 1e-13 * abs(ref) + 1e-15, i


def test_jacobian_of_an_affine_layer_is_W():
    rng = np.random.default_rng(1)
    W, b = rng.normal(size=(4, 3)), rng.normal(size=4)
    np.testing.assert_array_equal(dd.jacobian(lambda x: W @ x + b, rng.normal(size=3)), W)
    # with an activation: diag(act'(z)) W
    x = rng.normal(size=3)
    z = W @ x + b
    s = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(dd.jacobian(lambda x: sigmoid(W @ x + b), x),
                               (s * (1 - s))[:, None] * W, rtol=1e-14)  # fmt: skip


def test_bad_configuration():
    with pytest.raises(ValueError, match="one activation per layer"):
        MLP([2, 3], ["tanh", "tanh"])
    with pytest.raises(ValueError, match="unknown activations"):
        MLP([2, 3], ["swish"])
