"""DataFrames of invoices (the optional ``analysis`` extra: pandas)."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal, cast

from . import errors
from ._facts import as_utc_date, client_label, overdue_days
from .models import InvoiceResponse, InvoiceStatus, wire_value
from .models.invoice import ClientInvoice
from .models.operations import ListClientInvoicesResponse

if TYPE_CHECKING:
    import pandas as pd
    from pandas import DataFrame

__all__ = ["INVOICE_COLUMNS", "LINE_ITEM_COLUMNS", "invoice_row", "require_pandas", "to_dataframe"]

INVOICE_COLUMNS = (
    "invoice_id", "invoice_number", "status", "amount", "currency", "project_name",
    "member_name", "member_company", "member_email", "client_name", "client_email",
    "created_at", "updated_at", "due_date", "sent_at", "paid_at",
    "line_item_count", "processing_fee", "late_fee", "credit_fee_client_pays", "credit_fee_member_pays",
    "overdue_days",
)  # fmt: skip
LINE_ITEM_COLUMNS = (
    "invoice_id", "invoice_number", "line", "description", "detail", "quantity", "unit",
    "cost_per_unit", "total_cost", "reimbursable", "discount_percentage", "discount_amount",
    "created_at", "status", "currency",
)  # fmt: skip
_TIMES = ("created_at", "updated_at", "due_date", "sent_at", "paid_at")


def require(module: str, purpose: str, install: str = "pip install 'wingspan_nb[analysis]'") -> Any:
    """The optional ``module``, or a :class:`~wingspan_nb.errors.MissingDependencyError` (also an
    ``ImportError``) saying what needs it and what to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise errors.MissingDependencyError(
            f"{purpose} needs {module}, which is not installed: {install}"
        ) from None


def require_pandas() -> Any:
    """The pandas module. Every DataFrame the package makes (``to_dataframe``, bulk plans, results
    and audit logs, reports) asks here."""
    return require("pandas", "DataFrames")


def _invoices(items: Iterable[Any]) -> list[ClientInvoice]:
    if isinstance(items, ListClientInvoicesResponse):
        items = items.client_invoices
    out = []
    for item in items:
        if isinstance(item, InvoiceResponse):
            item = item.client_invoice
        if not isinstance(item, ClientInvoice):
            raise errors.InvalidTypeError(
                f"to_dataframe takes ClientInvoice objects (or get/get_many results), got {type(item).__name__}"
            )
        out.append(item)
    return out


def _overdue_days(inv: ClientInvoice, today: date) -> float | None:
    days = overdue_days(inv.status, inv.due_date, today)
    return None if days is None else float(days)


def _utc_times(pd: Any, wire: Any) -> Any:
    """Wire timestamps as UTC datetimes; NaT for what is not one, and for one whose offset carries
    it past year 1 or 9999 in UTC: pandas could hold it, but every other view (the overdue days
    too) has no time for it, so analysis has none either."""
    times = pd.to_datetime(wire, utc=True, errors="coerce", format="ISO8601")
    return times.where(times.dt.year.between(1, 9999))


def _status_categorical(pd: Any, values: Any) -> Any:
    """Statuses as a categorical in ``InvoiceStatus``'s order (the list cards' order); statuses this version does not know come last, in the order first seen."""
    known = [s.value for s in InvoiceStatus]
    unknown = [v for v in dict.fromkeys(values.dropna()) if v not in known]
    return values.astype(pd.CategoricalDtype([*known, *unknown]))


def _share(v: Any) -> float | None:
    """A fee share as a number; UNSET and null become NaN in the frame."""
    return v if isinstance(v, int | float) and not isinstance(v, bool) else None


def invoice_row(inv: ClientInvoice, today: date) -> tuple[Any, ...]:
    """One invoice's values in ``INVOICE_COLUMNS`` order, before pandas types them (timestamps are
    still wire strings)."""
    mc = inv.member_client
    charged = inv.charged_fees
    cfh = inv.credit_fee_handling
    return (
        inv.invoice_id, inv.invoice_number, wire_value(inv.status), inv.amount, wire_value(inv.currency), inv.project_name,
        inv.member_name, inv.member_company, inv.member_email, client_label(inv), mc.email_to,
        inv.created_at, inv.updated_at, inv.due_date, inv.events.sent_at, inv.events.paid_at,
        len(inv.line_items),
        charged.processing_fee.amount if charged and charged.processing_fee else None,
        charged.late_fee.amount if charged and charged.late_fee else None,
        _share(cfh.client_pays) if cfh else None, _share(cfh.member_pays) if cfh else None,
        _overdue_days(inv, today),
    )  # fmt: skip


def to_dataframe(
    invoices: Iterable[Any],
    level: Literal["invoice", "line_items"] = "invoice",
    *,
    today: date | datetime | str | None = None,
) -> pd.DataFrame:
    """A DataFrame of invoices: one row per invoice, or per line item with ``level="line_items"``.

    Takes ``ClientInvoice`` objects, ``get`` responses, a ``get_many`` result, an invoice list or a
    ``list()`` response. Timestamps become UTC datetimes, status and currency categoricals, money
    floats, ``overdue_days`` a float: days past the due date, as the card counts them (0 on the due
    date, negative while not yet due, so past due is ``overdue_days > 0``; NaN for paid, in-transit,
    cancelled and draft invoices). ``status`` is ordered as ``InvoiceStatus`` lists its members, so
    tables and charts grouped by it list the statuses in the order the cards do. ``today`` (a date, a datetime taken in UTC (a naive one is UTC), or an ISO date such as ``"2026-12-07"``) fixes "now" for
    reproducible analyses; by default it is today in UTC, the date the card measures against.
    """
    pd = require_pandas()
    items = _invoices(invoices)
    now = as_utc_date(today)
    if level == "invoice":
        df = pd.DataFrame.from_records(
            [invoice_row(inv, now) for inv in items], columns=list(INVOICE_COLUMNS)
        )
        for name in _TIMES:
            df[name] = _utc_times(pd, df[name])
        for name in (
            "amount",
            "processing_fee",
            "late_fee",
            "credit_fee_client_pays",
            "credit_fee_member_pays",
            "overdue_days",
        ):
            df[name] = df[name].astype("float64")
        df["line_item_count"] = df["line_item_count"].astype("int64")
    elif level == "line_items":
        rows = [
            (
                inv.invoice_id,
                inv.invoice_number,
                n + 1,
                li.description,
                li.detail,
                li.quantity,
                li.unit,
                li.cost_per_unit,
                li.total_cost,
                li.reimbursable_expense,
                li.discount.percentage if li.discount else None,
                li.discount.amount if li.discount else None,
                li.created_at,
                wire_value(inv.status),
                wire_value(inv.currency),
            )
            for inv in items
            for n, li in enumerate(inv.line_items)
        ]
        df = pd.DataFrame.from_records(rows, columns=list(LINE_ITEM_COLUMNS))
        df["created_at"] = _utc_times(pd, df["created_at"])
        for name in ("quantity", "cost_per_unit", "total_cost", "discount_percentage", "discount_amount"):
            df[name] = df[name].astype("float64")
        df["line"] = df["line"].astype("int64")
        df["reimbursable"] = df["reimbursable"].astype("bool")
    else:
        raise errors.InvalidRequestError(f"level must be 'invoice' or 'line_items', got {level!r}")
    df["status"] = _status_categorical(pd, df["status"])
    df["currency"] = df["currency"].astype("category")
    return cast("DataFrame", df)  # pd is the module require_pandas gave, typed Any
