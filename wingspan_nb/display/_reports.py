"""The views of a report (:class:`wingspan_nb.Report`): one table per currency, as HTML
and as text.

Numbers read the same in both: thousands separators, two decimals for amounts, the currency in
each amount header, right-aligned. Names of clients and members are server text: escaped at the
leaf and masked like every other view (the report's data is never changed).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from .._facts import format_money
from .._numbers import plain_decimal
from .._reports import Measure, Report
from ._html import attr, esc, prose, table, text, words
from ._options import DisplayOptions
from ._registry import renders

__all__ = ["cell_text", "group_heading", "group_label", "header", "report_text"]


def cell_text(value: Any, kind: str) -> str:
    """A measure as read: ``1,234`` (count), ``1,234.50`` (money), ``12.5`` (days), ``12.5 %``,
    ``2026-02-29`` (date); a missing value as ``—``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if kind == "count":
        return f"{value:,.0f}"
    if kind == "money":
        return format_money(value)
    if kind == "days":
        return f"{value:,.1f}"
    if kind == "percent":
        return f"{value:,.1f} %"
    if kind == "date" and isinstance(value, date):
        return value.isoformat()
    return prose(value)  # server text (an invoice number): masked as every view masks it


def group_label(report: Report, value: Any) -> str:
    """A group's value in words (plain text, not escaped): statuses as the cards write them, the
    client's credit-card share as ``30 %``; names masked unless ``show_sensitive``."""
    if report.group == "status":
        return words(value)
    if report.group == "client_pays":
        return "not set" if value is None else f"client pays {plain_decimal(value)} %"
    return prose(value)


def header(measure: Measure, currency: str) -> str:
    """A column header: amounts carry their currency (``amount (USD)``)."""
    return f"{measure.label} ({currency})" if measure.kind == "money" else measure.label


_GROUP_HEADINGS = {"bucket": "days past due", "client_pays": "credit-card fee"}


def group_heading(report: Report) -> str:
    """The group column's heading in words (``days past due`` for the aging buckets)."""
    return _GROUP_HEADINGS.get(report.group or "", words(report.group or ""))


def _headers(report: Report, currency: str) -> list[str]:
    group = [group_heading(report)] if report.group else []
    return [*group, *(header(m, currency) for m in report.measures)]


def _numeric(kind: str) -> bool:
    return kind in ("count", "money", "days", "percent")


def _total_row(report: Report, currency: str) -> list[str]:
    totals = report.total(currency)
    cells = ["total"] if report.group else []
    return cells + [cell_text(totals[m.name], m.kind) if m.name in totals else "" for m in report.measures]


def _caption(report: Report) -> str:
    return f"{report.title}, as of {report.today.isoformat()}"


def report_text(report: Report) -> str:
    """The report as plain text: a title, then each currency's table, numbers right-aligned."""
    lines = [_caption(report)]
    if not report.rows:
        lines.append("(nothing to report)")
    skip = 1 if report.group else 0
    for currency, rows in report.per_currency().items():
        head = _headers(report, currency)
        body = [
            ([group_label(report, row[0])] if skip else [])
            + [cell_text(v, m.kind) for v, m in zip(row[skip:], report.measures, strict=True)]
            for row in rows
        ]
        if report.totals and len(rows) > 1:
            body.append(_total_row(report, currency))
        right = [False] * skip + [_numeric(m.kind) for m in report.measures]
        widths = [max(len(r[n]) for r in [head, *body]) for n in range(len(head))]

        def line(cells: list[str], widths: list[int] = widths, right: list[bool] = right) -> str:
            return "  ".join(
                c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right, strict=True)
            ).rstrip()

        lines += ["", currency, line(head), *(line(r) for r in body)]
    lines += ["", *report.notes] if report.notes else []
    return "\n".join(lines)


@renders(Report)
def report_view(report: Report, opts: DisplayOptions) -> str:
    skip = 1 if report.group else 0
    numeric = [n + skip for n, m in enumerate(report.measures) if _numeric(m.kind)]
    parts = [f'<p class="wsnb-title">{esc(_caption(report))}</p>']
    if not report.rows:
        parts.append('<p class="wsnb-muted">Nothing to report.</p>')
    for currency, rows in report.per_currency().items():
        body = [
            ([text(group_label(report, row[0]))] if skip else [])
            + [esc(cell_text(v, m.kind)) for v, m in zip(row[skip:], report.measures, strict=True)]
            for row in rows
        ]
        if report.totals and len(rows) > 1:
            body.append([f"<strong>{esc(c)}</strong>" for c in _total_row(report, currency)])
        parts.append(
            f'<section data-currency="{attr(currency)}"><h4>{esc(currency)}</h4>'
            f"{table(_headers(report, currency), body, numeric=numeric)}</section>"
        )
    parts += [f'<p class="wsnb-muted">{esc(note)}</p>' for note in report.notes]
    return f'<div class="wsnb-card wsnb-report">{"".join(parts)}</div>'
