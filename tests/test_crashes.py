"""Nothing crashes the interpreter: uninitialised Duals, the bare storage type, deep nesting.

Each case runs in a subprocess, so a segfault fails one test instead of ending the test run. The
uninitialised cases also run in both modes (compiled core and pure Python), which must say the
same thing.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import textwrap

import pytest

import dualdiff.dual

HERE = pathlib.Path(__file__).resolve().parent
COMPILED = dualdiff.dual.speedups is not None


def run_script(code: str, pure: bool = False, timeout: float = 120) -> list[str]:
    """Run ``code`` in a fresh interpreter; its output lines (a crash fails the test)."""
    env = dict(os.environ)
    env.pop("DUALDIFF_PURE_PYTHON", None)
    if pure:
        env["DUALDIFF_PURE_PYTHON"] = "1"
    env["PYTHONPATH"] = os.pathsep.join([str(HERE.parent), env.get("PYTHONPATH", "")])
    proc = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", textwrap.dedent(code)],
        env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    assert proc.returncode == 0, (
        f"the interpreter died (return code {proc.returncode}):\n"
        f"--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}"
    )
    return proc.stdout.splitlines()


UNINITIALISED = """
    import numpy as np
    from dualdiff import Dual

    def new():
        return Dual.__new__(Dual)  # no __init__: no value, tangent or tag

    x = Dual(1.5, 1.0)
    cases = {
        "d + 1.0": lambda: new() + 1.0, "1.0 + d": lambda: 1.0 + new(),
        "d + 1": lambda: new() + 1, "d - 1.0": lambda: new() - 1.0, "1.0 - d": lambda: 1.0 - new(),
        "d * 2.0": lambda: new() * 2.0, "2.0 * d": lambda: 2.0 * new(),
        "d / 2.0": lambda: new() / 2.0, "2.0 / d": lambda: 2.0 / new(),
        "d ** 2": lambda: new() ** 2, "d ** 0.5": lambda: new() ** 0.5,
        "2.0 ** d": lambda: 2.0 ** new(), "-d": lambda: -new(), "d + d": lambda: new() + new(),
        "d * x": lambda: new() * x, "x * d": lambda: x * new(), "x / d": lambda: x / new(),
        "x ** d": lambda: x ** new(), "d ** x": lambda: new() ** x,
        "d + float64": lambda: new() + np.float64(1.0), "repr(d)": lambda: repr(new()),
    }
    for name, f in cases.items():
        try:
            print(name, "->", repr(f()))
        except Exception as exc:
            print(name, "raised", type(exc).__name__, exc)
"""


def test_uninitialised_duals_raise_the_same_error_in_both_modes():
    lines = run_script(UNINITIALISED)
    assert len(lines) == 21
    kinds = [line.split(" raised ")[1].split(" ")[0] for line in lines if " raised " in line]
    assert kinds == ["AttributeError"] * 21, lines  # a clear error naming a missing field
    assert all("has no attribute '_" in line for line in lines), lines
    if COMPILED:
        pure = run_script(UNINITIALISED, pure=True)
        assert [p.split(" raised ")[1].split(" ")[0] for p in pure] == kinds


@pytest.mark.skipif(not COMPILED, reason="the storage type is part of the compiled core")
def test_the_storage_type_cannot_be_made_bare():
    lines = run_script(
        """
        from dualdiff._speedups import DualBase
        for make in (lambda: DualBase(), lambda: DualBase.__new__(DualBase)):
            try:
                d = make()
            except TypeError as exc:
                print("TypeError", exc)
            else:
                print("made", -d)

        class Storage(DualBase):  # a subclass can be made, and has no fields yet
            pass

        s = Storage()
        for name, f in (("-s", lambda: -s), ("s + 1.0", lambda: s + 1.0),
                        ("2.0 ** s", lambda: 2.0 ** s), ("s * s", lambda: s * s)):
            try:
                print(name, f())
            except Exception as exc:
                print(name, type(exc).__name__)
        """
    )
    assert (
        lines[:2]
        == [
            "TypeError DualBase is the storage of dualdiff.Dual and cannot be made directly: "
            "use dualdiff.Dual(value, tangent)"
        ]
        * 2
    )
    assert lines[2:] == ["-s AttributeError", "s + 1.0 TypeError", "2.0 ** s TypeError",
                         "s * s TypeError"]  # fmt: skip


DEEP = """
    import copy, gc, pickle, sys
    import numpy as np
    import dualdiff as dd
    from dualdiff.dual import make

    N = 100_000

    def nest(through="value"):
        d = 1.0
        for _ in range(N):
            d = make(d, 1.0, 0) if through == "value" else make(1.0, d, 0)
        return d

    d, e = nest(), nest("tangent")
    x = dd.Dual(0.5, 1.0)
    cases = {
        "d + 1.0": lambda: d + 1.0, "1.0 + d": lambda: 1.0 + d, "d - d": lambda: d - d,
        "d * d": lambda: d * d, "2.0 * d": lambda: 2.0 * d, "d / 3.0": lambda: d / 3.0,
        "1.0 / d": lambda: 1.0 / d, "d ** 2": lambda: d ** 2, "d ** 3": lambda: d ** 3,
        "d ** 0.5": lambda: d ** 0.5, "2.0 ** d": lambda: 2.0 ** d, "d ** d": lambda: d ** d,
        "-d": lambda: -d, "x * d": lambda: x * d, "e * e": lambda: e * e, "-e": lambda: -e,
        "e + 1.0": lambda: e + 1.0, "sin(d)": lambda: dd.sin(d), "repr(d)": lambda: repr(d),
        "repr(e)": lambda: repr(e), "str(d)": lambda: str(d), "d == d": lambda: d == d,
        "pickle": lambda: pickle.dumps(d), "deepcopy": lambda: copy.deepcopy(d),
        "copy": lambda: copy.copy(d),
    }
    for name, f in cases.items():
        try:
            f()
            print(name, "ok")
        except RecursionError:
            print(name, "RecursionError")
        except Exception as exc:
            print(name, type(exc).__name__, exc)
    gc.collect()
    del d, e, cases
    gc.collect()
    deep = [nest() for _ in range(3)]  # freed at exit, with the interpreter
    print("freed")
"""


@pytest.mark.parametrize("pure", [False, True], ids=["compiled", "pure"])
def test_deeply_nested_duals_do_not_crash(pure):
    if not pure and not COMPILED:
        pytest.skip("the compiled core is not built")
    lines = run_script(DEEP, pure=pure)
    assert lines[-1] == "freed"
    for line in lines[:-1]:
        assert line.endswith((" ok", " RecursionError")), line
    assert len(lines) == 26
