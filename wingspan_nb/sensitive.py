"""Which numbers no view shows in full: the one table of sensitive wire fields, and the mask.

Bank account, routing and SWIFT numbers, social-security, employer and tax ids end up in saved
notebooks, exported HTML, logs and tracebacks the moment something shows them. Every view asks here,
by wire name: the notebook views (HTML and text, unless ``set_options(show_sensitive=True)`` is in
force), a model's ``repr()`` and error messages that quote a reply body (always) show ``•••• 2102``.
The data itself (attributes, ``to_dict()``, ``to_json()``, an error's ``.body`` and ``.validation``)
is never changed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

__all__ = [
    "SENSITIVE_WIRE_FIELDS",
    "is_sensitive",
    "mask",
    "masked_document",
    "masked_text",
]

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
        "dob",
    }
)
"""Wire names (in any model, and in properties the models do not know) whose values are masked."""

_DOTS = "••••"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_KEEP = 4
_MIN_FOR_TAIL = 8  # shorter values would give too much away with their last four characters


def is_sensitive(wire_name: object) -> bool:
    """Whether a property of this wire name holds a number that views mask."""
    return isinstance(wire_name, str) and wire_name in SENSITIVE_WIRE_FIELDS


def mask(value: object) -> str:
    """``•••• 2102``: the last four characters of long values, nothing of short ones, nothing of a
    date (the tail of a date of birth gives away the day)."""
    s = str(value)
    if len(s) < _MIN_FOR_TAIL or _DATE.match(s):
        return _DOTS
    return f"{_DOTS} {s[-_KEEP:]}"


_POINTERS: Final = ("location", "path", "loc")
_NOT_VALUES: Final = frozenset({*_POINTERS, "message", "msg", "type", "title", "detail"})


def _points_at_sensitive(data: Mapping[Any, Any]) -> bool:
    """Whether an object is about a sensitive property (a 422 problem whose ``location`` ends at
    ``accountNumber``): then the value it quotes (``value``, ``input``, ...) is that property's."""
    for key in _POINTERS:
        where = data.get(key)
        if isinstance(where, list) and where:
            return is_sensitive(where[-1])
    return False


def masked_document(data: Any, sensitive: bool = False) -> Any:
    """A copy of a wire document (dicts, lists, scalars) with every sensitive value masked, also
    inside a list or object held under a sensitive name, and the value an object quotes when its
    ``location``/``path`` ends at a sensitive name; ``null`` stays ``null`` so that the reader
    still sees which ones are empty."""
    if isinstance(data, Mapping):
        quoted = not sensitive and _points_at_sensitive(data)
        return {
            k: masked_document(v, sensitive or is_sensitive(k) or (quoted and k not in _NOT_VALUES))
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [masked_document(v, sensitive) for v in data]
    return mask(data) if sensitive and data is not None else data


_KEY = re.compile(r'"(?:' + "|".join(sorted(SENSITIVE_WIRE_FIELDS)) + r')"\s*:\s*')
# A JSON string (also one cut off by the end of an excerpt) or a number; _LEAF tells keys apart.
_STRING = r'"(?:[^"\\]|\\.)*(?:"|\\?$)'
_SCALAR = re.compile(_STRING + r"|-?\d[\d.eE+-]*")
_LEAF = re.compile(f"({_STRING})(\\s*:)?|-?\\d[\\d.eE+-]*")


def _value_end(text: str, start: int) -> int:
    """Where the JSON object or array opening at ``start`` ends (strings skipped); the end of the
    text when it is cut off (an excerpt), so that a truncated value is masked to the end."""
    depth, i, n = 0, start, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            m = _SCALAR.match(text, i)
            i = m.end() if m else n
            continue
        if c in "{[":
            depth += 1
        elif c in "}]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def _masked_leaf(m: re.Match[str]) -> str:
    if m.group(2) is not None:  # a key inside a masked object: kept, like masked_document keeps keys
        return m.group(0)
    raw = m.group(0)
    value = raw[1:].removesuffix('"') if raw.startswith('"') else raw
    return f'"{mask(value)}"'


def masked_text(message: str) -> str:
    """A message that may quote a JSON body (an error's excerpt), with the sensitive values in it
    masked: ``"accountNumber": "195002892775"`` → ``"accountNumber": "•••• 2775"``; every string
    and number inside an object or array held under a sensitive name is masked the same way."""
    out: list[str] = []
    pos = 0
    for m in _KEY.finditer(message):
        start = m.end()
        if start < pos:  # inside a value already masked
            continue
        if start < len(message) and message[start] in "{[":
            end = _value_end(message, start)
        else:
            leaf = _SCALAR.match(message, start)
            if leaf is None:  # null, true, false: nothing to hide
                continue
            end = leaf.end()
        out += [message[pos:start], _LEAF.sub(_masked_leaf, message[start:end])]
        pos = end
    out.append(message[pos:])
    return "".join(out)
