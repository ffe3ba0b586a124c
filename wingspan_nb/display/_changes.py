"""The view of :class:`~wingspan_nb.Changes`: the counts first, then the status
transitions, the amounts per currency, and the invoices field by field.

Nothing in it links anywhere: ids and invoice numbers are chips, values are code. Fields show under
the labels every change uses (``Due date``; the wire path, which ``to_frame()`` keeps, in the
tooltip); timestamps as the cards write them (``2028-02-29 15:30 UTC``). Sensitive values are masked
(:func:`~wingspan_nb._comparison.masked_change_value`) unless ``show_sensitive`` is set.
"""

from __future__ import annotations

from typing import Any

from .._changes import value_words, wire_path_is_choice, wire_path_label
from .._comparison import AmountMove, Changes
from .._facts import format_money, format_timestamps_apart
from ._html import SHORT_ID, attr, badge, esc, id_chip, money, number, table, value_cell, words
from ._options import DisplayOptions, get_options
from ._registry import renders

__all__ = ["changes_text", "changes_view"]

_ROWS = 100
"""Field rows the card shows; ``.to_frame()`` has them all."""
_TEXT_ROWS = 20


def _rows(changes: Changes) -> list[tuple[str, str, str, str | None, Any, Any]]:
    return changes.rows(show_sensitive=get_options().show_sensitive)


def _signed(amount: float, currency: str) -> str:
    """An amount with its sign, ``+`` included (a move, not a balance)."""
    return money(amount, currency, signed=True)


def _field_cell(field: str) -> str:
    return f'<span title="{attr(field)}">{esc(wire_path_label(field))}</span>'


def _shown_values(field: str, before: Any, after: Any) -> tuple[str | None, str | None]:
    """How the views write a field's two values where not as the wire has them: a choice in words
    (``Payment in transit``, as the status changes above say it), timestamps as the cards write them."""
    if wire_path_is_choice(field):
        return value_words(before, choice=True), value_words(after, choice=True)
    b, a = format_timestamps_apart(before, after)
    return b, a


def _value_cells(field: str, before: Any, after: Any) -> list[str]:
    return [
        f"<code>{esc(shown)}</code>" if shown is not None else value_cell(value)
        for value, shown in zip((before, after), _shown_values(field, before, after), strict=True)
    ]


def _not_compared(changes: Changes) -> str:
    before, after = changes.not_compared
    if not before and not after:
        return ""
    return (
        f"{before:,} item(s) of before and {after:,} of after did not fit the models and were not "
        "compared; their lists' .failures have them."
    )


@renders(Changes)
def changes_view(changes: Changes, opts: DisplayOptions) -> str:
    parts = [f'<p class="wsnb-title">{esc(changes.summary())}</p>']
    note = _not_compared(changes)
    if note:
        parts.append(f'<p class="wsnb-warning">{esc(note)}</p>')
    if changes.transitions:
        rows = [[f"{badge(old)} → {badge(new)}", number(n)] for (old, new), n in changes.transitions.items()]
        parts.append("<h4>Status changes</h4>" + table(["status", "invoices"], rows, numeric=(1,)))
    moved = [m for m in changes.amounts if m.added or m.removed or m.changed]
    if moved:
        parts.append("<h4>Amounts per currency</h4>" + _amounts_table(moved))
    listed = _rows(changes)
    if listed:
        cells = [
            [
                id_chip(number_),
                esc(change),
                *(
                    [_field_cell(field), *_value_cells(field, before, after)]
                    if field is not None
                    else ["", "", ""]
                ),
                id_chip(invoice_id, SHORT_ID),
            ]
            for invoice_id, number_, change, field, before, after in listed[:_ROWS]
        ]
        body = table(["number", "change", "field", "before", "after", "id"], cells)
        if len(listed) > _ROWS:
            body += (
                f'<p class="wsnb-muted">… {len(listed) - _ROWS:,} more rows; '
                "<code>.to_frame()</code> has them all.</p>"
            )
        parts.append("<h4>Invoices</h4>" + body)
    return f'<div class="wsnb-card">{"".join(parts)}</div>'


def _amounts_table(moves: list[AmountMove]) -> str:
    rows = [
        [
            esc(m.currency),
            money(m.before, m.currency),
            money(m.after, m.currency),
            _signed(m.net, m.currency),
            _signed(m.added, m.currency),
            _signed(0.0 - m.removed, m.currency),
            _signed(m.changed, m.currency),
        ]
        for m in moves
    ]
    header = ["currency", "before", "after", "net change", "added", "removed", "changed"]
    return table(header, rows, numeric=range(1, 7))


def _plain(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def changes_text(changes: Changes) -> str:
    """The text view: the counts, the transitions, the amounts per currency, then the first
    changed fields (masked as the options say)."""
    lines = [f"Changes: {changes.summary()}"]
    note = _not_compared(changes)
    if note:
        lines.append(note)
    lines += [f"  {words(old)} → {words(new)}: {n:,}" for (old, new), n in changes.transitions.items()]
    for m in changes.amounts:
        if m.added or m.removed or m.changed:
            lines.append(
                f"  {m.currency}: {format_money(m.before)} → {format_money(m.after)} "
                f"({format_money(m.net, signed=True)}: added {format_money(m.added, signed=True)}, "
                f"removed {format_money(0.0 - m.removed, signed=True)}, "
                f"changed {format_money(m.changed, signed=True)})"
            )
    rows = _rows(changes)
    for invoice_id, number_, change, field, before, after in rows[:_TEXT_ROWS]:
        what = ""
        if field is not None:
            b, a = (
                shown or _plain(v)
                for v, shown in zip((before, after), _shown_values(field, before, after), strict=True)
            )
            what = f"{wire_path_label(field)}: {b} → {a}"
        lines.append(f"  {number_} {change} {what}".rstrip() + f" (id {invoice_id})")
    if len(rows) > _TEXT_ROWS:
        lines.append(f"  … {len(rows) - _TEXT_ROWS:,} more rows; .to_frame() has them all.")
    return "\n".join(lines)
