"""dualdiff: forward-mode automatic differentiation with dual numbers.

>>> import dualdiff as dd
>>> @dd.derivative
... def f(x):
...     return x**2 * dd.sin(x)
>>> round(f.prime(1.5), 12)        # 2x sin x + x² cos x
3.151643663564
"""

from . import arithmetic as _arithmetic
from . import arrayfuncs as _arrayfuncs  # noqa: F401  (registers the NumPy functions)
from . import fastpaths as _fastpaths
from . import fft as _fft  # noqa: F401  (registers numpy.fft)
from . import linalg as _linalg  # noqa: F401  (registers numpy.linalg)
from . import products as _products  # noqa: F401  (registers einsum, kron, interp, ...)
from . import reductions as _reductions  # noqa: F401  (registers medians, nansum, ...)
from . import structure as _structure  # noqa: F401  (registers flips, pads, stacks, ...)
from . import ufuncs as _ufuncs  # noqa: F401  (registers operators, predicates, ufunc methods)
from .api import Derivative, derivative
from .debug import check_finite
from .directions import Directions
from .dual import Dual, new_tag
from .errors import DomainError, NonFiniteError
from .multivariate import (
    gradient,
    hessian,
    hvp,
    jacobian,
    jvp,
    value_and_grad,
    value_and_jacobian,
)
from .rules import FUNCTIONS, RULES, Domain, Rule, register, unregister
from .validate import ValidationReport, validate

#: names served by dualdiff.sparse (which needs SciPy), imported on first use
_SPARSE = ("SparseHessian", "SparseJacobian", "hessian_sparsity", "sparsity")


def __getattr__(name: str) -> object:
    if name in _SPARSE or name == "sparse":
        import importlib  # (not `from . import sparse`: that asks this function again on failure)

        sparse = importlib.import_module("dualdiff.sparse")
        return sparse if name == "sparse" else getattr(sparse, name)
    raise AttributeError(f"module 'dualdiff' has no attribute {name!r}")


if _arithmetic.speedups is None:  # no compiled core: the same shortcuts in Python
    _fastpaths.install(Dual)

# every row of the rule table, and every alias, is a public function: one row adds one name
globals().update(FUNCTIONS)
pi = 3.141592653589793
e = 2.718281828459045

__version__ = "0.1.0"

__all__ = [
    "FUNCTIONS",
    "RULES",
    "Derivative",
    "Directions",
    "Domain",
    "DomainError",
    "Dual",
    "NonFiniteError",
    "Rule",
    "ValidationReport",
    "check_finite",
    "derivative",
    "e",
    "gradient",
    "hessian",
    "hvp",
    "jacobian",
    "jvp",
    "new_tag",
    "pi",
    "register",
    "unregister",
    "value_and_grad",
    "value_and_jacobian",
    "validate",
    *FUNCTIONS,
]
