"""SciPy on Duals, mirroring SciPy's own layout (as ``jax.scipy`` does).

* ``scipy.special``'s ufuncs (``gammaln``, ``digamma``, ``erf``, ``jv`` ...) take Duals directly:
  their rows live in :mod:`dualdiff.scipy.special` and load the first time a SciPy ufunc meets a
  Dual (or when that module is imported). The same module has ``logsumexp``, ``softmax`` and
  ``log_softmax``.
* Functions that SciPy itself cannot run on a Dual (they call ``np.asarray``) are provided under
  the same name and signature: :mod:`dualdiff.scipy.linalg`, :mod:`dualdiff.scipy.integrate`,
  :mod:`dualdiff.scipy.signal`; the error from SciPy's own version names the replacement.
* :mod:`dualdiff.scipy.stats`: distributions with ``scipy.stats``' signatures, differentiable in
  x and in their parameters.

All of it needs SciPy (``pip install "dualdiff-ad[scipy]"``); dualdiff's core does not.
"""

from __future__ import annotations

try:
    import scipy as _scipy  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised by tests/test_without_scipy.py
    raise ImportError('dualdiff.scipy needs SciPy: pip install "dualdiff-ad[scipy]"') from exc
