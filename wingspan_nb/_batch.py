"""Many invoices at once: ``client_invoice.get_many(ids)`` and the result it returns."""

from __future__ import annotations

import numbers
import threading
import warnings
from collections.abc import (
    Callable,
    ItemsView,
    Iterable,
    Iterator,
    KeysView,
    Mapping,
    Sequence,
    ValuesView,
)
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, SupportsIndex, TypeVar, overload

import attrs

from . import _deprecated as deprecated
from . import errors
from ._displayable import Displayable
from ._invoices import Failure, InvoiceList
from ._progress import Bar
from .models.invoice import ClientInvoice

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

__all__ = [
    "BatchInterruptedWarning",
    "BatchItem",
    "BatchResult",
    "Failures",
    "as_wingspan_error",
    "check_workers",
    "fetch_many",
    "run_concurrently",
]


class BatchInterruptedWarning(UserWarning):
    """A batch was interrupted (Ctrl-C, or the notebook's stop button); the result holds what was done."""


@attrs.frozen
class BatchItem:
    """One position of a batch: its id, and the invoice read or the error that kept it from being read
    (neither when the batch was interrupted before it)."""

    id: str
    invoice: ClientInvoice | None = None
    error: errors.WingspanError | None = None

    @property
    def ok(self) -> bool:
        return self.invoice is not None


_DICT_WAY = (
    "failures is a list of Failure records (position, id, error): reading it as a dict keyed by id "
    "({what}) is deprecated since 0.2.0 and stops working in 0.3.0; use {instead}"
)


class Failures(list[Failure]):
    """The failed positions of a many-invoice call, in order: a list of :class:`Failure` records.

    Until 0.3 it also answers as an ``{id: error}`` mapping, for code written for 0.1
    (``failures[id]``, ``failures.get(id)``, ``id in failures``, ``keys()``, ``values()``,
    ``items()``, ``== {}``), with a :class:`DeprecationWarning`; a repeated id answers with its first
    failure. Iterating gives the records, as a list does."""

    def _by_id(self, what: str, instead: str) -> dict[str, errors.WingspanError]:
        warnings.warn(_DICT_WAY.format(what=what, instead=instead), DeprecationWarning, stacklevel=3)
        out: dict[str, errors.WingspanError] = {}
        for f in self:
            out.setdefault(f.id, f.error)
        return out

    @overload
    def __getitem__(self, key: SupportsIndex) -> Failure: ...
    @overload
    def __getitem__(self, key: slice) -> list[Failure]: ...
    @overload
    def __getitem__(self, key: str) -> errors.WingspanError: ...
    def __getitem__(self, key: SupportsIndex | slice | str) -> Failure | list[Failure] | errors.WingspanError:
        if isinstance(key, str):
            return self._by_id("failures[id]", "next(f.error for f in failures if f.id == id)")[key]
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            return key in self._by_id("id in failures", "any(f.id == id for f in failures)")
        return super().__contains__(key)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._by_id("failures == {...}", "not failures, or failures == []") == dict(other)
        return super().__eq__(other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__: ClassVar[None] = None

    def get(self, key: str, default: Any = None) -> Any:
        """Deprecated: the error of the first failure with id ``key``, as the dict's ``get`` did."""
        return self._by_id("failures.get(id)", "a loop over the records").get(key, default)

    def keys(self) -> KeysView[str]:
        """Deprecated: the failed ids, as the dict's ``keys`` did."""
        return self._by_id("failures.keys()", "[f.id for f in failures]").keys()

    def values(self) -> ValuesView[errors.WingspanError]:
        """Deprecated: the errors, as the dict's ``values`` did."""
        return self._by_id("failures.values()", "[f.error for f in failures]").values()

    def items(self) -> ItemsView[str, errors.WingspanError]:
        """Deprecated: ``(id, error)`` pairs, as the dict's ``items`` did."""
        return self._by_id("failures.items()", "[(f.id, f.error) for f in failures]").items()


@attrs.define
class BatchResult(Displayable):
    """What ``get_many`` read, one entry per position of the ids given (a repeated id has one entry
    per position, so the counts add up).

    Like ``list()``'s reply, its invoices are :attr:`client_invoices` (an
    :class:`~wingspan_nb.InvoiceList`, in the order of the ids); :attr:`failures` has a
    :class:`~wingspan_nb.Failure` (position, id, typed error) per position that failed;
    :attr:`outcomes` has one entry per position (``interrupted`` ones have neither invoice nor
    error). Iterating and ``len`` go over the invoices read.
    """

    outcomes: list[BatchItem]
    interrupted: bool = False

    def _read(self) -> list[ClientInvoice]:
        return [o.invoice for o in self.outcomes if o.invoice is not None]

    @property
    def client_invoices(self) -> InvoiceList:
        """The invoices read, in the order of the ids, as an invoice list (``where``, reports,
        ``to_excel``, ``save``...); what failed is in :attr:`failures`, not in its ``failures``."""
        return InvoiceList(self._read())

    @property
    def failures(self) -> Failures:
        """Each position that could not be read: a :class:`~wingspan_nb.Failure` with its
        position, id and typed error, in order (a repeated id once per position)."""
        return Failures(Failure(n, o.id, o.error) for n, o in enumerate(self.outcomes) if o.error is not None)

    @property
    def invoices(self) -> list[ClientInvoice]:
        """Deprecated alias of :attr:`client_invoices` (as a plain list)."""
        deprecated.warn("BatchResult.invoices", "BatchResult.client_invoices, the name list() uses")
        return self._read()

    @property
    def failed(self) -> list[BatchItem]:
        """Deprecated: the positions that could not be read; :attr:`failures` has them as records."""
        deprecated.warn("BatchResult.failed", "BatchResult.failures (position, id, error)")
        return [o for o in self.outcomes if o.error is not None]

    @property
    def not_fetched(self) -> list[str]:
        """Ids left unfetched because the batch was interrupted."""
        return [o.id for o in self.outcomes if o.invoice is None and o.error is None]

    def __iter__(self) -> Iterator[ClientInvoice]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    def to_dataframe(self, level: Literal["invoice", "line_items"] = "invoice") -> pd.DataFrame:
        """The invoices read, as a DataFrame (see :func:`wingspan_nb.to_dataframe`)."""
        from ._analysis import to_dataframe

        return to_dataframe(self._read(), level=level)

    def save(self, path: str | Path) -> Path:
        """Write the invoices read as a snapshot (see :meth:`wingspan_nb.InvoiceList.save`)."""
        from ._snapshots import save_snapshot

        return save_snapshot(path, (inv.to_dict() for inv in self._read()))

    def __repr__(self) -> str:
        failed = sum(o.error is not None for o in self.outcomes)
        parts = [f"{len(self)} read", f"{failed} failed"]
        if self.interrupted:
            parts.append(f"{len(self.not_fetched)} not fetched (interrupted)")
        return f"<BatchResult {', '.join(parts)} of {len(self.outcomes)} ids>"


def as_wingspan_error(error: Exception) -> errors.WingspanError:
    """``error`` itself when it is a :class:`~wingspan_nb.errors.WingspanError`; a value that cannot
    be encoded (``ValueError``, ``TypeError``, ``OverflowError``) as an
    :class:`~wingspan_nb.errors.InvalidRequestError`; anything else as a ``WingspanError`` that calls
    it a bug. The original is kept as ``__cause__``. So one bad item is that item's failure, never the
    whole batch's."""
    if isinstance(error, errors.WingspanError):
        return error
    what = f"{type(error).__name__}: {errors.shorten(' '.join(str(error).split()))}"
    wrapped = (
        errors.InvalidRequestError(
            f"could not be sent ({what}). Check this item's id (a plain string) and the request's values."
        )
        if isinstance(error, ValueError | TypeError | OverflowError)  # UnicodeError is a ValueError
        else errors.WingspanError(
            f"failed with an unexpected {what}; this is a bug in wingspan_nb, please report it with "
            "the traceback of this error's __cause__."
        )
    )
    wrapped.__cause__ = error
    return wrapped


_T = TypeVar("_T")
_R = TypeVar("_R")


def run_concurrently(
    fn: Callable[[_T], _R],
    items: Sequence[_T],
    *,
    max_workers: int,
    progress: bool | None,
    desc: str,
    summary_label: str | None = None,
    stop: threading.Event | None = None,
) -> tuple[list[_R | errors.WingspanError | None], bool]:
    """Run ``fn`` on each item on ``max_workers`` threads, in the items' order. The progress bar is
    labelled ``desc`` while it runs and ends as a summary starting with ``summary_label`` (see :class:`Bar`).

    Each slot holds the result, the error ``fn`` raised (see :func:`as_wingspan_error`), or ``None``
    when the run was interrupted before that item started (or that item's own worker raised the
    ``BaseException`` that interrupted it); the flag says whether it was.

    An interrupt is Ctrl-C in the calling thread or a ``BaseException`` that is not an ``Exception``
    (a ``KeyboardInterrupt`` from a requests hook, say) in a worker. Then no item starts any more,
    ``stop`` is set (so that ``fn`` can decline to begin a write), and the items already running are
    waited for, so that each slot says what happened; a second Ctrl-C does not cut that wait short
    (each request is bounded by the client's timeout).
    """
    check_workers(max_workers)
    run = _Run(fn, len(items), stop if stop is not None else threading.Event())
    bar = Bar(progress, desc=desc, done=summary_label, unit="inv", total=len(items))
    pool = ThreadPoolExecutor(max_workers=int(max_workers), thread_name_prefix="wingspan")
    try:
        why = run.start_and_wait(pool, items, bar)
        if why is None:
            bar.finish()
        else:
            run.wind_down(bar)
            warnings.warn(
                f"{desc}: interrupted ({why}); nothing new was started, the items under way were "
                "finished, and the result says what happened to each.",
                BatchInterruptedWarning,
                stacklevel=3,
            )
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        bar.close()  # an error or an interrupt: the bar says where it stopped (after finish, nothing)
    return run.results, why is not None


class _Run(Generic[_T, _R]):
    """One :func:`run_concurrently`: the slots it fills, the futures that fill them, and the flag
    that keeps any more items from starting."""

    def __init__(self, fn: Callable[[_T], _R], count: int, halt: threading.Event) -> None:
        self.fn = fn
        self.halt = halt
        self.results: list[_R | errors.WingspanError | None] = [None] * count
        self.futures: dict[Future[_R | None], int] = {}

    def guarded(self, item: _T) -> _R | None:
        """``fn(item)`` on a worker, unless the run was interrupted before it started."""
        if self.halt.is_set():  # a worker that frees up after an interrupt starts nothing
            return None
        try:
            return self.fn(item)
        except Exception:
            raise
        except BaseException:
            self.halt.set()  # at once: the other workers must not start anything while the caller notices
            raise

    def start_and_wait(self, pool: ThreadPoolExecutor, items: Sequence[_T], bar: Bar) -> str | None:
        """Submit every item and collect the results as they come: ``None`` once every item is done,
        else what interrupted the run (Ctrl-C here, or a ``BaseException`` in a worker)."""
        try:
            for n, item in enumerate(items):
                self.futures[pool.submit(self.guarded, item)] = n
            pending = set(self.futures)
            while pending:
                done, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
                cut_short = self.collect(done, bar)
                if cut_short is not None:
                    return f"{type(cut_short).__name__} in a worker"
        except KeyboardInterrupt:
            return "KeyboardInterrupt"
        return None

    def collect(self, done: Iterable[Future[_R | None]], bar: Bar) -> BaseException | None:
        """Fill the slots of ``done``; a worker that raised a ``BaseException`` (a KeyboardInterrupt
        from a hook, say) leaves its slot empty and is returned, to stop the run like a Ctrl-C."""
        cut_short = None
        for f in done:
            if f.cancelled():
                continue
            error = f.exception()
            if error is not None and not isinstance(error, Exception):
                cut_short = error
                continue
            slot = self.futures[f]
            self.results[slot] = f.result() if error is None else as_wingspan_error(error)
            if self.results[slot] is not None:
                bar.advance()
        return cut_short

    def wind_down(self, bar: Bar) -> None:
        """Start nothing more and wait for the items under way, so that each slot says what happened;
        a second Ctrl-C does not cut that wait short."""
        self.halt.set()
        for f in self.futures:
            f.cancel()  # only those not started yet; running ones finish
        running = {f for f in self.futures if not f.done()}
        self.collect({f for f in self.futures if f.done() and self.results[self.futures[f]] is None}, bar)
        while running:
            try:
                done, running = wait(running)
            except KeyboardInterrupt:
                continue
            self.collect(done, bar)


def check_workers(max_workers: object) -> None:
    """Refuse a ``max_workers`` that is not a whole number of at least 1, before any request."""
    if isinstance(max_workers, bool) or not isinstance(max_workers, numbers.Integral) or int(max_workers) < 1:
        raise errors.InvalidRequestError(
            f"max_workers must be a whole number of at least 1 (how many requests run at a time), "
            f"got {type(max_workers).__name__} {errors.shorten(repr(max_workers), 40)}"
        )


def fetch_many(
    get: Callable[[str], ClientInvoice],
    ids: object,
    *,
    max_workers: int = 8,
    progress: bool | None = None,
) -> BatchResult:
    """Run ``get`` once per distinct id on ``max_workers`` threads; see ``ClientInvoiceResource.get_many``."""
    from ._invoices import ids_of

    check_workers(max_workers)
    id_list = ids_of(ids)
    distinct = list(dict.fromkeys(id_list))
    results, interrupted = run_concurrently(
        get, distinct, max_workers=max_workers, progress=progress, desc="reading", summary_label="read"
    )
    by_key = dict(zip(distinct, results, strict=True))
    outcomes = []
    for i in id_list:
        r = by_key[i]
        outcomes.append(
            BatchItem(i)
            if r is None
            else BatchItem(i, error=r)
            if isinstance(r, errors.WingspanError)
            else BatchItem(i, invoice=r)
        )
    return BatchResult(outcomes, interrupted=interrupted)
