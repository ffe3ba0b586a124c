"""The ``Wingspan`` client: configuration, and the resources it serves."""

from __future__ import annotations

import numbers
import os
from datetime import date
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Literal
from urllib.parse import urlsplit

import requests

from ._resources import ClientInvoiceResource
from ._transport import (
    MAX_RESPONSE_BYTES,
    BearerAuth,
    RetryPolicy,
    Timeout,
    Transport,
    checked_timeout,
    new_session,
)
from .errors import InvalidRequestError

if TYPE_CHECKING:
    from .sandbox import SandboxServer

__all__ = ["SERVERS", "Wingspan", "connect"]

SERVERS: Final = {
    "prod": "https://api.wingspan.app",
    "staging": "https://stagingapi.wingspan.app",
}
"""The API's servers by name; ``server_idx`` indexes them in this order."""

TOKEN_ENV: Final = "WINGSPAN_API_TOKEN"  # noqa: S105 - the variable's name, not a token
SERVER_URL_ENV: Final = "WINGSPAN_SERVER_URL"
_UNUSED_URL: Final = "http://127.0.0.1:9"
"""Where a client that only checks options points (the discard port; it sends nothing)."""


class Wingspan:
    """A client of the Wingspan payments API.

    ``token`` defaults to ``$WINGSPAN_API_TOKEN``. The server is ``server_url`` if given, else
    ``server`` (``"prod"`` or ``"staging"``) or ``server_idx`` (0 or 1), else ``$WINGSPAN_SERVER_URL``,
    else production. ``timeout`` applies to every request (seconds, or ``(connect, read)``; the read
    part bounds the whole reply, headers included, not each socket read); ``max_retries`` bounds
    retries (see :mod:`wingspan_nb._transport`). ``max_response_bytes`` caps a reply's decompressed
    size (1 GiB by default). Pass ``session`` to reuse your own ``requests.Session`` (proxies,
    certificates; mount :class:`~wingspan_nb.DeadlineAdapter` on it to keep the headers
    under the deadline); the client never follows redirects. Every argument is checked here: a bad
    one raises :class:`~wingspan_nb.errors.InvalidRequestError` before any I/O.

    The token is stripped of surrounding white space (a token read from a file); one that still
    cannot go in a header, or a server URL that holds the token (percent-encoded too), raises
    :class:`~wingspan_nb.errors.InvalidRequestError` here, without showing either.

    Use ``Wingspan.sandbox()`` for a client connected to a local sandbox with demo invoices.
    """

    client_invoice: ClientInvoiceResource
    """Client invoices: ``get(id=...)``, ``update(id=..., client_invoice_update_request=...)``."""

    def __init__(
        self,
        token: str | None = None,
        *,
        server: Literal["prod", "staging"] | None = None,
        server_url: str | None = None,
        server_idx: int | None = None,
        timeout: Timeout = (5.0, 30.0),
        max_retries: int = 2,
        session: requests.Session | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        token = token if token is not None else os.environ.get(TOKEN_ENV)
        base_url = _server_url(server, server_url, server_idx)
        auth = _auth(token)
        if auth is not None and auth.is_in_url(base_url):
            raise InvalidRequestError(
                "The server URL holds the API token: pass the base URL only, such as "
                "https://api.wingspan.app, and the token as Wingspan(token=...) or $WINGSPAN_API_TOKEN. "
                "It is sent in the Authorization header only, which keeps it out of the URLs that "
                "errors, logs and snapshots show. (Neither the URL nor the token is shown here.)"
            )
        self._transport = Transport(
            base_url=base_url,
            auth=auth,
            timeout=checked_timeout(timeout),
            retry=RetryPolicy(max_retries=_count("max_retries", max_retries, least=0)),
            session=_checked_session(session) if session is not None else new_session(),
            max_response_bytes=_count("max_response_bytes", max_response_bytes, least=1),
        )
        self.client_invoice = ClientInvoiceResource(self._transport)
        self.sandbox_server: SandboxServer | None = None

    @property
    def server_url(self) -> str:
        """The API base URL this client talks to."""
        return self._transport.base_url

    @classmethod
    def sandbox(
        cls,
        invoices: list[dict[str, Any]] | None = None,
        *,
        count: int | None = None,
        page_size: int | None = None,
        latency: float = 0.0,
        today: date | None = None,
        token: str | None = None,
        port: int = 0,
        timeout: Timeout = (5.0, 30.0),
        max_retries: int = 2,
        session: requests.Session | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        **unknown: object,
    ) -> Wingspan:
        """A client connected to a new local sandbox (started in the background on 127.0.0.1).

        The sandbox's options: ``invoices`` replaces the demo invoices; ``count`` serves that many
        demo invoices instead of 48; ``page_size`` pages the list; ``latency`` adds seconds before
        every reply; ``today`` (a date) fixes the day the demo dates are relative to; ``token`` and
        ``port`` (0: any free one). The client's: ``timeout``, ``max_retries``, ``session``,
        ``max_response_bytes``, as for :class:`Wingspan`. Every option is checked before anything
        starts: a wrong one raises :class:`~wingspan_nb.errors.InvalidRequestError` naming it.

        The sandbox stops with ``client.close()`` or at exit; it is reachable as
        ``client.sandbox_server``.
        """
        from .sandbox import SandboxServer

        if unknown:
            names = ", ".join(sorted(unknown))
            raise InvalidRequestError(
                f"Wingspan.sandbox() has no option {names}. The sandbox takes invoices, count,"
                " page_size, latency, today, token and port; the client timeout, max_retries, session"
                " and max_response_bytes."
            )
        if session is not None:
            _checked_session(session)  # before the sandbox starts: a wrong one leaves none running
        server_options: dict[str, Any] = {"token": token} if token is not None else {}
        server = SandboxServer(
            invoices=invoices,
            count=count,
            page_size=page_size,
            latency=latency,
            today=today,
            port=port,
            **server_options,
        )
        client_options: dict[str, Any] = {
            "timeout": timeout,
            "max_retries": max_retries,
            "max_response_bytes": max_response_bytes,
        }
        # The client's options are checked on a client that is never used (no I/O), so that a wrong
        # one leaves no sandbox running.
        cls(server.token, server_url=_UNUSED_URL, **client_options).close()
        server.start()
        try:
            client = cls(server.token, server_url=server.url, session=session, **client_options)
        except BaseException:
            server.stop()
            raise
        client.sandbox_server = server
        return client

    def close(self) -> None:
        """Close the connection pool (and stop the sandbox this client started, if any)."""
        self._transport.close()
        if self.sandbox_server is not None:
            self.sandbox_server.stop()

    def __enter__(self) -> Wingspan:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        auth = "set" if self._transport.auth is not None else "not set"
        return f"Wingspan(server_url={self.server_url!r}, token {auth})"


def _auth(token: str | None) -> BearerAuth | None:
    if token is None or (isinstance(token, str) and not token.strip()):
        return None  # no token: the server's 401 says how to set one
    return BearerAuth(token)


def _checked_session(session: object) -> requests.Session:
    if isinstance(session, requests.Session):
        return session
    raise InvalidRequestError(
        f"session must be a requests.Session (or a subclass), got {type(session).__name__}; leave it "
        "out for the client's own (wingspan_nb.new_session() makes one to configure)."
    )


def _count(name: str, value: object, *, least: int) -> int:
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and int(value) >= least:
        return int(value)
    raise InvalidRequestError(
        f"{name} must be a whole number of at least {least}, such as {least + 2}; got {value!r:.80}"
    )


def _server_url(server: object, server_url: object, server_idx: object) -> str:
    url = _chosen_url(server, server_url, server_idx)
    problem = _url_problem(url)
    if problem:
        shown = _shown(url)
        hint = f"; did you mean 'http://{shown}'?" if "://" not in url else ""
        raise InvalidRequestError(f"The server URL {problem}, got {shown!r:.200}{hint}")
    return url


def _shown(url: str) -> str:
    """``url`` with any ``user:password@`` replaced by ``***@``."""
    scheme, sep, rest = url.rpartition("://")
    host, slash, path = rest.partition("/")
    if "@" in host:
        host = "***@" + host.rpartition("@")[2]
    return scheme + sep + host + slash + path


def _url_problem(url: str) -> str | None:
    """What makes ``url`` unusable as the API's base URL (its credentials are not shown)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsed on access: raises for a port that is not a number in range
    except ValueError:
        return "cannot be parsed (a bracketed IPv6 address or the port is malformed)"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must start with https:// (or http://) and name a host"
    if parts.username is not None or parts.password is not None:
        return (
            "must not carry a user name or password (user:password@): pass the API token as "
            "Wingspan(token=...) or $WINGSPAN_API_TOKEN instead"
        )
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        return "must not have a query (?…) or fragment (#…): pass the base URL only, such as https://api.wingspan.app"
    return None


def _chosen_url(server: object, server_url: object, server_idx: object) -> str:
    if server_url is not None:
        if not isinstance(server_url, str):
            raise InvalidRequestError(
                f"server_url must be a str such as 'https://api.wingspan.app', got {type(server_url).__name__}"
            )
        if server_url:
            return server_url.rstrip("/")
    if server is not None:
        if not isinstance(server, str) or server not in SERVERS:
            raise InvalidRequestError(
                f"server must be one of {', '.join(map(repr, SERVERS))}, got {server!r:.80}"
            )
        return SERVERS[server]
    if server_idx is not None:
        urls = list(SERVERS.values())
        if (
            isinstance(server_idx, bool)
            or not isinstance(server_idx, numbers.Integral)
            or not 0 <= int(server_idx) < len(urls)
        ):
            raise InvalidRequestError(
                f"server_idx must be 0 (prod) or 1 (staging), as an int; got {server_idx!r:.80}"
            )
        return urls[int(server_idx)]
    return (os.environ.get(SERVER_URL_ENV) or SERVERS["prod"]).rstrip("/")


def connect(*, quiet: bool = False, **kwargs: Any) -> Wingspan:
    """The real API when ``$WINGSPAN_API_TOKEN`` is set, else a client on a new local sandbox.

    Prints one line saying which (unless ``quiet``), so a notebook's output always shows where its
    data comes from. ``kwargs`` go to :class:`Wingspan`.
    """
    if os.environ.get(TOKEN_ENV):
        client = Wingspan(**kwargs)
        where = f"${SERVER_URL_ENV}" if os.environ.get(SERVER_URL_ENV) else "the Wingspan API"
        line = f"Connected to {where} at {client.server_url} (token from ${TOKEN_ENV})."
    else:
        client = Wingspan.sandbox(**kwargs)
        assert client.sandbox_server is not None
        line = (
            f"Connected to a local sandbox at {client.server_url} with "
            f"{len(client.sandbox_server.ids())} demo invoices (set ${TOKEN_ENV} to use the real API)."
        )
    if not quiet:
        print(line)
    return client
