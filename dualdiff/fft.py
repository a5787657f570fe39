"""``numpy.fft`` on Duals: every transform is linear (over the reals at least), so the tangent
goes through the same transform as the value.

``fft``, ``ifft``, ``fft2``, ``ifft2``, ``fftn``, ``ifftn`` (complex to complex), ``rfft``,
``rfft2``, ``rfftn``, ``ihfft`` (real to complex: a real Dual gives a complex one), ``irfft``,
``irfft2``, ``irfftn``, ``hfft`` (Hermitian to real; R-linear, as their derivative is), and
``fftshift``/``ifftshift``. NumPy computes them in complex128 (complex64 for single precision);
Duals of mpf or mpc are refused rather than rounded.

>>> import numpy as np, dualdiff as dd
>>> x = dd.Dual(np.array([1.0, 2.0, 0.0, 0.0]), np.array([1.0, 0.0, 0.0, 0.0]))
>>> np.fft.rfft(x).tangent          # the transform of the tangent: e_0 -> all ones
array([1.+0.j, 1.+0.j, 1.+0.j])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .arrayfuncs import implements, linear
from .dual import ARRAY_FUNCTIONS, Dual
from .kinds import base_value, is_complex, is_mpf

__all__ = ["TRANSFORMS"]

_fft = np.fft
#: the transforms, by the kind of input they take ("real": a complex Dual is refused, since
#: NumPy would drop its imaginary part)
TRANSFORMS: dict[Any, str] = {
    **dict.fromkeys((_fft.fft, _fft.ifft, _fft.fft2, _fft.ifft2, _fft.fftn, _fft.ifftn), "any"),
    **dict.fromkeys((_fft.irfft, _fft.irfft2, _fft.irfftn, _fft.hfft), "any"),
    **dict.fromkeys((_fft.rfft, _fft.rfft2, _fft.rfftn, _fft.ihfft), "real"),
}  # fmt: skip

linear(*TRANSFORMS, _fft.fftshift, _fft.ifftshift)


def _checked(func: Any, kind: str) -> Any:
    impl = ARRAY_FUNCTIONS[func]
    name = f"numpy.fft.{func.__name__}"

    def transform(a: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(a, Dual):
            raise TypeError(f"{name} on Duals needs the array to transform to be the Dual")
        if is_mpf(a):
            raise TypeError(
                f"{name} computes in complex128, which would round mpf/mpc numbers: transform "
                "the values at float precision (or write the DFT with mpmath)"
            )
        if kind == "real" and is_complex(a):
            raise TypeError(
                f"{name} takes a real array and would drop the imaginary part of a complex Dual "
                f"(of {np.result_type(base_value(a))}): use numpy.fft."
                f"{func.__name__.replace('ih', 'i').replace('r', '')} for complex input"
            )
        return impl(a, *args, **kwargs)

    return transform


for _f, _kind in TRANSFORMS.items():
    implements(_f)(_checked(_f, _kind))
