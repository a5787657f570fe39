"""The core needs only NumPy and mpmath: with SciPy made unimportable, dualdiff imports, every
core row and the command line work, and dualdiff.scipy says what to install."""

from __future__ import annotations

import subprocess
import sys

BLOCK_SCIPY = """
import importlib.abc, sys

class NoScipy(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "scipy" or name.startswith("scipy."):
            raise ImportError(f"No module named {name!r} (blocked by the test)")
        return None

sys.meta_path.insert(0, NoScipy())
"""

PROGRAM = """
import math
import numpy as np
import dualdiff as dd

f = dd.derivative(lambda x: dd.sin(x) * dd.exp(x) + np.tanh(x) ** 2)
assert abs(f.prime(0.5) - (math.cos(0.5) + math.sin(0.5)) * math.exp(0.5)
           - 2 * math.tanh(0.5) / math.cosh(0.5) ** 2) < 1e-14
assert dd.hessian(lambda v: v @ v, np.ones(3)).tolist() == (2 * np.eye(3)).tolist()
for rule in dd.RULES.values():  # every core row, at a point of its domain
    x = rule.domain.sample(3)[0]
    if rule.arity == 1:
        dd.derivative(rule.fn).prime(x)
from dualdiff.cli import main
assert main(["sin(x)*x", "--at", "1.0"]) == 0
try:
    import dualdiff.scipy
except ImportError as exc:
    assert "pip install" in str(exc) and "dualdiff-ad[scipy]" in str(exc), exc
else:
    raise AssertionError("dualdiff.scipy imported without SciPy")
for use in (lambda: dd.sparsity(np.sin, np.ones(3)),
            lambda: dd.jacobian(np.sin, np.ones(3), sparse=True)):
    try:
        use()
    except ImportError as exc:
        assert "pip install" in str(exc) and "dualdiff-ad[scipy]" in str(exc), exc
    else:
        raise AssertionError("sparse derivatives ran without SciPy")
assert not any(m == "scipy" or m.startswith("scipy.") for m in sys.modules)
print("ok")
"""


def test_the_core_works_without_scipy():
    out = subprocess.run(
        [sys.executable, "-c", BLOCK_SCIPY + "\nimport sys\n" + PROGRAM],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0 and out.stdout.strip().endswith("ok"), out.stderr
