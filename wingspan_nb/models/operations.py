"""The seed document's ``operations`` module: what the ``client_invoice`` methods return."""

from __future__ import annotations

from typing import TYPE_CHECKING

import requests
from attrs import define, field

from .._displayable import Displayable
from .invoice import ClientInvoice, InvoiceFeeCalculation

if TYPE_CHECKING:
    from .._invoices import InvoiceList, ListSource

__all__ = [
    "GetClientInvoiceFeesResponse",
    "GetClientInvoiceResponse",
    "InvoiceResponse",
    "ListClientInvoicesResponse",
    "Reply",
    "UpdateClientInvoiceResponse",
]


@define(kw_only=True)
class Reply(Displayable):
    """What every call returns besides its payload: the HTTP reply the payload came in."""

    content_type: str
    """The reply's ``Content-Type``."""
    status_code: int
    """The HTTP status (200: errors raise instead of returning)."""
    raw_response: requests.Response = field(repr=False)
    """The :class:`requests.Response`, for headers and timing."""


@define(kw_only=True, repr=False)
class InvoiceResponse(Reply):
    """What every call on one invoice returns: the invoice and the HTTP reply it came in."""

    client_invoice: ClientInvoice
    """The invoice: a reply without one raises, so it is never ``None`` (the seed's
    ``if res.client_invoice is not None:`` still runs, and is always true)."""

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, client_invoice={self.client_invoice!r})"
        )

    _repr_pretty_ = Displayable._pretty_summary


@define(kw_only=True, repr=False)
class GetClientInvoiceResponse(InvoiceResponse):
    """The result of ``client_invoice.get(id=...)``."""


@define(kw_only=True, repr=False)
class UpdateClientInvoiceResponse(InvoiceResponse):
    """The result of ``client_invoice.update(id=..., client_invoice_update_request=...)``."""


@define(kw_only=True, repr=False)
class ListClientInvoicesResponse(Reply):
    """The result of ``client_invoice.list()``: every client invoice of the account. ``raw_response``
    is the first page's reply; its body is released once decoded (``client_invoices`` holds it)."""

    client_invoices: InvoiceList
    """The invoices in server order; items that do not fit the models are in ``.failures``."""

    @property
    def source(self) -> ListSource | None:
        """Where the invoices came from: the server, or a snapshot and how old it was
        (``list(snapshot=..., max_age=...)``); the list's own :attr:`~InvoiceList.source`."""
        return self.client_invoices.source

    def __repr__(self) -> str:
        return f"ListClientInvoicesResponse(status_code={self.status_code}, client_invoices={self.client_invoices!r})"


@define(kw_only=True, repr=False)
class GetClientInvoiceFeesResponse(Reply):
    """The result of ``client_invoice.fees(id=...)``."""

    invoice_fee_calculation: InvoiceFeeCalculation
    """The fee calculation (``credit_fee_total``): a reply without one raises, so it is never ``None``."""
    invoice_id: str = ""
    """The invoice the fees are for."""
    currency: str | None = None
    """The invoice's currency, which the fee amounts are in (the fees reply names none: ``fees()``
    reads it from the invoice); ``None`` when it could not be read."""

    def __repr__(self) -> str:
        return (
            f"GetClientInvoiceFeesResponse(status_code={self.status_code}, "
            f"invoice_fee_calculation={self.invoice_fee_calculation!r})"
        )
