"""One-line text summaries: what a terminal, a log or a text-only frontend shows."""

from __future__ import annotations

from enum import Enum
from typing import Any

from ..facts import format_timestamp
from ..models import ClientInvoice, Unset, WireModel, field_plan, wire_value
from ..sensitive import is_sensitive, mask, masked_text
from ._html import wire_timestamp
from ._options import get_options

__all__ = ["summary"]

_MAX = 120


def _plain(value: Any) -> str:
    if isinstance(value, Enum):
        return str(wire_value(value))
    if isinstance(value, float):
        return format(value, ".12g")
    return str(value)


def _money(amount: float, currency: Any) -> str:
    return f"{amount:,.2f} {_plain(currency)}"


def invoice_summary(inv: ClientInvoice) -> str:
    due = format_timestamp(inv.due_date, with_time=False) or inv.due_date
    return (
        f"<ClientInvoice {inv.invoice_number} {_plain(inv.status)} {_money(inv.amount, inv.currency)} "
        f"due {due} · {inv.member_name} · {len(inv.line_items)} line items · id {inv.invoice_id}>"
    )


def model_summary(obj: WireModel) -> str:
    """``ClassName(field=value, …)`` with the set scalar fields, at most about 120 characters;
    sensitive numbers masked unless ``set_options(show_sensitive=True)``."""
    reveal = get_options().show_sensitive
    parts: list[str] = []
    for a in field_plan(type(obj)):
        v = getattr(obj, a.name)
        if v is None or isinstance(v, Unset | WireModel | list | dict):
            continue
        if is_sensitive(a.wire) and not reveal:
            v = mask(v)
        v = wire_timestamp(v) or v
        shown = repr(v) if isinstance(v, str) and not isinstance(v, Enum) else _plain(v)
        parts.append(f"{a.name}={shown}")
    inner = ", ".join(parts)
    if len(inner) > _MAX:
        inner = inner[: _MAX - 1] + "…"
    return f"{type(obj).__name__}({inner})"


def summary(obj: object) -> str:
    """The one-line summary of a model, a response or an error; the text view of a ``Changes``."""
    from ..comparison import Changes
    from ..errors import WingspanError
    from ..models.operations import GetClientInvoiceResponse, UpdateClientInvoiceResponse

    if isinstance(obj, Changes):
        from ._changes import changes_text

        return changes_text(obj)
    if isinstance(obj, ClientInvoice):
        return invoice_summary(obj)
    if isinstance(obj, GetClientInvoiceResponse | UpdateClientInvoiceResponse):
        inner = invoice_summary(obj.client_invoice) if obj.client_invoice is not None else "no invoice"
        return f"<{type(obj).__name__} {obj.status_code} {inner}>"
    if isinstance(obj, WireModel):
        return model_summary(obj)
    if isinstance(obj, WingspanError):
        message = str(obj) if get_options().show_sensitive else masked_text(str(obj))
        return f"{type(obj).__name__}: {message}"
    return repr(obj)
