"""Numbers as plain decimals, for the words a change, a split's message or a form's input put them
in (money goes through ``_facts.format_money``). It sits with the wire modules so that the models'
own messages (a fee split that does not add up) can use it too."""

from __future__ import annotations

import math
from decimal import Decimal

__all__ = ["plain_decimal"]


def plain_decimal(value: float | int) -> str:
    """A number as a plain decimal for words and inputs, never in scientific notation:
    ``0.0000001`` (not ``1e-07``), ``70``, ``33.3333333333`` (12 significant digits, as the
    values are read back)."""
    if isinstance(value, int) or not math.isfinite(value):
        return str(value)
    text = format(Decimal(format(value, ".12g")), "f")
    return "0" if text == "-0" else text
