"""The edit form in a real JupyterLab: change status and a fee share, Save, and the sandbox (started
by this test, reached by the kernel through the environment) has the change; then a 422 shows next to
the field it names."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from .labtools import ARTIFACTS, Lab, publish, run_all, screenshot, wait, write_notebook

CELLS = [
    "import wingspan_nb\ns = wingspan_nb.Wingspan()  # WINGSPAN_SERVER_URL and WINGSPAN_API_TOKEN point at the test's sandbox",
    "editor = s.client_invoice.edit(id='browser-1')\neditor",
]


def _text_input(page: Any, label: str) -> Any:
    return page.locator(".widget-text", has=page.locator(".widget-label", has_text=label)).locator("input")


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
    assert wait(lambda: save.is_enabled())
    save.click()
    assert wait(lambda: sandbox.invoice("browser-1")["status"] == "Paid"), [
        r.status for r in sandbox.requests
    ]
    assert sandbox.invoice("browser-1")["creditFeeHandling"] == {
        "clientAbsolutePercentage": None,
        "clientPays": 40,
        "memberPays": 60,
    }
    assert wait(
        lambda: (
            "Saved: status, credit-fee split at" in page.locator(".jp-OutputArea-output").first.inner_text()
        )
    )
    screenshot(page, "editor-saved.png")

    # Second run: the server rejects the next save with a 422 naming a field.
    sandbox.fail_next(
        1,
        method="PATCH",
        status=422,
        validation=[
            {
                "location": ["body", "creditFeeHandling", "memberPays"],
                "message": "the member pays at least 60",
            }
        ],
    )
    client_pays.fill("45")
    client_pays.press("Tab")
    member_pays.fill("55")
    member_pays.press("Tab")
    assert wait(lambda: save.is_enabled())
    save.click()
    field_row = page.locator(".widget-vbox", has=page.locator(".widget-label", has_text="Member pays")).last
    assert wait(lambda: "server: the member pays at least 60" in field_row.inner_text()), (
        field_row.inner_text()
    )
    assert member_pays.input_value() == "55"  # the edit is kept
    assert sandbox.invoice("browser-1")["creditFeeHandling"]["memberPays"] == 60
    screenshot(page, "editor-422.png")


def _save(page: Any) -> Any:
    return page.locator("button.widget-button").filter(has_text=re.compile(r"^\s*Save\s*$"))


def _messages(page: Any) -> list[str]:
    """Every validation or server message shown in the form, one string per field that has one."""
    return [t for t in page.locator(".wsnb-field-message").all_inner_texts() if t.strip()]


@pytest.mark.parametrize("theme", ["JupyterLab Light", "JupyterLab Dark"])
def test_validation_at_1024_px(form_lab: tuple[Lab, Any], narrow_page: Any, theme: str) -> None:
    lab, _ = form_lab
    page = narrow_page
    lab.set_theme(theme)
    try:
        write_notebook(lab.root / "form-1024.ipynb", CELLS)
        run_all(lab, page, "form-1024.ipynb")
        save = _save(page)
        assert wait(lambda: save.count() == 1)
        assert save.is_disabled() and "mod-primary" not in (save.get_attribute("class") or "")
        disabled_look = save.evaluate(
            "b => [getComputedStyle(b).opacity, getComputedStyle(b).backgroundColor]"
        )

        client_pays = _text_input(page, "Client pays")
        client_pays.fill("150")
        client_pays.press("Tab")
        assert wait(lambda: len(_messages(page)) == 1), _messages(page)
        [message] = _messages(page)
        assert "Client pays is a percentage" in message and message.count("⚠") == 1
        client_row = page.locator(
            ".widget-vbox", has=page.locator(".widget-label", has_text="Client pays")
        ).last
        assert "Client pays is a percentage" in client_row.inner_text()  # next to its own field
        assert save.is_disabled()

        client_pays.fill("30")  # member pays is still 100: the shares do not add up
        client_pays.press("Tab")
        assert wait(lambda: any("does not add up to 100 %" in m for m in _messages(page))), _messages(page)
        assert len(_messages(page)) == 1 and save.is_disabled()
        screenshot(
            page,
            f"form-invalid-1024-{theme.split()[-1].lower()}.png",
            page.locator(".jp-OutputArea-output").first,
        )

        member_pays = _text_input(page, "Member pays")
        member_pays.fill("70")
        member_pays.press("Tab")
        assert wait(lambda: save.is_enabled()) and _messages(page) == []
        assert "mod-primary" in (save.get_attribute("class") or "")
        enabled_look = save.evaluate(
            "b => [getComputedStyle(b).opacity, getComputedStyle(b).backgroundColor]"
        )
        assert enabled_look != disabled_look  # the two states look different in this theme
        # ... and unlike an enabled plain button too (Revert, now enabled): hollow, not filled.
        revert = page.locator("button.widget-button").filter(has_text="Revert")
        assert revert.is_enabled()
        revert_look = revert.evaluate(
            "b => [getComputedStyle(b).opacity, getComputedStyle(b).backgroundColor]"
        )
        assert disabled_look[1] != revert_look[1] and float(disabled_look[0]) < 0.6, (
            disabled_look,
            revert_look,
        )

        # Nothing of the form is cut off at 1024 px, the invoice card under it included: every control,
        # message and table fits the output (a wide table scrolls inside its card).
        _assert_fits(page)
        # The same in a notebook 600 px wide (a 1024 px window with the file browser open is ~670 px).
        width = page.locator(".jp-OutputArea-output").first.evaluate("e => e.getBoundingClientRect().width")
        page.set_viewport_size({"width": int(1024 - (width - 600)), "height": 1600})
        try:
            assert wait(
                lambda: (
                    abs(
                        page.locator(".jp-OutputArea-output").first.evaluate(
                            "e => e.getBoundingClientRect().width"
                        )
                        - 600
                    )
                    < 30
                )
            )
            _assert_fits(page)
        finally:
            page.set_viewport_size({"width": 1024, "height": 1600})
        assert page.locator(".widget-html-content .wsnb-card table").count() >= 1  # preview, card style
        shot = _form_shot(page, f"form-1024-{theme.split()[-1].lower()}.png")
        if theme == "JupyterLab Light":
            publish(shot, "edit-form.png")
    finally:
        lab.set_theme("JupyterLab Light")


def _assert_fits(page: Any) -> None:
    form = page.locator(".jp-OutputArea-output").first
    right = form.evaluate("e => e.getBoundingClientRect().right")
    parts = form.locator(
        ".widget-hbox, .widget-text, .widget-dropdown, .widget-html-content .wsnb-card, button"
    )
    rights = parts.evaluate_all("es => es.map(e => [e.className, e.getBoundingClientRect().right])")
    overflow = [(name, r) for name, r in rights if r > right + 1]
    assert overflow == [], (right, overflow)
    assert form.locator(".wsnb-form-card .wsnb-card").count() == 1


def _form_shot(page: Any, name: str) -> Any:
    """The form down to the top of its card."""
    form = page.locator(".jp-OutputArea-output").first
    form.scroll_into_view_if_needed()
    box = form.bounding_box()
    card = form.locator(".wsnb-form-card").bounding_box()
    clip = {"x": box["x"], "y": box["y"], "width": box["width"], "height": card["y"] + 90 - box["y"]}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), clip=clip)
    return path


def test_a_reopened_notebook_shows_the_static_copy(form_lab: tuple[Lab, Any], page: Any) -> None:
    """Saved, closed, reopened without the kernel's widgets: the live form is gone ("model not
    found"), the static copy under it still shows the form and the invoice."""
    lab, _ = form_lab
    path = lab.root / "reopen.ipynb"
    write_notebook(path, CELLS)
    run_all(lab, page, "reopen.ipynb")
    assert wait(lambda: page.locator(".widget-dropdown select").count() == 1)
    page.locator(".lm-MenuBar-itemLabel", has_text="File").first.click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Save Notebook$")).first.click()

    def saved_copy() -> bool:
        outputs = json.loads(path.read_text())["cells"][1]["outputs"]
        html = ["".join(o.get("data", {}).get("text/html", "")) for o in outputs]  # str, or lines
        return any("Static copy of this form" in h for h in html)

    assert wait(saved_copy)
    lab.reset_sessions()  # the kernel, and with it the widgets' models, are gone
    page.goto(lab.notebook_url("reopen.ipynb"))
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    copy = page.locator(".jp-OutputArea-output details", has_text="Static copy of this form")
    assert wait(lambda: copy.count() == 1), page.locator(".jp-OutputArea-output").all_inner_texts()
    assert page.locator(".widget-dropdown select").count() == 0  # no live form
    copy.locator("summary").first.click()
    assert wait(lambda: "Edit form for invoice INV-2026-0003" in copy.inner_text()), copy.inner_text()
    assert copy.locator(".wsnb-card .wsnb-badge").count() >= 1  # the invoice card too
    screenshot(page, "editor-reopened.png", page.locator(".jp-Notebook .jp-Cell").nth(1))


def test_the_conflict_buttons_show_their_labels_at_1024_px(
    form_lab: tuple[Lab, Any], narrow_page: Any
) -> None:
    """A conflict at 1024 px: both choices read in full ("Reload from server" was cut to "Reload
    from se…") and the plain Save waits until one of them is taken."""
    lab, sandbox = form_lab
    page = narrow_page
    write_notebook(lab.root / "conflict.ipynb", CELLS)
    run_all(lab, page, "conflict.ipynb")
    save = _save(page)
    assert wait(lambda: save.count() == 1)
    target = "Open" if sandbox.invoice("browser-1")["status"] != "Open" else "Pending"
    page.locator(".widget-dropdown select").select_option(target)
    assert wait(lambda: save.is_enabled())
    sandbox.put(sandbox.invoice("browser-1") | {"updatedAt": "2099-01-01T00:00:00.000Z"})
    save.click()
    reload = page.locator("button.widget-button").filter(has_text="Reload from server")
    anyway = page.locator("button.widget-button").filter(has_text="Save anyway")
    assert wait(lambda: reload.is_visible() and anyway.is_visible())
    for button in (reload, anyway):
        scroll, client = button.evaluate("b => [b.scrollWidth, b.clientWidth]")
        assert scroll <= client, (button.inner_text(), scroll, client)
    assert save.is_disabled()
    screenshot(page, "editor-conflict-1024.png", page.locator(".jp-OutputArea-output").first)
    reload.click()
    assert wait(lambda: save.is_enabled())
