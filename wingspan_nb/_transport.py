"""Where requests are sent: one ``requests.Session``, bearer auth, timeouts, retries, error mapping.

Each failed attempt is classified as one :class:`Failure`, and :func:`should_retry` decides from the
method and that failure alone (the API documents no idempotency):

* ``GET`` is retried on every failure except a final answer (4xx other than 429, a reply too large).
* ``PATCH`` is retried only when the request provably never reached the server
  (:attr:`Failure.NOT_SENT`: connection refused, DNS failure, connect timeout) or the server answered
  429 (it did not process it). After anything else its outcome is unknown, and the error says so
  (``outcome_unknown``).
* Waits are jittered exponential backoff, capped; a ``Retry-After`` is honoured up to a cap, beyond
  which the :class:`~wingspan_nb.errors.RateLimitError` is raised at once instead of sleeping.

The body is read here, in chunks, so that the read timeout bounds the whole reply (a deadline, not
each socket read), the decompressed size is capped, and progress can be reported; the status line
and headers are held to the same deadline by :mod:`wingspan_nb._deadline`.
"""

from __future__ import annotations

import enum
import http.client
import io
import json
import logging
import math
import numbers
import random
import re
import socket
import threading
import time
from collections.abc import Callable, MutableMapping
from typing import Any, ClassVar, Final

import requests
import urllib3
from attrs import define, field
from urllib3.exceptions import (
    ConnectTimeoutError,
    DecodeError,
    HTTPError,
    MaxRetryError,
    NewConnectionError,
    ReadTimeoutError,
)

from . import errors
from ._deadline import DeadlineAdapter, cut_at, headers_by
from ._version import __version__

__all__ = [
    "BearerAuth",
    "Failure",
    "Gate",
    "Progress",
    "RetryPolicy",
    "Timeout",
    "Transport",
    "checked_timeout",
    "new_session",
    "should_retry",
]

log = logging.getLogger("wingspan_nb")

Timeout = float | tuple[float, float]
"""Seconds: one number for connect and read, or ``(connect, read)``."""

MAX_TIMEOUT: Final = 86_400.0
"""The longest timeout accepted, in seconds (a day): a larger number cannot be a deliberate limit."""


def checked_timeout(value: object) -> tuple[float, float]:
    """``value`` (seconds, or ``(connect, read)``) as a ``(connect, read)`` pair of floats; anything
    else raises :class:`~wingspan_nb.errors.InvalidRequestError`, before any I/O."""
    parts = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(parts) == 2 and all(_is_seconds(part) for part in parts):
        return float(parts[0]), float(parts[1])
    raise errors.InvalidRequestError(
        f"timeout must be seconds: a positive number such as 30, or a (connect, read) pair such as "
        f"(5, 30), each at most {MAX_TIMEOUT:,.0f}; got {errors.shorten(repr(value), 80)}"
    )


def _is_seconds(value: object) -> bool:
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        return False
    try:
        seconds = float(value)
    except OverflowError:  # an int or Fraction beyond any float: far beyond MAX_TIMEOUT too
        return False
    return math.isfinite(seconds) and 0 < seconds <= MAX_TIMEOUT


Progress = Callable[[int, int | None], None]
"""Called as a reply arrives with (bytes read so far, ``Content-Length`` or ``None``)."""

REDACTED: Final = "Bearer [REDACTED]"
USER_AGENT: Final = f"wingspan_nb/{__version__} python-requests/{requests.__version__}"
MAX_RESPONSE_BYTES: Final = 1 << 30
"""The default cap on a decompressed reply: 1 GiB, about seven times a 10,000-invoice list."""
_CHUNK: Final = 1 << 16
_MIN_SECRET: Final = 8
"""Shorter tokens are scrubbed from replies only as ``Bearer <token>``: replacing a 3-letter word
everywhere would corrupt the data."""


class BearerAuth(requests.auth.AuthBase):
    """Adds ``Authorization: Bearer <token>`` to each request.

    Applied per request (not as a session header) so that a ``~/.netrc`` entry cannot replace it;
    its repr never shows the token. Surrounding white space (a token read from a file) is stripped;
    a token that cannot go in a header raises :class:`~wingspan_nb.errors.InvalidRequestError`
    (without showing it).
    """

    def __init__(self, token: str) -> None:
        if not isinstance(token, str):
            raise errors.InvalidRequestError(
                f"The API token must be a str, got {type(token).__name__}; decode it first."
            )
        token = token.strip()
        problem = _header_problem(token)
        if problem:
            raise errors.InvalidRequestError(
                f"The API token cannot be sent in an HTTP header: it {problem}. Check where it was "
                "read from (a copied token may carry an invisible character); the token is not shown."
            )
        self._token = token
        written = sorted(_written_forms(token), key=len, reverse=True)
        spelled = _any_spelling(token)
        # A long token is replaced wherever it appears (``Bearer <token>`` then reads
        # ``Bearer [REDACTED]``); a short one only after ``Bearer``, in any case.
        self._secrets = tuple(written) if len(token) >= _MIN_SECRET else ()
        self._spelled = re.compile(spelled)
        # A space percent-encoded too: a gateway that logs the header URL-encoded writes "Bearer%20…".
        self._after_bearer = re.compile(rb"(?i:bearer)(?:\s|%20)+" + spelled)
        # A spelling other than those written above holds a JSON escape of one of the token's own
        # characters: ``\uXXXX`` of one of them, or ``\"``, ``\\`` or ``\/`` for a token holding that
        # character. Looked for first, so that a reply escaping other characters (``\u00e9``, as
        # most JSON encoders write "é") does not pay for the whole pattern.
        codes = sorted({_any_case_hex(b"%04x" % ord(ch)) for ch in token})
        marks = [rb"\\u(?:" + b"|".join(codes) + rb")"]
        marks += [re.escape(b"\\" + ch.encode()) for ch in '"\\/' if ch in token]
        self._json_escape = re.compile(b"|".join(marks))
        # A percent-encoded spelling holds a %XX of one of the token's bytes: found four times
        # faster than the whole pattern, which then runs only where one is.
        hexes = sorted({b"%02x" % b for ch in token for enc in ("utf-8", "latin-1") for b in ch.encode(enc)})
        self._percent_escape = re.compile(rb"%(?:" + b"|".join(hexes) + rb")", re.IGNORECASE)

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Bearer {self._token}"
        return r

    def scrub(self, data: bytes) -> bytes:
        """``data`` with the token replaced by ``[REDACTED]``, however the server wrote it: raw
        (UTF-8 or Latin-1), inside a JSON string with any of its characters escaped (``\\u002b``
        for ``+``, in either case), so that no string of the decoded JSON holds it, or with any of its
        characters percent-encoded (``%2B``, ``%2b``: a URL, or a gateway logging the header), so that
        no URL decoded from it holds it."""
        if not self._secrets:
            return self._after_bearer.sub(_unless_escaped(REDACTED.encode()), data)
        for secret in self._secrets:  # the usual spellings, found by a fast search
            if secret in data:
                data = data.replace(secret, b"[REDACTED]")
        # A backslash or a percent sign is looked for first (memchr, several times faster than a
        # 2-byte search): without either, no other spelling can be there.
        escaped = b"\\" in data and self._json_escape.search(data) is not None
        if escaped or (b"%" in data and self._percent_escape.search(data)):
            data = self._spelled.sub(_unless_escaped(b"[REDACTED]"), data)
        return data

    def is_in_url(self, url: str) -> bool:
        """Whether ``url`` holds the token in any spelling (percent-encoded, partly or wholly, too);
        one shorter than a secret scrubbed everywhere only as a whole path segment (``abc`` may be a
        word)."""
        data = url.encode("utf-8", "replace")
        if self._secrets:
            return self._spelled.search(data) is not None
        return any(self._spelled.fullmatch(segment) for segment in data.split(b"/")[3:])

    def __repr__(self) -> str:
        return "BearerAuth(token=***)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BearerAuth) and other._token == self._token

    __hash__: ClassVar[None]  # type: ignore[assignment]  # equal tokens compare equal; not hashable


def _any_spelling(token: str) -> bytes:
    """A pattern matching every spelling of ``token`` in JSON text, a URL or raw bytes: each character
    raw (UTF-8 or Latin-1), as a JSON escape (``\\uXXXX`` in any case; ``\\"``, ``\\\\`` or ``\\/``) or
    percent-encoded (each byte of its UTF-8 or Latin-1 as ``%XX``, in any case)."""
    parts = []
    for ch in token:
        forms = {re.escape(ch.encode("utf-8")), re.escape(ch.encode("latin-1"))}
        forms.add(rb"\\u" + _any_case_hex(b"%04x" % ord(ch)))
        for encoding in ("utf-8", "latin-1"):
            forms.add(b"".join(b"%" + _any_case_hex(b"%02x" % byte) for byte in ch.encode(encoding)))
        if ch in '"\\/':
            forms.add(re.escape(b"\\" + ch.encode()))
        parts.append(b"(?:" + b"|".join(sorted(forms)) + b")")
    return b"".join(parts)


def _any_case_hex(digits: bytes) -> bytes:
    """A pattern matching the hex ``digits`` in upper or lower case."""
    return b"".join(b"[%s%s]" % (d.lower(), d.upper()) for d in re.findall(rb".", digits))


def _unless_escaped(replacement: bytes) -> Callable[[re.Match[bytes]], bytes]:
    """A replacement for ``re.sub`` that leaves a match alone when an odd number of backslashes
    precedes it: its first character is then the tail of an escape (``\\\\u002b`` is the text
    ``\\u002b``, not a ``+``)."""

    def replace(match: re.Match[bytes]) -> bytes:
        data, start = match.string, match.start()
        at = start
        while at > 0 and data[at - 1] == 0x5C:  # a backslash
            at -= 1
        return match[0] if (start - at) % 2 else replacement

    return replace


def _written_forms(token: str) -> set[bytes]:
    """The bytes a server may write for ``token``: raw (UTF-8 or Latin-1), or escaped inside a JSON
    string as encoders write it (a non-ASCII character as UTF-8 or a ``u`` escape in either case,
    the quote and backslash escaped, ``/`` escaped or not)."""
    forms = {token.encode("utf-8"), token.encode("latin-1")}
    for ascii_only in (True, False):
        escaped = json.dumps(token, ensure_ascii=ascii_only)[1:-1]
        upper = re.sub(r"\\u[0-9a-f]{4}", lambda m: "\\u" + m[0][2:].upper(), escaped)
        for text in (escaped, upper):
            forms |= {text.encode("utf-8"), text.replace("/", "\\/").encode("utf-8")}
    return forms


def _header_problem(token: str) -> str | None:
    if not token:
        return "is empty"
    for i, ch in enumerate(token):
        if ord(ch) < 0x20 or ord(ch) == 0x7F:
            return f"contains a control character (U+{ord(ch):04X}) at position {i}"
        if ord(ch) > 0xFF:
            return f"contains a character that is not Latin-1 (U+{ord(ch):04X}) at position {i}"
    return None


@define(frozen=True)
class RetryPolicy:
    """How often and how long to retry. ``max_retries=0`` turns retries off."""

    max_retries: int = 2
    backoff: float = 0.5
    """First wait in seconds; doubles each retry, with jitter (50-100 % of the value)."""
    max_backoff: float = 8.0
    max_retry_after: float = 60.0
    """The longest ``Retry-After`` this client will sleep for; longer ones raise at once."""

    def delay(self, attempt: int, rng: Callable[[], float] = random.random) -> float:
        base = min(self.max_backoff, self.backoff * 2.0 ** min(attempt, 64))  # 2.0**1024 overflows
        return base * (0.5 + rng() / 2)


class Failure(enum.Enum):
    """How an attempt failed, as far as retrying is concerned."""

    UNSENDABLE = "unsendable"
    """The request could not be built (an invalid URL or header): nothing was sent, and never will be."""
    NOT_SENT = "not sent"
    """No byte of the request reached the server: connection refused, DNS failure, connect timeout."""
    NO_REPLY = "no reply"
    """Sent, then the connection broke before a complete reply (reset, closed, cut off mid-body)."""
    TIMED_OUT = "timed out"
    """Sent, and the whole reply did not arrive within the read timeout."""
    RATE_LIMITED = "429"
    """The server refused to process it (429)."""
    SERVER_ERROR = "5xx"
    """The server failed while processing it; it may have acted."""
    ANSWERED = "answered"
    """A final answer (4xx other than 429, 3xx, another status), or a reply too large to read."""


def should_retry(method: str, failure: Failure) -> bool:
    """Whether an attempt that failed so may be sent again (retries left permitting).

    Only a request the server provably did not act on may be repeated when the method is not safe.
    """
    if failure in (Failure.NOT_SENT, Failure.RATE_LIMITED):
        return True
    if failure in (Failure.NO_REPLY, Failure.TIMED_OUT, Failure.SERVER_ERROR):
        return method in errors.SAFE_METHODS
    return False


_UNPLACED: Final = (urllib3.exceptions.HTTPError, http.client.HTTPException, ValueError, OSError)
"""What requests or urllib3 may let through unwrapped while sending or reading the headers (a
``UnicodeDecodeError``, a ``LocationParseError``): when is not known, so the request may have been sent."""

_UNSENDABLE: Final = (
    requests.exceptions.InvalidURL,
    requests.exceptions.InvalidSchema,
    requests.exceptions.MissingSchema,
    requests.exceptions.URLRequired,
)
"""What ``Session.send`` raises only before it opens a connection (no adapter for the scheme, a URL
urllib3 cannot address). Not ``InvalidHeader``: once the request is prepared, that one is about the
reply (two different ``Content-Length`` headers), so the request was sent."""


def classify_send_error(exc: requests.RequestException) -> Failure:
    """The failure of ``Session.send`` (which raises before any of the body is read) for a request
    that was prepared: only a failure to connect, or to find how to connect, sent nothing."""
    if isinstance(exc, _UNSENDABLE):
        return Failure.UNSENDABLE
    if isinstance(exc, requests.ConnectTimeout):
        return Failure.NOT_SENT
    if isinstance(exc, requests.Timeout):
        return Failure.TIMED_OUT
    cause = exc.args[0] if exc.args else None
    reason = cause.reason if isinstance(cause, MaxRetryError) else cause
    # urllib3 raises NewConnectionError (refused, DNS failure: NameResolutionError is one) and
    # ConnectTimeoutError while opening the connection, before any byte of the request is written.
    # NewConnectionError happens to subclass ConnectTimeoutError today; both are named so that the
    # rule does not rest on that.
    if isinstance(reason, (NewConnectionError, ConnectTimeoutError)):
        return Failure.NOT_SENT
    return Failure.NO_REPLY


_STATUS_ERRORS: Final[dict[int, type[errors.SDKError]]] = {
    400: errors.BadRequestError,
    401: errors.AuthenticationError,
    403: errors.PermissionDeniedError,
    404: errors.NotFoundError,
    409: errors.ConflictError,
    422: errors.UnprocessableEntityError,
    429: errors.RateLimitError,
}


def error_for(response: requests.Response) -> errors.SDKError:
    """The typed error for a reply that is not a 2xx."""
    status = response.status_code
    cls = _STATUS_ERRORS.get(status)
    if cls is None:
        cls = errors.ServerError if status >= 500 else errors.UnexpectedResponseError
    return cls(raw_response=response)


def _status_failure(status: int) -> Failure:
    if status == 429:
        return Failure.RATE_LIMITED
    return Failure.SERVER_ERROR if status >= 500 else Failure.ANSWERED


class Gate:
    """Shared backoff: a 429 on any request holds back every request of the client (all the workers
    of a ``get_many``, say) until the server's wait is over, not only the one that was refused."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._open_at = 0.0

    def hold(self, seconds: float) -> None:
        with self._lock:
            self._open_at = max(self._open_at, self._clock() + seconds)

    def wait(self, sleep: Callable[[float], None]) -> None:
        while True:
            with self._lock:
                until = self._open_at
                remaining = until - self._clock()
            if remaining <= 0:
                return
            log.info("The server asked to slow down (429): waiting %.2f s before the next request", remaining)
            sleep(remaining)
            with self._lock:
                if self._open_at <= until:  # nobody was refused meanwhile: the wait is over
                    return


def new_session() -> requests.Session:
    """The session a client makes when it is not given one: with enough pooled connections for each
    of a ``get_many``'s workers to keep one, and a :class:`~wingspan_nb.DeadlineAdapter` so
    that the timeout bounds the headers too (a session you pass in is used as it is)."""
    session = requests.Session()
    adapter = DeadlineAdapter(pool_connections=4, pool_maxsize=32)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


@define
class _Failed:
    """A failed attempt: how it failed (for the retry decision) and the error to raise."""

    failure: Failure
    error: errors.WingspanError
    retry_after: float | None = None


class _Cut(Exception):
    """Reading the body stopped early: ``failure`` for the retry decision, ``happened`` for the
    message."""

    def __init__(self, failure: Failure, happened: str) -> None:
        self.failure = failure
        self.happened = happened


class _TooLarge(Exception):
    pass


@define
class Transport:
    """Sends one API request, retrying per :class:`RetryPolicy`, and returns a 2xx reply or raises."""

    base_url: str
    auth: BearerAuth | None = field(repr=False)
    timeout: tuple[float, float] = field(default=(5.0, 30.0), converter=checked_timeout)
    retry: RetryPolicy = field(factory=RetryPolicy)
    session: requests.Session = field(factory=lambda: new_session(), repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    gate: Gate = field(factory=Gate, repr=False)
    max_response_bytes: int = MAX_RESPONSE_BYTES
    """The largest reply body kept (decompressed); a larger one raises ResponseTooLargeError."""
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    """Seconds on ``time.monotonic``'s scale: an attempt's deadline is taken from it, and the watchdog
    holding the headers to that deadline (:mod:`wingspan_nb._deadline`) compares it with
    ``time.monotonic()``. A test may pass one that runs faster, starting from ``time.monotonic()``.
    Elapsed time, not the wall clock (:mod:`wingspan_nb._clock`): setting the date never moves it."""

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        timeout: Timeout | None = None,
        on_progress: Progress | None = None,
    ) -> requests.Response:
        """Send the request and return its 2xx reply with the body read, or raise a WingspanError.

        ``on_progress`` is called as the body arrives with (bytes received so far, the
        ``Content-Length`` or ``None``), on every attempt.
        """
        url = self.base_url.rstrip("/") + path
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        timeout = checked_timeout(timeout) if timeout is not None else self.timeout
        shown = errors.short_id(path)  # for the log: an id may be 100,000 characters long
        attempt = 0
        while True:
            self.gate.wait(self.sleep)
            started = time.perf_counter()
            outcome = self._attempt(method, url, body, headers, timeout, on_progress)
            if isinstance(outcome, requests.Response):
                log.debug("%s %s → %s in %.0f ms", method, shown, outcome.status_code, _ms(started))
                return outcome
            failure, error = outcome.failure, outcome.error
            log.debug("%s %s: %s after %.0f ms", method, shown, failure.value, _ms(started))
            retry = attempt < self.retry.max_retries and should_retry(method, failure)
            if failure is Failure.RATE_LIMITED:
                wait = outcome.retry_after
                if wait is not None and wait > self.retry.max_retry_after:
                    retry = False  # a wait this client does not honour holds back nobody
                else:  # the wait is the gate's, shared with every other request of this client
                    self.gate.hold(self.retry.delay(attempt) if wait is None else wait)
            # Raised here, outside any except block, so that the error has no __context__: the
            # exceptions of requests hold the request, token and all.
            if not retry:
                raise error
            if failure is Failure.RATE_LIMITED:
                log.info("%s %s: 429; retry %d of %d after the shared wait", method, shown, attempt + 1,
                         self.retry.max_retries)  # fmt: skip
            else:
                delay = self.retry.delay(attempt)
                log.info("%s %s: %s; retry %d of %d in %.2f s", method, shown, failure.value, attempt + 1,
                         self.retry.max_retries, delay)  # fmt: skip
                self.sleep(delay)
            attempt += 1

    def _attempt(
        self,
        method: str,
        url: str,
        body: bytes | None,
        headers: dict[str, str],
        timeout: tuple[float, float],
        on_progress: Progress | None,
    ) -> requests.Response | _Failed:
        connect, read = timeout
        deadline = self.clock() + connect + read  # one deadline for the headers and the body
        hooks = self.session.hooks.get("response") or []
        request = requests.Request(
            method,
            url,
            data=body,
            headers=headers,
            auth=self.auth,
            hooks={"response": [*(hooks if isinstance(hooks, list) else [hooks]), _hold_location]},
        )
        # Prepared apart from sending, so that what fails here is known to have sent nothing: the
        # same exception types (an invalid header, say) may come from the reply once it is sent.
        try:
            prepared = self.session.prepare_request(request)
            settings = self.session.merge_environment_settings(prepared.url, {}, True, None, None)
        except (requests.RequestException, *_UNPLACED) as e:
            happened = f"could not be addressed ({type(e).__name__}: check the server URL)"
            error = self._connection_error(method, url, Failure.UNSENDABLE, happened, timed_out=False)
            return _Failed(Failure.UNSENDABLE, error)
        interrupted = False
        try:
            with headers_by(deadline):
                response = self.session.send(
                    prepared,
                    timeout=timeout,
                    allow_redirects=False,
                    stream=True,
                    proxies=settings["proxies"],
                    verify=settings["verify"],
                    cert=settings["cert"],
                )
        except requests.RequestException as e:
            failure = classify_send_error(e)
            happened, timed_out = _send_phrase(e, failure)
            error = self._connection_error(method, url, failure, happened, timed_out=timed_out)
            return _Failed(failure, error)
        except _UNPLACED as e:  # raised by requests or urllib3 unwrapped: it may have been sent
            happened = f"sent something this client could not read ({type(e).__name__})"
            error = self._connection_error(method, url, Failure.NO_REPLY, happened, timed_out=False)
            return _Failed(Failure.NO_REPLY, error)
        except KeyboardInterrupt:
            interrupted = True
        # An interrupt is raised anew, outside the handler, so that it has no traceback into requests
        # and urllib3 and no __context__: their frames' locals hold the request's headers, token
        # included, which a traceback with locals (%xmode Verbose, pytest -l, error reporters) shows.
        if interrupted:
            raise KeyboardInterrupt
        held = response.__dict__.pop(_HELD, None)
        if held is not None:
            response.headers["Location"] = held
        _redact(response)
        try:
            content = self._read_body(response, deadline, read, on_progress)
        except _Cut as e:
            response.close()  # the connection is broken or slow: never reuse it
            timed_out = e.failure is Failure.TIMED_OUT
            error = self._connection_error(method, url, e.failure, e.happened, timed_out=timed_out)
            return _Failed(e.failure, error)
        except _TooLarge:
            response.close()
            return _Failed(Failure.ANSWERED, self._too_large(method, url, response.status_code))
        except KeyboardInterrupt:
            response.close()  # leave no connection half read
            interrupted = True
        except BaseException:  # on_progress failed: leave no connection half read
            response.close()
            raise
        if interrupted:
            raise KeyboardInterrupt
        self._keep(response, content)
        if 200 <= response.status_code < 300:
            return response
        refused = error_for(response)
        return _Failed(_status_failure(response.status_code), refused, getattr(refused, "retry_after", None))

    def _read_body(
        self, response: requests.Response, deadline: float, read: float, on_progress: Progress | None
    ) -> bytes:
        """The whole body, by ``deadline``: between reads it is checked here, and during one the
        watchdog (:func:`~wingspan_nb._deadline.cut_at`) cuts the connection when it passes."""
        sock = _socket_of(response.raw)
        stop = cut_at(deadline, sock) if sock is not None else (lambda: False)
        cut: _Cut | None = None
        try:
            content = self._read_chunks(response, deadline, read, on_progress)
        except _Cut as e:
            cut = e
        finally:
            fired = stop()
        # A cut can look like a reply cut off, or like a short but complete one: whether the
        # deadline passed decides.
        if fired:
            raise _Cut(Failure.TIMED_OUT, _LATE)
        if cut is not None:
            raise cut
        return content

    def _read_chunks(
        self, response: requests.Response, deadline: float, read: float, on_progress: Progress | None
    ) -> bytes:
        raw = response.raw
        total = _content_length(response)
        if (
            total is not None
            and "Content-Encoding" not in response.headers
            and total > self.max_response_bytes
        ):
            raise _TooLarge
        sock = _socket_of(raw)
        if isinstance(raw, urllib3.HTTPResponse):  # read1: return what has arrived, wait no longer

            def next_chunk() -> bytes:
                return raw.read1(_CHUNK, decode_content=True)
        else:  # a stand-in such as vcrpy's replay, which holds the whole body already

            def next_chunk() -> bytes:
                return raw.read(_CHUNK, decode_content=True)  # type: ignore[no-any-return]

        # BytesIO rather than a list joined at the end: getvalue() hands over its buffer without a
        # copy, so a reply never needs twice its size in memory.
        body = io.BytesIO()
        size = 0
        try:
            while True:
                remaining = deadline - self.clock()
                if remaining <= 0:
                    raise _Cut(Failure.TIMED_OUT, _LATE)
                if sock is not None and sock.fileno() != -1:  # closed once a close-delimited reply ends
                    # No single read may outlast the deadline (each already waits at most `read`).
                    sock.settimeout(min(read, remaining))
                chunk = next_chunk()
                if not chunk:
                    return body.getvalue()
                size += len(chunk)
                if size > self.max_response_bytes:
                    raise _TooLarge
                body.write(chunk)
                if on_progress is not None:
                    on_progress(raw.tell(), total)
        except (ReadTimeoutError, TimeoutError):  # urllib3 wraps a socket timeout, mostly
            raise _Cut(Failure.TIMED_OUT, _LATE) from None
        except DecodeError:
            raise _Cut(Failure.NO_REPLY, "sent a compressed reply that could not be decompressed") from None
        except (HTTPError, http.client.HTTPException, OSError):  # cut off mid-body, or reset
            raise _Cut(Failure.NO_REPLY, "received the request, but its reply was cut off") from None

    def _keep(self, response: requests.Response, content: bytes) -> None:
        """Hand the body read here to ``response`` (``.content``, ``.text`` and ``.json()`` read it),
        with the client's own token scrubbed from everything the reply holds: a server or proxy may
        echo the header (in the body, a header, the reason, a cookie)."""
        if self.auth is not None:
            content = self.auth.scrub(content)
            # The URLs too: a next page's link (from the server) may hold the token, and errors show them.
            response.url = self._scrub_text(response.url)
            if response.request.url:
                response.request.url = self._scrub_text(response.request.url)
            self._scrub_headers(response.headers)
            if response.reason:
                response.reason = self._scrub_text(response.reason)
            for jar in (response.cookies, response.request._cookies):  # type: ignore[attr-defined]
                for cookie in jar if jar is not None else ():
                    cookie.value = self._scrub_text(cookie.value) if cookie.value else cookie.value
            self._scrub_headers(response.request.headers)  # a cookie the server set comes back
        # requests keeps a read body in these two attributes; filling them is how a body read in
        # chunks (stream=True) becomes the response's content.
        response._content = content
        response._content_consumed = True  # type: ignore[attr-defined]  # set in __init__, untyped
        response.close()  # the connection goes back to the pool
        # Neither is needed once the body is read, and both would keep the token reachable from the
        # reply: urllib3's reply (the headers and reason as they came) and the adapter (whose pool
        # keeps each connection's last reply).
        response.raw = None
        response.connection = None  # type: ignore[assignment]

    def _scrub_headers(self, headers: MutableMapping[str, str]) -> None:
        """Scrub names as well as values: a proxy may echo the token as a header's name."""
        for k, v in list(headers.items()):
            name = self._scrub_text(k) if isinstance(k, str) else k
            value = self._scrub_text(v) if isinstance(v, str) else v  # a session's own may be bytes
            if name != k:
                del headers[k]
            headers[name] = value

    def _scrubbed_url(self, url: str) -> str:
        """``url`` as an error keeps it: without the token (a next page's link may have held it)."""
        return self._scrub_text(url) if self.auth is not None else url

    def _scrub_text(self, text: str) -> str:
        """A header value or reason phrase (Latin-1, as they come off the wire) with the token scrubbed."""
        assert self.auth is not None
        return self.auth.scrub(text.encode("latin-1", "replace")).decode("latin-1")

    def _connection_error(
        self, method: str, url: str, failure: Failure, happened: str, *, timed_out: bool
    ) -> errors.APIConnectionError:
        never_sent = failure in (Failure.NOT_SENT, Failure.UNSENDABLE)
        if failure is Failure.UNSENDABLE:
            advice = "Nothing was sent."
        elif never_sent:
            advice = "Nothing was sent. Check the network and server URL, then try again."
        elif method in errors.SAFE_METHODS:
            advice = "Try again in a moment; a longer timeout= may help."
        else:
            advice = errors.unknown_outcome_note()
        cls = errors.APITimeoutError if timed_out else errors.APIConnectionError
        url = self._scrubbed_url(url)
        return cls(
            f"{method} to {_host(url)} failed: the server {happened}. {advice}",
            method=method,
            url=url,
            # A GET or HEAD changes nothing: however it failed, no change's fate is in doubt.
            outcome_unknown=not never_sent and method not in errors.SAFE_METHODS,
        )

    def _too_large(self, method: str, url: str, status: int) -> errors.ResponseTooLargeError:
        limit = self.max_response_bytes
        url = self._scrubbed_url(url)
        unknown = errors.outcome_unknown_after(method, status)
        changed = " " + errors.unknown_outcome_note(status) if unknown else ""
        return errors.ResponseTooLargeError(
            f"{method} to {_host(url)}: the reply (status {status}) is larger than "
            f"max_response_bytes={limit:,}; reading stopped there. Raise the limit with "
            f"Wingspan(max_response_bytes=...) if this reply is expected to be that large.{changed}",
            method=method,
            url=url,
            limit=limit,
            outcome_unknown=unknown,
        )

    def close(self) -> None:
        self.session.close()


_LATE: Final = (
    "did not answer in time (the whole reply, headers included, must arrive within connect + read seconds)"
)


def _send_phrase(exc: requests.RequestException, failure: Failure) -> tuple[str, bool]:
    """What happened, for the message, and whether it was a timeout."""
    if failure is Failure.UNSENDABLE:
        return f"could not be addressed ({type(exc).__name__}: check the server URL)", False
    if isinstance(exc, requests.ConnectTimeout):
        return "did not accept the connection in time", True
    if failure is Failure.NOT_SENT:
        return "could not be reached", False
    if failure is Failure.TIMED_OUT:
        return _LATE, True
    return "closed the connection without a complete reply", False


def _socket_of(raw: Any) -> socket.socket | None:
    """The socket a streamed reply is read from: its connection's, or (after ``Connection: close``,
    when http.client hands the socket over to the reply's file and forgets it) that file's."""
    sock = getattr(getattr(raw, "connection", None), "sock", None)
    if sock is None:
        sock = getattr(getattr(getattr(getattr(raw, "_fp", None), "fp", None), "raw", None), "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


def _content_length(response: requests.Response) -> int | None:
    try:
        value = int(response.headers.get("Content-Length", ""))
    except ValueError:
        return None
    return value if value >= 0 else None


def _host(url: str) -> str:
    return url.split("/")[2] if "://" in url else url


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1e3


_HELD: Final = "_wingspan_location"


def _hold_location(response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
    """A response hook that hides a redirect's ``Location`` until the transport puts it back.

    Even when told not to follow redirects, requests prepares the request it would send next (token
    and all, kept on the reply) and decodes the ``Location`` to do so, reading the whole body first;
    a client that never follows redirects needs none of it.
    """
    if response.is_redirect:
        response.__dict__[_HELD] = response.headers.pop("Location")
    return response


def _redact(response: requests.Response) -> None:
    """Replace the token in the request kept on the reply, so errors and reprs cannot show it."""
    if "Authorization" in response.request.headers:
        response.request.headers["Authorization"] = REDACTED
