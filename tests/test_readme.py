"""The README's Python examples run, and the numbers it shows in comments are right."""

from __future__ import annotations

import math
import pathlib
import re
import subprocess
import sys

import mpmath
import numpy as np
import pytest

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"


def blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_python_blocks_run():
    import dualdiff as dd

    ns: dict = {"__name__": "__main__"}
    try:
        for code in blocks():
            if "LocalCluster" in code:  # the cluster example: run small, without a cluster
                code = code.replace(
                    'Client(LocalCluster(n_workers=2, threads_per_worker=1, memory_limit="2GiB"))',
                    "None",
                )
                code = code.replace("100_000_000", "1_000").replace("1_000_000", "100")
            exec(compile(code, str(README), "exec"), ns)  # our own README
    finally:  # the README registers an example function: leave the table as it was
        if "softplus" in dd.RULES:
            dd.unregister("softplus")
    f, g = ns["f"], ns["g"]
    # the values quoted in the README's comments, checked against mpmath
    with mpmath.workdps(40):
        ref1 = mpmath.diff(lambda t: t**2 * mpmath.sin(t), mpmath.mpf(1.5))
        ref2 = mpmath.diff(lambda t: t**2 * mpmath.sin(t), mpmath.mpf(1.5), 2)
    assert repr(f.prime(1.5)) == "3.151643663564495" == repr(float(ref1))
    assert abs(f.prime.prime(1.5) - float(ref2)) < 1e-14
    assert repr(f(1.5)) == "2.2443637198591224"
    assert g.grad(1.0, 2.0) == (2.0 + math.cos(1.0), 1.0)
    assert g.partial(0).partial(1)(1.0, 2.0) == 1.0
    assert "softplus" in ns and ns["softplus"](0.0) == math.log(2.0)
    assert ns["fp"].shape == (1_000,) and type(ns["fp"]).__module__.startswith("dask")


def test_docs_examples_run():
    docs = README.parent / "docs"
    for page in sorted(docs.glob("*.md")):
        for code in re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.S):
            exec(compile(code, str(page), "exec"), {})


@pytest.mark.slow
def test_readme_dask_example_runs_as_a_script(tmp_path):
    """Pasted into a file and run, the cluster example works (worker processes re-import it)."""
    (code,) = [c for c in blocks() if "LocalCluster" in c]
    code = code.replace("100_000_000", "20_000").replace("1_000_000", "5_000")
    script = tmp_path / "example.py"
    script.write_text(code)
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    total = float(done.stdout.split()[0])
    xs = np.linspace(0.01, 3.0, 20_000)
    assert total == pytest.approx(
        float(np.sum(2 * xs * np.sin(xs) + xs**2 * np.cos(xs))), rel=1e-12
    )


def test_readme_lists_exactly_the_rule_table():
    """Adding a row to the table is the only edit: this says what to paste into the README."""
    from dualdiff.rules import listing

    text = README.read_text()
    start = text.index("-->\n", text.index("<!-- functions:")) + 4
    shown = text[start : text.index("\n<!-- end functions -->")]
    assert shown == listing(), f"paste into README.md:\n{listing()}"
