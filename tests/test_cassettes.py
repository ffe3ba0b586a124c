"""No cassette holds a secret: what `make record` writes is scrubbed first, and every cassette is scanned."""

from __future__ import annotations

import copy
import json
import types
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import requests
import vcr
import yaml
from vcr.serializers.compat import convert_to_unicode

from wingspan_nb.sandbox import SandboxServer, make_invoice

from .helpers import REDACTED, ROOT, TODAY, cassette_config, cassette_leaks, scrub_request, scrub_response

CASSETTES = sorted((ROOT / "cassettes").rglob("*.yaml"))
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNlY3JldA"
SECRETS = {
    "accountNumber": "195002892775",
    "routingNumber": "249198861",
    "swiftCode": "SVBKUS6SXXX",
    "iban": "DE89370400440532013000",
    "ssn": "123-45-6789",
    "ein": "12-3456789",
    "taxId": "987654321",
    "dob": "1980-04-12",
}


def _secret_document() -> dict[str, Any]:
    """A reply that holds every kind of secret the masking rules know, nested and in prose."""
    return {
        "invoiceId": "inv-1",
        "memberClient": {"achCreditAccount": {k: SECRETS[k] for k in ("accountNumber", "routingNumber")}},
        "formW9Data": {
            "ssn": SECRETS["ssn"],
            "ein": SECRETS["ein"],
            "taxId": SECRETS["taxId"],
            "dob": SECRETS["dob"],
        },
        "wires": [{"swiftCode": SECRETS["swiftCode"], "iban": SECRETS["iban"]}],
        "bankDetails": {"account_number": [SECRETS["accountNumber"]]},
        "invoiceNotes": f"Pay to account {SECRETS['accountNumber']}, thank you.",
        "echo": f"Authorization: Bearer {TOKEN}",
    }


def _as_cassette(response: dict[str, Any]) -> str:
    """A response as vcrpy writes it to a cassette (a body of text as text, not base64)."""
    return yaml.safe_dump(
        {"interactions": [{"request": {"headers": {}}, "response": convert_to_unicode(response)}]}
    )


def _leaked(text: str) -> list[str]:
    return [value for value in [*SECRETS.values(), TOKEN, "session=abc123"] if value in text]


def test_there_are_cassettes() -> None:
    assert len(CASSETTES) >= 4, "the recorded tests' cassettes are missing: run `make record`"


@pytest.mark.parametrize("path", CASSETTES, ids=[p.name for p in CASSETTES])
def test_no_cassette_holds_a_secret(path: Path) -> None:
    text = path.read_text()
    assert cassette_leaks(text) == []
    assert "Bearer [REDACTED]" in text  # the recorded requests were authenticated, and redacted


def test_the_scrubber_scrubs_every_secret_of_a_reply() -> None:
    body = json.dumps(_secret_document()).encode()
    response = {
        "status": {"code": 200, "message": "OK"},
        "headers": {
            "Content-Type": ["application/json"],
            "Content-Length": [str(len(body))],
            "Set-Cookie": ["session=abc123; HttpOnly"],
            "X-Echo": [f"Bearer {TOKEN}"],
        },
        "body": {"string": body},
    }
    recorded = _as_cassette(copy.deepcopy(response))
    assert (
        len(_leaked(recorded)) == len(SECRETS) + 2 and len(cassette_leaks(recorded)) >= 10
    )  # the scan sees them

    scrubbed = scrub_response(response, secrets=(TOKEN,))
    text = _as_cassette(copy.deepcopy(scrubbed))
    assert _leaked(text) == [] and cassette_leaks(text) == []
    doc = json.loads(scrubbed["body"]["string"])
    assert doc["memberClient"]["achCreditAccount"] == {"accountNumber": REDACTED, "routingNumber": REDACTED}
    assert doc["invoiceId"] == "inv-1" and doc["invoiceNotes"] == "Pay to account •••• 2775, thank you."
    assert scrubbed["headers"]["Content-Length"] == [str(len(scrubbed["body"]["string"]))]


def test_recording_through_the_suites_configuration_writes_no_secret(tmp_path: Path) -> None:
    """What `make record` does, against a sandbox whose invoice holds secrets, with a cookie sent."""
    invoice = make_invoice(6, status="Paid", invoice_id="inv-1", today=TODAY)
    invoice["memberClient"]["formW9Data"] |= {k: SECRETS[k] for k in ("ssn", "ein", "taxId", "dob")}
    invoice["invoiceNotes"] = f"Pay to account {SECRETS['accountNumber']}, thank you."
    account = invoice["memberClient"]["achCreditAccount"]
    with SandboxServer(invoices=[invoice]) as sandbox:
        recorder = vcr.VCR(**cassette_config(), record_mode="all")
        with recorder.use_cassette(str(tmp_path / "recorded.yaml")):
            r = requests.get(
                f"{sandbox.url}/payments/client/invoice/inv-1",
                headers={"Authorization": f"Bearer {sandbox.token}", "Cookie": "session=abc123"},
                timeout=5,
            )
        assert r.json()["memberClient"]["achCreditAccount"] == account  # the caller saw the real reply
        text = (tmp_path / "recorded.yaml").read_text()
        assert sandbox.token not in text and account["accountNumber"] not in text
    assert _leaked(text) == [] and cassette_leaks(text) == []


# -- the real token as a header name, or percent-encoded (hostile review) ------------------------------

REAL = "wsk_live_Zq8LmN3pR7tY2vX9kB4cD6fG"
"""A real API token as `make record` knows it ($WINGSPAN_API_TOKEN): no pattern recognises it."""
PCT = "".join(f"%{b:02X}" for b in REAL.encode())
PARTLY = REAL[:4] + "".join(f"%{b:02x}" for b in REAL[4:9].encode()) + REAL[9:]


def _exchange_echoing_the_token() -> tuple[Any, dict[str, Any]]:
    """A request and a reply holding the real token as a header name, in a next link, a URI and a body
    of text, percent-encoded wholly or in part."""
    request = types.SimpleNamespace(
        uri=f"http://127.0.0.1/payments/client/invoice?page=2&t={PCT}&u={PARTLY}",
        headers={"Authorization": f"Bearer {REAL}", f"X-Echo-{REAL}": "1"},
        body=f"token={PARTLY}".encode(),
    )
    response = {
        "status": {"code": 200, "message": "OK"},
        "headers": {
            f"X-Echo-{REAL}": ["1"],
            "Link": [f'</payments/client/invoice?page=2&t={PCT}>; rel="next"'],
        },
        "body": {"string": f"<html>token {PCT} and {PARTLY}</html>".encode()},
    }
    return request, response


def _cassette(request: Any, response: dict[str, Any]) -> str:
    headers = {k: [v] for k, v in request.headers.items()}
    exchange = {
        "request": {"uri": request.uri, "headers": headers, "body": request.body},
        "response": response,
    }
    return yaml.safe_dump({"interactions": [exchange]})


def _holds_real_token(text: str) -> bool:
    return any(REAL in form for form in (text, unquote(text)))


def test_the_scrubbers_remove_the_token_from_header_names_uris_and_text_bodies() -> None:
    request, response = _exchange_echoing_the_token()
    request = scrub_request(request, secrets=(REAL,))
    response = scrub_response(response, secrets=(REAL,))
    assert list(response["headers"]) == ["X-Echo-[REDACTED]", "Link"]
    assert "X-Echo-[REDACTED]" in request.headers
    strings = [request.uri, *request.headers, request.body.decode(), response["body"]["string"].decode(),
               *response["headers"]["Link"]]  # fmt: skip
    assert [s for s in strings if _holds_real_token(s)] == []
    assert cassette_leaks(_cassette(request, response), secrets=(REAL,)) == []


def test_cassette_leaks_reports_the_token_as_a_header_name_or_percent_encoded() -> None:
    request, response = _exchange_echoing_the_token()
    request.headers["Authorization"] = "Bearer [REDACTED]"  # the one place already scrubbed
    for where in ("a header name", "a URI", "a body of text"):
        if where != "a header name":
            request.headers = {"Authorization": "Bearer [REDACTED]"}
            response["headers"] = {}
        if where == "a body of text":
            request.uri = "http://127.0.0.1/payments/client/invoice"
        text = _cassette(request, response)
        assert where == "a header name" or REAL not in text  # percent-encoded, or in a base64 body
        assert cassette_leaks(text, secrets=(REAL,)) == [
            "the token ($WINGSPAN_API_TOKEN), as is or encoded"
        ], where
