"""``list()``'s next links against servers on loopback: the token follows a link only under the base
URL, however either is spelled."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from wingspan_nb import Wingspan, errors
from wingspan_nb import _resources as resources

TOKEN = "tok_links_5e1f7a9c3b"
LIST = "/payments/client/invoice"


class _Pages(http.server.BaseHTTPRequestHandler):
    """Answers every GET with an empty page; the first page of a list names ``server.next`` (its
    ``{port}`` filled in) as its next page. Each request line and whether it carried the token is
    kept on ``server.seen``."""

    server: _Server

    def do_GET(self) -> None:
        carried = self.headers.get("Authorization") == f"Bearer {TOKEN}"
        self.server.seen.append((self.path, carried))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        if "page=" not in self.path and self.server.next:
            link = self.server.next.format(port=self.server.server_address[1])
            self.send_header("Link", f'<{link}>; rel="next"')
        self.end_headers()
        self.wfile.write(b"[]")

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    def __init__(self, next_link: str) -> None:
        super().__init__(("127.0.0.1", 0), _Pages)
        self.next = next_link
        self.seen: list[tuple[str, bool]] = []


@contextmanager
def _serving(next_link: str) -> Iterator[_Server]:
    server = _Server(next_link)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)  # stops within 50 ms
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


# base path (as given to the client), next link (as the server names it): a link that leaves the base
# path once requests has prepared it, or that a server decoding %2F / %5C would read as leaving it.
STEALS = {
    "dot segments": ("/api", "http://127.0.0.1:{port}/api/../steal"),
    "up to the root": ("/api", "http://127.0.0.1:{port}/api/.."),
    "a tab inside ..": ("/api", "http://127.0.0.1:{port}/api/.\t./steal"),
    "relative with dots": ("/api", "../../../steal?page=2"),
    "encoded dots": ("/api", "http://127.0.0.1:{port}/api/%2E%2E/steal?page=2"),
    "an encoded slash": ("/api", "http://127.0.0.1:{port}/api/..%2Fsteal?page=2"),
    "backslashes": ("/api", "http://127.0.0.1:{port}/api/x%5C..%5C..%5Csteal?page=2"),
    "a sibling path": ("/api", "http://127.0.0.1:{port}/apisteal?page=2"),
    "a user": ("/api", "http://evil@127.0.0.1:{port}/api/payments/client/invoice?page=2"),
}


@pytest.mark.parametrize(("base_path", "link"), list(STEALS.values()), ids=list(STEALS))
def test_a_next_link_leaving_the_base_path_is_refused(base_path: str, link: str) -> None:
    with _serving(link) as server, Wingspan(TOKEN, server_url=_url(server) + base_path, max_retries=0) as c:
        with pytest.raises(errors.UnexpectedResponseError, match=r"outside .*token stays with the API host"):
            c.client_invoice.list(progress=False)
    assert server.seen == [(base_path + LIST, True)]


# base URL (as given to the client, {host} and {port} filled in), the path the server sees for it, the
# next link (as the server names it): the same place spelled otherwise, so the link is followed.
SAME_PLACE = {
    "upper-case scheme": ("HTTP://{host}:{port}/api", "/api", "http://{host}:{port}/api" + LIST),
    "upper-case host": ("http://LOCALHOST:{port}/api", "/api", "http://localhost:{port}/api" + LIST),
    "a space": ("http://{host}:{port}/my api", "/my%20api", "http://{host}:{port}/my%20api" + LIST),
    "%7E": ("http://{host}:{port}/%7Eme", "/~me", "http://{host}:{port}/~me" + LIST),
    "a lower-case escape": ("http://{host}:{port}/a%2fb", "/a%2Fb", "http://{host}:{port}/a%2Fb" + LIST),
    "ü": ("http://{host}:{port}/ü", "/%C3%BC", "http://{host}:{port}/%C3%BC" + LIST),
    "./": ("http://{host}:{port}/./api", "/api", "http://{host}:{port}/api" + LIST),
    "../": ("http://{host}:{port}/x/../api", "/api", "http://{host}:{port}/api" + LIST),
    "relative": ("http://{host}:{port}/api", "/api", "invoice"),
}


@pytest.mark.parametrize(("base_url", "sent_path", "link"), list(SAME_PLACE.values()), ids=list(SAME_PLACE))
def test_a_next_link_under_the_base_url_spelled_otherwise_is_followed(
    base_url: str, sent_path: str, link: str
) -> None:
    with _serving(link.replace("{host}", "127.0.0.1") + "?page=2") as server:
        port = server.server_address[1]
        url = base_url.format(host="127.0.0.1", port=port)
        with Wingspan(TOKEN, server_url=url, max_retries=0) as c:
            invoices = c.client_invoice.list(progress=False).client_invoices
    assert len(invoices) == 0
    assert server.seen == [(sent_path + LIST, True), (sent_path + LIST + "?page=2", True)]


def _url(server: _Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.mark.parametrize(
    ("base_url", "link", "page"),
    [
        ("http://h:80/api", "http://h/api/p?page=2", "/p?page=2"),
        ("https://h/api", "https://H:443/api/p", "/p"),
        ("https://h/api", "http://h/api/p", None),
        ("http://h/api", "http://h:8080/api/p", None),
        ("http://h/api", "http://h./api/p", None),
    ],
)
def test_default_ports_count_and_other_origins_do_not(base_url: str, link: str, page: str | None) -> None:
    # No server listens on these ports; the decision alone is checked.
    assert resources._page_under(base_url, link) == page
