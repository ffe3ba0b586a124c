"""What a change to an invoice is, shared by the edit form and bulk edits: the before → after record,
the conflict check, and the request that undoes a change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from .models import ClientInvoice, ClientInvoiceUpdateRequest, Unset, wire_value

__all__ = ["Change", "change_value", "conflicts", "undo_request"]


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


def undo_request(before: ClientInvoice, fields: Iterable[str]) -> ClientInvoiceUpdateRequest:
    """The request that puts ``fields`` back to their values in ``before``."""
    return ClientInvoiceUpdateRequest(**{name: getattr(before, name) for name in fields})
