"""Errors under hostile input: the token never reachable, errors that pickle, ids that cannot be sent."""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import pickle
import re
import signal
import socket
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import orjson
import pytest
import requests
from requests.structures import CaseInsensitiveDict

from wingspan_nb import Wingspan, errors
from wingspan_nb._invoices import InvoiceList, ListFailure
from wingspan_nb._transport import BearerAuth
from wingspan_nb.errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    InvalidIdError,
    InvalidRequestError,
    SDKError,
    UnprocessableEntityError,
    WingspanError,
)
from wingspan_nb.models import ClientInvoice, ClientInvoiceUpdateRequest
from wingspan_nb.sandbox import SandboxServer

from .helpers import TODAY, Sleeps
from .test_transport import RawServer, head
from .test_transport import reply as reply_with

TOKEN = "tok_4f9a2c81e7d34b6a9f0e"
PAID = ClientInvoiceUpdateRequest(status="Paid")

# -- the token as given ----------------------------------------------------------------


@pytest.mark.parametrize("padding", ["\n", "\r\n", "  ", "\t"])
def test_a_token_read_from_a_file_is_stripped(sandbox: SandboxServer, padding: str) -> None:
    with Wingspan(f"{padding}{sandbox.token}{padding}", server_url=sandbox.url) as c:
        assert c.client_invoice.get(id=sandbox.ids()[0]).status_code == 200


def test_a_token_from_the_environment_is_stripped(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WINGSPAN_API_TOKEN", sandbox.token + "\n")
    with Wingspan(server_url=sandbox.url) as c:
        assert c.client_invoice.get(id=sandbox.ids()[0]).status_code == 200


@pytest.mark.parametrize(
    ("token", "problem"),
    [
        (f"{TOKEN}\nX-Injected: 1", "control character (U+000A)"),
        (f"{TOKEN[:8]}\x00{TOKEN[8:]}", "control character (U+0000)"),
        (f"{TOKEN}\x7f", "control character (U+007F)"),
        (f"{TOKEN[:8]}\u03a9{TOKEN[8:]}", "not Latin-1 (U+03A9)"),
        (f"{TOKEN}€", "not Latin-1 (U+20AC)"),
    ],
)
def test_a_token_that_cannot_go_in_a_header_is_refused_at_construction(token: str, problem: str) -> None:
    with pytest.raises(InvalidRequestError) as info:
        Wingspan(token, server_url="http://127.0.0.1:9")
    message = str(info.value)
    assert problem in message and "the token is not shown" in message
    assert TOKEN not in message and TOKEN[:8] not in message


def test_a_blank_token_is_no_token(sandbox: SandboxServer) -> None:
    with Wingspan(" \n", server_url=sandbox.url) as c, pytest.raises(AuthenticationError):
        c.client_invoice.get(id=sandbox.ids()[0])
    assert "authorization" not in sandbox.requests[-1].headers


def test_a_token_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(InvalidRequestError, match="must be a str, got bytes"):
        Wingspan(TOKEN.encode(), server_url="http://127.0.0.1:9")  # type: ignore[arg-type]


# -- a server that echoes the header ---------------------------------------------------


LATIN_TOKEN = 'tök"én\\secret-123'
"""A token a server writes differently in JSON: \\u00f6 or UTF-8, \\" and \\\\ escapes."""


def _echo(status: int, dumps: Callable[[Any], bytes] = orjson.dumps) -> Any:
    def handler(conn: socket.socket, method: str, h: dict[str, str], b: bytes) -> None:
        auth = h["authorization"]
        body = dumps(
            {
                "message": f"Denied for {auth}",
                "debug": {"token": auth.removeprefix("Bearer ")},
                "validation": [{"location": ["header", "authorization"], "message": f"{auth} expired"}],
            }
        )
        extra = {"X-Echo": auth, "Content-Length": len(body)}
        conn.sendall(head(status, reason=auth, **extra) + body)

    return handler


_ENCODERS = {
    "orjson": orjson.dumps,
    "ascii": lambda v: json.dumps(v).encode(),
    "utf-8": lambda v: json.dumps(v, ensure_ascii=False).encode(),
    "slashes": lambda v: json.dumps(v).replace("/", "\\/").encode(),
    "upper hex": lambda v: re.sub(
        r"\\u[0-9a-f]{4}", lambda m: m[0].upper().replace("U", "u"), json.dumps(v)
    ).encode(),
}


@pytest.mark.parametrize("token", [TOKEN, LATIN_TOKEN, "tok/with/slashes-1"])
@pytest.mark.parametrize("encoder", list(_ENCODERS))
@pytest.mark.parametrize("status", [400, 401, 422, 500, 418])
def test_an_echoed_token_is_scrubbed_from_the_error(status: int, encoder: str, token: str) -> None:
    with (
        RawServer(_echo(status, _ENCODERS[encoder])) as server,
        Wingspan(token, server_url=server.url, max_retries=0) as c,
    ):
        with pytest.raises(SDKError) as info:
            c.client_invoice.update(id="x", client_invoice_update_request=PAID)
    e = info.value
    sent = server.requests[0][1]["authorization"]
    assert sent == f"Bearer {token}".encode("latin-1").decode("latin-1")  # it was sent, and echoed
    shown = [str(e), repr(e), e.body, e.raw_response.text, str(e.raw_response.headers), e.raw_response.reason,
             e._repr_html_() or ""]  # fmt: skip
    if isinstance(e, UnprocessableEntityError):
        assert e.validation and "[REDACTED] expired" in e.validation[0]["message"]
        shown.append(repr(e.validation))
    assert [s for s in shown if any(form in s for form in _forms(token))] == []
    assert _holds_token(e, token) == []
    assert "[REDACTED]" in e.body


def test_a_short_token_is_scrubbed_only_after_bearer(sleeps: Sleeps) -> None:
    # Scrubbing a 3-letter token everywhere would corrupt the data; "Bearer abc" is still scrubbed.
    with RawServer(_echo(400)) as server, Wingspan("abc", server_url=server.url) as c:
        with pytest.raises(SDKError) as info:
            c.client_invoice.get(id="x")
    assert "Bearer abc" not in info.value.body and "Denied for Bearer [REDACTED]" in info.value.body
    assert '"token":"abc"' in info.value.body


@pytest.mark.parametrize("bearer", ["bearer", "BEARER", "bEaReR"])
def test_a_short_token_after_bearer_in_any_case_is_scrubbed(bearer: str) -> None:
    def handler(conn: socket.socket, method: str, h: dict[str, str], b: bytes) -> None:
        token = h["authorization"].removeprefix("Bearer ")
        body = json.dumps({"message": f"{bearer}  {token} is wrong", "token": token}).encode()
        conn.sendall(head(401, Content_Length=len(body)) + body)

    with RawServer(handler) as server, Wingspan("ab\\é", server_url=server.url) as c:
        with pytest.raises(SDKError) as info:
            c.client_invoice.get(id="x")
    assert json.loads(info.value.body) == {"message": "Bearer [REDACTED] is wrong", "token": "ab\\é"}


# -- a token echoed in any spelling, or as a header name -------------------------------

PLUS_TOKEN = "tok+4f9a/2c81e7d3"
"""A token with characters encoders escape (``+`` as ``\\u002b`` by encoders that escape HTML-sensitive
ASCII, ``/`` as ``\\/``)."""

_SPELLINGS = {
    "+ as \\u002b": lambda t: json.dumps(t).replace("+", "\\u002b"),
    "+ as \\u002B, / as \\/": lambda t: json.dumps(t).replace("+", "\\u002B").replace("/", "\\/"),
    "every character escaped": lambda t: '"' + "".join(f"\\u{ord(ch):04x}" for ch in t) + '"',
}


@pytest.mark.parametrize("spell", list(_SPELLINGS.values()), ids=list(_SPELLINGS))
def test_a_token_echoed_with_escaped_characters_is_scrubbed_from_every_view(
    spell: Callable[[str], str], tmp_path: Path
) -> None:
    from wingspan_nb._snapshots import save_snapshot

    from .test_transport import INVOICE

    escaped_text = json.dumps("\\" + "u002b stays as written")  # the text \u002b, not a "+"
    document = orjson.dumps({**INVOICE, "invoiceNotes": "NOTES", "projectName": "PO"}).decode()
    body = document.replace('"NOTES"', spell(f"echo {PLUS_TOKEN} end")).replace('"PO"', escaped_text).encode()
    assert json.loads(body)["invoiceNotes"] == f"echo {PLUS_TOKEN} end"  # valid JSON, the token in it
    with (
        RawServer(reply_with(200, body)) as server,
        Wingspan(PLUS_TOKEN, server_url=server.url, max_retries=0) as c,
    ):
        invoice = c.client_invoice.get(id="x").client_invoice
    assert invoice is not None
    assert invoice.invoice_notes == "echo [REDACTED] end"
    assert invoice.project_name == "\\u002b stays as written"
    snapshot = save_snapshot(tmp_path / "s.jsonl", [invoice.to_dict()])
    shown = [invoice.invoice_notes, repr(invoice), invoice.to_json(), invoice._repr_html_() or "",
             json.dumps([json.loads(line) for line in snapshot.read_text().splitlines()])]  # fmt: skip
    decoded = [json.loads(shown[2]), json.loads(shown[4])]
    assert [s for s in shown if PLUS_TOKEN in s] == []
    assert PLUS_TOKEN not in repr(decoded)


def test_a_token_echoed_as_a_header_name_is_scrubbed(sleeps: Sleeps) -> None:
    token = "tok+4f9a2c81e7d3"  # a header name may hold "+", not "/"

    def handler(conn: socket.socket, method: str, h: dict[str, str], b: bytes) -> None:
        sent = h["authorization"].removeprefix("Bearer ")
        body = b'{"message": "no"}'
        conn.sendall(head(403, **{f"X-{sent}": "1", sent: "2", "Content-Length": len(body)}) + body)

    with RawServer(handler) as server, Wingspan(token, server_url=server.url, max_retries=0) as c:
        with pytest.raises(SDKError) as info:
            c.client_invoice.get(id="x")
    headers = info.value.raw_response.headers
    assert headers["X-[REDACTED]"] == "1" and headers["[REDACTED]"] == "2"
    assert _holds_token(info.value, token) == []  # the pickle too


# -- a token echoed percent-encoded (a next link, a gateway's log in a body) --------------


def _unquoted(text: str) -> list[str]:
    """``text`` as a URL decoder may read it: percent-escapes decoded as UTF-8 and as Latin-1."""
    return [text, unquote(text), unquote(text, encoding="latin-1")]


def _decodes_to_token(error: WingspanError, token: str, *, frames: bool = True) -> list[str]:
    """Where ``error`` holds ``token`` once percent-decoded: anything reachable, its message, repr,
    HTML, pickle, and (with ``frames``) the locals of its traceback's frames (as a traceback with
    locals shows them)."""
    texts = [(f"{type(o).__name__}", o) for o in _reachable(error) if isinstance(o, str)]
    texts += [("str", str(error)), ("repr", repr(error)), ("html", error._repr_html_() or "")]
    texts.append(("pickle", pickle.dumps(error).decode("latin-1")))
    tb = error.__traceback__
    while tb is not None and frames:
        if tb.tb_frame.f_code.co_filename != __file__:  # not the test's own frame, which holds the token
            texts += [(f"local {name}", repr(value)) for name, value in tb.tb_frame.f_locals.items()]
        tb = tb.tb_next
    return [f"{where}: {text[:80]!r}" for where, text in texts if any(token in t for t in _unquoted(text))]


def _percent_encoded(token: str, every: int) -> str:
    """``token`` with every ``every``-th character percent-encoded (1: all), hex in alternating case."""
    out = []
    for i, ch in enumerate(token):
        hex_ = "".join(f"%{b:02X}" if i % 2 else f"%{b:02x}" for b in ch.encode())
        out.append(hex_ if i % every == 0 else ch)
    return "".join(out)


@pytest.mark.parametrize("every", [1, 3], ids=["all encoded", "partly encoded"])
def test_a_next_link_echoing_the_token_percent_encoded_leaves_it_nowhere(every: int) -> None:
    token = "wsk_live_Zq8LmN3pR7tY2vX9kB4cD6fG"
    echoed = _percent_encoded(token, every)

    served: list[None] = []

    def handler(conn: socket.socket, method: str, h: dict[str, str], b: bytes) -> None:
        served.append(None)
        if len(served) == 1:
            link = f'</payments/client/invoice?page=2&echo={echoed}>; rel="next"'
            conn.sendall(head(200, Link=link, Content_Length=2) + b"[]")
        else:
            conn.sendall(head(500, Content_Length=18) + b'{"message":"boom"}')

    with RawServer(handler) as server, Wingspan(token, server_url=server.url, max_retries=0) as c:
        with pytest.raises(SDKError) as info:
            c.client_invoice.list(progress=False)
    assert len(server.requests) == 2  # the link was followed (it is under the base URL)
    assert "REDACTED" in info.value.url  # the link was scrubbed before it was followed
    assert _decodes_to_token(info.value, token) == []


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
@pytest.mark.parametrize("token", ["wsk_live_Zq8LmN3pR7tY2vX9kB4cD6fG/+x=", LATIN_TOKEN])
@pytest.mark.parametrize("where", ["body", "header", "reason"])
def test_a_token_echoed_percent_encoded_is_scrubbed(token: str, where: str, encoding: str) -> None:
    def handler(conn: socket.socket, method: str, h: dict[str, str], b: bytes) -> None:
        echo = quote(h["authorization"], safe="", encoding=encoding)  # as a gateway logs it
        body = json.dumps({"message": "unauthorized", "seen": echo if where == "body" else ""}).encode()
        fields: dict[str, str | int] = {"Content-Length": len(body)}
        if where == "header":
            fields[f"X-{echo}"] = echo
        conn.sendall(head(401, reason=echo if where == "reason" else "X", **fields) + body)

    with RawServer(handler) as server, Wingspan(token, server_url=server.url, max_retries=0) as c:
        with pytest.raises(AuthenticationError) as info:
            c.client_invoice.get(id="abc")
    e = info.value
    shown = {"body": e.body, "header": str(e.raw_response.headers), "reason": e.raw_response.reason}
    assert "Bearer%20[REDACTED]" in shown[where]
    assert _decodes_to_token(e, token) == []


def test_a_short_token_percent_encoded_after_bearer_is_scrubbed() -> None:
    def handler(conn: socket.socket, method: str, h: dict[str, str], b: bytes) -> None:
        body = json.dumps({"seen": quote(h["authorization"], safe="")}).encode()
        conn.sendall(head(401, Content_Length=len(body)) + body)

    with RawServer(handler) as server, Wingspan("a+/c", server_url=server.url, max_retries=0) as c:
        with pytest.raises(AuthenticationError) as info:
            c.client_invoice.get(id="abc")
    assert json.loads(info.value.body) == {"seen": "Bearer [REDACTED]"}


def test_the_urls_an_error_keeps_hold_no_token(sleeps: Sleeps) -> None:
    # The token pasted as an id goes to the API (the base URL), but the error's URL does not keep it
    # (the frames hold the id as the caller passed it).
    token = "wsk_live_Zq8LmN3pR7tY2vX9kB4cD6fG"
    caught: list[WingspanError] = []
    with SandboxServer(today=TODAY) as dead:
        dead_url = dead.url
    with RawServer(reply_with(404, b'{"message": "no"}')) as server:
        for url in (server.url, dead_url):
            with Wingspan(token, server_url=url, max_retries=0) as c, pytest.raises(WingspanError) as info:
                c.client_invoice.get(id=token)
            caught.append(info.value)
    assert [type(e).__name__ for e in caught] == ["NotFoundError", "APIConnectionError"]
    assert [_decodes_to_token(e, token, frames=False) for e in caught] == [[], []]


def test_percent_escapes_that_do_not_spell_the_token_are_left_alone() -> None:
    token = "wsk_live_Zq8LmN3pR7tY2vX9kB4cD6fG"
    auth = BearerAuth(token)
    text = b'{"note": "50% off, 100%25 sure, wsk_live_Zq8%4CmN3 and %77sk_live"}'
    assert auth.scrub(text) == text
    assert auth.scrub(b"a " + _percent_encoded(token, 2).encode() + b" b") == b"a [REDACTED] b"


# -- Ctrl-C during a call ----------------------------------------------------------------


def _interrupting(during: str) -> Callable[[socket.socket, str, dict[str, str], bytes], None]:
    """Once the request is in, press Ctrl-C in this process (a real SIGINT, as a notebook's interrupt
    sends), while the client waits for the headers or is part-way through the body; then hold the
    connection until the client lets it go."""

    def handler(conn: socket.socket, method: str, h: dict[str, str], b: bytes) -> None:
        if during == "body":
            conn.sendall(head(200, Content_Length=1000) + b'{"invoiceId": ')
        os.kill(os.getpid(), signal.SIGINT)
        conn.settimeout(5)
        with contextlib.suppress(OSError):
            while conn.recv(65536):
                pass

    return handler


@pytest.mark.parametrize("during", ["headers", "body"])
@pytest.mark.parametrize("method", ["GET", "PATCH"])
def test_an_interrupt_during_a_call_carries_no_frame_that_holds_the_token(during: str, method: str) -> None:
    with (
        RawServer(_interrupting(during)) as server,
        Wingspan(TOKEN, server_url=server.url, max_retries=0, timeout=(5, 5)) as c,
    ):
        with pytest.raises(KeyboardInterrupt) as info:
            if method == "GET":
                c.client_invoice.get(id="x")
            else:
                c.client_invoice.update(id="x", client_invoice_update_request=PAID)
        assert server.requests[0][1]["authorization"] == f"Bearer {TOKEN}"  # it was sent
    interrupt = info.value
    assert interrupt.__context__ is None and interrupt.__cause__ is None
    shown = []  # what a traceback with locals prints: each frame's locals, as repr
    tb = interrupt.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        shown += [(code.co_filename, name, repr(value)) for name, value in tb.tb_frame.f_locals.items()]
        tb = tb.tb_next
    assert [(file, name) for file, name, text in shown if TOKEN in text] == []
    assert not any("urllib3" in file or "requests" in file for file, _, _ in shown)


# -- nothing reachable from an error holds the token -----------------------------------


def _reachable(root: object) -> Iterator[object]:
    """Everything reachable from ``root`` through attributes, items, exception chains and args
    (not through code: modules, classes, functions, frames)."""
    seen: set[int] = set()
    stack = [root]
    skip = (types.ModuleType, type, types.FunctionType, types.MethodType, types.FrameType,
            types.TracebackType, types.CodeType, types.BuiltinFunctionType)  # fmt: skip
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, skip):
            continue
        seen.add(id(obj))
        yield obj
        if isinstance(obj, (str, bytes, bytearray, int, float, bool)) or obj is None:
            continue
        if isinstance(obj, dict):
            stack += list(obj.keys()) + list(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            stack += list(obj)
        if isinstance(obj, BaseException):
            stack += [obj.__cause__, obj.__context__, obj.args]
        if isinstance(obj, CaseInsensitiveDict):
            stack += list(obj.items())
        stack += list(getattr(obj, "__dict__", {}).values())
        for cls in type(obj).__mro__:
            for slot in getattr(cls, "__slots__", ()):
                if isinstance(slot, str) and hasattr(obj, slot):
                    stack.append(getattr(obj, slot))


def _forms(token: str) -> set[str]:
    """``token`` as text, and as a JSON encoder may write it inside a string."""
    return {token, json.dumps(token)[1:-1], json.dumps(token, ensure_ascii=False)[1:-1]}


def _holds_token(error: BaseException, token: str) -> list[str]:
    found = []
    for obj in _reachable(error):
        if isinstance(obj, (bytes, bytearray)):
            texts = [obj.decode("latin-1"), obj.decode("utf-8", "replace")]
        else:
            texts = [obj] if isinstance(obj, str) else []
        if any(form in text for text in texts for form in _forms(token)):
            found.append(f"{type(obj).__name__}: {texts[0][:80]!r}")
    pickled = pickle.dumps(error)
    if any(form.encode(enc) in pickled for form in _forms(token) for enc in ("utf-8", "latin-1")):
        found.append("pickled form")
    return found


def _errors_of_every_kind(
    sandbox: SandboxServer, sleeps: Sleeps, clients: contextlib.ExitStack
) -> list[WingspanError]:
    """The errors of every kind; the clients that made the last ones stay open in ``clients`` (their
    connection pools then still hold the last replies)."""
    with SandboxServer(today=TODAY) as dead:
        dead_url = dead.url
    caught: list[WingspanError] = []

    def catch(call: Any) -> None:
        try:
            call()
        except WingspanError as e:
            caught.append(e)

    with Wingspan(sandbox.token, server_url=sandbox.url, max_retries=0) as c:
        invoice_id = sandbox.ids()[0]
        sandbox.drop_next(1)
        catch(lambda: c.client_invoice.update(id=invoice_id, client_invoice_update_request=PAID))
        sandbox.drop_next(1)
        catch(lambda: c.client_invoice.get(id=invoice_id))
        sandbox.delay_next(3600)
        catch(lambda: c.client_invoice.get(id=invoice_id, timeout=0.2))
        catch(lambda: c.client_invoice.get(id="nope"))
        sandbox.fail_next(1, status=503)
        catch(lambda: c.client_invoice.get(id=invoice_id))
        sandbox.malformed_next(1)
        catch(lambda: c.client_invoice.update(id=invoice_id, client_invoice_update_request=PAID))
    with Wingspan(sandbox.token, server_url=dead_url, max_retries=0) as c:
        catch(lambda: c.client_invoice.get(id=invoice_id))
    redirect = reply_with(302, b"", Location="/payments/client/invoice/elsewhere")
    for handler in (redirect, _echo(422), _echo_everywhere):
        with RawServer(handler) as server, Wingspan(sandbox.token, server_url=server.url, max_retries=0) as c:
            catch(lambda: c.client_invoice.update(id=invoice_id, client_invoice_update_request=PAID))
    with RawServer(_echo_everywhere) as server:
        c = clients.enter_context(Wingspan(sandbox.token, server_url=server.url, max_retries=0))
        catch(lambda: c.client_invoice.get(id=invoice_id))
        catch(lambda: c.client_invoice.get(id=invoice_id))  # sends the cookie the first reply set
    return caught


def _echo_everywhere(conn: socket.socket, method: str, h: dict[str, str], b: bytes) -> None:
    """Echoes the header in a cookie too; once the cookie comes back, on a connection the client
    keeps open (its pool then holds the reply)."""
    auth = h["authorization"]
    body = orjson.dumps({"message": auth})
    cookie = f"sid={auth.removeprefix('Bearer ')}; Path=/"
    keep = "keep-alive" if "cookie" in h else "close"  # a new connection for the second request
    fields = {"Connection": keep, "X-Echo": auth, "Set-Cookie": cookie, "Content-Length": len(body)}
    conn.sendall(head(422, reason=auth, **fields) + body)


def test_nothing_reachable_from_an_error_holds_the_token(sandbox: SandboxServer, sleeps: Sleeps) -> None:
    with contextlib.ExitStack() as clients:
        caught = _errors_of_every_kind(sandbox, sleeps, clients)
        _assert_nothing_holds_the_token(caught, sandbox.token)


def _assert_nothing_holds_the_token(caught: list[WingspanError], token: str) -> None:
    kinds = {type(e).__name__ for e in caught}
    assert {"APIConnectionError", "APITimeoutError", "NotFoundError", "ServerError", "UnexpectedResponseError",
            "UnprocessableEntityError"} <= kinds  # fmt: skip
    assert len(caught) == 12
    assert "sid=[REDACTED]" in caught[-1].raw_response.request.headers["Cookie"]  # type: ignore[attr-defined]
    redirected = caught[7]
    assert isinstance(redirected, SDKError) and redirected.status_code == 302
    for e in caught:
        assert _holds_token(e, token) == [], type(e).__name__


def test_connection_errors_have_no_chain(sandbox: SandboxServer, sleeps: Sleeps) -> None:
    with contextlib.ExitStack() as clients:
        caught = _errors_of_every_kind(sandbox, sleeps, clients)
    for e in caught:
        assert e.__context__ is None and e.__cause__ is None, type(e).__name__


def test_the_walk_finds_a_token_where_there_is_one() -> None:
    inner = requests.Request("GET", "http://h/", headers={"Authorization": f"Bearer {TOKEN}"}).prepare()
    outer = APIConnectionError("m", method="GET", url="u")
    try:
        try:
            raise requests.ConnectionError(request=inner)
        except requests.ConnectionError:
            raise outer from None
    except APIConnectionError:
        pass
    assert _holds_token(outer, TOKEN)  # through __context__, as before the fix


# -- pickling ---------------------------------------------------------------------------


def _response(status: int, body: dict[str, Any], **headers: str) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r.reason = "Reason"
    r._content = orjson.dumps(body)
    r.headers = CaseInsensitiveDict({"Content-Type": "application/json", **headers})
    r.request = requests.Request("PATCH", "http://127.0.0.1:1/payments/client/invoice/x").prepare()
    r.url = r.request.url or ""
    return r


def _instances() -> list[WingspanError]:
    problem = {"validation": [{"location": ["body", "status"], "message": "bad"}]}
    document_error = errors.InvalidDocumentError("$.amount", "expected a number", document={"amount": "1"},
                                                 model=ClientInvoice)  # fmt: skip
    made: list[WingspanError] = [
        WingspanError("base"),
        InvalidRequestError("bad value"),
        InvalidIdError("bad id"),
        errors.NoMatchError("No invoice numbered 'INV-9'", count=0),
        errors.ConfirmationRequiredError("3 invoices leave Paid", count=3),
        errors.InvalidTypeError("not an invoice"),
        errors.MissingDependencyError("pip install 'wingspan_nb[analysis]'"),
        document_error,
        APIConnectionError("down", method="PATCH", url="http://h/x", outcome_unknown=True),
        APITimeoutError("slow", method="GET", url="http://h/x"),
        errors.ResponseTooLargeError("big", method="GET", url="http://h/x", limit=10),
        errors.ResponseValidationError(document_error, raw_response=_response(200, {"amount": "1"})),
        errors.SnapshotError(
            "cut off",
            file="a.jsonl.gz",
            line=3,
            partial=InvoiceList(failures=[ListFailure(1, b"{cut", document_error)]),
        ),
        errors.NotebookRequiredWarning("edit() opens a form, which needs a notebook"),
        errors.SnapshotWarning("a.jsonl has no provenance file; read unverified"),
        errors.MissingDependencyError("to_polars needs polars, which is not installed: pip install polars"),
        errors.ExportError("'x.xlsx' could not be written (No space left on device)"),
    ]
    for status, cls in [
        (400, errors.BadRequestError),
        (401, errors.AuthenticationError),
        (403, errors.PermissionDeniedError),
        (404, errors.NotFoundError),
        (409, errors.ConflictError),
        (422, errors.UnprocessableEntityError),
        (429, errors.RateLimitError),
        (500, errors.ServerError),
        (418, errors.UnexpectedResponseError),
        (400, errors.SDKError),
    ]:
        made.append(cls(raw_response=_response(status, problem, **{"Retry-After": "7"})))
    return made


_ATTRIBUTES = ("status_code", "body", "method", "url", "validation", "retry_after", "path", "reason",
               "document", "model", "limit", "outcome_unknown", "content_type", "file", "line",
               "partial", "count")  # fmt: skip


def test_every_error_class_is_covered() -> None:
    every = {
        cls
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, WingspanError) and cls.__module__ == errors.__name__
    }
    assert every == {type(e) for e in _instances()}


@pytest.mark.parametrize("error", _instances(), ids=lambda e: type(e).__name__)
def test_every_error_round_trips_through_pickle(error: WingspanError) -> None:
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error) and str(back) == str(error) and back.args == error.args
    for name in _ATTRIBUTES:
        if hasattr(error, name):
            assert getattr(back, name) == getattr(error, name), name
    if isinstance(error, SDKError):
        assert back.raw_response.status_code == error.status_code


def test_an_error_from_a_real_call_pickles(client: Wingspan, sandbox: SandboxServer) -> None:
    with pytest.raises(WingspanError) as missing:
        client.client_invoice.get(id="no-such-invoice")
    sandbox.drop_next(1)
    with pytest.raises(WingspanError) as dropped:
        client.client_invoice.update(id=sandbox.ids()[0], client_invoice_update_request=PAID)
    for e in (missing.value, dropped.value):
        back = pickle.loads(pickle.dumps(e))
        assert type(back) is type(e) and str(back) == str(e)


# -- ids that cannot be sent -------------------------------------------------------------


@pytest.mark.parametrize("bad", ["ab\ud800cd", "\udfff", "x" * 80 + "\ud83d"])
def test_an_id_with_a_lone_surrogate_fails_before_io(
    client: Wingspan, sandbox: SandboxServer, bad: str
) -> None:
    with pytest.raises(InvalidIdError, match="cannot be sent in a URL") as info:
        client.client_invoice.get(id=bad)
    with pytest.raises(InvalidIdError):
        client.client_invoice.update(id=bad, client_invoice_update_request=PAID)
    assert sandbox.requests == []
    str(info.value).encode("utf-8")  # the message itself can be printed
