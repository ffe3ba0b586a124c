"""The invoice list: what ``client_invoice.list()`` and ``load_invoices`` give, in server order, with
the items that did not fit kept beside the invoices that did.

One bad invoice never loses the others: each item is parsed on its own, and an item that does not
fit the models lands in :attr:`InvoiceList.failures` with its position, the raw item and the error.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from math import inf
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, overload

import attrs

from . import _wire_json, errors
from ._displayable import Displayable
from ._facts import as_utc_date, format_timestamp
from ._progress import Bar
from ._sensitive import masked_document, masked_text
from .models import Currency, InvoiceStatus, structure_owned
from .models.invoice import ClientInvoice

if TYPE_CHECKING:
    from datetime import timedelta

    import pandas as pd
    import polars as pl

    from ._client import Wingspan
    from ._filters import ListKeys
    from ._reports import Report
    from ._resources import ClientInvoiceResource
    from .widgets import Explorer

__all__ = [
    "Failure",
    "InvoiceBuilder",
    "InvoiceList",
    "ListFailure",
    "ListSource",
    "gc_paused",
    "ids_of",
    "concat",
    "parse_invoice_array",
]


def _masked_repr(item: Any) -> str:
    """The raw item as ``repr`` shows it: its sensitive values masked (a raw snapshot line too)."""
    if isinstance(item, bytes | bytearray):
        return masked_text(repr(item))
    return repr(masked_document(item))


@attrs.frozen
class Failure:
    """One position of a many-invoice call that failed: what every ``failures`` holds (``get_many``'s,
    a bulk plan's and result's; an invoice list's :class:`ListFailure` has the same three attributes)."""

    position: int
    """Where it was among the ids or targets given (0-based, counting every position)."""
    id: str
    """The invoice id at that position."""
    error: errors.WingspanError = attrs.field(eq=False)
    """Why it failed, as the typed error the single call would have raised."""


@attrs.frozen
class ListFailure:
    """An item of a list reply (or a snapshot line) that does not fit the models: like every
    :class:`Failure`, its ``position``, ``id`` and ``error``, and also the raw ``item``."""

    position: int
    """Where the item was in the reply (0-based, counting every item)."""
    item: Any = attrs.field(repr=_masked_repr)
    """The raw item, as it came: nothing is lost (its ``repr`` masks the sensitive numbers, as every
    view does). For a snapshot line that is not valid JSON, the line's raw ``bytes`` (without its
    line break), which a save writes back unchanged."""
    error: errors.InvalidDocumentError = attrs.field(eq=False)
    """Why it does not fit, with the wire path of the first offending value."""

    @property
    def id(self) -> str | None:
        """The item's ``invoiceId`` when it has one that is a string; ``None`` when it does not (the
        item is not an object, or the id itself is what does not fit)."""
        found = self.item.get("invoiceId") if isinstance(self.item, dict) else None
        return found if isinstance(found, str) else None


@attrs.frozen(kw_only=True)
class ListSource:
    """Where a whole account's invoice list came from (:attr:`InvoiceList.source`), and so what a
    snapshot of it records."""

    kind: Literal["server", "snapshot"]
    """``"server"``: read by ``client_invoice.list()``; ``"snapshot"``: read from a snapshot file."""
    server_url: str | None
    """The API base URL the account was listed from (it never holds the token); ``None`` when not
    known (an unverified snapshot, or one saved from a list the library did not read whole)."""
    taken_at: datetime | None
    """When the invoices were read from the server (UTC); ``None`` when not known."""
    file: str | None = None
    """The snapshot file the list was read from."""
    verified: bool = True
    """``False`` for a snapshot without a provenance file: nothing checked that it is as saved."""
    age: timedelta | None = None
    """How old the snapshot was when ``list(snapshot=..., max_age=...)`` read it instead of the server."""

    @property
    def summary(self) -> str:
        """One line for the list's card: ``from snapshot, 12 min old (…)`` or ``downloaded 2026-12-07
        14:07 UTC`` (a time, never "now", which a saved notebook would keep saying)."""
        taken = format_timestamp(self.taken_at) if self.taken_at is not None else None
        if self.kind == "server":
            return f"downloaded {taken}" if taken else "downloaded"
        name = Path(self.file).name if self.file else "a file"
        if not self.verified:
            return f"from snapshot {name}, unverified (it has no provenance file)"
        if self.age is not None:
            return f"from snapshot, {_age(self.age)} old ({name}, taken {taken})"
        return f"from snapshot {name}, taken {taken}" if taken else f"from snapshot {name}"


def _age(age: timedelta) -> str:
    minutes = int(age.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    if minutes < 120:
        return f"{minutes} min"
    hours = minutes // 60
    return f"{hours} h" if hours < 48 else f"{hours // 24} days"


class InvoiceList(Sequence[ClientInvoice], Displayable):
    """Client invoices in server order: ``len``, iteration, indexing and slicing over the invoices
    that were read, plus :attr:`failures` for the items that were not.

    Accepted wherever invoices or ids are: ``wingspan_nb.to_dataframe``, ``update_many`` and
    ``get_many`` (its :attr:`ids`). ``save(path)`` writes a snapshot; ``wingspan_nb.load_invoices``
    reads it back. :meth:`where`, :meth:`sort_by` and :meth:`find` filter, order and look up
    locally; :meth:`summary`, :meth:`aging`, :meth:`past_due`, :meth:`days_to_pay`, :meth:`dso` and
    :meth:`fees` are the account's reports. A filtered list is a list like any other.
    """

    __slots__ = ("_failures", "_filter_keys", "_invoices", "_source")

    def __init__(
        self,
        invoices: Iterable[ClientInvoice] = (),
        failures: Iterable[ListFailure] = (),
        *,
        source: ListSource | None = None,
    ) -> None:
        self._invoices = list(invoices)
        self._failures = list(failures)
        self._filter_keys: ListKeys | None = None
        self._source = source

    @property
    def source(self) -> ListSource | None:
        """Where this whole account's list came from (the server, or a snapshot and how old it is);
        ``None`` for a list that is not a whole account as read (a slice, a list built by hand)."""
        return self._source

    @property
    def failures(self) -> list[ListFailure]:
        """The items that did not fit the models, each with its position, raw item and error."""
        return list(self._failures)

    @property
    def ids(self) -> list[str]:
        """The invoice ids, in order."""
        return [inv.invoice_id for inv in self._invoices]

    def __len__(self) -> int:
        return len(self._invoices)

    def __iter__(self) -> Iterator[ClientInvoice]:
        return iter(self._invoices)

    @overload
    def __getitem__(self, index: int) -> ClientInvoice: ...
    @overload
    def __getitem__(self, index: slice) -> InvoiceList: ...
    def __getitem__(self, index: int | slice) -> ClientInvoice | InvoiceList:
        """An invoice by position among those read; a slice is an ``InvoiceList`` without failures."""
        if isinstance(index, slice):
            return InvoiceList(self._invoices[index])
        return self._invoices[index]

    def documents(self) -> Iterator[Any]:
        """Every item in server order as wire data: each invoice's ``to_dict()``, each failure's raw
        item in its place (``bytes`` for a snapshot line that was not valid JSON)."""
        failed = {f.position: f.item for f in self._failures}
        read = iter(self._invoices)
        for position in range(len(self._invoices) + len(self._failures)):
            yield failed[position] if position in failed else next(read).to_dict()

    def to_dataframe(
        self,
        level: Literal["invoice", "line_items"] = "invoice",
        *,
        today: date | datetime | str | None = None,
    ) -> pd.DataFrame:
        """The invoices as a DataFrame, one row per invoice or per line item (see
        :func:`wingspan_nb.to_dataframe`)."""
        from ._analysis import to_dataframe

        return to_dataframe(self._invoices, level=level, today=today)

    def save(self, path: str | Path) -> Path:
        """Write a snapshot: the wire documents as JSON Lines (gzip when the name ends in ``.gz``),
        with its provenance and checksum beside it (``<name>.meta.json``), atomically. Read it back
        with ``wingspan_nb.load_invoices(path)``."""
        from ._snapshots import save_snapshot

        return save_snapshot(path, self.documents(), source=self._source)

    @property
    def filter_keys(self) -> ListKeys:
        """The per-invoice values the filters compare, read from the invoices on first use and kept
        for every later ``where``, ``sort_by`` and ``find`` on this list."""
        if self._filter_keys is None:
            from ._filters import ListKeys

            self._filter_keys = ListKeys(self._invoices)
        return self._filter_keys

    def subset(self, positions: Sequence[int]) -> InvoiceList:
        """The invoices at these positions (0-based, among the invoices read), in the order given,
        as a list without failures. It reads its filter keys from this list's, so filtering or
        sorting it again never walks the models a second time."""
        from ._filters import ListKeys

        invoices = self._invoices
        out = InvoiceList([invoices[n] for n in positions])
        out._filter_keys = ListKeys(out._invoices, source=(self.filter_keys, positions))
        return out

    def replaced(self, invoices: Iterable[ClientInvoice]) -> InvoiceList:
        """This list with each of ``invoices`` in place of the invoice with the same id (what a save
        or a bulk change returned), in the same position; the failures are kept. The filter keys
        read so far are carried over, with only the replaced invoices read again, so the next
        ``where`` or ``sort_by`` sees the new values at once.

        Raises :class:`~wingspan_nb.errors.NoMatchError` naming an invoice that is not in this list.
        """
        where_is = {inv.invoice_id: n for n, inv in enumerate(self._invoices)}
        changed: dict[int, ClientInvoice] = {}
        for inv in invoices:
            n = where_is.get(inv.invoice_id)
            if n is None:
                raise errors.NoMatchError(
                    f"Invoice {errors.short_id(inv.invoice_id)} is not in this list of "
                    f"{len(self._invoices):,}; nothing was replaced.",
                    count=0,
                )
            changed[n] = inv
        fresh = list(self._invoices)
        for n, inv in changed.items():
            fresh[n] = inv
        out = InvoiceList(fresh, self._failures)
        if self._filter_keys is not None:
            out._filter_keys = self._filter_keys.replaced(out._invoices, changed)
        return out

    def where(
        self,
        *,
        status: InvoiceStatus | str | Iterable[InvoiceStatus | str] | None = None,
        currency: Currency | str | Iterable[Currency | str] | None = None,
        client: str | None = None,
        member: str | None = None,
        due_before: date | datetime | str | None = None,
        due_after: date | datetime | str | None = None,
        past_due: bool | None = None,
        min_amount: float | None = None,
        max_amount: float | None = None,
        text: str | None = None,
        today: date | datetime | str | None = None,
    ) -> InvoiceList:
        """The invoices that meet every condition given, in this list's order, as an ``InvoiceList``
        (same card, same methods: chain ``where`` calls, sort, report, save, ``update_many``).

        - ``status``: one status or several (``InvoiceStatus.OPEN``, ``"Open"``, ``"payment in
          transit"``); ``currency``: one or several (``"USD"``).
        - ``client``: part of the client's name, company or e-mail (any case), or its exact client
          id; ``member``: the same for the member (name, company, e-mail, member id).
        - ``due_before`` / ``due_after``: due strictly before / after a date (a date, a datetime
          taken in UTC, or ``"2026-03-31"``); invoices without a due date never match.
        - ``past_due=True``: awaiting payment (Open, Overdue, Pending) after the due date, the rule
          every view uses (``False``: the others); ``today`` fixes "now" for it (default: today, UTC).
        - ``min_amount`` / ``max_amount``: amount at least / at most (inclusive).
        - ``text``: part of the invoice number, project, notes or a line item's description or
          detail (any case).

        Raises :class:`~wingspan_nb.errors.InvalidRequestError` naming the argument for an unknown
        status or currency, a date that is not a date, ``min_amount > max_amount`` or empty text.
        Runs locally (the API has no filters); the values compared are read once per list and kept.
        The result holds invoices only: this list's ``failures`` are not carried over.
        """
        from . import _filters

        keys = self.filter_keys
        # Every argument is checked before anything is filtered: a mistake is named, never half-applied.
        statuses = None if status is None else _filters.statuses(status, keys.positions("status"))
        currencies = None if currency is None else _filters.currencies(currency, keys.positions("currency"))
        before = None if due_before is None else _filters.as_date("due_before", due_before)
        after = None if due_after is None else _filters.as_date("due_after", due_after)
        low = None if min_amount is None else _filters.as_amount("min_amount", min_amount)
        high = None if max_amount is None else _filters.as_amount("max_amount", max_amount)
        if low is not None and high is not None and low > high:
            raise _filters.bad_argument(
                "min_amount", min_amount, f"it is above max_amount={max_amount!r}; swap them"
            )
        if past_due is not None and not isinstance(past_due, bool):
            raise _filters.bad_argument(
                "past_due", past_due, "give True (past due only) or False (none past due)"
            )
        client_needle = None if client is None else _filters.needle("client", client)
        member_needle = None if member is None else _filters.needle("member", member)
        text_needle = None if text is None else _filters.needle("text", text)

        chosen: frozenset[int] | None = None
        for name, wanted in (("status", statuses), ("currency", currencies)):
            if wanted is not None:
                index = keys.positions(name)
                hit = frozenset().union(*(index.get(v, frozenset()) for v in wanted))
                chosen = hit if chosen is None else chosen & hit
        picked: Sequence[int] = range(len(self)) if chosen is None else sorted(chosen)

        if low is not None or high is not None:
            amounts = keys.column("amount")
            lo, hi = -inf if low is None else low, inf if high is None else high
            picked = [n for n in picked if lo <= amounts[n] <= hi]
        if before is not None or after is not None:
            dues = keys.column("due")
            first, last = after or date.min, before or date.max
            picked = [n for n in picked if (d := dues[n]) is not None and first < d < last]
        if past_due is not None:
            day = as_utc_date(today)
            waiting = keys.column("awaiting_due")
            picked = [n for n in picked if ((d := waiting[n]) is not None and d < day) is past_due]
        for needle, name, id_name in (
            (client_needle, "client", "client_id"),
            (member_needle, "member", "member_id"),
            (text_needle, "text", None),
        ):
            if needle is None:
                continue
            hay = keys.column(name)
            if id_name is None:
                picked = [n for n in picked if needle in hay[n]]
            else:
                ids, exact = keys.column(id_name), (client if name == "client" else member)
                picked = [n for n in picked if needle in hay[n] or ids[n] == exact]
        return self.subset(picked)

    def sort_by(
        self, key: str, descending: bool = False, *, today: date | datetime | str | None = None
    ) -> InvoiceList:
        """The invoices ordered by a ``to_dataframe`` column (``"amount"``, ``"due_date"``,
        ``"client_name"``, ...), as an ``InvoiceList``. Times compare as times, statuses in
        ``InvoiceStatus`` order (as the cards list them); missing values come last either way, and
        ties keep this list's order. ``today`` fixes "now" for ``"overdue_days"``.

        Raises :class:`~wingspan_nb.errors.InvalidRequestError` for a name that is not a column."""
        from ._filters import sort_by

        return sort_by(self, key, descending=descending, today=today)

    def find(self, *, number: str) -> ClientInvoice:
        """The one invoice with this invoice number (exactly as written, e.g. ``"INV-2026-0042"``).

        Raises :class:`~wingspan_nb.errors.NoMatchError` when none or several have it (its ``count``
        says how many); ``where(text=...)`` finds numbers that contain a text."""
        from ._filters import find

        return find(self, number)

    def explore(
        self,
        client: Wingspan | ClientInvoiceResource | None = None,
        *,
        page_size: int = 25,
        today: date | datetime | str | None = None,
    ) -> Explorer:
        """Browse this list in a widget: status, currency, past-due, client, text and due-date
        filters, a table sorted by any column and paged (``page_size`` rows reach the browser at a
        time), per-currency totals, an invoice's card, its edit form, and a bulk change of the rows
        selected. Give the client (``account.explore(s)``) to edit and change; without one the
        explorer only reads. See :class:`wingspan_nb.widgets.Explorer`."""
        from .widgets import Explorer

        if today is not None:
            as_utc_date(today)  # an odd today= is refused here, not when a filter first reads it
        return Explorer(self, client, page_size=page_size, today=today)

    def summary(self, *, today: date | datetime | str | None = None) -> Report:
        """Counts and amounts by status, per currency (see :func:`wingspan_nb._reports.summary`)."""
        from ._reports import summary

        return summary(self, today=today)

    def aging(
        self, buckets: Sequence[int] = (30, 60, 90), *, today: date | datetime | str | None = None
    ) -> Report:
        """Past-due counts and amounts by days past due, per currency (see
        :func:`wingspan_nb._reports.aging`)."""
        from ._reports import aging

        return aging(self, buckets, today=today)

    def past_due(
        self, by: Literal["client", "member"] = "client", *, today: date | datetime | str | None = None
    ) -> Report:
        """Past-due invoices by client (or member), ranked by amount within each currency, with the
        oldest due date and the largest invoice (see :func:`wingspan_nb._reports.past_due`)."""
        from ._reports import past_due

        return past_due(self, by, today=today)

    def days_to_pay(
        self, by: Literal["client", "member"] = "client", *, today: date | datetime | str | None = None
    ) -> Report:
        """For paid invoices: median and mean days from sent to paid and the share paid late, by
        client (or member), per currency (see :func:`wingspan_nb._reports.days_to_pay`)."""
        from ._reports import days_to_pay

        return days_to_pay(self, by, today=today)

    def dso(self, period_days: int = 90, *, today: date | datetime | str | None = None) -> Report:
        """Days sales outstanding per currency over the last ``period_days`` days (formula in
        :func:`wingspan_nb._reports.dso`)."""
        from ._reports import dso

        return dso(self, period_days, today=today)

    def fees(self, *, today: date | datetime | str | None = None) -> Report:
        """Fees charged on paid invoices, by who pays the credit-card fee, per currency (see
        :func:`wingspan_nb._reports.fees`)."""
        from ._reports import fees

        return fees(self, today=today)

    def __repr__(self) -> str:
        failed = f", {len(self._failures)} failed" if self._failures else ""
        return f"<InvoiceList {len(self._invoices):,} invoices{failed}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, InvoiceList):
            return NotImplemented
        return self._invoices == other._invoices and self._failures == other._failures

    __hash__: ClassVar[None] = None  # type: ignore[assignment]

    def to_excel(
        self, path: str | Path, *, show_sensitive: bool = False, today: date | datetime | str | None = None
    ) -> Path:
        """Write a workbook for finance: invoices, line items and a summary sheet per currency,
        money per currency with two decimals, dates as Excel dates, text masked unless
        ``show_sensitive=True`` (see :func:`wingspan_nb._exports.to_excel`)."""
        from ._exports import to_excel

        return to_excel(self._invoices, path, show_sensitive=show_sensitive, today=today)

    def to_parquet(
        self,
        path: str | Path,
        level: Literal["invoice", "line_items"] = "invoice",
        *,
        today: date | datetime | str | None = None,
    ) -> Path:
        """Write ``to_dataframe(level)``'s frame as a Parquet file, typed (see
        :func:`wingspan_nb._exports.to_parquet`)."""
        from ._exports import to_parquet

        return to_parquet(self._invoices, path, level, today=today)

    def to_polars(
        self,
        level: Literal["invoice", "line_items"] = "invoice",
        *,
        today: date | datetime | str | None = None,
    ) -> pl.DataFrame:
        """``to_dataframe(level)``'s frame as a Polars DataFrame, when Polars is installed (see
        :func:`wingspan_nb._exports.to_polars`)."""
        from ._exports import to_polars

        return to_polars(self._invoices, level, today=today)


class InvoiceBuilder:
    """Collects invoices one item at a time, in order; an item that does not fit becomes a failure.

    Each raw item is the builder's once added: the invoice made from it keeps its lists and dicts
    rather than copying them, so the caller drops it (the raw and the parsed forms of a whole
    account never need to coexist) and never changes it afterwards.
    """

    def __init__(self) -> None:
        self.invoices: list[ClientInvoice] = []
        self.failures: list[ListFailure] = []

    @property
    def count(self) -> int:
        """Items added so far (invoices and failures)."""
        return len(self.invoices) + len(self.failures)

    def add(self, item: Any) -> None:
        position = self.count
        try:
            if not isinstance(item, dict):
                raise errors.InvalidDocumentError(
                    "$", f"is {_kind(item)}, not an invoice object", document=item, model=ClientInvoice
                )
            # The item's lists and dicts are kept, not copied: the caller decoded it and drops it.
            self.invoices.append(structure_owned(ClientInvoice, item))
        except errors.InvalidDocumentError as e:
            self.failures.append(ListFailure(position, item, _at(position, e)))

    def fail(self, item: Any, error: errors.InvalidDocumentError) -> None:
        """Keep an item that could not even be decoded, in its place."""
        self.failures.append(ListFailure(self.count, item, error))

    def result(self) -> InvoiceList:
        return InvoiceList(self.invoices, self.failures)


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic GC off for the block: parsing makes no reference cycles, and at 10,000 invoices
    the collector scanning the growing heap again and again took as long as the parse itself."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


_SPACE = re.compile(rb"[ \t\n\r]*")
_FIRST_KEY = re.compile(rb'\{[ \t\n\r]*"[^"\\]{1,100}"[ \t\n\r]*:')
_CHUNK = 1 << 21
"""Bytes of a list reply decoded at once: big enough for orjson to run at full speed, small enough
that one chunk's decoded JSON is a rounding error next to the invoices."""


def parse_invoice_array(body: bytes, *, progress: bool | None = False, desc: str = "parsing") -> InvoiceList:
    """Parse the JSON bytes of an array of invoices, a chunk of whole items at a time.

    Each chunk is decoded (orjson; integers beyond 64 bits stay exact) and converted, and its raw
    items dropped, before the next: the peak memory is the body and the invoices, never the whole
    decoded JSON tree as well. Raises
    :class:`~wingspan_nb.errors.InvalidDocumentError` (with the decoded document) when the body is
    JSON but not an array, and ``ValueError`` when it is not valid JSON (cut off, ``NaN``, ``1e999``).

    Where a chunk ends is guessed from how the items are written (the next ``}, {"firstKey":``) and
    proven by decoding it: a slice that starts at an item and decodes as a sequence of complete values
    ends at an item boundary, since any cut inside an item leaves a bracket or a string open. When
    no guess proves right, the rest is decoded in one piece.
    """
    at = _skip(body, 0)
    if body[at : at + 1] != b"[":
        document = _wire_json.loads(body)
        raise errors.InvalidDocumentError(
            "$",
            f"is {_kind(document)}, not the array of invoices this endpoint returns; check the server URL",
            document=document,
        )
    builder = InvoiceBuilder()
    bar = Bar(progress, desc=desc, unit="B", total=len(body), done="parsed")
    start = _skip(body, at + 1)
    first = _FIRST_KEY.match(body, start)
    boundary = (
        re.compile(rb"\}[ \t\n\r]*,[ \t\n\r]*(?=" + re.escape(first.group(0)) + rb")") if first else None
    )
    try:
        with gc_paused():
            while True:
                chunk, end = _next_chunk(body, start, boundary)
                for n in range(len(chunk)):
                    item, chunk[n] = chunk[n], None
                    builder.add(item)
                    del item
                del chunk
                bar.advance(end - start)
                if end == len(body):
                    break
                start = end
    except BaseException:
        bar.close()
        raise
    result = builder.result()
    bar.finish(f"{len(result):,} invoices")
    return result


def _next_chunk(body: bytes, start: int, boundary: re.Pattern[bytes] | None) -> tuple[list[Any], int]:
    """The items from ``start`` (an item's first byte) to a proven boundary about ``_CHUNK`` bytes on,
    and where the next item starts; or every item left and ``len(body)``."""
    if boundary is not None:
        search_from = start + _CHUNK
        for _ in range(3):  # a wrong guess (a nested object with the same first key) costs a chunk
            found = boundary.search(body, search_from)
            if found is None:
                break
            try:
                items: list[Any] = _wire_json.loads(_bracketed(body, start, found.start() + 1))
            except json.JSONDecodeError:
                search_from = found.end()
                continue
            return items, found.end()
    rest: list[Any] = _wire_json.loads(_bracketed(body, start, len(body), close=b""))  # "]" included
    return rest, len(body)


def _bracketed(body: bytes, start: int, end: int, *, close: bytes = b"]") -> bytes:
    """``body[start:end]`` as a JSON array, in one copy (slicing first would make two)."""
    return b"".join((b"[", memoryview(body)[start:end], close))


def _skip(body: bytes, at: int) -> int:
    """The position of the first byte at or after ``at`` that is not JSON white space."""
    space = _SPACE.match(body, at)
    return space.end() if space else at


def concat(lists: Iterable[InvoiceList]) -> InvoiceList:
    """One list of several in a row (the pages of a paged reply), failure positions counted across."""
    invoices: list[ClientInvoice] = []
    failures: list[ListFailure] = []
    for part in lists:
        offset = len(invoices) + len(failures)
        invoices.extend(part)
        failures.extend(
            ListFailure(f.position + offset, f.item, _at(f.position + offset, f.error, within=f.position))
            for f in part.failures
        )
    return InvoiceList(invoices, failures)


def _at(
    position: int, e: errors.InvalidDocumentError, *, within: int | None = None
) -> errors.InvalidDocumentError:
    """The error with the item's place in the list in its path (``$[3].lineItems[0].totalCost``);
    ``within`` is the place already in the path, to be replaced."""
    rest = e.path[len(f"$[{within}]") :] if within is not None else e.path[1:]
    return errors.InvalidDocumentError(f"$[{position}]{rest}", e.reason, document=e.document, model=e.model)


def _kind(value: Any) -> str:
    return "null" if value is None else f"a {type(value).__name__}"


def _id_column(frame: Any, what: str) -> list[Any]:
    """The values of a DataFrame's one ``invoice_id`` column (pandas ``tolist``, polars ``to_list``)."""
    if "invoice_id" not in frame.columns:
        raise errors.InvalidRequestError(
            f"a DataFrame as {what} needs an invoice_id column (as to_dataframe makes)"
        )
    column = frame["invoice_id"]
    to_list = getattr(column, "tolist", None) or getattr(column, "to_list", None)
    if hasattr(column, "columns") or not callable(to_list):  # repeated or nested (MultiIndex) columns
        raise errors.InvalidRequestError(
            f"the invoice_id of a DataFrame as {what} is a {type(column).__name__}, not one column; "
            "keep a single invoice_id column (as to_dataframe makes)"
        )
    values = to_list()
    if not isinstance(values, list):
        raise errors.InvalidRequestError(
            f"the invoice_id column of a DataFrame as {what} gave a {type(values).__name__}, not a list of ids"
        )
    return values


def ids_of(targets: object, *, what: str = "ids") -> list[str]:
    """The invoice ids an argument that takes invoices stands for: a list of ids or of
    ``ClientInvoice``, an :class:`InvoiceList`, a ``get_many`` result (the invoices it read), or a
    DataFrame from ``to_dataframe`` (its ``invoice_id`` column).

    Raises :class:`~wingspan_nb.errors.InvalidRequestError` before any request for one string (not a
    list), a dict (its keys are not taken silently), a DataFrame without one ``invoice_id`` column,
    something that is not a collection, or an item that is not an id; ``what`` names the
    argument in the message."""
    from ._batch import BatchResult

    if isinstance(targets, str | bytes | bytearray):
        raise errors.InvalidRequestError(
            f"{what} is one {type(targets).__name__} ({errors.short_id(repr(targets))}), not a list of ids; "
            "pass [id] for one invoice"
        )
    if isinstance(targets, InvoiceList):
        return list(targets.ids)
    if isinstance(targets, BatchResult):
        return targets.client_invoices.ids
    if isinstance(targets, Mapping):
        raise errors.InvalidRequestError(
            f"{what} is a {type(targets).__name__}, not a list of ids; pass list(d) for its keys or "
            "list(d.values()) for its values"
        )
    if hasattr(targets, "columns") and hasattr(targets, "__getitem__"):  # a DataFrame
        targets = _id_column(targets, what)
    try:
        items = list(targets)  # type: ignore[call-overload]
    except TypeError:
        raise errors.InvalidRequestError(
            f"{what} must be invoice ids (a list of ids, an invoice list, a get_many result, a DataFrame "
            f"from to_dataframe), got {type(targets).__name__} {errors.short_id(repr(targets))}; "
            "pass [id] for one invoice"
        ) from None
    ids = []
    for n, item in enumerate(items):
        if isinstance(item, ClientInvoice):
            ids.append(item.invoice_id)
        elif isinstance(item, str):
            ids.append(item)
        else:
            raise errors.InvalidRequestError(
                f"{what}[{n}] is {type(item).__name__} {errors.short_id(repr(item))}, not an invoice id; "
                "give each invoice by its id (a string)"
            )
    return ids
