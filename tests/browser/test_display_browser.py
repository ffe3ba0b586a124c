"""The invoice card in a real JupyterLab, light and dark: rendered as HTML, hostile text inert."""

from __future__ import annotations

from typing import Any

import pytest

from .labtools import Lab, run_all, screenshot, write_notebook

CELLS = [
    "import wingspan_nb\ns = wingspan_nb.Wingspan.sandbox()\nids = s.sandbox_server.ids()",
    "s.client_invoice.get(id=ids[5]).client_invoice",  # a Paid invoice
    "s.client_invoice.get(id=ids[8]).client_invoice",  # the one with HTML, $ amounts and non-ASCII
]
HTML_OUTPUT = '.jp-OutputArea-output.jp-RenderedHTML[data-mime-type="text/html"]'


@pytest.mark.parametrize("theme", ["JupyterLab Light", "JupyterLab Dark"])
def test_invoice_card_in_jupyterlab(lab: Lab, page: Any, theme: str) -> None:
    lab.set_theme(theme)
    write_notebook(lab.root / "card.ipynb", CELLS)
    run_all(lab, page, "card.ipynb")
    cards = page.locator(f"{HTML_OUTPUT} .wsnb")
    assert cards.count() == 2, page.locator(".jp-OutputArea-output").all_inner_texts()
    paid, hostile = cards.nth(0), cards.nth(1)
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
    slug = "dark" if "Dark" in theme else "light"
    screenshot(page, f"invoice-card-{slug}.png", paid)
    screenshot(page, f"notebook-{slug}.png")
