"""The notebook views at string level: escaping, links, truncation, options, never raising."""

from __future__ import annotations

import copy
import re
from datetime import date
from typing import Any

import pytest
import requests
from IPython.lib.pretty import pretty

import wingspan_nb
from wingspan_nb import errors
from wingspan_nb.display import _invoice, repr_html, summary
from wingspan_nb.models import ClientInvoice, Fee, InvoiceLineItem, operations
from wingspan_nb.sandbox import HOSTILE_TEXTS, make_invoice

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    "$2.13 and $5.24",
    "&lt;already&gt;",
]


@pytest.fixture(autouse=True)
def _default_options() -> Any:
    with wingspan_nb.set_options(
        display_style="html",
        max_line_items=30,
        max_string_length=200,
        expand={"parties", "line_items", "events"},
    ):
        yield


def _hostile_doc(payload: str) -> dict[str, Any]:
    """An invoice with ``payload`` in every string field: texts, URLs, timestamps and enum values."""
    doc = make_invoice(9, line_items=3)

    def poison(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: (payload if isinstance(v, str) else poison(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [payload if isinstance(v, str) else poison(v) for v in node]
        return node

    return poison(doc)


def _without_attributes(markup: str) -> str:
    return re.sub(r'="[^"]*"', '=""', markup)


def _text_content(markup: str) -> str:
    """What a reader sees: tags dropped, entities left as written."""
    return re.sub(r"<[^>]+>", "", markup)


@pytest.mark.parametrize("payload", HOSTILE)
@pytest.mark.filterwarnings("ignore::wingspan_nb.errors.UnknownEnumValueWarning")
def test_every_server_string_is_escaped(payload: str) -> None:
    invoice = ClientInvoice.from_dict(_hostile_doc(payload))
    markup = repr_html(invoice)
    assert markup is not None and "The rich view failed" not in markup
    assert "<script>alert" not in markup and "<img src=x" not in markup
    assert "onerror=alert(1)>" not in markup.replace("onerror=alert(1)&gt;", "")
    assert 'href="javascript' not in markup.lower() and "href='javascript" not in markup.lower()
    assert "' onmouseover='" not in markup
    # Every $ of server text sits in its own <code>, so that MathJax (which reads text, not
    # attributes) cannot typeset it.
    assert re.search(r"\$[^<]", _without_attributes(markup)) is None
    # Each attribute value is quoted with " and no server string can close it.
    for attr in re.findall(r'\s[a-z-]+="([^"]*)"', markup):
        assert "<" not in attr


def test_only_http_urls_become_links() -> None:
    doc = make_invoice(9)
    doc["attachments"]["invoicePdf"] = "javascript:alert('pdf')"
    doc["attachments"]["receiptPdf"] = "data:text/html,<script>alert(1)</script>"
    doc["attachments"]["invoiceLink"] = "https://my.wingspan.app/invoice/x?a=1&b=2"
    markup = repr_html(ClientInvoice.from_dict(doc))
    assert markup is not None
    hrefs = re.findall(r'href="([^"]*)"', markup)
    assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)
    assert 'href="https://my.wingspan.app/invoice/x?a=1&amp;b=2"' in markup
    assert "javascript:alert(&#x27;pdf&#x27;)" in markup  # still shown, as text
    assert 'rel="noopener noreferrer nofollow"' in markup


def test_dollar_amounts_never_become_math() -> None:
    doc = make_invoice(9, texts=HOSTILE_TEXTS)
    markup = repr_html(ClientInvoice.from_dict(doc))
    assert markup is not None
    assert re.search(r"\$[^<]", _without_attributes(markup)) is None  # no $ followed by text
    assert _text_content(markup).count("$2.13 and $5.24") >= 1  # the reader still sees it literally


def test_one_style_block_and_every_selector_scoped() -> None:
    markup = repr_html(ClientInvoice.from_dict(make_invoice(3)))
    assert markup is not None and markup.startswith('<div class="wsnb"><style>')
    assert markup.count("<style>") == 1
    css = re.search(r"<style>(.*?)</style>", markup, re.S)
    assert css is not None
    selectors = [s.strip() for block in re.findall(r"([^{}]+)\{", css.group(1)) for s in block.split(",")]
    selectors = [s for s in selectors if s and not s.startswith("--") and ":" not in s.split(" ")[0][:1]]
    assert selectors and all(s.startswith(".wsnb") for s in selectors), [
        s for s in selectors if not s.startswith(".wsnb")
    ]


def test_card_contents() -> None:
    doc = make_invoice(6, status="Paid", line_items=4)
    invoice = ClientInvoice.from_dict(doc)
    markup = repr_html(invoice)
    assert markup is not None
    assert doc["invoiceNumber"] in markup
    assert 'class="wsnb-badge wsnb-good">Paid<' in markup
    assert markup.count("<tr>") >= 4 + 1  # 4 rows and the header
    assert "Total of 4 line items" in markup
    assert "⚠" not in markup  # the demo totals add up
    for section in ("parties", "line_items", "events", "links", "details", "member_client", "raw_json"):
        assert f'data-section="{section}"' in markup
    assert '<details class="wsnb-section" data-section="raw_json">' in markup  # collapsed by default
    assert "— Paid</li>" in markup  # the timeline


def test_totals_mismatch_is_flagged() -> None:
    doc = make_invoice(6, line_items=3)
    doc["amount"] = doc["amount"] + 10
    markup = repr_html(ClientInvoice.from_dict(doc))
    assert markup is not None and "⚠ The line items add up to" in markup


def test_money_has_no_float_artifacts() -> None:
    doc = make_invoice(6, line_items=1)
    doc["lineItems"][0].update(costPerUnit=0.1 + 0.2, totalCost=0.1 + 0.2, quantity=1)
    doc["amount"] = 0.30000000000000004
    markup = repr_html(ClientInvoice.from_dict(doc))
    assert markup is not None
    card = markup.split('data-section="raw_json"')[0]  # the raw JSON shows the wire value as sent
    assert "0.30000000000000004" not in card and ">0.30<" in card
    assert "⚠" not in markup


@pytest.mark.parametrize(
    ("status", "due", "today", "expected"),
    [
        ("Open", "2024-03-01T00:00:00.000Z", date(2024, 3, 11), "overdue by 10 days"),
        ("Overdue", "2024-03-01T00:00:00.000Z", date(2024, 3, 2), "overdue by 1 day<"),
        ("Open", "2024-03-01T00:00:00.000Z", date(2024, 3, 1), "due today"),
        ("Open", "2024-03-01T00:00:00.000Z", date(2024, 2, 26), "due in 4 days"),
        ("Paid", "2024-03-01T00:00:00.000Z", date(2024, 3, 11), None),
    ],
)
def test_due_date_note(status: str, due: str, today: date, expected: str | None) -> None:
    doc = make_invoice(2, status=status)
    doc["dueDate"] = due
    markup = _invoice.invoice_card(ClientInvoice.from_dict(doc), wingspan_nb.get_options(), today=today)
    if expected is None:
        assert "overdue" not in markup and "due in" not in markup
    else:
        assert expected in markup


def test_unknown_status_still_shows() -> None:
    doc = make_invoice(2)
    doc["status"] = "Refunded"
    with pytest.warns(errors.UnknownEnumValueWarning):
        invoice = ClientInvoice.from_dict(doc)
    markup = repr_html(invoice)
    assert markup is not None and 'wsnb-neutral">Refunded<' in markup


def test_large_invoices_show_head_and_tail_only() -> None:
    invoice = ClientInvoice.from_dict(make_invoice(8, line_items=10_000))
    markup = repr_html(invoice)
    assert markup is not None
    assert "… 9,970 more line items" in markup
    rows = re.findall(r'<tr><td class="wsnb-num">(\d+)</td>', markup)
    assert rows[:3] == ["1", "2", "3"] and rows[-1] == "10000" and len(rows) == 30
    assert "Total of 10,000 line items" in markup
    assert len(markup) < 100_000  # the raw JSON is shortened too
    with wingspan_nb.set_options(max_line_items=100):
        assert "… 9,900 more line items" in (repr_html(invoice) or "")


def test_long_strings_are_shortened_before_escaping() -> None:
    doc = make_invoice(4)
    doc["projectName"] = "<" * 500
    markup = repr_html(ClientInvoice.from_dict(doc))
    assert markup is not None
    title = re.search(r'<p class="wsnb-title">.*?</p>', markup)
    assert title is not None
    assert "&lt;" * 199 + "…" in title.group(0) and "&lt;" * 200 not in title.group(0)


def test_text_only_mode_and_options_context() -> None:
    invoice = ClientInvoice.from_dict(make_invoice(4))
    with wingspan_nb.set_options(display_style="text"):
        assert invoice._repr_html_() is None
    assert invoice._repr_html_() is not None
    with pytest.raises(ValueError, match="unknown sections"):
        wingspan_nb.set_options(expand={"nope"})
    with pytest.raises(ValueError):
        wingspan_nb.set_options(display_style="pdf")  # type: ignore[arg-type]
    assert wingspan_nb.get_options().display_style == "html"
    with wingspan_nb.set_options(expand={"raw_json"}):
        assert '<details class="wsnb-section" data-section="raw_json" open>' in (invoice._repr_html_() or "")


def test_text_summaries() -> None:
    doc = make_invoice(4, status="Open", line_items=2)
    invoice = ClientInvoice.from_dict(doc)
    line = pretty(invoice)
    assert line.startswith(f"<ClientInvoice {doc['invoiceNumber']} Open ") and "\n" not in line
    assert doc["memberName"] in line and "2 line items" in line and len(line) < 200
    assert pretty(invoice.line_items[0]).startswith("InvoiceLineItem(cost_per_unit=")
    assert pretty(Fee(amount=2.5)) == "Fee(amount=2.5)"
    assert summary(invoice) == line


def test_the_repr_never_raises() -> None:
    invoice = ClientInvoice.from_dict(make_invoice(4))
    invoice.line_items = None  # type: ignore[assignment]  # a broken object, as a user could make one
    markup = repr_html(invoice)
    assert markup is not None and "The rich view failed" in markup and "<pre>" in markup
    broken = copy.copy(invoice)
    broken.amount = "lots"  # type: ignore[assignment]
    assert "The rich view failed" in (repr_html(broken) or "")


def test_other_models_have_a_compact_view() -> None:
    item = InvoiceLineItem.from_dict(make_invoice(4)["lineItems"][0] | {"newThing": "<b>x</b>"})
    markup = repr_html(item)
    assert markup is not None
    assert '<p class="wsnb-title">Invoice line item</p>' in markup and "<dt>Total cost</dt>" in markup
    assert "InvoiceLineItem" not in markup and "total_cost" not in markup  # words, not code names
    assert "<dt>New thing (not in the models)</dt>" in markup and "&lt;b&gt;x&lt;/b&gt;" in markup


def _response(
    status: int, body: str, url: str = "https://api.wingspan.app/payments/client/invoice/x"
) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r._content = body.encode()
    r.headers["Content-Type"] = "application/problem+json"
    r.request = requests.Request("PATCH", url).prepare()
    r.url = url
    return r


def test_error_cards() -> None:
    e422 = errors.UnprocessableEntityError(
        raw_response=_response(
            422, '{"validation": [{"location": ["body", "status"], "message": "<b>bad</b>"}]}'
        )
    )
    markup = e422._repr_html_()
    assert markup is not None and "The server rejected a value (422)" in markup
    assert "<code>body.status</code>" in markup and "&lt;b&gt;bad&lt;/b&gt;" in markup
    e404 = errors.NotFoundError(raw_response=_response(404, "{}"))
    assert "Invoice not found (404)" in (e404._repr_html_() or "")
    conn = errors.APIConnectionError("PATCH failed", method="PATCH", url="https://x")
    assert "Could not reach the server" in (conn._repr_html_() or "")


def test_responses_show_the_card() -> None:
    invoice = ClientInvoice.from_dict(make_invoice(4))
    res = operations.GetClientInvoiceResponse(
        content_type="application/json",
        status_code=200,
        raw_response=requests.Response(),
        client_invoice=invoice,
    )
    markup = res._repr_html_()
    assert markup is not None and "HTTP 200" in markup and invoice.invoice_number in markup
    assert pretty(res).startswith("<GetClientInvoiceResponse 200 <ClientInvoice ")
