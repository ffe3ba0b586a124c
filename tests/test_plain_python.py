"""wingspan_nb from plain Python (a script, a terminal, a log): what print() shows."""

from __future__ import annotations

from datetime import date

import wingspan_nb
from wingspan_nb import errors
from wingspan_nb.display._text import invoice_text
from wingspan_nb.models import ClientInvoice
from wingspan_nb.sandbox import make_invoice

TODAY = date(2026, 6, 1)


def _invoice(**changes: object) -> ClientInvoice:
    doc = make_invoice(3, status="Open", line_items=3, today=TODAY)
    doc.update(changes)
    return ClientInvoice.from_dict(doc)


def test_print_shows_an_invoice_as_a_few_readable_lines() -> None:
    inv = _invoice()
    text = str(inv)
    lines = text.splitlines()
    assert lines[0].startswith(f"Invoice {inv.invoice_number}") and lines[0].endswith("· Open")
    assert lines[1].startswith(f"{inv.amount:,.2f} USD, due ")
    assert any(line.startswith("Member  ") and inv.member_name in line for line in lines)
    assert lines[4] == "Line items (3)" and len(lines) == 3 + 3 + 3
    assert lines[-1].endswith(f"id {inv.invoice_id}")
    assert max(len(line) for line in lines) < 120  # no 6,000-character line
    assert text != repr(inv) and repr(inv).startswith("ClientInvoice(")  # repr is unchanged


def test_print_masks_account_numbers_in_prose_as_every_view_does() -> None:
    inv = _invoice()
    inv.line_items[0].description = "Pay to account 195002892775 please"
    assert "195002892775" not in str(inv) and "•••• 2775" in str(inv)
    with wingspan_nb.set_options(show_sensitive=True):
        assert "195002892775" in str(inv)
    assert inv.line_items[0].description == "Pay to account 195002892775 please"  # the data unchanged


def test_print_counts_the_days_from_the_day_given() -> None:
    inv = _invoice(dueDate="2026-05-20T00:00:00.000Z")
    assert ", overdue by 12 days" in invoice_text(inv, today=TODAY)
    assert ", due in 9 days" in invoice_text(inv, today=date(2026, 5, 11))


def test_a_long_invoice_prints_head_and_tail() -> None:
    doc = make_invoice(4, status="Open", line_items=300, today=TODAY)
    text = str(ClientInvoice.from_dict(doc))
    assert "… 270 more line items" in text and text.count("\n") < 45


def test_print_never_raises_and_errors_keep_their_message() -> None:
    inv = _invoice()
    inv.line_items[0].total_cost = "not a number"  # type: ignore[assignment]
    assert str(inv).startswith("<ClientInvoice")  # the one-line summary instead
    assert str(errors.InvalidRequestError("bad value")) == "bad value"
