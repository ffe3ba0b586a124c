"""Similar calls agree: what the many-invoice calls return, one shape for failures, one name for an
outcome that is not known, ``timeout=`` on every call that does I/O, the old names deprecated, and
one wall clock."""

from __future__ import annotations

import ast
import inspect
import json
import warnings
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import attrs
import pytest

import wingspan_nb
from wingspan_nb import Wingspan, _clock
from wingspan_nb import _bulk as bulk
from wingspan_nb._batch import BatchResult, Failures
from wingspan_nb._bulk import BulkPlan, BulkResult, PlanRow
from wingspan_nb._facts import as_utc_date, overdue_days
from wingspan_nb._invoices import Failure, InvoiceList, ListFailure, parse_invoice_array
from wingspan_nb._resources import ClientInvoiceResource
from wingspan_nb.errors import (
    InvalidRequestError,
    NotFoundError,
    WingspanError,
    parse_retry_after,
)
from wingspan_nb.models import ClientInvoiceUpdateRequest, InvoiceStatus
from wingspan_nb.sandbox import SandboxServer, make_invoice

from .helpers import ROOT

IDS = ["b1", "b2", "b4", "b5"]  # the Draft invoices of the env fixture: each one a request changes


def _shape(failure: Any) -> tuple[type, type, type]:
    return type(failure.position), type(failure.id), type(failure.error)


# -- what the calls return ------------------------------------------------------------------------------


def test_get_many_names_its_invoices_as_list_does(env: Any) -> None:
    _sandbox, client = env
    listed = client.client_invoice.list(progress=False).client_invoices
    batch = client.client_invoice.get_many([IDS[2], IDS[0]], progress=False)
    assert isinstance(listed, InvoiceList) and isinstance(batch.client_invoices, InvoiceList)
    assert batch.client_invoices.ids == [IDS[2], IDS[0]]
    by_id = {inv.invoice_id: inv for inv in listed}
    assert batch.client_invoices == InvoiceList([by_id[IDS[2]], by_id[IDS[0]]])
    assert [inv.invoice_id for inv in batch] == [IDS[2], IDS[0]] and len(batch) == 2


def test_every_failures_is_a_list_of_records_with_position_id_and_typed_error(env: Any) -> None:
    sandbox, client = env
    resource: ClientInvoiceResource = client.client_invoice
    batch = resource.get_many([IDS[0], "missing", IDS[1]], progress=False)
    plan = resource.update_many(
        [IDS[0], "missing", IDS[1]], ClientInvoiceUpdateRequest(status=InvoiceStatus.OPEN), progress=False
    )
    sandbox.fail_next(1, method="PATCH", status=404)
    result = plan.apply(max_workers=1, progress=False)
    listed = parse_invoice_array(json.dumps([make_invoice(0), {"invoiceId": "odd", "amount": "x"}]).encode())

    assert [(f.position, f.id) for f in batch.failures] == [(1, "missing")]
    assert [(f.position, f.id) for f in plan.failures] == [(1, "missing")]
    assert [(f.position, f.id) for f in result.failures] == [(0, IDS[0]), (1, "missing")]
    assert [(f.position, f.id) for f in listed.failures] == [(1, "odd")]
    for failures in (batch.failures, plan.failures, result.failures):
        assert isinstance(failures, list) and all(type(f) is Failure for f in failures)
        assert all(_shape(f)[:2] == (int, str) and isinstance(f.error, WingspanError) for f in failures)
    assert all(isinstance(f.error, NotFoundError) for f in [*batch.failures, *result.failures])
    [listed_failure] = listed.failures
    assert isinstance(listed_failure, ListFailure) and isinstance(listed_failure.error, WingspanError)


def test_a_list_failure_has_an_id_only_when_its_item_has_a_string_one() -> None:
    items = [{"invoiceId": 7}, [1], None, {"amount": "x"}, {"invoiceId": "x", "amount": "y"}]
    listed = parse_invoice_array(json.dumps(items).encode())
    assert [f.id for f in listed.failures] == [None, None, None, None, "x"]


def test_a_plan_row_not_read_is_known_by_its_state_not_by_its_message(env: Any) -> None:
    _sandbox, client = env
    said_the_same = WingspanError("not read (interrupted)")  # a server may say anything
    rows = [PlanRow(IDS[0]), PlanRow(IDS[1], error=said_the_same)]
    result = BulkPlan(rows, client.client_invoice).apply(progress=False)
    assert [(r.id, r.outcome) for r in result.rows] == [
        (IDS[0], "not applied (interrupted)"),
        (IDS[1], "failed"),
    ]
    assert rows[0].not_read and not rows[1].not_read
    assert [r.problem for r in rows] == ["not read (interrupted)", "not read (interrupted)"]
    assert [(f.position, f.id) for f in BulkPlan(rows, client.client_invoice).failures] == [(1, IDS[1])]


# -- timeout= on every call that does I/O ------------------------------------------------------------


IO_CALLS = [
    (ClientInvoiceResource, "get"),
    (ClientInvoiceResource, "list"),
    (ClientInvoiceResource, "fees"),
    (ClientInvoiceResource, "update"),
    (ClientInvoiceResource, "get_many"),
    (ClientInvoiceResource, "update_many"),
    (ClientInvoiceResource, "edit"),
    (BulkPlan, "apply"),
    (BulkResult, "undo"),
]


@pytest.mark.parametrize(("owner", "name"), IO_CALLS, ids=[f"{o.__name__}.{n}" for o, n in IO_CALLS])
def test_every_call_that_does_io_takes_a_timeout(owner: type, name: str) -> None:
    parameter = inspect.signature(getattr(owner, name)).parameters.get("timeout")
    assert parameter is not None and parameter.kind is inspect.Parameter.KEYWORD_ONLY
    assert parameter.default is None


def _record_timeouts(client: Wingspan, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    cls = type(client._transport)  # a slotted class: its method is patched, not the instance's
    real = cls.request
    seen: list[tuple[str, Any]] = []

    def request(self: Any, method: str, path: str, **kw: Any) -> Any:
        seen.append((method, kw.get("timeout")))
        return real(self, method, path, **kw)

    monkeypatch.setattr(cls, "request", request)
    return seen


def test_the_timeout_reaches_every_request_of_the_many_invoice_calls(
    env: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sandbox, client = env
    seen = _record_timeouts(client, monkeypatch)
    resource = client.client_invoice
    resource.get_many(IDS[:2], progress=False, timeout=(3, 4))
    assert seen == [("GET", (3, 4))] * 2
    seen.clear()
    request = ClientInvoiceUpdateRequest(status=InvoiceStatus.OPEN)
    plan = resource.update_many(IDS[:2], request, progress=False, timeout=5)
    assert seen == [("GET", 5)] * 2
    seen.clear()
    result = plan.apply(progress=False, timeout=6)
    assert sorted(seen) == [("GET", 6), ("GET", 6), ("PATCH", 6), ("PATCH", 6)]
    seen.clear()
    result.undo(progress=False, timeout=7)
    assert sorted(seen) == [("GET", 7), ("GET", 7), ("PATCH", 7), ("PATCH", 7)]
    seen.clear()
    resource.update_many(IDS[2:3], request, dry_run=False, progress=False, timeout=8)
    assert sorted(seen) == [("GET", 8), ("GET", 8), ("PATCH", 8)]


def test_a_bad_timeout_is_refused_before_any_request(env: Any) -> None:
    sandbox, client = env
    resource = client.client_invoice
    request = ClientInvoiceUpdateRequest(status=InvoiceStatus.OPEN)
    plan = resource.update_many(IDS[:1], request, progress=False)
    sandbox.requests.clear()
    calls = [
        lambda: resource.get_many(IDS, progress=False, timeout=0),
        lambda: resource.update_many(IDS, request, progress=False, timeout="5"),
        lambda: plan.apply(progress=False, timeout=-1),
    ]
    for call in calls:
        with pytest.raises(InvalidRequestError, match="timeout"):
            call()
    assert sandbox.requests == []


# -- the old names, for one release ----------------------------------------------------------------------


def _batch(env: Any) -> BatchResult:
    _sandbox, client = env
    return client.client_invoice.get_many([IDS[0], "missing", "missing", IDS[1]], progress=False)


def test_failures_still_reads_as_the_dict_it_was_with_a_deprecation_warning(env: Any) -> None:
    failures = _batch(env).failures
    assert isinstance(failures, Failures) and len(failures) == 2  # one record per position
    with pytest.warns(DeprecationWarning, match=r"failures\[id\]"):
        assert isinstance(failures["missing"], NotFoundError)
    with pytest.warns(DeprecationWarning, match=r"failures\.get"):
        assert failures.get(IDS[0]) is None
    with pytest.warns(DeprecationWarning, match=r"id in failures"):
        assert "missing" in failures
    with pytest.warns(DeprecationWarning, match=r"keys"):
        assert list(failures.keys()) == ["missing"]
    with pytest.warns(DeprecationWarning, match=r"values"):
        assert [type(e) for e in failures.values()] == [NotFoundError]
    with pytest.warns(DeprecationWarning, match=r"items"):
        assert [k for k, _ in failures.items()] == ["missing"]
    with pytest.warns(DeprecationWarning) as caught:
        assert list(dict(failures)) == ["missing"]
    assert caught and all("deprecated since 0.2.0" in str(w.message) for w in caught)
    with pytest.warns(DeprecationWarning, match=r"failures == \{"):
        assert failures != {}
    with pytest.warns(DeprecationWarning, match=r"failures == \{"):
        assert Failures() == {}
    with pytest.raises(KeyError), pytest.warns(DeprecationWarning):
        failures[IDS[0]]


def test_failures_used_as_a_list_does_not_warn(env: Any) -> None:
    failures = _batch(env).failures
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert failures[0].position == 1 and failures[-1].position == 2
        assert failures[0] in failures and failures == list(failures) and failures[:1] == [failures[0]]
        assert [f.id for f in failures] == ["missing", "missing"] and failures != []


def test_the_old_batch_names_warn_and_still_answer(env: Any) -> None:
    batch = _batch(env)
    with pytest.warns(DeprecationWarning, match=r"BatchResult\.invoices .*client_invoices"):
        assert [inv.invoice_id for inv in batch.invoices] == [IDS[0], IDS[1]]
    with pytest.warns(DeprecationWarning, match=r"BatchResult\.failed .*failures"):
        assert [(o.id, type(o.error)) for o in batch.failed] == [("missing", NotFoundError)] * 2


def test_fate_unknown_is_outcome_unknown_under_its_old_name_with_a_warning() -> None:
    assert "fate_unknown" not in bulk.__all__
    lost = wingspan_nb.errors.APIConnectionError("cut", method="PATCH", url="/x", outcome_unknown=True)
    refused = InvalidRequestError("no")
    with pytest.warns(DeprecationWarning, match=r"fate_unknown .*outcome_unknown"):
        fate_unknown = bulk.fate_unknown
    assert fate_unknown(lost) is lost.outcome_unknown is True
    assert fate_unknown(refused) is refused.outcome_unknown is False
    assert fate_unknown(RuntimeError("?")) is True  # a failure the client does not know: assume the worst
    with pytest.raises(AttributeError):
        bulk.no_such_name


# -- one wall clock -----------------------------------------------------------------------------------

_NOW_CALLS = frozenset({"now", "utcnow", "today"})
"""``datetime.now()``, ``date.today()``, ``pd.Timestamp.now()`` and the like: each reads the wall clock."""
_TIME_CALLS = frozenset({"time", "time_ns", "localtime", "gmtime", "ctime"})
"""``time.time()`` and its kin: the wall clock in seconds (``time.monotonic()`` is not one)."""


def _wall_clock_reads(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name, owner = node.func.attr, node.func.value
        if name in _NOW_CALLS or (name in _TIME_CALLS and isinstance(owner, ast.Name) and owner.id == "time"):
            lines.append(node.lineno)
    return lines


def test_the_package_reads_the_wall_clock_in_one_place() -> None:
    """``wingspan_nb._clock.utc_now`` is the one reading of the wall clock: a snapshot's stamps, the
    list's read time, "today" of every view and report, a Retry-After date, the sandbox's day and
    its updatedAt all come from it, so fixing it fixes them all (no test reads the wall clock)."""
    package = ROOT / "wingspan_nb"
    reads = {
        str(path.relative_to(ROOT)): lines
        for path in sorted(package.rglob("*.py"))
        if (lines := _wall_clock_reads(path))
    }
    assert reads.pop("wingspan_nb/_clock.py") == [inspect.getsourcelines(_clock.utc_now)[1] + 2]
    assert reads == {}, "read the time with wingspan_nb._clock.utc_now, or take clock: Clock"


def test_fixing_the_wall_clock_fixes_every_now_and_today(monkeypatch: pytest.MonkeyPatch, env: Any) -> None:
    sandbox, client = env
    fixed = datetime(2031, 5, 17, 23, 30, tzinfo=timezone.utc)
    monkeypatch.setattr(_clock, "utc_now", lambda: fixed)
    day = date(2031, 5, 17)
    assert _clock.today_utc() == as_utc_date(None) == day
    assert overdue_days(InvoiceStatus.OPEN, "2031-05-10T12:00:00.000Z") == 7
    assert parse_retry_after("Sat, 17 May 2031 23:30:30 GMT") == 30.0
    assert make_invoice(3) == make_invoice(3, today=day) and SandboxServer(count=1).today == day
    reply = client.client_invoice.update(IDS[0], ClientInvoiceUpdateRequest(status=InvoiceStatus.OPEN))
    assert reply.client_invoice.updated_at == "2031-05-17T23:30:00.000Z"
    assert sandbox.requests[-1].method == "PATCH"


def test_the_bulk_edits_clock_is_the_packages_unless_given_one() -> None:
    """A plan and its result stamp the audit log with ``clock`` (``Clock``: aware UTC datetimes);
    by default the package's one wall clock."""
    assert attrs.fields(BulkPlan).clock.default is _clock.utc_now
    assert attrs.fields(BulkResult).clock.default is _clock.utc_now
