"""What changed between two invoice lists: ``wingspan_nb.compare(before, after)``.

Invoices are matched by id. An invoice in both lists is listed only when its wire document differs
(as JSON: a boolean never equals a number, though Python has ``1 == True``), field by field under its
wire path (``creditFeeHandling.clientPays``, ``lineItems[2].totalCost``; line items matched by
position). Status transitions are counted, and amounts move per currency, never summed across
currencies.

Ten thousand invoices against ten thousand: the models are first compared field by field (plain
values in one tuple comparison per model), and only the invoices that differ there are written out
with ``to_dict()`` and diffed, so the cost of the diff grows with what changed, not with the account.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs
import orjson

from . import errors
from ._changes import Change, change_value
from ._displayable import Displayable
from ._facts import totals_by_currency
from ._sensitive import is_sensitive, masked_document, masked_prose
from .models import UNSET, ClientInvoice, WireModel, field_plan, wire_value
from .models.fields import Kind

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AmountMove", "Changes", "InvoiceDiff", "compare", "masked_change_value"]

NOT_SET: Any = change_value(UNSET)
"""A field that one of the two documents does not have, as a change shows it (``"(not set)"``)."""

FRAME_COLUMNS = ("invoice_id", "invoice_number", "change", "field", "before", "after")
_KINDS = ("added", "removed", "changed")


@attrs.frozen
class InvoiceDiff:
    """One invoice that differs between the two lists: ``added`` (only in ``after``), ``removed``
    (only in ``before``) or ``changed`` (in both, with the :attr:`fields` that differ)."""

    change: Literal["added", "removed", "changed"]
    invoice_id: str
    invoice_number: str
    before: ClientInvoice | None = attrs.field(repr=False)
    """The invoice as it was (``None`` when added)."""
    after: ClientInvoice | None = attrs.field(repr=False)
    """The invoice as it is (``None`` when removed)."""
    fields: tuple[Change, ...] = ()
    """For a changed invoice, each field that differs: its wire path and its values before and after
    (wire form; ``"(not set)"`` where a document does not have the field)."""


@attrs.frozen
class AmountMove:
    """How the invoice amounts of one currency moved. ``changed`` is the net change of the invoices
    in both lists (an invoice whose currency changed leaves one currency and enters the other)."""

    currency: str
    before: float
    """The total of ``before``'s invoices in this currency."""
    after: float
    """The total of ``after``'s invoices in this currency."""
    added: float
    """The total of the added invoices."""
    removed: float
    """The total of the removed invoices."""
    changed: float
    """The net change of the invoices in both lists."""

    @property
    def net(self) -> float:
        """``after - before``: what ``added - removed + changed`` comes to."""
        return self.after - self.before


@attrs.frozen(eq=False)
class Changes(Displayable):
    """What changed between two invoice lists (see :func:`compare`): the invoices added, removed and
    changed, the status transitions, and the amount moves per currency.

    Falsy when nothing changed. ``to_frame()`` has one row per changed field; in a notebook it shows
    as a card (counts, then transitions, amounts and the invoices).
    """

    invoices: tuple[InvoiceDiff, ...]
    """The invoices that differ: the added ones, then the removed, then the changed."""
    unchanged: int
    """How many invoices are in both lists with the same document."""
    transitions: dict[tuple[str, str], int]
    """How many invoices went from one status to another (wire values), most frequent first."""
    amounts: tuple[AmountMove, ...]
    """Per currency, in the order of the currency codes."""
    not_compared: tuple[int, int] = (0, 0)
    """Items of ``before`` and of ``after`` that did not fit the models (their lists' ``failures``),
    which could not be compared."""

    def _of(self, kind: str) -> list[InvoiceDiff]:
        return [d for d in self.invoices if d.change == kind]

    @property
    def added(self) -> list[InvoiceDiff]:
        """The invoices only in ``after``."""
        return self._of("added")

    @property
    def removed(self) -> list[InvoiceDiff]:
        """The invoices only in ``before``."""
        return self._of("removed")

    @property
    def changed(self) -> list[InvoiceDiff]:
        """The invoices in both whose documents differ."""
        return self._of("changed")

    def counts(self) -> dict[str, int]:
        """``{"added": …, "removed": …, "changed": …, "unchanged": …}``."""
        counts: Counter[str] = Counter(d.change for d in self.invoices)
        return {**{k: counts[k] for k in _KINDS}, "unchanged": self.unchanged}

    def __len__(self) -> int:
        """The number of invoices that differ."""
        return len(self.invoices)

    def __iter__(self) -> Iterator[InvoiceDiff]:
        return iter(self.invoices)

    def summary(self) -> str:
        """The counts in words: ``3 added · 2 removed · 5 changed · 9,990 unchanged``, or, when
        nothing changed, a sentence that says so."""
        if not self.invoices:
            n = self.unchanged
            invoices = "invoice in both lists is" if n == 1 else "invoices in both lists are"
            return f"No changes: the {n:,} {invoices} the same."
        c = self.counts()
        return " · ".join(f"{c[k]:,} {k}" for k in (*_KINDS, "unchanged"))

    def rows(self, *, show_sensitive: bool = False) -> list[tuple[str, str, str, str | None, Any, Any]]:
        """The rows of :meth:`to_frame` as tuples: ``(invoice_id, invoice_number, change, field,
        before, after)``, masked the same way."""
        out: list[tuple[str, str, str, str | None, Any, Any]] = []
        for d in self.invoices:
            number = d.invoice_number if show_sensitive else masked_prose(d.invoice_number)
            if not d.fields:
                out.append((d.invoice_id, number, d.change, None, None, None))
            for ch in d.fields:
                before = masked_change_value(ch.field, ch.before, show_sensitive)
                after = masked_change_value(ch.field, ch.after, show_sensitive)
                out.append((d.invoice_id, number, d.change, ch.field, before, after))
        return out

    def to_frame(self, *, show_sensitive: bool = False) -> pd.DataFrame:
        """One row per changed field, with columns ``invoice_id``, ``invoice_number``, ``change``
        (added, removed or changed), ``field`` (the wire path), ``before`` and ``after`` (wire
        values); an added or removed invoice is one row with no field. Sensitive values (bank
        account and routing numbers, tax ids, and such numbers in free text) are masked as every
        view masks them, unless ``show_sensitive=True``; the :attr:`invoices` keep them as they are."""
        from ._analysis import require_pandas

        pandas = require_pandas()
        rows = self.rows(show_sensitive=show_sensitive)
        df: pd.DataFrame = pandas.DataFrame.from_records(rows, columns=list(FRAME_COLUMNS))
        df["change"] = df["change"].astype(pandas.CategoricalDtype(list(_KINDS)))
        for name in ("before", "after"):
            df[name] = df[name].astype(object)
        return df

    def __repr__(self) -> str:
        return f"<Changes {self.summary()}>"

    _repr_pretty_ = Displayable._pretty_summary

    def __str__(self) -> str:
        """``print(changes)``: the same lines as in a notebook."""
        return self._text_card()


_PATH_NAMES: Final = re.compile(r'[.\[\]"]')


def masked_change_value(field: str, value: Any, show_sensitive: bool = False) -> Any:
    """A before or after value as a view shows it: masked when the path names a sensitive field
    anywhere (``memberClient.achCreditAccount.accountNumber``), and such numbers in free text masked
    as :func:`wingspan_nb._sensitive.masked_document` does; as it is with ``show_sensitive``."""
    if show_sensitive or value is NOT_SET:
        return value
    # Every name in the path, quoted keys' too: a key "x.accountNumber" is masked as a nested one is.
    sensitive = any(is_sensitive(part) for part in _PATH_NAMES.split(field) if part)
    return masked_document(value, sensitive)


def compare(before: Any, after: Any) -> Changes:
    """What changed from ``before`` to ``after``: two invoice lists, as ``client_invoice.list()``
    (its reply or its ``client_invoices``), ``load_invoices`` or ``get_many`` give them, or any
    list of ``ClientInvoice``.

    Invoices are matched by id (an id listed twice is matched occurrence by occurrence). An invoice
    in both whose wire document is the same is not listed; for one that differs, each field that
    differs is listed under its wire path with its values before and after. Items that did not fit
    the models (a list's ``failures``) are not compared; ``Changes.not_compared`` counts them.

    >>> monday = wingspan_nb.load_invoices("monday.jsonl.gz")
    >>> changes = wingspan_nb.compare(monday, s.client_invoice.list())
    >>> changes.to_frame()
    """
    old, old_failed = _invoices_of(before, "before")
    new, new_failed = _invoices_of(after, "after")
    old_by_key = dict(_keyed(old))
    added: list[InvoiceDiff] = []
    changed: list[InvoiceDiff] = []
    pairs: list[tuple[ClientInvoice, ClientInvoice]] = []
    unchanged = 0
    for key, inv in _keyed(new):
        was = old_by_key.pop(key, None)
        if was is None:
            added.append(InvoiceDiff("added", inv.invoice_id, inv.invoice_number, None, inv))
            continue
        if _model_equal(ClientInvoice)(was, inv):
            unchanged += 1
            continue
        fields: list[Change] = []
        _diff(was.to_dict(), inv.to_dict(), "", fields)
        if not fields:  # equal once written out (an int where the other has the same float)
            unchanged += 1
            continue
        changed.append(InvoiceDiff("changed", inv.invoice_id, inv.invoice_number, was, inv, tuple(fields)))
        pairs.append((was, inv))
    removed = [
        InvoiceDiff("removed", inv.invoice_id, inv.invoice_number, inv, None) for inv in old_by_key.values()
    ]
    transitions = Counter(
        (str(wire_value(b.status)), str(wire_value(a.status))) for b, a in pairs if b.status != a.status
    )
    return Changes(
        invoices=(*added, *removed, *changed),
        unchanged=unchanged,
        transitions=dict(transitions.most_common()),
        amounts=_amounts(old, new, added, removed, pairs),
        not_compared=(old_failed, new_failed),
    )


def _invoices_of(items: Any, what: str) -> tuple[list[ClientInvoice], int]:
    """The invoices of one side of a comparison, and how many of its items did not fit the models."""
    from ._batch import BatchResult
    from .models.operations import ListClientInvoicesResponse

    if isinstance(items, ListClientInvoicesResponse):
        items = items.client_invoices
    if isinstance(items, BatchResult):
        return list(items.client_invoices), len(items.failures)
    failed = len(getattr(items, "failures", ()))
    if isinstance(items, str | bytes | WireModel) or not isinstance(items, Iterable):
        raise errors.InvalidRequestError(
            f"compare's {what} must be a list of invoices (client_invoice.list(), load_invoices, "
            f"get_many or a list of ClientInvoice), got {type(items).__name__}"
        )
    invoices = list(items)
    for inv in invoices:
        if not isinstance(inv, ClientInvoice):
            raise errors.InvalidRequestError(
                f"compare's {what} must hold ClientInvoice objects, got a {type(inv).__name__}; "
                "load a snapshot with wingspan_nb.load_invoices(path)"
            )
    return invoices, failed


def _keyed(invoices: list[ClientInvoice]) -> Iterator[tuple[tuple[str, int], ClientInvoice]]:
    """Each invoice keyed by its id and which occurrence of that id it is (0 for the first)."""
    ids = {inv.invoice_id: inv for inv in invoices}
    if len(ids) == len(invoices):  # no id twice: the usual case, and a quicker one
        for invoice_id, inv in ids.items():
            yield (invoice_id, 0), inv
        return
    seen: Counter[str] = Counter()
    for inv in invoices:
        n = seen[inv.invoice_id]
        seen[inv.invoice_id] = n + 1
        yield (inv.invoice_id, n), inv


def _amounts(
    old: list[ClientInvoice],
    new: list[ClientInvoice],
    added: list[InvoiceDiff],
    removed: list[InvoiceDiff],
    pairs: list[tuple[ClientInvoice, ClientInvoice]],
) -> tuple[AmountMove, ...]:
    before = totals_by_currency((inv.currency, inv.amount) for inv in old)
    after = totals_by_currency((inv.currency, inv.amount) for inv in new)
    plus = totals_by_currency((d.after.currency, d.after.amount) for d in added if d.after)
    minus = totals_by_currency((d.before.currency, d.before.amount) for d in removed if d.before)
    deltas: list[tuple[object, float]] = []
    for b, a in pairs:
        if b.currency == a.currency:  # one difference, so that an unchanged amount adds exactly 0
            deltas.append((a.currency, a.amount - b.amount))
        else:
            deltas += [(b.currency, -b.amount), (a.currency, a.amount)]
    moves = totals_by_currency(deltas)
    return tuple(
        AmountMove(
            currency,
            before.get(currency, 0.0),
            after.get(currency, 0.0),
            plus.get(currency, 0.0),
            minus.get(currency, 0.0),
            moves.get(currency, 0.0),
        )
        for currency in sorted({*before, *after})
    )


# -- fast equality of two parsed invoices ----------------------------------------------------------

_Eq = Callable[[Any, Any], bool]
_MODEL_EQ: dict[type, _Eq] = {}


def _holds_models(kind: Kind) -> bool:
    return kind.tag == "model" or (kind.tag in ("list", "map") and _holds_models(kind.arg))


def _free_form(kind: Kind) -> bool:
    """Whether a field of this kind holds JSON as parsed, where a boolean and a number can meet (the
    typed fields hold only what their kind allows: a number field never holds ``True``)."""
    return kind.tag in ("any", "object") or (kind.tag in ("list", "map") and _free_form(kind.arg))


def _json_equal(a: Any, b: Any) -> bool:
    """Whether two values are the same JSON: ``==``, except that a boolean is never equal to a number
    (Python has ``1 == True`` and ``0 == False``; JSON's ``true`` is not ``1``)."""
    if a is b:
        return True
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return len(a) == len(b) and all(k in b and _json_equal(v, b[k]) for k, v in a.items())
    if a.__class__ is list and b.__class__ is list:
        return len(a) == len(b) and all(map(_json_equal, a, b))
    if (a.__class__ is bool) is not (b.__class__ is bool):
        return False
    return bool(a == b)


def _equal(kind: Kind) -> _Eq:
    """How to compare two values of a field of this kind that may hold models."""
    if kind.tag == "model":
        return _model_equal(kind.arg)
    item = _equal(kind.arg)
    if kind.tag == "list":

        def lists(a: Any, b: Any) -> bool:
            if type(a) is not list or type(b) is not list:
                return bool(a == b)
            if len(a) != len(b):
                return False
            for x, y in zip(a, b):  # noqa: B905  # the lengths are equal
                if x is not y and not item(x, y):
                    return False
            return True

        return lists

    def maps(a: Any, b: Any) -> bool:
        if type(a) is not dict or type(b) is not dict:
            return bool(a == b)
        return a.keys() == b.keys() and all(item(v, b[k]) for k, v in a.items())

    return maps


def _model_equal(cls: type[WireModel]) -> _Eq:
    """Whether two values of a model field would be written out alike: the typed fields that hold no
    model (and which optional fields were absent) in one tuple comparison, the free-form ones (and the
    unknown properties) as JSON (:func:`_json_equal`), then each nested model the same way. Built
    once per class; everything else about a value is compared with ``==``."""
    known = _MODEL_EQ.get(cls)
    if known is not None:
        return known
    _MODEL_EQ[cls] = lambda a, b: _MODEL_EQ[cls](a, b)  # a model that nests itself, while building
    fields = field_plan(cls)
    nested = [f for f in fields if _holds_models(f.kind)]
    free = [f.name for f in fields if f not in nested and _free_form(f.kind)]
    plain = attrgetter(*(f.name for f in fields if f not in nested and f.name not in free), "_absent")
    # "_absent" again in the next two, so that each getter returns a tuple even for one field; its pair
    # is already compared with the plain fields.
    as_json = attrgetter(*free, "_absent") if free else None
    inner = attrgetter(*(f.name for f in nested), "_absent")
    sames = [_equal(f.kind) for f in nested]

    def equal(a: Any, b: Any) -> bool:
        if a is b:
            return True
        if type(a) is not cls or type(b) is not cls:
            return bool(a == b)  # None, or a value the models would not hold
        if plain(a) != plain(b):
            return False
        # Most models have no unknown property: both hold the one empty mapping, and this is all.
        x, y = a.additional_properties, b.additional_properties
        if x is not y and not _json_equal(x, y):
            return False
        if as_json is not None:
            for x, y in zip(as_json(a), as_json(b)):  # noqa: B905  # one getter: equal lengths
                if x is not y and not _json_equal(x, y):
                    return False
        if not sames:
            return True
        for x, y, same in zip(inner(a), inner(b), sames):  # noqa: B905  # the _absent pair is left over
            if x is not y and not same(x, y):
                return False
        return True

    _MODEL_EQ[cls] = equal
    return equal


# -- the diff of two wire documents ----------------------------------------------------------------


_PLAIN_KEY: Final = re.compile(r'[^.\[\]"]+')


def _path(prefix: str, key: str) -> str:
    """``prefix.key``; a key that could pass for a path (``"creditFeeHandling.clientPays"`` at the
    top level) or is empty is quoted, ``prefix["a.b"]``, so a path names one place only."""
    if not _PLAIN_KEY.fullmatch(key):
        return f"{prefix}[{json.dumps(key, ensure_ascii=False)}]"
    return f"{prefix}.{key}" if prefix else key


def _same_json(before: Any, after: Any) -> bool:
    """Whether two parts of wire documents that are equal under ``==`` are the same JSON (``==`` takes
    ``true`` for ``1``). Written out by orjson, in C, as the common case; where the bytes differ (a
    number written ``1`` on one side and ``1.0`` on the other, keys in another order) or orjson
    cannot write them (an integer beyond 64 bits), value by value."""
    try:
        if orjson.dumps(before) == orjson.dumps(after):
            return True
    except TypeError:
        pass
    return _json_equal(before, after)


def _diff(before: Any, after: Any, path: str, out: list[Change]) -> None:
    """Append a :class:`Change` for each wire path where the two documents differ: objects key by
    key, lists of objects (line items) item by item, anything else as a whole."""
    if type(before) is type(after) and before == after:
        # Two values of one type: the same JSON, unless they hold a boolean against a number inside.
        if not isinstance(before, dict | list) or _same_json(before, after):
            return
    if isinstance(before, dict) and isinstance(after, dict):
        for key in {**before, **after}:
            _diff(before.get(key, NOT_SET), after.get(key, NOT_SET), _path(path, key), out)
        return
    if (
        isinstance(before, list)
        and isinstance(after, list)
        and all(isinstance(item, dict) for item in (*before, *after))
    ):
        for n in range(max(len(before), len(after))):
            b = before[n] if n < len(before) else NOT_SET
            a = after[n] if n < len(after) else NOT_SET
            _diff(b, a, f"{path}[{n}]", out)
        return
    out.append(Change(path or "$", before, after))
