"""The edit form's widgets: a control for each field of the update request (built from its field
specs), the buttons, the preview, status and conflict lines, the history and the invoice card, in
one box. It shows what it is given, reads what the user entered, and moves the focus; what any of
it means is decided by the editor."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ipywidgets as w

from ..models import ClientInvoiceUpdateRequest
from ._access import FormAccess, first_field, focus
from ._controls import Control, build_control, fit_width, read_state, say, status_line
from ._edit_state import EditState, FieldMessages
from ._specs import FieldSpec, form_specs

__all__ = ["EditLayout"]


def _button(**kwargs: Any) -> w.Button:
    return w.Button(layout=fit_width(), **kwargs)


class EditLayout:
    """The widgets of the edit form, laid out in :attr:`widget`. The editor holds one (it is not
    an editor's base: what it offers here is the editor's machinery, not the analyst's API)."""

    def __init__(self) -> None:
        self.top = [build_control(spec) for spec in form_specs(ClientInvoiceUpdateRequest)]
        self.fields: dict[str, Control] = {c.spec.key: c for top in self.top for c in top.controls()}
        """Every control by dotted attribute path (``"status"``, ``"credit_fee_handling.client_pays"``)."""
        self.specs: dict[str, FieldSpec] = {c.spec.key: c.spec for c in self.top}
        self.save_button = _button(description="Save", icon="check", disabled=True)
        self.revert_button = _button(
            description="Revert", icon="undo", disabled=True, tooltip="Discard unsaved edits"
        )
        self.undo_button = _button(description="Undo last save", icon="history", disabled=True)
        self.reload_button = _button(description="Reload from server", icon="refresh")
        self.save_anyway_button = _button(description="Save anyway", button_style="warning")
        self.preview = w.HTML()
        self.status = status_line()
        self.conflict = w.HTML()
        self.conflict_box = w.VBox([self.conflict, w.HBox([self.reload_button, self.save_anyway_button])])
        self.conflict_box.layout.display = "none"
        self.history_view = w.HTML()
        self.card = w.HTML()
        self.card.add_class("wsnb-form-card")
        self.title = w.HTML()
        self.access = FormAccess(report_enter=True)
        self.transient = False
        """The status line holds a notice that new edits make stale ("Edits discarded.")."""
        self.widget = w.VBox(
            [
                w.VBox([self.access], layout=w.Layout(display="none")),  # draws nothing, whatever happens
                self.title,
                *(c.widget for c in self.top),
                self.preview,
                w.HBox([self.save_button, self.revert_button, self.undo_button]),
                self.status,
                self.conflict_box,
                self.history_view,
                self.card,
            ]
        )
        self.widget.add_class("wsnb-form")

    # -- reading ---------------------------------------------------------------------------------

    def read(self) -> EditState:
        """Each top-level field as the controls hold it now."""
        return read_state(self.top)

    def marked(self) -> dict[str, str]:
        """Every problem the controls find, by the key of the field it is shown next to."""
        return {k: v for top in self.top for k, v in top.problems().items()}

    def edited_keys(self) -> list[str]:
        """The fields (nested ones included) whose input the user changed, an invalid entry too."""
        return [k for k, c in self.fields.items() if c.edited()]

    # -- showing ---------------------------------------------------------------------------------

    def say(self, text: str, *, error: bool = False, ok: bool = False, transient: bool = False) -> None:
        """The status line (a ``transient`` notice goes at the next edit)."""
        say(self.status, text, "error" if error else "ok" if ok else "note")
        self.transient = transient

    @property
    def in_conflict(self) -> bool:
        """The conflict is shown (Save waits for Reload or Save anyway)."""
        return bool(self.conflict_box.layout.display != "none")

    @property
    def outcome_unknown(self) -> bool:
        """The panel shows a change whose outcome is not known: Reload is the only way on."""
        return self.in_conflict and self.save_anyway_button.layout.display == "none"

    def show_conflict(self, html: str | None, *, save_anyway: bool = True) -> None:
        """Show the conflict with its two choices (only Reload unless ``save_anyway``), or
        (``None``) hide it."""
        if html is not None:
            self.conflict.value = html
        self.conflict_box.layout.display = "none" if html is None else "flex"
        self.save_anyway_button.layout.display = None if save_anyway else "none"

    def show_messages(self, marked: dict[str, str], messages: FieldMessages) -> None:
        for key, control in self.fields.items():
            problem, warnings = messages.lines(
                key, marked.get(key), edited=control.edited(), caution=control.caution()
            )
            control.set_messages(problem, warnings)

    def show_save(self, unavailable: str | None) -> None:
        """Save enabled, or disabled with the reason in its tooltip."""
        disabled = unavailable is not None
        self.save_button.disabled = disabled
        # Disabled is drawn as a faded button: a faded blue "primary" reads as enabled on a dark theme.
        self.save_button.button_style = "" if disabled else "primary"
        self.save_button.tooltip = unavailable or "Send the changes shown above"

    def set_enabled(self, enabled: bool) -> None:
        for c in self.top:
            c.set_enabled(enabled)

    # -- the focus -------------------------------------------------------------------------------

    def focus_field(self, keys: Iterable[str] = ()) -> None:
        """The focus to the first field among ``keys`` that can take it (else the form's first)."""
        focus(first_field(self.fields.values(), keys))

    def focus_after_failure(self) -> None:
        """After a save that did not go through: the first field with a message, the conflict's
        first choice, or Save (it was disabled while busy, which drops the focus)."""
        marked = [k for k, c in self.fields.items() if c.message.value]
        if marked:
            self.focus_field(marked)
        elif self.in_conflict:
            focus(self.reload_button)
        elif not self.save_button.disabled:
            focus(self.save_button)
