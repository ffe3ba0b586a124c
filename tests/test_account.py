"""The whole account: ``client_invoice.list()``, ``fees()``, the invoice list, snapshots, their views."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import wingspan_nb
from wingspan_nb import Wingspan, errors
from wingspan_nb._invoices import InvoiceList, parse_invoice_array
from wingspan_nb._progress import Bar
from wingspan_nb.models import ClientInvoice, ClientInvoiceUpdateRequest, InvoiceStatus
from wingspan_nb.models.operations import GetClientInvoiceFeesResponse, ListClientInvoicesResponse
from wingspan_nb.sandbox import SandboxServer, credit_fee_total, demo_invoices, make_invoice

from .helpers import TODAY, Sleeps
from .helpers import invoice_list as _invoices

_LIST_REPLY = tuple[int, dict[str, str], bytes]


@pytest.fixture
def served(request: pytest.FixtureRequest) -> Iterator[tuple[SandboxServer, Wingspan]]:
    """A sandbox made with the test's ``SandboxServer`` keyword arguments, and a client on it."""
    with SandboxServer(**getattr(request, "param", {})) as sandbox:
        with Wingspan(sandbox.token, server_url=sandbox.url, timeout=(2, 5)) as c:
            c._transport.sleep = Sleeps()
            yield sandbox, c


def _list_reply(monkeypatch: pytest.MonkeyPatch, *replies: _LIST_REPLY) -> None:
    """Make the sandbox's list route answer ``replies`` in turn."""
    queue = list(replies)
    monkeypatch.setattr(SandboxServer, "_list", lambda self, query: queue.pop(0))


def _json_reply(data: Any, **headers: str) -> _LIST_REPLY:
    return 200, {"Content-Type": "application/json", **headers}, json.dumps(data).encode()


# -- list ------------------------------------------------------------------------------------------


def test_list_returns_every_invoice_in_server_order(client: Wingspan, sandbox: SandboxServer) -> None:
    res = client.client_invoice.list(progress=False)
    assert isinstance(res, ListClientInvoicesResponse)
    assert res.status_code == 200 and res.content_type == "application/json"
    assert res.raw_response.request.path_url == "/payments/client/invoice"
    invoices = res.client_invoices
    assert invoices.ids == sandbox.ids() and len(invoices) == 48 and invoices.failures == []
    assert [inv.to_dict() for inv in invoices] == [sandbox.invoice(i) for i in sandbox.ids()]
    assert "48 invoices" in (res._repr_html_() or "") and "48 invoices" in repr(res)


def test_the_invoice_list_is_a_sequence() -> None:
    invoices = _invoices([make_invoice(n, today=TODAY) for n in range(1, 6)])
    assert isinstance(invoices[0], ClientInvoice) and invoices[-1].invoice_number.endswith("0005")
    part = invoices[1:3]
    assert isinstance(part, InvoiceList) and part.ids == invoices.ids[1:3]
    assert list(invoices) == [invoices[n] for n in range(5)] and invoices.index(invoices[2]) == 2
    assert repr(invoices) == "<InvoiceList 5 invoices>"


@pytest.mark.parametrize(
    "served",
    [{"invoices": [make_invoice(1), {**make_invoice(2), "amount": "12"}, make_invoice(3)]}],
    indirect=True,
)
def test_one_invalid_item_in_the_middle_loses_nothing(served: tuple[SandboxServer, Wingspan]) -> None:
    sandbox, client = served
    invoices = client.client_invoice.list(progress=False).client_invoices
    first, bad, last = sandbox.ids()
    assert invoices.ids == [first, last]
    (failure,) = invoices.failures
    assert failure.position == 1 and failure.item == sandbox.invoice(bad)
    assert isinstance(failure.error, errors.InvalidDocumentError)
    assert failure.error.path == "$[1].amount" and "number" in failure.error.reason
    assert "1 did not fit" in (invoices._repr_html_() or "")


def _bad_deep_inside() -> dict[str, Any]:
    doc = make_invoice(2, today=TODAY)
    doc["lineItems"] = [*doc["lineItems"], {**doc["lineItems"][0], "totalCost": "x"}]
    return doc


@pytest.mark.parametrize(
    "served", [{"invoices": [make_invoice(1, today=TODAY), _bad_deep_inside()]}], indirect=True
)
def test_an_item_that_fails_deep_inside_is_kept_whole_as_its_failure(
    served: tuple[SandboxServer, Wingspan],
) -> None:
    """The list's invoices keep the decoded item's lists and dicts rather than copying them; an item
    that does not fit after some of its parts were taken over is still kept as the server sent it."""
    sandbox, client = served
    invoices = client.client_invoice.list(progress=False).client_invoices
    (failure,) = invoices.failures
    assert failure.item == sandbox.invoice(sandbox.ids()[1])
    assert failure.error.path.endswith(".totalCost")
    assert invoices[0].to_dict() == sandbox.invoice(sandbox.ids()[0])


def test_an_item_that_is_not_an_object_is_a_failure_too() -> None:
    invoices = _invoices([make_invoice(1, today=TODAY), None, 7])
    assert len(invoices) == 1 and [(f.position, f.item) for f in invoices.failures] == [(1, None), (2, 7)]
    assert "not an invoice object" in str(invoices.failures[1].error)


@pytest.mark.parametrize("served", [{"count": 25, "page_size": 10}], indirect=True)
def test_link_next_pages_are_all_read(served: tuple[SandboxServer, Wingspan]) -> None:
    sandbox, client = served
    invoices = client.client_invoice.list(progress=False).client_invoices
    assert invoices.ids == sandbox.ids() and len(invoices) == 25
    assert [r.path for r in sandbox.requests] == [
        "/payments/client/invoice",
        "/payments/client/invoice?page=2",
        "/payments/client/invoice?page=3",
    ]
    assert all(r.status == 200 for r in sandbox.requests)  # each page had the token


def test_a_next_link_to_another_host_is_not_followed(
    client: Wingspan, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _list_reply(
        monkeypatch, _json_reply([], Link='<http://127.0.0.2:9/payments/client/invoice?page=2>; rel="next"')
    )
    with pytest.raises(errors.UnexpectedResponseError, match="was not followed, so the token stays"):
        client.client_invoice.list(progress=False)
    assert len(sandbox.requests) == 1


def test_a_long_next_link_is_shown_as_ids_and_urls_are(
    client: Wingspan, monkeypatch: pytest.MonkeyPatch
) -> None:
    far = "http://127.0.0.2:9/payments/client/invoice?page=" + "9" * 10_000
    _list_reply(monkeypatch, _json_reply([], Link=f'<{far}>; rel="next"'))
    with pytest.raises(errors.UnexpectedResponseError) as caught:
        client.client_invoice.list(progress=False)
    message = str(caught.value)
    assert repr(errors.short_id(far)) in message and "(10,048 characters)" in message and len(message) < 500


def test_a_next_link_back_to_a_page_already_read_is_refused(
    client: Wingspan, monkeypatch: pytest.MonkeyPatch
) -> None:
    loop = '</payments/client/invoice?page=2>; rel="next"'
    _list_reply(monkeypatch, _json_reply([], Link=loop), _json_reply([], Link=loop))
    with pytest.raises(errors.UnexpectedResponseError, match="already read"):
        client.client_invoice.list(progress=False)


@pytest.mark.parametrize("served", [{"invoices": []}], indirect=True)
def test_an_empty_account(served: tuple[SandboxServer, Wingspan]) -> None:
    _, client = served
    invoices = client.client_invoice.list(progress=False).client_invoices
    assert len(invoices) == 0 and invoices.failures == [] and invoices.ids == []
    assert "0 invoices" in (invoices._repr_html_() or "")
    assert len(invoices.to_dataframe()) == 0


def test_a_list_reply_that_is_not_an_array(client: Wingspan, monkeypatch: pytest.MonkeyPatch) -> None:
    _list_reply(monkeypatch, _json_reply({"invoices": []}))
    with pytest.raises(errors.ResponseValidationError, match="not the array of invoices") as caught:
        client.client_invoice.list(progress=False)
    assert caught.value.document == {"invoices": []}


def test_faults_apply_to_the_list(client: Wingspan, sandbox: SandboxServer) -> None:
    sandbox.fail_next(1, status=503, method="GET")
    assert len(client.client_invoice.list(progress=False).client_invoices) == 48  # retried
    sandbox.malformed_next(1, method="GET")
    with pytest.raises(errors.UnexpectedResponseError, match="not valid JSON"):
        client.client_invoice.list(progress=False)


def test_list_and_fees_need_the_token(sandbox: SandboxServer) -> None:
    with Wingspan("wrong", server_url=sandbox.url, max_retries=0) as wrong:
        with pytest.raises(errors.AuthenticationError):
            wrong.client_invoice.list(progress=False)
        with pytest.raises(errors.AuthenticationError):
            wrong.client_invoice.fees(id=sandbox.ids()[0])


def test_progress_bars_show_unless_turned_off(client: Wingspan, capsys: pytest.CaptureFixture[str]) -> None:
    client.client_invoice.list(progress=False)
    assert capsys.readouterr().err == ""
    client.client_invoice.list()  # auto: stderr is captured here, not a terminal, so no bars
    assert capsys.readouterr().err == ""
    client.client_invoice.list(progress=True)
    err = capsys.readouterr().err
    assert "downloading: 100%" in err and "parsing: 100%" in err


# -- fees ------------------------------------------------------------------------------------------


def test_fees_whose_invoice_cannot_be_read_say_so(
    client: Wingspan, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wingspan_nb import errors

    def unreadable(id: str, **kwargs: Any) -> Any:
        raise errors.WingspanError("the connection dropped")

    monkeypatch.setattr(client.client_invoice, "get", unreadable)
    res = client.client_invoice.fees(id=sandbox.ids()[3])
    assert res.invoice_fee_calculation is not None and res.currency is None
    html = res._repr_html_() or ""
    assert "Fee calculation</p>" in html and "currency, which could not be read" in html


def test_fees_of_an_invoice(client: Wingspan, sandbox: SandboxServer) -> None:
    invoice_id = sandbox.ids()[3]
    res = client.client_invoice.fees(id=invoice_id)
    assert isinstance(res, GetClientInvoiceFeesResponse) and res.status_code == 200
    calc = res.invoice_fee_calculation
    assert calc is not None
    expected = round(sandbox.invoice(invoice_id)["amount"] * 0.029 + 0.30, 2)
    assert calc.credit_fee_total == expected == credit_fee_total(sandbox.invoice(invoice_id))
    assert calc.to_dict() == {"creditFeeTotal": expected}
    html = res._repr_html_() or ""
    assert f"{expected:,.2f}" in html and invoice_id in html
    # The fees reply names no currency: the card names the invoice's.
    currency = sandbox.invoice(invoice_id)["currency"]
    assert res.currency == currency and f"Fee calculation ({currency})" in html
    assert f'<dd><code class="wsnb-money">{expected:,.2f} {currency}</code></dd>' in html
    assert "<dt>Credit card fee total</dt>" in html
    assert res.raw_response.request.path_url == f"/payments/client/invoice/{invoice_id}/fees"


def test_fees_of_an_unknown_invoice(client: Wingspan) -> None:
    with pytest.raises(errors.NotFoundError):
        client.client_invoice.fees(id="missing")
    with pytest.raises(errors.InvalidIdError):
        client.client_invoice.fees(id="")


# -- where a list of invoices or ids is taken --------------------------------------------------------


def test_to_dataframe_from_a_list(client: Wingspan) -> None:
    invoices = client.client_invoice.list(progress=False).client_invoices
    df = invoices.to_dataframe()
    assert df["invoice_id"].tolist() == invoices.ids
    assert wingspan_nb.to_dataframe(invoices)["invoice_id"].tolist() == invoices.ids
    lines = invoices.to_dataframe(level="line_items")
    assert len(lines) == sum(len(inv.line_items) for inv in invoices)


def test_update_many_and_get_many_take_a_list(client: Wingspan, sandbox: SandboxServer) -> None:
    invoices = client.client_invoice.list(progress=False).client_invoices
    drafts = InvoiceList(inv for inv in invoices if inv.status == InvoiceStatus.DRAFT)
    assert len(drafts) >= 2
    plan = client.client_invoice.update_many(drafts, ClientInvoiceUpdateRequest(status=InvoiceStatus.OPEN))
    assert [r.id for r in plan.rows] == drafts.ids
    result = plan.apply(progress=False)
    assert all(sandbox.invoice(i)["status"] == "Open" for i in drafts.ids) and result.counts()[
        "applied"
    ] == len(drafts)
    batch = client.client_invoice.get_many(invoices[:3], progress=False)
    assert [inv.invoice_id for inv in batch] == invoices.ids[:3]
    again = client.client_invoice.get_many(list(invoices[:2]), progress=False)
    assert [inv.invoice_id for inv in again] == invoices.ids[:2]


# -- the view --------------------------------------------------------------------------------------


def test_the_summary_keeps_currencies_apart() -> None:
    docs = [
        {**make_invoice(n, status="Open", today=TODAY), "currency": currency, "amount": amount}
        for n, (currency, amount) in enumerate([("USD", 1000.0), ("USD", 250.5), ("CAD", 400.0)], start=1)
    ]
    html = InvoiceList(ClientInvoice.from_dict(d) for d in docs)._repr_html_() or ""
    assert "1,250.50 USD" in html and "400.00 CAD" in html
    assert "1,650.50" not in html  # never a sum across currencies


def test_the_view_samples_and_says_how_many_more() -> None:
    invoices = _invoices([make_invoice(n, today=TODAY) for n in range(1, 31)])
    html = invoices._repr_html_() or ""
    assert "30 invoices" in html and "… 20 more" in html
    assert html.count("<tr>") < 30 + 20  # a sample, not every invoice


def test_the_sample_leads_with_what_tells_invoices_apart_and_ends_with_a_short_id() -> None:
    """At 1024 px the id column was cut at the card's edge: number, status, amount, due and client
    come first, the id last as a shortened chip with the whole id in its tooltip."""
    doc = make_invoice(3, today=TODAY)
    doc["memberClient"] = {**doc["memberClient"], "company": "Stark Logistics", "name": "Tony"}
    html = _invoices([doc])._repr_html_() or ""
    sample = html[html.index("<h4>First invoices</h4>") :]
    assert re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', sample) == [
        "number", "status", "amount", "due", "client", "id"
    ]  # fmt: skip
    (row,) = re.findall(r"<tbody><tr>(.*?)</tr>", sample)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert cells[0] == f'<code class="wsnb-id" title="{doc["invoiceNumber"]}">{doc["invoiceNumber"]}</code>'
    assert cells[4] == "Stark Logistics"  # the client, as to_dataframe's client_name
    invoice_id = doc["invoiceId"]
    assert len(invoice_id) > 10
    assert cells[5] == f'<code class="wsnb-id" title="{invoice_id}">{invoice_id[:9]}…</code>'


def test_the_view_escapes_server_text() -> None:
    doc = make_invoice(9, today=TODAY)
    doc["memberClient"] = {**doc["memberClient"], "company": "<script>alert(1)</script>"}
    html = _invoices([doc])._repr_html_() or ""
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html


@pytest.mark.parametrize(
    "served",
    [{"invoices": [make_invoice(1), make_invoice(2), {**make_invoice(3), "lineItems": "x"}], "page_size": 2}],
    indirect=True,
)
def test_failure_positions_count_across_pages(served: tuple[SandboxServer, Wingspan]) -> None:
    sandbox, client = served
    invoices = client.client_invoice.list(progress=False).client_invoices
    assert invoices.ids == sandbox.ids()[:2]
    (failure,) = invoices.failures
    assert failure.position == 2 and failure.error.path.startswith("$[2].lineItems")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (b'[{"invoiceId": "a"}, NaN]', "unexpected character"),
        (b'[{"amount": 1e999}]', "infinity"),
        (b'[{"invoiceId": "a"} {"invoiceId": "b"}]', "expected"),
        (b'[{"invoiceId": "a"}] []', "after document"),
        (b'[{"invoiceId": "a"}, {"invo', "unexpected end"),
        (b"[\xff]", "str"),
    ],
)
def test_a_list_reply_that_is_not_valid_json(text: bytes, problem: str) -> None:

    with pytest.raises(ValueError, match=problem) as caught:
        parse_invoice_array(text)
    assert not isinstance(caught.value, errors.InvalidDocumentError)


def test_a_list_reply_in_any_json_layout() -> None:

    docs = [make_invoice(1, today=TODAY), make_invoice(2, today=TODAY)]
    for text in (json.dumps(docs), json.dumps(docs, indent=2), f" \n{json.dumps(docs)}\n", "[ ]"):
        parsed = parse_invoice_array(text.encode())
        assert [inv.to_dict() for inv in parsed] == (docs if text != "[ ]" else [])


@pytest.mark.parametrize("chunk", [1, 40, 1 << 21])
def test_chunks_end_only_at_item_boundaries(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    """Chunk ends are guessed from the first key; nested objects and strings that look like a
    boundary must never split an item."""
    from wingspan_nb import _invoices as module

    monkeypatch.setattr(module, "_CHUNK", chunk)
    tricky = [
        {"a": n, "nested": [{"a": 1}, {"a": 2}], "text": '}, {"a": 3, "x": "}, {"a":'} for n in range(30)
    ] + [make_invoice(1, today=TODAY)]
    for text in (json.dumps(tricky), json.dumps(tricky, indent=1), json.dumps(tricky, separators=(",", ":"))):
        parsed = module.parse_invoice_array(text.encode())
        assert [f.item for f in parsed.failures] == tricky[:-1]
        assert [f.position for f in parsed.failures] == list(range(30))
        assert [inv.to_dict() for inv in parsed] == [tricky[-1]]


def test_update_many_takes_a_get_many_result(client: Wingspan, sandbox: SandboxServer) -> None:
    batch = client.client_invoice.get_many(sandbox.ids()[:2], progress=False)
    plan = client.client_invoice.update_many(batch, ClientInvoiceUpdateRequest(status=InvoiceStatus.PAID))
    assert [r.id for r in plan.rows] == sandbox.ids()[:2]


def test_to_dataframe_takes_the_list_response(client: Wingspan) -> None:
    res = client.client_invoice.list(progress=False)
    assert wingspan_nb.to_dataframe(res)["invoice_id"].tolist() == res.client_invoices.ids


def test_a_failed_download_leaves_no_progress_bar_open(
    sandbox: SandboxServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = _spy_bars(monkeypatch)
    with Wingspan("wrong", server_url=sandbox.url, max_retries=0) as wrong:
        with pytest.raises(errors.AuthenticationError):
            wrong.client_invoice.list(progress=True)
    assert len(opened) == 1 and opened[0].disable  # closed (tqdm marks a closed bar disabled)


def _spy_bars(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    from tqdm import tqdm

    opened: list[Any] = []
    original = tqdm.__init__

    def spy(self: Any, *args: Any, **kwargs: Any) -> None:
        opened.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(tqdm, "__init__", spy)
    return opened


def test_one_kind_of_progress_bar_ends_full_or_stays_where_it_stopped(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    opened = _spy_bars(monkeypatch)
    off = Bar(False, desc="off", unit="inv", total=3)
    off.advance()
    off.at(5, 10)
    off.finish()
    assert opened == []  # turned off: no bar at all
    unknown = Bar(True, desc="download", unit="B")
    unknown.at(700, None)
    unknown.finish()  # the total was never known: full at what was read
    known = Bar(True, desc="parse", unit="B", total=1000)
    known.advance(600)
    known.finish()  # done: full at its total
    stopped = Bar(True, desc="batch", unit="inv", total=5)
    stopped.advance(2)
    stopped.close()  # stopped early: where it stood
    assert [(b.n, b.total, b.disable) for b in opened] == [(700, 700, True), (1000, 1000, True), (2, 5, True)]
    assert opened[0].unit == "B" and opened[0].unit_scale and opened[-1].unit == "inv"


def test_the_download_parsing_and_many_invoice_calls_share_one_bar(
    client: Wingspan, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    original = Bar.__init__

    def spy(self: Bar, enabled: bool, **kwargs: Any) -> None:
        made.append(kwargs["desc"])
        original(self, enabled, **kwargs)

    monkeypatch.setattr(Bar, "__init__", spy)
    client.client_invoice.list(progress=False)
    client.client_invoice.get_many(sandbox.ids()[:2], progress=False)
    assert made == ["downloading", "parsing", "reading"]


def test_the_summary_lists_statuses_in_order_and_keeps_unknown_ones() -> None:
    import warnings

    docs = [
        make_invoice(1, status="Paid", today=TODAY),
        {**make_invoice(2, today=TODAY), "status": "Disputed"},
        make_invoice(3, status="Draft", today=TODAY),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the unknown status warns once; not the point here
        html = InvoiceList(ClientInvoice.from_dict(d) for d in docs)._repr_html_() or ""
    summary = html[html.index("By status") : html.index("Past due")]
    assert summary.index(">Draft<") < summary.index(">Paid<") < summary.index(">Disputed<")


def test_the_list_card_tells_past_due_from_the_overdue_status() -> None:
    from wingspan_nb._facts import overdue_days

    invoices = InvoiceList(ClientInvoice.from_dict(d) for d in demo_invoices(today=TODAY))
    html = invoices._repr_html_() or ""
    assert "<h4>Past due (Open, Overdue, Pending), per currency</h4>" in html
    assert "Overdue, per currency" not in html and ">past-due invoices<" in html
    # The demo data reads like an account: invoices awaiting payment that are not yet due, none of
    # the long-past-due ones still Open or Pending (those carry the Overdue status).
    days = {  # the demo dates are relative to the day they were made for
        inv.invoice_number: (inv.status.value, overdue_days(inv.status, inv.due_date, TODAY))
        for inv in invoices
    }
    waiting = [d for s, d in days.values() if s in ("Open", "Pending") and d is not None]
    assert sum(d < 0 for d in waiting) >= 4 and max(waiting) <= 30
    assert min(d for s, d in days.values() if s == "Overdue" and d is not None) > 30


# -- second hostile review: masked failures, exact big integers, bad links, snapshot paths ----------

_WIDE = 123456789012345678901234567890  # beyond 64 bits: orjson alone reads it as 1.2345678901234568e+29


def _with_account_number(number: str) -> dict[str, Any]:
    doc = make_invoice(1, today=TODAY)
    doc["memberClient"] = {**(doc.get("memberClient") or {}), "achCreditAccount": {"accountNumber": number}}
    return doc


def test_a_failure_repr_masks_sensitive_numbers_and_keeps_them_in_the_data(tmp_path: Path) -> None:
    doc = {**_with_account_number("410540603165"), "amount": "lots"}
    (failure,) = _invoices([doc]).failures
    assert failure.item["memberClient"]["achCreditAccount"]["accountNumber"] == "410540603165"
    shown = repr([failure])
    assert "410540603165" not in shown and "•••• 3165" in shown and "'lots'" in shown
    path = tmp_path / "raw.jsonl"  # a snapshot line that is not JSON is kept as bytes, masked the same
    path.write_bytes(b'{"accountNumber": "410540603165", "amou\n')
    with pytest.warns(errors.SnapshotWarning):  # written by hand: it has no provenance file
        (raw,) = wingspan_nb.load_invoices(path).failures
    assert b"410540603165" in raw.item and "410540603165" not in repr(raw) and "•••• 3165" in repr(raw)


@pytest.mark.parametrize(
    "served",
    [
        {
            "invoices": [
                {**make_invoice(1, today=TODAY), "externalRef": _WIDE},
                {**make_invoice(2, today=TODAY), "externalRef": [-_WIDE, 2**64, 1.5]},
                {**make_invoice(3, today=TODAY), "amount": "bad", "externalRef": {"n": _WIDE}},
            ]
        }
    ],
    indirect=True,
)
@pytest.mark.parametrize("name", ["wide.jsonl", "wide.jsonl.gz"])
def test_integers_beyond_64_bits_stay_exact_through_list_and_snapshots(
    served: tuple[SandboxServer, Wingspan], tmp_path: Path, name: str
) -> None:
    sandbox, client = served
    invoices = client.client_invoice.list(progress=False).client_invoices
    first, second, bad = (sandbox.invoice(i) for i in sandbox.ids())
    assert [inv.to_dict() for inv in invoices] == [first, second]
    assert invoices[0].to_dict()["externalRef"] == _WIDE and isinstance(
        invoices[0].to_dict()["externalRef"], int
    )
    assert invoices[1].to_dict()["externalRef"] == [-_WIDE, 2**64, 1.5]
    assert invoices.failures[0].item == bad and bad["externalRef"] == {"n": _WIDE}
    loaded = wingspan_nb.load_invoices(invoices.save(tmp_path / name))
    assert loaded == invoices and list(loaded.documents()) == [first, second, bad]
    raw = (tmp_path / name).read_bytes()
    text = (gzip.decompress(raw) if name.endswith(".gz") else raw).decode()
    assert str(_WIDE) in text and f"-{_WIDE}" in text and "e+29" not in text


@pytest.mark.parametrize("chunk", [1, 1 << 21])
def test_wide_integers_stay_exact_in_every_chunk_of_a_list_reply(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    from wingspan_nb import _invoices as module

    monkeypatch.setattr(module, "_CHUNK", chunk)
    docs = [{**make_invoice(n, today=TODAY), "externalRef": _WIDE * n} for n in range(1, 6)]
    for text in (json.dumps(docs), json.dumps(docs, indent=2)):
        parsed = module.parse_invoice_array(text.encode())
        assert [inv.to_dict()["externalRef"] for inv in parsed] == [_WIDE * n for n in range(1, 6)]


def test_a_next_link_that_is_not_a_url_is_a_typed_error(
    client: Wingspan, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _list_reply(monkeypatch, _json_reply([], Link='<http://[::1>; rel="next"'))
    with pytest.raises(
        errors.UnexpectedResponseError, match="not a valid URL; it was not followed"
    ) as caught:
        client.client_invoice.list(progress=False)
    assert "'http://[::1'" in str(caught.value) and caught.value.__context__ is None
    assert len(sandbox.requests) == 1
