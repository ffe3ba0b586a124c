"""Where requests are sent: one ``requests.Session``, bearer auth, timeouts, retries, error mapping.

Retry rules (the API documents no idempotency):

* ``GET`` is retried on connection errors, timeouts, 429 and 5xx.
* ``PATCH`` is retried only when the request provably never reached the server (connection refused,
  connect timeout) or the server answered 429 (it did not process it).
* Waits are jittered exponential backoff, capped; a ``Retry-After`` is honoured up to a cap, beyond
  which the :class:`~wingspan_nb.errors.RateLimitError` is raised at once instead of sleeping.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from typing import Final

import requests
from attrs import define, field
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError

from . import errors
from ._version import __version__

__all__ = ["BearerAuth", "Gate", "RetryPolicy", "Timeout", "Transport", "new_session"]

log = logging.getLogger("wingspan_nb")

Timeout = float | tuple[float, float]
"""Seconds: one number for connect and read, or ``(connect, read)``."""

REDACTED: Final = "Bearer [REDACTED]"
USER_AGENT: Final = f"wingspan_nb/{__version__} python-requests/{requests.__version__}"


class BearerAuth(requests.auth.AuthBase):
    """Adds ``Authorization: Bearer <token>`` to each request.

    Applied per request (not as a session header) so that a ``~/.netrc`` entry cannot replace it;
    its repr never shows the token.
    """

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Bearer {self._token}"
        return r

    def __repr__(self) -> str:
        return "BearerAuth(token=***)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BearerAuth) and other._token == self._token

    __hash__ = None  # type: ignore[assignment]


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
        base = min(self.max_backoff, self.backoff * 2.0**attempt)
        return base * (0.5 + rng() / 2)


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


def _never_sent(exc: requests.ConnectionError) -> bool:
    """True when the connection failed before any byte of the request could reach the server."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    cause = exc.args[0] if exc.args else None
    return isinstance(cause, MaxRetryError) and isinstance(cause.reason, ConnectTimeoutError)


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
            sleep(remaining)
            with self._lock:
                if self._open_at <= until:  # nobody was refused meanwhile: the wait is over
                    return


def new_session() -> requests.Session:
    """The session a client makes when it is not given one: with enough pooled connections for each
    of a ``get_many``'s workers to keep one (a session you pass in is used as it is)."""
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=32)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


@define
class Transport:
    """Sends one API request, retrying per :class:`RetryPolicy`, and returns a 2xx reply or raises."""

    base_url: str
    auth: BearerAuth | None = field(repr=False)
    timeout: Timeout = (5.0, 30.0)
    retry: RetryPolicy = field(factory=RetryPolicy)
    session: requests.Session = field(factory=lambda: new_session(), repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    gate: Gate = field(factory=Gate, repr=False)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        timeout: Timeout | None = None,
    ) -> requests.Response:
        url = self.base_url.rstrip("/") + path
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        idempotent = method in ("GET", "HEAD")
        attempt = 0
        while True:
            self.gate.wait(self.sleep)
            started = time.perf_counter()
            try:
                response = self.session.request(
                    method,
                    url,
                    data=body,
                    headers=headers,
                    auth=self.auth,
                    timeout=timeout if timeout is not None else self.timeout,
                    allow_redirects=False,
                )
            except requests.ConnectionError as e:  # includes ConnectTimeout
                never_sent = _never_sent(e)
                error = self._connection_error(method, url, e, never_sent=never_sent)
                if attempt < self.retry.max_retries and (idempotent or never_sent):
                    self._wait(attempt, None, f"{method} {path}: {type(e).__name__}")
                    attempt += 1
                    continue
                raise error from None
            except requests.Timeout as e:  # a read timeout: the server may have acted
                error = self._connection_error(method, url, e, never_sent=False)
                if attempt < self.retry.max_retries and idempotent:
                    self._wait(attempt, None, f"{method} {path}: read timeout")
                    attempt += 1
                    continue
                raise error from None
            except requests.RequestException as e:
                raise errors.APIConnectionError(
                    f"{method} {path} could not be sent: {type(e).__name__}.", method=method, url=url
                ) from None
            _redact(response)
            status = response.status_code
            log.debug("%s %s → %s in %.0f ms", method, path, status, (time.perf_counter() - started) * 1e3)
            if 200 <= status < 300:
                return response
            failure = error_for(response)
            retryable = status == 429 or (status >= 500 and idempotent)
            retry_after = getattr(failure, "retry_after", None)
            if status == 429:
                self.gate.hold(
                    self.retry.delay(attempt)
                    if retry_after is None
                    else min(retry_after, self.retry.max_retry_after)
                )
            if retryable and attempt < self.retry.max_retries:
                if retry_after is None or retry_after <= self.retry.max_retry_after:
                    response.close()
                    if status != 429:  # a 429's wait is the gate's, shared with every other request
                        self._wait(attempt, retry_after, f"{method} {path}: {status}")
                    else:
                        log.info(
                            "%s %s: 429; retry %d of %d after the shared wait",
                            method,
                            path,
                            attempt + 1,
                            self.retry.max_retries,
                        )
                    attempt += 1
                    continue
            raise failure

    def _wait(self, attempt: int, retry_after: float | None, why: str) -> None:
        delay = retry_after if retry_after is not None else self.retry.delay(attempt)
        log.info("%s; retry %d of %d in %.2f s", why, attempt + 1, self.retry.max_retries, delay)
        self.sleep(delay)

    @staticmethod
    def _connection_error(
        method: str, url: str, exc: requests.RequestException, *, never_sent: bool
    ) -> errors.APIConnectionError:
        timed_out = isinstance(exc, requests.Timeout)
        what = "did not answer in time" if timed_out else "could not be reached"
        if never_sent:
            advice = "Nothing was sent. Check the network and server URL, then try again."
        elif method == "GET":
            advice = "Try again in a moment; a longer timeout= may help."
        else:
            advice = (
                "The change may or may not have been applied: get the invoice again to see its "
                "state before retrying."
            )
        host = url.split("/")[2] if "://" in url else url
        cls = errors.APITimeoutError if timed_out else errors.APIConnectionError
        return cls(f"{method} to {host} failed: the server {what}. {advice}", method=method, url=url)

    def close(self) -> None:
        self.session.close()


def _redact(response: requests.Response) -> None:
    """Replace the token in the request kept on the reply, so errors and reprs cannot show it."""
    if "Authorization" in response.request.headers:
        response.request.headers["Authorization"] = REDACTED
