"""One-line text summaries: what a terminal, a log or a text-only frontend shows."""

from __future__ import annotations

from enum import Enum
from typing import Any

from .._facts import client_label, format_money, format_timestamp, overdue_days, words
from .._sensitive import is_sensitive, mask, masked_text
from ..models import ClientInvoice, Unset, WireModel, field_plan, wire_value
from ._html import prose, wire_timestamp
from ._options import get_options

__all__ = ["invoice_text", "summary"]

_MAX = 120


def _plain(value: Any) -> str:
    if isinstance(value, Enum):
        return str(wire_value(value))
    if isinstance(value, float):
        return format(value, ".12g")
    return str(value)


def _count(n: int, noun: str) -> str:
    """``1 line item``, ``3 line items``."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def invoice_summary(inv: ClientInvoice) -> str:
    """``<ClientInvoice …>``: what IPython's text/plain, a get() reply and the editor's repr show,
    the server's prose masked as the card masks it (a saved notebook stores this next to the HTML)."""
    due = format_timestamp(inv.due_date, with_time=False) or inv.due_date
    return (
        f"<ClientInvoice {prose(inv.invoice_number)} {_plain(inv.status)} {format_money(inv.amount, inv.currency)} "
        f"due {due} · {prose(inv.member_name)} · {_count(len(inv.line_items), 'line item')} · id {inv.invoice_id}>"
    )


def _party(name: object, company: object, email: object) -> str:
    shown = " ".join(str(p) for p in (name, f"({company})" if company and company != name else None) if p)
    return f"{shown} <{email}>" if email else shown or "—"


def invoice_text(inv: ClientInvoice, *, today: Any = None) -> str:
    """What ``print(invoice)`` shows: the card's facts as a few readable lines (number, project,
    status, amount, due date, parties, line items, id); server prose masked by :func:`prose`, the
    card's rule."""
    title = " · ".join(
        prose(p) for p in (f"Invoice {prose(inv.invoice_number)}", inv.project_name, words(inv.status)) if p
    )
    due = format_timestamp(inv.due_date, with_time=False) or inv.due_date
    late = overdue_days(inv.status, inv.due_date, today)
    when = (
        ""
        if late is None
        else f", overdue by {late} days"
        if late > 0
        else ", due today"
        if late == 0
        else f", due in {-late} days"
    )
    mc = inv.member_client
    lines = [
        title,
        f"{format_money(inv.amount, inv.currency)}, due {due}{when}",
        f"Member  {prose(_party(inv.member_name, inv.member_company, inv.member_email))}",
        f"Client  {prose(_party(client_label(inv), None, mc.email_to))}",
        f"Line items ({len(inv.line_items)})",
    ]
    limit = get_options().max_line_items
    items = list(enumerate(inv.line_items, 1))
    shown = items if len(items) <= limit else [*items[: limit // 2], *items[-(limit - limit // 2) :]]
    rows: list[tuple[int, str, str, str]] = []
    for n, li in shown:
        qty = f"{_plain(li.quantity)} {li.unit or ''}".rstrip() if li.quantity is not None else ""
        cost = f" × {format_money(li.cost_per_unit)}" if li.cost_per_unit is not None else ""  # noqa: RUF001 - a price sum reads with the sign
        rows.append((n, prose(li.description or "")[:40], qty + cost, format_money(li.total_cost)))
    widths = [max((len(str(r[i])) for r in rows), default=0) for i in (1, 2, 3)]
    for n, what, qty, total in rows:
        if len(items) > limit and n == shown[limit // 2][0]:
            lines.append(f"  … {len(items) - limit:,} more line items")
        lines.append(f"  {n:>3}  {what:<{widths[0]}}  {qty:<{widths[1]}}  {total:>{widths[2]}}")
    created = format_timestamp(inv.created_at) or inv.created_at
    lines.append(f"Created {created} · id {inv.invoice_id}")
    return "\n".join(lines)


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
    from .._comparison import Changes
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
