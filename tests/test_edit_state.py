"""The edit form's state without its widgets (``widgets/_edit_state.py``) and its words
(``widgets/_edit_words.py``): plain values in, the request, the messages and the words out."""

from __future__ import annotations

import ast
import json
from datetime import datetime, timezone
from typing import Any

import requests

from wingspan_nb import errors
from wingspan_nb._changes import Change, reply_shows
from wingspan_nb.models import ClientInvoice, ClientInvoiceUpdateRequest, FeeHandlingConfig, InvoiceStatus
from wingspan_nb.sandbox import make_invoice
from wingspan_nb.widgets import form_specs
from wingspan_nb.widgets._edit_state import (
    MOST_UNPLACED,
    EditState,
    Entry,
    FieldMessages,
    NotValid,
    SaveRecord,
    last_undoable,
    place_validation,
    save_hint,
)
from wingspan_nb.widgets._edit_words import plain, snapshot_text, title_parts

from .helpers import ROOT, TODAY

SPECS = {s.key: s for s in form_specs(ClientInvoiceUpdateRequest)}
ALL_SPECS = [SPECS["status"], SPECS["credit_fee_handling"], *SPECS["credit_fee_handling"].children]
SPLIT = FeeHandlingConfig(client_pays=0, member_pays=100)


def _state(status: Any = InvoiceStatus.OPEN, fees: Any = SPLIT) -> EditState:
    """The form over an Open invoice with a 0/100 split, holding ``status`` and ``fees`` now."""
    return EditState(
        (Entry(SPECS["status"], InvoiceStatus.OPEN, status), Entry(SPECS["credit_fee_handling"], SPLIT, fees))
    )


def test_the_pure_parts_import_no_drawing_module_themselves() -> None:
    """The state and its words import nothing that draws (ipywidgets, the controls, the layout, the
    keyboard script): they work on plain values. Importing them still runs the package
    ``wingspan_nb.widgets``, which imports ipywidgets; this checks their own imports only."""
    drawing = {"ipywidgets", "anywidget", "traitlets", "_controls", "_access", "_edit_layout", "_editor"}
    for name in ("_edit_state.py", "_edit_words.py", "_specs.py"):
        tree = ast.parse((ROOT / "wingspan_nb" / "widgets" / name).read_text())
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported.add((node.module or "").split(".")[0])
        assert imported & drawing == set(), name


def test_only_the_changed_fields_are_sent() -> None:
    state = _state(status=InvoiceStatus.PAID)
    assert state.request() == ClientInvoiceUpdateRequest(status=InvoiceStatus.PAID)
    [change] = state.changes()
    assert (change.field, change.before, change.after) == ("status", "Open", "Paid")


def test_an_unchanged_form_sends_nothing() -> None:
    state = _state()
    assert state.request() is None and state.changes() == []
    assert not any(e.changed for e in state.entries)


def test_removing_the_split_sends_null() -> None:
    state = _state(fees=None)
    assert state.request() == ClientInvoiceUpdateRequest(credit_fee_handling=None)
    [change] = state.changes()
    assert change.before == {"clientPays": 0, "memberPays": 100} and change.after is None


def test_a_field_that_cannot_be_read_blocks_the_request_but_not_the_other_changes() -> None:
    state = _state(status=InvoiceStatus.PAID, fees=NotValid("Client pays is a percentage"))
    assert state.request() is None
    assert [c.field for c in state.changes()] == ["status"]  # what can be read is still previewed
    fees = state.entries[1]
    assert fees.changed and not fees.valid and fees.shown == NotValid("Client pays is a percentage")


def test_a_problem_no_field_shows_is_still_said() -> None:
    state = _state(fees=NotValid("does not add up"))
    assert state.unmarked_problem([]) == "does not add up"
    assert state.unmarked_problem(["credit_fee_handling"]) is None
    assert state.unmarked_problem(["credit_fee_handling.client_pays"]) is None  # a field inside says it
    assert state.unmarked_problem(["status"]) == "does not add up"


def test_the_messages_next_to_a_field() -> None:
    messages = FieldMessages()
    messages.server["status"] = "server: not allowed"
    messages.notes["status"] = "server now: Paid; your edit is kept over it"
    # The field's own problem first; the server's message when it has none.
    assert messages.lines("status", "pick one", edited=True, caution=None)[0] == "pick one"
    problem, warnings = messages.lines("status", None, edited=True, caution="check that Open is meant")
    assert problem == "server: not allowed"
    assert warnings == ["server now: Paid; your edit is kept over it", "check that Open is meant"]
    # Once the edit is undone, the note about the server's value under it goes.
    assert messages.lines("status", None, edited=False, caution=None)[1] == []
    messages.clear()
    assert messages.lines("status", None, edited=True, caution=None) == (None, [])


def _422(*items: dict[str, Any]) -> errors.UnprocessableEntityError:
    url = "http://127.0.0.1:1/payments/client/invoice/x"
    r = requests.Response()
    r.status_code = 422
    r._content = json.dumps({"validation": list(items)}).encode()
    r.headers["Content-Type"] = "application/json"
    r.request = requests.Request("PATCH", url).prepare()
    r.url = url
    return errors.UnprocessableEntityError(raw_response=r)


def test_a_422_goes_to_the_fields_it_names_and_the_rest_is_listed() -> None:
    error = _422(
        {"location": ["body", "creditFeeHandling", "clientPays"], "message": "at most 50"},
        {"loc": "body.status", "msg": "not from Paid"},
        {"location": ["body", "accountNumber"], "message": "000987654321 is closed"},
        {"message": "something else"},
    )
    placed, rest = place_validation(error, ALL_SPECS, reveal=False)
    assert placed == {
        "credit_fee_handling.client_pays": "server: at most 50",
        "status": "server: not from Paid",
    }
    assert rest[0].startswith("accountNumber: ") and "000987654321" not in rest[0]  # masked, as every view
    assert rest[1] == "?: something else"
    _, revealed = place_validation(error, ALL_SPECS, reveal=True)
    assert revealed[0] == "accountNumber: 000987654321 is closed"


def test_a_422_location_reads_as_a_wire_path_never_as_a_python_repr() -> None:
    error = _422(
        {"location": ["body", "lineItems", 2, "totalCost"], "message": "too high"},
        {"location": ["payload", "body"], "message": "only a leading body is skipped"},
        {"location": {"a": "b"}, "message": "m"},
        {"location": [["body"], "status"], "message": "m"},
        {"location": ["body", "status", True], "message": {"why": "not <b>now</b>"}},
    )
    placed, rest = place_validation(error, ALL_SPECS, reveal=True)
    assert placed == {}
    assert rest == [
        "lineItems.2.totalCost: too high",
        "payload.body: only a leading body is skipped",
        '{"a": "b"}: m',
        '[["body"], "status"]: m',
        '["body", "status", true]: {"why": "not <b>now</b>"}',
    ]


def test_a_422_with_many_problems_lists_the_first_and_counts_the_rest() -> None:
    error = _422(*({"location": ["body", f"field{i}"], "message": "bad"} for i in range(50_000)))
    placed, rest = place_validation(error, ALL_SPECS, reveal=False)
    assert placed == {} and len(rest) == MOST_UNPLACED + 1 == 21
    assert rest[0] == "field0: bad" and rest[19] == "field19: bad"
    assert rest[20] == "… and 49980 more (all on the error's .validation)"


def test_a_reply_that_leaves_out_a_null_the_request_sent_shows_the_change() -> None:
    sent = {"clientAbsolutePercentage": None, "clientPays": 30, "memberPays": 70}
    before = {"clientAbsolutePercentage": None, "clientPays": 0, "memberPays": 100}
    change = Change("credit_fee_handling", before, sent)
    reply = ClientInvoice.from_dict(
        make_invoice(3, today=TODAY) | {"creditFeeHandling": {"clientPays": 30, "memberPays": 70}}
    )
    assert reply_shows(reply, [change]) == "after"
    removed = Change("credit_fee_handling", before, None)  # null sent, the key left out of the reply
    bare = {k: v for k, v in make_invoice(3, today=TODAY).items() if k != "creditFeeHandling"}
    assert reply_shows(ClientInvoice.from_dict(bare), [removed]) == "after"
    assert reply_shows(reply, [Change("credit_fee_handling", before, before | {"clientPays": 40})]) == "other"


def test_why_save_is_unavailable_in_order_of_what_to_do_first() -> None:
    assert save_hint(busy=True, in_conflict=True, marked=True, unmarked="x") == "Saving…"
    assert save_hint(busy=False, in_conflict=True, marked=True, unmarked="x").startswith(
        "The invoice changed"
    )
    assert save_hint(busy=False, in_conflict=True, marked=True, unmarked="x", unknown=True).endswith(
        "Reload from server first"
    )
    assert (
        save_hint(busy=False, in_conflict=False, marked=True, unmarked="x") == "Fix the marked fields first"
    )
    assert save_hint(busy=False, in_conflict=False, marked=False, unmarked="x").startswith("Cannot save")
    assert save_hint(busy=False, in_conflict=False, marked=False, unmarked=None) == "No changes to save"


def test_undo_puts_back_the_latest_save_not_yet_undone() -> None:
    t = datetime(2026, 11, 30, 10, 42, tzinfo=timezone.utc)
    first = SaveRecord(t, "save", (), "u1")
    second = SaveRecord(t, "save", (), "u2", undone=True)
    undo = SaveRecord(t, "undo", (), "u3")
    assert last_undoable([first, second, undo]) is first
    assert last_undoable([undo]) is None and last_undoable([]) is None


def test_values_in_words() -> None:
    assert plain(SPECS["status"], "PaymentInTransit") == "Payment in transit"
    assert plain(SPECS["credit_fee_handling"], {"clientPays": 0, "memberPays": 100}) == (
        "Client pays 0 %, Member pays 100 %"
    )
    assert plain(SPECS["credit_fee_handling"], {}) == "empty"
    assert plain(SPECS["credit_fee_handling"].children[1], 12.5) == "12.5 %"
    assert plain(SPECS["status"], None) == "none" and plain(None, "(not set)") == "not set"
    assert plain(SPECS["status"], NotValid("pick one")) == "not valid yet (pick one)"


def test_the_static_copy_says_the_unsaved_edits() -> None:
    invoice = ClientInvoice.from_dict(make_invoice(1, status="Open", today=TODAY))
    loaded = invoice.credit_fee_handling
    state = EditState(
        (
            Entry(SPECS["status"], InvoiceStatus.OPEN, InvoiceStatus.PAID),
            Entry(SPECS["credit_fee_handling"], loaded, loaded),
        )
    )
    text = snapshot_text(invoice, SPECS, state, [])
    assert "  Status: Paid (unsaved edit)" in text and "Nothing saved from this form yet." in text
    title = "".join(part for part, _ in title_parts(invoice, SPECS, state, []))
    assert title.endswith("Unsaved edits: status.")
