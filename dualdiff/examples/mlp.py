"""A small multilayer perceptron differentiated by forward mode.

Each layer is an affine map ``W @ x + b`` followed by an activation. Every parameter of the
network lives in one flat vector ``theta``; :func:`unpack` slices it into layers, so the same
code runs on floats, on Duals (for derivatives) and on mpmath numbers (for a reference). The
multivariable chain rule holds for each layer, so the loss is differentiable in every parameter:
``dd.gradient(loss, theta)`` computes all of them, n directions per pass in vector mode.

>>> import numpy as np
>>> net = MLP([2, 3, 1], ["tanh", "identity"])
>>> theta = net.init(np.random.default_rng(0))
>>> X, Y = np.array([[0.5, -1.0], [1.5, 0.2]]), np.array([[0.3], [-0.4]])
>>> g = net.loss_gradient(theta, X, Y)
>>> g.shape == theta.shape == (net.n_params,)
True
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import dualdiff as dd


def sigmoid(x: Any) -> Any:
    """The logistic function 1 / (1 + e^-x)."""
    return 1 / (1 + dd.exp(-x))


def relu(x: Any) -> Any:
    """max(x, 0); at exactly 0 the tangent is split evenly (derivative 1/2), as in dd.maximum."""
    return np.maximum(x, 0.0)


def identity(x: Any) -> Any:
    return x


ACTIVATIONS: dict[str, Callable[[Any], Any]] = {
    "tanh": dd.tanh,
    "sigmoid": sigmoid,
    "relu": relu,
    "identity": identity,
}


class MLP:
    """A network of affine layers and activations, with every parameter in one flat vector."""

    def __init__(self, sizes: Sequence[int], activations: Sequence[str]) -> None:
        if len(activations) != len(sizes) - 1:
            raise ValueError("MLP needs one activation per layer: len(sizes) - 1 of them")
        unknown = [a for a in activations if a not in ACTIVATIONS]
        if unknown:
            raise ValueError(f"MLP: unknown activations {unknown}; choose from {list(ACTIVATIONS)}")
        self.sizes = list(sizes)
        self.activations = [ACTIVATIONS[a] for a in activations]
        self.shapes = [(m, n) for n, m in itertools.pairwise(sizes)]
        self.n_params = sum(m * n + m for m, n in self.shapes)

    def init(self, rng: np.random.Generator) -> np.ndarray:
        """Random parameters, scaled by 1/sqrt(fan-in)."""
        parts = []
        for m, n in self.shapes:
            parts += [rng.normal(size=m * n) / np.sqrt(n), np.zeros(m)]
        return np.concatenate(parts)

    def unpack(self, theta: Any) -> list[tuple[Any, Any]]:
        """The (W, b) of each layer, as slices of ``theta`` (a Dual stays a Dual)."""
        layers, i = [], 0
        for m, n in self.shapes:
            W = np.reshape(theta[i : i + m * n], (m, n))
            i += m * n
            layers.append((W, theta[i : i + m]))
            i += m
        return layers

    def forward(self, theta: Any, x: Any) -> Any:
        """The network's output for one input vector ``x``."""
        for (W, b), act in zip(self.unpack(theta), self.activations, strict=True):
            x = act(W @ x + b)
        return x

    def loss(self, theta: Any, X: np.ndarray, Y: np.ndarray) -> Any:
        """Mean squared error over the rows of X and Y."""
        total = 0.0
        for x, y in zip(X, Y, strict=True):
            r = self.forward(theta, x) - y
            total = total + np.sum(r * r)
        return total / len(X)

    def loss_gradient(self, theta: np.ndarray, X: np.ndarray, Y: np.ndarray,
                      chunk: int | None = None) -> np.ndarray:  # fmt: skip
        """d loss / d theta for every parameter, by forward mode."""
        return dd.gradient(lambda t: self.loss(t, X, Y), theta, chunk=chunk)
