"""docs/numpy.md lists exactly the NumPy functions that have rules."""

from __future__ import annotations

import pathlib

import numpy as np

from dualdiff import catalog

PAGE = pathlib.Path(__file__).resolve().parent.parent / "docs" / "numpy.md"


def test_the_docs_page_is_current():
    text = PAGE.read_text()
    start = text.index("-->\n", text.index("<!-- catalog:")) + 4
    shown = text[start : text.index("<!-- end catalog -->")]
    assert shown == catalog.markdown(), f"paste into docs/numpy.md:\n{catalog.markdown()}"


def test_names_are_public_names():
    funcs = catalog.supported_functions()
    assert "numpy.linalg.solve" in funcs and "numpy.einsum" in funcs
    assert not any("._" in n for n in funcs)
    assert "numpy.add.reduce" in catalog.supported_ufuncs()
    # every listed name resolves to the function it names
    for name in funcs:
        obj = np
        for part in name.split(".")[1:]:
            obj = getattr(obj, part)
        assert callable(obj), name


SCIPY_PAGE = PAGE.parent / "scipy.md"


def test_the_scipy_page_is_current():
    text = SCIPY_PAGE.read_text()
    start = text.index("-->\n", text.index("<!-- catalog:")) + 4
    shown = text[start : text.index("<!-- end catalog -->")]
    assert shown == catalog.scipy_markdown(), (
        f"paste into docs/scipy.md:\n{catalog.scipy_markdown()}"
    )
