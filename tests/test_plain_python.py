"""wingspan_nb from plain Python (a script, a terminal, a log): what print() shows."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

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
    assert "not a number" in str(inv)  # an amount that is not a number shows as it is
    inv.member_client = None  # type: ignore[assignment]
    assert str(inv).startswith("<ClientInvoice")  # the one-line summary instead
    assert str(errors.InvalidRequestError("bad value")) == "bad value"


def test_progress_auto_draws_bars_only_for_a_person_watching(monkeypatch: pytest.MonkeyPatch) -> None:
    from wingspan_nb import _progress as progress

    class Stream:
        def __init__(self, tty: bool) -> None:
            self.tty = tty

        def isatty(self) -> bool:
            return self.tty

    monkeypatch.setattr(progress, "in_notebook", lambda: False)
    monkeypatch.setattr(progress.sys, "stderr", Stream(False))  # a log file, a pipe, a scheduled job
    assert progress.shown(None) is False and progress.shown(True) is True
    assert progress.Bar(None, desc="reading", unit="inv")._tqdm is None
    monkeypatch.setattr(progress.sys, "stderr", Stream(True))  # a terminal
    assert progress.shown(None) is True and progress.shown(False) is False
    monkeypatch.setattr(progress, "in_notebook", lambda: True)
    monkeypatch.setattr(progress.sys, "stderr", Stream(False))  # a kernel's stderr is no terminal
    assert progress.shown(None) is True


def test_a_script_runs_the_quick_start_without_bars_or_warnings(tmp_path: Path) -> None:
    script = tmp_path / "report.py"
    script.write_text(
        "import wingspan_nb, datetime\n"
        "s = wingspan_nb.Wingspan.sandbox(today=datetime.date(2026, 6, 1))\n"
        "account = s.client_invoice.list().client_invoices\n"
        "print(len(account), 'invoices')\n"
        "s.client_invoice.edit(id=account.ids[0])\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=True, cwd=tmp_path
    )
    assert done.stdout.strip() == "48 invoices"
    # stderr is a pipe here: no progress bar in it; edit() says it needs a notebook and what to use.
    assert "downloading" not in done.stderr and "%|" not in done.stderr
    assert "NotebookRequiredWarning" in done.stderr and "client_invoice.update(" in done.stderr


def test_print_and_f_strings_show_an_enum_as_its_wire_value() -> None:
    from wingspan_nb.models import Currency, InvoiceStatus

    assert str(InvoiceStatus.PAYMENT_IN_TRANSIT) == "PaymentInTransit" and f"{Currency.USD:>4}" == " USD"
    assert repr(InvoiceStatus.PAID) == "<InvoiceStatus.PAID: 'Paid'>"  # the repr still names the member
