"""The ``Wingspan`` client: configuration, and the resources it serves."""

from __future__ import annotations

import os
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Literal
from urllib.parse import urlsplit

import requests

from .errors import InvalidRequestError
from .resources import ClientInvoiceResource
from .transport import MAX_RESPONSE_BYTES, BearerAuth, RetryPolicy, Timeout, Transport, new_session

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


class Wingspan:
    """A client of the Wingspan payments API.

    ``token`` defaults to ``$WINGSPAN_API_TOKEN``. The server is ``server_url`` if given, else
    ``server`` (``"prod"`` or ``"staging"``) or ``server_idx`` (0 or 1), else ``$WINGSPAN_SERVER_URL``,
    else production. ``timeout`` applies to every request (seconds, or ``(connect, read)``; the read
    part bounds the whole reply, not each socket read); ``max_retries`` bounds retries (see
    :mod:`wingspan_nb.transport`). ``max_response_bytes`` caps a reply's decompressed size (1 GiB by
    default). Pass ``session`` to reuse your own ``requests.Session`` (proxies, certificates); the
    client never follows redirects.

    The token is stripped of surrounding white space (a token read from a file); one that still
    cannot go in a header raises :class:`~wingspan_nb.errors.InvalidRequestError` here.

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
        if isinstance(max_response_bytes, bool) or not isinstance(max_response_bytes, int):
            raise InvalidRequestError(
                f"max_response_bytes must be an int, got {type(max_response_bytes).__name__}"
            )
        if max_response_bytes < 1:
            raise InvalidRequestError(f"max_response_bytes must be at least 1, got {max_response_bytes}")
        self._transport = Transport(
            base_url=_server_url(server, server_url, server_idx),
            auth=_auth(token),
            timeout=timeout,
            retry=RetryPolicy(max_retries=max_retries),
            session=session if session is not None else new_session(),
            max_response_bytes=max_response_bytes,
        )
        self.client_invoice = ClientInvoiceResource(self._transport)
        self.sandbox_server: SandboxServer | None = None

    @property
    def server_url(self) -> str:
        """The API base URL this client talks to."""
        return self._transport.base_url

    @classmethod
    def sandbox(cls, invoices: list[dict[str, Any]] | None = None, **kwargs: Any) -> Wingspan:
        """A client connected to a new local sandbox (started in the background on 127.0.0.1).

        ``invoices`` replaces the demo invoices. The sandbox stops with ``client.close()`` or at exit;
        it is reachable as ``client.sandbox_server``.
        """
        from .sandbox import SandboxServer

        server = SandboxServer(invoices=invoices).start()
        client = cls(server.token, server_url=server.url, **kwargs)
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


def _server_url(server: str | None, server_url: str | None, server_idx: int | None) -> str:
    url = _chosen_url(server, server_url, server_idx)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        hint = f"; did you mean 'http://{url}'?" if "://" not in url else ""
        raise InvalidRequestError(
            f"The server URL must start with https:// (or http://) and name a host, got {url!r}{hint}"
        )
    return url


def _chosen_url(server: str | None, server_url: str | None, server_idx: int | None) -> str:
    if server_url:
        return server_url.rstrip("/")
    if server is not None:
        if server not in SERVERS:
            raise InvalidRequestError(
                f"server must be one of {', '.join(map(repr, SERVERS))}, got {server!r}"
            )
        return SERVERS[server]
    if server_idx is not None:
        urls = list(SERVERS.values())
        if not 0 <= server_idx < len(urls):
            raise InvalidRequestError(f"server_idx must be 0 (prod) or 1 (staging), got {server_idx!r}")
        return urls[server_idx]
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
