"""Bulk edits against the sandbox: the plan, no PATCH in a dry run, exact PATCH bodies, conflicts,
partial failures, shared 429 backoff, undo, the audit log, interruption, the widget front end."""

from __future__ import annotations

import csv
import http.client
import http.server
import re
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import pytest

import wingspan_nb
from wingspan_nb import Wingspan
from wingspan_nb import _batch as batch
from wingspan_nb._batch import BatchInterruptedWarning
from wingspan_nb._bulk import BulkPlan, BulkResult
from wingspan_nb.errors import (
    APIConnectionError,
    APITimeoutError,
    ConfirmationRequiredError,
    ExportError,
    InvalidRequestError,
    ServerError,
    UnexpectedResponseError,
    UnprocessableEntityError,
)
from wingspan_nb.models import ClientInvoice, FeeHandlingConfig, InvoiceStatus
from wingspan_nb.models import ClientInvoiceUpdateRequest as Request
from wingspan_nb.sandbox import SandboxServer, make_invoice
from wingspan_nb.widgets import BulkEditor
from wingspan_nb.widgets._bulk import LIVE_BULK_TEXT

from .helpers import Sleeps, execute_notebook, interrupt_at_response
from .test_batch import PARKED_LIMIT, ProbeGate, escaped_interrupt_fails, interrupt_when

IDS = [f"b{i}" for i in range(6)]


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
        list(df.columns)
        == ["invoice_id", "invoice_number", "plan", "field", "before", "after", "change", "warning", "error"]
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
        ("b1", Request(status=InvoiceStatus.PAID), "not a list of ids"),
        ({"b1": {"status": "Paid"}}, None, "must be a ClientInvoiceUpdateRequest"),
    ],
)
def test_bad_targets_fail_before_io(env: Any, targets: Any, request_: Any, message: str) -> None:
    sandbox, client = env
    with pytest.raises(InvalidRequestError, match=message):
        client.client_invoice.update_many(targets, request_, progress=False)
    assert sandbox.requests == []


def test_a_fee_split_that_does_not_add_up_fails_before_io(env: Any) -> None:
    sandbox, client = env
    request = Request(credit_fee_handling=FeeHandlingConfig(client_pays=30, member_pays=100))
    with pytest.raises(InvalidRequestError, match="does not add up to 100"):
        client.client_invoice.update_many(["b1", "b2"], request, progress=False)
    assert sandbox.requests == []


def test_a_share_that_breaks_the_servers_split_is_not_planned(env: Any) -> None:
    sandbox, client = env
    for i in ("b1", "b2"):
        sandbox.put({**sandbox.invoice(i), "creditFeeHandling": {"clientPays": 50, "memberPays": 50}})
    plan = client.client_invoice.update_many(
        ["b1", "b2"], Request(credit_fee_handling=FeeHandlingConfig(client_pays=30)), progress=False
    )
    assert [r.kind for r in plan.rows] == ["unreadable", "unreadable"]
    assert all("does not add up to 100" in str(r.error) for r in plan.rows)
    fixed = client.client_invoice.update_many(
        ["b1"], Request(credit_fee_handling=FeeHandlingConfig(client_pays=30, member_pays=70)), progress=False
    )
    assert [r.kind for r in fixed.rows] == ["change"]


@pytest.mark.parametrize("targets", [None, 5, 2.5, object()])
def test_targets_that_are_not_ids_fail_before_io(env: Any, targets: Any) -> None:
    sandbox, client = env
    with pytest.raises(InvalidRequestError, match=r"targets must be invoice ids .*pass \[id\]"):
        client.client_invoice.update_many(targets, Request(status=InvoiceStatus.PAID), progress=False)
    assert sandbox.requests == []


@pytest.mark.parametrize("odd", [{"a": 1}, 7, None, ["b1"]])
def test_an_id_that_is_not_a_string_fails_before_io(env: Any, odd: Any) -> None:
    sandbox, client = env
    with pytest.raises(InvalidRequestError, match=r"targets\[1\] is .*not an invoice id"):
        client.client_invoice.update_many(["b1", odd], Request(status=InvoiceStatus.PAID), progress=False)
    assert sandbox.requests == []


@pytest.mark.parametrize("workers", ["4", 0, -1, True, 1.5, None])
def test_bad_worker_counts_fail_before_io(env: Any, workers: Any) -> None:
    sandbox, client = env
    request = Request(status=InvoiceStatus.PAID)
    with pytest.raises(InvalidRequestError, match="max_workers must be a whole number of at least 1"):
        client.client_invoice.update_many(["b1"], request, max_workers=workers, progress=False)
    assert sandbox.requests == []
    plan = client.client_invoice.update_many(["b1"], request, progress=False)
    sandbox.requests.clear()
    with pytest.raises(InvalidRequestError, match="max_workers must be a whole number of at least 1"):
        plan.apply(max_workers=workers, progress=False)
    result = plan.apply(progress=False)
    sandbox.requests.clear()
    with pytest.raises(InvalidRequestError, match="max_workers must be a whole number of at least 1"):
        result.undo(max_workers=workers, progress=False)
    assert sandbox.requests == [] and sandbox.invoice("b1")["status"] == "Paid"


def test_a_server_value_the_request_checks_refuse_spoils_only_its_invoice(env: Any) -> None:
    sandbox, client = env
    fees = {"clientAbsolutePercentage": 500, "clientPays": 50, "memberPays": 50}
    sandbox.put(sandbox.invoice("b2") | {"creditFeeHandling": fees})
    request = Request(credit_fee_handling=FeeHandlingConfig(client_pays=100, member_pays=0))
    plan = client.client_invoice.update_many(["b1", "b2", "b4"], request, progress=False)
    assert {r.id: r.kind for r in plan.rows} == {"b1": "change", "b2": "unreadable", "b4": "change"}
    bad = next(r for r in plan.rows if r.id == "b2")
    assert isinstance(bad.error, InvalidRequestError) and bad.number == sandbox.invoice("b2")["invoiceNumber"]
    message = str(bad.error)
    assert "credit_fee_handling on the server" in message and "from 0 to 100, got 500" in message
    assert "set that field too in the request" in message
    assert "from 0 to 100, got 500" in plan._repr_html_()
    result = plan.apply(progress=False)
    assert {r.id: r.outcome for r in result.rows} == {"b1": "applied", "b2": "failed", "b4": "applied"}
    assert "not planned" in next(r for r in result.rows if r.id == "b2").detail
    assert set(_patches(sandbox)) == {"b1", "b4"} and sandbox.invoice("b2")["creditFeeHandling"] == fees
    # Setting the refused field too replaces the server's value: then it plans.
    whole = Request(
        credit_fee_handling=FeeHandlingConfig(client_absolute_percentage=0, client_pays=100, member_pays=0)
    )
    assert [r.kind for r in client.client_invoice.update_many(["b2"], whole, progress=False).rows] == [
        "change"
    ]


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
    refused = [{"location": ["body", "status"], "message": "cannot be paid yet"}]
    sandbox.fail_next(1, method="PATCH", status=422, validation=refused)
    result = plan.apply(max_workers=1, progress=False)
    counts = result.counts()
    assert counts == {"failed": 1, "applied": 5}
    [(failed_id, error)] = [(f.id, f.error) for f in result.failures]
    assert isinstance(error, UnprocessableEntityError) and sandbox.invoice(failed_id)["status"] != "Paid"
    assert "failed" in result._repr_html_()


def test_a_429_slows_every_worker(env: Any) -> None:
    sandbox, client = env
    gate = client._transport.gate = ProbeGate()
    plan = client.client_invoice.update_many(IDS, Request(status=InvoiceStatus.PAID), progress=False)
    sandbox.fail_next(1, method="PATCH", status=429, retry_after=0.5)
    result = plan.apply(max_workers=6, progress=False)
    assert result.counts() == {"applied": 6}
    # 6 reads for the plan, then per invoice a re-read and a PATCH, and the refused PATCH's retry.
    assert len(gate.waits) == 6 + 12 + 1
    later = [slept for _, held, slept in gate.waits if held]
    assert later and all(slept == [0.5] for slept in later)  # each request asked after the 429 waited
    assert client._transport.sleep == [0.5] * len(client._transport.sleep)


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
    sandbox, client = env
    result = client.client_invoice.update_many(
        IDS, Request(status=InvoiceStatus.PAID), dry_run=False, progress=False
    )
    log = result.audit_log()
    assert list(log.columns) == [
        "time", "invoice_id", "invoice_number", "field", "before", "after", "change", "outcome", "detail"
    ]  # fmt: skip
    assert set(log["invoice_id"]) == set(IDS) and len(log) == 6
    assert dict(zip(log["invoice_id"], log["invoice_number"], strict=True)) == {
        i: sandbox.invoice(i)["invoiceNumber"] for i in IDS
    }
    assert (
        set(log["outcome"]) == {"applied"}
        and set(log["before"]) == {"Draft", "Open"}
        and set(log["after"]) == {"Paid"}
    )
    path = result.audit_csv(tmp_path / "audit.csv")
    rows = list(csv.DictReader(path.open()))
    assert len(rows) == 6 and rows[0]["field"] == "status" and rows[0]["after"] == "Paid"
    assert rows[0]["invoice_number"] == sandbox.invoice(rows[0]["invoice_id"])["invoiceNumber"]


def test_audit_csv_is_utf8_atomic_and_its_errors_are_typed(
    env: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, client = env
    result = client.client_invoice.update_many(
        IDS, Request(status=InvoiceStatus.PAID), dry_run=False, progress=False
    )
    real_open = Path.open

    def open_as_on_windows(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("encoding", "cp1252")  # the default text encoding there
        return real_open(self, mode, *args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(Path, "open", open_as_on_windows)
        path = result.audit_csv(tmp_path / "audit.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert len(rows) == 6 and all("→" in r["change"] for r in rows)
    before = path.read_bytes()

    def disk_full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(csv, "writer", disk_full)
        with pytest.raises(ExportError, match="No space left on device"):
            result.audit_csv(path)
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["audit.csv"]
    with pytest.raises(InvalidRequestError, match="is a folder"):
        result.audit_csv(tmp_path)
    with pytest.raises(InvalidRequestError, match=re.escape("e.g. 'audit.csv'")):
        result.audit_csv(123)  # type: ignore[arg-type]
    with pytest.raises(InvalidRequestError, match=re.escape("e.g. 'invoices.xlsx'")):
        client.client_invoice.list(progress=False).client_invoices.to_excel(123)  # type: ignore[arg-type]


def test_audit_times_are_taken_per_patch(env: Any) -> None:
    sandbox, client = env
    plan = client.client_invoice.update_many(IDS, Request(status=InvoiceStatus.PAID), progress=False)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    plan.clock = lambda: start + timedelta(seconds=len(sandbox.requests))  # "time" = requests served
    result = plan.apply(max_workers=1, progress=False)
    patched = [n + 1 for n, r in enumerate(sandbox.requests) if r.method == "PATCH"]
    log = result.audit_log()
    assert len(log) == 6 and len(set(log["time"])) == 6
    assert sorted((t - start).total_seconds() for t in log["time"]) == patched


def test_a_cut_off_reply_is_settled_by_a_re_read(env: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox, client = env
    plan = client.client_invoice.update_many(["b1", "b2"], Request(status=InvoiceStatus.PAID), progress=False)
    _fault_on_patch(monkeypatch, client, {"b1": sandbox.malformed_next, "b2": sandbox.drop_next})
    result = plan.apply(max_workers=1, progress=False)
    rows = {r.id: r for r in result.rows}
    # b1: the server applied it and cut its reply off; the re-read shows the new status.
    assert rows["b1"].outcome == "applied" and "re-read shows the new values" in rows["b1"].detail
    assert sandbox.invoice("b1")["status"] == "Paid" and rows["b1"].after is not None
    # b2: the connection was dropped before this server acted; the re-read shows the old status, which
    # proves nothing (a server behind a proxy may act later): unknown, never failed.
    assert rows["b2"].outcome == "unknown" and "re-read shows the old values so far" in rows["b2"].detail
    assert "a later re-read settles it" in rows["b2"].detail and result.failures == []
    assert sandbox.invoice("b2")["status"] == "Draft"
    assert [r.method for r in sandbox.requests[2:]] == ["GET", "PATCH", "GET"] * 2
    assert set(result.audit_log()["detail"]) == {rows["b1"].detail, rows["b2"].detail}
    # The undo puts back b1 (which did change); b2 still shows the old values, which still prove nothing.
    monkeypatch.undo()
    sandbox.requests.clear()
    undone = result.undo(progress=False)
    assert [(r.id, r.outcome) for r in undone.rows] == [("b1", "applied"), ("b2", "unknown")]
    assert "still unknown: the re-read shows the old values" in undone.rows[1].detail
    assert sandbox.invoice("b1")["status"] == "Draft" and sandbox.invoice("b2")["status"] == "Draft"
    assert set(_patches(sandbox)) == {"b1"}


def _late_upstream(sandbox: SandboxServer, id: str, status: str) -> None:
    """What the server behind a gateway does after the gateway gave up: it applies the PATCH."""
    sandbox.put(sandbox.invoice(id) | {"status": status, "updatedAt": "2099-01-01T00:00:00.000Z"})


def test_a_gateway_error_is_unknown_until_the_server_shows_the_change(
    env: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox, client = env
    plan = client.client_invoice.update_many(
        ["b1", "b2", "b4"], Request(status=InvoiceStatus.PAID), progress=False
    )

    def applied_then_502() -> None:  # the upstream applied it; the gateway answers 502 all the same
        _late_upstream(sandbox, "b1", "Paid")
        sandbox.fail_next(method="PATCH", status=502)

    faults = {"b1": applied_then_502, "b2": lambda: sandbox.fail_next(method="PATCH", status=504)}
    faults["b4"] = lambda: sandbox.fail_next(method="PATCH", status=502)
    _fault_on_patch(monkeypatch, client, faults)
    result = plan.apply(max_workers=1, progress=False)
    rows = {r.id: r for r in result.rows}
    assert rows["b1"].outcome == "applied" and "re-read shows the new values" in rows["b1"].detail
    for i in ("b2", "b4"):  # the re-read shows the old values: not a proof that it was not applied
        assert rows[i].outcome == "unknown" and isinstance(rows[i].error, ServerError)
        assert "re-read shows the old values so far" in rows[i].detail
    assert result.counts() == {"applied": 1, "unknown": 2} and result.failures == []
    assert "unknown" in result._repr_html_()
    # After the apply returned, the upstream behind the gateway applies b2's PATCH; b4's never.
    _late_upstream(sandbox, "b2", "Paid")
    monkeypatch.undo()
    sandbox.requests.clear()
    undone = result.undo(progress=False)
    outcomes = {r.id: (r.outcome, r.detail) for r in undone.rows}
    assert outcomes["b1"][0] == outcomes["b2"][0] == "applied"  # restored
    assert outcomes["b4"][0] == "unknown" and "the change may still land" in outcomes["b4"][1]
    assert [sandbox.invoice(i)["status"] for i in ("b1", "b2", "b4")] == ["Draft", "Draft", "Draft"]
    assert _patches(sandbox) == {"b1": {"status": "Draft"}, "b2": {"status": "Draft"}}


def test_unknown_stays_unknown_and_undo_re_reads_it(env: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox, client = env
    plan = client.client_invoice.update_many(["b1", "b2"], Request(status=InvoiceStatus.PAID), progress=False)

    def cut_off_then_unreadable() -> None:  # the reply is cut off, and so is every re-read's
        sandbox.malformed_next()
        sandbox.fail_next(3, method="GET", status=503)

    _fault_on_patch(monkeypatch, client, {"b1": cut_off_then_unreadable})
    result = plan.apply(max_workers=1, progress=False)
    row = next(r for r in result.rows if r.id == "b1")
    assert row.outcome == "unknown" and isinstance(row.error, UnexpectedResponseError)
    assert "re-read failed too" in row.detail and result.unknown == [row]
    assert result.counts() == {"unknown": 1, "applied": 1} and result.failures == []
    assert "unknown" in repr(result) and "unknown" in result._repr_html_()
    assert sandbox.invoice("b1")["status"] == "Paid"  # what the server did, which the client could not see
    monkeypatch.undo()  # no more faults
    undone = result.undo(progress=False)
    assert {r.id: r.outcome for r in undone.rows} == {"b1": "applied", "b2": "applied"}
    assert sandbox.invoice("b1")["status"] == "Draft" and sandbox.invoice("b2")["status"] == "Draft"


def test_ctrl_c_while_undo_re_reads_sends_nothing(env: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox, client = env
    plan = client.client_invoice.update_many(["b1", "b2"], Request(status=InvoiceStatus.PAID), progress=False)

    def cut_off_then_unreadable() -> None:
        sandbox.malformed_next()
        sandbox.fail_next(3, method="GET", status=503)

    _fault_on_patch(monkeypatch, client, {"b1": cut_off_then_unreadable})
    result = plan.apply(max_workers=1, progress=False)
    assert result.counts() == {"unknown": 1, "applied": 1}
    monkeypatch.undo()
    sent = len(_patch_requests(sandbox))
    monkeypatch.setattr(batch, "wait", interrupt_when(lambda: True, lambda: None))
    with pytest.warns(BatchInterruptedWarning):
        undone = result.undo(progress=False)
    assert undone.interrupted and len(_patch_requests(sandbox)) == sent
    assert {r.id: r.outcome for r in undone.rows}["b2"] == "not applied (interrupted)"
    assert sandbox.invoice("b2")["status"] == "Paid"


def _patch_requests(sandbox: SandboxServer) -> list[Any]:
    return [r for r in sandbox.requests if r.method == "PATCH"]


def test_undo_keeps_an_unknown_row_that_shows_the_old_values_unknown(
    env: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox, client = env
    plan = client.client_invoice.update_many(["b1"], Request(status=InvoiceStatus.PAID), progress=False)

    def dropped_then_unreadable() -> None:
        sandbox.drop_next()
        sandbox.fail_next(3, method="GET", status=503)

    _fault_on_patch(monkeypatch, client, {"b1": dropped_then_unreadable})
    result = plan.apply(max_workers=1, progress=False)
    assert result.counts() == {"unknown": 1}
    undone = result.undo(progress=False)
    [row] = undone.rows
    assert row.outcome == "unknown" and "read the invoice again later" in row.detail
    assert undone.unknown == [row] and "no-op" not in repr(undone)
    assert not [r for r in sandbox.requests[-2:] if r.method == "PATCH"]


def _late_patch(
    monkeypatch: pytest.MonkeyPatch, client: Wingspan, sandbox: SandboxServer, *, acted: bool
) -> None:
    """The PATCH is held by the sandbox until the client gives up; the sandbox acts on it before the
    re-read (``acted``) or only after it."""
    resource = client.client_invoice
    real_update = resource.update

    def update(**kw: Any) -> Any:
        sandbox.delay_next(3600, method="PATCH")
        try:
            return real_update(**{**kw, "timeout": (2, 0.05)})
        finally:
            if acted:
                sandbox.release()  # returns once the PATCH is applied

    monkeypatch.setattr(resource, "update", update)


def test_a_read_timeout_after_the_server_acted_is_applied(env: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox, client = env
    plan = client.client_invoice.update_many(["b1"], Request(status=InvoiceStatus.PAID), progress=False)
    _late_patch(monkeypatch, client, sandbox, acted=True)
    [row] = plan.apply(max_workers=1, progress=False).rows
    assert row.outcome == "applied" and sandbox.invoice("b1")["status"] == "Paid"


def test_a_read_timeout_before_the_server_acted_is_unknown_never_failed_nor_undone_as_a_no_op(
    env: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox, client = env
    plan = client.client_invoice.update_many(["b1"], Request(status=InvoiceStatus.PAID), progress=False)
    _late_patch(monkeypatch, client, sandbox, acted=False)
    result = plan.apply(max_workers=1, progress=False)
    [row] = result.rows
    assert row.outcome == "unknown" and sandbox.invoice("b1")["status"] != "Paid"
    assert isinstance(row.error, APITimeoutError) and "may still apply the change" in row.detail
    monkeypatch.undo()
    undone = result.undo(progress=False)  # the sandbox still holds the PATCH: the re-read shows Draft
    [row] = undone.rows
    assert row.outcome == "unknown" and "the change may still land" in row.detail
    assert [e.outcome for e in undone.audit] == ["unknown"] and not _patch_requests(sandbox)[1:]
    sandbox.release()  # the server acts late after all: the change was indeed not known to have failed
    assert sandbox.invoice("b1")["status"] == "Paid"
    again = result.undo(progress=False)  # a later undo sees the change and restores it
    assert [r.outcome for r in again.rows] == ["applied"] and sandbox.invoice("b1")["status"] == "Draft"


def _ignoring_server(monkeypatch: pytest.MonkeyPatch, client: Wingspan, sandbox: SandboxServer) -> None:
    """A server that answers each PATCH with a 200 and the invoice as it was: it ignored the change."""
    resource = client.client_invoice
    real_update = resource.update

    def update(id: str, **kw: Any) -> Any:
        kept = sandbox.invoice(id)
        reply = real_update(id=id, **kw)
        sandbox.put(kept)
        return attrs.evolve(reply, client_invoice=ClientInvoice.from_dict(kept))

    monkeypatch.setattr(resource, "update", update)


def test_a_success_whose_reply_does_not_show_the_change_is_unknown(
    env: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox, client = env
    plan = client.client_invoice.update_many(["b1", "b2"], Request(status=InvoiceStatus.PAID), progress=False)
    _ignoring_server(monkeypatch, client, sandbox)
    result = plan.apply(max_workers=1, progress=False)
    assert result.counts() == {"unknown": 2} and result.failures == []
    for row in result.rows:
        assert row.after is not None and row.after.status == InvoiceStatus.DRAFT  # the reply, kept
        assert "its reply shows the old values (status: Draft)" in row.detail
    assert set(result.audit_log()["outcome"]) == {"unknown"}
    assert [sandbox.invoice(i)["status"] for i in ("b1", "b2")] == ["Draft", "Draft"]
    monkeypatch.undo()
    sandbox.requests.clear()
    undone = result.undo(progress=False)
    assert "applied" not in undone.counts()  # nothing is "restored" that never changed
    assert _patches(sandbox) == {}


def _fault_on_patch(monkeypatch: pytest.MonkeyPatch, client: Wingspan, faults: dict[str, Any]) -> None:
    """Queue ``faults[id]()`` on the sandbox just before that invoice's PATCH goes out (one worker)."""
    resource = client.client_invoice
    real_update = resource.update

    def update(id: str, **kw: Any) -> Any:
        if id in faults:
            faults[id]()
        return real_update(id=id, **kw)

    monkeypatch.setattr(resource, "update", update)


def test_one_unsendable_request_never_aborts_the_batch(env: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox, client = env
    resource = client.client_invoice
    real_update = resource.update

    def update(id: str, **kw: Any) -> Any:
        if id == "b2":  # what orjson raises for a value it cannot write, before anything is sent
            raise TypeError("Type is not JSON serializable: numpy.float64")
        return real_update(id=id, **kw)

    monkeypatch.setattr(resource, "update", update)
    result = resource.update_many(
        ["b1", "b2", "b4", "bad\ud800"], Request(status=InvoiceStatus.PAID), dry_run=False, progress=False
    )
    outcomes = {r.id: r.outcome for r in result.rows}
    assert outcomes == {"b1": "applied", "b2": "failed", "b4": "applied", "bad\ud800": "failed"}
    failures = {f.id: (f.position, f.error) for f in result.failures}
    assert list(failures) == ["b2", "bad\ud800"] and [p for p, _ in failures.values()] == [1, 3]
    assert isinstance(failures["b2"][1], InvalidRequestError)
    assert isinstance(failures["b2"][1].__cause__, TypeError)
    assert isinstance(failures["bad\ud800"][1], InvalidRequestError)
    assert {(e.id, e.outcome) for e in result.audit} == {
        ("b1", "applied"),
        ("b2", "failed"),
        ("b4", "applied"),
    }
    assert [sandbox.invoice(i)["status"] for i in ("b1", "b2", "b4")] == ["Paid", "Draft", "Paid"]


def test_an_unexpected_exception_during_a_patch_is_unknown_not_failed(
    env: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, client = env
    plan = client.client_invoice.update_many(["b1"], Request(status=InvoiceStatus.PAID), progress=False)

    def update(**kw: Any) -> Any:  # a bug of unknown place: the PATCH may have gone out
        raise RuntimeError("something broke")

    monkeypatch.setattr(client.client_invoice, "update", update)
    [row] = plan.apply(max_workers=1, progress=False).rows
    assert row.outcome == "unknown" and "re-read shows the old values so far" in row.detail
    assert "bug in wingspan_nb" in str(row.error) and isinstance(row.error.__cause__, RuntimeError)


def test_ctrl_c_sends_no_new_patch_and_waits_for_those_in_flight(
    env: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox, client = env
    plan = client.client_invoice.update_many(IDS, Request(status=InvoiceStatus.PAID), progress=False)
    resource = client.client_invoice
    real_get, real_update = resource.get, resource.update
    in_patch, in_check, release = threading.Event(), threading.Event(), threading.Event()
    lock, gets = threading.Lock(), {"n": 0}

    def get(id: str, **kw: Any) -> Any:  # the second worker stops in its conflict check
        with lock:
            gets["n"] += 1
            second = gets["n"] == 2
        if second:
            in_check.set()
            assert release.wait(PARKED_LIMIT)
        return real_get(id=id, **kw)

    def update(**kw: Any) -> Any:  # the first worker's PATCH is under way when Ctrl-C comes
        in_patch.set()
        assert release.wait(PARKED_LIMIT)
        return real_update(**kw)

    monkeypatch.setattr(resource, "get", get)
    monkeypatch.setattr(resource, "update", update)
    ready = lambda: in_patch.wait(PARKED_LIMIT) and in_check.wait(PARKED_LIMIT)  # noqa: E731
    monkeypatch.setattr(batch, "wait", interrupt_when(ready, release.set))
    with pytest.warns(BatchInterruptedWarning):
        result = plan.apply(max_workers=2, progress=False)
    assert result.interrupted
    changing = [r for r in result.rows if r.outcome != "skipped: no-op"]
    assert [r.outcome for r in changing].count("applied") == 1
    assert [r.outcome for r in changing].count("not applied (interrupted)") == 5
    # Once apply() returned, the server holds exactly what the result says: one PATCH, finished.
    assert len(_patches(sandbox)) == 1
    assert {r.id for r in changing if r.outcome == "applied"} == {
        i for i in IDS if sandbox.invoice(i)["status"] == "Paid"
    }
    assert {(e.id, e.outcome) for e in result.audit} == {(r.id, r.outcome) for r in changing}


def test_a_keyboard_interrupt_in_a_worker_keeps_the_result(env: Any) -> None:
    sandbox, client = env
    plan = client.client_invoice.update_many(IDS, Request(status=InvoiceStatus.CANCELLED), progress=False)
    patched, hook = interrupt_at_response(client._transport.session, 3, method="PATCH")
    with pytest.warns(BatchInterruptedWarning, match="KeyboardInterrupt in a worker"):
        result = escaped_interrupt_fails(lambda: plan.apply(max_workers=2, progress=False))
    assert result.interrupted
    rows = {r.id: r for r in result.rows}
    # The PATCH whose worker raised went out (the server applied it): unknown, never "not applied".
    cut = rows[patched[2]]
    assert cut.outcome == "unknown" and "interrupted while its PATCH was under way" in cut.detail
    # The others are what they are: those answered are applied, no PATCH was started afterwards.
    assert {i for i, r in rows.items() if r.outcome == "applied"} == set(patched) - {patched[2]}
    assert {r.outcome for r in result.rows} == {"applied", "unknown", "not applied (interrupted)"}
    assert set(_patches(sandbox)) == set(patched) and 3 <= len(patched) <= 4
    assert {i for i in IDS if sandbox.invoice(i)["status"] == "Cancelled"} == set(patched)
    assert {(e.id, e.outcome) for e in result.audit} == {(r.id, r.outcome) for r in result.rows}
    # The undo re-reads the unknown one and puts every changed invoice back.
    client._transport.session.hooks["response"].remove(hook)
    undone = result.undo(progress=False)
    assert {r.id for r in undone.rows if r.outcome == "applied"} == set(patched)
    assert {i for i in IDS if sandbox.invoice(i)["status"] == "Cancelled"} == set()


def test_ctrl_c_while_planning_with_dry_run_false_sends_nothing(
    env: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox, client = env
    monkeypatch.setattr(batch, "wait", interrupt_when(lambda: True, lambda: None))
    with pytest.warns(BatchInterruptedWarning):
        result = client.client_invoice.update_many(
            IDS, Request(status=InvoiceStatus.PAID), dry_run=False, max_workers=2, progress=False
        )
    assert result.interrupted and _patches(sandbox) == {}
    assert result.counts() == {"not applied (interrupted)": 6} and result.failures == []


def test_an_undo_says_it_is_an_undo(env: Any) -> None:
    _, client = env
    result = client.client_invoice.update_many(
        ["b1", "b2"], Request(status=InvoiceStatus.PAID), dry_run=False, progress=False
    )
    undone = result.undo(progress=False)
    assert repr(result) == "<BulkResult apply: 2 applied>"
    assert repr(undone) == "<BulkResult undo: 2 restored>" and undone.action == "undo"
    html = undone._repr_html_()
    assert html is not None and "Undo: 2 restored" in html and ">restored<" in html
    assert set(undone.audit_log()["after"]) == {"Draft"}


def test_result_tables_show_numbers_as_chips_and_amounts_right_aligned(env: Any) -> None:
    sandbox, client = env
    sandbox.put(sandbox.invoice("b3") | {"currency": "CAD", "amount": 10.0})
    # the same status, so the card's total per status and currency adds these two
    sandbox.put(sandbox.invoice("b0") | {"currency": "USD", "amount": 1000.5, "status": "Open"})
    sandbox.put(sandbox.invoice("b1") | {"currency": "USD", "amount": 0.5, "status": "Open"})
    many = client.client_invoice.get_many(
        ["b0", "b1", "b3", "no-such-invoice-with-a-long-id-" + "x" * 60], progress=False
    )
    html = many._repr_html_()
    assert html is not None
    assert '<td class="wsnb-num"><code class="wsnb-money">1,000.50 USD</code></td>' in html
    assert "1,001.00 USD" in html and "10.00 CAD" in html  # per status and currency, never one sum
    assert "1,011" not in html
    assert '<code class="wsnb-id" title="no-such-invoice-with-a-long-id-' in html
    result = client.client_invoice.update_many(
        ["b1", "b2"], Request(status=InvoiceStatus.PAID), dry_run=False, progress=False
    )
    html = result._repr_html_()
    number = sandbox.invoice("b1")["invoiceNumber"]
    assert html is not None and f'<code class="wsnb-id" title="{number}">{number}</code>' in html
    assert ">number<" in html and list(result.to_dataframe()["invoice_number"]) == [
        sandbox.invoice("b1")["invoiceNumber"],
        sandbox.invoice("b2")["invoiceNumber"],
    ]


def test_plan_and_result_rows_lead_with_the_number_and_shorten_the_id(env: Any) -> None:
    """At 1024 px the plan's "after / error" column was cut: each row starts with the number, the
    values under review follow, and the id comes last as a shortened chip (whole id in its tooltip)."""
    sandbox, client = env
    long_id = "N5sZh6Ninsv4iBrZRpdVYo"
    sandbox.put(sandbox.invoice("b1") | {"invoiceId": long_id, "invoiceNumber": "INV-2026-0028"})
    plan = client.client_invoice.update_many([long_id], Request(status=InvoiceStatus.PAID), progress=False)
    result = plan.apply(progress=False)
    chip = f'<code class="wsnb-id" title="{long_id}">N5sZh6Nin…</code>'
    for view, header in (
        (plan, ["number", "plan", "field", "before", "after / error", "id"]),
        (result, ["number", "outcome", "changes", "detail", "time", "id"]),
    ):
        html = view._repr_html_() or ""
        assert re.findall(r'<th scope="col">([^<]*)</th>', html) == header
        (row,) = re.findall(r"<tbody><tr>(.*?)</tr>", html)
        cells = re.findall(r"<td>(.*?)</td>", row)
        assert cells[0] == '<code class="wsnb-id" title="INV-2026-0028">INV-2026-0028</code>'
        assert cells[-1] == chip
    assert '<code class="wsnb-nowrap">Paid</code>' in (plan._repr_html_() or "")


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
    assert "apply: 6 applied" in editor.status.value
    assert all(sandbox.invoice(i)["status"] == "Cancelled" for i in IDS)
    assert editor.apply_button.disabled and "Undo last apply puts them back" in editor.status.value
    assert "<code>" not in editor.status.value  # no hint at an object the user may not have named


def test_bulk_editor_points_at_unknown_outcomes(env: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox, client = env

    def cut_off_then_unreadable() -> None:
        sandbox.malformed_next()
        sandbox.fail_next(3, method="GET", status=503)

    _fault_on_patch(monkeypatch, client, {"b1": cut_off_then_unreadable})
    editor = BulkEditor(client, ["b1"])
    editor._controls[0].input.value = InvoiceStatus.PAID  # type: ignore[attr-defined]
    editor.make_plan()
    editor.apply()
    assert editor.result is not None and editor.result.counts() == {"unknown": 1}
    assert "apply: 1 unknown" in editor.status.value and "may or may not" in editor.status.value
    assert "Undo last apply re-reads them" in editor.status.value and not editor.undo_button.disabled
    assert "re-read failed too" in editor.output.value


def test_plans_and_results_honour_text_only_mode(env: Any) -> None:
    _, client = env
    plan = client.client_invoice.update_many(IDS, Request(status=InvoiceStatus.PAID), progress=False)
    batch = client.client_invoice.get_many(IDS, progress=False)
    with wingspan_nb.set_options(display_style="text"):
        assert plan._repr_html_() is None and batch._repr_html_() is None
    html = plan._repr_html_()
    assert html is not None and html.count("<style>") == 1


@pytest.fixture
def settled_env() -> Iterator[tuple[SandboxServer, Wingspan]]:
    """Seven invoices: two Paid, one Cancelled, four Draft (the order mixes them)."""
    statuses = ["Draft", "Paid", "Draft", "Cancelled", "Paid", "Draft", "Draft"]
    invoices = [make_invoice(i, status=s, invoice_id=f"s{i}") for i, s in enumerate(statuses)]
    for inv in invoices:
        inv["creditFeeHandling"] = {"clientAbsolutePercentage": None, "clientPays": 0, "memberPays": 100}
    with (
        SandboxServer(invoices=invoices) as sandbox,
        Wingspan(sandbox.token, server_url=sandbox.url) as client,
    ):
        client._transport.sleep = Sleeps()
        yield sandbox, client


SETTLED_IDS = [f"s{i}" for i in range(7)]


def test_reopening_settled_invoices_is_counted_listed_first_and_needs_confirmation(settled_env: Any) -> None:
    sandbox, client = settled_env
    plan = client.client_invoice.update_many(SETTLED_IDS, Request(status=InvoiceStatus.OPEN), progress=False)
    assert [r.id for r in plan.settled] == ["s1", "s3", "s4"]
    # The form's own warning, word for word (one rule for both).
    from wingspan_nb.widgets import InvoiceEditor

    form = InvoiceEditor(client, "s1")
    form.fields["status"].input.value = InvoiceStatus.OPEN  # type: ignore[attr-defined]
    form_caution = form.fields["status"].caution()
    row = next(r for r in plan.rows if r.id == "s1")
    assert row.settled == "this invoice is Paid: check that Open is meant"
    assert form_caution is not None and form_caution.startswith(row.settled)
    html = plan._repr_html_() or ""
    summary = "3 invoices leave Cancelled or Paid (2 Paid → Open, 1 Cancelled → Open)"
    assert summary in html and html.index(summary) < html.index("<table")
    # Listed first: the three settled invoices are the table's first rows.
    numbers = {sandbox.invoice(i)["invoiceNumber"]: i for i in SETTLED_IDS}
    shown = re.findall(r"<tbody>.*?</tbody>", html)[0]
    order = [numbers[n] for n in re.findall(r'<tr><td><code class="wsnb-id" title="([^"]+)"', shown)]
    assert set(order[:3]) == {"s1", "s3", "s4"} and len(order) == 7
    with pytest.raises(ConfirmationRequiredError) as caught:
        plan.apply(progress=False)
    assert caught.value.count == 3
    message = str(caught.value)
    assert "Nothing was sent" in message and "3 invoices" in message and "confirm_settled=True" in message
    assert _patches(sandbox) == {}
    with pytest.raises(ConfirmationRequiredError):
        client.client_invoice.update_many(
            SETTLED_IDS, Request(status=InvoiceStatus.OPEN), dry_run=False, progress=False
        )
    assert _patches(sandbox) == {}
    result = plan.apply(confirm_settled=True, progress=False)
    assert result.counts() == {"applied": 7}
    assert all(sandbox.invoice(i)["status"] == "Open" for i in SETTLED_IDS)


def test_a_plan_without_settled_invoices_needs_no_confirmation(settled_env: Any) -> None:
    _sandbox, client = settled_env
    plan = client.client_invoice.update_many(["s0", "s2"], Request(status=InvoiceStatus.PAID), progress=False)
    assert plan.settled == [] and plan.settled_note() == ""
    assert "leave" not in (plan._repr_html_() or "")
    assert plan.apply(progress=False).counts() == {"applied": 2}


def test_a_fee_split_change_reads_value_by_value_in_plans_results_and_the_audit_log(
    settled_env: Any, tmp_path: Path
) -> None:
    _sandbox, client = settled_env
    split = Request(credit_fee_handling=FeeHandlingConfig(client_pays=50, member_pays=50))
    plan = client.client_invoice.update_many(["s0", "s2"], split, progress=False)
    html = plan._repr_html_() or ""
    assert "Credit-fee split: client pays" in html and "Credit-fee split: member pays" in html
    assert ">0 %<" in html and ">50 %<" in html and ">100 %<" in html
    assert "credit_fee_handling" not in html and "clientPays" not in html  # no attribute names, no JSON
    df = plan.to_dataframe()
    assert len(df) == 4  # one row per changed value, not per object
    assert set(df["field"]) == {"credit_fee_handling.client_pays", "credit_fee_handling.member_pays"}
    assert set(zip(df["before"], df["after"], strict=True)) == {(0, 50), (100, 50)}
    assert set(df["change"]) == {
        "Credit-fee split: client pays 0 % → 50 %",
        "Credit-fee split: member pays 100 % → 50 %",
    }
    result = plan.apply(progress=False)
    words = "Credit-fee split: client pays 0 % → 50 %, member pays 100 % → 50 %"
    assert words in (result._repr_html_() or "") and set(result.to_dataframe()["changes"]) == {words}
    log = result.audit_log()
    assert len(log) == 4 and set(log["field"]) == set(df["field"])
    # Whole values in every column: scalars, never a dict cut to "{'clientAbsolutePercentage': None, 'clientPays..."
    assert all(isinstance(v, int) for v in [*log["before"], *log["after"]])
    assert "Credit-fee split: member pays 100 % → 50 %" in set(log["change"])
    rows = list(csv.DictReader(result.audit_csv(tmp_path / "audit.csv").open()))
    assert {(r["field"], r["before"], r["after"]) for r in rows} == {
        ("credit_fee_handling.client_pays", "0", "50"),
        ("credit_fee_handling.member_pays", "100", "50"),
    }
    undone = result.undo(progress=False)
    assert "Credit-fee split: client pays 50 % → 0 %, member pays 50 % → 100 %" in (
        undone._repr_html_() or ""
    )
    assert set(undone.audit_log()["outcome"]) == {"restored"}  # an undo's log says what it did


def test_statuses_read_as_words_in_plans_and_audit_logs_and_stay_wire_values_in_data(env: Any) -> None:
    sandbox, client = env
    plan = client.client_invoice.update_many(
        ["b1"], Request(status=InvoiceStatus.PAYMENT_IN_TRANSIT), progress=False
    )
    html = plan._repr_html_() or ""
    assert ">Payment in transit<" in html and "PaymentInTransit" not in html
    result = plan.apply(progress=False)
    log = result.audit_log()
    assert list(log["after"]) == ["PaymentInTransit"] and list(log["change"]) == [
        "Status: Draft → Payment in transit"
    ]
    assert "Status: Draft → Payment in transit" in (result._repr_html_() or "")
    assert sandbox.invoice("b1")["status"] == "PaymentInTransit"


def test_the_bulk_editor_asks_before_it_reopens_settled_invoices(settled_env: Any) -> None:
    sandbox, client = settled_env
    editor = BulkEditor(client, SETTLED_IDS)
    editor._controls[0].input.value = InvoiceStatus.OPEN  # type: ignore[attr-defined]
    editor.plan_button.click()
    assert editor.confirm.layout.display != "none" and not editor.confirm.value
    assert "3 settled invoices" in editor.confirm.description
    assert "BulkPlan" not in editor.status.value and "3 of them are Paid or Cancelled" in editor.status.value
    assert "3 invoices leave Cancelled or Paid" in editor.output.value
    assert editor.apply_button.disabled
    editor.apply_button.click()  # even a click that reaches the handler sends nothing unticked
    assert _patches(sandbox) == {} and "ConfirmationRequiredError" in editor.status.value
    assert editor.result is None and editor.apply_button.disabled
    editor.confirm.value = True
    assert not editor.apply_button.disabled
    editor.apply_button.click()
    assert editor.result is not None and editor.result.counts() == {"applied": 7}
    assert editor.confirm.layout.display == "none"


def test_a_plan_without_settled_invoices_shows_no_checkbox(env: Any) -> None:
    _, client = env
    editor = BulkEditor(client, IDS)
    editor._controls[0].input.value = InvoiceStatus.PAID  # type: ignore[attr-defined]
    editor.make_plan()
    assert editor.confirm.layout.display == "none" and not editor.apply_button.disabled


def test_the_bulk_editors_undo_button_puts_back_its_last_apply(env: Any) -> None:
    sandbox, client = env
    editor = BulkEditor(client, ["b1", "b2"])
    assert editor.undo_button.disabled
    editor._controls[0].input.value = InvoiceStatus.PAID  # type: ignore[attr-defined]
    editor.make_plan()
    editor.apply()
    assert sandbox.invoice("b1")["status"] == "Paid" and not editor.undo_button.disabled
    editor.undo_button.click()
    assert editor.result is not None and editor.result.action == "undo"
    assert editor.result.counts() == {"applied": 2} and "undo: 2 restored" in editor.status.value
    assert sandbox.invoice("b1")["status"] == "Draft" and sandbox.invoice("b2")["status"] == "Draft"
    assert editor.undo_button.disabled  # an undo is not undone again from here
    assert [s.kind for s in editor.steps] == ["plan", "apply", "undo"]


def test_the_bulk_editor_keeps_a_static_copy_of_plans_applies_and_undos(env: Any) -> None:
    _, client = env
    editor = BulkEditor(client, ["b1", "b2"])
    bundle = editor._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert editor._widget_bundle()["text/plain"] == LIVE_BULK_TEXT and "VBox" not in bundle["text/plain"]
    assert "Nothing planned yet." in bundle["text/html"]
    editor._controls[0].input.value = InvoiceStatus.PAYMENT_IN_TRANSIT  # type: ignore[attr-defined]
    editor.make_plan()
    page = editor._snapshot_bundle()["text/html"]
    assert "Planned (nothing sent): 2 to change." in page.split("</summary>")[0]
    assert "Payment in transit" in page
    editor.apply()
    copy = editor._snapshot_bundle()
    assert "Apply: 2 applied." in copy["text/html"].split("</summary>")[0]
    assert "Status: Draft → Payment in transit" in copy["text/html"]
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", copy["text/html"])  # audit times
    assert re.search(r"UTC INV-\S+: applied: Status: Draft → Payment in transit", copy["text/plain"])
    editor.undo()
    copy = editor._snapshot_bundle()
    assert "Undo: 2 restored." in copy["text/html"].split("</summary>")[0]
    assert copy["text/html"].index("Undo: 2 restored") < copy["text/html"].index("Apply: 2 applied")
    assert "restored: Status: Payment in transit → Draft" in copy["text/plain"]


def test_an_executed_notebook_keeps_the_bulk_editors_record(
    env: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nbconvert import HTMLExporter

    sandbox, _ = env
    cells = [
        "import wingspan_nb\nfrom wingspan_nb.widgets import BulkEditor\n"
        "s = wingspan_nb.Wingspan()\neditor = BulkEditor(s, ['b1', 'b2'])\neditor",
        "editor._controls[0].input.value = wingspan_nb.models.InvoiceStatus.PAID\n"
        "editor.plan_button.click()\neditor.apply_button.click()\n"
        "assert editor.result.counts() == {'applied': 2}",
        "editor.undo_button.click()",
    ]
    nb = execute_notebook(sandbox, monkeypatch, cells)
    live, copy = nb.cells[0].outputs
    assert "application/vnd.jupyter.widget-view+json" in live["data"]
    assert live["data"]["text/plain"] == LIVE_BULK_TEXT
    assert not any("widget" in mime for mime in copy["data"])
    page = copy["data"]["text/html"]
    # The later cells refreshed the copy the notebook keeps: the plan, the apply and the undo.
    assert "Undo: 2 restored." in page.split("</summary>")[0]
    assert "Apply: 2 applied" in page and "Status: Draft → Paid" in page and "Status: Paid → Draft" in page
    assert "Apply: 2 applied" in copy["data"]["text/plain"]
    assert sandbox.invoice("b1")["status"] == "Draft"
    exported, _ = HTMLExporter().from_notebook_node(nb)
    assert "Static copy of the bulk editor" in exported and "VBox(" not in exported
    assert "Status: Draft → Paid" in exported


# -- a reply that cannot be read is not "nothing was sent" -----------------------------


class _ConflictingLengths(http.server.BaseHTTPRequestHandler):
    """A proxy in front of ``server.upstream`` that forwards each request as it is and passes the
    reply on, except that a PATCH's reply carries two different ``Content-Length`` headers."""

    server: Any

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        upstream = http.client.HTTPConnection(*self.server.upstream, timeout=10)
        upstream.request(self.command, self.path, body=body or None, headers=dict(self.headers.items()))
        answer = upstream.getresponse()
        data = answer.read()
        upstream.close()
        lengths = [len(data), len(data) + 1] if self.command == "PATCH" else [len(data)]
        head = [
            f"HTTP/1.1 {answer.status} {answer.reason}",
            "Content-Type: application/json",
            "Connection: close",
        ]
        head += [f"Content-Length: {n}" for n in lengths]
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + data)
        self.close_connection = True

    do_GET = do_PATCH = _forward

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_patch_applied_behind_a_proxy_whose_reply_cannot_be_read_is_not_a_failure(env: Any) -> None:
    sandbox, _ = env
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ConflictingLengths)
    proxy.upstream = ("127.0.0.1", int(sandbox.url.rsplit(":", 1)[1]))  # type: ignore[attr-defined]
    thread = threading.Thread(target=proxy.serve_forever, args=(0.05,), daemon=True)  # stops within 50 ms
    thread.start()
    try:
        with Wingspan(sandbox.token, server_url=f"http://127.0.0.1:{proxy.server_address[1]}") as client:
            client._transport.sleep = Sleeps()
            with pytest.raises(APIConnectionError) as info:
                client.client_invoice.update(id="b1", client_invoice_update_request=Request(status="Open"))
            result = client.client_invoice.update_many(
                ["b2"], Request(status="Open"), dry_run=False, progress=False
            )
    finally:
        proxy.shutdown()
        proxy.server_close()
        thread.join(5)
    assert info.value.outcome_unknown is True and "Nothing was sent" not in str(info.value)
    assert "may or may not have been applied" in str(info.value)
    assert sandbox.invoice("b1")["status"] == "Open"  # the server did apply it
    assert [(r.id, r.outcome) for r in result.rows] == [("b2", "applied")]
    assert (
        "re-read shows the new values" in result.rows[0].detail and sandbox.invoice("b2")["status"] == "Open"
    )


def test_the_bulk_editor_says_why_a_field_cannot_be_read_next_to_it(env: Any) -> None:
    sandbox, client = env
    editor = BulkEditor(client, IDS)
    fees = {c.spec.key: c for c in editor._controls[1].controls()}
    fees["credit_fee_handling.client_pays"].input.value = "lots"  # type: ignore[attr-defined]
    assert editor.request() is None and editor.make_plan() is None
    group = editor._controls[1]
    assert group.message.value  # the reason, next to the fee split
    assert _patches(sandbox) == {} and editor.plan is None
    fees["credit_fee_handling.client_pays"].input.value = "100"  # type: ignore[attr-defined]
    fees["credit_fee_handling.member_pays"].input.value = "0"  # type: ignore[attr-defined]
    request = editor.request()
    assert request is not None and request.credit_fee_handling.client_pays == 100  # type: ignore[union-attr]
    assert not group.message.value
