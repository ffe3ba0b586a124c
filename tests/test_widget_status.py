"""The three widgets' status lines: one style, one live region, one way of reporting a failure."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from wingspan_nb import Wingspan, errors
from wingspan_nb.models import InvoiceStatus
from wingspan_nb.sandbox import SandboxServer, make_invoice
from wingspan_nb.widgets import BulkEditor, Explorer, InvoiceEditor
from wingspan_nb.widgets._access import FormAccess

from .helpers import TODAY


@pytest.fixture
def client() -> Iterator[Wingspan]:
    invoices = [make_invoice(n, status="Open", invoice_id=f"s{n}", today=TODAY) for n in range(2)]
    with (
        SandboxServer(invoices=invoices) as sandbox,
        Wingspan(sandbox.token, server_url=sandbox.url, max_retries=0) as client,
    ):
        yield client


def _walk(widget: Any) -> Iterator[Any]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _widgets(client: Wingspan) -> list[tuple[Any, Any, Any]]:
    """Each widget, its status line, and a button whose action fails."""
    editor = InvoiceEditor(client, "s0")
    editor.fields["status"].input.value = InvoiceStatus.PAID
    bulk = BulkEditor(client, ["s0", "s1"])
    bulk._controls[0].input.value = InvoiceStatus.PAID  # type: ignore[attr-defined]
    explorer = client.client_invoice.explore(today=TODAY, progress=False)
    return [
        (editor, editor.status, editor.save_anyway_button),
        (bulk, bulk.status, bulk.plan_button),
        (explorer, explorer.message, explorer.header_buttons["amount"]),
    ]


@pytest.mark.parametrize("failure", [RuntimeError("the disk is full"), errors.WingspanError("Try again.")])
def test_every_widget_says_a_failure_the_same_way_and_logs_only_bugs(
    client: Wingspan, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, failure: Exception
) -> None:
    def broken(*_: Any, **__: Any) -> Any:
        raise failure

    for name in ("update", "update_many"):
        monkeypatch.setattr(type(client.client_invoice), name, broken)
    from wingspan_nb._invoices import InvoiceList

    monkeypatch.setattr(InvoiceList, "sort_by", broken)
    for widget, line, button in _widgets(client):
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="wingspan_nb"):
            button.click()
        assert '<div class="wsnb-msg wsnb-msg-error">' in line.value, (widget, line.value)
        assert str(failure).rstrip(".") in line.value
        bug = not isinstance(failure, errors.WingspanError)
        assert bool(caplog.records) is bug, (widget, caplog.records)


def test_every_widget_s_status_line_is_a_live_region(client: Wingspan) -> None:
    for widget, line, _ in _widgets(client):
        assert "wsnb-status" in line._dom_classes
        tree = list(_walk(widget.widget))
        # A direct child of the widget's root, next to the script that gives it role="status".
        assert line in widget.widget.children
        assert any(type(part).__name__ in {"FormAccess", "ExplorerAccess"} for part in tree)
        assert any(isinstance(part, FormAccess) for part in tree) or type(widget) is Explorer
