"""The HTML views of many invoices at once: ``get_many`` results, bulk plans and their results."""

from __future__ import annotations

from ..batch import BatchResult
from ..bulk import BulkPlan, BulkResult
from ._html import esc, money, table, text, value_cell
from ._options import DisplayOptions
from ._registry import renders


@renders(BatchResult)
def batch_view(result: BatchResult, opts: DisplayOptions) -> str:
    read = result.invoices
    title = f"{len(read):,} of {len(result.outcomes):,} invoices read"
    if result.failures:
        title += f" · {len(result.failures)} failed"
    if result.interrupted:
        title += f" · interrupted: {len(result.not_fetched)} not fetched"
    parts = [f'<p class="wsnb-title">{esc(title)}</p>']
    if result.failures:
        rows = [
            [f"<code>{esc(i)}</code>", esc(type(e).__name__), text(str(e), 300)]
            for i, e in result.failures.items()
        ]
        parts.append(table(["id", "error", "message"], rows, limit=50))
    if read:
        rows = [
            [
                f"<code>{esc(inv.invoice_number)}</code>",
                text(inv.status),
                money(inv.amount, inv.currency),
                text(inv.member_name),
            ]
            for inv in read
        ]
        parts.append(table(["number", "status", "amount", "member"], rows, limit=10))
    return f'<div class="wsnb-card">{"".join(parts)}</div>'


_PLAN_ORDER = ("change", "unreadable", "no-op")


@renders(BulkPlan)
def plan_view(plan: BulkPlan, opts: DisplayOptions) -> str:
    c = plan.counts()
    title = (
        f"Plan: {c['change']} to change · {c['no-op']} no-op · {c['unreadable']} unreadable — nothing sent "
        "yet; <code>.apply()</code> sends it"
    )
    rows = []
    for r in sorted(plan.rows, key=lambda r: _PLAN_ORDER.index(r.kind)):
        head = [f"<code>{esc(r.id)}</code>", text(r.invoice.invoice_number) if r.invoice else "", esc(r.kind)]
        if r.changes:
            rows += [
                [*head, f"<code>{esc(ch.field)}</code>", value_cell(ch.before), value_cell(ch.after)]
                for ch in r.changes
            ]
        else:
            rows.append([*head, "", "", text(str(r.error), 200) if r.error else ""])
    body = table(["id", "number", "plan", "field", "before", "after / error"], rows, limit=100)
    return f'<div class="wsnb-card"><p class="wsnb-title">{title}</p>{body}</div>'


@renders(BulkResult)
def bulk_result_view(result: BulkResult, opts: DisplayOptions) -> str:
    title = " · ".join(f"{n} {k}" for k, n in result.counts().items()) or "nothing to do"
    rows = [
        [
            f"<code>{esc(r.id)}</code>",
            esc(r.outcome),
            ", ".join(f"<code>{esc(ch.field)}</code>" for ch in r.changes),
            text(r.detail, 300),
        ]
        for r in result.rows
    ]
    body = table(["id", "outcome", "fields", "detail"], rows, limit=100)
    return f'<div class="wsnb-card"><p class="wsnb-title">{esc(title)}</p>{body}</div>'
