"""``InvoiceEditor``: inspect and patch an invoice inline, safely.

Data flows one way: the form reads and writes through the ``client_invoice`` resource (never raw
HTTP), and shows the invoice through the display layer's card. The parts, each in its own module:
the widgets (``_edit_layout``), the state they hold and what it means (``_edit_state``), what the
form says (``_edit_words``), the save flow (``_edit_save``) and the keyboard (``_access``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from .. import _clock, errors
from .._changes import Change
from .._clock import Clock
from ..display import summary
from ..models import ClientInvoice, ClientInvoiceUpdateRequest
from . import _edit_words as words
from ._access import field_after, focus
from ._controls import Control, field_class, guarded
from ._edit_layout import EditLayout
from ._edit_save import SaveFlow
from ._edit_state import FieldMessages, SaveRecord, last_undoable, save_hint
from ._static import StaticCopy, view_html

if TYPE_CHECKING:
    from .._client import Wingspan
    from .._resources import ClientInvoiceResource

__all__ = ["Change", "InvoiceEditor", "SaveRecord"]


LIVE_FORM_TEXT = (
    "The live edit form: it needs a running kernel (run the cell). "
    "The static copy below shows the form as last saved or edited."
)
"""The live form's ``text/plain``: what a notebook shows where the widget cannot be drawn. It names
no invoice state: it stays as first shown, while loads, edits and saves refresh the static copy under it."""


class InvoiceEditor(SaveFlow, StaticCopy):
    """An ipywidgets form over an invoice card: edit, preview the exact ``PATCH``, save, undo.

    ``InvoiceEditor(client, invoice)`` takes a :class:`~wingspan_nb.Wingspan` (or its
    ``client_invoice`` resource) and a :class:`ClientInvoice` or an invoice id. Display it (it is the
    last expression of a cell, or ``display(editor)``). The controls come from the request model's
    types; see :func:`wingspan_nb.widgets.form_specs`.

    Save sends only the fields that differ from the loaded invoice, after checking that the invoice
    did not change on the server meanwhile. A failed save keeps every edit and says why.

    ``clock`` gives the time of each save (aware, UTC by default); tests pass a fixed one.
    ``on_save`` is called with the invoice the server returned after each save and undo (the
    explorer puts it in its list).
    """

    live_text = LIVE_FORM_TEXT

    def __init__(
        self,
        client: Wingspan | ClientInvoiceResource,
        invoice: ClientInvoice | str,
        *,
        clock: Clock | None = None,
        on_save: Callable[[ClientInvoice], None] | None = None,
    ) -> None:
        from .._client import Wingspan

        self._on_save = on_save
        self._clock = clock or _clock.utc_now
        self._resource = client.client_invoice if isinstance(client, Wingspan) else client
        if isinstance(invoice, str):
            reply = self._resource.get(id=invoice)
            if reply.client_invoice is None:  # get() raises first; this holds even under python -O
                raise errors.UnexpectedResponseError(
                    f"The reply for invoice {errors.short_id(invoice)} holds no invoice; get it again "
                    "with client_invoice.get(id=...) and open the form on that invoice.",
                    raw_response=reply.raw_response,
                )
            invoice = reply.client_invoice
        self.invoice = invoice
        """The invoice as last loaded from (or saved to) the server: edits are compared with it."""
        self.history = []
        """Saves and undos made in this form, oldest first."""
        self._layout = layout = EditLayout()
        self._specs = layout.specs
        self.widget = layout.widget
        """The live form (an ipywidgets box); displaying the editor shows it with its static copy."""
        self.fields = layout.fields
        """Every control by dotted attribute path (``"status"``, ``"credit_fee_handling.client_pays"``)."""
        self.save_button = layout.save_button
        self.revert_button = layout.revert_button
        self.undo_button = layout.undo_button
        self.reload_button = layout.reload_button
        self.save_anyway_button = layout.save_anyway_button
        self.preview = layout.preview
        """The exact ``PATCH`` Save would send, in words and as JSON."""
        self.status = layout.status
        """The status line: what the last action did, or why it did not."""
        self.conflict = layout.conflict
        self.conflict_box = layout.conflict_box
        self.history_view = layout.history_view
        self.card = layout.card
        self.title = layout.title
        self._loading = False
        self._messages = FieldMessages()
        self._card_html = ""
        """The invoice card's HTML, built on each load (the form and its static copy show it)."""
        self._on_click(self.save_button, lambda: self.save())
        self._on_click(self.revert_button, self.revert)
        self._on_click(self.undo_button, lambda: self.undo())
        self._on_click(self.reload_button, self.reload)
        self._on_click(self.save_anyway_button, lambda: self.save(force=True))
        for control in self._layout.top:
            control.observe(self._edited)
        self._layout.access.on_enter(lambda field, value: self._guard(lambda: self._enter_in(field, value))())
        self._load(invoice, keep_edits=False)

    # -- state -----------------------------------------------------------------------------------

    def changes(self) -> list[Change]:
        """The fields the user changed (before → after, wire form); raises nothing, skips invalid ones."""
        return self._layout.read().changes()

    def pending_request(self) -> ClientInvoiceUpdateRequest | None:
        """The request Save would send, or ``None`` when the form is unchanged or invalid."""
        return self._layout.read().request()

    def _load(self, invoice: ClientInvoice, *, keep_edits: bool) -> None:
        """Make ``invoice`` the base: controls show its values (or keep the user's edits on top)."""
        # What the user typed, as typed: an entry that is not valid yet is kept too.
        kept = {k: self.fields[k].entered() for k in self._layout.edited_keys()} if keep_edits else {}
        self.invoice = invoice
        self._messages.clear()
        self._loading = True
        try:
            for control in self._layout.top:
                control.load(getattr(invoice, control.spec.key))
            for key, entered in kept.items():  # a group's "null" box before the fields inside it
                self.fields[key].reenter(entered)
        finally:
            self._loading = False
        self.title.value = words.form_title(invoice, self._specs)
        self._card_html = view_html(invoice, summary(invoice))
        self.card.value = self._card_html
        self._refresh()

    def _edited(self) -> None:
        """A control changed: by the user unless the form is loading values into it."""
        if not self._loading and self._layout.transient:
            self._layout.say("")
        self._refresh()

    def _refresh(self) -> None:
        """Show the state: messages next to the fields, the preview, which buttons act, the history."""
        marked = self._layout.marked()
        self._layout.show_messages(marked, self._messages)
        state = self._layout.read()
        unmarked = state.unmarked_problem(marked)
        request = state.request()
        changes = state.changes()
        self.preview.value = words.preview_html(
            self._specs, state, request, marked=bool(marked), unmarked=unmarked
        )
        blocked = self._busy or request is None or self._layout.in_conflict
        hint = save_hint(
            busy=self._busy,
            in_conflict=self._layout.in_conflict,
            marked=bool(marked),
            unmarked=unmarked,
            unknown=self._layout.outcome_unknown,
        )
        self._layout.show_save(hint if blocked else None)
        self.revert_button.disabled = self._busy or not (changes or marked or unmarked)
        self.undo_button.disabled = self._busy or last_undoable(self.history) is None or bool(changes)
        self.history_view.value = words.history_html(self._specs, self.history)
        self._refresh_snapshot()

    # -- the keyboard and button callbacks -------------------------------------------------------

    def _guard(self, action: Callable[[], object]) -> Callable[..., None]:
        """A button's (or Enter's) callback: a failure is said in the status line, edits kept."""
        return guarded(
            action,
            self.status,
            what="invoice form",
            kept="Your edits are kept.",
            then=lambda: self._set_busy(False),
        )

    def _on_click(self, button: w.Button, action: Callable[[], object]) -> None:
        """``action`` on a click, guarded; a click that arrives once the button is disabled (the
        second of a double click, queued while the first one's save ran) does nothing."""
        button.on_click(self._guard(lambda: None if button.disabled else action()))

    def _enter_in(self, field: str, value: str) -> None:
        """Enter in the text field whose box has the class ``field``, showing ``value``."""
        control = next((c for c in self.fields.values() if field_class(c.spec) == field), None)
        if control is None:
            return
        entry = getattr(control, "input", None)
        if isinstance(entry, w.Text) and entry.value != value:
            entry.value = value  # what the user sees; the front end's own update may still be on its way
        self._enter(control)

    def _enter(self, control: Control) -> None:
        """Enter in a text field: save when Save is available (as Enter submits a web form); in a
        marked field, stay there and say what to fix; else move to the next field, so that Enter
        never does nothing."""
        if not self.save_button.disabled:
            self.save()
            return
        problem = self._layout.marked().get(control.spec.key)
        if problem:
            self._layout.say(f"Fix the marked field first: {problem}", error=True)
            return
        focus(field_after(self.fields.values(), control))

    # -- the static copy -------------------------------------------------------------------------

    def last_save(self) -> str:
        """The last save or undo made in this form, in words ("Saved: status at 10:42 UTC.")."""
        return words.last_save(self._specs, self.history)

    def snapshot_title(self) -> str:
        """The static copy's one line, informative while it is closed: the invoice's number, status
        and amount as last loaded, the last save, and the fields with unsaved edits."""
        return "".join(
            part
            for part, _ in words.title_parts(self.invoice, self._specs, self._layout.read(), self.history)
        )

    def snapshot_text(self) -> str:
        """The form as plain text: the invoice, the values in the form, the last save."""
        return words.snapshot_text(self.invoice, self._specs, self._layout.read(), self.history)

    def snapshot_html(self) -> str:
        """The form as static HTML (no widgets): the invoice card, the values in the form, the last save."""
        return words.snapshot_html(
            self.invoice, self._specs, self._layout.read(), self.history, self._card_html
        )

    def _snapshot_bundle(self) -> dict[str, Any]:
        state = self._layout.read()
        return words.snapshot_bundle(
            words.title_parts(self.invoice, self._specs, state, self.history),
            words.snapshot_text(self.invoice, self._specs, state, self.history),
            words.snapshot_html(self.invoice, self._specs, state, self.history, self._card_html),
        )

    def __repr__(self) -> str:
        return f"<InvoiceEditor {summary(self.invoice)}>"
