"""The bulk editor in a real JupyterLab at 1024 px: a plan that reopens Paid and Cancelled invoices
says how many above its table and lists them first, a checkbox that says how many gates Apply, a
credit-fee split reads value by value with the "after" column in view, and after a reload without
the kernel the static copy still shows what was planned and applied."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from wingspan_nb.sandbox import SandboxServer, make_invoice

from .labtools import Lab, publish, require_chromium, run_all, screenshot, wait, write_notebook

STATUSES = ["Paid", "Draft", "Cancelled", "Draft", "Paid", "Draft"]
IDS = [f"bulk-{i}" for i in range(len(STATUSES))]
CELLS = [
    "import wingspan_nb\nfrom wingspan_nb.widgets import BulkEditor\ns = wingspan_nb.Wingspan()",
    f"editor = BulkEditor(s, {IDS!r})\neditor",
]


def _invoices() -> list[dict[str, Any]]:
    out = []
    for i, status in enumerate(STATUSES):
        inv = make_invoice(40 + i, status=status, invoice_id=IDS[i])
        inv["creditFeeHandling"] = {"clientAbsolutePercentage": None, "clientPays": 0, "memberPays": 100}
        out.append(inv)
    return out


@pytest.fixture(scope="module")
def bulk_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Lab, SandboxServer]]:
    """A JupyterLab whose kernels reach a sandbox with Paid, Cancelled and Draft invoices."""
    require_chromium()
    with SandboxServer(invoices=_invoices()) as sandbox:
        env = {"WINGSPAN_SERVER_URL": sandbox.url, "WINGSPAN_API_TOKEN": sandbox.token}
        server = Lab(tmp_path_factory.mktemp("bulk-root"), tmp_path_factory.mktemp("bulk-home"), env=env)
        yield server, sandbox
        server.stop()


def _button(page: Any, label: str) -> Any:
    return page.locator("button.widget-button").filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))


def _text_input(page: Any, label: str) -> Any:
    return page.locator(".widget-text", has=page.locator(".widget-label", has_text=label)).locator("input")


def _plan(lab: Lab, page: Any, sandbox: SandboxServer, name: str) -> Any:
    """Put the invoices back as they were, run the notebook, and plan Status → Open with a 50/50 split."""
    for inv in _invoices():
        sandbox.put(inv)
    write_notebook(lab.root / name, CELLS)
    run_all(lab, page, name)
    assert wait(lambda: page.locator(".widget-dropdown select").count() == 1)
    page.locator(".widget-dropdown select").select_option("Open")
    for label, value in (("Client pays", "50"), ("Member pays", "50")):
        box = _text_input(page, label)
        box.fill(value)
        box.press("Tab")
    _button(page, "Plan (dry run)").click()
    output = page.locator(".jp-OutputArea-output").first
    assert wait(lambda: "3 invoices leave Cancelled or Paid" in output.inner_text()), output.inner_text()
    return output


@pytest.mark.parametrize("theme", ["JupyterLab Light", "JupyterLab Dark"])
def test_a_bulk_plan_asks_before_reopening_settled_invoices_at_1024_px(
    bulk_lab: tuple[Lab, SandboxServer], narrow_page: Any, theme: str
) -> None:
    lab, sandbox = bulk_lab
    page = narrow_page
    lab.set_theme(theme)
    try:
        output = _plan(lab, page, sandbox, f"bulk-{theme.split()[-1].lower()}.ipynb")
        card = output.locator(".wsnb-card").last
        # The count is above the table, and the settled invoices are its first rows.
        warning_y = card.locator(".wsnb-warning").bounding_box()["y"]
        assert warning_y < card.locator("table").bounding_box()["y"]
        numbers = card.locator("tbody tr td:first-child").all_inner_texts()
        settled = {
            sandbox.invoice(i)["invoiceNumber"] for i, s in zip(IDS, STATUSES, strict=True) if s != "Draft"
        }
        first = list(dict.fromkeys(numbers))[:3]
        assert set(first) == settled, (first, settled)
        # Value by value, in words: no attribute name, no JSON.
        text = card.inner_text()
        assert "Credit-fee split: client pays" in text and "clientPays" not in text
        assert "credit_fee_handling" not in text
        # The "after" column is in view at 1024 px: its header and every cell end inside the output.
        right = output.evaluate("e => e.getBoundingClientRect().right")
        after = card.locator("th", has_text="after / error")
        cells = card.locator("tbody tr td:nth-child(5)")
        rights = [
            after.evaluate("e => e.getBoundingClientRect().right"),
            *cells.evaluate_all("es => es.map(e => e.getBoundingClientRect().right)"),
        ]
        assert max(rights) <= right + 1, (right, max(rights))
        # The checkbox says how many, and Apply waits for it.
        confirm = page.locator(".widget-checkbox", has_text="3 settled invoices")
        assert confirm.count() == 1 and confirm.is_visible()
        cut = confirm.locator("*").evaluate_all(
            "es => es.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"
        )
        assert cut == [], cut  # the label reads in full (ipywidgets cuts a long one with "…")
        apply = _button(page, "Apply")
        assert apply.is_disabled()
        if theme == "JupyterLab Light":
            shot = screenshot(page, "bulk-plan-1024-light.png", output)
            publish(shot, "bulk-plan.png")
        else:
            screenshot(page, "bulk-plan-1024-dark.png", output)
        confirm.locator("input[type=checkbox]").check()
        assert wait(lambda: apply.is_enabled())
        apply.click()
        assert wait(lambda: all(sandbox.invoice(i)["status"] == "Open" for i in IDS))
        assert wait(
            lambda: "Apply: 6 applied" in output.inner_text() or "apply: 6 applied" in output.inner_text()
        )
        assert wait(lambda: _button(page, "Undo last apply").is_enabled())
    finally:
        lab.set_theme("JupyterLab Light")


def test_a_reopened_notebook_shows_the_bulk_editors_static_copy(
    bulk_lab: tuple[Lab, SandboxServer], narrow_page: Any
) -> None:
    """Saved, closed, reopened without the kernel: the static copy still shows the plan and what
    was applied, with the audit times."""
    lab, sandbox = bulk_lab
    page = narrow_page
    path = lab.root / "bulk-reopen.ipynb"
    _plan(lab, page, sandbox, path.name)
    page.locator(".widget-checkbox", has_text="3 settled invoices").locator("input[type=checkbox]").check()
    apply = _button(page, "Apply")
    assert wait(lambda: apply.is_enabled())
    apply.click()
    assert wait(lambda: all(sandbox.invoice(i)["status"] == "Open" for i in IDS))
    page.locator(".lm-MenuBar-itemLabel", has_text="File").first.click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Save Notebook$")).first.click()

    def saved_copy() -> bool:
        outputs = json.loads(path.read_text())["cells"][1]["outputs"]
        html = ["".join(o.get("data", {}).get("text/html", "")) for o in outputs]
        return any("Apply: 6 applied." in h for h in html)

    assert wait(saved_copy)
    lab.reset_sessions()  # the kernel, and with it the widgets' models, are gone
    page.goto(lab.notebook_url(path.name))
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    copy = page.locator(".jp-OutputArea-output details", has_text="Static copy of the bulk editor")
    assert wait(lambda: copy.count() == 1), page.locator(".jp-OutputArea-output").all_inner_texts()
    assert "Apply: 6 applied." in copy.locator("summary").inner_text()
    assert page.locator(".widget-dropdown select").count() == 0  # no live editor
    copy.locator("summary").first.click()
    text = copy.inner_text()
    assert wait(lambda: "Status: Paid → Open" in copy.inner_text()), text
    assert "Credit-fee split: client pays 0 % → 50 %, member pays 100 % → 50 %" in copy.inner_text()
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", copy.inner_text())  # audit times
    shot = screenshot(page, "bulk-reopened-1024.png", page.locator(".jp-Notebook .jp-Cell").nth(1))
    publish(shot, "bulk-static-copy.png")


def test_the_bulk_editor_in_notebook_7(notebook7: tuple[Lab, SandboxServer], page: Any) -> None:
    """Notebook 7 draws the same editor: the checkbox for one settled invoice gates Apply."""
    lab, sandbox = notebook7
    sandbox.put(make_invoice(7, status="Paid", invoice_id="nb7-paid"))
    cells = [CELLS[0], "editor = BulkEditor(s, ['nb7-paid'])\neditor"]
    write_notebook(lab.root / "nb7-bulk.ipynb", cells)
    run_all(lab, page, "nb7-bulk.ipynb")
    assert wait(lambda: page.locator(".widget-dropdown select").count() == 1)
    page.locator(".widget-dropdown select").select_option("Open")
    _button(page, "Plan (dry run)").click()
    confirm = page.locator(".widget-checkbox", has_text="1 settled invoice")
    assert wait(lambda: confirm.count() == 1 and confirm.is_visible())
    assert "1 invoice leaves Paid (1 Paid → Open)" in page.locator(".jp-OutputArea-output").first.inner_text()
    apply = _button(page, "Apply")
    assert apply.is_disabled()
    confirm.locator("input[type=checkbox]").check()
    assert wait(lambda: apply.is_enabled())
    apply.click()
    assert wait(lambda: sandbox.invoice("nb7-paid")["status"] == "Open")
    screenshot(page, "notebook7-bulk-applied.png")
