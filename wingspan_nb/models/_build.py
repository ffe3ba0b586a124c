"""Each model's (un)structuring function, found once per class: the emitted one from
``_generated.py`` while its fingerprint matches the class, else generated here (with one warning for
the package's own models: ``_generated.py`` is out of date)."""

from __future__ import annotations

import threading
import typing
import warnings
from collections.abc import Callable
from typing import Any

from . import invoice
from ._base import WireModel
from ._codegen import compile_structure, compile_unstructure, fingerprint

_STRUCTURE: dict[type[WireModel], Callable[[Any], Any]] = {}
_UNSTRUCTURE: dict[type[WireModel], Callable[[Any], dict[str, Any]]] = {}
_BUILDING = threading.RLock()
_stale_warned = False

Entry = tuple[str, Callable[[Any], Any], Callable[[Any], dict[str, Any]], tuple[type[WireModel], ...]]
_CURRENT: dict[type[WireModel], bool] = {}


def _emitted_table() -> dict[type[WireModel], Entry]:
    try:
        from . import _generated
    except ImportError:
        return {}
    return typing.cast(dict[type[WireModel], Entry], _generated.EMITTED)


def _current(table: dict[type[WireModel], Entry], cls: type[WireModel]) -> bool:
    """Whether ``cls``'s emitted functions were generated from the class as it is, and so were those
    of every model they call."""
    ok = _CURRENT.get(cls)
    if ok is None:
        _CURRENT[cls] = True  # provisional, for a model that contains itself
        entry = table.get(cls)
        ok = entry is not None and entry[0] == fingerprint(cls) and all(_current(table, d) for d in entry[3])
        _CURRENT[cls] = ok
    return ok


def _emitted(index: int, cls: type[WireModel]) -> Callable[..., Any] | None:
    """The function ``make generate`` wrote for ``cls`` (1: structure, 2: unstructure), if current."""
    global _stale_warned
    table = _emitted_table()
    if _current(table, cls):
        return typing.cast(Callable[..., Any], table[cls][index])
    if cls.__module__ == invoice.__name__ and not _stale_warned:
        _stale_warned = True
        warnings.warn(
            f"wingspan_nb/models/_generated.py does not match {cls.__name__} (missing or out of date); "
            "its converter functions are generated at run time instead, which only slows the first parse. "
            "Maintainers: run `make generate`.",
            RuntimeWarning,
            stacklevel=4,
        )
    return None


def _resolve(direction: str, cls: type[WireModel]) -> Callable[..., Any]:
    return structure_fn(cls) if direction == "structure" else unstructure_fn(cls)


def structure_fn(cls: type[WireModel]) -> Callable[[Any], Any]:
    """The structuring function of ``cls``, found or generated on first use, then installed on the
    class (so later calls go straight to it)."""
    fn = _STRUCTURE.get(cls)
    if fn is None:
        with _BUILDING:
            fn = _STRUCTURE.get(cls)
            if fn is None:
                fn = _STRUCTURE[cls] = _emitted(1, cls) or compile_structure(cls, _resolve)
                cls._wire_structure = staticmethod(fn)
    return fn


def unstructure_fn(cls: type[WireModel]) -> Callable[[Any], dict[str, Any]]:
    """The unstructuring function of ``cls`` (see :func:`structure_fn`)."""
    fn = _UNSTRUCTURE.get(cls)
    if fn is None:
        with _BUILDING:
            fn = _UNSTRUCTURE.get(cls)
            if fn is None:
                fn = _UNSTRUCTURE[cls] = _emitted(2, cls) or compile_unstructure(cls, _resolve)
                cls._wire_unstructure = fn
    return fn
