"""The widgets from the keyboard and for screen readers: the small browser-side scripts they carry,
:class:`FormAccess` in every form (messages tied to their inputs, the status line a live region,
Enter reported with the value shown, a dropdown's keys kept from the notebook's shortcuts) and
:class:`ExplorerAccess` in the explorer (toggles' and headers' state, its message line a live
region), each keeping its attributes in step with a MutationObserver; and where the edit form puts
the focus after Enter or a save."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import anywidget
import ipywidgets as w
import traitlets

if TYPE_CHECKING:
    from ._controls import Control

__all__ = ["ExplorerAccess", "FormAccess", "field_after", "first_field", "focus"]


def focus(target: w.Widget | None) -> None:
    """Give ``target`` the keyboard focus (ipywidgets' ``focus()`` message; a no-op without a front end)."""
    if target is not None:
        target.focus()


def _focusable(controls: Iterable[Control]) -> list[Control]:
    return [c for c in controls if c.focus_target() is not None]


def field_after(controls: Iterable[Control], control: Control) -> w.Widget | None:
    """The input of the first enabled field after ``control`` (``controls`` in the form's order)."""
    order = _focusable(controls)
    later = order[order.index(control) + 1 :] if control in order else []
    nxt = next((c for c in later if not getattr(c.focus_target(), "disabled", False)), None)
    return nxt.focus_target() if nxt is not None else None


def first_field(controls: Iterable[Control], keys: Iterable[str]) -> w.Widget | None:
    """The input of the first field among ``keys`` (attribute paths) that can take the focus: an
    exact field first (Client pays), else the first field of a group named; else the form's first."""
    wanted = set(keys)
    fields = _focusable(controls)
    first = next((c for c in fields if c.spec.key in wanted), None)
    first = first or next((c for c in fields if c.spec.path[0] in wanted), fields[0] if fields else None)
    return first.focus_target() if first is not None else None


_FORM_ESM = r"""
// Ties each field's message to its input for screen readers: aria-describedby names the message
// (and the message of the group around it), aria-invalid says whether it is an error. ipywidgets
// sets neither (jupyter-widgets/ipywidgets#2650). Everything is read from the form's own DOM, so it
// stays right however the kernel redraws the messages.
let counter = 0;
function link(form) {
  // A dropdown's keys are the dropdown's, as a text field's are. A <select> is not :read-write,
  // so JupyterLab stays in command mode on it, and its shortcuts' selectors end in ":focus": they
  // match the <select> itself, before Lumino walks up to any ancestor. Only the attribute on the
  // focused element keeps ArrowDown (and D, D) from acting on the notebook's cells.
  for (const select of form.querySelectorAll('.wsnb-field select')) {
    select.setAttribute('data-lm-suppress-shortcuts', 'true');
  }
  for (const field of form.querySelectorAll('.wsnb-field')) {
    const message = field.querySelector(':scope > .wsnb-field-message');
    if (!message) continue;
    if (!message.id) message.id = `wsnb-msg-${Date.now().toString(36)}-${counter++}`;
    message.setAttribute('aria-live', 'polite');
  }
  for (const input of form.querySelectorAll('.wsnb-field input, .wsnb-field select, .wsnb-field textarea')) {
    const ids = [];
    let invalid = false;
    for (let field = input.closest('.wsnb-field'); field && form.contains(field);
         field = field.parentElement.closest('.wsnb-field')) {
      const message = field.querySelector(':scope > .wsnb-field-message');
      if (message && message.textContent.trim()) {
        ids.push(message.id);
        invalid = invalid || !!message.querySelector('.wsnb-msg-error');
      }
    }
    if (ids.length) input.setAttribute('aria-describedby', ids.join(' '));
    else input.removeAttribute('aria-describedby');
    input.setAttribute('aria-invalid', invalid ? 'true' : 'false');
  }
  const status = form.querySelector(':scope > .wsnb-status');
  if (status) status.setAttribute('role', 'status');
}
// Enter in a text field, sent with the value the user sees: ipywidgets holds back a value update
// while an earlier one is in flight but sends its own "submit" at once, so the kernel could act on
// "1" of "150". Captured here because the input's own handler stops the key from bubbling.
function enter(model, form, event) {
  const input = event.target;
  if (event.key !== 'Enter' || event.isComposing || !input.matches('input.widget-input[type=text]')) return;
  const field = input.closest('.wsnb-field');
  const name = field && form.contains(field) && [...field.classList].find(c => c.startsWith('wsnb-f-'));
  if (name) model.send({ event: 'enter', field: name, value: input.value });
}
export default {
  render({ model, el }) {
    let observer = null;
    let form = null;
    // Until the view is attached it looks again each frame; a view removed before that stops looking.
    let frame = 0;
    let removed = false;
    const onKey = (event) => enter(model, form, event);
    const start = () => {
      if (removed) return;
      // The nearest form or field around this (invisible) view: a field brings one of its own.
      form = el.parentElement && el.parentElement.closest('.wsnb-form, .wsnb-field');
      if (!form) { frame = requestAnimationFrame(start); return; }
      link(form);
      observer = new MutationObserver(() => link(form));
      observer.observe(form, { childList: true, subtree: true, characterData: true });
      if (model.get('report_enter')) form.addEventListener('keydown', onKey, true);
    };
    start();
    return () => {
      removed = true;
      cancelAnimationFrame(frame);
      if (observer) observer.disconnect();
      if (form) form.removeEventListener('keydown', onKey, true);
    };
  },
};
"""


class FormAccess(anywidget.AnyWidget):
    """An invisible part of a form or field that ties each field's message to its input for screen
    readers (``aria-describedby``, ``aria-invalid``) and makes the form's ``.wsnb-status`` line a
    polite live region, and keeps a dropdown's keys (the arrows choose an option) from JupyterLab's
    notebook shortcuts. Every top-level field brings one (see :func:`build_control`), so any form
    of these fields has them. The edit form adds one at its root with ``report_enter=True``: Enter in a
    text field calls :meth:`on_enter`'s callback with the field's box class and the value shown."""

    _esm = _FORM_ESM
    report_enter = traitlets.Bool(False).tag(sync=True)
    """Report Enter in the form's text fields (one instance per form does)."""

    def __init__(self, *, report_enter: bool = False) -> None:
        super().__init__(report_enter=report_enter, layout=w.Layout(display="none"))

    def on_enter(self, callback: Callable[[str, str], None]) -> None:
        """Call ``callback(field_class, value)`` when Enter is pressed in a text field of the form."""

        def handle(_: Any, content: dict[str, Any], buffers: Any) -> None:
            if content.get("event") == "enter":
                callback(str(content.get("field", "")), str(content.get("value", "")))

        self.on_msg(handle)


_EXPLORER_ESM = r"""
// What ipywidgets does not say to assistive technology: whether a toggle button is pressed
// (aria-pressed, from the class its view sets while on), that the grid is a table, and how it is
// sorted (aria-sort on each column header, from the kernel's wsnb-sort-* class). Read from the explorer's own DOM, so it
// stays right however the kernel redraws it.
let owned = 0;
function sync(root) {
  for (const b of root.querySelectorAll('.widget-toggle-button')) {
    const pressed = b.classList.contains('mod-active') ? 'true' : 'false';
    if (b.getAttribute('aria-pressed') !== pressed) b.setAttribute('aria-pressed', pressed);
  }
  // The grid as a table: rows, column headers and cells, from the classes the kernel gives its
  // boxes. aria-sort goes on each column header, from its button's wsnb-sort-* class.
  const set = (e, name, value) => { if (e.getAttribute(name) !== value) e.setAttribute(name, value); };
  for (const g of root.querySelectorAll('.wsnb-x-grid')) set(g, 'role', 'table');
  for (const r of root.querySelectorAll('.wsnb-x-row')) set(r, 'role', 'row');
  for (const c of root.querySelectorAll('.wsnb-x-gridcell')) {
    set(c, 'role', 'cell');
    // A row's first cell (its checkbox) owns the number's button beside it: a button is no cell.
    const b = c.nextElementSibling;
    if (b && b.classList.contains('wsnb-x-open')) {
      if (!b.id) b.id = `wsnb-x-n-${Date.now().toString(36)}-${owned++}`;
      set(c, 'aria-owns', b.id);
    }
  }
  for (const h of root.querySelectorAll('.wsnb-x-colhead')) {
    set(h, 'role', 'columnheader');
    const b = h.querySelector('.wsnb-x-head');
    if (!b) continue;
    const c = [...b.classList].find(n => n.startsWith('wsnb-sort-'));
    set(h, 'aria-sort', c ? c.slice('wsnb-sort-'.length) : 'none');
  }
  const status = root.querySelector(':scope > .wsnb-status');
  if (status && status.getAttribute('role') !== 'status') status.setAttribute('role', 'status');
}
export default {
  render({ el }) {
    let observer = null;
    let frame = 0;
    let removed = false;
    const start = () => {
      if (removed) return;
      const root = el.parentElement && el.parentElement.closest('.wsnb-explorer');
      if (!root) { frame = requestAnimationFrame(start); return; }
      sync(root);
      // Only class changes and new nodes: the attributes set here do not wake it again.
      observer = new MutationObserver(() => sync(root));
      observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
    };
    start();
    return () => {
      removed = true;
      cancelAnimationFrame(frame);
      if (observer) observer.disconnect();
    };
  },
};
"""


class ExplorerAccess(anywidget.AnyWidget):
    """An invisible part of the explorer that sets ``aria-pressed`` on its toggle buttons, the table
    roles of its grid and ``aria-sort`` on its column headers (ipywidgets sets none), kept in step,
    and makes its ``.wsnb-status`` message line a polite live region."""

    _esm = _EXPLORER_ESM

    def __init__(self) -> None:
        super().__init__(layout=w.Layout(display="none"))
