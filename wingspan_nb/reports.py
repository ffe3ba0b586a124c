"""Deprecated since 0.2.0, removed in 0.3.0: this module is private now (``wingspan_nb._reports``).
Import what users need from ``wingspan_nb`` itself; each name read here still answers, with a
:class:`DeprecationWarning` saying where it lives now."""

from ._deprecated import moved_module

__getattr__ = moved_module(__name__, "wingspan_nb._reports")
