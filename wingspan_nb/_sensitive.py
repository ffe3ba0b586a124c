"""Which numbers no view shows in full: the one table of sensitive wire fields, and the mask.

Bank account, routing and SWIFT numbers, social-security, employer and tax ids end up in saved
notebooks, exported HTML, logs and tracebacks the moment something shows them. Every view asks here,
by wire name: the notebook views (HTML and text, unless ``set_options(show_sensitive=True)`` is in
force), a model's ``repr()`` and error messages that quote a reply body (always) show ``•••• 2102``.
The data itself (attributes, ``to_dict()``, ``to_json()``, an error's ``.body`` and ``.validation``)
is never changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Final

__all__ = [
    "SENSITIVE_WIRE_FIELDS",
    "is_sensitive",
    "mask",
    "masked_body",
    "masked_document",
    "masked_free_text",
    "masked_prose",
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
"""Wire names (in any model, and in properties the models do not know) whose values are masked.
A name matches whatever its case, underscores, hyphens or spaces (``SSN``, ``account_number``,
``Account-Number``, ``routing number``), as servers and proxies write them."""

_SPELLING = re.compile(r"[\s_-]")


def _normal(name: str) -> str:
    return _SPELLING.sub("", name).lower()


_NORMALISED: Final = frozenset(map(_normal, SENSITIVE_WIRE_FIELDS))

_DOTS = "••••"
# A date in the forms servers write one (2024-04-12, 20240412, 04/12/1980, 12.04.1980): its tail
# would give the day and month away.
_DATE = re.compile(
    r"(?:19|20)\d\d-?(?:0[1-9]|1[0-2])-?(?:0[1-9]|[12]\d|3[01])(?:T.*)?|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
)
_KEEP = 4
_SEPARATORS = re.compile(r"[\s-]")
_MIN_FOR_TAIL = 8  # shorter values would give too much away with their last four characters


def is_sensitive(wire_name: object) -> bool:
    """Whether a property of this wire name holds a number that views mask."""
    return isinstance(wire_name, str) and _normal(wire_name) in _NORMALISED


def mask(value: object) -> str:
    """``•••• 2102``: the last four characters of long values, nothing of short ones, nothing of a
    date (the tail of a date of birth gives away the day)."""
    s = str(value)
    compact = _SEPARATORS.sub("", s)  # the tail of "987 654 321 098" is "1098", not " 098"
    if len(compact) < _MIN_FOR_TAIL or _DATE.fullmatch(s.strip()):
        return _DOTS
    return f"{_DOTS} {compact[-_KEEP:]}"


_POINTERS: Final = ("location", "path", "loc", "field", "pointer")
_NOT_VALUES: Final = frozenset({*_POINTERS, "message", "msg", "type", "title", "detail"})


def _points_at_sensitive(data: Mapping[Any, Any]) -> bool:
    """Whether an object is about a sensitive property (a 422 problem whose ``location`` ends at
    ``accountNumber``): then the value it quotes (``value``, ``input``, ...) is that property's."""
    for key in _POINTERS:
        where = data.get(key)
        if isinstance(where, str):  # "creditFeeHandling.accountNumber", "/body/accountNumber"
            where = [part for part in re.split(r"[./\[\]]", where) if part]
        if isinstance(where, list) and where:
            return is_sensitive(where[-1])
    return False


# What an account, routing, social-security, employer or IBAN number looks like inside free text
# ("pay to account 000123456789.", a 422 message quoting the value): an IBAN, or digits in a row,
# or digit groups joined by dashes or by spaces, never part of a longer word, id or number (a
# sentence's full stop or comma after it is fine). Which of these are masked is _hides' call.
_NUMBER_IN_TEXT = re.compile(
    r"(?<![\w.,/-])"
    r"(?:[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?|\d+(?:-\d+)+|\d+(?: \d+)+|\d+)"
    r"(?![\w/-]|[.,]\w)"
)
_STRICT_NUMBER = re.compile(r"(?<![\w])\d[\d/.-]{2,}\d(?!\w)")


def _hides(found: str) -> bool:
    """Whether a number found in free text is one to mask: an IBAN; 8 or more digits in a row; 9 or
    more digits in groups (an SSN, an EIN, a spaced account number), a date never."""
    if found[0].isalpha():
        return True
    digits = sum(c.isdigit() for c in found)
    if _DATE.fullmatch(found):
        return False
    return digits >= (_MIN_FOR_TAIL if found.isdigit() else 9)


def masked_free_text(text: str, *, strict: bool = False) -> str:
    """Free text (notes, messages) with anything that looks like an account or id number masked:
    ``pay to account 000123456789.`` → ``pay to account •••• 6789.``. A value quoted whole
    (``"100000001"`` in a JSON excerpt) is a JSON value, judged by its key, not here. ``strict``
    (a message about a sensitive property) also masks dates and every number of 4 or more digits."""

    def repl(m: re.Match[str]) -> str:
        start, end = m.span()
        if 0 < start and end < len(text) and text[start - 1] == text[end] and text[end] in "\"'":
            return m.group(0)
        return mask(m.group(0)) if _hides(m.group(0)) else m.group(0)

    masked = _NUMBER_IN_TEXT.sub(repl, text)
    return _STRICT_NUMBER.sub(lambda m: mask(m.group(0)), masked) if strict else masked


def masked_document(data: Any, sensitive: bool = False, *, about_sensitive: bool = False) -> Any:
    """A copy of a wire document (dicts, lists, scalars) with every sensitive value masked, also
    inside a list or object held under a sensitive name, and what an object says about a sensitive
    property (its ``location``/``path`` ends at one: the value it quotes, and any number or date
    in its message); text is masked as :func:`masked_text` does (numbers in prose, JSON held in a
    string), while a string with no space (an id, an invoice number) is left alone; ``null`` stays
    ``null`` so that the reader still sees which ones are empty."""
    if isinstance(data, Mapping):
        quoted = not sensitive and _points_at_sensitive(data)
        return {
            k: masked_document(
                v,
                sensitive or is_sensitive(k) or (quoted and k not in _NOT_VALUES),
                about_sensitive=quoted,
            )
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [masked_document(v, sensitive) for v in data]
    if sensitive and data is not None:
        return mask(data)
    if type(data) is not str:  # enums (str subclasses) stay members
        return data
    if about_sensitive:
        return masked_free_text(masked_text(data), strict=True)
    return masked_prose(data)


_PROSE = re.compile(r"[\s{:]")


def masked_prose(text: str) -> str:
    """A server string as views show it: prose (it has a space) or JSON held in a string is read
    as :func:`masked_text` does; a string with no space (an id, an invoice or PO number, a date) is
    a value, left alone."""
    return masked_text(text) if _PROSE.search(text) else text


# Any quoted key (double or single quotes, escaped or not: JSON, a Python repr, JSON inside a
# string; with hyphens or spaces, as some servers write them); masked_text keeps those naming a
# sensitive property.
_KEY = re.compile(r"""\\?["']([A-Za-z_][A-Za-z0-9_ -]*)\\?["']\s*:\s*""")
# A form-encoded (or query-string) pair, ``accountNumber=0210&...``: its value is masked when the
# name is sensitive, however short.
_PAIR = re.compile(r"(?<![\w-])([A-Za-z_][A-Za-z0-9_-]*)=([^&\s\"'<>;]+)")
# A quoted string as each of those writes it (also one cut off by the end of an excerpt), or a
# number; _LEAF tells keys apart.
_STRING = (
    r'\\"(?:[^"\\]|\\[^"])*(?:\\"|$)'  # \"…\" (JSON inside a JSON string)
    r'|"(?:[^"\\]|\\.)*(?:"|\\?$)'  # "…"
    r"|'(?:[^'\\]|\\.)*(?:'|\\?$)"  # '…' (a Python repr)
)
_SCALAR = re.compile(f"(?:{_STRING})|-?\\d[\\d.eE+-]*")
_LEAF = re.compile(f"({_STRING})(\\s*:)?|-?\\d[\\d.eE+-]*")
_QUOTES = ('\\"', '"', "'")


def _value_end(text: str, start: int) -> int:
    """Where the JSON object or array opening at ``start`` ends (strings skipped); the end of the
    text when it is cut off (an excerpt), so that a truncated value is masked to the end."""
    depth, i, n = 0, start, len(text)
    while i < n:
        c = text[i]
        if c in "\"'\\":
            m = _SCALAR.match(text, i)
            # An escape that starts no string (the \n of JSON held in a string) is stepped over.
            i = m.end() if m else i + (2 if c == "\\" else 1)
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
    quote = next((q for q in _QUOTES if raw.startswith(q)), "")
    value = raw[len(quote) :].removesuffix(quote) if quote else raw
    q = quote or '"'
    return f"{q}{mask(value)}{q}"


def masked_text(message: str) -> str:
    """A message that may quote a JSON body (an error's excerpt), with the sensitive values in it
    masked: ``"accountNumber": "195002892775"`` → ``"accountNumber": "•••• 2775"``; every string
    and number inside an object or array held under a sensitive name is masked the same way."""
    out: list[str] = []
    pos = 0
    for m in _KEY.finditer(message):
        start = m.end()
        if start < pos or not is_sensitive(m.group(1)):  # inside a masked value, or not sensitive
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
    paired = _PAIR.sub(_masked_pair, "".join(out))
    return masked_free_text(paired)


def _masked_pair(m: re.Match[str]) -> str:
    return f"{m.group(1)}={mask(m.group(2))}" if is_sensitive(m.group(1)) else m.group(0)


_PARSE_LIMIT: Final = 1_000_000  # a larger body is only scanned as text


def masked_body(body: str, *, indent: int | None = None) -> str:
    """A reply body as every view shows it (an error's message, its card): JSON with its sensitive
    values masked as :func:`masked_document` does (written with ``indent``), anything else (plain
    text, HTML, form-encoded, JSON too large or too deep to walk) as :func:`masked_text` does."""
    if len(body) <= _PARSE_LIMIT:
        try:
            return json.dumps(masked_document(json.loads(body)), indent=indent, ensure_ascii=False)
        except (ValueError, RecursionError):  # not JSON, or nested too deeply to walk
            pass
    return masked_text(body)
