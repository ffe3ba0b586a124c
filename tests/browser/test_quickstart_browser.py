"""notebooks/quickstart.ipynb in a real JupyterLab: every cell runs, the card and the form render as
HTML and widgets, and a save made through the form reaches the sandbox the kernel talks to."""

from __future__ import annotations

import re
import shutil
import time
from typing import Any

from .labtools import ROOT, Lab, run_all, screenshot


def test_quickstart_runs_and_saves(form_lab: tuple[Lab, Any], page: Any) -> None:
    lab, sandbox = form_lab
    shutil.copy(ROOT / "notebooks" / "quickstart.ipynb", lab.root / "quickstart.ipynb")
    run_all(lab, page, "quickstart.ipynb")
    outputs = page.locator(".jp-OutputArea-output")
    text = " ".join(outputs.all_inner_texts())
    # Tracebacks and warnings both land in stderr outputs: there must be none at all.
    stderr = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert stderr.count() == 0, stderr.all_inner_texts()
    assert "Traceback" not in text
    assert "Connected to $WINGSPAN_SERVER_URL" in text  # the one line that says where the data comes from
    assert page.locator(".jp-RenderedHTML .wsnb .wsnb-badge").count() >= 1  # the card
    assert "Nothing saved from this form yet." in text  # and no "after saving" card before a save
    assert page.locator(".wsnb-error").count() == 2  # the 404 and the bad value, as cards
    assert page.locator(".widget-dropdown select").count() == 1 and "VBox(children" not in text
    page.locator(".widget-dropdown select").select_option("Cancelled")
    save = page.locator("button.widget-button").filter(has_text=re.compile(r"^\s*Save\s*$"))
    deadline = time.monotonic() + 20
    while not save.is_enabled() and time.monotonic() < deadline:
        time.sleep(0.2)
    save.click()
    while sandbox.invoice("browser-1")["status"] != "Cancelled" and time.monotonic() < deadline + 20:
        time.sleep(0.2)
    assert sandbox.invoice("browser-1")["status"] == "Cancelled"
    screenshot(page, "quickstart.png")
