"""InvoiceList.where / sort_by / find on a fixed list (tests/fixed_list.py), and filtered lists
going wherever a list goes."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest

import wingspan_nb
from wingspan_nb import _filters as filters
from wingspan_nb._invoices import InvoiceList
from wingspan_nb.errors import InvalidRequestError, NoMatchError, WingspanError
from wingspan_nb.models import ClientInvoice, ClientInvoiceUpdateRequest, InvoiceStatus
from wingspan_nb.sandbox import make_invoice

from .fixed_list import ROWS, TODAY, fixed_list, invoice_dict, numbers


@pytest.fixture
def invoices() -> InvoiceList:
    return fixed_list()


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("Open", ["F-02", "F-03"]),
        (InvoiceStatus.OVERDUE, ["F-04", "F-11"]),
        ("payment in transit", ["F-07"]),
        ("PAID", ["F-08", "F-09", "F-10"]),
        (["Draft", InvoiceStatus.CANCELLED], ["F-01", "F-06"]),
        ({"Pending"}, ["F-05"]),
    ],
)
def test_status_one_or_several_enum_or_wire_string(
    invoices: InvoiceList, status: Any, expected: list[str]
) -> None:
    found = invoices.where(status=status)
    assert isinstance(found, InvoiceList) and numbers(found) == expected


def test_currency_client_member(invoices: InvoiceList) -> None:
    assert numbers(invoices.where(currency="cad")) == ["F-05", "F-06", "F-07", "F-10", "F-11"]
    assert numbers(invoices.where(currency=["USD", "CAD"])) == numbers(invoices)
    acme = ["F-01", "F-02", "F-05", "F-07", "F-08", "F-09"]
    assert numbers(invoices.where(client="ACME")) == acme  # part of the name, any case
    assert numbers(invoices.where(client="billing@acme")) == acme  # the e-mail
    assert numbers(invoices.where(client="client-acme-0001")) == acme  # the id, exactly
    assert numbers(invoices.where(client="client-acme")) == []  # an id is not searched by part
    assert numbers(invoices.where(member="garcía")) == ["F-01", "F-02", "F-04", "F-07", "F-08", "F-10"]
    assert numbers(invoices.where(member="byrne analytics")) == ["F-03", "F-05", "F-06", "F-09", "F-11"]
    assert numbers(invoices.where(member="member-ada-0002")) == ["F-03", "F-05", "F-06", "F-09", "F-11"]


def test_due_dates_are_strict_bounds_and_take_dates_datetimes_and_iso_text(invoices: InvoiceList) -> None:
    assert numbers(invoices.where(due_after=date(2028, 2, 29))) == ["F-01", "F-03"]
    assert numbers(invoices.where(due_after="2028-02-29")) == ["F-01", "F-03"]
    assert numbers(invoices.where(due_before="2028-02-29", due_after="2028-02-10")) == ["F-07", "F-09"]
    late_evening = datetime(2028, 2, 29, 23, 0, tzinfo=timezone.utc)
    assert numbers(invoices.where(due_before=late_evening, due_after="2028-02-28")) == []
    assert numbers(invoices.where(due_after="2028-02-28", due_before="2028-03-01")) == [
        "F-02"
    ]  # the leap day


def test_past_due_is_the_cards_rule_and_the_invoice_due_today_is_not(invoices: InvoiceList) -> None:
    assert numbers(invoices.where(past_due=True, today=TODAY)) == ["F-02", "F-04", "F-05", "F-11"]
    not_late = numbers(invoices.where(past_due=False, today=TODAY))
    assert "F-03" in not_late and len(not_late) == len(invoices) - 4  # F-03 is due today
    frame = invoices.to_dataframe(today=TODAY)
    assert numbers(invoices.where(past_due=True, today=TODAY)) == list(
        frame.loc[frame["overdue_days"] > 0, "invoice_number"]
    )
    # a day later F-03 is past due too; a datetime counts by its UTC date
    tomorrow = datetime(2028, 3, 2, 1, 0, tzinfo=timezone.utc)
    assert "F-03" in numbers(invoices.where(past_due=True, today=tomorrow))


def test_amounts_are_inclusive_bounds(invoices: InvoiceList) -> None:
    assert numbers(invoices.where(min_amount=700, max_amount=1000)) == ["F-02", "F-09", "F-11"]
    assert numbers(invoices.where(min_amount=1200)) == ["F-04", "F-08"]
    assert numbers(invoices.where(max_amount=250.5)) == ["F-01", "F-03"]


def test_text_searches_number_project_notes_and_line_items(invoices: InvoiceList) -> None:
    assert numbers(invoices.where(text="f-1")) == ["F-10", "F-11"]  # the number
    assert numbers(invoices.where(text="PROJECT F-04")) == ["F-04"]
    assert numbers(invoices.where(text="notes of f-06")) == ["F-06"]
    assert numbers(invoices.where(text="work for f-07")) == ["F-07"]  # a line item's description
    assert numbers(invoices.where(text="acme")) == []  # the client is not text: client= finds it


def test_conditions_combine_and_compose(invoices: InvoiceList) -> None:
    both = invoices.where(currency="USD", past_due=True, client="globex", today=TODAY)
    assert numbers(both) == ["F-04"]
    chained = invoices.where(currency="USD").where(past_due=True, today=TODAY).where(client="globex")
    assert numbers(chained) == ["F-04"]
    assert numbers(invoices.where(status="Open", currency="CAD")) == []
    assert numbers(invoices.where()) == numbers(invoices)


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"status": "Opn"}, "status"),
        ({"status": ["Open", 3]}, "status"),
        ({"currency": "EUR"}, "currency"),
        ({"due_before": "yesterday"}, "due_before"),
        ({"due_after": 20280101}, "due_after"),
        ({"min_amount": 10, "max_amount": 1}, "min_amount"),
        ({"min_amount": "10"}, "min_amount"),
        ({"max_amount": float("nan")}, "max_amount"),
        ({"text": "  "}, "text"),
        ({"client": 42}, "client"),
        ({"past_due": "yes"}, "past_due"),
    ],
)
def test_a_bad_argument_is_named_and_nothing_is_filtered(
    invoices: InvoiceList, kwargs: dict[str, Any], named: str
) -> None:
    with pytest.raises(InvalidRequestError, match=rf"where\({named}=") as caught:
        invoices.where(**kwargs)
    assert isinstance(caught.value, WingspanError)


def test_a_status_the_server_sent_that_this_version_does_not_know_can_be_filtered() -> None:
    doc = invoice_dict(ROWS[0], 0)
    doc["status"] = "OnHold"
    with pytest.warns(wingspan_nb.errors.UnknownEnumValueWarning):
        odd = ClientInvoice.from_dict(doc)
    invoices = InvoiceList([odd, *fixed_list()])
    assert numbers(invoices.where(status="onhold")) == ["F-01"]


def test_sort_by_any_dataframe_column(invoices: InvoiceList) -> None:
    assert numbers(invoices.sort_by("amount"))[:3] == ["F-01", "F-03", "F-05"]
    assert numbers(invoices.sort_by("amount", descending=True))[:3] == ["F-04", "F-08", "F-02"]
    assert numbers(invoices.sort_by("due_date"))[:2] == ["F-04", "F-11"]
    # statuses in InvoiceStatus's order (Draft, Open, Overdue, ...), ties in list order
    assert numbers(invoices.sort_by("status"))[:5] == ["F-01", "F-02", "F-03", "F-04", "F-11"]
    # missing values last either way (the draft was never sent)
    assert numbers(invoices.sort_by("sent_at"))[-1] == "F-01"
    assert numbers(invoices.sort_by("sent_at", descending=True))[-1] == "F-01"
    assert numbers(invoices.sort_by("overdue_days", descending=True, today=TODAY))[:4] == [
        "F-04", "F-11", "F-05", "F-02",
    ]  # fmt: skip
    frame = invoices.to_dataframe(today=TODAY)
    for column in ("amount", "client_name", "due_date", "paid_at", "credit_fee_client_pays"):
        expected = frame.sort_values(column, kind="stable", na_position="last")["invoice_number"]
        assert numbers(invoices.sort_by(column)) == list(expected), column


def test_sort_by_a_column_to_dataframe_does_not_have_is_refused(invoices: InvoiceList) -> None:
    with pytest.raises(InvalidRequestError, match="not a column of to_dataframe"):
        invoices.sort_by("amount_usd")


def test_find_returns_the_one_invoice_or_says_how_many_matched(invoices: InvoiceList) -> None:
    assert invoices.find(number="F-03").invoice_number == "F-03"
    with pytest.raises(NoMatchError, match=r"0 matched") as none:
        invoices.find(number="F-99")
    assert none.value.count == 0 and isinstance(none.value, WingspanError)
    doubled = InvoiceList([*invoices, invoices[2]])
    with pytest.raises(NoMatchError, match=r"2 invoices are numbered 'F-03'") as two:
        doubled.find(number="F-03")
    assert two.value.count == 2
    with pytest.raises(InvalidRequestError):
        invoices.find(number="")


def test_a_filtered_list_is_a_list_like_any_other(invoices: InvoiceList, tmp_path: Path) -> None:
    usd = invoices.where(currency="USD")
    frame = usd.to_dataframe(today=TODAY)
    full = invoices.to_dataframe(today=TODAY)
    expected = full[full["currency"] == "USD"].reset_index(drop=True)
    expected["currency"] = expected["currency"].cat.remove_unused_categories()
    assert frame.drop(columns="status").equals(expected.drop(columns="status"))
    assert list(frame["status"]) == list(expected["status"])
    saved = usd.save(tmp_path / "usd.jsonl")
    assert wingspan_nb.load_invoices(saved) == usd
    assert "6 invoices" in (usd._repr_html_() or "")
    assert [r[0] for r in usd.summary(today=TODAY).rows] == ["USD"] * 4


def test_the_values_compared_are_read_once_per_list(
    invoices: InvoiceList, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Filters walk flat columns kept on the list; the models are not walked again per call."""
    reads: list[str] = []
    build = filters._BUILDERS["amount"]
    monkeypatch.setitem(filters._BUILDERS, "amount", lambda inv: reads.append(inv.invoice_id) or build(inv))
    for low in (100, 500, 900):
        invoices.where(min_amount=low)
    assert len(reads) == len(invoices)
    # a list made by where or sort_by picks its keys from its source's: still one read per invoice
    usd = invoices.where(currency="USD").sort_by("due_date")
    assert numbers(usd.where(min_amount=1000)) == ["F-04", "F-08", "F-02"]  # by due date
    assert numbers(usd.sort_by("amount", descending=True).where(max_amount=1000)) == [
        "F-02",
        "F-09",
        "F-03",
        "F-01",
    ]
    assert len(reads) == len(invoices)


def test_subset_takes_positions_in_the_order_given(invoices: InvoiceList) -> None:
    picked = invoices.subset([10, 0, 3])
    assert numbers(picked) == ["F-11", "F-01", "F-04"]
    assert numbers(picked.where(currency="USD")) == ["F-01", "F-04"]
    assert numbers(picked.sort_by("amount")) == ["F-01", "F-11", "F-04"]


def test_past_due_agrees_with_the_dataframe_on_a_generated_account() -> None:
    day = date(2026, 12, 7)  # the demo account is dated from it, so the check never depends on the clock
    invoices = InvoiceList(ClientInvoice.from_dict(make_invoice(n, today=day)) for n in range(300))
    frame = invoices.to_dataframe(today=day)
    mask = (frame["overdue_days"] > 0) & (frame["currency"] == "USD") & (frame["amount"] >= 1000)
    found = invoices.where(past_due=True, currency="USD", min_amount=1000, today=day)
    assert found.ids == list(frame.loc[mask, "invoice_id"]) and len(found) > 5


@pytest.mark.sandbox
def test_get_many_and_update_many_take_a_filtered_list(client: wingspan_nb.Wingspan) -> None:
    account = client.client_invoice.list(progress=False).client_invoices
    drafts = account.where(status="Draft")
    assert 0 < len(drafts) < len(account)
    got = client.client_invoice.get_many(drafts, progress=False)
    assert [o.id for o in got.outcomes] == drafts.ids and not got.failures
    plan = client.client_invoice.update_many(
        drafts, ClientInvoiceUpdateRequest(status=InvoiceStatus.OPEN), progress=False
    )
    assert [r.id for r in plan.rows] == drafts.ids
