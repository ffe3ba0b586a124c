"""Which numbers no view shows in full: the one table of sensitive wire fields, and the mask.

Bank account, routing and SWIFT numbers, social-security, employer and tax ids end up in saved
notebooks, exported HTML, logs and tracebacks the moment something shows them. Every view asks here,
by wire name: the notebook views (HTML and text, unless ``set_options(show_sensitive=True)`` is in
force), a model's ``repr()`` and error messages that quote a reply body (always) show ``•••• 2102``.
The data itself (attributes, ``to_dict()``, ``to_json()``, an error's ``.body``) is never changed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

__all__ = ["SENSITIVE_WIRE_FIELDS", "is_sensitive", "mask", "masked_document", "masked_text"]

SENSITIVE_WIRE_FIELDS: Final = frozenset(
    {
        "accountNumber",
        "routingNumber",
        "swiftCode",
        "iban",
        "bic",
        "ssn",
        "ssnLastFour",
        "ein",
        "taxId",
    }
)
"""Wire names (in any model, and in properties the models do not know) whose values are masked."""

_DOTS = "••••"
_KEEP = 4
_MIN_FOR_TAIL = 8  # shorter values would give too much away with their last four characters


def is_sensitive(wire_name: object) -> bool:
    """Whether a property of this wire name holds a number that views mask."""
    return isinstance(wire_name, str) and wire_name in SENSITIVE_WIRE_FIELDS


def mask(value: object) -> str:
    """``•••• 2102``: the last four characters of long values, nothing of short ones."""
    s = str(value)
    return f"{_DOTS} {s[-_KEEP:]}" if len(s) >= _MIN_FOR_TAIL else _DOTS


def masked_document(data: Any, sensitive: bool = False) -> Any:
    """A copy of a wire document (dicts, lists, scalars) with every sensitive value masked, also
    inside a list or object held under a sensitive name; ``null`` stays ``null`` so that the reader
    still sees which ones are empty."""
    if isinstance(data, Mapping):
        return {k: masked_document(v, sensitive or is_sensitive(k)) for k, v in data.items()}
    if isinstance(data, list):
        return [masked_document(v, sensitive) for v in data]
    return mask(data) if sensitive and data is not None else data


_IN_TEXT = re.compile(
    r'("(?:' + "|".join(sorted(SENSITIVE_WIRE_FIELDS)) + r')"\s*:\s*)("(?:[^"\\]|\\.)*"|-?[\d.eE+-]+)'
)


def masked_text(message: str) -> str:
    """A message that may quote a JSON body (an error's excerpt), with the sensitive values in it
    masked: ``"accountNumber": "195002892775"`` → ``"accountNumber": "•••• 2775"``."""

    def repl(m: re.Match[str]) -> str:
        raw = m.group(2)
        value = raw[1:-1] if raw.startswith('"') else raw
        return f'{m.group(1)}"{mask(value)}"'

    return _IN_TEXT.sub(repl, message)
