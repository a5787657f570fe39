"""The compiled core (dualdiff/_speedups.c) against the pure-Python arithmetic: same numbers,
to the last bit, and the same errors."""

from __future__ import annotations

import copy
import math
import multiprocessing
import os
import pathlib
import pickle
import subprocess
import sys

import mpmath
import numpy as np
import pytest

import dualdiff as dd
import dualdiff.dual
from dualdiff import Dual
from dualdiff.directions import Directions
from tests import battery
from tests.test_differential import key

HERE = pathlib.Path(__file__).resolve().parent


def test_compiled_core_is_in_use():
    """CI installs with a compiler, so the fast path must be the one under test here."""
    if os.environ.get("DUALDIFF_PURE_PYTHON"):
        assert dualdiff.dual.speedups is None
    else:
        assert dualdiff.dual.speedups is not None, "dualdiff/_speedups.c was not built"
        assert type(dualdiff.Dual(1.0, 1.0)).__mro__[1].__name__ == "DualBase"


def _env(pure: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DUALDIFF_PURE_PYTHON", None)
    if pure:
        env["DUALDIFF_PURE_PYTHON"] = "1"
    env["PYTHONPATH"] = os.pathsep.join([str(HERE.parent), env.get("PYTHONPATH", "")])
    return env


def test_compiled_and_pure_python_agree_bit_for_bit():
    pure = subprocess.run(
        [sys.executable, str(HERE / "battery.py")], env=_env(pure=True), capture_output=True,
        text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    here = battery.lines()
    assert len(here) == len(pure) > 20
    for a, b in zip(here, pure, strict=True):
        assert a == b


# --- pickle, copy, deepcopy, multiprocessing -----------------------------------------------------


def _duals() -> dict[str, Dual]:
    inner = Dual(0.5, 1.0, tag=3)
    return {
        "float": Dual(0.7, -1.25),
        "specials": Dual(-0.0, math.nan),
        "tagged": Dual(2.0, math.inf, tag=7),
        "array": Dual(np.array([0.5, -0.0, 1e300]), np.array([1.0, 2.0, math.nan])),
        "mpf": Dual(mpmath.mpf(1) / 3, mpmath.mpf("1e-40")),
        "nested": Dual(inner, Dual(1.0, 0.0, tag=3), tag=4),
        "directions": Dual(np.array([1.0, 2.0]), Directions(np.eye(2))),
    }


@pytest.mark.parametrize("kind", list(_duals()))
def test_pickle_copy_and_deepcopy_keep_every_field(kind):
    d = _duals()[kind]
    lowest = 2 if kind == "directions" else 0  # Directions (__slots__) needs protocol 2
    for protocol in range(lowest, pickle.HIGHEST_PROTOCOL + 1):
        assert key(pickle.loads(pickle.dumps(d, protocol))) == key(d)
    shallow, deep = copy.copy(d), copy.deepcopy(d)
    assert type(shallow) is type(deep) is Dual
    assert key(shallow) == key(deep) == key(d)
    assert shallow._v is d._v and shallow._t is d._t  # a shallow copy shares the parts
    if kind in ("array", "nested", "directions"):
        assert deep._v is not d._v and deep._t is not d._t


def test_a_pickle_loads_in_the_other_mode():
    """Pickles name dualdiff.dual._restore, not the storage: the two modes read each other's."""
    other = not os.environ.get("DUALDIFF_PURE_PYTHON")
    code = (
        "import pickle, sys; from tests.test_speedups import _duals; "
        "sys.stdout.buffer.write(pickle.dumps(_duals()))"
    )
    made_there = subprocess.run(
        [sys.executable, "-c", code], env=_env(pure=other), capture_output=True, check=True
    ).stdout
    here = _duals()
    there = pickle.loads(made_there)
    assert {k: key(v) for k, v in there.items()} == {k: key(v) for k, v in here.items()}
    code = (
        "import pickle, sys; from tests.test_speedups import _duals, key; "
        "d = pickle.load(sys.stdin.buffer); "
        "print(all(key(v) == key(_duals()[k]) for k, v in d.items()))"
    )
    back = subprocess.run(
        [sys.executable, "-c", code], env=_env(pure=other), input=pickle.dumps(here),
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    assert back.strip() == b"True"


def _in_a_worker(d: Dual) -> Dual:
    return d * d + dd.sin(d)


def test_multiprocessing_sends_duals_to_a_worker_and_back():
    ds = [Dual(0.7, 1.0), Dual(np.linspace(0, 1, 3), 1.0), Dual(Dual(0.5, 1.0, tag=1), 1.0, tag=2)]
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        got = pool.map(_in_a_worker, ds)
    assert [key(g) for g in got] == [key(_in_a_worker(d)) for d in ds]
