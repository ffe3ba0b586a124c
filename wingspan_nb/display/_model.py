"""The generic view of any model: human labels, nested groups, one way to show "nothing".

Fields that are null, unset or empty are left out, and so are groups with nothing in them; a model
with nothing at all shows one em dash. Class names never appear: a group is headed by its field's
label. Sensitive numbers are masked (see :mod:`wingspan_nb._sensitive`), timestamps read ``2025-11-18 16:09 UTC``.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

from .._sensitive import is_sensitive, mask
from ..models import WireModel, field_plan, wire_value
from ._html import email, esc, id_chip, link, shorten, text, when, wire_timestamp
from ._options import DisplayOptions
from ._registry import renders

__all__ = [
    "MASKED_NOTE",
    "MASKED_TITLE",
    "human_label",
    "model_fields",
    "model_table",
    "model_view",
    "sensitive_html",
    "value_html",
]

_MAX_LIST = 20
_MAX_DEPTH = 8

_WORDS = re.compile(r"W-?9|[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_ACRONYMS = {
    "ach": "ACH",
    "bic": "BIC",
    "cc": "CC",
    "dob": "Date of birth",
    "ein": "EIN",
    "iban": "IBAN",
    "id": "ID",
    "ids": "IDs",
    "pdf": "PDF",
    "ssn": "SSN",
    "swift": "SWIFT",
    "tin": "TIN",
    "url": "URL",
    "w9": "W-9",
    "w-9": "W-9",
}
_LABELS = {
    "autoPayStrategy": "Auto-pay",
    "autoPayRequirement": "Auto-pay required",
    "verificationStratgy": "Verification",  # sic: the spec's spelling
    "form1099Balances": "1099 balances",
    "form1099Generated": "1099 generated",
    "form1099Filings": "1099 filings",
}
_TITLES = {"MemberClientWireAccount": "Bank account"}
"""Model titles where the class name would mislead (the one class holds the ACH and the wire account)."""
_CAMEL = re.compile(r"[a-z]+(?:[A-Z][a-z0-9]*)+")
_EMAIL = re.compile(r"[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+")


def human_label(wire_name: str) -> str:
    """``achCreditAccount`` → ``ACH credit account``; ``emailCC`` → ``Email CC``."""
    if wire_name in _LABELS:
        return _LABELS[wire_name]
    words = _WORDS.findall(wire_name) or [wire_name]
    shown = [_ACRONYMS.get(w.lower(), w if w.isupper() and len(w) > 1 else w.lower()) for w in words]
    first = shown[0]
    return " ".join([first[:1].upper() + first[1:], *shown[1:]])


def _key_label(key: str) -> str:
    """A map's key as a label: wire-style names (``createdAt``) and known acronyms (``ssn`` → ``SSN``)
    in words, the server's own keys as sent."""
    return human_label(key) if _CAMEL.fullmatch(key) or key.lower() in _ACRONYMS else shorten(key, 60)


def _actor_label(key: str) -> str:
    """An event actor's key as the one who acted: ``createdAt`` → ``Created by``."""
    return human_label(key.removesuffix("At")) + " by" if _CAMEL.fullmatch(key) else shorten(key, 60)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, list | dict | str) and not value)


MASKED_TITLE = "masked: set_options(show_sensitive=True) reveals it"
"""The tooltip of every masked number (and how a view tells that it masked one)."""

MASKED_NOTE = (
    '<p class="wsnb-muted">•••• masked — <code>set_options(show_sensitive=True)</code> to reveal</p>'
)
"""The one line under a view that shows masked numbers (see :data:`MASKED_TITLE`)."""


def sensitive_html(value: Any, opts: DisplayOptions) -> str:
    """A sensitive number: ``•••• 2775`` saying in its tooltip that it is masked and how to reveal
    it, or in full under ``set_options(show_sensitive=True)``."""
    if value is None:
        return text(None)
    if opts.show_sensitive:
        return f'<code class="wsnb-masked">{esc(str(value))}</code>'
    return f'<code class="wsnb-masked" title="{MASKED_TITLE}">{esc(mask(value))}</code>'


def value_html(value: Any, opts: DisplayOptions, depth: int = 0, *, wire: str = "") -> str | None:
    """One value as HTML, or ``None`` when there is nothing to show (null, empty, a group whose
    fields are all empty). ``wire`` is the property's wire name, for masking."""
    limit = opts.max_string_length
    if _is_empty(value) or (isinstance(value, Enum) and wire_value(value) is None):
        return None
    if is_sensitive(wire) and not isinstance(value, dict | list | WireModel):
        return sensitive_html(value, opts)
    if depth >= _MAX_DEPTH:
        return '<span class="wsnb-muted">…</span>'
    if isinstance(value, WireModel):
        return model_fields(value, opts, depth + 1)
    if isinstance(value, dict):
        if wire == "eventActors":  # who did what: {"createdAt": "<user id>"}
            pairs = [
                (_actor_label(str(k)), id_chip(v, 60), False)
                for k, v in list(value.items())[:_MAX_LIST]
                if isinstance(v, str) and v
            ]
        else:
            pairs = [
                (_key_label(str(k)), shown, _is_group(v))
                for k, v in list(value.items())[:_MAX_LIST]
                if (shown := value_html(v, opts, depth + 1, wire=wire if is_sensitive(wire) else str(k)))
                is not None
            ]
        more = len(value) - _MAX_LIST
        return (_groups(pairs) + (f'<p class="wsnb-muted">… {more:,} more</p>' if more > 0 else "")) or None
    if isinstance(value, list):
        shown_items = [
            s for v in value[:_MAX_LIST] if (s := value_html(v, opts, depth + 1, wire=wire)) is not None
        ]
        if not shown_items:
            return None
        more = len(value) - _MAX_LIST
        tail = f'<li class="wsnb-muted">… {more:,} more</li>' if more > 0 else ""
        return '<ul class="wsnb-list">' + "".join(f"<li>{s}</li>" for s in shown_items) + tail + "</ul>"
    if isinstance(value, Enum):
        # "None" is a real value of some enums (no auto-pay, no company structure): say it in words,
        # so that it cannot be read as Python's None or as "not set".
        return "none" if wire_value(value) == "None" else text(value, limit)
    if isinstance(value, str):
        if wire.endswith(("Id", "Ids", "ID")):
            return id_chip(value, 60)
        if wire_timestamp(value) is not None:
            return when(value, with_time=True)
        if value.startswith(("http://", "https://")):
            return link(value, limit=limit)
        if _EMAIL.fullmatch(value):
            return email(value, limit)
    return text(value, limit)


def _groups(pairs: list[tuple[str, str, bool]]) -> str:
    """A definition list where a nested group takes the full width under its label, so that deep
    records stay readable in a narrow notebook instead of squeezing into ever-narrower columns."""
    rows = "".join(
        f'<dt class="wsnb-group">{esc(k)}</dt><dd class="wsnb-group">{v}</dd>'
        if group
        else f"<dt>{esc(k)}</dt><dd>{v}</dd>"
        for k, v, group in pairs
    )
    return f'<dl class="wsnb-kv">{rows}</dl>' if rows else ""


def _is_group(value: Any) -> bool:
    return isinstance(value, WireModel | dict) or (
        isinstance(value, list) and any(isinstance(v, WireModel | dict) for v in value)
    )


def model_fields(obj: WireModel, opts: DisplayOptions, depth: int = 0) -> str | None:
    """The fields of ``obj`` that hold something, as a definition list under human labels; properties
    the models do not know come last, marked so. ``None`` when nothing is set."""
    pairs: list[tuple[str, str, bool]] = []
    for f in field_plan(type(obj)):
        value = getattr(obj, f.name)
        shown = value_html(value, opts, depth, wire=f.wire)
        if shown is not None:
            pairs.append((human_label(f.wire), shown, _is_group(value)))
    for k, v in obj.additional_properties.items():
        shown = value_html(v, opts, depth, wire=k)
        if shown is not None:
            pairs.append((f"{human_label(shorten(k, 60))} (not in the models)", shown, _is_group(v)))
    return _groups(pairs) or None


def model_table(obj: WireModel, opts: DisplayOptions, depth: int = 0) -> str:
    """The fields of ``obj`` (see :func:`model_fields`), or one em dash when nothing is set."""
    return model_fields(obj, opts, depth) or text(None)


@renders(WireModel)
def model_view(obj: WireModel, opts: DisplayOptions) -> str:
    """The compact view of any model: what it is, in words, and its fields."""
    name = type(obj).__name__
    title = f'<p class="wsnb-title">{esc(_TITLES.get(name) or human_label(name))}</p>'
    fields = model_table(obj, opts)
    foot = MASKED_NOTE if MASKED_TITLE in fields else ""
    return f'<div class="wsnb-card">{title}{fields}{foot}</div>'
