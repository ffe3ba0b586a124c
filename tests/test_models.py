"""Models and converter: PATCH semantics, round trips, strictness with wire paths, drift tolerance."""

from __future__ import annotations

import copy
import json
import pickle
import warnings
from decimal import Decimal
from typing import Any, Final

import numpy as np
import pytest
from attrs import define, field

from wingspan_nb import UNSET
from wingspan_nb.converter import converter
from wingspan_nb.errors import InvalidDocumentError, InvalidRequestError, UnknownEnumValueWarning
from wingspan_nb.models import (
    ClientData,
    ClientInvoice,
    ClientInvoiceUpdateRequest,
    CompanyStructure,
    FeeHandlingConfig,
    Form1099Correction,
    InvoiceLineItem,
    InvoiceStatus,
    MemberClientFormW9Info,
    UnknownEnumValue,
    WireModel,
    reset_unknown_enum_warnings,
    shared,
)
from wingspan_nb.models._base import wire as wire_name

from .helpers import load_fixture

# -- the PATCH body ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_", "body"),
    [
        (ClientInvoiceUpdateRequest(), {}),
        (ClientInvoiceUpdateRequest(status=InvoiceStatus.PAID), {"status": "Paid"}),
        (ClientInvoiceUpdateRequest(status="Open"), {"status": "Open"}),
        (ClientInvoiceUpdateRequest(status=None), {"status": None}),
        (ClientInvoiceUpdateRequest(credit_fee_handling=None), {"creditFeeHandling": None}),
        (
            ClientInvoiceUpdateRequest(credit_fee_handling=FeeHandlingConfig(client_pays=50, member_pays=50)),
            {"creditFeeHandling": {"clientPays": 50, "memberPays": 50}},
        ),
        (
            ClientInvoiceUpdateRequest(
                status=InvoiceStatus.OPEN,
                credit_fee_handling=FeeHandlingConfig(client_absolute_percentage=None, client_pays=12.5),
            ),
            {"status": "Open", "creditFeeHandling": {"clientAbsolutePercentage": None, "clientPays": 12.5}},
        ),
    ],
)
def test_update_request_sends_only_what_was_set(
    request_: ClientInvoiceUpdateRequest, body: dict[str, Any]
) -> None:
    assert request_.to_dict() == body
    assert json.loads(request_.to_json()) == body
    assert ClientInvoiceUpdateRequest.from_dict(body).to_dict() == body


def test_unset_is_falsy_and_the_default() -> None:
    r = ClientInvoiceUpdateRequest()
    assert r.status is UNSET and r.credit_fee_handling is UNSET
    assert not UNSET and repr(UNSET) == "UNSET"
    assert ClientInvoiceUpdateRequest.from_dict({}).status is UNSET


@pytest.mark.parametrize("bad", ["paid", "PAID", "", 3, True, ["Paid"]])
def test_request_status_is_a_closed_enum(bad: Any) -> None:
    with pytest.raises(InvalidRequestError, match="not a valid InvoiceStatus; use one of 'Draft'"):
        ClientInvoiceUpdateRequest(status=bad)


@pytest.mark.parametrize("bad", ["50", True, [50], {"x": 1}])
def test_fee_shares_must_be_numbers(bad: Any) -> None:
    with pytest.raises(
        InvalidRequestError, match=r"FeeHandlingConfig\.client_pays must be a number from 0 to 100"
    ):
        FeeHandlingConfig(client_pays=bad)


@pytest.mark.parametrize(
    "bad",
    [-5, 150, 100.0001, float("nan"), float("inf"), -float("inf"), 10**30, np.float64("nan"), np.int64(150)],
)
def test_fee_shares_are_finite_percentages(bad: Any) -> None:
    with pytest.raises(InvalidRequestError, match=r"FeeHandlingConfig\.member_pays .*0 to 100"):
        FeeHandlingConfig(member_pays=bad)


@pytest.mark.parametrize("good", [0, 25, 50.5, 100, np.float64(50), np.int64(100), np.float32(0.5)])
def test_fee_shares_in_range_are_accepted(good: Any) -> None:
    assert FeeHandlingConfig(client_pays=good).client_pays == good


def test_a_decimal_fee_share_is_a_number_sent_as_a_float() -> None:
    from wingspan_nb.models import fee_share_problem

    fees = FeeHandlingConfig(client_pays=Decimal("37.5"))
    assert fees.client_pays == 37.5 and type(fees.client_pays) is float
    assert fees.to_dict() == {"clientPays": 37.5} and fee_share_problem(Decimal("100")) is None
    for bad, words in [
        (Decimal("NaN"), "finite number"),
        (Decimal("150"), "0 to 100"),
        (Decimal("sNaN"), "a number"),
    ]:
        with pytest.raises(InvalidRequestError, match=words):
            FeeHandlingConfig(client_pays=bad)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_fee_shares_are_refused_when_assigned_on_nested_objects(bad: float) -> None:
    request = ClientInvoiceUpdateRequest(credit_fee_handling=FeeHandlingConfig(client_pays=50))
    with pytest.raises(InvalidRequestError, match=r"FeeHandlingConfig\.client_pays must be a finite number"):
        request.credit_fee_handling.client_pays = bad  # type: ignore[union-attr]
    parsed = FeeHandlingConfig.from_dict({"clientPays": 50})
    with pytest.raises(InvalidRequestError, match=r"FeeHandlingConfig\.member_pays"):
        parsed.member_pays = bad
    assert request.to_dict() == {"creditFeeHandling": {"clientPays": 50}}
    assert parsed.to_dict() == {"clientPays": 50}


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), np.float64("nan")])
def test_no_serialisation_writes_nan_or_infinity_as_null(typical: dict[str, Any], bad: float) -> None:
    invoice = ClientInvoice.from_dict(typical)
    invoice.amount = bad
    with pytest.raises(InvalidRequestError, match=r"ClientInvoice\.amount is .*JSON has no NaN or infinity"):
        invoice.to_json()
    with pytest.raises(InvalidRequestError, match=r"ClientInvoice\.amount"):
        invoice.to_dict()
    invoice = ClientInvoice.from_dict(typical)
    invoice.line_items[1].total_cost = bad
    with pytest.raises(InvalidRequestError, match=r"InvoiceLineItem\.total_cost"):
        invoice.to_json()
    # Behind the validators' back, in unknown properties and in free-form objects: still refused.
    fees = FeeHandlingConfig(client_pays=50)
    object.__setattr__(fees, "client_pays", bad)
    with pytest.raises(InvalidRequestError, match=r"FeeHandlingConfig\.client_pays"):
        ClientInvoiceUpdateRequest(credit_fee_handling=fees).to_json()
    extra = FeeHandlingConfig.from_dict({"clientPays": 1, "future": {"rate": [1.0, bad]}})
    with pytest.raises(InvalidRequestError, match=r"FeeHandlingConfig\.additional_properties\['future'\]"):
        extra.to_json()
    correction = Form1099Correction.from_dict({})
    correction.address = {"lat": bad}
    with pytest.raises(InvalidRequestError, match=r"Form1099Correction\.address\['lat'\]"):
        correction.to_json()


def test_numpy_numbers_are_sent_as_plain_json_numbers(typical: dict[str, Any]) -> None:
    fees = FeeHandlingConfig(client_pays=np.float64(37.5), member_pays=np.int64(62))
    assert type(fees.client_pays) is float and type(fees.member_pays) is int
    body = ClientInvoiceUpdateRequest(credit_fee_handling=fees).to_json()
    assert body == '{"creditFeeHandling":{"clientPays":37.5,"memberPays":62}}'
    fees.client_absolute_percentage = np.float32(10)
    assert type(fees.client_absolute_percentage) is float
    invoice = ClientInvoice.from_dict(typical)
    invoice.amount = np.float64(12.5)
    invoice.line_items[0].total_cost = np.int64(3)
    assert json.loads(invoice.to_json())["amount"] == 12.5
    assert invoice.to_dict()["lineItems"][0]["totalCost"] == 3
    assert type(invoice.to_dict()["lineItems"][0]["totalCost"]) is int


def _labels(value: Any) -> Any:
    return lambda inv: setattr(inv.member_client, "labels", value)


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (_labels({"k": float("nan")}), r"MemberClient\.labels"),
        (_labels({"k": np.float64("nan")}), r"MemberClient\.labels"),
        (_labels({"k": 5}), r"MemberClient\.labels"),
        (_labels({5: "v"}), r"MemberClient\.labels key"),
        (_labels(["k"]), r"MemberClient\.labels must be a dict"),
        (
            lambda inv: setattr(inv, "invoice_number", float("inf")),
            r"ClientInvoice\.invoice_number must be a string",
        ),
        (lambda inv: setattr(inv, "invoice_number", None), r"ClientInvoice\.invoice_number must be a string"),
        (
            lambda inv: setattr(inv, "additional_recipient_emails", [float("nan")]),
            r"additional_recipient_emails\[\]",
        ),
        (lambda inv: setattr(inv, "additional_recipient_emails", "a@b.example"), r"must be a list"),
        (lambda inv: setattr(inv, "status", float("nan")), r"ClientInvoice\.status must be one of 'Draft'"),
        (lambda inv: setattr(inv, "member_accepts_payments", "yes"), r"member_accepts_payments must be True"),
        (
            lambda inv: setattr(inv, "client", {"comment": "x"}),
            r"ClientInvoice\.client must be a ClientOptions",
        ),
        (lambda inv: setattr(inv, "line_items", [{"totalCost": 1}]), r"ClientInvoice\.line_items\[\]"),
        (
            lambda inv: setattr(inv, "additional_properties", {"x": {"y": np.float32("inf")}}),
            r"\['x'\]\['y'\]",
        ),
        (lambda inv: setattr(inv, "additional_properties", {"x": object()}), r"\['x'\] must be JSON data"),
        (lambda inv: setattr(inv, "additional_properties", [1]), r"additional_properties must be a dict"),
    ],
)
def test_serialisation_refuses_a_value_of_the_wrong_type_naming_the_field(
    typical: dict[str, Any], mutate: Any, where: str
) -> None:
    # Nothing goes out as null in place of what was assigned, and no raw TypeError/AttributeError.
    invoice = ClientInvoice.from_dict(typical)
    mutate(invoice)
    with pytest.raises(InvalidRequestError, match=where):
        invoice.to_json()
    with pytest.raises(InvalidRequestError, match=where):
        invoice.to_dict()


def test_a_refused_sensitive_value_is_masked_in_the_message(typical: dict[str, Any]) -> None:
    invoice = ClientInvoice.from_dict(typical)
    assert invoice.bank_transfer_info is not None
    invoice.bank_transfer_info.account_number = 987654321098  # type: ignore[assignment]
    with pytest.raises(InvalidRequestError, match=r"BankAccount\.account_number must be a string") as e:
        invoice.to_json()
    assert "987654321098" not in str(e.value) and "•••• 1098" in str(e.value)
    invoice = ClientInvoice.from_dict(typical)
    invoice.additional_properties = {"wire": {"iban": object()}}
    with pytest.raises(InvalidRequestError, match=r"\['iban'\] must be JSON data .*, got object ••••"):
        invoice.to_json()


def test_wide_integers_are_written_exactly_and_deep_nesting_is_refused_not_raised_raw(
    typical: dict[str, Any],
) -> None:
    invoice = ClientInvoice.from_dict(typical)
    invoice.amount = 10**30
    assert json.loads(invoice.to_json())["amount"] == 10**30  # orjson alone would refuse it
    deep: Any = "leaf"
    for _ in range(100_000):
        deep = {"a": deep}
    invoice = ClientInvoice.from_dict(typical)
    invoice.additional_properties = {"deep": deep}
    with pytest.raises(InvalidRequestError, match="nested too deeply"):
        invoice.to_dict()
    invoice.additional_properties = {"deep": {"a": deep}}
    with pytest.raises(InvalidRequestError, match="ClientInvoice"):
        invoice.to_json()


def test_a_closed_enum_assigned_behind_the_converter_is_refused_when_written() -> None:
    request = ClientInvoiceUpdateRequest()
    object.__setattr__(request, "status", "Bogus")
    with pytest.raises(InvalidRequestError, match=r"ClientInvoiceUpdateRequest\.status must be one of"):
        request.to_json()
    object.__setattr__(request, "status", "Paid")  # a member's value is written as that member
    assert request.to_dict() == {"status": "Paid"}


def test_free_form_values_are_written_as_plain_json(typical: dict[str, Any]) -> None:
    invoice = ClientInvoice.from_dict(typical)
    invoice.additional_properties = {
        "x": {"f": np.float32(1.5), "i": np.int64(3), "b": np.bool_(True), "t": (1, "a")},
        "s": np.str_("text"),
    }
    invoice.member_client.labels = {"k": np.str_("v")}  # type: ignore[union-attr]
    invoice.invoice_number = np.str_("INV-1")  # type: ignore[assignment]
    invoice.member_accepts_payments = np.bool_(False)  # type: ignore[assignment]
    out = invoice.to_dict()
    assert out["x"] == {"f": 1.5, "i": 3, "b": True, "t": [1, "a"]} and out["s"] == "text"
    assert [type(v) for v in out["x"].values()] == [float, int, bool, list]
    assert type(out["s"]) is str and type(out["invoiceNumber"]) is str
    assert out["memberAcceptsPayments"] is False and out["memberClient"]["labels"] == {"k": "v"}
    assert json.loads(invoice.to_json())["x"]["f"] == 1.5


def test_an_unknown_property_named_like_a_field_is_refused(typical: dict[str, Any]) -> None:
    invoice = ClientInvoice.from_dict(typical)
    invoice.additional_properties = {"amount": 5, "other": 1}
    with pytest.raises(InvalidRequestError, match=r"'amount', which is ClientInvoice's own field"):
        invoice.to_dict()
    invoice.additional_properties = {"other": 1}
    assert invoice.to_dict()["amount"] == typical["amount"] and invoice.to_dict()["other"] == 1


@pytest.mark.parametrize(
    "make",
    [
        lambda: ClientInvoiceUpdateRequest.from_dict({"creditFeeHandling": {"clientPays": 500}}),
        lambda: ClientInvoiceUpdateRequest(
            credit_fee_handling=FeeHandlingConfig.from_dict({"memberPays": -3})
        ),
        lambda: ClientInvoiceUpdateRequest.from_dict({"creditFeeHandling": {"clientPays": float("nan")}}),
    ],
)
def test_check_request_refuses_what_parsing_let_through(make: Any) -> None:
    from wingspan_nb.models import check_request

    request = make()  # parsing is tolerant: replies may hold anything the server keeps
    with pytest.raises(InvalidRequestError, match=r"FeeHandlingConfig\.(client|member)_pays"):
        check_request(request)


def test_check_request_refuses_a_status_set_behind_the_converter() -> None:
    from wingspan_nb.models import check_request

    request = ClientInvoiceUpdateRequest()
    object.__setattr__(request, "status", "Bogus")
    with pytest.raises(InvalidRequestError, match="'Bogus' is not a valid InvoiceStatus"):
        check_request(request)
    check_request(ClientInvoiceUpdateRequest(status="Paid", credit_fee_handling={"clientPays": 40}))


def test_update_checks_the_request_before_any_io(client: Any, sandbox: Any) -> None:
    invoice_id = sandbox.ids()[0]
    before = sandbox.invoice(invoice_id)
    request = ClientInvoiceUpdateRequest.from_dict({"creditFeeHandling": {"clientPays": 500}})
    with pytest.raises(InvalidRequestError, match=r"FeeHandlingConfig\.client_pays is a percentage"):
        client.client_invoice.update(id=invoice_id, client_invoice_update_request=request)
    assert sandbox.requests == [] and sandbox.invoice(invoice_id) == before
    assert FeeHandlingConfig.from_dict({"clientPays": 500}).client_pays == 500  # replies stay readable


def test_update_refuses_a_fee_split_that_does_not_add_up_before_any_io(client: Any, sandbox: Any) -> None:
    invoice_id = sandbox.ids()[0]
    before = sandbox.invoice(invoice_id)
    request = ClientInvoiceUpdateRequest(
        credit_fee_handling=FeeHandlingConfig(client_pays=30, member_pays=100)
    )
    with pytest.raises(InvalidRequestError, match=r"split does not add up to 100 %.*= 130 %.*add up to 100"):
        client.client_invoice.update(id=invoice_id, client_invoice_update_request=request)
    assert sandbox.requests == [] and sandbox.invoice(invoice_id) == before


def test_a_fee_split_can_move_one_share_at_a_time() -> None:
    from wingspan_nb.models import check_request, fee_split_problem

    fees = FeeHandlingConfig(client_pays=50, member_pays=50)
    request = ClientInvoiceUpdateRequest(credit_fee_handling=fees)
    fees.client_pays = 30  # half-way (30 + 50) is allowed: the rule is checked before sending
    assert fee_split_problem(fees) is not None
    fees.member_pays = 70
    assert fee_split_problem(fees) is None
    check_request(request)


@pytest.mark.parametrize(
    ("client_pays", "member_pays", "ok"),
    [
        (30, 70, True),
        (0, 100, True),
        (33.3, 66.7, True),
        (30, 100, False),
        (60, 60, False),
        (0, 0, False),
        (30, UNSET, True),
        (None, 100, True),
        (np.float32(70.1), np.float32(29.9), True),  # 99.999998 in float32: what was typed adds up
        (np.float32(33.3), np.float32(66.7), True),
        (Decimal("70.1"), Decimal("29.9"), True),
        (70.0001, 30, False),  # the tolerance is float32's rounding, not a hundredth of a percent
    ],
)
def test_check_request_asks_the_fee_split_rule(client_pays: Any, member_pays: Any, ok: bool) -> None:
    from wingspan_nb.models import check_request, fee_split_problem

    fees = FeeHandlingConfig(client_pays=client_pays, member_pays=member_pays)
    assert (fee_split_problem(fees) is None) == ok
    request = ClientInvoiceUpdateRequest(credit_fee_handling=fees)
    if ok:
        check_request(request)
    else:
        with pytest.raises(InvalidRequestError, match="does not add up to 100"):
            check_request(request)


def test_models_pickle_and_deep_copy_to_equal_objects(typical: dict[str, Any]) -> None:
    import pickle

    typical["futureField"] = {"nested": [1, 2]}
    del typical["invoiceNotes"]
    invoice = ClientInvoice.from_dict(typical)
    request = ClientInvoiceUpdateRequest(status="Paid")
    for obj, wire in ((invoice, typical), (request, {"status": "Paid"})):
        for twin in (copy.deepcopy(obj), pickle.loads(pickle.dumps(obj)), copy.copy(obj)):
            assert twin == obj and twin.to_dict() == wire  # absent keys stay absent
    twin = copy.deepcopy(invoice)
    twin.line_items[0].description = "changed"
    twin.additional_properties["futureField"]["nested"].append(3)
    assert invoice.to_dict() == typical
    plain = ClientInvoiceUpdateRequest()  # the shared empty unknown-properties mapping stays shared
    assert pickle.loads(pickle.dumps(plain)).additional_properties is plain.additional_properties


def test_credit_fee_handling_accepts_a_dict_of_wire_or_attribute_names() -> None:
    request = ClientInvoiceUpdateRequest(credit_fee_handling={"clientPays": 30, "member_pays": 70})
    assert isinstance(request.credit_fee_handling, FeeHandlingConfig)
    assert request.to_dict() == {"creditFeeHandling": {"clientPays": 30, "memberPays": 70}}
    request.credit_fee_handling = {"clientAbsolutePercentage": None}
    assert request.to_dict() == {"creditFeeHandling": {"clientAbsolutePercentage": None}}
    with pytest.raises(InvalidRequestError, match=r"FeeHandlingConfig\.client_pays .*0 to 100"):
        ClientInvoiceUpdateRequest(credit_fee_handling={"clientPays": 10**30})
    with pytest.raises(InvalidRequestError, match=r"credit_fee_handling has no field 'clientPay'; use"):
        ClientInvoiceUpdateRequest(credit_fee_handling={"clientPay": 30})


@pytest.mark.parametrize("bad", ["50/50", 50, ["clientPays"], InvoiceStatus.PAID])
def test_credit_fee_handling_of_another_type_is_refused_when_built(bad: Any) -> None:
    with pytest.raises(InvalidRequestError, match=r"credit_fee_handling must be a FeeHandlingConfig, a dict"):
        ClientInvoiceUpdateRequest(credit_fee_handling=bad)
    request = ClientInvoiceUpdateRequest()
    with pytest.raises(InvalidRequestError, match=r"credit_fee_handling must be a FeeHandlingConfig"):
        request.credit_fee_handling = bad
    assert request.to_dict() == {}


# -- assignment always wins ------------------------------------------------------------------------


def test_a_field_absent_from_the_reply_is_written_once_assigned(typical: dict[str, Any]) -> None:
    doc = copy.deepcopy(typical)
    doc.pop("invoiceNotes", None)
    doc["creditFeeHandling"] = {"clientPays": 50}
    invoice = ClientInvoice.from_dict(doc)
    assert "invoiceNotes" not in invoice.to_dict()
    invoice.invoice_notes = "x"
    assert invoice.to_dict()["invoiceNotes"] == "x"
    fees = invoice.credit_fee_handling
    assert fees is not None
    fees.member_pays = 100
    fees.client_absolute_percentage = None
    sent = ClientInvoiceUpdateRequest(credit_fee_handling=fees).to_dict()
    assert sent == {
        "creditFeeHandling": {"clientPays": 50, "memberPays": 100, "clientAbsolutePercentage": None}
    }


def test_a_request_parsed_from_an_empty_body_sends_what_is_assigned() -> None:
    request = ClientInvoiceUpdateRequest.from_dict({})
    request.status = InvoiceStatus.PAID
    assert request.to_dict() == {"status": "Paid"}
    request.status = None
    assert request.to_dict() == {"status": None}
    request.credit_fee_handling = FeeHandlingConfig(member_pays=10)
    assert request.to_json() == '{"status":null,"creditFeeHandling":{"memberPays":10}}'


def test_seed_names() -> None:
    assert shared.StatusClientInvoiceUpdateRequest is InvoiceStatus
    assert shared.ClientInvoiceUpdateRequest is ClientInvoiceUpdateRequest
    assert InvoiceStatus.PAYMENT_IN_TRANSIT == "PaymentInTransit"
    assert CompanyStructure.NONE.value == "None"  # a real value, distinct from null


# -- round trips -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["small", "typical", "large"])
def test_fixtures_round_trip_exactly(name: str) -> None:
    text = load_fixture(name)
    invoice = ClientInvoice.from_json(text)
    assert invoice.to_dict() == json.loads(text)
    assert json.loads(invoice.to_json()) == json.loads(text)
    assert ClientInvoice.from_dict(invoice.to_dict()) == invoice


def test_snake_case_attributes_and_wire_names(typical: dict[str, Any]) -> None:
    invoice = ClientInvoice.from_dict(typical)
    assert invoice.invoice_number == typical["invoiceNumber"]
    assert invoice.line_items[0].total_cost == typical["lineItems"][0]["totalCost"]
    assert isinstance(invoice.status, InvoiceStatus)
    data = ClientData(verification_stratgy="All").to_dict()
    assert data["verificationStratgy"] == "All"


def test_absent_stays_absent_and_null_stays_null(typical: dict[str, Any]) -> None:
    doc = copy.deepcopy(typical)
    del doc["accountId"]
    doc["sourceId"] = None
    del doc["lineItems"][0]["discount"]
    doc["lineItems"][1]["discount"] = None
    invoice = ClientInvoice.from_dict(doc)
    assert invoice.account_id is None and invoice.source_id is None
    assert invoice.line_items[0].discount is None and invoice.line_items[1].discount is None
    out = invoice.to_dict()
    assert "accountId" not in out and out["sourceId"] is None
    assert "discount" not in out["lineItems"][0] and out["lineItems"][1]["discount"] is None
    assert out == doc


def test_unknown_properties_are_kept_at_every_level(typical: dict[str, Any]) -> None:
    doc = copy.deepcopy(typical)
    doc["brandNewTopLevel"] = {"nested": [1, 2]}
    doc["lineItems"][2]["taxCode"] = "VAT20"
    doc["memberClient"]["client"]["user"]["nickname"] = None
    doc["events"]["teleportedAt"] = "2025-01-01T00:00:00.000Z"
    invoice = ClientInvoice.from_dict(doc)
    assert invoice.additional_properties == {"brandNewTopLevel": {"nested": [1, 2]}}
    assert invoice.line_items[2].additional_properties == {"taxCode": "VAT20"}
    assert invoice.member_client.client.user.additional_properties == {"nickname": None}
    assert invoice.to_dict() == doc


def test_unknown_enum_values_are_kept_with_one_warning_per_value(typical: dict[str, Any]) -> None:
    doc = copy.deepcopy(typical)
    # The one-warning-per-value registry is reset before every test (conftest), so plain values do.
    refunded, coop = "Refunded", "Cooperative"
    doc["status"] = refunded
    doc["memberClient"]["formW9Data"]["companyStructure"] = coop
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = ClientInvoice.from_dict(doc)
        second = ClientInvoice.from_dict(doc)
    assert first.status == refunded and type(first.status) is UnknownEnumValue
    assert isinstance(first.status, str) and not isinstance(first.status, InvoiceStatus)
    assert type(first.to_dict()["status"]) is str  # written back out as the plain string
    kept = pickle.loads(pickle.dumps(first)).status
    assert type(kept) is UnknownEnumValue and kept == refunded
    assert second.member_client.form_w9_data.company_structure == coop
    messages = [str(w.message) for w in caught if issubclass(w.category, UnknownEnumValueWarning)]
    assert len(messages) == 2, messages  # once per new value, not per parse
    assert any(f"{refunded!r}, which is not a known InvoiceStatus" in m for m in messages)
    assert first.to_dict() == doc


def test_resetting_the_warning_registry_warns_again(typical: dict[str, Any]) -> None:
    doc = copy.deepcopy(typical)
    doc["status"] = "Refunded"
    with pytest.warns(UnknownEnumValueWarning):
        ClientInvoice.from_dict(doc)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ClientInvoice.from_dict(doc)  # already warned about: silent
    reset_unknown_enum_warnings()
    with pytest.warns(UnknownEnumValueWarning, match="'Refunded', which is not a known InvoiceStatus"):
        ClientInvoice.from_dict(doc)


# -- strictness ------------------------------------------------------------------------------------


def _break(doc: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    target = doc
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


_DELETE = object()


_BROKEN: Final = [
    (
        ["lineItems", 3, "totalCost"],
        "12.50",
        "$.lineItems[3].totalCost",
        "expected a number, got a string",
    ),
    (["lineItems", 3, "totalCost"], True, "$.lineItems[3].totalCost", "expected a number, got a boolean"),
    (["invoiceNumber"], None, "$.invoiceNumber", "expected a string, got null"),
    (
        ["memberAcceptsPayments"],
        "false",
        "$.memberAcceptsPayments",
        "expected true or false, got a string",
    ),
    (["memberAcceptsPayments"], 0, "$.memberAcceptsPayments", "expected true or false, got a number"),
    (["client"], "oops", "$.client", "expected an object, got a string"),
    (["lineItems"], {"0": {}}, "$.lineItems", "expected an array, got an object"),
    (["additionalRecipientEmails"], ["a@b.c", 2], "$.additionalRecipientEmails[1]", "expected a string"),
    (
        ["memberClient", "labels", "team"],
        7,
        "$.memberClient.labels.team",
        "expected a string, got a number",
    ),
    (["memberClient", "status"], 3, "$.memberClient.status", "expected one of 'Active'"),
    (["status"], None, "$.status", "got null"),
    (["events", "emailViewedAt"], "2024-01-01", "$.events.emailViewedAt", "expected an array"),
    (["lineItems", 0, "createdAt"], _DELETE, "$.lineItems[0].createdAt", "is required but missing"),
    (
        ["memberClient", "form1099Balances", "2021"],
        "x",
        "$.memberClient.form1099Balances['2021']",
        "object",
    ),
    # Nested objects that are read inside their parent's function, and a required one sent null.
    (["memberAddress"], None, "$.memberAddress", "expected an object, got null"),
    (
        ["memberClient", "achCreditAccount", "bankName"],
        7,
        "$.memberClient.achCreditAccount.bankName",
        "expected a string",
    ),
    (
        ["memberClient", "client", "user", "email"],
        [],
        "$.memberClient.client.user.email",
        "expected a string",
    ),
    (["memberClient", "clientData"], [], "$.memberClient.clientData", "expected an object, got an array"),
]
"""Documents with one value that does not fit: ``(path, value, wire path, reason)``."""


@pytest.mark.parametrize(("path", "value", "wire_path", "reason"), _BROKEN)
def test_type_errors_name_the_wire_path(
    typical: dict[str, Any], path: list[Any], value: Any, wire_path: str, reason: str
) -> None:
    doc = _break(typical, path, value)
    with pytest.raises(InvalidDocumentError) as info:
        ClientInvoice.from_dict(doc)
    assert info.value.path == wire_path
    assert reason in info.value.reason
    assert info.value.document is doc  # the analyst keeps the parsed JSON
    assert str(info.value).startswith(f"{wire_path} ")


@pytest.mark.parametrize(("path", "value", "wire_path", "reason"), _BROKEN)
def test_from_json_refuses_what_from_dict_refuses_with_the_same_error(
    typical: dict[str, Any], path: list[Any], value: Any, wire_path: str, reason: str
) -> None:
    # from_json keeps the containers of the document it decoded instead of copying them: the
    # checks, and the error naming the wire path, are the same.
    with pytest.raises(InvalidDocumentError) as info:
        ClientInvoice.from_json(json.dumps(_break(typical, path, value)))
    assert (info.value.path, info.value.reason) == (wire_path, _reason_of(typical, path, value))
    assert reason in info.value.reason


def _reason_of(typical: dict[str, Any], path: list[Any], value: Any) -> str:
    with pytest.raises(InvalidDocumentError) as info:
        ClientInvoice.from_dict(_break(typical, path, value))
    return info.value.reason


def test_from_json_and_from_dict_read_the_same_values_and_drift(typical: dict[str, Any]) -> None:
    doc = copy.deepcopy(typical)
    doc["memberClient"]["achCreditAccount"]["branch"] = {"code": [1, 2]}  # unknown, two objects down
    doc["memberClient"]["client"]["profile"]["nickname"] = "Z"  # three down
    doc["memberClient"]["clientData"]["autoPayStrategy"] = "Sometimes"  # an unknown enum value
    doc["memberClient"]["internal"] = None  # an optional object sent null
    del doc["memberClient"]["events"]  # and one left out
    with pytest.warns(UnknownEnumValueWarning, match="'Sometimes'"):
        parsed = ClientInvoice.from_json(json.dumps(doc))
    built = ClientInvoice.from_dict(doc)
    assert parsed == built and parsed.to_dict() == built.to_dict() == doc
    assert parsed.member_client.ach_credit_account.additional_properties == {"branch": {"code": [1, 2]}}
    assert parsed.member_client.client.profile.additional_properties == {"nickname": "Z"}
    assert type(parsed.member_client.client_data.auto_pay_strategy) is UnknownEnumValue
    assert parsed.member_client.internal is None and parsed.member_client.events is None
    assert "events" not in parsed.to_dict()["memberClient"]


def test_from_dict_never_shares_a_container_with_the_document(typical: dict[str, Any]) -> None:
    doc = copy.deepcopy(typical)
    invoice = ClientInvoice.from_dict(doc)
    before = copy.deepcopy(invoice.to_dict())

    def scramble(value: Any) -> None:  # change every list and dict of the document in place
        if isinstance(value, dict):
            for item in list(value.values()):
                scramble(item)
            value["scrambled"] = True
        elif isinstance(value, list):
            for item in value:
                scramble(item)
            value.append("scrambled")

    scramble(doc)
    assert invoice.to_dict() == before


@define(kw_only=True, repr=False, eq=False)
class _Thread(WireModel):
    """A model that holds itself: its reading function cannot write its nested objects in place forever."""

    text: str = field(metadata=wire_name("text"))
    reply: _Thread | None = field(default=None, metadata=wire_name("reply"))


def test_a_model_that_holds_itself_is_read_at_any_depth() -> None:
    doc: dict[str, Any] = {"text": "0"}
    for n in range(1, 8):
        doc = {"text": str(n), "reply": doc, **({"seen": n} if n % 3 == 0 else {})}
    thread = _Thread.from_json(json.dumps(doc))
    assert thread.to_dict() == doc == _Thread.from_dict(doc).to_dict()
    for _ in range(7):
        assert thread.reply is not None
        thread = thread.reply
    assert thread.text == "0" and thread.reply is None
    doc["reply"]["reply"]["reply"]["reply"]["reply"]["text"] = 5
    with pytest.raises(
        InvalidDocumentError, match=r"^\$\.reply\.reply\.reply\.reply\.reply\.text expected a string"
    ):
        _Thread.from_json(json.dumps(doc))


def test_not_a_document() -> None:
    with pytest.raises(InvalidDocumentError, match=r"^\$ expected an object, got an array"):
        ClientInvoice.from_dict([])  # type: ignore[arg-type]
    with pytest.raises(InvalidDocumentError, match="is not valid JSON"):
        ClientInvoice.from_json('{"invoiceId": ')


def test_required_only_where_both_specs_require() -> None:
    # Required in 2023, optional in 2024: optional here.
    w9 = MemberClientFormW9Info()  # no argument is required
    assert w9.address_line1 is None and w9.to_dict()["addressLine1"] is None
    assert MemberClientFormW9Info.from_dict({}).to_dict() == {}
    # labelsBak2 became required in 2024 only.
    item = InvoiceLineItem.from_dict(
        {
            "costPerUnit": 1,
            "createdAt": "t",
            "labels": {},
            "quantity": 1,
            "reimbursableExpense": False,
            "totalCost": 1,
            "unit": "h",
            "updatedAt": "t",
        }
    )
    assert item.labels_bak2 is None


def test_the_converter_is_the_same_code_path(typical: dict[str, Any]) -> None:
    invoice = converter.structure(typical, ClientInvoice)
    assert converter.unstructure(invoice) == typical
    with pytest.raises(InvalidDocumentError):
        converter.structure(_break(typical, ["amount"], "1"), ClientInvoice)
    with pytest.raises(InvalidDocumentError):
        converter.structure("false", bool)
    with pytest.raises(InvalidDocumentError):
        converter.structure(None, str)
    assert converter.structure(1.5, float) == 1.5


# -- the converter code, generated at run time ------------------------------------------------------


def test_models_defined_elsewhere_are_generated_at_run_time() -> None:
    from attrs import define, field

    from wingspan_nb.models import WireModel
    from wingspan_nb.models._base import wire

    @define(kw_only=True, repr=False, eq=False)
    class Note(WireModel):
        text: str = field(metadata=wire("text"))
        pinned: bool | None = field(default=None, metadata=wire("isPinned"))

    note = Note.from_dict({"text": "hi", "extra": 1})
    assert note.text == "hi" and note.pinned is None and note.to_dict() == {"text": "hi", "extra": 1}
    with pytest.raises(InvalidDocumentError, match=r"\$\.isPinned expected true or false"):
        Note.from_dict({"text": "hi", "isPinned": "yes"})


def test_generated_source_shows_in_tracebacks(typical: dict[str, Any]) -> None:
    import linecache
    import traceback

    invoice = ClientInvoice.from_dict(typical)
    invoice.line_items = None  # type: ignore[assignment]
    try:
        invoice.to_dict()
    except InvalidRequestError as e:
        frames = traceback.extract_tb(e.__traceback__)
    else:  # pragma: no cover
        raise AssertionError("a None list was written")
    generated = [f for f in frames if f.filename == "<wingspan_nb generated unstructure_ClientInvoice>"]
    assert generated and "line_items" in (generated[-1].line or "")
    assert linecache.getline(generated[-1].filename, 1).startswith("def unstructure_ClientInvoice(o):")


def test_wire_value_is_the_one_enum_and_model_to_wire_form() -> None:
    from wingspan_nb.models import wire_value

    assert wire_value(InvoiceStatus.PAYMENT_IN_TRANSIT) == "PaymentInTransit"
    assert type(wire_value(InvoiceStatus.PAID)) is str
    kept = wire_value(UnknownEnumValue("Refunded"))  # a value a reply did not know
    assert kept == "Refunded" and type(kept) is str
    assert wire_value(FeeHandlingConfig(client_pays=30, member_pays=70)) == {
        "clientPays": 30,
        "memberPays": 70,
    }
    assert wire_value(UNSET) is UNSET and wire_value(None) is None and wire_value(2.5) == 2.5


def test_from_json_pauses_the_cyclic_gc_while_it_decodes_and_parses(
    typical: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from wingspan_nb.models import _base

    seen: list[bool] = []
    decode = _base.orjson.loads

    def watched(text: str | bytes) -> Any:
        seen.append(gc.isenabled())
        return decode(text)

    monkeypatch.setattr(_base.orjson, "loads", watched)
    assert gc.isenabled()
    ClientInvoice.from_json(json.dumps(typical))
    assert seen == [False] and gc.isenabled()
