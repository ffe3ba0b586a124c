"""The transport on loopback: the retry decision, and reading replies (cut off, trickled, huge, not JSON).

Replies the sandbox never gives come from :class:`RawServer`, a socket server on 127.0.0.1 that
writes whatever bytes a test hands it.
"""

from __future__ import annotations

import gzip
import http.client
import logging
import socket
import struct
import threading
import time
import tracemalloc
import types
import zlib
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
import requests
from urllib3.exceptions import (
    ConnectTimeoutError,
    LocationParseError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
)

from wingspan_nb import Wingspan, errors
from wingspan_nb import _deadline as deadline
from wingspan_nb import _transport as transport_module
from wingspan_nb._transport import MAX_RESPONSE_BYTES, Failure, RetryPolicy, classify_send_error, should_retry
from wingspan_nb.errors import (
    APIConnectionError,
    APITimeoutError,
    InvalidIdError,
    InvalidRequestError,
    RateLimitError,
    ResponseTooLargeError,
    SDKError,
    ServerError,
    UnexpectedResponseError,
)
from wingspan_nb.models import ClientInvoiceUpdateRequest
from wingspan_nb.sandbox import SandboxServer, make_invoice

from .helpers import TODAY, Sleeps

Handler = Callable[[socket.socket, str, dict[str, str], bytes], None]


class RawServer:
    """Serves each connection by calling ``handler(sock, method, headers, body)``, which writes the
    reply (or part of one) itself; the connection is closed after it. ``requests`` counts them."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() below
        self._listener.close()
        self._thread.join(5)

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with conn:
                try:
                    method, headers, body = _read_request(conn)
                    self.requests.append((method, headers, body))
                    self.handler(conn, method, headers, body)
                except OSError:  # the client went away: what some tests want
                    pass


def _read_request(conn: socket.socket) -> tuple[str, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", 0))
    while len(body) < length:
        body += conn.recv(65536)
    return lines[0].split(" ")[0], headers, body


def head(status: int = 200, reason: str = "X", **headers: str | int) -> bytes:
    """A status line and headers, as Latin-1 (what HTTP/1.1 headers carry)."""
    fields = {"Content-Type": "application/json", "Connection": "close", **headers}
    lines = [f"HTTP/1.1 {status} {reason}"] + [f"{k.replace('_', '-')}: {v}" for k, v in fields.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def reply(status: int, body: bytes, **headers: str | int) -> Handler:
    def handler(conn: socket.socket, method: str, h: dict[str, str], b: bytes) -> None:
        conn.sendall(head(status, Content_Length=len(body), **headers) + body)

    return handler


INVOICE = make_invoice(1, invoice_id="x", today=TODAY)


def invoice_bytes() -> bytes:
    import orjson

    return orjson.dumps(INVOICE)


def client_for(url: str, sleeps: Sleeps, **kwargs: Any) -> Wingspan:
    c = Wingspan("a-token-of-some-length", server_url=url, **kwargs)
    c._transport.sleep = sleeps
    return c


PAID = ClientInvoiceUpdateRequest(status="Paid")

# -- the retry decision -------------------------------------------------------------------

R, X = True, False
TABLE = {
    # failure:               GET  PATCH
    Failure.UNSENDABLE: (X, X),
    Failure.NOT_SENT: (R, R),
    Failure.RATE_LIMITED: (R, R),
    Failure.NO_REPLY: (R, X),
    Failure.TIMED_OUT: (R, X),
    Failure.SERVER_ERROR: (R, X),
    Failure.ANSWERED: (X, X),
}


def test_the_table_covers_every_failure() -> None:
    assert set(TABLE) == set(Failure)


@pytest.mark.parametrize("failure", list(Failure))
@pytest.mark.parametrize(("method", "column"), [("GET", 0), ("PATCH", 1), ("POST", 1), ("DELETE", 1)])
def test_retry_decision_table(failure: Failure, method: str, column: int) -> None:
    assert should_retry(method, failure) is TABLE[failure][column]


def _wrapped(reason: Exception) -> requests.ConnectionError:
    return requests.ConnectionError(MaxRetryError(None, "/x", reason))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("exc", "failure"),
    [
        (requests.ConnectTimeout(), Failure.NOT_SENT),
        (_wrapped(NewConnectionError(None, "refused")), Failure.NOT_SENT),  # type: ignore[arg-type]
        (_wrapped(NameResolutionError("h", None, OSError())), Failure.NOT_SENT),  # type: ignore[arg-type]
        (_wrapped(ConnectTimeoutError()), Failure.NOT_SENT),
        (requests.ConnectionError(ProtocolError("Connection aborted.")), Failure.NO_REPLY),
        (_wrapped(ProtocolError("Connection reset")), Failure.NO_REPLY),
        (requests.ReadTimeout(), Failure.TIMED_OUT),
        (requests.exceptions.InvalidURL(), Failure.UNSENDABLE),
        (requests.exceptions.InvalidSchema(), Failure.UNSENDABLE),
        # Raised by send() about the reply (two different Content-Length headers): it was sent.
        (requests.exceptions.InvalidHeader(), Failure.NO_REPLY),
    ],
)
def test_send_errors_are_classified(exc: requests.RequestException, failure: Failure) -> None:
    assert classify_send_error(exc) is failure


def test_never_sent_does_not_rest_on_urllib3s_class_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    # If urllib3 stopped deriving NewConnectionError from ConnectTimeoutError, a refused connection
    # must still count as never sent.
    class Refused(Exception):
        pass

    monkeypatch.setattr("wingspan_nb._transport.NewConnectionError", Refused)
    assert classify_send_error(_wrapped(Refused())) is Failure.NOT_SENT


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("127.0.0.1:8000", "did you mean 'http://127.0.0.1:8000'"),
        ("ftp://h", "got 'ftp://h'"),
        ("http://", ""),
    ],
)
def test_a_server_url_that_cannot_be_used_is_refused_at_construction(url: str, shown: str) -> None:
    with pytest.raises(InvalidRequestError, match="must start with https://") as info:
        Wingspan("t", server_url=url)
    assert shown in str(info.value)


def test_an_unsendable_request_is_not_retried(sleeps: Sleeps) -> None:
    c = client_for("http://127.0.0.1:9", sleeps)
    c._transport.base_url = "http://[::1"  # as if set past the client's check
    with pytest.raises(APIConnectionError, match=r"could not be addressed \(InvalidURL") as info:
        c.client_invoice.update(id="x", client_invoice_update_request=PAID)
    assert info.value.outcome_unknown is False and sleeps == []


def test_a_header_that_cannot_be_sent_is_refused_before_any_io(sleeps: Sleeps) -> None:
    with RawServer(reply(200, invoice_bytes())) as server, client_for(server.url, sleeps) as c:
        c._transport.session.headers["X-Bad"] = "one\ntwo"
        with pytest.raises(APIConnectionError, match=r"InvalidHeader.*Nothing was sent") as info:
            c.client_invoice.update(id="x", client_invoice_update_request=PAID)
    assert info.value.outcome_unknown is False and server.requests == [] and sleeps == []


# -- a reply cut off mid-body ------------------------------------------------------------


def _cut_off(chunked: bool) -> Handler:
    def handler(conn: socket.socket, method: str, h: dict[str, str], b: bytes) -> None:
        if chunked:
            conn.sendall(head(200, Transfer_Encoding="chunked") + b"40\r\n" + b"{" * 64 + b"\r\n")
        else:
            conn.sendall(head(200, Content_Length=5000) + b'{"invoiceId": "x", ')

    return handler


@pytest.mark.parametrize("chunked", [False, True])
def test_a_patch_whose_reply_is_cut_off_has_an_unknown_outcome(chunked: bool, sleeps: Sleeps) -> None:
    with RawServer(_cut_off(chunked)) as server, client_for(server.url, sleeps) as c:
        with pytest.raises(APIConnectionError) as info:
            c.client_invoice.update(id="x", client_invoice_update_request=PAID)
    e = info.value
    assert e.outcome_unknown is True
    assert "received the request, but its reply was cut off" in str(e)
    assert "may or may not have been applied: get the invoice again" in str(e)
    assert "could not be sent" not in str(e) and "Nothing was sent" not in str(e)
    assert "try again" not in str(e).lower()
    assert len(server.requests) == 1 and sleeps == []  # not retried


@pytest.mark.parametrize("chunked", [False, True])
def test_a_get_whose_reply_is_cut_off_is_retried(chunked: bool, sleeps: Sleeps) -> None:
    calls: list[int] = []
    cut = _cut_off(chunked)

    def handler(conn: socket.socket, method: str, h: dict[str, str], b: bytes) -> None:
        calls.append(1)
        if len(calls) == 1:
            cut(conn, method, h, b)
        else:
            reply(200, invoice_bytes())(conn, method, h, b)

    with RawServer(handler) as server, client_for(server.url, sleeps) as c:
        res = c.client_invoice.get(id="x")
    assert res.client_invoice is not None and res.client_invoice.invoice_id == "x"
    assert len(server.requests) == 2 and len(sleeps) == 1


def test_refused_is_not_an_unknown_outcome(sleeps: Sleeps) -> None:
    with SandboxServer(today=TODAY) as dead:
        url = dead.url
    with client_for(url, sleeps) as c, pytest.raises(APIConnectionError) as info:
        c.client_invoice.update(id="x", client_invoice_update_request=PAID)
    assert info.value.outcome_unknown is False and "Nothing was sent" in str(info.value)


def test_a_dropped_patch_and_a_read_timeout_are_unknown(client: Wingspan, sandbox: SandboxServer) -> None:
    sandbox.drop_next(1)
    with pytest.raises(APIConnectionError) as dropped:
        client.client_invoice.update(id=sandbox.ids()[0], client_invoice_update_request=PAID)
    sandbox.delay_next(3600)
    with pytest.raises(APITimeoutError) as late:
        client.client_invoice.update(id=sandbox.ids()[0], client_invoice_update_request=PAID, timeout=0.2)
    assert dropped.value.outcome_unknown and late.value.outcome_unknown


def test_a_2xx_patch_reply_that_cannot_be_read_is_unknown(client: Wingspan, sandbox: SandboxServer) -> None:
    sandbox.malformed_next(1)
    with pytest.raises(UnexpectedResponseError) as patched:
        client.client_invoice.update(id=sandbox.ids()[0], client_invoice_update_request=PAID)
    sandbox.malformed_next(1)
    with pytest.raises(UnexpectedResponseError) as got:
        client.client_invoice.get(id=sandbox.ids()[0])
    assert patched.value.outcome_unknown is True
    assert "reported success, but its reply cannot be used: get the invoice again" in str(patched.value)
    assert got.value.outcome_unknown is False


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_5xx_to_a_patch_is_unknown_and_says_so(
    client: Wingspan, sandbox: SandboxServer, status: int
) -> None:
    sandbox.fail_next(1, status=status)
    with pytest.raises(ServerError) as patched:
        client.client_invoice.update(id=sandbox.ids()[0], client_invoice_update_request=PAID)
    sandbox.fail_next(3, status=status)
    with pytest.raises(ServerError) as got:
        client.client_invoice.get(id=sandbox.ids()[0])
    assert patched.value.outcome_unknown is True and got.value.outcome_unknown is False
    assert "may or may not have been applied: get the invoice again" in str(patched.value)
    assert "try again" not in str(patched.value).lower() and "try again in a minute" in str(got.value)


# -- the read timeout is a deadline ------------------------------------------------------


def _trickle(n: int, pause: float) -> Handler:
    def handler(conn: socket.socket, method: str, h: dict[str, str], b: bytes) -> None:
        conn.sendall(head(200, Content_Length=n))
        for _ in range(n):
            time.sleep(pause)  # the server's pace, well inside each socket read's timeout
            conn.sendall(b" ")

    return handler


def test_a_trickling_server_cannot_hold_a_call_past_its_deadline(sleeps: Sleeps) -> None:
    # 400 bytes, one every 50 ms: 20 s in all, while no single read waits longer than 0.3 s.
    with (
        RawServer(_trickle(400, 0.05)) as server,
        client_for(server.url, sleeps, timeout=(0.3, 0.3), max_retries=0) as c,
    ):
        seen: list[int] = []
        with pytest.raises(APITimeoutError, match="did not answer in time") as info:
            c._transport.request("GET", "/slow", on_progress=lambda n, total: seen.append(n))
    assert info.value.outcome_unknown is False  # a GET changes nothing
    assert 0 < seen[-1] < 400  # some of the body came, then the deadline ended the call


def test_the_deadline_counts_from_the_start_of_the_attempt(sleeps: Sleeps) -> None:
    # A clock that moves 1 s per look from now: the (2, 2) deadline is 4 s after the start, so a
    # reply arriving byte by byte stops after a few bytes, however fast the machine.
    start = time.monotonic()
    ticks = iter(range(10**6))
    with (
        RawServer(_trickle(100, 0.001)) as server,
        client_for(server.url, sleeps, timeout=(2, 2), max_retries=0) as c,
    ):
        c._transport.clock = lambda: start + next(ticks)
        seen: list[int] = []
        with pytest.raises(APITimeoutError):
            c._transport.request("GET", "/slow", on_progress=lambda n, total: seen.append(n))
    assert len(seen) <= 3


def test_the_headers_and_the_body_share_one_deadline_from_the_transports_clock(
    sleeps: Sleeps, monkeypatch: pytest.MonkeyPatch
) -> None:
    given: list[float] = []
    real_headers_by = transport_module.headers_by

    def recording(deadline: float) -> Any:
        given.append(deadline)
        return real_headers_by(deadline)

    monkeypatch.setattr(transport_module, "headers_by", recording)
    start = time.monotonic() + 1000  # ahead of time.monotonic(): the headers get that much longer too
    with (
        RawServer(reply(200, b"{}")) as server,
        client_for(server.url, sleeps, timeout=(2, 3), max_retries=0) as c,
    ):
        c._transport.clock = lambda: start
        assert c._transport.request("GET", "/x").status_code == 200
    assert given == [start + 5]


def _stalling(
    kind: str, stall: float, done: threading.Event, completed: threading.Event, pause: float = 0.1
) -> Handler:
    """A reply whose body sends a few bytes every ``pause`` seconds for ``stall`` seconds without any
    of them decoding to data (``kind``: empty gzip blocks, or a chunk-size line one digit at a time),
    then ends as a complete, valid reply (and sets ``completed``): a client not bound by its deadline
    waits for it. It stops early once ``done`` is set (the client has given up)."""
    data = invoice_bytes()

    def handler(conn: socket.socket, method: str, h: dict[str, str], b: bytes) -> None:
        if kind == "gzip":
            conn.sendall(head(200, Content_Encoding="gzip") + gzip.compress(b"")[:10])  # the gzip header
            stuffing = b"\x00\x00\x00\xff\xff"  # an empty stored deflate block, not the last
            packer = zlib.compressobj(wbits=-15)
            end = packer.compress(data) + packer.flush() + struct.pack("<II", zlib.crc32(data), len(data))
        else:
            conn.sendall(head(200, Transfer_Encoding="chunked"))
            stuffing = b"0"  # a leading zero of the chunk size
            end = b"%x\r\n%s\r\n0\r\n\r\n" % (len(data), data)
        until = time.monotonic() + stall
        while time.monotonic() < until:
            conn.sendall(stuffing)
            if done.wait(pause):
                return
        conn.sendall(end)
        completed.set()

    return handler


@pytest.mark.parametrize("kind", ["gzip", "chunk size"])
def test_a_body_that_never_decodes_cannot_hold_a_call_past_its_deadline(kind: str, sleeps: Sleeps) -> None:
    # The reply stalls for 4 s and then completes: a client bound by its deadline (here 0.5 + 1 s
    # after the start) gives up first, so the server never gets to complete it.
    done, completed = threading.Event(), threading.Event()
    with (
        RawServer(_stalling(kind, 4.0, done, completed)) as server,
        client_for(server.url, sleeps, timeout=(0.5, 1), max_retries=0) as c,
    ):
        try:
            with pytest.raises(APITimeoutError, match="did not answer in time"):
                c.client_invoice.get(id="x")
        finally:
            done.set()
    assert not completed.is_set()
    # The same reply stalling briefly is a valid one: what ends the call above is the deadline alone.
    done, completed = threading.Event(), threading.Event()
    with RawServer(_stalling(kind, 0.3, done, completed)) as server, client_for(server.url, sleeps) as c:
        assert c.client_invoice.get(id="x").client_invoice is not None
    assert completed.is_set()


# -- the size cap ----------------------------------------------------------------------


def test_the_default_cap_fits_a_10000_invoice_list_with_headroom() -> None:
    list_of_10000 = 140 * 2**20
    assert Wingspan()._transport.max_response_bytes == MAX_RESPONSE_BYTES >= 5 * list_of_10000


def test_a_gzip_bomb_is_refused_before_it_is_all_in_memory(sleeps: Sleeps) -> None:
    inflated = 64 * 2**20
    bomb = gzip.compress(b"\0" * inflated, compresslevel=9)
    assert len(bomb) < 2**20
    with (
        RawServer(reply(200, bomb, Content_Encoding="gzip")) as server,
        client_for(server.url, sleeps, max_response_bytes=4 * 2**20) as c,
    ):
        tracemalloc.start()
        try:
            with pytest.raises(ResponseTooLargeError) as info:
                c.client_invoice.get(id="x")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    e = info.value
    assert e.limit == 4 * 2**20 and "max_response_bytes=4,194,304" in str(e)
    assert "Wingspan(max_response_bytes=...)" in str(e)
    assert peak < 16 * 2**20  # far below the 64 MiB it inflates to
    assert len(server.requests) == 1  # a final answer: not retried


def test_a_declared_length_over_the_cap_is_refused_unread(sleeps: Sleeps) -> None:
    body = b"[" + b"0," * 5000 + b"0]"
    with (
        RawServer(reply(200, body)) as server,
        client_for(server.url, sleeps, max_response_bytes=1000) as c,
    ):
        seen: list[int] = []
        with pytest.raises(ResponseTooLargeError):
            c._transport.request("GET", "/big", on_progress=lambda n, total: seen.append(n))
    assert seen == []


def test_a_patch_reply_over_the_cap_is_unknown(sleeps: Sleeps) -> None:
    with (
        RawServer(reply(200, invoice_bytes())) as server,
        client_for(server.url, sleeps, max_response_bytes=100) as c,
        pytest.raises(ResponseTooLargeError) as info,
    ):
        c.client_invoice.update(id="x", client_invoice_update_request=PAID)
    assert info.value.outcome_unknown is True and "reported success, but its reply cannot be used" in str(
        info.value
    )


def test_a_large_reply_needs_about_its_own_size_in_memory(sleeps: Sleeps) -> None:
    size = 64 * 2**20
    packed = gzip.compress(b"\0" * size, compresslevel=1)
    with (
        RawServer(reply(200, packed, Content_Encoding="gzip")) as server,
        client_for(server.url, sleeps) as c,
    ):
        tracemalloc.start()
        try:
            res = c._transport.request("GET", "/list")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert len(res.content) == size
    assert peak < 1.25 * size  # not the chunks and their join side by side (2x)


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "1GB"])
def test_max_response_bytes_is_checked(bad: Any) -> None:
    with pytest.raises(InvalidRequestError, match="max_response_bytes"):
        Wingspan("t", max_response_bytes=bad)


# -- progress ----------------------------------------------------------------------------------------


def test_progress_reports_bytes_and_content_length(sleeps: Sleeps) -> None:
    body = b"[" + b"1," * 100_000 + b"1]"
    with RawServer(reply(200, body)) as server, client_for(server.url, sleeps) as c:
        seen: list[tuple[int, int | None]] = []
        res = c._transport.request("GET", "/list", on_progress=lambda n, total: seen.append((n, total)))
    assert res.content == body
    assert len(seen) > 1 and {t for _, t in seen} == {len(body)}
    counts = [n for n, _ in seen]
    assert counts == sorted(counts) and counts[-1] == len(body)


def test_progress_without_content_length_and_compressed(sleeps: Sleeps) -> None:
    body = b"[" + b"1," * 100_000 + b"1]"
    packed = gzip.compress(body)

    def handler(conn: socket.socket, method: str, h: dict[str, str], b: bytes) -> None:
        conn.sendall(head(200, Content_Encoding="gzip") + packed)  # ends when the connection closes

    with RawServer(handler) as server, client_for(server.url, sleeps) as c:
        seen: list[tuple[int, int | None]] = []
        res = c._transport.request("GET", "/list", on_progress=lambda n, total: seen.append((n, total)))
    assert res.content == body
    assert seen and {t for _, t in seen} == {None} and seen[-1][0] == len(packed)  # bytes on the wire


# -- complete bodies that are not JSON ------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>Sign in</body></html>",
        b'{"invoiceId": 1e400}',
        b"[" * 2000 + b"]" * 2000,
        b'{"a": "\xff"}',
    ],
    ids=["html", "1e400", "deep", "utf8"],
)
def test_a_complete_body_that_is_not_json_is_a_server_problem(body: bytes, sleeps: Sleeps) -> None:
    with RawServer(reply(200, body)) as server, client_for(server.url, sleeps) as c:
        with pytest.raises(UnexpectedResponseError) as info:
            c.client_invoice.get(id="x")
    message = str(info.value)
    assert "the complete body is not valid JSON" in message and "problem of the server" in message
    assert "cut off" not in message and "try again" not in message.lower()
    assert len(server.requests) == 1


@pytest.mark.parametrize("depth", [100_000, 1_000])
def test_a_422_nested_too_deeply_is_still_a_typed_error(depth: int, sleeps: Sleeps) -> None:
    # 100,000 deep: more than any parser here reads; 1,000: read, but too deep to walk for the message.
    nested = b"[" * depth + b"]" * depth
    body = b'{"validation": [{"location": "status", "message": ' + nested + b"}]}"
    with RawServer(reply(422, body)) as server, client_for(server.url, sleeps, max_retries=0) as c:
        with pytest.raises(errors.UnprocessableEntityError) as info:
            c.client_invoice.update(id="x", client_invoice_update_request=PAID)
    assert str(info.value).startswith("PATCH /payments/client/invoice/x → 422")
    assert info.value.body == body.decode() and "<" in (info.value._repr_html_() or "")


@pytest.mark.parametrize(
    ("extra", "sent"),
    [
        (2**64, b'{"status":"Paid","note":18446744073709551616}'),
        (-(2**70), b'{"status":"Paid","note":-1180591620717411303424}'),
    ],
)
def test_an_unknown_property_beyond_64_bits_is_sent_exactly(extra: int, sent: bytes, sleeps: Sleeps) -> None:
    request = ClientInvoiceUpdateRequest.from_dict({"status": "Paid", "note": extra})
    with RawServer(reply(200, invoice_bytes())) as server, client_for(server.url, sleeps) as c:
        c.client_invoice.update(id="x", client_invoice_update_request=request)
    assert server.requests[0][2] == sent


def test_an_unknown_property_json_cannot_hold_is_refused_before_io(sleeps: Sleeps) -> None:
    request = ClientInvoiceUpdateRequest.from_dict({"status": "Paid", "note": "a\udc80b"})
    with RawServer(reply(200, invoice_bytes())) as server, client_for(server.url, sleeps) as c:
        with pytest.raises(InvalidRequestError, match="cannot be written as JSON"):
            c.client_invoice.update(id="x", client_invoice_update_request=request)
    assert server.requests == []


def test_a_huge_id_makes_a_short_message(client: Wingspan, sandbox: SandboxServer) -> None:
    huge = "i" * 100_000
    with pytest.raises(SDKError) as info:  # the sandbox's HTTP server refuses the URL: 414
        client.client_invoice.get(id=huge)
    with pytest.raises(InvalidIdError) as invalid:
        client.client_invoice.get(id=huge + " ")
    for e in (info.value, invalid.value):
        assert len(str(e)) < 1000 and "(100,000 characters)" in str(e)


# -- the shared 429 gate ---------------------------------------------------------------


def test_a_retry_after_beyond_the_cap_does_not_hold_the_gate(
    client: Wingspan, sandbox: SandboxServer, sleeps: Sleeps
) -> None:
    sandbox.fail_next(1, status=429, retry_after=3600)
    with pytest.raises(RateLimitError):
        client.client_invoice.get(id=sandbox.ids()[0])
    assert client.client_invoice.get(id=sandbox.ids()[1]).status_code == 200
    assert sleeps == []  # the next request went at once


def test_the_gate_logs_each_wait(
    client: Wingspan, sandbox: SandboxServer, sleeps: Sleeps, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="wingspan_nb")
    sandbox.fail_next(1, status=429, retry_after=3)
    client.client_invoice.get(id=sandbox.ids()[0])
    client._transport.gate.hold(5)  # as if another worker had just been refused
    client.client_invoice.get(id=sandbox.ids()[1])
    waits = [r for r in caplog.records if "waiting" in r.getMessage()]
    assert [r.levelno for r in waits] == [logging.INFO, logging.INFO]
    assert "429" in waits[0].getMessage() and sleeps[0] == pytest.approx(3, abs=0.5)


def test_a_failing_progress_callback_propagates_and_the_client_goes_on(sleeps: Sleeps) -> None:
    body = b"[" + b"1," * 100_000 + b"1]"

    def stop(n: int, total: int | None) -> None:
        raise KeyboardInterrupt

    with RawServer(reply(200, body)) as server, client_for(server.url, sleeps) as c:
        with pytest.raises(KeyboardInterrupt):
            c._transport.request("GET", "/list", on_progress=stop)
        assert c._transport.request("GET", "/list").content == body
    assert len(server.requests) == 2 and sleeps == []


# -- the headers count against the deadline too (hostile review P1 #1) ----------------------------------


def _trickle_head(pause: float, sent: list[int]) -> Handler:
    def handler(conn: socket.socket, method: str, h: dict[str, str], b: bytes) -> None:
        for byte in head(200, Content_Length=2) + b"{}":
            time.sleep(pause)  # the server's pace, well inside each socket read's timeout
            conn.sendall(bytes([byte]))
            sent.append(byte)

    return handler


@pytest.mark.parametrize("method", ["GET", "PATCH"])
def test_a_server_trickling_its_headers_cannot_hold_a_call_past_its_deadline(
    method: str, sleeps: Sleeps
) -> None:
    # About 90 bytes of status line and headers, one every 50 ms: 4.5 s in all, while no single read
    # waits longer than 0.3 s. Without a deadline on the headers the call would succeed in the end.
    sent: list[int] = []
    with (
        RawServer(_trickle_head(0.05, sent)) as server,
        client_for(server.url, sleeps, timeout=(0.3, 0.3), max_retries=0) as c,
    ):
        with pytest.raises(APITimeoutError, match="did not answer in time") as info:
            c._transport.request(method, "/slow", body=b"{}" if method == "PATCH" else None)
    e = info.value
    assert e.outcome_unknown is (method == "PATCH") and e.__context__ is None
    assert 0 < len(sent) < len(head(200, Content_Length=2))  # cut off partway through the headers


def test_the_watchdog_cuts_a_socket_opened_after_the_deadline() -> None:
    # As when the name lookup or connect outlasts the deadline: no socket yet when it passes.
    class Connecting:
        def __init__(self) -> None:
            self.looked = threading.Event()
            self.opened: socket.socket | None = None

        @property
        def sock(self) -> socket.socket | None:
            self.looked.set()
            return self.opened

    mine, peer = socket.socketpair()
    conn = Connecting()
    watch = deadline._WATCHDOG.arm(time.monotonic() - 1, conn)
    assert conn.looked.wait(10)  # the deadline has passed, and there was no socket yet
    conn.opened = mine
    peer.settimeout(10)  # only if the watchdog never cuts it
    assert peer.recv(1) == b""  # shut down: the end of the stream
    assert deadline._WATCHDOG.disarm(watch) is True
    mine.close()
    peer.close()


def test_a_disarmed_deadline_leaves_its_socket_alone() -> None:
    kept, kept_peer = socket.socketpair()
    # Armed already past and disarmed under the watchdog's lock: the watchdog cannot look at it in
    # between, however the threads are scheduled.
    with deadline._WATCHDOG._cond:
        watch = deadline._WATCHDOG.arm(time.monotonic() - 1, types.SimpleNamespace(sock=kept))
        assert deadline._WATCHDOG.disarm(watch) is False
    later, later_peer = socket.socketpair()
    deadline._WATCHDOG.arm(time.monotonic() - 0.5, types.SimpleNamespace(sock=later))
    later_peer.settimeout(10)
    assert later_peer.recv(1) == b""  # the later deadline fired, so the disarmed one was looked at
    kept.sendall(b"x")
    assert kept_peer.recv(1) == b"x"
    for s in (kept, kept_peer, later, later_peer):
        s.close()


# -- a 3xx: no follow-up request, nothing raw (hostile review P1 #2, #4) --------------------------------


@pytest.mark.parametrize("method", ["GET", "PATCH"])
def test_a_redirect_whose_location_is_not_utf8_is_an_sdk_error(method: str, sleeps: Sleeps) -> None:
    with (
        RawServer(reply(302, b"{}", Location="/x\xff")) as server,
        client_for(server.url, sleeps, max_retries=0) as c,
        pytest.raises(UnexpectedResponseError) as info,
    ):
        c._transport.request(method, "/payments/client/invoice/x", body=b"{}" if method == "PATCH" else None)
    e = info.value
    assert e.status_code == 302 and e.raw_response.headers["Location"] == "/x\xff"
    assert e.raw_response.next is None  # requests prepared no request to follow it with
    assert e.outcome_unknown is (method == "PATCH") and e.__context__ is None
    if method == "PATCH":
        assert "redirected, not answered, and may or may not have been applied" in str(e)
    assert len(server.requests) == 1


class _Raising(requests.Session):
    def __init__(self, exc: Exception) -> None:
        super().__init__()
        self.exc = exc

    def send(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        raise self.exc


@pytest.mark.parametrize(
    "exc",
    [
        UnicodeDecodeError("utf-8", b"/x\xff", 2, 3, "invalid start byte"),
        LocationParseError("/x\xff"),
        http.client.LineTooLong("header line"),
        ValueError("something odd"),
    ],
    ids=lambda e: type(e).__name__,
)
@pytest.mark.parametrize("method", ["GET", "PATCH"])
def test_an_exception_requests_lets_through_is_a_connection_error(
    exc: Exception, method: str, sleeps: Sleeps
) -> None:
    c = Wingspan(
        "a-token-of-some-length", server_url="http://127.0.0.1:9", session=_Raising(exc), max_retries=0
    )
    with pytest.raises(APIConnectionError, match=type(exc).__name__) as info:
        c._transport.request(method, "/x", body=b"{}" if method == "PATCH" else None)
    e = info.value
    assert e.outcome_unknown is (method == "PATCH") and e.__context__ is None and e.__cause__ is None
    if method == "PATCH":
        assert "may or may not have been applied" in str(e)


# -- a PATCH reply over the cap: unknown unless refused (hostile review P1 #5b) -------------------------


@pytest.mark.parametrize(
    ("status", "unknown"), [(200, True), (302, True), (502, True), (409, False), (422, False)]
)
def test_a_patch_reply_over_the_cap_is_unknown_unless_refused_and_says_so_as_a_small_one_would(
    status: int, unknown: bool, sleeps: Sleeps
) -> None:
    # The same reply, once over the cap and once under it: one decision and one sentence for both.
    page = b"<html>" + b"x" * 5000 + b"</html>"
    with (
        RawServer(reply(status, page, Content_Type="text/html")) as server,
        client_for(server.url, sleeps, max_response_bytes=1000, max_retries=0) as c,
        pytest.raises(ResponseTooLargeError) as info,
    ):
        c.client_invoice.update(id="x", client_invoice_update_request=PAID)
    with (
        RawServer(reply(status, page, Content_Type="text/html")) as server,
        client_for(server.url, sleeps, max_retries=0) as c,
        pytest.raises(errors.SDKError) as small,
    ):
        c.client_invoice.update(id="x", client_invoice_update_request=PAID)
    note = errors.unknown_outcome_note(status)
    assert info.value.outcome_unknown is small.value.outcome_unknown is unknown
    assert (note in str(info.value)) is (note in str(small.value)) is unknown
    if not unknown:
        assert "applied" not in str(info.value) and "applied" not in str(small.value)


@pytest.mark.parametrize("method", ["GET", "HEAD", "PATCH", "POST", "DELETE"])
def test_one_rule_says_whether_a_reply_leaves_the_outcome_unknown(method: str) -> None:
    for status in (200, 204, 301, 303, 400, 404, 409, 429, 499, 500, 502, 504):
        expected = method not in ("GET", "HEAD") and not 400 <= status < 500
        assert errors.outcome_unknown_after(method, status) is expected
    assert errors.SAFE_METHODS == {"GET", "HEAD"}
    assert not hasattr(transport_module, "SAFE_METHODS")  # one list of methods that change nothing


def test_a_redirects_body_is_capped_too(sleeps: Sleeps) -> None:
    bomb = gzip.compress(b"\0" * (64 * 2**20), compresslevel=9)
    with (
        RawServer(reply(302, bomb, Content_Encoding="gzip", Location="/elsewhere")) as server,
        client_for(server.url, sleeps, max_response_bytes=4 * 2**20) as c,
    ):
        tracemalloc.start()
        try:
            with pytest.raises(ResponseTooLargeError):
                c.client_invoice.get(id="x")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 16 * 2**20  # requests did not read it whole to prepare a follow-up request


# -- timeout= and retries (hostile review P1 #12) -------------------------------------------------------

BAD_TIMEOUTS = [0, -1, 0.0, float("nan"), float("inf"), 1e300, "5", (1,), (1, 2, 3), True, (1, True), (1, "2"),
                (1, float("nan")), {"connect": 1}, 10**400, (1, 10**400), Fraction(10**400, 3)]  # fmt: skip


def _short(value: Any) -> str:
    return repr(value)[:40]  # a test id, not 401 digits


@pytest.mark.parametrize("bad", [*BAD_TIMEOUTS, None], ids=_short)
def test_a_bad_timeout_is_refused_at_construction(bad: Any) -> None:
    with pytest.raises(InvalidRequestError, match=r"timeout must be seconds: a positive number such as 30"):
        Wingspan("t", server_url="http://127.0.0.1:9", timeout=bad)


def test_a_long_bad_value_is_shortened_in_the_message_and_says_so() -> None:
    with pytest.raises(InvalidRequestError) as caught:
        Wingspan("t", server_url="http://127.0.0.1:9", timeout="5" * 10_000)
    assert str(caught.value).endswith("got " + errors.shorten(repr("5" * 10_000), 80))
    assert str(caught.value).endswith("…")


@pytest.mark.parametrize("bad", BAD_TIMEOUTS, ids=_short)
def test_a_bad_timeout_per_call_is_refused_before_io(bad: Any, sleeps: Sleeps) -> None:
    with RawServer(reply(200, invoice_bytes())) as server, client_for(server.url, sleeps) as c:
        with pytest.raises(InvalidRequestError, match="timeout must be seconds"):
            c.client_invoice.get(id="x", timeout=bad)
        with pytest.raises(InvalidRequestError, match="timeout must be seconds"):
            c.client_invoice.update(id="x", client_invoice_update_request=PAID, timeout=bad)
        with pytest.raises(InvalidRequestError, match="timeout must be seconds"):
            c.client_invoice.list(timeout=bad, progress=False)
    assert server.requests == []


@pytest.mark.parametrize(
    ("good", "pair"),
    [(5, (5.0, 5.0)), (2.5, (2.5, 2.5)), ((1, 2), (1.0, 2.0)), ([1, 2], (1.0, 2.0)),
     (np.float64(3), (3.0, 3.0)), ((np.int64(1), np.float32(2)), (1.0, 2.0))],
)  # fmt: skip
def test_a_timeout_is_kept_as_a_connect_read_pair(good: Any, pair: tuple[float, float]) -> None:
    timeout = Wingspan("t", timeout=good)._transport.timeout
    assert timeout == pair and all(type(part) is float for part in timeout)


def test_a_huge_max_retries_never_overflows_the_backoff() -> None:
    assert RetryPolicy().delay(5000, rng=lambda: 1.0) == RetryPolicy().max_backoff
