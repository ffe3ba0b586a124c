"""Filtering, sorting and finding on an invoice list, locally (the API has no server-side filters):
the keys :meth:`InvoiceList.where <wingspan_nb.InvoiceList.where>` compares and how it reads
its arguments, and ``sort_by`` and ``find``.

Each list keeps the per-invoice values its filters compare (:class:`ListKeys`), each column read
from the models on first use and reused by every later call, so a filter on 10,000 invoices walks
flat lists of strings and numbers instead of the models. Equality filters (status, currency) are
answered from a value → positions index; the other conditions only look at what those left.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, Final

from . import _clock, errors
from ._facts import as_utc_date, date_of, due_while_awaiting, parse_timestamp
from ._sensitive import masked_prose
from .models import Currency, InvoiceStatus, wire_value

if TYPE_CHECKING:
    from ._invoices import InvoiceList
    from .models.invoice import ClientInvoice

__all__ = [
    "ListKeys",
    "as_amount",
    "as_date",
    "bad_argument",
    "currencies",
    "find",
    "needle",
    "sort_by",
    "statuses",
]

Column = list[Any]


def _client_text(inv: ClientInvoice) -> str:
    mc = inv.member_client
    return "\n".join(s for s in (mc.company, mc.name, mc.email_to) if s).casefold()


def _member_text(inv: ClientInvoice) -> str:
    return "\n".join(s for s in (inv.member_name, inv.member_company, inv.member_email) if s).casefold()


def _search_text(inv: ClientInvoice) -> str:
    parts = [inv.invoice_number, inv.project_name, inv.invoice_notes]
    for li in inv.line_items:
        parts += (li.description, li.detail)
    return "\n".join(s for s in parts if isinstance(s, str)).casefold()


def _due(inv: ClientInvoice) -> date | None:
    t = parse_timestamp(inv.due_date)
    return None if t is None else t.date()


_BUILDERS: Final[dict[str, Callable[[ClientInvoice], Any]]] = {
    "status": lambda inv: str(wire_value(inv.status)),
    "currency": lambda inv: str(wire_value(inv.currency)),
    "amount": lambda inv: inv.amount,
    "number": lambda inv: inv.invoice_number,
    "due": _due,
    "awaiting_due": lambda inv: due_while_awaiting(inv.status, inv.due_date),
    "client": _client_text,
    "client_id": lambda inv: inv.member_client.client_id,
    "member": _member_text,
    "member_id": lambda inv: inv.member_client.member_id,
    "text": _search_text,
}
"""What each filter compares, per invoice: strings folded for case-insensitive search, dates as
UTC dates, the due date only while awaiting payment for the overdue rule (``facts``)."""


class ListKeys:
    """The per-invoice values of one list's filters, each column built on first use and kept.

    A list's invoices are read once: an invoice object changed in place afterwards is not seen
    (the package never does that; a new ``list()`` or ``get_many`` gives new objects and a new list).
    The keys of a list made by ``where``, ``sort_by`` or ``subset`` are picked from its source's
    (``source``: the source's keys and the positions taken), computed there once for both.
    """

    __slots__ = ("_columns", "_invoices", "_positions", "_rows", "_source")

    def __init__(
        self, invoices: Sequence[ClientInvoice], source: tuple[ListKeys, Sequence[int]] | None = None
    ) -> None:
        self._invoices = invoices
        self._source = source
        self._columns: dict[str, Column] = {}
        self._positions: dict[str, dict[str, frozenset[int]]] = {}
        self._rows: list[tuple[Any, ...]] | None = None

    def column(self, name: str) -> Column:
        """One value per invoice, in list order (see ``_BUILDERS`` for the names)."""
        col = self._columns.get(name)
        if col is None:
            if self._source is not None:
                keys, picked = self._source
                whole = keys.column(name)
                col = [whole[n] for n in picked]
            else:
                build = _BUILDERS[name]
                col = [build(inv) for inv in self._invoices]
            self._columns[name] = col
        return col

    def positions(self, name: str) -> dict[str, frozenset[int]]:
        """For an equality column (status, currency): each value and the positions holding it."""
        index = self._positions.get(name)
        if index is None:
            groups: dict[str, list[int]] = {}
            for n, value in enumerate(self.column(name)):
                groups.setdefault(value, []).append(n)
            index = self._positions[name] = {v: frozenset(p) for v, p in groups.items()}
        return index

    def frame_rows(self) -> list[tuple[Any, ...]]:
        """Each invoice's ``to_dataframe`` row (``INVOICE_COLUMNS``; ``overdue_days`` left out, as it
        depends on the day): what ``sort_by`` orders by."""
        if self._rows is None:
            if self._source is not None:
                keys, picked = self._source
                whole = keys.frame_rows()
                self._rows = [whole[n] for n in picked]
            else:
                from ._analysis import invoice_row

                day = _clock.today_utc()
                self._rows = [invoice_row(inv, day) for inv in self._invoices]
        return self._rows

    def replaced(self, invoices: Sequence[ClientInvoice], changed: Mapping[int, ClientInvoice]) -> ListKeys:
        """The keys of ``invoices``: these keys with the invoices at the ``changed`` positions read
        again (a save's reply in place of the invoice it replaces). The columns built so far are
        copied, not rebuilt; the value → positions indexes are rebuilt from them on next use."""
        out = ListKeys(invoices)
        for name, col in self._columns.items():
            build, fresh = _BUILDERS[name], list(col)
            for n, inv in changed.items():
                fresh[n] = build(inv)
            out._columns[name] = fresh
        if self._rows is not None:
            from ._analysis import invoice_row

            day, rows = _clock.today_utc(), list(self._rows)
            for n, inv in changed.items():
                rows[n] = invoice_row(inv, day)
            out._rows = rows
        return out


def bad_argument(argument: str, value: object, should: str) -> errors.InvalidRequestError:
    return errors.InvalidRequestError(
        f"where({argument}=...) got {errors.short_id(repr(value))}: {should}. Nothing was filtered."
    )


def _folded(value: str) -> str:
    return "".join(value.split()).casefold()


def _many(value: object) -> list[object]:
    if isinstance(value, str | Enum) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def statuses(value: object, present: Iterable[str]) -> set[str]:
    """Wire statuses from members, wire values or words in any case (``"payment in transit"``);
    a status the server sent that this version does not know is accepted when the list holds it."""
    known = {_folded(s.value): s.value for s in InvoiceStatus}
    known.update({_folded(s): s for s in present})
    out = set()
    for item in _many(value):
        wire = known.get(_folded(str(wire_value(item)))) if isinstance(item, str) else None
        if wire is None:
            names = ", ".join(s.value for s in InvoiceStatus)
            raise bad_argument("status", item, f"not an invoice status; use one or several of {names}")
        out.add(wire)
    return out


def currencies(value: object, present: Iterable[str]) -> set[str]:
    known = {c.value for c in Currency} | set(present)
    out = set()
    for item in _many(value):
        code = str(wire_value(item)).strip().upper() if isinstance(item, str) else None
        if code not in known:
            raise bad_argument(
                "currency", item, f"not a currency of this account; use one of {', '.join(sorted(known))}"
            )
        out.add(code)
    return out


def as_date(argument: str, value: object) -> date:
    """A date from a date, a datetime (its UTC date) or an ISO 8601 string."""
    day = date_of(value)
    if day is not None:
        return day
    raise bad_argument(
        argument, value, "not a date; give a date, a datetime or an ISO date such as '2026-03-31'"
    )


def as_amount(argument: str, value: object) -> float:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:  # an int beyond any float (10**400)
            number = math.inf
        if math.isfinite(number):
            return number
    raise bad_argument(argument, value, "not a finite number")


def needle(argument: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise bad_argument(argument, value, "give the text to look for (a non-empty string)")
    return value.strip().casefold()


def sort_by(
    invoices: InvoiceList, key: str, *, descending: bool = False, today: date | datetime | str | None = None
) -> InvoiceList:
    """The implementation of :meth:`wingspan_nb.InvoiceList.sort_by`."""
    from ._analysis import INVOICE_COLUMNS

    if key not in INVOICE_COLUMNS:
        raise errors.InvalidRequestError(
            f"sort_by({key!r}): not a column of to_dataframe(); use one of {', '.join(INVOICE_COLUMNS)}"
        )
    if key == "overdue_days":
        day = as_utc_date(today)
        waiting = invoices.filter_keys.column("awaiting_due")  # overdue_days's own rule, from the keys
        values: list[Any] = [None if d is None else (day - d).days for d in waiting]
    else:
        at = INVOICE_COLUMNS.index(key)
        values = [row[at] for row in invoices.filter_keys.frame_rows()]
        if key in _TIME_COLUMNS:
            values = [parse_timestamp(v) for v in values]
        elif key == "status":
            order = {s.value: n for n, s in enumerate(InvoiceStatus)}
            values = [(order.get(v, len(order)), v) for v in values]
    # Missing values last in either direction, as pandas puts NaN; ties keep the list's order.
    present = [n for n, v in enumerate(values) if v is not None]
    missing = [n for n, v in enumerate(values) if v is None]
    present.sort(key=values.__getitem__, reverse=descending)  # stable either way
    return invoices.subset([*present, *missing])


_TIME_COLUMNS: Final = frozenset({"created_at", "updated_at", "due_date", "sent_at", "paid_at"})


def find(invoices: InvoiceList, number: str) -> ClientInvoice:
    """The implementation of :meth:`wingspan_nb.InvoiceList.find`."""
    if not isinstance(number, str) or not number.strip():
        raise errors.InvalidRequestError(
            f"find(number=...) got {errors.short_id(repr(number))}: give an invoice number such as 'INV-0042'"
        )
    wanted = number.strip()
    numbers = invoices.filter_keys.column("number")
    hits = [n for n, v in enumerate(numbers) if v == wanted]
    if len(hits) == 1:
        return invoices[hits[0]]
    quoted = errors.short_id(repr(masked_prose(wanted)))  # masked as every view masks an invoice number
    if not hits:
        raise errors.NoMatchError(
            f"No invoice numbered {quoted} among these {len(invoices):,} (0 matched); "
            f"where(text={quoted}) finds numbers that contain it.",
            count=0,
        )
    raise errors.NoMatchError(
        f"{len(hits):,} invoices are numbered {quoted} (ids {', '.join(invoices[n].invoice_id for n in hits[:5])}"
        f"{', …' if len(hits) > 5 else ''}); where(text={quoted}) lists them all.",
        count=len(hits),
    )
