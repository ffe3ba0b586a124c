"""The ``client_invoice`` resource: ``GET`` and ``PATCH /payments/client/invoice/{id}``."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, Literal, overload
from urllib.parse import quote

import orjson
import requests

from . import errors
from .models.invoice import ClientInvoice, ClientInvoiceUpdateRequest
from .models.operations import GetClientInvoiceResponse, UpdateClientInvoiceResponse

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .batch import BatchResult
    from .bulk import BulkPlan, BulkResult
    from .transport import Timeout, Transport
    from .widgets import InvoiceEditor

__all__ = ["ClientInvoiceResource", "EmptyUpdateWarning", "invoice_path"]


class EmptyUpdateWarning(UserWarning):
    """An update request with no field set: it changes nothing on the server."""


def invoice_path(id: str) -> str:
    """The URL path of an invoice, with ``id`` percent-encoded as one path segment.

    Raises :class:`~wingspan_nb.errors.InvalidIdError` for ids that can never be valid (empty, ``.``,
    ``..``, stray white space, characters that cannot be encoded in a URL such as a lone surrogate).
    """
    if not isinstance(id, str):
        shown = errors.short_id(repr(id))
        raise errors.InvalidIdError(f"An invoice id is a string, got {type(id).__name__} {shown}.")
    if not id.strip():
        raise errors.InvalidIdError("The invoice id is empty; pass the invoice's invoiceId.")
    if id in (".", ".."):
        raise errors.InvalidIdError(f"{id!r} is not an invoice id; pass the invoice's invoiceId.")
    if id != id.strip():
        raise errors.InvalidIdError(
            f"The invoice id {errors.short_id(id)!r} has leading or trailing white space; did you "
            f"mean {errors.short_id(id.strip())!r}?"
        )
    try:
        encoded = id.encode("utf-8")
    except UnicodeEncodeError as e:
        bad = f"U+{ord(id[e.start]):04X}"
        raise errors.InvalidIdError(
            f"The invoice id {errors.short_id(ascii(id))} holds {bad} at position {e.start}, which "
            "cannot be sent in a URL (a lone surrogate, from broken text); pass the invoice's invoiceId."
        ) from None
    return "/payments/client/invoice/" + quote(encoded, safe="")


def _parse_invoice(response: requests.Response) -> ClientInvoice:
    content_type = response.headers.get("Content-Type", "")
    media = content_type.split(";")[0].strip().lower()
    if not (media == "application/json" or media.endswith("+json")):
        raise errors.UnexpectedResponseError(
            f"{response.request.method} {errors.short_id(response.request.path_url or '')} → "
            f"{response.status_code} with "
            f"Content-Type {content_type or '(none)'!r} instead of JSON. "
            "Check the server URL: it may point at a web page or a proxy, not the API.",
            raw_response=response,
        )
    # The transport has read the whole body (a reply cut off never gets here), so a body that does
    # not parse is the server's problem: retrying would get the same. Errors are raised outside the
    # except blocks so that they carry no __context__.
    try:
        data, problem = orjson.loads(response.content), None
    except orjson.JSONDecodeError as e:
        data, problem = None, str(e)
    if problem is not None:
        raise errors.UnexpectedResponseError(
            f"{response.request.method} {errors.short_id(response.request.path_url or '')} → "
            f"{response.status_code}, but the complete body is not valid JSON ({problem}). This is a "
            "problem of the server (or a proxy in between); the raw reply is on .raw_response.",
            raw_response=response,
        )
    try:
        return ClientInvoice.from_dict(data)
    except errors.InvalidDocumentError as e:
        unfit = e
    raise errors.ResponseValidationError(unfit, raw_response=response)


class ClientInvoiceResource:
    """Client invoices. Reached as ``Wingspan(...).client_invoice``."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def __repr__(self) -> str:
        return f"<ClientInvoiceResource {self._transport.base_url}>"

    def get(self, id: str, *, timeout: Timeout | None = None) -> GetClientInvoiceResponse:
        """Get a client invoice by its id (``GET /payments/client/invoice/{id}``).

        Raises a :class:`~wingspan_nb.errors.WingspanError` subclass on any failure (404 →
        :class:`~wingspan_nb.errors.NotFoundError`, ...); ``timeout`` overrides the client's.
        """
        response = self._transport.request("GET", invoice_path(id), timeout=timeout)
        return GetClientInvoiceResponse(
            content_type=response.headers.get("Content-Type", ""),
            status_code=response.status_code,
            raw_response=response,
            client_invoice=_parse_invoice(response),
        )

    def get_many(self, ids: Iterable[str], *, max_workers: int = 8, progress: bool = True) -> BatchResult:
        """Get many invoices concurrently over the client's connection pool.

        Results come in the order of ``ids``; an id that fails (an invalid id, 404, a reply that does
        not fit, connection trouble) is collected in ``result.failures`` instead of stopping the batch. A 429
        slows every worker down. ``progress`` shows a bar (notebook or terminal). Interrupting the
        cell stops the batch and returns what was read, with ``result.interrupted`` set.
        """
        from .batch import fetch_many

        def one(i: str) -> ClientInvoice:
            invoice = self.get(id=i).client_invoice
            assert invoice is not None  # a reply without an invoice raises
            return invoice

        return fetch_many(one, ids, max_workers=max_workers, progress=progress)

    @overload
    def update_many(
        self,
        targets: Any,
        request: ClientInvoiceUpdateRequest | None = ...,
        *,
        dry_run: Literal[True] = ...,
        max_workers: int = ...,
        progress: bool = ...,
    ) -> BulkPlan: ...
    @overload
    def update_many(
        self,
        targets: Any,
        request: ClientInvoiceUpdateRequest | None = ...,
        *,
        dry_run: Literal[False],
        max_workers: int = ...,
        progress: bool = ...,
    ) -> BulkResult: ...
    @overload
    def update_many(
        self,
        targets: Any,
        request: ClientInvoiceUpdateRequest | None = ...,
        *,
        dry_run: bool,
        max_workers: int = ...,
        progress: bool = ...,
    ) -> BulkPlan | BulkResult: ...
    def update_many(
        self,
        targets: Any,
        request: ClientInvoiceUpdateRequest | None = None,
        *,
        dry_run: bool = True,
        max_workers: int = 8,
        progress: bool = True,
    ) -> BulkPlan | BulkResult:
        """Change many invoices at once, safely: a dry run first.

        ``targets`` is a list of ids (or a DataFrame from ``to_dataframe``) with one ``request`` for all
        of them, or a mapping ``{id: request}``. The dry run (the default) reads every invoice and
        returns a :class:`~wingspan_nb.bulk.BulkPlan` of what would change; nothing is sent. Apply it
        with ``plan.apply()`` (or pass ``dry_run=False``): one PATCH per invoice that would change,
        each skipped if the invoice changed on the server since the plan read it.
        """
        from .bulk import plan_updates

        plan = plan_updates(self, targets, request, max_workers=max_workers, progress=progress)
        return plan if dry_run else plan.apply(max_workers=max_workers, progress=progress)

    def edit(self, id: str) -> InvoiceEditor:
        """Get the invoice and return an inline edit form for it (see :class:`~wingspan_nb.widgets.InvoiceEditor`)."""
        from .widgets import InvoiceEditor

        invoice = self.get(id=id).client_invoice
        assert invoice is not None
        return InvoiceEditor(self, invoice)

    def update(
        self,
        id: str,
        client_invoice_update_request: ClientInvoiceUpdateRequest | None = None,
        *,
        timeout: Timeout | None = None,
    ) -> UpdateClientInvoiceResponse:
        """Change a client invoice (``PATCH /payments/client/invoice/{id}``); returns the updated invoice.

        Only the fields set on the request are sent (``None`` sends ``null``). A request with no field
        set sends ``{}``, which changes nothing, and warns with :class:`EmptyUpdateWarning`.
        """
        path = invoice_path(id)
        request = (
            ClientInvoiceUpdateRequest()
            if client_invoice_update_request is None
            else client_invoice_update_request
        )
        if not isinstance(request, ClientInvoiceUpdateRequest):
            raise errors.InvalidRequestError(
                "client_invoice_update_request must be a ClientInvoiceUpdateRequest, got "
                f"{type(request).__name__}; build one with shared.ClientInvoiceUpdateRequest(status=...)."
            )
        body = request.to_dict()
        if not body:
            warnings.warn(
                "The update request sets no field, so nothing will change; set status= or "
                "credit_fee_handling= on the ClientInvoiceUpdateRequest.",
                EmptyUpdateWarning,
                stacklevel=2,
            )
        response = self._transport.request("PATCH", path, body=orjson.dumps(body), timeout=timeout)
        return UpdateClientInvoiceResponse(
            content_type=response.headers.get("Content-Type", ""),
            status_code=response.status_code,
            raw_response=response,
            client_invoice=_parse_invoice(response),
        )
