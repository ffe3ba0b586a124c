"""Checks that request models run when they are built, so that a bad value fails before any I/O."""

from __future__ import annotations

import math
import numbers
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


def fee_share_problem(value: object) -> str | None:
    """Why ``value`` cannot be a fee share, in the analyst's words; ``None`` when it can.

    A fee share is a percentage: a finite real number from 0 to 100 (numpy numbers included). This is
    the one rule: the request models and the edit form both ask it.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return f"must be a number from 0 to 100, got {type(value).__name__} {value!r:.40}"
    try:
        x = float(value)
    except (OverflowError, ValueError):
        return f"must be a number from 0 to 100, got {value!r:.40}"
    if not math.isfinite(x):
        return f"must be a finite number from 0 to 100, got {value!r:.40}"
    if not 0 <= x <= 100:
        return f"is a percentage: it must be from 0 to 100, got {value!r:.40}"
    return None


def fee_share(instance: Any, attribute: Any, value: Any) -> None:
    """An attrs validator: a fee share is ``None``, ``UNSET`` or passes :func:`fee_share_problem`."""
    if value is None or isinstance(value, Unset):
        return
    problem = fee_share_problem(value)
    if problem is not None:
        raise InvalidRequestError(f"{type(instance).__name__}.{attribute.name} {problem}.")


_request_status = closed_enum(InvoiceStatus)


def request_status(value: Any) -> InvoiceStatus | Unset | None:
    """The converter of ``ClientInvoiceUpdateRequest.status`` (a closed enum)."""
    return _request_status(value)
