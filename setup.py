"""Build the optional compiled core; everything else is configured in pyproject.toml."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        # optional: where it cannot be compiled, dualdiff runs the same rules in pure Python
        Extension("dualdiff._speedups", ["dualdiff/_speedups.c"], optional=True),
    ]
)
