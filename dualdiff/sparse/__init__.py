"""Sparse derivatives: sparsity patterns, colourings and compressed seeding (issue 15).

Needs SciPy (the ``scipy`` extra): the results are ``scipy.sparse`` matrices.

>>> import numpy as np, dualdiff as dd
>>> F = lambda x: x[1:] ** 2 - x[:-1]
>>> dd.sparsity(F, np.ones(4)).toarray().astype(int)
array([[1, 1, 0, 0],
       [0, 1, 1, 0],
       [0, 0, 1, 1]])
>>> dd.jacobian(F, np.arange(4.0), sparse=True).toarray()
array([[-1.,  2.,  0.,  0.],
       [ 0., -1.,  4.,  0.],
       [ 0.,  0., -1.,  6.]])
"""

try:
    import scipy.sparse  # noqa: F401
except ImportError as exc:
    raise ImportError(
        "dualdiff.sparse (dd.sparsity, jacobian(sparse=True), ...) needs SciPy: its results are "
        'scipy.sparse matrices; pip install "dualdiff-ad[scipy]"'
    ) from exc

from .coloring import column_coloring, star_coloring
from .derivatives import SparseHessian, SparseJacobian, hessian_sparsity, ivp_jacobian, sparsity
from .pattern import Pattern

__all__ = [
    "Pattern",
    "SparseHessian",
    "SparseJacobian",
    "column_coloring",
    "hessian_sparsity",
    "ivp_jacobian",
    "sparsity",
    "star_coloring",
]
