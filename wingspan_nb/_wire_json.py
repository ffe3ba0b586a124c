"""JSON in and out, fast and exact: orjson, except where orjson would change a number.

orjson reads an integer beyond 64 bits (``123456789012345678901234567890``) as a float, silently
dropping its last digits, and refuses to write one. Those are rare, so the common case stays on
orjson: a cheap scan for a run of 19 or more digits where a JSON value starts decides whether the
standard library (which keeps every integer exact) decodes the document as well.
"""

from __future__ import annotations

import json
import re
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
_DIGIT_RUN = re.compile(rb"[0-9]*")
_GAP = re.compile(rb"[ \t\n\r]*-?")
_WIDE_AT_START = re.compile(rb"[ \t\n\r]*-?[0-9]{%d}" % _WIDE)
_SEPARATORS = (b":", b",", b"[")
_FOR_SEARCH = bytes(0x3A if b in b",[" else b for b in _DIGITS_AS_ZERO)
_WIDE_AFTER_COLON = b":" + b"0" * _WIDE
_WIDE_AFTER_COLON_MINUS = b":-" + b"0" * _WIDE
_SPARSE_BYTES = 4096
"""At most one sampled hit per this many bytes (plus 64) is checked hit by hit; a body with more (a
string of ``"1xxx"`` repeated, say) is searched in one pass in C instead (``translate`` and ``in``), so its
cost stays a few times orjson's rather than a Python step per hit."""
_DIGITS = frozenset(b"0123456789")
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
    if hit == -1:
        return False
    if _WIDE_AT_START.match(data):
        return True
    budget = 64 + len(data) // _SPARSE_BYTES
    done = 0  # every run before this offset is decided
    while hit != -1:
        if budget == 0:
            return _wide_value_after(data, done)
        budget -= 1
        start = hit * _STRIDE
        end = _DIGIT_RUN.match(data, start).end()  # type: ignore[union-attr]  # "*" always matches
        # The sample before the hit is no digit, or lies in the run that ended at `done`, so this
        # run starts at most 3 bytes back.
        while start > done and data[start - 1] in _DIGITS:
            start -= 1
        if end - start >= _WIDE:
            separator = _separator_before(data, done, start)
            if separator >= 0 and _GAP.fullmatch(data, separator + 1, start):
                return True
        done = end
        hit = sampled.find(_SAMPLED_RUN, -(-end // _STRIDE))  # the first sample after this run
    return False


def _wide_value_after(data: bytes, offset: int) -> bool:
    """Whether a run of 19 digits follows a separator (and white space, or a ``-``) after
    ``offset``, in one pass in C: digits read as ``0``, white space dropped (inside a string that
    may join runs, which only answers yes more often), every separator read as ``:``."""
    text = data[offset:].translate(_FOR_SEARCH, b" \t\n\r")
    return _WIDE_AFTER_COLON in text or _WIDE_AFTER_COLON_MINUS in text


def _separator_before(data: bytes, low: int, high: int) -> int:
    """The offset of the last ``:``, ``,`` or ``[`` in ``data[low:high]``, or -1."""
    return max(data.rfind(separator, low, high) for separator in _SEPARATORS)


def _holds_wide_integer(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_holds_wide_integer(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_wide_integer(v) for v in value)
    return isinstance(value, int) and not isinstance(value, bool) and not _LOW <= value < _HIGH
