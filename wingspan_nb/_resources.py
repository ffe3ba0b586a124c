"""The ``client_invoice`` resource: ``GET`` and ``PATCH /payments/client/invoice/{id}``, the list of
every invoice (``GET /payments/client/invoice``) and an invoice's fees (``.../{id}/fees``)."""

from __future__ import annotations

import json
import re
import string
import warnings
from typing import TYPE_CHECKING, Any, Literal, overload
from urllib.parse import quote, urljoin

import requests
from urllib3.util import Url, parse_url

from . import _clock, _wire_json, errors
from ._displayable import in_notebook
from ._invoices import InvoiceList, concat, parse_invoice_array
from ._progress import Bar
from ._transport import checked_timeout
from .models import check_request, wire_value
from .models.invoice import ClientInvoice, ClientInvoiceUpdateRequest, InvoiceFeeCalculation
from .models.operations import (
    GetClientInvoiceFeesResponse,
    GetClientInvoiceResponse,
    InvoiceResponse,
    ListClientInvoicesResponse,
    UpdateClientInvoiceResponse,
)

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable
    from datetime import date, datetime, timedelta

    import pandas as pd

    from ._batch import BatchResult
    from ._bulk import BulkPlan, BulkResult
    from ._transport import Timeout, Transport
    from .widgets import Explorer, InvoiceEditor

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


LIST_PATH = "/payments/client/invoice"
MAX_PAGES = 10_000
"""The most pages ``list()`` reads: a server still naming a next page after that is not paging a real
account (10,000 pages of one invoice each), and the list raises rather than read forever."""


def _exchange(response: requests.Response) -> str:
    """The request and its reply's status, as messages name them: ``GET /payments/client/invoice → 200``."""
    return f"{response.request.method} {errors.short_id(response.request.path_url or '')} → {response.status_code}"


def _require_json(response: requests.Response) -> None:
    """Raise unless the reply says its body is JSON."""
    content_type = response.headers.get("Content-Type", "")
    media = content_type.split(";")[0].strip().lower()
    if not (media == "application/json" or media.endswith("+json")):
        raise errors.UnexpectedResponseError(
            f"{_exchange(response)} with "
            f"Content-Type {content_type or '(none)'!r} instead of JSON. "
            "Check the server URL: it may point at a web page or a proxy, not the API.",
            raw_response=response,
        )


def _not_json(response: requests.Response, problem: str) -> errors.UnexpectedResponseError:
    """The error for a complete reply whose body does not parse. The transport has read the whole
    body (a reply cut off never gets here), so this is the server's problem: retrying would get the
    same."""
    return errors.UnexpectedResponseError(
        f"{_exchange(response)}, but the complete body is not valid JSON ({problem}). This is a "
        "problem of the server (or a proxy in between); the raw reply is on .raw_response.",
        raw_response=response,
    )


def _reply_json(response: requests.Response) -> Any:
    _require_json(response)
    # Errors are raised outside the except blocks, so that they carry no __context__.
    try:
        data, problem = _wire_json.loads(response.content), None
    except json.JSONDecodeError as e:
        data, problem = None, str(e)
    if problem is not None:
        raise _not_json(response, problem)
    return data


def _parse_invoice(response: requests.Response, asked: str) -> ClientInvoice:
    """The invoice of a ``get`` or ``update`` reply, which must be the invoice ``asked`` for."""
    try:
        invoice = ClientInvoice.from_dict(_reply_json(response))
    except errors.InvalidDocumentError as e:
        unfit = e
    else:
        if invoice.invoice_id == asked:
            return invoice
        raise _another_invoice(response, asked, invoice.invoice_id)
    raise errors.ResponseValidationError(unfit, raw_response=response)


def _another_invoice(response: requests.Response, asked: str, got: str) -> errors.UnexpectedResponseError:
    """The error for a success that carries another invoice than the one asked for (a proxy's or
    cache's mix-up, a server bug). Its invoice is never used: a form would move onto it, and an undo
    would write the asked invoice's values onto it. After a PATCH the error's ``outcome_unknown`` is
    set (SDKError does it for a 2xx to a change): the change may have landed on the asked invoice."""
    if response.request.method in errors.SAFE_METHODS:
        advice = "Try again; if it happens again, the server (or a proxy or cache in between) is at fault."
    else:
        advice = f"The change may still have been applied to {errors.short_id(asked)}."
    return errors.UnexpectedResponseError(
        f"{_exchange(response)}, but the reply is invoice {errors.short_id(got)}, not "
        f"{errors.short_id(asked)} as asked, so it was not used. {advice} "
        "The raw reply is on .raw_response.",
        raw_response=response,
    )


def _parse_invoice_array(response: requests.Response, *, progress: bool | None) -> InvoiceList:
    """The invoices of a list reply. The body's bytes are released once parsed (an error keeps them):
    the invoices hold it, and 130 MB of bytes kept next to them would outlive their use."""
    _require_json(response)
    unfit: errors.InvalidDocumentError | None = None
    problem: str | None = None
    try:
        invoices = parse_invoice_array(response.content, progress=progress)
    except errors.InvalidDocumentError as e:
        unfit = e
    except json.JSONDecodeError as e:
        problem = str(e)
    # Raised outside the except blocks, so that the errors carry no __context__.
    if unfit is not None:
        raise errors.ResponseValidationError(unfit, raw_response=response)
    if problem is not None:
        raise _not_json(response, problem)
    response._content = b""
    return invoices


def _invoice_of(reply: InvoiceResponse) -> ClientInvoice:
    """The invoice a reply carries. The package's ``get`` and ``update`` never return a reply without
    one (they raise), but a reply built by hand or by a stand-in resource can hold ``None`` at run time
    despite its type, and that must be a clear error, not an ``AttributeError`` later."""
    if reply.client_invoice is None:
        raise errors.UnexpectedResponseError(
            f"{_exchange(reply.raw_response)} returned no invoice; the raw reply is on .raw_response.",
            raw_response=reply.raw_response,
        )
    return reply.client_invoice


_DEFAULT_PORTS = {"http": 80, "https": 443}
_ESCAPED = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_SEPARATOR_LIKE = re.compile(r"%2F|%5C|\\")
"""An encoded ``/`` or a backslash, raw or encoded: servers that decode them, or read ``\\`` as ``/``
(as browsers do), see a path separator there."""


def _sent(url: str) -> Url | None:
    """``url`` as requests sends it (tabs and newlines dropped by ``urljoin`` beforehand, the host in
    IDNA, the path's dot segments removed, characters outside URLs percent-encoded), parsed; ``None``
    when requests would refuse it."""
    prepared = requests.PreparedRequest()
    try:
        prepared.prepare_url(url, None)
        return parse_url(prepared.url or "")
    except (requests.RequestException, ValueError):
        return None


def _normal(text: str) -> str:
    """A path or query with each escape of an unreserved character decoded (``%7E`` is ``~``, and
    ``%2E`` a ``.`` that the server may read as a dot segment) and every other escape upper-cased."""

    def one(match: re.Match[str]) -> str:
        char = chr(int(match[1], 16))
        return char if char in _UNRESERVED else "%" + match[1].upper()

    return _ESCAPED.sub(one, text)


def _without_dots(path: str) -> str:
    """``path`` with its ``.`` and ``..`` segments resolved (RFC 3986, 5.2.4)."""
    out: list[str] = []
    segments = path.split("/")
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == "..":
            if len(out) > 1:
                out.pop()
        elif segment != ".":
            out.append(segment)
            continue
        if last:
            out.append("")
    return "/".join(out)


def _where(url: Url) -> tuple[tuple[str, str | None, str, int | None], str, str]:
    """The origin (scheme, user info, host, port, all as compared), normal path and query of ``url``."""
    scheme = (url.scheme or "").lower()
    port = url.port if url.port is not None else _DEFAULT_PORTS.get(scheme)
    origin = (scheme, url.auth, (url.host or "").lower(), port)
    return origin, _without_dots(_normal(url.path or "/")), _normal(url.query or "")


def _page_under(base_url: str, url: str) -> str | None:
    """The path to ask the transport for (after the base URL) to get ``url``, or ``None`` when
    ``url`` is not under ``base_url``: another scheme, host, port or user, or a path that leaves the
    base path however it is spelled (``..``, ``%2E%2E``, a tab between the dots, an encoded ``/``)
    once requests has prepared it. Both URLs are compared as they would be sent, so the same URL
    spelled otherwise (``HTTP://``, an upper-case host, ``:80``, ``%7E`` for ``~``) is under it."""
    base, link = _sent(base_url.rstrip("/") + "/"), _sent(url)
    if base is None or link is None:
        return None
    origin, path, query = _where(link)
    base_origin, base_path, _ = _where(base)
    if origin != base_origin or not path.startswith(base_path):
        return None
    if not _without_dots(_SEPARATOR_LIKE.sub("/", path)).startswith(
        _without_dots(_SEPARATOR_LIKE.sub("/", base_path))
    ):
        return None
    page = "/" + path[len(base_path) :] + (f"?{query}" if query else "")
    # What the transport will send for it (the base URL as given, then this path) must be the link.
    again = _sent(base_url.rstrip("/") + page)
    return page if again is not None and _where(again) == (origin, path, query) else None


class ClientInvoiceResource:
    """Client invoices. Reached as ``Wingspan(...).client_invoice``."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def __repr__(self) -> str:
        return f"<ClientInvoiceResource {self._transport.base_url}>"

    def get(self, id: str, *, timeout: Timeout | None = None) -> GetClientInvoiceResponse:
        """Get a client invoice by its id (``GET /payments/client/invoice/{id}``).

        Raises a :class:`~wingspan_nb.errors.WingspanError` subclass on any failure (404 →
        :class:`~wingspan_nb.errors.NotFoundError`, a reply carrying another invoice →
        :class:`~wingspan_nb.errors.UnexpectedResponseError`, ...); ``timeout`` overrides the client's.
        """
        response = self._transport.request("GET", invoice_path(id), timeout=timeout)
        return GetClientInvoiceResponse(
            content_type=response.headers.get("Content-Type", ""),
            status_code=response.status_code,
            raw_response=response,
            client_invoice=_parse_invoice(response, id),
        )

    def list(
        self,
        *,
        timeout: Timeout | None = None,
        progress: bool | None = None,
        snapshot: str | os.PathLike[str] | None = None,
        max_age: str | timedelta | None = None,
    ) -> ListClientInvoicesResponse:
        """Every client invoice of the account (``GET /payments/client/invoice``), in server order.

        ``.client_invoices`` is an :class:`~wingspan_nb.InvoiceList`: an item that does not
        fit the models lands in its ``.failures`` (position, raw item, error) and the others are kept.
        If the server pages its reply with a ``Link: <…>; rel="next"`` header, every page is read (on
        the same host only, at most :data:`MAX_PAGES`). ``progress`` shows bars for the download and
        the parsing: ``None`` (the default) in a notebook or a terminal, never in a log or a pipe;
        ``True`` always, ``False`` never.

        With ``snapshot="invoices.jsonl.gz", max_age="1h"`` (a ``timedelta``, or ``"30m"``, ``"2d"``),
        the snapshot stands in for the download when it was taken from this server less than
        ``max_age`` ago (by the time in its provenance, not the file's) and reads back as saved; else
        the account is downloaded and saved there atomically. Before a snapshot is used, its first
        invoice is read from the server (one ``GET``): a snapshot this client's token may not read
        (401, 403, 404) is downloaded anew, with a warning. ``.client_invoices.source`` says which
        (``kind`` ``"snapshot"`` with its ``age``, or ``"server"``). The name must end in ``.jsonl``
        or ``.jsonl.gz``. A snapshot that cannot be used (damaged) warns with
        :class:`~wingspan_nb.errors.SnapshotWarning` and is downloaded anew; a file there without
        provenance is never overwritten (it warns; the download is returned unsaved). From a
        snapshot, ``raw_response`` is a stand-in with the file's URL.
        """
        if snapshot is not None or max_age is not None:
            from ._snapshots import list_through_snapshot

            return list_through_snapshot(
                lambda: self.list(timeout=timeout, progress=progress),
                snapshot,
                max_age,
                server_url=self._transport.base_url,
                read=lambda invoice_id: self.get(invoice_id, timeout=timeout),
            )
        from ._invoices import ListSource

        started = _clock.utc_now()
        pages: list[InvoiceList] = []
        first: requests.Response | None = None
        seen: set[str] = set()
        path: str | None = LIST_PATH
        while path is not None:
            page = len(seen) + 1  # the bar counts bytes on the wire (compressed when the reply is)
            bar = Bar(
                progress,
                desc="downloading" if page == 1 else f"downloading page {page}",
                done="downloaded" if page == 1 else f"downloaded page {page}:",
                unit="B",
            )
            seen.add(path)
            try:
                response = self._transport.request("GET", path, timeout=timeout, on_progress=bar.at)
            except BaseException:
                bar.close()
                raise
            bar.finish()
            pages.append(_parse_invoice_array(response, progress=progress))
            if first is None:
                first = response
            path = self._next_page(response, seen)
        assert first is not None
        whole = pages[0] if len(pages) == 1 else concat(pages)
        source = ListSource(kind="server", server_url=self._transport.base_url.rstrip("/"), taken_at=started)
        return ListClientInvoicesResponse(
            content_type=first.headers.get("Content-Type", ""),
            status_code=first.status_code,
            raw_response=first,
            client_invoices=InvoiceList(whole, whole.failures, source=source),
        )

    def _next_page(self, response: requests.Response, seen: set[str]) -> str | None:
        """The path of the next page named by the reply's ``Link: <…>; rel="next"``, or ``None``.

        Only a link under the client's base URL is followed (the token goes where the client was
        pointed, nowhere else), compared as requests would send both (see :func:`_page_under`); a link
        back to a page already read would never end, and is refused, as is a page beyond
        :data:`MAX_PAGES`.
        """
        link = response.links.get("next", {}).get("url")
        if not link:
            return None
        try:
            url: str | None = urljoin(response.url, link)
        except ValueError:  # "http://[::1": not a URL at all
            url = None
        if url is None or _sent(url) is None:
            raise errors.UnexpectedResponseError(
                f"{_exchange(response)} names its next page at {errors.short_id(link)!r}, which is not "
                "a valid URL; it was not followed. The list read so far is incomplete: this is a "
                "problem of the server (or a proxy in between); the raw reply is on .raw_response.",
                raw_response=response,
            )
        base = self._transport.base_url
        path = _page_under(base, url)
        if path is None:
            raise errors.UnexpectedResponseError(
                f"{_exchange(response)} names its next page at "
                f"{errors.short_id(url)!r}, outside {base.rstrip('/')}; it was not followed, so the token stays "
                "with the API host. The list read so far is incomplete: check the server URL.",
                raw_response=response,
            )
        if len(seen) >= MAX_PAGES:
            raise errors.UnexpectedResponseError(
                f"{_exchange(response)} names a next page after "
                f"{len(seen):,} pages, the most list() reads; the "
                "server's paging does not end, so the list was not returned.",
                raw_response=response,
            )
        if path in seen:
            raise errors.UnexpectedResponseError(
                f"{_exchange(response)} names as its next page "
                f"{errors.short_id(path)!r}, which was already read; the paging would never end.",
                raw_response=response,
            )
        return path

    def fees(self, id: str, *, timeout: Timeout | None = None) -> GetClientInvoiceFeesResponse:
        """The fee calculation of an invoice (``GET /payments/client/invoice/{id}/fees``):
        ``.invoice_fee_calculation.credit_fee_total``, in the invoice's ``.currency``.

        The fees reply names no currency, so the invoice is read too (a second ``GET``); if that
        read fails, ``.currency`` is ``None`` and the fees are returned all the same."""
        response = self._transport.request("GET", invoice_path(id) + "/fees", timeout=timeout)
        try:
            calculation = InvoiceFeeCalculation.from_dict(_reply_json(response))
        except errors.InvalidDocumentError as e:
            raise errors.ResponseValidationError(e, raw_response=response) from None
        try:
            invoice = self.get(id, timeout=timeout).client_invoice
        except errors.WingspanError:  # the fees are known; only the currency's name is not
            invoice = None
        return GetClientInvoiceFeesResponse(
            content_type=response.headers.get("Content-Type", ""),
            status_code=response.status_code,
            raw_response=response,
            invoice_fee_calculation=calculation,
            invoice_id=id,
            currency=str(wire_value(invoice.currency)) if invoice is not None else None,
        )

    def get_many(
        self,
        ids: Iterable[str] | Iterable[ClientInvoice] | pd.DataFrame,
        *,
        max_workers: int = 8,
        progress: bool | None = None,
        timeout: Timeout | None = None,
    ) -> BatchResult:
        """Get many invoices concurrently over the client's connection pool.

        Like ``list()``'s reply, the result's ``.client_invoices`` are the invoices read, in the order
        of ``ids``; each position that fails (an invalid id, 404, a reply that does not fit,
        connection trouble) is a record in ``.failures`` (position, id, typed error) instead of
        stopping the batch. A 429 slows every worker down. ``progress`` shows a bar (notebook or
        terminal); ``timeout`` overrides the client's for each request. Interrupting the cell stops
        the batch and returns what was read, with ``result.interrupted`` set.
        """
        from ._batch import fetch_many

        if timeout is not None:
            checked_timeout(timeout)  # a bad one is refused before any request, not once per id

        def one(i: str) -> ClientInvoice:
            return _invoice_of(self.get(id=i, timeout=timeout))

        return fetch_many(one, ids, max_workers=max_workers, progress=progress)

    @overload
    def update_many(
        self,
        targets: Any,
        request: ClientInvoiceUpdateRequest | None = ...,
        *,
        dry_run: Literal[True] = ...,
        confirm_settled: bool = ...,
        max_workers: int = ...,
        progress: bool | None = ...,
        timeout: Timeout | None = ...,
    ) -> BulkPlan: ...
    @overload
    def update_many(
        self,
        targets: Any,
        request: ClientInvoiceUpdateRequest | None = ...,
        *,
        dry_run: Literal[False],
        confirm_settled: bool = ...,
        max_workers: int = ...,
        progress: bool | None = ...,
        timeout: Timeout | None = ...,
    ) -> BulkResult: ...
    @overload
    def update_many(
        self,
        targets: Any,
        request: ClientInvoiceUpdateRequest | None = ...,
        *,
        dry_run: bool,
        confirm_settled: bool = ...,
        max_workers: int = ...,
        progress: bool | None = ...,
        timeout: Timeout | None = ...,
    ) -> BulkPlan | BulkResult: ...
    def update_many(
        self,
        targets: Any,
        request: ClientInvoiceUpdateRequest | None = None,
        *,
        dry_run: bool = True,
        confirm_settled: bool = False,
        max_workers: int = 8,
        progress: bool | None = None,
        timeout: Timeout | None = None,
    ) -> BulkPlan | BulkResult:
        """Change many invoices at once, safely: a dry run first.

        ``targets`` is a list of ids (or invoices: an invoice list, a ``get_many`` result; or a DataFrame
        from ``to_dataframe``) with one ``request`` for all of them, or a mapping ``{id: request}``. The
        dry run (the default) reads every invoice and returns a :class:`~wingspan_nb.BulkPlan` of
        what would change; nothing is sent. Apply it with ``plan.apply()`` (or pass ``dry_run=False``):
        one PATCH per invoice that would change, each skipped if the invoice changed on the server
        since the plan read it. Moving Paid or Cancelled invoices to another status needs
        ``confirm_settled=True`` (see :meth:`~wingspan_nb.BulkPlan.apply`). ``timeout``
        overrides the client's for each request, the dry run's reads and the apply's alike.
        """
        from ._bulk import plan_updates

        plan = plan_updates(
            self, targets, request, max_workers=max_workers, progress=progress, timeout=timeout
        )
        if dry_run:
            return plan
        return plan.apply(
            confirm_settled=confirm_settled, max_workers=max_workers, progress=progress, timeout=timeout
        )

    def edit(self, id: str, *, timeout: Timeout | None = None) -> InvoiceEditor:
        """Get the invoice and return an inline edit form for it (see
        :class:`~wingspan_nb.widgets.InvoiceEditor`); ``timeout`` overrides the client's for that read.

        The form is drawn by a notebook (JupyterLab, Notebook 7, VS Code, Colab). Outside one it is
        returned all the same (its fields and ``save()`` work from code), with a
        :class:`~wingspan_nb.errors.NotebookRequiredWarning` pointing at :meth:`update`."""
        from .widgets import InvoiceEditor

        if not in_notebook():
            warnings.warn(
                errors.NotebookRequiredWarning(
                    "edit() opens a form, which needs a notebook (JupyterLab, Notebook 7, VS Code or "
                    "Colab) to be drawn. From a script, change an invoice with "
                    "client_invoice.update(id=..., client_invoice_update_request=ClientInvoiceUpdateRequest(...))."
                ),
                stacklevel=2,
            )
        return InvoiceEditor(self, _invoice_of(self.get(id=id, timeout=timeout)))

    def update(
        self,
        id: str,
        client_invoice_update_request: ClientInvoiceUpdateRequest | None = None,
        *,
        timeout: Timeout | None = None,
    ) -> UpdateClientInvoiceResponse:
        """Change a client invoice (``PATCH /payments/client/invoice/{id}``); returns the server's reply.

        Its ``client_invoice`` is the invoice as the reply shows it, not the request applied locally:
        check that it shows the change (a server may answer 200 and ignore a field; bulk edits report
        such a reply as ``unknown``). A reply carrying another invoice than ``id`` raises
        :class:`~wingspan_nb.errors.UnexpectedResponseError` with ``outcome_unknown`` set: the change
        may or may not have been applied to ``id``.

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
        check_request(request)  # also what from_dict built or was changed past the constructor's checks
        body = request.to_dict()
        if not body:
            warnings.warn(
                "The update request sets no field, so nothing will change; set status= or "
                "credit_fee_handling= on the ClientInvoiceUpdateRequest.",
                EmptyUpdateWarning,
                stacklevel=2,
            )
        # to_json, not orjson.dumps: it writes an integer beyond 64 bits exactly, and raises
        # InvalidRequestError for what JSON cannot hold (a lone surrogate in an unknown property).
        payload = request.to_json().encode()
        response = self._transport.request("PATCH", path, body=payload, timeout=timeout)
        return UpdateClientInvoiceResponse(
            content_type=response.headers.get("Content-Type", ""),
            status_code=response.status_code,
            raw_response=response,
            client_invoice=_parse_invoice(response, id),
        )

    def explore(
        self, *, page_size: int = 25, today: date | datetime | str | None = None, progress: bool = True
    ) -> Explorer:
        """List every invoice, then browse them in a widget (see :meth:`InvoiceList.explore`):
        filters, a sortable paged table, an invoice's card and edit form, bulk changes."""
        account = self.list(progress=progress).client_invoices
        return account.explore(self, page_size=page_size, today=today)
