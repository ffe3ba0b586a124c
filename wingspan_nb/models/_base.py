"""The base every wire model shares: wire names, the ``UNSET`` sentinel, and the dict/JSON methods.

Each class gets its conversions on first use: stubs put on the class when it is defined compile its
real functions (``_build``) and install them in their place. Nothing is compiled at import, and this
module imports none of that machinery.
"""

from __future__ import annotations

import enum
import gc
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar, Final, TypeVar

import attrs
import orjson
from attrs import define, field

from .. import _wire_json
from .._displayable import Displayable
from .._sensitive import is_sensitive, masked_document
from ..errors import InvalidDocumentError, InvalidRequestError
from .enums import UnknownEnumValue

__all__ = ["UNSET", "Unset", "WireModel", "wire", "wire_value"]

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


class _NoExtra(Mapping[str, Any]):
    """The type of :data:`_NO_EXTRA`: an empty, read-only mapping that pickles and copies as itself."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "{}"

    def __reduce__(self) -> str:
        return "_NO_EXTRA"  # pickle and copy find the one instance by its module-level name


_NO_EXTRA: Final[Mapping[str, Any]] = _NoExtra()
"""Shared by every object without unknown properties (read-only, so no object can change another's)."""


def _masked_repr(value: object, sensitive: bool) -> str:
    if value is None or isinstance(value, Unset | WireModel):
        return repr(value)
    try:
        return repr(masked_document(value, sensitive))
    except RecursionError:  # a repr never raises: a server may nest a free-form value 1,000 deep
        return f"<{type(value).__name__} nested too deeply to show>"


@define(kw_only=True, repr=False, eq=False)
class WireModel(Displayable):
    """Base of every model: wire-name aware ``to_dict``/``from_dict``/``to_json``/``from_json``.

    ``additional_properties`` keeps the properties the server sent that this version of the models
    does not know, so that writing a parsed document back out loses nothing.

    Models are declared with ``repr=False, eq=False``: the one ``__repr__`` and ``__eq__`` below serve
    every class, which keeps ``import wingspan_nb`` fast (attrs would compile both for each class).
    """

    additional_properties: Mapping[str, Any] = field(factory=lambda: _NO_EXTRA, repr=False, kw_only=True)
    # Which optional properties were absent from the parsed document (as opposed to present and
    # null), one bit per optional field in declaration order: ``to_dict`` leaves such a field out
    # while it still holds the ``None`` it was given; any other value was assigned and is written.
    _absent: int = field(default=0, init=False, repr=False, eq=False)

    # Stubs installed on every model class by __init_subclass__, replaced on first use. The
    # structuring function's second argument says whether the document may be kept as it is.
    _wire_structure: ClassVar[Callable[[Any, bool], Any]]
    _wire_unstructure: ClassVar[Callable[[Any], dict[str, Any]]]

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
            return _structure(cls, data, False)
        finally:
            if paused:
                gc.enable()

    @classmethod
    def from_json(cls: type[_M], text: str | bytes) -> _M:
        """Parse JSON text into the model (see :meth:`from_dict`).

        The fast path for text you hold: an integer beyond 64 bits in a free-form property is read
        as a float here, while the client's calls, lists and snapshots keep it exact
        (:mod:`wingspan_nb._wire_json`), paying a scan for it."""
        # The collector is paused for the decoding too: a pass in the middle of it would only walk,
        # and promote to older generations, the containers the parse is about to drop.
        paused = gc.isenabled()
        if paused:
            gc.disable()
        try:
            try:
                data = orjson.loads(text)
            except orjson.JSONDecodeError as e:
                raise InvalidDocumentError("$", f"is not valid JSON ({e})", document=None) from None
            return _structure(cls, data, True)  # the document is ours: its containers need no copy
        finally:
            if paused:
                gc.enable()

    def to_dict(self) -> dict[str, Any]:
        """The wire form: camelCase keys, enum values as strings, ``UNSET`` fields left out.

        Raises :class:`wingspan_nb.errors.InvalidRequestError` naming the field when a value cannot
        be written: a number that is NaN or infinite (JSON has neither; it would otherwise go out as
        ``null``), a value of the wrong type (a float in a string field, a list of numbers where
        strings go), or an unknown property named like one of the model's own fields. numpy numbers
        are written as the plain numbers they stand for.
        """
        try:
            return self._wire_unstructure()
        except RecursionError:
            raise InvalidRequestError(
                f"{type(self).__name__} holds a value nested too deeply to be written as JSON."
            ) from None

    def to_json(self) -> str:
        """The wire form as compact JSON text (see :meth:`to_dict`)."""
        data = self.to_dict()
        try:
            return _wire_json.dumps(data).decode()
        except orjson.JSONEncodeError as e:  # what the checks let through: nesting too deep
            raise InvalidRequestError(f"{type(self).__name__} cannot be written as JSON: {e}.") from None

    def __repr__(self) -> str:
        # A repr ends up in logs and tracebacks: sensitive numbers are masked there too, also inside
        # free-form values and the unknown properties (shown when there are any).
        fields = [
            f"{a.name}={_masked_repr(getattr(self, a.name), is_sensitive(a.metadata.get(WIRE)))}"
            for a in attrs.fields(type(self))
            if a.repr
        ]
        if self.additional_properties:
            fields.append(f"additional_properties={_masked_repr(dict(self.additional_properties), False)}")
        return f"{type(self).__name__}({', '.join(fields)})"

    _repr_pretty_ = Displayable._pretty_summary

    def __str__(self) -> str:
        """What ``print()`` shows: an invoice as a few readable lines, any other model as its ``repr``."""
        return self._text_card()

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, a.name) == getattr(other, a.name) for a in attrs.fields(type(self)) if a.eq)

    __hash__: ClassVar[None] = None  # type: ignore[assignment]  # mutable, like attrs' eq=True classes

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _install_stubs(cls)


def structure_owned(cls: type[_M], data: Any) -> _M:
    """``cls``'s object built from a wire document the caller decoded itself and drops afterwards:
    :meth:`WireModel.from_dict` without its copies (the lists and dicts of ``data`` are kept). The
    caller pauses the cyclic collector around a run of them (see :meth:`WireModel.from_dict`)."""
    return _structure(cls, data, True)


def _structure(cls: type[_M], data: Any, own: bool) -> _M:
    """``cls``'s object built from the wire document ``data``; ``own`` when the caller made
    ``data`` and drops it afterwards (its lists and dicts are then kept rather than copied)."""
    try:
        return cls._wire_structure(data, own)  # type: ignore[no-any-return]
    except Warning:
        raise
    except Exception as e:
        from ._explain import explain

        raise explain(cls, data, e) from None


def wire_value(value: Any) -> Any:
    """``value`` in wire form: an enum member as its value (``InvoiceStatus.PAID`` → ``"Paid"``), an
    :class:`~wingspan_nb.models.UnknownEnumValue` as the plain string it holds, a model as its
    ``to_dict()``; anything else (a number, ``None``, :data:`UNSET`) as it is. The one way views,
    tables and change records get wire values."""
    if isinstance(value, WireModel):
        return value.to_dict()
    if isinstance(value, enum.Enum) and not isinstance(value, Unset):
        return value.value
    if isinstance(value, UnknownEnumValue):
        return str.__str__(value)
    return value


def _install_stubs(cls: type[WireModel]) -> None:
    """Put functions on ``cls`` that find its real ones on first call, then get out of the way."""

    def structure_first(data: Any, own: bool = False) -> Any:
        from ._build import structure_fn

        return structure_fn(cls)(data, own)

    def unstructure_first(obj: Any) -> dict[str, Any]:
        from ._build import unstructure_fn

        return unstructure_fn(cls)(obj)

    cls._wire_structure = staticmethod(structure_first)
    cls._wire_unstructure = unstructure_first
