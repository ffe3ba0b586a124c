"""JSON in and out, fast and exact: orjson, except where orjson would change a number.

orjson reads an integer beyond 64 bits (``123456789012345678901234567890``) as a float, silently
dropping its last digits, and refuses to write one. Those are rare, so the common case stays on
orjson: a cheap scan for a run of 19 or more digits where a JSON value starts decides whether the
standard library (which keeps every integer exact) decodes the document as well.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

__all__ = ["dumps", "loads"]

_DIGITS_AS_ZERO = bytes(0x30 if 0x30 <= b <= 0x39 else b for b in range(256))
_WIDE = 19
"""The fewest digits of an integer beyond orjson's 64 bits: -9223372036854775809 (below -2**63)
has 19, a positive one (above 2**64 - 1) 20."""
_STRIDE = 4
_SAMPLED_RUN = b"0" * (_WIDE // _STRIDE)
"""A run of 19 digits holds 4 bytes in a row of every 4th byte: the scan reads only those, as reading
every byte would cost a measurable part of the parse itself (and a date or a time never does)."""
_BEFORE_VALUE = frozenset(b":,[")
_SPACE = frozenset(b" \t\n\r")
_DIGIT = frozenset(b"0123456789")
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
    """Whether a run of 19 or more digits starts where a JSON value may start (after ``:``, ``,``
    or ``[`` and white space, or a ``-``). Digits inside a string may answer yes too; that only
    costs the slower decoding, never a changed number."""
    sampled = data[::_STRIDE].translate(_DIGITS_AS_ZERO)
    hit = sampled.find(_SAMPLED_RUN)
    while hit != -1:
        start = end = hit * _STRIDE
        while start > 0 and data[start - 1] in _DIGIT:
            start -= 1
        while end < len(data) and data[end] in _DIGIT:
            end += 1
        if end - start >= _WIDE:
            before = start - 1
            if before >= 0 and data[before] == 0x2D:  # "-"
                before -= 1
            while before >= 0 and data[before] in _SPACE:
                before -= 1
            if before < 0 or data[before] in _BEFORE_VALUE:
                return True
        hit = sampled.find(_SAMPLED_RUN, -(-end // _STRIDE))  # the first sample after this run
    return False


def _holds_wide_integer(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_holds_wide_integer(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_wide_integer(v) for v in value)
    return isinstance(value, int) and not isinstance(value, bool) and not _LOW <= value < _HIGH
