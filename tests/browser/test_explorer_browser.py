"""The explorer in a real JupyterLab at 1024 px with the file browser open, light and dark, and in
Notebook 7: filter by status, search a client, sort, open a row from the keyboard, edit and save,
select three rows and plan a change. The kernel reaches a sandbox started here (the fixed list of
``tests/fixed_list.py``), so every row is known in advance."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from wingspan_nb.sandbox import SandboxServer

from ..fixed_list import ROWS, invoice_dict
from .labtools import Lab, publish, require_chromium, run_all, screenshot, wait, write_notebook

DOCS = [invoice_dict(row, n) for n, row in enumerate(ROWS)]
CELLS = [
    "from datetime import date\nimport wingspan_nb\ns = wingspan_nb.Wingspan()",
    "x = s.client_invoice.explore(page_size=6, today=date(2028, 3, 1), progress=False)\nx",
]

# The relative luminance and contrast ratio of WCAG 2, over the first opaque background up the tree.
CONTRAST_JS = """
els => els.map(e => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let n = e, bg = null;
  while (n && n.nodeType === 1) {
    const c = rgb(getComputedStyle(n).backgroundColor);
    if (c.length >= 3 && (c.length === 3 || c[3] > 0.9)) { bg = c; break; }
    n = n.parentElement;
  }
  bg = bg || [255, 255, 255];
  const fg = rgb(getComputedStyle(e).color);
  const [a, b] = [lum(fg), lum(bg)].sort((p, q) => q - p);
  return [e.innerText.trim().slice(0, 30), (a + 0.05) / (b + 0.05)];
})
"""


@pytest.fixture(scope="module")
def explorer_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Lab, SandboxServer]]:
    require_chromium()
    with SandboxServer(invoices=DOCS) as sandbox:
        env = {"WINGSPAN_SERVER_URL": sandbox.url, "WINGSPAN_API_TOKEN": sandbox.token}
        server = Lab(tmp_path_factory.mktemp("x-root"), tmp_path_factory.mktemp("x-home"), env=env)
        yield server, sandbox
        server.stop()


def _rows(page: Any) -> list[str]:
    return [t.strip() for t in page.locator(".wsnb-explorer .wsnb-x-open").all_inner_texts()]


def _button(page: Any, text: str) -> Any:
    return page.locator(".wsnb-explorer button").filter(has_text=text).first


def _header(page: Any, name: str) -> Any:
    """A column header's button ("due", then "due ▲"): not the toggles whose labels contain the word."""
    return page.locator(".wsnb-explorer .wsnb-x-head").filter(has_text=re.compile(rf"^\s*{name}\b")).first


def _open_file_browser(page: Any) -> None:
    tab = page.locator('.jp-SideBar .lm-TabBar-tab[data-id="filebrowser"]')
    if "lm-mod-current" not in (tab.get_attribute("class") or ""):
        tab.click()
    assert wait(lambda: page.locator("#filebrowser").is_visible())


def _assert_fits(page: Any) -> None:
    """Nothing of the explorer runs past its output's right edge, except inside the table's own
    scroller; and the output itself does not scroll sideways."""
    out = page.locator(".jp-OutputArea-output", has=page.locator(".wsnb-explorer")).first
    right = out.evaluate("e => e.getBoundingClientRect().right")
    spill = out.evaluate(
        """(o, right) => [...o.querySelectorAll('.wsnb-explorer *')]
            .filter(e => !e.closest('.wsnb-x-scroll') || e.classList.contains('wsnb-x-scroll'))
            .filter(e => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > right + 1)
            .map(e => e.className + ' ' + Math.round(e.getBoundingClientRect().right))""",
        right,
    )
    assert spill == [], (right, spill[:10])
    scroller = out.locator(".wsnb-x-scroll").first
    assert scroller.evaluate("e => e.getBoundingClientRect().right") <= right + 1


def _contrast(page: Any) -> list[tuple[str, float]]:
    parts = page.locator(
        ".wsnb-explorer .wsnb-x-cell, .wsnb-explorer .wsnb-x-open, .wsnb-explorer .wsnb-x-head"
    )
    return [(t, r) for t, r in parts.evaluate_all(CONTRAST_JS) if t]


def _ratio(one: str, other: str) -> float:
    """The WCAG contrast ratio of two ``rgb(r, g, b)`` colours (computed styles)."""

    def lum(css: str) -> float:
        def f(c: float) -> float:
            c /= 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (float(v) for v in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)

    high, low = sorted((lum(one), lum(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _story(lab: Lab, sandbox: SandboxServer, page: Any, theme: str) -> None:
    """The whole walk-through, in the app ``lab`` serves."""
    page.locator(".wsnb-explorer").first.wait_for(timeout=30_000)
    text = " ".join(page.locator(".jp-OutputArea-output").all_inner_texts())
    assert "VBox(children" not in text and "Traceback" not in text
    assert _rows(page) == ["F-01", "F-02", "F-03", "F-04", "F-05", "F-06"]
    assert "rows 1\N{EN DASH}6 of 11" in page.locator(".wsnb-explorer").inner_text()
    # Its message line is a live region: a failure above the table is announced.
    assert wait(lambda: page.locator(".wsnb-explorer > .wsnb-status[role=status]").count() >= 1)

    # Filter by status: the Open toggle (its label carries its count).
    toggle = page.locator(".wsnb-explorer .widget-toggle-button").filter(has_text="Open ·")
    assert toggle.inner_text().strip() == "Open · 2"
    assert wait(lambda: toggle.get_attribute("aria-pressed") == "false")  # a toggle says its state
    toggle.click()
    assert wait(lambda: _rows(page) == ["F-02", "F-03"]), _rows(page)
    assert wait(lambda: toggle.get_attribute("aria-pressed") == "true")
    # Pressed is plain to see: a check mark, and a fill 3:1 or more against an unpressed toggle's.
    assert toggle.inner_text().strip() == "\N{CHECK MARK} Open · 2"
    unpressed = page.locator(".wsnb-explorer .widget-toggle-button").filter(has_text="Draft ·")
    page.mouse.move(0, 0)  # no hover colour on either
    fills = [t.evaluate("e => getComputedStyle(e).backgroundColor") for t in (toggle, unpressed)]
    assert _ratio(*fills) >= 3, fills
    toggle.click()
    assert wait(lambda: len(_rows(page)) == 6)
    assert wait(lambda: toggle.get_attribute("aria-pressed") == "false")

    # Search a client as you type.
    client = page.locator(".wsnb-explorer .widget-text", has=page.locator(".widget-label", has_text="Client"))
    client.locator("input").press_sequentially("glob", delay=40)
    summary = page.locator(".wsnb-explorer").get_by_text("client contains")
    assert wait(lambda: "client contains 'glob': 5 of 11" in summary.inner_text()), summary.inner_text()
    assert _rows(page) == ["F-03", "F-04", "F-06", "F-10", "F-11"]

    # Sort: a header click, then again for descending; amounts by currency first (CAD, then USD).
    # aria-sort is on each column header (a button inside it sorts), in a table of rows.
    amount = _header(page, "amount")
    table = page.locator(".wsnb-explorer").get_by_role("table")
    assert wait(lambda: table.count() == 1)
    heads = table.get_by_role("row").first.get_by_role("columnheader")
    assert heads.count() == 6, heads.all_inner_texts()
    amount_head = heads.filter(has_text=re.compile(r"^\s*amount\b"))
    due_head = heads.filter(has_text=re.compile(r"^\s*due\b"))
    assert amount_head.get_attribute("aria-sort") == "none"
    amount.click()
    assert wait(lambda: _rows(page) == ["F-06", "F-10", "F-11", "F-03", "F-04"]), _rows(page)
    assert wait(lambda: amount_head.get_attribute("aria-sort") == "ascending")
    amount.click()
    assert wait(lambda: _rows(page) == ["F-11", "F-10", "F-06", "F-04", "F-03"]), _rows(page)
    assert wait(lambda: amount_head.get_attribute("aria-sort") == "descending")
    assert due_head.get_attribute("aria-sort") == "none"
    first_row = table.get_by_role("row").filter(has=page.get_by_role("checkbox")).first
    cells = first_row.get_by_role("cell")
    assert cells.count() == 6  # the checkbox (owning the number's button), then five cells
    number = first_row.locator(".wsnb-x-open")
    assert cells.first.get_attribute("aria-owns") == number.get_attribute("id")
    # Sorted by amount, each currency's rows start under a line naming it.
    groups = page.locator(".wsnb-explorer .wsnb-x-group")
    assert wait(lambda: groups.all_inner_texts() == ["CAD · 3 invoices", "USD · 2 invoices"]), (
        groups.all_inner_texts()
    )

    # From the search box, Tab reaches the rows; Enter opens the focused one.
    client.locator("input").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('wsnb-x-open')"):
            break
    focused = page.evaluate("() => document.activeElement.innerText.trim()")
    assert focused == "F-11", focused  # the first row, after the headers
    page.keyboard.press("Enter")
    card = page.locator(".wsnb-explorer .widget-html-content .wsnb-card .wsnb-title")
    assert wait(lambda: card.count() >= 1 and "F-11" in page.locator(".wsnb-explorer").inner_text())
    assert wait(lambda: page.locator(".wsnb-explorer .wsnb-x-current").inner_text().strip() == "F-11")
    # The focus moved to the card's first action: one Enter more would edit.
    active = "() => document.activeElement.innerText.trim()"
    assert wait(lambda: page.evaluate(active) == "Edit"), page.evaluate(active)

    _open_file_browser(page)
    page.wait_for_timeout(500)
    _assert_fits(page)
    low = [(t, round(r, 2)) for t, r in _contrast(page) if r < 4.5]
    assert low == [], low  # WCAG AA for text
    shot = screenshot(
        page, f"explorer-1024-{theme.split()[-1].lower()}.png", page.locator(".jp-OutputArea-output").first
    )
    if theme == "JupyterLab Light" and lab.app == "jupyterlab":
        publish(shot, "explorer.png")

    # Edit and save: the row shows the saved status without listing again.
    _button(page, "Edit").click()
    select = page.locator(".wsnb-explorer .widget-dropdown select").first
    assert wait(lambda: select.count() == 1)
    # The focus is on the form's first field (Status), which is in view: no Tabs, no scrolling.
    in_view = "e => e === document.activeElement && e.getBoundingClientRect().bottom <= window.innerHeight"
    assert wait(lambda: select.evaluate(in_view)), page.evaluate("() => document.activeElement.outerHTML")
    cards = page.locator(".wsnb-explorer .wsnb-card[role=group]")  # an invoice card
    assert wait(lambda: sum(c.is_visible() for c in cards.all()) == 1)  # once, not again in the form
    select.select_option("Paid")
    save = page.locator(".wsnb-explorer button").filter(has_text="Save").first
    assert wait(lambda: save.is_enabled())
    save.click()
    f11 = next(d["invoiceId"] for d in DOCS if d["invoiceNumber"] == "F-11")
    assert wait(lambda: sandbox.invoice(f11)["status"] == "Paid")
    first_cells = page.locator(".wsnb-explorer .wsnb-x-cells").first
    assert wait(lambda: "Paid" in first_cells.inner_text()), first_cells.inner_text()
    # The static copy under the explorer (what a saved notebook keeps) shows the saved invoice too.
    copy = page.locator(".jp-OutputArea-output").filter(has_text="Static copy of this explorer").first
    saved_row = copy.locator("tr").filter(has_text="F-11")
    assert wait(lambda: "Paid" in (saved_row.text_content() or "")), saved_row.text_content()
    lists = [
        r
        for r in sandbox.requests
        if r.method == "GET" and r.path.split("?")[0] == "/payments/client/invoice"
    ]
    assert len(lists) == 1

    # Select three rows, plan a change: the bulk editor for exactly those three, its dry run first.
    # Each row's checkbox is named after its invoice (a label drawn for screen readers only).
    assert page.get_by_role("checkbox", name="Select invoice F-04").count() == 1
    box = page.get_by_role("checkbox", name="Select invoice F-04")
    assert box.get_attribute("title") == "Select invoice F-04"  # the tooltip: words, not markup
    for number in ("F-11", "F-04", "F-10"):  # none already Cancelled
        page.get_by_role("checkbox", name=f"Select invoice {number}").check()
    assert wait(lambda: "3 selected" in page.locator(".wsnb-explorer").inner_text())
    _button(page, "Plan a change").click()
    assert wait(lambda: "Change 3 invoices" in page.locator(".wsnb-explorer").inner_text())
    first = page.locator(".wsnb-explorer .wsnb-form .widget-dropdown select").first  # its Status
    assert wait(lambda: first.evaluate(in_view)), page.evaluate("() => document.activeElement.outerHTML")
    page.locator(".wsnb-explorer .widget-dropdown select").last.select_option("Cancelled")
    _button(page, "Plan (dry run)").click()
    assert wait(lambda: "3 to change" in page.locator(".wsnb-explorer").inner_text())
    assert not any(r.method == "PATCH" and r.json().get("status") == "Cancelled" for r in sandbox.requests)
    screenshot(page, f"explorer-plan-{theme.split()[-1].lower()}.png")


@pytest.mark.parametrize("theme", ["JupyterLab Light", "JupyterLab Dark"])
def test_explorer_in_jupyterlab_at_1024_px(
    explorer_lab: tuple[Lab, SandboxServer], narrow_page: Any, theme: str
) -> None:
    lab, sandbox = explorer_lab
    sandbox.reset()
    lab.set_theme(theme)
    try:
        write_notebook(lab.root / "explore.ipynb", CELLS)
        run_all(lab, narrow_page, "explore.ipynb")
        _story(lab, sandbox, narrow_page, theme)
    finally:
        lab.set_theme("JupyterLab Light")


def test_explorer_in_notebook_7(tmp_path_factory: pytest.TempPathFactory, narrow_page: Any) -> None:
    require_chromium()
    with SandboxServer(invoices=DOCS) as sandbox:
        env = {"WINGSPAN_SERVER_URL": sandbox.url, "WINGSPAN_API_TOKEN": sandbox.token}
        lab = Lab(
            tmp_path_factory.mktemp("x7-root"), tmp_path_factory.mktemp("x7-home"), env=env, app="notebook"
        )
        try:
            write_notebook(lab.root / "explore.ipynb", CELLS)
            run_all(lab, narrow_page, "explore.ipynb")
            page = narrow_page
            page.locator(".wsnb-explorer").first.wait_for(timeout=30_000)
            assert _rows(page) == ["F-01", "F-02", "F-03", "F-04", "F-05", "F-06"]
            page.locator(".wsnb-explorer .widget-toggle-button").filter(has_text="Overdue ·").click()
            assert wait(lambda: _rows(page) == ["F-04", "F-11"]), _rows(page)
            due = _header(page, "due")
            due.click()
            assert wait(lambda: "▲" in due.inner_text()), due.inner_text()
            due.click()
            assert wait(lambda: _rows(page) == ["F-11", "F-04"]), _rows(page)  # 2027-12-31, 2027-12-01
            page.locator(".wsnb-explorer .wsnb-x-open").filter(has_text="F-11").click()
            assert wait(lambda: "F-11" in page.locator(".wsnb-explorer .wsnb-x-current").inner_text())
            _assert_fits_notebook7(page)
            screenshot(page, "explorer-notebook7.png")
        finally:
            lab.stop()


def _assert_fits_notebook7(page: Any) -> None:
    out = page.locator(".jp-OutputArea-output", has=page.locator(".wsnb-explorer")).first
    assert out.evaluate("e => e.scrollWidth <= e.clientWidth + 1")


MANY_CELLS = [
    "from datetime import date\nimport wingspan_nb\nfrom wingspan_nb.models import ClientInvoice\n"
    "from wingspan_nb.sandbox import make_invoice\ns = wingspan_nb.Wingspan()",
    "day = date(2028, 3, 1)\n"
    "many = wingspan_nb.InvoiceList(ClientInvoice.from_dict(make_invoice(n, today=day)) for n in range(1, 41))\n"
    "x = many.explore(s, today=day)\nx",
]


def test_enter_on_a_row_of_a_full_page_goes_to_the_cards_edit(
    explorer_lab: tuple[Lab, SandboxServer], narrow_page: Any
) -> None:
    """25 rows a page (the default): Enter on the twentieth row opens its card below the table and
    puts the focus on the card's Edit, in view, so the next key acts on the card, not on a row."""
    lab, _ = explorer_lab
    page = narrow_page
    write_notebook(lab.root / "many.ipynb", MANY_CELLS)
    run_all(lab, page, "many.ipynb")
    page.locator(".wsnb-explorer").first.wait_for(timeout=30_000)
    rows = page.locator(".wsnb-explorer .wsnb-x-open")
    assert wait(lambda: rows.count() == 25), rows.count()
    row = rows.nth(19)
    number = row.inner_text().strip()
    row.focus()
    page.keyboard.press("Enter")
    current = page.locator(".wsnb-explorer .wsnb-x-current")
    assert wait(lambda: current.count() == 1 and current.inner_text().strip() == number)
    active = "() => document.activeElement.innerText.trim()"
    assert wait(lambda: page.evaluate(active) == "Edit"), page.evaluate(active)
    in_view = page.evaluate(
        "() => { const r = document.activeElement.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )
    assert in_view
    card = page.locator(".wsnb-explorer .wsnb-card[role=group]")
    assert wait(lambda: number in card.first.inner_text())


# Each access script under Chromium's JavaScript, frames run by hand: requestAnimationFrame queues
# its callback and cancelAnimationFrame takes it out, so the test counts frames, not time.
_FRAMES_JS = """
async ([source, attach]) => {
  const url = URL.createObjectURL(new Blob([source], {type: 'text/javascript'}));
  const script = (await import(url)).default;
  let asked = 0;
  const queue = new Map();
  window.requestAnimationFrame = (f) => { asked += 1; queue.set(asked, f); return asked; };
  window.cancelAnimationFrame = (id) => { queue.delete(id); };
  const run = (n) => {
    for (let i = 0; i < n && queue.size; i++) {
      const [id, f] = queue.entries().next().value;
      queue.delete(id);
      f();
    }
  };
  const model = {get: () => false, send: () => {}};
  // Removed before it is attached (a cell cleared or re-run at once).
  const gone = document.createElement('div');
  const cleanup = script.render({model, el: gone});
  run(3);
  const beforeRemoval = asked;
  cleanup();
  run(100);
  const removed = {askedAfterRemoval: asked - beforeRemoval, pending: queue.size};
  // Attached a few frames late: it still finds its root and sets its attributes.
  const late = document.createElement('div');
  const keep = script.render({model, el: late});
  run(3);
  const root = document.createElement('div');
  root.className = attach;
  root.innerHTML = '<div class="wsnb-status"></div>';
  root.appendChild(late);
  document.body.appendChild(root);
  run(1);
  const attached = root.querySelector('.wsnb-status').getAttribute('role');
  keep();
  return {...removed, pending_after_attach: queue.size, attached};
}
"""


@pytest.mark.parametrize("which", ["explorer", "form"])
def test_an_access_script_removed_before_it_attaches_stops_asking_for_frames(page: Any, which: str) -> None:
    """A view torn down before it is in the page (the explorer's or a form's invisible script) stops
    looking for its root: no frame is asked for after its cleanup, and none is left pending."""
    from wingspan_nb.widgets._access import _EXPLORER_ESM, _FORM_ESM

    source, root = (_EXPLORER_ESM, "wsnb-explorer") if which == "explorer" else (_FORM_ESM, "wsnb-form")
    result = page.evaluate(_FRAMES_JS, [source, root])
    assert result == {"askedAfterRemoval": 0, "pending": 0, "pending_after_attach": 0, "attached": "status"}
