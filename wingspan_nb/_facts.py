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
from typing import Any, Final, Literal, overload

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
    string stands for; ``None`` for anything else, for pandas ``NaT`` and for a time at the
    calendar's edge that has no date in UTC (``0001-01-01T00:00+01:00``)."""
    if isinstance(value, datetime):
        t = _in_utc(value)
        return None if t is None else t.date()
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
    if isinstance(today, datetime) and today != today:
        raise InvalidRequestError(
            f"{argument}=NaT is a missing time (pandas NaT, such as the max of an empty column), not a "
            "date: give a date, a datetime, an ISO date such as '2026-12-07', or None for today (UTC)."
        )
    day = date_of(today)
    if day is None:
        raise InvalidRequestError(
            f"{argument}={short_id(repr(today))} is not a date: give a date, a datetime, an ISO date "
            "such as '2026-12-07', or None for today (UTC)."
        )
    return day


def _in_utc(t: datetime) -> datetime | None:
    """``t`` as an aware UTC datetime (a naive one is UTC); ``None`` when its offset carries it past
    the calendar's first or last day (``0001-01-01T00:00+05:00``), which no UTC datetime can hold,
    and for pandas ``NaT`` (a missing time)."""
    if t != t:  # NaT, a datetime subclass that equals nothing, itself included
        return None
    if t.tzinfo is None:
        return t.replace(tzinfo=timezone.utc)
    try:
        return t.astimezone(timezone.utc)
    except OverflowError:
        return None


def parse_timestamp(value: object) -> datetime | None:
    """An ISO 8601 timestamp from the wire (``2025-11-18T16:09:00.000Z``, ``20251118T160900Z``) as
    an aware UTC datetime; ``None`` for anything that is not one, and for one that UTC cannot hold
    (``9999-12-31T23:59-05:00``): views show such a value as sent, analysis sees no time. A naive
    timestamp is taken as UTC."""
    if not isinstance(value, str):
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return _in_utc(t)


def has_time_of_day(value: object) -> bool:
    """Whether a wire value is a timestamp :func:`parse_timestamp` reads that carries a time of day
    (``2024-04-15T09:30:00Z``, ``20240415T093000Z``), not only a date (``2024-04-15``)."""
    return parse_timestamp(value) is not None and not _date_only(value)


def _date_only(value: object) -> bool:
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


Precision = Literal["minutes", "seconds", "microseconds"]
_CLOCK: Final[dict[str, str]] = {"minutes": "%H:%M", "seconds": "%H:%M:%S", "microseconds": "%H:%M:%S.%f"}


@overload
def format_timestamp(
    value: datetime, *, with_time: bool = True, with_date: bool = True, precision: Precision = "minutes"
) -> str: ...
@overload
def format_timestamp(
    value: object, *, with_time: bool = True, with_date: bool = True, precision: Precision = "minutes"
) -> str | None: ...
def format_timestamp(
    value: object, *, with_time: bool = True, with_date: bool = True, precision: Precision = "minutes"
) -> str | None:
    """A time as every view writes it, in UTC with the zone said: ``2025-11-18 16:09 UTC``;
    ``16:09 UTC`` without the date (``with_date=False``), ``2025-11-18`` without the time; seconds
    (``16:09:05 UTC``) or microseconds where a view must tell instants apart (``precision``).

    ``value`` is a wire timestamp (ISO 8601) or a datetime (a naive one is UTC); ``None`` comes back
    for anything else. A date-only wire value (``2024-04-15``) always shows as the date alone: a time
    of day the server did not send is never invented."""
    if isinstance(value, datetime):
        t, timed = _in_utc(value), True
        if t is None:  # NaT, or past the calendar's edge in UTC: shown as given, never a crash
            return value.isoformat()
    else:
        t = parse_timestamp(value)
        timed = t is not None and not _date_only(value)
    if t is None:
        return None
    day = t.date().isoformat()  # strftime's %Y writes year 1 as "1", not "0001"
    if not (with_time and timed):
        return day
    clock = f"{t:{_CLOCK[precision]}} UTC"
    return f"{day} {clock}" if with_date else clock


_PRECISIONS: Final[tuple[Precision, ...]] = ("minutes", "seconds", "microseconds")


def format_timestamps_apart(before: object, after: object) -> tuple[str | None, str | None]:
    """Two wire timestamps as :func:`format_timestamp` writes them, with seconds (and then
    microseconds) added only where minutes would show two different instants as the same
    (``06:26:05 UTC → 06:26:41 UTC``, not ``06:26 → 06:26``). Two different wire values that stand
    for one instant (``16:09:00.000Z`` and ``17:09:00+01:00``, or values a microsecond cannot tell
    apart) come back as sent, so the difference shows. ``None`` for a value that is not a
    timestamp, as :func:`format_timestamp` says."""
    a, b = (parse_timestamp(v) if has_time_of_day(v) else None for v in (before, after))
    if a is not None and b is not None and a != b:
        # Two datetimes that differ differ at microseconds: some precision always tells them apart.
        return next(
            pair
            for p in _PRECISIONS
            if (pair := (format_timestamp(a, precision=p), format_timestamp(b, precision=p)))[0] != pair[1]
        )
    shown = format_timestamp(before), format_timestamp(after)
    if shown[0] is not None and shown[0] == shown[1] and before != after:
        return str(before), str(after)
    return shown


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
