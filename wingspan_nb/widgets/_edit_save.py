"""The edit form's save flow: Save (after checking that the invoice did not change on the server
meanwhile), Undo, Reload and Revert. A failure never discards an edit: a conflict is shown with its
two ways out, a 422's messages go next to the fields they name, anything else goes to the status
line, and the focus goes where the user can act on it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from .. import errors
from .._changes import Change, change_value, conflicts, reply_shows, undo_request
from ..display import get_options
from ..models import UNSET, ClientInvoice, ClientInvoiceUpdateRequest
from ._access import focus
from ._edit_layout import EditLayout
from ._edit_state import FieldMessages, SaveRecord, last_undoable, place_validation
from ._edit_words import (
    conflict_html,
    lower,
    plain,
    saved_words,
    unconfirmed_words,
    unknown_outcome_html,
)

if TYPE_CHECKING:
    from .._resources import ClientInvoiceResource

__all__ = ["SaveFlow"]


class SaveFlow:
    """The actions of :class:`~wingspan_nb.widgets.InvoiceEditor` that talk to the server. The
    editor provides the state below and :meth:`_load` / :meth:`_refresh`."""

    invoice: ClientInvoice
    history: list[SaveRecord]
    _resource: ClientInvoiceResource
    _clock: Callable[[], datetime]
    _on_save: Callable[[ClientInvoice], None] | None
    _messages: FieldMessages
    _layout: EditLayout
    _busy: bool = False

    def _load(self, invoice: ClientInvoice, *, keep_edits: bool) -> None:
        raise NotImplementedError

    def _refresh(self) -> None:
        raise NotImplementedError

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        self._layout.set_enabled(not busy)
        if text:
            self._layout.say(text)
        self._refresh()

    def revert(self) -> None:
        """Discard unsaved edits (nothing, while a save, undo or reload is under way)."""
        if self._busy:
            return
        self._load(self.invoice, keep_edits=False)
        self._layout.show_conflict(None)
        self._layout.say("Edits discarded.", transient=True)
        self._layout.focus_field()  # Revert is disabled now

    def reload(self) -> None:
        """Load the server's current invoice; unsaved edits stay on top of it (nothing, while a
        save, undo or reload is under way)."""
        if self._busy:
            return
        self._set_busy(True, "Reloading…")
        try:
            res = self._resource.get(id=self.invoice.invoice_id)
        finally:
            self._set_busy(False)
        self._layout.show_conflict(None)
        loaded = {k: self._layout.fields[k].original for k in self._layout.edited_keys()}
        self._load(res.client_invoice, keep_edits=True)
        # An edit kept over a value the server changed meanwhile: say what the server has now.
        still = self._layout.edited_keys()
        collided = [
            k
            for k, before in loaded.items()
            if k in still and not _same(self._layout.fields[k].original, before)
        ]
        for key in collided:
            now = plain(self._layout.fields[key].spec, change_value(self._layout.fields[key].original))
            self._messages.notes[key] = f"server now: {now}; your edit is kept over it"
        self._refresh()
        if collided:
            names = ", ".join(lower(self._layout.fields[k].spec.label) for k in collided)
            text = f"Reloaded from the server; your edits are kept. The server also changed {names}: see the marked fields."
        elif loaded:
            text = "Reloaded from the server; your edits are kept."
        else:
            text = "Reloaded from the server."
        self._layout.say(text, transient=not collided)
        # The conflict's buttons are hidden now: Save if the kept edits can go, else the first field.
        if self._layout.save_button.disabled:
            self._layout.focus_field(collided)
        else:
            focus(self._layout.save_button)

    def save(self, *, force: bool = False) -> bool:
        """Send the changed fields (after a conflict check unless ``force``); True when saved.
        False at once, the status line unchanged, while a save, undo or reload is under way."""
        if self._busy:
            return False
        state = self._layout.read()
        request = state.request()
        if request is None:
            marked = list(self._layout.marked().values())
            problem = marked[0] if marked else state.unmarked_problem(())
            self._layout.say(
                f"Not saved: {problem}" if problem else "Nothing to save.", error=problem is not None
            )
            self._layout.focus_after_failure()
            return False
        changes = state.changes()
        edited = self._layout.edited_keys()
        self._messages.server.clear()
        after = self._patch(request, "Saving…", lambda: force or not self._report_conflicts(changes))
        if after is None:
            self._layout.focus_after_failure()
            return False
        if reply_shows(after, changes) != "after":
            self._unconfirmed(after, changes, undo=False)
            return False
        record = SaveRecord(self._clock(), "save", tuple(changes), after.updated_at, before=self.invoice)
        self._saved(record, after)
        # Save is disabled now (nothing left to save), which would drop the focus to the page: it
        # goes back to the first field edited, where Enter cannot save or undo anything by accident.
        self._layout.focus_field(edited)
        return True

    def undo(self) -> bool:
        """Restore the fields of the last save with a second ``PATCH`` (if the invoice is unchanged
        since). False at once, the status line unchanged, while a save, undo or reload is under way."""
        if self._busy:
            return False
        last = last_undoable(self.history)
        if last is None or last.before is None:
            self._layout.say("There is no save to undo.")
            return False
        request = undo_request(last.before, [ch.field for ch in last.changes])

        def unchanged_since() -> bool:
            current = self._resource.get(id=self.invoice.invoice_id).client_invoice
            if current.updated_at == last.updated_at:
                return True
            self._layout.say(
                f"The invoice changed on the server after this save (updatedAt {current.updated_at}); "
                "undo would overwrite that change. Reload to see it.",
                error=True,
            )
            return False

        after = self._patch(request, "Undoing…", unchanged_since)
        if after is None:
            self._layout.focus_after_failure()
            return False
        changes = tuple(Change(ch.field, ch.after, ch.before) for ch in last.changes)
        if reply_shows(after, changes) != "after":
            self._unconfirmed(after, changes, undo=True)
            return False
        # By identity: records are frozen values, and two saves of the same change are equal.
        self.history[:] = [attrs.evolve(r, undone=True) if r is last else r for r in self.history]
        self._saved(SaveRecord(self._clock(), "undo", changes, after.updated_at), after)
        self._layout.focus_field(ch.field for ch in changes)
        return True

    def _saved(self, record: SaveRecord, after: ClientInvoice) -> None:
        self.history.append(record)
        self._layout.show_conflict(None)
        self._load(after, keep_edits=False)
        self._layout.say(saved_words(self._layout.specs, record), ok=True)
        if self._on_save is not None:
            self._on_save(after)

    def _unconfirmed(self, reply: ClientInvoice, changes: Iterable[Change], *, undo: bool) -> None:
        """A success whose reply does not show every change: the outcome is unknown (the server
        may have ignored the change, or replied with a stale copy). No save is recorded (Undo must
        not target it); the reply becomes the base with the user's edits kept on top."""
        changes = list(changes)
        old = reply_shows(reply, changes) == "before"
        loaded = self.invoice
        self._layout.show_conflict(None)
        self._load(reply, keep_edits=True)
        self._layout.say(
            unconfirmed_words(self._layout.specs, reply, changes, old=old, undo=undo), error=True
        )
        self._layout.focus_field(ch.field for ch in changes)
        # The explorer's list shows the server's latest state: the reply is that when it is newer.
        if self._on_save is not None and reply.updated_at != loaded.updated_at:
            self._on_save(reply)

    def _patch(
        self, request: ClientInvoiceUpdateRequest, doing: str, precheck: Callable[[], bool]
    ) -> ClientInvoice | None:
        """Send ``request`` if ``precheck()`` allows, with the form busy meanwhile; the invoice the
        server returned, or None (the reason is shown in the form, the edits are kept)."""
        self._set_busy(True, doing)
        try:
            if not precheck():
                return None
            res = self._resource.update(id=self.invoice.invoice_id, client_invoice_update_request=request)
        except errors.WingspanError as e:
            self._show_error(e)
            return None
        finally:
            self._set_busy(False)
        return res.client_invoice

    def _report_conflicts(self, changes: list[Change]) -> bool:
        """Whether the invoice changed on the server under the fields about to be written (then
        the conflict is shown, with Reload and Save anyway)."""
        current = self._resource.get(id=self.invoice.invoice_id).client_invoice
        if not conflicts(self.invoice, current, [ch.field for ch in changes]):
            return False
        self._layout.show_conflict(conflict_html(self._layout.specs, self.invoice, current))
        self._layout.say("Not saved: the invoice changed on the server. Reload, or save anyway.", error=True)
        return True

    def _show_error(self, e: errors.WingspanError) -> None:
        if isinstance(e, errors.UnprocessableEntityError) and e.validation:
            specs = [c.spec for c in self._layout.fields.values()]
            placed, rest = place_validation(e, specs, reveal=get_options().show_sensitive)
            self._messages.server.update(placed)
            see = " (see the marked fields)" if placed else ""
            note = f" {'; '.join(rest)}." if rest else ""
            self._layout.say(f"The server rejected the change{see}.{note} Your edits are kept.", error=True)
            return
        if e.outcome_unknown:
            # The change may have landed: saving again before a look at the invoice could repeat or
            # undo it, so Reload is the way on (Save waits for it).
            self._layout.show_conflict(unknown_outcome_html(), save_anyway=False)
            self._layout.say(
                f"{e} Your edits are kept. Reload to see the invoice before saving again.", error=True
            )
            return
        self._layout.say(f"{e} Your edits are kept; Save is available again.", error=True)


def _same(a: Any, b: Any) -> bool:
    """Equal, where null and absent are the same: both mean no value."""
    return bool(a == b) or ((a is None or a is UNSET) and (b is None or b is UNSET))
