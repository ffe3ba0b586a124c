"""``InvoiceEditor``: inspect and patch an invoice inline, safely.

Data flows one way: the form reads and writes through the ``client_invoice`` resource (never raw
HTTP), and shows the invoice through the display layer's card.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs
import ipywidgets as w

from .. import errors
from ..changes import Change, conflicts, undo_request, wire_value
from ..display import repr_html, summary
from ..display._html import esc, table, value_cell
from ..models.invoice import ClientInvoice, ClientInvoiceUpdateRequest
from ._controls import Control, Invalid, build_control
from ._specs import form_specs

if TYPE_CHECKING:
    from ..client import Wingspan
    from ..resources import ClientInvoiceResource

__all__ = ["Change", "InvoiceEditor", "SaveRecord"]

log = logging.getLogger("wingspan_nb")


@attrs.frozen
class SaveRecord:
    """A save (or undo) made through the form."""

    time: datetime
    kind: str
    """``"save"`` or ``"undo"``."""
    changes: tuple[Change, ...]
    updated_at: str
    """The invoice's ``updatedAt`` after this save, as the server returned it."""
    before: ClientInvoice | None = attrs.field(default=None, repr=False)
    """The invoice as it was before this save (what Undo restores)."""


class InvoiceEditor:
    """An ipywidgets form over an invoice card: edit, preview the exact ``PATCH``, save, undo.

    ``InvoiceEditor(client, invoice)`` takes a :class:`~wingspan_nb.Wingspan` (or its
    ``client_invoice`` resource) and a :class:`ClientInvoice` or an invoice id. Display it (it is the
    last expression of a cell, or ``display(editor)``). The controls come from the request model's
    types; see :func:`wingspan_nb.widgets.form_specs`.

    Save sends only the fields that differ from the loaded invoice, after checking that the invoice
    did not change on the server meanwhile. A failed save keeps every edit and says why.
    """

    def __init__(self, client: Wingspan | ClientInvoiceResource, invoice: ClientInvoice | str) -> None:
        from ..client import Wingspan

        self._resource: ClientInvoiceResource = (
            client.client_invoice if isinstance(client, Wingspan) else client
        )
        if isinstance(invoice, str):
            loaded = self._resource.get(id=invoice).client_invoice
            assert loaded is not None
            invoice = loaded
        self.invoice: ClientInvoice = invoice
        """The invoice as last loaded from (or saved to) the server: edits are compared with it."""
        self.history: list[SaveRecord] = []
        """Saves and undos made in this form, oldest first."""

        self._top = [build_control(spec) for spec in form_specs(ClientInvoiceUpdateRequest)]
        self.fields: dict[str, Control] = {c.spec.key: c for top in self._top for c in top.controls()}
        """Every control by dotted attribute path (``"status"``, ``"credit_fee_handling.client_pays"``)."""

        self.save_button = w.Button(description="Save", button_style="primary", icon="check", disabled=True)
        self.revert_button = w.Button(
            description="Revert", icon="undo", disabled=True, tooltip="Discard unsaved edits"
        )
        self.undo_button = w.Button(description="Undo last save", icon="history", disabled=True)
        self.reload_button = w.Button(description="Reload from server", icon="refresh")
        self.save_anyway_button = w.Button(description="Save anyway", button_style="warning")
        self.preview = w.HTML()
        self.status = w.HTML()
        self.conflict = w.HTML()
        self.conflict_box = w.VBox([self.conflict, w.HBox([self.reload_button, self.save_anyway_button])])
        self.conflict_box.layout.display = "none"
        self.history_view = w.HTML()
        self.card = w.HTML()
        self.title = w.HTML()
        self.widget = w.VBox(
            [
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
        for control in self._top:
            control.observe(self._refresh)
        self._busy = False
        self._server_messages: dict[str, str] = {}
        """A 422's messages by field, shown until the next save or load."""
        self._load(invoice, keep_edits=False)

    # -- showing ---------------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"<InvoiceEditor {summary(self.invoice)}>"

    def _guard(self, action: Any) -> Any:
        """Button callbacks: ipywidgets would only log an exception; show it in the form instead."""

        def handler(_: Any) -> None:
            try:
                action()
            except Exception as e:
                log.exception("the invoice form failed")
                self._say(f"Something went wrong: {type(e).__name__}: {e}. Your edits are kept.", error=True)
                self._set_busy(False)

        return handler

    def _say(self, text: str, *, error: bool = False, ok: bool = False) -> None:
        color = (
            "var(--jp-error-color1,#c4314b)"
            if error
            else "var(--jp-success-color1,#1a7f37)"
            if ok
            else "inherit"
        )
        self.status.value = f'<div style="color:{color}">{esc(text)}</div>' if text else ""

    def _load(self, invoice: ClientInvoice, *, keep_edits: bool) -> None:
        """Make ``invoice`` the base: controls show its values (or keep the user's edits on top)."""
        edits = {c.spec.key: c for c in self._top if c.changed()} if keep_edits else {}
        kept = {}
        for key, control in edits.items():
            try:
                kept[key] = control.value()
            except Invalid:
                pass  # an edit that cannot be read is not carried over
        self.invoice = invoice
        self._server_messages.clear()
        for control in self._top:
            name = control.spec.path[0]
            control.load(getattr(invoice, name))
            if name in kept:
                control.restore(kept[name])
        number = esc(invoice.invoice_number)
        self.title.value = (
            f"<b>Edit invoice <code>{number}</code></b> · {esc(str(wire_value(invoice.status)))}"
        )
        self.card.value = repr_html(invoice) or f"<pre>{esc(summary(invoice))}</pre>"
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
                out.append(Change(c.spec.path[0], wire_value(c.original), wire_value(value)))
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

    def _refresh(self) -> None:
        problems = 0
        for control in self.fields.values():
            try:
                control.value()
            except Invalid as e:
                control.set_message(str(e))
                problems += 1
            else:
                control.set_message(self._server_messages.get(control.spec.key))
        request = self.pending_request()
        changes = self.changes()
        if request is None:
            self.preview.value = (
                '<p style="opacity:.7">Fix the marked fields to save.</p>'
                if problems
                else '<p style="opacity:.7">No changes.</p>'
            )
        else:
            rows = [
                [f"<code>{esc(ch.field)}</code>", value_cell(ch.before), "→", value_cell(ch.after)]
                for ch in changes
            ]
            body = esc(json.dumps(request.to_dict(), indent=2, ensure_ascii=False))
            self.preview.value = (
                table(["field", "now", "", "after saving"], rows)
                + f"<details><summary>PATCH body</summary><pre>{body}</pre></details>"
            )
        self.save_button.disabled = self._busy or request is None
        self.revert_button.disabled = self._busy or (not changes and not problems)
        self.undo_button.disabled = (
            self._busy or not any(r.kind == "save" for r in self.history) or bool(changes)
        )
        self.history_view.value = _history_html(self.history)

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
        self._say("Edits discarded.")

    def reload(self) -> None:
        """Load the server's current invoice; unsaved edits stay on top of it."""
        res = self._resource.get(id=self.invoice.invoice_id)
        assert res.client_invoice is not None
        self.conflict_box.layout.display = "none"
        self._load(res.client_invoice, keep_edits=True)
        self._say(
            "Reloaded from the server; your edits are kept."
            if self.changes()
            else "Reloaded from the server."
        )

    def save(self, *, force: bool = False) -> bool:
        """Send the changed fields (after a conflict check unless ``force``); True when saved."""
        request = self.pending_request()
        if request is None:
            self._say("Nothing to save.")
            return False
        changes = self.changes()
        self._server_messages.clear()
        after = self._patch(request, "Saving…", lambda: force or not self._report_conflicts(changes))
        if after is None:
            return False
        self.history.append(
            SaveRecord(datetime.now(), "save", tuple(changes), after.updated_at, before=self.invoice)
        )
        self.conflict_box.layout.display = "none"
        self._load(after, keep_edits=False)
        self._say(f"Saved {', '.join(ch.field for ch in changes)} at {datetime.now():%H:%M:%S}.", ok=True)
        return True

    def undo(self) -> bool:
        """Restore the fields of the last save with a second ``PATCH`` (if the invoice is unchanged since)."""
        last = next((r for r in reversed(self.history) if r.kind == "save"), None)
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
        self.history.remove(last)
        self.history.append(SaveRecord(datetime.now(), "undo", changes, after.updated_at))
        self._load(after, keep_edits=False)
        self._say(f"Undone: {', '.join(ch.field for ch in changes)} restored.", ok=True)
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
        assert res.client_invoice is not None
        return res.client_invoice

    def _report_conflicts(self, changes: list[Change]) -> bool:
        current = self._resource.get(id=self.invoice.invoice_id).client_invoice
        assert current is not None
        differ = conflicts(self.invoice, current, [ch.field for ch in changes])
        if not differ:
            return False
        rows = [
            [f"<code>{esc(c.field)}</code>", value_cell(c.before), "→", value_cell(c.after)] for c in differ
        ]
        self.conflict.value = (
            "<b>This invoice changed on the server since you loaded it.</b> Nothing was saved; your edits are kept."
            + table(["field", "when loaded", "", "on the server now"], rows)
        )
        self.conflict_box.layout.display = "flex"
        self._say("Not saved: the invoice changed on the server. Reload, or save anyway.", error=True)
        return True

    def _show_error(self, e: errors.WingspanError) -> None:
        if isinstance(e, errors.UnprocessableEntityError) and e.validation:
            placed, rest = 0, []
            for item in e.validation:
                location = tuple(str(p) for p in item.get("location", []) if p != "body")
                control = next((c for c in self.fields.values() if c.spec.wire == location), None)
                if control is not None:
                    self._server_messages[control.spec.key] = f"server: {item.get('message', '')}"
                    control.set_message(self._server_messages[control.spec.key])
                    placed += 1
                else:
                    rest.append(f"{'.'.join(location) or '?'}: {item.get('message', '')}")
            note = f" {'; '.join(rest)}" if rest else ""
            self._say(
                f"The server rejected the change (see the marked fields).{note} Your edits are kept.",
                error=True,
            )
            return
        self._say(f"{e} Your edits are kept; Save is available again.", error=True)


def _history_html(history: list[SaveRecord]) -> str:
    if not history:
        return ""
    rows = [
        [
            f"{r.time:%H:%M:%S}",
            esc(r.kind),
            f"<code>{esc(ch.field)}</code>",
            value_cell(ch.before),
            value_cell(ch.after),
        ]
        for r in history
        for ch in r.changes
    ]
    history_table = table(["time", "kind", "field", "before", "after"], rows)
    return f"<details><summary>History of this form's saves</summary>{history_table}</details>"
