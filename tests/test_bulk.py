"""Bulk edits against the sandbox: the plan, no PATCH in a dry run, exact PATCH bodies, conflicts,
partial failures, shared 429 backoff, undo, the audit log, interruption, the widget front end."""

from __future__ import annotations

import _thread
import csv
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import wingspan_nb
from wingspan_nb import Wingspan
from wingspan_nb.batch import BatchInterruptedWarning
from wingspan_nb.bulk import BulkPlan, BulkResult
from wingspan_nb.errors import InvalidRequestError, ServerError
from wingspan_nb.models import ClientInvoiceUpdateRequest as Request
from wingspan_nb.models import FeeHandlingConfig, InvoiceStatus
from wingspan_nb.sandbox import SandboxServer, make_invoice
from wingspan_nb.widgets import BulkEditor

IDS = [f"b{i}" for i in range(6)]


@pytest.fixture
def env() -> Iterator[tuple[SandboxServer, Wingspan]]:
    invoices = [make_invoice(i, status="Draft" if i % 3 else "Open", invoice_id=f"b{i}") for i in range(6)]
    with (
        SandboxServer(invoices=invoices) as sandbox,
        Wingspan(sandbox.token, server_url=sandbox.url) as client,
    ):
        client._transport.sleep = lambda s: time.sleep(min(s, 0.2))
        yield sandbox, client


def _patches(sandbox: SandboxServer) -> dict[str, Any]:
    return {r.path.rsplit("/", 1)[1]: r.json() for r in sandbox.requests if r.method == "PATCH"}


def test_dry_run_plans_and_sends_nothing(env: Any) -> None:
    sandbox, client = env
    plan = client.client_invoice.update_many(
        [*IDS, "missing"], Request(status=InvoiceStatus.OPEN), progress=False
    )
    assert isinstance(plan, BulkPlan)
    assert _patches(sandbox) == {}
    kinds = {r.id: r.kind for r in plan.rows}
    assert kinds == {
        "b0": "no-op",
        "b1": "change",
        "b2": "change",
        "b3": "no-op",
        "b4": "change",
        "b5": "change",
        "missing": "unreadable",
    }
    change = next(r for r in plan.rows if r.id == "b1")
    assert [(c.field, c.before, c.after) for c in change.changes] == [("status", "Draft", "Open")]
    assert repr(plan) == "<BulkPlan 4 to change, 2 no-op, 1 unreadable (nothing sent yet)>"
    df = plan.to_dataframe()
    assert (
        list(df.columns) == ["invoice_id", "invoice_number", "plan", "field", "before", "after", "error"]
        and len(df) == 7
    )
    html = plan._repr_html_()
    assert "4 to change · 2 no-op · 1 unreadable" in html and "nothing sent yet" in html


def test_apply_sends_only_changed_fields(env: Any) -> None:
    sandbox, client = env
    plan = client.client_invoice.update_many(IDS, Request(status=InvoiceStatus.OPEN), progress=False)
    result = plan.apply(progress=False)
    assert _patches(sandbox) == {i: {"status": "Open"} for i in ("b1", "b2", "b4", "b5")}
    assert all(sandbox.invoice(i)["status"] == "Open" for i in IDS)
    assert result.counts() == {"skipped: no-op": 2, "applied": 4}
    assert {r.id: r.outcome for r in result.rows}["b0"] == "skipped: no-op"


def test_nested_objects_are_sent_whole_with_the_set_values_on_top(env: Any) -> None:
    sandbox, client = env
    before = sandbox.invoice("b1")["creditFeeHandling"]
    client.client_invoice.update_many(
        ["b1"],
        Request(credit_fee_handling=FeeHandlingConfig(client_pays=100, member_pays=0)),
        dry_run=False,
        progress=False,
    )
    expected = ({"clientAbsolutePercentage": None} if before else {}) | {"clientPays": 100, "memberPays": 0}
    assert _patches(sandbox)["b1"] == {"creditFeeHandling": expected}


def test_a_mapping_of_requests_and_a_dataframe(env: Any) -> None:
    sandbox, client = env
    plan = client.client_invoice.update_many(
        {"b1": Request(status=InvoiceStatus.PAID), "b2": Request(status=InvoiceStatus.CANCELLED)},
        progress=False,
    )
    plan.apply(progress=False)
    assert _patches(sandbox) == {"b1": {"status": "Paid"}, "b2": {"status": "Cancelled"}}
    df = wingspan_nb.to_dataframe(client.client_invoice.get_many(IDS, progress=False))
    drafts = df[df["status"] == "Draft"]
    plan = client.client_invoice.update_many(drafts, Request(status=InvoiceStatus.OPEN), progress=False)
    assert {r.id for r in plan.rows} == set(drafts["invoice_id"])


@pytest.mark.parametrize(
    ("targets", "request_", "message"),
    [
        ({"b1": Request()}, Request(), "either a mapping"),
        (["b1"], None, "pass the ClientInvoiceUpdateRequest"),
        (["b1", "b1"], Request(status=InvoiceStatus.PAID), "appears twice"),
        ({"b1": {"status": "Paid"}}, None, "must be a ClientInvoiceUpdateRequest"),
    ],
)
def test_bad_targets_fail_before_io(env: Any, targets: Any, request_: Any, message: str) -> None:
    sandbox, client = env
    with pytest.raises(InvalidRequestError, match=message):
        client.client_invoice.update_many(targets, request_, progress=False)
    assert sandbox.requests == []


def test_conflicts_are_skipped_not_overwritten(env: Any) -> None:
    sandbox, client = env
    plan = client.client_invoice.update_many(["b1", "b2"], Request(status=InvoiceStatus.OPEN), progress=False)
    sandbox.put(sandbox.invoice("b2") | {"status": "Cancelled", "updatedAt": "2099-01-01T00:00:00.000Z"})
    result = plan.apply(progress=False)
    outcomes = {r.id: r for r in result.rows}
    assert outcomes["b1"].outcome == "applied" and outcomes["b2"].outcome == "skipped: conflict"
    assert (
        "changed on the server since the plan" in outcomes["b2"].detail
        and "Cancelled" in outcomes["b2"].detail
    )
    assert sandbox.invoice("b2")["status"] == "Cancelled" and set(_patches(sandbox)) == {"b1"}


def test_one_failure_never_aborts_the_rest(env: Any) -> None:
    sandbox, client = env
    plan = client.client_invoice.update_many(IDS, Request(status=InvoiceStatus.PAID), progress=False)
    sandbox.fail_next(1, method="PATCH", status=503)
    result = plan.apply(max_workers=1, progress=False)
    counts = result.counts()
    assert counts == {"failed": 1, "applied": 5}
    [(failed_id, error)] = result.failures.items()
    assert isinstance(error, ServerError) and sandbox.invoice(failed_id)["status"] != "Paid"
    assert "failed" in result._repr_html_()


def test_a_429_slows_every_worker(env: Any) -> None:
    sandbox, client = env
    client._transport.sleep = time.sleep
    plan = client.client_invoice.update_many(IDS, Request(status=InvoiceStatus.PAID), progress=False)
    sandbox.fail_next(1, method="PATCH", status=429, retry_after=0.5)
    start = time.monotonic()
    result = plan.apply(max_workers=6, progress=False)
    assert result.counts() == {"applied": 6}
    refused = next(r for r in sandbox.requests if r.status == 429)
    later = [r.time for r in sandbox.requests if r.time > refused.time + 0.02]
    assert later and min(later) >= refused.time + 0.5 and time.monotonic() - start >= 0.5


def test_undo_restores_and_is_itself_conflict_checked(env: Any) -> None:
    sandbox, client = env
    result = client.client_invoice.update_many(
        ["b1", "b2"], Request(status=InvoiceStatus.PAID), dry_run=False, progress=False
    )
    assert isinstance(result, BulkResult) and result.counts() == {"applied": 2}
    sandbox.put(sandbox.invoice("b2") | {"updatedAt": "2099-01-01T00:00:00.000Z"})  # someone touched b2 since
    undone = result.undo(progress=False)
    assert {r.id: r.outcome for r in undone.rows} == {"b1": "applied", "b2": "skipped: conflict"}
    assert sandbox.invoice("b1")["status"] == "Draft" and sandbox.invoice("b2")["status"] == "Paid"
    assert _patches(sandbox)["b1"] == {"status": "Draft"}


def test_audit_log(env: Any, tmp_path: Path) -> None:
    _, client = env
    result = client.client_invoice.update_many(
        IDS, Request(status=InvoiceStatus.PAID), dry_run=False, progress=False
    )
    log = result.audit_log()
    assert list(log.columns) == ["time", "invoice_id", "field", "before", "after", "outcome"]
    assert set(log["invoice_id"]) == set(IDS) and len(log) == 6
    assert (
        set(log["outcome"]) == {"applied"}
        and set(log["before"]) == {"Draft", "Open"}
        and set(log["after"]) == {"Paid"}
    )
    path = result.audit_csv(tmp_path / "audit.csv")
    rows = list(csv.DictReader(path.open()))
    assert len(rows) == 6 and rows[0]["field"] == "status" and rows[0]["after"] == "Paid"


def test_interrupting_apply_reports_what_was_applied(env: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox, client = env
    sandbox.latency = 0.05
    plan = client.client_invoice.update_many(IDS, Request(status=InvoiceStatus.PAID), progress=False)
    resource = client.client_invoice
    real_update = resource.update
    lock, calls = threading.Lock(), {"n": 0}

    def update(**kw: Any) -> Any:
        with lock:
            calls["n"] += 1
            if calls["n"] == 2:
                _thread.interrupt_main()
        return real_update(**kw)

    monkeypatch.setattr(resource, "update", update)
    with pytest.warns(BatchInterruptedWarning):
        result = plan.apply(max_workers=1, progress=False)
    assert result.interrupted
    outcomes = [r.outcome for r in result.rows if r.outcome != "skipped: no-op"]
    assert "applied" in outcomes and "not applied (interrupted)" in outcomes
    applied = {r.id for r in result.rows if r.outcome == "applied"}
    assert applied == {i for i in IDS if sandbox.invoice(i)["status"] == "Paid"}


def test_bulk_editor_widget(env: Any) -> None:
    sandbox, client = env
    editor = BulkEditor(client, IDS)
    assert editor.make_plan() is None and "Set at least one field" in editor.status.value
    status = editor._controls[0]
    status.input.value = InvoiceStatus.CANCELLED  # type: ignore[attr-defined]
    editor.plan_button.click()
    assert editor.plan is not None and not editor.apply_button.disabled and _patches(sandbox) == {}
    assert "6 to change" in editor.output.value
    editor.apply_button.click()
    assert editor.result is not None and editor.result.counts() == {"applied": 6}
    assert all(sandbox.invoice(i)["status"] == "Cancelled" for i in IDS)
    assert editor.apply_button.disabled and "undo()" in editor.status.value


def test_plans_and_results_honour_text_only_mode(env: Any) -> None:
    _, client = env
    plan = client.client_invoice.update_many(IDS, Request(status=InvoiceStatus.PAID), progress=False)
    batch = client.client_invoice.get_many(IDS, progress=False)
    with wingspan_nb.set_options(display_style="text"):
        assert plan._repr_html_() is None and batch._repr_html_() is None
    html = plan._repr_html_()
    assert html is not None and html.count("<style>") == 1
