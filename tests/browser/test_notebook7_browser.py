"""The card and the edit form in Notebook 7 (the ``notebook`` package): the card renders as HTML, the
form as widgets, and a save made through the form reaches the sandbox the kernel talks to."""

from __future__ import annotations

import re
import time
from typing import Any

from .labtools import Lab, run_all, screenshot, write_notebook

CELLS = [
    "import wingspan_nb\ns = wingspan_nb.Wingspan()",
    "s.client_invoice.get(id='nb7-1').client_invoice",
    "editor = s.client_invoice.edit(id='nb7-1')\neditor",
]


def test_card_and_form_in_notebook_7(notebook7: tuple[Lab, Any], page: Any) -> None:
    lab, sandbox = notebook7
    write_notebook(lab.root / "nb7.ipynb", CELLS)
    run_all(lab, page, "nb7.ipynb")
    text = " ".join(page.locator(".jp-OutputArea-output").all_inner_texts())
    assert "Traceback" not in text and "VBox(children" not in text
    assert page.locator(".jp-RenderedHTML .wsnb .wsnb-badge").count() >= 1  # the card, as HTML
    dropdown = page.locator(".widget-dropdown select")
    assert dropdown.count() == 1  # the form, as widgets
    dropdown.select_option("Paid")
    save = page.locator("button.widget-button").filter(has_text=re.compile(r"^\s*Save\s*$"))
    deadline = time.monotonic() + 20
    while not save.is_enabled() and time.monotonic() < deadline:
        time.sleep(0.2)
    save.click()
    while sandbox.invoice("nb7-1")["status"] != "Paid" and time.monotonic() < deadline + 20:
        time.sleep(0.2)
    assert sandbox.invoice("nb7-1")["status"] == "Paid"
    # The session's sandbox is shared with the other Notebook 7 tests: only this invoice's PATCHes count.
    patches = [r.json() for r in sandbox.requests if r.method == "PATCH" and r.path.endswith("/nb7-1")]
    assert patches == [{"status": "Paid"}]
    screenshot(page, "notebook7-form-saved.png")
