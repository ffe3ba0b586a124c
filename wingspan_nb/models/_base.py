"""The base every wire model shares: wire names, the ``UNSET`` sentinel, and the dict/JSON methods.

The conversions themselves are generated per class by :mod:`wingspan_nb.converter` and installed on
each class as ``_wire_structure`` / ``_wire_unstructure`` the first time they are needed.
"""

from __future__ import annotations

import enum
import gc
import typing
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Final, TypeVar

import attrs
import orjson
from attrs import define, field

from ..errors import InvalidDocumentError

__all__ = ["UNSET", "Unset", "WireModel", "wire"]

_M = TypeVar("_M", bound="WireModel")

WIRE: Final = "wire"


def wire(name: str) -> dict[str, str]:
    """Field metadata naming the JSON property a field is read from and written to, verbatim."""
    return {WIRE: name}


class Unset(enum.Enum):
    """Type of :data:`UNSET`: a request field the user did not set, and which is therefore not sent."""

    UNSET = "UNSET"

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET
"""Default of every request field: the field is left out of the request body (unlike ``None``,
which sends ``null``)."""


_NEW_MODEL_HOOK: Callable[[type[Any]], None] | None = None
"""Set by wingspan_nb.converter: gives models defined after it (in user code) their converter stubs."""

_NO_EXTRA: Mapping[str, Any] = MappingProxyType({})
"""Shared by every object without unknown properties (read-only, so no object can change another's)."""


@define(kw_only=True, repr=False, eq=False)
class WireModel:
    """Base of every model: wire-name aware ``to_dict``/``from_dict``/``to_json``/``from_json``.

    ``additional_properties`` keeps the properties the server sent that this version of the models
    does not know, so that writing a parsed document back out loses nothing.

    Models are declared with ``repr=False, eq=False``: the one ``__repr__`` and ``__eq__`` below serve
    every class, which keeps ``import wingspan_nb`` fast (attrs would compile both for each class).
    """

    additional_properties: Mapping[str, Any] = field(factory=lambda: _NO_EXTRA, repr=False, kw_only=True)
    # Which optional properties were absent from the parsed document (as opposed to present and
    # null), one bit per optional field in declaration order, so that ``to_dict`` leaves them out.
    _absent: int = field(default=0, init=False, repr=False, eq=False)

    # Installed on every model class by wingspan_nb.converter when the package is imported.
    _wire_structure: ClassVar[Callable[[Any], Any]]
    _wire_unstructure: ClassVar[Callable[[Any], dict[str, Any]]]
    _wire_explain: ClassVar[Callable[[Any, BaseException], Exception]]

    @classmethod
    def from_dict(cls: type[_M], data: Mapping[str, Any]) -> _M:
        """Build the model from a JSON-like dict with wire (camelCase) keys.

        Raises :class:`wingspan_nb.errors.InvalidDocumentError` naming the wire path of the first
        value that does not fit (``$.lineItems[3].totalCost``); the error keeps the document.
        """
        # Parsing makes no reference cycles, so cyclic-GC passes during it are pure overhead (about a
        # quarter of the time for a large invoice in a busy notebook): pause the collector meanwhile.
        paused = gc.isenabled()
        if paused:
            gc.disable()
        try:
            return typing.cast(_M, cls._wire_structure(data))
        except Warning:
            raise
        except Exception as e:
            raise cls._wire_explain(data, e) from None
        finally:
            if paused:
                gc.enable()

    @classmethod
    def from_json(cls: type[_M], text: str | bytes) -> _M:
        """Parse JSON text into the model (see :meth:`from_dict`)."""
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError as e:
            raise InvalidDocumentError("$", f"is not valid JSON ({e})", document=None) from None
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        """The wire form: camelCase keys, enum values as strings, ``UNSET`` fields left out."""
        return self._wire_unstructure()

    def to_json(self) -> str:
        """The wire form as compact JSON text."""
        return orjson.dumps(self._wire_unstructure()).decode()

    def _repr_html_(self) -> str | None:
        from ..display import repr_html

        return repr_html(self)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        from ..display import repr_pretty

        repr_pretty(self, p, cycle)

    def __repr__(self) -> str:
        fields = ", ".join(f"{a.name}={getattr(self, a.name)!r}" for a in attrs.fields(type(self)) if a.repr)
        return f"{type(self).__name__}({fields})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, a.name) == getattr(other, a.name) for a in attrs.fields(type(self)) if a.eq)

    __hash__ = None  # type: ignore[assignment]  # mutable, like attrs' eq=True classes

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if _NEW_MODEL_HOOK is not None:
            _NEW_MODEL_HOOK(cls)
