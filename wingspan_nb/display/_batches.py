"""The HTML views of many invoices at once: ``get_many`` results, bulk plans and their results.

Ids and invoice numbers are chips that never wrap. A plan's or result's row leads with the invoice
number and ends with the id, shortened (the whole id in its tooltip), so that in a narrow notebook
the values under review (before, after, outcome, detail) stay in view. Amounts are right-aligned; amounts in
different currencies are never added (totals are per currency)."""

from __future__ import annotations

from datetime import datetime, timezone

from .._batch import BatchResult
from .._bulk import BulkPlan, BulkResult, PlanRow
from .._changes import change_words, leaf_changes
from .._facts import format_timestamp
from ._account import SAMPLE_HEADER, sample_row, status_totals
from ._html import SHORT_ID, attr, esc, id_chip, shorten, table, text
from ._options import DisplayOptions
from ._registry import renders


def _maybe_chip(value: str | None) -> str:
    return id_chip(value) if value else text(None)


@renders(BatchResult)
def batch_view(result: BatchResult, opts: DisplayOptions) -> str:
    read = result.client_invoices
    failures = result.failures
    title = f"{len(read):,} of {len(result.outcomes):,} invoices read"
    if failures:
        title += f" · {len(failures)} failed"
    if result.interrupted:
        title += f" · interrupted: {len(result.not_fetched)} not fetched"
    parts = [f'<p class="wsnb-title">{esc(title)}</p>']
    if read:
        parts.append("<h4>By status, per currency</h4>" + status_totals(read))
    if failures:
        rows = [[id_chip(f.id), esc(type(f.error).__name__), text(str(f.error), 300)] for f in failures]
        parts.append(table(["id", "error", "message"], rows, limit=50))
    if read:
        # The same rows as the invoice list's sample: invoices that share a number still differ by id.
        rows = [sample_row(inv) for inv in read]
        parts.append(table(SAMPLE_HEADER, rows, limit=10, numeric=(2,)))
    return f'<div class="wsnb-card">{"".join(parts)}</div>'


_PLAN_ORDER = ("change", "unreadable", "no-op")


def _plan_order(row: PlanRow) -> tuple[int, int]:
    """Settled invoices that would leave Paid or Cancelled first, then changes, unreadable, no-ops."""
    return (0 if row.settled else 1, _PLAN_ORDER.index(row.kind))


def _words_cell(value: str) -> str:
    return f'<code class="wsnb-nowrap">{esc(shorten(value, 120))}</code>'


@renders(BulkPlan)
def plan_view(plan: BulkPlan, opts: DisplayOptions) -> str:
    c = plan.counts()
    title = (
        f"Plan: {c['change']} to change · {c['no-op']} no-op · {c['unreadable']} unreadable — nothing sent "
        "yet"
    )
    warning = plan.settled_note()
    note = f'<p class="wsnb-warning" role="note">⚠ {esc(warning)}</p>' if warning else ""
    rows = []
    for r in sorted(plan.rows, key=_plan_order):
        kind = f'<span class="wsnb-nowrap">{esc(r.kind)} ⚠</span>' if r.settled else esc(r.kind)
        head = [
            _maybe_chip(r.number),
            f'<span title="{attr(r.settled or "")}">{kind}</span>' if r.settled else kind,
        ]
        tail = [id_chip(r.id, SHORT_ID)]
        leaves = [leaf for ch in r.changes for leaf in leaf_changes(ch)]
        if leaves:
            rows += [
                [*head, esc(x.label), _words_cell(x.before_words), _words_cell(x.after_words), *tail]
                for x in leaves
            ]
        else:
            rows.append([*head, "", "", text(r.problem, 200) if r.problem else "", *tail])
    body = table(["number", "plan", "field", "before", "after / error", "id"], rows, limit=100)
    return f'<div class="wsnb-card"><p class="wsnb-title">{esc(title)}</p>{note}{body}</div>'


def _time(t: datetime | None) -> str:
    """An audit time of day to the second (two applies a minute apart must not read the same); the
    whole timestamp in its tooltip and ``datetime``, the date in the table's title."""
    if t is None:
        return text(None)
    whole, clock = (
        format_timestamp(t, precision="seconds"),
        format_timestamp(t, with_date=False, precision="seconds"),
    )
    machine = t.astimezone(timezone.utc).isoformat()
    return f'<time class="wsnb-nowrap" datetime="{attr(machine)}" title="{attr(whole)}">{esc(clock)}</time>'


@renders(BulkResult)
def bulk_result_view(result: BulkResult, opts: DisplayOptions) -> str:
    summary = result.summary()
    title = summary[0].upper() + summary[1:]
    times = [r.time for r in result.rows if r.time is not None]
    if times:
        title += f" · {format_timestamp(min(times), precision='seconds')}"
    if result.action == "undo":
        title += " (putting back what the apply changed)"
    if result.unknown:
        title += (
            " — unknown: they may or may not have changed; get those invoices to see (undo() re-reads them)"
        )
    rows = [
        [
            _maybe_chip(r.number),
            esc(result.label(r.outcome)),
            # Each change on its own line, wide enough to read a fee split in a few lines.
            '<div style="min-width:14em">'
            + "".join(f"<div>{esc(change_words(ch))}</div>" for ch in r.changes)
            + "</div>",
            text(r.detail, 300),
            _time(r.time),
            id_chip(r.id, SHORT_ID),
        ]
        for r in result.rows
    ]
    body = table(["number", "outcome", "changes", "detail", "time", "id"], rows, limit=100)
    return f'<div class="wsnb-card"><p class="wsnb-title">{esc(title)}</p>{body}</div>'
