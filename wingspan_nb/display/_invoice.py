"""The invoice card (and the view of replies that carry one).

Every server value goes through the leaves in :mod:`._html`; this module only arranges them. The
amount leads; every timestamp reads ``2025-11-18 16:09 UTC`` outside the raw JSON; sensitive
numbers are masked (:mod:`wingspan_nb._sensitive`); wide tables scroll inside their section.
"""

from __future__ import annotations

import copy
import json
import math
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .. import _clock
from .._facts import client_label, overdue_days, parse_timestamp
from .._sensitive import mask, masked_document
from ..models import ClientInvoice, InvoiceLineItem, Unset, field_plan, wire_value
from ..models.operations import GetClientInvoiceResponse, UpdateClientInvoiceResponse
from ._html import (
    attr,
    badge,
    details,
    dl,
    email,
    esc,
    id_chip,
    link,
    money,
    number,
    prose,
    shorten,
    text,
    when,
    words,
)
from ._model import MASKED_NOTE, MASKED_TITLE, model_table, sensitive_html, value_html
from ._options import DisplayOptions
from ._registry import renders

__all__ = ["invoice_card", "response_view"]

_RAW_JSON_LIMIT = 30_000


# -- the invoice card ------------------------------------------------------------------------------


def _stamp(value: Any) -> str:
    return when(value, with_time=True)


def _nowrap(markup: str) -> str:
    return f'<span class="wsnb-nowrap">{markup}</span>'


def _scroll(markup: str) -> str:
    """A wide table scrolls inside its own box instead of pushing past the card's edge."""
    return f'<div class="wsnb-scroll">{markup}</div>'


def _due_note(inv: ClientInvoice, today: date) -> str:
    days = overdue_days(inv.status, inv.due_date, today)
    if days is None:
        return ""
    if days > 0:
        return f' <span class="wsnb-overdue">overdue by {days} day{"s" if days != 1 else ""}</span>'
    if days == 0:
        return ' <span class="wsnb-overdue">due today</span>'
    return f' <span class="wsnb-muted">due in {-days} day{"s" if days != -1 else ""}</span>'


def _header(inv: ClientInvoice, opts: DisplayOptions, today: date) -> str:
    limit = opts.max_string_length
    title = (
        f'<p class="wsnb-title">Invoice {id_chip(inv.invoice_number, 60)} · '
        f"{text(inv.project_name, limit)} {badge(inv.status)}</p>"
    )
    headline = (
        f'<p class="wsnb-headline"><span class="wsnb-amount">{money(inv.amount, inv.currency)}</span> '
        f"{_nowrap('due ' + _stamp(inv.due_date))}{_due_note(inv, today)}</p>"
    )
    sub = (
        f'<p class="wsnb-sub">{_nowrap("created " + _stamp(inv.created_at))} · '
        f"{_nowrap('updated ' + _stamp(inv.updated_at))} · {_nowrap('id ' + id_chip(inv.invoice_id, 60))}</p>"
    )
    return title + headline + sub


def _parties(inv: ClientInvoice, opts: DisplayOptions) -> str:
    limit = opts.max_string_length
    lines = inv.member_formatted_address_lines or [
        inv.member_address.address_line1,
        inv.member_address.address_line2,
        f"{inv.member_address.city}, {inv.member_address.state} {inv.member_address.postal_code}",
    ]
    address = "<br>".join(text(line, limit) for line in lines if line)
    member = dl(
        [
            ("Name", text(inv.member_name, limit)),
            ("Company", text(inv.member_company, limit)),
            ("Email", email(inv.member_email, limit)),
            ("Address", address),
        ]
    )
    mc = inv.member_client
    client = dl(
        [
            ("Name", text(client_label(inv), limit)),
            ("Email", email(mc.email_to, limit)),
            ("Workflow", text(inv.client.workflow_status, limit)),
            ("Pay date", _stamp(inv.client.pay_date) if inv.client.pay_date else text(None)),
            ("Comment", text(inv.client.comment, limit)),
        ]
    )
    return (
        f'<div class="wsnb-cols"><section><strong>Member</strong>{member}</section>'
        f"<section><strong>Client</strong>{client}</section></div>"
    )


def _discount(item: InvoiceLineItem, currency: object) -> str:
    d = item.discount
    if d is None:
        return ""
    parts = []
    if d.percentage is not None:
        parts.append(_nowrap(f"{number(d.percentage)} %"))
    if d.amount is not None:
        parts.append(money(d.amount, currency))
    if d.description:
        parts.append(text(d.description, 80))
    return " ".join(parts)


def _line_row(i: int, item: InvoiceLineItem, opts: DisplayOptions, currency: object, discounts: bool) -> str:
    limit = opts.max_string_length
    reimbursable = ' <span class="wsnb-tag">reimbursable</span>' if item.reimbursable_expense else ""
    cells = [
        f'<td class="wsnb-num">{i + 1}</td>',
        f'<td class="wsnb-prose">{text(item.description, limit)}{reimbursable}</td>',
        f'<td class="wsnb-num">{number(item.quantity)}</td>',
        f"<td>{text(item.unit, 40)}</td>",
        f'<td class="wsnb-num">{money(item.cost_per_unit)}</td>',
        f'<td class="wsnb-num">{money(item.total_cost)}</td>',
        f'<td class="wsnb-prose wsnb-detail">{text(item.detail, limit)}</td>',
    ]
    if discounts:
        cells.append(f'<td class="wsnb-discount">{_discount(item, currency)}</td>')
    return f"<tr>{''.join(cells)}</tr>"


def _visible(n: int, limit: int) -> tuple[range, range]:
    """Head and tail index ranges when ``n`` rows exceed ``limit``."""
    if n <= limit:
        return range(n), range(0)
    head = limit - limit // 2
    return range(head), range(n - limit // 2, n)


def _cents(x: float) -> Decimal:
    return Decimal(format(x, ".12g")).quantize(Decimal("0.01"))


def line_items_table(inv: ClientInvoice, opts: DisplayOptions) -> str:
    """The line items, the total column before the wrapping detail so that a narrow notebook shows
    the amounts first; the discount column only when a line has a discount."""
    items = inv.line_items
    head, tail = _visible(len(items), opts.max_line_items)
    discounts = any(item.discount is not None for item in items)
    total_label = f"Total ({wire_value(inv.currency)})"
    columns = ["#", "Description", "Qty", "Unit", "Cost/unit", total_label, "Detail"]
    columns += ["Discount"] if discounts else []
    rows = [_line_row(i, items[i], opts, inv.currency, discounts) for i in head]
    if tail:
        hidden = len(items) - len(head) - len(tail)
        rows.append(
            f'<tr class="wsnb-more"><td colspan="{len(columns)}">… {hidden:,} more line items '
            f"(set_options(max_line_items=…) shows more)</td></tr>"
        )
        rows.extend(_line_row(i, items[i], opts, inv.currency, discounts) for i in tail)
    numeric = {"#", "Qty", "Cost/unit", total_label}
    thead = "".join(
        f'<th scope="col"{" class=wsnb-num" if c in numeric else ""}>{esc(c)}</th>' for c in columns
    )
    total = _cents(math.fsum(i.total_cost for i in items))
    after = len(columns) - columns.index(total_label) - 1
    foot = (
        f'<tfoot><tr><th scope="row" colspan="{columns.index(total_label)}">Total of {len(items):,} line item{"" if len(items) == 1 else "s"}</th>'
        f'<td class="wsnb-num">{money(float(total), inv.currency)}</td><td colspan="{after}"></td></tr></tfoot>'
    )
    warning = ""
    if total != _cents(inv.amount):
        warning = (
            f'<p class="wsnb-warning" role="alert">⚠ The line items add up to {money(float(total), inv.currency)}'
            f" but the invoice amount is {money(inv.amount, inv.currency)}.</p>"
        )
    table = f'<table class="wsnb-lines"><thead><tr>{thead}</tr></thead><tbody>{"".join(rows)}</tbody>{foot}</table>'
    return _scroll(table) + warning


def _fee(fee: Any, currency: object) -> str:
    if fee is None:
        return text(None)
    at = f" <span class='wsnb-muted'>({_stamp(fee.calculated_at)})</span>" if fee.calculated_at else ""
    return money(fee.amount, currency) + at


def _percent(v: Any) -> str:
    return text(None) if v is None or isinstance(v, Unset) else _nowrap(f"{number(v)} %")


def _frequency(every: Any) -> str:
    """``every 2 weeks from 2024-04-16``, ``daily from …``: the late-fee schedule in words."""
    parts = []
    if every.daily:
        parts.append("daily")
    elif every.interval is not None:
        unit = words(every.interval).lower()
        n = every.every if every.every is not None else 1
        parts.append(f"every {unit}" if n == 1 else f"every {number(n)} {unit}s")
    if every.start_date:
        parts.append(_nowrap("from " + _stamp(every.start_date)))
    return " ".join(parts)


def _fees(inv: ClientInvoice) -> str:
    cur = inv.currency
    pairs: list[tuple[str, str]] = []
    if inv.charged_fees is not None:
        pairs += [
            ("Charged late fee", _fee(inv.charged_fees.late_fee, cur)),
            ("Charged processing fee", _fee(inv.charged_fees.processing_fee, cur)),
        ]
    if inv.processing_fees is not None:
        pairs += [
            ("Credit card fee", _fee(inv.processing_fees.credit_card_fee, cur)),
            ("Instant payout fee", _fee(inv.processing_fees.instant_payout_fee, cur)),
        ]
    cfh = inv.credit_fee_handling
    if cfh is not None:
        pairs += [
            ("Credit card fee: client pays", _percent(cfh.client_pays)),
            ("Credit card fee: member pays", _percent(cfh.member_pays)),
            ("Credit card fee: client absolute percentage", _percent(cfh.client_absolute_percentage)),
        ]
    late = inv.late_fee_handling
    if late is not None:
        amount = (
            money(late.late_fee_amount, cur)
            if late.late_fee_amount is not None
            else _percent(late.late_fee_percentage)
        )
        pairs += [("Late fee", f"{amount} {_frequency(late.frequency)}".strip())]
    return dl(pairs)


def _has_fee(inv: ClientInvoice) -> bool:
    fees = [
        *((inv.charged_fees.late_fee, inv.charged_fees.processing_fee) if inv.charged_fees else ()),
        *(
            (inv.processing_fees.credit_card_fee, inv.processing_fees.instant_payout_fee)
            if inv.processing_fees
            else ()
        ),
    ]
    return any(f is not None and f.amount for f in fees) or inv.late_fee_handling is not None


def _label(name: str) -> str:
    words = re.sub(r"([A-Z])", r" \1", name.removesuffix("At")).strip().lower()
    return words[:1].upper() + words[1:]


def events_timeline(inv: ClientInvoice) -> tuple[int, str]:
    entries: list[tuple[datetime, str, str]] = []
    unparsed: list[tuple[str, str]] = []
    for a in field_plan(type(inv.events)):
        v = getattr(inv.events, a.name)
        for stamp in v if isinstance(v, list) else [v]:
            if stamp is None:
                continue
            t = parse_timestamp(stamp)
            if t is None:
                unparsed.append((a.wire, stamp))
            else:
                entries.append((t, a.wire, stamp))
    entries.sort(key=lambda e: e[0])
    items = [f"<li>{_stamp(stamp)} — {esc(_label(name))}</li>" for _, name, stamp in entries]
    items += [f"<li>{text(stamp, 60)} — {esc(_label(name))}</li>" for name, stamp in unparsed]
    if not items:
        return 0, '<p class="wsnb-muted">No events yet.</p>'
    return len(items), f'<ol class="wsnb-timeline">{"".join(items)}</ol>'


def _links(inv: ClientInvoice, opts: DisplayOptions) -> str:
    limit = opts.max_string_length
    pairs: list[tuple[str, str]] = []
    att = inv.attachments
    if att is not None:
        for label, url in (
            ("Invoice link", att.invoice_link),
            ("Invoice PDF", att.invoice_pdf),
            ("Receipt PDF", att.receipt_pdf),
        ):
            if url:
                pairs.append((label, link(url, limit=limit)))
        for f in att.custom_attachment_info or []:
            if f is not None:
                pairs.append(("Attachment", link(f.file_url, f.file_name, limit)))
    if inv.member_logo_url:
        pairs.append(("Member logo", link(inv.member_logo_url, limit=limit)))
    return dl(pairs) or '<p class="wsnb-muted">No attachments or links.</p>'


def _bank(account: Any, opts: DisplayOptions) -> str:
    parts = [text(account.bank_name, 60), "account " + sensitive_html(account.account_number, opts)]
    if account.routing_number is not None:
        parts.append("routing " + sensitive_html(account.routing_number, opts))
    if account.swift_code is not None:
        parts.append("SWIFT " + sensitive_html(account.swift_code, opts))
    return " · ".join(_nowrap(p) for p in parts)


def _other(inv: ClientInvoice, opts: DisplayOptions) -> str:
    limit = opts.max_string_length
    methods = ", ".join(text(m, 30) for m in (inv.accepted_payment_methods or []) if m is not None)
    pairs = [("Accepted payment methods", methods or text(None)), ("Notes", text(inv.invoice_notes, limit))]
    if inv.payment_info is not None:
        p = inv.payment_info
        means = " ".join(
            x
            for x in [
                text(p.means_type, 30),
                text(p.card_brand, 30) if p.card_brand else "",
                # the server sends the card's last four digits; mask() shows those four and never more
                f'<code class="wsnb-masked">{esc(mask("••••" + str(p.means_last4)))}</code>'
                if p.means_last4
                else "",
            ]
            if x
        )
        pairs.append(("Paid with", means))
    if inv.bank_transfer_info is not None:
        pairs.append(("Bank transfer to", _bank(inv.bank_transfer_info, opts)))
    if inv.international_bank_transfer_info is not None:
        pairs.append(("International transfer to", _bank(inv.international_bank_transfer_info, opts)))
    if inv.metadata is not None:
        m = inv.metadata
        pairs += [
            (label, v)
            for label, v in (
                ("Purchase order", text(m.purchase_order_number, limit) if m.purchase_order_number else None),
                ("Invoice date", _stamp(m.invoice_date) if m.invoice_date else None),
                ("Deposit note", text(m.deposit_note, limit) if m.deposit_note else None),
                (
                    "Payout pending because",
                    text(m.payout_pending_reason, limit) if m.payout_pending_reason else None,
                ),
                (
                    "Pending because",
                    text(m.pending_status_reason, limit) if m.pending_status_reason else None,
                ),
            )
            if v is not None
        ]
    if inv.additional_recipient_emails:
        pairs.append(("Also sent to", ", ".join(email(e, 80) for e in inv.additional_recipient_emails if e)))
    if inv.additional_properties:
        extra = value_html(dict(inv.additional_properties), opts, 1)
        if extra is not None:
            pairs.append(("Not in the models", extra))
    return dl(pairs)


def _raw_json(inv: ClientInvoice, opts: DisplayOptions) -> str:
    lines = inv.line_items
    head, tail = _visible(len(lines), opts.max_line_items)
    note = ""
    if tail:
        # Serialise only the rows shown; a shallow copy keeps which properties were absent or null.
        inv = copy.copy(inv)
        inv.line_items = [lines[i] for i in head] + [lines[i] for i in tail]
        note = f'<p class="wsnb-muted">lineItems shortened to {len(head) + len(tail)} of {len(lines):,}; invoice.to_json() has all.</p>'
    data = inv.to_dict()
    shown = data if opts.show_sensitive else masked_document(data)
    if shown != data:
        note += (
            f'<p class="wsnb-muted" title="{MASKED_TITLE}">Account numbers and tax ids are masked here; '
            "invoice.to_json() has them, set_options(show_sensitive=True) shows them.</p>"
        )
    raw = json.dumps(shown, indent=2, ensure_ascii=False)
    if len(raw) > _RAW_JSON_LIMIT:
        note += f'<p class="wsnb-muted">Cut at {_RAW_JSON_LIMIT:,} characters.</p>'
        raw = raw[:_RAW_JSON_LIMIT] + "\n…"
    return note + f"<pre>{esc(raw)}</pre>"


@renders(ClientInvoice)
def invoice_card(inv: ClientInvoice, opts: DisplayOptions, today: date | None = None) -> str:
    today = today or _clock.today_utc()
    open_ = opts.expand
    n_events, timeline = events_timeline(inv)
    fees = _fees(inv)
    sections = [
        details("Parties", _parties(inv, opts), open_="parties" in open_, name="parties"),
        details(
            f"Line items ({len(inv.line_items):,})",
            line_items_table(inv, opts),
            open_="line_items" in open_,
            name="line_items",
        ),
    ]
    if fees:
        # Open when a fee was charged or is due: the amount the client paid depends on it.
        charged = _has_fee(inv)
        sections.append(details("Fees", fees, open_="fees" in open_ or charged, name="fees"))
    sections += [
        details(f"Events ({n_events})", timeline, open_="events" in open_, name="events"),
        details("Attachments and links", _links(inv, opts), open_="links" in open_, name="links"),
        details("Payment, notes and metadata", _other(inv, opts), open_="details" in open_, name="details"),
        details(
            "Member-client record",
            model_table(inv.member_client, opts),
            open_="member_client" in open_,
            name="member_client",
        ),
        details("Raw JSON", _raw_json(inv, opts), open_="raw_json" in open_, name="raw_json"),
    ]
    body = "".join(sections)
    # Masked somewhere in the card (a section, or the raw JSON): say so where it can be seen, closed or open.
    foot = MASKED_NOTE if MASKED_TITLE in body else ""
    label = attr(f"Invoice {shorten(prose(inv.invoice_number), 60)}")
    return f'<div class="wsnb-card" role="group" aria-label="{label}">{_header(inv, opts, today)}{body}{foot}</div>'


@renders(GetClientInvoiceResponse)
@renders(UpdateClientInvoiceResponse)
def response_view(res: GetClientInvoiceResponse | UpdateClientInvoiceResponse, opts: DisplayOptions) -> str:
    if res.client_invoice is None:
        return f'<div class="wsnb-card">{esc(type(res).__name__)}: no invoice (HTTP {res.status_code})</div>'
    foot = f'<p class="wsnb-muted">HTTP {res.status_code} · {text(res.content_type, 80)}</p>'
    return invoice_card(res.client_invoice, opts) + foot
