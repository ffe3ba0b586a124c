"""Readable by everyone, in a real JupyterLab at 1024 px: the contrast of every text and control the
package draws (the invoice card, the list, the fee and error cards, the edit form in its warning,
error and conflict states, the bulk editor with a plan and a result) meets WCAG AA in the light and
the dark theme."""

from __future__ import annotations

from typing import Any

import pytest

from .contrast import failures, measure
from .labtools import Lab, run_all, screenshot, write_notebook

SETUP = """
import wingspan_nb
from wingspan_nb.models import InvoiceStatus
from wingspan_nb.sandbox import make_invoice
from wingspan_nb.widgets import BulkEditor

late = make_invoice(40, status="Open", invoice_id="late-1")
late["dueDate"] = "2020-01-15T00:00:00.000Z"  # overdue whatever today is
paid = make_invoice(41, status="Paid", invoice_id="paid-1", line_items=2)
paid["amount"] += 1  # the card warns that the line items do not add up
paid["bankTransferInfo"] = {"accountNumber": "195002892775", "routingNumber": "249198861", "bankName": "SVB"}
s = wingspan_nb.Wingspan.sandbox(invoices=[late, paid, *(make_invoice(i) for i in range(12))])
server = s.sandbox_server
""".strip()

FORM_STATES = """
ed = s.client_invoice.edit(id="late-1")
ed.fields["status"].input.value = InvoiceStatus.PENDING
ed.save()  # a save in the history
ed.fields["credit_fee_handling.client_pays"].input.value = "150"  # a field message (error colour)
ed.fields["status"].input.value = InvoiceStatus.OPEN
server.put(server.invoice("late-1") | {"updatedAt": "2099-01-01T00:00:00.000Z"})
ed.fields["credit_fee_handling.client_pays"].input.value = "0"
ed.save()  # a conflict: "Reload from server" and "Save anyway"
ed.fields["credit_fee_handling.client_pays"].input.value = "150"
ed
""".strip()

FORM_WARNINGS = """
warn = s.client_invoice.edit(id="paid-1")
warn.fields["status"].input.value = InvoiceStatus.OPEN  # reopening a Paid invoice: a caution
server.put(server.invoice("paid-1") | {"status": "Cancelled", "updatedAt": "2099-01-01T00:00:00.000Z"})
warn.reload()  # "server now: Cancelled; your edit is kept over it"
warn
""".strip()

BULK = """
plan = BulkEditor(s, server.ids()[2:8])
plan._controls[0].input.value = InvoiceStatus.OPEN
plan.make_plan()
plan
""".strip()

BULK_APPLIED = """
applied = BulkEditor(s, server.ids()[8:11])
applied._controls[0].input.value = InvoiceStatus.PENDING
applied.make_plan()
applied.apply()
applied
""".strip()

CELLS = [
    SETUP,
    's.client_invoice.get(id="late-1").client_invoice',
    'wingspan_nb.set_options(expand={"parties", "line_items", "fees", "events", "details"})\n'
    's.client_invoice.get(id="paid-1").client_invoice',
    "s.client_invoice.list()",
    's.client_invoice.fees(id="late-1")',
    "try:\n    s.client_invoice.get(id='NoSuchInvoice0000000000')\nexcept wingspan_nb.errors.NotFoundError as e:\n    err = e\nerr",
    FORM_STATES,
    FORM_WARNINGS,
    BULK,
    BULK_APPLIED,
]
OUTPUTS = ".jp-Notebook .jp-OutputArea-output"


@pytest.mark.parametrize("theme", ["JupyterLab Light", "JupyterLab Dark"])
def test_contrast_meets_wcag_aa(lab: Lab, narrow_page: Any, theme: str) -> None:
    page = narrow_page
    lab.set_theme(theme)
    try:
        write_notebook(lab.root / "contrast.ipynb", CELLS)
        run_all(lab, page, "contrast.ipynb", timeout=150)
        texts = " ".join(page.locator(OUTPUTS).all_inner_texts())
        assert "Traceback" not in texts and "VBox(children" not in texts, texts[:3000]
        # What the states above must have drawn, so that their colours are among those measured.
        for shown in (
            "overdue by",
            "server now: Cancelled",
            "Save anyway",
            "Reload from server",
            "Client pays is a percentage",
            "History of this form",
            "Plan:",
            "Invoice not found",
            "Fee calculation",
            "this invoice is Cancelled",
        ):
            assert shown in texts, shown
        results = measure(page, OUTPUTS)
        slug = theme.split()[-1].lower()
        screenshot(page, f"contrast-{slug}.png")
        assert len([r for r in results if r["kind"] == "text"]) > 300, len(results)
        assert any(r["kind"] == "boundary" for r in results)
        lowest = {
            kind: min((r for r in results if r["kind"] == kind), key=lambda r: r["ratio"])
            for kind in ("text", "boundary")
        }
        print(
            f"\n{theme}: lowest contrast",
            {k: (round(v["ratio"], 2), v["element"], v["text"]) for k, v in lowest.items()},
        )
        below = failures(results)
        assert not below, f"{len(below)} below WCAG AA in {theme}:\n" + "\n".join(below)
    finally:
        lab.set_theme("JupyterLab Light")
