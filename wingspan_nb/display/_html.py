"""The leaves of every view: the only place server strings enter markup, escaped exactly there.

Server text is shortened *before* escaping, and each ``$`` in it is wrapped in ``<code>`` so that
JupyterLab's math typesetting cannot turn ``$2.13 and $5.24`` into italics (an HTML entity would not
stop it; MathJax skips ``<code>``). Only ``http(s)`` URLs become links.
"""

from __future__ import annotations

import html
import json
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

from .._facts import format_money, format_timestamp, has_time_of_day, parse_timestamp, words
from .._sensitive import masked_prose
from ..models import InvoiceStatus, wire_value
from ._options import get_options

__all__ = [
    "SHORT_ID",
    "attr",
    "badge",
    "details",
    "dl",
    "email",
    "esc",
    "id_chip",
    "link",
    "money",
    "number",
    "prose",
    "shorten",
    "table",
    "text",
    "value_cell",
    "when",
    "wire_timestamp",
    "words",
]

_DOLLAR = '<code class="wsnb-d">$</code>'


def shorten(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def esc(value: str) -> str:
    """Escape for element content, and defuse ``$`` for MathJax."""
    return html.escape(value, quote=True).replace("$", _DOLLAR)


def attr(value: str) -> str:
    """Escape for a double-quoted attribute value (no markup allowed there, and no math either)."""
    return html.escape(value, quote=True)


def prose(value: object) -> str:
    """A server string as every view shows it (HTML, text, reports, the explorer): numbers that look
    like account or SSN numbers inside prose ("pay to account 000123456789") masked, unless
    ``show_sensitive`` is set; a value with no space (an id, an invoice number) left as sent. Plain
    text, not escaped: the one masking rule, which :func:`text` and :func:`id_chip` apply at the leaf."""
    s = str(value)
    return s if get_options().show_sensitive else masked_prose(s)


def text(value: object, limit: int = 200) -> str:
    """Any value as escaped, shortened text; enums show their wire value in words (see
    :func:`words`), ``None`` an em dash. Numbers that look like account or SSN numbers inside the
    text ("pay to account 000123456789") are masked unless ``show_sensitive`` is set."""
    if value is None:
        return '<span class="wsnb-muted">—</span>'
    if isinstance(value, Enum):
        value = words(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float | int):
        return number(value)
    return esc(shorten(prose(value), limit))


def number(value: float | int) -> str:
    """A number without float artifacts (``0.1 + 0.2`` shows as ``0.3``)."""
    if isinstance(value, bool):
        return str(value)
    try:
        d = Decimal(format(value, ".12g"))
    except (InvalidOperation, ValueError):
        return esc(str(value))
    if d == d.to_integral_value():
        return f"{d:,.0f}"
    return f"{d.normalize():,f}"


def money(amount: float | int | None, currency: object = None, *, signed: bool = False) -> str:
    """``1,200.00 USD`` in ``<code>``: :func:`~wingspan_nb._facts.format_money`, the one way every
    view writes an amount."""
    if amount is None:
        return text(None)
    return f'<code class="wsnb-money">{esc(format_money(amount, currency, signed=signed))}</code>'


def link(url: object, label: str | None = None, limit: int = 200) -> str:
    """A link if ``url`` is an http(s) URL; anything else (``javascript:``, ``data:``) shows as text."""
    if not isinstance(url, str):
        return text(url, limit)
    shown = esc(shorten(label if label is not None else url, limit))
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme not in ("http", "https"):
        return f'<span class="wsnb-unsafe-url" title="not an http(s) link">{shown}</span>'
    href = attr(url.strip())
    return f'<a href="{href}" target="_blank" rel="noopener noreferrer nofollow">{shown}</a>'


def email(value: object, limit: int = 200) -> str:
    """An e-mail address as text that never breaks mid-address."""
    return f'<span class="wsnb-nowrap">{text(value, limit)}</span>'


def wire_timestamp(value: object) -> str | None:
    """``2025-11-18 16:09 UTC`` if ``value`` is a wire timestamp with a time of day; ``None`` for
    anything else (a bare date such as a birth date stays as it is)."""
    return format_timestamp(value) if has_time_of_day(value) else None


def when(value: object, *, with_time: bool = False) -> str:
    """An ISO timestamp as ``2024-03-01`` (or ``2024-03-01 14:55 UTC``) in a ``<time>`` element; a
    date-only wire value shows as its date whatever ``with_time`` says."""
    t = parse_timestamp(value)
    shown = format_timestamp(value, with_time=with_time)
    if t is None or shown is None:
        return text(value)
    machine = t.isoformat() if has_time_of_day(value) else t.date().isoformat()
    return f'<time datetime="{attr(machine)}">{shown}</time>'


_BADGES: dict[str, str] = {
    InvoiceStatus.DRAFT: "neutral",
    InvoiceStatus.PENDING: "pending",
    InvoiceStatus.OPEN: "info",
    InvoiceStatus.PAYMENT_IN_TRANSIT: "transit",
    InvoiceStatus.OVERDUE: "bad",
    InvoiceStatus.PAID: "good",
    InvoiceStatus.CANCELLED: "neutral",
}
"""A badge's tone per status (keyed by the members; a status kept as a plain string finds its member,
since they are ``str`` enums)."""


def badge(status: object) -> str:
    """A status badge in words (``Payment in transit``); an unknown
    status still shows, in the neutral colour."""
    value = str(wire_value(status))
    tone = _BADGES.get(value, "neutral")
    return f'<span class="wsnb-badge wsnb-{tone}">{esc(shorten(words(value), 40))}</span>'


def details(summary: str, body: str, *, open_: bool, name: str) -> str:
    """A collapsible section (no JavaScript, keyboard-accessible, survives stripped CSS)."""
    is_open = " open" if open_ else ""
    return f'<details class="wsnb-section" data-section="{name}"{is_open}><summary>{summary}</summary>{body}</details>'


def value_cell(value: Any) -> str:
    """A before/after value of a change (wire form): objects as JSON, null in italics."""
    if value is None:
        return "<i>null</i>"
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    return f"<code>{esc(shorten(str(value), 300))}</code>"


SHORT_ID = 10
"""The length of an id chip in a table row that leads with the invoice number: the id comes last,
shortened (the whole id in its tooltip), so a narrow notebook still shows what matters."""


def id_chip(value: object, limit: int = 40) -> str:
    """An identifier (invoice id or number) as a code chip that never wraps; long ones are shortened
    with the whole value in the tooltip; an invoice number that reads as prose is masked as
    :func:`prose` masks (in the tooltip too)."""
    s = prose(wire_value(value))
    return f'<code class="wsnb-id" title="{attr(s)}">{esc(shorten(s, limit))}</code>'


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    limit: int | None = None,
    numeric: Collection[int] = (),
) -> str:
    """A table of already-built cells under an escaped header; above ``limit`` rows, a "… N more" line.
    Columns whose index is in ``numeric`` are right-aligned with tabular figures. A table wider than
    the card scrolls inside its own box instead of running past the card's edge."""
    shown = rows if limit is None else rows[:limit]
    num = ' class="wsnb-num"'
    head = "".join(
        f'<th scope="col"{num if i in numeric else ""}>{esc(h)}</th>' for i, h in enumerate(header)
    )
    body = "".join(
        "<tr>" + "".join(f"<td{num if i in numeric else ''}>{c}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in shown
    )
    more = len(rows) - len(shown)
    tail = f'<p class="wsnb-muted">… {more:,} more rows; .to_dataframe() has them all.</p>' if more else ""
    return f'<div class="wsnb-scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>{tail}'


def dl(pairs: Iterable[tuple[str, str]]) -> str:
    """A definition list of (label, already-built HTML) pairs; labels are ours, escaped anyway."""
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in pairs)
    return f'<dl class="wsnb-kv">{rows}</dl>' if rows else ""
