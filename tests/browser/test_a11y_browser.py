"""Readable by everyone, in a real JupyterLab at 1024 px: the contrast of every text and control the
package draws (the invoice card, the list, the fee and error cards, the edit form in its warning,
error and conflict states, the bulk editor with a plan and a result) meets WCAG AA in the light and
the dark theme."""

from __future__ import annotations

from typing import Any

import pytest

from .contrast import failures, measure
from .labtools import Lab, run_all, screenshot, wait, write_notebook
from .test_editor_browser import CELLS as FORM_CELLS
from .test_editor_browser import _text_input as _input

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
applied.confirm.value = True  # some may be settled: the apply needs the box ticked
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
        # Every form's status line (the edit forms', the bulk editors') is a live region, its script run.
        forms = page.locator(OUTPUTS + " .wsnb-form")
        assert (
            forms.count() >= 4
            and page.locator(OUTPUTS + " .wsnb-form > .wsnb-status").count() == forms.count()
        )
        assert wait(lambda: page.locator(OUTPUTS + " .wsnb-status:not([role=status])").count() == 0)
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


ACTIVE = """() => {
    const a = document.activeElement;
    const box = a && a.closest('.widget-inline-hbox');
    const label = box && box.querySelector('.widget-label');
    return [a ? a.tagName : null, (label ? label.textContent : a && a.textContent || '').trim()];
}"""
DESCRIPTION = """input => (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean)
    .map(id => document.getElementById(id)).map(e => e ? e.textContent.trim() : '<missing>')"""


def test_the_edit_form_from_the_keyboard(form_lab: tuple[Lab, Any], narrow_page: Any) -> None:
    """Only keys once the first field has the focus: Enter in a field with a problem stays there and
    says what to fix, the problem is tied to its input (aria-describedby, aria-invalid), Enter in a valid form saves,
    Enter on Save saves, and the focus lands on a field each time, never on the page."""
    lab, sandbox = form_lab
    page = narrow_page
    write_notebook(lab.root / "keyboard.ipynb", FORM_CELLS)
    run_all(lab, page, "keyboard.ipynb")
    client_pays, member_pays = _input(page, "Client pays"), _input(page, "Member pays")
    assert wait(lambda: client_pays.count() == 1)
    start = sandbox.invoice("browser-1")["creditFeeHandling"]["clientPays"] or 0
    first, second = (10, 20) if start not in (10, 20) else (30, 40)

    client_pays.focus()  # the one step that is not a key: put the caret in the first field
    page.keyboard.press("Control+A")
    page.keyboard.type("150")
    page.keyboard.press("Enter")  # a marked field: Enter stays there and says what to fix
    status = page.locator(".wsnb-status")
    assert wait(lambda: "Fix the marked field first: Client pays" in status.inner_text())
    assert page.evaluate(ACTIVE) == ["INPUT", "Client pays"]
    assert wait(lambda: client_pays.get_attribute("aria-invalid") == "true")
    described = client_pays.evaluate(DESCRIPTION)
    assert len(described) == 1 and "Client pays is a percentage" in described[0], described
    assert member_pays.get_attribute("aria-invalid") == "false"

    page.keyboard.press("Control+A")
    page.keyboard.type(str(first))
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type(str(100 - first))
    # The message moved to the group while typing ("does not add up"), and is gone now.
    assert wait(lambda: client_pays.get_attribute("aria-invalid") == "false"), client_pays.evaluate(
        DESCRIPTION
    )
    assert client_pays.get_attribute("aria-describedby") is None
    page.keyboard.press("Enter")  # the form is valid: Enter saves
    assert wait(lambda: sandbox.invoice("browser-1")["creditFeeHandling"]["clientPays"] == first)
    assert wait(lambda: page.evaluate(ACTIVE) == ["INPUT", "Client pays"]), page.evaluate(ACTIVE)
    assert status.get_attribute("role") == "status" and "Saved:" in status.inner_text()

    page.keyboard.press("Control+A")
    page.keyboard.type(str(second))
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type(str(100 - second))
    save = page.locator("button.widget-button").filter(has_text="Save").first
    assert wait(lambda: save.is_enabled())  # a disabled button is not in the Tab order
    for _ in range(12):  # Tab on to Save (past the preview's "PATCH body" summary)
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE)[1] == "Save":
            break
    assert page.evaluate(ACTIVE) == ["BUTTON", "Save"], page.evaluate(ACTIVE)
    page.keyboard.press("Enter")
    assert wait(lambda: sandbox.invoice("browser-1")["creditFeeHandling"]["clientPays"] == second)
    # Save is disabled once saved; the focus went back to the field, not to the page's body.
    assert wait(lambda: page.evaluate(ACTIVE) == ["INPUT", "Client pays"]), page.evaluate(ACTIVE)
    screenshot(page, "form-keyboard.png", page.locator(".jp-OutputArea-output").first)


def test_messages_are_tied_to_their_fields_in_notebook_7(notebook7: tuple[Lab, Any], page: Any) -> None:
    """The aria links need anywidget's front end: Notebook 7 loads it too, and Enter in a marked
    field stays there and says what to fix."""
    lab, _ = notebook7
    write_notebook(lab.root / "nb7-aria.ipynb", ["import wingspan_nb\ns = wingspan_nb.Wingspan()",
                                                  "s.client_invoice.edit(id='nb7-1')"])  # fmt: skip
    run_all(lab, page, "nb7-aria.ipynb")
    client_pays = _input(page, "Client pays")
    assert wait(lambda: client_pays.count() == 1)
    remove = page.get_by_label("Remove the credit-fee handling")
    if remove.is_checked():  # this invoice has no credit-fee handling: its fields wait disabled
        remove.uncheck()
    assert wait(lambda: client_pays.is_enabled())
    # Notebook 7 moves the focus to the active cell after Run All: click into the field until it stays.
    assert wait(lambda: client_pays.click() or page.evaluate(ACTIVE) == ["INPUT", "Client pays"])
    page.keyboard.press("Control+A")
    page.keyboard.type("150")
    page.keyboard.press("Enter")
    assert wait(lambda: client_pays.get_attribute("aria-invalid") == "true")
    described = client_pays.evaluate(DESCRIPTION)
    assert len(described) == 1 and "Client pays is a percentage" in described[0], described
    status = page.locator(".wsnb-status")
    assert wait(lambda: "Fix the marked field first: Client pays" in status.inner_text())
    assert page.evaluate(ACTIVE) == ["INPUT", "Client pays"]


ACTIVE_CELL = "() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].findIndex(c => c.classList.contains('jp-mod-active'))"


def test_arrow_down_in_a_dropdown_stays_in_the_dropdown(form_lab: tuple[Lab, Any], page: Any) -> None:
    """In command mode, ArrowDown on the form's dropdown chooses the next option; JupyterLab's
    move-to-the-next-cell shortcut (whose selector matches any focused element that is not a text
    input) does not take the key."""
    lab, _ = form_lab
    write_notebook(lab.root / "arrows.ipynb", [*FORM_CELLS, "# the cell ArrowDown must not move to"])
    run_all(lab, page, "arrows.ipynb")
    select = page.locator(".wsnb-form .widget-dropdown select").first
    assert wait(lambda: select.count() == 1)
    assert wait(lambda: page.locator(".wsnb-form .wsnb-status[role=status]").count() == 1)  # its script ran
    select.select_option(index=0)  # not the last option, whatever an earlier test saved
    select.focus()
    assert wait(lambda: page.evaluate(ACTIVE_CELL) == 1), page.evaluate(ACTIVE_CELL)  # the form's cell
    assert page.locator(".jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite)").count() == 1
    before = select.evaluate("s => s.selectedIndex")

    page.keyboard.press("ArrowDown")
    assert wait(lambda: select.evaluate("s => s.selectedIndex") == before + 1, 5), page.evaluate(ACTIVE_CELL)
    assert page.evaluate(ACTIVE_CELL) == 1
    assert page.evaluate("document.activeElement.tagName") == "SELECT"
