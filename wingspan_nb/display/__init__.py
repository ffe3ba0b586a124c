"""Notebook views: ``_repr_html_`` cards for invoices, models, replies and errors, and text summaries.

Loaded on first display, not at ``import wingspan_nb``. :func:`set_options` tunes what is shown.
Bank account and routing numbers, SSN, EIN and tax ids are masked in every view (``•••• 2775``)
unless ``set_options(show_sensitive=True)``; the data itself is never changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._css import FORM_CSS
from ._html import esc, money, prose, shorten, table, text, value_cell
from ._html import esc as escape
from ._options import DisplayOptions, get_options, set_options

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .._reports import Report
    from ..models.invoice import ClientInvoice

# escape, money, prose, table, text and value_cell are the leaves other packages (the widgets) build
# their HTML with; FORM_CSS is the widgets' stylesheet, with the views' colours.
__all__ = [
    "FORM_CSS",
    "DisplayOptions",
    "escape",
    "get_options",
    "list_header",
    "list_row",
    "money",
    "prose",
    "report_chart",
    "report_text",
    "repr_html",
    "repr_pretty",
    "set_options",
    "stylesheet",
    "summary",
    "text_card",
    "table",
    "text",
    "value_cell",
]


def repr_html(obj: object) -> str | None:
    """The HTML view of ``obj`` with its stylesheet; ``None`` in text-only mode. Never raises: if the
    view fails, it shows the text summary and says so."""
    from ._css import CSS
    from ._registry import render

    opts = get_options()
    if opts.display_style == "text":
        return None
    try:
        body = render(obj, opts)
    except Exception as e:  # the repr must never raise: fall back to the text summary
        body = (
            f"<pre>{esc(_safe_summary(obj))}</pre>"
            f'<p class="wsnb-warning">The rich view failed ({esc(type(e).__name__)}: '
            f"{esc(shorten(str(e), 200))}); showing the text summary.</p>"
        )
    return f'<div class="wsnb"><style>{CSS}</style>{body}</div>'


def stylesheet() -> str:
    """The views' ``<style>`` element: for a widget that shows the views' cells outside a card's
    output (its rules apply under an element of class ``wsnb``, then ``wsnb-card``)."""
    from ._css import CSS

    return f"<style>{CSS}</style>"


def list_header() -> tuple[str, ...]:
    """The invoice list's column names, as :func:`list_row` fills them."""
    from ._account import SAMPLE_HEADER

    return SAMPLE_HEADER


def list_row(invoice: ClientInvoice) -> list[str]:
    """One invoice as the invoice list's row of HTML cells (escaped, masked): number, status,
    amount, due date, client, and the id last, shortened."""
    from ._account import sample_row

    return sample_row(invoice)


def text_card(obj: object) -> str:
    """What ``print()`` shows: an invoice or a comparison as a few readable lines (masked like every
    view), any other object as its ``repr``. Never raises."""
    from .._comparison import Changes
    from ..models import ClientInvoice
    from ._text import invoice_text

    try:
        if isinstance(obj, Changes):
            return _safe_summary(obj)
        return invoice_text(obj) if isinstance(obj, ClientInvoice) else repr(obj)
    except Exception:  # print() must never fail: the one-line summary instead
        return _safe_summary(obj)


def summary(obj: object) -> str:
    """The one-line text summary of a model, reply or error."""
    return _safe_summary(obj)


def _safe_summary(obj: object) -> str:
    from ._text import summary as text_summary

    try:
        return text_summary(obj)
    except Exception:
        return object.__repr__(obj)


def repr_pretty(obj: object, p: Any, cycle: bool) -> None:
    """IPython's ``_repr_pretty_``: the one-line summary."""
    p.text(_safe_summary(obj))


def report_text(report: Report) -> str:
    """A report as plain text: its title, then one table per currency, numbers right-aligned."""
    from ._reports import report_text as text

    return text(report)


def report_chart(report: Report, *, style: str | None = None) -> Figure:
    """A report as one horizontal bar chart per currency (matplotlib)."""
    from ._charts import bars

    return bars(report, style=style)
