"""Names deprecated in 0.2.0: each still answers until 0.3.0, with a :class:`DeprecationWarning`
saying what to use instead, so that code written for 0.1 keeps running while it is updated."""

from __future__ import annotations

import importlib
import sys
import warnings
from collections.abc import Callable
from typing import Any

__all__ = ["moved_module", "warn"]


def warn(old: str, new: str, *, stacklevel: int = 3) -> None:
    """Warn that ``old`` is deprecated in favour of ``new``; ``stacklevel`` 3 names the caller of
    the function that calls this (the user's line)."""
    warnings.warn(
        f"{old} is deprecated since 0.2.0 and goes in 0.3.0: use {new}",
        DeprecationWarning,
        stacklevel=stacklevel,
    )


def moved_module(old: str, new: str) -> Callable[[str], Any]:
    """The ``__getattr__`` of a module kept at its old path ``old``: every name is read from ``new``
    with a warning that says where it lives now (``wingspan_nb.X`` for what the package exports)."""

    def __getattr__(name: str) -> Any:
        if name.startswith("__"):  # the import system's probes (__path__, ...): not a user's name
            raise AttributeError(f"module {old!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(new), name, _MISSING)
        if value is _MISSING:
            raise AttributeError(f"module {old!r} has no attribute {name!r}")
        package = sys.modules.get("wingspan_nb")
        exported = name in getattr(package, "__all__", ())
        instead = f"wingspan_nb.{name}" if exported else f"{new}.{name}, which is internal and may change"
        warn(f"{old}.{name}", instead)
        return value

    return __getattr__


_MISSING = object()
