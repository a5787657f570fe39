"""Sparse derivatives through the NumPy functions of docs/numpy.md, one table line per case.

Each case is a function ``F`` of an array ``x`` (of the line's shape) with a real result. For it:

- ``dd.sparsity(F, x)`` holds every nonzero of the dense ``dd.jacobian`` at several random points
  (a missing one is a silent wrong number); it equals their union unless the line is marked
  ``sel`` (NumPy's selections keep both sides, documented, or another documented superset);
- ``dd.jacobian(F, x, sparse=True)`` equals the dense Jacobian and central differences, at the
  point it was prepared at and (unless marked ``pt``: orderings follow the point) at others;
- the scalar ``s(x) = sum(w * sin(F(x)))`` (fixed weights w): ``gradient``, ``hvp`` and
  ``hessian`` with ``sparse=True`` equal the dense ones, and ``hessian_sparsity`` holds every
  nonzero of the dense Hessian (equals their union unless ``sel``).

A line with ``raises=`` must raise a TypeError whose message matches it (naming the function).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

import dualdiff as dd
from dualdiff.sparse import SparseHessian, SparseJacobian
from dualdiff.sparse.pattern import identity

RNG = np.random.default_rng(20240601)
A66 = RNG.normal(size=(6, 6))
A46 = RNG.normal(size=(4, 6))
A33 = RNG.normal(size=(3, 3)) + 3 * np.eye(3)
A23 = RNG.normal(size=(2, 3))
SPD3 = A33 @ A33.T + np.eye(3)
B6 = RNG.normal(size=6)
B3 = RNG.normal(size=3)
K5 = np.array([0.5, -1.0, 2.0])
XP = np.linspace(0.0, 1.5, 6)
IDX = np.array([4, 0, 0, 2, 5])
MASK = np.array([True, False, True, True, False, True])
C6 = np.exp(1j * np.arange(6.0))


@dataclass
class Case:
    family: str
    name: str
    F: Any
    shape: tuple[int, ...] = (6,)
    flags: str = (
        ""  # sel: a superset; pt: follows the point; fd: no dense reference; h0: no Hessian
    )
    raises: str | None = None
    lo: float = 0.2
    hi: float = 1.3
    dtype: Any = np.float64
    id: str = field(init=False)

    def __post_init__(self) -> None:
        self.id = f"{self.family}: {self.name}"


def _assigned_mask(x):
    out = np.zeros_like(x)
    out[MASK] = x[MASK] ** 2
    return out


def _assigned_fancy(x):
    out = x.copy()
    out[[0, 3, 3]] = x[1:4] * x[2]
    return out


def _assigned_iadd(x):
    out = np.zeros_like(x)
    out[IDX] += x[:5] ** 2
    return out


def _add_at(x):
    out = np.zeros_like(x)
    np.add.at(out, IDX, x[:5] ** 2)
    return out


def _multiply_at(x):
    out = np.ones_like(x)
    np.multiply.at(out, IDX, x[:5])
    return out


def _assigned_2d(x):
    out = np.zeros_like(x)
    out[x.value > 0.7 if hasattr(x, "value") else x > 0.7] = 1.0
    out[:, 1] = x[:, 0] * x[:, 2]
    out[1] = np.sin(x[0])
    return out


def _assigned_constant(x):
    y = x.copy()
    y[2] = 1.5
    y[4:] = 0.0
    return y * x


def _assigned_overlap(x):
    y = x.copy()
    y[1:] = y[:-1] * 2.0
    return y


def _object_array(x):
    out = np.empty(3, dtype=object)
    out[0] = x[0] * x[1]
    out[1] = np.sum(x)
    out[2] = x[5] ** 2
    return out


def _put(x):
    y = x.copy()
    np.put(y, [1, 3], x[:2] ** 2)
    return y


def _putmask(x):
    y = x.copy()
    np.putmask(y, MASK, x**2)
    return y


def _place(x):
    y = x.copy()
    np.place(y, MASK, x[:4] ** 2)
    return y


def _spd(x):
    X = x.reshape(3, 3)
    return X @ X.T + 3.0 * np.eye(3)


def _chain(x):
    return np.sum((x[1:] - x[:-1] ** 2) ** 2)


def _cubes(x):
    return np.sum(np.cumsum(x) ** 3)


# fmt: off
CASES = [
    # --- elementwise ufuncs and operators ------------------------------------------------------
    Case("ufunc", "sin*exp", lambda x: np.sin(x) * np.exp(x[::-1])),
    Case("ufunc", "log, sqrt, cbrt", lambda x: np.log(x) + np.sqrt(x[::-1]) * np.cbrt(x)),
    Case("ufunc", "tanh, arctan, expm1, log1p", lambda x: np.tanh(x) * np.expm1(x) + np.log1p(np.arctan(x[::-1]))),
    Case("ufunc", "x**x, x**2.5, 2**x", lambda x: x**x + x[::-1] ** 2.5 + 2.0 ** x[1:].sum()),
    Case("ufunc", "float_power, power arrays", lambda x: np.float_power(x, x[::-1]) + np.power(x, 3)),
    Case("ufunc", "reciprocal, square, divide", lambda x: np.reciprocal(x) + np.square(x[::-1]) / x),
    Case("ufunc", "abs, sign", lambda x: np.abs(x - 0.7) * x[::-1] + np.sign(x - 0.7) * x, flags="sel"),
    Case("ufunc", "maximum, minimum", lambda x: np.maximum(x, x[::-1])[1:] + np.minimum(x[:-1], 0.7) * x[1:], flags="sel"),
    Case("ufunc", "fmax, fmin", lambda x: np.fmax(x, 0.7) * np.fmin(x[::-1], x), flags="sel"),
    Case("ufunc", "hypot, arctan2", lambda x: np.hypot(x, x[::-1]) + np.arctan2(x[1:].sum(), x)),
    Case("ufunc", "logaddexp", lambda x: np.logaddexp(x, 2 * x[::-1])),
    Case("ufunc", "remainder, fmod", lambda x: np.remainder(3 * x, 0.7) + np.fmod(x[::-1] * 5, 1.1) + x % x[::-1]),
    Case("ufunc", "floor, ceil, rint, trunc, round", lambda x: (np.floor(3 * x) * x + np.ceil(x) + np.rint(x) + np.trunc(x) * x[::-1] + np.round(x, 1)), flags="sel"),
    Case("ufunc", "floor_divide, divmod", lambda x: np.floor_divide(x * 4, x[::-1]) + divmod(x * 3, 0.5)[1], flags="sel"),
    Case("ufunc", "heaviside, copysign, signbit", lambda x: np.heaviside(x - 0.7, 0.5) * x + np.copysign(x, 0.7 - x), flags="sel"),
    Case("ufunc", "ldexp", lambda x: np.ldexp(x, np.array([1, 2, 3, 0, -1, 2]))),
    Case("ufunc", "deg2rad, rad2deg, sinc", lambda x: np.deg2rad(x) * np.rad2deg(x[::-1]) + np.sinc(x)),
    Case("ufunc", "nextafter", lambda x: np.nextafter(x, 2.0) * x[::-1]),
    Case("ufunc", "arcsin, arccos, arctanh", lambda x: np.arcsin(x) + np.arccos(x[::-1]) * np.arctanh(x), lo=0.05, hi=0.9),
    Case("ufunc", "sinh, cosh, arcsinh, arccosh", lambda x: np.sinh(x) * np.cosh(x[::-1]) + np.arcsinh(x) + np.arccosh(x + 1.0)),
    Case("ufunc", "dd elementary", lambda x: dd.sigmoid(x) * dd.exp2(x[::-1]) + dd.log(x, 3.0) + dd.sinc(x)),
    Case("ufunc", "int constants", lambda x: x * np.arange(6) + np.arange(6) ** 2 * x[::-1] + 3 * x, flags="sel"),
    Case("ufunc", "zero slope point", lambda x: (x - x[0]) ** 2 + x * np.zeros(6), flags="sel"),
    Case("ufunc", "complex constant, real part", lambda x: np.real(x * C6) + np.imag(x[::-1] * C6) ** 2, flags="sel"),
    Case("ufunc", "complex, abs", lambda x: np.abs(x * C6 + x[::-1])),
    Case("ufunc", "complex, angle, conj", lambda x: np.angle(x + 1j * x[::-1]) + np.real(np.conj(x * C6) * x)),
    Case("ufunc", "imag of a complex Dual", lambda x: np.imag(x * (1.0 + 2.0j)) + np.imag(x[::-1] * 1j) * x),
    Case("ufunc", "real part sums (sparse gradient stays real)", lambda x: np.real(np.fft.fft(x)) ** 2),
    Case("ufunc", "comparisons", lambda x: np.where(np.greater(x, 0.7) & np.isfinite(x), x, 0.0), flags="sel"),
    # --- broadcasting, 0-d, 2-D, 3-D, float32 --------------------------------------------------
    Case("broadcast", "outer by broadcasting", lambda x: (x[:, None] * x[None, :3]).ravel()),
    Case("broadcast", "2-D + 1-D", lambda x: x + np.sin(x[0]), shape=(2, 3)),
    Case("broadcast", "3-D", lambda x: x * x[:, :1, :] + x[0], shape=(2, 2, 3)),
    Case("broadcast", "0-d input", lambda x: np.stack([x, x**2, np.sin(x) * 3.0]), shape=()),
    Case("broadcast", "0-d input, 0-d output", lambda x: x**3 * np.exp(x), shape=()),
    Case("broadcast", "0-d output", lambda x: np.sum(x) * x[0]),
    Case("broadcast", "float32", lambda x: x[1:] * x[:-1] + np.sin(x[1:]), dtype=np.float32),
    Case("broadcast", "float32 2-D", lambda x: (x @ x.T).ravel(), shape=(2, 3), dtype=np.float32),
    Case("broadcast", "scalar Dual times array", lambda x: x[0] * np.arange(1.0, 4.0) + x[1:4]),
    # --- shape functions -----------------------------------------------------------------------
    Case("shape", "x.T", lambda x: (x.T * np.arange(6.0).reshape(3, 2)).ravel() + x.T.ravel() ** 2, shape=(2, 3)),
    Case("shape", "reshape order=F", lambda x: np.reshape(x, (3, 2), order="F")[0] * x[:2] ** 2),
    Case("shape", "x.reshape order=F", lambda x: x.reshape(3, 2, order="F").ravel() * x),
    Case("shape", "ravel order=F", lambda x: np.ravel(x, order="F") * x.ravel() ** 2, shape=(2, 3)),
    Case("shape", "flatten order=F", lambda x: x.flatten(order="F") + x.ravel() ** 2, shape=(2, 3)),
    Case("shape", "transpose axes", lambda x: np.transpose(x, (2, 0, 1)).ravel() * x.ravel(), shape=(2, 2, 3)),
    Case("shape", "moveaxis, swapaxes", lambda x: (np.moveaxis(x, 0, -1) + np.swapaxes(x, 1, 2) ** 2).ravel(), shape=(2, 2, 2)),
    Case("shape", "mT", lambda x: (x.mT @ x).ravel(), shape=(2, 3, 2)),
    Case("shape", "squeeze, expand_dims", lambda x: np.squeeze(np.expand_dims(x, (0, 2)), 0)[:, 0] ** 2),
    Case("shape", "broadcast_to", lambda x: np.broadcast_to(x[:3], (2, 3)).ravel() * x),
    Case("shape", "atleast_1d/2d/3d", lambda x: np.atleast_3d(x).ravel() + np.atleast_2d(x)[0] ** 2 + np.atleast_1d(x[0])),
    Case("shape", "flip axis, fliplr, flipud", lambda x: (np.flip(x, 1) * np.fliplr(x) + np.flipud(x) ** 2).ravel(), shape=(2, 3)),
    Case("shape", "rot90", lambda x: np.rot90(x, 1).ravel() * np.rot90(x, 3).ravel() ** 2, shape=(2, 3)),
    Case("shape", "roll axis", lambda x: (np.roll(x, 1, axis=1) * x + np.roll(x, -1)).ravel(), shape=(2, 3)),
    Case("shape", "tile, repeat axis", lambda x: np.tile(x, (2, 1)).ravel()[:6] * np.repeat(x, 2, axis=1).ravel()[3:9], shape=(2, 3)),
    Case("shape", "repeat counts", lambda x: np.repeat(x, [0, 1, 2, 0, 3, 1]) ** 2),
    Case("shape", "resize", lambda x: np.resize(x, 8) * np.resize(x[::-1], 8)),
    Case("shape", "pad constant", lambda x: np.pad(x, (2, 1), constant_values=3.0) ** 2),
    Case("shape", "pad edge", lambda x: np.pad(x, 2, mode="edge") * np.arange(1.0, 11.0)),
    Case("shape", "pad reflect", lambda x: np.pad(x, 3, mode="reflect") ** 2),
    Case("shape", "pad symmetric", lambda x: np.pad(x, (1, 3), mode="symmetric") ** 2),
    Case("shape", "pad wrap", lambda x: np.pad(x, 2, mode="wrap") ** 2),
    Case("shape", "pad linear_ramp", lambda x: np.pad(x, 2, mode="linear_ramp", end_values=1.0) ** 2, raises="numpy.pad"),
    Case("shape", "pad mean", lambda x: np.pad(x, 2, mode="mean") ** 2, raises="numpy.pad"),
    Case("shape", "pad maximum", lambda x: np.pad(x, 1, mode="maximum") ** 2, raises="numpy.pad"),
    Case("shape", "pad 2-D", lambda x: np.pad(x, ((1, 0), (0, 2)), mode="edge").ravel() ** 2, shape=(2, 3)),
    Case("shape", "concatenate axis=None", lambda x: np.concatenate([x, x[:1] ** 2], axis=None), shape=(2, 3)),
    Case("shape", "concatenate constants", lambda x: np.concatenate([[1.0, 2.0], x**2, np.zeros(2)])),
    Case("shape", "stack axis=1", lambda x: np.stack([x, x[::-1] ** 2], axis=1).ravel()),
    Case("shape", "hstack, vstack, dstack", lambda x: (np.hstack([x, x[:2]]) + np.vstack([x, x**2]).ravel()[:8] + np.dstack([x[:4], x[2:]]).ravel())),
    Case("shape", "column_stack", lambda x: np.column_stack([x[:3], x[3:] ** 2, np.ones(3)]).ravel()),
    Case("shape", "block", lambda x: np.block([[x[:2], x[2:4] ** 2], [np.ones(2), x[4:]]]).ravel()),
    Case("shape", "append, insert, delete", lambda x: (np.append(x, x[0] ** 2) + np.insert(x, 2, x[5] * 3) + np.append(np.delete(x, 1), [1.0, 2.0]))),
    Case("shape", "split, array_split", lambda x: np.split(x, 2)[1] * np.array_split(x, 4)[0].sum()),
    Case("shape", "hsplit, vsplit, dsplit", lambda x: (np.hsplit(x, 2)[0].ravel() + np.vsplit(x, 2)[1].ravel()[:4] + np.dsplit(x[None], 2)[1].ravel()), shape=(2, 4)),
    Case("shape", "take, take_along_axis", lambda x: (np.take(x, IDX) * np.take_along_axis(x, np.array([[2, 0], [1, 1]]), axis=1).ravel().sum()), shape=(2, 3)),
    Case("shape", "take axis", lambda x: np.take(x, [2, 0], axis=1).ravel() ** 2, shape=(2, 3)),
    Case("shape", "take mode wrap, clip", lambda x: np.take(x, [7, -1, 13], mode="wrap") ** 2 * np.take(x, [-2, 3, 9], mode="clip")),
    Case("shape", "take axis mode, x.take", lambda x: (np.take(x, [4, -1], axis=1, mode="wrap") ** 2 * x.take([5, -4], mode="clip")).ravel(), shape=(2, 3)),
    Case("shape", "diag 1-D -> 2-D", lambda x: np.diag(x[:3], 1).ravel() ** 2),
    Case("shape", "diag 2-D -> 1-D, diagflat", lambda x: np.diag(x, -1) * np.diagflat(x[:, 0]).ravel()[[0, 4]], shape=(3, 3)),
    Case("shape", "diagonal offset, trace", lambda x: np.diagonal(x, 1) * np.trace(x), shape=(3, 3)),
    Case("shape", "diagonal 3-D, trace axes", lambda x: np.diagonal(x, 0, 1, 2).ravel() * np.trace(x, 0, 0, 2).sum(), shape=(2, 2, 3)),
    Case("shape", "x.diagonal, x.trace", lambda x: x.diagonal() ** 2 + x.trace(), shape=(3, 3)),
    Case("shape", "tril, triu", lambda x: (np.tril(x) ** 2 + np.triu(x, 1) * x).ravel(), shape=(3, 3)),
    Case("shape", "tril, triu 3-D", lambda x: (np.tril(x, -1) * 2.0 + np.triu(x) ** 2).ravel(), shape=(2, 3, 3)),
    Case("shape", "meshgrid", lambda x: (lambda g: (g[0] * g[1]).ravel())(np.meshgrid(x[:2], x[2:5]))),
    Case("shape", "broadcast_arrays", lambda x: (lambda a, b: (a * b**2).ravel())(*np.broadcast_arrays(x[:3], x[3:, None]))),
    Case("shape", "select", lambda x: np.select([x < 0.5, x > 1.0], [x**2, x[::-1]], default=x[0]), flags="sel"),
    Case("shape", "select constant default", lambda x: np.select([x < 0.7], [x[::-1] ** 2], 0.5), flags="sel"),
    Case("shape", "where 2 sides", lambda x: np.where(x > 0.7, x**2, x[::-1]), flags="sel"),
    Case("shape", "where constant side", lambda x: np.where(x > 0.7, np.sin(x), 1.0), flags="sel"),
    Case("shape", "clip", lambda x: np.clip(x, 0.5, 1.0) * x[::-1] + x.clip(0.7) ** 2, flags="sel"),
    Case("shape", "clip Dual bounds", lambda x: np.clip(x, x[::-1], 1.0), flags="sel"),
    Case("shape", "copy, empty_like, full_like", lambda x: np.copy(x) * np.copy(x)[::-1] + np.full_like(x, 2.0) + np.empty_like(x) * 0.0),
    Case("shape", "astype float64, float", lambda x: x.astype(np.float64) ** 2 * x[::-1].astype(float)),
    Case("shape", "astype complex", lambda x: np.abs(x.astype(np.complex128) * C6 + x[::-1])),
    Case("shape", "real, imag of real", lambda x: np.real(x) ** 2 + np.imag(x)),
    # --- indexing and item assignment ----------------------------------------------------------
    Case("index", "fancy, negative, repeated", lambda x: x[[5, -1, 0, 0]] ** 2 * x[IDX].sum()),
    Case("index", "boolean mask", lambda x: x[MASK] ** 2),
    Case("index", "2-D fancy pairs", lambda x: x[[0, 1, 1], [2, 0, 2]] * x[1, ::-1], shape=(2, 3)),
    Case("index", "Ellipsis, newaxis", lambda x: x[..., None, 1].ravel() * x[0, ...].sum(), shape=(2, 3)),
    Case("index", "argmax index", lambda x: x[np.argmax(x)] * x, flags="pt"),
    Case("index", "argsort index", lambda x: x[np.argsort(x)] ** 2 * np.arange(1.0, 7.0), flags="pt"),
    Case("index", "iteration, len", lambda x: np.stack([v * len(x) for v in x]) ** 2),
    Case("assign", "boolean mask", _assigned_mask),
    Case("assign", "fancy, repeated", _assigned_fancy),
    Case("assign", "fancy +=", _assigned_iadd),
    Case("assign", "np.add.at", _add_at),
    Case("assign", "np.multiply.at", _multiply_at),
    Case("assign", "2-D rows, columns, value mask", _assigned_2d, shape=(3, 3)),
    Case("assign", "constants", _assigned_constant, flags="sel"),
    Case("assign", "overlapping", _assigned_overlap),
    Case("assign", "object array", _object_array),
    Case("assign", "put", _put),
    Case("assign", "putmask", _putmask),
    Case("assign", "place", _place),
    # --- reductions ----------------------------------------------------------------------------
    Case("reduce", "sum axis, keepdims", lambda x: np.sum(x**2, axis=1, keepdims=True).ravel() * x[:, 0], shape=(2, 3)),
    Case("reduce", "sum axes, mean", lambda x: np.sum(x, axis=(0, 2)) * np.mean(x, axis=1).ravel()[:2].sum(), shape=(2, 2, 3)),
    Case("reduce", "sum where", lambda x: np.atleast_1d(np.sum(x**2, where=MASK)), raises="numpy.sum"),
    Case("reduce", "sum initial", lambda x: np.atleast_1d(np.sum(x, initial=2.0)) ** 2),
    Case("reduce", "mean dtype", lambda x: np.atleast_1d(np.mean(x, dtype=np.float64)) * x),
    Case("reduce", "prod", lambda x: np.atleast_1d(np.prod(x)) * x),
    Case("reduce", "prod initial, x.prod axis", lambda x: np.prod(x, axis=1, initial=-2.0) * x.prod(axis=0, initial=0.5).sum(), shape=(2, 3)),
    Case("reduce", "prod where (keeps the masked entries)", lambda x: np.atleast_1d(np.prod(x, initial=2.5, where=MASK)) * x, flags="sel"),
    Case("reduce", "prod axis, with a zero", lambda x: np.prod(x - np.array([[0, 0, 0], [0, 0, 1.0]]) * x, axis=0), shape=(2, 3), flags="sel"),
    Case("reduce", "cumprod", lambda x: np.cumprod(x)),
    Case("reduce", "cumprod 2-D axis", lambda x: np.cumprod(x, axis=1).ravel(), shape=(2, 3)),
    Case("reduce", "cumprod flat 2-D", lambda x: np.cumprod(x), shape=(2, 3)),
    Case("reduce", "cumsum 2-D flat and axis", lambda x: np.cumsum(x) + np.cumsum(x**2, axis=0).ravel(), shape=(2, 3)),
    Case("reduce", "cumulative_sum", lambda x: np.cumulative_sum(x**2, include_initial=True)),
    Case("reduce", "nansum, nanmean, nancumsum", lambda x: np.nancumsum(x) * np.nansum(x**2) + np.nanmean(x)),
    Case("reduce", "max, min, amax, amin", lambda x: np.max(x, axis=0) * np.min(x) + np.amax(x, axis=1).sum() + np.amin(x), shape=(2, 3), flags="sel"),
    Case("reduce", "nanmax, nanmin, ptp", lambda x: np.atleast_1d(np.nanmax(x) * np.nanmin(x) + np.ptp(x)), flags="sel"),
    Case("reduce", "x.max, x.min methods", lambda x: x.max(axis=1) ** 2 + x.min(axis=1), shape=(3, 2), flags="sel"),
    Case("reduce", "maximum.reduce, minimum.reduce", lambda x: np.maximum.reduce(x, axis=0) + np.minimum.reduce(x, axis=1).sum(), shape=(2, 3), flags="sel"),
    Case("reduce", "add.reduce, multiply.reduce", lambda x: np.add.reduce(x**2, axis=1) * np.multiply.reduce(x, axis=1), shape=(3, 2)),
    Case("reduce", "add.accumulate, multiply.accumulate", lambda x: np.add.accumulate(x**2) + np.multiply.accumulate(x)),
    Case("reduce", "add.outer etc", lambda x: (np.add.outer(x[:2], x[2:4] ** 2) + np.multiply.outer(x[:2], x[4:]) + np.subtract.outer(x[:2], 1.0) + np.divide.outer(x[:2], x[2:4])).ravel()),
    Case("reduce", "var, std", lambda x: np.atleast_1d(np.var(x)) + np.std(x, axis=0, ddof=1)[:1], shape=(3, 2)),
    Case("reduce", "average weights", lambda x: (np.atleast_1d(np.average(x, weights=np.arange(1.0, 7.0))) * x[0] + np.average(x, weights=x[::-1]))),
    Case("reduce", "median", lambda x: np.atleast_1d(np.median(x)) * x, flags="pt"),
    Case("reduce", "median axis, odd", lambda x: np.median(x, axis=0), shape=(3, 2), flags="sel,pt"),
    Case("reduce", "percentile, quantile", lambda x: np.atleast_1d(np.percentile(x, 30.0) + np.quantile(x, [0.2, 0.9]).sum()), flags="pt"),
    Case("reduce", "sort", lambda x: np.sort(x) * np.arange(1.0, 7.0), flags="pt"),
    Case("reduce", "sort 2-D axis 0", lambda x: np.sort(x, axis=0).ravel() ** 2, shape=(3, 2), flags="pt"),
    Case("reduce", "trapezoid", lambda x: np.atleast_1d(np.trapezoid(x**2, dx=0.5) + np.trapezoid(x, x=XP))),
    Case("reduce", "np.gradient", lambda x: np.gradient(x**2) + np.gradient(x, 0.3)),
    Case("reduce", "np.gradient 2-D", lambda x: np.stack(np.gradient(x)).ravel(), shape=(3, 3)),
    Case("reduce", "diff n=2 axis", lambda x: np.diff(x**2, n=2, axis=0).ravel() + np.diff(x, axis=1).sum(), shape=(3, 3), flags="sel"),
    Case("reduce", "diff prepend", lambda x: np.diff(x, prepend=0.5) * x),
    Case("reduce", "diff append", lambda x: np.diff(x**2, append=[1.0, 2.0])),
    Case("reduce", "count_nonzero, any, all", lambda x: x * np.count_nonzero(x > 0.7) + x * float(np.all(x > 0)) + float(np.any(x > 2.0))),
    Case("reduce", "searchsorted", lambda x: x[np.searchsorted(XP, 0.7) :] ** 2 * np.searchsorted(np.sort(x), 0.7)),
    # --- products, polynomials, convolutions ---------------------------------------------------
    Case("product", "matmul constant left/right", lambda x: np.concatenate([A46 @ x, (x @ A66) ** 2])),
    Case("product", "matmul 2-D", lambda x: (A23 @ x @ A33).ravel(), shape=(3, 3)),
    Case("product", "matmul Dual Dual", lambda x: x.reshape(2, 3) @ x.reshape(3, 2)[:, ::-1]),
    Case("product", "matmul batched", lambda x: (x @ A33).ravel() + (A33 @ x).ravel() ** 2, shape=(2, 3, 3)),
    Case("product", "matmul vector-vector", lambda x: np.atleast_1d(x @ B6 + x @ x)),
    Case("product", "matmul 2-D by vector", lambda x: x @ B3 + A23 @ x[0], shape=(2, 3)),
    Case("product", "dot", lambda x: np.dot(A46, x) + np.dot(x, x) * x.dot(B6)),
    Case("product", "dot 2-D", lambda x: np.dot(x, A33).ravel() * np.dot(A33, x[:, 0]).sum(), shape=(3, 3)),
    Case("product", "vdot, inner", lambda x: np.atleast_1d(np.vdot(x, B6) + np.inner(x, x[::-1])) * x),
    Case("product", "outer", lambda x: np.outer(x[:3], x[3:] ** 2).ravel() + np.outer(B3, x[:3]).ravel()),
    Case("product", "kron", lambda x: np.kron(x[:2], x[2:5] ** 2) + np.kron(B3[:2], x[:3])),
    Case("product", "kron 2-D", lambda x: np.kron(x, np.eye(2)).ravel() + np.kron(A23[:, :2], x).ravel(), shape=(2, 2)),
    Case("product", "tensordot", lambda x: np.tensordot(x, A33, axes=([1], [0])).ravel() + np.tensordot(x, x, axes=2), shape=(3, 3)),
    Case("product", "tensordot int axes", lambda x: np.tensordot(A23, x, 1).ravel(), shape=(3, 2)),
    Case("product", "cross", lambda x: np.cross(x[:3], x[3:]) + np.cross(x[:3], B3)),
    Case("product", "einsum ij,j", lambda x: np.einsum("ij,j->i", A46, x) + np.einsum("i,i->", x, x)),
    Case("product", "einsum Dual Dual", lambda x: np.einsum("ij,jk->ik", x, x).ravel(), shape=(3, 3)),
    Case("product", "einsum trace, diag, transpose", lambda x: np.einsum("ii", x) * np.einsum("ii->i", x) + np.einsum("ij->ji", x)[0], shape=(3, 3)),
    Case("product", "einsum three operands", lambda x: np.atleast_1d(np.einsum("i,ij,j", x[:2], A23, x[3:]))),
    Case("product", "einsum batch", lambda x: np.einsum("bij,bj->bi", x, x[:, 0]).ravel(), shape=(2, 3, 3)),
    Case("product", "inner reversed (Hessian anti-diagonal)", lambda x: np.atleast_1d(np.inner(x, x[::-1]))),
    Case("product", "einsum over 80 entries (conservative pairs)", lambda x: np.atleast_1d(np.einsum("i,i", x, x[::-1])), shape=(80,), flags="sel"),
    Case("product", "outer over 80 entries", lambda x: np.outer(x[:40], x[40:]).sum(axis=1), shape=(80,)),
    Case("product", "polyval", lambda x: np.polyval(x[:3], x) + np.polyval(K5, x[::-1])),
    Case("product", "convolve constant", lambda x: np.convolve(x, K5) + np.convolve(K5, x**2)),
    Case("product", "convolve modes", lambda x: np.concatenate([np.convolve(x, K5, "same"), np.convolve(x, K5, "valid")])),
    Case("product", "convolve Dual Dual", lambda x: np.convolve(x[:3], x[3:])),
    Case("product", "correlate", lambda x: np.concatenate([np.correlate(x, K5, "full"), np.correlate(x, x[::-1] ** 2, "full")])),
    Case("product", "interp Dual queries", lambda x: np.interp(x, XP, np.sin(XP))),
    Case("product", "interp Dual values", lambda x: np.interp([0.1, 0.35, 1.2], XP, x**2), flags="sel"),
    Case("product", "interp Dual knots", lambda x: np.interp([0.5, 0.9], np.cumsum(x), XP), lo=0.1, hi=0.4, raises="numpy.interp"),
    # --- linear algebra ------------------------------------------------------------------------
    Case("linalg", "solve constant A", lambda x: np.linalg.solve(A33, x[:3] ** 2) + np.linalg.solve(A33, x[3:])),
    Case("linalg", "solve constant A, matrix b", lambda x: np.linalg.solve(A33, x).ravel(), shape=(3, 2)),
    Case("linalg", "solve Dual A", lambda x: np.linalg.solve(_spd(x), B3), shape=(9,)),
    Case("linalg", "solve Dual A block", lambda x: np.linalg.solve(np.diag(x[:3]) + np.eye(3), x[3:])),
    Case("linalg", "inv Dual", lambda x: np.linalg.inv(_spd(x)).ravel(), shape=(9,)),
    Case("linalg", "inv diagonal", lambda x: np.linalg.inv(np.diag(x)).ravel()),
    Case("linalg", "det, slogdet", lambda x: np.stack([np.linalg.det(_spd(x)), np.linalg.slogdet(_spd(x))[1]]), shape=(9,)),
    Case("linalg", "det diagonal", lambda x: np.atleast_1d(np.linalg.det(np.diag(x[:3])) * x[4])),
    Case("linalg", "cholesky", lambda x: np.linalg.cholesky(_spd(x)).ravel(), shape=(9,), flags="sel"),
    Case("linalg", "eigh, eigvalsh", lambda x: np.linalg.eigvalsh(_spd(x)) + np.abs(np.linalg.eigh(_spd(x))[1][:, 0]), shape=(9,), flags="pt"),
    Case("linalg", "eigvals, eig", lambda x: np.sort(np.real(np.linalg.eigvals(_spd(x)))), shape=(9,), flags="pt"),
    Case("linalg", "svd values", lambda x: np.linalg.svd(x.reshape(2, 3), compute_uv=False), flags="pt"),
    Case("linalg", "svd vectors", lambda x: np.abs(np.linalg.svd(x.reshape(2, 3), full_matrices=False)[2]).ravel(), flags="pt"),
    Case("linalg", "qr", lambda x: np.abs(np.linalg.qr(_spd(x))[1]).ravel(), shape=(9,), flags="sel,pt"),
    Case("linalg", "lstsq constant A", lambda x: np.linalg.lstsq(A46.T[:, :3], x, rcond=None)[0]),
    Case("linalg", "norm", lambda x: np.stack([np.linalg.norm(x), np.linalg.norm(x, 1), np.linalg.norm(x, np.inf), np.linalg.norm(x[:4], 3)]), flags="sel"),
    Case("linalg", "norm matrix, axis", lambda x: np.linalg.norm(x, axis=1) + np.linalg.norm(x, "fro"), shape=(3, 3)),
    Case("linalg", "pinv", lambda x: np.linalg.pinv(x.reshape(2, 3)).ravel()),
    Case("linalg", "matrix_power, multi_dot", lambda x: (np.linalg.matrix_power(x, 3) + np.linalg.multi_dot([A33, x, x])).ravel(), shape=(3, 3)),
    Case("linalg", "cond", lambda x: np.atleast_1d(np.linalg.cond(_spd(x))), shape=(9,)),
    Case("linalg", "matrix_rank", lambda x: x * np.linalg.matrix_rank(x.reshape(2, 3))),
    Case("linalg", "block-diagonal inverse", lambda x: np.linalg.inv(np.kron(np.eye(2), x.reshape(2, 2)) + 3 * np.eye(4)).ravel(), shape=(4,)),
    # --- FFT -----------------------------------------------------------------------------------
    Case("fft", "fft real part", lambda x: np.real(np.fft.fft(x)) + np.imag(np.fft.ifft(x**2))),
    Case("fft", "fft abs", lambda x: np.abs(np.fft.fft(x))),
    Case("fft", "rfft, irfft", lambda x: np.fft.irfft(np.fft.rfft(x) * np.arange(4)) + np.abs(np.fft.rfft(x))[:2].sum()),
    Case("fft", "fft2, ifft2", lambda x: np.real(np.fft.ifft2(np.fft.fft2(x) * A33)).ravel(), shape=(3, 3)),
    Case("fft", "fftn, rfftn, irfftn", lambda x: (np.real(np.fft.fftn(x)) + np.fft.irfftn(np.fft.rfftn(x), x.shape, axes=(0, 1))).ravel(), shape=(2, 4), flags="sel"),
    Case("fft", "rfft2, irfft2", lambda x: np.fft.irfft2(np.fft.rfft2(x**2), x.shape).ravel(), shape=(2, 4), flags="sel"),
    Case("fft", "fftshift, ifftshift", lambda x: np.fft.fftshift(x) * np.fft.ifftshift(x) ** 2),
    Case("fft", "hfft, ihfft", lambda x: np.fft.hfft(x[:4] + 0j) + np.abs(np.fft.ihfft(x)).sum()),
    Case("fft", "fft of a local diff (sparse input)", lambda x: np.real(np.fft.ifft(np.fft.fft(x) * np.fft.fft(np.array([1.0, -1, 0, 0, 0, 0])))), flags="sel"),
    # --- derivatives inside F ------------------------------------------------------------------
    Case("nesting", "sparse Jacobian of a dense gradient", lambda x: dd.gradient(_chain, x), flags="sel,h0"),
    Case("nesting", "sparse Jacobian of a chunk=1 gradient", lambda x: dd.gradient(_chain, x, chunk=1), flags="sel,h0"),
    Case("nesting", "sparsity of a sparse gradient", lambda x: dd.gradient(_chain, x, sparse=True), raises="tangents of two kinds"),
    Case("nesting", "sparsity of a sparse gradient through cumsum", lambda x: dd.gradient(_cubes, x, sparse=True), raises="tangents of two kinds"),
]
# fmt: on


def _points(case: Case, k: int, seed: int) -> list[Any]:
    rng = np.random.default_rng(seed)
    return [rng.uniform(case.lo, case.hi, case.shape).astype(case.dtype) for _ in range(k)]


def _fd_jacobian(F: Any, x: Any, m: int, h: float = 1e-6) -> Any:
    x = np.asarray(x, dtype=np.float64)
    cols = []
    for j in range(x.size):
        e = np.zeros(x.size)
        e[j] = h
        e = e.reshape(x.shape)
        hi, lo = (np.asarray(F(x + d), dtype=np.float64) for d in (e, -e))
        cols.append((hi - lo).ravel() / (2 * h))
    return np.stack(cols, axis=-1).reshape(m, x.size)


def _scalar(case: Case, m: int) -> Any:
    w = np.random.default_rng(99).uniform(0.5, 1.5, m)

    def s(x):
        y = case.F(x)
        if isinstance(y, np.ndarray) and y.dtype == object:  # an object array of Duals
            y = np.stack(list(y.ravel()))
        return np.sum(w.reshape(np.shape(y)) * np.sin(y)) if np.ndim(y) else w[0] * np.sin(y)

    return s


def _close(a: Any, b: Any, rtol: float, atol: float) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype.kind == "f" and np.allclose(a, b, rtol=rtol, atol=atol)


def _nonzero(a: Any, fd: bool) -> Any:
    return np.abs(a) > 1e-6 if fd else a != 0


def _check_jacobian(case: Case) -> None:
    F = case.F
    points = _points(case, 3, 1)
    x0 = points[0]
    n = x0.size
    value = F(x0)
    assert np.isrealobj(value), "the table's functions return real arrays"
    m = int(np.size(value))
    P = dd.sparsity(F, x0)
    assert P.shape == (m, n) and P.dtype == np.bool_
    P = P.toarray()
    f32 = case.dtype == np.float32
    fd = "fd" in case.flags  # dd.jacobian itself cannot: central differences are the reference
    rtol, atol = (1e-4, 1e-4) if f32 else ((1e-5, 1e-6) if fd else (1e-10, 1e-12))
    J0 = SparseJacobian(F, x0)
    union = np.zeros((m, n), dtype=bool)
    for i, p in enumerate(points if "pt" not in case.flags else points[:1]):
        ref = _fd_jacobian(F, p, m) if fd else np.asarray(dd.jacobian(F, p)).reshape(m, n)
        missing = _nonzero(ref, fd) & ~P
        assert not missing.any(), f"pattern misses nonzeros at {np.argwhere(missing)[:5]}"
        union |= _nonzero(ref, fd)
        sparse = J0(p) if "pt" not in case.flags else SparseJacobian(F, p)(p)
        assert sparse.shape == (m, n)
        assert _close(sparse.toarray(), ref, rtol, atol), "sparse Jacobian differs from dense"
        if i == 0:
            got = dd.jacobian(F, p, sparse=True).toarray()
            assert _close(got, ref, rtol, atol)
        if not f32 and not fd:
            diff = _fd_jacobian(F, p, m)
            assert _close(sparse.toarray(), diff, 1e-5, 1e-6), "sparse Jacobian differs from FD"
    if "sel" not in case.flags:
        assert np.array_equal(P, union), f"extra entries {np.argwhere(P & ~union)[:5]}"


def _check_scalar(case: Case) -> None:
    points = _points(case, 2, 2)
    m = int(np.size(case.F(points[0])))
    s = _scalar(case, m)
    n = points[0].size
    f32 = case.dtype == np.float32
    fd = "fd" in case.flags
    rtol, atol = (1e-4, 1e-4) if f32 else ((1e-5, 1e-6) if fd else (1e-9, 1e-11))
    HP = dd.hessian_sparsity(s, points[0]).toarray()
    assert HP.shape == (n, n) and np.array_equal(HP, HP.T)
    union = np.zeros((n, n), dtype=bool)
    H0 = SparseHessian(s, points[0])
    v = np.random.default_rng(5).normal(size=points[0].shape)
    sparse_grad = lambda y: dd.gradient(s, y, sparse=True)
    for p in points if "pt" not in case.flags else points[:1]:
        value, g = dd.value_and_grad(s, p, sparse=True)
        assert _close(value, s(p), rtol, atol)
        if fd:
            ref_g = _fd_jacobian(s, p, 1).reshape(p.shape)
            ref_hv = _fd_jacobian(sparse_grad, p, n) @ v.ravel()
            H = _fd_jacobian(sparse_grad, p, n)
        else:
            ref_g, ref_hv = dd.gradient(s, p), dd.hvp(s, p, v)
            H = np.asarray(dd.hessian(s, p)).reshape(n, n)
        assert np.shape(g) == np.shape(p)
        assert _close(g, ref_g, rtol, atol), "sparse gradient differs from dense"
        assert _close(dd.hvp(s, p, v, sparse=True), ref_hv, rtol, atol), "sparse hvp"
        missing = _nonzero(H, fd) & ~HP
        assert not missing.any(), f"Hessian pattern misses {np.argwhere(missing)[:5]}"
        union |= _nonzero(H, fd)
        sparse = H0(p) if "pt" not in case.flags else SparseHessian(s, p)(p)
        assert _close(sparse.toarray(), H, rtol, atol * 10), "sparse Hessian differs from dense"
    if "sel" not in case.flags:
        assert np.array_equal(HP, union), f"extra Hessian entries {np.argwhere(HP & ~union)[:5]}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_numpy_function_under_sparse_derivatives(case: Case) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if case.raises is not None:
            with pytest.raises(TypeError, match=case.raises):
                _check_jacobian(case)
            with pytest.raises(TypeError, match=case.raises):
                _check_scalar(case)
            return
        _check_jacobian(case)
        if "h0" not in case.flags:
            _check_scalar(case)


@pytest.mark.parametrize("f", [_chain, _cubes], ids=["chain", "cumsum"])
def test_a_dense_derivative_of_a_sparse_gradient(f):
    # vector mode over sparse tangents has no layout: a clear error (it was a zero matrix for
    # cumsum); with chunk=1 the outer derivative takes plain tangents and is exact
    x = np.linspace(0.3, 1.2, 6)
    with pytest.raises(TypeError, match="tangents of two kinds.*chunk=1"):
        dd.jacobian(lambda y: dd.gradient(f, y, sparse=True), x)
    got = dd.jacobian(lambda y: dd.gradient(f, y, sparse=True), x, chunk=1)
    assert np.allclose(got, dd.hessian(f, x), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("values", [False, True], ids=["Pattern", "SparseTangent"])
@pytest.mark.parametrize("mode", ["raise", "wrap", "clip"])
def test_take_modes_on_sparse_tangents(mode, values):
    # np.take of a sparse tangent (as F's tangents meet it: through the Dual's rule, indices
    # already normalised; directly, with mode): the rows of the entries NumPy's take picks
    t = identity((2, 3), values=values)
    for axis, idx in [(None, [7, -8, 2]), (None, 4), (1, [[4, -1], [0, 2]]), (0, [1, -1, 0])]:
        if mode == "raise":
            idx = np.take(np.arange(6 if axis is None else t.shape[axis]), idx, mode="wrap")
        got = np.take(t, idx, axis=axis, mode=mode)
        rows = np.take(np.arange(6).reshape(2, 3), idx, axis=axis, mode=mode)
        assert type(got) is type(t) and got.shape == np.shape(rows)
        assert np.array_equal(got.to_matrix().toarray(), np.eye(6)[np.ravel(rows)])
    with pytest.raises(TypeError, match="numpy.take on Duals does not support out"):
        np.take(t, [0], out=np.empty(1))


C435 = RNG.normal(size=(4, 3, 5))


@pytest.mark.parametrize(
    "F",
    [lambda x: x[:3] @ C435, lambda x: C435.transpose(0, 2, 1) @ x[:3],
     lambda x: x.reshape(2, 3) @ C435, lambda x: C435.transpose(0, 2, 1) @ x.reshape(3, 2)],
    ids=["1-D @ 3-D", "3-D @ 1-D", "2-D @ 3-D", "3-D @ 2-D"],
)  # fmt: skip
def test_matmul_with_a_constant_stack(F):
    # the pattern of a stacked matmul (it had the wrong number of rows for 1-D @ 3-D), the
    # sparse gradient and Hessian, and the compressed pass (vector mode mixed its direction
    # axis into the stack: wrong numbers, or a crash, dense dd.jacobian too) are exact
    x = np.random.default_rng(8).uniform(0.2, 1.3, 6)
    m = int(np.size(F(x)))
    fd = _fd_jacobian(F, x, m)
    assert np.array_equal(dd.sparsity(F, x).toarray(), np.abs(fd) > 1e-8)
    s = lambda y: np.sum(np.sin(F(y)))
    assert np.allclose(dd.gradient(s, x, sparse=True), _fd_jacobian(s, x, 1)[0], atol=1e-6)
    H = _fd_jacobian(lambda y: dd.gradient(s, y, sparse=True), x, 6)
    assert np.allclose(dd.hessian(s, x, sparse=True).toarray(), H, atol=1e-5)
    assert not ((np.abs(H) > 1e-6) & ~dd.hessian_sparsity(s, x).toarray()).any()
    assert np.allclose(SparseJacobian(F, x)(x).toarray(), fd, atol=1e-7)
    assert np.allclose(dd.jacobian(F, x).reshape(m, 6), fd, atol=1e-7)


def test_the_table_covers_each_family():
    families = {c.family for c in CASES}
    assert {
        "ufunc",
        "shape",
        "index",
        "assign",
        "reduce",
        "product",
        "linalg",
        "fft",
        "nesting",
    } <= families
    assert len({c.id for c in CASES}) == len(CASES), "case names are unique"
    assert all(re.fullmatch(r"(sel|pt|fd|h0|,)*", c.flags) for c in CASES)
