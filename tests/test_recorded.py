"""Recorded exchanges (pytest-recording/vcrpy), replayed offline in CI.

Record with ``make record``: against the sandbox, or against the real API when ``WINGSPAN_API_TOKEN``
is set (then ``WINGSPAN_TEST_INVOICE_ID`` names an invoice the tests may read and set to Paid).
In replay (``--record-mode=none``) the client points at a closed loopback port: a request the
cassette does not hold fails instead of reaching anything.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from wingspan_nb import Wingspan
from wingspan_nb.errors import AuthenticationError, NotFoundError
from wingspan_nb.models import ClientInvoiceUpdateRequest, InvoiceStatus
from wingspan_nb.sandbox import SandboxServer, demo_invoices

from .helpers import TODAY

REPLAY_URL = "http://127.0.0.1:9"
DEMO_ID = demo_invoices(today=TODAY)[1]["invoiceId"]


@pytest.fixture
def target(request: pytest.FixtureRequest) -> Iterator[tuple[Wingspan, str, str]]:
    """(client, invoice id, token) for the mode the suite runs in."""
    mode = request.config.getoption("--record-mode")
    token = os.environ.get("WINGSPAN_API_TOKEN")
    if mode == "none":
        with Wingspan("replayed", server_url=REPLAY_URL, max_retries=0) as c:
            yield c, DEMO_ID, "replayed"
    elif token:
        with Wingspan(token) as c:
            yield c, os.environ["WINGSPAN_TEST_INVOICE_ID"], token
    else:
        with SandboxServer(today=TODAY) as sandbox, Wingspan(sandbox.token, server_url=sandbox.url) as c:
            yield c, DEMO_ID, sandbox.token


@pytest.mark.vcr
def test_get(target: tuple[Wingspan, str, str]) -> None:
    client, invoice_id, _ = target
    res = client.client_invoice.get(id=invoice_id)
    assert res.status_code == 200
    assert res.client_invoice is not None and res.client_invoice.invoice_id == invoice_id
    assert res.client_invoice.line_items


@pytest.mark.vcr
def test_update_then_get(target: tuple[Wingspan, str, str]) -> None:
    client, invoice_id, _ = target
    res = client.client_invoice.update(
        id=invoice_id, client_invoice_update_request=ClientInvoiceUpdateRequest(status=InvoiceStatus.PAID)
    )
    assert res.client_invoice is not None and res.client_invoice.status == InvoiceStatus.PAID
    again = client.client_invoice.get(id=invoice_id).client_invoice
    assert again is not None and again.status == InvoiceStatus.PAID
    assert again.updated_at == res.client_invoice.updated_at


@pytest.mark.vcr
def test_not_found(target: tuple[Wingspan, str, str]) -> None:
    client, _, _ = target
    with pytest.raises(NotFoundError):
        client.client_invoice.get(id="does-not-exist")


@pytest.mark.vcr
def test_wrong_token(target: tuple[Wingspan, str, str]) -> None:
    client, invoice_id, _ = target
    with Wingspan("not-the-token", server_url=client.server_url, max_retries=0) as wrong:
        with pytest.raises(AuthenticationError):
            wrong.client_invoice.get(id=invoice_id)


@pytest.mark.vcr
def test_list(target: tuple[Wingspan, str, str]) -> None:
    client, invoice_id, _ = target
    res = client.client_invoice.list(progress=False)
    assert res.status_code == 200
    invoices = res.client_invoices
    assert invoice_id in invoices.ids and invoices.failures == []
    assert len(set(invoices.ids)) == len(invoices)


@pytest.mark.vcr
def test_fees(target: tuple[Wingspan, str, str]) -> None:
    client, invoice_id, _ = target
    res = client.client_invoice.fees(id=invoice_id)
    assert res.status_code == 200
    assert res.invoice_fee_calculation is not None and res.invoice_fee_calculation.credit_fee_total >= 0
