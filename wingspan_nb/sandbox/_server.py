"""A local, stateful stand-in for the Wingspan client-invoice API, on 127.0.0.1.

Routes: ``GET /payments/client/invoice`` (every invoice, in a stable order), ``GET``/``PATCH
/payments/client/invoice/{id}`` and ``GET /payments/client/invoice/{id}/fees``. It answers like the real
API and a spec-driven mock of it: 401 without the bearer token, 404 for an unknown id (or an unescaped
``/`` in it), 405 for a method a route does not take, 415 for a non-JSON ``PATCH``, 400 for a body
that is not JSON (``NaN``, ``Infinity``, numbers too large for a double and nesting too deep
included), 422 (``application/problem+json`` with a ``validation`` list) for a body that breaks the
schema. A ``Content-Length`` that is not one byte count gets a 400, a chunked body a 411, a body over
``max_body_bytes`` a 413 without being read; each closes the connection. A ``PATCH`` replaces the
fields it names and moves ``updatedAt``. Faults can be injected for tests.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import secrets
import selectors
import socket
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from email.message import Message
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qs, unquote

from attrs import define, field

from .. import _clock
from .._facts import parse_timestamp
from ..errors import InvalidRequestError, WingspanError, short_id
from ..models import ClientInvoiceUpdateRequest, FeeHandlingConfig, InvoiceStatus, field_plan
from ._demo import demo_invoices, wire_timestamp

__all__ = ["Fault", "RecordedRequest", "SandboxServer"]

_LIST = "/payments/client/invoice"
_PREFIX = _LIST + "/"
_STATUSES = tuple(s.value for s in InvoiceStatus)
_PATCH_KEYS = tuple(f.wire for f in field_plan(ClientInvoiceUpdateRequest))
_FEE_KEYS = tuple(f.wire for f in field_plan(FeeHandlingConfig))
_PAGE = re.compile(r"[1-9][0-9]{0,8}")
_METHODS = ("GET", "PATCH", "POST", "PUT", "DELETE", "HEAD", "OPTIONS")
"""The methods a fault can be limited to (given in any case)."""
_SETTLE = 10.0
"""The longest release() or stop() waits for held requests to be acted on or dropped (milliseconds in
practice; the bound only keeps a bug from hanging the caller)."""


@define
class Fault:
    """A fault served instead of the normal reply."""

    kind: Literal["status", "drop", "malformed", "delay"]
    status: int = 503
    retry_after: float | None = None
    seconds: float = 0.0
    validation: list[dict[str, Any]] | None = None
    method: str | None = None
    """Only requests with this method get the fault (any request when ``None``)."""


@define
class RecordedRequest:
    """A request the sandbox received (the ``Authorization`` header is not kept)."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int = 0
    time: float = 0.0
    """``time.monotonic()`` when it arrived."""

    def json(self) -> Any:
        return json.loads(self.body)


@define(eq=False)
class SandboxServer:
    """The sandbox. ``SandboxServer().start()`` serves in a background thread; ``.url`` and ``.token``
    say where and how to connect. Use it as a context manager to stop it afterwards.

    ``invoices`` replaces the demo invoices (wire dicts with an ``invoiceId`` each); ``count`` serves
    that many varied demo invoices instead of the usual 48. ``page_size`` makes the list endpoint page
    its reply (``?page=N`` with a ``Link: <…>; rel="next"`` header), like a paged deployment would;
    by default it sends every invoice in one reply, as the API does. ``today`` (a date) fixes the day the
    demo invoices' dates are relative to, so that they are the same on any day (by default the day
    the sandbox is made); ``latency`` adds seconds before every reply. A wrong option raises
    :class:`~wingspan_nb.errors.InvalidRequestError` naming it, before anything starts.
    """

    invoices: Iterable[dict[str, Any]] | None = None
    count: int | None = None
    page_size: int | None = None
    port: int = 0
    token: str = field(factory=lambda: "sandbox-" + secrets.token_urlsafe(18))
    latency: float = 0.0
    """Seconds added before every reply."""
    today: date | None = None
    """The day the demo invoices are dated from (the day the sandbox was made, unless given)."""
    max_body_bytes: int = 1 << 20
    """A request body declared larger gets a 413 and is not read (a real ``PATCH`` body is tiny)."""
    idle_timeout: float = 60.0
    """Seconds a connection may wait for the client (a body that never comes, an idle keep-alive)
    before it is closed, so that no client can hold a handler forever."""
    requests: list[RecordedRequest] = field(factory=list, init=False)
    _store: dict[str, dict[str, Any]] = field(factory=dict, init=False)
    _initial: list[dict[str, Any]] | None = field(default=None, init=False)
    _list_body: bytes | None = field(default=None, init=False)
    _faults: deque[Fault] = field(factory=deque, init=False)
    _lock: threading.Lock = field(factory=threading.Lock, init=False)
    _holding: threading.Condition = field(factory=threading.Condition, init=False)
    """Guards the three counts below: replies held by ``delay_next``, releases and stops so far."""
    _held: int = field(default=0, init=False)
    _releases: int = field(default=0, init=False)
    _stops: int = field(default=0, init=False)
    _httpd: _HTTPServer | None = field(default=None, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)

    def __attrs_post_init__(self) -> None:
        if self.invoices is not None and self.count is not None:
            raise InvalidRequestError("Give the sandbox invoices= or count=, not both.")
        _check_whole("count", self.count, least=0, optional=True)
        _check_whole("page_size", self.page_size, least=1, optional=True)
        _check_whole("port", self.port, least=0, most=65535)
        _check_whole("max_body_bytes", self.max_body_bytes, least=0)
        _check_seconds("latency", self.latency)
        _check_seconds("idle_timeout", self.idle_timeout, positive=True)
        if not isinstance(self.token, str) or not self.token.strip() or not self.token.isprintable():
            raise InvalidRequestError(
                "token must be a non-empty string without spaces at its ends or control characters,"
                " such as 'sandbox-secret'; leave it out for a random one."
            )
        if self.today is None:
            self.today = _clock.today_utc()
        elif not isinstance(self.today, date):
            raise InvalidRequestError(
                f"today must be a date, such as datetime.date(2026, 11, 30); got {self.today!r:.80}"
            )
        if self.invoices is not None:  # kept, so that reset() can restore them
            if isinstance(self.invoices, dict | str | bytes):
                raise InvalidRequestError(
                    "invoices must be a list of invoice dicts (wire form, each with an 'invoiceId'),"
                    f" not a {type(self.invoices).__name__}."
                )
            self._initial = [_copy(inv) for inv in self.invoices]
            if not all(
                isinstance(inv, dict) and isinstance(inv.get("invoiceId"), str) for inv in self._initial
            ):
                raise InvalidRequestError(
                    "invoices must be a list of invoice dicts (wire form), each with an 'invoiceId' string."
                )
        self.invoices = None
        self.reset()

    # -- state -------------------------------------------------------------------------------------

    def reset(self, invoices: Iterable[dict[str, Any]] | None = None) -> None:
        """Restore the invoices, clear faults and the request log.

        Without ``invoices``, the sandbox goes back to the invoices it was made with: its own
        ``invoices=``, or the ``count=`` (by default 48) demo ones.
        """
        if invoices is not None:
            store = {inv["invoiceId"]: _copy(inv) for inv in invoices}
        elif self._initial is not None:
            store = {inv["invoiceId"]: _copy(inv) for inv in self._initial}
        else:  # freshly made: nobody else holds them, no copy needed
            demo = demo_invoices(48 if self.count is None else self.count, today=self.today)
            store = {inv["invoiceId"]: inv for inv in demo}
        with self._lock:
            self._store = store
            self._list_body = None
            self._faults.clear()
            self.requests.clear()

    def invoice(self, id: str) -> dict[str, Any]:
        """A copy of the stored invoice ``id`` (what a ``GET`` would return)."""
        with self._lock:
            return _copy(self._store[id])

    def ids(self) -> list[str]:
        """The ids of the stored invoices, in insertion order."""
        with self._lock:
            return list(self._store)

    def put(self, invoice: dict[str, Any]) -> None:
        """Add or replace an invoice (as if someone else changed it on the server)."""
        with self._lock:
            self._store[invoice["invoiceId"]] = _copy(invoice)
            self._list_body = None

    # -- faults ------------------------------------------------------------------------------------

    def fail_next(
        self,
        n: int = 1,
        *,
        status: int = 503,
        retry_after: float | None = None,
        validation: list[dict[str, Any]] | None = None,
        method: str | None = None,
    ) -> None:
        """The next ``n`` requests (of ``method``, if given) get ``status`` instead of a reply, with
        ``Retry-After`` if given.

        ``validation`` is a problem+json ``validation`` list for the body, e.g.
        ``[{"location": ["body", "status"], "message": "cannot go back to Draft"}]`` with status 422.
        """
        self._queue(
            n, Fault("status", status=status, retry_after=retry_after, validation=validation, method=method)
        )

    def drop_next(self, n: int = 1, *, method: str | None = None) -> None:
        """The next ``n`` requests (of ``method``, if given) get their connection closed with no reply."""
        self._queue(n, Fault("drop", method=method))

    def malformed_next(self, n: int = 1, *, method: str | None = None) -> None:
        """The next ``n`` requests (of ``method``, if given) get a 200 whose JSON body is cut off."""
        self._queue(n, Fault("malformed", method=method))

    def delay_next(self, seconds: float, n: int = 1, *, method: str | None = None) -> None:
        """The next ``n`` requests (of ``method``, if given) are held ``seconds`` before the sandbox
        acts on them and replies (longer than a client's read timeout, say).

        A held request costs nothing while it waits: :meth:`release` lets it go at once, and
        :meth:`stop` drops it unanswered and not acted on, so a test can hold one for an hour.
        ``seconds`` is a finite or infinite number, 0 or more; one past what a wait can take (``1e12``,
        ``float("inf")``) holds the request until released or stopped.
        """
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or math.isnan(seconds)
            or seconds < 0
        ):
            raise InvalidRequestError(
                f"seconds must be a number, 0 or more (inf: until released), got {seconds!r}"
            )
        self._queue(n, Fault("delay", seconds=float(seconds), method=method))

    def release(self) -> None:
        """Let every request held by :meth:`delay_next` go now; returns once the sandbox has acted on
        them (a held ``PATCH`` is applied by then), so what it serves next reflects them."""
        with self._holding:
            self._releases += 1
            self._holding.notify_all()
            self._holding.wait_for(lambda: self._held == 0, timeout=_SETTLE)

    @contextlib.contextmanager
    def _hold(self, seconds: float) -> Iterator[bool]:
        """Hold a request for up to ``seconds``, or until released or stopped; ``True`` to act on it
        (``False``: the sandbox stopped). The hold ends when the block does, after acting."""
        with self._holding:
            releases, stops = self._releases, self._stops
            self._held += 1
            self._holding.notify_all()  # whoever waits for a request to be held (a test) may go on
        try:
            with self._holding:
                self._holding.wait_for(
                    lambda: (self._releases, self._stops) != (releases, stops),
                    timeout=seconds if seconds <= threading.TIMEOUT_MAX else None,
                )
                go = self._stops == stops
            yield go
        finally:
            with self._holding:
                self._held -= 1
                self._holding.notify_all()

    def _queue(self, n: int, fault: Fault) -> None:
        if fault.method is not None:
            method = fault.method.upper() if isinstance(fault.method, str) else fault.method
            if method not in _METHODS:
                raise InvalidRequestError(
                    f"method must be one of {', '.join(_METHODS)} (or None for any), got {fault.method!r}"
                )
            fault.method = method
        with self._lock:
            self._faults.extend([fault] * n)

    def _next_fault(self, method: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.method in (None, method):
                    self._faults.remove(fault)
                    return fault
            return None

    # -- serving -----------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321``."""
        if self._httpd is None:
            raise WingspanError("the sandbox is not running; call start() first")
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self) -> SandboxServer:
        """Serve in a daemon thread; returns self."""
        if self._httpd is None:
            self._httpd = _HTTPServer(("127.0.0.1", self.port), _Handler, self)
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, name="wingspan-sandbox", daemon=True
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted."""
        self.start()
        assert self._thread is not None
        try:
            while self._thread.is_alive():
                self._thread.join(0.5)
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop serving and free the port; requests held by :meth:`delay_next` are dropped unanswered."""
        with self._holding:
            self._stops += 1
            self._holding.notify_all()
            self._holding.wait_for(lambda: self._held == 0, timeout=_SETTLE)
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.close_connections()
            self._httpd.server_close()
            self._httpd = None
            self._thread = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.url if self._httpd is not None else "stopped"
        return f"<SandboxServer {where}, {len(self._store)} invoices>"

    # -- the API -----------------------------------------------------------------------------------

    def _handle(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        if headers.get("authorization") != f"Bearer {self.token}":
            return _problem(
                401, "Unauthorized", "A valid bearer token is required in the Authorization header."
            )
        raw, _, query = path.partition("?")
        if raw == _LIST:
            return _only(method, "GET") or self._list(query)
        rest = raw[len(_PREFIX) :] if raw.startswith(_PREFIX) else ""
        fees = rest.endswith("/fees")
        if fees:
            rest = rest[: -len("/fees")]
        if not rest or "/" in rest:
            return _problem(404, "Not Found", f"No route for {method} {raw}.")
        invoice_id = unquote(rest)
        refused = _only(method, "GET") if fees else _only(method, "GET", "PATCH")
        if refused:
            return refused
        with self._lock:
            invoice = self._store.get(invoice_id)
            if invoice is None:
                return _problem(404, "Not Found", f"Invoice {invoice_id!r} was not found.")
            if fees:
                return _json(200, {"creditFeeTotal": credit_fee_total(invoice)})
            if method == "GET":
                return _json(200, invoice)
            media = headers.get("content-type", "").split(";")[0].strip().lower()
            if media != "application/json":
                return _problem(415, "Unsupported Media Type", "Send the body as application/json.")
            try:
                patch = json.loads(
                    body, parse_constant=_non_finite, parse_float=_finite_number, parse_int=_finite_int
                )
            except ValueError as e:
                return _problem(400, "Bad Request", f"The body is not valid JSON: {e}.")
            except RecursionError:
                return _problem(400, "Bad Request", "The body is not valid JSON: it is nested too deeply.")
            problems = _validate_patch(patch)
            if problems:
                return _problem(
                    422,
                    "Unprocessable Entity",
                    "The body does not match ClientInvoiceUpdateRequest.",
                    problems,
                )
            # Made whole on a copy and stored last: a request that fails half-way changes nothing.
            updated = dict(invoice)
            if patch.get("status") is not None:
                updated["status"] = patch["status"]
            if "creditFeeHandling" in patch:
                updated["creditFeeHandling"] = patch["creditFeeHandling"]
            updated["updatedAt"] = _later_than(invoice.get("updatedAt"))
            reply = _json(200, updated)
            self._store[invoice_id] = updated
            self._list_body = None
            return reply

    def _list(self, query: str) -> tuple[int, dict[str, str], bytes]:
        with self._lock:
            if self.page_size is None:
                if self._list_body is None:  # 10,000 invoices take a second to encode: once per state
                    self._list_body = _encode(list(self._store.values()))
                return 200, {"Content-Type": "application/json"}, self._list_body
            pages = parse_qs(query).get("page", ["1"])
            page = int(pages[0]) if _PAGE.fullmatch(pages[0]) else 0
            if not page:
                shown = short_id(pages[0])
                return _problem(400, "Bad Request", f"page must be a number from 1, got {shown!r}.")
            invoices = list(self._store.values())
            chunk = invoices[(page - 1) * self.page_size : page * self.page_size]
            status, headers, body = 200, {"Content-Type": "application/json"}, _encode(chunk)
            if page * self.page_size < len(invoices):
                headers["Link"] = f'<{_LIST}?page={page + 1}>; rel="next"'
            return status, headers, body


def _check_whole(
    name: str, value: object, *, least: int, most: int | None = None, optional: bool = False
) -> None:
    if value is None and optional:
        return
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and least <= value
        and (most is None or value <= most)
    ):
        return
    bound = f"from {least} to {most:,}" if most is not None else f"of at least {least}"
    raise InvalidRequestError(
        f"{name} must be a whole number {bound}, such as {least + 2}; got {value!r:.80}"
    )


def _check_seconds(name: str, value: object, *, positive: bool = False) -> None:
    if (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and math.isfinite(value)
        and (value > 0 if positive else value >= 0)
    ):
        return
    bound = "more than 0" if positive else "0 or more"
    raise InvalidRequestError(f"{name} must be a number of seconds, {bound}, such as 0.5; got {value!r:.80}")


def _handled(
    sandbox: SandboxServer, method: str, path: str, headers: dict[str, str], body: bytes
) -> tuple[int, dict[str, str], bytes]:
    """The API's reply, or a 500 problem+json for a request the sandbox cannot handle (an invoice
    given to it in a shape it does not expect, say); such a request has changed nothing."""
    try:
        return sandbox._handle(method, path, headers, body)
    except Exception as e:  # every request gets a reply; the store is untouched
        return _problem(
            500,
            "Internal Server Error",
            f"The sandbox could not handle {method} {short_id(path)} ({type(e).__name__}: {short_id(str(e))});"
            " nothing was changed.",
        )


def credit_fee_total(invoice: dict[str, Any]) -> float:
    """The sandbox's fee rule, deterministic: a card payment of the whole amount costs 2.9 % plus
    0.30, rounded to the cent."""
    amount = invoice.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        return 0.0
    return round(amount * 0.029 + 0.30, 2)


def _only(method: str, *allowed: str) -> tuple[int, dict[str, str], bytes] | None:
    """A 405 when a route does not take ``method``, else ``None``."""
    if method in allowed:
        return None
    status, headers, body = _problem(
        405, "Method Not Allowed", f"{method} is not supported here; use {' or '.join(allowed)}."
    )
    headers["Allow"] = ", ".join(allowed)
    return status, headers, body


def _body_length(headers: Message, limit: int) -> tuple[int, tuple[int, dict[str, str], bytes] | None]:
    """The declared body length, or the reply refusing a body whose length is unknown or too large."""
    if headers.get("Transfer-Encoding") is not None:
        return 0, _problem(411, "Length Required", "Send the body with a Content-Length, not chunked.")
    declared = {v.strip() for v in headers.get_all("Content-Length") or []}
    if not declared:
        return 0, None
    text = declared.pop()
    if declared or not (text.isascii() and text.isdigit()):
        shown = ", ".join(sorted({text, *declared}))
        return 0, _problem(
            400, "Bad Request", f"Content-Length must be one whole number of bytes, got {short_id(shown)}."
        )
    length = int(text) if len(text) <= 18 else limit + 1
    if length > limit:
        return 0, _problem(
            413,
            "Content Too Large",
            f"The body is {short_id(text)} bytes; this server takes at most {limit:,}.",
        )
    return length, None


def _non_finite(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{short_id(text)} is out of range for a number")
    return value


def _finite_int(text: str) -> int:
    # A number the API stores as a double: an integer past 1.8e308 would be stored and then served
    # as infinity, which no JSON reader takes. Checked as a float first, which is also cheap for
    # thousands of digits (int() of those is quadratic, and refused past 4,300 digits anyway).
    _finite_number(text)
    return int(text)


def _copy(doc: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of a JSON document (several times faster than ``copy.deepcopy`` at 10,000)."""
    copied: dict[str, Any] = json.loads(json.dumps(doc))
    return copied


def _encode(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def _validate_patch(patch: Any) -> list[dict[str, Any]]:
    if not isinstance(patch, dict):
        return [{"location": ["body"], "message": "must be an object"}]
    problems = []
    for key in patch:
        if key not in _PATCH_KEYS:
            problems.append({"location": ["body", key], "message": "is not a known property"})
    status = patch.get("status")
    if status is not None and status not in _STATUSES:
        problems.append(
            {"location": ["body", "status"], "message": f"must be one of {', '.join(_STATUSES)} or null"}
        )
    fees = patch.get("creditFeeHandling")
    if fees is not None:
        if not isinstance(fees, dict):
            problems.append(
                {"location": ["body", "creditFeeHandling"], "message": "must be an object or null"}
            )
        else:
            for key, value in fees.items():
                if key not in _FEE_KEYS:
                    problems.append(
                        {"location": ["body", "creditFeeHandling", key], "message": "is not a known property"}
                    )
                elif value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                    problems.append(
                        {
                            "location": ["body", "creditFeeHandling", key],
                            "message": "must be a number or null",
                        }
                    )
    return problems


def _later_than(previous: object) -> str:
    """A new ``updatedAt``: now, or a millisecond after ``previous`` if the clock has not moved past it
    (an invoice given without one, or with one that is not a timestamp, gets now)."""
    now = _clock.utc_now()
    before = parse_timestamp(previous)
    if before is not None and now <= before:
        now = before + timedelta(milliseconds=1)
    return wire_timestamp(now)


def _json(status: int, data: Any) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json"}, _encode(data)


def _problem(
    status: int, title: str, detail: str, validation: list[dict[str, Any]] | None = None
) -> tuple[int, dict[str, str], bytes]:
    doc: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if validation is not None:
        doc["validation"] = validation
    return status, {"Content-Type": "application/problem+json"}, json.dumps(doc).encode()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    timeout = 0.0
    """handle_request() is called once the socket is readable: it never waits for a connection."""

    def __init__(
        self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], sandbox: SandboxServer
    ) -> None:
        self.sandbox = sandbox
        self.connections: set[socket.socket] = set()
        self._wake, self._waker = socket.socketpair()
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        super().__init__(address, handler)

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Serve until :meth:`shutdown`, which wakes the wait at once: socketserver's own loop sees a
        shutdown only when its poll interval is over, and every stop waited that long."""
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(self, selectors.EVENT_READ)
                selector.register(self._wake, selectors.EVENT_READ)
                while not self._stopping.is_set():
                    ready = selector.select()
                    if self._stopping.is_set():
                        break
                    if any(key.fileobj is self for key, _ in ready):
                        self.handle_request()  # the socket is readable: accepts without waiting
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop :meth:`serve_forever` (running in another thread) and return once it has."""
        self._stopping.set()
        self._waker.send(b"\0")
        self._stopped.wait()

    def server_close(self) -> None:
        super().server_close()
        self._wake.close()
        self._waker.close()

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        self.connections.add(request)
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.connections.discard(request)

    def close_connections(self) -> None:
        """End keep-alive connections too: a stopped sandbox answers nothing, like a stopped server."""
        for conn in list(self.connections):
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (a timeout test, an interrupted cell) is normal here, not an error.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "wingspan-sandbox"
    # Headers and body go out in two writes; with Nagle's algorithm the second waits for the
    # client's delayed ACK, which made every reply about 40 ms late.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests and notebooks read stdout
        pass

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.sandbox.idle_timeout)

    def handle_expect_100(self) -> bool:
        # A body that will be refused is not invited: the refusal goes out instead of "100 Continue".
        if _body_length(self.headers, self.server.sandbox.max_body_bytes)[1] is not None:
            return True
        return super().handle_expect_100()

    def _serve(self) -> None:
        sandbox = self.server.sandbox
        length, refused = _body_length(self.headers, sandbox.max_body_bytes)
        body = b""
        if refused is None and length:
            try:
                body = self.rfile.read(length)
            except TimeoutError:
                self.close_connection = True
                return
            if len(body) < length:
                refused = _problem(400, "Bad Request", "The body ended before its Content-Length.")
        headers = {k.lower(): v for k, v in self.headers.items()}
        record = RecordedRequest(
            self.command,
            self.path,
            {k: v for k, v in headers.items() if k != "authorization"},
            body,
            time=time.monotonic(),
        )
        sandbox.requests.append(record)
        if refused is not None:  # the body's end is unknown, or it was not read: this connection is done
            status, extra, payload = refused
            record.status = status
            self._reply(status, {**extra, "Connection": "close"}, payload)
            self.close_connection = True
            return
        if sandbox.latency:
            time.sleep(sandbox.latency)
        fault = sandbox._next_fault(self.command)
        if fault is not None and fault.kind == "delay":
            with sandbox._hold(fault.seconds) as go:
                if go:
                    status, extra, payload = _handled(sandbox, self.command, self.path, headers, body)
                    record.status = status
            if go:
                self._reply(status, extra, payload)
            else:
                self._drop(record)
            return
        if fault is not None and fault.kind == "drop":
            self._drop(record)
            return
        if fault is not None and fault.kind == "status":
            status, extra, payload = _problem(
                fault.status, HTTPStatus(fault.status).phrase, "Injected fault.", fault.validation
            )
            if fault.retry_after is not None:
                extra["Retry-After"] = f"{fault.retry_after:g}"
        else:
            status, extra, payload = _handled(sandbox, self.command, self.path, headers, body)
            if fault is not None and fault.kind == "malformed" and status == 200:
                payload = payload[: len(payload) // 2]
        record.status = status
        self._reply(status, extra, payload)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Every error the HTTP layer answers before the API sees the request (a malformed request
        line, a URI or header line too long, too many headers) as problem+json, like the API's own,
        instead of http.server's HTML page; the connection closes, since where the request ends is
        not known."""
        try:
            title = HTTPStatus(code).phrase
        except ValueError:
            title = "Error"
        if self.request_version in ("", "HTTP/0.9"):
            # No usable request line was read: answer as an HTTP/1.1 server does, with a status line
            # and headers (http.server would send a bare HTML body).
            self.request_version = self.protocol_version
        detail = " ".join(part for part in (message, explain) if part) or title
        if len(detail) > 300:  # the message may quote a 64 KB request line
            detail = detail[:300] + "…"
        status, headers, payload = _problem(code, title, detail)
        self.close_connection = True
        self._reply(status, {**headers, "Connection": "close"}, payload)

    def _drop(self, record: RecordedRequest) -> None:
        """Close the connection without a reply."""
        record.status = -1
        self.close_connection = True
        with contextlib.suppress(OSError):  # the sandbox's stop() may have shut it down already
            self.connection.shutdown(socket.SHUT_RDWR)

    def _reply(self, status: int, headers: dict[str, str], payload: bytes) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if (
            self.command != "HEAD"
        ):  # a HEAD reply has no body, or a keep-alive client reads it as the next reply
            self.wfile.write(payload)

    def __getattr__(self, name: str) -> Any:
        # Every method reaches the API (which answers 405 problem+json where a route does not take
        # it), instead of the stdlib's HTML 501 for a method without a do_ handler.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)
