"""The client against a real sandbox on loopback: calls, error mapping, retries, escaping, secrecy."""

from __future__ import annotations

import http.server
import json
import logging
import pickle
import re
import sys
import threading
import warnings
from collections.abc import Iterator
from types import FrameType
from typing import Any
from urllib.parse import unquote

import numpy as np
import pytest
import requests

from wingspan_nb import EmptyUpdateWarning, Wingspan, __version__, errors
from wingspan_nb import _resources as resources
from wingspan_nb import _wire_json as wire_json
from wingspan_nb.errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InvalidIdError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    SDKError,
    ServerError,
    UnexpectedResponseError,
    UnprocessableEntityError,
    WingspanError,
)
from wingspan_nb.models import (
    ClientInvoice,
    ClientInvoiceUpdateRequest,
    FeeHandlingConfig,
    InvoiceStatus,
    operations,
)
from wingspan_nb.sandbox import SandboxServer, make_invoice

from .helpers import TODAY, Sleeps

# -- calls -----------------------------------------------------------------------------------------


def test_get_returns_the_seed_response_shape(client: Wingspan, sandbox: SandboxServer) -> None:
    invoice_id = sandbox.ids()[0]
    res = client.client_invoice.get(id=invoice_id)
    assert isinstance(res, operations.GetClientInvoiceResponse)
    assert res.status_code == 200 and res.content_type == "application/json"
    assert isinstance(res.raw_response, requests.Response)
    assert isinstance(res.client_invoice, ClientInvoice)
    assert res.client_invoice.to_dict() == sandbox.invoice(invoice_id)


def test_update_sends_only_the_set_fields_and_returns_the_new_invoice(
    client: Wingspan, sandbox: SandboxServer
) -> None:
    invoice_id = sandbox.ids()[1]
    before = sandbox.invoice(invoice_id)
    res = client.client_invoice.update(
        id=invoice_id,
        client_invoice_update_request=ClientInvoiceUpdateRequest(
            status=InvoiceStatus.PAID, credit_fee_handling=FeeHandlingConfig(client_pays=40, member_pays=60)
        ),
    )
    assert isinstance(res, operations.UpdateClientInvoiceResponse)
    sent = sandbox.requests[-1]
    assert sent.method == "PATCH"
    assert sent.json() == {"status": "Paid", "creditFeeHandling": {"clientPays": 40, "memberPays": 60}}
    assert sent.headers["content-type"] == "application/json"
    after = sandbox.invoice(invoice_id)
    assert after["status"] == "Paid"
    assert after["creditFeeHandling"] == {"clientPays": 40, "memberPays": 60}
    assert after["updatedAt"] > before["updatedAt"]
    assert res.client_invoice is not None and res.client_invoice.to_dict() == after
    # Untouched fields keep their values on the server.
    assert {k: v for k, v in after.items() if k not in ("status", "creditFeeHandling", "updatedAt")} == {
        k: v for k, v in before.items() if k not in ("status", "creditFeeHandling", "updatedAt")
    }


def test_null_is_sent_only_when_asked(client: Wingspan, sandbox: SandboxServer) -> None:
    invoice_id = sandbox.ids()[2]
    client.client_invoice.update(
        id=invoice_id, client_invoice_update_request=ClientInvoiceUpdateRequest(credit_fee_handling=None)
    )
    assert sandbox.requests[-1].body == b'{"creditFeeHandling":null}'
    assert sandbox.invoice(invoice_id)["creditFeeHandling"] is None


@pytest.mark.parametrize("request_", [None, ClientInvoiceUpdateRequest()])
def test_an_empty_update_sends_empty_object_and_warns(
    client: Wingspan, sandbox: SandboxServer, request_: ClientInvoiceUpdateRequest | None
) -> None:
    invoice_id = sandbox.ids()[0]
    before = sandbox.invoice(invoice_id)
    with pytest.warns(EmptyUpdateWarning, match="sets no field, so nothing will change"):
        res = client.client_invoice.update(id=invoice_id, client_invoice_update_request=request_)
    assert sandbox.requests[-1].body == b"{}"
    assert res.client_invoice is not None and res.client_invoice.status == before["status"]


@pytest.mark.parametrize("wrong", [{"status": "Paid"}, {}, "Paid"])
def test_update_refuses_a_wrong_request_type_before_io(
    client: Wingspan, sandbox: SandboxServer, wrong: Any
) -> None:
    with pytest.raises(InvalidRequestError, match="must be a ClientInvoiceUpdateRequest"):
        client.client_invoice.update(id="x", client_invoice_update_request=wrong)
    assert sandbox.requests == []


def test_user_agent_and_accept(client: Wingspan, sandbox: SandboxServer) -> None:
    client.client_invoice.get(id=sandbox.ids()[0])
    headers = sandbox.requests[-1].headers
    assert headers["user-agent"].startswith(f"wingspan_nb/{__version__} ")
    assert headers["accept"] == "application/json"


# -- ids -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("invoice_id", "path"),
    [
        ("a/b", "/payments/client/invoice/a%2Fb"),
        ("<value>", "/payments/client/invoice/%3Cvalue%3E"),
        ("x?y#z", "/payments/client/invoice/x%3Fy%23z"),
        ("Zoë 1", "/payments/client/invoice/Zo%C3%AB%201"),
        ("%2F", "/payments/client/invoice/%252F"),
    ],
)
def test_ids_are_one_percent_encoded_segment(
    client: Wingspan, sandbox: SandboxServer, invoice_id: str, path: str
) -> None:
    sandbox.put(make_invoice(1, invoice_id=invoice_id, today=TODAY))
    res = client.client_invoice.get(id=invoice_id)
    assert sandbox.requests[-1].path == path
    assert res.client_invoice is not None and res.client_invoice.invoice_id == invoice_id


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (".", "not an invoice id"),
        ("..", "not an invoice id"),
        (" abc", "did you mean 'abc'"),
        (None, "is a string"),
    ],
)
def test_bad_ids_fail_before_io(client: Wingspan, sandbox: SandboxServer, bad: Any, message: str) -> None:
    with pytest.raises(InvalidIdError, match=message):
        client.client_invoice.get(id=bad)
    with pytest.raises(InvalidIdError):
        client.client_invoice.update(
            id=bad, client_invoice_update_request=ClientInvoiceUpdateRequest(status="Paid")
        )
    assert sandbox.requests == []


# -- errors ----------------------------------------------------------------------------------------


def test_not_found(client: Wingspan, sandbox: SandboxServer) -> None:
    with pytest.raises(NotFoundError) as info:
        client.client_invoice.get(id="no-such-invoice")
    e = info.value
    assert e.status_code == 404 and isinstance(e, SDKError) and isinstance(e, WingspanError)
    assert "GET /payments/client/invoice/no-such-invoice → 404" in str(e)
    assert "check the id" in str(e) and "no-such-invoice" in e.body
    assert len(sandbox.requests) == 1  # a 404 is not retried


def test_unauthenticated(sandbox: SandboxServer) -> None:
    with Wingspan("wrong-token", server_url=sandbox.url) as c, pytest.raises(AuthenticationError) as info:
        c.client_invoice.get(id=sandbox.ids()[0])
    assert "WINGSPAN_API_TOKEN" in str(info.value)


def test_422_carries_the_validation_list(client: Wingspan, sandbox: SandboxServer) -> None:
    # Bypass the model's own check to see what the server says about a bad value.
    client._transport.request
    with pytest.raises(UnprocessableEntityError) as info:
        client._transport.request(
            "PATCH", f"/payments/client/invoice/{sandbox.ids()[0]}", body=b'{"status": "paid"}'
        )
    e = info.value
    assert e.validation and e.validation[0]["location"] == ["body", "status"]
    assert "The server rejected: body.status: must be one of" in str(e)


def test_400_for_non_json(client: Wingspan, sandbox: SandboxServer) -> None:
    with pytest.raises(BadRequestError):
        client._transport.request("PATCH", f"/payments/client/invoice/{sandbox.ids()[0]}", body=b"{nope")


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, BadRequestError),
        (403, PermissionDeniedError),
        (409, ConflictError),
        (418, UnexpectedResponseError),
        (500, ServerError),
        (503, ServerError),
    ],
)
def test_status_codes_map_to_one_error_each(
    client: Wingspan, sandbox: SandboxServer, status: int, error: type[SDKError]
) -> None:
    sandbox.fail_next(10, status=status)
    with pytest.raises(error) as info:
        client.client_invoice.update(
            id=sandbox.ids()[0], client_invoice_update_request=ClientInvoiceUpdateRequest(status="Open")
        )
    assert info.value.status_code == status
    assert f"→ {status}" in str(info.value)


def test_malformed_reply(client: Wingspan, sandbox: SandboxServer) -> None:
    # The sandbox's "malformed" reply is complete (its Content-Length fits): a server problem.
    sandbox.malformed_next()
    with pytest.raises(UnexpectedResponseError, match=r"complete body is not valid JSON .* of the server"):
        client.client_invoice.get(id=sandbox.ids()[0])


def test_a_body_that_is_not_json_is_told_the_same_way_for_one_invoice_and_the_list(
    client: Wingspan, sandbox: SandboxServer
) -> None:
    caught = []
    for call in (
        lambda: client.client_invoice.get(id=sandbox.ids()[0]),
        lambda: client.client_invoice.list(progress=False),
    ):
        sandbox.malformed_next()
        with pytest.raises(UnexpectedResponseError) as info:
            call()
        caught.append(str(info.value))
    told = (
        r"GET /payments/client/invoice\S* → 200, but the complete body is not valid JSON \(.+\)\. This is a "
    )
    told += r"problem of the server \(or a proxy in between\); the raw reply is on \.raw_response\."
    assert all(re.fullmatch(told, message) for message in caught)


def test_a_reply_without_an_invoice_is_a_typed_error_not_an_assertion(
    client: Wingspan, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # get() itself never returns one (it raises), but get_many and edit must not rest on an assert
    # (gone under python -O) should a stand-in for it do so.
    resource = client.client_invoice
    real_get = resource.get

    def get(id: str, **kw: Any) -> Any:
        reply = real_get(id=id, **kw)
        reply.client_invoice = None
        return reply

    monkeypatch.setattr(resource, "get", get)
    [failed] = resource.get_many(sandbox.ids()[:1], progress=False).failures
    assert type(failed.error) is UnexpectedResponseError and "returned no invoice" in str(failed.error)
    with (
        pytest.warns(errors.NotebookRequiredWarning),  # outside a notebook, edit() says so first
        pytest.raises(
            UnexpectedResponseError, match=r"GET /payments/client/invoice/\S+ → 200 returned no invoice"
        ),
    ):
        resource.edit(sandbox.ids()[0])


def test_a_reply_that_does_not_fit_keeps_the_document(client: Wingspan, sandbox: SandboxServer) -> None:
    broken = make_invoice(3, invoice_id="broken", today=TODAY)
    broken["lineItems"][0]["totalCost"] = "12.00"
    sandbox.put(broken)
    with pytest.raises(ResponseValidationError) as info:
        client.client_invoice.get(id="broken")
    e = info.value
    assert e.path == "$.lineItems[0].totalCost" and e.document == broken and e.status_code == 200
    assert "does not fit the ClientInvoice: $.lineItems[0].totalCost expected a number" in str(e)


def test_a_non_json_content_type_is_unexpected(sleeps: Sleeps) -> None:
    with (
        _OneShotServer(200, {"Content-Type": "text/html"}, b"<html>login</html>") as url,
        Wingspan("t", server_url=url) as c,
    ):
        with pytest.raises(UnexpectedResponseError, match=r"instead of JSON\. Check the server URL"):
            c.client_invoice.get(id="x")


def test_redirects_are_not_followed() -> None:
    with (
        _OneShotServer(302, {"Location": "http://127.0.0.1:9/elsewhere"}, b"") as url,
        Wingspan("t", server_url=url) as c,
    ):
        with pytest.raises(UnexpectedResponseError) as info:
            c.client_invoice.get(id="x")
    assert info.value.status_code == 302


# -- retries ---------------------------------------------------------------------------------------


def test_get_retries_5xx_then_succeeds(client: Wingspan, sandbox: SandboxServer, sleeps: Sleeps) -> None:
    sandbox.fail_next(2, status=503)
    assert client.client_invoice.get(id=sandbox.ids()[0]).status_code == 200
    assert [r.status for r in sandbox.requests] == [503, 503, 200]
    assert len(sleeps) == 2 and 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0  # jittered backoff


def test_get_gives_up_after_max_retries(client: Wingspan, sandbox: SandboxServer, sleeps: Sleeps) -> None:
    sandbox.fail_next(5, status=502)
    with pytest.raises(ServerError):
        client.client_invoice.get(id=sandbox.ids()[0])
    assert len(sandbox.requests) == 3 and len(sleeps) == 2


def test_patch_is_not_retried_on_5xx(client: Wingspan, sandbox: SandboxServer, sleeps: Sleeps) -> None:
    sandbox.fail_next(1, status=503)
    with pytest.raises(ServerError):
        client.client_invoice.update(
            id=sandbox.ids()[0], client_invoice_update_request=ClientInvoiceUpdateRequest(status="Paid")
        )
    assert len(sandbox.requests) == 1 and sleeps == []


def test_429_is_retried_for_patch_honouring_retry_after(
    client: Wingspan, sandbox: SandboxServer, sleeps: Sleeps
) -> None:
    invoice_id = sandbox.ids()[0]
    sandbox.fail_next(1, status=429, retry_after=3)
    res = client.client_invoice.update(
        id=invoice_id, client_invoice_update_request=ClientInvoiceUpdateRequest(status="Paid")
    )
    assert res.client_invoice is not None and res.client_invoice.status == InvoiceStatus.PAID
    assert sleeps == [pytest.approx(3.0, abs=0.1)]
    assert [r.status for r in sandbox.requests] == [429, 200]


def test_a_retry_after_beyond_the_cap_raises_at_once(
    client: Wingspan, sandbox: SandboxServer, sleeps: Sleeps
) -> None:
    sandbox.fail_next(1, status=429, retry_after=3600)
    with pytest.raises(RateLimitError) as info:
        client.client_invoice.get(id=sandbox.ids()[0])
    assert info.value.retry_after == 3600 and sleeps == []
    assert "wait 3600 s" in str(info.value)


def test_get_retries_a_dropped_connection(client: Wingspan, sandbox: SandboxServer) -> None:
    sandbox.drop_next(1)
    assert client.client_invoice.get(id=sandbox.ids()[0]).status_code == 200
    assert [r.status for r in sandbox.requests] == [-1, 200]


def test_patch_is_not_retried_after_a_dropped_connection(client: Wingspan, sandbox: SandboxServer) -> None:
    sandbox.drop_next(1)
    with pytest.raises(APIConnectionError, match="may or may not have been applied: get the invoice again"):
        client.client_invoice.update(
            id=sandbox.ids()[0], client_invoice_update_request=ClientInvoiceUpdateRequest(status="Paid")
        )
    assert len(sandbox.requests) == 1


def test_read_timeout(client: Wingspan, sandbox: SandboxServer) -> None:
    sandbox.delay_next(3600, n=3)  # held until the sandbox stops: no race with 0.2 s
    with pytest.raises(APITimeoutError, match="did not answer in time"):
        client.client_invoice.get(id=sandbox.ids()[0], timeout=0.2)
    assert len(sandbox.requests) == 3  # GET retried twice


def test_patch_read_timeout_is_not_retried(client: Wingspan, sandbox: SandboxServer) -> None:
    sandbox.delay_next(3600)
    with pytest.raises(APITimeoutError, match="may or may not have been applied"):
        client.client_invoice.update(
            id=sandbox.ids()[0],
            client_invoice_update_request=ClientInvoiceUpdateRequest(status="Paid"),
            timeout=0.2,
        )
    # The call gave up at 0.2 s; on a loaded machine the sandbox may record the request later still.
    with sandbox._holding:
        assert sandbox._holding.wait_for(lambda: sandbox._held == 1, timeout=10)
    assert len(sandbox.requests) == 1


def test_connection_refused_is_retried_even_for_patch(sleeps: Sleeps) -> None:
    with SandboxServer(today=TODAY) as dead:
        url = dead.url
    with Wingspan("t", server_url=url) as c:
        c._transport.sleep = sleeps
        with pytest.raises(APIConnectionError, match=r"could not be reached\. Nothing was sent"):
            c.client_invoice.update(
                id="x", client_invoice_update_request=ClientInvoiceUpdateRequest(status="Paid")
            )
    assert len(sleeps) == 2


def test_retries_can_be_turned_off(sandbox: SandboxServer) -> None:
    sandbox.fail_next(1, status=503)
    with Wingspan(sandbox.token, server_url=sandbox.url, max_retries=0) as c, pytest.raises(ServerError):
        c.client_invoice.get(id=sandbox.ids()[0])


# -- configuration and secrecy ---------------------------------------------------------------------


def test_server_selection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WINGSPAN_SERVER_URL", raising=False)
    assert Wingspan().server_url == "https://api.wingspan.app"
    assert Wingspan(server="staging").server_url == "https://stagingapi.wingspan.app"
    assert Wingspan(server_idx=1).server_url == "https://stagingapi.wingspan.app"
    assert Wingspan(server_url="http://127.0.0.1:1/").server_url == "http://127.0.0.1:1"
    monkeypatch.setenv("WINGSPAN_SERVER_URL", "http://127.0.0.1:2")
    assert Wingspan().server_url == "http://127.0.0.1:2"
    with pytest.raises(InvalidRequestError, match="'prod', 'staging'"):
        Wingspan(server="dev")  # type: ignore[arg-type]
    with pytest.raises(InvalidRequestError, match="server_idx must be 0"):
        Wingspan(server_idx=2)


def test_token_from_environment(sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WINGSPAN_API_TOKEN", sandbox.token)
    with Wingspan(server_url=sandbox.url) as c:
        assert c.client_invoice.get(id=sandbox.ids()[0]).status_code == 200


def test_the_token_never_shows(
    sandbox: SandboxServer, caplog: pytest.LogCaptureFixture, sleeps: Sleeps
) -> None:
    token = sandbox.token
    caplog.set_level(logging.DEBUG)
    with Wingspan(token, server_url=sandbox.url) as c:
        c._transport.sleep = sleeps
        shown = [repr(c), str(c), repr(c._transport), repr(c.client_invoice)]
        res = c.client_invoice.get(id=sandbox.ids()[0])
        shown.append(repr(res))
        shown.append(str(res.raw_response.request.headers))
        sandbox.fail_next(5, status=503)
        errors: list[BaseException] = []
        for call in (
            lambda: c.client_invoice.get(id=sandbox.ids()[0]),
            lambda: c.client_invoice.get(id="nope"),
        ):
            try:
                call()
            except WingspanError as e:
                errors.append(e)
        for e in errors:
            shown += [str(e), repr(e), repr(e.__dict__), str(pickle.dumps(e.args))]
            shown.append(str(e.raw_response.request.headers))  # type: ignore[attr-defined]
    shown.append(caplog.text)
    assert len(errors) == 2
    assert all(token not in s for s in shown)
    assert "Bearer [REDACTED]" in shown[5]


def test_netrc_cannot_replace_the_token(
    sandbox: SandboxServer, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".netrc").write_text("machine 127.0.0.1 login someone password other\n")
    monkeypatch.setenv("NETRC", str(tmp_path / ".netrc"))
    with Wingspan(sandbox.token, server_url=sandbox.url) as c:
        assert c.client_invoice.get(id=sandbox.ids()[0]).status_code == 200


def test_sandbox_constructor_and_close() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c = Wingspan.sandbox(invoices=[make_invoice(5, invoice_id="only-one")], today=TODAY)
    server = c.sandbox_server
    assert server is not None and server.ids() == ["only-one"]
    assert c.client_invoice.get(id="only-one").status_code == 200
    c.close()
    with pytest.raises(WingspanError, match="not running"):
        server.url


def test_sandbox_takes_the_sandbox_options() -> None:
    with Wingspan.sandbox(count=5, page_size=2, today=TODAY, token="sandbox-secret", max_retries=0) as c:
        server = c.sandbox_server
        assert server is not None and len(server.ids()) == 5 and server.page_size == 2
        assert server.today == TODAY and server.token == "sandbox-secret"
        assert c.client_invoice.list(progress=False).client_invoices.ids == server.ids()  # paged, in full


def _sandbox_threads() -> int:
    return sum(t.name == "wingspan-sandbox" and t.is_alive() for t in threading.enumerate())


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"count": -1}, "count"),
        ({"count": "10"}, "count"),
        ({"page_size": 0}, "page_size"),
        ({"latency": -0.5}, "latency"),
        ({"today": "2026-11-30"}, "today"),
        ({"cout": 10}, "cout"),
        ({"max_retries": -1}, "max_retries"),
        ({"timeout": -1}, "timeout"),
        ({"session": "not a session"}, "session"),
        ({"session": requests.Session}, "session"),  # the class, not one
    ],
)
def test_sandbox_with_a_wrong_option_starts_nothing_and_names_it(options: dict[str, Any], named: str) -> None:
    before = _sandbox_threads()
    with pytest.raises(InvalidRequestError, match=named):
        Wingspan.sandbox(**options)
    assert _sandbox_threads() == before


# -- a tiny server for replies the sandbox never gives -----------------------------------------------


class _OneShotServer:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        reply = (status, headers, body)

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(reply[0])
                for k, v in reply[1].items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(reply[2])))
                self.end_headers()
                self.wfile.write(reply[2])

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)

    def __enter__(self) -> str:
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __exit__(self, *exc: object) -> Iterator[None]:  # type: ignore[misc]
        self.httpd.shutdown()
        self.httpd.server_close()
        return None  # type: ignore[return-value]


def test_a_session_passed_in_is_used_as_it_is(sandbox: SandboxServer) -> None:
    session = requests.Session()
    mine = requests.adapters.HTTPAdapter(max_retries=0)
    session.mount("http://", mine)
    with Wingspan(sandbox.token, server_url=sandbox.url, session=session) as c:
        assert c.client_invoice.get(id=sandbox.ids()[0]).status_code == 200
        assert c._transport.session is session and session.get_adapter(sandbox.url) is mine


# -- construction checks its arguments before any I/O (hostile review P2, P3) -----------------------------


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"server_url": "http://[::1"}, "cannot be parsed"),
        ({"server_url": "http://h:99999"}, "cannot be parsed"),
        ({"server_url": "http://h:abc"}, "cannot be parsed"),
        ({"server_url": 5}, "server_url must be a str such as 'https://api.wingspan.app', got int"),
        ({"server_url": "http://h#frag"}, "must not have a query (?…) or fragment (#…)"),
        ({"server_url": "http://h/api?q=1"}, "must not have a query"),
        ({"server_url": "http://h?"}, "must not have a query"),
        ({"server_url": "http://user:hunter22@h"}, "pass the API token as Wingspan(token=...)"),
        ({"server_url": "https://:hunter22@h/api"}, "must not carry a user name or password"),
        ({"session": "not a session"}, "session must be a requests.Session"),
        ({"session": {"proxies": {}}}, "(or a subclass), got dict"),
        ({"server_url": "user:hunter22@h"}, "did you mean 'http://***@h'"),
        ({"server": ["prod"]}, "server must be one of 'prod', 'staging'"),
        ({"server_idx": "0"}, "server_idx must be 0 (prod) or 1 (staging), as an int; got '0'"),
        ({"server_idx": 1.0}, "server_idx must be 0"),
        ({"server_idx": True}, "server_idx must be 0"),
        ({"server_idx": -1}, "server_idx must be 0"),
        ({"max_retries": "2"}, "max_retries must be a whole number of at least 0, such as 2; got '2'"),
        ({"max_retries": None}, "max_retries must be a whole number"),
        ({"max_retries": -1}, "max_retries must be a whole number"),
        ({"max_retries": True}, "max_retries must be a whole number"),
        ({"max_retries": 1.5}, "max_retries must be a whole number"),
    ],
    ids=repr,
)
def test_bad_construction_arguments_are_refused_with_what_to_pass(kwargs: dict[str, Any], says: str) -> None:
    with pytest.raises(InvalidRequestError) as info:
        Wingspan("t", **kwargs)
    assert says in str(info.value) and "hunter22" not in str(info.value)


def test_a_session_subclass_is_used_as_it_is(sandbox: SandboxServer) -> None:
    class Counting(requests.Session):
        sent = 0

        def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
            Counting.sent += 1
            return super().send(request, **kwargs)

    with Wingspan(sandbox.token, server_url=sandbox.url, session=Counting()) as c:
        c.client_invoice.list(progress=False)
    assert Counting.sent == 1


def test_numpy_integers_are_accepted_where_ints_are() -> None:
    c = Wingspan("t", server_idx=np.int64(1), max_retries=np.int64(3), max_response_bytes=np.int64(10**6))
    assert c.server_url == "https://stagingapi.wingspan.app"
    assert type(c._transport.retry.max_retries) is int and c._transport.retry.max_retries == 3
    assert type(c._transport.max_response_bytes) is int


def test_a_bad_server_url_from_the_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WINGSPAN_SERVER_URL", "http://me:hunter22@127.0.0.1:1")
    with pytest.raises(InvalidRequestError, match="user name or password") as info:
        Wingspan("t")
    assert "hunter22" not in str(info.value)


_TOKEN_IN_URL = "wsk_live_Zq8LmN3pR7tY2vX9kB4cD6fG"


@pytest.mark.parametrize(
    "url",
    [
        f"https://gw.example/{_TOKEN_IN_URL}/api",
        f"https://gw.example/api/{_TOKEN_IN_URL}",
        "https://gw.example/" + "".join(f"%{b:02x}" for b in _TOKEN_IN_URL.encode()),
        f"https://gw.example/{_TOKEN_IN_URL[:5]}%{ord(_TOKEN_IN_URL[5]):02X}{_TOKEN_IN_URL[6:]}",
    ],
    ids=["in the path", "at the end", "percent-encoded", "partly encoded"],
)
def test_a_server_url_holding_the_token_is_refused_without_showing_it(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for how in ("argument", "environment"):
        if how == "environment":
            monkeypatch.setenv("WINGSPAN_SERVER_URL", url)
        with pytest.raises(InvalidRequestError, match="holds the API token") as info:
            Wingspan(_TOKEN_IN_URL, server_url=url if how == "argument" else None)
        shown = [str(info.value), repr(info.value), info.value._repr_html_() or ""]
        assert [s for s in shown if _TOKEN_IN_URL in unquote(s) or "gw.example" in s] == []


def test_a_server_url_is_refused_only_for_the_token_itself() -> None:
    near = f"https://gw.example/{_TOKEN_IN_URL[:-1]}/{_TOKEN_IN_URL.lower()}"  # a prefix, another case
    assert Wingspan(_TOKEN_IN_URL, server_url=near).server_url == near
    # A short token counts only as a whole path segment: "api" may be part of a word.
    assert Wingspan("api", server_url="https://h.example/apis/v1").server_url == "https://h.example/apis/v1"
    with pytest.raises(InvalidRequestError, match="holds the API token"):
        Wingspan("a+b", server_url="https://h.example/a%2Bb/v1")


# -- paging stops (hostile review P2) ------------------------------------------------------------------


def test_paging_that_never_ends_is_stopped_with_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("wingspan_nb._resources.MAX_PAGES", 3)
    with (
        SandboxServer(count=5, page_size=1, today=TODAY) as sandbox,
        Wingspan(sandbox.token, server_url=sandbox.url) as c,
    ):
        with pytest.raises(
            UnexpectedResponseError, match=r"names a next page after 3 pages, the most list\(\)"
        ):
            c.client_invoice.list(progress=False)
        assert len(sandbox.requests) == 3
        monkeypatch.setattr("wingspan_nb._resources.MAX_PAGES", 5)
        assert len(c.client_invoice.list(progress=False).client_invoices) == 5  # exactly the cap: read


def test_the_page_cap_is_generous() -> None:
    assert resources.MAX_PAGES >= 10_000


# -- integers beyond 64 bits -----------------------------------------------------------------------

_WIDE = 123456789012345678901234567890


def test_get_keeps_an_integer_beyond_64_bits_exact(client: Wingspan, sandbox: SandboxServer) -> None:
    doc = sandbox.invoice(sandbox.ids()[0])
    sandbox.put({**doc, "externalRef": _WIDE, "refs": {"low": -_WIDE, "edge": 2**64, "float": 1e2}})
    got = client.client_invoice.get(doc["invoiceId"]).client_invoice
    assert got is not None
    wire = got.to_dict()
    assert wire["externalRef"] == _WIDE and type(wire["externalRef"]) is int
    assert wire["refs"] == {"low": -_WIDE, "edge": 2**64, "float": 100.0}


@pytest.mark.parametrize(
    "text",
    [
        f"{_WIDE}",
        f"[-{_WIDE}]",
        f'{{"a":\n\t -{_WIDE}, "b": [1, {_WIDE}]}}',
        f'["text 12345678901234567890123", {_WIDE}]',  # a long digit run in a string comes first
        "[18446744073709551615, 18446744073709551616, -9223372036854775809]",
    ],
)
def test_json_decoding_keeps_every_integer_exact(text: str) -> None:
    assert wire_json.loads(text.encode()) == json.loads(text)
    assert wire_json.loads(wire_json.dumps(json.loads(text))) == json.loads(text)


@pytest.mark.parametrize(
    "text", [f"[{_WIDE}, NaN]", f'[{_WIDE}, "\\ud800"]', f"[{_WIDE}, 1e999]", f"[{_WIDE}"]
)
def test_json_decoding_refuses_what_orjson_refuses_also_beside_a_wide_integer(text: str) -> None:
    with pytest.raises(json.JSONDecodeError):
        wire_json.loads(text.encode())


@pytest.mark.parametrize("pad", range(6))
def test_a_20_digit_integer_is_found_wherever_it_lies(pad: int) -> None:
    """The scan reads every 5th byte: a wide integer at each alignment, after digit runs too short
    to matter and a long one inside a string, still comes back exact."""
    text = f'{{"s": "{"x" * pad}123456789012345678", "t": [1234, 1234567890123456], "n": {2**64}}}'
    assert wire_json.loads(text.encode())["n"] == 2**64
    assert wire_json.loads(f"{' ' * pad}[-{2**63 + 1}]".encode()) == [-(2**63 + 1)]


def _lines_run_by_the_scan(body: bytes) -> int:
    """How many lines of Python the scan runs on ``body``: the work it does per byte or per hit."""
    lines = 0

    def trace(frame: FrameType, event: str, _arg: object) -> object:
        nonlocal lines
        if frame.f_globals.get("__name__") == wire_json.__name__ and event == "line":
            lines += 1
        return trace

    sys.settrace(trace)
    try:
        wire_json.loads(body)
    finally:
        sys.settrace(None)
    return lines


@pytest.mark.parametrize(
    "body",
    [
        b'[  "' + b"1xxx" * 100_000 + b'"]',  # a sampled hit at every 4th byte
        b"[  " + b'"1xxx1xxx1xxx1xxx1xxxx",' * 20_000 + b'""]',  # a hit in each of many strings
        b'["' + b"7" * 400_000 + b'"]',  # one run of 400,000 digits
    ],
)
def test_the_scan_for_wide_integers_does_not_step_through_a_body_of_digit_hits(body: bytes) -> None:
    """Digits the sampling scan hits at every turn cost a bounded number of Python steps (runs and
    dense hits are passed in C), not some per hit or per digit; a wide integer after them is found."""
    assert _lines_run_by_the_scan(body) < 5_000
    for wide in (b"," + str(2**64).encode(), b", \n -" + str(2**63 + 1).encode()):
        text = body[:-1] + wide + b"]"
        assert wire_json.loads(text) == json.loads(text)
