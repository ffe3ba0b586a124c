"""``BulkEditor``: the bulk-edit workflow as a small form (pick values, see the plan, apply, undo)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs
import ipywidgets as w

from .. import errors
from .._bulk import BulkPlan, BulkResult
from .._changes import change_words
from .._facts import format_timestamp
from ..display import escape, repr_html
from ..models import UNSET, ClientInvoiceUpdateRequest
from ._access import FormAccess
from ._controls import build_control, fit_width, guarded, read_state, say, status_line
from ._specs import form_specs
from ._static import StaticCopy, copy_bundle, view_html

if TYPE_CHECKING:
    from .._client import Wingspan
    from .._resources import ClientInvoiceResource

__all__ = ["LIVE_BULK_TEXT", "BulkEditor"]

LIVE_BULK_TEXT = (
    "The live bulk editor: it needs a running kernel (run the cell). "
    "The static copy below shows what was planned, applied and undone."
)
"""The live editor's ``text/plain``: what a notebook shows where the widget cannot be drawn."""


@attrs.frozen
class _Step:
    """One step of the editor's record: a plan, an apply or an undo (the object holds the details)."""

    kind: str
    """``"plan"``, ``"apply"`` or ``"undo"``."""
    outcome: BulkPlan | BulkResult


class BulkEditor(StaticCopy):
    """Change many invoices at once from a form: the same generated controls as the edit form (every
    field starts "not set", i.e. unchanged), **Plan** (a dry run, nothing sent), then **Apply**, and
    **Undo last apply**.

    ``BulkEditor(client, targets)`` takes the ids (or a DataFrame from ``to_dataframe``). ``plan`` and
    ``result`` hold the last plan and the last result (with the audit log); ``steps`` every plan,
    apply and undo made here. A plan that moves Paid or Cancelled invoices to another status shows a
    checkbox saying how many; Apply waits until it is ticked. Displayed, the editor keeps a static
    copy of its record as an output of its own, which a saved notebook or an export still shows.
    """

    live_text = LIVE_BULK_TEXT

    def __init__(self, client: Wingspan | ClientInvoiceResource, targets: Any) -> None:
        from .._client import Wingspan

        self._resource: ClientInvoiceResource = (
            client.client_invoice if isinstance(client, Wingspan) else client
        )
        self.targets = targets
        self.plan: BulkPlan | None = None
        self.result: BulkResult | None = None
        self.steps: list[_Step] = []
        """Every plan, apply and undo made in this editor, oldest first."""
        self._controls = [build_control(spec) for spec in form_specs(ClientInvoiceUpdateRequest)]
        for c in self._controls:
            c.load(UNSET)
        layout = fit_width()
        self.plan_button = w.Button(description="Plan (dry run)", icon="list", layout=layout)
        self.apply_button = w.Button(description="Apply", icon="check", disabled=True, layout=layout)
        self.undo_button = w.Button(
            description="Undo last apply", icon="history", disabled=True, layout=layout
        )
        self.confirm = w.Checkbox(value=False, indent=False, layout=w.Layout(display="none", width="auto"))
        """Shown when the plan moves settled invoices: Apply is enabled once it is ticked."""
        self.status = status_line()
        """What the last plan, apply or undo did, or why not (a live region: screen readers say it)."""
        self.output = w.HTML()
        self._count = len(targets) if hasattr(targets, "__len__") else None
        count = f"{self._count:,}" if self._count is not None else "the"
        self.widget = w.VBox(
            [
                w.HTML(f"<b>Change {escape(count)} invoices</b> · fields left “not set” are not changed"),
                *(c.widget for c in self._controls),
                w.HBox([self.plan_button, self.apply_button, self.undo_button]),
                self.confirm,
                w.VBox([FormAccess()], layout=w.Layout(display="none")),  # the status line's live region
                self.status,
                self.output,
            ]
        )
        self.widget.add_class("wsnb-form")
        self.plan_button.on_click(self._guard(self.make_plan))
        self.apply_button.on_click(self._guard(self.apply))
        self.undo_button.on_click(self._guard(self.undo))
        self.confirm.observe(lambda _: self._refresh_buttons(), names="value")

    def _guard(self, action: Callable[[], object]) -> Callable[..., None]:
        """A button's callback: a failure is said in the status line, and Plan is available again."""
        return guarded(action, self.status, what="bulk editor", then=self._recover)

    def _recover(self) -> None:
        self.plan_button.disabled = False
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        plan = self.plan
        self.apply_button.disabled = (
            plan is None or not plan.to_change or bool(plan.settled and not self.confirm.value)
        )
        self.apply_button.tooltip = (
            "Tick the box above the plan first: it moves settled invoices"
            if plan is not None and plan.settled and not self.confirm.value
            else "Send the plan shown below"
            if plan is not None and plan.to_change
            else "Make a plan first"
        )
        self.undo_button.disabled = self._undoable() is None

    def _undoable(self) -> BulkResult | None:
        r = self.result
        return (
            r
            if r is not None
            and r.action == "apply"
            and any(row.outcome in ("applied", "unknown") and row.changes for row in r.rows)
            else None
        )

    def request(self) -> ClientInvoiceUpdateRequest | None:
        """The request the form describes (the fields set), or None if a field is invalid (each one
        says why next to it) or nothing is set."""
        state = read_state(self._controls)
        for c, entry in zip(self._controls, state.entries, strict=True):
            c.set_message(None if entry.valid else entry.value.problem)
        return state.request()

    def make_plan(self) -> BulkPlan | None:
        """Read every invoice and show what would change (nothing is sent)."""
        request = self.request()
        if request is None:
            say(self.status, "Set at least one field (and fix the marked ones) to make a plan.")
            return None
        self.plan_button.disabled = True
        say(self.status, "Reading the invoices…")
        try:
            plan = self._resource.update_many(self.targets, request, dry_run=True, progress=False)
        except errors.WingspanError as e:
            say(self.status, str(e), "error")
            return None
        finally:
            self.plan_button.disabled = False
        self.plan = plan
        self.steps.append(_Step("plan", plan))
        self.output.value = view_html(plan, repr(plan))
        settled = plan.settled
        self.confirm.value = False
        self.confirm.layout.display = "flex" if settled else "none"
        self.confirm.description = (
            f"Confirm: apply to the {len(settled)} settled invoice{'s' if len(settled) != 1 else ''} "
            "too (Paid or Cancelled)"
            if settled
            else ""
        )
        c = plan.counts()
        status = (
            f"Plan ready: {c['change']} to change, {c['no-op']} no-op, {c['unreadable']} unreadable. "
            "Nothing is sent until you press Apply."
        )
        if settled:
            status += f" {len(settled)} of them are Paid or Cancelled: tick the box above to apply the plan."
        say(self.status, status)
        self._refresh_buttons()
        self._refresh_snapshot()
        return plan

    def apply(self) -> BulkResult | None:
        """Apply the plan shown (each invoice conflict-checked); the result replaces it. A plan that
        moves settled invoices needs the box ticked (:attr:`confirm`)."""
        if self.plan is None:
            return None
        self.apply_button.disabled = self.plan_button.disabled = True
        say(self.status, "Applying…")
        try:
            result = self.plan.apply(confirm_settled=self.confirm.value, progress=False)
        finally:
            self.plan_button.disabled = False
            self._refresh_buttons()
        self._show_result(result)
        return result

    def undo(self) -> BulkResult | None:
        """Put back what the last apply changed (each invoice conflict-checked, unknown ones re-read)."""
        last = self._undoable()
        if last is None:
            say(self.status, "There is no apply to undo.")
            return None
        self.undo_button.disabled = self.apply_button.disabled = self.plan_button.disabled = True
        say(self.status, "Undoing…")
        try:
            result = last.undo(progress=False)
        finally:
            self.plan_button.disabled = False
        self._show_result(result)
        return result

    def _show_result(self, result: BulkResult) -> None:
        self.result = result
        self.plan = None
        self.confirm.layout.display = "none"
        self.steps.append(_Step(result.action, result))
        self.output.value = view_html(result, repr(result))
        status = result.summary()
        if result.unknown:
            status += (
                f" · {len(result.unknown)} unknown: their outcome is not known, so they may or may not "
                "have changed; get them to see (Undo last apply re-reads them first)"
            )
        if result.action == "apply":
            status += " · Undo last apply puts them back"
        say(self.status, status)
        self._refresh_buttons()
        self._refresh_snapshot()

    # -- the static copy -------------------------------------------------------------------------

    def snapshot_title(self) -> str:
        """The static copy's one line, informative while it is closed: the invoices and the last step."""
        count = f"{self._count:,} invoices" if self._count is not None else "invoices"
        last = self.steps[-1].outcome if self.steps else None
        if last is None:
            done = "Nothing planned yet."
        elif isinstance(last, BulkPlan):
            done = f"Planned (nothing sent): {last.counts()['change']} to change."
        else:
            done = f"{_capital(last.summary())}."
        return f"Static copy of the bulk editor (for saved notebooks and exports): {count}. {done}"

    def snapshot_text(self) -> str:
        """The editor's record as plain text: each plan, apply and undo, and each change made."""
        lines = [self.snapshot_title()]
        for step in self.steps:
            lines.append(f"  {_step_line(step)}")
            result = step.outcome
            if isinstance(result, BulkResult):
                for r in result.rows:
                    if r.changes and r.time is not None:
                        changes = "; ".join(change_words(c) for c in r.changes)
                        lines.append(
                            f"    {format_timestamp(r.time, precision='seconds')} {r.number or r.id}: {result.label(r.outcome)}: {changes}"
                        )
        return "\n".join(lines)

    def snapshot_html(self) -> str:
        """The editor's record as static HTML (no widgets): the last plan (if not applied yet) and
        every apply and undo, newest first, each with its table."""
        parts = ["<p><b>Bulk editor</b> (a static snapshot: run the cell to edit)</p>"]
        shown = [s for s in reversed(self.steps) if s.kind != "plan"]
        if self.steps and self.steps[-1].kind == "plan":
            shown.insert(0, self.steps[-1])
        # Each view carries its own title ("Apply: 6 applied · 2026-12-07 13:04:16 UTC").
        parts += [repr_html(step.outcome) or f"<p>{escape(_step_line(step))}</p>" for step in shown]
        return "".join(parts)

    def _snapshot_bundle(self) -> dict[str, Any]:
        return copy_bundle(self.snapshot_text(), escape(self.snapshot_title()), self.snapshot_html())


def _capital(s: str) -> str:
    return s[:1].upper() + s[1:]


def _step_line(step: _Step) -> str:
    """``Planned: 4 to change, 2 no-op`` / ``Applied: 3 applied, 1 skipped: conflict``."""
    if isinstance(step.outcome, BulkPlan):
        c = step.outcome.counts()
        return (
            f"Planned (nothing sent): {c.get('change', 0)} to change, {c.get('no-op', 0)} no-op, "
            f"{c.get('unreadable', 0)} unreadable"
        )
    return _capital(step.outcome.summary())
