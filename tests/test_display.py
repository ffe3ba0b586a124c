"""The notebook views at string level: escaping, links, truncation, options, never raising."""

from __future__ import annotations

import copy
import html
import math
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
import requests
from IPython.lib.pretty import pretty

import wingspan_nb
from wingspan_nb import errors
from wingspan_nb.display import _invoice, repr_html, summary
from wingspan_nb.display._options import SECTIONS
from wingspan_nb.models import (
    ClientInvoice,
    ClientInvoiceUpdateRequest,
    Fee,
    InvoiceLineItem,
    InvoiceStatus,
    operations,
)
from wingspan_nb.sandbox import HOSTILE_TEXTS, make_invoice

from .helpers import TODAY

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
    doc = make_invoice(9, line_items=3, today=TODAY)

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
    doc = make_invoice(9, today=TODAY)
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
    doc = make_invoice(9, texts=HOSTILE_TEXTS, today=TODAY)
    markup = repr_html(ClientInvoice.from_dict(doc))
    assert markup is not None
    assert re.search(r"\$[^<]", _without_attributes(markup)) is None  # no $ followed by text
    assert _text_content(markup).count("$2.13 and $5.24") >= 1  # the reader still sees it literally


def test_one_style_block_and_every_selector_scoped() -> None:
    markup = repr_html(ClientInvoice.from_dict(make_invoice(3, today=TODAY)))
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
    doc = make_invoice(6, status="Paid", line_items=4, today=TODAY)
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
    doc = make_invoice(6, line_items=3, today=TODAY)
    doc["amount"] = doc["amount"] + 10
    markup = repr_html(ClientInvoice.from_dict(doc))
    assert markup is not None and "⚠ The line items add up to" in markup


def test_money_has_no_float_artifacts() -> None:
    doc = make_invoice(6, line_items=1, today=TODAY)
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
    doc = make_invoice(2, status=status, today=TODAY)
    doc["dueDate"] = due
    markup = _invoice.invoice_card(ClientInvoice.from_dict(doc), wingspan_nb.get_options(), today=today)
    if expected is None:
        assert "overdue" not in markup and "due in" not in markup
    else:
        assert expected in markup


def test_unknown_status_still_shows() -> None:
    doc = make_invoice(2, today=TODAY)
    doc["status"] = "Refunded"
    with pytest.warns(errors.UnknownEnumValueWarning):
        invoice = ClientInvoice.from_dict(doc)
    markup = repr_html(invoice)
    assert markup is not None and 'wsnb-neutral">Refunded<' in markup


def test_large_invoices_show_head_and_tail_only() -> None:
    invoice = ClientInvoice.from_dict(make_invoice(8, line_items=10_000, today=TODAY))
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
    doc = make_invoice(4, today=TODAY)
    doc["projectName"] = "<" * 500
    markup = repr_html(ClientInvoice.from_dict(doc))
    assert markup is not None
    title = re.search(r'<p class="wsnb-title">.*?</p>', markup)
    assert title is not None
    assert "&lt;" * 199 + "…" in title.group(0) and "&lt;" * 200 not in title.group(0)


def test_text_only_mode_and_options_context() -> None:
    invoice = ClientInvoice.from_dict(make_invoice(4, today=TODAY))
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
    doc = make_invoice(4, status="Open", line_items=2, today=TODAY)
    invoice = ClientInvoice.from_dict(doc)
    line = pretty(invoice)
    assert line.startswith(f"<ClientInvoice {doc['invoiceNumber']} Open ") and "\n" not in line
    assert doc["memberName"] in line and "2 line items" in line and len(line) < 200
    assert pretty(invoice.line_items[0]).startswith("InvoiceLineItem(cost_per_unit=")
    assert pretty(Fee(amount=2.5)) == "Fee(amount=2.5)"
    assert summary(invoice) == line


def test_the_repr_never_raises() -> None:
    invoice = ClientInvoice.from_dict(make_invoice(4, today=TODAY))
    invoice.line_items = None  # type: ignore[assignment]  # a broken object, as a user could make one
    markup = repr_html(invoice)
    assert markup is not None and "The rich view failed" in markup and "<pre>" in markup
    broken = copy.copy(invoice)
    broken.amount = "lots"  # type: ignore[assignment]
    assert "The rich view failed" in (repr_html(broken) or "")


def test_the_fallback_escapes_like_every_view_and_shortens(monkeypatch: pytest.MonkeyPatch) -> None:
    from wingspan_nb.display import _registry

    def broken(obj: object, opts: object) -> str:
        raise ValueError("costs $5 and $6 <b>bold</b> " + "x" * 500)

    monkeypatch.setattr(_registry, "render", broken)
    markup = repr_html(ClientInvoice.from_dict(make_invoice(4, today=TODAY))) or ""
    warning = markup.split('class="wsnb-warning">', 1)[1]
    assert "$" not in warning.replace('<code class="wsnb-d">$</code>', "")  # no MathJax
    assert "&lt;b&gt;bold" in warning and "<b>" not in warning
    assert "x" * 150 in warning and "x" * 300 not in warning and "…" in warning


@pytest.mark.parametrize(("sent", "shown"), [("4242", "•••• 4242"), ("4111111111111111", "•••• 1111")])
def test_the_card_shows_at_most_the_last_four_digits_of_the_card(sent: str, shown: str) -> None:
    doc = make_invoice(4, status="Paid", today=TODAY)
    doc["paymentInfo"] = {"meansType": "Card", "cardBrand": "Visa", "meansLast4": sent}
    markup = repr_html(ClientInvoice.from_dict(doc)) or ""
    assert f'<code class="wsnb-masked">{shown}</code>' in markup
    assert all(len(tail) <= 4 for tail in re.findall(r'class="wsnb-masked">•••• (\w+)<', markup))


def test_every_status_has_a_badge_tone_and_words() -> None:
    from wingspan_nb.display._html import _BADGES, badge, words

    assert list(_BADGES) == [s for s in _BADGES if isinstance(s, InvoiceStatus)]  # keyed by members
    assert set(_BADGES) == set(InvoiceStatus)
    for status in InvoiceStatus:
        shown = words(status)
        assert shown and not any(c.isupper() for c in shown[1:]), shown  # words, not CamelCase
        assert badge(status) == badge(status.value)  # a plain string finds its member's badge
        assert f"wsnb-{_BADGES[status]}" in badge(status) and shown in badge(status)
    assert words(InvoiceStatus.PAYMENT_IN_TRANSIT) == "Payment in transit"
    assert "wsnb-neutral" in badge("SomeNewStatus")


def test_other_models_have_a_compact_view() -> None:
    item = InvoiceLineItem.from_dict(make_invoice(4, today=TODAY)["lineItems"][0] | {"newThing": "<b>x</b>"})
    markup = repr_html(item)
    assert markup is not None
    assert '<p class="wsnb-title">Invoice line item</p>' in markup and "<dt>Total cost</dt>" in markup
    assert "InvoiceLineItem" not in markup and "total_cost" not in markup  # words, not code names
    assert "<dt>New thing (not in the models)</dt>" in markup and "&lt;b&gt;x&lt;/b&gt;" in markup


def test_acronyms_in_labels_are_capitals() -> None:
    """Member-client properties the models do not know, and the keys inside them, name acronyms in
    capitals: "IBAN (not in the models)", "SSN" and "EIN" under "Form W-9 info"."""
    doc = make_invoice(4, today=TODAY)
    doc["memberClient"] = {
        **doc["memberClient"],
        "iban": "DE89370400440532013000",
        "swiftBic": "COBADEFFXXX",
        "formW9Info": {"ssn": "123456789", "ein": "12-3456789", "name": "Zoë"},
    }
    markup = repr_html(ClientInvoice.from_dict(doc).member_client) or ""
    labels = re.findall(r"<dt[^>]*>([^<]*)</dt>", markup)
    assert {"IBAN (not in the models)", "SWIFT BIC (not in the models)", "SSN", "EIN", "Name"} <= set(
        labels
    ), labels
    assert not {"Iban (not in the models)", "ssn", "ein"} & set(labels)


def test_status_badges_never_wrap() -> None:
    """ "Payment in transit" broke over two lines in the list and get_many tables at 1024 px."""
    markup = repr_html(ClientInvoice.from_dict(make_invoice(3, today=TODAY))) or ""
    rule = re.search(r"\.wsnb \.wsnb-card \.wsnb-badge\{([^}]*)\}", markup)
    assert rule is not None and "white-space:nowrap" in rule.group(1).split(";")


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
    assert '<code class="wsnb-id">body.status</code>' in markup and "&lt;b&gt;bad&lt;/b&gt;" in markup
    e404 = errors.NotFoundError(raw_response=_response(404, "{}"))
    assert "Invoice not found (404)" in (e404._repr_html_() or "")
    conn = errors.APIConnectionError("PATCH failed", method="PATCH", url="https://x")
    assert "Could not reach the server" in (conn._repr_html_() or "")


def test_responses_show_the_card() -> None:
    invoice = ClientInvoice.from_dict(make_invoice(4, today=TODAY))
    res = operations.GetClientInvoiceResponse(
        content_type="application/json",
        status_code=200,
        raw_response=requests.Response(),
        client_invoice=invoice,
    )
    markup = res._repr_html_()
    assert markup is not None and "HTTP 200" in markup and invoice.invoice_number in markup
    assert pretty(res).startswith("<GetClientInvoiceResponse 200 <ClientInvoice ")


# -- sensitive numbers -----------------------------------------------------------------------------

# One distinctive value per sensitive wire name, planted where the models (or, for iban and bic,
# only the server) put it. Values of 8+ characters keep their last four in the mask.
SECRETS = {
    "accountNumber": "195002892775",
    "routingNumber": "249198861",
    "swiftCode": "SVBKUS6SXXX",
    "iban": "DE89370400440532013000",
    "bic": "COBADEFFXXX",
    "ssn": "123-45-6789",
    "ssnLastFour": "0042",
    "ein": "98-7654321",
    "taxId": "TX-55501234",
    "dob": "1980-02-03",
}


def _sensitive_doc() -> dict[str, Any]:
    doc = make_invoice(6, status="Paid", line_items=2, today=TODAY)
    account = {k: SECRETS[k] for k in ("accountNumber", "routingNumber", "swiftCode")} | {"bankName": "SVB"}
    mc = doc["memberClient"]
    mc["achCreditAccount"] = dict(account)
    mc["internationalWireAccount"] = dict(account)
    mc["formW9Data"] |= {"ssn": SECRETS["ssn"], "ein": SECRETS["ein"], "dob": SECRETS["dob"]}
    mc["client"]["profile"] = {
        "company": {"name": "Acme", "taxId": SECRETS["taxId"]},
        "ssnLastFour": SECRETS["ssnLastFour"],
    }
    doc["bankTransferInfo"] = dict(account)
    doc["internationalBankTransferInfo"] = dict(account) | {"iban": SECRETS["iban"], "bic": SECRETS["bic"]}
    return doc


def _leaks(markup: str) -> list[str]:
    return [k for k, v in SECRETS.items() if v in markup]


def test_every_sensitive_field_is_planted() -> None:
    from wingspan_nb._sensitive import SENSITIVE_WIRE_FIELDS

    assert set(SECRETS) == SENSITIVE_WIRE_FIELDS  # a new entry in the table needs a value above


def test_sensitive_numbers_are_masked_in_the_card_and_raw_json() -> None:
    invoice = ClientInvoice.from_dict(_sensitive_doc())
    with wingspan_nb.set_options(expand={"raw_json", "member_client", "details"}):
        markup = repr_html(invoice)
    assert markup is not None and _leaks(markup) == []
    raw = html.unescape(markup.split('data-section="raw_json"')[1])
    assert (
        '"accountNumber": "•••• 2775"' in raw and '"ssn": "•••• 6789"' in raw and '"iban": "•••• 3000"' in raw
    )
    assert '"ssnLastFour": "••••"' in raw  # short values give nothing away
    assert "masked here" in raw
    record = markup.split('data-section="member_client"')[1].split('data-section="raw_json"')[0]
    masked = '<code class="wsnb-masked" title="masked: set_options(show_sensitive=True) reveals it">'
    assert f"<dt>Account number</dt><dd>{masked}•••• 2775</code>" in record
    assert "<dt>EIN</dt>" in record and "•••• 4321" in record
    other = markup.split('data-section="details"')[1]
    assert f"account {masked}•••• 2775</code>" in other


def test_masked_numbers_say_so_and_how_to_reveal_them() -> None:
    """A tooltip on each mask, and one line at the foot of the card, outside every collapsed section."""
    invoice = ClientInvoice.from_dict(_sensitive_doc())
    with wingspan_nb.set_options(expand=set()):  # every section closed
        markup = repr_html(invoice) or ""
    card = markup.split('class="wsnb-card"', 1)[1]
    assert card.count('title="masked: set_options(show_sensitive=True) reveals it"') >= 3
    tail = card.rsplit("</details>", 1)[1]  # after the last section: visible with all closed
    assert "•••• masked — <code>set_options(show_sensitive=True)</code> to reveal" in tail
    assert tail.count("to reveal") == 1
    # The member-client record on its own says it too; nothing masked, nothing said.
    record = repr_html(invoice.member_client) or ""
    assert record.count("to reveal") == 1 and "reveals it" in record
    with wingspan_nb.set_options(show_sensitive=True):
        shown = repr_html(invoice) or ""
    assert "to reveal" not in shown and "reveals it" not in shown and "195002892775" in shown


def test_sensitive_numbers_are_masked_in_generic_and_text_views() -> None:
    invoice = ClientInvoice.from_dict(_sensitive_doc())
    mc = invoice.member_client
    nested = [
        mc,
        mc.ach_credit_account,
        mc.international_wire_account,
        mc.form_w9_data,
        mc.client,
        invoice.bank_transfer_info,
        invoice.international_bank_transfer_info,
    ]
    for obj in nested:
        assert obj is not None
        views = [repr_html(obj) or "", pretty(obj), summary(obj)]
        for view in views:
            assert _leaks(view) == [], (type(obj).__name__, view)
    assert "account_number='•••• 2775'" in pretty(mc.ach_credit_account)
    assert "•••• 3000" in (repr_html(invoice.international_bank_transfer_info) or "")  # an unknown iban
    assert _leaks(pretty(invoice)) == [] and _leaks(summary(invoice)) == []


def test_sensitive_values_inside_lists_and_objects_are_masked() -> None:
    from wingspan_nb._sensitive import masked_document
    from wingspan_nb.models import BankAccount

    doc = {
        "accountNumber": SECRETS["accountNumber"],
        "bankName": "SVB",
        "iban": [SECRETS["iban"]],
        "ein": {"value": SECRETS["ein"]},
    }
    account = BankAccount.from_dict(doc)
    assert _leaks(repr_html(account) or "") == []
    assert _leaks(repr(masked_document(doc))) == []
    assert masked_document(doc)["iban"] == ["•••• 3000"] and doc["iban"] == [SECRETS["iban"]]


def test_show_sensitive_reveals_for_a_block_only() -> None:
    invoice = ClientInvoice.from_dict(_sensitive_doc())
    with wingspan_nb.set_options(show_sensitive=True, expand={"raw_json", "member_client"}):
        markup = repr_html(invoice) or ""
        assert set(_leaks(markup)) == set(SECRETS)
        assert SECRETS["accountNumber"] in pretty(invoice.member_client.ach_credit_account)
    assert _leaks(repr_html(invoice) or "") == []
    assert wingspan_nb.get_options().show_sensitive is False
    with pytest.raises(ValueError, match="show_sensitive"):
        wingspan_nb.set_options(show_sensitive="yes")  # type: ignore[arg-type]


def test_masking_never_changes_the_data() -> None:
    doc = _sensitive_doc()
    invoice = ClientInvoice.from_dict(doc)
    before = invoice.to_dict()
    repr_html(invoice), pretty(invoice), repr_html(invoice.member_client), summary(invoice.bank_transfer_info)
    assert invoice.to_dict() == before
    assert before["memberClient"]["achCreditAccount"] == doc["memberClient"]["achCreditAccount"]
    assert set(_leaks(invoice.to_json())) == set(SECRETS)


def test_error_bodies_are_masked() -> None:
    body = '{"message": "rejected", "accountNumber": "195002892775", "nested": {"ssn": "123-45-6789"}}'
    e = errors.BadRequestError(raw_response=_response(400, body))
    markup = e._repr_html_() or ""
    assert _leaks(markup) == [] and _leaks(summary(e)) == []
    assert "•••• 2775" in markup
    with wingspan_nb.set_options(show_sensitive=True):
        assert SECRETS["accountNumber"] in (e._repr_html_() or "")


def _rejected(sandbox: Any, client: wingspan_nb.Wingspan, status: int, validation: Any) -> errors.SDKError:
    """The error a real PATCH over loopback gets when the sandbox answers ``status`` with ``validation``."""
    sandbox.fail_next(status=status, validation=validation, method="PATCH")
    request = ClientInvoiceUpdateRequest(status="Paid")
    with pytest.raises(errors.SDKError) as info:
        client.client_invoice.update(id=sandbox.ids()[0], client_invoice_update_request=request)
    return info.value


def _views(e: errors.SDKError) -> str:
    return "\n".join([str(e), repr(e), e._repr_html_() or "", summary(e)])


def test_a_400_blames_the_body_only_when_one_was_sent(client: wingspan_nb.Wingspan, sandbox: Any) -> None:
    sandbox.fail_next(status=400, method="GET")
    with pytest.raises(errors.BadRequestError) as info:
        client.client_invoice.get(id=sandbox.ids()[0])
    shown = _views(info.value)
    assert "request body" not in shown and "check the id" in shown
    patched = _rejected(sandbox, client, 400, None)
    assert isinstance(patched, errors.BadRequestError) and "request body" in str(patched)


def test_422_problems_are_masked_in_every_view_of_the_error(
    client: wingspan_nb.Wingspan, sandbox: Any
) -> None:
    problems = [
        {"location": ["body", "x"], "value": {"accountNumber": SECRETS["accountNumber"]}},
        {"location": ["body", "routingNumber"], "value": SECRETS["routingNumber"], "message": "not valid"},
        {"location": ["body", "y"], "message": {"ssn": SECRETS["ssn"]}},
    ]
    e = _rejected(sandbox, client, 422, problems)
    assert isinstance(e, errors.UnprocessableEntityError)
    assert _leaks(_views(e)) == []
    assert "•••• 2775" in str(e) and "routingNumber: not valid" in str(e)
    # The data is kept as the server sent it: .validation and .body are not views.
    assert e.validation == problems and SECRETS["accountNumber"] in e.body
    with wingspan_nb.set_options(show_sensitive=True):
        assert SECRETS["ssn"] in (e._repr_html_() or "")  # the problems table, on request


def test_sensitive_objects_and_lists_in_an_error_body_are_masked(
    client: wingspan_nb.Wingspan, sandbox: Any
) -> None:
    problems = [
        {"routingNumber": {"value": SECRETS["routingNumber"]}, "iban": [SECRETS["iban"], 7]},
        {"location": ["body", "ein"], "input": SECRETS["ein"]},
    ]
    e = _rejected(sandbox, client, 400, problems)
    assert isinstance(e, errors.BadRequestError)
    assert _leaks(_views(e)) == [] and "•••• 8861" in str(e) and "•••• 3000" in str(e)
    assert SECRETS["iban"] in e.body


def test_masked_text_masks_what_a_sensitive_name_holds() -> None:
    from wingspan_nb._sensitive import masked_text

    text = '{"routingNumber":{"value":"987654321098","n":[123456789012,null]},"ssn":null,"x":"ein"}'
    assert masked_text(text) == (
        '{"routingNumber":{"value":"•••• 1098","n":["•••• 9012",null]},"ssn":null,"x":"ein"}'
    )
    # An excerpt cut off inside the value: masked to its end.
    assert (
        masked_text('Body: {"iban": ["DE89370400440532013000", "DE8937')
        == 'Body: {"iban": ["•••• 3000", "••••"'
    )
    assert masked_text('{"bic": "COBADEFFXX') == '{"bic": "•••• FFXX"'


def test_a_models_repr_masks_free_form_values_and_unknown_properties() -> None:
    from wingspan_nb.models import Form1099Correction, MemberClientForm1099Balances

    balances = MemberClientForm1099Balances.from_dict(
        {
            "adjustments": 0,
            "deliveryMethod": "Electronic",
            "exclusionReason": "BelowThreshold",
            "form1099Generated": False,
            "paymentProcessingFees": 0,
            "platformIncome": 0,
            "status": "Ready",
            "type": "NEC",
            "taxForm": {"ssn": SECRETS["ssn"], "rows": [{"ein": SECRETS["ein"]}]},
            "futureBank": {"iban": SECRETS["iban"]},
        }
    )
    correction = Form1099Correction.from_dict({"address": {"taxId": SECRETS["taxId"]}})
    invoice = ClientInvoice.from_dict(_sensitive_doc())
    assert invoice.member_client is not None
    invoice.member_client.labels = {"bic": SECRETS["bic"]}
    shown = repr(balances) + repr(correction) + repr(invoice)
    assert _leaks(shown) == []
    assert "additional_properties={'futureBank': {'iban': '•••• 3000'}}" in repr(balances)
    assert balances.tax_form == {"ssn": SECRETS["ssn"], "rows": [{"ein": SECRETS["ein"]}]}  # data unchanged


# -- dates, labels, layout -------------------------------------------------------------------------

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}")


def _everything_doc() -> dict[str, Any]:
    doc = _sensitive_doc()
    doc["client"]["payDate"] = "2026-07-01T09:30:00.000Z"
    doc["chargedFees"] = {"lateFee": {"amount": 5, "calculatedAt": "2026-07-02T10:00:00.000Z"}}
    doc["processingFees"] = {"creditCardFee": {"amount": 1.5, "calculatedAt": "2026-07-03T11:00:00.000Z"}}
    doc["lateFeeHandling"] = {
        "frequency": {"startDate": "2026-07-04T12:00:00.000Z", "every": 1, "interval": "Week"},
        "lateFeeAmount": 10,
    }
    doc["metadata"]["invoiceDate"] = "2026-06-11T13:27:00.000Z"
    return doc


def test_no_raw_iso_timestamps_outside_the_raw_json() -> None:
    with wingspan_nb.set_options(expand=set(SECTIONS) - {"raw_json"}):
        markup = repr_html(ClientInvoice.from_dict(_everything_doc())) or ""
    card, raw = markup.split('data-section="raw_json"')
    shown = _text_content(_without_attributes(card))
    assert _ISO.findall(shown) == []
    assert _ISO.search(raw) is not None  # the raw JSON keeps the wire form
    for stamp in (
        "2026-06-11 13:27 UTC",
        "2026-07-01 09:30 UTC",
        "2026-07-02 10:00 UTC",
        "2026-07-04 12:00 UTC",
    ):
        assert stamp in shown, stamp


def test_no_raw_iso_timestamps_in_model_views_and_summaries() -> None:
    invoice = ClientInvoice.from_dict(_everything_doc())
    item = invoice.line_items[0]
    for obj in (item, invoice.member_client, invoice.charged_fees):
        assert obj is not None
        shown = _text_content(_without_attributes(repr_html(obj) or ""))
        assert _ISO.findall(shown) == [] and _ISO.findall(pretty(obj)) == [], type(obj).__name__
    assert "created_at='2026-06-11 13:27 UTC'" in pretty(item)
    assert "2026-06-11 13:27 UTC" in (repr_html(item) or "")


def test_member_client_record_reads_like_words() -> None:
    with wingspan_nb.set_options(expand={"member_client"}):
        markup = repr_html(ClientInvoice.from_dict(make_invoice(6, today=TODAY))) or ""
    record = markup.split('data-section="member_client"')[1].split('data-section="raw_json"')[0]
    labels = re.findall(r"<dt[^>]*>(.*?)</dt>", record)
    assert "ACH credit account" in labels and "Auto-pay" in labels and "Form W-9 data" in labels
    assert not [x for x in labels if "_" in x or re.fullmatch(r"[a-z]+[A-Z]\w*", x)], labels
    for name in ("MemberClientWireAccount", "RedactedUser", "UserProfile", "auto_pay_strategy"):
        assert name not in record
    # Nothing is shown one way: left out. No empty groups, no "none", blank or "No fields set".
    assert "External IDs" not in labels and "Internal" not in labels and "1099 balances" not in labels
    assert "No fields set" not in record and "<dd></dd>" not in record and ">—<" not in record
    assert ">none<" not in record.replace(
        "<dt>Auto-pay</dt><dd>none</dd>", ""
    )  # "None" is a real auto-pay value
    assert "2026-03-13 13:27 UTC" in record and "First name</dt><dd>Accounts" in record


def test_the_amount_leads_and_no_repeated_caption() -> None:
    doc = make_invoice(6, line_items=3, today=TODAY)
    markup = repr_html(ClientInvoice.from_dict(doc)) or ""
    amount = re.search(r'<span class="wsnb-amount">(.*?)</span>', markup)
    assert amount is not None and f"{doc['amount']:,.2f} {doc['currency']}" in amount.group(1)
    assert markup.index("wsnb-amount") < markup.index('data-section="parties"')
    assert "<caption>" not in markup and "Line items of invoice" not in markup


def test_wide_tables_scroll_inside_their_section() -> None:
    markup = repr_html(ClientInvoice.from_dict(make_invoice(6, line_items=3, today=TODAY))) or ""
    assert '<div class="wsnb-scroll"><table class="wsnb-lines">' in markup
    css = re.search(r"<style>(.*?)</style>", markup, re.S)
    assert css is not None and ".wsnb-scroll{overflow-x:auto" in css.group(1)
    # ids and e-mail addresses never break: the id chip keeps its label, addresses stay whole
    assert '<span class="wsnb-nowrap">id <code class="wsnb-id"' in markup
    assert '<span class="wsnb-nowrap">ingrid@bergaudio.example</span>' in markup


def test_error_cards_look_like_errors() -> None:
    body = '{"error": "Invoice N5sZh6Ninsv4iBrZRpdVYo not found"}'
    markup = errors.NotFoundError(raw_response=_response(404, body))._repr_html_() or ""
    css = re.search(r"<style>(.*?)</style>", markup, re.S)
    assert (
        css is not None
        and "--jp-error-color1" in css.group(1)
        and ".wsnb-card.wsnb-error{border-color:var(--wsnb-error)" in css.group(1)
    )
    message = re.search(r'<p class="wsnb-message">(.*?)</p>', markup)
    assert message is not None and "N5sZh6" not in message.group(0)  # the body is not inline
    assert '<details class="wsnb-section" data-section="body"><summary>Reply body</summary>' in markup
    assert "N5sZh6Ninsv4iBrZRpdVYo" in markup.split('data-section="body"')[1]
    assert '<span class="wsnb-nowrap">/payments/client/invoice/x</span>' in message.group(1)


# -- one rule, two views ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [*(s.value for s in InvoiceStatus), "Refunded"])
@pytest.mark.parametrize("days_late", [10, 1, 0, -4])
@pytest.mark.filterwarnings("ignore::wingspan_nb.errors.UnknownEnumValueWarning")
def test_card_and_dataframe_agree_on_overdue(status: str, days_late: int) -> None:
    today = date(2024, 3, 11)
    doc = make_invoice(2, status=status, today=TODAY)
    doc["status"] = status
    doc["dueDate"] = f"{today - timedelta(days=days_late)}T00:00:00.000Z"
    invoice = ClientInvoice.from_dict(doc)
    markup = _invoice.invoice_card(invoice, wingspan_nb.get_options(), today=today)
    df = wingspan_nb.to_dataframe([invoice], today=datetime(2024, 3, 11, 12, tzinfo=timezone.utc))
    frame_days = df["overdue_days"].iloc[0]
    shown = re.search(r"overdue by (\d+) day", markup)
    if shown is not None:
        assert frame_days == int(shown.group(1)) > 0
    elif (ahead := re.search(r"due in (\d+) day", markup)) is not None:
        assert frame_days == -int(ahead.group(1)) < 0  # not yet due: negative, never "due today"
    elif "due today" in markup:
        assert frame_days == 0
    else:
        assert math.isnan(frame_days), (status, frame_days)
        assert "overdue" not in markup and "due in" not in markup


def test_display_offers_its_leaves_publicly() -> None:
    from wingspan_nb import display

    assert display.escape("<b>$5</b>") == '&lt;b&gt;<code class="wsnb-d">$</code>5&lt;/b&gt;'
    assert {"escape", "table", "value_cell"} <= set(display.__all__)


@pytest.mark.parametrize(
    ("before", "after", "shown"),
    [
        ("2025-11-18T06:26:05.000Z", "2025-11-18T06:26:41.000Z", ("06:26:05 UTC", "06:26:41 UTC")),
        (
            "2025-11-18T06:26:05.100Z",
            "2025-11-18T06:26:05.250Z",
            ("06:26:05.100000 UTC", "06:26:05.250000 UTC"),
        ),
        ("2025-11-18T06:26:05Z", "2025-11-18T07:26:59Z", ("06:26 UTC", "07:26 UTC")),  # minutes suffice
        ("2025-11-18T06:26:05Z", "2025-11-18T06:26:05Z", ("06:26 UTC", "06:26 UTC")),  # the same value
    ],
)
def test_two_timestamps_are_shown_at_the_precision_that_tells_them_apart(
    before: str, after: str, shown: tuple[str, str]
) -> None:
    from wingspan_nb._facts import format_timestamps_apart

    assert format_timestamps_apart(before, after) == tuple(f"2025-11-18 {s}" for s in shown)
    assert format_timestamps_apart("2024-04-15", after)[0] == "2024-04-15"  # a date stays a date
    assert format_timestamps_apart(None, after)[0] is None


def test_error_cards_say_when_the_outcome_is_unknown() -> None:
    lost = errors.APIConnectionError("reply cut off", method="PATCH", url="/x", outcome_unknown=True)
    refused = errors.APIConnectionError("refused", method="PATCH", url="/x")
    big = errors.ResponseTooLargeError("too big", method="GET", url="/x", limit=10)
    assert "Unknown outcome" in (repr_html(lost) or "")
    assert "Could not reach the server" in (repr_html(refused) or "")
    assert "larger than the client accepts" in (repr_html(big) or "")


def test_reprs_and_error_messages_mask_sensitive_numbers_too() -> None:
    # A repr or an exception message lands in logs and tracebacks, outside any notebook view.
    invoice = ClientInvoice.from_dict(_sensitive_doc())
    assert _leaks(repr(invoice)) == [] and "•••• 2775" in repr(invoice)
    body = '{"message": "rejected", "accountNumber": "195002892775"}'
    e = errors.BadRequestError(raw_response=_response(400, body))
    assert _leaks(str(e)) == [] and _leaks(repr(e)) == [] and "•••• 2775" in str(e)
    assert SECRETS["accountNumber"] in e.body  # the data is kept as it came
    assert invoice.to_dict() == _sensitive_doc()


def test_plain_text_views_mask_prose_as_the_card_does() -> None:
    # IPython's text/plain (stored in a saved notebook next to the HTML), a get() reply's and the
    # editor's repr all come from the one-line summary: it masks what the card masks.
    doc = make_invoice(4, today=TODAY)
    doc["memberName"] = "Jane Roe SSN 123-45-6789"
    doc["invoiceNumber"] = "INV 9 ref 987-65-4321"
    invoice = ClientInvoice.from_dict(doc)
    res = operations.GetClientInvoiceResponse(
        content_type="application/json",
        status_code=200,
        raw_response=requests.Response(),
        client_invoice=invoice,
    )
    from IPython.core.formatters import DisplayFormatter

    bundle, _ = DisplayFormatter().format(invoice)
    views = [pretty(invoice), pretty(res), summary(invoice), bundle["text/plain"]]
    for view in views:
        assert "123-45-6789" not in view and "987-65-4321" not in view, view
    assert "Jane Roe SSN •••• 6789" in pretty(invoice) and "•••• 4321" in pretty(res)
    with wingspan_nb.set_options(show_sensitive=True):
        assert "123-45-6789" in pretty(invoice) and "987-65-4321" in pretty(res)
    assert invoice.member_name == doc["memberName"]  # the data is never altered


def test_every_view_masks_server_prose_by_one_rule() -> None:
    # print(), the card (its attributes too), the list, a report's cells and a lookup's error all
    # apply the card's rule: a project name or an invoice number that reads as prose is masked.
    from .helpers import invoice_list

    doc = make_invoice(4, status="Overdue", today=TODAY)
    doc["invoiceNumber"] = "INV-4 SSN 123-45-6789"
    doc["projectName"] = "Refund to account 987654321"
    invoices = invoice_list([doc])
    invoice = invoices[0]
    report = invoices.past_due(today=TODAY)
    try:
        invoices.find(number="nope 555-44-3333")
    except errors.NoMatchError as e:
        message = str(e)
    views = [
        str(invoice),
        repr_html(invoice) or "",
        repr_html(invoices) or "",
        repr(report),
        repr_html(report) or "",
        message,
    ]
    for view in views:
        assert not {"123-45-6789", "987654321", "555-44-3333"} & set(re.findall(r"[\d-]{9,}", view)), view
    assert "INV-4 SSN •••• 6789" in str(invoice) and "Refund to account •••• 4321" in str(invoice)
    assert 'title="INV-4 SSN •••• 6789"' in (repr_html(invoice) or "")
    assert "INV-4 SSN •••• 6789" in repr(report) and "•••• 3333" in message
    with wingspan_nb.set_options(show_sensitive=True):
        assert "987654321" in str(invoice) and "123-45-6789" in (repr_html(invoice) or "")


def test_every_view_writes_an_amount_the_same_way() -> None:
    # One function writes money: 2.675 reads 2.68 on the card, in print(), the one-line summary,
    # a report and the list (float formatting alone gives 2.67, the binary value being 2.67499…).
    from .helpers import invoice_list

    doc = make_invoice(4, line_items=1, today=TODAY)
    doc["amount"] = 2.675
    doc["lineItems"][0].update(totalCost=2.675, costPerUnit=2.675, quantity=1)
    invoices = invoice_list([doc])
    invoice = invoices[0]
    views = [
        repr_html(invoice) or "",
        str(invoice),
        pretty(invoice),
        repr(invoices.summary(today=TODAY)),
        repr_html(invoices) or "",
    ]
    for view in views:
        assert "2.68" in view and re.search(r"2\.67(?!\d)", view) is None, view
    from wingspan_nb._facts import format_money

    assert format_money(2.675, "USD") == "2.68 USD" and format_money(-0.001) == "0.00"
    assert format_money(1.5, signed=True) == "+1.50" and format_money(0.0, signed=True) == "0.00"


# -- what the analyst reads: currencies, dates, words ----------------------------------------------


def _typical() -> dict[str, Any]:
    import json
    from pathlib import Path

    return dict(json.loads((Path(__file__).parent / "fixtures" / "typical.json").read_text()))


def test_a_date_only_value_is_never_given_a_time() -> None:
    from wingspan_nb._facts import format_timestamp

    assert format_timestamp("2024-04-15") == "2024-04-15"
    assert format_timestamp("2024-04-15", with_time=False) == "2024-04-15"
    assert format_timestamp("2024-04-15T09:30:00.000Z") == "2024-04-15 09:30 UTC"
    assert format_timestamp("2024-04-15T00:00:00Z") == "2024-04-15 00:00 UTC"  # sent, so shown
    with wingspan_nb.set_options(expand=set(SECTIONS) - {"raw_json"}):
        markup = repr_html(ClientInvoice.from_dict(_typical())) or ""
    card = markup.split('data-section="raw_json"')[0]
    shown = _text_content(card)
    # typical.json's dueDate, payDate, metadata.invoiceDate and the late fee's startDate are dates
    assert "00:00 UTC" not in shown
    assert "due 2024-04-15" in shown and "from 2024-04-16" in shown and "2024-03-15" in shown
    assert '<time datetime="2024-04-15">2024-04-15</time>' in card


def test_fees_show_the_invoice_currency_and_open_when_charged() -> None:
    markup = repr_html(ClientInvoice.from_dict(_typical())) or ""
    fees = markup.split('data-section="fees"')[1].split("</details>")[0]
    assert markup.count('data-section="fees" open') == 1  # a processing fee was charged
    assert '<dt>Charged processing fee</dt><dd><code class="wsnb-money">189.34 USD</code>' in fees
    assert "0.00 USD" in fees  # the credit card fee, zero but still in its currency
    assert "1.5 %" in fees and "every week" in fees
    doc = make_invoice(2, status="Open", today=TODAY)
    doc["creditFeeHandling"] = {"clientAbsolutePercentage": 5, "clientPays": 30, "memberPays": 70}
    markup = repr_html(ClientInvoice.from_dict(doc)) or ""
    assert '<details class="wsnb-section" data-section="fees">' in markup  # only a split: closed
    assert "Credit card fee: client absolute percentage" in markup


def test_late_fee_schedule_in_words() -> None:
    doc = _typical()
    doc["lateFeeHandling"] = {
        "frequency": {"startDate": "2024-04-16", "every": 2, "interval": "Month", "daily": False},
        "lateFeeAmount": 25,
        "lateFeePercentage": None,
    }
    markup = repr_html(ClientInvoice.from_dict(doc)) or ""
    assert "25.00 USD</code> every 2 months" in markup and "Month" not in _text_content(
        markup.split('data-section="raw_json"')[0]
    )


def test_line_items_show_total_before_detail_and_discount_only_when_used() -> None:
    def headers(markup: str) -> list[str]:
        thead = markup.split('<table class="wsnb-lines"><thead>')[1].split("</thead>")[0]
        return re.findall(r"<th[^>]*>(.*?)</th>", thead)

    plain = (
        repr_html(ClientInvoice.from_dict(make_invoice(6, status="Paid", line_items=3, today=TODAY))) or ""
    )
    assert headers(plain) == ["#", "Description", "Qty", "Unit", "Cost/unit", "Total (USD)", "Detail"]
    foot = plain.split("<tfoot>")[1].split("</tfoot>")[0]
    assert '<th scope="row" colspan="5">Total of 3 line items</th><td class="wsnb-num"><code' in foot
    discounted = repr_html(ClientInvoice.from_dict(_typical())) or ""
    cols = headers(discounted)
    assert cols[-1] == "Discount" and cols.index("Total (USD)") < cols.index("Detail")
    assert '<td colspan="2"></td></tr></tfoot>' in discounted


@pytest.mark.parametrize(
    ("status", "shown", "tone"),
    [
        ("PaymentInTransit", "Payment in transit", "transit"),
        ("Pending", "Pending", "pending"),
        ("Open", "Open", "info"),
    ],
)
def test_statuses_show_in_words_with_their_own_colour(status: str, shown: str, tone: str) -> None:
    markup = repr_html(ClientInvoice.from_dict(make_invoice(2, status=status, today=TODAY))) or ""
    assert f'<span class="wsnb-badge wsnb-{tone}">{shown}</span>' in markup
    css = re.search(r"<style>(.*?)</style>", markup, re.S)
    assert css is not None and f".wsnb-{tone}{{background:" in css.group(1)


def test_enum_values_and_event_actors_read_as_words() -> None:
    with wingspan_nb.set_options(expand={"member_client"}):
        markup = repr_html(ClientInvoice.from_dict(_typical())) or ""
    record = markup.split('data-section="member_client"')[1].split('data-section="raw_json"')[0]
    assert "LLC (single member)" in record and "LlcSingleMember" not in record
    assert "Below threshold" in record
    actors = record.split('<dt class="wsnb-group">Event actors</dt>')[1].split("</dd>")[0]
    assert "<dt>Created by</dt>" in actors and "Created at" not in actors
    assert '<code class="wsnb-id" title="7F3ZP94259J6MZY8JEMF1V">' in actors


def test_a_bank_account_alone_is_titled_a_bank_account() -> None:
    account = ClientInvoice.from_dict(_typical()).member_client.ach_credit_account
    markup = repr_html(account) or ""
    assert '<p class="wsnb-title">Bank account</p>' in markup and "wire" not in markup.lower()


def test_set_options_as_a_cell_result_is_short() -> None:
    assert repr(wingspan_nb.set_options(max_line_items=100)) == "<display options: max_line_items=100>"
    shown = pretty(wingspan_nb.set_options(show_sensitive=False))
    assert "DisplayOptions(" not in shown and len(shown) < 80


@pytest.mark.parametrize("key", ["location", "path"])
def test_a_validation_field_given_as_a_string_is_one_segment(key: str) -> None:
    body = f'{{"validation": [{{"{key}": "memberClient.emailTo", "message": "not an email"}}]}}'
    e = errors.UnprocessableEntityError(raw_response=_response(422, body))
    markup = e._repr_html_() or ""
    assert '<code class="wsnb-id">memberClient.emailTo</code>' in markup and "m.e.m" not in markup
    assert "memberClient.emailTo: not an email" in str(e)
    listed = errors.UnprocessableEntityError(
        raw_response=_response(422, '{"validation": [{"location": ["lineItems", 0, "quantity"]}]}')
    )
    assert "lineItems.0.quantity" in (listed._repr_html_() or "")


def test_a_validation_problem_written_as_loc_and_msg_reads_like_location_and_message() -> None:
    body = '{"validation": [{"loc": ["body", "creditFeeHandling", "clientPays"], "msg": "must be <= 100"}]}'
    e = errors.UnprocessableEntityError(raw_response=_response(422, body))
    assert "body.creditFeeHandling.clientPays: must be <= 100" in str(e) and "?:" not in str(e)
    markup = e._repr_html_() or ""
    assert '<code class="wsnb-id">body.creditFeeHandling.clientPays</code>' in markup
    assert "must be &lt;= 100</td>" in markup


def test_get_many_totals_per_status_per_currency_with_badges() -> None:
    from wingspan_nb._batch import BatchItem, BatchResult

    docs = [
        {**make_invoice(1, status="Draft", today=TODAY), "currency": "USD", "amount": 100.0},
        {**make_invoice(2, status="Paid", today=TODAY), "currency": "USD", "amount": 20.0},
        {**make_invoice(3, status="Cancelled", today=TODAY), "currency": "USD", "amount": 7.0},
        {**make_invoice(4, status="Paid", today=TODAY), "currency": "CAD", "amount": 5.0},
    ]
    for d in docs:  # the line items must add up, or the invoice is flagged; not the point here
        d["lineItems"] = d["lineItems"][:1]
        d["lineItems"][0].update(totalCost=d["amount"], quantity=1, costPerUnit=d["amount"])
    result = BatchResult([BatchItem(id=d["invoiceId"], invoice=ClientInvoice.from_dict(d)) for d in docs])
    markup = repr_html(result) or ""
    assert "127.00" not in markup and "Total per currency" not in markup  # never across statuses
    rows = re.findall(r"<tr>(.*?)</tr>", markup.split("By status")[1].split("</table>")[0])
    cells = [re.sub(r"<[^>]+>", " ", r).split() for r in rows]
    assert ["Draft", "USD", "1", "100.00", "USD"] in cells
    assert ["Paid", "CAD", "1", "5.00", "CAD"] in cells and ["Paid", "USD", "1", "20.00", "USD"] in cells
    assert ["Cancelled", "USD", "1", "7.00", "USD"] in cells
    assert (
        '<span class="wsnb-badge wsnb-good">Paid</span>' in markup.split("By status")[1].split("</table>")[1]
    )


def test_get_many_rows_tell_invoices_that_share_a_number_apart_by_id() -> None:
    from wingspan_nb._batch import BatchItem, BatchResult

    docs = [{**make_invoice(n, today=TODAY), "invoiceNumber": "INV-1"} for n in (1, 2)]
    result = BatchResult([BatchItem(id=d["invoiceId"], invoice=ClientInvoice.from_dict(d)) for d in docs])
    markup = repr_html(result) or ""
    for d in docs:  # the full id is in each row's chip tooltip
        assert f'title="{d["invoiceId"]}"' in markup


def test_tables_scroll_inside_the_card_and_dates_do_not_break() -> None:
    from wingspan_nb._invoices import InvoiceList

    markup = (
        repr_html(InvoiceList([ClientInvoice.from_dict(make_invoice(2, status="Open", today=TODAY))])) or ""
    )
    assert markup.count('<div class="wsnb-scroll"><table>') == 3  # by status, past due, first invoices
    css = re.search(r"<style>(.*?)</style>", markup, re.S)
    assert css is not None and ".wsnb .wsnb-card time{white-space:nowrap}" in css.group(1)
    assert "wsnb-overdue{color:var(--wsnb-warn);font-weight:600;white-space:nowrap}" in css.group(1)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ('{"AccountNumber": "987654321098"}', "987654321098"),  # any case
        ('{"account_number": "987654321098"}', "987654321098"),  # snake_case
        ("{'ssn': 987654321098, 'a': 'b'}", "987654321098"),  # a Python repr
        ('{"memo": "{\\"accountNumber\\": \\"987654321098\\"}"}', "987654321098"),  # JSON in a string
    ],
)
def test_masked_text_finds_sensitive_values_however_they_are_written(text: str, secret: str) -> None:
    from wingspan_nb._sensitive import masked_text

    shown = masked_text(text)
    assert secret not in shown and "•••• 1098" in shown


@pytest.mark.parametrize(
    "problem",
    [
        {"path": "creditFeeHandling.accountNumber", "value": "987654321098"},
        {"location": "/body/accountNumber", "value": "987654321098"},
        {"field": "accountNumber", "value": "987654321098"},
    ],
)
def test_a_problem_pointing_at_a_sensitive_field_is_masked(problem: dict[str, str]) -> None:
    from wingspan_nb._sensitive import masked_document

    assert "987654321098" not in repr(masked_document({"validation": [problem]}))


@pytest.mark.parametrize("dob", ["1980-04-12", "19800412", "04/12/1980", "12.04.1980"])
def test_a_date_is_masked_whole_whatever_its_form(dob: str) -> None:
    from wingspan_nb._sensitive import mask

    assert mask(dob) == "••••"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Please pay to account 000123456789", "Please pay to account •••• 6789"),
        ("SSN 123-45-6789 on file", "SSN •••• 6789 on file"),
        ("accountNumber 000123456789 is invalid", "accountNumber •••• 6789 is invalid"),
        ("INV-2026-0006 due 2025-11-18T16:09:00Z, 1,128.60 USD, PO-34583", None),  # nothing to hide
    ],
)
def test_numbers_in_free_text_are_masked(text: str, shown: str | None) -> None:
    from wingspan_nb._sensitive import masked_document, masked_free_text, masked_text

    expected = text if shown is None else shown
    assert masked_free_text(text) == expected
    assert masked_text(text) == expected
    assert masked_document({"invoiceNotes": text}) == {"invoiceNotes": expected}


def test_a_422_message_quoting_the_value_is_masked() -> None:
    body = '{"validation": [{"location": ["body", "accountNumber"], "message": "accountNumber 000123456789 is invalid"}]}'
    e = errors.UnprocessableEntityError(raw_response=_response(422, body))
    assert "000123456789" not in str(e) and "000123456789" not in (e._repr_html_() or "")
    assert "000123456789" in e.body  # the data is kept as it came


def test_an_account_number_in_the_notes_is_masked_in_every_view() -> None:
    doc = _sensitive_doc()
    doc["invoiceNotes"] = "Please pay to account 000123456789"
    invoice = ClientInvoice.from_dict(doc)
    with wingspan_nb.set_options(expand={"raw_json", "details"}):
        markup = repr_html(invoice) or ""
    assert "000123456789" not in markup and "•••• 6789" in markup
    assert "000123456789" not in repr(invoice)
    with wingspan_nb.set_options(show_sensitive=True, expand={"details"}):
        assert "000123456789" in (repr_html(invoice) or "")
    assert invoice.invoice_notes == "Please pay to account 000123456789"  # the data is kept


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Pay to account 000123456789.", "Pay to account •••• 6789."),
        ("account: 987654321098, routing: 1", "account: •••• 1098, routing: 1"),
        ("ssn 123-45-6789.", "ssn •••• 6789."),
        ("iban DE89370400440532013000 invalid", "iban •••• 3000 invalid"),
        ("card 4111-1111-1111-1111", "card •••• 1111"),
        ("acct 987 654 321 098", "acct •••• 1098"),
        ("on 2026-11-30, 1,128.60 USD, INV-2026-0006.", "on 2026-11-30, 1,128.60 USD, INV-2026-0006."),
    ],
)
def test_numbers_at_the_end_of_a_sentence_and_ibans_are_masked(text: str, shown: str) -> None:
    from wingspan_nb._sensitive import masked_free_text

    assert masked_free_text(text) == shown


def test_ids_and_numbers_without_prose_are_left_alone_in_documents() -> None:
    from wingspan_nb._sensitive import masked_document

    doc = {"invoiceId": "100000001", "invoiceNumber": "20240412", "invoiceNotes": "Order 12345678 ok"}
    assert masked_document(doc) == doc | {"invoiceNotes": "Order •••• 5678 ok"}


def test_what_a_problem_says_about_a_sensitive_field_is_masked_dates_included() -> None:
    from wingspan_nb._sensitive import masked_document

    problem = {"location": ["body", "formW9Data", "dob"], "message": "dob 1980-02-03 is in the future"}
    assert "1980-02-03" not in repr(masked_document({"validation": [problem]}))


def test_json_held_in_a_string_is_masked_in_documents_and_bodies() -> None:
    import json as json_

    from wingspan_nb._sensitive import masked_document

    held = json_.dumps({"dob": "1980-04-12", "accountNumber": "1234567"})
    shown = repr(masked_document({"labels": {"bank": held}}))
    assert "1980-04-12" not in shown and "1234567" not in shown
    body = json_.dumps({"message": "rejected " + held})
    e = errors.BadRequestError(raw_response=_response(400, body))
    for view in (str(e), repr(e), e._repr_html_() or ""):
        assert "1980-04-12" not in view and "1234567" not in view


def test_a_message_with_escapes_keeps_its_shape_after_masking() -> None:
    import json as json_

    from wingspan_nb._sensitive import masked_text

    inner = json_.dumps({"ssn": [1, 2], "invoiceNumber": "INV-1", "amount": 5}, indent=1)
    shown = masked_text(json_.dumps({"body": inner, "invoiceNumber": "INV-2", "amount": 7}))
    assert shown.endswith('"invoiceNumber": "INV-2", "amount": 7}')


def test_a_repr_never_raises_on_a_deeply_nested_value() -> None:
    invoice = ClientInvoice.from_dict(_sensitive_doc())
    deep: Any = 1
    for _ in range(5000):
        deep = [deep]
    invoice.additional_properties = {"deep": deep}
    assert "nested too deeply to show" in repr(invoice)


def test_one_helper_writes_every_time_of_day_in_utc_with_the_zone_said() -> None:
    """The card, the list's source line, the edit form, the bulk editor and the audit table write a
    time one way: converted to UTC, and saying so."""
    from wingspan_nb._bulk import BulkResult, ResultRow
    from wingspan_nb._changes import Change
    from wingspan_nb._facts import format_timestamp
    from wingspan_nb._invoices import ListSource
    from wingspan_nb.sandbox import SandboxServer
    from wingspan_nb.widgets import InvoiceEditor

    paris = timezone(timedelta(hours=1))
    t = datetime(2026, 3, 2, 11, 42, 5, tzinfo=paris)  # 10:42:05 UTC
    assert format_timestamp(t) == "2026-03-02 10:42 UTC"
    assert format_timestamp(t, with_date=False) == "10:42 UTC"
    assert format_timestamp(t, precision="seconds") == "2026-03-02 10:42:05 UTC"
    assert format_timestamp(t.replace(tzinfo=None)) == "2026-03-02 11:42 UTC"  # naive: taken as UTC
    assert format_timestamp("2026-03-02T10:42:05.000Z") == "2026-03-02 10:42 UTC"  # the wire, the same
    # What each view shows.
    source = ListSource(kind="server", server_url=None, taken_at=t)
    assert source.summary == "downloaded 2026-03-02 10:42 UTC"
    invoice = make_invoice(1, status="Open", invoice_id="t1", today=TODAY)
    with (
        SandboxServer(invoices=[invoice]) as sandbox,
        wingspan_nb.Wingspan(sandbox.token, server_url=sandbox.url, max_retries=0) as client,
    ):
        editor = InvoiceEditor(client, "t1", clock=lambda: t)
        editor.fields["status"].input.value = InvoiceStatus.PENDING
        assert editor.save()
        assert "Saved: status at 10:42 UTC." in editor.status.value
        assert editor.last_save() == "Saved: status at 10:42 UTC."
        assert ">2026-03-02 10:42 UTC</span>" in editor.history_view.value
        change = Change("status", "Open", "Paid")
        result = BulkResult(
            [ResultRow("t1", "applied", (change,), time=t)], client.client_invoice, clock=lambda: t
        )
    cell = result._repr_html_()
    assert ">10:42:05 UTC</time>" in cell and 'title="2026-03-02 10:42:05 UTC"' in cell


def test_no_view_formats_a_time_of_day_by_hand() -> None:
    """``format_timestamp`` (in ``_facts``) is the one place a time of day is written for people;
    the package's other ``%H:%M`` are wire timestamps (``...T%H:%M:%S``), which views never show."""
    from pathlib import Path

    root = Path(wingspan_nb.__file__).parent
    by_hand = [
        f"{path.relative_to(root)}:{n}"
        for path in sorted(root.rglob("*.py"))
        if path.name != "_facts.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "%H:%M" in line and "T%H:%M" not in line
    ]
    assert by_hand == []
