"""The HTML views of the whole account: the invoice list (``client_invoice.list()``, snapshots) and
an invoice's fee calculation.

Amounts are summed per currency only (:func:`wingspan_nb._facts.totals_by_currency`), never across
currencies.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from .. import _clock
from .._facts import AWAITING_PAYMENT, client_label, overdue_days, totals_by_currency
from .._invoices import InvoiceList
from ..models import InvoiceStatus, wire_value
from ..models.invoice import ClientInvoice
from ..models.operations import GetClientInvoiceFeesResponse, ListClientInvoicesResponse
from ._html import SHORT_ID, badge, dl, esc, id_chip, money, number, table, text, when
from ._options import DisplayOptions
from ._registry import renders

_SAMPLE = 10
_ORDER = {s.value: n for n, s in enumerate(InvoiceStatus)}
"""Statuses in the enum's order (roughly an invoice's life); ones this version does not know last."""
_FAILURES = 20


def _value(v: object) -> str:
    return str(wire_value(v)) if v is not None else "?"


def status_totals(invoices: Iterable[ClientInvoice]) -> str:
    """Count and amount per (status, currency) under the status badges: one row each, never a total
    across currencies or statuses (a cancelled invoice's amount is not money owed)."""
    counts: Counter[tuple[str, str]] = Counter()
    pairs: dict[str, list[tuple[object, object]]] = {}
    for inv in invoices:
        status = _value(inv.status)
        counts[status, _value(inv.currency)] += 1
        pairs.setdefault(status, []).append((inv.currency, inv.amount))
    rows = []
    for status, status_pairs in sorted(pairs.items(), key=lambda kv: _ORDER.get(kv[0], len(_ORDER))):
        for currency, total in sorted(totals_by_currency(status_pairs).items()):
            rows.append(
                [badge(status), esc(currency), number(counts[status, currency]), money(total, currency)]
            )
    return table(["status", "currency", "invoices", "amount"], rows, numeric=(2, 3))


_PAST_DUE = f"Past due ({', '.join(sorted(AWAITING_PAYMENT))})"
"""Not the Overdue status: every invoice still awaiting payment whose due date has passed."""


def _overdue(invoices: InvoiceList, today: date) -> str:
    late = [
        inv
        for inv in invoices
        if (days := overdue_days(inv.status, inv.due_date, today)) is not None and days > 0
    ]
    if not late:
        return '<p class="wsnb-muted">Nothing past due.</p>'
    counts = Counter(_value(inv.currency) for inv in late)
    totals = totals_by_currency((inv.currency, inv.amount) for inv in late)
    rows = [
        [esc(currency), number(counts[currency]), money(total, currency)]
        for currency, total in sorted(totals.items())
    ]
    return table(["currency", "past-due invoices", "amount past due"], rows, numeric=(1, 2))


def _failures(invoices: InvoiceList) -> str:
    failures = invoices.failures
    rows = [[number(f.position), esc(f.error.path), text(f.error.reason, 300)] for f in failures[:_FAILURES]]
    body = table(["position", "where", "problem"], rows, numeric=(0,))
    if len(failures) > _FAILURES:
        body += f'<p class="wsnb-muted">… {len(failures) - _FAILURES:,} more; <code>.failures</code> has them all.</p>'
    return body


SAMPLE_HEADER = ("number", "status", "amount", "due", "client", "id")


def sample_row(inv: ClientInvoice) -> list[str]:
    """What tells invoices apart first (number, status, amount, due date, client); the id last and
    shortened, so a narrow notebook cuts nothing that matters."""
    return [
        id_chip(inv.invoice_number),
        badge(inv.status),
        money(inv.amount, inv.currency),
        when(inv.due_date),
        text(client_label(inv)),
        id_chip(inv.invoice_id, SHORT_ID),
    ]


@renders(InvoiceList)
def invoice_list_view(invoices: InvoiceList, opts: DisplayOptions) -> str:
    failed = len(invoices.failures)
    title = f"{len(invoices):,} invoices"
    if failed:
        title += f" · {failed:,} did not fit the models (below)"
    parts = [f'<p class="wsnb-title">{esc(title)}</p>']
    if invoices.source is not None:
        parts.append(f'<p class="wsnb-muted">{esc(invoices.source.summary)}</p>')
    if len(invoices):
        parts.append("<h4>By status, per currency</h4>" + status_totals(invoices))
        parts.append(f"<h4>{esc(_PAST_DUE)}, per currency</h4>" + _overdue(invoices, _clock.today_utc()))
    if failed:
        parts.append('<h4 class="wsnb-warning">Items that did not fit</h4>' + _failures(invoices))
    if len(invoices):
        sample = [sample_row(inv) for inv in invoices[:_SAMPLE]]
        parts.append("<h4>First invoices</h4>" + table(SAMPLE_HEADER, sample, numeric=(2,)))
        if len(invoices) > _SAMPLE:
            parts.append(
                f'<p class="wsnb-muted">… {len(invoices) - _SAMPLE:,} more; '
                "<code>.to_dataframe()</code> has them all.</p>"
            )
    return f'<div class="wsnb-card">{"".join(parts)}</div>'


@renders(ListClientInvoicesResponse)
def list_response_view(res: ListClientInvoicesResponse, opts: DisplayOptions) -> str:
    return invoice_list_view(res.client_invoices, opts)


@renders(GetClientInvoiceFeesResponse)
def fees_view(res: GetClientInvoiceFeesResponse, opts: DisplayOptions) -> str:
    """The fee calculation, in the invoice's currency (``fees()`` reads it from the invoice: the fees
    reply names none); where it could not be read, the card says so rather than show a bare number."""
    calc = res.invoice_fee_calculation
    total = money(calc.credit_fee_total, res.currency) if calc is not None else text(None)
    title = f"Fee calculation ({esc(res.currency)})" if res.currency else "Fee calculation"
    unknown = (
        '<p class="wsnb-muted">In the invoice\'s currency, which could not be read; '
        "<code>client_invoice.get(id)</code> shows it.</p>"
        if calc is not None and not res.currency
        else ""
    )
    return (
        f'<div class="wsnb-card"><p class="wsnb-title">{title}</p>'
        f"{dl([('Credit card fee total', total), ('Invoice', id_chip(res.invoice_id))])}{unknown}</div>"
    )
