"""The seed document's ``operations`` module: what ``client_invoice.get`` and ``.update`` return."""

from __future__ import annotations

from typing import Any

import requests
from attrs import define, field

from .invoice import ClientInvoice

__all__ = ["GetClientInvoiceResponse", "InvoiceResponse", "UpdateClientInvoiceResponse"]


@define(kw_only=True)
class InvoiceResponse:
    """What every invoice call returns: the invoice and the HTTP reply it came in."""

    content_type: str
    """The reply's ``Content-Type``."""
    status_code: int
    """The HTTP status (200: errors raise instead of returning)."""
    raw_response: requests.Response = field(repr=False)
    """The :class:`requests.Response`, for headers and timing."""
    client_invoice: ClientInvoice | None = None
    """The invoice. Never ``None`` in practice: a reply without one raises. Typed ``Optional`` for the
    seed's ``if res.client_invoice is not None:`` idiom."""

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, client_invoice={self.client_invoice!r})"
        )

    def _repr_html_(self) -> str | None:
        from ..display import repr_html

        return repr_html(self)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        from ..display import repr_pretty

        repr_pretty(self, p, cycle)


_InvoiceResponse = InvoiceResponse  # the former private name, until every import site uses the public one


@define(kw_only=True, repr=False)
class GetClientInvoiceResponse(InvoiceResponse):
    """The result of ``client_invoice.get(id=...)``."""


@define(kw_only=True, repr=False)
class UpdateClientInvoiceResponse(InvoiceResponse):
    """The result of ``client_invoice.update(id=..., client_invoice_update_request=...)``."""
