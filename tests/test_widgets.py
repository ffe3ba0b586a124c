"""The edit form, headless (widgets work outside a kernel): exact PATCH bodies, server state,
history, undo, conflicts, every failure path with edits kept."""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
from attrs import define, evolve, field

import wingspan_nb
from wingspan_nb import UNSET, Unset, Wingspan, errors
from wingspan_nb.display import escape
from wingspan_nb.errors import InvalidRequestError
from wingspan_nb.models import (
    ClientInvoiceUpdateRequest,
    FeeHandlingConfig,
    InvoiceStatus,
    WireModel,
    check_request,
    fee_share_problem,
    field_plan,
)
from wingspan_nb.models._base import wire
from wingspan_nb.sandbox import SandboxServer, make_invoice
from wingspan_nb.widgets import InvoiceEditor, form_specs
from wingspan_nb.widgets._editor import LIVE_FORM_TEXT

from .helpers import TODAY, Sleeps

# -- the type-to-control mapping, as data ------------------------------------------------------------


def test_specs_for_the_update_request() -> None:
    specs = {s.key: s for s in form_specs(ClientInvoiceUpdateRequest)}
    assert list(specs) == ["status", "credit_fee_handling"]
    status = specs["status"]
    assert status.control == "dropdown" and status.nullable and status.wire == ("status",)
    assert status.null_label is None  # an invoice always has a status: null is not offered
    # In words, as the card's timeline says them; the value sent stays the wire value.
    assert [value for _, value in status.choices] == list(InvoiceStatus)
    assert dict(status.choices)["Payment in transit"] is InvoiceStatus.PAYMENT_IN_TRANSIT
    assert [label for label, _ in status.choices][:3] == ["Draft", "Open", "Overdue"]
    fees = specs["credit_fee_handling"]
    assert fees.control == "group" and fees.nullable and fees.model is FeeHandlingConfig
    assert fees.label == "Credit-fee split" and "Remove the credit-fee handling" in (fees.null_label or "")
    assert [(c.key, c.control, c.nullable, c.wire) for c in fees.children] == [
        (
            "credit_fee_handling.client_absolute_percentage",
            "number",
            True,
            ("creditFeeHandling", "clientAbsolutePercentage"),
        ),
        ("credit_fee_handling.client_pays", "number", True, ("creditFeeHandling", "clientPays")),
        ("credit_fee_handling.member_pays", "number", True, ("creditFeeHandling", "memberPays")),
    ]
    # The one fee-share rule is the model's, not a copy.
    assert all(c.rules[0].problem is fee_share_problem and c.unit == "%" for c in fees.children)


@define(kw_only=True, repr=False, eq=False)
class _Grown(WireModel):
    """The update request as it might grow: every kind of field the models use that a form can edit."""

    status: InvoiceStatus | Unset | None = field(default=UNSET, metadata=wire("status"))
    note: str | Unset | None = field(default=UNSET, metadata=wire("note"))
    urgent: bool | Unset = field(default=UNSET, metadata=wire("urgent"))
    share: float | Unset | None = field(default=UNSET, metadata=wire("share"))
    fees: FeeHandlingConfig | Unset | None = field(default=UNSET, metadata=wire("fees"))


def test_the_form_grows_with_the_model() -> None:
    specs = {s.key: (s.control, s.nullable) for s in form_specs(_Grown)}
    assert specs == {
        "status": ("dropdown", True),
        "note": ("text", True),
        "urgent": ("checkbox", False),
        "share": ("number", True),
        "fees": ("group", True),
    }


def test_fields_no_control_can_edit_are_refused_clearly() -> None:
    @define(kw_only=True, repr=False, eq=False)
    class Listy(WireModel):
        tags: list[str] | Unset = field(default=UNSET, metadata=wire("tags"))

    with pytest.raises(TypeError, match=r"Listy\.tags: no form control for list fields"):
        form_specs(Listy)


# -- the form against the sandbox --------------------------------------------------------------------


@pytest.fixture
def setup() -> Iterator[tuple[SandboxServer, Wingspan, str]]:
    invoice = make_invoice(3, status="Open", invoice_id="inv-1", today=TODAY)
    with (
        SandboxServer(invoices=[invoice]) as sandbox,
        Wingspan(sandbox.token, server_url=sandbox.url, max_retries=0) as client,
    ):
        yield sandbox, client, "inv-1"


def _patches(sandbox: SandboxServer) -> list[dict[str, Any]]:
    return [r.json() for r in sandbox.requests if r.method == "PATCH"]


def test_the_editor_offers_only_its_own_methods_and_widgets(setup: Any) -> None:
    # The form's machinery (reading the controls, enabling Save) is not the analyst's to call:
    # show_save(None) would enable Save whatever the form holds.
    _, client, iid = setup
    editor = InvoiceEditor(client, iid)
    public = {name for name in dir(editor) if not name.startswith("_")}
    methods = {name for name in public if callable(getattr(editor, name))}
    assert methods == {
        "changes", "pending_request", "save", "undo", "revert", "reload",
        "last_save", "snapshot_title", "snapshot_text", "snapshot_html",
    }  # fmt: skip
    assert public - methods == {
        "invoice", "history", "live_text", "widget", "fields", "preview", "status", "conflict",
        "conflict_box", "history_view", "card", "title", "save_button", "revert_button",
        "undo_button", "reload_button", "save_anyway_button",
    }  # fmt: skip


def test_opens_unchanged(setup: Any) -> None:
    _, client, iid = setup
    with pytest.warns(
        errors.NotebookRequiredWarning, match=r"needs a notebook .* client_invoice\.update\(id="
    ):
        editor = client.client_invoice.edit(id=iid)  # here, outside a kernel, it says what to use instead
    assert isinstance(editor, InvoiceEditor) and editor.invoice.invoice_id == iid
    assert editor.save_button.disabled and editor.revert_button.disabled and editor.undo_button.disabled
    assert editor.pending_request() is None and "No changes" in editor.preview.value
    assert editor.fields["status"].input.value == InvoiceStatus.OPEN
    assert editor.fields["credit_fee_handling.member_pays"].input.value == "100"
    assert "wsnb" in editor.card.value  # the card, under the form


_TEN_42 = datetime(2026, 3, 2, 10, 42, 7, tzinfo=timezone.utc)


def test_save_sends_only_the_changed_field(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid, clock=lambda: _TEN_42)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    assert (
        "PATCH body" in editor.preview.value
        and "&quot;status&quot;: &quot;Paid&quot;" in editor.preview.value
    )
    assert not editor.save_button.disabled
    editor.save_button.click()
    assert _patches(sandbox) == [{"status": "Paid"}]
    assert sandbox.invoice(iid)["status"] == "Paid"
    assert editor.invoice.status == InvoiceStatus.PAID and editor.pending_request() is None
    assert "Saved: status at 10:42 UTC." in editor.status.value
    [record] = editor.history
    assert record.kind == "save" and [(c.field, c.before, c.after) for c in record.changes] == [
        ("status", "Open", "Paid")
    ]
    assert record.updated_at == sandbox.invoice(iid)["updatedAt"]
    assert "History of this form" in editor.history_view.value
    assert "Paid" in editor.card.value  # refreshed from the server's reply


def test_statuses_read_as_words_and_are_sent_as_wire_values(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    status = editor.fields["status"].input
    labels = [label for label, _ in status.options]
    assert "Payment in transit" in labels and "PaymentInTransit" not in labels
    status.label = "Payment in transit"
    table_part = editor.preview.value.split("<details>")[0]
    assert "<code>Payment in transit</code>" in table_part  # the preview in words too
    assert "&quot;status&quot;: &quot;PaymentInTransit&quot;" in editor.preview.value  # the exact body
    assert editor.save()
    assert _patches(sandbox) == [{"status": "PaymentInTransit"}]
    assert "· Payment in transit" in editor.title.value


def test_a_changed_group_is_sent_whole(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["credit_fee_handling.client_pays"].input.value = "25"
    editor.fields["credit_fee_handling.member_pays"].input.value = "75"
    editor.save()
    assert _patches(sandbox) == [
        {"creditFeeHandling": {"clientAbsolutePercentage": None, "clientPays": 25, "memberPays": 75}}
    ]
    assert sandbox.invoice(iid)["creditFeeHandling"] == {
        "clientAbsolutePercentage": None,
        "clientPays": 25,
        "memberPays": 75,
    }


def test_three_states_value_null_and_unchanged(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    fees = editor.fields["credit_fee_handling"]
    fees.null.value = True  # type: ignore[attr-defined]  # "Remove the credit-fee handling"
    assert editor.pending_request() == ClientInvoiceUpdateRequest(credit_fee_handling=None)
    editor.save()
    assert _patches(sandbox)[-1] == {"creditFeeHandling": None}
    assert sandbox.invoice(iid)["creditFeeHandling"] is None
    # A share left empty is sent as "none" (null) inside the group; an unchanged form sends nothing.
    fees.null.value = False  # type: ignore[attr-defined]
    assert editor.pending_request() is None
    editor.fields["credit_fee_handling.client_pays"].input.value = "10"
    editor.fields["credit_fee_handling.member_pays"].input.value = "90"
    editor.fields["credit_fee_handling.client_absolute_percentage"].input.value = ""
    request = editor.pending_request()
    assert request is not None and request.to_dict() == {
        "creditFeeHandling": {"clientPays": 10, "memberPays": 90}
    }


def test_null_is_offered_only_where_it_means_something(setup: Any) -> None:
    _, client, iid = setup
    editor = InvoiceEditor(client, iid)
    status = editor.fields["status"].input
    assert None not in [v for _, v in status.options]
    assert not any("null" in label.lower() for label, _ in status.options)
    fees = editor.fields["credit_fee_handling"]
    assert fees.null.description.startswith("Remove the credit-fee handling")  # type: ignore[attr-defined]
    assert fees.null in fees.widget.children  # type: ignore[attr-defined]
    # No "null" checkbox anywhere else in the form.
    null_boxes = [c for c in _all_widgets(editor.widget) if type(c).__name__ == "Checkbox"]
    assert null_boxes == [fees.null]  # type: ignore[attr-defined]


def _all_widgets(widget: Any) -> Iterator[Any]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _all_widgets(child)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "Member pays: &#x27;abc&#x27; is not a number"),
        ("-5", "Member pays is a percentage: it must be from 0 to 100"),
        ("101", "Member pays is a percentage: it must be from 0 to 100"),
        ("nan", "Member pays: &#x27;nan&#x27; is not a finite number"),
    ],
)
def test_live_validation_blocks_save(setup: Any, text: str, message: str) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    control = editor.fields["credit_fee_handling.member_pays"]
    control.input.value = text
    assert message in control.message.value
    assert editor.save_button.disabled and editor.pending_request() is None
    assert not editor.revert_button.disabled
    editor.save()
    assert _patches(sandbox) == []
    control.input.value = "100"
    editor.fields["status"].input.value = InvoiceStatus.PAID
    assert control.message.value == "" and not editor.save_button.disabled


def _messages(editor: InvoiceEditor) -> dict[str, str]:
    return {key: c.message.value for key, c in editor.fields.items() if c.message.value}


@pytest.mark.parametrize("invalid", ["client_pays", "member_pays"])
def test_one_message_per_problem_next_to_its_field(setup: Any, invalid: str) -> None:
    _, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields[f"credit_fee_handling.{invalid}"].input.value = "150"
    messages = _messages(editor)
    assert list(messages) == [f"credit_fee_handling.{invalid}"]  # not under the valid share, not on the group
    assert messages[f"credit_fee_handling.{invalid}"].count("⚠") == 1
    assert "150" in messages[f"credit_fee_handling.{invalid}"]


def test_fix_the_marked_fields_only_when_a_field_is_marked(setup: Any) -> None:
    _, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["credit_fee_handling.client_pays"].input.value = "abc"
    assert list(_messages(editor)) == ["credit_fee_handling.client_pays"]
    assert "Fix the marked fields to save." in editor.preview.value
    # Removing the fee handling: the shares inside are neither sent nor checked, so nothing is marked
    # and nothing asks to be fixed.
    editor.fields["credit_fee_handling"].null.value = True  # type: ignore[attr-defined]
    assert _messages(editor) == {}
    assert "Fix the marked" not in editor.preview.value and not editor.save_button.disabled
    assert editor.pending_request() == ClientInvoiceUpdateRequest(credit_fee_handling=None)
    editor.fields["credit_fee_handling"].null.value = False  # type: ignore[attr-defined]
    assert list(_messages(editor)) == ["credit_fee_handling.client_pays"]


def test_a_problem_no_field_shows_is_said_in_words(setup: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from wingspan_nb.widgets._controls import Invalid

    _, client, iid = setup
    editor = InvoiceEditor(client, iid)
    status = editor.fields["status"]

    def unreadable() -> Any:
        raise Invalid("Status: the server sent a value this form cannot edit")

    # A control that cannot be read yet reports no problem of its own (the safety net's case).
    monkeypatch.setattr(status, "value", unreadable)
    monkeypatch.setattr(status, "problem", lambda: None)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    assert _messages(editor) == {} and "Fix the marked" not in editor.preview.value
    assert "Cannot save: Status: the server sent a value this form cannot edit" in editor.preview.value
    assert editor.save_button.disabled and editor.save_button.tooltip == "Cannot save: see the note above"


def test_shares_must_add_up_to_100_before_save(setup: Any) -> None:
    _, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["credit_fee_handling.client_pays"].input.value = "30"  # member pays is still 100
    assert list(_messages(editor)) == ["credit_fee_handling"]  # once, next to the group
    message = editor.fields["credit_fee_handling"].message.value
    assert (
        "Credit-fee split does not add up to 100 %: client pays 30 % + member pays 100 % = 130 %"
        in message.replace("\u00a0", " ")
    )
    # Each term of the sum stays on one line in a narrow form: it wraps between terms only.
    terms = [
        "client\u00a0pays\u00a030\u00a0%",
        "+\u00a0member\u00a0pays\u00a0100\u00a0%",
        "=\u00a0130\u00a0%",
    ]
    assert " ".join(terms) in message
    assert editor.save_button.disabled and editor.pending_request() is None
    editor.fields["credit_fee_handling.member_pays"].input.value = "70 %"  # the unit may be typed too
    assert _messages(editor) == {} and not editor.save_button.disabled
    # One share left empty ("none"): nothing to add up.
    editor.fields["credit_fee_handling.client_pays"].input.value = ""
    assert _messages(editor) == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1_000", "write a plain number, such as 12.5"),  # Decimal would read 1000
        ("1e1", "write a plain number, such as 12.5"),  # ... and 10
        ("0x10", "is not a number"),
    ],
)
def test_only_plain_numbers_are_read(setup: Any, text: str, message: str) -> None:
    _, client, iid = setup
    editor = InvoiceEditor(client, iid)
    control = editor.fields["credit_fee_handling.client_absolute_percentage"]
    control.input.value = text
    assert message in control.message.value and editor.pending_request() is None
    for plain, value in [("12.5", 12.5), (" 40 ", 40), ("7 %", 7), (".5", 0.5), ("+3", 3)]:
        control.input.value = plain
        assert control.value() == value and control.problem() is None


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("3,5", "use a dot for decimals: 3.5"),
        ("30,5", "use a dot for decimals: 30.5"),  # the corrected value, not always "3.5"
        ("3,5 %", "use a dot for decimals: 3.5"),
        ("65,", "use a dot for decimals: 65"),
        # Read as thousands it breaks the field's rule: say so, and what it means as a decimal.
        ("1,000", "': a percentage is at most 100; for a decimal use a dot (1.0)"),
        ("1,2,3", "use a dot for decimals and no thousands separators"),
    ],
)
def test_a_comma_in_a_percentage_is_refused_not_read_as_thousands(setup: Any, text: str, hint: str) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    # "3,5" + 65 would add up to 100 if the comma were dropped (35 %): it must not be sent.
    editor.fields["credit_fee_handling.client_pays"].input.value = text
    editor.fields["credit_fee_handling.member_pays"].input.value = "65"
    message = editor.fields["credit_fee_handling.client_pays"].message.value
    said = hint if hint.startswith("'") else f"' has a comma; {hint}"
    assert escape(f"Client pays: '{text}{said}") in message
    assert "as thousands" not in message and "got 1000" not in message  # one short sentence
    assert "(3.5)" not in message
    assert editor.pending_request() is None and editor.save_button.disabled
    editor.save()
    assert _patches(sandbox) == []
    editor.fields["credit_fee_handling.client_pays"].input.value = "35 %"  # plain numbers still work
    assert editor.pending_request() is not None


@pytest.mark.parametrize("share", [-5, 25, 50, 150, math.nan])
def test_the_form_and_the_model_accept_the_same_fee_shares(setup: Any, share: float) -> None:
    _, client, iid = setup
    try:
        FeeHandlingConfig(client_absolute_percentage=share)
    except InvalidRequestError:
        model_accepts = False
    else:
        model_accepts = True
    editor = InvoiceEditor(client, iid)
    control = editor.fields["credit_fee_handling.client_absolute_percentage"]
    control.input.value = str(share)
    form_accepts = control.problem() is None and not editor.save_button.disabled
    assert form_accepts == model_accepts == (0 <= share <= 100)


@pytest.mark.parametrize(
    ("client_pays", "member_pays"), [(30, 70), (10, 90), (30, 100), (60, 60), (12.5, 87.5), (50, 49)]
)
def test_the_form_and_the_model_accept_the_same_fee_splits(
    setup: Any, client_pays: float, member_pays: float
) -> None:
    _, client, iid = setup
    fees = FeeHandlingConfig(client_pays=client_pays, member_pays=member_pays)
    try:
        check_request(ClientInvoiceUpdateRequest(credit_fee_handling=fees))
    except InvalidRequestError:
        model_accepts = False
    else:
        model_accepts = True
    editor = InvoiceEditor(client, iid)
    editor.fields["credit_fee_handling.client_pays"].input.value = str(client_pays)
    editor.fields["credit_fee_handling.member_pays"].input.value = str(member_pays)
    form_accepts = editor.pending_request() is not None and not editor.save_button.disabled
    assert form_accepts == model_accepts == (client_pays + member_pays == 100)


def test_small_shares_are_written_as_plain_decimals(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["credit_fee_handling.client_pays"].input.value = "0.0000001"
    editor.fields["credit_fee_handling.member_pays"].input.value = "70"
    said = editor.fields["credit_fee_handling"].message.value.replace("\u00a0", " ")
    assert "client pays 0.0000001 % + member pays 70 % = 70.0000001 %" in said
    editor.fields["credit_fee_handling.member_pays"].input.value = "99.9999999"
    assert "<code>0.0000001 %</code>" in editor.preview.value and "e-07 %" not in editor.preview.value
    # A share the server holds in such a float opens as typed, and the form is unchanged.
    fees = {"clientAbsolutePercentage": None, "clientPays": 1e-07, "memberPays": 99.9999999}
    sandbox.put(sandbox.invoice(iid) | {"creditFeeHandling": fees})
    opened = InvoiceEditor(client, iid)
    assert opened.fields["credit_fee_handling.client_pays"].input.value == "0.0000001"
    assert opened.pending_request() is None and "e-07" not in opened.snapshot_text()


def test_fee_inputs_show_percent(setup: Any) -> None:
    _, client, iid = setup
    editor = InvoiceEditor(client, iid)
    for key in ("client_pays", "member_pays", "client_absolute_percentage"):
        row = editor.fields[f"credit_fee_handling.{key}"].widget.children[0]
        assert [getattr(c, "value", "") for c in row.children[1:]] == ["<span>%</span>"]
    status_row = editor.fields["status"].widget
    assert "%" not in str([getattr(c, "value", "") for c in status_row.children])


def test_the_absolute_percentage_says_what_it_means(setup: Any) -> None:
    _, client, iid = setup
    editor = InvoiceEditor(client, iid)
    control = editor.fields["credit_fee_handling.client_absolute_percentage"]
    assert control.spec.label == "Client absolute percentage"
    texts = [getattr(c, "value", "") for c in _all_widgets(control.widget)]
    [help_text] = [t for t in texts if "the API reference says no more" in t]
    assert "A fixed percentage the client pays" in help_text and "not checked against the split" in help_text
    # Only it needs one: the split's shares say what they are.
    others = [k for k, c in editor.fields.items() if c.spec.help]
    assert others == ["credit_fee_handling.client_absolute_percentage"]
    # With no documented meaning there is no rule: an absolute share beside a split is accepted.
    control.input.value = "5"
    editor.fields["credit_fee_handling.client_pays"].input.value = "30"
    editor.fields["credit_fee_handling.member_pays"].input.value = "70"
    assert _messages(editor) == {} and not editor.save_button.disabled


def test_hovering_a_field_shows_its_description_and_wire_name(setup: Any) -> None:
    _, client, iid = setup
    editor = InvoiceEditor(client, iid)
    expected: dict[str, str] = {}
    for f in field_plan(ClientInvoiceUpdateRequest):
        expected[f.name] = f"{f.description} Wire name: {f.wire}."
        if f.kind.tag == "model":
            for g in field_plan(f.kind.arg):
                expected[f"{f.name}.{g.name}"] = f"{g.description} Wire name: {f.wire}.{g.wire}."
    assert set(expected) <= set(editor.fields) and "credit_fee_handling.client_pays" in expected
    for key, tooltip in expected.items():
        control = editor.fields[key]
        # The field's own input (a group's title) carries it, not just some widget inside.
        hovered = control.title if key == "credit_fee_handling" else control.input
        assert hovered.tooltip == tooltip, key
    status = editor.fields["status"].input.tooltip
    assert status.startswith("Not described by the API. wingspan_nb's note: The status to set")


def test_revert_discards_edits(setup: Any) -> None:
    _, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.CANCELLED
    editor.revert_button.click()
    assert editor.fields["status"].input.value == InvoiceStatus.OPEN and editor.pending_request() is None


def test_undo_restores_with_a_second_patch(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    editor.fields["credit_fee_handling.client_pays"].input.value = "30"
    editor.fields["credit_fee_handling.member_pays"].input.value = "70"
    assert editor.save()
    assert not editor.undo_button.disabled
    editor.undo_button.click()
    assert _patches(sandbox)[-1] == {
        "status": "Open",
        "creditFeeHandling": {"clientAbsolutePercentage": None, "clientPays": 0, "memberPays": 100},
    }
    assert sandbox.invoice(iid)["status"] == "Open"
    # The save stays in the history, marked undone: the history says what happened.
    assert [(r.kind, r.undone) for r in editor.history] == [("save", True), ("undo", False)]
    first = editor.history[1].changes[0]
    assert (first.field, first.before, first.after) == ("status", "Paid", "Open")
    assert editor.undo_button.disabled


def _replying(
    monkeypatch: pytest.MonkeyPatch, client: Wingspan, sandbox: SandboxServer, **reply: Any
) -> None:
    """The server answers each PATCH with a 200 whose invoice is the one before the PATCH with
    ``reply`` on it (a new updatedAt, say): it ignored the change, or replied with a stale copy."""
    from wingspan_nb.models import ClientInvoice

    resource = client.client_invoice
    real_update = resource.update

    def update(id: str, **kw: Any) -> Any:
        kept = sandbox.invoice(id) | reply
        answered = real_update(id=id, **kw)
        sandbox.put(kept)
        return evolve(answered, client_invoice=ClientInvoice.from_dict(kept))

    monkeypatch.setattr(resource, "update", update)


@pytest.mark.parametrize(
    ("reply", "shows"),
    [
        ({"updatedAt": "2099-01-01T00:00:00.000Z"}, "the old values (status: Open)"),
        pytest.param(
            {"status": "Frozen", "updatedAt": "2099-01-01T00:00:00.000Z"},
            "other values (status: Frozen)",
            marks=pytest.mark.filterwarnings("ignore::wingspan_nb.errors.UnknownEnumValueWarning"),
        ),
        ({}, "the old values (status: Open)"),
    ],
)
def test_a_success_whose_reply_does_not_show_the_change_is_unknown_not_saved(
    setup: Any, monkeypatch: pytest.MonkeyPatch, reply: dict[str, Any], shows: str
) -> None:
    sandbox, client, iid = setup
    told: list[Any] = []
    editor = InvoiceEditor(client, iid, on_save=told.append)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    _replying(monkeypatch, client, sandbox, **reply)
    assert not editor.save()
    assert (
        "Unknown outcome: the server answered with success but its reply shows " + shows
        in editor.status.value
    )
    assert "your edits are kept. Reload to see the invoice, then Save again if needed." in editor.status.value
    assert "wsnb-msg-error" in editor.status.value
    assert editor.history == [] and editor.undo_button.disabled  # no save for Undo to target
    assert editor.fields["status"].input.value == InvoiceStatus.PAID  # the edit is kept, on the reply
    assert editor.invoice.updated_at == sandbox.invoice(iid)["updatedAt"]
    # The explorer is told the server's latest state only when the reply is newer than the form's.
    assert [i.updated_at for i in told] == ([reply["updatedAt"]] if reply else [])


def test_an_undo_whose_reply_does_not_show_it_is_unknown(setup: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    assert editor.save()
    _replying(monkeypatch, client, sandbox)
    assert not editor.undo()
    assert (
        "Unknown outcome" in editor.status.value
        and "its reply shows the old values (status: Paid)" in editor.status.value
    )
    assert [(r.kind, r.undone) for r in editor.history] == [("save", False)]


def _again_during_patch(monkeypatch: pytest.MonkeyPatch, client: Wingspan, action: Any) -> list[Any]:
    """A PATCH during which the form's ``action`` is called again (a second click arriving while
    the first one's PATCH is under way); what each such call returned."""
    resource = client.client_invoice
    real_update = resource.update
    returned: list[Any] = []

    def update(**kw: Any) -> Any:
        if not returned:
            returned.append(action())
        return real_update(**kw)

    monkeypatch.setattr(resource, "update", update)
    return returned


def test_undo_called_again_during_its_patch_does_nothing(setup: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    assert editor.save()
    again = _again_during_patch(monkeypatch, client, editor.undo)
    assert editor.undo() and again == [False]
    assert _patches(sandbox) == [{"status": "Paid"}, {"status": "Open"}]  # one undo PATCH
    assert "Undone: status restored" in editor.status.value
    assert [(r.kind, r.undone) for r in editor.history] == [("save", True), ("undo", False)]


@pytest.mark.parametrize("action", ["save", "reload", "revert"])
def test_save_reload_or_revert_called_during_a_save_does_nothing(
    setup: Any, monkeypatch: pytest.MonkeyPatch, action: str
) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    said: list[str] = []
    editor.status.observe(lambda change: said.append(change["new"]), "value")
    again = _again_during_patch(monkeypatch, client, getattr(editor, action))
    assert editor.save() and again == [False if action == "save" else None]
    assert _patches(sandbox) == [{"status": "Paid"}] and "Saved: status" in editor.status.value
    assert len(said) == 2 and "Saving…" in said[0]  # nothing said in between
    assert [r.method for r in sandbox.requests] == ["GET", "GET", "PATCH"]  # the open, the check
    assert [r.kind for r in editor.history] == ["save"]


def test_a_double_click_on_save_or_undo_acts_once(setup: Any) -> None:
    # The second click of a double click arrives after the first one's save, on a disabled button.
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    editor.save_button.click()
    editor.save_button.click()
    assert "Saved: status" in editor.status.value and "Nothing to save" not in editor.status.value
    editor.undo_button.click()
    editor.undo_button.click()
    assert "Undone: status" in editor.status.value
    assert _patches(sandbox) == [{"status": "Paid"}, {"status": "Open"}]


def test_undo_refuses_when_the_invoice_changed_since(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    editor.save()
    changed = sandbox.invoice(iid) | {"updatedAt": "2099-01-01T00:00:00.000Z"}
    sandbox.put(changed)
    assert not editor.undo()
    assert "changed on the server after this save" in editor.status.value
    assert len(_patches(sandbox)) == 1


def test_conflict_is_shown_not_overwritten(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    # Someone else changes the invoice after the form loaded it.
    sandbox.put(sandbox.invoice(iid) | {"status": "Cancelled", "updatedAt": "2099-01-01T00:00:00.000Z"})
    assert not editor.save()
    assert _patches(sandbox) == []
    assert editor.conflict_box.layout.display == "flex"
    assert (
        "changed on the server since you loaded it" in editor.conflict.value
        and "Cancelled" in editor.conflict.value
    )
    assert "Updated at" in editor.conflict.value and "2099-01-01 00:00 UTC" in editor.conflict.value
    assert "updated_at" not in editor.conflict.value
    assert editor.fields["status"].input.value == InvoiceStatus.PAID  # the edit is kept
    # Reload keeps the edit on top of the new server state.
    editor.reload_button.click()
    assert (
        editor.invoice.status == InvoiceStatus.CANCELLED
        and editor.fields["status"].input.value == InvoiceStatus.PAID
    )
    assert editor.save() and _patches(sandbox) == [{"status": "Paid"}]


def test_reload_keeps_an_edit_that_is_not_valid_yet(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["credit_fee_handling.client_pays"].input.value = "150"  # half typed, invalid
    editor.fields["credit_fee_handling.member_pays"].input.value = "2,5"
    sandbox.put(sandbox.invoice(iid) | {"status": "Pending", "updatedAt": "2099-01-01T00:00:00.000Z"})
    editor.reload_button.click()
    assert editor.invoice.status == InvoiceStatus.PENDING  # the server's change is loaded
    assert editor.fields["credit_fee_handling.client_pays"].input.value == "150"  # as typed
    assert editor.fields["credit_fee_handling.member_pays"].input.value == "2,5"
    assert "your edits are kept" in editor.status.value
    assert "150" in editor.fields["credit_fee_handling.client_pays"].message.value  # still marked


def test_reload_takes_the_server_value_of_fields_not_edited(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["credit_fee_handling.client_pays"].input.value = "10"
    fees = {"clientAbsolutePercentage": 3, "clientPays": 50, "memberPays": 50}
    sandbox.put(sandbox.invoice(iid) | {"creditFeeHandling": fees, "updatedAt": "2099-01-01T00:00:00.000Z"})
    editor.reload()
    assert editor.fields["credit_fee_handling.client_pays"].input.value == "10"
    assert editor.fields["credit_fee_handling.member_pays"].input.value == "50"
    assert editor.fields["credit_fee_handling.client_absolute_percentage"].input.value == "3"


def test_the_conflict_shows_every_change_made_on_the_server(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID  # the edit touches only the status
    fees = {"clientAbsolutePercentage": None, "clientPays": 50, "memberPays": 50}
    changed = {"creditFeeHandling": fees, "dueDate": "2099-02-01T00:00:00.000Z"}
    sandbox.put(sandbox.invoice(iid) | changed | {"updatedAt": "2099-01-01T00:00:00.000Z"})
    assert not editor.save()
    panel = editor.conflict.value
    assert "Credit-fee split: client pays" in panel and "<code>50 %</code>" in panel
    assert "Credit-fee split: member pays" in panel
    assert "Also changed on the server: due date." in panel
    assert "Status" not in panel  # unchanged on the server


def test_save_anyway(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    sandbox.put(sandbox.invoice(iid) | {"updatedAt": "2099-01-01T00:00:00.000Z"})
    assert not editor.save()
    editor.save_anyway_button.click()
    assert _patches(sandbox) == [{"status": "Paid"}] and editor.conflict_box.layout.display == "none"


def test_422_messages_show_next_to_the_fields_they_name(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["credit_fee_handling.client_pays"].input.value = "60"
    editor.fields["credit_fee_handling.member_pays"].input.value = "40"
    sandbox.fail_next(
        1,
        method="PATCH",  # not the conflict check's GET
        status=422,
        validation=[
            {
                "location": ["body", "creditFeeHandling", "clientPays"],
                "message": "the client may pay at most 50 <b>!</b>",
            }
        ],
    )
    editor.save()
    message = editor.fields["credit_fee_handling.client_pays"].message.value
    assert "server: the client may pay at most 50 &lt;b&gt;!&lt;/b&gt;" in message
    assert "rejected the change" in editor.status.value
    assert (
        editor.fields["credit_fee_handling.client_pays"].input.value == "60"
        and not editor.save_button.disabled
    )


def test_422_problems_written_as_loc_and_msg_are_placed_and_masked(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["credit_fee_handling.client_pays"].input.value = "60"
    editor.fields["credit_fee_handling.member_pays"].input.value = "40"
    sandbox.fail_next(
        1,
        method="PATCH",
        status=422,
        validation=[
            {"loc": ["body", "creditFeeHandling", "clientPays"], "msg": "too high for account 000123456789"},
            {"loc": "body.accountNumber", "msg": "000987654321 is closed"},
        ],
    )
    editor.save()
    message = editor.fields["credit_fee_handling.client_pays"].message.value
    assert "server: too high for account •••• 6789" in message
    assert "000987654321" not in editor.status.value and "accountNumber" in editor.status.value


def test_a_422_naming_no_field_does_not_point_at_marked_fields(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    many = [{"location": ["body", f"field{i}"], "message": "bad value"} for i in range(500)]
    sandbox.fail_next(
        1, method="PATCH", status=422, validation=[{"location": {"a": "b"}, "message": "m"}, *many]
    )
    assert not editor.save()
    said = editor.status.value
    assert "see the marked fields" not in said and "The server rejected the change. " in said
    assert "{&quot;a&quot;: &quot;b&quot;}: m; field0: bad value" in said and "&#x27;a&#x27;" not in said
    assert (
        "field18: bad value; … and 481 more (all on the error&#x27;s .validation). Your edits are kept."
        in said
    )
    assert "field19:" not in said and len(said) < 1000


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ({"status": 401}, "Check the API token"),
        ({"status": 403}, "may not access this invoice"),
        ({"status": 404}, "No invoice has this id"),
        ({"status": 429, "retry_after": 5}, "wait 5 s"),
        ({"status": 503}, "server failed"),
        ("drop", "may or may not have been applied"),
    ],
)
def test_failures_keep_the_edits(setup: Any, sleeps: Sleeps, fault: Any, expected: str) -> None:
    sandbox, client, iid = setup
    client._transport.sleep = sleeps  # the retry after a 429 waits out Retry-After: recorded, not slept
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    if fault == "drop":
        sandbox.drop_next(1)
    else:
        sandbox.fail_next(1, **fault)
    assert not editor.save(force=True)
    assert expected in editor.status.value and "Your edits are kept" in editor.status.value
    assert editor.fields["status"].input.value == InvoiceStatus.PAID
    assert sandbox.invoice(iid)["status"] == "Open"
    # A 503 or a lost reply: the change may have landed, Reload comes before saving again.
    unknown = fault == "drop" or fault["status"] == 503
    assert ("Save is available again" in editor.status.value) is not unknown
    assert ("Reload to see the invoice before saving again." in editor.status.value) is unknown
    assert editor.save_button.disabled is unknown
    assert (editor.conflict_box.layout.display == "flex") is unknown
    assert editor.save(force=True) and sandbox.invoice(iid)["status"] == "Paid"  # and it can be retried
    # Only after the server's Retry-After: the one wait, of what remained of its 5 s.
    assert len(sleeps) == (fault != "drop" and fault.get("retry_after") is not None)
    assert all(4 < s <= 5 for s in sleeps), sleeps


@pytest.mark.parametrize("undo", [False, True])
def test_after_an_unknown_outcome_reload_is_offered_and_focused(
    setup: Any, focused: list[Any], undo: bool
) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    if undo:
        assert editor.save()
    sandbox.fail_next(1, method="PATCH", status=500)
    assert not (editor.undo() if undo else editor.save())
    said = editor.status.value
    assert "may or may not have been applied" in said and "Save is available again" not in said
    assert "Reload to see the invoice before saving again." in said
    assert (
        editor.conflict_box.layout.display == "flex"
        and "may or may not have been applied" in editor.conflict.value
    )
    assert editor.save_anyway_button.layout.display == "none" and editor.save_button.disabled
    assert "Reload from server first" in editor.save_button.tooltip
    assert focused[-1] is editor.reload_button
    editor.reload_button.click()  # the panel goes, Save is back (the edit is kept)
    assert editor.conflict_box.layout.display == "none"
    assert editor.save_button.disabled is undo and editor.save_anyway_button.layout.display is None


def test_connection_refused_is_shown(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    sandbox.stop()
    assert not editor.save()
    assert (
        "could not be reached" in editor.status.value
        and editor.fields["status"].input.value == InvoiceStatus.PAID
    )


def test_unexpected_exceptions_do_not_vanish(setup: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID

    def broken(**_: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(editor._resource, "update", broken)
    editor.save_anyway_button.click()  # through the button: ipywidgets would swallow it
    assert "Something went wrong: RuntimeError: disk full" in editor.status.value
    assert not editor.save_button.disabled and editor.fields["status"].input.value == InvoiceStatus.PAID


def test_server_strings_in_the_form_are_escaped() -> None:
    invoice = make_invoice(9, invoice_id="h1", today=TODAY)
    invoice["invoiceNumber"] = "<img src=x onerror=alert(1)> $5 and $6"
    with (
        SandboxServer(invoices=[invoice]) as sandbox,
        Wingspan(sandbox.token, server_url=sandbox.url) as client,
    ):
        editor = wingspan_nb.InvoiceEditor(client, "h1")
        assert "<img src=x" not in editor.title.value and "&lt;img" in editor.title.value
        assert "$5" not in editor.title.value  # $ defused against math rendering


def test_top_level_export_is_lazy() -> None:
    # In a fresh interpreter: importing the package loads no widget code; the first use does.
    code = (
        "import sys, wingspan_nb\n"
        "assert 'ipywidgets' not in sys.modules and 'wingspan_nb.widgets' not in sys.modules\n"
        "from wingspan_nb.widgets import InvoiceEditor\n"
        "assert wingspan_nb.InvoiceEditor is InvoiceEditor and 'ipywidgets' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


# -- what the analyst reads ---------------------------------------------------------------------------


def test_saved_message_names_fields_in_words(setup: Any) -> None:
    _, client, iid = setup
    editor = InvoiceEditor(client, iid, clock=lambda: _TEN_42)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    editor.fields["credit_fee_handling.client_pays"].input.value = "10"
    editor.fields["credit_fee_handling.member_pays"].input.value = "90"
    assert editor.save()
    assert "Saved: status, credit-fee split at 10:42 UTC." in editor.status.value
    assert "credit_fee_handling" not in editor.status.value
    assert "2026-03-02 10:42 UTC" in editor.history_view.value
    assert editor.undo()
    assert "Undone: status, credit-fee split restored at 10:42 UTC." in editor.status.value
    # The static copy's last save says it as the status line did: one wording.
    assert editor.last_save() == "Undone: status, credit-fee split restored at 10:42 UTC."


def test_a_stale_notice_goes_when_new_edits_start(setup: Any) -> None:
    _, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    editor.revert()
    assert "Edits discarded." in editor.status.value  # reverting (a reload of the controls) keeps it
    editor.fields["status"].input.value = InvoiceStatus.CANCELLED
    assert editor.status.value == ""


def test_an_error_stays_while_the_user_edits(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    sandbox.fail_next(1, status=503)
    assert not editor.save(force=True)
    editor.fields["status"].input.value = InvoiceStatus.CANCELLED
    assert "server failed" in editor.status.value


def test_a_disabled_save_does_not_look_like_a_primary_button(setup: Any) -> None:
    _, client, iid = setup
    editor = InvoiceEditor(client, iid)
    assert editor.save_button.disabled and editor.save_button.button_style == ""
    assert editor.save_button.tooltip == "No changes to save"
    editor.fields["status"].input.value = InvoiceStatus.PAID
    assert not editor.save_button.disabled and editor.save_button.button_style == "primary"
    editor.fields["credit_fee_handling.client_pays"].input.value = "x"
    assert editor.save_button.disabled and editor.save_button.button_style == ""
    assert editor.save_button.tooltip == "Fix the marked fields first"


def test_empty_shares_read_the_same_before_and_after_removing_the_fee_handling(setup: Any) -> None:
    _, client, iid = setup
    editor = InvoiceEditor(client, iid)
    absolute = editor.fields["credit_fee_handling.client_absolute_percentage"].input
    assert absolute.value == "" and absolute.placeholder == "none"  # the server sent null
    editor.fields["credit_fee_handling"].null.value = True  # type: ignore[attr-defined]
    assert editor.save()  # now the server has no fee handling: every share is absent
    placeholders = {k: c.input.placeholder for k, c in editor.fields.items() if "." in k}
    assert set(placeholders.values()) == {"none"}, placeholders


def test_preview_shows_which_nested_values_change(setup: Any) -> None:
    _, client, iid = setup
    editor = InvoiceEditor(client, iid, clock=lambda: _TEN_42)
    editor.fields["credit_fee_handling.client_pays"].input.value = "25"
    editor.fields["credit_fee_handling.member_pays"].input.value = "75"
    table_part = editor.preview.value.split("<details>")[0]
    assert 'class="wsnb"' in table_part and "wsnb-card" in table_part  # the card's table style
    assert "Credit-fee split: client pays" in table_part and "Credit-fee split: member pays" in table_part
    assert "<code>0 %</code>" in table_part and "<code>25 %</code>" in table_part
    assert "client absolute percentage" not in table_part  # unchanged: no row
    assert "{" not in table_part  # no JSON blobs
    assert "clientPays" in editor.preview.value  # the exact PATCH body is still one click away
    editor.save()
    history = editor.history_view.value
    assert "Credit-fee split: member pays" in history and "{" not in history


def test_removing_the_fee_handling_reads_as_words(setup: Any) -> None:
    _, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["credit_fee_handling"].null.value = True  # type: ignore[attr-defined]
    table_part = editor.preview.value.split("<details>")[0]
    assert "Client pays 0 %, Member pays 100 %" in table_part and "none" in table_part


# -- a static snapshot where widgets cannot run ------------------------------------------------------


def test_the_display_data_carries_a_static_snapshot(setup: Any) -> None:
    _, client, iid = setup
    editor = InvoiceEditor(client, iid, clock=lambda: _TEN_42)
    bundle = editor._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    text, page = bundle["text/plain"], bundle["text/html"]
    assert "VBox" not in text and "INV-2026-0003" in text
    assert "Status: Open" in text and "Credit-fee split: Client pays 0 %, Member pays 100 %" in text
    assert "Nothing saved from this form yet." in text
    assert "INV-2026-0003" in page and "<code>Open</code>" in page and "wsnb-card" in page
    editor.fields["status"].input.value = InvoiceStatus.PAID
    assert "Status: Paid (unsaved edit)" in editor._repr_mimebundle_()["text/plain"]
    editor.save()
    assert "Saved: status at 10:42 UTC." in editor._repr_mimebundle_()["text/html"]


def test_an_executed_notebook_keeps_a_readable_snapshot_of_the_form(
    setup: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nbclient
    import nbformat

    sandbox, _, iid = setup
    monkeypatch.setenv("WINGSPAN_SERVER_URL", sandbox.url)  # the kernel inherits this environment
    monkeypatch.setenv("WINGSPAN_API_TOKEN", sandbox.token)
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            f"import wingspan_nb\ns = wingspan_nb.Wingspan()\neditor = s.client_invoice.edit(id={iid!r})\neditor"
        ),
        nbformat.v4.new_code_cell(
            "editor.fields['status'].input.value = wingspan_nb.models.InvoiceStatus.PAID\nassert editor.save()"
        ),
    ]
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    assert "widgets" in nb.metadata  # the widget state is kept, as `nbconvert --execute` keeps it
    form, copy = nb.cells[0].outputs
    assert "application/vnd.jupyter.widget-view+json" in form["data"]  # the live form where widgets run
    # The live form's text is fixed when first shown, so it states no invoice state that a save
    # would contradict (it said "Open" above a copy that says "Paid").
    assert form["data"]["text/plain"] == LIVE_FORM_TEXT
    assert "Open" not in LIVE_FORM_TEXT and "kernel" in LIVE_FORM_TEXT and "static copy" in LIVE_FORM_TEXT
    # The static copy is an output of its own: a front end without the widget's model (a reopened
    # notebook: "model not found") or an export drawing the widget view still shows it.
    assert not any("widget" in mime for mime in copy["data"])
    page = copy["data"]["text/html"]
    # Closed, the copy's one line still says the invoice, its status and amount, and the last save.
    summary_line = page[: page.index("</summary>")]
    assert summary_line.startswith(
        "<details><summary>Static copy of this form (for saved notebooks and exports)"
    )
    assert "INV-2026-0003" in summary_line and "Paid" in summary_line and "Saved: status at" in summary_line
    assert "USD" in summary_line
    assert "Edit form for invoice <code>INV-2026-0003</code>" in page
    assert "Client pays 0 %, Member pays 100 %" in page
    # The save in the next cell refreshed the copy the notebook keeps.
    assert "Saved: status at" in page and "<code>Paid</code>" in page
    assert "Saved: status at" in copy["data"]["text/plain"]
    assert sandbox.invoice(iid)["status"] == "Paid"
    from nbconvert import HTMLExporter

    # `nbconvert --execute --to html`: the widget output becomes a script for a widget view loaded
    # from a CDN (blank offline); the copy is plain HTML in the page.
    exported, _ = HTMLExporter().from_notebook_node(nb)
    assert 'type="application/vnd.jupyter.widget-view+json"' in exported
    assert "Static copy of this form" in exported
    assert "Edit form for invoice <code>INV-2026-0003</code>" in exported and "VBox(" not in exported
    # Without widget state (JupyterLab's default export) the copy shows once, not twice.
    nb.metadata.pop("widgets", None)
    exported, _ = HTMLExporter().from_notebook_node(nb)
    assert exported.count("Edit form for invoice <code>INV-2026-0003</code>") == 1


def test_the_quick_start_tells_a_true_story_when_run_all(quickstart_run: Any) -> None:
    nb = quickstart_run  # its own sandbox, in the kernel
    cells = {c.id: c for c in nb.cells}
    form, copy = cells["cell-5"].outputs
    assert "application/vnd.jupyter.widget-view+json" in form["data"]
    assert "Nothing saved from this form yet." in copy["data"]["text/plain"]
    # Nothing was saved: the cell after the form says so, and shows no "after saving" card.
    after = cells["after-save"].outputs
    assert [o.get("text", "").strip() for o in after] == ["Nothing saved from this form yet."]
    assert not any("text/html" in o.get("data", {}) for o in after)
    assert not any("Look again" in "".join(c.source) for c in nb.cells)


def test_a_reply_without_an_invoice_is_an_error_not_an_assert(setup: Any) -> None:
    from wingspan_nb.errors import UnexpectedResponseError
    from wingspan_nb.models.operations import GetClientInvoiceResponse

    _, client, iid = setup
    real = client.client_invoice.get(id=iid)

    class Hollow:
        def get(self, id: str) -> GetClientInvoiceResponse:
            return GetClientInvoiceResponse(
                content_type=real.content_type,
                status_code=200,
                raw_response=real.raw_response,
                client_invoice=None,  # type: ignore[arg-type]  # what no resource of the package returns
            )

    with pytest.raises(UnexpectedResponseError, match=r"holds no invoice; get it again"):
        InvoiceEditor(Hollow(), iid)  # type: ignore[arg-type]


# -- second analyst review: conflicts, warnings, the static copy, saving an invalid form ------------


def test_the_live_forms_text_names_no_invoice_state(setup: Any) -> None:
    _, client, iid = setup
    editor = InvoiceEditor(client, iid)
    assert editor._widget_bundle()["text/plain"] == LIVE_FORM_TEXT
    editor.fields["status"].input.value = InvoiceStatus.PAID
    assert editor.save()
    # Saved, the widget's text is unchanged and says no status (not "Open" over "Paid").
    assert editor._widget_bundle()["text/plain"] == LIVE_FORM_TEXT
    assert not any(s.value in LIVE_FORM_TEXT for s in InvoiceStatus)
    assert "INV-" not in LIVE_FORM_TEXT


def test_the_closed_static_copy_says_the_invoice_and_the_last_save(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid, clock=lambda: _TEN_42)
    doc = sandbox.invoice(iid)
    amount = f"{doc['amount']:,.2f} {doc['currency']}"
    title = editor.snapshot_title()
    assert f"invoice {doc['invoiceNumber']}, Open, {amount}. Nothing saved from this form yet." in title
    # In the HTML line the number and the amount never break ("INV-2026-" / "0003").
    line = editor._snapshot_bundle()["text/html"].split("</summary>")[0]
    assert f'<span style="white-space:nowrap">{doc["invoiceNumber"]}</span>, Open, ' in line
    assert f'<span style="white-space:nowrap">{amount}</span>. Nothing saved' in line
    editor.fields["status"].input.value = InvoiceStatus.PAID
    editor.save()
    line = editor._snapshot_bundle()["text/html"].split("</summary>")[0]
    assert ", Paid, " in line and "Saved: status at 10:42 UTC." in line


def test_the_static_copy_follows_reload_revert_and_edits(setup: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import IPython.display

    sandbox, client, iid = setup
    shown: list[dict[str, Any]] = []  # the static copy's output, as the notebook keeps it
    copy_id: list[str] = []

    def display(bundle: dict[str, Any], raw: bool, display_id: str | None = None) -> None:
        if display_id is not None:
            copy_id.append(display_id)
            shown.append(bundle)

    def update_display(bundle: dict[str, Any], raw: bool, display_id: str) -> None:
        assert display_id == copy_id[0]
        shown.append(bundle)

    monkeypatch.setattr(IPython.display, "display", display)
    monkeypatch.setattr(IPython.display, "update_display", update_display)
    editor = InvoiceEditor(client, iid, clock=lambda: _TEN_42)
    editor._ipython_display_()
    assert ", Open, " in shown[-1]["text/html"] and "Unsaved" not in shown[-1]["text/html"]
    editor.fields["status"].input.value = InvoiceStatus.PAID  # an edit
    assert "Status: Paid (unsaved edit)" in shown[-1]["text/plain"]
    assert "Nothing saved from this form yet. Unsaved edits: status.</summary>" in shown[-1]["text/html"]
    editor.revert()
    assert "Status: Open" in shown[-1]["text/plain"] and "unsaved" not in shown[-1]["text/plain"]
    assert "Unsaved" not in shown[-1]["text/html"]
    sandbox.put(sandbox.invoice(iid) | {"status": "Cancelled", "updatedAt": "2099-01-01T00:00:00.000Z"})
    editor.reload()
    line = shown[-1]["text/html"].split("</summary>")[0]
    assert ", Cancelled, " in line and ", Open, " not in line
    assert "<code>Cancelled</code>" in shown[-1]["text/html"]  # the card inside the copy too
    updates = len(shown)
    editor.reload()  # nothing changed: the same copy is not sent again
    assert len(shown) == updates


def test_reload_shows_a_problem_and_what_the_server_has_together(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    editor.fields["credit_fee_handling.client_pays"].input.value = "150"
    fees = {"clientAbsolutePercentage": None, "clientPays": 50, "memberPays": 50}
    sandbox.put(sandbox.invoice(iid) | {"status": "Cancelled", "creditFeeHandling": fees})
    editor.reload()
    pays = editor.fields["credit_fee_handling.client_pays"].message.value
    assert "must be from 0 to 100, got 150" in pays and "server now: 50 %" in pays
    assert pays.index("got 150") < pays.index("server now")  # the problem first, in the error colour
    assert pays.count("<div") == 2 and "wsnb-msg-error" in pays and "wsnb-msg-warn" in pays
    status = editor.fields["status"].message.value
    assert "server now: Cancelled; your edit is kept over it" in status
    assert "this invoice is Cancelled: check that Paid is meant" in status
    assert status.count("<div") == 2 and "wsnb-msg-error" not in status


def test_conflict_buttons_fit_their_labels_and_save_waits_for_a_choice(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    buttons = [
        editor.save_button,
        editor.revert_button,
        editor.undo_button,
        editor.reload_button,
        editor.save_anyway_button,
    ]
    # ipywidgets' fixed button width cut "Reload from server" to "Reload from se…".
    assert all(b.layout.width == "auto" and b.layout.flex == "0 0 auto" for b in buttons)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    assert not editor.save_button.disabled
    sandbox.put(sandbox.invoice(iid) | {"updatedAt": "2099-01-01T00:00:00.000Z"})
    assert not editor.save()
    # While the conflict panel asks "Reload or Save anyway", the plain Save is not a third choice.
    assert editor.conflict_box.layout.display == "flex" and editor.save_button.disabled
    assert "Reload from server, or Save anyway" in editor.save_button.tooltip
    editor.fields["status"].input.value = InvoiceStatus.PAYMENT_IN_TRANSIT  # still, after more edits
    assert editor.pending_request() is not None and editor.save_button.disabled
    editor.reload()
    assert editor.conflict_box.layout.display == "none" and not editor.save_button.disabled


def test_reload_marks_kept_edits_the_server_also_changed(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    editor.fields["credit_fee_handling.client_pays"].input.value = "10"
    editor.fields["credit_fee_handling.member_pays"].input.value = "90"
    fees = {"clientAbsolutePercentage": 3, "clientPays": 50, "memberPays": 50}
    changed = {"status": "Cancelled", "creditFeeHandling": fees, "updatedAt": "2099-01-01T00:00:00.000Z"}
    sandbox.put(sandbox.invoice(iid) | changed)
    editor.reload()
    assert editor.fields["status"].input.value == InvoiceStatus.PAID  # the edits stay on top
    assert editor.fields["credit_fee_handling.client_pays"].input.value == "10"
    assert "server now: Cancelled; your edit is kept over it" in editor.fields["status"].message.value
    assert "wsnb-msg-warn" in editor.fields["status"].message.value  # a warning: Save is allowed
    assert "server now: 50 %" in editor.fields["credit_fee_handling.client_pays"].message.value
    assert "server now: 50 %" in editor.fields["credit_fee_handling.member_pays"].message.value
    # A value the user did not edit simply takes the server's: nothing to mark.
    absolute = editor.fields["credit_fee_handling.client_absolute_percentage"]
    assert absolute.input.value == "3" and absolute.message.value == ""
    assert "The server also changed status, client pays, member pays" in editor.status.value
    assert editor.pending_request() is not None  # a note, not a block
    editor.fields["credit_fee_handling.member_pays"].input.value = "50"  # the server's value again
    assert editor.fields["credit_fee_handling.member_pays"].message.value == ""
    editor.fields["credit_fee_handling.member_pays"].input.value = "90"
    # A reload where the server changed nothing the user edited says only that edits are kept.
    editor.reload()
    assert "server now" not in editor.fields["status"].message.value
    assert "also changed" not in editor.status.value and "your edits are kept" in editor.status.value
    # What stays is the warning that the edit moves a Cancelled invoice to Paid.
    assert "this invoice is Cancelled: check that Paid is meant" in editor.fields["status"].message.value


@pytest.mark.parametrize("split_changed", [True, False])
def test_the_conflict_panel_does_not_list_null_becoming_absent(setup: Any, split_changed: bool) -> None:
    sandbox, client, iid = setup
    loaded = {"clientAbsolutePercentage": None, "clientPays": 0, "memberPays": 100}
    sandbox.put(sandbox.invoice(iid) | {"creditFeeHandling": loaded})
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    # The absolute share left out: still no value.
    now = {"clientPays": 50, "memberPays": 50} if split_changed else {"clientPays": 0, "memberPays": 100}
    sandbox.put(sandbox.invoice(iid) | {"creditFeeHandling": now, "updatedAt": "2099-01-01T00:00:00.000Z"})
    assert not editor.save()
    panel = editor.conflict.value
    assert ("Credit-fee split: client pays" in panel) is split_changed
    assert ("Credit-fee split: member pays" in panel) is split_changed
    assert "absolute percentage" not in panel and "not set" not in panel
    assert "Credit-fee split</td>" not in panel  # nor the group as a whole, reading the same twice
    assert "Updated at" in panel


def test_reload_does_not_mark_null_becoming_absent_or_the_same_value(setup: Any) -> None:
    sandbox, client, iid = setup
    loaded = {"clientAbsolutePercentage": None, "clientPays": 0, "memberPays": 100}
    sandbox.put(sandbox.invoice(iid) | {"creditFeeHandling": loaded})
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    editor.fields["credit_fee_handling.client_absolute_percentage"].input.value = "5"
    editor.fields["credit_fee_handling.client_pays"].input.value = "40"
    editor.fields["credit_fee_handling.member_pays"].input.value = "60"
    # The server made the same status change and left the absolute share out (still no value).
    now = {"clientPays": 0, "memberPays": 100}
    sandbox.put(sandbox.invoice(iid) | {"status": "Paid", "creditFeeHandling": now})
    editor.reload()
    assert not any("server now" in c.message.value for c in editor.fields.values())
    assert "also changed" not in editor.status.value


@pytest.mark.parametrize(
    ("loaded", "chosen", "warned"),
    [
        ("Cancelled", InvoiceStatus.PAID, "this invoice is Cancelled: check that Paid is meant"),
        ("Paid", InvoiceStatus.OPEN, "this invoice is Paid: check that Open is meant"),
        ("Open", InvoiceStatus.PAID, None),
    ],
)
def test_a_status_change_out_of_cancelled_or_paid_is_warned_not_blocked(
    setup: Any, loaded: str, chosen: InvoiceStatus, warned: str | None
) -> None:
    sandbox, client, iid = setup
    sandbox.put(sandbox.invoice(iid) | {"status": loaded})
    editor = InvoiceEditor(client, iid)
    assert editor.fields["status"].message.value == ""
    editor.fields["status"].input.value = chosen
    message = editor.fields["status"].message.value
    if warned is None:
        assert message == ""
    else:
        assert warned in message and "wsnb-msg-warn" in message and "wsnb-msg-error" not in message
    assert not editor.save_button.disabled  # a warning, not a block
    assert editor.save() and _patches(sandbox) == [{"status": chosen.value}]
    assert editor.fields["status"].message.value == ""  # saved: nothing unusual pending


def test_saving_with_an_invalid_field_says_why_not_nothing_to_save(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    editor.fields["credit_fee_handling.client_pays"].input.value = "150"
    assert not editor.save() and _patches(sandbox) == []
    assert "Nothing to save" not in editor.status.value
    assert "Not saved: Client pays is a percentage" in editor.status.value
    # The static copy shows the group as not valid yet, not as "none".
    text = editor.snapshot_text()
    assert "Credit-fee split: not valid yet (Client pays is a percentage" in text
    assert "Credit-fee split: none" not in text
    assert "not valid yet (Client pays is a percentage" in editor.snapshot_html()
    editor.revert()
    assert not editor.save() and "Nothing to save." in editor.status.value


# -- keyboard, focus and screen readers ---------------------------------------------------------------


@pytest.fixture
def focused(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every widget the form gives the keyboard focus to, in order (ipywidgets' ``focus()`` only
    sends a message to the front end)."""
    import ipywidgets

    calls: list[Any] = []
    monkeypatch.setattr(ipywidgets.DOMWidget, "focus", lambda self: calls.append(self))
    return calls


def _press_enter(editor: InvoiceEditor, key: str, shown: str | None = None) -> None:
    """What the form's front end sends when Enter is pressed in a text field: the field and the value
    it shows (``shown``; by default the value the kernel has)."""
    from wingspan_nb.widgets._controls import field_class

    control = editor.fields[key]
    value = control.input.value if shown is None else shown
    editor._layout.access._handle_custom_msg(
        {"event": "enter", "field": field_class(control.spec), "value": value}, []
    )


def test_enter_saves_a_valid_form_stays_on_a_marked_field_and_moves_on_otherwise(
    setup: Any, focused: list[Any]
) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    client_pays = editor.fields["credit_fee_handling.client_pays"]
    member_pays = editor.fields["credit_fee_handling.member_pays"]
    client_pays.input.value = "150"
    _press_enter(editor, "credit_fee_handling.client_pays")  # not valid: Enter stays and says why
    assert focused == [] and _patches(sandbox) == []
    assert "Fix the marked field first: Client pays is a percentage" in editor.status.value
    client_pays.input.value = "abc"
    _press_enter(editor, "credit_fee_handling.client_pays")
    assert focused == [] and "Fix the marked field first: Client pays: &#x27;abc&#x27;" in editor.status.value
    client_pays.input.value = "30"  # valid, but the split does not add up yet: Enter moves on
    _press_enter(editor, "credit_fee_handling.client_pays")
    assert focused == [member_pays.input] and _patches(sandbox) == []
    client_pays.input.value = "30"
    member_pays.input.value = "70"
    _press_enter(editor, "credit_fee_handling.member_pays")  # valid: Enter does what Save does
    assert _patches(sandbox) == [
        {"creditFeeHandling": {"clientAbsolutePercentage": None, "clientPays": 30, "memberPays": 70}}
    ]
    # Save is disabled now; the focus is back on the first field edited, not dropped to the page.
    assert focused[-1] is client_pays.input and editor.save_button.disabled
    _press_enter(editor, "credit_fee_handling.member_pays")  # the last field, nothing to save
    assert len(_patches(sandbox)) == 1 and focused[-1] is client_pays.input  # no field after it


def test_enter_acts_on_the_value_the_user_sees(setup: Any, focused: list[Any]) -> None:
    """ipywidgets may still hold back the input's last value update when Enter arrives: "1" of "150"
    would make a valid form and be saved. Enter carries the value shown, and the form takes it."""
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["credit_fee_handling.member_pays"].input.value = ""  # a lone share is a valid form
    client_pays = editor.fields["credit_fee_handling.client_pays"]
    client_pays.input.value = "1"  # the kernel has seen the first key only
    _press_enter(editor, "credit_fee_handling.client_pays", shown="150")
    assert client_pays.input.value == "150" and _patches(sandbox) == []
    assert "Client pays is a percentage" in client_pays.message.value
    assert focused == [] and "Fix the marked field first: Client pays is a percentage" in editor.status.value


def test_the_focus_after_a_save_that_did_not_go_through(setup: Any, focused: list[Any]) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    editor.fields["status"].input.value = InvoiceStatus.PAID
    sandbox.put(sandbox.invoice(iid) | {"updatedAt": "2099-01-01T00:00:00.000Z"})
    editor.save_button.click()  # a conflict: the first of its two choices
    assert focused[-1] is editor.reload_button
    editor.reload_button.click()  # Save can go now: it takes the focus
    assert focused[-1] is editor.save_button
    sandbox.fail_next(
        1,
        method="PATCH",
        status=422,
        validation=[{"location": ["body", "creditFeeHandling", "memberPays"], "message": "too low"}],
    )
    editor.save_button.click()  # the server marks a field: it takes the focus
    assert focused[-1] is editor.fields["credit_fee_handling.member_pays"].input
    editor.revert_button.click()  # Revert is disabled once done: the first field
    assert focused[-1] is editor.fields["status"].input


def test_messages_and_status_carry_what_screen_readers_need(setup: Any) -> None:
    import ipywidgets

    from wingspan_nb.widgets._access import FormAccess
    from wingspan_nb.widgets._controls import field_class

    _, client, iid = setup
    editor = InvoiceEditor(client, iid)
    for control in editor.fields.values():
        classes = control.widget._dom_classes
        assert "wsnb-field" in classes and field_class(control.spec) in classes
        assert "wsnb-field-message" in control.message._dom_classes
    # Each top-level field brings the form's stylesheet and its aria links (the bulk editor's too).
    for top in editor._layout.top:
        support = top.widget.children[0]
        assert support.layout.display == "none"
        assert isinstance(support.children[1], FormAccess) and "<style>" in support.children[0].value
    assert "wsnb-status" in editor.status._dom_classes
    hidden = [c for box in editor.widget.children if isinstance(box, ipywidgets.VBox) for c in box.children]
    assert [c.report_enter for c in hidden if isinstance(c, FormAccess)] == [True]  # one reports Enter
    editor.fields["credit_fee_handling.client_pays"].input.value = "150"
    message = editor.fields["credit_fee_handling.client_pays"].message.value
    assert 'class="wsnb-msg wsnb-msg-error"' in message and "style=" not in message  # colour by class


def test_form_tables_name_every_column_and_keep_values_whole(setup: Any) -> None:
    _, client, iid = setup
    clock = iter([datetime(2026, 3, 1, 10, 42, tzinfo=timezone.utc)])
    editor = InvoiceEditor(client, iid, clock=lambda: next(clock))
    editor.fields["credit_fee_handling.client_pays"].input.value = "40"
    editor.fields["credit_fee_handling.member_pays"].input.value = "60"
    assert "<th" in editor.preview.value and '<th scope="col"></th>' not in editor.preview.value
    assert editor.save()
    history = editor.history_view.value
    assert '<th scope="col"></th>' not in history and '<th scope="col">action</th>' in history
    # A time and a percentage never break across lines at 1024 px.
    assert '<span class="wsnb-nowrap">2026-03-01 10:42 UTC</span>' in history
    assert '<span class="wsnb-nowrap"><code>60 %</code></span>' in history


def test_the_conflict_shows_the_seconds_that_changed(setup: Any) -> None:
    sandbox, client, iid = setup
    editor = InvoiceEditor(client, iid)
    loaded = editor.invoice.updated_at
    later = loaded[:17] + ("41" if loaded[17:19] != "41" else "42") + loaded[19:]  # same minute
    editor.fields["status"].input.value = InvoiceStatus.PAID
    sandbox.put(sandbox.invoice(iid) | {"updatedAt": later})
    assert not editor.save()
    panel = editor.conflict.value
    assert f"{loaded[11:19]} UTC" in panel and f"{later[11:19]} UTC" in panel, panel
    assert '<th scope="col"></th>' not in panel
