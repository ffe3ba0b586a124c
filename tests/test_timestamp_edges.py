"""Timestamps at the calendar's edge and in the less common ISO 8601 spellings: every view shows
them, analysis never crashes on them, and the one time reader (``_facts``) reads them one way."""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta, timezone

import pytest

import wingspan_nb
from wingspan_nb._facts import (
    as_utc_date,
    date_of,
    format_timestamp,
    format_timestamps_apart,
    has_time_of_day,
    parse_timestamp,
)
from wingspan_nb.errors import InvalidRequestError
from wingspan_nb.sandbox import make_invoice

from .helpers import invoice_list

TODAY = date(2026, 12, 7)
# An offset carries each past the first or last day any UTC datetime can hold.
BEFORE_YEAR_ONE = "0001-01-01T00:00:00+05:00"
AFTER_YEAR_9999 = "9999-12-31T23:59:59-05:00"


@pytest.mark.parametrize("stamp", [BEFORE_YEAR_ONE, AFTER_YEAR_9999])
def test_a_time_utc_cannot_hold_is_no_timestamp_and_never_a_crash(stamp: str) -> None:
    assert parse_timestamp(stamp) is None
    assert not has_time_of_day(stamp)
    assert format_timestamp(stamp) is None  # the views then show it as sent
    assert date_of(stamp) is None
    assert format_timestamps_apart(stamp, "2025-11-18T16:09:30Z") == (None, "2025-11-18 16:09 UTC")
    with pytest.raises(InvalidRequestError, match=r"today=.* is not a date"):
        as_utc_date(stamp)
    edge = datetime.min if stamp is BEFORE_YEAR_ONE else datetime.max
    zone = timezone(timedelta(hours=5 if stamp is BEFORE_YEAR_ONE else -5))
    assert format_timestamp(edge.replace(tzinfo=zone)) == edge.replace(tzinfo=zone).isoformat()


@pytest.mark.parametrize("field", ["dueDate", "createdAt"])
@pytest.mark.parametrize("stamp", [BEFORE_YEAR_ONE, AFTER_YEAR_9999])
def test_every_view_of_an_invoice_with_such_a_time_works(field: str, stamp: str) -> None:
    doc = make_invoice(3, status="Open", today=TODAY)
    doc[field] = stamp
    invoices = invoice_list([doc, make_invoice(4, status="Overdue", today=TODAY)])
    one = invoices[0]
    assert stamp in one._repr_html_() and "rich view failed" not in one._repr_html_()
    assert "object at 0x" not in str(one)
    assert "rich view failed" not in invoices._repr_html_()
    frame = invoices.to_dataframe(today=TODAY)
    column = "due_date" if field == "dueDate" else "created_at"
    assert frame[column].isna().tolist() == [True, False]
    if field == "dueDate":  # no due date to be past: never overdue, never aged
        assert frame["overdue_days"].isna().tolist()[0]
        assert one.invoice_id not in invoices.where(past_due=True, today=TODAY).ids
    invoices.past_due(today=TODAY)
    invoices.aging(today=TODAY)
    invoices.summary(today=TODAY)._repr_html_()
    assert len(invoices.sort_by("due_date")) == 2
    wingspan_nb.to_dataframe(invoices, today=TODAY)


def test_year_one_is_written_with_four_digits() -> None:
    assert format_timestamp("0001-01-01T00:00:00Z") == "0001-01-01 00:00 UTC"
    assert format_timestamp("0099-06-01T10:00:00Z", with_time=False) == "0099-06-01"
    assert format_timestamp(datetime(5, 1, 1)) == "0005-01-01 00:00 UTC"


@pytest.mark.parametrize(
    ("stamp", "timed", "shown"),
    [
        # ISO 8601's basic format: Python reads it from 3.11 on; either way both calls agree.
        (
            "20251118T160900Z",
            *((True, "2025-11-18 16:09 UTC") if sys.version_info >= (3, 11) else (False, None)),
        ),
        ("2025-11-18T16:09:00Z", True, "2025-11-18 16:09 UTC"),
        ("2025-11-18 16:09:00+14:00", True, "2025-11-18 02:09 UTC"),
        ("2025-11-18", False, "2025-11-18"),
        ("2025-11-18T16:09:00Z\n<script>", False, None),  # not a timestamp at all
        ("2025-11-18T24:00:00Z", False, None),
    ],
)
def test_reading_a_timestamp_and_its_time_of_day_agree(stamp: str, timed: bool, shown: str | None) -> None:
    assert has_time_of_day(stamp) is timed
    assert (parse_timestamp(stamp) is not None) is (shown is not None)
    assert format_timestamp(stamp) == shown


def test_today_nat_is_refused_saying_what_to_give() -> None:
    # NaT is what ``df["due_date"].max()`` gives on an empty frame; it is a datetime subclass.
    pd = pytest.importorskip("pandas")
    invoices = invoice_list([make_invoice(3, status="Open", today=TODAY)])
    for call in (
        lambda: as_utc_date(pd.NaT),
        lambda: invoices.past_due(today=pd.NaT),
        lambda: invoices.aging(today=pd.NaT),
        lambda: invoices.where(past_due=True, today=pd.NaT),
        lambda: invoices.summary(today=pd.NaT),
        lambda: invoices.to_dataframe(today=pd.NaT),
        lambda: invoices.explore(today=pd.NaT),
    ):
        with pytest.raises(InvalidRequestError, match=r"today=NaT is a missing time .* give a date"):
            call()
    assert date_of(pd.NaT) is None
    assert format_timestamp(pd.NaT) == "NaT"  # shown as it is, never a crash


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("2026-11-18T16:09:00.000Z", "2026-11-18T16:09:00+00:00"),  # one instant, written two ways
        ("2026-11-18T16:09:00Z", "2026-11-18T17:09:00+01:00"),
        ("2026-11-18T16:09:00.0000001Z", "2026-11-18T16:09:00.0000009Z"),  # apart below a microsecond
        ("2026-11-18", "20261118"),  # one date, two spellings
    ],
)
def test_a_change_that_would_read_the_same_shows_the_values_as_sent(before: str, after: str) -> None:
    shown = format_timestamps_apart(before, after)
    assert shown == (before, after) if sys.version_info >= (3, 11) else shown[0] != shown[1]
    doc = make_invoice(3, status="Open", today=TODAY)
    changes = wingspan_nb.compare(
        invoice_list([dict(doc, dueDate=before)]), invoice_list([dict(doc, dueDate=after)])
    )
    assert f"Due date: {before} → {after}" in str(changes)
    assert f"<code>{before}</code>" in changes._repr_html_()


def test_two_timestamps_that_differ_are_still_written_as_the_cards_write_them() -> None:
    assert (
        format_timestamps_apart("2026-11-18T16:09:00Z", "2026-11-18T16:09:00Z")
        == ("2026-11-18 16:09 UTC",) * 2
    )
    assert format_timestamps_apart("2026-11-18T16:09:00Z", "2026-11-18T17:09:30+01:00") == (
        "2026-11-18 16:09:00 UTC",
        "2026-11-18 16:09:30 UTC",
    )
