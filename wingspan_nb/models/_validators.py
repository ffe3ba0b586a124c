"""Checks that request models run when they are built, so that a bad value fails before any I/O."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, SupportsFloat, TypeVar

import attrs

from .._numbers import plain_decimal
from ..errors import InvalidRequestError
from ._base import WIRE, Unset, WireModel
from .enums import InvoiceStatus, InvoiceStatusValue
from .fields import field_plan

if TYPE_CHECKING:
    from .shared import FeeHandlingConfig

_E = TypeVar("_E", bound=Enum)
_M = TypeVar("_M", bound=WireModel)


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


_REAL = (numbers.Real, Decimal)
"""What a fee share may be given as (``Decimal`` is no ``numbers.Real``, yet a number from a CSV)."""


def fee_share_problem(value: object) -> str | None:
    """Why ``value`` cannot be a fee share, in the analyst's words; ``None`` when it can.

    A fee share is a percentage: a finite real number from 0 to 100 (numpy numbers and ``Decimal``
    included). This is the one rule: the request models and the edit form both ask it.
    """
    if isinstance(value, bool) or not isinstance(value, _REAL):
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


def fee_split_problem(config: FeeHandlingConfig) -> str | None:
    """Why ``config``'s split cannot be sent, in the analyst's words; ``None`` when it can.

    When both ``client_pays`` and ``member_pays`` are set they split the fee, so they must add up to
    100. This is the one split rule: :func:`check_request` asks it before a request is sent (not at
    assignment, so 50/50 can become 30/70 one share at a time) and the edit form shows it.
    """
    client, member = config.client_pays, config.member_pays
    if not (_share(client) and _share(member)):
        return None
    total = float(client) + float(member)  # type: ignore[arg-type]
    # A float32 share (a numpy column) is off by up to 100 * 2**-24 from what was typed, so
    # float32(70.1) + float32(29.9) comes to 99.999998: the tolerance covers that, no more.
    if math.isclose(total, 100, abs_tol=1e-5):
        return None
    terms = (
        f"client pays {plain_decimal(float(client))} %",  # type: ignore[arg-type]
        f"+ member pays {plain_decimal(float(member))} %",  # type: ignore[arg-type]
        f"= {plain_decimal(total)} %",
    )
    # Each term keeps together (no-break spaces): a narrow form wraps between terms, never "= / 90 %".
    return "does not add up to 100 %: " + " ".join(t.replace(" ", "\u00a0") for t in terms)


def _share(value: object) -> bool:
    return isinstance(value, _REAL) and not isinstance(value, bool) and fee_share_problem(value) is None


FeeShare = SupportsFloat | Unset | None
"""What a fee share may be given as, to a type checker: a number (``int``, ``float``, ``Decimal``,
numpy numbers), ``None`` (sends ``null``) or ``UNSET``; the run-time checks are stricter (0 to 100)."""


def plain_number(value: FeeShare) -> Any:
    """An attrs converter: a numpy (or other ``numbers.Real``) number becomes the plain ``int`` or
    ``float`` it stands for, and a ``Decimal`` a ``float``, so that it is checked and sent like one;
    anything else is left for the validator to judge."""
    if value.__class__ is int or value.__class__ is float or isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, _REAL):
        try:
            return float(value)
        except (OverflowError, ValueError):
            return value
    return value


def fee_share(instance: Any, attribute: Any, value: Any) -> None:
    """An attrs validator: a fee share is ``None``, ``UNSET`` or passes :func:`fee_share_problem`."""
    if value is None or isinstance(value, Unset):
        return
    problem = fee_share_problem(value)
    if problem is not None:
        raise InvalidRequestError(f"{type(instance).__name__}.{attribute.name} {problem}.")


_request_status = closed_enum(InvoiceStatus)


def request_status(value: InvoiceStatus | InvoiceStatusValue | Unset | None) -> InvoiceStatus | Unset | None:
    """The converter of ``ClientInvoiceUpdateRequest.status`` (a closed enum)."""
    return _request_status(value)


def nested_request(cls: type[_M], where: str) -> Callable[[Any], _M | Unset | None]:
    """An attrs converter for a nested request object: an instance of ``cls``, ``None``, ``UNSET``, or a
    dict of its fields (wire or attribute names), which is built into one (and checked as it is).
    Anything else raises :class:`InvalidRequestError` naming ``where``."""
    names: dict[str, str] = {}
    for f in field_plan(cls):
        names[f.wire] = names[f.name] = f.name

    def convert(value: Any) -> _M | Unset | None:
        if value is None or isinstance(value, (Unset, cls)):
            return value
        if isinstance(value, Mapping):
            kwargs: dict[str, Any] = {}
            for key, item in value.items():
                name = names.get(key) if isinstance(key, str) else None
                if name is None:
                    allowed = ", ".join(sorted(f.wire for f in field_plan(cls)))
                    raise InvalidRequestError(f"{where} has no field {key!r:.40}; use {allowed}.")
                if name in kwargs:
                    raise InvalidRequestError(f"{where} names {name} twice ({key!r} and another spelling).")
                kwargs[name] = item
            return cls(**kwargs)
        raise InvalidRequestError(
            f"{where} must be a {cls.__name__}, a dict of its fields, None or UNSET; "
            f"got {type(value).__name__} {value!r:.40}."
        )

    convert.__name__ = f"nested_{cls.__name__}"
    return convert


def check_request(request: WireModel) -> None:
    """Check a request model as it is now, before it is sent: each field's converter and validator
    run again on the value it holds, in nested request objects too.

    A request built with ``from_dict`` (parsing checks types only, since replies are read tolerantly)
    or changed without its checks must not reach the server with a value the constructor refuses: a
    fee share of 500, a status that is not an :class:`InvoiceStatus`, a fee split that does not add up
    to 100 (:func:`fee_split_problem`). Raises
    :class:`~wingspan_nb.errors.InvalidRequestError` naming the field.
    """
    for a in attrs.fields(type(request)):
        if WIRE not in a.metadata:
            continue
        value = getattr(request, a.name)
        if a.converter is not None:
            value = a.converter(value)
        if a.validator is not None:
            a.validator(request, a, value)
        if isinstance(value, WireModel):
            check_request(value)
    from .shared import FeeHandlingConfig

    if isinstance(request, FeeHandlingConfig):
        problem = fee_split_problem(request)
        if problem is not None:
            raise InvalidRequestError(
                f"The credit-fee split {problem.replace(chr(0xA0), ' ')}; set client_pays and member_pays so that they add up to "
                "100 (or leave one of them unset)."
            )
