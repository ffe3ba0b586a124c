"""Checks that request models run when they are built, so that a bad value fails before any I/O."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

from ..errors import InvalidRequestError
from ._base import Unset
from .enums import InvoiceStatus

_E = TypeVar("_E", bound=Enum)


def closed_enum(enum: type[_E]) -> Callable[[Any], _E | Unset | None]:
    """An attrs converter accepting a member, its wire value, ``None`` or ``UNSET``; anything else
    raises :class:`InvalidRequestError` listing the allowed values."""
    members = {m.value: m for m in enum}

    def convert(value: Any) -> _E | Unset | None:
        if value is None or isinstance(value, (Unset, enum)):
            return value
        try:
            return members[value]
        except (KeyError, TypeError):
            allowed = ", ".join(repr(v) for v in members)
            raise InvalidRequestError(
                f"{value!r} is not a valid {enum.__name__}; use one of {allowed} "
                f"(or {enum.__name__}.<MEMBER>)."
            ) from None

    convert.__name__ = f"closed_{enum.__name__}"
    return convert


def fee_share(instance: Any, attribute: Any, value: Any) -> None:
    """An attrs validator: a fee share is a number, ``None`` or ``UNSET`` (not a bool or a string)."""
    if value is None or isinstance(value, Unset):
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidRequestError(
            f"{type(instance).__name__}.{attribute.name} must be a number or None, got {value!r}."
        )


_request_status = closed_enum(InvoiceStatus)


def request_status(value: Any) -> InvoiceStatus | Unset | None:
    """The converter of ``ClientInvoiceUpdateRequest.status`` (a closed enum)."""
    return _request_status(value)
