"""What the generated (un)structuring functions call at run time: leaf checks, enum fallbacks, the
finite-number guard of serialisation, and the fixed globals they refer to.

Shared by the code generated at run time, the emitted ``_generated.py`` and the slow explanation.
"""

from __future__ import annotations

import enum
import math
import numbers
import typing
import warnings
from collections.abc import Callable, Mapping
from typing import Any, Final

from ..errors import InvalidRequestError, UnknownEnumValueWarning
from ._base import _NO_EXTRA, UNSET


class Bad(Exception):
    """Raised by leaf checks; carries the reason without a path (the explanation adds the path)."""


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def json_type(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, str):
        return "a string"
    if is_number(v):
        return "a number"
    if isinstance(v, list):
        return "an array"
    if isinstance(v, Mapping):
        return "an object"
    return type(v).__name__


def check_str(v: Any) -> str:
    if isinstance(v, str):
        return v
    raise Bad(f"expected a string, got {json_type(v)}")


def check_number(v: Any) -> float:
    if is_number(v):
        return typing.cast(float, v)
    raise Bad(f"expected a number, got {json_type(v)}")


def check_bool(v: Any) -> bool:
    if v is True or v is False:
        return v
    raise Bad(f"expected true or false, got {json_type(v)}")


def check_object(v: Any) -> dict[str, Any]:
    if isinstance(v, Mapping):
        return dict(v)
    raise Bad(f"expected an object, got {json_type(v)}")


def check_list(v: Any) -> list[Any]:
    if isinstance(v, list):
        return v
    raise Bad(f"expected an array, got {json_type(v)}")


_warned: set[tuple[type[enum.Enum], str]] = set()


def reset_unknown_enum_warnings() -> None:
    """Forget which unknown enum values were already warned about, so that the next one warns again.

    :class:`~wingspan_nb.errors.UnknownEnumValueWarning` is raised once per new value per process;
    tests call this to be independent of the order they run in.
    """
    _warned.clear()


def enum_values(e: type[enum.Enum]) -> dict[Any, enum.Enum]:
    return {m.value: m for m in e}


def open_enum(e: type[enum.Enum]) -> Callable[[Any], Any]:
    """Fallback for a reply's enum value that is not a member: keep the raw string, warn once."""
    allowed = ", ".join(repr(m.value) for m in e)

    def keep_raw(v: Any) -> Any:
        if not isinstance(v, str):
            raise Bad(f"expected one of {allowed}, got {json_type(v)}")
        if (e, v) not in _warned:
            _warned.add((e, v))
            warnings.warn(
                f"the server sent {v!r}, which is not a known {e.__name__} ({allowed}); it is kept "
                "as a plain string. Upgrading wingspan_nb may add it.",
                UnknownEnumValueWarning,
                stacklevel=2,
            )
        return v

    return keep_raw


def closed_enum(e: type[enum.Enum]) -> Callable[[Any], Any]:
    members = enum_values(e)
    allowed = ", ".join(repr(m.value) for m in e)

    def check(v: Any) -> Any:
        try:
            return members[v]
        except (KeyError, TypeError):
            raise Bad(f"expected one of {allowed}, got {v!r}") from None

    return check


def wire_number(v: Any, where: str) -> Any:
    """The slow path of serialising a number field: a plain ``int``/``float`` for any finite real
    (numpy numbers included); NaN, infinity and non-numbers raise, since JSON has no NaN and orjson
    would silently write ``null`` in its place."""
    if isinstance(v, numbers.Real) and not isinstance(v, bool):
        x = int(v) if isinstance(v, numbers.Integral) else float(v)
        if isinstance(x, int) or math.isfinite(x):
            return x
        raise InvalidRequestError(
            f"{where} is {v!r}, which cannot be sent: JSON has no NaN or infinity. Set a finite "
            "number (or None to send null)."
        )
    raise InvalidRequestError(f"{where} must be a number, got {type(v).__name__} {v!r:.40}.")


def finite_tree(v: Any, where: str) -> None:
    """Refuse a NaN or infinity anywhere inside a free-form value (``additional_properties``, an
    ``object`` field) before it is serialised."""
    if isinstance(v, float):
        if not math.isfinite(v):
            wire_number(v, where)
    elif isinstance(v, Mapping):
        for k, x in v.items():
            finite_tree(x, f"{where}[{k!r}]")
    elif isinstance(v, (list, tuple)):
        for i, x in enumerate(v):
            finite_tree(x, f"{where}[{i}]")


FIXED_GLOBALS: Final = {
    "_UNSET": UNSET,
    "_new": object.__new__,
    "_set": object.__setattr__,
    "_NO_EXTRA": _NO_EXTRA,
}

HELPERS: Final = {
    "_check_str": check_str,
    "_check_number": check_number,
    "_check_bool": check_bool,
    "_check_object": check_object,
    "_check_list": check_list,
    "_wire_number": wire_number,
    "_finite_tree": finite_tree,
}
"""The helpers generated code calls, by the names it calls them."""

ENUM_HELPERS: Final = {"members": enum_values, "raw": open_enum, "closed": closed_enum}
