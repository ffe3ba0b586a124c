"""The sandbox speaks the API's HTTP as the real server and a spec-driven mock do (NOTES.md's table)."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from datetime import date
from typing import Any

import pytest
import requests

from wingspan_nb.sandbox import HOSTILE_TEXTS, SandboxServer, demo_invoices, make_invoice

from .helpers import TODAY, load_spec


def _url(sandbox: SandboxServer, invoice_id: str) -> str:
    return f"{sandbox.url}/payments/client/invoice/{invoice_id}"


def _raw_patch(sandbox: SandboxServer, invoice_id: str, body: str | bytes) -> requests.Response:
    """A PATCH of exactly these bytes (requests' json= would refuse or rewrite the hostile ones)."""
    return requests.patch(
        _url(sandbox, invoice_id),
        data=body,
        headers={**_auth(sandbox), "Content-Type": "application/json"},
        timeout=5,
    )


def _auth(sandbox: SandboxServer) -> dict[str, str]:
    return {"Authorization": f"Bearer {sandbox.token}"}


def test_binds_loopback_only(sandbox: SandboxServer) -> None:
    assert sandbox.url.startswith("http://127.0.0.1:")
    assert sandbox._httpd is not None and sandbox._httpd.server_address[0] == "127.0.0.1"


def test_401_without_the_bearer_token(sandbox: SandboxServer) -> None:
    invoice_id = sandbox.ids()[0]
    assert requests.get(_url(sandbox, invoice_id), timeout=5).status_code == 401
    wrong = requests.get(_url(sandbox, invoice_id), headers={"Authorization": "Bearer nope"}, timeout=5)
    assert wrong.status_code == 401 and wrong.headers["Content-Type"] == "application/problem+json"


def test_404_for_unknown_id_and_unescaped_slash(sandbox: SandboxServer) -> None:
    assert requests.get(_url(sandbox, "missing"), headers=_auth(sandbox), timeout=5).status_code == 404
    assert requests.get(_url(sandbox, "a/b"), headers=_auth(sandbox), timeout=5).status_code == 404


@pytest.mark.parametrize(
    ("body", "content_type", "status", "location"),
    [
        (b'{"status": "paid"}', "application/json", 422, ["body", "status"]),
        (b'{"creditFeeHandling": "x"}', "application/json", 422, ["body", "creditFeeHandling"]),
        (
            b'{"creditFeeHandling": {"clientPays": "50"}}',
            "application/json",
            422,
            ["body", "creditFeeHandling", "clientPays"],
        ),
        (
            b'{"creditFeeHandling": {"clientPays": true}}',
            "application/json",
            422,
            ["body", "creditFeeHandling", "clientPays"],
        ),
        (b'{"amount": 1}', "application/json", 422, ["body", "amount"]),
        (b"[]", "application/json", 422, ["body"]),
        (b"{not json", "application/json", 400, None),
        (b'{"status": "Paid"}', "text/plain", 415, None),
    ],
)
def test_patch_rejections(
    sandbox: SandboxServer, body: bytes, content_type: str, status: int, location: Any
) -> None:
    invoice_id = sandbox.ids()[0]
    before = sandbox.invoice(invoice_id)
    r = requests.patch(
        _url(sandbox, invoice_id),
        data=body,
        headers={**_auth(sandbox), "Content-Type": content_type},
        timeout=5,
    )
    assert r.status_code == status
    assert r.headers["Content-Type"] == "application/problem+json"
    if location is not None:
        assert r.json()["validation"][0]["location"] == location
    assert sandbox.invoice(invoice_id) == before  # nothing changed


def test_patch_changes_the_invoice_and_updated_at(sandbox: SandboxServer) -> None:
    invoice_id = sandbox.ids()[0]
    before = sandbox.invoice(invoice_id)
    r = requests.patch(
        _url(sandbox, invoice_id),
        json={"status": "Open", "creditFeeHandling": {"clientPays": 100}},
        headers=_auth(sandbox),
        timeout=5,
    )
    assert r.status_code == 200
    after = r.json()
    assert after == sandbox.invoice(invoice_id)
    assert after["status"] == "Open" and after["creditFeeHandling"] == {"clientPays": 100}
    assert after["updatedAt"] > before["updatedAt"]
    # A null status leaves the status alone: the invoice's status is required and never null.
    r = requests.patch(_url(sandbox, invoice_id), json={"status": None}, headers=_auth(sandbox), timeout=5)
    assert r.status_code == 200 and r.json()["status"] == "Open"


def test_reset_restores_the_demo_invoices(sandbox: SandboxServer) -> None:
    invoice_id = sandbox.ids()[0]
    original = sandbox.invoice(invoice_id)
    requests.patch(_url(sandbox, invoice_id), json={"status": "Paid"}, headers=_auth(sandbox), timeout=5)
    sandbox.reset()
    assert sandbox.invoice(invoice_id) == original and sandbox.requests == []


def test_demo_invoices_are_varied() -> None:
    invoices = demo_invoices(today=TODAY)
    assert len(invoices) >= 20
    assert {i["status"] for i in invoices} >= {
        "Draft",
        "Open",
        "Overdue",
        "Cancelled",
        "Pending",
        "PaymentInTransit",
        "Paid",
    }
    assert max(len(i["lineItems"]) for i in invoices) >= 300
    assert len({i["memberName"] for i in invoices}) >= 3
    hostile = [i for i in invoices if i["projectName"] == HOSTILE_TEXTS["project"]]
    assert hostile and "<script>" in hostile[0]["projectName"] and "$" in hostile[0]["projectName"]
    assert len({i["invoiceId"] for i in invoices}) == len(invoices)


@pytest.mark.parametrize(
    "today", [date(2026, 12, 7), date(2028, 2, 29), date(2024, 1, 1), date(2031, 7, 15), date(2025, 6, 30)]
)
def test_every_overdue_demo_invoice_is_past_its_due_date(today: date) -> None:
    """Overdue means past due: every Overdue demo invoice (the default 48, and a large account) is
    due before the sandbox's ``today``, by the rule every view uses, whatever ``today`` is."""
    from wingspan_nb._facts import overdue_days

    docs = demo_invoices(400, today=today)
    overdue = [d for d in docs if d["status"] == "Overdue"]
    assert len(overdue) >= 20  # the rule is checked on many, not on one or two
    late = {d["invoiceNumber"]: overdue_days(d["status"], d["dueDate"], today) for d in overdue}
    assert {n: days for n, days in late.items() if days is None or days < 1} == {}
    for d in overdue:  # and the rest of its story still holds: created, sent, then due
        assert d["createdAt"] < d["events"]["sentAt"] < d["dueDate"]


def _wire_times(doc: Any, path: str = "") -> list[tuple[str, str]]:
    """Every timestamp in a wire document with its path (lists of them, such as emailViewedAt, too)."""
    from wingspan_nb._facts import has_time_of_day

    if isinstance(doc, dict):
        return [t for k, v in doc.items() for t in _wire_times(v, f"{path}.{k}" if path else k)]
    if isinstance(doc, list):
        return [t for n, v in enumerate(doc) for t in _wire_times(v, f"{path}[{n}]")]
    return [(path, doc)] if has_time_of_day(doc) else []


@pytest.mark.parametrize(
    "today", [date(2026, 12, 7), date(2028, 2, 29), date(2024, 1, 1), date(2031, 7, 15), date(2025, 6, 30)]
)
def test_no_demo_invoice_has_happened_after_the_sandboxs_today(today: date) -> None:
    """Everything that happened to a demo invoice happened by ``today`` (its due date aside), and in
    order: created, sent, paid, in transit, deposited. Paid and in-transit invoices were paid after
    ``today`` before (INV-2026-0307, for 2026-12-07, was paid on 2026-12-22)."""
    from wingspan_nb._facts import parse_timestamp

    docs = demo_invoices(400, today=today)
    settled = [d for d in docs if d["status"] in ("Paid", "PaymentInTransit")]
    assert len(settled) >= 40  # checked on many, not on one or two
    future = {
        (d["invoiceNumber"], path): value
        for d in docs
        for path, value in _wire_times(d)
        if path != "dueDate" and parse_timestamp(value).date() > today  # type: ignore[union-attr]
    }
    assert future == {}
    order = ("sentAt", "paidAt", "paymentInTransitAt", "depositedAt")
    for d in docs:
        story = [d["createdAt"], *(d["events"].get(k) for k in order)]
        times = [parse_timestamp(t) for t in story if t is not None]
        assert times == sorted(times), (d["invoiceNumber"], story)  # type: ignore[type-var]
        assert str(times[0].year) in d["invoiceNumber"]  # type: ignore[union-attr]
    assert [d["invoiceId"] for d in docs] == [
        d["invoiceId"] for d in demo_invoices(400, today=date(2030, 1, 1))
    ]


@pytest.mark.parametrize("year", ["2023", "2024"])
def test_demo_invoices_are_valid_against_the_spec(year: str) -> None:
    import jsonschema

    spec = load_spec(year)
    schemas = spec["components"]["schemas"]
    validator = jsonschema.Draft202012Validator(
        {"$ref": "#/components/schemas/ClientInvoice", "components": {"schemas": schemas}}
    )
    for invoice in demo_invoices(today=TODAY):
        validator.validate(invoice)


def test_python_m_sandbox_runs_in_the_foreground() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "wingspan_nb.sandbox", "--token", "cli-token", "--count", "5"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert "Wingspan sandbox on http://127.0.0.1:" in first and "with 5 demo invoices" in first
        url = first.split(" on ")[1].split(" ")[0]
        auth = {"Authorization": "Bearer cli-token"}
        assert requests.get(f"{url}/payments/client/invoice/x", headers=auth, timeout=5).status_code == 404
        listed = requests.get(f"{url}/payments/client/invoice", headers=auth, timeout=5).json()
        assert [d["invoiceId"] for d in listed] == [d["invoiceId"] for d in demo_invoices(5)]
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(timeout=10) == 0


def test_stop_ends_keep_alive_connections() -> None:
    sandbox = SandboxServer(today=TODAY).start()
    session = requests.Session()
    url = _url(sandbox, sandbox.ids()[0])
    assert session.get(url, headers=_auth(sandbox), timeout=5).status_code == 200
    sandbox.stop()
    with pytest.raises(requests.ConnectionError):
        session.get(url, headers=_auth(sandbox), timeout=5)


# -- the list and fees routes, methods, non-finite numbers, reset, faults by method ------------------


def test_list_route_serves_every_invoice_in_a_stable_order(sandbox: SandboxServer) -> None:
    url = f"{sandbox.url}/payments/client/invoice"
    first = requests.get(url, headers=_auth(sandbox), timeout=5)
    assert first.status_code == 200 and first.headers["Content-Type"] == "application/json"
    assert [d["invoiceId"] for d in first.json()] == sandbox.ids()
    assert requests.get(url, headers=_auth(sandbox), timeout=5).content == first.content
    assert requests.get(url, timeout=5).status_code == 401


def test_list_reflects_changes(sandbox: SandboxServer) -> None:
    url = f"{sandbox.url}/payments/client/invoice"
    invoice_id = sandbox.ids()[0]
    requests.get(url, headers=_auth(sandbox), timeout=5)  # encoded once, then kept
    requests.patch(_url(sandbox, invoice_id), json={"status": "Paid"}, headers=_auth(sandbox), timeout=5)
    assert requests.get(url, headers=_auth(sandbox), timeout=5).json()[0]["status"] == "Paid"
    sandbox.put({**sandbox.invoice(invoice_id), "memberName": "Someone Else"})
    assert requests.get(url, headers=_auth(sandbox), timeout=5).json()[0]["memberName"] == "Someone Else"


def test_fees_route(sandbox: SandboxServer) -> None:
    invoice_id = sandbox.ids()[2]
    r = requests.get(_url(sandbox, invoice_id) + "/fees", headers=_auth(sandbox), timeout=5)
    amount = sandbox.invoice(invoice_id)["amount"]
    assert r.status_code == 200 and r.json() == {"creditFeeTotal": round(amount * 0.029 + 0.30, 2)}
    assert (
        requests.get(_url(sandbox, "missing") + "/fees", headers=_auth(sandbox), timeout=5).status_code == 404
    )
    assert requests.get(_url(sandbox, invoice_id) + "/fees", timeout=5).status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PATCH", "/payments/client/invoice", "GET"),
        ("DELETE", "/payments/client/invoice/{id}", "GET, PATCH"),
        ("POST", "/payments/client/invoice/{id}/fees", "GET"),
        ("PROPFIND", "/payments/client/invoice/{id}", "GET, PATCH"),
        ("BREW", "/payments/client/invoice", "GET"),
    ],
)
def test_unknown_methods_get_405_problem_json(
    sandbox: SandboxServer, method: str, path: str, allow: str
) -> None:
    url = sandbox.url + path.format(id=sandbox.ids()[0])
    r = requests.request(method, url, headers=_auth(sandbox), timeout=5)
    assert r.status_code == 405 and r.headers["Content-Type"] == "application/problem+json"
    assert r.headers["Allow"] == allow and r.json()["status"] == 405


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_are_refused(sandbox: SandboxServer, number: str) -> None:
    invoice_id = sandbox.ids()[0]
    before = sandbox.invoice(invoice_id)
    body = f'{{"creditFeeHandling": {{"clientPays": {number}, "memberPays": 0}}}}'
    r = _raw_patch(sandbox, invoice_id, body)
    assert r.status_code == 400 and "not valid JSON" in r.json()["detail"]
    assert sandbox.invoice(invoice_id) == before
    served = requests.get(_url(sandbox, invoice_id), headers=_auth(sandbox), timeout=5)
    assert served.json() == before  # still valid JSON (json.loads would accept NaN: check the text)
    assert "NaN" not in served.text and "Infinity" not in served.text


def test_a_bad_status_names_every_invoice_status(sandbox: SandboxServer) -> None:
    from wingspan_nb.models import InvoiceStatus

    r = requests.patch(
        _url(sandbox, sandbox.ids()[0]), json={"status": "paid"}, headers=_auth(sandbox), timeout=5
    )
    message = r.json()["validation"][0]["message"]
    assert all(s.value in message for s in InvoiceStatus)


def test_reset_restores_the_invoices_it_was_given() -> None:
    mine = [make_invoice(n, invoice_id=f"mine-{n}", today=TODAY) for n in range(1, 4)]
    with SandboxServer(invoices=mine) as sandbox:
        requests.patch(_url(sandbox, "mine-1"), json={"status": "Paid"}, headers=_auth(sandbox), timeout=5)
        sandbox.put({**mine[0], "invoiceId": "extra"})
        sandbox.reset()
        assert sandbox.ids() == ["mine-1", "mine-2", "mine-3"]
        assert [sandbox.invoice(i) for i in sandbox.ids()] == mine
    mine[1]["status"] = "changed by the caller"
    assert SandboxServer(invoices=mine).invoice("mine-2")["status"] == "changed by the caller"


def test_count_serves_that_many_varied_invoices() -> None:
    sandbox = SandboxServer(count=300, today=TODAY)
    assert len(set(sandbox.ids())) == 300
    statuses = {sandbox.invoice(i)["status"] for i in sandbox.ids()}
    currencies = {sandbox.invoice(i)["currency"] for i in sandbox.ids()}
    assert len(statuses) == 7 and currencies == {"USD", "CAD"}
    sandbox.reset()
    assert len(sandbox.ids()) == 300
    with pytest.raises(ValueError, match="not both"):
        SandboxServer(count=3, invoices=[])


@pytest.mark.parametrize("fault", ["drop_next", "malformed_next", "delay_next"])
def test_faults_take_a_method(sandbox: SandboxServer, fault: str) -> None:
    invoice_id = sandbox.ids()[0]
    if fault == "delay_next":
        sandbox.delay_next(0.0, method="PATCH")
    else:
        getattr(sandbox, fault)(method="PATCH")
    r = requests.get(_url(sandbox, invoice_id), headers=_auth(sandbox), timeout=5)
    assert r.status_code == 200 and r.json()["invoiceId"] == invoice_id  # a GET is not affected
    assert len(sandbox._faults) == 1 and sandbox._faults[0].method == "PATCH"
    if fault == "drop_next":
        with pytest.raises(requests.ConnectionError):
            requests.patch(_url(sandbox, invoice_id), json={}, headers=_auth(sandbox), timeout=5)
    else:
        r = requests.patch(_url(sandbox, invoice_id), json={}, headers=_auth(sandbox), timeout=5)
        assert r.status_code == 200 and (fault == "delay_next") == (r.content.endswith(b"}"))
    assert not sandbox._faults


def _patch_in_background(sandbox: SandboxServer, invoice_id: str) -> tuple[threading.Thread, list[Any]]:
    """A PATCH to Paid sent from another thread (the sandbox holds it); its reply or error lands in the list."""
    got: list[Any] = []

    def send() -> None:
        try:
            got.append(
                requests.patch(
                    _url(sandbox, invoice_id), json={"status": "Paid"}, headers=_auth(sandbox), timeout=30
                )
            )
        except requests.RequestException as e:
            got.append(e)

    thread = threading.Thread(target=send)
    thread.start()
    return thread, got


def _held(sandbox: SandboxServer) -> int:
    with sandbox._holding:
        sandbox._holding.wait_for(lambda: sandbox._held > 0, timeout=10)
        return sandbox._held


def test_a_delayed_request_is_held_until_released_and_acted_on_then(sandbox: SandboxServer) -> None:
    invoice_id = sandbox.ids()[0]
    before = sandbox.invoice(invoice_id)["status"]
    sandbox.delay_next(3600, method="PATCH")
    thread, got = _patch_in_background(sandbox, invoice_id)
    assert _held(sandbox) == 1 and sandbox.invoice(invoice_id)["status"] == before  # held before acting
    sandbox.release()
    assert sandbox.invoice(invoice_id)["status"] == "Paid"  # acted on by the time release() returns
    thread.join(10)
    assert [r.status_code for r in got] == [200] and sandbox.requests[-1].status == 200


def test_stopping_drops_a_held_request_unanswered_and_not_acted_on() -> None:
    with SandboxServer(today=TODAY) as sandbox:
        invoice_id = sandbox.ids()[0]
        before = sandbox.invoice(invoice_id)["status"]
        sandbox.delay_next(3600)
        thread, got = _patch_in_background(sandbox, invoice_id)
        assert _held(sandbox) == 1
    assert sandbox._held == 0 and sandbox.requests[-1].status == -1  # dropped by the time stop() returns
    assert sandbox.invoice(invoice_id)["status"] == before
    thread.join(10)
    assert len(got) == 1 and isinstance(got[0], requests.ConnectionError)


@pytest.mark.parametrize("seconds", [float("inf"), 1e12])
def test_a_delay_past_what_a_wait_can_take_holds_until_released(
    sandbox: SandboxServer, seconds: float
) -> None:
    invoice_id = sandbox.ids()[0]
    sandbox.delay_next(seconds, method="PATCH")
    thread, got = _patch_in_background(sandbox, invoice_id)
    assert _held(sandbox) == 1
    sandbox.release()
    assert sandbox._held == 0 and sandbox.invoice(invoice_id)["status"] == "Paid"
    thread.join(10)
    assert [r.status_code for r in got] == [200]


@pytest.mark.parametrize("seconds", [float("nan"), -1, "5", True, None])
def test_a_delay_that_is_not_a_number_of_seconds_is_refused(sandbox: SandboxServer, seconds: Any) -> None:
    with pytest.raises(ValueError, match="seconds must be a number, 0 or more"):
        sandbox.delay_next(seconds)
    assert not sandbox._faults


@pytest.mark.parametrize("fault", ["fail_next", "drop_next", "malformed_next", "delay_next"])
def test_a_fault_s_method_is_read_in_any_case_and_an_unknown_one_refused(
    sandbox: SandboxServer, fault: str
) -> None:
    add = (lambda **kw: sandbox.delay_next(0.0, **kw)) if fault == "delay_next" else getattr(sandbox, fault)
    add(method="get")
    with pytest.raises(ValueError, match="method must be one of GET, PATCH"):
        add(method="FETCH")
    assert [f.method for f in sandbox._faults] == ["GET"]
    assert sandbox._next_fault("PATCH") is None and sandbox._next_fault("GET") is not None


def test_the_sandbox_writes_timestamps_and_reads_fields_as_the_models_do(sandbox: SandboxServer) -> None:
    from wingspan_nb._facts import parse_timestamp
    from wingspan_nb.models import ClientInvoiceUpdateRequest, FeeHandlingConfig, field_plan
    from wingspan_nb.sandbox._demo import wire_timestamp

    invoice_id = sandbox.ids()[0]
    fees = {f.wire: 50 for f in field_plan(FeeHandlingConfig)}
    body = {"status": "Paid", "creditFeeHandling": fees}
    assert set(body) == {f.wire for f in field_plan(ClientInvoiceUpdateRequest)}
    r = requests.patch(_url(sandbox, invoice_id), json=body, headers=_auth(sandbox), timeout=5)
    assert r.status_code == 200 and r.json()["creditFeeHandling"] == fees
    updated = r.json()["updatedAt"]
    parsed = parse_timestamp(updated)
    assert parsed is not None and wire_timestamp(parsed) == updated


def test_head_gets_a_405_without_a_body_and_the_connection_stays_usable(sandbox: SandboxServer) -> None:
    with requests.Session() as session:
        head = session.head(f"{sandbox.url}/payments/client/invoice", headers=_auth(sandbox), timeout=5)
        assert head.status_code == 405 and head.content == b""
        after = session.get(f"{sandbox.url}/payments/client/invoice", headers=_auth(sandbox), timeout=5)
        assert after.status_code == 200 and len(after.json()) == 48


def test_demo_ids_are_drawn_as_random_choice_draws_them() -> None:
    """The fast id generator keeps the demo ids (named by recorded cassettes) as they were."""
    import random

    from wingspan_nb.sandbox._demo import _ID_CHARS, _id

    for seed in range(50):
        fast, slow = random.Random(seed), random.Random(seed)
        assert _id(fast) == "".join(slow.choice(_ID_CHARS) for _ in range(22))
        assert fast.random() == slow.random()  # and leaves the stream where choice() left it


# -- hostile input: refused with a problem+json reply, never a hang, a dropped connection or a traceback --


def _raw(sandbox: SandboxServer, head: str, body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    """Send ``head`` (request line and headers, the token added) and ``body`` over a plain socket;
    the reply. The socket's timeout fails the test if the sandbox never answers."""
    return _raw_bytes(sandbox, f"{head}\r\nAuthorization: Bearer {sandbox.token}\r\n\r\n".encode() + body)


def _patch_head(sandbox: SandboxServer, *headers: str) -> str:
    lines = [f"PATCH /payments/client/invoice/{sandbox.ids()[0]} HTTP/1.1", "Host: x", *headers]
    return "\r\n".join(lines)


@pytest.mark.parametrize(
    "number", ["1" + "0" * 400, "-" + "9" * 309, "1" + "0" * 5000, "17976931348623159" + "0" * 292]
)
def test_integers_too_large_for_a_double_are_refused(sandbox: SandboxServer, number: str) -> None:
    invoice_id = sandbox.ids()[0]
    before = sandbox.invoice(invoice_id)
    body = f'{{"creditFeeHandling": {{"clientPays": {number}}}}}'
    r = _raw_patch(sandbox, invoice_id, body)
    assert r.status_code == 400 and "out of range for a number" in r.json()["detail"]
    assert len(r.json()["detail"]) < 200  # the 5,000 digits are not echoed
    assert sandbox.invoice(invoice_id) == before
    listed = requests.get(f"{sandbox.url}/payments/client/invoice", headers=_auth(sandbox), timeout=5)
    assert listed.status_code == 200 and len(listed.json()) == 48  # the store is not poisoned


def test_the_largest_integer_a_double_holds_is_taken(sandbox: SandboxServer) -> None:
    invoice_id = sandbox.ids()[0]
    big = "17976931348623157" + "0" * 292  # float max, written out
    r = _raw_patch(sandbox, invoice_id, f'{{"creditFeeHandling": {{"clientPays": {big}}}}}')
    assert r.status_code == 200  # a number, as the spec types it (see the fee share test below)
    assert requests.get(_url(sandbox, invoice_id), headers=_auth(sandbox), timeout=5).json() == r.json()


@pytest.mark.parametrize("value", [500, -3, 100.5])
def test_fee_shares_out_of_range_are_taken_as_the_spec_types_them(
    sandbox: SandboxServer, value: float
) -> None:
    """The spec says only ``number | null``; the client refuses these before sending (README)."""
    invoice_id = sandbox.ids()[0]
    r = requests.patch(
        _url(sandbox, invoice_id),
        json={"creditFeeHandling": {"clientPays": value}},
        headers=_auth(sandbox),
        timeout=5,
    )
    assert r.status_code == 200 and sandbox.invoice(invoice_id)["creditFeeHandling"] == {"clientPays": value}


@pytest.mark.parametrize("depth", [2_000, 200_000])
@pytest.mark.parametrize("where", ["top", "status", "fee"])
def test_deep_nesting_is_refused(
    sandbox: SandboxServer, capfd: pytest.CaptureFixture[str], depth: int, where: str
) -> None:
    nested = "[" * depth + "]" * depth
    body = {
        "top": nested,
        "status": f'{{"status": {nested}}}',
        "fee": f'{{"creditFeeHandling": {{"clientPays": {nested}}}}}',
    }[where].encode()
    status, headers, reply = _raw(
        sandbox, _patch_head(sandbox, "Content-Type: application/json", f"Content-Length: {len(body)}"), body
    )
    assert status == 400 and headers["content-type"] == "application/problem+json"
    assert "nested too deeply" in json.loads(reply)["detail"]
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize("length", ["-1", "abc", "1e3", "0x10", "+5", "٣", "5, 6", "9" * 5000])
def test_a_content_length_that_is_not_a_byte_count_is_refused(
    sandbox: SandboxServer, capfd: pytest.CaptureFixture[str], length: str
) -> None:
    status, headers, reply = _raw(
        sandbox, _patch_head(sandbox, "Content-Type: application/json", f"Content-Length: {length}"), b"{}"
    )
    assert status == (413 if length.isascii() and length.isdigit() else 400)
    assert headers["content-type"] == "application/problem+json" and headers["connection"] == "close"
    assert json.loads(reply)["status"] == status and len(reply) < 400
    assert sandbox.requests[-1].status == status and sandbox.requests[-1].body == b""
    assert "Traceback" not in capfd.readouterr().err


def test_two_different_content_lengths_are_refused(sandbox: SandboxServer) -> None:
    head = _patch_head(sandbox, "Content-Type: application/json", "Content-Length: 2", "Content-Length: 20")
    assert _raw(sandbox, head, b"{}")[0] == 400


def test_a_chunked_body_is_refused(sandbox: SandboxServer) -> None:
    head = _patch_head(sandbox, "Content-Type: application/json", "Transfer-Encoding: chunked")
    status, headers, _ = _raw(sandbox, head, b"2\r\n{}\r\n0\r\n\r\n")
    assert status == 411 and headers["connection"] == "close"


def test_a_body_over_the_limit_gets_413_without_being_read(sandbox: SandboxServer) -> None:
    # 50 MB declared, a few bytes sent: the reply comes at once (reading the body would wait for it).
    head = _patch_head(sandbox, "Content-Type: application/json", "Content-Length: 50000000")
    status, _, reply = _raw(sandbox, head, b'{"status": ')
    assert status == 413 and "1,048,576" in json.loads(reply)["detail"]
    assert sandbox.requests[-1].body == b""


def test_a_body_over_the_limit_is_not_invited_with_100_continue(sandbox: SandboxServer) -> None:
    head = _patch_head(
        sandbox, "Content-Type: application/json", "Content-Length: 50000000", "Expect: 100-continue"
    )
    port = int(sandbox.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"{head}\r\nAuthorization: Bearer {sandbox.token}\r\n\r\n".encode())
        assert s.makefile("rb").readline().startswith(b"HTTP/1.1 413 ")  # not "100 Continue" first
    head = _patch_head(sandbox, "Content-Type: application/json", "Content-Length: 2", "Expect: 100-continue")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"{head}\r\nAuthorization: Bearer {sandbox.token}\r\n\r\n".encode())
        reply = s.makefile("rb")
        assert reply.readline().startswith(b"HTTP/1.1 100 ")  # a body that fits is invited
        s.sendall(b"{}")
        while reply.readline() != b"\r\n":
            pass
        assert reply.readline().startswith(b"HTTP/1.1 200 ")


def test_a_client_that_sends_a_large_body_first_still_reads_the_413(sandbox: SandboxServer) -> None:
    body = b'{"status": "Paid", "x": "' + b"a" * (3 << 20) + b'"}'
    r = requests.patch(
        _url(sandbox, sandbox.ids()[0]),
        data=body,
        headers={**_auth(sandbox), "Content-Type": "application/json"},
        timeout=10,
    )
    assert r.status_code == 413 and r.json()["title"] == "Content Too Large"
    assert sandbox.requests[-1].body == b""


def test_max_body_bytes_sets_the_limit() -> None:
    with SandboxServer(max_body_bytes=10, today=TODAY) as sandbox:
        head = _patch_head(sandbox, "Content-Type: application/json", "Content-Length: 11")
        assert _raw(sandbox, head, b'{"status":1}')[0] == 413
        head = _patch_head(sandbox, "Content-Type: application/json", "Content-Length: 2")
        assert _raw(sandbox, head, b"{}")[0] == 200


def test_a_body_that_never_comes_does_not_hold_the_handler() -> None:
    with SandboxServer(idle_timeout=0.2, today=TODAY) as sandbox:
        port = int(sandbox.url.rsplit(":", 1)[1])
        head = _patch_head(sandbox, "Content-Type: application/json", "Content-Length: 100")
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(f"{head}\r\nAuthorization: Bearer {sandbox.token}\r\n\r\n{{".encode())
            assert s.recv(100) == b""  # closed by the sandbox, not by this socket's 10 s timeout


@pytest.mark.parametrize("page", ["²", "0", "-1", "9" * 5000])
def test_a_page_that_is_not_a_page_number_is_refused(page: str, capfd: pytest.CaptureFixture[str]) -> None:
    with SandboxServer(page_size=10, today=TODAY) as sandbox:
        r = requests.get(
            f"{sandbox.url}/payments/client/invoice", params={"page": page}, headers=_auth(sandbox), timeout=5
        )
        assert r.status_code == 400 and len(r.json()["detail"]) < 200
    assert "Traceback" not in capfd.readouterr().err


def _raw_bytes(sandbox: SandboxServer, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send exactly ``request`` over a plain socket (no token added); the reply."""
    port = int(sandbox.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request)
        reply = http.client.HTTPResponse(s)
        reply.begin()
        return reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read()


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GARBAGE\r\n\r\n", 400),  # one word: no method, no path
        (b"GET / HTTP/9.9\r\n\r\n", 505),  # a version no server speaks
        (b"GET / HTTP/x\r\n\r\n", 400),
        (b"POST /\r\n\r\n", 400),  # HTTP/0.9 knows GET only
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n", 431),
        (b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(150)) + b"\r\n", 431),
    ],
    ids=["one-word", "version-9.9", "version-x", "post-0.9", "70-KB-uri", "70-KB-header", "150-headers"],
)
def test_a_request_http_server_refuses_gets_problem_json(
    sandbox: SandboxServer, request_bytes: bytes, status: int
) -> None:
    got, headers, body = _raw_bytes(sandbox, request_bytes)
    assert got == status and headers["content-type"] == "application/problem+json"
    problem = json.loads(body)
    assert problem["status"] == status and problem["title"] and problem["detail"]
    assert headers["connection"] == "close" and int(headers["content-length"]) == len(body) < 1000
    assert b"<html" not in body.lower() and b"aaaa" * 100 not in body  # the long line is not echoed


def test_a_patch_of_an_invoice_without_updated_at_is_applied_and_answered(
    capfd: pytest.CaptureFixture[str],
) -> None:
    mine = make_invoice(4, status="Open", invoice_id="no-stamp", today=TODAY)
    del mine["updatedAt"]
    with SandboxServer(invoices=[mine]) as sandbox:
        r = _raw_patch(sandbox, "no-stamp", '{"status": "Paid"}')
        assert r.status_code == 200 and r.json()["status"] == "Paid" and r.json()["updatedAt"]
        assert sandbox.invoice("no-stamp")["status"] == "Paid"
    assert "Traceback" not in capfd.readouterr().err


def test_a_request_the_sandbox_cannot_handle_changes_nothing_and_gets_problem_json(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from wingspan_nb.sandbox import _server

    def unforeseen(previous: object) -> str:  # fails where a PATCH without updatedAt used to
        raise KeyError("updatedAt")

    monkeypatch.setattr(_server, "_later_than", unforeseen)
    invoice_id = sandbox.ids()[0]
    before = sandbox.invoice(invoice_id)
    r = _raw_patch(sandbox, invoice_id, '{"status": "Paid"}')
    assert r.status_code == 500 and r.headers["Content-Type"] == "application/problem+json"
    assert "nothing was changed" in r.json()["detail"] and "KeyError" in r.json()["detail"]
    assert sandbox.invoice(invoice_id) == before
    assert "Traceback" not in capfd.readouterr().err


def test_a_request_being_held_wakes_whoever_waits_for_it(sandbox: SandboxServer) -> None:
    from wingspan_nb.sandbox._server import _SETTLE

    invoice_id = sandbox.ids()[0]
    sandbox.delay_next(3600, method="PATCH")
    with sandbox._holding:  # taken first, so that the hold cannot start before the wait does
        thread, got = _patch_in_background(sandbox, invoice_id)
        notified = sandbox._holding.wait(timeout=_SETTLE)  # True when notified, False on the timeout
        held = sandbox._held
    sandbox.release()
    thread.join(10)
    assert notified and held == 1 and [r.status_code for r in got] == [200]


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"count": -1}, "count"),
        ({"count": 2.5}, "count"),
        ({"count": True}, "count"),
        ({"page_size": 0}, "page_size"),
        ({"latency": -1}, "latency"),
        ({"latency": float("nan")}, "latency"),
        ({"idle_timeout": 0}, "idle_timeout"),
        ({"port": 70_000}, "port"),
        ({"max_body_bytes": "1"}, "max_body_bytes"),
        ({"today": "2026-11-30"}, "today"),
        ({"token": " "}, "token"),
        ({"invoices": {"invoiceId": "x"}}, "invoices"),
        ({"invoices": [{"id": "x"}]}, "invoices"),
    ],
)
def test_a_wrong_sandbox_option_raises_a_typed_error_naming_it(options: dict[str, Any], named: str) -> None:
    from wingspan_nb.errors import InvalidRequestError

    with pytest.raises(InvalidRequestError, match=named):
        SandboxServer(**options)


def test_the_demo_data_is_the_same_on_any_day_given_today() -> None:
    from datetime import timedelta

    one = demo_invoices(12, today=TODAY)
    assert one == demo_invoices(12, today=TODAY)
    later = demo_invoices(12, today=TODAY + timedelta(days=45))
    assert [d["invoiceId"] for d in later] == [d["invoiceId"] for d in one]  # ids never move
    shifted = [d["dueDate"] for d in later]
    assert shifted != [d["dueDate"] for d in one] and all(d[:4] in ("2025", "2026", "2027") for d in shifted)
    with SandboxServer(count=12, today=TODAY) as sandbox:
        assert sandbox.invoice(one[0]["invoiceId"]) == one[0] and sandbox.today == TODAY
        sandbox.reset()
        assert sandbox.invoice(one[0]["invoiceId"]) == one[0]
