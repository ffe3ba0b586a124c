"""Bulk edits: plan one change for many invoices, look at the plan, apply it, undo it.

``client_invoice.update_many(targets, request)`` reads every invoice and returns a :class:`BulkPlan`
(nothing is sent); ``plan.apply()`` (or ``dry_run=False``) sends one ``PATCH`` per invoice that would
change, each after the same conflict check as the edit form, and returns a :class:`BulkResult` whose
``undo()`` puts every applied invoice back.
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import attrs

from . import _clock, errors
from . import _deprecated as deprecated
from ._batch import BatchItem, Failures, as_wingspan_error, check_workers, run_concurrently
from ._changes import (
    Change,
    LeafChange,
    change_value,
    change_words,
    conflicts,
    leaf_changes,
    reply_shows,
    settled_caution,
    undo_request,
)
from ._displayable import Displayable
from ._exports import write_atomically
from ._invoices import Failure, ids_of
from .models import (
    ClientInvoice,
    ClientInvoiceUpdateRequest,
    Unset,
    WireModel,
    check_request,
    field_plan,
)

if TYPE_CHECKING:
    import pandas as pd

    from ._resources import ClientInvoiceResource
    from ._transport import Timeout

__all__ = [
    "AUDIT_COLUMNS",
    "AuditEntry",
    "BulkPlan",
    "BulkResult",
    "Outcome",
    "PlanRow",
    "ResultRow",
    "plan_updates",
    "settled_summary",
]

Outcome = Literal[
    "applied", "skipped: conflict", "skipped: no-op", "failed", "unknown", "not applied (interrupted)"
]
"""What happened to one invoice of a bulk edit. ``applied``: the PATCH's reply (or a re-read) shows the
planned values. ``unknown``: the PATCH was sent but its reply was lost (cut off, timed out, connection
dropped, a gateway's 502/504, interrupted) and no re-read has shown the planned values (the old ones
prove nothing: the server may still apply it), or the server answered with success but its reply
does not show the planned values."""

_NOT_READ = "not read (interrupted)"
"""What a plan row says when its invoice was not read because the reading was interrupted."""

AUDIT_COLUMNS = (
    "time", "invoice_id", "invoice_number", "field", "before", "after", "change", "outcome", "detail"
)  # fmt: skip
"""The audit log's columns: one row per value that changed (a fee split's share is a row of its own),
``field`` its dotted attribute path, ``before``/``after`` its wire values (whole), ``change`` in words."""


def _outcome_unknown(error: Exception) -> bool:
    """Whether a PATCH that ended in ``error`` may have been applied all the same: the request went
    out but no usable reply came back (a read timeout or a dropped connection after sending, a 2xx
    whose body was cut off or does not parse, a gateway that lost the upstream's answer), or the
    failure was not one the client knows (assume the worst, and let a re-read tell). The transport
    decides for its own errors (:attr:`~wingspan_nb.errors.WingspanError.outcome_unknown`)."""
    if isinstance(error, errors.WingspanError):
        return error.outcome_unknown
    return True


def __getattr__(name: str) -> Any:
    # Code written for 0.1 may call fate_unknown: it answers, with a warning, until 0.3 removes it.
    if name == "fate_unknown":
        deprecated.warn(
            "wingspan_nb._bulk.fate_unknown",
            "the error's .outcome_unknown (a bulk result's row says 'unknown' for such a PATCH)",
        )
        return _outcome_unknown
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _targets(
    targets: Any, request: ClientInvoiceUpdateRequest | None
) -> list[tuple[str, ClientInvoiceUpdateRequest]]:
    if isinstance(targets, Mapping):
        if request is not None:
            raise errors.InvalidRequestError(
                "pass either a mapping {id: request} or ids with one request, not both"
            )
        ids = ids_of(list(targets), what="targets")
        pairs = list(zip(ids, targets.values(), strict=True))
    else:
        if request is None:
            raise errors.InvalidRequestError(
                "pass the ClientInvoiceUpdateRequest to apply to every invoice (request=...)"
            )
        ids = ids_of(targets, what="targets")
        pairs = [(i, request) for i in ids]
    for _, r in pairs:
        if not isinstance(r, ClientInvoiceUpdateRequest):
            raise errors.InvalidRequestError(
                f"each request must be a ClientInvoiceUpdateRequest, got {type(r).__name__}"
            )
        check_request(r)
    if len(set(ids)) != len(ids):
        raise errors.InvalidRequestError(
            "an invoice id appears twice in the targets; give each invoice one request"
        )
    return pairs


def _effective(
    template: ClientInvoiceUpdateRequest, invoice: ClientInvoice
) -> tuple[ClientInvoiceUpdateRequest | None, tuple[Change, ...]]:
    """What ``template`` changes on ``invoice``: the request to send (only changed fields; a nested
    object is sent whole, with the set values on top of the invoice's) and the changes, or (None, ()).

    A nested object on the server that the request's checks refuse (a fee share of 500, say) raises
    :class:`~wingspan_nb.errors.InvalidRequestError`: that invoice cannot be planned, the others can."""
    values: dict[str, Any] = {}
    changes = []
    for a in field_plan(ClientInvoiceUpdateRequest):
        wanted = getattr(template, a.name)
        if isinstance(wanted, Unset):
            continue
        current = getattr(invoice, a.name)
        if isinstance(wanted, WireModel) and isinstance(current, WireModel):
            try:
                wanted = attrs.evolve(
                    current,
                    **{
                        f.name: getattr(wanted, f.name)
                        for f in field_plan(type(wanted))
                        if not isinstance(getattr(wanted, f.name), Unset)
                    },
                )
            except errors.InvalidRequestError as e:
                raise errors.InvalidRequestError(
                    f"its {a.name} on the server has a value the request's checks refuse ({e}); the whole "
                    f"{a.name} is sent, so this invoice was not planned: set that field too in the "
                    "request (or correct it with client_invoice.edit(id)), then plan again"
                ) from e
        if wanted != current:
            values[a.name] = wanted
            changes.append(Change(a.name, change_value(current), change_value(wanted)))
    if not values:
        return None, ()
    return ClientInvoiceUpdateRequest(**values), tuple(changes)


@attrs.frozen
class PlanRow:
    """One invoice of a plan: what it is now, and what would be sent."""

    id: str
    invoice: ClientInvoice | None = attrs.field(default=None, repr=False)
    request: ClientInvoiceUpdateRequest | None = None
    changes: tuple[Change, ...] = ()
    error: Exception | None = None

    @property
    def kind(self) -> Literal["change", "no-op", "unreadable"]:
        """``unreadable``: not read, or read with values that cannot be planned (``error`` says why;
        neither an invoice nor an error: the reading was interrupted before it, see :attr:`not_read`)."""
        if self.invoice is None or self.error is not None:
            return "unreadable"
        return "change" if self.request is not None else "no-op"

    @property
    def not_read(self) -> bool:
        """The reading was interrupted before this invoice: it was not read, so nothing is known."""
        return self.invoice is None and self.error is None

    @property
    def problem(self) -> str | None:
        """Why the row cannot be changed, in words (its error, or that it was not read); else ``None``."""
        return _NOT_READ if self.not_read else str(self.error) if self.error is not None else None

    @property
    def number(self) -> str | None:
        return self.invoice.invoice_number if self.invoice is not None else None

    @property
    def settled(self) -> str | None:
        """The edit form's warning when this row moves a settled invoice (Paid, Cancelled) to another
        status (``"this invoice is Paid: check that Open is meant"``), else ``None``."""
        return _settled(self.changes)


def _settled(changes: tuple[Change, ...]) -> str | None:
    return next((settled_caution(c.before, c.after) for c in changes if c.field == "status"), None)


def settled_summary(rows: list[PlanRow]) -> str:
    """``7 invoices leave Paid or Cancelled (6 Paid → Open, 1 Cancelled → Open)``: the settled rows of
    a plan, counted per move (empty when there are none)."""
    moves: dict[str, int] = {}
    for r in rows:
        c = next(c for c in r.changes if c.field == "status")
        move = leaf_changes(c)[0]
        key = f"{move.before_words} → {move.after_words}"
        moves[key] = moves.get(key, 0) + 1
    if not rows:
        return ""
    left = " or ".join(sorted({k.split(" → ")[0] for k in moves}))
    each = ", ".join(f"{n} {k}" for k, n in moves.items())
    noun = "invoice leaves" if len(rows) == 1 else "invoices leave"
    return f"{len(rows)} {noun} {left} ({each})"


def _leaf_records(changes: tuple[Change, ...]) -> list[LeafChange]:
    return [leaf for c in changes for leaf in leaf_changes(c)]


@attrs.frozen
class ResultRow:
    """One invoice of an applied plan: its outcome, the changes, and the invoice before and after.
    ``time`` is when the outcome was known (the PATCH's reply, or the re-read that settled it)."""

    id: str
    outcome: Outcome
    changes: tuple[Change, ...] = ()
    error: Exception | None = None
    before: ClientInvoice | None = attrs.field(default=None, repr=False)
    after: ClientInvoice | None = attrs.field(default=None, repr=False)
    detail: str = ""
    number: str | None = None
    time: datetime | None = None


@attrs.frozen
class AuditEntry:
    """A line of the audit log: one value of one invoice (a field, or one value inside a nested
    object such as a fee split's share)."""

    time: datetime
    id: str
    number: str | None
    field: str
    """The dotted attribute path of the value (``credit_fee_handling.client_pays``)."""
    before: Any
    after: Any
    change: str
    """In words, as every view says it: ``Credit-fee split: client pays 0 % → 50 %``."""
    outcome: str
    detail: str = ""


def _dataframe(records: list[tuple[Any, ...]], columns: tuple[str, ...]) -> pd.DataFrame:
    from ._analysis import require_pandas

    frame = require_pandas().DataFrame.from_records(records, columns=list(columns))
    return cast("pd.DataFrame", frame)


@attrs.define
class BulkPlan(Displayable):
    """A dry run: per invoice, the fields that would change (before → after), no-ops, and invoices
    that could not be read. Nothing has been sent. ``apply()`` sends it."""

    rows: list[PlanRow]
    resource: ClientInvoiceResource = attrs.field(repr=False)
    interrupted: bool = False
    clock: _clock.Clock = attrs.field(default=_clock.utc_now, repr=False)
    """Gives the audit log's times (UTC)."""

    @property
    def to_change(self) -> list[PlanRow]:
        return [r for r in self.rows if r.kind == "change"]

    @property
    def settled(self) -> list[PlanRow]:
        """The rows that move a settled invoice (Paid, Cancelled) to another status: the edit form
        warns about each, and :meth:`apply` sends them only with ``confirm_settled=True``."""
        return [r for r in self.to_change if r.settled]

    def settled_note(self) -> str:
        """What the plan's view says above its table when it reopens settled invoices: how many, and
        how to confirm (empty when it reopens none)."""
        rows = self.settled
        if not rows:
            return ""
        return (
            f"{settled_summary(rows)}: check that this is meant. They are listed first, and nothing "
            "is sent until you confirm: .apply(confirm_settled=True) on this plan, or the checkbox in "
            "the bulk editor."
        )

    def counts(self) -> dict[str, int]:
        out = {"change": 0, "no-op": 0, "unreadable": 0}
        for r in self.rows:
            out[r.kind] += 1
        return out

    def __repr__(self) -> str:
        c = self.counts()
        return f"<BulkPlan {c['change']} to change, {c['no-op']} no-op, {c['unreadable']} unreadable (nothing sent yet)>"

    def to_dataframe(self) -> pd.DataFrame:
        """One row per invoice and value that would change (each share of a fee split is a row;
        ``field`` is its dotted path, ``before``/``after`` wire values, ``change`` in words,
        ``warning`` the settled-status warning); no-ops and unreadable invoices have one row each."""
        records: list[tuple[Any, ...]] = []
        for r in self.rows:
            leaves = _leaf_records(r.changes)
            if leaves:
                records += [
                    (r.id, r.number, r.kind, x.path, x.before, x.after, x.words(), r.settled, None)
                    for x in leaves
                ]
            else:
                records.append((r.id, r.number, r.kind, None, None, None, None, None, r.problem))
        return _dataframe(
            records,
            (
                "invoice_id",
                "invoice_number",
                "plan",
                "field",
                "before",
                "after",
                "change",
                "warning",
                "error",
            ),
        )

    @property
    def failures(self) -> Failures:
        """The invoices that cannot be changed (not readable, or not plannable): a
        :class:`~wingspan_nb.Failure` each, with its position among the targets, its id and
        the typed error. Invoices not read because the reading was interrupted are not failures
        (:attr:`interrupted` says so)."""
        return Failures(
            Failure(n, r.id, as_wingspan_error(r.error))
            for n, r in enumerate(self.rows)
            if r.error is not None
        )

    def apply(
        self,
        *,
        confirm_settled: bool = False,
        max_workers: int = 8,
        progress: bool | None = None,
        timeout: Timeout | None = None,
    ) -> BulkResult:
        """Send the plan: one PATCH per invoice that would change, each only if the invoice did not
        change on the server since the plan read it. One failure never stops the rest.

        A plan that moves settled invoices (Paid, Cancelled; see :attr:`settled`) to another status
        needs ``confirm_settled=True``: without it nothing is sent and
        :class:`~wingspan_nb.errors.ConfirmationRequiredError` says how many there are.

        A PATCH whose reply was lost is re-read: the planned values → ``applied``, anything else →
        ``unknown`` (the old values too: the server may still apply it; ``undo()`` re-reads it).
        Ctrl-C (or a ``KeyboardInterrupt`` in a worker) sends no new PATCH, waits for those under way
        and reports each as what it is. A plan whose reading was interrupted sends nothing
        (``update_many(..., dry_run=False)`` interrupted while planning stops there): make a new plan.
        ``timeout`` overrides the client's for each request (the re-reads and the PATCHes)."""
        check_workers(max_workers)
        _check_timeout(timeout)
        settled = self.settled
        if settled and confirm_settled is not True:
            raise errors.ConfirmationRequiredError(
                f"Nothing was sent: {settled_summary(settled)}, which the edit form warns about. Check "
                "them in the plan (they are listed first), then apply with plan.apply(confirm_settled=True), "
                "or plan again without them.",
                count=len(settled),
            )
        rows, interrupted = self._run(max_workers=max_workers, progress=progress, timeout=timeout)
        return BulkResult(rows, self.resource, interrupted=interrupted, clock=self.clock)

    def _run(
        self, *, max_workers: int, progress: bool | None, timeout: Timeout | None, desc: str = "applying"
    ) -> tuple[list[ResultRow], bool]:
        """What :meth:`apply` does, as the result rows (one per plan row) and whether it was
        interrupted."""
        if self.interrupted:
            now = self.clock()
            detail = "the plan's reading was interrupted, so nothing was sent; make a new plan"
            done = {r.id: _result(r, "not applied (interrupted)", now, detail) for r in self.to_change}
            interrupted = True
        else:
            done, interrupted = _send(
                self, max_workers=max_workers, progress=progress, timeout=timeout, desc=desc
            )
        rows = []
        for r in self.rows:
            if r.kind == "no-op":
                rows.append(ResultRow(r.id, "skipped: no-op", number=r.number))
            elif r.not_read:
                rows.append(ResultRow(r.id, "not applied (interrupted)", detail=_NOT_READ))
            elif r.kind == "unreadable":
                detail = "could not be read when planning" if r.invoice is None else f"not planned: {r.error}"
                rows.append(ResultRow(r.id, "failed", error=r.error, detail=detail, number=r.number))
            else:
                rows.append(done[r.id])
        return rows, interrupted


def _result(row: PlanRow, outcome: Outcome, time: datetime, detail: str = "", **more: Any) -> ResultRow:
    """A result row for a plan row (its changes, invoice before and number), with ``more`` on top."""
    start = ResultRow(row.id, outcome, row.changes, before=row.invoice, number=row.number, time=time)
    return attrs.evolve(start, detail=detail, **more)


def _send(
    plan: BulkPlan, *, max_workers: int, progress: bool | None, timeout: Timeout | None, desc: str
) -> tuple[dict[str, ResultRow], bool]:
    """Apply the plan's change rows; one result row per id."""
    resource, clock, work = plan.resource, plan.clock, plan.to_change
    stop = threading.Event()
    interrupted_before = "interrupted before it was sent"

    patching: set[str] = set()  # the rows whose PATCH was handed to the transport

    def one(row: PlanRow) -> ResultRow:
        assert row.invoice is not None and row.request is not None
        current = resource.get(id=row.id, timeout=timeout).client_invoice
        moved = conflicts(row.invoice, current, [c.field for c in row.changes])
        if moved:
            detail = "; ".join(f"{c.field}: {c.before} → {c.after}" for c in moved)
            return _result(
                row,
                "skipped: conflict",
                clock(),
                f"changed on the server since the plan: {detail}",
                before=current,
            )
        if stop.is_set():
            return _result(row, "not applied (interrupted)", clock(), interrupted_before)
        patching.add(row.id)
        try:
            after = resource.update(
                id=row.id, client_invoice_update_request=row.request, timeout=timeout
            ).client_invoice
        except Exception as e:
            error = as_wingspan_error(e)
            if not _outcome_unknown(e):
                return _result(row, "failed", clock(), str(error), error=error)
            return _settle(resource, row, error, clock, timeout)
        if reply_shows(after, row.changes) == "after":
            return _result(row, "applied", clock(), after=after)
        return _unconfirmed(row, after, clock)

    results, interrupted = run_concurrently(
        one, work, max_workers=max_workers, progress=progress, desc=desc, stop=stop
    )
    done = {}
    for row, res in zip(work, results, strict=True):
        if isinstance(res, ResultRow):
            done[row.id] = res
        elif res is None and row.id in patching:  # its worker was interrupted during the PATCH
            detail = (
                "interrupted while its PATCH was under way, so it may have been applied: get it to see "
                "(undo() re-reads it)"
            )
            done[row.id] = _result(row, "unknown", clock(), detail)
        elif res is None:
            done[row.id] = _result(row, "not applied (interrupted)", clock(), interrupted_before)
        else:  # the conflict check's GET failed: nothing was sent
            done[row.id] = _result(row, "failed", clock(), str(res), error=res)
    return done, interrupted


def _values(invoice: ClientInvoice, changes: tuple[Change, ...]) -> str:
    """``status: Draft``: the changed fields' values on ``invoice`` (wire values)."""
    return ", ".join(f"{c.field}: {change_value(getattr(invoice, c.field))}" for c in changes)


def _unconfirmed(row: PlanRow, reply: ClientInvoice, clock: _clock.Clock) -> ResultRow:
    """The outcome of a PATCH the server answered with success but whose reply does not show the
    planned values: ``unknown``, since the success says one thing and the invoice it sent another
    (the server may have ignored the change, or applied it and replied with a stale copy)."""
    shows = "the old values" if reply_shows(reply, row.changes) == "before" else "other values"
    detail = (
        f"the server answered the PATCH with success, but its reply shows {shows} "
        f"({_values(reply, row.changes)}), not the planned ones: it may have ignored the change; get the "
        "invoice to see (undo() re-reads it and restores it only if it changed)"
    )
    return _result(row, "unknown", clock(), detail, after=reply)


def _settle(
    resource: ClientInvoiceResource,
    row: PlanRow,
    error: errors.WingspanError,
    clock: _clock.Clock,
    timeout: Timeout | None,
) -> ResultRow:
    """The outcome of a PATCH whose reply was lost, from a re-read of the invoice."""
    try:
        current = resource.get(id=row.id, timeout=timeout).client_invoice
    except Exception as e:
        detail = (
            f"the PATCH's reply was lost ({type(error).__name__}) and the re-read failed too "
            f"({type(as_wingspan_error(e)).__name__}); get the invoice to see whether it changed "
            "(the PATCH's error is on the row's .error)"
        )
        return _result(row, "unknown", clock(), detail, error=error)
    shows = reply_shows(current, row.changes)
    if shows == "after":
        detail = "the PATCH's reply was lost; a re-read shows the new values"
        return _result(row, "applied", clock(), detail, after=current)
    if shows == "before" and isinstance(error, errors.InvalidRequestError):
        # A value that cannot be encoded (see as_wingspan_error): the PATCH never went out.
        detail = f"not applied: {error} (a re-read shows the old values)"
        return _result(row, "failed", clock(), detail, error=error)
    if shows == "before":
        # No reply is no proof: the server (or the one behind a gateway's 502/504) may still apply it.
        detail = (
            f"the PATCH's outcome is unknown ({type(error).__name__}); a re-read shows the old values so "
            "far, but the server may still apply the change: a later re-read settles it (undo() restores "
            "it once a re-read shows the change)"
        )
        return _result(row, "unknown", clock(), detail, error=error)
    detail = (
        "the PATCH's reply was lost and a re-read shows neither the old nor the new values "
        f"({_values(current, row.changes)}); someone else may have changed it"
    )
    return _result(row, "unknown", clock(), detail, error=error, after=current)


@attrs.define
class BulkResult(Displayable):
    """What applying a plan (or undoing one: ``action == "undo"``) did, per invoice: ``applied``,
    ``skipped: conflict``, ``skipped: no-op``, ``failed`` (with the typed error), ``unknown`` (sent,
    reply lost, a re-read could not tell) or ``not applied (interrupted)``. ``audit`` logs every field."""

    rows: list[ResultRow]
    resource: ClientInvoiceResource = attrs.field(repr=False)
    interrupted: bool = False
    action: Literal["apply", "undo"] = "apply"
    clock: _clock.Clock = attrs.field(default=_clock.utc_now, repr=False)
    audit: list[AuditEntry] = attrs.field(factory=list)

    def __attrs_post_init__(self) -> None:
        fallback = self.clock()
        for r in self.rows:
            for x in _leaf_records(r.changes):
                self.audit.append(
                    AuditEntry(
                        r.time or fallback,
                        r.id,
                        r.number,
                        x.path,
                        x.before,
                        x.after,
                        x.words(),
                        self.label(r.outcome),
                        r.detail,
                    )
                )

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.rows:
            out[r.outcome] = out.get(r.outcome, 0) + 1
        return out

    @property
    def failures(self) -> Failures:
        """The invoices whose outcome is ``failed`` (known not applied): a
        :class:`~wingspan_nb.Failure` each, with its position among the rows, its id and
        the typed error. ``unknown`` outcomes are not failures: :attr:`unknown` lists them."""
        return Failures(
            Failure(n, r.id, as_wingspan_error(r.error or errors.WingspanError(r.detail)))
            for n, r in enumerate(self.rows)
            if r.outcome == "failed"
        )

    @property
    def unknown(self) -> list[ResultRow]:
        """The rows whose PATCH may or may not have been applied: get those invoices to see."""
        return [r for r in self.rows if r.outcome == "unknown"]

    def label(self, outcome: str) -> str:
        """How an outcome reads in this result: an undo's ``applied`` reads ``restored``."""
        return "restored" if self.action == "undo" and outcome == "applied" else outcome

    def summary(self) -> str:
        """``"undo: 2 restored, 1 skipped: conflict"``: the counts, saying what was done."""
        counts = ", ".join(f"{n} {self.label(k)}" for k, n in self.counts().items())
        return f"{self.action}: {counts or 'nothing to do'}"

    def __repr__(self) -> str:
        return f"<BulkResult {self.summary()}>"

    def to_dataframe(self) -> pd.DataFrame:
        """One row per invoice: id, number, outcome, changed fields (attribute names), the changes in
        words, detail, error type. :meth:`audit_log` has one row per changed value."""
        return _dataframe(
            [
                (
                    r.id,
                    r.number,
                    r.outcome,
                    ", ".join(c.field for c in r.changes),
                    "; ".join(change_words(c) for c in r.changes),
                    r.detail,
                    type(r.error).__name__ if r.error else None,
                )
                for r in self.rows
            ],
            ("invoice_id", "invoice_number", "outcome", "fields", "changes", "detail", "error"),
        )

    def audit_log(self) -> pd.DataFrame:
        """The audit log as a DataFrame, one row per value that changed: time (of each PATCH's
        outcome), id, number, field (dotted path), before, after (whole wire values), change (in
        words), outcome, detail."""
        return _dataframe([attrs.astuple(e, recurse=False) for e in self.audit], AUDIT_COLUMNS)

    def audit_csv(self, path: str | Path) -> Path:
        """Write the audit log to a CSV file in UTF-8 (no pandas needed); returns the path. Written
        atomically, as every export is: a failed write raises
        :class:`~wingspan_nb.errors.ExportError` and leaves a file already there as it was; a path
        that is no file name (or a folder) raises :class:`~wingspan_nb.errors.InvalidRequestError`."""

        def write(temp: Path) -> None:
            with temp.open("w", newline="", encoding="utf-8") as f:
                out = csv.writer(f)
                out.writerow(AUDIT_COLUMNS)
                for e in self.audit:
                    out.writerow(
                        [
                            e.time.isoformat(),
                            e.id,
                            e.number or "",
                            e.field,
                            _csv(e.before),
                            _csv(e.after),
                            e.change,
                            e.outcome,
                            e.detail,
                        ]
                    )

        return write_atomically(path, "audit_csv", "audit.csv", write)

    def undo(
        self, *, max_workers: int = 8, progress: bool | None = None, timeout: Timeout | None = None
    ) -> BulkResult:
        """Put every changed invoice back to its values before, with the same conflict check (an
        invoice changed since this result is skipped, not overwritten).

        ``unknown`` rows are re-read first: those showing the new values are restored; those showing
        the old ones stay ``unknown`` (as in :meth:`BulkPlan.apply`, the old values prove nothing: the
        PATCH may still land; read them again later, or call ``undo()`` on this result again); anything
        else is left alone (``skipped: conflict``); one that cannot be re-read stays ``unknown``.
        Ctrl-C behaves as in :meth:`BulkPlan.apply`; ``timeout`` overrides the client's for each request."""
        check_workers(max_workers)
        _check_timeout(timeout)
        unknown = [r.id for r in self.rows if r.outcome == "unknown" and r.changes]
        reread = (
            self.resource.get_many(unknown, max_workers=max_workers, progress=False, timeout=timeout)
            if unknown
            else None
        )
        fetched = {o.id: o for o in reread.outcomes} if reread is not None else {}
        plan_rows: list[PlanRow] = []
        settled: dict[str, ResultRow] = {}
        for r in self.rows:
            step = self._undo_step(r, fetched.get(r.id))
            if isinstance(step, PlanRow):
                plan_rows.append(step)
            elif step is not None:
                settled[r.id] = step
        plan = BulkPlan(
            plan_rows, self.resource, interrupted=reread is not None and reread.interrupted, clock=self.clock
        )
        sent, interrupted = plan._run(
            max_workers=max_workers, progress=progress, timeout=timeout, desc="undoing"
        )
        by_id = {row.id: row for row in sent} | settled
        rows = [by_id[r.id] for r in self.rows if r.id in by_id]
        return BulkResult(rows, self.resource, interrupted=interrupted, action="undo", clock=self.clock)

    def _undo_step(self, row: ResultRow, fetched: BatchItem | None) -> PlanRow | ResultRow | None:
        """What undoing ``row`` takes: a plan row to send, a row already settled, or nothing."""
        if row.before is None or not row.changes or row.outcome not in ("applied", "unknown"):
            return None
        back = tuple(Change(c.field, c.after, c.before) for c in row.changes)
        request = undo_request(row.before, [c.field for c in row.changes])
        if row.outcome == "applied":
            return PlanRow(row.id, row.after, request, back) if row.after is not None else None
        now = self.clock()
        if fetched is None or fetched.invoice is None:
            error = fetched.error if fetched is not None else None
            detail = f"could not be re-read to undo ({error or 'interrupted'}); get it to see its state"
            return ResultRow(
                row.id,
                "unknown",
                back,
                error=error,
                number=row.number,
                detail=detail,
                time=now,
            )
        shows = reply_shows(fetched.invoice, row.changes)
        if shows == "after":
            return PlanRow(row.id, fetched.invoice, request, back)
        if shows == "before":
            # As in apply: the old values prove nothing, the PATCH may still land.
            detail = (
                "still unknown: the re-read shows the old values; the change may still land — read the "
                "invoice again later (or call undo() on the apply's result again)"
            )
            return ResultRow(row.id, "unknown", back, number=row.number, detail=detail, time=now)
        detail = "a re-read shows neither the old nor the new values: left alone"
        return ResultRow(
            row.id,
            "skipped: conflict",
            back,
            before=fetched.invoice,
            number=row.number,
            detail=detail,
            time=now,
        )


def _check_timeout(timeout: object) -> None:
    """Refuse a bad ``timeout`` before any request (the transport would refuse it once per invoice)."""
    if timeout is not None:
        from ._transport import checked_timeout

        checked_timeout(timeout)


def _csv(value: Any) -> str:
    import json

    return (
        json.dumps(value, ensure_ascii=False)
        if isinstance(value, dict | list)
        else ""
        if value is None
        else str(value)
    )


def plan_updates(
    resource: ClientInvoiceResource,
    targets: Any,
    request: ClientInvoiceUpdateRequest | None,
    *,
    max_workers: int,
    progress: bool | None,
    timeout: Timeout | None,
) -> BulkPlan:
    pairs = _targets(targets, request)
    batch = resource.get_many(
        [i for i, _ in pairs], max_workers=max_workers, progress=progress, timeout=timeout
    )
    rows = []
    for (i, template), outcome in zip(pairs, batch.outcomes, strict=True):
        if outcome.invoice is None:  # an error, or neither: the reading was interrupted before it
            rows.append(PlanRow(i, error=outcome.error))
            continue
        try:
            sent, changes = _effective(template, outcome.invoice)
            if sent is not None:
                check_request(sent)  # the whole nested object is sent: its fee split, say, must add up
        except errors.InvalidRequestError as e:
            rows.append(PlanRow(i, outcome.invoice, error=e))
            continue
        rows.append(PlanRow(i, outcome.invoice, sent, changes))
    return BulkPlan(rows, resource, interrupted=batch.interrupted)
