"""Each model's (un)structuring function, compiled once per class on first use (``_codegen``) and
then installed on the class, so that later calls go straight to it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ._base import WireModel
from ._codegen import compile_structure, compile_unstructure

_STRUCTURE: dict[type[WireModel], Callable[[Any, bool], Any]] = {}
_UNSTRUCTURE: dict[type[WireModel], Callable[[Any], dict[str, Any]]] = {}
_BUILDING = threading.RLock()


def _resolve(direction: str, cls: type[WireModel]) -> Callable[..., Any]:
    return structure_fn(cls) if direction == "structure" else unstructure_fn(cls)


def structure_fn(cls: type[WireModel]) -> Callable[[Any, bool], Any]:
    """The structuring function of ``cls``, compiled on first use and installed on the class."""
    fn = _STRUCTURE.get(cls)
    if fn is None:
        with _BUILDING:
            fn = _STRUCTURE.get(cls)
            if fn is None:
                fn = _STRUCTURE[cls] = compile_structure(cls, _resolve)
                cls._wire_structure = staticmethod(fn)
    return fn


def unstructure_fn(cls: type[WireModel]) -> Callable[[Any], dict[str, Any]]:
    """The unstructuring function of ``cls`` (see :func:`structure_fn`)."""
    fn = _UNSTRUCTURE.get(cls)
    if fn is None:
        with _BUILDING:
            fn = _UNSTRUCTURE.get(cls)
            if fn is None:
                fn = _UNSTRUCTURE[cls] = compile_unstructure(cls, _resolve)
                cls._wire_unstructure = fn
    return fn
