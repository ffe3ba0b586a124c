"""Display options, read at render time (like pandas' and xarray's ``set_options``).

They live in a :mod:`contextvars` variable, as :mod:`decimal`'s context does: each thread and each
asyncio task has its own, so a ``with set_options(...)`` block in one never changes what another
renders. A new thread starts from the defaults; a task starts from its creator's options.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar, Token
from typing import Any, Literal

import attrs

from ..errors import InvalidRequestError

__all__ = ["DisplayOptions", "get_options", "set_options"]

SECTIONS = ("parties", "line_items", "fees", "events", "links", "details", "member_client", "raw_json")


def _read_only(instance: object, attribute: attrs.Attribute[Any], value: object) -> object:
    # One options object is shared by every thread and task that has not set its own: changing it in
    # place would change theirs too.
    raise InvalidRequestError(
        f"display options cannot be changed in place; call wingspan_nb.set_options({attribute.name}=...) "
        "(for this thread or task, or for a with block)"
    )


@attrs.define(kw_only=True, on_setattr=_read_only)
class DisplayOptions:
    """What the notebook views show (read-only). Change with :func:`set_options`."""

    display_style: Literal["html", "text"] = attrs.field(
        default="html", validator=attrs.validators.in_(("html", "text"))
    )
    """``"text"`` turns the HTML views off: notebooks show the one-line text summary."""
    max_line_items: int = attrs.field(default=30, validator=attrs.validators.ge(2))
    """Above this many line items, the table shows the first and last rows and a "… N more" row."""
    max_string_length: int = attrs.field(default=200, validator=attrs.validators.ge(10))
    """Longer server strings are shortened (with "…") before they are shown."""
    expand: frozenset[str] = attrs.field(
        default=frozenset({"parties", "line_items", "events"}), converter=frozenset
    )
    """Sections of the invoice card that start open (the rest start collapsed)."""
    show_sensitive: bool = attrs.field(default=False)
    """Show bank account and routing numbers, SSN, EIN and tax ids in full (masked as ``•••• 2102``
    by default, in every view, so that saved notebooks and exports do not carry them)."""

    @show_sensitive.validator
    def _check_show_sensitive(self, attribute: Any, value: object) -> None:
        if not isinstance(value, bool):
            raise InvalidRequestError(f"show_sensitive must be True or False, not {value!r}")

    @expand.validator
    def _check_expand(self, attribute: Any, value: frozenset[str]) -> None:
        unknown = value - set(SECTIONS)
        if unknown:
            raise InvalidRequestError(
                f"unknown sections {sorted(unknown)}; choose from {', '.join(SECTIONS)}"
            )


_current: ContextVar[DisplayOptions] = ContextVar(
    "wingspan_nb_display_options",
    default=DisplayOptions(),  # noqa: B039  (read-only: see _read_only)
)


def get_options() -> DisplayOptions:
    """The options in force in this thread or task."""
    return _current.get()


class _OptionsContext:
    """Returned by :func:`set_options`: the options are already set; ``with`` restores them after."""

    def __init__(self, token: Token[DisplayOptions]) -> None:
        self._token = token

    def __enter__(self) -> DisplayOptions:
        return _current.get()

    def __exit__(self, *exc: object) -> None:
        _current.reset(self._token)

    def __repr__(self) -> str:
        """Short, as a cell's last line: only the options that differ from the defaults."""
        default, now = DisplayOptions(), _current.get()
        changed = [
            f"{a.name}={_short(getattr(now, a.name))}"
            for a in attrs.fields(DisplayOptions)
            if getattr(now, a.name) != getattr(default, a.name)
        ]
        return f"<display options: {', '.join(changed) or 'the defaults'}>"


def _short(value: object) -> str:
    return repr(sorted(value)) if isinstance(value, frozenset) else repr(value)


def set_options(
    *,
    display_style: Literal["html", "text"] | None = None,
    max_line_items: int | None = None,
    max_string_length: int | None = None,
    expand: Iterable[str] | None = None,
    show_sensitive: bool | None = None,
) -> _OptionsContext:
    """Set display options for the session, or for a ``with`` block::

        wingspan_nb.set_options(max_line_items=100)
        with wingspan_nb.set_options(display_style="text"):
            display(invoice)
        with wingspan_nb.set_options(show_sensitive=True):
            display(invoice)  # account numbers and tax ids in full, for this block only

    The options belong to the calling thread or asyncio task (a notebook's cells share one): a
    ``with`` block in one never changes what another renders. Invalid values raise
    :class:`~wingspan_nb.errors.InvalidRequestError` (a ``ValueError``) and leave the options
    unchanged.
    """
    changes: dict[str, Any] = {
        k: v
        for k, v in {
            "display_style": display_style,
            "max_line_items": max_line_items,
            "max_string_length": max_string_length,
            "expand": expand,
            "show_sensitive": show_sensitive,
        }.items()
        if v is not None
    }
    try:
        chosen = attrs.evolve(_current.get(), **changes)
    except (ValueError, TypeError) as e:  # what the attrs validators and converters raise
        problem = str(e.args[0] if e.args else e)  # attrs' in_() adds the attribute and options as args
    else:
        return _OptionsContext(_current.set(chosen))
    raise InvalidRequestError(f"set_options: {problem}; the options are unchanged.")
