"""The notebooks execute top to bottom (with a real Jupyter kernel), show their figures, and
their checks against mpmath pass. A notebook that breaks fails CI."""

from __future__ import annotations

import pathlib
import re
import time

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent / "notebooks"
FIGURES = {
    "01_rules": 9,
    "02_gradients": 2,
    "03_neural_network": 2,
    "04_precision": 1,
    "05_statistics": 0,
    "06_scipy": 0,
    "07_sparse": 2,
}


def test_the_notebooks_exist():
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == sorted(FIGURES)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_notebook_is_stored_with_outputs_and_labelled_figures(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), "not stored as executed top to bottom"
    stored = sum("image/png" in o.get("data", {}) for c in code for o in c.outputs)
    assert stored == FIGURES[name]
    assert not any(o.output_type == "error" for c in code for o in c.outputs)
    for c in code:  # every figure has a title, labelled axes and a legend
        if "plt.subplots" in c.source:
            for call in ("set_title", "set_xlabel", "set_ylabel", "legend("):
                assert call in c.source, (name, call)
    assert "import dualdiff as dd" in nb.cells[1].source
    private = re.findall(r"dd\._\w+|dualdiff\.\w+\._", "\n".join(c.source for c in code))
    assert not private, f"{name} uses private names: {private}"


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_notebook_executes(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs = []
    t0 = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()  # fmt: skip
    print(f"{name}: executed in {time.perf_counter() - t0:.1f} s")
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert sum("image/png" in o.get("data", {}) for o in outputs) == FIGURES[name]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "ok=False" not in text and "FAILED" not in text and "FAIL " not in text
