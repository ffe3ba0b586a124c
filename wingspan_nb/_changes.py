"""What a change to an invoice is, shared by the edit form and bulk edits: the before → after record,
the conflict check, the request that undoes a change, the warning before a settled invoice is
reopened, and a change in words ("Credit-fee split: client pays 0 % → 50 %").

The form, bulk plans, bulk results and audit logs all word a change here, so that they read the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Final, Literal

import attrs

from ._facts import words
from ._numbers import plain_decimal
from .models import (
    ClientInvoice,
    ClientInvoiceUpdateRequest,
    FeeHandlingConfig,
    InvoiceStatus,
    Kind,
    Unset,
    WireModel,
    field_plan,
    wire_value,
)

__all__ = [
    "LABELS",
    "SETTLED_STATUSES",
    "UNITS",
    "Change",
    "LeafChange",
    "change_value",
    "change_words",
    "conflicts",
    "field_label",
    "field_unit",
    "leaf_changes",
    "reply_shows",
    "settled_caution",
    "undo_request",
    "value_words",
    "wire_path_label",
]


def change_value(value: Any) -> Any:
    """A field value as a change records it (for previews, history and audit logs): its wire value,
    or ``"(not set)"`` for a request field left unset."""
    return "(not set)" if isinstance(value, Unset) else wire_value(value)


@attrs.frozen
class Change:
    """One field of a change: its name (the attribute name in the edit form and bulk edits, the
    wire path such as ``creditFeeHandling.clientPays`` in ``compare``), and its value before and
    after (wire form)."""

    field: str
    before: Any
    after: Any


def conflicts(loaded: ClientInvoice, current: ClientInvoice, fields: Iterable[str]) -> list[Change]:
    """What changed on the server between ``loaded`` and ``current``: ``updated_at`` and any of
    ``fields`` (the ones about to be written). Empty when it is safe to write."""
    return [
        Change(name, change_value(getattr(loaded, name)), change_value(getattr(current, name)))
        for name in ("updated_at", *fields)
        if getattr(current, name) != getattr(loaded, name)
    ]


def reply_shows(invoice: ClientInvoice, changes: Iterable[Change]) -> Literal["after", "before", "other"]:
    """Whether ``invoice`` (a PATCH's reply, or a re-read) has every change's after value, every
    before value, or something else. A success whose reply does not show ``"after"`` is no proof the
    change happened: bulk edits and the edit form both call that outcome unknown."""
    listed = list(changes)
    now = [change_value(getattr(invoice, c.field)) for c in listed]
    if all(_same_value(n, c.after) for n, c in zip(now, listed, strict=True)):
        return "after"
    if all(_same_value(n, c.before) for n, c in zip(now, listed, strict=True)):
        return "before"
    return "other"


def _same_value(a: Any, b: Any) -> bool:
    """Equal wire values, where null and absent are the same (both mean no value), inside an
    object too: a reply may leave out the null a request sent."""
    if a in _NO_VALUE and b in _NO_VALUE:
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return all(_same_value(a.get(k), b.get(k)) for k in a.keys() | b.keys())
    return bool(a == b)


def undo_request(before: ClientInvoice, fields: Iterable[str]) -> ClientInvoiceUpdateRequest:
    """The request that puts ``fields`` back to their values in ``before``."""
    return ClientInvoiceUpdateRequest(**{name: getattr(before, name) for name in fields})


# -- settled invoices ---------------------------------------------------------------------------

SETTLED_STATUSES: Final = frozenset({InvoiceStatus.PAID, InvoiceStatus.CANCELLED})
"""Statuses an invoice rarely leaves on purpose: the edit form warns next to the field, and a bulk
plan asks for an explicit confirmation (``apply(confirm_settled=True)``)."""


def settled_caution(before: Any, after: Any) -> str | None:
    """The warning for a status change out of a settled status (``"this invoice is Paid: check that
    Open is meant"``), or ``None`` when ``before`` is not settled or nothing changes. Takes members
    or wire values."""
    b, a = wire_value(before), wire_value(after)
    if b not in SETTLED_STATUSES or a == b or isinstance(after, Unset) or a == "(not set)":
        return None
    return f"this invoice is {words(b)}: check that {words(a)} is meant"


# -- a change in words --------------------------------------------------------------------------

LABELS: dict[tuple[type[WireModel], str], str] = {
    (ClientInvoiceUpdateRequest, "credit_fee_handling"): "Credit-fee split",
    (FeeHandlingConfig, "client_absolute_percentage"): "Client absolute percentage",
}
"""Field labels where the attribute name in words would not do (the form and every change use them)."""

UNITS: dict[tuple[type[WireModel], str], str] = {
    (FeeHandlingConfig, "client_absolute_percentage"): "%",
    (FeeHandlingConfig, "client_pays"): "%",
    (FeeHandlingConfig, "member_pays"): "%",
}
"""The unit written after a field's value (``50 %``)."""


def field_label(owner: type[WireModel], name: str) -> str:
    """A field's label: :data:`LABELS`, else its attribute name in words (``due_date`` → "Due date")."""
    if (owner, name) in LABELS:
        return LABELS[(owner, name)]
    spaced = name.replace("_", " ")
    return spaced[:1].upper() + spaced[1:]


# A wire path as compare writes it: keys joined by ".", list positions as "[2]", and a key that
# holds ".", "[", "]" or '"' (or is empty) quoted as '["a.b"]', so no key can pass for a nested path.
_STEP: Final = re.compile(r'\.?([^.\[\]"]+)|\[([0-9]{1,9})\]|\[("(?:[^"\\]|\\.)*")\]')
_LONGEST_PATH: Final = 2000


def wire_path_label(path: str, model: type[WireModel] = ClientInvoice) -> str:
    """A wire path of ``compare`` in the labels the form and every change use: ``dueDate`` →
    "Due date", ``creditFeeHandling.clientPays`` → "Credit-fee split: client pays",
    ``lineItems[2].totalCost`` → "Line items #3: total cost" (counted from 1; only a list field has
    positions). From the first part the models do not know (a key, a quoted key such as
    ``["a.b"]``, a position on a field that is not a list), the rest stays as sent; so does a path
    that is not one ``compare`` writes. Never raises."""
    return _walk_path(path, model)[0]


def wire_path_is_choice(path: str, model: type[WireModel] = ClientInvoice) -> bool:
    """Whether a wire path of ``compare`` names an enum's field (``status``): its values are then
    written in words (``Payment in transit``), as :func:`value_words` with ``choice=True`` does."""
    kind = _walk_path(path, model)[1]
    return kind is not None and kind.tag == "enum"


def _walk_path(path: str, model: type[WireModel]) -> tuple[str, Kind | None]:
    """:func:`wire_path_label`'s label and the kind of the field the path ends on (``None``: a part
    the models do not know)."""
    # Each step: where it starts, which of _STEP's groups it is (1 a key, 2 a position, 3 a quoted
    # key) and its text.
    steps: list[tuple[int, int, str]] = []
    at = 0
    while at < len(path) <= _LONGEST_PATH:
        m = _STEP.match(path, at)
        if m is None or (m.lastindex == 1 and m.group(0).startswith(".") != bool(steps)):
            return path, None  # not a path compare writes
        steps.append((at, m.lastindex or 0, m.group(m.lastindex or 0)))
        at = m.end()
    if not steps:
        return path, None
    parts: list[str] = []
    kind = Kind("model", model)
    for start, what, text in steps:
        f = None
        if what == 1 and kind.tag == "model":
            f = next((f for f in field_plan(kind.arg) if f.wire == text), None)
        if f is not None:
            # The invoice's fields are labelled as the update request's (the form's) are.
            labelled = (
                ClientInvoiceUpdateRequest if (ClientInvoiceUpdateRequest, f.name) in LABELS else kind.arg
            )
            label = field_label(labelled, f.name)
            parts.append(label if not parts else label[:1].lower() + label[1:])
            kind = f.kind
        elif what == 2 and kind.tag == "list" and parts:
            parts[-1] += f" #{int(text) + 1}"
            kind = kind.arg
        else:
            parts.append(path[start:].removeprefix("."))
            return ": ".join(parts), None
    return ": ".join(parts), kind


def field_unit(owner: type[WireModel], name: str) -> str:
    return UNITS.get((owner, name), "")


_NO_VALUE = (None, "(not set)")


def value_words(value: Any, unit: str = "", *, choice: bool = False) -> str:
    """A wire value as words: ``none``, ``not set``, ``50 %``, ``Payment in transit`` (``choice``:
    the value is an enum's); a nested object as its values, the ``none`` ones left unsaid."""
    if value is None:
        return "none"
    if value == "(not set)" or isinstance(value, Unset):
        return "not set"
    if choice:
        return words(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        value = plain_decimal(value)
    return f"{value} {unit}" if unit else str(value)


@attrs.frozen
class LeafChange:
    """One value that changes: a top-level field, or one value inside a nested object."""

    path: str
    """Dotted attribute path: ``status``, ``credit_fee_handling.client_pays``."""
    label: str
    """``Status``, ``Credit-fee split: client pays``."""
    before: Any
    """The wire value (``"(not set)"`` where the object had no such key)."""
    after: Any
    before_words: str
    after_words: str

    def words(self) -> str:
        """``Status: Paid → Open``; inside an object ``Credit-fee split: client pays 0 % → 50 %``."""
        sep = " " if "." in self.path else ": "
        return f"{self.label}{sep}{self.before_words} → {self.after_words}"


def _leaf(
    owner: type[WireModel], name: str, kind_tag: str, path: str, label: str, b: Any, a: Any
) -> LeafChange:
    unit, choice = field_unit(owner, name), kind_tag == "enum"
    return LeafChange(
        path, label, b, a, value_words(b, unit, choice=choice), value_words(a, unit, choice=choice)
    )


def leaf_changes(change: Change, model: type[WireModel] = ClientInvoiceUpdateRequest) -> list[LeafChange]:
    """``change`` value by value: a nested object (the credit-fee split) gives one entry per value
    inside it that changed (null and absent both mean "no value", so that is no change); a removed
    or added object, or a plain field, gives one entry."""
    f = next((f for f in field_plan(model) if f.name == change.field), None)
    if f is None:  # a field outside the request (a conflict's updated_at): its name in words
        label = field_label(model, change.field)
        return [
            LeafChange(
                change.field,
                label,
                change.before,
                change.after,
                value_words(change.before),
                value_words(change.after),
            )
        ]
    label = field_label(model, f.name)
    before, after = change.before, change.after
    if f.kind.tag == "model" and isinstance(before, dict) and isinstance(after, dict):
        inner: type[WireModel] = f.kind.arg
        out, no_value_only = [], False
        for child in field_plan(inner):
            b, a = before.get(child.wire, "(not set)"), after.get(child.wire, "(not set)")
            if b == a:
                continue
            if b in _NO_VALUE and a in _NO_VALUE:
                no_value_only = True
                continue
            child_label = f"{label}: {field_label(inner, child.name).lower()}"
            out.append(_leaf(inner, child.name, child.kind.tag, f"{f.name}.{child.name}", child_label, b, a))
        if out or no_value_only:
            return out
    if f.kind.tag == "model":
        inner = f.kind.arg
        shown = [_object_words(inner, v) if isinstance(v, dict) else value_words(v) for v in (before, after)]
        return [LeafChange(f.name, label, before, after, shown[0], shown[1])]
    return [_leaf(model, f.name, f.kind.tag, f.name, label, before, after)]


def _object_words(model: type[WireModel], value: dict[str, Any]) -> str:
    """``client pays 0 %, member pays 100 %``: a nested object's values ("none" ones unsaid)."""
    parts = [
        f"{field_label(model, c.name).lower()} {value_words(value[c.wire], field_unit(model, c.name), choice=c.kind.tag == 'enum')}"
        for c in field_plan(model)
        if value.get(c.wire) is not None
    ]
    return ", ".join(parts) or "empty"


def change_words(change: Change, model: type[WireModel] = ClientInvoiceUpdateRequest) -> str:
    """A change in words, as every view shows it: ``Status: Paid → Open``; ``Credit-fee split: client
    pays 0 % → 50 %, member pays 100 % → 50 %`` (the field's label once, then each value that changed)."""
    leaves = leaf_changes(change, model)
    if not leaves:
        return f"{field_label(model, change.field)}: no value either way"
    if all("." in leaf.path for leaf in leaves):  # values inside one object: its label once
        head = f"{field_label(model, change.field)}: "
        return head + ", ".join(leaf.words().removeprefix(head) for leaf in leaves)
    return "; ".join(leaf.words() for leaf in leaves)
