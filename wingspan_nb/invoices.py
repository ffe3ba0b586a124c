"""The invoice list: what ``client_invoice.list()`` and ``load_invoices`` give, in server order, with
the items that did not fit kept beside the invoices that did.

One bad invoice never loses the others: each item is parsed on its own, and an item that does not
fit the models lands in :attr:`InvoiceList.failures` with its position, the raw item and the error.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

import attrs

from . import errors
from .models.invoice import ClientInvoice

if TYPE_CHECKING:
    from datetime import datetime

    import pandas as pd

__all__ = ["InvoiceList", "ListFailure", "as_ids", "parse_invoices"]

_PROGRESS_STEP = 256
"""Items parsed between two updates of the progress bar (an update per item would cost more than
the parse of a small invoice)."""


@attrs.frozen
class ListFailure:
    """An item of a list reply (or a snapshot line) that does not fit the models."""

    position: int
    """Where the item was in the reply (0-based, counting every item)."""
    item: Any
    """The raw item, as it came: nothing is lost."""
    error: errors.InvalidDocumentError = attrs.field(eq=False)
    """Why it does not fit, with the wire path of the first offending value."""


class InvoiceList(Sequence[ClientInvoice]):
    """Client invoices in server order: ``len``, iteration, indexing and slicing over the invoices
    that were read, plus :attr:`failures` for the items that were not.

    Accepted wherever invoices or ids are: ``wingspan_nb.to_dataframe``, ``update_many`` and
    ``get_many`` (its :attr:`ids`). ``save(path)`` writes a snapshot; ``wingspan_nb.load_invoices``
    reads it back.
    """

    __slots__ = ("_failures", "_invoices")

    def __init__(self, invoices: Iterable[ClientInvoice] = (), failures: Iterable[ListFailure] = ()) -> None:
        self._invoices = list(invoices)
        self._failures = list(failures)

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
        item in its place."""
        failed = {f.position: f.item for f in self._failures}
        read = iter(self._invoices)
        for position in range(len(self._invoices) + len(self._failures)):
            yield failed[position] if position in failed else next(read).to_dict()

    def to_dataframe(
        self, level: Literal["invoice", "line_items"] = "invoice", *, today: datetime | None = None
    ) -> pd.DataFrame:
        """The invoices as a DataFrame, one row per invoice or per line item (see
        :func:`wingspan_nb.to_dataframe`)."""
        from .analysis import to_dataframe

        return to_dataframe(self._invoices, level=level, today=today)

    def save(self, path: str | Path) -> Path:
        """Write a snapshot: the wire documents as JSON Lines (gzip when the name ends in ``.gz``),
        atomically. Read it back with ``wingspan_nb.load_invoices(path)``."""
        from .snapshots import save_snapshot

        return save_snapshot(path, self.documents())

    def __repr__(self) -> str:
        failed = f", {len(self._failures)} failed" if self._failures else ""
        return f"<InvoiceList {len(self._invoices):,} invoices{failed}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, InvoiceList):
            return NotImplemented
        return self._invoices == other._invoices and self._failures == other._failures

    __hash__ = None  # type: ignore[assignment]

    def _repr_html_(self) -> str | None:
        from .display import repr_html

        return repr_html(self)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(repr(self))


def parse_invoices(items: list[Any], *, progress: bool = False, desc: str = "parsing") -> InvoiceList:
    """Parse each item of a list of wire documents on its own; items that do not fit become failures.

    ``items`` is consumed: each raw item is released as soon as it is converted, so the raw and the
    parsed forms of the whole list never coexist. The cyclic GC is paused throughout (parsing makes
    no reference cycles; a collector scanning the growing heap was most of the time at 10,000 items).
    """
    invoices: list[ClientInvoice] = []
    failures: list[ListFailure] = []
    tick = _progress_bar(len(items), desc) if progress else None
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        structure = ClientInvoice.from_dict
        for position in range(len(items)):
            item = items[position]
            items[position] = None
            try:
                if not isinstance(item, dict):
                    raise errors.InvalidDocumentError(
                        "$", f"is {_kind(item)}, not an invoice object", document=item, model=ClientInvoice
                    )
                invoices.append(structure(item))
            except errors.InvalidDocumentError as e:
                failures.append(ListFailure(position, item, _at(position, e)))
            if tick is not None and position % _PROGRESS_STEP == _PROGRESS_STEP - 1:
                tick(_PROGRESS_STEP)
    finally:
        if paused:
            gc.enable()
        if tick is not None:
            tick(None)
    return InvoiceList(invoices, failures)


def _at(position: int, e: errors.InvalidDocumentError) -> errors.InvalidDocumentError:
    """The error with the item's place in the list in its path (``$[3].lineItems[0].totalCost``)."""
    return errors.InvalidDocumentError(
        f"$[{position}]{e.path[1:]}", e.reason, document=e.document, model=e.model
    )


def _kind(value: Any) -> str:
    return "null" if value is None else f"a {type(value).__name__}"


def _progress_bar(total: int, desc: str) -> Callable[[int | None], None]:
    """A tqdm bar as one callable: ``tick(n)`` advances it, ``tick(None)`` completes and closes it."""
    from tqdm.auto import tqdm

    bar = tqdm(total=total, desc=desc, unit="inv")

    def tick(n: int | None) -> None:
        if n is None:
            bar.update(total - bar.n)
            bar.close()
        else:
            bar.update(n)

    return tick


def as_ids(targets: Any) -> Any:
    """Ids for an argument that takes ids: an :class:`InvoiceList`, or a list of ``ClientInvoice``,
    becomes its invoice ids; anything else is returned as it is."""
    if isinstance(targets, InvoiceList):
        return targets.ids
    if isinstance(targets, list | tuple) and targets and all(isinstance(t, ClientInvoice) for t in targets):
        return [t.invoice_id for t in targets]
    return targets
