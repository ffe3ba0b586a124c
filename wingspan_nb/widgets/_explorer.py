"""``Explorer``: the whole account, browsable — filters, a sortable paged table, an invoice's card, its
edit form, and a bulk change of the rows selected.

Everything runs on the list in the kernel (``InvoiceList.where`` / ``sort_by``); only the page shown
reaches the browser. Core ipywidgets, plus one invisible anywidget script (``aria-pressed``,
``aria-sort``, the message line's live region), as the edit form: it works wherever the form does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final

import ipywidgets as w
from ipywidgets.widgets.widget_bool import CheckboxStyle, ToggleButtonStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from .. import errors
from .._facts import as_utc_date, client_label, format_money, format_timestamp, totals_by_currency, words
from ..display import (
    FORM_CSS,
    escape,
    list_header,
    list_row,
    money,
    prose,
    stylesheet,
    summary,
    table,
)
from ..models import InvoiceStatus
from ._access import ExplorerAccess, first_field, focus
from ._bulk import BulkEditor
from ._controls import fit_width, guarded, say
from ._editor import InvoiceEditor
from ._static import StaticCopy, copy_bundle, view_html

if TYPE_CHECKING:
    from .._client import Wingspan
    from .._invoices import InvoiceList
    from .._resources import ClientInvoiceResource
    from ..models.invoice import ClientInvoice

__all__ = ["LIVE_EXPLORER_TEXT", "Explorer"]


_SORT_KEYS: Final = {
    "number": "invoice_number",
    "status": "status",
    "amount": "amount",
    "due": "due_date",
    "client": "client_name",
    "id": "invoice_id",
}
"""Each column of the table (the invoice list's row) and the ``to_dataframe`` column it sorts by."""

_HEAD_TIPS: Final = {
    "amount": "Sort by currency (A to Z), then by amount within each currency: amounts in different "
    "currencies are never compared",
}
"""A header's tooltip where its sort is not just the column's values."""

LIVE_EXPLORER_TEXT = (
    "The live invoice explorer: it needs a running kernel (run the cell). "
    "The static copy below shows the filters and the page as last shown."
)
"""The live explorer's ``text/plain``: what a notebook shows where the widget cannot be drawn."""

_CSS = (
    "<style>"
    # The table scrolls inside its own box; nothing else in the explorer may be wider than the output.
    ".wsnb-explorer{max-width:100%;min-width:0}"
    ".wsnb-explorer .widget-html-content,.wsnb-explorer .jupyter-widget-html-content{min-width:0;max-width:100%}"
    ".wsnb-explorer .wsnb-x-scroll{overflow-x:auto;max-width:100%}"
    # The grid keeps its columns' width (it is also a card, which may shrink): its box scrolls instead.
    ".wsnb-explorer .wsnb-x-grid{display:grid;align-items:center;gap:0 10px;padding:4px 8px;"
    "flex:0 0 auto;min-width:max-content}"
    # A row's cells are one HTML widget; its boxes step aside so that each cell is a grid item.
    ".wsnb-explorer .wsnb-x-grid .wsnb-x-cells,.wsnb-explorer .wsnb-x-grid .wsnb-x-cells>.widget-html-content,"
    ".wsnb-explorer .wsnb-x-grid .wsnb-x-cells>.jupyter-widget-html-content{display:contents}"
    ".wsnb-explorer .wsnb-x-cell{white-space:nowrap;line-height:1.4;padding:1px 0}"
    ".wsnb-explorer .wsnb-x-cell:nth-child(2){text-align:right}"
    ".wsnb-explorer .wsnb-x-grid .widget-button{justify-self:start}"
    ".wsnb-explorer .wsnb-x-head{font-weight:600;background:transparent;padding:0 4px;"
    "color:var(--jp-ui-font-color1,inherit)}"
    ".wsnb-explorer .wsnb-x-open{font-family:var(--jp-code-font-family,monospace);font-size:12px;padding:0 6px;"
    "background:transparent;color:var(--jp-content-link-color,#0969da);text-decoration:underline}"
    # Sorted by amount, each currency's rows start under a line naming the currency.
    ".wsnb-explorer .wsnb-x-group{grid-column:1/-1;border-top:1px solid var(--jp-border-color1,#bdbdbd);"
    "font-weight:600;margin-top:4px;padding-top:2px}"
    ".wsnb-explorer .wsnb-x-current{outline:2px solid var(--jp-brand-color1,#1976d2);outline-offset:1px}"
    ".wsnb-explorer .widget-toggle-button{width:auto}"
    # A pressed toggle in the theme's brand colour (3:1 and more against an unpressed one in the light
    # and dark themes), its text in the theme's inverse colour; its label starts with a check mark too.
    ".wsnb-explorer .widget-toggle-button.mod-active,.wsnb-explorer .widget-toggle-button.mod-active:hover"
    "{background:var(--jp-brand-color1,#1976d2);color:var(--jp-ui-inverse-font-color0,#fff)}"
    # A checkbox's label (plain text) names its invoice for screen readers without taking room in the row.
    ".wsnb-explorer .wsnb-x-check .widget-label-basic>span{position:absolute;width:1px;height:1px;"
    "overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}"
    ".wsnb-explorer button:disabled{opacity:.5}"
    "</style>"
)


def _show_sort(button: w.Button, name: str, state: str) -> None:
    """A header's label, tooltip and ``wsnb-sort-*`` class (read for ``aria-sort``) for its sort state."""
    arrow = {"ascending": " ▲", "descending": " ▼"}.get(state, "")
    button.description = name + arrow
    how = _HEAD_TIPS.get(name, f"Sort by {name}")
    button.tooltip = how if state == "none" else f"{how} (sorted {state}; click again to reverse)"
    others = [c for c in button._dom_classes if not c.startswith("wsnb-sort-")]
    button._dom_classes = (*others, f"wsnb-sort-{state}")


class _Shared:
    """The layout and style models the explorer's widgets share: each widget would otherwise bring
    two models of its own, and a saved notebook keeps every model's state."""

    def __init__(self) -> None:
        self.layout = fit_width()
        self.plain = w.Layout()
        self.label_layout = w.Layout(width="5.5em")
        self.html_style = HTMLStyle()
        self.check_style = CheckboxStyle()
        self.button_style = w.ButtonStyle()
        self.toggle_style = ToggleButtonStyle()
        self.contents = w.Layout(display="contents")

    def part(self, children: list[w.Widget], role_class: str) -> w.Box:
        """A box that draws nothing (``display: contents``: its children are the grid's items) and
        carries a table role: ``wsnb-x-row``, ``wsnb-x-colhead`` or ``wsnb-x-gridcell`` (the access
        script sets ``role`` from the class, which ipywidgets cannot)."""
        box = w.Box(children, layout=self.contents)
        box.add_class(role_class)
        return box

    def button(self, label: str, *, icon: str = "") -> w.Button:
        return w.Button(description=label, icon=icon, layout=self.layout, style=self.button_style)

    def toggle(self, label: str, *, tooltip: str = "") -> w.ToggleButton:
        return w.ToggleButton(
            value=False, description=label, tooltip=tooltip, layout=self.layout, style=self.toggle_style
        )

    def html(self, value: str = "") -> w.HTML:
        return w.HTML(value, layout=self.plain, style=self.html_style)

    def line(self, label: str, items: list[w.Widget]) -> w.HBox:
        """A row of controls that wraps at the output's width instead of overflowing it."""
        head = [w.HTML(f"<b>{escape(label)}</b>", layout=self.label_layout, style=self.html_style)]
        return w.HBox(
            (head if label else []) + items,
            layout=w.Layout(flex_flow="row wrap", align_items="center", max_width="100%"),
        )


class _Row:
    """One table row's widgets: a checkbox (select), a button (the invoice number: opens the card,
    Enter too), and one HTML widget for the other cells. Its cells are ``<span>`` grid items of the
    table's grid (the widget and its content box are ``display: contents``), so the columns line up
    across rows with three widgets a row, not seven; a box that draws nothing makes it a table row
    for screen readers (the checkbox is the first cell and owns the number's button: one box a row,
    since a saved notebook keeps every model's state)."""

    def __init__(self, shared: _Shared) -> None:
        # Its label, plain text, is there for screen readers (drawn 1 px wide): ipywidgets also makes
        # it the checkbox's tooltip, so it is never markup, which the tooltip would show as written.
        self.check = w.Checkbox(value=False, indent=False, layout=shared.layout, style=shared.check_style)
        self.check.add_class("wsnb-x-check")
        self.open_button = shared.button("")
        self.open_button.add_class("wsnb-x-open")
        self.cells = shared.html()
        self.cells.add_class("wsnb-x-cells")
        self.check.add_class("wsnb-x-gridcell")
        self.box = shared.part([self.check, self.open_button, self.cells], "wsnb-x-row")


class Explorer(StaticCopy):
    """The whole account in one widget: filter, sort, page through, open, edit, select, change.

    ``Explorer(invoices, client)`` takes an :class:`~wingspan_nb.InvoiceList` (what
    ``client_invoice.list()`` or ``load_invoices`` gives) and, for the **Edit** and **Plan a change**
    buttons, a :class:`~wingspan_nb.Wingspan` (or its ``client_invoice`` resource); without one
    they stay disabled. Usually opened as ``account.explore(s)`` or ``s.client_invoice.explore()``.

    - Status and currency toggles (each with how many invoices it would show), **Past due**, client
      and text search as you type, a due-date range: each change is ``where`` on the list.
    - Click a column header to sort (again: descending); ``page_size`` rows a page, Prev/Next.
      **amount** sorts by currency, then by amount within each currency (amounts in different
      currencies are never ranked against each other).
    - The invoice number opens the invoice's card under the table (Enter on it too), with the focus
      on the card's **Edit**; **Edit** opens the edit form in the card, above the invoice's details,
      with the focus on its first field, and a save replaces the
      invoice in :attr:`invoices`, the rows and the static copy (no re-listing).
    - Tick rows (or **Select all that match**), then **Plan a change**: the bulk editor for exactly
      the selection, under the button, with the focus on its first field, its dry run and apply;
      applied changes show in the rows. Rows the filters hide stay selected, and the selection
      line, the button and a note above the bulk editor say how many and which.

    ``today`` fixes "now" for **Past due** (default: today, UTC). The list given is not changed:
    :attr:`invoices` is the explorer's own, with saved invoices in place.
    """

    live_text = LIVE_EXPLORER_TEXT

    def __init__(
        self,
        invoices: InvoiceList,
        client: Wingspan | ClientInvoiceResource | None = None,
        *,
        page_size: int = 25,
        today: date | datetime | str | None = None,
    ) -> None:
        from .._client import Wingspan

        if not isinstance(page_size, int) or isinstance(page_size, bool) or not 1 <= page_size <= 500:
            raise errors.InvalidRequestError(
                f"page_size={page_size!r}: give a whole number of rows from 1 to 500 (25 reads well)."
            )
        self._resource: ClientInvoiceResource | None = (
            client.client_invoice if isinstance(client, Wingspan) else client
        )
        self.invoices: InvoiceList = invoices
        """The invoices explored: the list given, with each invoice saved here in its place."""
        self.total = len(invoices)
        self.page_size = page_size
        self.today = today
        self.page = 0
        """The page shown (0-based)."""
        self.sort: tuple[str, bool] | None = None
        """The column sorted by and whether descending; ``None``: the list's own order."""
        self.current: ClientInvoice | None = None
        """The invoice whose card is open."""
        self.editor: InvoiceEditor | None = None
        self.bulk: BulkEditor | None = None
        self._selected: dict[str, None] = {}
        self._sorted: InvoiceList | None = None
        self._page_invoices: list[ClientInvoice] = []
        self._rendering = False
        self._counts: dict[str, int] = {}
        self._totals: dict[str, float] = {}
        self.matched: InvoiceList = invoices
        """The invoices the filters let through, in the order shown."""

        shared = self._shared = _Shared()
        self._group_rows: list[w.HTML] = []
        """Lines between currencies when sorted by amount, made as a page first needs them."""
        # -- filters
        present = invoices.filter_keys.positions("status")
        order = [s.value for s in InvoiceStatus]
        statuses = order + sorted(set(present) - set(order))  # a status this version does not know, last
        self.status_toggles = {s: shared.toggle(words(s)) for s in statuses}
        self.past_due_toggle = shared.toggle("Past due", tooltip="Awaiting payment after the due date")
        currencies = sorted(invoices.filter_keys.positions("currency"))
        self.currency_toggles = {c: shared.toggle(c) for c in currencies}
        self.client_box = w.Text(
            description="Client",
            placeholder="name, e-mail or id",
            continuous_update=True,
            layout=w.Layout(width="20em", max_width="100%"),
        )
        self.text_box = w.Text(
            description="Text",
            placeholder="number, project, notes",
            continuous_update=True,
            layout=w.Layout(width="20em", max_width="100%"),
        )
        self.due_after = w.DatePicker(description="Due after", layout=w.Layout(width="auto"))
        self.due_before = w.DatePicker(description="Due before", layout=w.Layout(width="auto"))
        self.clear_filters_button = shared.button("Clear filters", icon="times")
        self.summary = shared.html()
        self.message = shared.html()
        """What went wrong with the last action, above the table (a live region: screen readers say it)."""
        self.message.add_class("wsnb-status")

        # -- the table
        header = list_header()
        self._columns = list(header)
        self.header_buttons = {name: shared.button(name) for name in header}
        for name, b in self.header_buttons.items():
            b.add_class("wsnb-x-head")
            _show_sort(b, name, "none")
        self.rows = [_Row(shared) for _ in range(page_size)]
        # Over the checkboxes: no header of its own (a row's first cell, the checkbox, holds the
        # number's button too, under the "number" header).
        blank_head = shared.html()
        # The header row: each button in a column header, which carries aria-sort (ARIA defines it
        # on column headers only: on a button, browsers drop it).
        heads = [shared.part([b], "wsnb-x-colhead") for b in self.header_buttons.values()]
        self._head_row = shared.part([blank_head, *heads], "wsnb-x-row")
        self.grid = w.GridBox(
            layout=w.Layout(
                grid_template_columns="auto auto auto auto auto minmax(6em,max-content) auto",
                width="max-content",
            )
        )
        self.grid.add_class("wsnb-card")
        self.grid.add_class("wsnb-x-grid")
        scroller = w.Box([self.grid])
        scroller.add_class("wsnb-x-scroll")
        self.prev_button = shared.button("Prev", icon="chevron-left")
        self.next_button = shared.button("Next", icon="chevron-right")
        self.page_label = shared.html()

        # -- selection, card, panels
        self.selection_label = shared.html()
        self.select_all_button = shared.button("Select all that match", icon="check-square")
        self.clear_selection_button = shared.button("Clear selection", icon="square")
        self.plan_button = shared.button("Plan a change", icon="list")
        self.card = shared.html()
        self.edit_button = shared.button("Edit", icon="pencil")
        self.close_button = shared.button("Close", icon="times")
        self.form_panel = w.VBox()
        """Where the edit form opens: in the card, between its actions and the invoice's details."""
        self.card_box = w.VBox([w.HBox([self.edit_button, self.close_button]), self.form_panel, self.card])
        self.card_box.layout.display = "none"
        self.panel = w.VBox()
        """Where the bulk editor opens: under the selection line and its Plan a change button."""

        no_client = "Open the explorer with a client (account.explore(s)) to edit"
        for b in (self.edit_button, self.plan_button):
            b.disabled = self._resource is None
            if self._resource is None:
                b.tooltip = no_client

        self.widget = w.VBox(
            [
                # Styles apply while hidden: the views', the forms' (3:1 control edges) and its own.
                w.HTML(stylesheet() + f"<style>{FORM_CSS}</style>" + _CSS, layout=w.Layout(display="none")),
                w.VBox(
                    [ExplorerAccess()], layout=w.Layout(display="none")
                ),  # draws nothing, whatever happens
                shared.line("Status", [*self.status_toggles.values(), self.past_due_toggle]),
                shared.line("Currency", list(self.currency_toggles.values())),
                shared.line("", [self.client_box, self.text_box]),
                shared.line("", [self.due_after, self.due_before, self.clear_filters_button]),
                self.summary,
                shared.line(
                    "",
                    [
                        self.selection_label,
                        self.select_all_button,
                        self.clear_selection_button,
                        self.plan_button,
                    ],
                ),
                self.panel,
                self.message,
                scroller,
                shared.line("", [self.prev_button, self.page_label, self.next_button]),
                self.card_box,
            ],
            layout=w.Layout(max_width="100%"),
        )
        self.widget.add_class("wsnb")
        self.widget.add_class("wsnb-explorer")

        # -- wiring
        for t in [*self.status_toggles.values(), *self.currency_toggles.values(), self.past_due_toggle]:
            t.observe(self._guard(self._filtered), "value")
        for box in (self.client_box, self.text_box, self.due_after, self.due_before):
            box.observe(self._guard(self._filtered), "value")
        self.clear_filters_button.on_click(self._guard(self.clear_filters))
        for name, b in self.header_buttons.items():
            b.on_click(self._guard(_bind(self.sort_by_column, name)))
        for n, row in enumerate(self.rows):
            row.open_button.on_click(self._guard(_bind(self._open_row, n)))
            row.check.observe(self._guard(_bind(self._checked, n)), "value")
        self.prev_button.on_click(self._guard(lambda: self.go_to_page(self.page - 1)))
        self.next_button.on_click(self._guard(lambda: self.go_to_page(self.page + 1)))
        self.select_all_button.on_click(self._guard(self.select_all))
        self.clear_selection_button.on_click(self._guard(self.clear_selection))
        self.plan_button.on_click(self._guard(lambda: self.plan_change()))
        self.edit_button.on_click(self._guard(lambda: self.edit()))
        self.close_button.on_click(self._guard(self.close_card))

        self._render()

    # -- the filters -----------------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        """The filters set, as :meth:`InvoiceList.where` arguments."""
        out: dict[str, Any] = {}
        statuses = [s for s, t in self.status_toggles.items() if t.value]
        if statuses:
            out["status"] = statuses
        currencies = [c for c, t in self.currency_toggles.items() if t.value]
        if currencies:
            out["currency"] = currencies
        if self.past_due_toggle.value:
            out["past_due"] = True
            out["today"] = self.today
        for name, box in (("client", self.client_box), ("text", self.text_box)):
            if box.value.strip():
                out[name] = box.value
        if self.due_after.value is not None:
            out["due_after"] = self.due_after.value
        if self.due_before.value is not None:
            out["due_before"] = self.due_before.value
        return out

    def describe(self) -> str:
        """The filters in words with the count: ``Overdue, USD, client contains 'acme': 37 of 10,000``."""
        f = self.filters()
        parts = []
        if "status" in f:
            parts.append(" or ".join(words(s) for s in f["status"]))
        if f.get("past_due"):
            parts.append(f"past due on {as_utc_date(self.today).isoformat()}")
        if "currency" in f:
            parts.append(" or ".join(f["currency"]))
        for name in ("client", "text"):
            if name in f:
                parts.append(f"{name} contains {_quoted(f[name].strip())}")
        if "due_after" in f:
            parts.append(f"due after {f['due_after'].isoformat()}")
        if "due_before" in f:
            parts.append(f"due before {f['due_before'].isoformat()}")
        what = ", ".join(parts) or "All invoices"
        line = f"{what}: {len(self.matched):,} of {self.total:,}"
        if self.sort is not None:
            column = "currency, then amount" if self.sort[0] == "amount" else self.sort[0]
            line += f", by {column}{' (descending)' if self.sort[1] else ''}"
        return line

    def clear_filters(self) -> None:
        """Every filter off: the whole list again."""
        self._rendering = True  # one re-render at the end, not one per control
        try:
            for t in [*self.status_toggles.values(), *self.currency_toggles.values(), self.past_due_toggle]:
                t.value = False
            self.client_box.value = self.text_box.value = ""
            self.due_after.value = self.due_before.value = None
        finally:
            self._rendering = False
        self._filtered()

    def sort_by_column(self, column: str) -> None:
        """Sort by a column of the table (``"amount"``, ``"due"``, ...); the same column again sorts
        descending, a third time goes back to ascending. ``"amount"`` sorts by currency (A to Z),
        then by amount within each currency: amounts in different currencies are never compared."""
        if column not in _SORT_KEYS:
            raise errors.InvalidRequestError(
                f"sort_by_column({column!r}): use one of {', '.join(_SORT_KEYS)}"
            )
        descending = self.sort is not None and self.sort[0] == column and not self.sort[1]
        self.sort = (column, descending)
        self._sorted = None
        for name, b in self.header_buttons.items():
            _show_sort(b, name, ("descending" if descending else "ascending") if name == column else "none")
        self._filtered()

    def _filtered(self) -> None:
        if self._rendering:
            return
        self.page = 0
        self._render()

    def _ordered(self) -> InvoiceList:
        """The whole list in the order chosen (kept until the order or the list changes)."""
        if self.sort is None:
            return self.invoices
        if self._sorted is None:
            column, descending = self.sort
            ordered = self.invoices.sort_by(_SORT_KEYS[column], descending, today=self.today)
            if column == "amount":
                # Amounts rank only within their currency: the currencies A to Z (whichever way the
                # amounts go), each currency's amounts in the order asked (sort_by is stable).
                ordered = ordered.sort_by("currency")
            self._sorted = ordered
        return self._sorted

    def _render(self) -> None:
        """Filter, count and show the page: each control calls this (it sends nothing to the server,
        unlike a bulk editor's ``apply``)."""
        f = self.filters()
        rest = {k: v for k, v in f.items() if k not in ("status", "currency")}
        ordered = self._ordered()
        base = ordered.where(**rest) if rest else ordered
        keys = base.filter_keys
        by_status, by_currency = keys.positions("status"), keys.positions("currency")
        in_currencies = _union(by_currency, f.get("currency"))
        in_statuses = _union(by_status, f.get("status"))
        # Each toggle counts what it would show with the other filters as they are.
        for s, t in self.status_toggles.items():
            n = _count(by_status.get(s), in_currencies)
            t.description = _pressed(t, f"{words(s)} · {n:,}")
        for c, t in self.currency_toggles.items():
            t.description = _pressed(t, f"{c} · {_count(by_currency.get(c), in_statuses):,}")
        self.past_due_toggle.description = _pressed(self.past_due_toggle, "Past due")
        picked = {k: f[k] for k in ("status", "currency") if k in f}
        self.matched = base.where(**picked) if picked else base
        pages = max(1, -(-len(self.matched) // self.page_size))
        self.page = min(max(self.page, 0), pages - 1)
        self._count_totals()
        self._render_summary()
        self._render_page()

    # -- showing ---------------------------------------------------------------------------------

    def _count_totals(self) -> None:
        """Count and total what the filters let through, per currency (never across currencies)."""
        keys = self.matched.filter_keys
        self._counts = {c: len(p) for c, p in keys.positions("currency").items()}
        self._totals = totals_by_currency(zip(keys.column("currency"), keys.column("amount"), strict=True))

    def _totals_html(self) -> str:
        return " · ".join(
            f"{self._counts.get(c, 0):,} in {money(total, c)}" for c, total in sorted(self._totals.items())
        )

    def _render_summary(self) -> None:
        totals = self._totals_html()
        self.summary.value = (
            f'<div class="wsnb-card" style="border:0;padding:2px 0"><b>{escape(self.describe())}</b>'
            + (f'<br><span class="wsnb-muted">Totals shown, per currency:</span> {totals}' if totals else "")
            + "</div>"
        )
        n = len(self._selected)
        hidden = len(self._hidden_selected())
        # A row the filters hide stays selected: the line and Plan a change say so, never silently.
        aside = f" ({hidden:,} hidden by the filters)" if hidden else ""
        self.selection_label.value = f"<b>{n:,}</b> selected{escape(aside)}" if n else "None selected"
        self.select_all_button.description = f"Select all {len(self.matched):,} that match"
        self.select_all_button.disabled = not len(self.matched)
        self.clear_selection_button.disabled = not n
        self.plan_button.disabled = self._resource is None or not n
        self.plan_button.description = (
            f"Plan a change ({n:,}, {hidden:,} hidden)" if hidden else "Plan a change"
        )
        if self._resource is not None:
            self.plan_button.tooltip = (
                f"Change the {n:,} invoices selected, {hidden:,} of them hidden by the filters"
                if hidden
                else "Change the invoices selected"
            )

    def _hidden_selected(self) -> list[str]:
        """The ids selected that the filters hide now, in the order they were selected."""
        if not self._selected:
            return []
        shown = set(self.matched.ids)
        return [i for i in self._selected if i not in shown]

    def _render_page(self) -> None:
        start = self.page * self.page_size
        shown = [self.matched[n] for n in range(start, min(start + self.page_size, len(self.matched)))]
        self._page_invoices = shown
        self._rendering = True
        try:
            children: list[w.Widget] = []
            by_currency = self.sort is not None and self.sort[0] == "amount"
            currency, groups = None, 0
            for row, inv in zip(self.rows, shown, strict=False):
                if by_currency and inv.currency != currency:
                    currency = inv.currency
                    children.append(self._group_row(groups, currency))
                    groups += 1
                cells = list_row(inv)
                row.open_button.description = prose(inv.invoice_number)
                row.open_button.tooltip = f"Open invoice {prose(inv.invoice_number)}"
                row.check.value = inv.invoice_id in self._selected
                row.check.description = row.check.tooltip = f"Select invoice {prose(inv.invoice_number)}"
                html = "".join(f'<span class="wsnb-x-cell" role="cell">{c}</span>' for c in cells[1:])
                if row.cells.value != html:
                    row.cells.value = html
                if self.current is not None and inv.invoice_id == self.current.invoice_id:
                    row.open_button.add_class("wsnb-x-current")
                else:
                    row.open_button.remove_class("wsnb-x-current")
                children.append(row.box)
        finally:
            self._rendering = False
        self.grid.children = [self._head_row, *children]
        if shown:
            self.page_label.value = (
                f"rows {start + 1:,}\N{EN DASH}{start + len(shown):,} of {len(self.matched):,}"
            )
        else:
            self.page_label.value = "no invoices match these filters"
        self.prev_button.disabled = self.page == 0
        self.next_button.disabled = start + len(shown) >= len(self.matched)
        self._refresh_snapshot()

    def _group_row(self, n: int, currency: str) -> w.HTML:
        """The ``n``-th line on the page that starts a currency's rows (amount sort): the currency and
        how many invoices the filters let through in it, a row of the table for screen readers."""
        while len(self._group_rows) <= n:
            line = self._shared.html()
            line.add_class("wsnb-x-row")
            line.add_class("wsnb-x-group")
            self._group_rows.append(line)
        line = self._group_rows[n]
        count = self._counts.get(currency, 0)
        html = (
            f'<span role="cell" aria-colspan="{len(self._columns)}">{escape(currency)} · '
            f"{count:,} invoice{'' if count == 1 else 's'}</span>"
        )
        if line.value != html:
            line.value = html
        return line

    def go_to_page(self, page: int) -> None:
        """Show page ``page`` (0-based; clamped to the pages there are)."""
        self.page = page
        self._render()

    # -- one invoice -----------------------------------------------------------------------------

    def _open_row(self, n: int) -> None:
        """A row's number clicked (or Enter on it): its card, with the focus on the card's first
        action, so that the keyboard does not Tab through every row below to reach Edit."""
        if n < len(self._page_invoices):
            self.open(self._page_invoices[n])
            focus(self.close_button if self.edit_button.disabled else self.edit_button)

    def open(self, invoice: ClientInvoice | str) -> None:
        """Show an invoice's card under the table (an invoice, or the id of one in the list)."""
        if isinstance(invoice, str):
            found = [inv for inv in self.invoices if inv.invoice_id == invoice]
            if not found:
                raise errors.NoMatchError(
                    f"No invoice with id {errors.short_id(invoice)} in this list.", count=0
                )
            invoice = found[0]
        self.current = invoice
        self.card.value = _card(invoice)
        self.card_box.layout.display = "flex"
        if self.editor is not None and self.editor.invoice.invoice_id != invoice.invoice_id:
            self._close_panel()
        self._render_page()

    def close_card(self) -> None:
        """Close the card (and the edit form with it)."""
        self.current = None
        self.card_box.layout.display = "none"
        if self.editor is not None:
            self._close_panel()
        self._render_page()

    def edit(self) -> InvoiceEditor:
        """Open the edit form for the invoice whose card is open; a save puts the invoice the server
        returned in :attr:`invoices` and in the rows (no re-listing)."""
        if self._resource is None:
            raise errors.InvalidRequestError(
                "This explorer has no client to save with; open it as account.explore(s)."
            )
        if self.current is None:
            raise errors.InvalidRequestError("Open an invoice first (click its number), then Edit.")
        self.bulk = None
        self.panel.children = []  # one form open at a time
        self.editor = InvoiceEditor(self._resource, self.current, on_save=self._saved)
        # The explorer's card above shows the invoice (and follows each save): not a second copy.
        self.editor.card.layout.display = "none"
        self.form_panel.children = [w.HTML("<b>Edit form</b>"), self.editor.widget]
        # Where the analyst is looking: the first field takes the focus (the browser scrolls it
        # into view), not the Edit button eleven Tabs above it.
        focus(first_field(self.editor.fields.values(), ()))
        return self.editor

    def _saved(self, invoice: ClientInvoice) -> None:
        self.replace([invoice])

    def replace(self, invoices: list[ClientInvoice]) -> None:
        """Put invoices the server returned in place of the ones with the same ids, and show them."""
        self.invoices = self.invoices.replaced(invoices)
        self._sorted = None
        if self.current is not None:
            fresh = {inv.invoice_id: inv for inv in invoices}.get(self.current.invoice_id)
            if fresh is not None:
                self.current = fresh
                self.card.value = _card(fresh)
        self._render()

    # -- selection and bulk changes --------------------------------------------------------------

    @property
    def selected(self) -> list[str]:
        """The ids of the rows selected, in the order they were selected."""
        return list(self._selected)

    def _checked(self, n: int) -> None:
        if self._rendering or n >= len(self._page_invoices):
            return
        iid = self._page_invoices[n].invoice_id
        if self.rows[n].check.value:
            self._selected[iid] = None
        else:
            self._selected.pop(iid, None)
        self._render_summary()
        self._refresh_snapshot()

    def select_all(self) -> None:
        """Select every invoice the filters let through (on every page)."""
        self._selected.update(dict.fromkeys(self.matched.ids))
        self._render_summary()
        self._render_page()

    def clear_selection(self) -> None:
        self._selected.clear()
        self._render_summary()
        self._render_page()

    def plan_change(self) -> BulkEditor:
        """Open the bulk editor for exactly the rows selected (its Plan is a dry run; Apply sends)."""
        if self._resource is None:
            raise errors.InvalidRequestError(
                "This explorer has no client to change invoices with; open it as account.explore(s)."
            )
        if not self._selected:
            raise errors.InvalidRequestError("Select rows first (tick them, or Select all that match).")
        self.editor = None
        self.form_panel.children = []
        bulk = self.bulk = BulkEditor(self._resource, list(self._selected))
        for button in (bulk.apply_button, bulk.undo_button):  # each runs after the editor's own handler
            button.on_click(self._guard(lambda: self._applied(bulk)))
        hidden = self._hidden_selected()
        note: list[w.Widget] = []
        if hidden:
            numbers = {inv.invoice_id: prose(inv.invoice_number) for inv in self.invoices}
            named = ", ".join(numbers.get(i, errors.short_id(i)) for i in hidden[:10])
            more = f" and {len(hidden) - 10:,} more" if len(hidden) > 10 else ""
            note = [
                w.HTML(
                    f'<p class="wsnb-warning" role="note">⚠ {len(hidden):,} of the {len(self._selected):,} '
                    f"invoices selected are hidden by the filters: {escape(named + more)}. They are changed "
                    "too; untick them (Clear filters shows them) to leave them out.</p>"
                )
            ]
        self.panel.children = [*note, bulk.widget]
        focus(first_field(bulk._controls, ()))  # into view, under the button pressed
        return bulk

    def _applied(self, bulk: BulkEditor) -> None:
        """The invoices a bulk change (or its undo) changed, as the server returned them, into the rows."""
        if bulk.result is None:
            return
        after = [r.after for r in bulk.result.rows if r.after is not None]
        if after:
            self.replace(after)

    def _close_panel(self) -> None:
        self.editor = self.bulk = None
        self.panel.children = self.form_panel.children = []

    # -- errors ----------------------------------------------------------------------------------

    def _guard(self, action: Callable[[], object]) -> Callable[..., None]:
        """A control's callback: a failure is said above the table; the next success clears it."""

        def act() -> None:
            action()
            say(self.message, "")

        return guarded(act, self.message, what="explorer", then=self._recover)

    def _recover(self) -> None:
        self._rendering = False

    # -- the static copy -------------------------------------------------------------------------

    def _snapshot_bundle(self) -> dict[str, Any]:
        # Closed under the live explorer (as the edit form's copy is), its one line says the filters
        # and the count; opened, the page of rows.
        line = escape(f"Static copy of this explorer (for saved notebooks and exports): {self.describe()}")
        return copy_bundle(self.snapshot_text(), line, self.snapshot_html())

    def _page_line(self) -> str:
        start = self.page * self.page_size
        if not self._page_invoices:
            return "No invoices match these filters."
        return f"Rows {start + 1:,}\N{EN DASH}{start + len(self._page_invoices):,} of {len(self.matched):,}."

    def snapshot_text(self) -> str:
        """The explorer as plain text: the filters in words, the totals, the page shown."""
        lines = [f"Invoice explorer: {self.describe()}"]
        if self._totals:
            totals = sorted(self._totals.items())
            lines.append("  Totals: " + "; ".join(format_money(t, c) for c, t in totals))
        lines.append(f"  {self._page_line()} Selected: {len(self._selected):,}.")
        for inv in self._page_invoices:
            client = client_label(inv)
            due = format_timestamp(inv.due_date, with_time=False) or "-"
            lines.append(
                f"  {prose(inv.invoice_number)}  {words(inv.status)}  {format_money(inv.amount, inv.currency)}"
                f"  due {due}  {prose(client)}"
            )
        return "\n".join(lines)

    def snapshot_html(self) -> str:
        """The explorer as static HTML (no widgets): the filters in words, the totals, the page as a
        table in the invoice list's style."""
        totals = self._totals_html()
        rows = [list_row(inv) for inv in self._page_invoices]
        return (
            f'<div class="wsnb">{stylesheet()}<div class="wsnb-card">'
            '<p class="wsnb-title">Invoice explorer (a static copy: run the cell to explore)</p>'
            f"<p><b>{escape(self.describe())}</b></p>"
            + (f"<p>Totals, per currency: {totals}</p>" if totals else "")
            + f'<p class="wsnb-muted">{escape(self._page_line())} Selected: {len(self._selected):,}.</p>'
            + (table(self._columns, rows, numeric=(2,)) if rows else "")
            + "</div></div>"
        )

    def __repr__(self) -> str:
        return f"<Explorer {self.describe()}>"


def _card(invoice: ClientInvoice) -> str:
    """The invoice's card as the notebook shows it, without its stylesheet: the explorer's own style
    widget carries it once (each card would otherwise bring another copy to the browser)."""
    return view_html(invoice, summary(invoice)).replace(stylesheet(), "", 1)


def _pressed(toggle: w.ToggleButton, label: str) -> str:
    """A toggle's label, with a check mark while it is pressed: its state in words as well as colour."""
    return f"\N{CHECK MARK} {label}" if toggle.value else label


def _bind(fn: Callable[[Any], None], arg: Any) -> Callable[[], None]:
    return lambda: fn(arg)


def _union(index: dict[str, frozenset[int]], chosen: list[str] | None) -> frozenset[int] | None:
    if not chosen:
        return None
    return frozenset().union(*(index.get(v, frozenset()) for v in chosen))


def _count(positions: frozenset[int] | None, within: frozenset[int] | None) -> int:
    if positions is None:
        return 0
    return len(positions) if within is None else len(positions & within)


def _quoted(value: str) -> str:
    """``'acme'``: what the analyst typed, masked like every other view (an account number typed
    into the search is not repeated in the copy)."""
    return f"'{prose(value)}'"
