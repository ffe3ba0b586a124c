"""Many invoices at once: ``client_invoice.get_many(ids)`` and the result it returns."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from . import errors
from .models.invoice import ClientInvoice

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

__all__ = ["BatchInterruptedWarning", "BatchResult", "Outcome", "fetch_many", "run_concurrently"]


class BatchInterruptedWarning(UserWarning):
    """A batch was interrupted (Ctrl-C, or the notebook's stop button); the result holds what was done."""


@attrs.frozen
class Outcome:
    """One id of a batch: its invoice, or the error that kept it from being read."""

    id: str
    invoice: ClientInvoice | None = None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        return self.invoice is not None


@attrs.define
class BatchResult:
    """What ``get_many`` fetched, in the order of the ids given.

    Iterating gives the invoices that were read; ``failures`` maps each id that failed to its typed
    error; ``outcomes`` has one entry per id (``interrupted`` ones have neither invoice nor error).
    """

    outcomes: list[Outcome]
    interrupted: bool = False

    @property
    def invoices(self) -> list[ClientInvoice]:
        """The invoices read, in the order of the ids."""
        return [o.invoice for o in self.outcomes if o.invoice is not None]

    @property
    def failures(self) -> dict[str, Exception]:
        """Each id that could not be read, with its error."""
        return {o.id: o.error for o in self.outcomes if o.error is not None}

    @property
    def not_fetched(self) -> list[str]:
        """Ids left unfetched because the batch was interrupted."""
        return [o.id for o in self.outcomes if o.invoice is None and o.error is None]

    def __iter__(self) -> Iterator[ClientInvoice]:
        return iter(self.invoices)

    def __len__(self) -> int:
        return len(self.invoices)

    def to_dataframe(self, level: str = "invoice") -> pd.DataFrame:
        """The invoices read, as a DataFrame (see :func:`wingspan_nb.to_dataframe`)."""
        from .analysis import to_dataframe

        return to_dataframe(self.invoices, level=level)  # type: ignore[arg-type]

    def save(self, path: str | Path) -> Path:
        """Write the invoices read as a snapshot (see :meth:`wingspan_nb.invoices.InvoiceList.save`)."""
        from .snapshots import save_snapshot

        return save_snapshot(path, (inv.to_dict() for inv in self.invoices))

    def __repr__(self) -> str:
        parts = [f"{len(self.invoices)} read", f"{len(self.failures)} failed"]
        if self.interrupted:
            parts.append(f"{len(self.not_fetched)} not fetched (interrupted)")
        return f"<BatchResult {', '.join(parts)} of {len(self.outcomes)} ids>"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(repr(self))

    def _repr_html_(self) -> str | None:
        from .display import repr_html

        return repr_html(self)


def _progress(total: int, enabled: bool, desc: str) -> Any:
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="inv")


_T = TypeVar("_T")
_R = TypeVar("_R")


def run_concurrently(
    fn: Callable[[_T], _R], items: Sequence[_T], *, max_workers: int, progress: bool, desc: str
) -> tuple[list[_R | errors.WingspanError | None], bool]:
    """Run ``fn`` on each item on ``max_workers`` threads, in the items' order.

    Each slot holds the result, the :class:`~wingspan_nb.errors.WingspanError` that ``fn`` raised, or
    ``None`` when the run was interrupted (Ctrl-C) before that item finished; the flag says whether it
    was. Other exceptions are bugs and propagate.
    """
    if max_workers < 1:
        raise errors.InvalidRequestError(f"max_workers must be at least 1, got {max_workers}")
    results: list[_R | errors.WingspanError | None] = [None] * len(items)
    bar = _progress(len(items), progress, desc)
    interrupted = False
    pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="wingspan")
    futures: dict[Future[_R], int] = {}
    try:
        futures = {pool.submit(fn, item): n for n, item in enumerate(items)}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            for f in done:
                try:
                    results[futures[f]] = f.result()
                except errors.WingspanError as e:
                    results[futures[f]] = e
                if bar is not None:
                    bar.update(1)
    except KeyboardInterrupt:
        interrupted = True
        for f in futures:
            f.cancel()
        warnings.warn(
            f"{desc}: interrupted; the result holds what was done so far.",
            BatchInterruptedWarning,
            stacklevel=3,
        )
    finally:
        pool.shutdown(wait=not interrupted, cancel_futures=True)
        if bar is not None:
            bar.close()
    if interrupted:  # work already under way when interrupted may finish; keep what did
        for f, n in futures.items():
            if results[n] is None and f.done() and not f.cancelled() and f.exception() is None:
                results[n] = f.result()
    return results, interrupted


def fetch_many(
    get: Callable[[str], ClientInvoice],
    ids: Iterable[str],
    *,
    max_workers: int = 8,
    progress: bool = True,
) -> BatchResult:
    """Run ``get`` for each id on ``max_workers`` threads; see ``ClientInvoiceResource.get_many``."""
    id_list = list(ids)
    results, interrupted = run_concurrently(
        get, id_list, max_workers=max_workers, progress=progress, desc="invoices"
    )
    outcomes = [
        Outcome(i, error=r) if isinstance(r, errors.WingspanError) else Outcome(i, invoice=r)
        for i, r in zip(id_list, results, strict=True)
    ]
    return BatchResult(outcomes, interrupted=interrupted)
