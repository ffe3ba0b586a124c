"""What every view derives from an invoice the same way: timestamps, whether it is overdue, and
amounts per currency.

The card, the DataFrames, the list and batch views, bulk summaries and the sandbox all ask here, so
that two views of one invoice can never disagree.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date, datetime, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Final

from . import _clock
from .errors import InvalidRequestError, short_id
from .models import ClientInvoice, InvoiceStatus, wire_value

__all__ = [
    "AWAITING_PAYMENT",
    "as_utc_date",
    "client_label",
    "date_of",
    "due_while_awaiting",
    "format_money",
    "format_timestamp",
    "format_timestamps_apart",
    "has_time_of_day",
    "overdue_days",
    "parse_timestamp",
    "totals_by_currency",
    "words",
]

AWAITING_PAYMENT: Final = frozenset({InvoiceStatus.OPEN, InvoiceStatus.OVERDUE, InvoiceStatus.PENDING})
"""Statuses whose invoice still waits for the client's payment, so it can be overdue. A draft was
never sent; a paid, cancelled or in-transit invoice has nothing left to wait for; a status this
version does not know is not guessed at."""


_WORDS: Final = {"LlcSingleMember": "LLC (single member)", "LlcMultiMember": "LLC (multi-member)"}
_CAMEL_PART: Final = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def words(value: object) -> str:
    """An enum's wire value in words, the one way every view writes a status or a choice:
    ``PaymentInTransit`` → ``Payment in transit``, ``Week`` → ``Week``. A value that is not one
    CamelCase word (``W-9``, ``1099-NEC``) stays as sent. Data keeps the wire value; only views use this."""
    s = str(wire_value(value))
    if s in _WORDS:
        return _WORDS[s]
    if not s.isalnum() or "".join(_CAMEL_PART.findall(s)) != s:
        return s
    parts = _CAMEL_PART.findall(s)
    rest = [p if p.isupper() and len(p) > 1 else p.lower() for p in parts[1:]]
    return " ".join([parts[0], *rest])


_CENT: Final = Decimal("0.01")


def format_money(amount: float | int, currency: object = None, *, signed: bool = False) -> str:
    """An amount as every view writes it (card, ``print``, reports, the form, the explorer):
    ``1,200.00 USD``, two decimals, thousands separators, never a float artifact; halves rounded up
    as a spreadsheet's ``ROUND`` does (``2.675`` → ``2.68``). ``signed`` writes ``+`` on a
    positive amount (a move, not a balance). A value that is not a number shows as sent."""
    try:
        d = Decimal(format(amount, ".12g")).quantize(_CENT, rounding=ROUND_HALF_UP)
        d = d if d else abs(d)  # -0.001 rounds to "0.00", never "-0.00"
        shown = f"{d:+,.2f}" if signed and d > 0 else f"{d:,.2f}"
    except (InvalidOperation, ValueError, TypeError, OverflowError):
        shown = str(amount)
    cur = wire_value(currency) if currency is not None else None
    return f"{shown} {cur}" if cur else shown


def client_label(inv: ClientInvoice) -> str:
    """The client as every view names it: its company, else its name, else the address invoices are
    sent to, else its client id. The card, ``print()``, the list, ``to_dataframe()``'s
    ``client_name`` and ``past_due(by="client")`` all ask here, so a report groups exactly as
    ``df.groupby("client_name")`` does."""
    mc = inv.member_client
    return str(mc.company or mc.name or mc.email_to or mc.client_id)


def date_of(value: object) -> date | None:
    """The UTC date a date, a datetime (pandas Timestamp too) or an ISO 8601 date or timestamp
    string stands for; ``None`` for anything else."""
    if isinstance(value, datetime):
        try:
            return (value if value.tzinfo is None else value.astimezone(timezone.utc)).date()
        except OverflowError:  # datetime.max in a zone east of UTC
            return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            t = parse_timestamp(value.strip())
            return None if t is None else t.date()
    return None


def as_utc_date(today: date | datetime | str | None, argument: str = "today") -> date:
    """The date a ``today=`` argument stands for: a date as it is, a datetime taken in UTC (a naive
    one is UTC), an ISO date such as ``"2026-12-07"``, ``None`` for
    :func:`~wingspan_nb._clock.today_utc`; the one reading every report, filter, frame and export shares. Raises :class:`~wingspan_nb.errors.InvalidRequestError` naming
    ``argument`` for anything else."""
    if today is None:
        return _clock.today_utc()
    day = date_of(today)
    if day is None:
        raise InvalidRequestError(
            f"{argument}={short_id(repr(today))} is not a date: give a date, a datetime, an ISO date "
            "such as '2026-12-07', or None for today (UTC)."
        )
    return day


def parse_timestamp(value: object) -> datetime | None:
    """An ISO 8601 timestamp from the wire (``2025-11-18T16:09:00.000Z``) as an aware UTC datetime;
    ``None`` for anything that is not one (a naive timestamp is taken as UTC)."""
    if not isinstance(value, str):
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t.replace(tzinfo=timezone.utc) if t.tzinfo is None else t.astimezone(timezone.utc)


_TIME_OF_DAY: Final = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def has_time_of_day(value: object) -> bool:
    """Whether a wire value carries a time of day (``2024-04-15T09:30:00Z``), not only a date
    (``2024-04-15``)."""
    return isinstance(value, str) and _TIME_OF_DAY.match(value) is not None


def format_timestamp(value: object, *, with_time: bool = True) -> str | None:
    """A wire timestamp as analysts read it: ``2025-11-18 16:09 UTC`` (``2025-11-18`` without the
    time); ``None`` when ``value`` is not a timestamp. A date-only value (``2024-04-15``) always shows
    as the date alone: a time of day the server did not send is never invented."""
    t = parse_timestamp(value)
    if t is None:
        return None
    with_time = with_time and has_time_of_day(value)
    return t.strftime("%Y-%m-%d %H:%M UTC") if with_time else t.strftime("%Y-%m-%d")


_PRECISIONS: Final = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f")


def format_timestamps_apart(before: object, after: object) -> tuple[str | None, str | None]:
    """Two wire timestamps as :func:`format_timestamp` writes them, with seconds (and then
    microseconds) added only where minutes would show two different instants as the same
    (``06:26:05 UTC → 06:26:41 UTC``, not ``06:26 → 06:26``). ``None`` for a value that is not a
    timestamp with a time of day, as :func:`format_timestamp` says."""
    times = [parse_timestamp(v) if has_time_of_day(v) else None for v in (before, after)]
    a, b = times
    if a is None or b is None or a == b:
        return format_timestamp(before), format_timestamp(after)
    # Microseconds tell any two datetimes apart: the last precision always differs.
    fmt = next(f for f in _PRECISIONS if f"{a:{f}}" != f"{b:{f}}")
    return f"{a:{fmt}} UTC", f"{b:{fmt}} UTC"


def due_while_awaiting(status: object, due_date: object) -> date | None:
    """The due date (UTC) of an invoice still awaiting payment; ``None`` when the invoice cannot be
    overdue (see :data:`AWAITING_PAYMENT`) or its due date is not a timestamp. It is past due on
    every day after this date: the one overdue rule, which :func:`overdue_days` and the list's
    ``where(past_due=True)`` share."""
    if wire_value(status) not in AWAITING_PAYMENT:
        return None
    due = parse_timestamp(due_date)
    return None if due is None else due.date()


def overdue_days(status: object, due_date: object, today: date | None = None) -> int | None:
    """Days past the due date of an invoice still awaiting payment: positive when overdue, ``0`` on
    the due date, negative while it is due in the future. ``None`` when the invoice cannot be overdue
    (see :data:`AWAITING_PAYMENT`) or its due date is not a timestamp."""
    due = due_while_awaiting(status, due_date)
    return None if due is None else ((today or _clock.today_utc()) - due).days


def totals_by_currency(amounts: Iterable[tuple[object, Any]]) -> dict[str, float]:
    """Sum ``(currency, amount)`` pairs per currency, never across currencies. Amounts that are not
    finite numbers are left out; a missing currency is kept apart as ``"?"``."""
    totals: dict[str, float] = {}
    names: dict[object, str] = {}  # each currency's name worked out once, not once per amount
    for currency, amount in amounts:
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not math.isfinite(amount):
            continue
        key = names.get(currency)
        if key is None:
            key = names[currency] = str(wire_value(currency)) if currency is not None else "?"
        totals[key] = totals.get(key, 0.0) + float(amount)
    return totals
