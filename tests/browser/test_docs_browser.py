"""The documentation site as a reader meets it: built from this checkout (warnings fail the build),
then the tutorial page opened in Chromium, where the notebook's outputs are invoice cards drawn as
HTML, readable in furo's light and dark themes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .labtools import ROOT, screenshot

# The colour of an element's text and of the first opaque background behind it, as sRGB triples.
COLOURS = """el => {
    const rgb = s => s.match(/[\\d.]+/g).map(Number);
    let bg = null;
    for (let n = el; n && !bg; n = n.parentElement) {
        const c = rgb(getComputedStyle(n).backgroundColor);
        if (c.length < 4 || c[3] === 1) bg = c.slice(0, 3);
    }
    return {fg: rgb(getComputedStyle(el).color).slice(0, 3), bg: bg || [255, 255, 255]};
}"""


def _contrast(fg: list[float], bg: list[float]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours."""

    def luminance(c: list[float]) -> float:
        lin = [v / 255 / 12.92 if v / 255 <= 0.04045 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh build of docs/ (the same command as ``make docs``) in a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    env = {k: v for k, v in os.environ.items() if k not in ("WINGSPAN_API_TOKEN", "WINGSPAN_SERVER_URL")}
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-n", "-q", "docs", str(out)]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, f"make docs failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    yield out


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_tutorial_page_shows_invoice_cards(site: Path, page: Any, theme: str) -> None:
    page.goto((site / "tutorial" / "quickstart.html").as_uri())
    page.evaluate(f"document.body.dataset.theme = '{theme}'")
    cards = page.locator("article .wsnb .wsnb-card")
    assert cards.count() >= 1, "no invoice card rendered on the tutorial page"
    card = cards.first
    card.scroll_into_view_if_needed()
    assert card.is_visible()
    # Drawn as a card, not shown as markup or as the one-line text summary.
    assert "<div" not in card.inner_text() and "<ClientInvoice" not in page.locator("article").inner_text()
    amount = card.locator(".wsnb-amount").first
    colours = amount.evaluate(COLOURS)
    assert _contrast(colours["fg"], colours["bg"]) >= 4.5, (theme, colours)
    # The two themes really differ: the check above ran against a dark page in dark mode.
    page_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (theme == "dark") == (sum(int(v) for v in page_bg[4:-1].split(",")[:3]) < 3 * 128), page_bg
    screenshot(page, f"docs-tutorial-{theme}.png", card)


def test_the_models_page_lists_every_field(site: Path) -> None:
    """The built reference, read back: one table per model, headed by its name, one row per field
    with its attribute and wire names and its description (the build makes it from field_plan)."""
    import html
    import re

    from wingspan_nb.models import field_plan

    from ..test_descriptions import _models

    # Sphinx typesets apostrophes (smartquotes); the words are otherwise the field plan's own.
    page = (site / "reference" / "models.html").read_text(encoding="utf-8").replace("\u2019", "'")
    tables: dict[str, list[list[str]]] = {}
    for part in page.split('<p class="rubric">')[1:]:
        name = re.search(r'<span class="pre">(\w+)</span>', part)
        body = part.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        rows = [
            [
                html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
                for cell in re.findall(r"<td>(.*?)</td>", r, re.S)
            ]
            for r in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
        ]
        assert name is not None
        tables[name.group(1)] = rows
    models = _models()
    assert set(tables) == {c.__name__ for c in models}
    for cls in models:
        assert [[r[0], r[1], r[4]] for r in tables[cls.__name__]] == [
            [f.name, f.wire, f.description] for f in field_plan(cls)
        ], cls.__name__
