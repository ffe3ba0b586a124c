"""The edit form's state, without its widgets: what each field holds against the loaded invoice, the
changes and the request Save would send, what is said next to each field, why Save is unavailable,
and the record of saves. Nothing here draws or sends anything: it works on plain values."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Final

import attrs

from .. import errors
from .._changes import Change, change_value
from .._sensitive import masked_document
from ..models import ClientInvoice, ClientInvoiceUpdateRequest
from ._specs import FieldSpec

__all__ = [
    "EditState",
    "Entry",
    "MOST_UNPLACED",
    "FieldMessages",
    "NotValid",
    "SaveRecord",
    "last_undoable",
    "place_validation",
    "save_hint",
]


@attrs.frozen
class SaveRecord:
    """A save (or undo) made through the form."""

    time: datetime
    """When the server answered (UTC, from the form's clock)."""
    kind: str
    """``"save"`` or ``"undo"``."""
    changes: tuple[Change, ...]
    updated_at: str
    """The invoice's ``updatedAt`` after this save, as the server returned it."""
    before: ClientInvoice | None = attrs.field(default=None, repr=False)
    """The invoice as it was before this save (what Undo restores)."""
    undone: bool = False
    """A save that a later undo put back (it stays in the history, as what happened)."""


def last_undoable(history: Sequence[SaveRecord]) -> SaveRecord | None:
    """The latest save that no undo has put back yet."""
    return next((r for r in reversed(history) if r.kind == "save" and not r.undone), None)


@attrs.frozen
class NotValid:
    """A field the form cannot read yet, with the reason (the static copy shows it)."""

    problem: str


@attrs.frozen
class Entry:
    """One top-level field as the form holds it: the value loaded from the invoice and the value
    now (a :class:`NotValid` when what the user entered cannot be read)."""

    spec: FieldSpec
    original: Any
    value: Any

    @property
    def valid(self) -> bool:
        return not isinstance(self.value, NotValid)

    @property
    def changed(self) -> bool:
        """Differs from the loaded value; an entry that cannot be read counts as changed."""
        return not self.valid or bool(self.value != self.original)

    @property
    def shown(self) -> Any:
        """The value in wire form (as previews and the history show it), or the :class:`NotValid`."""
        return change_value(self.value) if self.valid else self.value


@attrs.frozen
class EditState:
    """The form's top-level fields, in the form's order."""

    entries: tuple[Entry, ...]

    def changes(self) -> list[Change]:
        """The fields the user changed (before → after, wire form); fields that cannot be read are left out."""
        return [
            Change(e.spec.key, change_value(e.original), change_value(e.value))
            for e in self.entries
            if e.valid and e.changed
        ]

    def request(self) -> ClientInvoiceUpdateRequest | None:
        """The request Save would send: only what changed; ``None`` when nothing did or a field cannot be read."""
        if not all(e.valid for e in self.entries):
            return None
        values = {e.spec.key: e.value for e in self.entries if e.changed}
        return ClientInvoiceUpdateRequest(**values) if values else None

    def unmarked_problem(self, marked: Iterable[str]) -> str | None:
        """Why a field cannot be read when no message next to it (or inside it) says so: a safety
        net, every problem should have its place."""
        keys = list(marked)
        for e in self.entries:
            key = e.spec.key
            if isinstance(e.value, NotValid) and not any(k == key or k.startswith(f"{key}.") for k in keys):
                return e.value.problem
        return None


class FieldMessages:
    """What is said next to the fields besides their own checks, until the next save or load."""

    def __init__(self) -> None:
        self.server: dict[str, str] = {}
        """A 422's messages by field key."""
        self.notes: dict[str, str] = {}
        """Warnings by field key: what the server has under an edit kept over a reload."""

    def clear(self) -> None:
        self.server.clear()
        self.notes.clear()

    def lines(
        self, key: str, problem: str | None, *, edited: bool, caution: str | None
    ) -> tuple[str | None, list[str]]:
        """The field's blocking message (its own problem, else the server's) and its warnings. The
        note about the server's value goes once the edit is undone."""
        note = self.notes.get(key) if edited else None
        return problem or self.server.get(key), [text for text in (note, caution) if text]


MOST_UNPLACED: Final = 20
"""How many of a 422's problems that name no field the status line lists (the rest are counted)."""


def place_validation(
    error: errors.UnprocessableEntityError, specs: Iterable[FieldSpec], *, reveal: bool
) -> tuple[dict[str, str], list[str]]:
    """A 422's messages on the fields they name (by wire path, a leading ``body`` skipped): ``({field
    key: "server: ..."}, [the rest, as "location: message"])``, the rest at most
    :data:`MOST_UNPLACED` then "… and K more". Masked unless ``reveal``: the form is a view like
    any other."""
    by_wire = {spec.wire: spec.key for spec in specs}
    placed: dict[str, str] = {}
    rest: list[str] = []
    unplaced = 0
    for raw in error.validation:
        item = raw if reveal else masked_document(raw)
        path = errors.validation_path(item)
        location = path[1:] if path and path[0] == "body" else path
        message = errors.validation_message(item)
        said = message if isinstance(message, str) else "" if message is None else _json_text(message)
        if location in by_wire:
            placed[by_wire[location]] = f"server: {said}"
            continue
        unplaced += 1
        if unplaced <= MOST_UNPLACED:
            where = errors.validation_field(item) if location is None else ".".join(location) or "?"
            rest.append(f"{where}: {said}")
    if unplaced > MOST_UNPLACED:
        rest.append(f"… and {unplaced - MOST_UNPLACED} more (all on the error's .validation)")
    return placed, rest


def _json_text(value: Any) -> str:
    """A value the server sent where text was expected, as JSON text (never a Python repr)."""
    return json.dumps(value, ensure_ascii=False, default=str)


def save_hint(
    *, busy: bool, in_conflict: bool, marked: bool, unmarked: str | None, unknown: bool = False
) -> str:
    """Why Save is unavailable, in its tooltip's words (given that it is); ``unknown``: the last
    save's outcome is not known (the form waits for a reload)."""
    if busy:
        return "Saving…"
    if unknown:
        return "The last save may or may not have been applied: Reload from server first"
    if in_conflict:
        return "The invoice changed on the server: Reload from server, or Save anyway"
    if marked:
        return "Fix the marked fields first"
    if unmarked:
        return "Cannot save: see the note above"
    return "No changes to save"
