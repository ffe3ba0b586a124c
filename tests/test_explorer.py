"""The explorer driven in the kernel: filters set as a user sets them, buttons clicked with
``.click()``, and the page, the counts, the totals, the card, the edit form, the bulk change and the
static copy checked against numbers worked out by hand from ``tests/fixed_list.py``'s table."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

import wingspan_nb
from wingspan_nb import Wingspan, errors
from wingspan_nb import _wire_json as wire_json
from wingspan_nb._invoices import InvoiceList, parse_invoice_array
from wingspan_nb.display import prose
from wingspan_nb.models import ClientInvoice, InvoiceStatus
from wingspan_nb.sandbox import SandboxServer
from wingspan_nb.widgets import Explorer
from wingspan_nb.widgets._access import _EXPLORER_ESM
from wingspan_nb.widgets._explorer import LIVE_EXPLORER_TEXT

from .fixed_list import ROWS, TODAY, fixed_list, invoice_dict, numbers


def _shown(x: Explorer) -> list[str]:
    """The invoice numbers of the rows on the page, as the row buttons say them."""
    boxes = {id(row.box) for row in x.rows}  # one box a row (sorted by amount, currency lines too)
    on_page = sum(id(c) in boxes for c in x.grid.children)
    return [row.open_button.description for row in x.rows[:on_page]]


@pytest.fixture
def explorer() -> Explorer:
    return fixed_list().explore(page_size=4, today=TODAY)


@pytest.fixture
def live() -> Iterator[tuple[SandboxServer, Wingspan, Explorer]]:
    docs = [invoice_dict(row, n) for n, row in enumerate(ROWS)]
    with (
        SandboxServer(invoices=docs) as sandbox,
        Wingspan(sandbox.token, server_url=sandbox.url) as client,
    ):
        x = client.client_invoice.explore(page_size=4, today=TODAY, progress=False)
        yield sandbox, client, x


# -- the first page --------------------------------------------------------------------------------


def test_opens_on_the_first_page_with_totals_per_currency(explorer: Explorer) -> None:
    x = explorer
    assert _shown(x) == ["F-01", "F-02", "F-03", "F-04"]
    assert x.page_label.value == "rows 1\N{EN DASH}4 of 11"
    assert x.describe() == "All invoices: 11 of 11"
    # USD: 100 + 1,000 + 250.50 + 2,000 + 1,200 + 900; CAD: 300 + 400 + 500 + 600 + 700.
    assert '6 in <code class="wsnb-money">5,450.50 USD</code>' in x.summary.value
    assert '5 in <code class="wsnb-money">2,500.00 CAD</code>' in x.summary.value
    assert "7,950.50" not in x.summary.value  # never added across currencies
    assert x.prev_button.disabled and not x.next_button.disabled
    assert [t.description for t in x.currency_toggles.values()] == ["CAD · 5", "USD · 6"]
    assert x.status_toggles["Paid"].description == "Paid · 3"


def test_paging_shows_one_page_of_widgets_at_a_time(explorer: Explorer) -> None:
    x = explorer
    x.next_button.click()
    assert _shown(x) == ["F-05", "F-06", "F-07", "F-08"] and x.page_label.value == "rows 5\N{EN DASH}8 of 11"
    x.next_button.click()
    assert _shown(x) == ["F-09", "F-10", "F-11"] and x.page_label.value == "rows 9\N{EN DASH}11 of 11"
    assert x.next_button.disabled and not x.prev_button.disabled
    assert len(x.grid.children) == 1 + 3  # the header and three rows: the fourth row is not sent
    x.prev_button.click()
    assert _shown(x) == ["F-05", "F-06", "F-07", "F-08"]


# -- filters ---------------------------------------------------------------------------------------


def test_status_and_currency_toggles_filter_and_count_what_they_would_show(explorer: Explorer) -> None:
    x = explorer
    x.status_toggles["Open"].value = True
    assert numbers(x.matched) == ["F-02", "F-03"] and x.describe() == "Open: 2 of 11"
    # Each currency counts the Open invoices it holds; the statuses count within no currency yet.
    assert x.currency_toggles["USD"].description == "USD · 2"
    assert x.currency_toggles["CAD"].description == "CAD · 0"
    assert x.status_toggles["Overdue"].description == "Overdue · 2"
    x.currency_toggles["CAD"].value = True
    assert numbers(x.matched) == [] and x.describe() == "Open, CAD: 0 of 11"
    assert x.page_label.value == "no invoices match these filters" and _shown(x) == []
    assert x.status_toggles["Overdue"].description == "Overdue · 1"  # F-11 is the CAD one
    assert x.status_toggles["Pending"].description == "Pending · 1"
    x.status_toggles["Overdue"].value = True
    assert numbers(x.matched) == ["F-11"] and x.describe() == "Open or Overdue, CAD: 1 of 11"
    assert '1 in <code class="wsnb-money">700.00 CAD</code>' in x.summary.value


def test_a_pressed_toggle_says_so_in_its_label_not_only_its_colour(explorer: Explorer) -> None:
    x = explorer
    x.status_toggles["Open"].value = True
    x.past_due_toggle.value = True
    assert x.status_toggles["Open"].description.startswith("\N{CHECK MARK} Open · ")
    assert x.past_due_toggle.description == "\N{CHECK MARK} Past due"
    assert x.status_toggles["Overdue"].description.startswith("Overdue · ")  # not pressed: no mark
    x.clear_filters()
    assert x.status_toggles["Open"].description == "Open · 2" and x.past_due_toggle.description == "Past due"


def test_past_due_follows_the_fixed_today(explorer: Explorer) -> None:
    x = explorer
    x.past_due_toggle.value = True
    # Awaiting payment and due before 2028-03-01; F-03 is due that very day, so not yet past due.
    assert numbers(x.matched) == ["F-02", "F-04", "F-05", "F-11"]
    assert x.describe() == "past due on 2028-03-01: 4 of 11"


def test_client_and_text_search_as_you_type(explorer: Explorer) -> None:
    x = explorer
    assert x.client_box.continuous_update and x.text_box.continuous_update
    x.client_box.value = "g"
    x.client_box.value = "glob"
    assert numbers(x.matched) == ["F-03", "F-04", "F-06", "F-10", "F-11"]
    x.text_box.value = "f-1"
    assert numbers(x.matched) == ["F-10", "F-11"]
    assert x.describe() == "client contains 'glob', text contains 'f-1': 2 of 11"
    x.client_box.value = "client-acme-0001"  # an exact client id
    x.text_box.value = "  "  # blank: no text filter
    assert numbers(x.matched) == ["F-01", "F-02", "F-05", "F-07", "F-08", "F-09"]


def test_the_due_date_range(explorer: Explorer) -> None:
    x = explorer
    x.due_after.value = date(2028, 1, 31)
    x.due_before.value = date(2028, 3, 1)
    assert numbers(x.matched) == ["F-02", "F-07", "F-08", "F-09"]  # strictly between
    assert x.describe() == "due after 2028-01-31, due before 2028-03-01: 4 of 11"


def test_a_filter_change_goes_back_to_the_first_page(explorer: Explorer) -> None:
    x = explorer
    x.next_button.click()
    x.currency_toggles["USD"].value = True
    assert x.page == 0 and _shown(x) == ["F-01", "F-02", "F-03", "F-04"]


def test_clear_filters(explorer: Explorer) -> None:
    x = explorer
    x.status_toggles["Paid"].value = True
    x.client_box.value = "acme"
    x.due_before.value = date(2028, 2, 15)
    assert numbers(x.matched) == ["F-08"]
    x.clear_filters_button.click()
    assert len(x.matched) == 11 and x.describe() == "All invoices: 11 of 11"
    assert x.client_box.value == "" and x.due_before.value is None and not x.status_toggles["Paid"].value


# -- sorting ---------------------------------------------------------------------------------------


def test_a_header_click_sorts_and_a_second_click_descends(explorer: Explorer) -> None:
    x = explorer
    x.header_buttons["due"].click()
    assert _shown(x) == ["F-04", "F-11", "F-06", "F-05"]  # 2027-12-01, 2027-12-31, 2028-01-01, 01-31
    assert x.header_buttons["due"].description == "due ▲"
    x.header_buttons["due"].click()
    assert _shown(x) == ["F-01", "F-03", "F-02", "F-09"]  # 2028-03-31, 03-01, 02-29, 02-20
    assert x.header_buttons["due"].description == "due ▼"
    assert x.describe() == "All invoices: 11 of 11, by due (descending)"
    x.currency_toggles["CAD"].value = True  # the order holds under a filter
    assert _shown(x) == ["F-07", "F-05", "F-10", "F-06"]  # 2028-02-15, 01-31 twice (list order), 01-01
    x.header_buttons["amount"].click()
    assert x.header_buttons["due"].description == "due"
    assert _shown(x) == ["F-05", "F-06", "F-07", "F-10"]  # 300, 400, 500, 600 CAD


def _sort_states(x: Explorer) -> dict[str, str]:
    """Each header's ``wsnb-sort-*`` class: what the explorer's script sets as its ``aria-sort``."""
    return {
        name: next(c for c in b._dom_classes if c.startswith("wsnb-sort-")).removeprefix("wsnb-sort-")
        for name, b in x.header_buttons.items()
    }


def test_each_header_carries_its_sort_state_for_aria_sort(explorer: Explorer) -> None:
    from wingspan_nb.widgets._access import ExplorerAccess

    x = explorer
    assert set(_sort_states(x).values()) == {"none"}
    x.header_buttons["due"].click()
    assert _sort_states(x) == {
        "number": "none", "status": "none", "amount": "none", "due": "ascending", "client": "none", "id": "none"
    }  # fmt: skip
    assert "sorted ascending" in (x.header_buttons["due"].tooltip or "")
    x.header_buttons["due"].click()
    assert _sort_states(x)["due"] == "descending"
    x.sort_by_column("status")
    assert _sort_states(x)["due"] == "none" and _sort_states(x)["status"] == "ascending"
    assert x.header_buttons["due"].tooltip == "Sort by due"
    # One script per explorer turns these classes (and the toggles' pressed state) into ARIA.
    access = [c for box in x.widget.children if isinstance(box, type(x.widget)) for c in box.children]
    assert sum(isinstance(c, ExplorerAccess) for c in access) == 1


def test_sorted_by_amount_each_currency_starts_under_a_line_naming_it() -> None:
    x = fixed_list().explore(page_size=6, today=TODAY)
    x.sort_by_column("amount")
    lines = [c for c in x.grid.children if "wsnb-x-group" in c._dom_classes]
    assert [line.value.split(">")[1].split("<")[0] for line in lines] == [
        "CAD · 5 invoices",
        "USD · 6 invoices",
    ]
    kids = list(x.grid.children)
    assert kids.index(lines[0]) == 1 and kids.index(lines[1]) == 1 + 1 + 5  # header, CAD line, five CAD rows
    assert all("wsnb-x-row" in line._dom_classes for line in lines)  # a row of the table, one cell wide
    assert 'role="cell" aria-colspan="6"' in lines[0].value
    x.next_button.click()  # the page starts with USD rows: its line comes first again
    assert [c.value.split(">")[1].split("<")[0] for c in x.grid.children if c in lines] == [
        "USD · 6 invoices"
    ]
    x.sort_by_column("due")  # any other sort: no lines
    assert not any("wsnb-x-group" in c._dom_classes for c in x.grid.children)


def test_the_grid_is_a_table_of_rows_with_column_headers_around_the_sort_buttons(explorer: Explorer) -> None:
    """aria-sort belongs on a column header (ARIA defines it there; a browser drops it from a button):
    the header row is a row of column headers, each holding its sort button, and every invoice row
    is a row of six cells (the first, the checkbox, owns the number's button). The access script
    sets the roles (and aria-owns) from these classes."""
    x = explorer
    head, *rows = x.grid.children
    assert "wsnb-x-row" in head._dom_classes and len(rows) == 4
    _blank, *headers = head.children
    assert all("wsnb-x-colhead" in h._dom_classes for h in headers) and len(headers) == 6
    assert [h.children for h in headers] == [(b,) for b in x.header_buttons.values()]
    for row, box in zip(x.rows, rows, strict=True):
        assert box is row.box and "wsnb-x-row" in box._dom_classes
        assert box.children == (row.check, row.open_button, row.cells)
        assert "wsnb-x-gridcell" in row.check._dom_classes and "wsnb-x-open" in row.open_button._dom_classes
        assert row.cells.value.count('role="cell"') == 5
    for script in ("'.wsnb-x-row'", "'row'", "'.wsnb-x-colhead'", "'columnheader'", "'aria-owns'"):
        assert script in _EXPLORER_ESM


def test_amount_sorts_within_each_currency_never_across(explorer: Explorer) -> None:
    x = explorer
    # Each currency's amounts together, the currencies A to Z whichever way the amounts go: a
    # 100 USD invoice is not "smaller" than a 300 CAD one.
    cad, usd = ["F-05", "F-06", "F-07", "F-10", "F-11"], ["F-01", "F-03", "F-09", "F-02", "F-08", "F-04"]
    for order, said in [
        (cad + usd, "by currency, then amount"),  # 300 … 700 CAD, then 100 … 2,000 USD
        (cad[::-1] + usd[::-1], "by currency, then amount (descending)"),
    ]:
        x.header_buttons["amount"].click()
        assert numbers(x.matched) == order
        assert x.describe() == f"All invoices: 11 of 11, {said}"
    assert "F-11  Overdue  700.00 CAD" in x.snapshot_text()  # the static copy in the same order
    assert "currency" in (x.header_buttons["amount"].tooltip or "")  # the header says how it sorts


# -- one invoice -----------------------------------------------------------------------------------


def test_a_row_opens_the_invoice_card(explorer: Explorer) -> None:
    x = explorer
    assert x.card_box.layout.display == "none"
    x.rows[1].open_button.click()
    assert x.current is not None and x.current.invoice_number == "F-02"
    assert x.card_box.layout.display == "flex"
    assert "wsnb-card" in x.card.value and "F-02" in x.card.value
    # The card as the invoice shows it, without a second copy of the stylesheet the explorer carries.
    card = wingspan_nb.display.repr_html(x.current)
    assert card is not None and "<style>" not in x.card.value
    assert x.card.value == card.replace(wingspan_nb.display.stylesheet(), "")
    assert wingspan_nb.display.stylesheet() in x.widget.children[0].value
    assert "wsnb-x-current" in x.rows[1].open_button._dom_classes
    assert "wsnb-x-current" not in x.rows[0].open_button._dom_classes
    x.close_button.click()
    assert x.current is None and x.card_box.layout.display == "none"


def test_opening_a_row_puts_the_focus_on_the_cards_first_action(monkeypatch: pytest.MonkeyPatch) -> None:
    """Enter on a row's number (a click, to ipywidgets) moves the focus to Edit, however many rows
    the page has: the analyst does not Tab through the rest of the page to reach the card."""
    import ipywidgets

    focused: list[Any] = []
    monkeypatch.setattr(ipywidgets.Button, "focus", lambda self: focused.append(self))
    docs = [invoice_dict(ROWS[n % len(ROWS)], n) for n in range(60)]
    with (
        SandboxServer(invoices=docs) as sandbox,
        Wingspan(sandbox.token, server_url=sandbox.url) as client,
    ):
        x = client.client_invoice.explore(page_size=50, today=TODAY, progress=False)
        x.rows[40].open_button.click()
        assert x.current is not None and x.current.invoice_id == docs[40]["invoiceId"]
        assert focused == [x.edit_button]
        x.open(docs[3]["invoiceId"])  # opened from code: the focus stays where the analyst is
        assert focused == [x.edit_button]
    reader = fixed_list().explore(today=TODAY)  # without a client Edit is disabled: Close instead
    reader.rows[0].open_button.click()
    assert focused[-1] is reader.close_button


def test_the_edit_form_does_not_show_the_card_a_second_time(live: Any) -> None:
    _, _, x = live
    x.rows[1].open_button.click()
    x.edit_button.click()
    assert x.editor is not None
    # The explorer's card is the one shown; the form's own card (the same invoice) stays hidden.
    assert x.card_box.layout.display == "flex" and "F-02" in x.card.value
    assert x.editor.card.layout.display == "none"


def test_edit_and_plan_a_change_open_where_the_analyst_looks_with_the_focus_in_them(
    live: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edit puts its form in the card, above the invoice's details, and Plan a change its panel
    under the selection line (not under the whole card); each moves the focus to its first field,
    which the browser scrolls into view, instead of leaving it on the button pressed."""
    import ipywidgets

    focused: list[Any] = []
    for kind in (ipywidgets.Button, ipywidgets.Dropdown, ipywidgets.Text, ipywidgets.DOMWidget):
        monkeypatch.setattr(kind, "focus", lambda self: focused.append(self))
    _, _, x = live
    x.rows[1].open_button.click()
    x.edit_button.click()
    assert x.editor is not None
    form = x.editor.widget
    assert x.card_box.children.index(x.form_panel) < x.card_box.children.index(x.card)
    assert form in x.form_panel.children
    first = next(iter(x.editor.fields.values())).focus_target()
    assert first is not None and focused[-1] is first
    x.rows[0].check.value = True
    x.plan_button.click()
    assert x.bulk is not None and x.editor is None and x.form_panel.children == ()
    parts = list(x.widget.children)
    selection_line = next(p for p in parts if x.plan_button in getattr(p, "children", ()))
    assert parts.index(x.panel) == parts.index(selection_line) + 1
    assert focused[-1] is x.bulk._controls[0].focus_target()


def test_without_a_client_the_explorer_only_reads(explorer: Explorer) -> None:
    x = explorer
    assert x.edit_button.disabled and x.plan_button.disabled
    assert "account.explore(s)" in x.edit_button.tooltip
    x.rows[0].open_button.click()
    with pytest.raises(errors.InvalidRequestError, match=r"account\.explore\(s\)"):
        x.edit()


def test_edit_and_save_show_in_the_row_without_listing_again(live: Any) -> None:
    sandbox, _, x = live
    original = x.invoices
    x.status_toggles["Open"].value = True
    x.rows[0].open_button.click()
    assert x.current.invoice_number == "F-02"
    x.edit_button.click()
    assert x.editor is not None and x.form_panel.children[1] is x.editor.widget
    x.editor.fields["status"].input.value = InvoiceStatus.PAID
    x.editor.save_button.click()
    assert sandbox.invoice(x.current.invoice_id)["status"] == "Paid"
    # The explorer's list has the saved invoice; the list it was given is unchanged.
    assert x.invoices.find(number="F-02").status == InvoiceStatus.PAID
    assert original.find(number="F-02").status == InvoiceStatus.OPEN
    # F-02 is no longer Open: it leaves the filtered page; the counts say so at once.
    assert numbers(x.matched) == ["F-03"]
    assert x.status_toggles["Open"].description == "\N{CHECK MARK} Open · 1"
    assert x.status_toggles["Paid"].description == "Paid · 4"
    assert x.current.status == InvoiceStatus.PAID and "Paid" in x.card.value
    x.status_toggles["Open"].value = False
    x.status_toggles["Paid"].value = True
    assert numbers(x.matched) == ["F-02", "F-08", "F-09", "F-10"]
    assert "Paid" in x.rows[0].cells.value  # the row's status badge
    listed = [
        r
        for r in sandbox.requests
        if r.method == "GET" and r.path.split("?")[0] == "/payments/client/invoice"
    ]
    assert len(listed) == 1  # listed once, when the explorer opened


def test_a_save_from_the_form_shows_in_the_static_copy(live: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy a saved notebook keeps follows a save made in the explorer's form: its row (text and
    HTML) shows the invoice the server returned."""
    import IPython.display

    updates: list[dict[str, Any]] = []
    monkeypatch.setattr(IPython.display, "display", lambda b, raw, display_id=None: None)
    monkeypatch.setattr(IPython.display, "update_display", lambda b, raw, display_id: updates.append(b))
    _, _, x = live
    x._ipython_display_()
    x.rows[1].open_button.click()
    x.edit_button.click()
    assert x.editor is not None
    x.editor.fields["status"].input.value = InvoiceStatus.PAID
    x.editor.save_button.click()
    assert "Saved" in x.editor.status.value
    text, html = updates[-1]["text/plain"], updates[-1]["text/html"]
    assert "F-02  Paid  1,000.00 USD" in text and "F-02  Open" not in text
    row = next(r for r in html.split("<tr>") if "F-02" in r)
    assert "Paid" in row and "Open" not in row


def test_select_three_rows_and_plan_a_change(live: Any) -> None:
    sandbox, _, x = live
    for n in (0, 2, 3):
        x.rows[n].check.value = True
    chosen = [x.invoices[n].invoice_id for n in (0, 2, 3)]
    assert x.selected == chosen and "<b>3</b> selected" in x.selection_label.value
    assert not x.plan_button.disabled
    x.plan_button.click()
    bulk = x.bulk
    assert bulk is not None and bulk.targets == chosen and x.panel.children == (bulk.widget,)
    bulk._controls[0].input.value = InvoiceStatus.CANCELLED  # type: ignore[attr-defined]
    bulk.plan_button.click()
    assert bulk.plan is not None and "3 to change" in bulk.output.value
    assert all(sandbox.invoice(i)["status"] != "Cancelled" for i in chosen)  # a dry run sends nothing
    bulk.apply_button.click()
    assert bulk.result is not None and bulk.result.counts() == {"applied": 3}
    assert all(sandbox.invoice(i)["status"] == "Cancelled" for i in chosen)
    # The rows show what the server returned.
    assert [x.invoices[n].status for n in (0, 2, 3)] == [InvoiceStatus.CANCELLED] * 3
    assert "Cancelled" in x.rows[0].cells.value
    assert x.status_toggles["Cancelled"].description == "Cancelled · 4"
    bulk.undo_button.click()  # the bulk editor's own undo: the rows follow it too
    assert bulk.result is not None and bulk.result.action == "undo", bulk.status.value
    assert [sandbox.invoice(i)["status"] for i in chosen] == ["Draft", "Open", "Overdue"]
    assert [x.invoices[n].status for n in (0, 2, 3)] == ["Draft", "Open", "Overdue"]
    assert x.status_toggles["Cancelled"].description == "Cancelled · 1"


def test_rows_hidden_by_the_filters_stay_selected_and_every_label_says_so(live: Any) -> None:
    """Select three rows, then filter two of them out: the selection line, Plan a change and its
    panel say two of the three are hidden (and which), so nothing is changed without a word."""
    _, _, x = live
    for n in (0, 2, 3):  # Draft, Open, Overdue
        x.rows[n].check.value = True
    x.status_toggles["Overdue"].value = True
    assert len(x.selected) == 3
    assert x.selection_label.value == "<b>3</b> selected (2 hidden by the filters)"
    assert x.plan_button.description == "Plan a change (3, 2 hidden)"
    assert "2 of them hidden" in x.plan_button.tooltip
    x.plan_button.click()
    assert x.bulk is not None and x.bulk.targets == x.selected
    note, panel = x.panel.children
    assert panel is x.bulk.widget
    hidden = [prose(x.invoices[n].invoice_number) for n in (0, 2)]
    assert f"2 of the 3 invoices selected are hidden by the filters: {', '.join(hidden)}." in note.value
    x.status_toggles["Overdue"].value = False  # all shown again: the plain labels
    assert x.selection_label.value == "<b>3</b> selected" and x.plan_button.description == "Plan a change"


def test_select_all_that_match_keeps_the_selection_across_filters(live: Any) -> None:
    _, _, x = live
    x.currency_toggles["CAD"].value = True
    assert x.select_all_button.description == "Select all 5 that match"
    x.select_all_button.click()
    cad = [inv.invoice_id for inv in x.invoices if inv.currency == "CAD"]
    assert x.selected == cad and all(row.check.value for row in x.rows)
    x.currency_toggles["CAD"].value = False
    assert x.selected == cad
    assert [row.check.value for row in x.rows] == [False, False, False, False]  # F-01..F-04 are USD
    x.next_button.click()
    assert [row.check.value for row in x.rows] == [True, True, True, False]  # F-05..F-07 CAD, F-08 USD
    x.rows[0].check.value = False
    assert len(x.selected) == 4
    x.plan_button.click()
    assert x.bulk is not None and x.bulk.targets == cad[1:]
    x.clear_selection_button.click()
    assert x.selected == [] and x.plan_button.disabled


# -- the list the explorer holds -------------------------------------------------------------------


def test_replaced_keeps_the_filter_keys_consistent() -> None:
    account = fixed_list()
    assert numbers(account.where(status="Open", currency="USD")) == ["F-02", "F-03"]  # keys built
    numbers(account.sort_by("amount"))
    f02 = account.find(number="F-02")
    paid = ClientInvoice.from_dict(f02.to_dict() | {"status": "Paid", "amount": 5.0, "currency": "CAD"})
    after = account.replaced([paid])
    assert after[1] is paid and len(after) == 11
    assert numbers(after.where(status="Open", currency="USD")) == ["F-03"]
    assert numbers(after.where(status="Paid", currency="CAD")) == ["F-02", "F-10"]
    assert numbers(after.sort_by("amount"))[:2] == ["F-02", "F-01"]
    assert numbers(account.where(status="Open", currency="USD")) == ["F-02", "F-03"]  # unchanged
    stranger = ClientInvoice.from_dict(f02.to_dict() | {"invoiceId": "not-here"})
    with pytest.raises(errors.NoMatchError, match="not in this list of 11; nothing was replaced"):
        account.replaced([stranger])


def test_replaced_keeps_the_failures() -> None:
    body = b",".join(wire_json.dumps(invoice_dict(r, n)) for n, r in enumerate(ROWS[:2]))
    listed = parse_invoice_array(b"[" + body + b", 3]")
    assert len(listed.failures) == 1
    again = listed.replaced([listed[0]])
    assert again.failures == listed.failures


# -- views: escaping, masking, the static copy -----------------------------------------------------


def test_server_strings_are_escaped_in_the_rows_and_the_copy() -> None:
    docs = [invoice_dict(row, n) for n, row in enumerate(ROWS[:3])]
    docs[1]["memberClient"]["company"] = "<img src=x onerror=alert(1)> pays $5 and $6"
    docs[2]["invoiceNumber"] = "<b>F-03</b>"
    x = InvoiceList(ClientInvoice.from_dict(d) for d in docs).explore(today=TODAY)
    assert x.rows[2].open_button.description == "<b>F-03</b>"  # a button's label is text, never markup
    # So is the checkbox's: ipywidgets makes its label the tooltip too, which shows it as written.
    assert not x.rows[2].check.description_allow_html
    assert x.rows[2].check.description == x.rows[2].check.tooltip == "Select invoice <b>F-03</b>"
    cells = "".join(row.cells.value for row in x.rows)
    copy = x.snapshot_html()
    for html in (cells, copy):
        assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
        assert '<code class="wsnb-d">$</code>5' in html  # no math typesetting of "$5 and $6"
    assert "<b>F-03</b>" not in copy and "&lt;b&gt;F-03&lt;/b&gt;" in copy
    x.client_box.value = "<script>alert(1)</script>"
    assert "<script>" not in x.summary.value and "&lt;script&gt;" in x.summary.value
    assert "<script>" not in x.snapshot_html()


def test_a_row_checkbox_is_named_in_plain_text(explorer: Explorer) -> None:
    """The checkbox's label is its accessible name and, in ipywidgets, its tooltip as well: words
    the analyst reads, never tags shown as text."""
    check = explorer.rows[1].check
    assert check.description == "Select invoice F-02" and check.tooltip == "Select invoice F-02"
    assert not check.description_allow_html and "<" not in check.description


def test_a_number_typed_into_the_search_is_masked_in_the_copy(explorer: Explorer) -> None:
    explorer.text_box.value = "account 000123456789"  # as a view would mask it in an invoice's notes
    assert "000123456789" not in explorer.snapshot_html()
    assert "000123456789" not in explorer.snapshot_text()
    assert "000123456789" not in explorer.summary.value
    with wingspan_nb.set_options(show_sensitive=True):
        assert "000123456789" in explorer.snapshot_text()
    assert "account •••• 6789" in explorer.snapshot_text()


def test_the_static_copy_says_the_filters_and_shows_the_page(explorer: Explorer) -> None:
    x = explorer
    x.status_toggles["Overdue"].value = True
    x.currency_toggles["USD"].value = True
    x.client_box.value = "globex"
    page = x.snapshot_html()
    assert "Overdue, USD, client contains &#x27;globex&#x27;: 1 of 11" in page
    assert page.count("<tr>") == 2 and "F-04" in page and "F-03" not in page
    assert "<style>" in page and page.startswith('<div class="wsnb">')  # readable in an export
    text = x.snapshot_text()
    assert text.splitlines()[0] == "Invoice explorer: Overdue, USD, client contains 'globex': 1 of 11"
    assert "F-04  Overdue  2,000.00 USD  due 2027-12-01  Globex Corp" in text
    assert x._repr_mimebundle_()["text/plain"] == text  # the bundle's copy replaces the widget's text


def test_the_copy_under_the_live_explorer_follows_each_change(
    explorer: Explorer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import IPython.display

    outputs: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    monkeypatch.setattr(IPython.display, "display", lambda b, raw, display_id=None: outputs.append(b))
    monkeypatch.setattr(IPython.display, "update_display", lambda b, raw, display_id: updates.append(b))
    explorer._ipython_display_()
    live, copy = outputs
    assert live["text/plain"] == LIVE_EXPLORER_TEXT and "application/vnd.jupyter.widget-view+json" in live
    assert "All invoices: 11 of 11" in copy["text/html"]
    explorer.status_toggles["Paid"].value = True
    assert "Paid: 3 of 11" in updates[-1]["text/html"]
    sent = len(updates)
    explorer.next_button.click()  # already on the only page: nothing new to send
    assert len(updates) == sent


def test_the_explorer_has_no_apply_of_its_own(explorer: Explorer) -> None:
    # A bulk editor's apply() sends changes; the explorer's re-rendering is not the analyst's to call.
    assert not hasattr(explorer, "apply")
    explorer.status_toggles["Paid"].value = True  # the controls still filter
    assert "Paid: 3 of 11" in explorer.describe()


def test_an_error_in_a_control_shows_above_the_table(
    explorer: Explorer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(InvoiceList, "sort_by", broken)
    explorer.header_buttons["amount"].click()
    assert "RuntimeError: the disk is full" in explorer.message.value
    monkeypatch.undo()
    explorer.header_buttons["amount"].click()
    assert explorer.message.value == ""


@pytest.mark.parametrize("size", [0, 501, 2.5, True])
def test_a_page_size_out_of_range_is_refused(size: Any) -> None:
    with pytest.raises(errors.InvalidRequestError, match="page_size"):
        fixed_list().explore(page_size=size)


def test_an_executed_notebook_keeps_a_readable_copy_of_the_explorer(
    live: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nbclient
    import nbformat
    from nbconvert import HTMLExporter

    sandbox, _, _ = live
    monkeypatch.setenv("WINGSPAN_SERVER_URL", sandbox.url)  # the kernel inherits this environment
    monkeypatch.setenv("WINGSPAN_API_TOKEN", sandbox.token)
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from datetime import date\nimport wingspan_nb\ns = wingspan_nb.Wingspan()\n"
            "x = s.client_invoice.explore(today=date(2028, 3, 1), progress=False)\nx"
        ),
        nbformat.v4.new_code_cell(
            "x.status_toggles['Overdue'].value = True\nx.currency_toggles['USD'].value = True\n"
            "x.client_box.value = 'globex'"
        ),
    ]
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    assert "widgets" in nb.metadata  # the widget state is kept, as JupyterLab's save keeps it
    live_output, copy = nb.cells[0].outputs
    assert live_output["data"]["text/plain"] == LIVE_EXPLORER_TEXT
    assert "application/vnd.jupyter.widget-view+json" in live_output["data"]
    assert not any("widget" in mime for mime in copy["data"])  # shows without the widget's model
    # The filters set in the next cell refreshed the copy the notebook keeps.
    page = copy["data"]["text/html"]
    assert "Overdue, USD, client contains &#x27;globex&#x27;: 1 of 11" in page
    assert "F-04" in page and "F-02" not in page
    line = page[: page.index("</summary>")]  # closed, the copy's one line says the filters
    assert line == (
        "<details><summary>Static copy of this explorer (for saved notebooks and exports): "
        "Overdue, USD, client contains &#x27;globex&#x27;: 1 of 11"
    )
    assert copy["data"]["text/plain"].startswith(
        "Invoice explorer: Overdue, USD, client contains 'globex': 1 of 11"
    )
    exported, _ = HTMLExporter().from_notebook_node(nb)
    assert "Overdue, USD, client contains &#x27;globex&#x27;: 1 of 11" in exported
    nb.metadata.pop("widgets", None)  # JupyterLab's default export: no widget state, the copy once
    exported, _ = HTMLExporter().from_notebook_node(nb)
    assert exported.count("Invoice explorer (a static copy") == 1
