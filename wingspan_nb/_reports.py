"""The account's reports: what an analyst asks of every invoice list, computed per currency.

Each function takes an :class:`~wingspan_nb.InvoiceList` (the whole account, a snapshot or
a ``where`` result) and returns a :class:`Report`: a formatted table in a notebook (one per
currency), ``.to_frame()`` for the numbers and ``.plot()`` for a chart per currency. Amounts in
different currencies are never added; ``today=`` fixes "now" so that a re-run gives the same numbers.
The lists' methods (``account.summary()``, ``account.aging()``, ...) call these.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar

import attrs

from . import errors
from ._displayable import Displayable
from ._facts import as_utc_date, client_label, due_while_awaiting, parse_timestamp
from .models import InvoiceStatus, wire_value

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from ._invoices import InvoiceList
    from .models.invoice import ClientInvoice

__all__ = ["Measure", "Report", "aging", "days_to_pay", "dso", "fees", "past_due", "summary"]

_T = TypeVar("_T")

Kind = Literal["count", "money", "days", "percent", "date", "text"]


@attrs.frozen
class Measure:
    """A column of a report: its name in ``to_frame()``, its header in words, and how it reads."""

    name: str
    label: str
    kind: Kind


@attrs.frozen(eq=False)
class Report(Displayable):
    """A report: rows of ``(currency, group, *measures)``, per currency, ready to show or chart.

    ``to_frame()`` gives the numbers unformatted (long form), ``plot()`` a chart per currency; in a
    notebook it shows as one table per currency (thousands separators, two decimals, the currency
    in the amount headers).
    """

    title: str
    """What the report answers, e.g. "Invoices by status"."""
    group: str | None
    """The grouping column of ``to_frame()`` (``status``, ``bucket``, ``client``, ``member``,
    ``client_pays``), or ``None`` when there is one row per currency."""
    measures: tuple[Measure, ...]
    rows: tuple[tuple[Any, ...], ...]
    """``(currency, group value, *measure values)`` (no group value when ``group`` is None), in
    display order: currencies alphabetically, groups as the report ranks them."""
    today: date
    """The day the report was computed for."""
    chart: str
    """The measure ``plot()`` draws."""
    totals: bool = False
    """Whether each currency's table ends with a total of its counts and amounts."""
    notes: tuple[str, ...] = ()
    """Lines shown under the tables (definitions, formulas)."""

    @property
    def currencies(self) -> list[str]:
        """The currencies the report has rows for, in order."""
        return list(dict.fromkeys(row[0] for row in self.rows))

    @property
    def columns(self) -> list[str]:
        """The columns of ``to_frame()``."""
        return ["currency", *([self.group] if self.group else []), *(m.name for m in self.measures)]

    def per_currency(self) -> dict[str, list[tuple[Any, ...]]]:
        """Each currency's rows without the currency: ``(group value, *measure values)``."""
        out: dict[str, list[tuple[Any, ...]]] = {}
        for row in self.rows:
            out.setdefault(row[0], []).append(row[1:])
        return out

    def total(self, currency: str) -> dict[str, float]:
        """A currency's totals of its counts and amounts (never across currencies)."""
        rows = self.per_currency().get(currency, [])
        skip = 1 if self.group else 0
        return {
            m.name: sum(r[skip + n] or 0 for r in rows)
            for n, m in enumerate(self.measures)
            if m.kind in ("count", "money")
        }

    def to_frame(self) -> pd.DataFrame:
        """The numbers, unformatted: one row per currency and group, columns ``currency``, the
        group's column, then ``count``, ``amount`` and the report's other measures. Dates are
        datetimes (UTC midnight), missing values NaN/NaT."""
        from ._analysis import require_pandas

        pandas = require_pandas()
        frame: pd.DataFrame = pandas.DataFrame.from_records(list(self.rows), columns=self.columns)
        for m in self.measures:
            if m.kind == "count":
                frame[m.name] = frame[m.name].astype("int64")
            elif m.kind in ("money", "days", "percent"):
                frame[m.name] = frame[m.name].astype("float64")
            elif m.kind == "date":
                frame[m.name] = pandas.to_datetime(frame[m.name], utc=True)
        return frame

    def plot(self, style: str | None = None) -> Figure:
        """One horizontal bar chart per currency of the report's main measure: bars from zero, each
        with its value; a bar that dwarfs the rest is drawn broken (see
        docs/how-to/account.md). ``style="dark"`` for a dark theme, ``"light"``
        for a light one; by default the theme JupyterLab saved in its settings, else light."""
        from .display import report_chart

        return report_chart(self, style=style)

    def __repr__(self) -> str:
        from .display import report_text

        return report_text(self)


COUNT: Final = Measure("count", "invoices", "count")
AMOUNT: Final = Measure("amount", "amount", "money")


def _status_order(value: str) -> int:
    order = [s.value for s in InvoiceStatus]
    return order.index(value) if value in order else len(order)


def _currency(inv: ClientInvoice) -> str:
    return str(wire_value(inv.currency))


def _by_currency(invoices: Iterable[ClientInvoice]) -> dict[str, list[ClientInvoice]]:
    out: dict[str, list[ClientInvoice]] = {}
    for inv in invoices:
        out.setdefault(_currency(inv), []).append(inv)
    return dict(sorted(out.items()))


def _group(invoices: Iterable[_T], key: Callable[[_T], Any]) -> dict[Any, list[_T]]:
    out: dict[Any, list[_T]] = {}
    for inv in invoices:
        out.setdefault(key(inv), []).append(inv)
    return out


def _amount(invoices: Iterable[ClientInvoice]) -> float:
    return float(sum(inv.amount for inv in invoices))


def _member_name(inv: ClientInvoice) -> str:
    return inv.member_name or inv.member_company or inv.member_email


def _who(by: object) -> Callable[[ClientInvoice], str]:
    if by == "client":
        return client_label
    if by == "member":
        return _member_name
    raise errors.InvalidRequestError(f"by={by!r}: group by 'client' or 'member'")


def summary(invoices: InvoiceList, *, today: date | datetime | str | None = None) -> Report:
    """Counts and amounts by status, per currency; statuses in ``InvoiceStatus`` order (as the cards
    list them), only those present."""
    rows = []
    for currency, invs in _by_currency(invoices).items():
        groups = _group(invs, lambda inv: str(wire_value(inv.status)))
        for status in sorted(groups, key=_status_order):
            rows.append((currency, status, len(groups[status]), _amount(groups[status])))
    return Report(
        "Invoices by status",
        "status",
        (COUNT, AMOUNT),
        tuple(rows),
        as_utc_date(today),
        "amount",
        totals=True,
    )


def _past_due_days(invoices: Iterable[ClientInvoice], day: date) -> list[tuple[ClientInvoice, int]]:
    """Each past-due invoice with its days past due (the one rule: ``facts.due_while_awaiting``)."""
    out = []
    for inv in invoices:
        due = due_while_awaiting(inv.status, inv.due_date)
        if due is not None and due < day:
            out.append((inv, (day - due).days))
    return out


def bucket_labels(buckets: Sequence[int]) -> list[str]:
    """``(30, 60, 90)`` → ``["1 to 30", "31 to 60", "61 to 90", "over 90"]``."""
    starts = [1, *(b + 1 for b in buckets)]
    return [f"{a} to {b}" for a, b in zip(starts, buckets, strict=False)] + [f"over {buckets[-1]}"]


def _check_buckets(buckets: object) -> list[int]:
    items = list(buckets) if isinstance(buckets, Iterable) and not isinstance(buckets, str) else []
    edges = [b for b in items if isinstance(b, int) and not isinstance(b, bool) and b > 0]
    if not edges or edges != items or edges != sorted(set(edges)):
        raise errors.InvalidRequestError(
            f"aging(buckets={buckets!r}): give increasing whole numbers of days, such as (30, 60, 90)"
        )
    return edges


def aging(
    invoices: InvoiceList,
    buckets: Sequence[int] = (30, 60, 90),
    *,
    today: date | datetime | str | None = None,
) -> Report:
    """Past-due invoices (awaiting payment after their due date) by days past due, per currency:
    ``buckets=(30, 60, 90)`` makes "1 to 30", "31 to 60", "61 to 90" and "over 90". Every bucket is
    listed for a currency with anything past due, empty ones with 0."""
    edges = _check_buckets(buckets)
    labels = bucket_labels(edges)
    day = as_utc_date(today)
    rows = []
    for currency, invs in _by_currency(invoices).items():
        late = _past_due_days(invs, day)
        if not late:
            continue
        counts, amounts = [0] * len(labels), [0.0] * len(labels)
        for inv, days in late:
            at = next((n for n, edge in enumerate(edges) if days <= edge), len(edges))
            counts[at] += 1
            amounts[at] += inv.amount
        rows += [(currency, labels[n], counts[n], amounts[n]) for n in range(len(labels))]
    return Report(
        "Past due by days past due",
        "bucket",
        (COUNT, AMOUNT),
        tuple(rows),
        day,
        "amount",
        totals=True,
        notes=("Past due: awaiting payment (Open, Overdue, Pending) after the due date.",),
    )


def past_due(
    invoices: InvoiceList,
    by: Literal["client", "member"] = "client",
    *,
    today: date | datetime | str | None = None,
) -> Report:
    """Past-due invoices by client (or member), ranked by amount within each currency, with the
    oldest due date (and its days past due) and the largest invoice (amount and number). A client is
    named as :func:`~wingspan_nb._facts.client_label` names it (company, else name, else e-mail, else
    client id), the ``client_name`` of ``to_dataframe()``: the groups are those of
    ``df.groupby("client_name")``."""
    who = _who(by)
    day = as_utc_date(today)
    rows = []
    for currency, invs in _by_currency(invoices).items():
        late = _group(_past_due_days(invs, day), lambda pair: who(pair[0]))
        ranked = []
        for name, pairs in late.items():
            oldest = max(days for _, days in pairs)
            largest = max((inv for inv, _ in pairs), key=lambda inv: inv.amount)
            ranked.append(
                (
                    currency,
                    name,
                    len(pairs),
                    _amount(inv for inv, _ in pairs),
                    day - timedelta(days=oldest),
                    oldest,
                    largest.amount,
                    largest.invoice_number,
                )
            )
        rows += sorted(ranked, key=lambda r: (-r[3], r[1]))
    measures = (
        COUNT,
        AMOUNT,
        Measure("oldest_due", "oldest due", "date"),
        Measure("oldest_days", "days past due", "count"),
        Measure("largest", "largest", "money"),
        Measure("largest_number", "largest invoice", "text"),
    )
    return Report(f"Past due by {by}", by, measures, tuple(rows), day, "amount")


def _day(value: object) -> date | None:
    t = parse_timestamp(value)
    return None if t is None else t.date()


def days_to_pay(
    invoices: InvoiceList,
    by: Literal["client", "member"] = "client",
    *,
    today: date | datetime | str | None = None,
) -> Report:
    """For paid invoices with a sent and a paid time: calendar days (UTC) from sent to paid, median
    and mean, and the share paid after the due date, by client (or member) per currency; slowest
    (highest median) first."""
    who = _who(by)
    rows = []
    for currency, invs in _by_currency(invoices).items():
        timed = []
        for inv in invs:
            sent, paid = _day(inv.events.sent_at), _day(inv.events.paid_at)
            if wire_value(inv.status) == InvoiceStatus.PAID and sent is not None and paid is not None:
                due = _day(inv.due_date)
                timed.append((inv, (paid - sent).days, due is not None and paid > due))
        ranked = []
        for name, group in _group(timed, lambda t: who(t[0])).items():
            days = [d for _, d, _ in group]
            late = sum(1 for _, _, is_late in group if is_late)
            ranked.append(
                (
                    currency,
                    name,
                    len(group),
                    _amount(inv for inv, _, _ in group),
                    float(statistics.median(days)),
                    statistics.fmean(days),
                    100.0 * late / len(group),
                )
            )
        rows += sorted(ranked, key=lambda r: (-r[4], r[1]))
    measures = (
        COUNT,
        Measure("amount", "amount paid", "money"),
        Measure("median_days", "median days", "days"),
        Measure("mean_days", "mean days", "days"),
        Measure("paid_late_percent", "paid late", "percent"),
    )
    return Report(
        f"Days to pay by {by}",
        by,
        measures,
        tuple(rows),
        as_utc_date(today),
        "median_days",
        notes=("Paid invoices; days from sent to paid (UTC dates); late: paid after the due date.",),
    )


DSO_FORMULA: Final = "DSO = receivables / amount invoiced in the period * days in the period"


def dso(
    invoices: InvoiceList, period_days: int = 90, *, today: date | datetime | str | None = None
) -> Report:
    """Days sales outstanding per currency over the last ``period_days`` days:

        DSO = receivables / invoiced * period_days

    where *receivables* is the amount still awaiting payment today (Open, Overdue, Pending) and
    *invoiced* the amount of the invoices sent in the period (sent after ``today - period_days`` and
    on or before ``today``; Cancelled ones left out). DSO is missing (NaN) for a currency with
    nothing invoiced in the period."""
    if isinstance(period_days, bool) or not isinstance(period_days, int) or period_days <= 0:
        raise errors.InvalidRequestError(
            f"dso(period_days={period_days!r}): give a whole number of days, such as 90"
        )
    day = as_utc_date(today)
    try:
        start = day - timedelta(days=period_days)
    except OverflowError:  # before the year 1: no calendar holds such a period
        raise errors.InvalidRequestError(
            f"dso(period_days={period_days:,}) reaches before the year 1: give a period of at most "
            f"{(day - date.min).days:,} days"
        ) from None
    rows = []
    for currency, invs in _by_currency(invoices).items():
        open_ = [inv for inv in invs if due_while_awaiting(inv.status, inv.due_date) is not None]
        sent = [
            inv
            for inv in invs
            if wire_value(inv.status) != InvoiceStatus.CANCELLED
            and (d := _day(inv.events.sent_at)) is not None
            and start < d <= day
        ]
        receivable, invoiced = _amount(open_), _amount(sent)
        days = receivable / invoiced * period_days if invoiced else None
        rows.append((currency, len(open_), receivable, len(sent), invoiced, days))
    measures = (
        Measure("count", "open invoices", "count"),
        Measure("amount", "receivables", "money"),
        Measure("invoiced_count", "invoiced", "count"),
        Measure("invoiced", "amount invoiced", "money"),
        Measure("dso_days", "DSO (days)", "days"),
    )
    return Report(
        f"Days sales outstanding over {period_days} days",
        None,
        measures,
        tuple(rows),
        day,
        "dso_days",
        notes=(
            f"{DSO_FORMULA}; receivables: awaiting payment (Open, Overdue, Pending) on {day.isoformat()}; "
            f"invoiced: sent from {(start + timedelta(days=1)).isoformat()} to {day.isoformat()}.",
        ),
    )


def _client_share(inv: ClientInvoice) -> float | None:
    cfh = inv.credit_fee_handling
    share = cfh.client_pays if cfh is not None else None
    return float(share) if isinstance(share, int | float) and not isinstance(share, bool) else None


def fees(invoices: InvoiceList, *, today: date | datetime | str | None = None) -> Report:
    """Fees charged on paid invoices, per currency, by the client's share of the credit-card fee
    (``client_pays``, in %; missing when the invoice does not set it): invoices, amount paid,
    processing and late fees charged, and fees as a percentage of the amount paid."""
    rows = []
    for currency, invs in _by_currency(invoices).items():
        paid = [inv for inv in invs if wire_value(inv.status) == InvoiceStatus.PAID]
        groups = _group(paid, _client_share)
        for share in sorted(groups, key=lambda s: (s is None, s or 0.0)):
            group = groups[share]
            amount = _amount(group)
            processing = float(
                sum(
                    inv.charged_fees.processing_fee.amount
                    for inv in group
                    if inv.charged_fees and inv.charged_fees.processing_fee
                )
            )
            late = float(
                sum(
                    inv.charged_fees.late_fee.amount
                    for inv in group
                    if inv.charged_fees and inv.charged_fees.late_fee
                )
            )
            percent = 100.0 * (processing + late) / amount if amount else None
            rows.append((currency, share, len(group), amount, processing, late, percent))
    measures = (
        COUNT,
        Measure("amount", "amount paid", "money"),
        Measure("processing_fee", "processing fees", "money"),
        Measure("late_fee", "late fees", "money"),
        Measure("fee_percent", "fees, % of paid", "percent"),
    )
    return Report(
        "Fees on paid invoices, by the client's share of the credit-card fee",
        "client_pays",
        measures,
        tuple(rows),
        as_utc_date(today),
        "amount",
        totals=True,
        notes=("client pays: the client's share of the credit-card fee; the member pays the rest.",),
    )
