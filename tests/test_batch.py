"""get_many: order, partial failures, shared 429 backoff, interruption, progress."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from concurrent.futures import wait as real_wait
from typing import Any, TypeVar

import pandas as pd
import pytest

from wingspan_nb import Wingspan, to_dataframe
from wingspan_nb import _batch as batch
from wingspan_nb._batch import BatchInterruptedWarning, BatchResult
from wingspan_nb._transport import Gate
from wingspan_nb.errors import (
    APIConnectionError,
    InvalidIdError,
    InvalidRequestError,
    NotFoundError,
    ResponseValidationError,
    WingspanError,
)
from wingspan_nb.sandbox import SandboxServer, make_invoice

from .helpers import TODAY, execute_notebook, interrupt_at_response

_R = TypeVar("_R")

PARKED_LIMIT = 10.0  # only bounds a hang when the code under test is broken; never reached otherwise


class ProbeGate(Gate):
    """The client's shared 429 gate on a frozen clock (so every wait is the whole ``Retry-After``),
    recording each wait: its thread, whether the 429's hold had happened when it began, what it slept.

    ``hold_back=True`` parks every wait but the first until the hold, so that every worker is known to
    ask the gate after the 429 (no request is "already past the gate" by chance)."""

    def __init__(self, *, hold_back: bool = False) -> None:
        super().__init__(clock=lambda: 0.0)
        self.held = threading.Event()
        self.hold_back = hold_back
        self.waits: list[tuple[int, bool, list[float]]] = []
        self._record = threading.Lock()

    def hold(self, seconds: float) -> None:
        super().hold(seconds)
        self.held.set()

    def wait(self, sleep: Callable[[float], None]) -> None:
        with self._record:
            first = not self.waits
            slept: list[float] = []
            self.waits.append((threading.get_ident(), self.held.is_set(), slept))
        if self.hold_back and not first:
            assert self.held.wait(PARKED_LIMIT)
        super().wait(lambda s: (slept.append(s), sleep(s))[-1])

    def after_hold(self) -> list[tuple[int, list[float]]]:
        """The waits that began once a 429 had been answered, with what each slept."""
        return [(thread, slept) for thread, held, slept in self.waits if held]


def interrupt_when(ready: Callable[[], bool], then: Callable[[], None]) -> Callable[..., Any]:
    """A stand-in for ``concurrent.futures.wait`` in ``batch``: the first call raises KeyboardInterrupt
    (what Ctrl-C or the notebook's stop button does to the main thread) once ``ready()``; later
    calls (the wait for the work under way) first call ``then()``."""
    state = {"raised": False}

    def wait(
        fs: Iterable[Future[Any]], timeout: float | None = None, return_when: str = "ALL_COMPLETED"
    ) -> Any:
        if not state["raised"]:
            assert ready()
            state["raised"] = True
            raise KeyboardInterrupt
        then()
        return real_wait(fs, timeout=timeout, return_when=return_when)

    return wait


def escaped_interrupt_fails(call: Callable[[], _R]) -> _R:
    """``call()``, failing the test (instead of stopping the test run) if a KeyboardInterrupt escapes."""
    try:
        return call()
    except KeyboardInterrupt:
        pytest.fail("a KeyboardInterrupt from a worker escaped: the batch's result was lost")


def test_results_come_in_the_order_of_the_ids(client: Wingspan, sandbox: SandboxServer) -> None:
    sandbox.latency = 0.02  # replies finish out of order across 8 workers
    ids = list(reversed(sandbox.ids()))
    result = client.client_invoice.get_many(ids, progress=False)
    assert [inv.invoice_id for inv in result] == ids
    assert result.failures == [] and not result.interrupted and len(result) == len(ids)
    assert len({r.path for r in sandbox.requests}) == len(ids)


def test_failures_are_collected_not_fatal(client: Wingspan, sandbox: SandboxServer) -> None:
    broken = make_invoice(4, invoice_id="broken", today=TODAY)
    broken["amount"] = "a lot"
    sandbox.put(broken)
    good = sandbox.ids()[:3]
    result = client.client_invoice.get_many(
        [good[0], "missing", "broken", good[1], "", good[2]], progress=False
    )
    assert [o.id for o in result.outcomes] == [good[0], "missing", "broken", good[1], "", good[2]]
    assert [inv.invoice_id for inv in result] == good
    assert [(f.position, f.id, type(f.error)) for f in result.failures] == [
        (1, "missing", NotFoundError),
        (2, "broken", ResponseValidationError),
        (4, "", InvalidIdError),
    ]
    assert repr(result) == "<BatchResult 3 read, 3 failed of 6 ids>"
    html = result._repr_html_()
    assert html is not None and "3 of 6 invoices read · 3 failed" in html and "NotFoundError" in html


def test_connection_failures_are_collected(sleeps: Any) -> None:
    with SandboxServer(today=TODAY) as dead:
        url = dead.url
    with Wingspan("t", server_url=url, max_retries=0) as c:
        result = c.client_invoice.get_many(["a", "b"], progress=False)
    assert [f.id for f in result.failures] == ["a", "b"] and list(result.client_invoices) == []
    assert all(isinstance(f.error, APIConnectionError) for f in result.failures)


def test_a_429_slows_every_worker(client: Wingspan, sandbox: SandboxServer, sleeps: list[float]) -> None:
    gate = client._transport.gate = ProbeGate(hold_back=True)
    sandbox.fail_next(1, status=429, retry_after=0.6)
    result = client.client_invoice.get_many(sandbox.ids()[:16], max_workers=8, progress=False)
    assert len(result) == 16 and result.failures == []
    # Every request after the refused one, the retry included, waited out the server's 0.6 s first,
    # on every worker.
    first, *later = gate.waits
    assert first[2] == [] and len(later) == 16 and all(slept == [0.6] for _, _, slept in later)
    assert {thread for thread, _, _ in later} == {thread for thread, _, _ in gate.waits}  # every worker
    assert sleeps == [0.6] * 16


def test_interrupting_keeps_what_was_fetched_and_starts_nothing_new(
    client: Wingspan, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    resource = client.client_invoice
    real_get = resource.get
    parked = threading.Semaphore(0)
    release = threading.Event()

    def get(id: str, **kw: Any) -> Any:
        parked.release()
        assert release.wait(PARKED_LIMIT)
        return real_get(id=id, **kw)

    two_parked = lambda: parked.acquire(timeout=PARKED_LIMIT) and parked.acquire(timeout=PARKED_LIMIT)  # noqa: E731
    monkeypatch.setattr(resource, "get", get)
    monkeypatch.setattr(batch, "wait", interrupt_when(two_parked, release.set))
    ids = sandbox.ids()
    with pytest.warns(BatchInterruptedWarning):
        result = resource.get_many(ids, max_workers=2, progress=False)
    # The two reads under way when interrupted were finished and kept; nothing else was started.
    assert result.interrupted and len(result) == 2 and len(sandbox.requests) == 2
    assert result.not_fetched == ids[2:] and result.failures == []
    assert (
        repr(result)
        == f"<BatchResult 2 read, 0 failed, {len(ids) - 2} not fetched (interrupted) of {len(ids)} ids>"
    )


def test_an_id_that_cannot_be_sent_is_a_failure_not_a_crash(client: Wingspan, sandbox: SandboxServer) -> None:
    good = sandbox.ids()[:2]
    ids: list[Any] = [good[0], "inv\ud800", good[1]]
    result = client.client_invoice.get_many(ids, progress=False)
    assert [inv.invoice_id for inv in result] == good
    [failure] = result.failures
    assert (failure.position, failure.id) == (1, "inv\ud800")
    assert isinstance(failure.error, InvalidRequestError)
    assert "Check this item's id" in str(failure.error) or isinstance(failure.error, InvalidIdError)
    assert len(sandbox.requests) == 2


def test_an_unexpected_exception_is_that_ids_failure_and_called_a_bug(
    client: Wingspan, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    resource = client.client_invoice
    real_get = resource.get
    good = sandbox.ids()[:2]

    def get(id: str, **kw: Any) -> Any:
        if id == good[0]:
            raise KeyError("invoiceId")
        return real_get(id=id, **kw)

    monkeypatch.setattr(resource, "get", get)
    result = resource.get_many(good, progress=False)
    [(position, error)] = [(f.position, f.error) for f in result.failures if f.id == good[0]]
    assert position == 0
    assert type(error) is WingspanError and isinstance(error.__cause__, KeyError)
    assert "bug in wingspan_nb" in str(error) and [inv.invoice_id for inv in result] == good[1:]


@pytest.mark.parametrize("ids", ["abc", b"abc", bytearray(b"abc")])
def test_a_string_where_ids_are_expected_is_refused(
    client: Wingspan, sandbox: SandboxServer, ids: Any
) -> None:
    with pytest.raises(InvalidRequestError, match=r"ids is one .*not a list of ids; pass \[id\]"):
        client.client_invoice.get_many(ids, progress=False)
    assert sandbox.requests == []


def test_repeated_ids_are_counted_per_position_and_read_once(
    client: Wingspan, sandbox: SandboxServer
) -> None:
    a = sandbox.ids()[0]
    result = client.client_invoice.get_many([a, "missing", a, "missing", a], progress=False)
    assert [o.ok for o in result.outcomes] == [True, False, True, False, True]
    assert len(result) == 3 and [(f.position, f.id) for f in result.failures] == [
        (1, "missing"),
        (3, "missing"),
    ]
    assert repr(result) == "<BatchResult 3 read, 2 failed of 5 ids>"
    html = result._repr_html_()
    assert html is not None and "3 of 5 invoices read · 2 failed" in html
    assert sorted(r.path.rsplit("/", 1)[1] for r in sandbox.requests) == sorted([a, "missing"])


def test_progress_bar_and_off(
    client: Wingspan, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    client.client_invoice.get_many(sandbox.ids()[:3], progress=True)
    assert "3/3" in capsys.readouterr().err
    client.client_invoice.get_many(sandbox.ids()[:3], progress=False)
    assert capsys.readouterr().err == ""


def test_empty_and_bad_worker_counts(client: Wingspan, sandbox: SandboxServer) -> None:
    assert isinstance(client.client_invoice.get_many([], progress=False), BatchResult)
    for workers in (0, -1, "4", True, 2.0, None):
        with pytest.raises(InvalidRequestError, match="max_workers must be a whole number of at least 1"):
            client.client_invoice.get_many(sandbox.ids()[:2], max_workers=workers, progress=False)
    assert sandbox.requests == []


@pytest.mark.parametrize("ids", [None, 5, 2.5])
def test_ids_that_are_not_a_list_are_refused_before_io(
    client: Wingspan, sandbox: SandboxServer, ids: Any
) -> None:
    with pytest.raises(InvalidRequestError, match=r"ids must be invoice ids .*pass \[id\]"):
        client.client_invoice.get_many(ids, progress=False)
    assert sandbox.requests == []


@pytest.mark.parametrize("odd", [{"a": 1}, ["x"], 7, None])
def test_an_id_that_is_not_a_string_is_refused_before_io(
    client: Wingspan, sandbox: SandboxServer, odd: Any
) -> None:
    with pytest.raises(InvalidRequestError, match=r"ids\[1\] is .*not an invoice id"):
        client.client_invoice.get_many([sandbox.ids()[0], odd], progress=False)
    assert sandbox.requests == []


def test_get_many_reads_the_invoices_of_a_dataframe(client: Wingspan, sandbox: SandboxServer) -> None:
    ids = sandbox.ids()[:3]
    df = to_dataframe(client.client_invoice.get_many(ids, progress=False))
    again = client.client_invoice.get_many(df, progress=False)
    assert [o.id for o in again.outcomes] == ids and not again.failures
    with pytest.raises(InvalidRequestError, match="needs an invoice_id column"):
        client.client_invoice.get_many(df.drop(columns="invoice_id"), progress=False)


def test_a_dataframe_without_one_invoice_id_column_is_refused_before_io(
    client: Wingspan, sandbox: SandboxServer
) -> None:
    ids = sandbox.ids()[:2]
    df = pd.DataFrame({"invoice_id": ids, "n": [1, 2]})
    twice = pd.concat([df, df[["invoice_id"]]], axis=1)
    nested = df.copy()
    nested.columns = pd.MultiIndex.from_tuples([("invoice_id", "a"), ("n", "")])
    for frame in (twice, nested):
        with pytest.raises(InvalidRequestError, match="keep a single invoice_id column"):
            client.client_invoice.get_many(frame, progress=False)
    assert sandbox.requests == []


class _PolarsLike:
    """A DataFrame whose column has ``to_list`` (as polars') and no ``tolist``."""

    class Column:
        def __init__(self, values: list[str]) -> None:
            self.values = values

        def to_list(self) -> list[str]:
            return self.values

    def __init__(self, ids: list[str]) -> None:
        self.columns = ["invoice_id"]
        self.ids = ids

    def __getitem__(self, name: str) -> Column:
        return self.Column(self.ids)


def test_get_many_reads_a_dataframe_whose_column_has_to_list(
    client: Wingspan, sandbox: SandboxServer
) -> None:
    ids = sandbox.ids()[:2]
    got = client.client_invoice.get_many(_PolarsLike(ids), progress=False)  # type: ignore[arg-type]
    assert [o.id for o in got.outcomes] == ids and not got.failures


def test_a_dict_as_ids_is_refused_not_taken_as_its_keys(client: Wingspan, sandbox: SandboxServer) -> None:
    ids = sandbox.ids()[:2]
    with pytest.raises(InvalidRequestError, match=r"ids is a dict, not a list of ids; pass list\(d\)"):
        client.client_invoice.get_many(dict.fromkeys(ids, "Paid"), progress=False)
    assert sandbox.requests == []


def test_a_keyboard_interrupt_in_a_worker_returns_what_was_read(
    client: Wingspan, sandbox: SandboxServer
) -> None:
    gets, _ = interrupt_at_response(client._transport.session, 3)
    ids = sandbox.ids()
    with pytest.warns(BatchInterruptedWarning, match="KeyboardInterrupt in a worker"):
        result = escaped_interrupt_fails(
            lambda: client.client_invoice.get_many(ids, max_workers=2, progress=False)
        )
    assert result.interrupted and result.failures == []
    # The read whose worker raised is not fetched; every read that finished is kept; the batch stops
    # short of the whole list (the other worker may finish what it had started or picked up before
    # the interrupt reached the pool, which depends on scheduling).
    read = [inv.invoice_id for inv in result]
    assert gets[2] in result.not_fetched and gets[2] not in read
    assert set(read) == set(gets) - {gets[2]} and len(read) >= 2 and len(gets) < len(ids)
    assert len(sandbox.requests) == len(gets) and len(result.not_fetched) == len(ids) - len(read)


class Clock:
    """A clock tests move by hand (seconds)."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Shown:
    """A notebook display that records what each bar shows: display id → bundles in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[dict[str, str], str, bool]] = []

    def __call__(self, bundle: dict[str, str], display_id: str, update: bool) -> None:
        self.calls.append((bundle, display_id, update))

    def last(self) -> dict[str, dict[str, str]]:
        """What each bar shows now (what a saved notebook keeps), in the order they appeared."""
        out: dict[str, dict[str, str]] = {}
        for bundle, display_id, _ in self.calls:
            out[display_id] = bundle
        return out


def test_a_finished_notebook_bar_leaves_a_one_line_summary() -> None:
    from wingspan_nb._progress import Bar

    clock, shown = Clock(), Shown()
    bar = Bar(True, desc="downloading", done="downloaded", unit="B", clock=clock, sink=shown)
    first = shown.calls[0]
    assert first[2] is False and "<progress" in first[0]["text/html"]
    clock.now += 0.5
    bar.at(20_000_000, 49_800_000)
    assert "downloading: 20.0 MB of 49.8 MB (40 %)" == shown.calls[-1][0]["text/plain"]
    clock.now += 1.4
    bar.at(49_800_000, 49_800_000)
    bar.finish()
    (final,) = shown.last().values()  # one display, updated in place
    assert final == {
        "text/plain": "downloaded 49.8 MB in 1.9 s",
        "text/html": '<div class="wsnb-progress-done" style="font-size:12px">downloaded 49.8 MB in 1.9 s</div>',
    }
    assert all(update for _, _, update in shown.calls[1:])
    bar.advance(5)
    bar.close()  # after the summary: nothing changes
    assert shown.last() == {first[1]: final}


def test_a_bar_without_a_total_is_full_width_never_a_stub() -> None:
    from wingspan_nb._progress import Bar

    shown = Shown()
    bar = Bar(True, desc="downloading", done="downloaded", unit="B", clock=Clock(), sink=shown)
    bar.at(700, None)
    html = shown.calls[0][0]["text/html"]
    assert "<progress aria-label" in html and "value=" not in html and "width:24em" in html


def test_a_notebook_bar_redraws_at_most_five_times_a_second() -> None:
    from wingspan_nb._progress import Bar

    clock, shown = Clock(), Shown()
    bar = Bar(True, desc="reading", done="read", unit="inv", total=1000, clock=clock, sink=shown)
    for _ in range(500):
        bar.advance()
    assert len(shown.calls) == 1  # the clock did not move: only the first draw
    clock.now += 0.25
    bar.advance()
    assert (
        len(shown.calls) == 2 and "reading: 501 of 1,000 invoices (50 %)" in shown.calls[-1][0]["text/plain"]
    )
    bar.finish()
    assert shown.calls[-1][0]["text/plain"] == "read 501 invoices in 0.2 s"


def test_a_stopped_bar_says_where_it_stopped() -> None:
    from wingspan_nb._progress import Bar

    clock, shown = Clock(), Shown()
    bar = Bar(True, desc="applying", unit="inv", total=5, clock=clock, sink=shown)
    bar.advance(2)
    clock.now += 0.5
    bar.close()
    assert shown.calls[-1][0]["text/plain"] == "applying: stopped after 2 of 5 invoices (0.5 s)"


def test_each_operation_labels_its_own_bar_and_ends_in_a_summary(
    client: Wingspan, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wingspan_nb import _progress as progress
    from wingspan_nb.models import ClientInvoiceUpdateRequest, InvoiceStatus

    shown, clock = Shown(), Clock()
    monkeypatch.setattr(progress, "_notebook_sink", lambda: shown)  # as in a kernel
    monkeypatch.setattr(progress, "in_notebook", lambda: True)  # where progress=None draws bars
    monkeypatch.setattr(progress, "_monotonic", clock)
    listed = client.client_invoice.list()
    n = len(listed.client_invoices)
    ids = [i for i in sandbox.ids() if sandbox.invoice(i)["status"] == "Draft"][:2]
    plan = client.client_invoice.update_many(ids, ClientInvoiceUpdateRequest(status=InvoiceStatus.OPEN))
    result = plan.apply()
    result.undo()
    finals = [b["text/plain"] for b in shown.last().values()]
    assert finals[0].startswith("downloaded ") and finals[0].endswith(" in 0.00 s")
    assert finals[1:] == [
        f"parsed {n:,} invoices in 0.00 s",
        "read 2 invoices in 0.00 s",
        "applying: 2 invoices in 0.00 s",
        "undoing: 2 invoices in 0.00 s",
    ]
    assert not any("0 %" in f or "<progress" in f for f in finals)


def test_an_executed_notebook_keeps_each_bars_summary_not_a_frozen_bar(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    cells = [
        "import wingspan_nb\ns = wingspan_nb.Wingspan()\nres = s.client_invoice.list()\n"
        "many = s.client_invoice.get_many(res.client_invoices.ids[:3])"
    ]
    nb = execute_notebook(sandbox, monkeypatch, cells)
    kept = [o["data"]["text/plain"] for o in nb.cells[0].outputs if o.get("output_type") == "display_data"]
    n = len(sandbox.ids())
    assert len(kept) == 3 and kept[0].startswith("downloaded ") and " kB in " in kept[0]
    assert kept[1].startswith(f"parsed {n:,} invoices in ") and kept[2].startswith("read 3 invoices in ")
    html = [o["data"]["text/html"] for o in nb.cells[0].outputs]
    assert not any("<progress" in h or "%" in h for h in html)
    assert not any("widget" in m for o in nb.cells[0].outputs for m in o.get("data", {}))
