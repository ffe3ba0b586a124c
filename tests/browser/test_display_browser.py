"""The invoice card in a real JupyterLab at 1024 px, light and dark: rendered as HTML, hostile text
inert, wide tables inside the card, sensitive numbers masked, the amount first."""

from __future__ import annotations

from typing import Any

import pytest

from ..helpers import TODAY
from .labtools import Lab, publish, run_all, screenshot, write_notebook

# The kernels' demo invoices are dated from the suite's fixed day, as everywhere in the tests.
DEMO_DAY = repr(TODAY)  # datetime.date(...)

WIDE_INVOICE = f"""
import datetime
from wingspan_nb.models import ClientInvoice
from wingspan_nb.sandbox import make_invoice
doc = make_invoice(6, status="Open", line_items=4, today={DEMO_DAY})
for n, item in enumerate(doc["lineItems"]):
    item["detail"] = f"Design review and two rounds of revisions, phase {{n + 1}}"
    item["discount"] = {{"percentage": 10, "description": "early-payment discount"}}
    item["reimbursableExpense"] = n == 0
doc["amount"] = round(sum(i["totalCost"] for i in doc["lineItems"]), 2)
doc["bankTransferInfo"] = {{"accountNumber": "195002892775", "routingNumber": "249198861", "bankName": "SVB"}}
wide = ClientInvoice.from_dict(doc)
""".strip()

CELLS = [
    f"import datetime\nimport wingspan_nb\ns = wingspan_nb.Wingspan.sandbox(today={DEMO_DAY})\nids = s.sandbox_server.ids()",
    "s.client_invoice.get(id=ids[5]).client_invoice",  # a Paid invoice
    "s.client_invoice.get(id=ids[8]).client_invoice",  # the one with HTML, $ amounts and non-ASCII
    WIDE_INVOICE,
    'wingspan_nb.set_options(expand={"parties", "line_items", "events", "details"})\nwide',
    "try:\n    s.client_invoice.get(id='NoSuchInvoice0000000000')\nexcept wingspan_nb.errors.NotFoundError as e:\n    err = e\nerr",
]
HTML_OUTPUT = '.jp-OutputArea-output.jp-RenderedHTML[data-mime-type="text/html"]'
WIDTH = 1024
# Elements that reach past the card's right edge, other than content inside a box that scrolls.
OUTSIDE = """card => {
    const edge = card.getBoundingClientRect().right + 0.5;
    return [...card.querySelectorAll('*')]
        .filter(el => !el.closest('.wsnb-scroll, pre') && el.getClientRects().length)
        .filter(el => el.getBoundingClientRect().right > edge)
        .map(el => el.tagName + '.' + el.className + ': ' + el.textContent.slice(0, 40));
}"""


def _lines(locator: Any) -> int:
    """On how many lines an element's text lies (its line boxes, counted by their top edge)."""
    return int(
        locator.evaluate(
            """el => {
                const range = document.createRange();
                range.selectNodeContents(el);
                const tops = [...range.getClientRects()].map(r => r.top).sort((a, b) => a - b);
                return tops.filter((t, i) => i === 0 || t - tops[i - 1] > 4).length;
            }"""
        )
    )


@pytest.mark.parametrize("theme", ["JupyterLab Light", "JupyterLab Dark"])
def test_invoice_card_in_jupyterlab(lab: Lab, page: Any, theme: str) -> None:
    page.set_viewport_size({"width": WIDTH, "height": 900})
    lab.set_theme(theme)
    write_notebook(lab.root / "card.ipynb", CELLS)
    run_all(lab, page, "card.ipynb")
    cards = page.locator(f"{HTML_OUTPUT} .wsnb")
    assert cards.count() == 4, page.locator(".jp-OutputArea-output").all_inner_texts()
    paid, hostile, wide, error = cards.nth(0), cards.nth(1), cards.nth(2), cards.nth(3)
    assert paid.locator(".wsnb-badge").inner_text() == "Paid"
    assert paid.locator("table.wsnb-lines tbody tr").count() >= 1
    assert paid.locator("table.wsnb-lines").is_visible()
    # Hostile strings show as text: nothing ran, nothing was injected, $ amounts are literal.
    text = hostile.inner_text()
    assert "<script>alert('x')</script> Café déjà vu — $2.13 and $5.24" in text
    assert 'Zoë "Quote" O\'Brien <b>bold</b>' in text
    assert hostile.locator("script, img, svg, iframe").count() == 0
    assert page.locator(".wsnb mjx-container, .wsnb .MathJax").count() == 0
    assert page.dialogs == []
    # The card's styles win over JupyterLab's rendered-HTML defaults where they must.
    dollar = hostile.locator("code.wsnb-d").first
    assert dollar.evaluate("el => getComputedStyle(el).backgroundColor") == "rgba(0, 0, 0, 0)"
    cell = paid.locator("table.wsnb-lines tbody td").nth(1)
    assert cell.evaluate("el => getComputedStyle(el).textAlign") == "left"
    # The theme reaches the card: text colour follows JupyterLab's.
    body_color = page.evaluate("getComputedStyle(document.querySelector('.jp-RenderedHTML')).color")
    card_color = paid.evaluate("el => getComputedStyle(el).color")
    assert card_color == body_color

    # At 1024 px nothing leaves the card: wide tables scroll inside their own box.
    for card in (paid, hostile, wide, error):
        box = card.locator(".wsnb-card").first
        widths = box.evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert widths[0] <= widths[1], widths
        outside = box.evaluate(OUTSIDE)
        assert outside == [], outside
    scroller = wide.locator(".wsnb-scroll").first
    scroller.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    discount = wide.locator("table.wsnb-lines thead th").last
    assert discount.inner_text() == "Discount"
    inside = scroller.evaluate(
        "(el, th) => th.getBoundingClientRect().right <= el.getBoundingClientRect().right + 0.5",
        discount.element_handle(),
    )
    assert inside
    # Detail cells keep to a line or two when there is room; addresses and id chips never break.
    assert _lines(wide.locator("table.wsnb-lines tbody td.wsnb-prose").nth(1)) < 4
    for nowrap in (
        wide.locator(".wsnb-nowrap", has_text="@").first,
        wide.locator(".wsnb-sub .wsnb-nowrap").last,
    ):
        assert _lines(nowrap) == 1, nowrap.inner_text()
    # The amount is the biggest number on the card.
    sizes = wide.evaluate(
        "el => [parseFloat(getComputedStyle(el.querySelector('.wsnb-amount')).fontSize),"
        " parseFloat(getComputedStyle(el.querySelector('.wsnb-title')).fontSize)]"
    )
    assert sizes[0] > sizes[1]
    # Sensitive numbers show masked (here in the payment details).
    shown = wide.inner_text()
    assert "•••• 2775" in shown and "195002892775" not in shown and "249198861" not in shown

    # An error card looks like one: the theme's error colour (mixed toward the text colour for AA
    # contrast: still red), the reply body collapsed.
    red = """el => {
        const c = document.createElement('canvas').getContext('2d');
        c.fillStyle = getComputedStyle(el).color; c.fillRect(0, 0, 1, 1);
        const [r, g, b] = c.getImageData(0, 0, 1, 1).data;
        return r > 1.3 * g && r > 1.3 * b;
    }"""
    assert error.locator(".wsnb-title").evaluate(red)
    assert error.locator(".wsnb-title").evaluate(
        "el => getComputedStyle(el).color === getComputedStyle(el.closest('.wsnb-card')).borderLeftColor"
    )
    assert error.locator("details[data-section=body]").get_attribute("open") is None

    slug = "dark" if "Dark" in theme else "light"
    screenshot(page, f"notebook-{slug}.png")

    # With the file browser closed the card has room: the line items fit without scrolling and a
    # detail cell keeps to two lines.
    page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").first.click()  # collapses it
    page.wait_for_function("() => document.querySelector('#jp-left-stack').offsetWidth === 0")
    scroller.evaluate("el => { el.scrollLeft = 0; }")
    for card in (paid, hostile, wide, error):
        assert card.locator(".wsnb-card").first.evaluate(OUTSIDE) == []
    assert scroller.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert _lines(wide.locator("table.wsnb-lines tbody td.wsnb-prose").nth(1)) <= 2
    # An element screenshot shows only what the viewport holds: make room for the whole card first.
    card = wide.locator(".wsnb-card").first
    height = card.evaluate("el => el.getBoundingClientRect().height")
    page.set_viewport_size({"width": WIDTH, "height": int(height) + 200})
    card.scroll_into_view_if_needed()
    shot = screenshot(page, f"invoice-card-{slug}.png", card)
    assert shot.stat().st_size > 0
    publish(shot, "invoice-card.png" if slug == "light" else "invoice-card-dark.png")


NARROW_CELLS = [
    f"import datetime\nimport wingspan_nb\ns = wingspan_nb.Wingspan.sandbox(today={DEMO_DAY})\nids = s.sandbox_server.ids()",
    WIDE_INVOICE + "\nwide",
    "s.client_invoice.get(id=ids[2]).client_invoice",  # status Overdue, long past due
    "s.client_invoice.list(progress=False)",
]


def test_card_and_list_fit_a_notebook_beside_the_file_browser(lab: Lab, narrow_page: Any) -> None:
    """1024 px with the file browser open leaves the notebook about 670 px: the line items' total is
    visible without scrolling, the list's tables stay inside their card, dates never break."""
    page = narrow_page
    lab.set_theme("JupyterLab Light")
    write_notebook(lab.root / "narrow.ipynb", NARROW_CELLS)
    run_all(lab, page, "narrow.ipynb")
    cards = page.locator(f"{HTML_OUTPUT} .wsnb")
    assert cards.count() == 3, page.locator(".jp-OutputArea-output").all_inner_texts()
    wide, overdue, listed = cards.nth(0), cards.nth(1), cards.nth(2)
    assert page.evaluate("document.querySelector('#jp-left-stack').offsetWidth") > 0  # browser open
    notebook = page.locator(".jp-NotebookPanel").first.evaluate("el => el.offsetWidth")
    assert 600 <= notebook <= 760, notebook

    for card in (wide, overdue, listed):
        box = card.locator(".wsnb-card").first
        widths = box.evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert widths[0] <= widths[1], widths
        assert box.evaluate(OUTSIDE) == []
    # The line items' Total column and the totals row's number are in view without scrolling.
    scroller = wide.locator(".wsnb-scroll").first
    assert scroller.evaluate("el => el.scrollLeft") == 0
    total_head = wide.locator("table.wsnb-lines thead th", has_text="Total (USD)")
    total_foot = wide.locator("table.wsnb-lines tfoot td.wsnb-num")
    for cell in (total_head, total_foot):
        visible = scroller.evaluate(
            "(el, c) => c.getBoundingClientRect().right <= el.getBoundingClientRect().right + 0.5",
            cell.element_handle(),
        )
        assert visible, cell.inner_text()
    assert total_foot.inner_text().strip().endswith("USD")
    # "overdue by N days" and the due date keep to one line.
    assert _lines(overdue.locator(".wsnb-overdue")) == 1
    assert _lines(overdue.locator(".wsnb-headline time")) == 1
    # The list's sample table: inside the card (scrolling inside if it must); dates and ids whole.
    first = listed.locator("h4", has_text="First invoices")
    assert first.count() == 1
    for cell in listed.locator("table time, table code.wsnb-id").all()[:20]:
        assert _lines(cell) == 1, cell.inner_text()
    screenshot(page, "card-and-list-beside-file-browser.png")


MANY_CELLS = [
    "import wingspan_nb\nfrom wingspan_nb.models import ClientInvoiceUpdateRequest, InvoiceStatus\n"
    f"import datetime\ns = wingspan_nb.Wingspan.sandbox(today={DEMO_DAY})\nids = s.sandbox_server.ids()",
    "s.client_invoice.list(progress=False).client_invoices",
    "s.client_invoice.get_many(ids[:16], progress=False)",
    "plan = s.client_invoice.update_many(ids[:6], ClientInvoiceUpdateRequest(status=InvoiceStatus.CANCELLED),"
    " progress=False)\nplan",
    "plan.apply(confirm_settled=True, progress=False)",  # some of the six may be Paid already
]
# Whether an element shows whole inside the visible part of its table's scroll box (no scrolling).
IN_VIEW = """el => {
    const box = el.closest('.wsnb-scroll').getBoundingClientRect();
    const r = el.getBoundingClientRect();
    return r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
}"""


def test_list_and_bulk_views_at_1024(lab: Lab, narrow_page: Any) -> None:
    """At 1024 px: what an analyst reviews shows without scrolling sideways (the list's number to
    client, the plan's before and after, the result's outcome and detail), and badges, ids, numbers
    and times keep to one line."""
    page = narrow_page
    lab.set_theme("JupyterLab Light")
    write_notebook(lab.root / "many.ipynb", MANY_CELLS)
    run_all(lab, page, "many.ipynb")
    cards = page.locator(f"{HTML_OUTPUT} .wsnb")
    assert cards.count() == 4, page.locator(".jp-OutputArea-output").all_inner_texts()
    listed, many, plan, result = (cards.nth(i) for i in range(4))
    assert many.locator(".wsnb-badge", has_text="Payment in transit").count() >= 1
    for card in (listed, many, plan, result):
        for one_line in (card.locator(".wsnb-badge, code.wsnb-id, time")).all():
            assert _lines(one_line) == 1, one_line.inner_text()
    sample = listed.locator("table").last
    assert sample.locator("thead th").all_inner_texts() == [
        "number",
        "status",
        "amount",
        "due",
        "client",
        "id",
    ]
    for name in ("number", "status", "amount", "due", "client"):
        assert sample.locator("thead th", has_text=name).first.evaluate(IN_VIEW), name
    assert plan.locator("thead th", has_text="after / error").evaluate(IN_VIEW)
    assert plan.locator("tbody tr").first.locator("td").nth(4).evaluate(IN_VIEW)
    for name in ("outcome", "detail"):
        assert result.locator("thead th", has_text=name).evaluate(IN_VIEW), name
    screenshot(page, "many-1024.png")
