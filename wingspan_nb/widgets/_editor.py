"""``InvoiceEditor``: inspect and patch an invoice inline, safely.

Data flows one way: the form reads and writes through the ``client_invoice`` resource (never raw
HTTP), and shows the invoice through the display layer's card.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import attrs
import ipywidgets as w

from .. import errors
from .._changes import Change, change_value, conflicts, leaf_changes, undo_request
from .._facts import format_money, format_timestamp, format_timestamps_apart
from .._sensitive import masked_document
from ..display import escape, get_options, prose, repr_html, summary, table, value_cell
from ..models import UNSET, ClientInvoice, ClientInvoiceUpdateRequest, field_plan, wire_value
from ._controls import Control, FormAccess, Invalid, build_control, field_class
from ._specs import FieldSpec, form_specs
from ._static import StaticCopy

if TYPE_CHECKING:
    from .._client import Wingspan
    from .._resources import ClientInvoiceResource

__all__ = ["Change", "InvoiceEditor", "SaveRecord"]

log = logging.getLogger("wingspan_nb")


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


class InvoiceEditor(StaticCopy):
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

    def __init__(
        self,
        client: Wingspan | ClientInvoiceResource,
        invoice: ClientInvoice | str,
        *,
        clock: Callable[[], datetime] | None = None,
        on_save: Callable[[ClientInvoice], None] | None = None,
    ) -> None:
        from .._client import Wingspan

        self._on_save = on_save

        self._clock = clock or (lambda: datetime.now(timezone.utc))

        self._resource: ClientInvoiceResource = (
            client.client_invoice if isinstance(client, Wingspan) else client
        )
        if isinstance(invoice, str):
            reply = self._resource.get(id=invoice)
            if reply.client_invoice is None:  # get() raises first; this holds even under python -O
                raise errors.UnexpectedResponseError(
                    f"The reply for invoice {errors.short_id(invoice)} holds no invoice; get it again "
                    "with client_invoice.get(id=...) and open the form on that invoice.",
                    raw_response=reply.raw_response,
                )
            invoice = reply.client_invoice
        self.invoice: ClientInvoice = invoice
        """The invoice as last loaded from (or saved to) the server: edits are compared with it."""
        self.history: list[SaveRecord] = []
        """Saves and undos made in this form, oldest first."""

        self._top = [build_control(spec) for spec in form_specs(ClientInvoiceUpdateRequest)]
        self.fields: dict[str, Control] = {c.spec.key: c for top in self._top for c in top.controls()}
        """Every control by dotted attribute path (``"status"``, ``"credit_fee_handling.client_pays"``)."""

        self._specs = {c.spec.path[0]: c.spec for c in self._top}
        self.save_button = _button(description="Save", icon="check", disabled=True)
        self.revert_button = _button(
            description="Revert", icon="undo", disabled=True, tooltip="Discard unsaved edits"
        )
        self.undo_button = _button(description="Undo last save", icon="history", disabled=True)
        self.reload_button = _button(description="Reload from server", icon="refresh")
        self.save_anyway_button = _button(description="Save anyway", button_style="warning")
        self.preview = w.HTML()
        self.status = w.HTML()
        self.conflict = w.HTML()
        self.conflict_box = w.VBox([self.conflict, w.HBox([self.reload_button, self.save_anyway_button])])
        self.conflict_box.layout.display = "none"
        self.history_view = w.HTML()
        self.card = w.HTML()
        self.title = w.HTML()
        self.card.add_class("wsnb-form-card")
        self._access = FormAccess(report_enter=True)
        self.status.add_class("wsnb-status")  # a live region: FormAccess gives it role="status"
        self.widget = w.VBox(
            [
                w.VBox([self._access], layout=w.Layout(display="none")),  # draws nothing, whatever happens
                self.title,
                *(c.widget for c in self._top),
                self.preview,
                w.HBox([self.save_button, self.revert_button, self.undo_button]),
                self.status,
                self.conflict_box,
                self.history_view,
                self.card,
            ]
        )
        self.save_button.on_click(self._guard(lambda: self.save()))
        self.revert_button.on_click(self._guard(self.revert))
        self.undo_button.on_click(self._guard(lambda: self.undo()))
        self.reload_button.on_click(self._guard(self.reload))
        self.save_anyway_button.on_click(self._guard(lambda: self.save(force=True)))
        self.widget.add_class("wsnb-form")
        for control in self._top:
            control.observe(self._edited)
        self._access.on_enter(self._guard(self._enter_in, takes_event=False))
        self._busy = False
        self._loading = False
        self._transient = False
        """The status line holds a notice that new edits make stale ("Edits discarded.")."""
        self._card_html = ""
        """The invoice card's HTML, built on each load (the form and its static copy show it)."""
        self._server_messages: dict[str, str] = {}
        """A 422's messages by field, shown until the next save or load."""
        self._notes: dict[str, str] = {}
        """Warnings by field until the next save or load: what the server has under a kept edit."""
        self._load(invoice, keep_edits=False)

    # -- showing ---------------------------------------------------------------------------------

    def _snapshot_bundle(self) -> dict[str, Any]:
        # Each part whole on its line: an invoice number or amount never breaks ("INV-2026-" / "0002").
        line = "".join(
            f'<span style="white-space:nowrap">{escape(part)}</span>' if whole else escape(part)
            for part, whole in self._title_parts()
        )
        copy = f"<details><summary>{line}</summary>{self.snapshot_html()}</details>"
        return {"text/plain": self.snapshot_text(), "text/html": copy}

    def _values(self) -> list[tuple[FieldSpec, Any, bool]]:
        """Each top-level field as the form shows it now: (spec, wire value or :class:`_NotValid`
        when it cannot be read, whether it differs from the loaded invoice)."""
        out = []
        for c in self._top:
            try:
                value = c.value()
            except Invalid as e:
                out.append((c.spec, _NotValid(str(e)), True))
                continue
            out.append((c.spec, change_value(value), value != c.original))
        return out

    def last_save(self) -> str:
        """The last save or undo made in this form, in words ("Saved: status at 10:42 (UTC).")."""
        if not self.history:
            return "Nothing saved from this form yet."
        r = self.history[-1]
        done = "Saved" if r.kind == "save" else "Undone"
        return f"{done}: {_field_list(self._specs, r.changes)} at {_clock_time(r.time)}."

    def snapshot_title(self) -> str:
        """The static copy's one line, informative while it is closed: the invoice's number, status
        and amount as last loaded, the last save, and the fields with unsaved edits."""
        return "".join(part for part, _ in self._title_parts())

    def _title_parts(self) -> list[tuple[str, bool]]:
        """:meth:`snapshot_title` in parts, each with whether it must stay on one line."""
        inv = self.invoice
        status = _plain(self._specs.get("status"), wire_value(inv.status))
        amount = format_money(inv.amount, inv.currency)
        edited = [_lower(spec.label) for spec, _, changed in self._values() if changed]
        unsaved = f" Unsaved edits: {', '.join(edited)}." if edited else ""
        return [
            ("Static copy of this form (for saved notebooks and exports): invoice ", False),
            (prose(inv.invoice_number), True),
            (f", {status}, ", False),
            (amount, True),
            (f". {self.last_save()}{unsaved}", False),
        ]

    def snapshot_text(self) -> str:
        """The form as plain text: the invoice, the values in the form, the last save."""
        lines = [f"Edit form for {summary(self.invoice)}"]
        for spec, value, changed in self._values():
            note = " (unsaved edit)" if changed else ""
            lines.append(f"  {spec.label}: {_plain(spec, value)}{note}")
        lines.append(f"  {self.last_save()}")
        return "\n".join(lines)

    def snapshot_html(self) -> str:
        """The form as static HTML (no widgets): the invoice card, the values in the form, the last save."""
        rows = [
            [escape(spec.label), _cell(spec, value) + (" <i>(unsaved edit)</i>" if changed else "")]
            for spec, value, changed in self._values()
        ]
        return (
            f"<div><p><b>Edit form for invoice <code>{escape(prose(self.invoice.invoice_number))}</code></b> "
            "(a static snapshot: run the cell to edit)</p>"
            + _styled(table(["field", "value in the form"], rows))
            + f"<p>{escape(self.last_save())}</p>"
            + self._card_html  # the invoice card the form shows, built on each load
            + "</div>"
        )

    def __repr__(self) -> str:
        return f"<InvoiceEditor {summary(self.invoice)}>"

    def _guard(self, action: Any, *, takes_event: bool = True) -> Any:
        """Button (and Enter) callbacks: ipywidgets would only log an exception; show it in the form
        instead. A button's callback gets the button, which the action does not take."""

        def run(*args: Any) -> None:
            try:
                action(*args)
            except Exception as e:
                log.exception("the invoice form failed")
                self._say(f"Something went wrong: {type(e).__name__}: {e}. Your edits are kept.", error=True)
                self._set_busy(False)

        if not takes_event:
            return run
        return lambda _: run()

    def _enter_in(self, field: str, value: str) -> None:
        """Enter in the text field whose box has the class ``field``, showing ``value``."""
        control = next((c for c in self.fields.values() if field_class(c.spec) == field), None)
        if control is None:
            return
        entry = getattr(control, "input", None)
        if isinstance(entry, w.Text) and entry.value != value:
            entry.value = value  # what the user sees; the front end's own update may still be on its way
        self._enter(control)

    def _say(self, text: str, *, error: bool = False, ok: bool = False, transient: bool = False) -> None:
        kind = "error" if error else "ok" if ok else "note"
        self.status.value = f'<div class="wsnb-msg wsnb-msg-{kind}">{escape(text)}</div>' if text else ""
        self._transient = transient

    # -- the keyboard ----------------------------------------------------------------------------

    def _enter(self, control: Control) -> None:
        """Enter in a text field: save when Save is available (as Enter submits a web form), else
        move to the next field, so that Enter never does nothing."""
        if not self.save_button.disabled:
            self.save()
            return
        order = [c for c in self.fields.values() if c.focus_target() is not None]
        later = order[order.index(control) + 1 :] if control in order else []
        nxt = next((c for c in later if not getattr(c.focus_target(), "disabled", False)), None)
        self._focus(nxt.focus_target() if nxt is not None else None)

    def _focus(self, target: w.Widget | None) -> None:
        """Give ``target`` the keyboard focus (ipywidgets' ``focus()`` message; a no-op without a front end)."""
        if target is not None:
            target.focus()

    def _field_focus(self, keys: Any) -> w.Widget | None:
        """The input of the first field among ``keys`` (attribute paths, in the form's order) that
        can take the focus, or of the first field of the form."""
        wanted = set(keys)
        fields = [c for c in self.fields.values() if c.focus_target() is not None]
        # An exact field first (Client pays), else the first field of a changed group.
        first = next((c for c in fields if c.spec.key in wanted), None)
        first = first or next((c for c in fields if c.spec.path[0] in wanted), fields[0] if fields else None)
        return first.focus_target() if first is not None else None

    def _focus_after_failure(self) -> None:
        """After a save that did not go through: the first field with a message, the conflict's
        first choice, or Save (it was disabled while busy, which drops the focus)."""
        marked = [k for k, c in self.fields.items() if c.message.value]
        if marked:
            self._focus(self._field_focus(marked))
        elif self.conflict_box.layout.display != "none":
            self._focus(self.reload_button)
        elif not self.save_button.disabled:
            self._focus(self.save_button)

    def _edited(self) -> None:
        """A control changed: by the user unless the form is loading values into it."""
        if not self._loading and self._transient:
            self._say("")
        self._refresh()

    def _load(self, invoice: ClientInvoice, *, keep_edits: bool) -> None:
        """Make ``invoice`` the base: controls show its values (or keep the user's edits on top)."""
        # What the user typed, as typed: an entry that is not valid yet is kept too.
        kept = {k: c.entered() for k, c in self.fields.items() if c.edited()} if keep_edits else {}
        self.invoice = invoice
        self._server_messages.clear()
        self._notes.clear()
        self._loading = True
        try:
            for control in self._top:
                control.load(getattr(invoice, control.spec.path[0]))
            for key, entered in kept.items():  # a group's "null" box before the fields inside it
                self.fields[key].reenter(entered)
        finally:
            self._loading = False
        number = escape(prose(invoice.invoice_number))
        status = _plain(self._specs.get("status"), wire_value(invoice.status))
        self.title.value = f"<b>Edit invoice <code>{number}</code></b> · {escape(status)}"
        self._card_html = repr_html(invoice) or f"<pre>{escape(summary(invoice))}</pre>"
        self.card.value = self._card_html
        self._refresh()

    # -- state -----------------------------------------------------------------------------------

    def changes(self) -> list[Change]:
        """The fields the user changed (before → after, wire form); raises nothing, skips invalid ones."""
        out = []
        for c in self._top:
            try:
                value = c.value()
            except Invalid:
                continue
            if value != c.original:
                out.append(Change(c.spec.path[0], change_value(c.original), change_value(value)))
        return out

    def pending_request(self) -> ClientInvoiceUpdateRequest | None:
        """The request Save would send, or ``None`` when the form is unchanged or invalid."""
        values, problems = {}, False
        for c in self._top:
            try:
                value = c.value()
            except Invalid:
                problems = True
                continue
            if value != c.original:
                values[c.spec.path[0]] = value
        if problems or not values:
            return None
        return ClientInvoiceUpdateRequest(**values)

    def _unmarked_problem(self, marked: dict[str, str]) -> str | None:
        """Why a field cannot be read when no message next to it says so (a safety net: every
        problem should have its place)."""
        for top in self._top:
            key = top.spec.key
            if any(k == key or k.startswith(f"{key}.") for k in marked):
                continue
            try:
                top.value()
            except Invalid as e:
                return str(e)
        return None

    def _refresh(self) -> None:
        problems = {k: v for top in self._top for k, v in top.problems().items()}
        for key, control in self.fields.items():
            message = problems.get(key) or self._server_messages.get(key)
            note = self._notes.get(key) if control.edited() else None  # gone once the edit is undone
            control.set_messages(message, [text for text in (note, control.caution()) if text])
        unmarked = self._unmarked_problem(problems)
        request = self.pending_request()
        changes = self.changes()
        if request is None:
            note = (
                "Fix the marked fields to save."
                if problems
                else f"Cannot save: {unmarked}"
                if unmarked
                else "No changes."
            )
            self.preview.value = f'<p style="opacity:.7">{escape(note)}</p>'
        else:
            rows = [row for ch in changes for row in _diff_rows(self._specs, ch)]
            body = escape(json.dumps(request.to_dict(), indent=2, ensure_ascii=False))
            self.preview.value = _styled(
                table(["field", "now", "after saving"], rows)
                + f"<details><summary>PATCH body</summary><pre>{body}</pre></details>"
            )
        in_conflict = self.conflict_box.layout.display != "none"
        disabled = self._busy or request is None or in_conflict
        self.save_button.disabled = disabled
        # Disabled is drawn as a faded button: a faded blue "primary" reads as enabled on a dark theme.
        self.save_button.button_style = "" if disabled else "primary"
        self.save_button.tooltip = (
            (
                "Saving…"
                if self._busy
                else "The invoice changed on the server: Reload from server, or Save anyway"
                if in_conflict
                else "Fix the marked fields first"
                if problems
                else "Cannot save: see the note above"
                if unmarked
                else "No changes to save"
            )
            if disabled
            else "Send the changes shown above"
        )
        self.revert_button.disabled = self._busy or not (changes or problems or unmarked)
        self.undo_button.disabled = self._busy or self._last_undoable() is None or bool(changes)
        self.history_view.value = _history_html(self._specs, self.history)
        self._refresh_snapshot()

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        for c in self._top:
            c.set_enabled(not busy)
        if text:
            self._say(text)
        self._refresh()

    # -- actions ---------------------------------------------------------------------------------

    def revert(self) -> None:
        """Discard unsaved edits."""
        self._load(self.invoice, keep_edits=False)
        self.conflict_box.layout.display = "none"
        self._say("Edits discarded.", transient=True)
        self._focus(self._field_focus(()))  # Revert is disabled now

    def reload(self) -> None:
        """Load the server's current invoice; unsaved edits stay on top of it."""
        res = self._resource.get(id=self.invoice.invoice_id)
        self.conflict_box.layout.display = "none"
        loaded = {k: c.original for k, c in self.fields.items() if c.edited()}
        self._load(res.client_invoice, keep_edits=True)
        # An edit kept over a value the server changed meanwhile: say what the server has now.
        collided = [
            k
            for k, before in loaded.items()
            if self.fields[k].edited() and not _same(self.fields[k].original, before)
        ]
        for key in collided:
            spec = self.fields[key].spec
            now = _plain(spec, change_value(self.fields[key].original))
            self._notes[key] = f"server now: {now}; your edit is kept over it"
        self._refresh()
        if collided:
            names = ", ".join(_lower(self.fields[k].spec.label) for k in collided)
            text = f"Reloaded from the server; your edits are kept. The server also changed {names}: see the marked fields."
        elif loaded:
            text = "Reloaded from the server; your edits are kept."
        else:
            text = "Reloaded from the server."
        self._say(text, transient=not collided)
        # The conflict's buttons are hidden now: Save if the kept edits can go, else the first field.
        self._focus(self.save_button if not self.save_button.disabled else self._field_focus(collided))

    def save(self, *, force: bool = False) -> bool:
        """Send the changed fields (after a conflict check unless ``force``); True when saved."""
        request = self.pending_request()
        if request is None:
            marked = [p for top in self._top for p in top.problems().values()]
            problem = marked[0] if marked else self._unmarked_problem({})
            self._say(f"Not saved: {problem}" if problem else "Nothing to save.", error=problem is not None)
            self._focus_after_failure()
            return False
        changes = self.changes()
        edited = [k for k, c in self.fields.items() if c.edited()]
        self._server_messages.clear()
        after = self._patch(request, "Saving…", lambda: force or not self._report_conflicts(changes))
        if after is None:
            self._focus_after_failure()
            return False
        record = SaveRecord(self._clock(), "save", tuple(changes), after.updated_at, before=self.invoice)
        self.history.append(record)
        self.conflict_box.layout.display = "none"
        self._load(after, keep_edits=False)
        self._say(f"Saved: {_field_list(self._specs, changes)} at {_clock_time(record.time)}.", ok=True)
        if self._on_save is not None:
            self._on_save(after)
        # Save is disabled now (nothing left to save), which would drop the focus to the page: it
        # goes back to the first field edited, where Enter cannot save or undo anything by accident.
        self._focus(self._field_focus(edited))
        return True

    def _last_undoable(self) -> SaveRecord | None:
        """The latest save that no undo has put back yet."""
        return next((r for r in reversed(self.history) if r.kind == "save" and not r.undone), None)

    def undo(self) -> bool:
        """Restore the fields of the last save with a second ``PATCH`` (if the invoice is unchanged since)."""
        last = self._last_undoable()
        if last is None:
            self._say("There is no save to undo.")
            return False
        assert last.before is not None
        request = undo_request(last.before, [ch.field for ch in last.changes])

        def unchanged_since() -> bool:
            current = self._resource.get(id=self.invoice.invoice_id).client_invoice
            assert current is not None
            if current.updated_at == last.updated_at:
                return True
            self._say(
                f"The invoice changed on the server after this save (updatedAt {current.updated_at}); "
                "undo would overwrite that change. Reload to see it.",
                error=True,
            )
            return False

        after = self._patch(request, "Undoing…", unchanged_since)
        if after is None:
            return False
        changes = tuple(Change(ch.field, ch.after, ch.before) for ch in last.changes)
        self.history[self.history.index(last)] = attrs.evolve(last, undone=True)
        record = SaveRecord(self._clock(), "undo", changes, after.updated_at)
        self.history.append(record)
        self._load(after, keep_edits=False)
        self._say(
            f"Undone: {_field_list(self._specs, changes)} restored at {_clock_time(record.time)}.", ok=True
        )
        if self._on_save is not None:
            self._on_save(after)
        self._focus(self._field_focus(ch.field for ch in changes))
        return True

    def _patch(self, request: ClientInvoiceUpdateRequest, doing: str, precheck: Any) -> ClientInvoice | None:
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
        current = self._resource.get(id=self.invoice.invoice_id).client_invoice
        differ = conflicts(self.invoice, current, [ch.field for ch in changes])
        if not differ:
            return False
        # Show everything that changed, not only what the edit touches: "Save anyway" writes over it.
        shown = conflicts(self.invoice, current, self._specs)
        rows = [row for c in shown for row in _diff_rows(self._specs, c)]
        others = [
            _lower(_words(f.name))
            for f in field_plan(ClientInvoice)
            if f.name not in self._specs
            and f.name != "updated_at"
            and getattr(current, f.name) != getattr(self.invoice, f.name)
        ]
        also = f"<p>Also changed on the server: {escape(', '.join(others))}.</p>" if others else ""
        self.conflict.value = (
            "<b>This invoice changed on the server since you loaded it.</b> Nothing was saved; your edits are kept."
            + _styled(table(["field", "when loaded", "on the server now"], rows))
            + also
        )
        self.conflict_box.layout.display = "flex"
        self._say("Not saved: the invoice changed on the server. Reload, or save anyway.", error=True)
        return True

    def _show_error(self, e: errors.WingspanError) -> None:
        if isinstance(e, errors.UnprocessableEntityError) and e.validation:
            placed, rest = 0, []
            reveal = get_options().show_sensitive
            for raw in e.validation:
                item = raw if reveal else masked_document(raw)  # the form is a view like any other
                location = tuple(
                    p for p in errors.validation_field(item).split(".") if p not in ("body", "?")
                )
                message = errors.validation_message(item) or ""
                control = next((c for c in self.fields.values() if c.spec.wire == location), None)
                if control is not None:
                    self._server_messages[control.spec.key] = f"server: {message}"
                    control.set_message(self._server_messages[control.spec.key])
                    placed += 1
                else:
                    rest.append(f"{'.'.join(location) or '?'}: {message}")
            note = f" {'; '.join(rest)}" if rest else ""
            self._say(
                f"The server rejected the change (see the marked fields).{note} Your edits are kept.",
                error=True,
            )
            return
        self._say(f"{e} Your edits are kept; Save is available again.", error=True)


LIVE_FORM_TEXT = (
    "The live edit form: it needs a running kernel (run the cell). "
    "The static copy below shows the form as last saved or edited."
)
"""The live form's ``text/plain``: what a notebook shows where the widget cannot be drawn. It names
no invoice state: it stays as first shown, while loads, edits and saves refresh the static copy under it."""
InvoiceEditor.live_text = LIVE_FORM_TEXT


@attrs.frozen
class _NotValid:
    """A field the form cannot read yet, with the reason (shown in the static copy)."""

    problem: str


def _same(a: Any, b: Any) -> bool:
    """Equal, where null and absent are the same: both mean no value."""
    return bool(a == b) or ((a is None or a is UNSET) and (b is None or b is UNSET))


def _button(**kwargs: Any) -> w.Button:
    """A button as wide as its label (ipywidgets' fixed width cuts "Reload from server" short)."""
    return w.Button(layout=w.Layout(width="auto", flex="0 0 auto"), **kwargs)


def _styled(body: str) -> str:
    """Tables in the card's style (the card under the form carries the stylesheet); wide content
    scrolls inside its box instead of being cut off."""
    return f'<div class="wsnb"><div class="wsnb-card" style="overflow-x:auto">{body}</div></div>'


def _clock_time(t: datetime) -> str:
    """``10:42 (UTC)``: the time of day analysts read, with its zone."""
    return format_timestamp(t, with_date=False)


def _words(name: str) -> str:
    """An attribute name as a label: ``updated_at`` reads "Updated at"."""
    return name.replace("_", " ").capitalize()


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:]


def _field_list(specs: dict[str, FieldSpec], changes: Any) -> str:
    """``status, credit-fee split``: the changed fields in the analyst's words."""
    names = [_lower(specs[ch.field].label) if ch.field in specs else ch.field for ch in changes]
    return ", ".join(names)


def _plain(spec: FieldSpec | None, value: Any) -> str:
    """A wire value as words: ``none``, ``40 %``, ``Client pays 0 %, Member pays 100 %``."""
    if isinstance(value, _NotValid):
        return f"not valid yet ({value.problem})"
    if value is None:
        return "none"
    if value == "(not set)":
        return "not set"
    if spec is not None and spec.children and isinstance(value, dict):
        shown = [(c, value.get(c.wire[-1])) for c in spec.children]
        parts = [f"{c.label} {_plain(c, v)}" for c, v in shown if v is not None]  # "none" goes unsaid
        return ", ".join(parts) or "empty"
    if spec is not None and spec.choices:
        value = spec.choice_label(value) or value  # "Payment in transit", not "PaymentInTransit"
    if isinstance(value, float):
        value = format(value, ".12g")
    unit = f" {spec.unit}" if spec is not None and spec.unit else ""
    return f"{value}{unit}"


def _cell(spec: FieldSpec | None, value: Any, shown: str | None = None) -> str:
    """A value in a form table: a timestamp as ``format_timestamp`` writes it (or as ``shown``), a
    value with a unit or a timestamp on one line (``100 %`` never breaks at its space)."""
    if isinstance(value, _NotValid) or value is None or value == "(not set)":
        return f'<i class="wsnb-muted">{escape(_plain(spec, value))}</i>'
    stamp = shown or format_timestamp(value)
    cell = value_cell(stamp or _plain(spec, value))
    if stamp or (spec is not None and spec.unit):
        return f'<span class="wsnb-nowrap">{cell}</span>'
    return cell


def _cells(spec: FieldSpec | None, before: Any, after: Any) -> list[str]:
    """Before and after, two timestamps at the precision that shows them different."""
    shown = format_timestamps_apart(before, after)
    return [_cell(spec, before, shown[0]), _cell(spec, after, shown[1])]


def _diff_rows(specs: dict[str, FieldSpec], change: Change) -> list[list[str]]:
    """Table rows for one change (field, before, after): a nested object shows one row per value
    that changed. No arrow column: every column has a header that says what it holds."""
    spec = specs.get(change.field)
    # Fields outside the form (a conflict's ``updated_at``) read as words too.
    label = spec.label if spec is not None else _words(change.field)
    before, after = change.before, change.after
    if spec is not None and spec.children and isinstance(before, dict) and isinstance(after, dict):
        # Value by value, as bulk plans and audit logs word it (changes.leaf_changes).
        children = {c.path[-1]: c for c in spec.children}
        leaves = leaf_changes(change)
        inside = [x for x in leaves if "." in x.path]
        if inside or not leaves:  # no leaves: only null ↔ absent, which both mean "no value"
            cells = [(x, children.get(x.path.rsplit(".", 1)[1])) for x in inside]
            return [[escape(x.label), *_cells(c, x.before, x.after)] for x, c in cells]
    return [[escape(label), *_cells(spec, before, after)]]


def _history_html(specs: dict[str, FieldSpec], history: list[SaveRecord]) -> str:
    if not history:
        return ""
    rows = [
        [
            f'<span class="wsnb-nowrap">{escape(format_timestamp(r.time.isoformat()) or str(r.time))}</span>',
            ("saved (undone later)" if r.undone else "saved") if r.kind == "save" else "undo",
            *row,
        ]
        for r in history
        for ch in r.changes
        for row in _diff_rows(specs, ch)
    ]
    history_table = table(["time", "action", "field", "before", "after"], rows)
    return f"<details><summary>History of this form's saves</summary>{_styled(history_table)}</details>"
