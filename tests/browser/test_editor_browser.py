"""The edit form in a real JupyterLab: change status and a fee share, Save, and the sandbox (started
by this test, reached by the kernel through the environment) has the change; then a 422 shows next to
the field it names."""

from __future__ import annotations

import re
import time
from typing import Any

from .labtools import Lab, run_all, screenshot, write_notebook

CELLS = [
    "import wingspan_nb\ns = wingspan_nb.Wingspan()  # WINGSPAN_SERVER_URL and WINGSPAN_API_TOKEN point at the test's sandbox",
    "editor = s.client_invoice.edit(id='browser-1')\neditor",
]


def _text_input(page: Any, label: str) -> Any:
    return page.locator(".widget-text", has=page.locator(".widget-label", has_text=label)).locator("input")


def _wait(condition: Any, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_edit_form_saves_and_shows_422(form_lab: tuple[Lab, Any], page: Any) -> None:
    lab, sandbox = form_lab
    write_notebook(lab.root / "form.ipynb", CELLS)
    run_all(lab, page, "form.ipynb")
    outputs = page.locator(".jp-OutputArea-output")
    assert page.locator(".widget-dropdown select").count() == 1, outputs.all_inner_texts()
    assert "VBox(children" not in " ".join(outputs.all_inner_texts())  # rendered as widgets, not text
    assert page.locator(".widget-html-content .wsnb").count() == 1  # the card inside the form

    page.locator(".widget-dropdown select").select_option("Paid")
    client_pays = _text_input(page, "Client pays")
    client_pays.fill("40")
    client_pays.press("Tab")
    member_pays = _text_input(page, "Member pays")
    member_pays.fill("60")
    member_pays.press("Tab")
    save = page.locator("button.widget-button").filter(has_text=re.compile(r"^\s*Save\s*$"))
    assert _wait(lambda: save.is_enabled())
    save.click()
    assert _wait(lambda: sandbox.invoice("browser-1")["status"] == "Paid"), [
        r.status for r in sandbox.requests
    ]
    assert sandbox.invoice("browser-1")["creditFeeHandling"] == {
        "clientAbsolutePercentage": None,
        "clientPays": 40,
        "memberPays": 60,
    }
    assert _wait(
        lambda: "Saved status, credit_fee_handling" in page.locator(".jp-OutputArea-output").inner_text()
    )
    screenshot(page, "editor-saved.png")

    # Second run: the server rejects the next save with a 422 naming a field.
    sandbox.fail_next(
        1,
        method="PATCH",
        status=422,
        validation=[
            {"location": ["body", "creditFeeHandling", "memberPays"], "message": "shares must add up to 100"}
        ],
    )
    member_pays.fill("50")
    member_pays.press("Tab")
    assert _wait(lambda: save.is_enabled())
    save.click()
    field_row = page.locator(".widget-vbox", has=page.locator(".widget-label", has_text="Member pays")).last
    assert _wait(lambda: "server: shares must add up to 100" in field_row.inner_text()), (
        field_row.inner_text()
    )
    assert member_pays.input_value() == "50"  # the edit is kept
    assert sandbox.invoice("browser-1")["creditFeeHandling"]["memberPays"] == 60
    screenshot(page, "editor-422.png")
