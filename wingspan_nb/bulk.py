"""Bulk edits: plan one change for many invoices, look at the plan, apply it, undo it.

``client_invoice.update_many(targets, request)`` reads every invoice and returns a :class:`BulkPlan`
(nothing is sent); ``plan.apply()`` (or ``dry_run=False``) sends one ``PATCH`` per invoice that would
change, each after the same conflict check as the edit form, and returns a :class:`BulkResult` whose
``undo()`` puts every applied invoice back.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs

from . import errors
from .batch import run_concurrently
from .changes import Change, conflicts, undo_request, wire_value
from .models import Unset, WireModel, field_plan
from .models.invoice import ClientInvoice, ClientInvoiceUpdateRequest

if TYPE_CHECKING:
    import pandas as pd

    from .resources import ClientInvoiceResource

__all__ = ["AuditEntry", "BulkPlan", "BulkResult", "Outcome", "PlanRow", "ResultRow", "plan_updates"]

Outcome = Literal["applied", "skipped: conflict", "skipped: no-op", "failed", "not applied (interrupted)"]


def _targets(
    targets: Any, request: ClientInvoiceUpdateRequest | None
) -> list[tuple[str, ClientInvoiceUpdateRequest]]:
    if isinstance(targets, Mapping):
        if request is not None:
            raise errors.InvalidRequestError(
                "pass either a mapping {id: request} or ids with one request, not both"
            )
        pairs = list(targets.items())
    else:
        if request is None:
            raise errors.InvalidRequestError(
                "pass the ClientInvoiceUpdateRequest to apply to every invoice (request=...)"
            )
        if hasattr(targets, "columns"):  # a DataFrame from to_dataframe
            if "invoice_id" not in targets.columns:
                raise errors.InvalidRequestError(
                    "a DataFrame target needs an invoice_id column (as to_dataframe makes)"
                )
            targets = targets["invoice_id"].tolist()
        pairs = [(i, request) for i in targets]
    for _, r in pairs:
        if not isinstance(r, ClientInvoiceUpdateRequest):
            raise errors.InvalidRequestError(
                f"each request must be a ClientInvoiceUpdateRequest, got {type(r).__name__}"
            )
    ids = [i for i, _ in pairs]
    if len(set(ids)) != len(ids):
        raise errors.InvalidRequestError(
            "an invoice id appears twice in the targets; give each invoice one request"
        )
    return pairs


def _effective(
    template: ClientInvoiceUpdateRequest, invoice: ClientInvoice
) -> tuple[ClientInvoiceUpdateRequest | None, tuple[Change, ...]]:
    """What ``template`` changes on ``invoice``: the request to send (only changed fields; a nested
    object is sent whole, with the set values on top of the invoice's) and the changes, or (None, ())."""
    values: dict[str, Any] = {}
    changes = []
    for a in field_plan(ClientInvoiceUpdateRequest):
        wanted = getattr(template, a.name)
        if isinstance(wanted, Unset):
            continue
        current = getattr(invoice, a.name)
        if isinstance(wanted, WireModel) and isinstance(current, WireModel):
            wanted = attrs.evolve(
                current,
                **{
                    f.name: getattr(wanted, f.name)
                    for f in field_plan(type(wanted))
                    if not isinstance(getattr(wanted, f.name), Unset)
                },
            )
        if wanted != current:
            values[a.name] = wanted
            changes.append(Change(a.name, wire_value(current), wire_value(wanted)))
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
        return "unreadable" if self.invoice is None else "change" if self.request is not None else "no-op"


@attrs.frozen
class ResultRow:
    """One invoice of an applied plan: its outcome, the changes, and the invoice after."""

    id: str
    outcome: Outcome
    changes: tuple[Change, ...] = ()
    error: Exception | None = None
    before: ClientInvoice | None = attrs.field(default=None, repr=False)
    after: ClientInvoice | None = attrs.field(default=None, repr=False)
    detail: str = ""


@attrs.frozen
class AuditEntry:
    """A line of the audit log: one field of one invoice."""

    time: datetime
    id: str
    field: str
    before: Any
    after: Any
    outcome: str


@attrs.define
class BulkPlan:
    """A dry run: per invoice, the fields that would change (before → after), no-ops, and invoices
    that could not be read. Nothing has been sent. ``apply()`` sends it."""

    rows: list[PlanRow]
    resource: ClientInvoiceResource = attrs.field(repr=False)
    interrupted: bool = False

    @property
    def to_change(self) -> list[PlanRow]:
        return [r for r in self.rows if r.kind == "change"]

    def counts(self) -> dict[str, int]:
        out = {"change": 0, "no-op": 0, "unreadable": 0}
        for r in self.rows:
            out[r.kind] += 1
        return out

    def __repr__(self) -> str:
        c = self.counts()
        return f"<BulkPlan {c['change']} to change, {c['no-op']} no-op, {c['unreadable']} unreadable (nothing sent yet)>"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(repr(self))

    def to_dataframe(self) -> pd.DataFrame:
        """One row per invoice and changed field (no-ops and unreadable invoices have one row each)."""
        from .analysis import _pandas

        records: list[tuple[Any, ...]] = []
        for r in self.rows:
            number = r.invoice.invoice_number if r.invoice else None
            if r.changes:
                records += [(r.id, number, r.kind, c.field, c.before, c.after, None) for c in r.changes]
            else:
                records.append((r.id, number, r.kind, None, None, None, str(r.error) if r.error else None))
        return _pandas().DataFrame.from_records(
            records, columns=["invoice_id", "invoice_number", "plan", "field", "before", "after", "error"]
        )

    def _repr_html_(self) -> str | None:
        from .display import repr_html

        return repr_html(self)

    def apply(self, *, max_workers: int = 8, progress: bool = True) -> BulkResult:
        """Send the plan: one PATCH per invoice that would change, each only if the invoice did not
        change on the server since the plan read it. One failure never stops the rest."""
        resource = self.resource
        work = self.to_change

        def one(row: PlanRow) -> ResultRow:
            assert row.invoice is not None and row.request is not None
            current = resource.get(id=row.id).client_invoice
            assert current is not None
            moved = conflicts(row.invoice, current, [c.field for c in row.changes])
            if moved:
                detail = "; ".join(f"{c.field}: {c.before} → {c.after}" for c in moved)
                return ResultRow(
                    row.id,
                    "skipped: conflict",
                    row.changes,
                    before=current,
                    detail=f"changed on the server since the plan: {detail}",
                )
            after = resource.update(id=row.id, client_invoice_update_request=row.request).client_invoice
            return ResultRow(row.id, "applied", row.changes, before=row.invoice, after=after)

        results, interrupted = run_concurrently(
            one, work, max_workers=max_workers, progress=progress, desc="applying"
        )
        by_id = {row.id: res for row, res in zip(work, results, strict=True)}
        rows = []
        for r in self.rows:
            if r.kind == "no-op":
                rows.append(ResultRow(r.id, "skipped: no-op"))
            elif r.kind == "unreadable":
                rows.append(
                    ResultRow(r.id, "failed", error=r.error, detail="could not be read when planning")
                )
            else:
                res = by_id[r.id]
                if isinstance(res, ResultRow):
                    rows.append(res)
                elif isinstance(res, errors.WingspanError):
                    rows.append(
                        ResultRow(r.id, "failed", r.changes, error=res, before=r.invoice, detail=str(res))
                    )
                else:
                    rows.append(ResultRow(r.id, "not applied (interrupted)", r.changes, before=r.invoice))
        return BulkResult(rows, resource, interrupted=interrupted)


@attrs.define
class BulkResult:
    """What applying a plan did, per invoice: ``applied``, ``skipped: conflict``, ``skipped: no-op``,
    ``failed`` (with the typed error) or ``not applied (interrupted)``. ``audit`` logs every field."""

    rows: list[ResultRow]
    resource: ClientInvoiceResource = attrs.field(repr=False)
    interrupted: bool = False
    audit: list[AuditEntry] = attrs.field(factory=list)

    def __attrs_post_init__(self) -> None:
        now = datetime.now(timezone.utc)
        for r in self.rows:
            for c in r.changes:
                self.audit.append(AuditEntry(now, r.id, c.field, c.before, c.after, r.outcome))

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.rows:
            out[r.outcome] = out.get(r.outcome, 0) + 1
        return out

    @property
    def failures(self) -> dict[str, Exception | None]:
        return {r.id: r.error for r in self.rows if r.outcome == "failed"}

    def __repr__(self) -> str:
        return "<BulkResult " + ", ".join(f"{n} {k}" for k, n in self.counts().items()) + ">"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(repr(self))

    def _repr_html_(self) -> str | None:
        from .display import repr_html

        return repr_html(self)

    def to_dataframe(self) -> pd.DataFrame:
        """One row per invoice: id, outcome, changed fields, detail."""
        from .analysis import _pandas

        return _pandas().DataFrame.from_records(
            [
                (
                    r.id,
                    r.outcome,
                    ", ".join(c.field for c in r.changes),
                    r.detail,
                    type(r.error).__name__ if r.error else None,
                )
                for r in self.rows
            ],
            columns=["invoice_id", "outcome", "fields", "detail", "error"],
        )

    def audit_log(self) -> pd.DataFrame:
        """The audit log as a DataFrame: time, id, field, before, after, outcome."""
        from .analysis import _pandas

        return _pandas().DataFrame.from_records(
            [attrs.astuple(e) for e in self.audit],
            columns=["time", "invoice_id", "field", "before", "after", "outcome"],
        )

    def audit_csv(self, path: str | Path) -> Path:
        """Write the audit log to a CSV file (no pandas needed); returns the path."""
        path = Path(path)
        with path.open("w", newline="") as f:
            out = csv.writer(f)
            out.writerow(["time", "invoice_id", "field", "before", "after", "outcome"])
            for e in self.audit:
                out.writerow([e.time.isoformat(), e.id, e.field, _csv(e.before), _csv(e.after), e.outcome])
        return path

    def undo(self, *, max_workers: int = 8, progress: bool = True) -> BulkResult:
        """Put every applied invoice back to its values before, with the same conflict check (an
        invoice changed since this result is skipped, not overwritten)."""
        rows = []
        for r in self.rows:
            if r.outcome == "applied" and r.before is not None and r.after is not None:
                request = undo_request(r.before, [c.field for c in r.changes])
                back = tuple(Change(c.field, c.after, c.before) for c in r.changes)
                rows.append(PlanRow(r.id, r.after, request, back))
        return BulkPlan(rows, self.resource).apply(max_workers=max_workers, progress=progress)


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
    progress: bool,
) -> BulkPlan:
    pairs = _targets(targets, request)
    batch = resource.get_many([i for i, _ in pairs], max_workers=max_workers, progress=progress)
    rows = []
    for (i, template), outcome in zip(pairs, batch.outcomes, strict=True):
        if outcome.invoice is None:
            rows.append(PlanRow(i, error=outcome.error or errors.WingspanError("not read (interrupted)")))
            continue
        sent, changes = _effective(template, outcome.invoice)
        rows.append(PlanRow(i, outcome.invoice, sent, changes))
    return BulkPlan(rows, resource, interrupted=batch.interrupted)
