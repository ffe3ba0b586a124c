"""Which control edits which field: derived from the request model's types, as plain data.

``form_specs(ClientInvoiceUpdateRequest)`` walks the model's field plan (the converter's): an enum
becomes a dropdown, a number a number input, a string a text input, a bool a checkbox, a nested model
a boxed group of its own fields; ``Optional`` adds an explicit "null" state. A field the request model
gains tomorrow gets a control without any change here. Nothing in this module needs ipywidgets.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, Literal

import attrs

from ..models import Field, Kind, WireModel, field_plan
from ..models.invoice import FeeHandlingConfig

__all__ = ["RULES", "FieldSpec", "Rule", "form_specs"]

Control = Literal["dropdown", "number", "text", "checkbox", "group"]


@attrs.frozen
class Rule:
    """A check beyond the type: ``test(value)`` false means ``message`` is shown next to the field."""

    test: Callable[[Any], bool]
    message: str


def _percentage(value: float) -> bool:
    return 0 <= value <= 100


# Domain rules, by (model, attribute): plain data, so a new rule is one line.
RULES: dict[tuple[type[WireModel], str], tuple[Rule, ...]] = {
    (FeeHandlingConfig, name): (Rule(_percentage, "must be a percentage from 0 to 100"),)
    for name in ("client_absolute_percentage", "client_pays", "member_pays")
}


@attrs.frozen
class FieldSpec:
    """One control of the form."""

    path: tuple[str, ...]
    """Attribute names from the request model down to this field."""
    wire: tuple[str, ...]
    """The same path in wire names (what a 422's ``location`` names)."""
    label: str
    control: Control
    nullable: bool
    choices: tuple[tuple[str, Any], ...] = ()
    """For dropdowns: (label, value) pairs."""
    children: tuple[FieldSpec, ...] = ()
    """For groups: the nested model's fields."""
    model: type[WireModel] | None = None
    """For groups: the nested model."""
    rules: tuple[Rule, ...] = ()

    @property
    def key(self) -> str:
        """Dotted attribute path, e.g. ``credit_fee_handling.client_pays``."""
        return ".".join(self.path)


def _label(name: str) -> str:
    words = name.replace("_", " ")
    return words[:1].upper() + words[1:]


_LEAVES: tuple[tuple[Callable[[Kind], bool], Control], ...] = (
    (lambda k: k.tag == "enum", "dropdown"),
    (lambda k: k.tag == "number", "number"),
    (lambda k: k.tag == "str", "text"),
    (lambda k: k.tag == "bool", "checkbox"),
    (lambda k: k.tag == "model", "group"),
)
"""The type-to-control mapping, in order; the first predicate that holds decides."""


def _spec(
    owner: type[WireModel], f: Field, parent: tuple[str, ...], parent_wire: tuple[str, ...]
) -> FieldSpec:
    kind = f.kind
    control = next((c for test, c in _LEAVES if test(kind)), None)
    if control is None:
        raise TypeError(f"{owner.__name__}.{f.name}: no form control for {kind.tag} fields")
    path, wire = (*parent, f.name), (*parent_wire, f.wire)
    choices: tuple[tuple[str, Any], ...] = ()
    children: tuple[FieldSpec, ...] = ()
    model = None
    if control == "dropdown":
        members: type[enum.Enum] = kind.arg
        choices = tuple((str(m.value), m) for m in members)
    elif control == "group":
        model = kind.arg
        children = tuple(_spec(model, child, path, wire) for child in field_plan(model))
    return FieldSpec(
        path=path,
        wire=wire,
        label=_label(f.name),
        control=control,
        nullable=kind.nullable,
        choices=choices,
        children=children,
        model=model,
        rules=RULES.get((owner, f.name), ()),
    )


def form_specs(request_model: type[WireModel]) -> tuple[FieldSpec, ...]:
    """The form's controls for every field of ``request_model``, in declaration order."""
    return tuple(_spec(request_model, f, (), ()) for f in field_plan(request_model))
