"""JSON in and out, fast and exact: orjson, except where orjson would change a number.

orjson reads an integer beyond 64 bits (``123456789012345678901234567890``) as a float, silently
dropping its last digits, and refuses to write one. Those are rare, so the common case stays on
orjson: a cheap scan for a run of 20 or more digits where a JSON value starts decides whether the
standard library (which keeps every integer exact) decodes the document as well.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

__all__ = ["dumps", "loads"]

_DIGITS_AS_ZERO = bytes(0x30 if 0x30 <= b <= 0x39 else b for b in range(256))
_WIDE = b"0" * 20
"""Every integer of 19 digits or fewer fits orjson's 64 bits; some of 20 digits already do not."""
_BEFORE_VALUE = frozenset(b":,[")
_SPACE = frozenset(b" \t\n\r")
_LOW, _HIGH = -(2**63), 2**64


def loads(data: bytes) -> Any:
    """The value of a JSON document, every integer exact.

    Invalid JSON raises ``json.JSONDecodeError`` (orjson's: it refuses ``NaN``, ``1e999`` and lone
    surrogates, which the standard library would accept)."""
    value = orjson.loads(data)  # also the check: the standard library below only sees valid JSON
    if not _may_hold_wide_integer(data):
        return value
    try:
        return json.loads(data.decode("utf-8"))
    except RecursionError:
        raise json.JSONDecodeError("the document is nested too deeply", "", 0) from None


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON of wire data (dicts, lists, scalars); an integer beyond 64 bits is
    written as its exact digits."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        if not _holds_wide_integer(value):
            raise
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def _may_hold_wide_integer(data: bytes) -> bool:
    """Whether a run of 20 or more digits starts where a JSON value may start (after ``:``, ``,``
    or ``[`` and white space, or a ``-``). Digits inside a string may answer yes too; that only
    costs the slower decoding, never a changed number."""
    zeroed = data.translate(_DIGITS_AS_ZERO)
    at = zeroed.find(_WIDE)
    while at != -1:
        before = at - 1
        if before >= 0 and data[before] == 0x2D:  # "-"
            before -= 1
        while before >= 0 and data[before] in _SPACE:
            before -= 1
        if before < 0 or data[before] in _BEFORE_VALUE:
            return True
        end = at + len(_WIDE)
        while end < len(zeroed) and zeroed[end] == 0x30:
            end += 1
        at = zeroed.find(_WIDE, end)
    return False


def _holds_wide_integer(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_holds_wide_integer(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_wide_integer(v) for v in value)
    return isinstance(value, int) and not isinstance(value, bool) and not _LOW <= value < _HIGH
