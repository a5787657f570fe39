"""Build the optional compiled core; everything else is configured in pyproject.toml."""

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class BuildExt(build_ext):
    """The core must give the bits Python's float arithmetic gives: every product and sum
    rounded on its own (no fused multiply-add, which GCC emits by default where the CPU has one,
    as on ARM64) and no fast-math reordering."""

    def build_extensions(self) -> None:
        if self.compiler.compiler_type != "msvc":  # MSVC neither contracts nor reorders by default
            for ext in self.extensions:
                ext.extra_compile_args = [*ext.extra_compile_args, "-ffp-contract=off"]
        super().build_extensions()


def extensions() -> list[Extension]:
    """Both optional: where one cannot be compiled, dualdiff runs without it (the same rules in
    pure Python; NumPy's own allocator in the derivative passes)."""
    exts = [Extension("dualdiff._speedups", ["dualdiff/_speedups.c"], optional=True)]
    try:
        import numpy  # a build requirement (pyproject.toml), for the memory pool's headers
    except ImportError:
        return exts
    pool = Extension(
        "dualdiff._pool", ["dualdiff/_pool.c"], include_dirs=[numpy.get_include()], optional=True
    )
    return [*exts, pool]


setup(
    ext_modules=extensions(),
    cmdclass={"build_ext": BuildExt},
)
