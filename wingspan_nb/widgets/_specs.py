"""Which control edits which field: derived from the request model's types, as plain data.

``form_specs(ClientInvoiceUpdateRequest)`` walks the model's field plan (the converter's): an enum
becomes a dropdown, a number a number input, a string a text input, a bool a checkbox, a nested model
a boxed group of its own fields. A field the request model gains tomorrow gets a control without any
change here. What the types cannot say (a friendlier label, a unit, a rule beyond the type, whether
null means something an analyst would choose) is plain data in :data:`FIELDS` and :data:`MODEL_RULES`.
Nothing in this module needs ipywidgets.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, Literal

import attrs

from .._changes import field_label, field_unit, settled_caution
from .._facts import words
from ..models import (
    ClientInvoiceUpdateRequest,
    FeeHandlingConfig,
    Field,
    Kind,
    WireModel,
    fee_share_problem,
    fee_split_problem,
    field_plan,
    library_note,
    wire_value,
)

__all__ = ["FIELDS", "MODEL_RULES", "FieldExtra", "FieldSpec", "Rule", "form_specs"]

Control = Literal["dropdown", "number", "text", "checkbox", "group"]


@attrs.frozen
class Rule:
    """A check beyond the type: ``problem(value)`` says why ``value`` cannot be sent (``None``: it can).

    A field's rules see its value when it is neither null nor unset; a group's rules see the model
    its fields make up. The message reads after the field's label ("Client pays is a percentage…").
    """

    problem: Callable[[Any], str | None]


@attrs.frozen
class FieldExtra:
    """What a field's type cannot say about its control."""

    label: str | None = None
    """Shown instead of the field's label (:func:`~wingspan_nb._changes.field_label`, which every
    view of a change uses too: set shared labels there)."""
    unit: str = ""
    """Shown after the input (``"%"``); by default the field's unit in :data:`~wingspan_nb._changes.UNITS`."""
    null_label: str | None = None
    """For a nullable field where null means something to the analyst: that meaning, in words (a
    checkbox). Without it no null choice is offered (an emptied optional input still means "none")."""
    rules: tuple[Rule, ...] = ()
    help: str = ""
    """One line under the input saying what the field means, where its label cannot."""
    caution: Callable[[Any, Any], str | None] | None = None
    """``caution(loaded, value)``: a one-line warning next to the field for a change that is allowed
    but rarely meant (it does not block the save); ``None`` when there is nothing to say."""


_FEE_SHARE = FieldExtra(rules=(Rule(fee_share_problem),))

# The API reference describes none of the three shares. clientPays + memberPays split the fee (they
# add up to 100); how an absolute percentage combines with that split is not said, so no rule here,
# and the library's note on the field says so under the input.
_ABSOLUTE = attrs.evolve(_FEE_SHARE, help=library_note(FeeHandlingConfig, "client_absolute_percentage"))


def _status_caution(loaded: Any, value: Any) -> str | None:
    """Moving an invoice out of a settled status is allowed, and rarely meant (the rule bulk plans
    follow too: :func:`~wingspan_nb._changes.settled_caution`)."""
    caution = settled_caution(loaded, value)
    return f"{caution} (you can still save)" if caution else None


# By (model, attribute): plain data, so a new label or rule is one line.
FIELDS: dict[tuple[type[WireModel], str], FieldExtra] = {
    (ClientInvoiceUpdateRequest, "status"): FieldExtra(caution=_status_caution),
    (ClientInvoiceUpdateRequest, "credit_fee_handling"): FieldExtra(
        null_label="Remove the credit-fee handling (the member's default applies)",
    ),
    (FeeHandlingConfig, "client_absolute_percentage"): _ABSOLUTE,
    (FeeHandlingConfig, "client_pays"): _FEE_SHARE,
    (FeeHandlingConfig, "member_pays"): _FEE_SHARE,
}

# Rules on a whole nested model, wherever it appears in a form.
MODEL_RULES: dict[type[WireModel], tuple[Rule, ...]] = {
    FeeHandlingConfig: (Rule(fee_split_problem),),
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
    """The type allows null (whether the form offers it is :attr:`null_label`)."""
    choices: tuple[tuple[str, Any], ...] = ()
    """For dropdowns: (label, value) pairs."""
    children: tuple[FieldSpec, ...] = ()
    """For groups: the nested model's fields."""
    model: type[WireModel] | None = None
    """For groups: the nested model."""
    rules: tuple[Rule, ...] = ()
    unit: str = ""
    null_label: str | None = None
    help: str = ""
    caution: Callable[[Any, Any], str | None] | None = None
    """See :attr:`FieldExtra.caution`."""
    description: str = ""
    """The field's description (:attr:`~wingspan_nb.models.Field.description`)."""

    @property
    def tooltip(self) -> str:
        """What hovering the control shows: the field's description and its wire name."""
        return f"{self.description} Wire name: {'.'.join(self.wire)}."

    def choice_label(self, value: Any) -> str | None:
        """For a dropdown: the words shown for ``value`` (a member or its wire value), if it is a choice."""
        return next((label for label, v in self.choices if value in (v, wire_value(v))), None)

    @property
    def key(self) -> str:
        """Dotted attribute path, e.g. ``credit_fee_handling.client_pays``."""
        return ".".join(self.path)


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
    extra = FIELDS.get((owner, f.name), FieldExtra())
    path, wire = (*parent, f.name), (*parent_wire, f.wire)
    choices: tuple[tuple[str, Any], ...] = ()
    children: tuple[FieldSpec, ...] = ()
    rules = extra.rules
    model = None
    if control == "dropdown":
        members: type[enum.Enum] = kind.arg
        choices = tuple((words(m), m) for m in members)
    elif control == "group":
        model = kind.arg
        children = tuple(_spec(model, child, path, wire) for child in field_plan(model))
        rules = (*rules, *MODEL_RULES.get(model, ()))
    return FieldSpec(
        path=path,
        wire=wire,
        label=extra.label or field_label(owner, f.name),
        control=control,
        nullable=kind.nullable,
        choices=choices,
        children=children,
        model=model,
        rules=rules,
        unit=extra.unit or field_unit(owner, f.name),
        null_label=extra.null_label if kind.nullable else None,
        help=extra.help,
        caution=extra.caution,
        description=f.description,
    )


def form_specs(request_model: type[WireModel]) -> tuple[FieldSpec, ...]:
    """The form's controls for every field of ``request_model``, in declaration order."""
    return tuple(_spec(request_model, f, (), ()) for f in field_plan(request_model))
