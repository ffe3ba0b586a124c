"""get_many: order, partial failures, shared 429 backoff, interruption, progress."""

from __future__ import annotations

import _thread
import threading
import time
from typing import Any

import pytest

from wingspan_nb import Wingspan
from wingspan_nb.batch import BatchInterruptedWarning, BatchResult
from wingspan_nb.errors import InvalidIdError, NotFoundError, ResponseValidationError
from wingspan_nb.sandbox import SandboxServer, make_invoice


def test_results_come_in_the_order_of_the_ids(client: Wingspan, sandbox: SandboxServer) -> None:
    sandbox.latency = 0.02  # replies finish out of order across 8 workers
    ids = list(reversed(sandbox.ids()))
    result = client.client_invoice.get_many(ids, progress=False)
    assert [inv.invoice_id for inv in result] == ids
    assert result.failures == {} and not result.interrupted and len(result) == len(ids)
    assert len({r.path for r in sandbox.requests}) == len(ids)


def test_failures_are_collected_not_fatal(client: Wingspan, sandbox: SandboxServer) -> None:
    broken = make_invoice(4, invoice_id="broken")
    broken["amount"] = "a lot"
    sandbox.put(broken)
    good = sandbox.ids()[:3]
    result = client.client_invoice.get_many(
        [good[0], "missing", "broken", good[1], "", good[2]], progress=False
    )
    assert [o.id for o in result.outcomes] == [good[0], "missing", "broken", good[1], "", good[2]]
    assert [inv.invoice_id for inv in result] == good
    assert isinstance(result.failures["missing"], NotFoundError)
    assert isinstance(result.failures["broken"], ResponseValidationError)
    assert isinstance(result.failures[""], InvalidIdError)
    assert repr(result) == "<BatchResult 3 read, 3 failed of 6 ids>"
    html = result._repr_html_()
    assert html is not None and "3 of 6 invoices read · 3 failed" in html and "NotFoundError" in html


def test_connection_failures_are_collected(sleeps: Any) -> None:
    with SandboxServer() as dead:
        url = dead.url
    with Wingspan("t", server_url=url, max_retries=0) as c:
        result = c.client_invoice.get_many(["a", "b"], progress=False)
    assert set(result.failures) == {"a", "b"} and result.invoices == []


def test_a_429_slows_every_worker(client: Wingspan, sandbox: SandboxServer) -> None:
    client._transport.sleep = time.sleep  # real waits: this test is about time
    sandbox.latency = 0.05
    sandbox.fail_next(1, status=429, retry_after=0.6)
    result = client.client_invoice.get_many(sandbox.ids()[:16], max_workers=8, progress=False)
    assert len(result) == 16 and result.failures == {}
    refused = next(r for r in sandbox.requests if r.status == 429)
    # Once the 429 was answered, no worker sent anything until the server's wait had passed.
    answered = refused.time + 0.05
    later = [r.time for r in sandbox.requests if r.time > answered + 0.01]
    assert later and min(later) >= refused.time + 0.6
    assert sum(1 for r in sandbox.requests if answered + 0.01 < r.time < refused.time + 0.59) == 0


def test_interrupting_keeps_what_was_fetched(
    client: Wingspan, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox.latency = 0.05
    resource = client.client_invoice
    real_get = resource.get
    calls = {"n": 0}
    lock = threading.Lock()

    def get(id: str, **kw: Any) -> Any:
        with lock:
            calls["n"] += 1
            if calls["n"] == 6:
                _thread.interrupt_main()  # what the notebook's stop button does
        return real_get(id=id, **kw)

    monkeypatch.setattr(resource, "get", get)
    with pytest.warns(BatchInterruptedWarning):
        result = resource.get_many(sandbox.ids(), max_workers=2, progress=False)
    assert result.interrupted
    assert 0 < len(result) < len(sandbox.ids())
    assert len(result.not_fetched) + len(result) + len(result.failures) == len(sandbox.ids())
    assert "not fetched (interrupted)" in repr(result)


def test_progress_bar_and_off(
    client: Wingspan, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    client.client_invoice.get_many(sandbox.ids()[:3], progress=True)
    assert "3/3" in capsys.readouterr().err
    client.client_invoice.get_many(sandbox.ids()[:3], progress=False)
    assert capsys.readouterr().err == ""


def test_empty_and_bad_worker_counts(client: Wingspan) -> None:
    assert isinstance(client.client_invoice.get_many([], progress=False), BatchResult)
    with pytest.raises(ValueError, match="max_workers must be at least 1"):
        client.client_invoice.get_many(["x"], max_workers=0, progress=False)
