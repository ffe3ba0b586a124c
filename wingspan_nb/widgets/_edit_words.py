"""What the edit form says, as text and HTML: values in words, the change tables (preview, conflict,
history), the form's title and its static copy. Every function takes plain values and returns a
string; the server's strings are escaped here, at the leaves."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .._changes import Change, change_value, conflicts, field_label, leaf_changes, value_words
from .._facts import format_money, format_timestamp, format_timestamps_apart
from ..display import escape, prose, summary, table, value_cell
from ..models import ClientInvoice, ClientInvoiceUpdateRequest, field_plan, wire_value
from ._edit_state import EditState, NotValid, SaveRecord
from ._specs import FieldSpec
from ._static import copy_bundle

__all__ = [
    "conflict_html",
    "field_list",
    "form_title",
    "history_html",
    "last_save",
    "lower",
    "plain",
    "preview_html",
    "saved_words",
    "snapshot_bundle",
    "snapshot_html",
    "snapshot_text",
    "title_parts",
    "unconfirmed_words",
    "unknown_outcome_html",
]

Specs = Mapping[str, FieldSpec]
"""The form's top-level field specs by attribute name."""


def lower(label: str) -> str:
    return label[:1].lower() + label[1:]


def plain(spec: FieldSpec | None, value: Any) -> str:
    """A wire value as words: ``none``, ``40 %``, ``Client pays 0 %, Member pays 100 %``."""
    if isinstance(value, NotValid):
        return f"not valid yet ({value.problem})"
    if spec is None:
        return value_words(value)
    if spec.children and isinstance(value, dict):
        shown = [(c, value.get(c.wire[-1])) for c in spec.children]
        parts = [f"{c.label} {plain(c, v)}" for c, v in shown if v is not None]  # "none" goes unsaid
        return ", ".join(parts) or "empty"
    return value_words(value, spec.unit, choice=bool(spec.choices))


def _cell(spec: FieldSpec | None, value: Any, shown: str | None = None) -> str:
    """A value in a form table: a timestamp as ``format_timestamp`` writes it (or as ``shown``), a
    value with a unit or a timestamp on one line (``100 %`` never breaks at its space)."""
    if isinstance(value, NotValid) or value is None or value == "(not set)":
        return f'<i class="wsnb-muted">{escape(plain(spec, value))}</i>'
    stamp = shown or format_timestamp(value)
    cell = value_cell(stamp or plain(spec, value))
    if stamp or (spec is not None and spec.unit):
        return f'<span class="wsnb-nowrap">{cell}</span>'
    return cell


def _diff_rows(specs: Specs, change: Change) -> list[list[str]]:
    """Table rows for one change (field, before, after): a nested object shows one row per value
    that changed. No arrow column: every column has a header that says what it holds."""
    spec = specs.get(change.field)
    label = spec.label if spec is not None else field_label(ClientInvoice, change.field)
    before, after = change.before, change.after
    if spec is not None and spec.children and isinstance(before, dict) and isinstance(after, dict):
        # Value by value, as bulk plans and audit logs word it.
        children = {c.path[-1]: c for c in spec.children}
        leaves = leaf_changes(change)
        inside = [x for x in leaves if "." in x.path]
        if inside or not leaves:  # no leaves: only null ↔ absent, which both mean "no value"
            cells = [(x, children.get(x.path.rsplit(".", 1)[1])) for x in inside]
            return [[escape(x.label), *_cells(c, x.before, x.after)] for x, c in cells]
    return [[escape(label), *_cells(spec, before, after)]]


def _cells(spec: FieldSpec | None, before: Any, after: Any) -> list[str]:
    """Before and after, two timestamps at the precision that shows them different."""
    shown = format_timestamps_apart(before, after)
    return [_cell(spec, before, shown[0]), _cell(spec, after, shown[1])]


def _styled(body: str) -> str:
    """Tables in the card's style (the card under the form carries the stylesheet); wide content
    scrolls inside its box instead of being cut off."""
    return f'<div class="wsnb"><div class="wsnb-card" style="overflow-x:auto">{body}</div></div>'


def field_list(specs: Specs, changes: Iterable[Change]) -> str:
    """``status, credit-fee split``: the changed fields in the analyst's words."""
    return ", ".join(lower(specs[ch.field].label) if ch.field in specs else ch.field for ch in changes)


def last_save(specs: Specs, history: Sequence[SaveRecord]) -> str:
    """The last save or undo in words, as the status line said it (``Saved: status at 10:42 UTC.``)."""
    return saved_words(specs, history[-1]) if history else "Nothing saved from this form yet."


def saved_words(specs: Specs, record: SaveRecord) -> str:
    """The status line after a save or an undo."""
    if record.kind == "save":
        return (
            f"Saved: {field_list(specs, record.changes)} at {format_timestamp(record.time, with_date=False)}."
        )
    return f"Undone: {field_list(specs, record.changes)} restored at {format_timestamp(record.time, with_date=False)}."


def unconfirmed_words(
    specs: Specs, reply: ClientInvoice, changes: Iterable[Change], *, old: bool, undo: bool
) -> str:
    """The status line after a success whose reply does not show the change (``old``: it shows
    the values before it): the outcome is unknown, said with the values the reply holds."""
    values = ", ".join(
        f"{lower(specs[ch.field].label) if ch.field in specs else ch.field}: "
        f"{plain(specs.get(ch.field), change_value(getattr(reply, ch.field)))}"
        for ch in changes
    )
    shows = "the old values" if old else "other values"
    what, again = ("the undo", "Undo") if undo else ("the change", "Save")
    return (
        f"Unknown outcome: the server answered with success but its reply shows {shows} ({values}). "
        f"It may have ignored {what}; your edits are kept. Reload to see the invoice, then {again} "
        "again if needed."
    )


def form_title(invoice: ClientInvoice, specs: Specs) -> str:
    number = escape(prose(invoice.invoice_number))
    status = plain(specs.get("status"), wire_value(invoice.status))
    return f"<b>Edit invoice <code>{number}</code></b> · {escape(status)}"


def preview_html(
    specs: Specs,
    state: EditState,
    request: ClientInvoiceUpdateRequest | None,
    *,
    marked: bool,
    unmarked: str | None,
) -> str:
    """What Save would send: the changes as a table and the exact ``PATCH`` body, or why nothing."""
    if request is None:
        note = (
            "Fix the marked fields to save."
            if marked
            else f"Cannot save: {unmarked}"
            if unmarked
            else "No changes."
        )
        return f'<p style="opacity:.7">{escape(note)}</p>'
    rows = [row for ch in state.changes() for row in _diff_rows(specs, ch)]
    body = escape(json.dumps(request.to_dict(), indent=2, ensure_ascii=False))
    return _styled(
        table(["field", "now", "after saving"], rows)
        + f"<details><summary>PATCH body</summary><pre>{body}</pre></details>"
    )


def conflict_html(specs: Specs, loaded: ClientInvoice, current: ClientInvoice) -> str:
    """Everything that changed on the server since ``loaded``, not only what the edit touches:
    "Save anyway" writes over it."""
    rows = [row for c in conflicts(loaded, current, specs) for row in _diff_rows(specs, c)]
    others = [
        lower(field_label(ClientInvoice, f.name))
        for f in field_plan(ClientInvoice)
        if f.name not in specs
        and f.name != "updated_at"
        and getattr(current, f.name) != getattr(loaded, f.name)
    ]
    also = f"<p>Also changed on the server: {escape(', '.join(others))}.</p>" if others else ""
    return (
        "<b>This invoice changed on the server since you loaded it.</b> Nothing was saved; your edits are kept."
        + _styled(table(["field", "when loaded", "on the server now"], rows))
        + also
    )


def unknown_outcome_html() -> str:
    """The panel over Reload after a save or undo whose outcome is not known."""
    return (
        "<b>The last change may or may not have been applied.</b> Reload from server to see the "
        "invoice before saving again; your edits are kept on top of it."
    )


def history_html(specs: Specs, history: Sequence[SaveRecord]) -> str:
    if not history:
        return ""
    rows = [
        [
            f'<span class="wsnb-nowrap">{escape(format_timestamp(r.time))}</span>',
            ("saved (undone later)" if r.undone else "saved") if r.kind == "save" else "undo",
            *row,
        ]
        for r in history
        for ch in r.changes
        for row in _diff_rows(specs, ch)
    ]
    history_table = table(["time", "action", "field", "before", "after"], rows)
    return f"<details><summary>History of this form's saves</summary>{_styled(history_table)}</details>"


# -- the static copy ------------------------------------------------------------------------------


def title_parts(
    invoice: ClientInvoice, specs: Specs, state: EditState, history: Sequence[SaveRecord]
) -> list[tuple[str, bool]]:
    """The static copy's one line, informative while it is closed, in parts, each with whether it
    must stay on one line: the invoice's number, status and amount as last loaded, the last save,
    and the fields with unsaved edits."""
    status = plain(specs.get("status"), wire_value(invoice.status))
    edited = [lower(e.spec.label) for e in state.entries if e.changed]
    unsaved = f" Unsaved edits: {', '.join(edited)}." if edited else ""
    return [
        ("Static copy of this form (for saved notebooks and exports): invoice ", False),
        (prose(invoice.invoice_number), True),
        (f", {status}, ", False),
        (format_money(invoice.amount, invoice.currency), True),
        (f". {last_save(specs, history)}{unsaved}", False),
    ]


def snapshot_text(
    invoice: ClientInvoice, specs: Specs, state: EditState, history: Sequence[SaveRecord]
) -> str:
    """The form as plain text: the invoice, the values in the form, the last save."""
    lines = [f"Edit form for {summary(invoice)}"]
    for e in state.entries:
        note = " (unsaved edit)" if e.changed else ""
        lines.append(f"  {e.spec.label}: {plain(e.spec, e.shown)}{note}")
    lines.append(f"  {last_save(specs, history)}")
    return "\n".join(lines)


def snapshot_html(
    invoice: ClientInvoice, specs: Specs, state: EditState, history: Sequence[SaveRecord], card_html: str
) -> str:
    """The form as static HTML (no widgets): the invoice card, the values in the form, the last save."""
    rows = [
        [escape(e.spec.label), _cell(e.spec, e.shown) + (" <i>(unsaved edit)</i>" if e.changed else "")]
        for e in state.entries
    ]
    return (
        f"<div><p><b>Edit form for invoice <code>{escape(prose(invoice.invoice_number))}</code></b> "
        "(a static snapshot: run the cell to edit)</p>"
        + _styled(table(["field", "value in the form"], rows))
        + f"<p>{escape(last_save(specs, history))}</p>"
        + card_html
        + "</div>"
    )


def snapshot_bundle(title: Sequence[tuple[str, bool]], text: str, html: str) -> dict[str, Any]:
    """The static copy as a display bundle: closed, it shows its title line, each part that must
    stay whole on one line (an invoice number or amount never breaks as "INV-2026-" / "0002")."""
    line = "".join(
        f'<span style="white-space:nowrap">{escape(part)}</span>' if whole else escape(part)
        for part, whole in title
    )
    return copy_bundle(text, line, html)
