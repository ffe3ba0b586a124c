"""to_dataframe: columns, dtypes, empty input, invoices with missing optional parts."""

from __future__ import annotations

import sys
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import pandas as pd
import pytest

import wingspan_nb
from wingspan_nb import errors
from wingspan_nb._analysis import INVOICE_COLUMNS, LINE_ITEM_COLUMNS
from wingspan_nb.models import ClientInvoice
from wingspan_nb.sandbox import demo_invoices, make_invoice

from .helpers import TODAY as DEMO_DAY

DOCS = demo_invoices(today=DEMO_DAY)[:12]
_OPEN_DUE = {d["invoiceId"]: date.fromisoformat(d["dueDate"][:10]) for d in DOCS if d["status"] == "Open"}
TODAY = max(_OPEN_DUE.values()) + timedelta(days=5)
"""Derived from the data: five days after the last due
date of an open invoice, so each open invoice's overdue days are known exactly."""


def _invoices() -> list[ClientInvoice]:
    return [ClientInvoice.from_dict(d) for d in DOCS]


def test_invoice_columns_and_dtypes() -> None:
    df = wingspan_nb.to_dataframe(_invoices(), today=TODAY)
    assert list(df.columns) == list(INVOICE_COLUMNS) and len(df) == 12
    assert isinstance(df["status"].dtype, pd.CategoricalDtype) and isinstance(
        df["currency"].dtype, pd.CategoricalDtype
    )
    for name in ("created_at", "updated_at", "due_date", "sent_at", "paid_at"):
        assert isinstance(df[name].dtype, pd.DatetimeTZDtype) and str(df[name].dt.tz) == "UTC"
    for name in ("amount", "processing_fee", "overdue_days", "credit_fee_client_pays"):
        assert df[name].dtype == "float64"
    assert df["line_item_count"].dtype == "int64"
    first = demo_invoices(today=DEMO_DAY)[0]
    assert df.loc[0, "invoice_number"] == first["invoiceNumber"] and df.loc[0, "amount"] == first["amount"]
    assert df["line_item_count"].tolist() == [len(d["lineItems"]) for d in DOCS]


def test_overdue_days() -> None:
    df = wingspan_nb.to_dataframe(_invoices(), today=TODAY)
    settled = df["status"].isin(["Paid", "PaymentInTransit", "Draft", "Cancelled"])
    assert settled.any() and df.loc[settled, "overdue_days"].isna().all()
    open_ = df[df["status"] == "Open"].set_index("invoice_id")["overdue_days"].to_dict()
    assert len(open_) >= 2 and open_ == {i: float((TODAY - due).days) for i, due in _OPEN_DUE.items()}
    assert min(open_.values()) == 5.0


def test_overdue_days_is_negative_before_the_due_date() -> None:
    before = min(_OPEN_DUE.values()) - timedelta(days=3)
    df = wingspan_nb.to_dataframe(_invoices(), today=before)
    open_ = df[df["status"] == "Open"].set_index("invoice_id")["overdue_days"].to_dict()
    assert open_ == {i: float((before - due).days) for i, due in _OPEN_DUE.items()}
    assert max(open_.values()) == -3.0  # "due in 3 days" on the card, not 0 ("due today")


def test_statuses_keep_the_enums_order() -> None:
    from wingspan_nb.models import InvoiceStatus

    docs = [dict(d, status=s) for d, s in zip(DOCS, ["Paid", "Open", "Draft", "Cancelled"], strict=False)]
    df = wingspan_nb.to_dataframe([ClientInvoice.from_dict(d) for d in docs])
    assert list(df["status"].cat.categories) == [s.value for s in InvoiceStatus]
    by_status = df.groupby("status", observed=True)["amount"].sum()
    assert list(by_status.index) == ["Draft", "Open", "Cancelled", "Paid"]  # not alphabetical
    lines = wingspan_nb.to_dataframe([ClientInvoice.from_dict(d) for d in docs], level="line_items")
    assert list(lines["status"].cat.categories) == [s.value for s in InvoiceStatus]


@pytest.mark.filterwarnings("ignore::wingspan_nb.errors.UnknownEnumValueWarning")
def test_a_status_this_version_does_not_know_comes_last() -> None:
    docs = [dict(DOCS[0], status="Archived"), dict(DOCS[1], status="Draft")]
    df = wingspan_nb.to_dataframe([ClientInvoice.from_dict(d) for d in docs])
    assert list(df["status"].cat.categories)[-1] == "Archived" and df["status"].tolist() == [
        "Archived",
        "Draft",
    ]


def test_today_may_be_a_date_or_a_datetime_taken_in_utc() -> None:
    by_date = wingspan_nb.to_dataframe(_invoices(), today=TODAY)["overdue_days"]
    # 02:00 on the day after TODAY at UTC+05:00 is still TODAY in UTC.
    late_east = datetime.combine(TODAY + timedelta(days=1), datetime.min.time()).replace(
        hour=2, tzinfo=timezone(timedelta(hours=5))
    )
    by_datetime = wingspan_nb.to_dataframe(_invoices(), today=late_east)["overdue_days"]
    assert by_datetime.equals(by_date)
    naive = datetime.combine(TODAY, datetime.min.time())
    assert wingspan_nb.to_dataframe(_invoices(), today=naive)["overdue_days"].equals(by_date)


def test_today_defaults_to_the_utc_date_the_card_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    from wingspan_nb import _clock

    monkeypatch.setattr(_clock, "utc_now", lambda: datetime.combine(TODAY, time(23, 59), timezone.utc))
    assert wingspan_nb.to_dataframe(_invoices())["overdue_days"].equals(
        wingspan_nb.to_dataframe(_invoices(), today=TODAY)["overdue_days"]
    )


def test_line_item_rows() -> None:
    invs = _invoices()
    df = wingspan_nb.to_dataframe(invs, level="line_items")
    assert list(df.columns) == list(LINE_ITEM_COLUMNS)
    assert len(df) == sum(len(i.line_items) for i in invs)
    assert (
        df["line"].dtype == "int64"
        and df["reimbursable"].dtype == "bool"
        and df["total_cost"].dtype == "float64"
    )
    assert (df.groupby("invoice_id")["line"].min() == 1).all()


def test_empty_input() -> None:
    for level in ("invoice", "line_items"):
        df = wingspan_nb.to_dataframe([], level=level)  # type: ignore[arg-type]
        assert len(df) == 0 and len(df.columns) > 10


def test_missing_optional_parts() -> None:
    doc = make_invoice(5, status="Open", today=DEMO_DAY)
    for key in ("chargedFees", "creditFeeHandling", "metadata", "paymentInfo", "attachments"):
        doc.pop(key, None)
    doc["events"] = {}
    df = wingspan_nb.to_dataframe([ClientInvoice.from_dict(doc)])
    row = df.iloc[0]
    assert (
        pd.isna(row["processing_fee"]) and pd.isna(row["credit_fee_client_pays"]) and pd.isna(row["sent_at"])
    )


def test_accepts_responses_and_batches(client: wingspan_nb.Wingspan, sandbox: Any) -> None:
    ids = sandbox.ids()[:3]
    batch = client.client_invoice.get_many(ids, progress=False)
    assert wingspan_nb.to_dataframe(batch)["invoice_id"].tolist() == ids
    res = client.client_invoice.get(id=ids[0])
    assert wingspan_nb.to_dataframe([res])["invoice_id"].tolist() == ids[:1]
    with pytest.raises(TypeError, match="takes ClientInvoice objects"):
        wingspan_nb.to_dataframe([{"invoiceId": "x"}])
    with pytest.raises(ValueError, match="level must be"):
        wingspan_nb.to_dataframe([], level="lines")  # type: ignore[arg-type]


def test_a_clear_error_without_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # what `import pandas` meets when it is not installed
    with pytest.raises(errors.MissingDependencyError, match=r"pip install 'wingspan_nb\[analysis\]'") as info:
        wingspan_nb.to_dataframe([])
    assert isinstance(info.value, ImportError)


def test_the_statuses_awaiting_payment_are_members_of_the_enum() -> None:
    from wingspan_nb._facts import AWAITING_PAYMENT, overdue_days
    from wingspan_nb.models import InvoiceStatus

    assert all(isinstance(s, InvoiceStatus) for s in AWAITING_PAYMENT)
    due = f"{TODAY - timedelta(days=2)}T00:00:00Z"
    for status in InvoiceStatus:
        expected = 2 if status in AWAITING_PAYMENT else None
        assert overdue_days(status, due, TODAY) == overdue_days(status.value, due, TODAY) == expected
