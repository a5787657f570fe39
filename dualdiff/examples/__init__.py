"""Worked examples built on dualdiff's public API (used by the notebooks and the tests)."""
