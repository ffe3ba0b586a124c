"""What a type checker sees of the public API: checked by mypy --strict and pyright (strict), never run.

tests/test_typing.py runs both over this file. Each ``assert_type`` is a promise; each line that must
be refused carries one ignore comment per checker, and both checkers report an ignore that is not
needed (mypy: ``warn_unused_ignores``; pyright: ``reportUnnecessaryTypeIgnoreComment``, with
``# type: ignore`` comments left to mypy), so a line that stopped being refused fails the test.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd
from typing_extensions import assert_type

import wingspan_nb
from wingspan_nb import BulkResult, Failure, InvoiceList
from wingspan_nb.errors import WingspanError
from wingspan_nb.models import (
    UNSET,
    ClientInvoice,
    ClientInvoiceUpdateRequest,
    Currency,
    FeeHandlingConfig,
    InvoiceFeeCalculation,
    InvoiceStatus,
    PayoutPendingReason,
    UnknownEnumValue,
    Unset,
)


def requests_take_the_enum_or_its_wire_values() -> None:
    ClientInvoiceUpdateRequest(status="Paid")
    ClientInvoiceUpdateRequest(status=InvoiceStatus.PAID)
    ClientInvoiceUpdateRequest(status=None)
    ClientInvoiceUpdateRequest(status=UNSET)
    ClientInvoiceUpdateRequest(status="paid")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    ClientInvoiceUpdateRequest(status=3)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def requests_read_as_what_they_hold() -> None:
    request = ClientInvoiceUpdateRequest(status="Open")
    assert_type(request.status, InvoiceStatus | Unset | None)
    assert_type(request.credit_fee_handling, FeeHandlingConfig | Unset | None)


def fee_shares_are_numbers_and_nested_requests_models_or_dicts() -> None:
    FeeHandlingConfig(client_pays=50, member_pays=50.0, client_absolute_percentage=Decimal("1.5"))
    FeeHandlingConfig(client_pays=None, member_pays=UNSET)
    FeeHandlingConfig(client_pays="50")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    ClientInvoiceUpdateRequest(credit_fee_handling=FeeHandlingConfig(client_pays=30))
    ClientInvoiceUpdateRequest(credit_fee_handling={"clientPays": 30, "memberPays": 70})
    ClientInvoiceUpdateRequest(credit_fee_handling="30/70")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def reply_enums_read_as_the_enum(invoice: ClientInvoice) -> None:
    assert_type(invoice.status, InvoiceStatus | UnknownEnumValue)
    assert_type(invoice.currency, Currency | UnknownEnumValue)
    if invoice.metadata is not None:
        assert_type(invoice.metadata.payout_pending_reason, PayoutPendingReason | UnknownEnumValue | None)
    if isinstance(invoice.status, InvoiceStatus):
        assert_type(invoice.status, InvoiceStatus)
    assert_type(invoice.amount, float)


def a_replys_payload_is_not_optional(s: wingspan_nb.Wingspan) -> None:
    res = s.client_invoice.get(id="inv_1")
    assert_type(res.client_invoice, ClientInvoice)
    assert_type(res.client_invoice.amount, float)
    updated = s.client_invoice.update(id="inv_1", client_invoice_update_request=ClientInvoiceUpdateRequest())
    assert_type(updated.client_invoice, ClientInvoice)
    fees = s.client_invoice.fees(id="inv_1")
    assert_type(fees.invoice_fee_calculation, InvoiceFeeCalculation)
    assert_type(fees.invoice_fee_calculation.credit_fee_total, float)


def parsing_returns_the_model(text: str) -> None:
    assert_type(ClientInvoice.from_json(text), ClientInvoice)
    assert_type(ClientInvoice.from_dict({}).to_dict(), dict[str, Any])


def dataframes_are_pandas_dataframes(invoices: list[ClientInvoice]) -> None:
    assert_type(wingspan_nb.to_dataframe(invoices), pd.DataFrame)
    assert_type(wingspan_nb.to_dataframe(invoices, level="line_items"), pd.DataFrame)
    wingspan_nb.to_dataframe(invoices, level="lines")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def many_invoice_calls_agree(s: wingspan_nb.Wingspan) -> None:
    account = s.client_invoice.list(timeout=5).client_invoices
    batch = s.client_invoice.get_many(account, timeout=(5, 30))
    assert_type(batch.client_invoices, InvoiceList)
    assert_type(batch.failures[0], Failure)
    assert_type(batch.failures[0].error, WingspanError)
    plan = s.client_invoice.update_many(account, ClientInvoiceUpdateRequest(status="Open"), timeout=5)
    assert_type(plan.failures[0].position, int)
    result = plan.apply(timeout=5)
    assert_type(result.failures[0].id, str)
    assert_type(result.undo(timeout=5), BulkResult)
    s.client_invoice.get_many(["inv_1"], timeout="5")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def today_takes_a_date_a_datetime_or_an_iso_date_everywhere(account: InvoiceList) -> None:
    from datetime import date, datetime

    for today in (date(2026, 12, 7), datetime(2026, 12, 7, 9), "2026-12-07", None):
        account.to_dataframe(today=today)
        account.to_polars(today=today)
        account.to_excel("invoices.xlsx", today=today)
        account.to_parquet("invoices.parquet", today=today)
        account.summary(today=today)
        account.past_due(today=today)
        account.where(past_due=True, today=today)
    account.to_dataframe(today=20261207)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
