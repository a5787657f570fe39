"""The compiled core (dualdiff/_speedups.c) against the pure-Python arithmetic: same numbers,
to the last bit, and the same errors."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import dualdiff.dual
from tests import battery

HERE = pathlib.Path(__file__).resolve().parent


def test_compiled_core_is_in_use():
    """CI installs with a compiler, so the fast path must be the one under test here."""
    if os.environ.get("DUALDIFF_PURE_PYTHON"):
        assert dualdiff.dual._speedups is None
    else:
        assert dualdiff.dual._speedups is not None, "dualdiff/_speedups.c was not built"
        assert type(dualdiff.Dual(1.0, 1.0)).__mro__[1].__name__ == "DualBase"


def test_compiled_and_pure_python_agree_bit_for_bit():
    env = dict(os.environ, DUALDIFF_PURE_PYTHON="1")
    env["PYTHONPATH"] = os.pathsep.join([str(HERE.parent), env.get("PYTHONPATH", "")])
    pure = subprocess.run(
        [sys.executable, str(HERE / "battery.py")], env=env, capture_output=True, text=True,
        check=True,
    ).stdout.splitlines()  # fmt: skip
    here = battery.lines()
    assert len(here) == len(pure) > 20
    for a, b in zip(here, pure, strict=True):
        assert a == b
