"""dualdiff: forward-mode automatic differentiation with dual numbers.

>>> import dualdiff as dd
>>> @dd.derivative
... def f(x):
...     return x**2 * dd.sin(x)
>>> round(f.prime(1.5), 12)        # 2x sin x + x² cos x
3.151643663564
"""

from . import arrayfuncs as _arrayfuncs  # noqa: F401  (registers the NumPy functions)
from .api import Derivative, derivative
from .debug import check_finite
from .directions import Directions
from .dual import Dual, new_tag
from .errors import DomainError, NonFiniteError
from .multivariate import gradient, hessian, jacobian, jvp
from .rules import (
    FUNCTIONS,
    RULES,
    Domain,
    Rule,
    abs,
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctan2,
    arctanh,
    cbrt,
    cos,
    cosh,
    exp,
    exp2,
    expit,
    expm1,
    fmax,
    fmin,
    hypot,
    ln,
    log,
    log1p,
    log2,
    log10,
    logaddexp,
    maximum,
    minimum,
    register,
    sign,
    sin,
    sinh,
    sqrt,
    square,
    tan,
    tanh,
)
from .validate import ValidationReport, validate

asin, acos, atan, atan2 = arcsin, arccos, arctan, arctan2
asinh, acosh, atanh = arcsinh, arccosh, arctanh
sigmoid = expit
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
    "abs",
    "acos",
    "acosh",
    "arccos",
    "arccosh",
    "arcsin",
    "arcsinh",
    "arctan",
    "arctan2",
    "arctanh",
    "asin",
    "asinh",
    "atan",
    "atan2",
    "atanh",
    "cbrt",
    "check_finite",
    "cos",
    "cosh",
    "derivative",
    "e",
    "exp",
    "exp2",
    "expit",
    "expm1",
    "fmax",
    "fmin",
    "gradient",
    "hessian",
    "hypot",
    "jacobian",
    "jvp",
    "ln",
    "log",
    "log1p",
    "log2",
    "log10",
    "logaddexp",
    "maximum",
    "minimum",
    "new_tag",
    "pi",
    "register",
    "sigmoid",
    "sign",
    "sin",
    "sinh",
    "sqrt",
    "square",
    "tan",
    "tanh",
    "validate",
]  # fmt: skip
