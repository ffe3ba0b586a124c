"""Replies a hostile or broken server (or proxy) sends, over real HTTP on loopback: a success that
carries another invoice, error bodies quoting sensitive numbers in any form, a GET that times out,
a 422 listing a huge number of problems."""

from __future__ import annotations

import re
import socket
import threading
from datetime import datetime, timezone

import orjson
import pytest

from wingspan_nb import InvoiceEditor, Wingspan, set_options
from wingspan_nb._sensitive import is_sensitive
from wingspan_nb.errors import (
    APITimeoutError,
    ConflictError,
    UnexpectedResponseError,
    UnprocessableEntityError,
)
from wingspan_nb.models import ClientInvoiceUpdateRequest
from wingspan_nb.sandbox import make_invoice

from .helpers import TODAY
from .test_transport import RawServer, head

TOKEN = "tok_4f9a2c81e7d34b6a9f0e"
PAID = ClientInvoiceUpdateRequest(status="Paid")
ASKED = make_invoice(3, status="Open", invoice_id="inv_asked", today=TODAY)
OTHER = make_invoice(4, status="Draft", invoice_id="inv_other", today=TODAY)


def _json(status: int, data: object) -> bytes:
    body = orjson.dumps(data)
    return head(status, Content_Length=len(body)) + body


class _ByMethod:
    """A handler answering GETs with the asked invoice and PATCHes with ``patch_reply``; it records
    the paths PATCHed."""

    def __init__(self, patch_reply: object = OTHER, get_reply: object = ASKED) -> None:
        self.patch_reply, self.get_reply = patch_reply, get_reply
        self.patched: list[bytes] = []

    def __call__(self, conn: socket.socket, method: str, h: dict[str, str], b: bytes) -> None:
        if method == "PATCH":
            self.patched.append(b)
            conn.sendall(_json(200, self.patch_reply))
        else:
            conn.sendall(_json(200, self.get_reply))


# -- a success that carries another invoice ----------------------------------------------


def test_a_patch_answered_with_another_invoice_raises_with_an_unknown_outcome() -> None:
    with RawServer(_ByMethod()) as server, Wingspan(TOKEN, server_url=server.url, max_retries=0) as c:
        with pytest.raises(UnexpectedResponseError) as info:
            c.client_invoice.update(id="inv_asked", client_invoice_update_request=PAID)
    e = info.value
    assert e.outcome_unknown
    assert e.raw_response.status_code == 200 and b"inv_other" in e.raw_response.content
    message = str(e)
    assert "inv_other" in message and "inv_asked" in message
    assert "get the invoice again" in message
    assert "Unknown outcome" in (e._repr_html_() or "")


def test_a_get_answered_with_another_invoice_raises_and_its_outcome_is_known() -> None:
    handler = _ByMethod(get_reply=OTHER)
    with RawServer(handler) as server, Wingspan(TOKEN, server_url=server.url, max_retries=0) as c:
        with pytest.raises(UnexpectedResponseError) as info:
            c.client_invoice.get("inv_asked")
        batch = c.client_invoice.get_many(["inv_asked"], progress=False)
    assert not info.value.outcome_unknown
    assert "inv_other" in str(info.value) and "Try again" in str(info.value)
    assert [f.id for f in batch.failures] == ["inv_asked"]
    assert isinstance(batch.failures[0].error, UnexpectedResponseError)


def test_bulk_reports_a_patch_answered_with_another_invoice_as_unknown_and_undo_leaves_it() -> None:
    handler = _ByMethod()
    with RawServer(handler) as server, Wingspan(TOKEN, server_url=server.url, max_retries=0) as c:
        result = c.client_invoice.update_many(["inv_asked"], PAID, dry_run=False, progress=False)
        assert [r.outcome for r in result.rows] == ["unknown"]
        assert isinstance(result.rows[0].error, UnexpectedResponseError)
        undone = result.undo(progress=False)
    # The re-read still shows the old values: the PATCH may land later, so nothing is written back.
    assert [r.outcome for r in undone.rows] == ["unknown"]
    assert len(handler.patched) == 1


def test_the_edit_form_keeps_its_invoice_and_edits_when_the_reply_is_another_invoice() -> None:
    handler = _ByMethod()
    ten_42 = datetime(2026, 12, 7, 10, 42, tzinfo=timezone.utc)
    with RawServer(handler) as server, Wingspan(TOKEN, server_url=server.url, max_retries=0) as c:
        editor = InvoiceEditor(c, "inv_asked", clock=lambda: ten_42)
        editor.fields["status"].input.value = "Paid"
        saved = editor.save()
        status = re.sub(r"<[^>]+>", "", editor.status.value)
        undone = editor.undo()
    assert not saved and not undone
    assert editor.invoice.invoice_id == "inv_asked"
    assert editor.fields["status"].input.value == "Paid"  # the edit is kept
    assert "inv_other" in status and "edits are kept" in status
    assert len(handler.patched) == 1  # undo had nothing to undo: no PATCH onto either invoice


# -- error bodies quoting sensitive numbers, in any form -------------------------------------

_QUOTED = {
    "text/plain": b"Payout blocked: account 123456789012, routing 021000021, SSN 123-45-6789",
    "text/html": b"<html><body><p>accountNumber=123456789012&amp;ssn=021000021</p></body></html>",
    "application/x-www-form-urlencoded": b"accountNumber=123456789012&routingNumber=021000021&ssnLastFour=4321",
    "application/json": b'{"Account-Number": "123456789012", "routing-number": "021000021", '
    b'"Social Security": {"SSN": "123-45-6789"}, "details": {"ssn last four": "4321"}}',
}
_SECRETS = ("123456789012", "021000021", "123-45-6789", "4321")


def _conflict(content_type: str) -> ConflictError:
    body = _QUOTED[content_type]
    with (
        RawServer(
            lambda conn, *_: conn.sendall(
                head(409, Content_Type=content_type, Content_Length=len(body)) + body
            )
        ) as server,
        Wingspan(TOKEN, server_url=server.url, max_retries=0) as c,
        pytest.raises(ConflictError) as info,
    ):
        c.client_invoice.update(id="inv_asked", client_invoice_update_request=PAID)
    return info.value


@pytest.mark.parametrize("content_type", list(_QUOTED))
def test_an_error_body_of_any_kind_is_masked_in_the_message_and_the_card(content_type: str) -> None:
    e = _conflict(content_type)
    card = e._repr_html_() or ""
    reply_body = re.findall(r"<pre>(.*?)</pre>", card, re.S)
    assert reply_body and "••••" in reply_body[0]
    assert [s for s in _SECRETS if s in str(e) or s in card] == []
    assert e.body == _QUOTED[content_type].decode()  # the data is never altered
    with set_options(show_sensitive=True):
        assert "123456789012" in (e._repr_html_() or "")


@pytest.mark.parametrize(
    "name", ["Account-Number", "routing-number", "Routing Number", "ACCOUNT_NUMBER", "ssn last four"]
)
def test_a_sensitive_name_is_recognised_whatever_its_separators_and_case(name: str) -> None:
    assert is_sensitive(name)


# -- a read that times out ------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "PATCH"])
def test_only_a_change_that_times_out_has_an_unknown_outcome(method: str) -> None:
    release = threading.Event()  # the server holds the reply back until the client has given up
    with (
        RawServer(lambda *_: release.wait(5)) as server,
        Wingspan(TOKEN, server_url=server.url, timeout=(1, 0.3), max_retries=0) as c,
    ):
        with pytest.raises(APITimeoutError) as info:
            if method == "GET":
                c.client_invoice.get("inv_asked")
            else:
                c.client_invoice.update(id="inv_asked", client_invoice_update_request=PAID)
        release.set()
    e = info.value
    title = re.findall(r'wsnb-title">([^<]*)', e._repr_html_() or "")
    assert e.outcome_unknown is (method == "PATCH")
    if method == "GET":
        assert title == ["The server did not answer in time"]
        assert "may or may not have been applied" not in str(e)
    else:
        assert title == ["Unknown outcome: the change may or may not have been applied"]
        assert "may or may not have been applied" in str(e)


# -- a 422 listing a great many problems ---------------------------------------------------


def test_a_422_with_thousands_of_problems_lists_the_first_and_keeps_them_all() -> None:
    problems = [{"location": ["body", f"field{i}"], "message": "bad value here"} for i in range(5_000)]
    problems[0]["message"] = "too long " * 2_000
    body = orjson.dumps({"validation": problems})
    with (
        RawServer(lambda conn, *_: conn.sendall(head(422, Content_Length=len(body)) + body)) as server,
        Wingspan(TOKEN, server_url=server.url, max_retries=0) as c,
        pytest.raises(UnprocessableEntityError) as info,
    ):
        c.client_invoice.update(id="inv_asked", client_invoice_update_request=PAID)
    e = info.value
    message = str(e)
    assert len(e.validation) == 5_000  # all of them kept
    assert "field19: bad value here" in message and "field20:" not in message
    assert message.endswith("… and 4,980 more (all on .validation and .raw_response)")
    assert len(message) < 2_000  # the first problem's 18,000 characters are cut too
    card = e._repr_html_() or ""
    table = card.split("</table>")[0]
    assert "field49<" in table and "field50<" not in table
    assert "… and 4,950 more (all on .validation and .raw_response)" in card
    assert len(card) < 100_000
