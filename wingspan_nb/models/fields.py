"""What each model's wire fields are: attribute and wire names, the kind of value, required or not,
and what the field means.

:func:`field_plan` is the one description of a model's fields; the converter's code generation, the
views, the edit form and bulk edits all read a model through it.
"""

from __future__ import annotations

import enum
import types
import typing
from typing import Any, Union

import attrs

from ._base import WIRE, Unset, WireModel
from .enums import UnknownEnumValue

__all__ = ["Field", "Kind", "field_plan"]


@attrs.frozen
class Kind:
    """What a value must be on the wire. ``tag`` is one of str, number, bool, any, object, enum,
    model, list, map; ``arg`` the enum class, model class or item kind; ``open_enum`` is true for
    reply enums (unknown values kept as :class:`~wingspan_nb.models.UnknownEnumValue`)."""

    tag: str
    arg: Any = None
    nullable: bool = False
    open_enum: bool = False


@attrs.frozen
class Field:
    """One wire field of a model."""

    name: str
    wire: str
    kind: Kind
    required: bool
    default: Any
    description: str = ""
    """What the field means: the API reference's text, or "Not described by the API.", then
    wingspan_nb's own note, if it has one, after "wingspan_nb's note:"."""


_NONE_TYPE = type(None)


def _kind_of(tp: Any) -> Kind:
    origin = typing.get_origin(tp)
    if origin is Union or origin is types.UnionType:
        args = [a for a in typing.get_args(tp) if a is not Unset]
        nullable = _NONE_TYPE in args
        args = [a for a in args if a is not _NONE_TYPE]
        enum_args = [a for a in args if isinstance(a, type) and issubclass(a, enum.Enum)]
        if enum_args and set(args) <= {enum_args[0], UnknownEnumValue, str}:
            return Kind("enum", enum_args[0], nullable, open_enum=len(args) > 1)
        if len(args) != 1:
            raise TypeError(f"unsupported union {tp!r}")
        return attrs.evolve(_kind_of(args[0]), nullable=nullable)
    if origin is list:
        return Kind("list", _kind_of(typing.get_args(tp)[0]))
    if origin is dict:
        key, value = typing.get_args(tp)
        if key is not str:
            raise TypeError(f"unsupported map key in {tp!r}")
        return Kind("object") if value is Any else Kind("map", _kind_of(value))
    if tp is str:
        return Kind("str")
    if tp is float or tp is int:
        return Kind("number")
    if tp is bool:
        return Kind("bool")
    if tp is Any:
        return Kind("any")
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return Kind("enum", tp)
    if isinstance(tp, type) and issubclass(tp, WireModel):
        return Kind("model", tp)
    raise TypeError(f"unsupported field type {tp!r}")


_PLANS: dict[type[WireModel], tuple[Field, ...]] = {}


def field_plan(cls: type[WireModel]) -> tuple[Field, ...]:
    """What each wire field of ``cls`` is: its attribute and wire names, :class:`Kind`, whether it
    is required, its default and its description; worked out once per class."""
    plan = _PLANS.get(cls)
    if plan is None:
        # Deferred: the descriptions name the model classes, whose module imports this one.
        from ._descriptions import describe

        wired = [a for a in attrs.fields(cls) if WIRE in a.metadata]
        if any(isinstance(a.type, str) for a in wired):
            attrs.resolve_types(cls)  # a module with ``from __future__ import annotations``
            wired = [a for a in attrs.fields(cls) if WIRE in a.metadata]
        plan = _PLANS[cls] = tuple(
            Field(
                a.name,
                a.metadata[WIRE],
                _kind_of(a.type),
                a.default is attrs.NOTHING,
                a.default,
                describe(cls, a.name),
            )
            for a in wired
        )
    return plan
