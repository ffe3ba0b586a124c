"""The whole account: ``client_invoice.list()``, ``fees()``, the invoice list, snapshots, their views."""

from __future__ import annotations

import gzip
import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

import wingspan_nb
from wingspan_nb import Wingspan, errors
from wingspan_nb.invoices import InvoiceList, parse_invoice_array
from wingspan_nb.models import ClientInvoice, ClientInvoiceUpdateRequest, InvoiceStatus
from wingspan_nb.models.operations import GetClientInvoiceFeesResponse, ListClientInvoicesResponse
from wingspan_nb.progress import Bar
from wingspan_nb.sandbox import SandboxServer, credit_fee_total, demo_invoices, make_invoice

from .helpers import Sleeps

_LIST_REPLY = tuple[int, dict[str, str], bytes]


def _invoices(docs: list[Any]) -> InvoiceList:
    """An invoice list from wire documents, parsed as ``list()`` parses a reply."""
    return parse_invoice_array(orjson.dumps(docs))


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
    invoices = _invoices([make_invoice(n) for n in range(1, 6)])
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


def test_an_item_that_is_not_an_object_is_a_failure_too() -> None:
    invoices = _invoices([make_invoice(1), None, 7])
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
    client.client_invoice.list()
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
        {**make_invoice(n, status="Open"), "currency": currency, "amount": amount}
        for n, (currency, amount) in enumerate([("USD", 1000.0), ("USD", 250.5), ("CAD", 400.0)], start=1)
    ]
    html = InvoiceList(ClientInvoice.from_dict(d) for d in docs)._repr_html_() or ""
    assert "1,250.50 USD" in html and "400.00 CAD" in html
    assert "1,650.50" not in html  # never a sum across currencies


def test_the_view_samples_and_says_how_many_more() -> None:
    invoices = _invoices([make_invoice(n) for n in range(1, 31)])
    html = invoices._repr_html_() or ""
    assert "30 invoices" in html and "… 20 more" in html
    assert html.count("<tr>") < 30 + 20  # a sample, not every invoice


def test_the_sample_leads_with_what_tells_invoices_apart_and_ends_with_a_short_id() -> None:
    """At 1024 px the id column was cut at the card's edge: number, status, amount, due and client
    come first, the id last as a shortened chip with the whole id in its tooltip."""
    doc = make_invoice(3)
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
    doc = make_invoice(9)
    doc["memberClient"] = {**doc["memberClient"], "company": "<script>alert(1)</script>"}
    html = _invoices([doc])._repr_html_() or ""
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html


# -- snapshots -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["invoices.jsonl", "invoices.jsonl.gz"])
def test_snapshot_round_trip(tmp_path: Path, name: str) -> None:
    docs = [make_invoice(1), {**make_invoice(2), "amount": None}, make_invoice(3)]
    invoices = _invoices(json.loads(json.dumps(docs)))
    path = invoices.save(tmp_path / name)
    raw = path.read_bytes()
    assert raw.startswith(b"\x1f\x8b") == name.endswith(".gz")
    lines = (gzip.decompress(raw) if name.endswith(".gz") else raw).decode().splitlines()
    assert [json.loads(line) for line in lines] == docs  # the exact wire documents, in server order
    loaded = wingspan_nb.load_invoices(path)
    assert [inv.to_dict() for inv in loaded] == [inv.to_dict() for inv in invoices] == [docs[0], docs[2]]
    assert [(f.position, f.item) for f in loaded.failures] == [(1, docs[1])]
    assert loaded == invoices


def test_a_snapshot_line_that_is_not_json_is_kept_as_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl"
    path.write_text(json.dumps(make_invoice(1)) + "\n" + '{"invoiceId": "x", "amou\n')
    loaded = wingspan_nb.load_invoices(path)
    assert len(loaded) == 1 and loaded.failures[0].position == 1
    assert loaded.failures[0].item == b'{"invoiceId": "x", "amou' and "not valid JSON" in str(
        loaded.failures[0].error
    )
    assert loaded.failures[0].error.document == '{"invoiceId": "x", "amou'


@pytest.mark.parametrize("name", ["bad.jsonl", "bad.jsonl.gz"])
def test_a_line_that_is_not_json_survives_a_round_trip_byte_for_byte(tmp_path: Path, name: str) -> None:
    bad = [b'{broken \xff\xfe "\\u00e9" \xe9t\xe9', b"not json at all\r", b'{"amount": 1e999}']
    good = [orjson.dumps(ClientInvoice.from_dict(make_invoice(n)).to_dict()) for n in (1, 2)]
    text = b"\n".join([good[0], bad[0], bad[1], good[1], bad[2]]) + b"\n"
    source = tmp_path / "source.jsonl"
    source.write_bytes(text)
    loaded = wingspan_nb.load_invoices(source)
    assert [f.item for f in loaded.failures] == bad and [f.position for f in loaded.failures] == [1, 2, 4]
    saved = loaded.save(tmp_path / name)
    raw = saved.read_bytes()
    assert (gzip.decompress(raw) if name.endswith(".gz") else raw) == text  # every line as it was
    again = wingspan_nb.load_invoices(saved)
    assert again == loaded and [f.item for f in again.failures] == bad


def test_a_raw_line_with_a_line_break_is_refused(tmp_path: Path) -> None:
    from wingspan_nb.snapshots import save_snapshot

    with pytest.raises(errors.InvalidRequestError, match="line break"):
        save_snapshot(tmp_path / "x.jsonl", [b"one\ntwo"])
    assert list(tmp_path.iterdir()) == []


def _saved_gz(tmp_path: Path, n: int = 60) -> tuple[Path, list[str]]:
    docs = demo_invoices(n)
    path = _invoices(json.loads(json.dumps(docs))).save(tmp_path / "account.jsonl.gz")
    return path, [d["invoiceId"] for d in docs]


def test_a_cut_off_gzip_snapshot_raises_and_keeps_what_was_read(tmp_path: Path) -> None:
    path, ids = _saved_gz(tmp_path)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(errors.SnapshotError, match="cut off") as info:
        wingspan_nb.load_invoices(path)
    e = info.value
    assert isinstance(e, errors.WingspanError) and e.file == str(path)
    read = e.partial.ids
    assert 0 < len(read) < len(ids) and read == ids[: len(read)]  # what was read, in order
    assert f"past line {e.line:,}" in str(e) and e.line == len(read) + len(e.partial.failures)
    [cut] = e.partial.failures  # the line the file ends inside, kept raw
    line = gzip.decompress(whole).split(b"\n")[e.line - 1]
    assert isinstance(cut.item, bytes) and line.startswith(cut.item) and len(cut.item) < len(line)
    assert "cut off where the file ends" in str(cut.error) and ".partial" in str(e)


@pytest.mark.parametrize("damage", ["middle", "header", "trailer"])
def test_a_damaged_gzip_snapshot_raises_a_typed_error(tmp_path: Path, damage: str) -> None:
    path, ids = _saved_gz(tmp_path)
    data = bytearray(path.read_bytes())
    at = {"middle": len(data) // 2, "header": 2, "trailer": len(data) - 6}[damage]  # method, CRC
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(errors.SnapshotError, match="damaged") as info:
        wingspan_nb.load_invoices(path)
    read = info.value.partial.ids
    assert read == ids[: len(read)] and (damage != "trailer" or read == ids)


def test_a_utf8_byte_order_mark_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + orjson.dumps(make_invoice(1)) + b"\n")
    loaded = wingspan_nb.load_invoices(path)
    assert len(loaded) == 1 and loaded.failures == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("name", ["wide.jsonl", "wide.jsonl.gz"])
def test_a_utf16_snapshot_says_what_encoding_to_use(tmp_path: Path, encoding: str, name: str) -> None:
    text = (json.dumps(make_invoice(1)) + "\n").encode(encoding)
    path = tmp_path / name
    path.write_bytes(gzip.compress(text) if name.endswith(".gz") else text)
    with pytest.raises(errors.SnapshotError, match=r"UTF-16 or UTF-32.*UTF-8") as info:
        wingspan_nb.load_invoices(path)
    assert info.value.line == 1 and len(info.value.partial) == 0


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_snapshot_gets_the_permissions_of_a_new_file(tmp_path: Path, umask: int, mode: int) -> None:
    before = os.umask(umask)
    try:
        path = _invoices([make_invoice(1)]).save(tmp_path / "invoices.jsonl")
    finally:
        os.umask(before)
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_a_snapshot_saved_over_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "invoices.jsonl"
    path.write_text("")
    path.chmod(0o640)
    _invoices([make_invoice(1)]).save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and len(wingspan_nb.load_invoices(path)) == 1


def test_saving_to_a_symlink_writes_its_target(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    target = tmp_path / "data" / "invoices-2026.jsonl.gz"
    target.write_bytes(b"")
    link = tmp_path / "latest.jsonl.gz"
    link.symlink_to(target)
    assert _invoices([make_invoice(1)]).save(link) == link
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert wingspan_nb.load_invoices(target).ids == [make_invoice(1)["invoiceId"]]
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temporary file left


def test_a_failing_write_leaves_the_old_snapshot_intact(tmp_path: Path) -> None:
    path = tmp_path / "invoices.jsonl"
    _invoices([make_invoice(1)]).save(path)
    before = path.read_bytes()

    def documents() -> Iterator[dict[str, Any]]:
        yield make_invoice(2)
        raise OSError("No space left on device")

    from wingspan_nb.snapshots import save_snapshot

    with pytest.raises(OSError, match="No space left"):
        save_snapshot(path, documents())
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["invoices.jsonl"]  # no temporary file left


def test_get_many_results_save_too(client: Wingspan, sandbox: SandboxServer, tmp_path: Path) -> None:
    ids = sandbox.ids()[:3]
    batch = client.client_invoice.get_many([*ids, "missing"], progress=False)
    loaded = wingspan_nb.load_invoices(batch.save(tmp_path / "batch.jsonl.gz"))
    assert loaded.ids == ids and [inv.to_dict() for inv in loaded] == [sandbox.invoice(i) for i in ids]


def test_load_invoices_is_public_and_lazy() -> None:
    assert "load_invoices" in wingspan_nb.__all__
    from wingspan_nb.snapshots import load_invoices

    assert wingspan_nb.load_invoices is load_invoices


def test_demo_snapshot_matches_the_sandbox(tmp_path: Path) -> None:
    docs = demo_invoices(12)
    path = _invoices(json.loads(json.dumps(docs))).save(tmp_path / "demo.jsonl")
    assert [inv.to_dict() for inv in wingspan_nb.load_invoices(path)] == docs


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
    from wingspan_nb.invoices import parse_invoice_array

    with pytest.raises(ValueError, match=problem) as caught:
        parse_invoice_array(text)
    assert not isinstance(caught.value, errors.InvalidDocumentError)


def test_a_list_reply_in_any_json_layout() -> None:
    from wingspan_nb.invoices import parse_invoice_array

    docs = [make_invoice(1), make_invoice(2)]
    for text in (json.dumps(docs), json.dumps(docs, indent=2), f" \n{json.dumps(docs)}\n", "[ ]"):
        parsed = parse_invoice_array(text.encode())
        assert [inv.to_dict() for inv in parsed] == (docs if text != "[ ]" else [])


@pytest.mark.parametrize("chunk", [1, 40, 1 << 21])
def test_chunks_end_only_at_item_boundaries(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    """Chunk ends are guessed from the first key; nested objects and strings that look like a
    boundary must never split an item."""
    from wingspan_nb import invoices as module

    monkeypatch.setattr(module, "_CHUNK", chunk)
    tricky = [
        {"a": n, "nested": [{"a": 1}, {"a": 2}], "text": '}, {"a": 3, "x": "}, {"a":'} for n in range(30)
    ] + [make_invoice(1)]
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
            wrong.client_invoice.list()
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
    assert made == ["downloading", "parsing", "invoices"]


def test_the_summary_lists_statuses_in_order_and_keeps_unknown_ones() -> None:
    import warnings

    docs = [
        make_invoice(1, status="Paid"),
        {**make_invoice(2), "status": "Disputed"},
        make_invoice(3, status="Draft"),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the unknown status warns once; not the point here
        html = InvoiceList(ClientInvoice.from_dict(d) for d in docs)._repr_html_() or ""
    summary = html[html.index("By status") : html.index("Past due")]
    assert summary.index(">Draft<") < summary.index(">Paid<") < summary.index(">Disputed<")


def test_the_list_card_tells_past_due_from_the_overdue_status() -> None:
    from wingspan_nb.facts import overdue_days, today_utc

    invoices = InvoiceList(ClientInvoice.from_dict(d) for d in demo_invoices())
    html = invoices._repr_html_() or ""
    assert "<h4>Past due (Open, Overdue, Pending), per currency</h4>" in html
    assert "Overdue, per currency" not in html and ">past-due invoices<" in html
    # The demo data reads like an account: invoices awaiting payment that are not yet due, none of
    # the long-past-due ones still Open or Pending (those carry the Overdue status).
    today = today_utc()  # the demo dates are relative to the sandbox's today
    days = {
        inv.invoice_number: (inv.status.value, overdue_days(inv.status, inv.due_date, today))
        for inv in invoices
    }
    waiting = [d for s, d in days.values() if s in ("Open", "Pending") and d is not None]
    assert sum(d < 0 for d in waiting) >= 4 and max(waiting) <= 30
    assert min(d for s, d in days.values() if s == "Overdue" and d is not None) > 30


# -- second hostile review: masked failures, exact big integers, bad links, snapshot paths ----------

_WIDE = 123456789012345678901234567890  # beyond 64 bits: orjson alone reads it as 1.2345678901234568e+29


def _with_account_number(number: str) -> dict[str, Any]:
    doc = make_invoice(1)
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
    (raw,) = wingspan_nb.load_invoices(path).failures
    assert b"410540603165" in raw.item and "410540603165" not in repr(raw) and "•••• 3165" in repr(raw)


@pytest.mark.parametrize(
    "served",
    [
        {
            "invoices": [
                {**make_invoice(1), "externalRef": _WIDE},
                {**make_invoice(2), "externalRef": [-_WIDE, 2**64, 1.5]},
                {**make_invoice(3), "amount": "bad", "externalRef": {"n": _WIDE}},
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
    from wingspan_nb import invoices as module

    monkeypatch.setattr(module, "_CHUNK", chunk)
    docs = [{**make_invoice(n), "externalRef": _WIDE * n} for n in range(1, 6)]
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


@pytest.mark.parametrize("path", [None, b"invoices.jsonl", 123, ""])
def test_a_snapshot_path_that_is_not_a_file_name_is_refused(path: Any) -> None:
    with pytest.raises(errors.InvalidRequestError, match="needs a file name") as saving:
        _invoices([make_invoice(1)]).save(path)
    assert "save" in str(saving.value)
    with pytest.raises(errors.InvalidRequestError, match="load_invoices needs a file name"):
        wingspan_nb.load_invoices(path)


def test_saving_to_a_folder_or_into_a_missing_folder_says_so(tmp_path: Path) -> None:
    invoices = _invoices([make_invoice(1)])
    with pytest.raises(errors.InvalidRequestError, match="is a folder; nothing was written"):
        invoices.save(tmp_path)
    missing = tmp_path / "no-such-folder" / "invoices.jsonl"
    with pytest.raises(errors.InvalidRequestError, match="cannot be written") as caught:
        invoices.save(missing)
    assert repr(str(missing)) in str(caught.value) and ".tmp" not in str(caught.value)
    assert caught.value.__context__ is None and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["missing.jsonl", "."])
def test_loading_a_missing_file_or_a_folder_is_a_snapshot_error(tmp_path: Path, where: str) -> None:
    with pytest.raises(errors.SnapshotError, match="cannot be read") as caught:
        wingspan_nb.load_invoices(tmp_path / where)
    assert caught.value.partial == InvoiceList() and caught.value.__context__ is None
