"""What each model field means: the API reference's own words where it has them, and notes of
wingspan_nb's own, marked as the library's, where its rules say more.

:func:`describe` gives a field's description as the field plan (:attr:`Field.description`), the
reference pages and the edit form's tooltips show it: the API's text (or :data:`NOT_DESCRIBED`), then
the library's note after :data:`LIBRARY_MARK`, so the two are never mistaken for each other.
"""

from __future__ import annotations

from typing import Final

from ._base import WireModel

__all__ = ["API_DESCRIPTIONS", "LIBRARY_MARK", "LIBRARY_NOTES", "NOT_DESCRIBED", "describe", "library_note"]

NOT_DESCRIBED: Final = "Not described by the API."
"""A field's description when neither the 2023 nor the 2024 API reference describes it."""

LIBRARY_MARK: Final = "wingspan_nb's note:"
"""Starts the library's own words in a description; everything before it is the API's."""

API_DESCRIPTIONS: Final[dict[tuple[str, str], str]] = {}
"""The API reference's description of a field, verbatim, by (model class name, attribute). Neither spec
describes a single property of these models (their schemas carry types only), so it is empty;
``tests/test_descriptions.py`` compares it with the specs' extract, so a description a new spec adds
fails that test until it is copied here."""

_SPLIT = (
    "Who pays the credit-card fee, in percentages. When client pays and member pays are both set they "
    "split the fee and must add up to 100: checked before a request is sent "
    "(update, update_many, the edit form), not on each assignment, so 50/50 can become 30/70 one "
    "share at a time."
)
_SHARE = (
    "A percentage: a number from 0 to 100, checked on every assignment. With the other share it "
    "splits the fee (see credit_fee_handling)."
)

LIBRARY_NOTES: Final[dict[tuple[str, str], str]] = {
    ("ClientInvoice", "status"): (
        "Open, Overdue and Pending invoices await the client's payment (the views count their days "
        "overdue from the due date); a Draft was never sent; PaymentInTransit, Paid and Cancelled "
        "wait for nothing. Paid and Cancelled are settled: the edit form warns, and a bulk plan asks "
        "for confirmation, before an invoice leaves them. A status this version does not know is "
        "kept as sent."
    ),
    ("ClientInvoiceUpdateRequest", "status"): (
        "The status to set; left out, the status is unchanged (what each status means: "
        "ClientInvoice.status). Only the seven known statuses can be sent."
    ),
    ("ClientInvoice", "credit_fee_handling"): _SPLIT,
    ("ClientInvoiceUpdateRequest", "credit_fee_handling"): (
        f"{_SPLIT} Null removes it (the member's default applies)."
    ),
    ("FeeHandlingConfig", "client_pays"): _SHARE,
    ("FeeHandlingConfig", "member_pays"): _SHARE,
    ("FeeHandlingConfig", "client_absolute_percentage"): (
        "A fixed percentage the client pays (the API reference says no more about it); not checked "
        "against the split of client pays and member pays."
    ),
}
"""What wingspan_nb's own rules say about a field, by (model class name, attribute; names, because
the field plan asks here while the model module is still being imported): plain words, without
:data:`LIBRARY_MARK` (:func:`describe` adds it). The edit form shows them too."""


def library_note(cls: type[WireModel], name: str) -> str:
    """The library's own words about ``cls.name`` (``""`` when it has none), unmarked."""
    return LIBRARY_NOTES.get((cls.__name__, name), "")


def describe(cls: type[WireModel], name: str) -> str:
    """The description of ``cls.name``: the API reference's text or :data:`NOT_DESCRIBED`, then the
    library's note, if any, after :data:`LIBRARY_MARK`."""
    api = API_DESCRIPTIONS.get((cls.__name__, name), NOT_DESCRIBED)
    note = library_note(cls, name)
    return f"{api} {LIBRARY_MARK} {note}" if note else api
