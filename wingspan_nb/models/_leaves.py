"""What the generated (un)structuring functions call at run time: leaf checks, enum fallbacks, the
slow paths of serialisation (a value of the wrong type is refused naming its field; NaN and infinity
too; numpy numbers become plain ones), and the fixed globals they refer to.

Shared by the code generated at run time and the slow explanation.
"""

from __future__ import annotations

import enum
import math
import numbers
import re
import typing
import warnings
from collections.abc import Callable, Mapping
from typing import Any, Final, NoReturn

from .._sensitive import is_sensitive, mask
from ..errors import InvalidRequestError, UnknownEnumValueWarning
from ._base import _NO_EXTRA, UNSET, WireModel
from .enums import UnknownEnumValue


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
    """Fallback for a reply's enum value that is not a member: keep it as an
    :class:`UnknownEnumValue`, warn once per value."""
    allowed = ", ".join(repr(m.value) for m in e)

    def keep_raw(v: Any) -> Any:
        if not isinstance(v, str):
            raise Bad(f"expected one of {allowed}, got {json_type(v)}")
        if (e, v) not in _warned:
            _warned.add((e, v))
            warnings.warn(
                f"the server sent {v!r}, which is not a known {e.__name__} ({allowed}); it is kept "
                "as an UnknownEnumValue (a str). Upgrading wingspan_nb may add it.",
                UnknownEnumValueWarning,
                stacklevel=2,
            )
        return UnknownEnumValue(v)

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
    _refuse(where, "a number", v)


_NAME = re.compile(r"[A-Za-z_]\w*")


def _shown(v: Any, where: str) -> str:
    """The value as an error message quotes it: masked when any name in ``where`` is a sensitive
    property (``BankAccount.account_number``, ``...additional_properties['iban']``)."""
    for name in _NAME.findall(where):
        head, *rest = name.split("_")
        if is_sensitive(head + "".join(p.title() for p in rest)):
            return mask(v)
    return f"{v!r:.40}"


def _refuse(where: str, expected: str, v: Any) -> NoReturn:
    raise InvalidRequestError(
        f"{where} must be {expected}, got {type(v).__name__} {_shown(v, where)}, which cannot be "
        "sent; assign a value of that type."
    )


def wire_str(v: Any, where: str) -> str:
    """The slow path of a string field: a ``str`` subclass (``numpy.str_``) as its plain string."""
    if isinstance(v, str):
        return str.__str__(v)
    _refuse(where, "a string", v)


def wire_bool(v: Any, where: str) -> bool:
    """The slow path of a boolean field: a numpy boolean as ``True``/``False``; else refused."""
    if _is_numpy_scalar(v) and isinstance(v.item(), bool):
        return typing.cast(bool, v.item())
    _refuse(where, "True or False", v)


def wire_enum(v: Any, e: type[enum.Enum], open_: bool, where: str) -> str:
    """The slow path of an enum field: a member's value, or (for a reply's open enum) a string, or
    (for a request's closed one) a member's value as a string."""
    if isinstance(v, e):
        return typing.cast(str, v.value)
    if isinstance(v, str) and (open_ or v in enum_values(e)):
        return str.__str__(v)
    allowed = ", ".join(repr(m.value) for m in e)
    _refuse(where, f"one of {allowed} (or {e.__name__}.<MEMBER>)", v)


def wire_list(v: Any, where: str) -> list[Any]:
    if isinstance(v, (list, tuple)):
        return list(v)
    _refuse(where, "a list", v)


def wire_map(v: Any, where: str) -> Mapping[Any, Any]:
    if isinstance(v, Mapping):
        return v
    _refuse(where, "a dict", v)


def wire_key(k: Any, where: str) -> str:
    if isinstance(k, str):
        return str.__str__(k)
    _refuse(f"{where} key", "a string", k)


def wire_model(v: Any, cls: type[WireModel], where: str) -> dict[str, Any]:
    """The slow path of a nested model field: an instance of a subclass; anything else is refused."""
    if isinstance(v, cls):
        return v._wire_unstructure()
    _refuse(where, f"a {cls.__name__}", v)


def _is_numpy_scalar(v: Any) -> bool:
    return type(v).__module__ == "numpy" and getattr(v, "ndim", None) == 0 and hasattr(v, "item")


def plain(v: Any) -> bool:
    """Whether a free-form value is JSON as it is: plain str, int, bool, None, finite float, and
    dicts (string keys) and lists of those. Checked by class identity: the fast path."""
    c = v.__class__
    if c is str or c is int or c is bool or v is None:
        return True
    if c is float:
        return not v - v  # 0.0 for a finite float; NaN for NaN and the infinities
    if c is dict:
        for k, x in v.items():
            if k.__class__ is not str or not plain(x):
                return False
        return True
    if c is list:
        for x in v:
            if not plain(x):
                return False
        return True
    return False


def free_form(v: Any, where: str) -> Any:
    """The slow path of a free-form value (an ``object`` field, ``additional_properties``): a copy
    that JSON can carry, with numpy numbers as plain numbers, tuples as lists and ``str``
    subclasses as strings; NaN, infinity, non-string keys and other types raise
    :class:`InvalidRequestError` naming where they are."""
    if v is None or v is True or v is False:
        return v
    if isinstance(v, str):
        return str.__str__(v)
    if isinstance(v, numbers.Real) and not isinstance(v, bool):
        return wire_number(v, where)
    if _is_numpy_scalar(v):
        return free_form(v.item(), where)
    if isinstance(v, Mapping):
        return {wire_key(k, where): free_form(x, f"{where}[{k!r}]") for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [free_form(x, f"{where}[{i}]") for i, x in enumerate(v)]
    _refuse(where, "JSON data (a string, number, True/False, None, list or dict)", v)


def free_object(v: Any, where: str) -> dict[str, Any]:
    """The slow path of an ``object`` field: a dict (see :func:`free_form`)."""
    return typing.cast(dict[str, Any], free_form(wire_map(v, where), where))


def wire_extra(extra: Any, cls: type[WireModel], where: str) -> Mapping[str, Any]:
    """``additional_properties`` as written: a mapping of free-form values whose keys are not the
    wire names of the model's own fields (such a key would override the field's value)."""
    known = _known_wires(cls)
    clash = known.intersection(wire_map(extra, where))
    if clash:
        name = sorted(clash)[0]
        raise InvalidRequestError(
            f"{where} has {name!r}, which is {cls.__name__}'s own field; set that field instead of "
            "an unknown property (written out, it would replace the field's value)."
        )
    return extra if extra.__class__ is dict and plain(extra) else free_object(extra, where)


_KNOWN: dict[type[WireModel], frozenset[str]] = {}


def _known_wires(cls: type[WireModel]) -> frozenset[str]:
    known = _KNOWN.get(cls)
    if known is None:
        from .fields import field_plan

        known = _KNOWN[cls] = frozenset(f.wire for f in field_plan(cls))
    return known


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
    "_wire_str": wire_str,
    "_wire_bool": wire_bool,
    "_wire_enum": wire_enum,
    "_wire_list": wire_list,
    "_wire_map": wire_map,
    "_wire_key": wire_key,
    "_wire_model": wire_model,
    "_wire_extra": wire_extra,
    "_plain": plain,
    "_free_form": free_form,
    "_free_object": free_object,
}
"""The helpers generated code calls, by the names it calls them."""

ENUM_HELPERS: Final = {"members": enum_values, "raw": open_enum, "closed": closed_enum}
