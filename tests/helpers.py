"""Shared test helpers: the spec extract and fixtures kept under tests/ (written from ../shared/ by
tests/spec/extract.py), and a recorder of sleeps."""

from __future__ import annotations

import functools
import json
import os
import re
import threading
import typing
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SPEC_EXTRACT = ROOT / "tests" / "spec"
PROJECT_NOTEBOOKS = tuple(ROOT / "notebooks" / name for name in ("exploratory.ipynb", "quickstart.ipynb"))
"""The project's notebooks, named: the notebook tests never pick up one a user saved in notebooks/
(a test checks this list against the notebooks git tracks)."""
TODAY = date(2026, 11, 30)
"""The day the tests' demo invoices are dated from (``SandboxServer(today=TODAY)``,
``make_invoice(..., today=TODAY)``): the suite gives the same results on any day."""


@functools.cache
def load_spec(year: str) -> dict[str, Any]:
    """The extract of one spec: ``components.schemas`` reachable from the client-invoice schemas, and
    ``responses`` (``list``, ``get``, ``fees``). Do not change it: it is shared between tests."""
    return typing.cast(dict[str, Any], json.loads((SPEC_EXTRACT / f"extract-{year}.json").read_text()))


def load_fixture(name: str) -> str:
    """A parse fixture (small, typical, large) as JSON text."""
    return (FIXTURES / f"{name}.json").read_text()


class Sleeps(list[float]):
    """Records the waits a client would have slept, so retry tests run instantly."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def interrupt_at_response(
    session: Any, n: int, *, method: str | None = None
) -> tuple[list[str], typing.Callable[..., None]]:
    """Make the ``n``-th reply (of ``method``, if given) raise ``KeyboardInterrupt`` inside whichever
    worker receives it, as a requests hook would; returns the invoice ids answered so far (filled as
    replies come) and the hook, to remove once done."""
    seen: list[str] = []
    lock = threading.Lock()

    def hook(response: Any, *args: Any, **kwargs: Any) -> None:
        if method is not None and response.request.method != method:
            return
        with lock:
            seen.append(response.request.url.rsplit("/", 1)[1])
            reached = len(seen) == n
        if reached:
            raise KeyboardInterrupt

    session.hooks["response"].append(hook)
    return seen, hook


def execute_notebook(sandbox: Any, monkeypatch: Any, cells: list[str]) -> Any:
    """Run ``cells`` in a fresh kernel (nbclient, as ``nbconvert --execute`` does) whose client
    reaches ``sandbox`` through the environment; the executed notebook, outputs and widget state kept."""
    import nbclient
    import nbformat

    monkeypatch.setenv("WINGSPAN_SERVER_URL", sandbox.url)  # the kernel inherits this environment
    monkeypatch.setenv("WINGSPAN_API_TOKEN", sandbox.token)
    nb = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]  # type: ignore[no-untyped-call]
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    return nb


def invoice_list(docs: list[Any]) -> Any:
    """An invoice list from wire documents, parsed as ``list()`` parses a reply."""
    import orjson

    from wingspan_nb._invoices import parse_invoice_array

    return parse_invoice_array(orjson.dumps(docs))


# -- cassettes: what `make record` writes holds no secret ---------------------------------------------

REDACTED = "[REDACTED]"
_TOKEN_IN_TEXT = re.compile(
    r"(?i:bearer)(?: |%20)(?!\[REDACTED\])[^\s\"',;&]+"  # a bearer token, anywhere (an echoed header, a URL)
    r"|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}(?:\.[A-Za-z0-9_-]*)?"  # a JWT
    r"|sandbox-[A-Za-z0-9_-]{16,}"  # a sandbox's token
)
_SECRET_HEADERS = frozenset({"cookie", "set-cookie", "proxy-authorization", "x-api-key"})


def _scrubbed_text(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` without ``secrets`` in any spelling the client's scrubber knows (raw, JSON-escaped,
    percent-encoded, wholly or partly) and without anything that looks like a token."""
    for secret in secrets:
        text = _without(secret, text)
    return _TOKEN_IN_TEXT.sub(
        lambda m: "Bearer [REDACTED]" if m[0].lower().startswith("bearer") else REDACTED, text
    )


def _without(secret: str, text: str) -> str:
    """``text`` with ``secret`` replaced by the client's own scrubber, in every spelling it knows."""
    from wingspan_nb._transport import BearerAuth

    return BearerAuth(secret).scrub(text.encode("utf-8", "surrogatepass")).decode("utf-8", "surrogatepass")


def _scrubbed_document(data: Any, sensitive: bool = False) -> Any:
    """A wire document with every value under a sensitive name (sensitive.py's table) redacted, and
    numbers in prose masked as the views mask them (ids and other one-word values are left alone)."""
    from wingspan_nb._sensitive import is_sensitive, masked_prose

    if isinstance(data, dict):
        return {k: _scrubbed_document(v, sensitive or is_sensitive(k)) for k, v in data.items()}
    if isinstance(data, list):
        return [_scrubbed_document(v, sensitive) for v in data]
    if sensitive and data is not None:
        return REDACTED
    return masked_prose(data) if isinstance(data, str) else data


def _scrubbed_body(body: bytes | str | None, secrets: tuple[str, ...]) -> bytes | str | None:
    from wingspan_nb._sensitive import masked_text

    if not body:
        return body
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    try:
        text = json.dumps(_scrubbed_document(json.loads(text)), ensure_ascii=False)
    except ValueError:  # not JSON: a JSON-like excerpt in it is masked by key
        text = masked_text(text)
    text = _scrubbed_text(text, secrets)
    return text.encode() if isinstance(body, bytes) else text


def cassette_secrets() -> tuple[str, ...]:
    """The values `make record` knows to be secret: the real API's token, when one is set."""
    token = os.environ.get("WINGSPAN_API_TOKEN", "").strip()
    return (token,) if token else ()


def scrub_request(request: Any, secrets: tuple[str, ...] = ()) -> Any:
    """vcrpy's ``before_record_request``: no token, cookie or sensitive value is recorded (it is also
    applied to requests being matched in replay, so it is deterministic)."""
    request.uri = _scrubbed_text(request.uri, secrets)
    headers = {
        _scrubbed_text(k, secrets): v for k, v in request.headers.items() if k.lower() not in _SECRET_HEADERS
    }
    for name in list(headers):
        if name.lower() == "authorization":
            headers[name] = "Bearer [REDACTED]"
        elif isinstance(headers[name], str):
            headers[name] = _scrubbed_text(headers[name], secrets)
    request.headers = headers
    request.body = _scrubbed_body(request.body, secrets)
    return request


def scrub_response(response: dict[str, Any], secrets: tuple[str, ...] = ()) -> dict[str, Any]:
    """vcrpy's ``before_record_response``: the body without sensitive values, the token or cookies;
    its ``Content-Length`` says the scrubbed length."""
    headers = {
        _scrubbed_text(k, secrets): [_scrubbed_text(str(v), secrets) for v in values]
        for k, values in response["headers"].items()
        if k.lower() not in _SECRET_HEADERS
    }
    body = _scrubbed_body(response["body"]["string"], secrets)
    response["body"]["string"] = body
    for k in headers:
        if k.lower() == "content-length" and body is not None:
            headers[k] = [str(len(body.encode() if isinstance(body, str) else body))]
    response["headers"] = headers
    return response


def cassette_config() -> dict[str, Any]:
    """The vcr configuration the recorded tests use: what is recorded goes through the scrubbers."""
    secrets = cassette_secrets()
    return {
        # No record_mode here: it would override --record-mode=none and record silently.
        "filter_headers": [("authorization", "Bearer [REDACTED]")],
        "match_on": ["method", "path", "query", "body"],
        "decode_compressed_response": True,
        "before_record_request": functools.partial(scrub_request, secrets=secrets),
        "before_record_response": functools.partial(scrub_response, secrets=secrets),
    }


def cassette_leaks(text: str, secrets: tuple[str, ...] | None = None) -> list[str]:
    """What a cassette (YAML text) holds that it must not: a token (``secrets``, by default
    :func:`cassette_secrets`, in any spelling; anything that looks like one, percent-decoded too), a
    cookie, an unredacted sensitive value, a number in prose the views would mask. Every string of the
    cassette is looked at: header names, URIs, bodies (base64 ones decoded)."""
    from urllib.parse import unquote

    import yaml

    from wingspan_nb._sensitive import is_sensitive, masked_prose

    document = yaml.safe_load(text) or {}
    strings = [text, *_strings_of(document)]
    leaks = sorted(
        {f"token: {m[0][:12]}…" for s in strings for m in _TOKEN_IN_TEXT.finditer(unquote(s))}
        | {
            "the token ($WINGSPAN_API_TOKEN), as is or encoded"
            for secret in (cassette_secrets() if secrets is None else secrets)
            for s in strings
            if _without(secret, s) != s
        }
    )

    def walk(data: Any, where: str, sensitive: bool = False) -> None:
        if isinstance(data, dict):
            for k, v in data.items():
                walk(v, f"{where}.{k}", sensitive or is_sensitive(k))
        elif isinstance(data, list):
            for i, v in enumerate(data):
                walk(v, f"{where}[{i}]", sensitive)
        elif sensitive and data not in (None, REDACTED):
            leaks.append(f"{where} is not redacted")
        elif isinstance(data, str) and masked_prose(data) != data:
            leaks.append(f"{where} holds a number the views mask")

    def body(raw: Any, where: str) -> None:
        raw = raw.get("string") if isinstance(raw, dict) else raw
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8", "replace")
        if raw:
            try:
                walk(json.loads(raw), where)
            except ValueError:
                pass

    for n, exchange in enumerate(document.get("interactions", [])):
        for side in ("request", "response"):
            part = exchange.get(side, {})
            for name, values in (part.get("headers") or {}).items():
                if name.lower() in _SECRET_HEADERS:
                    leaks.append(f"{side} {n} has a {name} header")
                if name.lower() == "authorization" and values != ["Bearer [REDACTED]"]:
                    leaks.append(f"{side} {n} has an unredacted Authorization header")
            body(part.get("body"), f"{side} {n} body")
    return leaks


def _strings_of(data: Any) -> list[str]:
    """Every string in a parsed cassette, keys included; bytes (a base64 body) decoded."""
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in (*_strings_of(k), *_strings_of(v))]
    if isinstance(data, list):
        return [s for v in data for s in _strings_of(v)]
    if isinstance(data, bytes):
        return [data.decode("utf-8", "replace"), data.decode("latin-1")]
    return [data] if isinstance(data, str) else []
