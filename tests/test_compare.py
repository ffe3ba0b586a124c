"""compare(before, after): what changed between two invoice lists, its frame, card and text view."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from IPython.lib.pretty import pretty

import wingspan_nb
from wingspan_nb import _comparison as comparison
from wingspan_nb import errors
from wingspan_nb._changes import Change
from wingspan_nb._comparison import AmountMove, Changes
from wingspan_nb._invoices import InvoiceList, ListFailure
from wingspan_nb.display._changes import changes_text
from wingspan_nb.models import ClientInvoice, ClientInvoiceUpdateRequest, FeeHandlingConfig, InvoiceStatus
from wingspan_nb.models.invoice import Form1099Correction
from wingspan_nb.sandbox import HOSTILE_TEXTS, SandboxServer, make_invoice


def _docs(n: int = 6) -> list[dict[str, Any]]:
    docs = [make_invoice(seed, status="Open") for seed in range(101, 101 + n)]
    for doc in docs:
        doc["currency"] = "USD"
        doc["creditFeeHandling"] = {"clientAbsolutePercentage": None, "clientPays": 0, "memberPays": 100}
    return docs


def _list(docs: list[dict[str, Any]]) -> InvoiceList:
    return InvoiceList(ClientInvoice.from_dict(d) for d in docs)


def _pair() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Six invoices; in after, the second is removed, one is added, and the fourth is changed: its
    status, a nested fee split, a line item's total and the amount, and a line item more."""
    before = _docs()
    after = copy.deepcopy(before)
    del after[1]
    after.append(make_invoice(900, status="Draft"))
    changed = after[2]  # before[3]
    changed["status"] = "Paid"
    changed["creditFeeHandling"]["clientPays"] = 50
    changed["creditFeeHandling"]["memberPays"] = 50
    changed["lineItems"][0]["totalCost"] += 10
    changed["amount"] = round(changed["amount"] + 10, 2)
    changed["lineItems"].append(copy.deepcopy(changed["lineItems"][0]))
    return before, after


def test_compare_lists_the_added_the_removed_and_each_changed_field_by_wire_path() -> None:
    before, after = _pair()
    changes = wingspan_nb.compare(_list(before), _list(after))
    assert changes.counts() == {"added": 1, "removed": 1, "changed": 1, "unchanged": 4}
    assert [(d.change, d.invoice_id) for d in changes] == [
        ("added", after[-1]["invoiceId"]),
        ("removed", before[1]["invoiceId"]),
        ("changed", before[3]["invoiceId"]),
    ]
    (changed,) = changes.changed
    was, now = before[3], after[2]
    expected = [
        Change("status", "Open", "Paid"),
        Change("creditFeeHandling.clientPays", 0, 50),
        Change("creditFeeHandling.memberPays", 100, 50),
        Change("amount", was["amount"], now["amount"]),
        Change("lineItems[0].totalCost", was["lineItems"][0]["totalCost"], now["lineItems"][0]["totalCost"]),
        Change(f"lineItems[{len(was['lineItems'])}]", "(not set)", now["lineItems"][-1]),
    ]
    assert sorted(changed.fields, key=str) == sorted(expected, key=str)
    assert changed.before is not None and changed.before.to_dict() == was
    assert changed.after is not None and changed.after.to_dict() == now
    assert changes.added[0].after is not None and changes.added[0].before is None
    assert changes.removed[0].before is not None and changes.removed[0].after is None


def test_to_frame_has_one_row_per_changed_field_and_one_per_added_or_removed_invoice() -> None:
    before, after = _pair()
    frame = wingspan_nb.compare(_list(before), _list(after)).to_frame()
    assert list(frame.columns) == ["invoice_id", "invoice_number", "change", "field", "before", "after"]
    assert list(frame["change"].cat.categories) == ["added", "removed", "changed"]
    assert frame["change"].value_counts().to_dict() == {"changed": 6, "added": 1, "removed": 1}
    added = frame[frame["change"] == "added"].iloc[0]
    assert (added["invoice_id"], added["invoice_number"]) == (
        after[-1]["invoiceId"],
        after[-1]["invoiceNumber"],
    )
    assert frame[frame["change"] != "changed"][["field", "before", "after"]].isna().all().all()
    row = frame[frame["field"] == "creditFeeHandling.clientPays"].iloc[0]
    assert (row["invoice_id"], row["invoice_number"], row["before"], row["after"]) == (
        before[3]["invoiceId"],
        before[3]["invoiceNumber"],
        0,
        50,
    )


def test_an_unchanged_invoice_is_not_listed_and_equal_lists_say_so_in_words() -> None:
    docs = _docs()
    changes = wingspan_nb.compare(_list(docs), _list(copy.deepcopy(docs)))
    assert not changes and len(changes) == 0
    assert changes.counts() == {"added": 0, "removed": 0, "changed": 0, "unchanged": 6}
    assert changes.summary() == "No changes: the 6 invoices in both lists are the same."
    assert changes.transitions == {}
    assert [(m.currency, m.added, m.removed, m.changed, m.net) for m in changes.amounts] == [
        ("USD", 0.0, 0.0, 0.0, 0.0)
    ]
    assert changes.to_frame().empty
    html = changes._repr_html_()
    assert html is not None and "No changes: the 6 invoices in both lists are the same." in html
    assert "<table" not in html
    assert changes_text(changes) == "Changes: No changes: the 6 invoices in both lists are the same."


def test_a_field_present_as_null_against_a_field_absent_is_a_change() -> None:
    before = _docs(2)
    after = copy.deepcopy(before)
    del before[0]["lineItems"][0]["discount"]  # absent before, null after: the documents differ
    changes = wingspan_nb.compare(_list(before), _list(after))
    assert [d.fields for d in changes] == [(Change("lineItems[0].discount", "(not set)", None),)]


def test_a_change_deep_in_a_nested_model_is_found() -> None:
    before = _docs(3)
    after = copy.deepcopy(before)
    after[1]["memberClient"]["formW9Data"]["city"] = "Denver"
    after[2]["memberClient"]["client"]["user"]["profile"]["lastName"] = "Receivable"
    changes = wingspan_nb.compare(_list(before), _list(after))
    assert [d.fields for d in changes] == [
        (Change("memberClient.formW9Data.city", "Austin", "Denver"),),
        (Change("memberClient.client.user.profile.lastName", "Payable", "Receivable"),),
    ]


def test_a_boolean_against_a_number_is_a_change_though_python_has_1_equal_true() -> None:
    before = _docs(4)
    for doc in before:
        doc["priority"] = 1  # properties the models do not know, kept as parsed JSON
        doc["lineItems"][0]["flags"] = {"taxable": 0, "weights": [1, 2]}
    after = copy.deepcopy(before)
    after[0]["priority"] = True
    after[1]["lineItems"][0]["flags"]["taxable"] = False
    after[2]["lineItems"][0]["flags"]["weights"] = [True, 2]
    after[3]["priority"] = 1.0  # the same JSON number
    changes = wingspan_nb.compare(_list(before), _list(after))
    assert [d.fields for d in changes] == [
        (Change("priority", 1, True),),
        (Change("lineItems[0].flags.taxable", 0, False),),
        (Change("lineItems[0].flags.weights", [1, 2], [True, 2]),),
    ]
    assert changes.counts()["unchanged"] == 1


def test_a_free_form_field_holding_true_against_1_differs() -> None:
    address = Form1099Correction.from_dict({"address": {"line1": "Main St", "verified": 1}})
    same = Form1099Correction.from_dict({"address": {"line1": "Main St", "verified": 1}})
    other = Form1099Correction.from_dict({"address": {"line1": "Main St", "verified": True}})
    equal = comparison._model_equal(Form1099Correction)
    assert equal(address, same) and not equal(address, other)


def test_status_transitions_are_counted_and_shown_with_the_package_labels() -> None:
    before = _docs(6)
    before[4]["status"] = before[5]["status"] = "Draft"
    after = copy.deepcopy(before)
    for doc in after[:3]:
        doc["status"] = "Paid"
    after[4]["status"] = "PaymentInTransit"
    after[5]["status"] = "Open"
    changes = wingspan_nb.compare(_list(before), _list(after))
    assert changes.transitions == {
        ("Open", "Paid"): 3,
        ("Draft", "PaymentInTransit"): 1,
        ("Draft", "Open"): 1,
    }
    assert next(iter(changes.transitions)) == ("Open", "Paid")  # the most frequent first
    text = changes_text(changes)
    assert "  Open → Paid: 3\n" in text
    assert "  Draft → Payment in transit: 1\n" in text
    html = changes._repr_html_()
    assert html is not None
    assert (
        '<span class="wsnb-badge wsnb-info">Open</span> → <span class="wsnb-badge wsnb-good">Paid</span>'
        in html
    )


def test_a_status_is_written_in_words_in_the_invoice_rows_as_in_the_transitions() -> None:
    """One way to write a value: ``Payment in transit`` in the field rows of the card and the text
    view too, not the wire's ``PaymentInTransit`` (``to_frame`` keeps the wire value)."""
    before = _docs(1)
    before[0]["status"] = "Pending"
    after = copy.deepcopy(before)
    after[0]["status"] = "PaymentInTransit"
    changes = wingspan_nb.compare(_list(before), _list(after))
    text = changes_text(changes)
    assert "Status: Pending → Payment in transit" in text and "PaymentInTransit" not in text
    html = changes._repr_html_()
    assert html is not None and "PaymentInTransit" not in html
    assert "<code>Pending</code>" in html and "<code>Payment in transit</code>" in html
    assert changes.rows()[0][3:] == ("status", "Pending", "PaymentInTransit")


def test_amounts_move_per_currency_and_are_never_summed_across_currencies() -> None:
    before = _docs(5)
    before[0]["amount"], before[1]["amount"], before[2]["amount"] = 100.0, 200.0, 300.0
    before[3]["amount"], before[4]["amount"] = 1000.0, 50.0
    before[3]["currency"] = before[4]["currency"] = "CAD"
    after = copy.deepcopy(before)
    after[0]["amount"] = 150.0  # USD +50
    after[1]["currency"] = "CAD"  # 200 leaves USD, enters CAD
    del after[2]  # USD -300 removed
    extra = make_invoice(901, status="Open")
    extra["currency"], extra["amount"] = "CAD", 70.0
    after.append(extra)  # CAD +70 added
    changes = wingspan_nb.compare(_list(before), _list(after))
    assert changes.amounts == (
        AmountMove("CAD", before=1050.0, after=1320.0, added=70.0, removed=0.0, changed=200.0),
        AmountMove("USD", before=600.0, after=150.0, added=0.0, removed=300.0, changed=-150.0),
    )
    assert [m.net for m in changes.amounts] == [270.0, -450.0]
    text = changes_text(changes)
    assert "  CAD: 1,050.00 → 1,320.00 (+270.00: added +70.00, removed 0.00, changed +200.00)" in text
    assert "  USD: 600.00 → 150.00 (-450.00: added 0.00, removed -300.00, changed -150.00)" in text
    html = changes._repr_html_()
    assert html is not None
    assert '<code class="wsnb-money">+270.00 CAD</code>' in html
    assert "-450.00 USD" in html
    assert "1,470" not in html and "-180" not in html  # no sum across currencies, anywhere


def test_the_card_leads_with_the_counts_then_the_transitions_then_the_invoices() -> None:
    before, after = _pair()
    html = wingspan_nb.compare(_list(before), _list(after))._repr_html_()
    assert html is not None
    counts = html.index("1 added · 1 removed · 1 changed · 4 unchanged")
    transitions = html.index("<h4>Status changes</h4>")
    amounts = html.index("<h4>Amounts per currency</h4>")
    invoices = html.index("<h4>Invoices</h4>")
    assert counts < transitions < amounts < invoices
    assert html.index("creditFeeHandling.clientPays") > invoices


def test_the_card_escapes_server_text_and_links_nowhere() -> None:
    before = _docs(2)
    after = copy.deepcopy(before)
    after[0]["projectName"] = HOSTILE_TEXTS["project"]
    after[0]["memberLogoUrl"] = "https://evil.example/logo.png"
    after[1]["attachments"]["invoicePdf"] = HOSTILE_TEXTS["pdf"]
    after[1]["invoiceNumber"] = "<b>INV</b>"
    html = wingspan_nb.compare(_list(before), _list(after))._repr_html_()
    assert html is not None
    assert "<script>" not in html and "<b>INV</b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<a " not in html and "href" not in html
    assert "https://evil.example/logo.png" in html  # shown as text, as code


def test_sensitive_values_are_masked_in_every_view_unless_shown_and_kept_in_the_data() -> None:
    before = _docs(1)
    after = copy.deepcopy(before)
    after[0]["memberClient"]["achCreditAccount"]["accountNumber"] = "555566667777"
    after[0]["invoiceNotes"] = "Pay to account 000123456789 please"
    was = before[0]["memberClient"]["achCreditAccount"]["accountNumber"]
    changes = wingspan_nb.compare(_list(before), _list(after))
    field = "memberClient.achCreditAccount.accountNumber"
    assert Change(field, was, "555566667777") in changes.changed[0].fields  # the data is not altered
    frame = changes.to_frame().set_index("field")
    assert frame.loc[field, "after"] == "•••• 7777"
    assert frame.loc[field, "before"] == f"•••• {was[-4:]}"
    assert frame.loc["invoiceNotes", "after"] == "Pay to account •••• 6789 please"
    html = changes._repr_html_()
    text = changes_text(changes)
    for view in (html, text, repr(changes)):
        assert (
            view is not None and "555566667777" not in view and "000123456789" not in view and was not in view
        )
    assert "•••• 7777" in text
    shown = changes.to_frame(show_sensitive=True).set_index("field")
    assert shown.loc[field, "after"] == "555566667777"
    with wingspan_nb.set_options(show_sensitive=True):
        revealed = changes._repr_html_()
        assert revealed is not None and "555566667777" in revealed and "000123456789" in revealed
        assert "555566667777" in changes_text(changes)


def test_an_invoice_number_that_reads_as_prose_is_masked_in_every_view_of_changes() -> None:
    before = _docs(2)
    for doc in before:
        doc["invoiceNumber"] += " SSN 123-45-6789"
    after = copy.deepcopy(before)
    after[0]["status"] = "Paid"
    del after[1]
    changes = wingspan_nb.compare(_list(before), _list(after))
    frame = changes.to_frame()
    for view in (changes._repr_html_() or "", changes_text(changes), frame.to_csv()):
        assert "123-45-6789" not in view and "SSN •••• 6789" in view, view
    assert set(changes.to_frame(show_sensitive=True)["invoice_number"]) == {
        d["invoiceNumber"] for d in before
    }
    assert changes.changed[0].invoice_number == before[0]["invoiceNumber"]  # the data is not altered


def test_a_whole_object_with_or_under_a_sensitive_name_is_masked() -> None:
    before = _docs(1)
    after = copy.deepcopy(before)
    after[0]["memberClient"]["payoutAccount"] = {"accountNumber": "444455556666", "bankName": "SVB"}
    after[0]["memberClient"]["taxId"] = {"value": "123456789", "kind": "EIN"}
    changes = wingspan_nb.compare(_list(before), _list(after))
    frame = changes.to_frame().set_index("field")
    assert frame.loc["memberClient.payoutAccount", "after"] == {
        "accountNumber": "•••• 6666",
        "bankName": "SVB",
    }
    assert frame.loc["memberClient.taxId", "after"] == {"value": "•••• 6789", "kind": "••••"}
    for view in (changes_text(changes), changes._repr_html_()):
        assert view is not None and "444455556666" not in view and "123456789" not in view


def test_compare_takes_list_replies_snapshots_and_plain_lists(tmp_path: Path) -> None:
    before, after = _pair()
    saved = _list(before).save(tmp_path / "monday.jsonl.gz")
    from_snapshot = wingspan_nb.compare(wingspan_nb.load_invoices(saved), list(_list(after)))
    assert from_snapshot.counts() == {"added": 1, "removed": 1, "changed": 1, "unchanged": 4}


@pytest.mark.parametrize("bad", ["invoices.jsonl.gz", [{"invoiceId": "x"}], 3, None])
def test_compare_refuses_what_is_not_a_list_of_invoices(bad: Any) -> None:
    with pytest.raises(errors.InvalidRequestError, match="compare's after"):
        wingspan_nb.compare(_list(_docs(1)), bad)


def test_items_that_did_not_fit_are_counted_as_not_compared() -> None:
    docs = _docs(2)
    invalid = errors.InvalidDocumentError("$[2]", "is a str, not an invoice object", document="x")
    after = InvoiceList(_list(docs), [ListFailure(2, "x", invalid)])
    changes = wingspan_nb.compare(_list(docs), after)
    assert changes.not_compared == (0, 1)
    assert not changes
    assert "0 item(s) of before and 1 of after did not fit the models and were not compared" in changes_text(
        changes
    )


def test_an_id_listed_twice_is_matched_occurrence_by_occurrence() -> None:
    docs = _docs(2)
    before = [docs[0], docs[1], copy.deepcopy(docs[1])]
    after = copy.deepcopy(before)
    after[2]["amount"] = 1.0
    changes = wingspan_nb.compare(_list(before), _list(after[:3]))
    assert [(d.change, d.invoice_id) for d in changes] == [("changed", docs[1]["invoiceId"])]
    assert changes.changed[0].fields == (Change("amount", docs[1]["amount"], 1.0),)
    fewer = wingspan_nb.compare(_list(before), _list(after[:2]))
    assert [(d.change, d.invoice_id) for d in fewer] == [("removed", docs[1]["invoiceId"])]


def test_the_card_shows_the_first_rows_and_says_where_the_rest_are() -> None:
    before = _docs(1)
    before[0]["lineItems"] = before[0]["lineItems"][:1]
    after = copy.deepcopy(before)
    after[0]["lineItems"] = [copy.deepcopy(before[0]["lineItems"][0]) for _ in range(130)]
    changes = wingspan_nb.compare(_list(before), _list(after))
    assert len(changes.to_frame()) == 129
    html = changes._repr_html_()
    assert html is not None and "… 29 more rows; <code>.to_frame()</code> has them all." in html
    assert "… 109 more rows; .to_frame() has them all." in changes_text(changes)


def test_text_view_and_repr() -> None:
    before, after = _pair()
    changes = wingspan_nb.compare(_list(before), _list(after))
    assert repr(changes) == "<Changes 1 added · 1 removed · 1 changed · 4 unchanged>"
    with wingspan_nb.set_options(display_style="text"):
        assert changes._repr_html_() is None
    text = changes_text(changes)
    assert text.splitlines()[0] == "Changes: 1 added · 1 removed · 1 changed · 4 unchanged"
    assert f"  {before[3]['invoiceNumber']} changed Status: Open → Paid (id {before[3]['invoiceId']})" in text
    assert isinstance(changes, Changes)
    assert pretty(changes) == text  # what IPython shows as text/plain
    assert str(changes) == text and len(text.splitlines()) > 3  # print(changes), as the how-to shows


def test_fields_show_under_their_labels_and_times_as_the_cards_write_them() -> None:
    """Not ``dueDate`` and ``2028-02-29T15:30:00.000Z``: the labels every change uses and the cards'
    timestamps, in the card and in the text view; the wire path stays in the tooltip (and in
    ``to_frame()``)."""
    before = _docs(1)
    after = copy.deepcopy(before)
    before[0]["dueDate"], after[0]["dueDate"] = "2028-02-29T15:30:00.000Z", "2028-03-31T09:05:00.000Z"
    before[0]["updatedAt"], after[0]["updatedAt"] = "2028-03-01T06:26:05.000Z", "2028-03-01T06:26:41.000Z"
    after[0]["creditFeeHandling"]["clientPays"] = 50
    after[0]["lineItems"][0]["totalCost"] += 10
    changes = wingspan_nb.compare(_list(before), _list(after))
    html = changes._repr_html_()
    assert html is not None
    for label, path in [
        ("Due date", "dueDate"),
        ("Updated at", "updatedAt"),
        ("Credit-fee split: client pays", "creditFeeHandling.clientPays"),
        ("Line items #1: total cost", "lineItems[0].totalCost"),
    ]:
        assert f'<span title="{path}">{label}</span>' in html
    assert "<code>dueDate</code>" not in html and "T15:30:00" not in html
    assert "<code>2028-02-29 15:30 UTC</code>" in html and "<code>2028-03-31 09:05 UTC</code>" in html
    # Seconds only where minutes would show two instants as one.
    assert "<code>2028-03-01 06:26:05 UTC</code>" in html
    text = changes_text(changes)
    assert "Due date: 2028-02-29 15:30 UTC → 2028-03-31 09:05 UTC" in text
    assert "Updated at: 2028-03-01 06:26:05 UTC → 2028-03-01 06:26:41 UTC" in text
    assert "dueDate" not in text and "T15:30" not in text
    assert set(changes.to_frame()["field"]) >= {"dueDate", "updatedAt"}  # data keeps the wire path


def test_a_path_the_models_do_not_know_stays_as_sent() -> None:
    from wingspan_nb._changes import wire_path_label

    assert wire_path_label("memberClient.emailTo") == "Member client: email to"
    assert wire_path_label("lineItems[2].totalCost") == "Line items #3: total cost"
    assert wire_path_label("mystery.key[0]") == "mystery.key[0]"
    assert wire_path_label("memberClient.mystery") == "Member client: mystery"


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("lineItems[0]", "Line items #1"),
        ("lineItems[" + "9" * 5000 + "]", "lineItems[" + "9" * 5000 + "]"),  # int() would refuse it
        ("lineItems[99999999999999999999].totalCost", "lineItems[99999999999999999999].totalCost"),
        ("lineItems[-1]", "lineItems[-1]"),  # no index dropped
        ("lineItems[0][1]", "Line items #1: [1]"),  # a line item is not a list
        ("dueDate[3]", "Due date: [3]"),  # nor is a due date: no "#4"
        ("amount[\u0663]", "amount[\u0663]"),  # an Arabic-Indic digit is no position
        ("lineItems[\u0663].totalCost", "lineItems[\u0663].totalCost"),
        ('["creditFeeHandling.clientPays"]', '["creditFeeHandling.clientPays"]'),  # a key, not a path
        ('memberClient["a.b"]', 'Member client: ["a.b"]'),
        ("lineItems[].x", "lineItems[].x"),
        ("lineItems[0]totalCost", "lineItems[0]totalCost"),
        ("", ""),
        ("..", ".."),
        (".dueDate", ".dueDate"),
    ],
)
def test_a_wire_path_is_read_strictly_and_anything_else_stays_as_sent(path: str, label: str) -> None:
    from wingspan_nb._changes import wire_path_label

    assert wire_path_label(path) == label


def test_a_key_spelled_like_a_nested_path_is_not_labelled_as_that_field() -> None:
    # A server's unknown top-level key "creditFeeHandling.clientPays" must not pass for the fee split,
    # and one that int() cannot read must not break the card or print().
    before = make_invoice(3, status="Open")
    after = copy.deepcopy(before)
    spoof, huge = "creditFeeHandling.clientPays", "lineItems[" + "9" * 5000 + "]"
    before[spoof], after[spoof] = "x", "y"
    before[huge], after[huge] = 1, 2
    changes = wingspan_nb.compare(_list([before]), _list([after]))
    fields = set(changes.to_frame()["field"])
    assert fields == {'["creditFeeHandling.clientPays"]', f'["{huge}"]'}
    html, text = changes._repr_html_(), str(changes)
    assert "Credit-fee split" not in html and "Credit-fee split" not in text
    assert "object at 0x" not in text and "rich view failed" not in html.lower()
    assert "changed [\"creditFeeHandling.clientPays\"]: 'x' → 'y'" in text
    assert "[&quot;creditFeeHandling.clientPays&quot;]" in html
    # Quoted, a key naming a sensitive field is still masked, as it was when it read as a path.
    number = "123456789012"
    assert number not in str(comparison.masked_change_value('["x.accountNumber"]', number))


def test_one_unchanged_invoice_is_said_in_the_singular() -> None:
    docs = _docs(1)
    changes = wingspan_nb.compare(_list(docs), _list(copy.deepcopy(docs)))
    assert changes.summary() == "No changes: the 1 invoice in both lists is the same."


@pytest.mark.sandbox
def test_compare_two_lists_of_the_sandbox_around_an_update(
    client: wingspan_nb.Wingspan, sandbox: SandboxServer
) -> None:
    monday = client.client_invoice.list(progress=False)
    invoice_id = sandbox.ids()[1]
    client.client_invoice.update(
        id=invoice_id,
        client_invoice_update_request=ClientInvoiceUpdateRequest(
            status=InvoiceStatus.PAID, credit_fee_handling=FeeHandlingConfig(client_pays=40, member_pays=60)
        ),
    )
    changes = wingspan_nb.compare(monday, client.client_invoice.list(progress=False))
    (changed,) = changes.changed
    assert changed.invoice_id == invoice_id
    fields = {ch.field for ch in changed.fields}
    assert {"status", "updatedAt"} <= fields
    assert any(f.startswith("creditFeeHandling") for f in fields)
    assert changes.counts()["unchanged"] == len(monday.client_invoices) - 1
    was = next(inv for inv in monday.client_invoices if inv.invoice_id == invoice_id)
    assert was.status == "Open"  # the second demo invoice
    assert changes.transitions == {("Open", "Paid"): 1}
    batch = client.client_invoice.get_many(monday.client_invoices.ids[:3], progress=False)
    again = wingspan_nb.compare(monday.client_invoices[:3], batch)  # a get_many result
    assert again.counts() == {"added": 0, "removed": 0, "changed": 1, "unchanged": 2}
